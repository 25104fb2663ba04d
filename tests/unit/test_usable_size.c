/* poolheap_usable_size and poolheap_owns. */
#include <stdint.h>

#include "../harness.h"
#include "fixture.h"

static void usable_size_is_the_block_size_of_every_pool(void) {
    const poolheap_t *heap = test_heap(0u);
    for (int i = 0; i < TEST_POOL_COUNT; i++) {
        void *block = poolheap_alloc(heap, heap->pools[i].block);
        CHECK_EQ(poolheap_usable_size(heap, block), heap->pools[i].block);
    }
}

static void usable_size_of_a_fallback_block_is_its_own_block_size(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_8);
    CHECK_EQ(poolheap_usable_size(heap, poolheap_alloc(heap, 1)), 16);
}

static void usable_size_of_null_is_zero_without_a_report(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK_EQ(poolheap_usable_size(heap, NULL), 0);
    CHECK_EQ(hook_log.error_calls, 0);
}

static void usable_size_of_a_bad_pointer_is_zero_and_reported(void) {
    const poolheap_t *heap = test_heap(0u);
    unsigned char *block = poolheap_alloc(heap, 64);
    int outside = 0;
    CHECK_EQ(poolheap_usable_size(heap, &outside), 0);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_FOREIGN);
    CHECK_EQ(poolheap_usable_size(heap, block + 8), 0);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_MISALIGNED);
    CHECK_EQ(poolheap_usable_size(heap, block + 64), 0);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_NOT_ALLOCATED);
    CHECK_EQ(test_stats(heap).rejected, 3);
}

static void owns_is_true_across_the_whole_region(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK(poolheap_owns(heap, heap->base));
    CHECK(poolheap_owns(heap, heap->base + 150)); /* padding */
    CHECK(poolheap_owns(heap, heap->base + heap->span - 1));
}

static void owns_is_false_outside_the_region(void) {
    const poolheap_t *heap = test_heap(0u);
    int outside = 0;
    CHECK(!poolheap_owns(heap, heap->base - 1));
    CHECK(!poolheap_owns(heap, heap->base + heap->span));
    CHECK(!poolheap_owns(heap, &outside));
    CHECK(!poolheap_owns(heap, NULL));
}

static void owns_does_not_report(void) {
    const poolheap_t *heap = test_heap(0u);
    int outside = 0;
    poolheap_owns(heap, &outside);
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(test_stats(heap).rejected, 0);
}

int main(void) {
    RUN(usable_size_is_the_block_size_of_every_pool);
    RUN(usable_size_of_a_fallback_block_is_its_own_block_size);
    RUN(usable_size_of_null_is_zero_without_a_report);
    RUN(usable_size_of_a_bad_pointer_is_zero_and_reported);
    RUN(owns_is_true_across_the_whole_region);
    RUN(owns_is_false_outside_the_region);
    RUN(owns_does_not_report);
    return test_summary();
}
