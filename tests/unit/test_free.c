/* poolheap_free: NULL, bad pointers reported with the heap unchanged. */
#include <stdint.h>

#include "../harness.h"
#include "fixture.h"

static void free_of_null_does_nothing(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_alloc(heap, 8);
    pool_snapshot_t saved = test_save_pools(heap);
    poolheap_free(heap, NULL);
    CHECK(test_pools_unchanged(heap, &saved));
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(test_stats(heap).rejected, 0);
}

static void free_returns_the_block_and_updates_the_counts(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 60);
    poolheap_free(heap, block);
    CHECK_EQ(test_pool_stats(heap, POOL_64).in_use, 0);
    CHECK_EQ(test_stats(heap).bytes_in_use, 0);
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

/* Frees `pointer` on a heap with one live block per pool and checks the
 * report and that no pool state moved. */
static void check_rejected_free(const poolheap_t *heap, void *pointer, poolheap_error_t expected) {
    pool_snapshot_t saved = test_save_pools(heap);
    unsigned before = hook_log.error_calls;
    poolheap_free(heap, pointer);
    CHECK_EQ(hook_log.error_calls, before + 1u);
    CHECK_EQ(hook_log.error, expected);
    CHECK(hook_log.error_pointer == pointer);
    CHECK(test_pools_unchanged(heap, &saved));
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static const poolheap_t *heap_with_a_block_in_every_pool(void) {
    const poolheap_t *heap = test_heap(0u);
    for (int i = 0; i < TEST_POOL_COUNT; i++) {
        poolheap_alloc(heap, heap->pools[i].block);
    }
    return heap;
}

static void foreign_pointers_are_reported(void) {
    const poolheap_t *heap = heap_with_a_block_in_every_pool();
    int on_stack = 0;
    check_rejected_free(heap, &on_stack, POOLHEAP_ERR_FOREIGN);
    check_rejected_free(heap, heap->base - 8, POOLHEAP_ERR_FOREIGN);
    check_rejected_free(heap, heap->base + heap->span, POOLHEAP_ERR_FOREIGN);
    check_rejected_free(heap, (void *)(uintptr_t)8, POOLHEAP_ERR_FOREIGN);
    CHECK_EQ(test_stats(heap).rejected, 4);
}

static void pointers_inside_a_block_are_reported_misaligned(void) {
    const poolheap_t *heap = heap_with_a_block_in_every_pool();
    for (int i = 0; i < TEST_POOL_COUNT; i++) {
        unsigned char *first = heap->pools[i].start;
        check_rejected_free(heap, first + 1, POOLHEAP_ERR_MISALIGNED);
        check_rejected_free(heap, first + heap->pools[i].block / 2u, POOLHEAP_ERR_MISALIGNED);
    }
}

static void pointers_into_padding_are_reported_misaligned(void) {
    const poolheap_t *heap = heap_with_a_block_in_every_pool();
    /* The 24 pool ends at 144 and the 64 pool starts at 192. */
    check_rejected_free(heap, heap->base + 144, POOLHEAP_ERR_MISALIGNED);
    check_rejected_free(heap, heap->base + 184, POOLHEAP_ERR_MISALIGNED);
}

static void never_allocated_blocks_are_reported(void) {
    const poolheap_t *heap = heap_with_a_block_in_every_pool();
    /* The second block of each pool with two or more has never been used. */
    for (int i = 0; i < TEST_POOL_COUNT; i++) {
        if (heap->pools[i].capacity > 1u) {
            unsigned char *second = heap->pools[i].start + heap->pools[i].block;
            check_rejected_free(heap, second, POOLHEAP_ERR_NOT_ALLOCATED);
        }
    }
}

static void rejected_free_calls_no_hook_when_none_is_set(void) {
    const poolheap_t *heap = heap_with_a_block_in_every_pool();
    poolheap_set_hooks(heap, NULL, NULL, NULL);
    int on_stack = 0;
    poolheap_free(heap, &on_stack);
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(test_stats(heap).rejected, 1);
}

int main(void) {
    RUN(free_of_null_does_nothing);
    RUN(free_returns_the_block_and_updates_the_counts);
    RUN(foreign_pointers_are_reported);
    RUN(pointers_inside_a_block_are_reported_misaligned);
    RUN(pointers_into_padding_are_reported_misaligned);
    RUN(never_allocated_blocks_are_reported);
    RUN(rejected_free_calls_no_hook_when_none_is_set);
    return test_summary();
}
