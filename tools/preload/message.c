/* One-line messages without allocation, locks or locale (message.h). */
#include "message.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* Room kept for "...\n" at the end. */
#define PH_MESSAGE_TAIL 4u

static void ph_put(ph_message_t *m, char c) {
    if (m->length < sizeof m->text - PH_MESSAGE_TAIL) {
        m->text[m->length] = c;
    }
    m->length++; /* counts past the room, so send knows it truncated */
}

void ph_message_add(ph_message_t *m, const char *text) {
    while (*text != '\0') {
        ph_put(m, *text++);
    }
}

void ph_message_add_escaped(ph_message_t *m, const char *text, size_t length) {
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0u; i < length; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" : c == '\\' ? "\\\\" : NULL;
        if (named != NULL) {
            ph_message_add(m, named);
        } else if (c < 0x20u || c == 0x7Fu) {
            ph_put(m, '\\');
            ph_put(m, 'x');
            ph_put(m, hex[c >> 4]);
            ph_put(m, hex[c & 15u]);
        } else {
            ph_put(m, (char)c);
        }
    }
}

static void ph_add_number(ph_message_t *m, unsigned long n) {
    char digits[24];
    size_t k = 0u;
    do {
        digits[k++] = (char)('0' + n % 10u);
        n /= 10u;
    } while (n != 0u);
    while (k > 0u) {
        ph_put(m, digits[--k]);
    }
}

void ph_message_add_errno(ph_message_t *m, int error) {
    static const struct {
        int error;
        const char *words;
    } known[] = {
        {ENOENT, "no such file or directory"},
        {EACCES, "permission denied"},
        {EISDIR, "is a directory"},
        {ENOTDIR, "a part of the path is not a directory"},
        {ELOOP, "too many levels of symbolic links"},
        {ENAMETOOLONG, "file name too long"},
        {EMFILE, "too many open files"},
        {ENFILE, "too many open files in the system"},
        {ENOMEM, "out of memory"},
        {EIO, "input/output error"},
        {ENXIO, "no such device or address"},
        {EPERM, "operation not permitted"},
        {EFBIG, "file too large"},
        {EOVERFLOW, "file too large"},
    };
    for (size_t i = 0u; i < sizeof known / sizeof known[0]; i++) {
        if (known[i].error == error) {
            ph_message_add(m, known[i].words);
            return;
        }
    }
    ph_message_add(m, "error ");
    ph_add_number(m, (unsigned long)(error < 0 ? -error : error));
}

void ph_message_send(ph_message_t *m) {
    size_t room = sizeof m->text - PH_MESSAGE_TAIL;
    if (m->length > room) {
        memcpy(m->text + room, "...", 3u);
        m->length = room + 3u;
    }
    m->text[m->length++] = '\n';
    size_t done = 0u;
    while (done < m->length) {
        ssize_t n = write(STDERR_FILENO, m->text + done, m->length - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break; /* stderr is gone: nothing else to tell */
        }
        done += (size_t)n;
    }
    m->length = 0u;
}
