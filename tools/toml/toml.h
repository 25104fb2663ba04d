/* tools/toml: a reader for the part of TOML 1.0 that configuration files use, into a
 * small tree of values (a DOM).
 *
 * Accepted: tables, arrays of tables, dotted and quoted keys, basic and
 * literal strings (one-line and multi-line, with every escape including
 * \uXXXX and \UXXXXXXXX), integers in every TOML form (decimal with _
 * separators, 0x, 0o, 0b, signs), floats (including inf and nan), booleans,
 * arrays, inline tables and comments. The rules of the specification hold:
 * a key or table defined twice, a table header naming a table made by dotted
 * keys, anything added to an inline table or to a static array are errors.
 * Rejected with "... not supported": offset and local dates and times.
 *
 * No global state: every call works on its own input and tree.
 *
 * Owns: the reader and its tree (this header), and the "did you mean"
 * suggestion for a misspelt key (suggest.h). Knows nothing of heaps; uses
 * the C library only. */
#ifndef POOLHEAP_TOOLS_TOML_H
#define POOLHEAP_TOOLS_TOML_H

#include <stddef.h>
#include <stdint.h>

#include "suggest.h"

typedef enum toml_type { TOML_STRING = 1, TOML_INTEGER, TOML_FLOAT, TOML_BOOLEAN, TOML_ARRAY, TOML_TABLE } toml_type_t;

/* A place in the input: 1-based line, and 1-based column in characters. */
typedef struct toml_position {
    uint32_t line;
    uint32_t column;
} toml_position_t;

typedef struct toml_value toml_value_t;

/* A table's key index (the reader's; see toml_get). */
typedef struct toml_key_index toml_key_index_t;

/* One key of a table and its value. Keys may hold any character, including
 * NUL (from "\u0000"), hence the explicit length; they are also
 * NUL-terminated for convenience. */
typedef struct toml_entry {
    char *key;
    size_t key_length;
    toml_position_t key_position;
    toml_value_t *value;
} toml_entry_t;

struct toml_value {
    toml_type_t type;
    toml_position_t position; /* where the value (or the table's header) starts */
    unsigned flags;           /* the reader's bookkeeping; ignore */
    unsigned depth;           /* tables and arrays it is nested in: 0 for the root, at most TOML_MAX_DEPTH */
    union {
        struct {
            char *data; /* NUL-terminated; may contain NUL */
            size_t length;
        } string;
        int64_t integer;
        double real;
        int boolean;
        struct {
            toml_value_t **items;
            size_t count;
        } array;
        struct {
            toml_entry_t *entries; /* in the order they were defined */
            size_t count;
            toml_key_index_t *index; /* the reader's hash index of the keys, or NULL */
        } table;
    } as;
};

/* Why parsing failed, and where. */
typedef struct toml_error {
    toml_position_t position;
    char message[160];
} toml_error_t;

/* The deepest a value may be nested: tables (headers, dotted keys, inline
 * tables) and arrays together, counted from the root. Every walk of a tree
 * (parsing, toml_free) recurses at most this deep. */
#define TOML_MAX_DEPTH 64u

/* Parses `length` bytes of `text` (which need not be NUL-terminated) as a
 * TOML document. Returns the root table, to be released with toml_free, or
 * NULL with `error` filled: malformed input, a feature not supported, a
 * value nested deeper than TOML_MAX_DEPTH, or memory exhausted. Nothing
 * stays allocated on failure. `text` may be NULL if `length` is 0. Time and
 * memory: linear in the input (expected: keys are found through a hash
 * index with a random key, so no input can make it slower); the stack
 * depth is bounded by TOML_MAX_DEPTH. */
toml_value_t *toml_parse(const char *text, size_t length, toml_error_t *error);

/* Releases a tree returned by toml_parse. NULL is a no-op. */
void toml_free(toml_value_t *root);

/* Returns the value of `key` in `table`, or NULL if `table` is NULL, not a
 * table, or has no such key. Time: O(1) expected, whatever the keys. */
const toml_value_t *toml_get(const toml_value_t *table, const char *key);

/* The type with its article, as used in messages: "a string", "an integer", ... */
const char *toml_type_name(toml_type_t type);

#endif /* POOLHEAP_TOOLS_TOML_H */
