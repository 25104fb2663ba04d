/* Hostile input to the TOML reader and the configuration reader on top of
 * it (issue 12), generated here: nesting far past TOML_MAX_DEPTH by every
 * construct that nests (dotted keys, headers, arrays of tables, arrays,
 * inline tables), a million keys in one table, and keys that differ only in
 * their last bytes or by trailing NULs. Each must end in a clear error or
 * the right tree, without exhausting the stack or running quadratic (a
 * quadratic reader runs into the test's time limit). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "harness.h"
#include "toml/toml.h"

/* A growing text. */
typedef struct text {
    char *data;
    size_t length, capacity;
} text_t;

static void put(text_t *t, const char *s) {
    size_t n = strlen(s);
    if (t->length + n + 1u > t->capacity) {
        t->capacity = 2u * (t->length + n + 1u);
        t->data = realloc(t->data, t->capacity);
    }
    memcpy(t->data + t->length, s, n + 1u);
    t->length += n;
}

static void put_repeated(text_t *t, const char *s, size_t times) {
    for (size_t i = 0; i < times; i++) {
        put(t, s);
    }
}

/* Parses `t` and expects the nesting error at `line`:`column`. */
static void check_too_deep(text_t *t, unsigned line, unsigned column) {
    toml_error_t e;
    toml_value_t *root = toml_parse(t->data, t->length, &e);
    CHECK(root == NULL);
    CHECK(strcmp(e.message, "tables and arrays nested deeper than 64") == 0);
    if (root == NULL && strcmp(e.message, "tables and arrays nested deeper than 64") != 0) {
        TEST_PRINTF("  got %u:%u: %s\n", e.position.line, e.position.column, e.message);
    }
    CHECK_EQ(e.position.line, line);
    CHECK_EQ(e.position.column, column);
    toml_free(root);
    free(t->data);
}

enum { DEEP = 300000 }; /* about 600 KB of input: far past any stack */

static void a_dotted_key_300000_parts_deep_is_refused(void) {
    text_t t = {0};
    put(&t, "k");
    put_repeated(&t, ".k", DEEP);
    put(&t, " = 1\n");
    check_too_deep(&t, 1u, 1u + 2u * 64u); /* the 65th part */
}

static void a_table_header_300000_parts_deep_is_refused(void) {
    text_t t = {0};
    put(&t, "[k");
    put_repeated(&t, ".k", DEEP);
    put(&t, "]\n");
    check_too_deep(&t, 1u, 2u + 2u * 64u);
}

static void arrays_of_tables_count_two_levels_each(void) {
    text_t t = {0};
    for (int i = 1; i <= 40; i++) { /* [[a]] [[a.a]] ...: array + table per level */
        put(&t, "[[a");
        put_repeated(&t, ".a", (size_t)i - 1u);
        put(&t, "]]\n");
    }
    check_too_deep(&t, 33u, 1u); /* level 33's array would sit at depth 65: refused at its header */
}

static void inline_tables_and_arrays_mixed_with_dotted_keys_are_refused(void) {
    text_t t = {0};
    put(&t, "x = ");
    for (int i = 0; i < DEEP / 4; i++) {
        put(&t, "{ a.b = [");
    }
    toml_error_t e;
    toml_value_t *root = toml_parse(t.data, t.length, &e);
    CHECK(root == NULL);
    CHECK(strcmp(e.message, "tables and arrays nested deeper than 64") == 0);
    free(t.data);
}

static void nesting_up_to_the_limit_is_accepted(void) {
    text_t t = {0};
    put(&t, "k");
    put_repeated(&t, ".k", 62u);
    put(&t, " = [1]\n"); /* the array at depth 63, its item at 64 */
    toml_error_t e;
    toml_value_t *root = toml_parse(t.data, t.length, &e);
    CHECK(root != NULL);
    const toml_value_t *v = root;
    for (int i = 0; i < 63 && v != NULL; i++) {
        v = toml_get(v, "k");
    }
    CHECK(v != NULL && v->type == TOML_ARRAY && v->depth == 63u && v->as.array.count == 1u &&
          v->as.array.items[0]->depth == 64u);
    toml_free(root);
    free(t.data);
}

/* One table of `count` keys "kN" (and a duplicate at the end if asked). */
static text_t many_keys(size_t count, int duplicate) {
    text_t t = {0};
    char line[48];
    for (size_t i = 0; i < count; i++) {
        snprintf(line, sizeof line, "k%zu = %zu\n", i, i);
        put(&t, line);
    }
    if (duplicate) {
        put(&t, "k777 = 0\n");
    }
    return t;
}

/* A million keys; fewer in sanitized builds, which run the reader several
 * times slower (a quadratic reader still takes hours on them). */
#ifndef HOSTILE_KEYS
#define HOSTILE_KEYS 1000000
#endif
enum { MANY = HOSTILE_KEYS };

static void many_keys_are_found_and_a_duplicate_is_caught(void) {
    text_t t = many_keys(MANY, 0);
    toml_error_t e;
    toml_value_t *root = toml_parse(t.data, t.length, &e);
    CHECK(root != NULL && root->as.table.count == MANY);
    char key[24];
    for (size_t i = 0; root != NULL && i < MANY; i += 9973u) {
        snprintf(key, sizeof key, "k%zu", i);
        const toml_value_t *v = toml_get(root, key);
        CHECK(v != NULL && v->type == TOML_INTEGER && v->as.integer == (long long)i);
    }
    snprintf(key, sizeof key, "k%d", MANY);
    CHECK(toml_get(root, key) == NULL);
    toml_free(root);
    free(t.data);
    t = many_keys(MANY, 1);
    CHECK(toml_parse(t.data, t.length, &e) == NULL);
    CHECK_EQ(e.position.line, MANY + 1u);
    CHECK(strstr(e.message, "key 'k777' is already defined (first defined at 778:1)") != NULL);
    free(t.data);
}

static void keys_that_differ_by_trailing_nuls_stay_apart(void) {
    text_t t = {0};
    put(&t, "a = 0\n\"a\\u0000\" = 1\n\"a\\u0000\\u0000\" = 2\n");
    for (int i = 0; i < 20; i++) { /* enough keys for the table to be indexed */
        char line[32];
        snprintf(line, sizeof line, "pad%d = 3\n", i);
        put(&t, line);
    }
    toml_error_t e;
    toml_value_t *root = toml_parse(t.data, t.length, &e);
    CHECK(root != NULL && root->as.table.count == 23u);
    CHECK(root != NULL && root->as.table.entries[1].key_length == 2u);
    CHECK(toml_get(root, "a") != NULL && toml_get(root, "a")->as.integer == 0);
    toml_free(root);
    free(t.data);
}

/* Through the configuration reader (what gen, show, report --config and the
 * runner call): the error comes back as one FILE:LINE:COL line. */
static void the_configuration_reader_reports_deep_nesting(void) {
    text_t t = {0};
    put(&t, "[heap");
    put_repeated(&t, ".k", DEEP);
    put(&t, "]\n");
    ph_target_t target = {4u};
    ph_config_t config;
    char error[256];
    CHECK_EQ(ph_config_parse(t.data, t.length, "deep.toml", &target, &config, error, sizeof error), -1);
    CHECK(strcmp(error, "deep.toml:1:133: tables and arrays nested deeper than 64") == 0);
    free(t.data);
}

int main(void) {
    RUN(a_dotted_key_300000_parts_deep_is_refused);
    RUN(a_table_header_300000_parts_deep_is_refused);
    RUN(arrays_of_tables_count_two_levels_each);
    RUN(inline_tables_and_arrays_mixed_with_dotted_keys_are_refused);
    RUN(nesting_up_to_the_limit_is_accepted);
    RUN(many_keys_are_found_and_a_duplicate_is_caught);
    RUN(keys_that_differ_by_trailing_nuls_stay_apart);
    RUN(the_configuration_reader_reports_deep_nesting);
    return test_summary();
}
