/* Heap layouts read from a TOML file (Drone.toml's [heap] / [heap.NAME]).
 * Implemented by heap_config.c on top of toml.c. */
#ifndef POOLHEAP_TOOLS_HEAP_CONFIG_H
#define POOLHEAP_TOOLS_HEAP_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"

/* What the generated code will run on. */
typedef struct ph_target {
    uint32_t pointer_size; /* 4 (Cortex-M, default) or 8 */
} ph_target_t;

typedef struct ph_heap_config {
    char name[64];     /* "main" for the single-heap form [heap] */
    uint64_t size;     /* sum of block * capacity */
    size_t pool_count; /* 1 .. POOLHEAP_MAX_POOLS, sorted by block */
    poolheap_pool_config_t pools[POOLHEAP_MAX_POOLS];
    char section[128]; /* linker section, or "" */
    uint64_t origin;   /* fixed address, valid if has_origin */
    int has_origin;
} ph_heap_config_t;

typedef struct ph_config {
    ph_heap_config_t *heaps;
    size_t count;
} ph_config_t;

/* Reads and validates `path`. Returns 0, or -1 with one line in `error`
 * ("FILE:LINE:COL: message"); nothing is left allocated on failure. */
int ph_config_load(const char *path, const ph_target_t *target, ph_config_t *out, char *error, size_t error_size);

/* As ph_config_load, on `length` bytes of TOML at `text` (need not be
 * NUL-terminated); `name` stands for the file in messages. */
int ph_config_parse(const char *text, size_t length, const char *name, const ph_target_t *target, ph_config_t *out,
                    char *error, size_t error_size);

/* Releases what ph_config_load or ph_config_parse allocated; leaves `config`
 * empty. Safe on an empty configuration. */
void ph_config_free(ph_config_t *config);

#endif /* POOLHEAP_TOOLS_HEAP_CONFIG_H */
