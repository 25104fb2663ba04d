/* A message-passing workload in the style of a cJSON user, to be recorded
 * with the trace recorder (scripts/bench): it allocates only through the C
 * library's malloc, realloc and free, as such programs do.
 *
 *   bench_messages [--messages N] [--keep N] [--seed N]
 *
 * Each message is a random telemetry document (an object with an id, a
 * device name, an array of readings, tags and nested metadata) built as a
 * tree of nodes, printed to text in a buffer grown by realloc, parsed back
 * into a new tree, and compared. The printed text and the first tree are
 * freed at once; the parsed tree is kept in a queue of the last `--keep`
 * messages, as a broker holds messages until they are consumed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_options.h"
#include "bench_workload.h"

typedef enum msg_type { MSG_NUMBER, MSG_STRING, MSG_ARRAY, MSG_OBJECT } msg_type_t;

typedef struct msg_node {
    msg_type_t type;
    char *key;              /* member name inside an object, else NULL */
    char *text;             /* MSG_STRING */
    long number;            /* MSG_NUMBER */
    struct msg_node *child; /* first element or member */
    struct msg_node *next;  /* next sibling */
} msg_node_t;

typedef struct msg_buffer {
    char *data;
    size_t length, capacity;
} msg_buffer_t;

static void *msg_check(void *p) {
    if (p == NULL) {
        fprintf(stderr, "messages: out of memory\n");
        exit(1);
    }
    return p;
}

static char *msg_copy(const char *text, size_t length) {
    char *copy = msg_check(malloc(length + 1u));
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

static msg_node_t *msg_new(msg_type_t type, const char *key) {
    msg_node_t *node = msg_check(calloc(1u, sizeof *node));
    node->type = type;
    node->key = key != NULL ? msg_copy(key, strlen(key)) : NULL;
    return node;
}

static void msg_delete(msg_node_t *node) {
    while (node != NULL) {
        msg_node_t *next = node->next;
        msg_delete(node->child);
        free(node->key);
        free(node->text);
        free(node);
        node = next;
    }
}

/* Appends `child` to `parent`; returns child. */
static msg_node_t *msg_add(msg_node_t *parent, msg_node_t *child) {
    msg_node_t **link = &parent->child;
    while (*link != NULL) {
        link = &(*link)->next;
    }
    *link = child;
    return child;
}

static msg_node_t *msg_random_string(uint64_t *random, const char *key, size_t min, size_t max) {
    char text[256];
    size_t length = min + (size_t)(bench_random(random) % (max - min + 1u));
    for (size_t i = 0; i < length; i++) {
        text[i] = (char)('a' + bench_random(random) % 26u);
    }
    msg_node_t *node = msg_new(MSG_STRING, key);
    node->text = msg_copy(text, length);
    return node;
}

static msg_node_t *msg_random_number(uint64_t *random, const char *key) {
    msg_node_t *node = msg_new(MSG_NUMBER, key);
    node->number = (long)(bench_random(random) % 2000000u) - 1000000;
    return node;
}

static msg_node_t *msg_random_meta(uint64_t *random, const char *key, unsigned depth) {
    msg_node_t *meta = msg_new(MSG_OBJECT, key);
    msg_add(meta, msg_random_string(random, "source", 3u, 40u));
    msg_add(meta, msg_random_number(random, "sequence"));
    if (depth > 0u && bench_random(random) % 2u == 0u) {
        msg_add(meta, msg_random_meta(random, "origin", depth - 1u));
    }
    return meta;
}

static msg_node_t *msg_random_document(uint64_t *random, long id) {
    msg_node_t *doc = msg_new(MSG_OBJECT, NULL);
    msg_add(doc, msg_random_number(random, "id"))->number = id;
    msg_add(doc, msg_random_string(random, "device", 4u, 24u));
    msg_node_t *readings = msg_add(doc, msg_new(MSG_ARRAY, "readings"));
    for (unsigned i = 1u + (unsigned)(bench_random(random) % 16u); i > 0u; i--) {
        msg_node_t *reading = msg_add(readings, msg_new(MSG_OBJECT, NULL));
        msg_add(reading, msg_random_number(random, "t"));
        msg_add(reading, msg_random_number(random, "v"));
        msg_add(reading, msg_random_string(random, "unit", 1u, 8u));
    }
    msg_node_t *tags = msg_add(doc, msg_new(MSG_ARRAY, "tags"));
    for (unsigned i = (unsigned)(bench_random(random) % 7u); i > 0u; i--) {
        msg_add(tags, msg_random_string(random, NULL, 2u, 120u));
    }
    msg_add(doc, msg_random_meta(random, "meta", 3u));
    return doc;
}

static void msg_append(msg_buffer_t *out, const char *text, size_t length) {
    if (out->length + length + 1u > out->capacity) {
        while (out->length + length + 1u > out->capacity) {
            out->capacity = out->capacity != 0u ? out->capacity * 2u : 64u;
        }
        out->data = msg_check(realloc(out->data, out->capacity));
    }
    memcpy(out->data + out->length, text, length);
    out->length += length;
    out->data[out->length] = '\0';
}

static void msg_append_quoted(msg_buffer_t *out, const char *text) {
    msg_append(out, "\"", 1u);
    msg_append(out, text, strlen(text));
    msg_append(out, "\"", 1u);
}

static void msg_print(msg_buffer_t *out, const msg_node_t *node) {
    if (node->key != NULL) {
        msg_append_quoted(out, node->key);
        msg_append(out, ":", 1u);
    }
    if (node->type == MSG_NUMBER) {
        char digits[32];
        msg_append(out, digits, (size_t)snprintf(digits, sizeof digits, "%ld", node->number));
    } else if (node->type == MSG_STRING) {
        msg_append_quoted(out, node->text);
    } else {
        msg_append(out, node->type == MSG_ARRAY ? "[" : "{", 1u);
        for (const msg_node_t *child = node->child; child != NULL; child = child->next) {
            msg_print(out, child);
            msg_append(out, child->next != NULL ? "," : "", child->next != NULL ? 1u : 0u);
        }
        msg_append(out, node->type == MSG_ARRAY ? "]" : "}", 1u);
    }
}

/* Parses the printer's subset of JSON (no escapes, no spaces, integers). */
static msg_node_t *msg_parse(const char **cursor, int in_object) {
    char *key = NULL;
    if (in_object) {
        const char *end = strchr(*cursor + 1, '"');
        key = msg_copy(*cursor + 1, (size_t)(end - *cursor - 1));
        *cursor = end + 2; /* past the quote and the colon */
    }
    msg_node_t *node;
    char c = **cursor;
    if (c == '"') {
        const char *end = strchr(*cursor + 1, '"');
        node = msg_new(MSG_STRING, NULL);
        node->text = msg_copy(*cursor + 1, (size_t)(end - *cursor - 1));
        *cursor = end + 1;
    } else if (c == '[' || c == '{') {
        node = msg_new(c == '[' ? MSG_ARRAY : MSG_OBJECT, NULL);
        (*cursor)++;
        while (**cursor != ']' && **cursor != '}') {
            msg_add(node, msg_parse(cursor, c == '{'));
            *cursor += **cursor == ',';
        }
        (*cursor)++;
    } else {
        char *end;
        node = msg_new(MSG_NUMBER, NULL);
        node->number = strtol(*cursor, &end, 10);
        *cursor = end;
    }
    node->key = key;
    return node;
}

static int msg_equal(const msg_node_t *a, const msg_node_t *b) {
    for (; a != NULL && b != NULL; a = a->next, b = b->next) {
        if (a->type != b->type || (a->key == NULL) != (b->key == NULL) || (a->key && strcmp(a->key, b->key)) ||
            a->number != b->number || (a->text == NULL) != (b->text == NULL) || (a->text && strcmp(a->text, b->text)) ||
            !msg_equal(a->child, b->child)) {
            return 0;
        }
    }
    return a == b;
}

int main(int argc, char **argv) {
    size_t count = bench_option_count(argc, argv, "--messages", 20000u);
    size_t keep = bench_option_count(argc, argv, "--keep", 32u);
    uint64_t random = bench_option_count(argc, argv, "--seed", 42u);
    msg_node_t **queue = msg_check(calloc(keep, sizeof *queue));
    size_t bytes = 0u;
    for (size_t i = 0; i < count; i++) {
        msg_node_t *doc = msg_random_document(&random, (long)i);
        msg_buffer_t text = {NULL, 0u, 0u};
        msg_print(&text, doc);
        const char *cursor = text.data;
        msg_node_t *parsed = msg_parse(&cursor, 0);
        if (!msg_equal(doc, parsed)) {
            fprintf(stderr, "messages: message %zu did not survive printing and parsing\n", i);
            return 1;
        }
        bytes += text.length;
        free(text.data);
        msg_delete(doc);
        msg_delete(queue[i % keep]);
        queue[i % keep] = parsed;
    }
    for (size_t i = 0; i < keep; i++) {
        msg_delete(queue[i]);
    }
    free(queue);
    printf("messages=%zu text_bytes=%zu\n", count, bytes);
    return 0;
}
