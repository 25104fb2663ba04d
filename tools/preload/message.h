/* One-line messages for the preloadable libraries, built and written with
 * nothing that can allocate, take a lock or read the locale: fit for the
 * inside of a malloc call made while the C library holds its locale or
 * stdio locks, and for signal handlers. (strerror, stdio and the *printf
 * family are none of these: strerror reads translated text under the
 * locale lock, which is what hung programs calling setlocale.) */
#ifndef POOLHEAP_PRELOAD_MESSAGE_H
#define POOLHEAP_PRELOAD_MESSAGE_H

#include <stddef.h>

/* A message being built: text truncated (ending in "...") past its room. */
typedef struct ph_message {
    char text[1024];
    size_t length;
} ph_message_t;

/* Appends `text` as it is (for the caller's own fixed words). */
void ph_message_add(ph_message_t *m, const char *text);

/* Appends `length` bytes of untrusted text (a path, a parser's message),
 * with control characters and DEL escaped (\n, \t, \r, else \xNN) and
 * backslashes doubled, so the message stays on one line and cannot be
 * mistaken for another. */
void ph_message_add_escaped(ph_message_t *m, const char *text, size_t length);

/* Appends what errno value `error` means, in words, without strerror. */
void ph_message_add_errno(ph_message_t *m, int error);

/* Ends the line and writes the message to stderr with one write(2). */
void ph_message_send(ph_message_t *m);

#endif /* POOLHEAP_PRELOAD_MESSAGE_H */
