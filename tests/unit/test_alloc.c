/* poolheap_alloc: pool choice, fallback, exhaustion and bad sizes. */
#include <stdint.h>

#include "../harness.h"
#include "fixture.h"

static void each_size_gets_the_smallest_pool_that_fits(void) {
    static const struct {
        size_t size;
        int pool;
    } cases[] = {{1, POOL_8},   {8, POOL_8},   {9, POOL_16},  {16, POOL_16}, {17, POOL_24},  {24, POOL_24},
                 {25, POOL_64}, {64, POOL_64}, {65, POOL_96}, {96, POOL_96}, {97, POOL_256}, {256, POOL_256}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const poolheap_t *heap = test_heap(0u);
        void *block = poolheap_alloc(heap, cases[i].size);
        CHECK_EQ(test_pool_of(heap, block), cases[i].pool);
        CHECK_EQ(test_pool_stats(heap, cases[i].pool).fallbacks, 0);
    }
}

static void size_zero_is_served_like_size_one(void) {
    const poolheap_t *heap = test_heap(0u);
    void *a = poolheap_alloc(heap, 0);
    void *b = poolheap_alloc(heap, 0);
    CHECK(a != NULL && b != NULL && a != b);
    CHECK_EQ(test_pool_of(heap, a), POOL_8);
    CHECK_EQ(test_pool_of(heap, b), POOL_8);
}

static void blocks_are_distinct_until_the_heap_is_full(void) {
    const poolheap_t *heap = test_heap(0u);
    void *blocks[TEST_BLOCKS];
    for (unsigned i = 0; i < TEST_BLOCKS; i++) {
        blocks[i] = poolheap_alloc(heap, 1);
        CHECK(blocks[i] != NULL);
        for (unsigned j = 0; j < i; j++) {
            CHECK(blocks[i] != blocks[j]);
        }
    }
    CHECK(poolheap_alloc(heap, 1) == NULL);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void every_block_is_aligned_to_its_block_alignment(void) {
    const poolheap_t *heap = test_heap(0u);
    for (void *block; (block = poolheap_alloc(heap, 1)) != NULL;) {
        size_t block_size = poolheap_usable_size(heap, block);
        size_t alignment = block_size & (0u - block_size);
        CHECK_EQ((uintptr_t)block % alignment, 0);
    }
}

static void exhausted_pool_falls_back_to_the_next_larger(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_8);
    void *block = poolheap_alloc(heap, 8);
    CHECK_EQ(test_pool_of(heap, block), POOL_16);
    CHECK_EQ(test_pool_stats(heap, POOL_16).fallbacks, 1);
}

static void fallback_skips_every_exhausted_pool(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_16);
    test_exhaust(heap, POOL_24);
    test_exhaust(heap, POOL_64);
    CHECK_EQ(test_pool_of(heap, poolheap_alloc(heap, 10)), POOL_96);
}

static void fallback_never_goes_to_a_smaller_pool(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_256);
    CHECK(poolheap_alloc(heap, 100) == NULL);
    CHECK_EQ(test_pool_stats(heap, POOL_8).in_use, 0);
}

static void freed_block_is_served_again(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_24);
    void *block = poolheap_alloc(heap, 20);
    CHECK_EQ(test_pool_of(heap, block), POOL_64);
    poolheap_free(heap, block);
    CHECK(poolheap_alloc(heap, 20) == block);
}

static void no_fallback_heap_fails_when_the_first_choice_is_exhausted(void) {
    const poolheap_t *heap = test_heap(POOLHEAP_NO_FALLBACK);
    test_exhaust(heap, POOL_8);
    CHECK(poolheap_alloc(heap, 8) == NULL);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_16).in_use, 0);
    CHECK_EQ(test_pool_stats(heap, POOL_8).oom, 1);
}

static void no_fallback_heap_still_serves_from_the_first_choice(void) {
    const poolheap_t *heap = test_heap(POOLHEAP_NO_FALLBACK);
    CHECK_EQ(test_pool_of(heap, poolheap_alloc(heap, 20)), POOL_24);
}

static void out_of_memory_returns_null_counts_and_calls_the_hook(void) {
    const poolheap_t *heap = test_heap(0u);
    while (poolheap_alloc(heap, 200) != NULL) {
    }
    CHECK_EQ(test_stats(heap).failures, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_256).oom, 1);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_size, 200);
    CHECK_EQ(hook_log.oom_align, 0);
    CHECK(hook_log.heap == heap);
    CHECK_EQ(hook_log.error_calls, 0);
}

static void size_above_the_largest_block_fails(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_alloc(heap, 257) == NULL);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_size, 257);
    CHECK_EQ(test_stats(heap).failures, 1);
}

static void huge_sizes_fail_without_wrapping(void) {
    const poolheap_t *heap = test_heap(0u);
    /* With a 64-bit size_t the middle two have low 32 bits of 0 and 8: a
     * size check that truncated to 32 bits would serve them. */
    static const size_t huge[] = {SIZE_MAX, SIZE_MAX / 2u + 1u, SIZE_MAX / 2u + 9u, SIZE_MAX - 7u};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
        CHECK(poolheap_alloc(heap, huge[i]) == NULL);
    }
    CHECK_EQ(hook_log.oom_calls, 4);
    CHECK_EQ(test_stats(heap).bytes_in_use, 0);
}

int main(void) {
    RUN(each_size_gets_the_smallest_pool_that_fits);
    RUN(size_zero_is_served_like_size_one);
    RUN(blocks_are_distinct_until_the_heap_is_full);
    RUN(every_block_is_aligned_to_its_block_alignment);
    RUN(exhausted_pool_falls_back_to_the_next_larger);
    RUN(fallback_skips_every_exhausted_pool);
    RUN(fallback_never_goes_to_a_smaller_pool);
    RUN(freed_block_is_served_again);
    RUN(no_fallback_heap_fails_when_the_first_choice_is_exhausted);
    RUN(no_fallback_heap_still_serves_from_the_first_choice);
    RUN(out_of_memory_returns_null_counts_and_calls_the_hook);
    RUN(size_above_the_largest_block_fails);
    RUN(huge_sizes_fail_without_wrapping);
    return test_summary();
}
