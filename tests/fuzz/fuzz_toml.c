/* libFuzzer harness for the TOML reader and the heap configuration on top
 * of it: any input must be either rejected with a positioned message or
 * accepted as a tree / a configuration that holds its invariants; no crash,
 * no leak, no undefined behaviour (run with ASan and UBSan). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/heap_config.h"
#include "config/heap_layout.h"
#include "toml/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every value of the tree is well-formed; returns the number of values. */
static size_t walk(const toml_value_t *v) {
    size_t n = 1u;
    if (v->position.line == 0u || v->position.column == 0u) {
        abort();
    }
    if (v->type == TOML_STRING && v->as.string.data[v->as.string.length] != '\0') {
        abort();
    }
    if (v->type == TOML_ARRAY) {
        for (size_t i = 0u; i < v->as.array.count; i++) {
            n += walk(v->as.array.items[i]);
        }
    }
    if (v->type == TOML_TABLE) {
        for (size_t i = 0u; i < v->as.table.count; i++) {
            const toml_entry_t *e = &v->as.table.entries[i];
            for (size_t j = 0u; j < i; j++) { /* keys are unique */
                const toml_entry_t *f = &v->as.table.entries[j];
                if (f->key_length == e->key_length && memcmp(f->key, e->key, e->key_length) == 0) {
                    abort();
                }
            }
            n += walk(e->value);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    toml_error_t error;
    toml_value_t *root = toml_parse((const char *)data, size, &error);
    if (root != NULL) {
        walk(root);
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
