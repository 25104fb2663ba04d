/* poolheap_create, poolheap_layout_span and poolheap_layout_alignment:
 * validation, layout and the region's alignment. */
#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "layout_expect.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static poolheap_runtime_t runtime;
static _Alignas(256) unsigned char region[2048];

/* Blocks whose alignments go up and down: 8, 16, 8, 64, 32, 256, 8. */
static const poolheap_pool_config_t mixed[] = {{8, 3}, {16, 2}, {40, 3}, {64, 1}, {96, 2}, {256, 1}, {264, 1}};

static void layout_puts_each_pool_on_its_block_alignment_with_minimal_padding(void) {
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), 0u, NULL, "m");
    CHECK(heap == &runtime.heap);
    check_layout(heap, mixed, COUNT(mixed));
}

static void layout_span_and_alignment_describe_the_created_heap(void) {
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), 0u, NULL, "m");
    CHECK_EQ(poolheap_layout_span(mixed, COUNT(mixed)), heap->span);
    CHECK_EQ(poolheap_layout_alignment(mixed, COUNT(mixed)), 256);
}

static void created_heap_keeps_its_flags_and_name(void) {
    const poolheap_t *heap =
        poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), POOLHEAP_NO_FALLBACK, NULL, "named");
    CHECK_EQ(heap->flags, POOLHEAP_NO_FALLBACK);
    CHECK(strcmp(heap->name, "named") == 0);
}

static void a_misaligned_region_is_rounded_up_inside_itself(void) {
    size_t span = poolheap_layout_span(mixed, COUNT(mixed));
    unsigned char *start = region + 1;
    const poolheap_t *heap = poolheap_create(&runtime, start, span + 255u, mixed, COUNT(mixed), 0u, NULL, "m");
    CHECK(heap != NULL);
    CHECK(heap->base == region + 256);
    CHECK(heap->base + heap->span <= start + span + 255u);
}

static void a_region_one_byte_short_is_refused(void) {
    size_t span = poolheap_layout_span(mixed, COUNT(mixed));
    CHECK(poolheap_create(&runtime, region + 1, span + 254u, mixed, COUNT(mixed), 0u, NULL, "m") == NULL);
    CHECK(poolheap_create(&runtime, region, span - 1u, mixed, COUNT(mixed), 0u, NULL, "m") == NULL);
    CHECK(poolheap_create(&runtime, region, span, mixed, COUNT(mixed), 0u, NULL, "m") != NULL);
}

static void a_created_heap_is_empty_and_usable(void) {
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), 0u, NULL, "m");
    void *block = poolheap_alloc(heap, 30);
    CHECK(block == heap->pools[2].start);
    poolheap_free(heap, block);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void recreating_a_heap_starts_it_afresh(void) {
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), 0u, NULL, "m");
    poolheap_alloc(heap, 8);
    heap = poolheap_create(&runtime, region, sizeof region, mixed, COUNT(mixed), 0u, NULL, "m");
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    CHECK_EQ(stats.bytes_in_use, 0);
    CHECK(poolheap_alloc(heap, 8) == heap->base);
}

/* An invalid configuration: span 0, and create refuses it without writing. */
static void check_refused(const poolheap_pool_config_t *pools, size_t count) {
    CHECK_EQ(poolheap_layout_span(pools, count), 0);
    memset(&runtime, 0xAB, sizeof runtime);
    CHECK(poolheap_create(&runtime, region, sizeof region, pools, count, 0u, NULL, "bad") == NULL);
    const unsigned char *bytes = (const unsigned char *)&runtime;
    size_t untouched = 0;
    while (untouched < sizeof runtime && bytes[untouched] == 0xAB) {
        untouched++;
    }
    CHECK_EQ(untouched, sizeof runtime);
}

static void zero_pools_are_refused(void) {
    check_refused(mixed, 0);
}

static void blocks_out_of_order_are_refused(void) {
    static const poolheap_pool_config_t pools[] = {{16, 1}, {8, 1}};
    check_refused(pools, COUNT(pools));
}

static void equal_blocks_are_refused(void) {
    static const poolheap_pool_config_t pools[] = {{16, 1}, {16, 1}};
    check_refused(pools, COUNT(pools));
}

static void a_block_not_a_multiple_of_the_pointer_size_is_refused(void) {
    static const poolheap_pool_config_t pools[] = {{sizeof(void *) + sizeof(void *) / 2u, 1}};
    check_refused(pools, COUNT(pools));
}

static void a_zero_block_is_refused(void) {
    static const poolheap_pool_config_t pools[] = {{0, 1}, {8, 1}};
    check_refused(pools, COUNT(pools));
}

static void a_zero_capacity_is_refused(void) {
    static const poolheap_pool_config_t pools[] = {{8, 1}, {16, 0}};
    check_refused(pools, COUNT(pools));
}

static void a_heap_of_4_gib_or_more_is_refused(void) {
    static const poolheap_pool_config_t pools[] = {{8, 1}, {16, 0x10000000u}};
    check_refused(pools, COUNT(pools));
}

static poolheap_pool_config_t many[POOLHEAP_MAX_POOLS + 1u];

static void the_most_pools_are_accepted_and_one_more_is_refused(void) {
    for (uint32_t i = 0; i < COUNT(many); i++) {
        many[i] = (poolheap_pool_config_t){(i + 1u) * 8u, 1u};
    }
    CHECK(poolheap_layout_span(many, POOLHEAP_MAX_POOLS) != 0u);
    check_refused(many, POOLHEAP_MAX_POOLS + 1u);
}

static void the_most_pools_are_laid_out_like_any_other(void) {
    /* The blocks 8 * (i + 1) up to 512 need a 16.6 KiB region: only the
     * layout is built, over a region that is never touched. */
    for (uint32_t i = 0; i < POOLHEAP_MAX_POOLS; i++) {
        many[i] = (poolheap_pool_config_t){(i + 1u) * 8u, 1u};
    }
    size_t span = poolheap_layout_span(many, POOLHEAP_MAX_POOLS);
    unsigned char *fake = (unsigned char *)(uintptr_t)0x10000000u;
    const poolheap_t *heap = poolheap_create(&runtime, fake, span, many, POOLHEAP_MAX_POOLS, 0u, NULL, "many");
    check_layout(heap, many, POOLHEAP_MAX_POOLS);
}

int main(void) {
    RUN(layout_puts_each_pool_on_its_block_alignment_with_minimal_padding);
    RUN(layout_span_and_alignment_describe_the_created_heap);
    RUN(created_heap_keeps_its_flags_and_name);
    RUN(a_misaligned_region_is_rounded_up_inside_itself);
    RUN(a_region_one_byte_short_is_refused);
    RUN(a_created_heap_is_empty_and_usable);
    RUN(recreating_a_heap_starts_it_afresh);
    RUN(zero_pools_are_refused);
    RUN(blocks_out_of_order_are_refused);
    RUN(equal_blocks_are_refused);
    RUN(a_block_not_a_multiple_of_the_pointer_size_is_refused);
    RUN(a_zero_block_is_refused);
    RUN(a_zero_capacity_is_refused);
    RUN(a_heap_of_4_gib_or_more_is_refused);
    RUN(the_most_pools_are_accepted_and_one_more_is_refused);
    RUN(the_most_pools_are_laid_out_like_any_other);
    return test_summary();
}
