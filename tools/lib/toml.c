/* TOML reader: a recursive-descent parser over the whole input, building
 * the tree as it goes. The first error stops it; the tree built so far is
 * released. Table bookkeeping (the flags below) enforces TOML's rules on
 * defining tables once. */
#include "toml.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64u

/* toml_value_t.flags */
#define TABLE_IMPLICIT 1u /* created on the way to a [header]; may still be defined once */
#define TABLE_DOTTED 2u   /* created by a dotted key */
#define TABLE_INLINE 4u   /* { ... }: closed to additions */
#define ARRAY_TABLES 8u   /* created by [[header]]: open to more elements */

typedef struct parser {
    const char *at, *end;
    toml_position_t position; /* of *at */
    toml_error_t *error;
    int failed;
    unsigned depth;
} parser_t;

typedef struct buffer {
    char *data;
    size_t length, capacity;
} buffer_t;

/* One part of a dotted key, owned until it is moved into a table. */
typedef struct key_part {
    char *text;
    size_t length;
    toml_position_t position;
} key_part_t;

typedef struct key_path {
    key_part_t *parts;
    size_t count, capacity;
} key_path_t;

/* ---- Errors and input ---------------------------------------------------- */

static int fail_at(parser_t *p, toml_position_t position, const char *format, ...) {
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

#define fail(p, ...) fail_at((p), (p)->position, __VA_ARGS__)

static int peek(const parser_t *p) {
    return p->at < p->end ? (unsigned char)*p->at : -1;
}

static int peek_at(const parser_t *p, size_t ahead) {
    return (size_t)(p->end - p->at) > ahead ? (unsigned char)p->at[ahead] : -1;
}

static int starts_with(const parser_t *p, const char *text) {
    size_t n = strlen(text);
    return (size_t)(p->end - p->at) >= n && memcmp(p->at, text, n) == 0;
}

static void advance(parser_t *p) {
    unsigned char c = (unsigned char)*p->at++;
    if (c == '\n') {
        p->position.line++;
        p->position.column = 1u;
    } else if ((c & 0xC0u) != 0x80u) {
        p->position.column++;
    }
}

static void advance_by(parser_t *p, size_t n) {
    while (n-- > 0u) {
        advance(p);
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

/* TOML documents are UTF-8; reports the first invalid byte. */
static int check_utf8(parser_t *p) {
    parser_t scan = *p;
    while (scan.at < scan.end) {
        size_t n = utf8_length((const unsigned char *)scan.at, (size_t)(scan.end - scan.at));
        if (n == 0u) {
            return fail_at(p, scan.position, "invalid UTF-8");
        }
        advance_by(&scan, n);
    }
    return 0;
}

/* A character as a message may show it: printable ASCII, else '?'. */
static int printable(int c) {
    return c > 0x20 && c < 0x7F ? c : '?';
}

/* Control characters other than tab may not appear in comments or strings. */
static int is_control(int c) {
    return (c >= 0 && c < 0x20 && c != '\t') || c == 0x7F;
}

/* ---- Buffers and key paths ------------------------------------------------- */

static int buffer_add(parser_t *p, buffer_t *b, const char *bytes, size_t n) {
    if (b->length + n + 1u > b->capacity) {
        size_t capacity = b->capacity ? b->capacity : 16u;
        while (capacity < b->length + n + 1u) {
            capacity *= 2u;
        }
        char *data = realloc(b->data, capacity);
        if (data == NULL) {
            return fail(p, "out of memory");
        }
        b->data = data;
        b->capacity = capacity;
    }
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
    b->data[b->length] = '\0';
    return 0;
}

static int buffer_add_code_point(parser_t *p, buffer_t *b, uint32_t cp) {
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
    return buffer_add(p, b, out, n);
}

static void key_path_free(key_path_t *path) {
    for (size_t i = 0u; i < path->count; i++) {
        free(path->parts[i].text);
    }
    free(path->parts);
    *path = (key_path_t){0};
}

/* ---- Tree ---------------------------------------------------------------- */

static toml_value_t *value_new(parser_t *p, toml_type_t type, toml_position_t position) {
    toml_value_t *v = calloc(1u, sizeof *v);
    if (v == NULL) {
        fail(p, "out of memory");
        return NULL;
    }
    v->type = type;
    v->position = position;
    return v;
}

void toml_free(toml_value_t *v) {
    if (v == NULL) {
        return;
    }
    if (v->type == TOML_STRING) {
        free(v->as.string.data);
    } else if (v->type == TOML_ARRAY) {
        for (size_t i = 0u; i < v->as.array.count; i++) {
            toml_free(v->as.array.items[i]);
        }
        free(v->as.array.items);
    } else if (v->type == TOML_TABLE) {
        for (size_t i = 0u; i < v->as.table.count; i++) {
            free(v->as.table.entries[i].key);
            toml_free(v->as.table.entries[i].value);
        }
        free(v->as.table.entries);
    }
    free(v);
}

/* Appends `item` to `array`; on failure frees it. Capacity doubles at
 * powers of two, so no separate capacity field is needed. */
static int array_push(parser_t *p, toml_value_t *array, toml_value_t *item) {
    size_t n = array->as.array.count;
    if ((n & (n - 1u)) == 0u) {
        toml_value_t **items = realloc(array->as.array.items, (n ? 2u * n : 1u) * sizeof *items);
        if (items == NULL) {
            toml_free(item);
            return fail(p, "out of memory");
        }
        array->as.array.items = items;
    }
    array->as.array.items[array->as.array.count++] = item;
    return 0;
}

static toml_entry_t *table_find(const toml_value_t *table, const char *key, size_t length) {
    for (size_t i = 0u; i < table->as.table.count; i++) {
        toml_entry_t *e = &table->as.table.entries[i];
        if (e->key_length == length && memcmp(e->key, key, length) == 0) {
            return e;
        }
    }
    return NULL;
}

/* Adds `part` (taking its text) with `value` to `table`; on failure frees
 * `value`. The caller has checked that the key is new. */
static int table_add(parser_t *p, toml_value_t *table, key_part_t *part, toml_value_t *value) {
    size_t n = table->as.table.count;
    if ((n & (n - 1u)) == 0u) {
        toml_entry_t *entries = realloc(table->as.table.entries, (n ? 2u * n : 1u) * sizeof *entries);
        if (entries == NULL) {
            toml_free(value);
            return fail(p, "out of memory");
        }
        table->as.table.entries = entries;
    }
    table->as.table.entries[table->as.table.count++] = (toml_entry_t){part->text, part->length, part->position, value};
    part->text = NULL;
    return 0;
}

/* Creates an empty table under `part` in `parent`; returns it or NULL. */
static toml_value_t *table_add_table(parser_t *p, toml_value_t *parent, key_part_t *part, unsigned flags) {
    toml_value_t *t = value_new(p, TOML_TABLE, part->position);
    if (t == NULL || table_add(p, parent, part, t) != 0) {
        return NULL;
    }
    t->flags = flags;
    return t;
}

const toml_value_t *toml_get(const toml_value_t *table, const char *key) {
    if (table == NULL || table->type != TOML_TABLE) {
        return NULL;
    }
    const toml_entry_t *e = table_find(table, key, strlen(key));
    return e != NULL ? e->value : NULL;
}

const char *toml_type_name(toml_type_t type) {
    switch (type) {
    case TOML_STRING:
        return "string";
    case TOML_INTEGER:
        return "integer";
    case TOML_FLOAT:
        return "float";
    case TOML_BOOLEAN:
        return "boolean";
    case TOML_ARRAY:
        return "array";
    case TOML_TABLE:
        return "table";
    }
    return "value";
}

/* ---- Whitespace, comments, line ends ------------------------------------------ */

static void skip_blanks(parser_t *p) {
    while (peek(p) == ' ' || peek(p) == '\t') {
        advance(p);
    }
}

static int skip_comment(parser_t *p) {
    if (peek(p) != '#') {
        return 0;
    }
    while (p->at < p->end && peek(p) != '\n') {
        if (peek(p) == '\r' && peek_at(p, 1u) == '\n') {
            break;
        }
        if (is_control(peek(p))) {
            return fail(p, "control character in a comment");
        }
        advance(p);
    }
    return 0;
}

/* Consumes a newline (LF or CRLF) if there is one; returns 1 if it did. */
static int take_newline(parser_t *p) {
    if (peek(p) == '\n') {
        advance(p);
        return 1;
    }
    if (peek(p) == '\r' && peek_at(p, 1u) == '\n') {
        advance_by(p, 2u);
        return 1;
    }
    return 0;
}

/* After a key/value pair or a header: blanks, a comment, then a line end. */
static int expect_line_end(parser_t *p) {
    skip_blanks(p);
    if (skip_comment(p) != 0) {
        return -1;
    }
    if (p->at < p->end && !take_newline(p)) {
        return fail(p, "expected the end of the line, found '%c'", printable(peek(p)));
    }
    return 0;
}

/* Inside arrays: blanks, comments and newlines in any number. */
static int skip_blank_lines(parser_t *p) {
    for (;;) {
        skip_blanks(p);
        if (skip_comment(p) != 0) {
            return -1;
        }
        if (!take_newline(p)) {
            return 0;
        }
    }
}

/* ---- Strings --------------------------------------------------------------- */

static int hex_digit(int c) {
    return c >= '0' && c <= '9'   ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                  : -1;
}

/* After the backslash of a basic string's escape. */
static int parse_escape(parser_t *p, buffer_t *b, int multiline) {
    toml_position_t start = p->position;
    int c = peek(p);
    static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
    const char *simple = c > 0 ? strchr(from, c) : NULL;
    if (simple != NULL) {
        advance(p);
        return buffer_add(p, b, &to[simple - from], 1u);
    }
    if (c == 'u' || c == 'U') {
        size_t digits = c == 'u' ? 4u : 8u;
        uint32_t cp = 0u;
        advance(p);
        for (size_t i = 0u; i < digits; i++) {
            int d = hex_digit(peek(p));
            if (d < 0) {
                return fail(p, "\\%c needs %zu hexadecimal digits", c, digits);
            }
            cp = cp << 4 | (uint32_t)d;
            advance(p);
        }
        if (cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) {
            return fail_at(p, start, "\\%c%0*X is not a Unicode scalar value", c, (int)digits, (unsigned)cp);
        }
        return buffer_add_code_point(p, b, cp);
    }
    if (multiline && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
        /* line-ending backslash: only blanks may follow it on its line */
        skip_blanks(p);
        if (!take_newline(p)) {
            return fail(p, "only whitespace may follow a line-ending backslash");
        }
        while (peek(p) == ' ' || peek(p) == '\t' || take_newline(p)) {
            if (peek(p) == ' ' || peek(p) == '\t') {
                advance(p);
            }
        }
        return 0;
    }
    return fail_at(p, start, "unknown escape sequence '\\%c'", printable(c));
}

/* Parses a string of any of the four kinds at the cursor into `b`. Keys
 * pass allow_multiline = 0. */
static int parse_string(parser_t *p, buffer_t *b, int allow_multiline) {
    toml_position_t start = p->position;
    char quote = *p->at;
    int basic = quote == '"';
    int multiline = allow_multiline && starts_with(p, basic ? "\"\"\"" : "'''");
    if (buffer_add(p, b, "", 0u) != 0) {
        return -1; /* an empty string is still allocated */
    }
    advance_by(p, multiline ? 3u : 1u);
    if (multiline) {
        take_newline(p); /* a newline right after the opening quotes is trimmed */
    }
    for (;;) {
        int c = peek(p);
        if (c < 0) {
            return fail_at(p, start, "unterminated string");
        }
        if (c == quote) {
            if (!multiline) {
                advance(p);
                return 0;
            }
            if (peek_at(p, 1u) == quote && peek_at(p, 2u) == quote) {
                /* up to two quotes may sit right before the closing three */
                size_t run = 3u;
                while (run < 5u && peek_at(p, run) == quote) {
                    run++;
                }
                if (buffer_add(p, b, p->at, run - 3u) != 0) {
                    return -1;
                }
                advance_by(p, run);
                return 0;
            }
        }
        if (basic && c == '\\') {
            advance(p);
            if (parse_escape(p, b, multiline) != 0) {
                return -1;
            }
            continue;
        }
        if (multiline && (c == '\n' || c == '\r')) {
            if (!take_newline(p)) {
                return fail(p, "bare carriage return in a string");
            }
            if (buffer_add(p, b, "\n", 1u) != 0) {
                return -1;
            }
            continue;
        }
        if (c == '\n' || (c == '\r' && peek_at(p, 1u) == '\n')) {
            return fail_at(p, start, "unterminated string (newline before the closing quote)");
        }
        if (is_control(c)) {
            return fail(p, "control character in a string (use an escape)");
        }
        if (buffer_add(p, b, p->at, 1u) != 0) {
            return -1;
        }
        advance(p);
    }
}

/* ---- Keys ------------------------------------------------------------------ */

static int is_bare_key_char(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int parse_simple_key(parser_t *p, key_part_t *part) {
    buffer_t b = {0};
    part->position = p->position;
    int c = peek(p);
    if (c == '"' || c == '\'') {
        if (parse_string(p, &b, 0) != 0) {
            free(b.data);
            return -1;
        }
    } else {
        const char *start = p->at;
        while (is_bare_key_char(peek(p))) {
            advance(p);
        }
        if (p->at == start) {
            if (c == '[' || c == '=' || c < 0 || c == '\n' || c == '\r' || c == '#') {
                return fail(p, "expected a key");
            }
            return fail(p, "'%c' cannot start a key (quote keys that are not letters, digits, '_' or '-')",
                        printable(c));
        }
        if (buffer_add(p, &b, start, (size_t)(p->at - start)) != 0) {
            free(b.data);
            return -1;
        }
    }
    part->text = b.data;
    part->length = b.length;
    return 0;
}

/* key ( '.' key )*, with blanks allowed around the dots. */
static int parse_key(parser_t *p, key_path_t *path) {
    for (;;) {
        if (path->count == path->capacity) {
            size_t capacity = path->capacity ? 2u * path->capacity : 4u;
            key_part_t *parts = realloc(path->parts, capacity * sizeof *parts);
            if (parts == NULL) {
                return fail(p, "out of memory");
            }
            path->parts = parts;
            path->capacity = capacity;
        }
        key_part_t *part = &path->parts[path->count];
        *part = (key_part_t){0};
        if (parse_simple_key(p, part) != 0) {
            return -1;
        }
        path->count++;
        skip_blanks(p);
        if (peek(p) != '.') {
            return 0;
        }
        advance(p);
        skip_blanks(p);
    }
}

/* ---- Numbers, booleans, dates ------------------------------------------------ */

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
        int d = hex_digit((unsigned char)s[i]);
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
        uint64_t digit = (uint64_t)hex_digit((unsigned char)*d);
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

static int parse_scalar(parser_t *p, toml_value_t **out) {
    toml_position_t start = p->position;
    const char *s = p->at;
    while (is_token_char(peek(p))) {
        advance(p);
    }
    size_t n = (size_t)(p->at - s);
    if (n == 0u) {
        int c = peek(p);
        return fail(p, c < 0 || c == '\n' || c == '\r' ? "expected a value" : "'%c' cannot start a value",
                    printable(c));
    }
    toml_value_t *v = value_new(p, TOML_BOOLEAN, start);
    if (v == NULL) {
        return -1;
    }
    *out = v;
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
        return fail_at(p, start, "dates and times are not supported");
    }
    v->type = TOML_INTEGER;
    int r = parse_integer_text(s, n, &v->as.integer);
    if (r == -2) {
        return fail_at(p, start, "integer '%.*s' does not fit in 64 bits", (int)(n < 40u ? n : 40u), s);
    }
    if (r == 0) {
        return 0;
    }
    v->type = TOML_FLOAT;
    if (!(n > 1u && s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b')) &&
        parse_float_text(s, n, &v->as.real) == 0) {
        return 0;
    }
    return fail_at(p, start, "'%.*s' is not a valid value", (int)(n < 40u ? n : 40u), s);
}

/* ---- Values ------------------------------------------------------------------- */

static int parse_value(parser_t *p, toml_value_t **out);
static int insert_dotted(parser_t *p, toml_value_t *table, key_path_t *path, toml_value_t *value);

static int parse_array(parser_t *p, toml_value_t *array) {
    advance(p); /* [ */
    for (;;) {
        if (skip_blank_lines(p) != 0) {
            return -1;
        }
        if (peek(p) == ']') {
            advance(p);
            return 0;
        }
        toml_value_t *item = NULL;
        if (parse_value(p, &item) != 0) {
            toml_free(item);
            return -1;
        }
        if (array_push(p, array, item) != 0 || skip_blank_lines(p) != 0) {
            return -1;
        }
        if (peek(p) == ',') {
            advance(p);
        } else if (peek(p) != ']') {
            return fail(p, "expected ',' or ']' in an array");
        }
    }
}

static int parse_inline_table(parser_t *p, toml_value_t *table) {
    advance(p); /* { */
    skip_blanks(p);
    if (peek(p) == '}') {
        advance(p);
        return 0;
    }
    for (;;) {
        key_path_t path = {0};
        toml_value_t *value = NULL;
        skip_blanks(p);
        if (peek(p) == '}') {
            return fail(p, "no trailing comma is allowed in an inline table");
        }
        if (peek(p) == '\n' || peek(p) == '\r') {
            return fail(p, "an inline table must stay on one line");
        }
        int r = parse_key(p, &path);
        if (r == 0) {
            skip_blanks(p);
            r = peek(p) == '=' ? 0 : fail(p, "expected '=' after a key");
        }
        if (r == 0) {
            advance(p);
            skip_blanks(p);
            r = parse_value(p, &value);
        }
        r = r == 0 ? insert_dotted(p, table, &path, value) : (toml_free(value), -1);
        key_path_free(&path);
        if (r != 0) {
            return -1;
        }
        skip_blanks(p);
        if (peek(p) == '}') {
            advance(p);
            return 0;
        }
        if (peek(p) != ',') {
            return fail(p, "expected ',' or '}' in an inline table (which must stay on one line)");
        }
        advance(p);
    }
}

/* Parses the value at the cursor. On failure *out may hold a partial
 * value, which the caller frees. */
static int parse_value(parser_t *p, toml_value_t **out) {
    int c = peek(p);
    if (c == '"' || c == '\'') {
        toml_value_t *v = value_new(p, TOML_STRING, p->position);
        if (v == NULL) {
            return -1;
        }
        *out = v;
        buffer_t b = {0};
        int r = parse_string(p, &b, 1);
        v->as.string.data = b.data;
        v->as.string.length = b.length;
        return r;
    }
    if (c == '[' || c == '{') {
        if (p->depth >= MAX_DEPTH) {
            return fail(p, "arrays and inline tables nested deeper than %u", MAX_DEPTH);
        }
        toml_value_t *v = value_new(p, c == '[' ? TOML_ARRAY : TOML_TABLE, p->position);
        if (v == NULL) {
            return -1;
        }
        *out = v;
        p->depth++;
        int r = c == '[' ? parse_array(p, v) : parse_inline_table(p, v);
        p->depth--;
        v->flags = c == '{' ? TABLE_INLINE : 0u;
        return r;
    }
    return parse_scalar(p, out);
}

/* ---- Placing keys and tables ---------------------------------------------------- */

static int describe_conflict(parser_t *p, const key_part_t *part, const toml_entry_t *existing, const char *what) {
    return fail_at(p, part->position, "%s '%.*s' %s (first defined at %u:%u)", what, (int)part->length, part->text,
                   existing->value->type == TOML_TABLE ? "is already a table" : "is already defined",
                   existing->key_position.line, existing->key_position.column);
}

/* Sets path = value under `table`, creating the tables of a dotted key.
 * Takes ownership of `value` (freed on failure). */
static int insert_dotted(parser_t *p, toml_value_t *table, key_path_t *path, toml_value_t *value) {
    for (size_t i = 0u; i + 1u < path->count; i++) {
        key_part_t *part = &path->parts[i];
        toml_entry_t *e = table_find(table, part->text, part->length);
        if (e == NULL) {
            table = table_add_table(p, table, part, TABLE_DOTTED);
            if (table == NULL) {
                toml_free(value);
                return -1;
            }
        } else if (e->value->type == TOML_TABLE && (e->value->flags & TABLE_DOTTED)) {
            table = e->value;
        } else {
            toml_free(value);
            return describe_conflict(p, part, e, "key");
        }
    }
    key_part_t *last = &path->parts[path->count - 1u];
    toml_entry_t *e = table_find(table, last->text, last->length);
    if (e != NULL) {
        toml_free(value);
        return describe_conflict(p, last, e, "key");
    }
    return table_add(p, table, last, value);
}

/* Walks the parts of a [header] but the last, creating implicit tables;
 * returns the parent table of the last part, or NULL. */
static toml_value_t *walk_header(parser_t *p, toml_value_t *table, key_path_t *path) {
    for (size_t i = 0u; i + 1u < path->count; i++) {
        key_part_t *part = &path->parts[i];
        toml_entry_t *e = table_find(table, part->text, part->length);
        if (e == NULL) {
            table = table_add_table(p, table, part, TABLE_IMPLICIT);
        } else if (e->value->type == TOML_TABLE && !(e->value->flags & TABLE_INLINE)) {
            table = e->value;
        } else if (e->value->type == TOML_ARRAY && (e->value->flags & ARRAY_TABLES)) {
            table = e->value->as.array.items[e->value->as.array.count - 1u];
        } else {
            describe_conflict(p, part, e, "key");
            return NULL;
        }
        if (table == NULL) {
            return NULL;
        }
    }
    return table;
}

/* [header] or [[header]] at the cursor; returns the table it opens. */
static toml_value_t *parse_header(parser_t *p, toml_value_t *root) {
    toml_position_t start = p->position;
    int array = starts_with(p, "[[");
    key_path_t path = {0};
    toml_value_t *result = NULL;
    advance_by(p, array ? 2u : 1u);
    skip_blanks(p);
    if (parse_key(p, &path) != 0) {
        goto done;
    }
    if (!(array ? starts_with(p, "]]") : peek(p) == ']')) {
        fail(p, array ? "expected ']]' to close the table header" : "expected ']' to close the table header");
        goto done;
    }
    advance_by(p, array ? 2u : 1u);
    if (expect_line_end(p) != 0) {
        goto done;
    }
    toml_value_t *parent = walk_header(p, root, &path);
    if (parent == NULL) {
        goto done;
    }
    key_part_t *last = &path.parts[path.count - 1u];
    toml_entry_t *e = table_find(parent, last->text, last->length);
    if (array) {
        toml_value_t *list = e != NULL ? e->value : NULL;
        if (list == NULL) {
            list = value_new(p, TOML_ARRAY, start);
            if (list == NULL || table_add(p, parent, last, list) != 0) {
                goto done;
            }
            list->flags = ARRAY_TABLES;
        } else if (list->type != TOML_ARRAY || !(list->flags & ARRAY_TABLES)) {
            describe_conflict(p, last, e, "key");
            goto done;
        }
        toml_value_t *t = value_new(p, TOML_TABLE, start);
        if (t != NULL && array_push(p, list, t) == 0) {
            result = t;
        }
    } else if (e == NULL) {
        result = table_add_table(p, parent, last, 0u);
        if (result != NULL) {
            result->position = start;
        }
    } else if (e->value->type == TOML_TABLE && e->value->flags == TABLE_IMPLICIT) {
        result = e->value;
        result->flags = 0u;
        result->position = start;
    } else {
        fail_at(p, last->position, "table '%.*s' is defined twice (first at %u:%u)", (int)last->length, last->text,
                e->key_position.line, e->key_position.column);
    }
done:
    key_path_free(&path);
    return result;
}

static int parse_key_value_line(parser_t *p, toml_value_t *table) {
    key_path_t path = {0};
    toml_value_t *value = NULL;
    int r = parse_key(p, &path);
    if (r == 0) {
        r = peek(p) == '=' ? 0 : fail(p, "expected '=' after a key");
    }
    if (r == 0) {
        advance(p);
        skip_blanks(p);
        r = parse_value(p, &value);
    }
    r = r == 0 ? insert_dotted(p, table, &path, value) : (toml_free(value), -1);
    key_path_free(&path);
    return r == 0 ? expect_line_end(p) : -1;
}

toml_value_t *toml_parse(const char *text, size_t length, toml_error_t *error) {
    if (text == NULL) {
        text = ""; /* (NULL, 0): an empty document */
        length = 0u;
    }
    parser_t p = {text, text + length, {1u, 1u}, error, 0, 0u};
    *error = (toml_error_t){{0u, 0u}, ""};
    toml_value_t *root = value_new(&p, TOML_TABLE, p.position);
    if (root == NULL || check_utf8(&p) != 0) {
        toml_free(root);
        return NULL;
    }
    toml_value_t *current = root;
    while (!p.failed && p.at < p.end) {
        skip_blanks(&p);
        int c = peek(&p);
        if (c == '#') {
            skip_comment(&p);
        } else if (c == '[') {
            current = parse_header(&p, root);
        } else if (c >= 0 && c != '\n' && c != '\r') {
            parse_key_value_line(&p, current);
        }
        if (!p.failed && p.at < p.end && !take_newline(&p) && (c < 0 || c == '#' || c == '\n' || c == '\r')) {
            fail(&p, peek(&p) == '\r' ? "bare carriage return" : "expected the end of the line");
        }
    }
    if (p.failed) {
        toml_free(root);
        return NULL;
    }
    return root;
}
