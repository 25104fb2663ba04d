/* Growing text buffers and words of a message: the string handling of the
 * telemetry service, all on malloc/realloc. */
#ifndef TELEMETRY_TEXT_H
#define TELEMETRY_TEXT_H

#include <stddef.h>

/* A NUL-terminated string that grows by realloc as text is appended. */
typedef struct text {
    char *data;
    size_t length, capacity;
} text_t;

/* Appends formatted text; returns 0, or -1 if memory ran out (the text is
 * then unchanged). */
int text_printf(text_t *text, const char *format, ...) __attribute__((format(printf, 2, 3)));

void text_free(text_t *text);

/* Returns a malloc'd copy of the next space-separated word of *cursor and
 * advances it, or NULL at the end of the line or when memory ran out. */
char *text_next_word(const char **cursor);

#endif
