/* The debug configuration: double frees are detected and change nothing. */
#include "../harness.h"
#include "fixture.h"

static void second_free_is_reported_as_a_double_free(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 16);
    poolheap_alloc(heap, 16);
    poolheap_free(heap, block);
    pool_snapshot_t saved = test_save_pools(heap);
    poolheap_free(heap, block);
    CHECK_EQ(hook_log.error_calls, 1);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_DOUBLE_FREE);
    CHECK(hook_log.error_pointer == block);
    CHECK(test_pools_unchanged(heap, &saved));
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void a_double_freed_block_is_handed_out_only_once(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 16);
    poolheap_free(heap, block);
    poolheap_free(heap, block);
    void *first = poolheap_alloc(heap, 16);
    void *second = poolheap_alloc(heap, 16);
    CHECK(first == block);
    CHECK(second != block);
}

static void realloc_of_a_freed_block_is_a_double_free(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 16);
    poolheap_free(heap, block);
    pool_snapshot_t saved = test_save_pools(heap);
    CHECK(poolheap_realloc(heap, block, 100) == NULL);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_DOUBLE_FREE);
    CHECK(test_pools_unchanged(heap, &saved));
}

static void free_after_realloc_to_zero_is_a_double_free(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 16);
    poolheap_realloc(heap, block, 0);
    poolheap_free(heap, block);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_DOUBLE_FREE);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void the_old_block_of_a_move_cannot_be_freed_again(void) {
    const poolheap_t *heap = test_heap(0u);
    void *old = poolheap_alloc(heap, 8);
    void *moved = poolheap_realloc(heap, old, 90);
    CHECK(moved != old);
    poolheap_free(heap, old);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_DOUBLE_FREE);
    CHECK_EQ(test_pool_stats(heap, POOL_96).in_use, 1);
}

int main(void) {
    RUN(second_free_is_reported_as_a_double_free);
    RUN(a_double_freed_block_is_handed_out_only_once);
    RUN(realloc_of_a_freed_block_is_a_double_free);
    RUN(free_after_realloc_to_zero_is_a_double_free);
    RUN(the_old_block_of_a_move_cannot_be_freed_again);
    return test_summary();
}
