/* The heaps `poolheap gen` generated from HEAPS_TOML (through
 * poolheap_add_heaps) match the tool's own reading of the file, the
 * run-time layout of the core library, and work: every pool hands out all
 * its blocks, and the deep check passes before, during and after. */
#include <stdint.h>
#include <stdlib.h>

#include "config/heap_config.h"
#include "config/heap_layout.h"
#include "harness.h"
#include "poolheap.h"
#include "poolheap_heaps.h"

static ph_config_t config;

/* Same sizes, pools, offsets and span as the tool computes; and, with
 * pointers the host can hold, as poolheap_create lays them out. */
static void generated_heaps_match_the_configuration(void) {
    CHECK_EQ(config.count, POOLHEAP_HEAP_COUNT);
    for (size_t i = 0u; i < config.count && i < POOLHEAP_HEAP_COUNT; i++) {
        const ph_heap_config_t *want = &config.heaps[i];
        const poolheap_t *heap = poolheap_heaps[i];
        uint64_t offsets[POOLHEAP_MAX_POOLS];
        CHECK_EQ(heap->size, want->size);
        CHECK_EQ(heap->pool_count, want->pool_count);
        CHECK_EQ(heap->span, ph_layout_offsets(want->pools, want->pool_count, offsets));
        CHECK_EQ(heap->span, poolheap_layout_span(want->pools, want->pool_count));
        CHECK_EQ((uintptr_t)heap->base % poolheap_layout_alignment(want->pools, want->pool_count), 0u);
        if (want->has_origin) {
            CHECK_EQ((uintptr_t)heap->base, want->origin);
        }
        for (size_t p = 0u; p < want->pool_count && p < heap->pool_count; p++) {
            CHECK_EQ(heap->pools[p].block, want->pools[p].block);
            CHECK_EQ(heap->pools[p].capacity, want->pools[p].capacity);
            CHECK(heap->pools[p].start == heap->base + offsets[p]);
        }
        poolheap_runtime_t runtime;
        static unsigned char region[1u << 16];
        const poolheap_t *twin =
            poolheap_create(&runtime, region, sizeof region, want->pools, want->pool_count, 0u, NULL, "twin");
        CHECK(twin != NULL);
        for (size_t p = 0u; twin != NULL && p < want->pool_count; p++) {
            CHECK_EQ(twin->pools[p].start - twin->base, heap->pools[p].start - heap->base);
            CHECK_EQ(twin->pools[p].first, heap->pools[p].first);
            CHECK_EQ(twin->pools[p].inverse, heap->pools[p].inverse);
            CHECK_EQ(twin->pools[p].shift, heap->pools[p].shift);
        }
    }
}

/* Fills every pool of `heap` from the smallest up, checking where each block
 * lands, then frees everything. */
static void fill_and_empty(const poolheap_t *heap) {
    void **blocks = calloc(heap->blocks, sizeof *blocks);
    size_t n = 0u;
    CHECK(blocks != NULL);
    for (uint32_t p = 0u; blocks != NULL && p < heap->pool_count; p++) {
        const poolheap_pool_t *pool = &heap->pools[p];
        for (uint32_t b = 0u; b < pool->capacity; b++) {
            unsigned char *block = poolheap_alloc(heap, pool->block);
            CHECK(block != NULL);
            if (block == NULL) {
                break;
            }
            CHECK(block >= pool->start && block < pool->start + (size_t)pool->block * pool->capacity);
            CHECK_EQ(poolheap_usable_size(heap, block), pool->block);
            block[0] = 0xA5u;
            block[pool->block - 1u] = 0x5Au;
            blocks[n++] = block;
        }
        CHECK_EQ(poolheap_deep_check(heap), 0u);
    }
    CHECK_EQ(n, heap->blocks);
    CHECK(poolheap_alloc(heap, 1u) == NULL); /* every pool is full */
    for (size_t i = 0u; i < n; i++) {
        poolheap_free(heap, blocks[i]);
    }
    CHECK_EQ(poolheap_deep_check(heap), 0u);
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    CHECK_EQ(stats.bytes_in_use, 0u);
    free(blocks);
}

static void every_pool_of_every_heap_serves_all_its_blocks(void) {
    for (size_t i = 0u; i < POOLHEAP_HEAP_COUNT; i++) {
        const poolheap_t *heap = poolheap_heaps[i];
        CHECK_EQ(poolheap_deep_check(heap), 0u);
        if (i < config.count && config.heaps[i].has_origin) {
            continue; /* its region is a fixed address the host does not have */
        }
        fill_and_empty(heap);
        CHECK_EQ(poolheap_check(heap), 0u);
    }
}

int main(void) {
    char error[512];
    ph_target_t target = {sizeof(void *)};
    if (ph_config_load(HEAPS_TOML, &target, &config, error, sizeof error) != 0) {
        TEST_PRINTF("%s\n", error);
        return 1;
    }
    RUN(generated_heaps_match_the_configuration);
    RUN(every_pool_of_every_heap_serves_all_its_blocks);
    ph_config_free(&config);
    return test_summary();
}
