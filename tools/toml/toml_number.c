/* The TOML reader's bare values: integers in every form, floats, booleans,
 * and the recognition (to reject them) of dates and times. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "toml_cursor.h"

static int is_token_char(int c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '+' ||
           c == '-' || c == '.' || c == ':';
}

/* Copies the digits of s[0..n) in `base` into `out` without the '_'
 * separators, which must each sit between two digits. Returns 0 or -1. */
static int strip_digits(const char *s, size_t n, int base, char *out) {
    if (n == 0u) {
        return -1;
    }
    size_t k = 0u;
    for (size_t i = 0u; i < n; i++) {
        if (s[i] == '_') {
            if (i == 0u || i + 1u == n || s[i - 1u] == '_') {
                return -1;
            }
            continue;
        }
        int d = cursor_hex_digit((unsigned char)s[i]);
        if (d < 0 || d >= base) {
            return -1;
        }
        out[k++] = s[i];
    }
    out[k] = '\0';
    return 0;
}

/* Value of the digit string `digits` (no separators) in `base`, up to
 * `limit`; returns 0 or -1 if it exceeds it. */
static int digits_value(const char *digits, int base, uint64_t limit, uint64_t *out) {
    uint64_t v = 0u;
    for (const char *d = digits; *d; d++) {
        uint64_t digit = (uint64_t)cursor_hex_digit((unsigned char)*d);
        if (v > (limit - digit) / (uint64_t)base) {
            return -1;
        }
        v = v * (uint64_t)base + digit;
    }
    *out = v;
    return 0;
}

static int looks_like_date_or_time(const char *s, size_t n) {
    if (memchr(s, ':', n) != NULL) {
        return 1;
    }
    return n >= 5u && s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9' && s[2] >= '0' && s[2] <= '9' &&
           s[3] >= '0' && s[3] <= '9' && s[4] == '-';
}

/* A decimal float: int part, then '.' digits and/or an exponent. */
static int parse_float_text(const char *s, size_t n, double *out) {
    char text[128];
    size_t k = 0u, i = 0u;
    if (n >= sizeof text) {
        return -1;
    }
    if (s[0] == '+' || s[0] == '-') {
        text[k++] = s[i++];
    }
    size_t int_end = i;
    while (int_end < n && s[int_end] != '.' && s[int_end] != 'e' && s[int_end] != 'E') {
        int_end++;
    }
    if (strip_digits(s + i, int_end - i, 10, text + k) != 0 || (text[k] == '0' && text[k + 1u] != '\0')) {
        return -1;
    }
    k = strlen(text);
    i = int_end;
    if (i < n && s[i] == '.') {
        size_t frac_end = ++i;
        while (frac_end < n && s[frac_end] != 'e' && s[frac_end] != 'E') {
            frac_end++;
        }
        text[k++] = '.';
        if (strip_digits(s + i, frac_end - i, 10, text + k) != 0) {
            return -1;
        }
        k = strlen(text);
        i = frac_end;
    }
    if (i < n) {
        text[k++] = 'e';
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-')) {
            text[k++] = s[i++];
        }
        if (strip_digits(s + i, n - i, 10, text + k) != 0) {
            return -1;
        }
    } else if (int_end == n) {
        return -1; /* neither fraction nor exponent: not a float */
    }
    *out = strtod(text, NULL);
    return 0;
}

/* An integer in any TOML form; returns 0, -1 if malformed, -2 if out of range. */
static int parse_integer_text(const char *s, size_t n, int64_t *out) {
    char digits[128];
    uint64_t magnitude;
    if (n >= sizeof digits) {
        return -1;
    }
    if (n > 2u && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) {
        int base = s[1] == 'x' ? 16 : s[1] == 'o' ? 8 : 2;
        if (strip_digits(s + 2, n - 2u, base, digits) != 0) {
            return -1;
        }
        if (digits_value(digits, base, INT64_MAX, &magnitude) != 0) {
            return -2;
        }
        *out = (int64_t)magnitude;
        return 0;
    }
    size_t i = (s[0] == '+' || s[0] == '-') ? 1u : 0u;
    if (strip_digits(s + i, n - i, 10, digits) != 0 || (digits[0] == '0' && digits[1] != '\0')) {
        return -1;
    }
    int negative = s[0] == '-';
    if (digits_value(digits, 10, negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX, &magnitude) != 0) {
        return -2;
    }
    *out = negative ? (int64_t)(0u - magnitude) : (int64_t)magnitude;
    return 0;
}

int toml_read_scalar(toml_cursor_t *p, toml_value_t *v) {
    toml_position_t start = p->position;
    const char *s = p->at;
    while (is_token_char(cursor_peek(p))) {
        cursor_advance(p);
    }
    size_t n = (size_t)(p->at - s);
    if (n == 0u) {
        int c = cursor_peek(p);
        return cursor_fail(p, c < 0 || c == '\n' || c == '\r' ? "expected a value" : "'%c' cannot start a value",
                           cursor_printable(c));
    }
    v->type = TOML_BOOLEAN;
    size_t sign = (s[0] == '+' || s[0] == '-') ? 1u : 0u;
    if ((n == 4u && memcmp(s, "true", 4u) == 0) || (n == 5u && memcmp(s, "false", 5u) == 0)) {
        v->as.boolean = s[0] == 't';
        return 0;
    }
    if (n == sign + 3u && (memcmp(s + sign, "inf", 3u) == 0 || memcmp(s + sign, "nan", 3u) == 0)) {
        v->type = TOML_FLOAT;
        v->as.real = s[sign] == 'i' ? (s[0] == '-' ? -HUGE_VAL : HUGE_VAL) : (s[0] == '-' ? -NAN : NAN);
        return 0;
    }
    if (looks_like_date_or_time(s, n)) {
        return cursor_fail_at(p, start, "dates and times are not supported");
    }
    v->type = TOML_INTEGER;
    int r = parse_integer_text(s, n, &v->as.integer);
    if (r == -2) {
        return cursor_fail_at(p, start, "integer '%.*s' does not fit in 64 bits", (int)(n < 40u ? n : 40u), s);
    }
    if (r == 0) {
        return 0;
    }
    v->type = TOML_FLOAT;
    if (!(n > 1u && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) &&
        parse_float_text(s, n, &v->as.real) == 0) {
        return 0;
    }
    return cursor_fail_at(p, start, "'%.*s' is not a valid value", (int)(n < 40u ? n : 40u), s);
}
