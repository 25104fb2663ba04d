/* poolheap_alloc_aligned and the typed helpers. */
#include <stdint.h>

#include "../harness.h"
#include "fixture.h"

static void every_power_of_two_up_to_the_largest_block_alignment_is_honoured(void) {
    for (size_t align = 1; align <= 256; align *= 2) {
        const poolheap_t *heap = test_heap(0u);
        void *block = poolheap_alloc_aligned(heap, 1, align);
        CHECK(block != NULL);
        CHECK_EQ((uintptr_t)block % align, 0);
    }
}

static void the_smallest_pool_that_fits_and_is_aligned_enough_serves(void) {
    static const struct {
        size_t size, align;
        int pool;
    } cases[] = {{1, 8, POOL_8},    {1, 16, POOL_16},   {17, 16, POOL_64}, {20, 32, POOL_64},
                 {70, 32, POOL_96}, {70, 64, POOL_256}, {1, 128, POOL_256}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const poolheap_t *heap = test_heap(0u);
        void *block = poolheap_alloc_aligned(heap, cases[i].size, cases[i].align);
        CHECK_EQ(test_pool_of(heap, block), cases[i].pool);
    }
}

static void aligned_fallback_skips_pools_not_aligned_enough(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_64);
    /* 96 fits and is free, but only 32-aligned. */
    void *block = poolheap_alloc_aligned(heap, 40, 64);
    CHECK_EQ(test_pool_of(heap, block), POOL_256);
    CHECK_EQ(test_pool_stats(heap, POOL_256).fallbacks, 1);
}

static void alignment_above_every_block_alignment_fails_as_out_of_memory(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_alloc_aligned(heap, 8, 512) == NULL);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_align, 512);
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(test_stats(heap).failures, 1);
}

static void exhausted_aligned_pools_fail_with_the_oom_hook(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_256);
    CHECK(poolheap_alloc_aligned(heap, 8, 256) == NULL);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_size, 8);
    CHECK_EQ(hook_log.oom_align, 256);
}

static void zero_alignment_is_rejected(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_alloc_aligned(heap, 8, 0) == NULL);
    CHECK_EQ(hook_log.error_calls, 1);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_BAD_ALIGNMENT);
    CHECK_EQ(hook_log.oom_calls, 0);
    CHECK_EQ(test_stats(heap).failures, 1);
    CHECK_EQ(test_stats(heap).rejected, 1);
}

static void non_power_of_two_alignments_are_rejected(void) {
    static const size_t bad[] = {3, 12, 24, 96, SIZE_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const poolheap_t *heap = test_heap(0u);
        CHECK(poolheap_alloc_aligned(heap, 8, bad[i]) == NULL);
        CHECK_EQ(hook_log.error, POOLHEAP_ERR_BAD_ALIGNMENT);
        CHECK_EQ(test_stats(heap).bytes_in_use, 0);
    }
}

typedef struct wide {
    _Alignas(64) unsigned char bytes[40];
} wide_t;

static void new_gives_a_block_aligned_for_the_type(void) {
    const poolheap_t *heap = test_heap(0u);
    wide_t *w = POOLHEAP_NEW(heap, wide_t);
    CHECK_EQ((uintptr_t)w % _Alignof(wide_t), 0);
    CHECK(poolheap_usable_size(heap, w) >= sizeof(wide_t));
}

static void new_array_is_zeroed_and_aligned(void) {
    const poolheap_t *heap = test_heap(0u);
    void *dirty = poolheap_alloc(heap, 96);
    for (unsigned char *p = dirty, *end = p + 96; p < end; p++) {
        *p = 0xA5;
    }
    poolheap_free(heap, dirty);
    uint32_t *array = POOLHEAP_NEW_ARRAY(heap, uint32_t, 20);
    CHECK(array == dirty);
    for (int i = 0; i < 20; i++) {
        CHECK_EQ(array[i], 0);
    }
}

static void new_array_with_an_overflowing_count_is_null(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(POOLHEAP_NEW_ARRAY(heap, uint64_t, SIZE_MAX / 4u) == NULL);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_OVERFLOW);
}

int main(void) {
    RUN(every_power_of_two_up_to_the_largest_block_alignment_is_honoured);
    RUN(the_smallest_pool_that_fits_and_is_aligned_enough_serves);
    RUN(aligned_fallback_skips_pools_not_aligned_enough);
    RUN(alignment_above_every_block_alignment_fails_as_out_of_memory);
    RUN(exhausted_aligned_pools_fail_with_the_oom_hook);
    RUN(zero_alignment_is_rejected);
    RUN(non_power_of_two_alignments_are_rejected);
    RUN(new_gives_a_block_aligned_for_the_type);
    RUN(new_array_is_zeroed_and_aligned);
    RUN(new_array_with_an_overflowing_count_is_null);
    return test_summary();
}
