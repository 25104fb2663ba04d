/* The TOML reader's strings: basic and literal, one-line and multi-line,
 * with escapes decoded to UTF-8. */
#include <string.h>

#include "toml_cursor.h"

static int buffer_add_code_point(toml_cursor_t *p, toml_buffer_t *b, uint32_t cp) {
    char out[4];
    size_t n;
    if (cp < 0x80u) {
        out[0] = (char)cp;
        n = 1u;
    } else if (cp < 0x800u) {
        out[0] = (char)(0xC0u | (cp >> 6));
        out[1] = (char)(0x80u | (cp & 0x3Fu));
        n = 2u;
    } else if (cp < 0x10000u) {
        out[0] = (char)(0xE0u | (cp >> 12));
        out[1] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[2] = (char)(0x80u | (cp & 0x3Fu));
        n = 3u;
    } else {
        out[0] = (char)(0xF0u | (cp >> 18));
        out[1] = (char)(0x80u | ((cp >> 12) & 0x3Fu));
        out[2] = (char)(0x80u | ((cp >> 6) & 0x3Fu));
        out[3] = (char)(0x80u | (cp & 0x3Fu));
        n = 4u;
    }
    return cursor_buffer_add(p, b, out, n);
}

/* After the backslash of a basic string's escape. */
static int parse_escape(toml_cursor_t *p, toml_buffer_t *b, int multiline) {
    toml_position_t start = p->position;
    int c = cursor_peek(p);
    static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
    const char *simple = c > 0 ? strchr(from, c) : NULL;
    if (simple != NULL) {
        cursor_advance(p);
        return cursor_buffer_add(p, b, &to[simple - from], 1u);
    }
    if (c == 'u' || c == 'U') {
        size_t digits = c == 'u' ? 4u : 8u;
        uint32_t cp = 0u;
        cursor_advance(p);
        for (size_t i = 0u; i < digits; i++) {
            int d = cursor_hex_digit(cursor_peek(p));
            if (d < 0) {
                return cursor_fail(p, "\\%c needs %zu hexadecimal digits", c, digits);
            }
            cp = cp << 4 | (uint32_t)d;
            cursor_advance(p);
        }
        if (cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) {
            return cursor_fail_at(p, start, "\\%c%0*X is not a Unicode scalar value", c, (int)digits, (unsigned)cp);
        }
        return buffer_add_code_point(p, b, cp);
    }
    if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        /* line-ending backslash: only blanks may follow it on its line */
        cursor_skip_blanks(p);
        if (!cursor_take_newline(p)) {
            return cursor_fail(p, "only whitespace may follow a line-ending backslash");
        }
        while (cursor_peek(p) == ' ' || cursor_peek(p) == '\t' || cursor_take_newline(p)) {
            if (cursor_peek(p) == ' ' || cursor_peek(p) == '\t') {
                cursor_advance(p);
            }
        }
        return 0;
    }
    return cursor_fail_at(p, start, "unknown escape sequence '\\%c'", cursor_printable(c));
}

int toml_read_string(toml_cursor_t *p, toml_buffer_t *b, int allow_multiline) {
    toml_position_t start = p->position;
    char quote = *p->at;
    int basic = quote == '"';
    int multiline = allow_multiline && cursor_starts_with(p, basic ? "\"\"\"" : "'''");
    if (cursor_buffer_add(p, b, "", 0u) != 0) {
        return -1; /* an empty string is still allocated */
    }
    cursor_advance_by(p, multiline ? 3u : 1u);
    if (multiline) {
        cursor_take_newline(p); /* a newline right after the opening quotes is trimmed */
    }
    for (;;) {
        int c = cursor_peek(p);
        if (c < 0) {
            return cursor_fail_at(p, start, "unterminated string");
        }
        if (c == quote) {
            if (!multiline) {
                cursor_advance(p);
                return 0;
            }
            if (cursor_peek_at(p, 1u) == quote && cursor_peek_at(p, 2u) == quote) {
                /* up to two quotes may sit right before the closing three */
                size_t run = 3u;
                while (run < 5u && cursor_peek_at(p, run) == quote) {
                    run++;
                }
                if (cursor_buffer_add(p, b, p->at, run - 3u) != 0) {
                    return -1;
                }
                cursor_advance_by(p, run);
                return 0;
            }
        }
        if (basic && c == '\\') {
            cursor_advance(p);
            if (parse_escape(p, b, multiline) != 0) {
                return -1;
            }
            continue;
        }
        if (multiline && (c == '\n' || c == '\r')) {
            if (!cursor_take_newline(p)) {
                return cursor_fail(p, "bare carriage return in a string");
            }
            if (cursor_buffer_add(p, b, "\n", 1u) != 0) {
                return -1;
            }
            continue;
        }
        if (c == '\n' || (c == '\r' && cursor_peek_at(p, 1u) == '\n')) {
            return cursor_fail_at(p, start, "unterminated string (newline before the closing quote)");
        }
        if (cursor_is_control(c)) {
            return cursor_fail(p, "control character in a string (use an escape)");
        }
        if (cursor_buffer_add(p, b, p->at, 1u) != 0) {
            return -1;
        }
        cursor_advance(p);
    }
}
