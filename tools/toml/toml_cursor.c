/* The TOML reader's cursor: position tracking, errors, character classes,
 * blanks, comments and line ends, and growing buffers. */
#include "toml_cursor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cursor_fail_at(toml_cursor_t *p, toml_position_t position, const char *format, ...) {
    if (!p->failed) {
        p->failed = 1;
        p->error->position = position;
        va_list args;
        va_start(args, format);
        vsnprintf(p->error->message, sizeof p->error->message, format, args);
        va_end(args);
    }
    return -1;
}

int cursor_peek(const toml_cursor_t *p) {
    return p->at < p->end ? (unsigned char)*p->at : -1;
}

int cursor_peek_at(const toml_cursor_t *p, size_t ahead) {
    return (size_t)(p->end - p->at) > ahead ? (unsigned char)p->at[ahead] : -1;
}

int cursor_starts_with(const toml_cursor_t *p, const char *text) {
    size_t n = strlen(text);
    return (size_t)(p->end - p->at) >= n && memcmp(p->at, text, n) == 0;
}

void cursor_advance(toml_cursor_t *p) {
    unsigned char c = (unsigned char)*p->at++;
    if (c == '\n') {
        p->position.line++;
        p->position.column = 1u;
    } else if ((c & 0xC0u) != 0x80u) {
        p->position.column++;
    }
}

void cursor_advance_by(toml_cursor_t *p, size_t n) {
    while (n-- > 0u) {
        cursor_advance(p);
    }
}

/* Length of the valid UTF-8 sequence at s (1 to 4), or 0 if invalid. */
static size_t utf8_length(const unsigned char *s, size_t available) {
    unsigned char c = s[0];
    size_t n = c < 0x80u                  ? 1u
               : c >= 0xC2u && c <= 0xDFu ? 2u
               : c >= 0xE0u && c <= 0xEFu ? 3u
               : c >= 0xF0u && c <= 0xF4u ? 4u
                                          : 0u;
    if (n == 0u || n > available) {
        return 0u;
    }
    for (size_t i = 1u; i < n; i++) {
        if ((s[i] & 0xC0u) != 0x80u) {
            return 0u;
        }
    }
    if ((c == 0xE0u && s[1] < 0xA0u) || (c == 0xEDu && s[1] > 0x9Fu) || (c == 0xF0u && s[1] < 0x90u) ||
        (c == 0xF4u && s[1] > 0x8Fu)) {
        return 0u; /* overlong, surrogate, or above U+10FFFF */
    }
    return n;
}

int cursor_check_utf8(toml_cursor_t *p) {
    toml_cursor_t scan = *p;
    while (scan.at < scan.end) {
        size_t n = utf8_length((const unsigned char *)scan.at, (size_t)(scan.end - scan.at));
        if (n == 0u) {
            return cursor_fail_at(p, scan.position, "invalid UTF-8");
        }
        cursor_advance_by(&scan, n);
    }
    return 0;
}

int cursor_printable(int c) {
    return c > 0x20 && c < 0x7F ? c : '?';
}

int cursor_is_control(int c) {
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
}

int cursor_buffer_add(toml_cursor_t *p, toml_buffer_t *b, const char *bytes, size_t n) {
    if (b->length + n + 1u > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 16u;
        while (capacity < b->length + n + 1u) {
            capacity *= 2u;
        }
        char *data = realloc(b->data, capacity);
        if (data == NULL) {
            return cursor_fail(p, "out of memory");
        }
        b->data = data;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
    b->data[b->length] = '\0';
    return 0;
}

void cursor_skip_blanks(toml_cursor_t *p) {
    while (cursor_peek(p) == ' ' || cursor_peek(p) == '\t') {
        cursor_advance(p);
    }
}

int cursor_skip_comment(toml_cursor_t *p) {
    if (cursor_peek(p) != '#') {
        return 0;
    }
    while (p->at < p->end && cursor_peek(p) != '\n') {
        if (cursor_peek(p) == '\r' && cursor_peek_at(p, 1u) == '\n') {
            break;
        }
        if (cursor_is_control(cursor_peek(p))) {
            return cursor_fail(p, "control character in a comment");
        }
        cursor_advance(p);
    }
    return 0;
}

int cursor_take_newline(toml_cursor_t *p) {
    if (cursor_peek(p) == '\n') {
        cursor_advance(p);
        return 1;
    }
    if (cursor_peek(p) == '\r' && cursor_peek_at(p, 1u) == '\n') {
        cursor_advance_by(p, 2u);
        return 1;
    }
    return 0;
}

int cursor_expect_line_end(toml_cursor_t *p) {
    cursor_skip_blanks(p);
    if (cursor_skip_comment(p) != 0) {
        return -1;
    }
    if (p->at < p->end && !cursor_take_newline(p)) {
        return cursor_fail(p, "expected the end of the line, found '%c'", cursor_printable(cursor_peek(p)));
    }
    return 0;
}

int cursor_skip_blank_lines(toml_cursor_t *p) {
    for (;;) {
        cursor_skip_blanks(p);
        if (cursor_skip_comment(p) != 0) {
            return -1;
        }
        if (!cursor_take_newline(p)) {
            return 0;
        }
    }
}

int cursor_hex_digit(int c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}
