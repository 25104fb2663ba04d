/* poolheap_calloc and poolheap_calloc_aligned. */
#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "fixture.h"

/* Leaves a block of pool POOL_64 full of 0xA5 on the free list. */
static void *dirty_free_block(const poolheap_t *heap) {
    void *block = poolheap_alloc(heap, 64);
    memset(block, 0xA5, 64);
    poolheap_free(heap, block);
    return block;
}

static int all_zero(const unsigned char *bytes, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static void calloc_zeroes_a_reused_block(void) {
    const poolheap_t *heap = test_heap(0u);
    void *dirty = dirty_free_block(heap);
    unsigned char *block = poolheap_calloc(heap, 10, 6);
    CHECK(block == dirty);
    CHECK(all_zero(block, 60));
}

static void calloc_chooses_the_pool_for_count_times_size(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK_EQ(test_pool_of(heap, poolheap_calloc(heap, 3, 8)), POOL_24);
    CHECK_EQ(test_pool_of(heap, poolheap_calloc(heap, 5, 5)), POOL_64);
}

static void calloc_of_zero_elements_is_served_like_size_zero(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK_EQ(test_pool_of(heap, poolheap_calloc(heap, 0, 100)), POOL_8);
    CHECK_EQ(test_pool_of(heap, poolheap_calloc(heap, 100, 0)), POOL_8);
}

static void calloc_overflow_is_rejected_and_reported(void) {
    const poolheap_t *heap = test_heap(0u);
    /* 2^32 * 2^32 is 0 modulo 2^64: a wrapping product would be served. */
    size_t half = (size_t)1 << (sizeof(size_t) * 4u);
    CHECK(poolheap_calloc(heap, half, half) == NULL);
    CHECK(poolheap_calloc(heap, SIZE_MAX, 2) == NULL);
    CHECK_EQ(hook_log.error_calls, 2);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_OVERFLOW);
    CHECK_EQ(hook_log.oom_calls, 0);
    CHECK_EQ(test_stats(heap).failures, 2);
    CHECK_EQ(test_stats(heap).bytes_in_use, 0);
}

static void calloc_too_large_without_overflow_is_out_of_memory(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_calloc(heap, 2, 200) == NULL);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_size, 400);
    CHECK_EQ(hook_log.error_calls, 0);
}

static void calloc_aligned_zeroes_and_aligns(void) {
    const poolheap_t *heap = test_heap(0u);
    void *dirty = dirty_free_block(heap);
    unsigned char *block = poolheap_calloc_aligned(heap, 4, 4, 64);
    CHECK(block == dirty);
    CHECK_EQ((uintptr_t)block % 64, 0);
    CHECK(all_zero(block, 16));
}

static void calloc_aligned_rejects_a_bad_alignment(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_calloc_aligned(heap, 1, 8, 48) == NULL);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_BAD_ALIGNMENT);
}

int main(void) {
    RUN(calloc_zeroes_a_reused_block);
    RUN(calloc_chooses_the_pool_for_count_times_size);
    RUN(calloc_of_zero_elements_is_served_like_size_zero);
    RUN(calloc_overflow_is_rejected_and_reported);
    RUN(calloc_too_large_without_overflow_is_out_of_memory);
    RUN(calloc_aligned_zeroes_and_aligns);
    RUN(calloc_aligned_rejects_a_bad_alignment);
    return test_summary();
}
