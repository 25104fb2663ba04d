#include "fixture.h"

#include <string.h>

hook_log_t hook_log;

static const poolheap_pool_config_t test_pools[TEST_POOL_COUNT] = {
    {8, 4}, {16, 4}, {24, 2}, {64, 2}, {96, 2}, {256, 1},
};

static poolheap_runtime_t runtime;
static _Alignas(256) unsigned char region[TEST_SPAN];
static poolheap_word_t side_table[TEST_BLOCKS];

static void log_oom(const poolheap_t *heap, size_t size, size_t align, void *context) {
    hook_log_t *log = context;
    log->oom_calls++;
    log->oom_size = size;
    log->oom_align = align;
    log->heap = heap;
}

static void log_error(const poolheap_t *heap, poolheap_error_t error, const void *pointer, void *context) {
    hook_log_t *log = context;
    log->error_calls++;
    log->error = error;
    log->error_pointer = pointer;
    log->heap = heap;
}

const poolheap_t *test_heap(unsigned flags) {
    memset(region, 0, sizeof region);
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, test_pools, TEST_POOL_COUNT, flags,
                                             POOLHEAP_DEBUG ? side_table : NULL, "test");
    memset(&hook_log, 0, sizeof hook_log);
    poolheap_set_hooks(heap, log_oom, log_error, &hook_log);
    return heap;
}

int test_pool_of(const poolheap_t *heap, const void *pointer) {
    for (int i = 0; i < (int)heap->pool_count; i++) {
        const unsigned char *start = heap->pools[i].start;
        const unsigned char *end = start + (size_t)heap->pools[i].block * heap->pools[i].capacity;
        if ((const unsigned char *)pointer >= start && (const unsigned char *)pointer < end) {
            return i;
        }
    }
    return -1;
}

void test_exhaust(const poolheap_t *heap, int pool) {
    for (uint32_t i = 0u; i < heap->pools[pool].capacity; i++) {
        poolheap_alloc(heap, heap->pools[pool].block);
    }
}

poolheap_pool_stats_t test_pool_stats(const poolheap_t *heap, int pool) {
    poolheap_pool_stats_t stats;
    memset(&stats, 0xff, sizeof stats);
    poolheap_pool_stats(heap, (unsigned)pool, &stats);
    return stats;
}

poolheap_stats_t test_stats(const poolheap_t *heap) {
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    return stats;
}

pool_snapshot_t test_save_pools(const poolheap_t *heap) {
    pool_snapshot_t saved;
    memcpy(saved.states, heap->pools[0].state, sizeof saved.states);
    return saved;
}

int test_pools_unchanged(const poolheap_t *heap, const pool_snapshot_t *saved) {
    return memcmp(saved->states, heap->pools[0].state, sizeof saved->states) == 0;
}
