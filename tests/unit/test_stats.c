/* Statistics: per-pool and heap-wide values after known operations. */
#include <string.h>

#include "../harness.h"
#include "fixture.h"

static void pool_counters_follow_allocations_and_frees(void) {
    const poolheap_t *heap = test_heap(0u);
    void *a = poolheap_alloc(heap, 10);
    void *b = poolheap_alloc(heap, 12);
    poolheap_free(heap, a);
    poolheap_alloc(heap, 16);
    poolheap_free(heap, b);
    poolheap_pool_stats_t s = test_pool_stats(heap, POOL_16);
    CHECK_EQ(s.block, 16);
    CHECK_EQ(s.capacity, 4);
    CHECK_EQ(s.in_use, 1);
    CHECK_EQ(s.peak, 2);
    CHECK_EQ(s.fallbacks, 0);
    CHECK_EQ(s.oom, 0);
}

static void in_use_counts_the_list_and_stops_at_a_bad_link(void) {
    const poolheap_t *heap = test_heap(0u);
    unsigned char *a = poolheap_alloc(heap, 8), *b = poolheap_alloc(heap, 8), *c = poolheap_alloc(heap, 8);
    poolheap_free(heap, a);
    poolheap_free(heap, b); /* the list: b, a */
    CHECK_EQ(test_pool_stats(heap, POOL_8).in_use, 1);
    memset(b, 0xFF, 8); /* b's link now leads outside the pool: the walk counts b alone */
    CHECK_EQ(test_pool_stats(heap, POOL_8).in_use, 2);
    CHECK_EQ(test_pool_stats(heap, POOL_8).peak, 3);
    CHECK(c != NULL);
}

static void the_peak_is_the_most_blocks_in_use_at_once(void) {
    const poolheap_t *heap = test_heap(0u);
    void *a = poolheap_alloc(heap, 8);
    void *b = poolheap_alloc(heap, 8);
    poolheap_free(heap, a);
    void *c = poolheap_alloc(heap, 8); /* a again: the peak stays 2 */
    CHECK_EQ(test_pool_stats(heap, POOL_8).peak, 2);
    poolheap_free(heap, b);
    poolheap_free(heap, c);
    CHECK_EQ(test_pool_stats(heap, POOL_8).peak, 2);
    CHECK_EQ(test_pool_stats(heap, POOL_8).in_use, 0);
}

static void fallbacks_count_in_the_pool_that_served(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_24);
    poolheap_alloc(heap, 24);
    poolheap_alloc(heap, 24);
    CHECK_EQ(test_pool_stats(heap, POOL_24).fallbacks, 0);
    CHECK_EQ(test_pool_stats(heap, POOL_64).fallbacks, 2);
    CHECK_EQ(test_pool_stats(heap, POOL_64).in_use, 2);
}

static void oom_counts_in_the_first_choice_pool(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_96);
    test_exhaust(heap, POOL_256);
    poolheap_alloc(heap, 70);
    CHECK_EQ(test_pool_stats(heap, POOL_96).oom, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_256).oom, 0);
}

static void fallbacks_and_failures_count_apart(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_96);
    test_exhaust(heap, POOL_256);
    heap->pools[POOL_96].state->fallbacks = 0xFFFFFFFEu;
    heap->pools[POOL_96].state->oom = 0xFFFEu; /* once the 16-bit limit of each count */
    poolheap_alloc(heap, 70);
    poolheap_alloc(heap, 70);
    CHECK_EQ(test_pool_stats(heap, POOL_96).oom, 0x10000u);
    CHECK_EQ(test_pool_stats(heap, POOL_96).fallbacks, 0xFFFFFFFEu);
    CHECK_EQ(test_stats(heap).failures, 2);
}

static void bytes_in_use_counts_whole_blocks(void) {
    const poolheap_t *heap = test_heap(0u);
    void *a = poolheap_alloc(heap, 1);
    void *b = poolheap_alloc(heap, 65);
    CHECK_EQ(test_stats(heap).bytes_in_use, 8 + 96);
    poolheap_free(heap, b);
    CHECK_EQ(test_stats(heap).bytes_in_use, 8);
    CHECK_EQ(test_stats(heap).bytes_peak, POOLHEAP_DEBUG ? 104 : 0); /* counted in debug only */
    poolheap_free(heap, a);
    CHECK_EQ(test_stats(heap).bytes_in_use, 0);
}

static void in_place_realloc_changes_no_block_counter(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 2);
    poolheap_realloc(heap, block, 8);
    CHECK_EQ(test_pool_stats(heap, POOL_8).peak, 1);
    CHECK_EQ(test_stats(heap).bytes_in_use, 8);
}

static void requested_bytes_are_exact_in_debug_and_zero_otherwise(void) {
    const poolheap_t *heap = test_heap(0u);
    void *a = poolheap_alloc(heap, 5);
    void *b = poolheap_alloc(heap, 30);
    poolheap_realloc(heap, a, 7);
    poolheap_free(heap, b);
    poolheap_stats_t s = test_stats(heap);
    CHECK_EQ(s.requested_in_use, POOLHEAP_DEBUG ? 7 : 0);
    CHECK_EQ(s.requested_peak, POOLHEAP_DEBUG ? 37 : 0); /* 7 + 30 */
}

static void heap_shape_is_reported(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_stats_t s = test_stats(heap);
    CHECK_EQ(s.size, TEST_SIZE);
    CHECK_EQ(s.span, TEST_SPAN);
    CHECK_EQ(s.pool_count, TEST_POOL_COUNT);
}

static void pool_index_out_of_range_leaves_the_output_alone(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_pool_stats_t s, untouched;
    memset(&s, 0x5A, sizeof s);
    untouched = s;
    CHECK_EQ(poolheap_pool_stats(heap, TEST_POOL_COUNT, &s), -1);
    CHECK(memcmp(&s, &untouched, sizeof s) == 0);
    CHECK_EQ(poolheap_pool_stats(heap, 0, &s), 0);
}

static void reset_returns_every_block_and_zeroes_the_counters(void) {
    const poolheap_t *heap = test_heap(0u);
    void *first = poolheap_alloc(heap, 8);
    poolheap_alloc(heap, 1000);
    poolheap_free(heap, heap->base + 1);
    poolheap_reset(heap);
    poolheap_stats_t s = test_stats(heap);
    CHECK_EQ(s.failures + s.rejected + s.bytes_in_use + s.bytes_peak, 0);
    poolheap_pool_stats_t p = test_pool_stats(heap, POOL_8);
    CHECK_EQ(p.in_use + p.peak + p.fallbacks + p.oom, 0);
    CHECK(poolheap_alloc(heap, 8) == first);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

int main(void) {
    RUN(pool_counters_follow_allocations_and_frees);
    RUN(in_use_counts_the_list_and_stops_at_a_bad_link);
    RUN(the_peak_is_the_most_blocks_in_use_at_once);
    RUN(fallbacks_count_in_the_pool_that_served);
    RUN(oom_counts_in_the_first_choice_pool);
    RUN(fallbacks_and_failures_count_apart);
    RUN(bytes_in_use_counts_whole_blocks);
    RUN(in_place_realloc_changes_no_block_counter);
    RUN(requested_bytes_are_exact_in_debug_and_zero_otherwise);
    RUN(heap_shape_is_reported);
    RUN(pool_index_out_of_range_leaves_the_output_alone);
    RUN(reset_returns_every_block_and_zeroes_the_counters);
    return test_summary();
}
