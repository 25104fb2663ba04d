/* The TOML reader: what it accepts and the values it gives, and each error
 * with its position. */
#include <math.h>
#include <string.h>

#include "harness.h"
#include "toml/toml.h"

static toml_value_t *parse(const char *text, toml_error_t *error) {
    return toml_parse(text, strlen(text), error);
}

/* Follows a dotted path of plain keys ("a.b.c") from `table`. */
static const toml_value_t *at(const toml_value_t *table, const char *path) {
    char key[64];
    while (table != NULL && *path) {
        size_t n = strcspn(path, ".");
        memcpy(key, path, n);
        key[n] = '\0';
        table = toml_get(table, key);
        path += n + (path[n] == '.');
    }
    return table;
}

static int is_string(const toml_value_t *v, const char *text) {
    return v != NULL && v->type == TOML_STRING && strcmp(v->as.string.data, text) == 0;
}

static int is_integer(const toml_value_t *v, long long n) {
    return v != NULL && v->type == TOML_INTEGER && v->as.integer == n;
}

static void strings_of_every_kind(void) {
    toml_error_t e;
    toml_value_t *root = parse("basic = \"tab\\there \\\"q\\\" \\u00E9 \\U0001F600\\\\\"\n"
                               "literal = 'C:\\path\\n'\n"
                               "multi = \"\"\"\nline one\n  line two \\\n     joined\"\"\"\n"
                               "multi_literal = '''\nraw \\n ''ok'''''\n"
                               "quotes = \"\"\"\"\"he said\"\"\"\"\"\n"
                               "\"quoted key\" = 1\n"
                               "'' = 2\n",
                               &e);
    CHECK(root != NULL);
    CHECK(is_string(toml_get(root, "basic"), "tab\there \"q\" \xC3\xA9 \xF0\x9F\x98\x80\\"));
    CHECK(is_string(toml_get(root, "literal"), "C:\\path\\n"));
    CHECK(is_string(toml_get(root, "multi"), "line one\n  line two joined"));
    CHECK(is_string(toml_get(root, "multi_literal"), "raw \\n ''ok''"));
    CHECK(is_string(toml_get(root, "quotes"), "\"\"he said\"\""));
    CHECK(is_integer(toml_get(root, "quoted key"), 1));
    CHECK(is_integer(toml_get(root, ""), 2));
    toml_free(root);
}

static void nul_in_a_string_keeps_its_length(void) {
    toml_error_t e;
    toml_value_t *root = parse("s = \"a\\u0000b\"", &e);
    const toml_value_t *s = toml_get(root, "s");
    CHECK(s != NULL && s->type == TOML_STRING && s->as.string.length == 3u && s->as.string.data[2] == 'b');
    toml_free(root);
}

static void numbers_in_every_form(void) {
    toml_error_t e;
    toml_value_t *root = parse("a = +99\nb = -17\nc = 0\nd = 1_000_000\ne = 0xDEAD_beef\nf = 0o755\ng = 0b1101\n"
                               "h = 9223372036854775807\ni = -9223372036854775808\n"
                               "j = 3.1415\nk = -1e-3\nl = 6.626e+34\nm = 2_2.5_5E1_0\nn = -inf\no = nan\np = -0.0\n"
                               "t = true\nu = false\n",
                               &e);
    CHECK(root != NULL);
    CHECK(is_integer(toml_get(root, "a"), 99));
    CHECK(is_integer(toml_get(root, "b"), -17));
    CHECK(is_integer(toml_get(root, "c"), 0));
    CHECK(is_integer(toml_get(root, "d"), 1000000));
    CHECK(is_integer(toml_get(root, "e"), 0xDEADBEEF));
    CHECK(is_integer(toml_get(root, "f"), 0755));
    CHECK(is_integer(toml_get(root, "g"), 13));
    CHECK(is_integer(toml_get(root, "h"), INT64_MAX));
    CHECK(is_integer(toml_get(root, "i"), INT64_MIN));
    CHECK(toml_get(root, "j")->type == TOML_FLOAT && toml_get(root, "j")->as.real == 3.1415);
    CHECK(toml_get(root, "k")->as.real == -1e-3);
    CHECK(toml_get(root, "l")->as.real == 6.626e+34);
    CHECK(toml_get(root, "m")->as.real == 22.55e10);
    CHECK(isinf(toml_get(root, "n")->as.real) && toml_get(root, "n")->as.real < 0.0);
    CHECK(isnan(toml_get(root, "o")->as.real));
    CHECK(toml_get(root, "p")->type == TOML_FLOAT && signbit(toml_get(root, "p")->as.real));
    CHECK(toml_get(root, "t")->type == TOML_BOOLEAN && toml_get(root, "t")->as.boolean == 1);
    CHECK(toml_get(root, "u")->type == TOML_BOOLEAN && toml_get(root, "u")->as.boolean == 0);
    toml_free(root);
}

static void tables_dotted_keys_arrays_and_inline_tables(void) {
    toml_error_t e;
    toml_value_t *root = parse("# comment\n"
                               "top.level = 1 # trailing comment\n"
                               "[a . \"b.c\"]\n"
                               "x = [ 1, 'two', [3], { four = 4 }, ]\n"
                               "y = [\n  1, # one\n  2\n]\n"
                               "[a]\n"
                               "inline = { p.q = 1, r = { s = 2 } }\n"
                               "[[list]]\nn = 1\n[[list]]\nn = 2\n[list.sub]\nm = 3\n"
                               "[fruit]\napple.color = 'red'\n[fruit.apple.texture]\nsmooth = true\n",
                               &e);
    CHECK(root != NULL);
    CHECK(is_integer(at(root, "top.level"), 1));
    const toml_value_t *x = toml_get(toml_get(toml_get(root, "a"), "b.c"), "x");
    CHECK(x != NULL && x->type == TOML_ARRAY && x->as.array.count == 4u);
    if (x != NULL && x->as.array.count == 4u) {
        CHECK(is_integer(x->as.array.items[0], 1));
        CHECK(is_string(x->as.array.items[1], "two"));
        CHECK(x->as.array.items[2]->type == TOML_ARRAY && is_integer(x->as.array.items[2]->as.array.items[0], 3));
        CHECK(is_integer(toml_get(x->as.array.items[3], "four"), 4));
    }
    const toml_value_t *y = toml_get(toml_get(toml_get(root, "a"), "b.c"), "y");
    CHECK(y != NULL && y->as.array.count == 2u);
    CHECK(is_integer(at(root, "a.inline.p.q"), 1));
    CHECK(is_integer(at(root, "a.inline.r.s"), 2));
    const toml_value_t *list = toml_get(root, "list");
    CHECK(list != NULL && list->type == TOML_ARRAY && list->as.array.count == 2u);
    if (list != NULL && list->as.array.count == 2u) {
        CHECK(is_integer(toml_get(list->as.array.items[0], "n"), 1));
        CHECK(is_integer(at(list->as.array.items[1], "sub.m"), 3));
        CHECK(list->as.array.items[1]->position.line == 13u);
    }
    CHECK(is_string(at(root, "fruit.apple.color"), "red"));
    CHECK(at(root, "fruit.apple.texture.smooth") != NULL);
    const toml_entry_t *first = &root->as.table.entries[0];
    CHECK(first->key_position.line == 2u && first->key_position.column == 1u);
    toml_free(root);
}

static void crlf_and_an_empty_document(void) {
    toml_error_t e;
    toml_value_t *root = parse("a = 1\r\n[t]\r\nb = 'x'\r\n", &e);
    CHECK(is_integer(toml_get(root, "a"), 1));
    CHECK(is_string(at(root, "t.b"), "x"));
    toml_free(root);
    root = toml_parse("", 0u, &e);
    CHECK(root != NULL && root->type == TOML_TABLE && root->as.table.count == 0u);
    toml_free(root);
}

/* Each malformed or unsupported document, with the exact error. */
static const struct rejected {
    const char *text;
    unsigned line, column;
    const char *message;
} rejected[] = {
    {"a = 1\na = 2\n", 2, 1, "key 'a' is already defined (first defined at 1:1)"},
    {"[t]\n[t]\n", 2, 2, "table 't' is defined twice (first at 1:2)"},
    {"[t]\nx.y = 1\n[t.x]\n", 3, 4, "table 'x' is defined twice (first at 2:1)"},
    {"[a.b]\n[a]\nb.c = 1\n", 3, 1, "key 'b' is already a table (first defined at 1:4)"},
    {"t = { a = 1 }\n[t.b]\n", 2, 2, "key 't' is already a table (first defined at 1:1)"},
    {"t = { a = 1 }\nt.b = 2\n", 2, 1, "key 't' is already a table (first defined at 1:1)"},
    {"a = [1]\n[[a]]\n", 2, 3, "key 'a' is already defined (first defined at 1:1)"},
    {"[[a]]\n[a]\n", 2, 2, "table 'a' is defined twice (first at 1:3)"},
    {"a = 1\na.b = 2\n", 2, 1, "key 'a' is already defined (first defined at 1:1)"},
    {"d = 1979-05-27\n", 1, 5, "dates and times are not supported"},
    {"t = 07:32:00\n", 1, 5, "dates and times are not supported"},
    {"n = 012\n", 1, 5, "'012' is not a valid value"},
    {"n = 1__0\n", 1, 5, "'1__0' is not a valid value"},
    {"n = _1\n", 1, 5, "'_1' is not a valid value"},
    {"n = +0x10\n", 1, 5, "'+0x10' is not a valid value"},
    {"n = 1.\n", 1, 5, "'1.' is not a valid value"},
    {"n = .5\n", 1, 5, "'.5' is not a valid value"},
    {"n = 9223372036854775808\n", 1, 5, "integer '9223372036854775808' does not fit in 64 bits"},
    {"s = \"abc\n", 1, 5, "unterminated string (newline before the closing quote)"},
    {"s = \"\\q\"\n", 1, 7, "unknown escape sequence '\\q'"},
    {"s = \"\\uD800\"\n", 1, 7, "\\uD800 is not a Unicode scalar value"},
    {"s = \"\\u12\"\n", 1, 10, "\\u needs 4 hexadecimal digits"},
    {"s = \"a\x01\"\n", 1, 7, "control character in a string (use an escape)"},
    {"s = 'a' 'b'\n", 1, 9, "expected the end of the line, found '''"},
    {"s = \xC3\x28\n", 1, 5, "invalid UTF-8"},
    {"x = \n", 1, 5, "expected a value"},
    {"= 1\n", 1, 1, "expected a key"},
    {"a b = 1\n", 1, 3, "expected '=' after a key"},
    {"[t\n", 1, 3, "expected ']' to close the table header"},
    {"t = { a = 1,\n b = 2 }\n", 1, 13, "an inline table must stay on one line"},
    {"t = { a = 1, }\n", 1, 14, "no trailing comma is allowed in an inline table"},
    {"a = [1 2]\n", 1, 8, "expected ',' or ']' in an array"},
    {"a = 1\rb = 2\n", 1, 6, "expected the end of the line, found '?'"},
    {"# bell \x07\n", 1, 8, "control character in a comment"},
    {"a = 1 # ok\n\xE2\x82\xAC = 1\n", 2, 1,
     "'?' cannot start a key (quote keys that are not letters, digits, '_' or '-')"},
    {"[[a]\n", 1, 4, "expected ']]' to close the table header"},
    {"a = 1\n\rb = 2\n", 2, 1, "bare carriage return"},
    {"s = \"\"\"a\rb\"\"\"\n", 1, 9, "bare carriage return in a string"},
    {"s = \"\"\"a\\ b\"\"\"\n", 1, 11, "only whitespace may follow a line-ending backslash"},
    {"t = { a = 1 b = 2 }\n", 1, 13, "expected ',' or '}' in an inline table (which must stay on one line)"},
};

static void every_rejected_document_names_the_problem_and_its_place(void) {
    for (size_t i = 0u; i < sizeof rejected / sizeof rejected[0]; i++) {
        toml_error_t e;
        toml_value_t *root = parse(rejected[i].text, &e);
        CHECK(root == NULL);
        toml_free(root);
        if (e.position.line != rejected[i].line || e.position.column != rejected[i].column ||
            strcmp(e.message, rejected[i].message) != 0) {
            TEST_PRINTF("case %zu: got %u:%u: %s\n", i, e.position.line, e.position.column, e.message);
            CHECK(0);
        }
    }
}

static void deep_nesting_is_refused_not_overflowed(void) {
    char text[1024] = "a = ";
    size_t n = strlen(text);
    for (int i = 0; i < 500; i++) {
        text[n++] = '[';
    }
    text[n] = '\0';
    toml_error_t e;
    CHECK(parse(text, &e) == NULL);
    CHECK(strcmp(e.message, "tables and arrays nested deeper than 64") == 0);
    CHECK_EQ(e.position.column, 5u + 64u);
}

int main(void) {
    RUN(strings_of_every_kind);
    RUN(nul_in_a_string_keeps_its_length);
    RUN(numbers_in_every_form);
    RUN(tables_dotted_keys_arrays_and_inline_tables);
    RUN(crlf_and_an_empty_document);
    RUN(every_rejected_document_names_the_problem_and_its_place);
    RUN(deep_nesting_is_refused_not_overflowed);
    return test_summary();
}
