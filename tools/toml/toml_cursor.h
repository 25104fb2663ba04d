/* Internal to the TOML reader (toml*.c): the cursor over the input and the
 * readers of strings and bare values. Every function that fails records the
 * first error in the cursor and returns -1; later errors are ignored. */
#ifndef POOLHEAP_TOOLS_TOML_CURSOR_H
#define POOLHEAP_TOOLS_TOML_CURSOR_H

#include <stddef.h>
#include <stdint.h>

#include "toml.h"

typedef struct toml_cursor {
    const char *at, *end;
    toml_position_t position; /* of *at */
    toml_error_t *error;
    int failed;
    unsigned depth; /* toml_value_t.depth of the value parse_value reads next */
} toml_cursor_t;

/* A growing NUL-terminated byte string. */
typedef struct toml_buffer {
    char *data;
    size_t length, capacity;
} toml_buffer_t;

/* Records `format` at `position` as the error (if none is yet); returns -1. */
int cursor_fail_at(toml_cursor_t *p, toml_position_t position, const char *format, ...);
#define cursor_fail(p, ...) cursor_fail_at((p), (p)->position, __VA_ARGS__)

/* The byte at the cursor (or `ahead` bytes further) as 0..255, or -1 past the end. */
int cursor_peek(const toml_cursor_t *p);
int cursor_peek_at(const toml_cursor_t *p, size_t ahead);

/* Whether the input at the cursor starts with `text`. */
int cursor_starts_with(const toml_cursor_t *p, const char *text);

/* Moves past one byte (or n), keeping the line and column. Not past the end. */
void cursor_advance(toml_cursor_t *p);
void cursor_advance_by(toml_cursor_t *p, size_t n);

/* Checks that the whole input is UTF-8; fails at the first invalid byte. */
int cursor_check_utf8(toml_cursor_t *p);

/* `c` if printable ASCII, else '?': a character as messages show it. */
int cursor_printable(int c);

/* Whether `c` is a control character TOML forbids in strings and comments. */
int cursor_is_control(int c);

/* The value of hexadecimal digit `c`, or -1. */
int cursor_hex_digit(int c);

/* Appends n bytes to `b`, keeping it NUL-terminated; fails if out of memory. */
int cursor_buffer_add(toml_cursor_t *p, toml_buffer_t *b, const char *bytes, size_t n);

/* Skips spaces and tabs. */
void cursor_skip_blanks(toml_cursor_t *p);

/* Skips a comment if the cursor is on '#'; fails on a control character. */
int cursor_skip_comment(toml_cursor_t *p);

/* Consumes a newline (LF or CRLF) if there is one; returns 1 if it did. */
int cursor_take_newline(toml_cursor_t *p);

/* After a key/value pair or a header: blanks, a comment, then a line end. */
int cursor_expect_line_end(toml_cursor_t *p);

/* Inside arrays: blanks, comments and newlines in any number. */
int cursor_skip_blank_lines(toml_cursor_t *p);

/* Reads the string of any of the four kinds at the cursor (on its opening
 * quote) into `b`, escapes decoded; keys pass allow_multiline = 0. */
int toml_read_string(toml_cursor_t *p, toml_buffer_t *b, int allow_multiline);

/* Reads the bare value at the cursor (integer, float, boolean) into `v`'s
 * type and value; fails on anything else, naming dates and times as not
 * supported. */
int toml_read_scalar(toml_cursor_t *p, toml_value_t *v);

#endif /* POOLHEAP_TOOLS_TOML_CURSOR_H */
