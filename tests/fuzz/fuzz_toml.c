/* libFuzzer harness for the TOML reader and the heap configuration on top
 * of it: any input must be either rejected with a positioned message or
 * accepted as a tree / a configuration that holds its invariants; no crash,
 * no leak, no undefined behaviour (run with ASan and UBSan).
 *
 * Structure-aware mode, cheap: an input starting with 0xFF is a recipe
 * (mode, count, fragment) that expands into deep nesting or many keys, which
 * byte-level mutation would take long to grow (see expand below). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/heap_config.h"
#include "config/heap_layout.h"
#include "toml/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The entry toml_get finds for e's key (keys with NUL bytes: searched in
 * order, as toml_get takes a C string). */
static const toml_entry_t *find_entry(const toml_value_t *table, const toml_entry_t *e) {
    if (strlen(e->key) == e->key_length) {
        const toml_value_t *found = toml_get(table, e->key);
        return found == e->value ? e : NULL;
    }
    for (size_t i = 0u; i < table->as.table.count; i++) {
        const toml_entry_t *f = &table->as.table.entries[i];
        if (f->key_length == e->key_length && memcmp(f->key, e->key, e->key_length) == 0) {
            return f;
        }
    }
    return NULL;
}

/* Every value of the tree is well-formed and at most TOML_MAX_DEPTH deep,
 * one level below its container; returns the number of values. */
static size_t walk(const toml_value_t *v, unsigned depth) {
    size_t n = 1u;
    if (v->position.line == 0u || v->position.column == 0u || v->depth != depth || depth > TOML_MAX_DEPTH) {
        abort();
    }
    if (v->type == TOML_STRING && v->as.string.data[v->as.string.length] != '\0') {
        abort();
    }
    if (v->type == TOML_ARRAY) {
        for (size_t i = 0u; i < v->as.array.count; i++) {
            n += walk(v->as.array.items[i], depth + 1u);
        }
    }
    if (v->type == TOML_TABLE) {
        for (size_t i = 0u; i < v->as.table.count; i++) {
            const toml_entry_t *e = &v->as.table.entries[i];
            if (find_entry(v, e) != e) { /* keys are unique, and the index finds each */
                abort();
            }
            n += walk(e->value, depth + 1u);
        }
    }
    return n;
}

static void check_config(const ph_config_t *config) {
    for (size_t i = 0u; i < config->count; i++) {
        const ph_heap_config_t *h = &config->heaps[i];
        uint64_t total = 0u;
        if (h->pool_count == 0u || h->pool_count > POOLHEAP_MAX_POOLS) {
            abort();
        }
        for (size_t p = 0u; p < h->pool_count; p++) {
            if (h->pools[p].capacity == 0u || h->pools[p].block % 4u != 0u ||
                (p > 0u && h->pools[p].block <= h->pools[p - 1u].block)) {
                abort();
            }
            total += (uint64_t)h->pools[p].block * h->pools[p].capacity;
        }
        if (total != h->size || ph_layout_offsets(h->pools, h->pool_count, NULL) > UINT32_MAX) {
            abort();
        }
    }
}

/* Expands a recipe: data[1] % 5 picks the shape, data[2..3] the count
 * (up to 4095: far past the nesting limit, and enough keys for the index to
 * grow nine times), the rest is a fragment used as a key (or left out):
 *   0  k.k.k... = 1          a dotted key `count` parts deep
 *   1  [k.k.k...]            a header as deep
 *   2  x = [[[...            arrays
 *   3  x = { k = { k = ...   inline tables
 *   4  k0 = 0 ... kN = N     `count` keys in one table (fragment as prefix)
 * Returns the text (free it) and its length. */
static char *expand(const uint8_t *data, size_t size, size_t *length) {
    if (size < 4u) {
        return NULL;
    }
    unsigned mode = data[1] % 5u, count = ((unsigned)data[2] << 8 | data[3]) % 4096u; /* keeps runs fast */
    const char *fragment = (const char *)data + 4;
    size_t fragment_length = size - 4u > 16u ? 16u : size - 4u;
    size_t capacity = 64u + (size_t)count * (fragment_length + 24u);
    char *text = malloc(capacity);
    size_t n = 0u;
    if (text == NULL) {
        return NULL;
    }
#define PUT(bytes, count_)                   \
    do {                                     \
        memcpy(text + n, (bytes), (count_)); \
        n += (count_);                       \
    } while (0)
    if (mode == 1u) {
        PUT("[", 1u);
    } else if (mode == 2u || mode == 3u) {
        PUT("x = ", 4u);
    }
    for (unsigned i = 0u; i < count; i++) {
        if (mode <= 1u) {
            PUT(i > 0u ? ".k" : "k", i > 0u ? 2u : 1u);
        } else if (mode == 2u) {
            PUT("[", 1u);
        } else if (mode == 3u) {
            PUT("{ k = ", 6u);
        } else {
            PUT(fragment, fragment_length);
            n += (size_t)snprintf(text + n, capacity - n, "k%u = %u\n", i, i);
        }
    }
    if (mode == 0u) {
        PUT(" = 1\n", 5u);
    } else if (mode == 1u) {
        PUT("]\n", 2u);
    }
#undef PUT
    *length = n;
    return text;
}

static int check_one_input(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size > 0u && data[0] == 0xFFu) {
        size_t length = 0u;
        char *text = expand(data, size, &length);
        if (text != NULL) {
            check_one_input((const uint8_t *)text, length);
            free(text);
        }
        return 0;
    }
    return check_one_input(data, size);
}

static int check_one_input(const uint8_t *data, size_t size) {
    toml_error_t error;
    toml_value_t *root = toml_parse((const char *)data, size, &error);
    if (root != NULL) {
        walk(root, 0u);
    } else if (error.position.line == 0u || error.message[0] == '\0') {
        abort();
    }
    toml_free(root);

    ph_target_t target = {4u};
    ph_config_t config;
    char message[512];
    if (ph_config_parse((const char *)data, size, "fuzz.toml", &target, &config, message, sizeof message) == 0) {
        check_config(&config);
        ph_config_free(&config);
    } else if (strncmp(message, "fuzz.toml:", 10u) != 0 || config.heaps != NULL) {
        abort();
    }
    return 0;
}
