/* Reading heap layouts from a TOML file, with one-line errors. */
#define _POSIX_C_SOURCE 200809L /* fileno, fstat */
#include "heap_config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "heap_layout.h"
#include "pool_shares.h"
#include "quantity.h"
#include "toml/toml.h"

#define MAX_FILE_BYTES (16u * 1024u * 1024u)

/* Everything a validation step needs to report an error. */
typedef struct loader {
    const char *path;
    const ph_target_t *target;
    char *error;
    size_t error_size;
} loader_t;

static int report(const loader_t *l, toml_position_t at, const char *format, ...) {
    int n = snprintf(l->error, l->error_size, "%s:%u:%u: ", l->path, at.line, at.column);
    if (n >= 0 && (size_t)n < l->error_size) {
        va_list args;
        va_start(args, format);
        vsnprintf(l->error + n, l->error_size - (size_t)n, format, args);
        va_end(args);
    }
    return -1;
}

/* Reads a whole file (at most MAX_FILE_BYTES); returns a copy or NULL with
 * the error. */
static char *read_file(const loader_t *l, size_t *length) {
    FILE *f = fopen(l->path, "rb");
    struct stat st;
    if (f == NULL || (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode))) {
        snprintf(l->error, l->error_size, "%s: cannot open: %s", l->path, strerror(f == NULL ? errno : EISDIR));
        if (f != NULL) {
            fclose(f);
        }
        return NULL;
    }
    char *text = NULL;
    size_t n = 0u, capacity = 0u;
    const char *why = NULL;
    while (why == NULL && !feof(f)) {
        if (n == capacity) {
            capacity = capacity ? 2u * capacity : 4096u;
            char *grown = capacity <= 2u * MAX_FILE_BYTES ? realloc(text, capacity) : NULL;
            why = grown == NULL ? "out of memory" : NULL;
            text = grown != NULL ? grown : text;
        }
        n += why != NULL ? 0u : fread(text + n, 1u, capacity - n, f);
        why = why != NULL ? why : ferror(f) ? strerror(errno) : n > MAX_FILE_BYTES ? "larger than the limit" : NULL;
    }
    fclose(f);
    if (why != NULL) {
        snprintf(l->error, l->error_size, "%s: cannot read it: %s (configuration files hold at most %u bytes)", l->path,
                 why, MAX_FILE_BYTES);
        free(text);
        return NULL;
    }
    *length = n;
    return text;
}

/* Whether the entry's key is `name` (keys may hold NUL characters). */
static int key_is(const toml_entry_t *e, const char *name) {
    return e->key_length == strlen(name) && memcmp(e->key, name, e->key_length) == 0;
}

/* Reports `key` as unknown among `known`, suggesting a near miss. Control
 * characters (including NUL) in the key are shown as '?'. */
static int unknown_key(const loader_t *l, const toml_entry_t *e, const char *where, const char *const *known,
                       size_t count, const char *expected) {
    char key[48];
    size_t n = e->key_length < sizeof key - 1u ? e->key_length : sizeof key - 1u;
    for (size_t i = 0u; i < n; i++) {
        key[i] = (unsigned char)e->key[i] < 0x20u || e->key[i] == 0x7F ? '?' : e->key[i];
    }
    key[n] = '\0';
    const char *guess = ph_suggest(key, known, count);
    if (guess != NULL) {
        return report(l, e->key_position, "unknown key '%s' in %s; did you mean '%s'?", key, where, guess);
    }
    return report(l, e->key_position, "unknown key '%s' in %s (expected %s)", key, where, expected);
}

/* An amount of bytes: an integer, or a string for ph_parse_size. */
static int read_bytes(const loader_t *l, const toml_value_t *v, const char *what, uint64_t *out) {
    if (v->type == TOML_INTEGER) {
        if (v->as.integer < 0) {
            return report(l, v->position, "%s must not be negative", what);
        }
        *out = (uint64_t)v->as.integer;
        return 0;
    }
    if (v->type != TOML_STRING) {
        return report(l, v->position, "%s must be an integer or a string such as \"10K\", not %s", what,
                      toml_type_name(v->type));
    }
    int r = ph_parse_size(v->as.string.data, out);
    if (r == -2) {
        return report(l, v->position, "%s \"%s\" does not fit in 64 bits", what, v->as.string.data);
    }
    if (r != 0 || strlen(v->as.string.data) != v->as.string.length) {
        return report(l, v->position,
                      "%s \"%.40s\" is not a size: use digits (with _ separators or a 0x prefix) and an optional K "
                      "or M suffix",
                      what, v->as.string.data);
    }
    return 0;
}

/* ---- Pools ------------------------------------------------------------------ */

/* A pool as read, with where its parts were written. */
typedef struct pool_source {
    ph_pool_request_t request;
    toml_position_t at, block_at, capacity_at;
} pool_source_t;

static int read_block(const loader_t *l, const toml_value_t *v, uint32_t *out) {
    uint64_t block;
    uint32_t word = l->target->pointer_size;
    if (read_bytes(l, v, "block", &block) != 0) {
        return -1;
    }
    if (block == 0u) {
        return report(l, v->position, "block must not be zero");
    }
    if (block > UINT32_MAX) {
        return report(l, v->position, "block %llu is larger than 4 GiB", (unsigned long long)block);
    }
    if (block < word) {
        return report(l, v->position, "block %llu is smaller than a pointer (%u bytes on this target)",
                      (unsigned long long)block, word);
    }
    if (block % word != 0u) {
        return report(l, v->position, "block %llu is not a multiple of the pointer size (%u bytes on this target)",
                      (unsigned long long)block, word);
    }
    *out = (uint32_t)block;
    return 0;
}

static int read_capacity(const loader_t *l, const toml_value_t *v, ph_pool_request_t *pool) {
    if (v->type == TOML_INTEGER) {
        if (v->as.integer <= 0) {
            return report(l, v->position, "capacity must not be %s", v->as.integer == 0 ? "zero" : "negative");
        }
        if (v->as.integer > UINT32_MAX) {
            return report(l, v->position, "capacity %lld is more than 2^32 - 1 blocks", (long long)v->as.integer);
        }
        pool->capacity = (uint64_t)v->as.integer;
        return 0;
    }
    if (v->type != TOML_STRING || ph_parse_share(v->as.string.data, &pool->share) != 0 ||
        strlen(v->as.string.data) != v->as.string.length) {
        return report(l, v->position, "capacity must be an integer or a share of the heap such as \"12.5%%\"");
    }
    if (pool->share == 0u) {
        return report(l, v->position, "capacity must not be zero");
    }
    return 0;
}

static int read_pool(const loader_t *l, const toml_value_t *v, pool_source_t *out) {
    static const char *const known[] = {"block", "capacity"};
    if (v->type != TOML_TABLE) {
        return report(l, v->position, "each pool must be a table such as { block = 8, capacity = 16 }, not %s",
                      toml_type_name(v->type));
    }
    *out = (pool_source_t){.at = v->position};
    for (size_t i = 0u; i < v->as.table.count; i++) {
        const toml_entry_t *e = &v->as.table.entries[i];
        if (key_is(e, "block")) {
            out->block_at = e->value->position;
            if (read_block(l, e->value, &out->request.block) != 0) {
                return -1;
            }
        } else if (key_is(e, "capacity")) {
            out->capacity_at = e->value->position;
            if (read_capacity(l, e->value, &out->request) != 0) {
                return -1;
            }
        } else {
            return unknown_key(l, e, "a pool", known, 2u, "block and capacity");
        }
    }
    if (out->request.block == 0u) {
        return report(l, out->at, "pool has no block");
    }
    if (out->capacity_at.line == 0u) {
        return report(l, out->at, "pool has no capacity");
    }
    return 0;
}

static int by_block(const void *a, const void *b) {
    uint32_t x = ((const pool_source_t *)a)->request.block, y = ((const pool_source_t *)b)->request.block;
    return (x > y) - (x < y);
}

/* Checks that the pools add up to `size`, resolving shares first. */
static int check_total(const loader_t *l, const char *heap, uint64_t size, toml_position_t size_at,
                       pool_source_t *pools, size_t count) {
    ph_pool_request_t requests[POOLHEAP_MAX_POOLS];
    uint64_t shares = 0u;
    for (size_t i = 0u; i < count; i++) {
        requests[i] = pools[i].request;
        shares += requests[i].share;
        if (shares > PH_SHARE_WHOLE) {
            char text[24];
            ph_format_share(shares, text, sizeof text);
            return report(l, pools[i].capacity_at, "capacity shares of heap '%s' add up to %s, more than 100%%", heap,
                          text);
        }
    }
    /* Shared-out capacities fit in 32 bits: the size (checked before) is below
     * 2^32 bytes and a block at least a pointer. */
    uint64_t total = ph_resolve_shares(size, requests, count);
    for (size_t i = 0u; i < count; i++) {
        pools[i].request.capacity = requests[i].capacity;
        if (requests[i].capacity == 0u) {
            char text[24];
            ph_format_share(requests[i].share, text, sizeof text);
            return report(l, pools[i].capacity_at,
                          "capacity \"%s\" of heap '%s' gives no block of %u bytes; raise the share or the size", text,
                          heap, requests[i].block);
        }
    }
    if (total == UINT64_MAX) {
        return report(l, size_at, "pools of heap '%s' add up to more than 2^64 - 1 bytes, far more than size (%llu)",
                      heap, (unsigned long long)size);
    }
    if (total != size) {
        unsigned long long diff = (unsigned long long)(total > size ? total - size : size - total);
        return report(l, size_at,
                      "pools of heap '%s' add up to %llu bytes, %llu %s than size (%llu)%s: set size = %llu or %s "
                      "%llu bytes of blocks",
                      heap, (unsigned long long)total, diff, total > size ? "more" : "fewer", (unsigned long long)size,
                      shares != 0u ? " after sharing out the percentages" : "", (unsigned long long)total,
                      total > size ? "remove" : "add", diff);
    }
    return 0;
}

/* Reads, checks and sorts the pools array into `heap`. */
static int read_pools(const loader_t *l, const toml_value_t *v, ph_heap_config_t *heap, toml_position_t size_at) {
    pool_source_t pools[POOLHEAP_MAX_POOLS];
    if (v->type != TOML_ARRAY) {
        return report(l, v->position, "pools must be an array of tables such as { block = 8, capacity = 16 }");
    }
    if (v->as.array.count == 0u) {
        return report(l, v->position, "pools of heap '%s' is empty", heap->name);
    }
    if (v->as.array.count > POOLHEAP_MAX_POOLS) {
        return report(l, v->position, "heap '%s' has %zu pools, more than the %u a heap may have", heap->name,
                      v->as.array.count, POOLHEAP_MAX_POOLS);
    }
    size_t count = v->as.array.count;
    for (size_t i = 0u; i < count; i++) {
        if (read_pool(l, v->as.array.items[i], &pools[i]) != 0) {
            return -1;
        }
    }
    /* stable order for the duplicate message: qsort, then the earlier-written one is named */
    qsort(pools, count, sizeof pools[0], by_block);
    for (size_t i = 1u; i < count; i++) {
        if (pools[i].request.block == pools[i - 1u].request.block) {
            const pool_source_t *first = &pools[i - 1u], *second = &pools[i];
            if (first->block_at.line > second->block_at.line ||
                (first->block_at.line == second->block_at.line && first->block_at.column > second->block_at.column)) {
                first = &pools[i];
                second = &pools[i - 1u];
            }
            return report(l, second->block_at, "block %u appears twice in heap '%s' (also at %u:%u)",
                          second->request.block, heap->name, first->block_at.line, first->block_at.column);
        }
    }
    if (check_total(l, heap->name, heap->size, size_at, pools, count) != 0) {
        return -1;
    }
    for (size_t i = 0u; i < count; i++) {
        heap->pools[i] = (poolheap_pool_config_t){pools[i].request.block, (uint32_t)pools[i].request.capacity};
    }
    heap->pool_count = count;
    return 0;
}

/* ---- Heaps ----------------------------------------------------------------- */

static int valid_section(const char *s, size_t length) {
    if (length == 0u || length >= sizeof((ph_heap_config_t *)0)->section || strlen(s) != length) {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '_' || *s == '$' || *s == '-')) {
            return 0;
        }
    }
    return 1;
}

static int valid_identifier(const char *s, size_t length) {
    if (length == 0u || length > 40u || strlen(s) != length || (*s >= '0' && *s <= '9')) {
        return 0;
    }
    for (; *s; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_')) {
            return 0;
        }
    }
    return 1;
}

/* The largest address + 1 of the target: 2^(8 * pointer size). */
static uint64_t address_limit(const loader_t *l) {
    return l->target->pointer_size >= 8u ? UINT64_MAX : (uint64_t)1u << (8u * l->target->pointer_size);
}

/* Where a heap is placed, for the overlap check. */
typedef struct placement {
    toml_position_t origin_at;
    uint64_t end;
} placement_t;

static int read_origin(const loader_t *l, const toml_value_t *v, ph_heap_config_t *heap) {
    if (read_bytes(l, v, "origin", &heap->origin) != 0) {
        return -1;
    }
    if (heap->origin >= address_limit(l)) {
        return report(l, v->position, "origin 0x%llX is beyond the %u-byte target's address space",
                      (unsigned long long)heap->origin, l->target->pointer_size);
    }
    heap->has_origin = 1;
    return 0;
}

/* Reads one heap's table; `where` names it in messages ("[heap.main]"). */
static int read_heap(const loader_t *l, const toml_value_t *t, const char *where, ph_heap_config_t *heap,
                     placement_t *place) {
    static const char *const known[] = {"size", "pools", "section", "origin"};
    const toml_value_t *size = NULL, *pools = NULL;
    for (size_t i = 0u; i < t->as.table.count; i++) {
        const toml_entry_t *e = &t->as.table.entries[i];
        const toml_value_t *v = e->value;
        if (key_is(e, "size")) {
            size = v;
            if (read_bytes(l, v, "size", &heap->size) != 0) {
                return -1;
            }
        } else if (key_is(e, "pools")) {
            pools = v;
        } else if (key_is(e, "section")) {
            if (v->type != TOML_STRING || !valid_section(v->as.string.data, v->as.string.length)) {
                return report(l, v->position,
                              "section must be a linker section name such as \".ccmram\" (letters, digits, '.', "
                              "'_', '$' or '-')");
            }
            memcpy(heap->section, v->as.string.data, v->as.string.length + 1u);
        } else if (key_is(e, "origin")) {
            place->origin_at = v->position;
            if (read_origin(l, v, heap) != 0) {
                return -1;
            }
        } else if (v->type == TOML_TABLE && strcmp(where, "[heap]") == 0) {
            return report(l, e->key_position,
                          "[heap] has a size or pools of its own, so [heap.%.40s] cannot be another heap: move "
                          "them to [heap.main]",
                          e->key);
        } else {
            return unknown_key(l, e, where, known, 4u, "size, pools, section or origin");
        }
    }
    if (heap->section[0] != '\0' && heap->has_origin) {
        return report(l, place->origin_at, "%s has both section and origin; a heap takes one or the other", where);
    }
    if (size == NULL) {
        return report(l, t->position, "%s has no size", where);
    }
    if (pools == NULL) {
        return report(l, t->position, "%s has no pools", where);
    }
    if (heap->size > UINT32_MAX) {
        return report(l, size->position, "size %llu overflows the %s", (unsigned long long)heap->size,
                      l->target->pointer_size == 4u ? "4-byte target's address space" : "4 GiB a heap may hold");
    }
    if (read_pools(l, pools, heap, size->position) != 0) {
        return -1;
    }
    uint64_t span = ph_layout_offsets(heap->pools, heap->pool_count, NULL);
    if (span > UINT32_MAX) {
        return report(l, size->position, "heap '%s' spans %llu bytes with alignment padding, more than %s", heap->name,
                      (unsigned long long)span,
                      l->target->pointer_size == 4u ? "the 4-byte target's address space"
                                                    : "the 4 GiB a heap may span");
    }
    uint32_t align = (uint32_t)poolheap_layout_alignment(heap->pools, heap->pool_count);
    if (heap->has_origin && heap->origin % align != 0u) {
        return report(l, place->origin_at, "origin 0x%llX of heap '%s' is not a multiple of its alignment (%u bytes)",
                      (unsigned long long)heap->origin, heap->name, align);
    }
    if (heap->has_origin && span > address_limit(l) - heap->origin) {
        return report(l, place->origin_at, "heap '%s' at 0x%llX ends beyond the %u-byte target's address space",
                      heap->name, (unsigned long long)heap->origin, l->target->pointer_size);
    }
    place->end = heap->origin + span;
    return 0;
}

/* For sorting the heaps that have an origin by it. */
typedef struct placed {
    uint64_t origin;
    size_t heap;
} placed_t;

static int by_origin(const void *a, const void *b) {
    const placed_t *x = a, *y = b;
    return x->origin != y->origin ? (x->origin > y->origin) - (x->origin < y->origin)
                                  : (x->heap > y->heap) - (x->heap < y->heap);
}

/* Heaps at fixed addresses must not overlap. Sorted by origin, a heap
 * overlaps an earlier one iff it starts before the furthest end so far:
 * O(H log H), whatever the file holds. Names the later-defined heap first. */
static int check_overlaps(const loader_t *l, const ph_config_t *config, const placement_t *places) {
    placed_t *sorted = calloc(config->count + 1u, sizeof *sorted);
    if (sorted == NULL) {
        return report(l, (toml_position_t){1u, 1u}, "out of memory");
    }
    size_t n = 0u;
    for (size_t i = 0u; i < config->count; i++) {
        if (config->heaps[i].has_origin) {
            sorted[n++] = (placed_t){config->heaps[i].origin, i};
        }
    }
    qsort(sorted, n, sizeof *sorted, by_origin);
    int r = 0;
    for (size_t k = 1u, furthest = 0u; k < n && r == 0; k++) {
        size_t i = sorted[k].heap, j = sorted[furthest].heap;
        if (sorted[k].origin < places[j].end) {
            size_t later = i > j ? i : j, earlier = i > j ? j : i;
            const ph_heap_config_t *b = &config->heaps[later], *a = &config->heaps[earlier];
            r = report(l, places[later].origin_at, "heap '%s' (0x%llX to 0x%llX) overlaps heap '%s' (0x%llX to 0x%llX)",
                       b->name, (unsigned long long)b->origin, (unsigned long long)places[later].end, a->name,
                       (unsigned long long)a->origin, (unsigned long long)places[earlier].end);
        }
        furthest = places[i].end > places[j].end ? k : furthest;
    }
    free(sorted);
    return r;
}

/* Heap `name` clashes with the identifiers poolheap gen makes for another
 * heap of `heaps` when it is that heap's name followed by _POOLS or
 * _poolheap_...: heap_NAME_POOLS is a macro and heap_NAME_poolheap_* the
 * storage of POOLHEAP_DEFINE. Returns the length of the other heap's name,
 * or 0. Time: O(length) lookups. */
static size_t clashing_name(const toml_value_t *heaps, const char *name) {
    static const char *const suffixes[] = {"_poolheap_", "_POOLS"};
    char prefix[sizeof((ph_heap_config_t *)0)->name];
    for (size_t at = 1u; name[at] != '\0' && at < sizeof prefix; at++) {
        for (size_t k = 0u; k < sizeof suffixes / sizeof suffixes[0]; k++) {
            if (strncmp(name + at, suffixes[k], strlen(suffixes[k])) == 0) {
                memcpy(prefix, name, at);
                prefix[at] = '\0';
                const toml_value_t *other = toml_get(heaps, prefix);
                if (other != NULL && other->type == TOML_TABLE) {
                    return at;
                }
            }
        }
    }
    return 0u;
}

/* Fills `config` from the [heap] table: one heap or one per sub-table. */
static int read_heaps(const loader_t *l, const toml_value_t *heap_table, ph_config_t *config) {
    const toml_value_t *size = toml_get(heap_table, "size"), *pools = toml_get(heap_table, "pools");
    int single = size != NULL || pools != NULL;
    size_t count = single ? 1u : heap_table->as.table.count;
    if (count == 0u) {
        return report(l, heap_table->position, "[heap] defines no heap: give it size and pools, or add [heap.NAME]");
    }
    config->heaps = calloc(count, sizeof *config->heaps);
    placement_t *places = calloc(count, sizeof *places);
    if (config->heaps == NULL || places == NULL) {
        free(places);
        return report(l, heap_table->position, "out of memory");
    }
    int r = 0;
    for (size_t i = 0u; i < count && r == 0; i++) {
        ph_heap_config_t *heap = &config->heaps[i];
        config->count++;
        if (single) {
            strcpy(heap->name, "main");
            r = read_heap(l, heap_table, "[heap]", heap, &places[i]);
            continue;
        }
        const toml_entry_t *e = &heap_table->as.table.entries[i];
        char where[80];
        if (e->value->type != TOML_TABLE) {
            static const char *const known[] = {"size", "pools"};
            r = unknown_key(l, e, "[heap]", known, 2u, "[heap.NAME] tables, or size and pools");
        } else if (!valid_identifier(e->key, e->key_length)) {
            r = report(l, e->key_position,
                       "heap name '%.40s' must be a C identifier of at most 40 characters (letters, digits, '_')",
                       e->key);
        } else if (clashing_name(heap_table, e->key) != 0u) {
            r = report(l, e->key_position,
                       "heap name '%s' clashes with the C identifiers generated for heap '%.*s' (heap_%s is one of "
                       "them): rename it",
                       e->key, (int)clashing_name(heap_table, e->key), e->key, e->key);
        } else {
            strcpy(heap->name, e->key);
            snprintf(where, sizeof where, "[heap.%s]", e->key);
            r = read_heap(l, e->value, where, heap, &places[i]);
        }
    }
    if (r == 0) {
        r = check_overlaps(l, config, places);
    }
    free(places);
    return r;
}

int ph_config_parse(const char *text, size_t length, const char *name, const ph_target_t *target, ph_config_t *out,
                    char *error, size_t error_size) {
    loader_t l = {name, target, error, error_size};
    *out = (ph_config_t){NULL, 0u};
    if (target->pointer_size != 4u && target->pointer_size != 8u) {
        snprintf(error, error_size, "%s: the target's pointer size must be 4 or 8, not %u", name, target->pointer_size);
        return -1;
    }
    toml_error_t parse_error;
    toml_value_t *root = toml_parse(text, length, &parse_error);
    if (root == NULL) {
        return report(&l, parse_error.position, "%s", parse_error.message);
    }
    const toml_value_t *heap = toml_get(root, "heap");
    int r;
    if (heap == NULL) {
        r = report(&l, (toml_position_t){1u, 1u}, "no [heap] table: add [heap] or [heap.NAME] with size and pools");
    } else if (heap->type != TOML_TABLE) {
        r = report(&l, heap->position, "heap must be a table ([heap] or [heap.NAME]), not %s",
                   toml_type_name(heap->type));
    } else {
        r = read_heaps(&l, heap, out);
    }
    toml_free(root);
    if (r != 0) {
        ph_config_free(out);
    }
    return r;
}

int ph_config_load(const char *path, const ph_target_t *target, ph_config_t *out, char *error, size_t error_size) {
    loader_t l = {path, target, error, error_size};
    size_t length = 0u;
    *out = (ph_config_t){NULL, 0u};
    char *text = read_file(&l, &length);
    if (text == NULL) {
        return -1;
    }
    int r = ph_config_parse(text, length, path, target, out, error, error_size);
    free(text);
    return r;
}

void ph_config_free(ph_config_t *config) {
    free(config->heaps);
    *config = (ph_config_t){NULL, 0u};
}
