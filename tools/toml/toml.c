/* TOML reader: a recursive-descent parser over the whole input, building
 * the tree as it goes: keys, arrays, inline tables, headers, and where each
 * value lands. The first error stops it; the tree built so far is released.
 * Table bookkeeping (the flags below) enforces TOML's rules on defining
 * tables once. Strings and bare values are read by toml_string.c and
 * toml_number.c, over the cursor of toml_cursor.c. */
#include "toml.h"

#include <stdlib.h>
#include <string.h>

#include "toml_cursor.h"
#include "toml_index.h"

/* toml_value_t.flags */
#define TABLE_IMPLICIT 1u /* created on the way to a [header]; may still be defined once */
#define TABLE_DOTTED 2u   /* created by a dotted key */
#define TABLE_INLINE 4u   /* { ... }: closed to additions */
#define ARRAY_TABLES 8u   /* created by [[header]]: open to more elements */

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

static void key_path_free(key_path_t *path) {
    for (size_t i = 0u; i < path->count; i++) {
        free(path->parts[i].text);
    }
    free(path->parts);
    *path = (key_path_t){0};
}

/* ---- Tree ---------------------------------------------------------------- */

/* A new value `depth` levels below the root; NULL (with the error) if that
 * is deeper than TOML_MAX_DEPTH, which bounds every recursive walk. */
static toml_value_t *value_new(toml_cursor_t *p, toml_type_t type, toml_position_t position, unsigned depth) {
    if (depth > TOML_MAX_DEPTH) {
        cursor_fail_at(p, position, "tables and arrays nested deeper than %u", TOML_MAX_DEPTH);
        return NULL;
    }
    toml_value_t *v = calloc(1u, sizeof *v);
    if (v == NULL) {
        cursor_fail(p, "out of memory");
        return NULL;
    }
    v->type = type;
    v->position = position;
    v->depth = depth;
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
        toml_index_free(v->as.table.index);
    }
    free(v);
}

/* Appends `item` to `array`; on failure frees it. Capacity doubles at
 * powers of two, so no separate capacity field is needed. */
static int array_push(toml_cursor_t *p, toml_value_t *array, toml_value_t *item) {
    size_t n = array->as.array.count;
    if ((n & (n - 1u)) == 0u) {
        toml_value_t **items = realloc(array->as.array.items, (n ? 2u * n : 1u) * sizeof *items);
        if (items == NULL) {
            toml_free(item);
            return cursor_fail(p, "out of memory");
        }
        array->as.array.items = items;
    }
    array->as.array.items[array->as.array.count++] = item;
    return 0;
}

static toml_entry_t *table_find(const toml_value_t *table, const char *key, size_t length) {
    return toml_index_find(table, key, length);
}

/* Adds `part` (taking its text) with `value` to `table`; on failure frees
 * `value`. The caller has checked that the key is new. */
static int table_add(toml_cursor_t *p, toml_value_t *table, key_part_t *part, toml_value_t *value) {
    size_t n = table->as.table.count;
    if ((n & (n - 1u)) == 0u) {
        toml_entry_t *entries = realloc(table->as.table.entries, (n ? 2u * n : 1u) * sizeof *entries);
        if (entries == NULL) {
            toml_free(value);
            return cursor_fail(p, "out of memory");
        }
        table->as.table.entries = entries;
    }
    table->as.table.entries[table->as.table.count++] = (toml_entry_t){part->text, part->length, part->position, value};
    part->text = NULL;
    return toml_index_add(table) == 0 ? 0 : cursor_fail(p, "out of memory");
}

/* Creates an empty table under `part` in `parent`; returns it or NULL. */
static toml_value_t *table_add_table(toml_cursor_t *p, toml_value_t *parent, key_part_t *part, unsigned flags) {
    toml_value_t *t = value_new(p, TOML_TABLE, part->position, parent->depth + 1u);
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
        return "a string";
    case TOML_INTEGER:
        return "an integer";
    case TOML_FLOAT:
        return "a float";
    case TOML_BOOLEAN:
        return "a boolean";
    case TOML_ARRAY:
        return "an array";
    case TOML_TABLE:
        return "a table";
    }
    return "a value";
}

/* ---- Keys ------------------------------------------------------------------ */

static int is_bare_key_char(int c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int parse_simple_key(toml_cursor_t *p, key_part_t *part) {
    toml_buffer_t b = {0};
    part->position = p->position;
    int c = cursor_peek(p);
    if (c == '"' || c == '\'') {
        if (toml_read_string(p, &b, 0) != 0) {
            free(b.data);
            return -1;
        }
    } else {
        const char *start = p->at;
        while (is_bare_key_char(cursor_peek(p))) {
            cursor_advance(p);
        }
        if (p->at == start) {
            if (c == '[' || c == '=' || c < 0 || c == '\n' || c == '\r' || c == '#') {
                return cursor_fail(p, "expected a key");
            }
            return cursor_fail(p, "'%c' cannot start a key (quote keys that are not letters, digits, '_' or '-')",
                               cursor_printable(c));
        }
        if (cursor_buffer_add(p, &b, start, (size_t)(p->at - start)) != 0) {
            free(b.data);
            return -1;
        }
    }
    part->text = b.data;
    part->length = b.length;
    return 0;
}

/* key ( '.' key )*, with blanks allowed around the dots. */
static int parse_key(toml_cursor_t *p, key_path_t *path) {
    for (;;) {
        if (path->count == path->capacity) {
            size_t capacity = path->capacity ? 2u * path->capacity : 4u;
            key_part_t *parts = realloc(path->parts, capacity * sizeof *parts);
            if (parts == NULL) {
                return cursor_fail(p, "out of memory");
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
        cursor_skip_blanks(p);
        if (cursor_peek(p) != '.') {
            return 0;
        }
        cursor_advance(p);
        cursor_skip_blanks(p);
    }
}

/* ---- Values ------------------------------------------------------------------- */

static int parse_value(toml_cursor_t *p, toml_value_t **out);
static int insert_dotted(toml_cursor_t *p, toml_value_t *table, key_path_t *path, toml_value_t *value);

static int parse_array(toml_cursor_t *p, toml_value_t *array) {
    cursor_advance(p); /* [ */
    for (;;) {
        if (cursor_skip_blank_lines(p) != 0) {
            return -1;
        }
        if (cursor_peek(p) == ']') {
            cursor_advance(p);
            return 0;
        }
        toml_value_t *item = NULL;
        if (parse_value(p, &item) != 0) {
            toml_free(item);
            return -1;
        }
        if (array_push(p, array, item) != 0 || cursor_skip_blank_lines(p) != 0) {
            return -1;
        }
        if (cursor_peek(p) == ',') {
            cursor_advance(p);
        } else if (cursor_peek(p) != ']') {
            return cursor_fail(p, "expected ',' or ']' in an array");
        }
    }
}

/* Fails at the first part of `path` that would nest deeper than
 * TOML_MAX_DEPTH below `table`; else returns 0. */
static int check_key_depth(toml_cursor_t *p, const toml_value_t *table, const key_path_t *path) {
    if (path->count <= TOML_MAX_DEPTH - table->depth) {
        return 0;
    }
    return cursor_fail_at(p, path->parts[TOML_MAX_DEPTH - table->depth].position,
                          "tables and arrays nested deeper than %u", TOML_MAX_DEPTH);
}

/* Parses `key = value` at the cursor (parse_key leaves the blanks after the
 * key skipped) and inserts the value into `table`. */
static int parse_key_value(toml_cursor_t *p, toml_value_t *table) {
    key_path_t path = {0};
    toml_value_t *value = NULL;
    unsigned depth = p->depth;
    int r = parse_key(p, &path);
    if (r == 0) {
        r = check_key_depth(p, table, &path);
    }
    if (r == 0) {
        r = cursor_peek(p) == '=' ? 0 : cursor_fail(p, "expected '=' after a key");
    }
    if (r == 0) {
        cursor_advance(p);
        cursor_skip_blanks(p);
        p->depth = table->depth + (unsigned)path.count; /* where the value lands */
        r = parse_value(p, &value);
        p->depth = depth;
    }
    r = r == 0 ? insert_dotted(p, table, &path, value) : (toml_free(value), -1);
    key_path_free(&path);
    return r;
}

static int parse_inline_table(toml_cursor_t *p, toml_value_t *table) {
    cursor_advance(p); /* { */
    cursor_skip_blanks(p);
    if (cursor_peek(p) == '}') {
        cursor_advance(p);
        return 0;
    }
    for (;;) {
        cursor_skip_blanks(p);
        if (cursor_peek(p) == '}') {
            return cursor_fail(p, "no trailing comma is allowed in an inline table");
        }
        if (cursor_peek(p) == '\n' || cursor_peek(p) == '\r') {
            return cursor_fail(p, "an inline table must stay on one line");
        }
        if (parse_key_value(p, table) != 0) {
            return -1;
        }
        cursor_skip_blanks(p);
        if (cursor_peek(p) == '}') {
            cursor_advance(p);
            return 0;
        }
        if (cursor_peek(p) != ',') {
            return cursor_fail(p, "expected ',' or '}' in an inline table (which must stay on one line)");
        }
        cursor_advance(p);
    }
}

/* Parses the value at the cursor. On failure *out may hold a partial
 * value, which the caller frees. */
static int parse_value(toml_cursor_t *p, toml_value_t **out) {
    int c = cursor_peek(p);
    if (c == '"' || c == '\'') {
        toml_value_t *v = value_new(p, TOML_STRING, p->position, p->depth);
        if (v == NULL) {
            return -1;
        }
        *out = v;
        toml_buffer_t b = {0};
        int r = toml_read_string(p, &b, 1);
        v->as.string.data = b.data;
        v->as.string.length = b.length;
        return r;
    }
    if (c == '[' || c == '{') {
        toml_value_t *v = value_new(p, c == '[' ? TOML_ARRAY : TOML_TABLE, p->position, p->depth);
        if (v == NULL) {
            return -1;
        }
        *out = v;
        p->depth++; /* the items' depth; an inline table's key/value pairs set their own */
        int r = c == '[' ? parse_array(p, v) : parse_inline_table(p, v);
        p->depth--;
        v->flags = c == '{' ? TABLE_INLINE : 0u;
        return r;
    }
    toml_value_t *v = value_new(p, TOML_BOOLEAN, p->position, p->depth);
    if (v == NULL) {
        return -1;
    }
    *out = v;
    return toml_read_scalar(p, v);
}

/* ---- Placing keys and tables ---------------------------------------------------- */

static int describe_conflict(toml_cursor_t *p, const key_part_t *part, const toml_entry_t *existing, const char *what) {
    return cursor_fail_at(p, part->position, "%s '%.*s' %s (first defined at %u:%u)", what, (int)part->length,
                          part->text, existing->value->type == TOML_TABLE ? "is already a table" : "is already defined",
                          existing->key_position.line, existing->key_position.column);
}

/* Sets path = value under `table`, creating the tables of a dotted key.
 * Takes ownership of `value` (freed on failure). */
static int insert_dotted(toml_cursor_t *p, toml_value_t *table, key_path_t *path, toml_value_t *value) {
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
static toml_value_t *walk_header(toml_cursor_t *p, toml_value_t *table, key_path_t *path) {
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
static toml_value_t *parse_header(toml_cursor_t *p, toml_value_t *root) {
    toml_position_t start = p->position;
    int array = cursor_starts_with(p, "[[");
    key_path_t path = {0};
    toml_value_t *result = NULL;
    cursor_advance_by(p, array ? 2u : 1u);
    cursor_skip_blanks(p);
    if (parse_key(p, &path) != 0) {
        goto done;
    }
    if (!(array ? cursor_starts_with(p, "]]") : cursor_peek(p) == ']')) {
        cursor_fail(p, array ? "expected ']]' to close the table header" : "expected ']' to close the table header");
        goto done;
    }
    cursor_advance_by(p, array ? 2u : 1u);
    if (cursor_expect_line_end(p) != 0) {
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
            list = value_new(p, TOML_ARRAY, start, parent->depth + 1u);
            if (list == NULL || table_add(p, parent, last, list) != 0) {
                goto done;
            }
            list->flags = ARRAY_TABLES;
        } else if (list->type != TOML_ARRAY || !(list->flags & ARRAY_TABLES)) {
            describe_conflict(p, last, e, "key");
            goto done;
        }
        toml_value_t *t = value_new(p, TOML_TABLE, start, list->depth + 1u);
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
        cursor_fail_at(p, last->position, "table '%.*s' is defined twice (first at %u:%u)", (int)last->length,
                       last->text, e->key_position.line, e->key_position.column);
    }
done:
    key_path_free(&path);
    return result;
}

static int parse_key_value_line(toml_cursor_t *p, toml_value_t *table) {
    return parse_key_value(p, table) == 0 ? cursor_expect_line_end(p) : -1;
}

toml_value_t *toml_parse(const char *text, size_t length, toml_error_t *error) {
    if (text == NULL) {
        text = ""; /* (NULL, 0): an empty document */
        length = 0u;
    }
    toml_cursor_t p = {text, text + length, {1u, 1u}, error, 0, 0u};
    *error = (toml_error_t){{0u, 0u}, ""};
    toml_value_t *root = value_new(&p, TOML_TABLE, p.position, 0u);
    if (root == NULL || cursor_check_utf8(&p) != 0) {
        toml_free(root);
        return NULL;
    }
    toml_value_t *current = root;
    while (!p.failed && p.at < p.end) {
        cursor_skip_blanks(&p);
        int c = cursor_peek(&p);
        if (c == '#') {
            cursor_skip_comment(&p);
        } else if (c == '[') {
            current = parse_header(&p, root);
        } else if (c >= 0 && c != '\n' && c != '\r') {
            parse_key_value_line(&p, current);
        }
        if (!p.failed && p.at < p.end && !cursor_take_newline(&p) && (c < 0 || c == '#' || c == '\n' || c == '\r')) {
            cursor_fail(&p, cursor_peek(&p) == '\r' ? "bare carriage return" : "expected the end of the line");
        }
    }
    if (p.failed) {
        toml_free(root);
        return NULL;
    }
    return root;
}
