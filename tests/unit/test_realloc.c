/* poolheap_realloc: in place, moved, failure, size 0, NULL and bad pointers. */
#include <string.h>

#include "../harness.h"
#include "fixture.h"

static void fill(void *block, size_t n, unsigned char seed) {
    unsigned char *bytes = block;
    for (size_t i = 0; i < n; i++) {
        bytes[i] = (unsigned char)(seed + i);
    }
}

static int holds_fill(const void *block, size_t n, unsigned char seed) {
    const unsigned char *bytes = block;
    for (size_t i = 0; i < n; i++) {
        if (bytes[i] != (unsigned char)(seed + i)) {
            return 0;
        }
    }
    return 1;
}

static void realloc_of_null_allocates(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_realloc(heap, NULL, 20);
    CHECK_EQ(test_pool_of(heap, block), POOL_24);
    CHECK_EQ(test_pool_stats(heap, POOL_24).in_use, 1);
}

static void growing_within_the_block_keeps_the_pointer(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 17);
    fill(block, 17, 1);
    CHECK(poolheap_realloc(heap, block, 24) == block);
    CHECK(holds_fill(block, 17, 1));
    CHECK_EQ(test_pool_stats(heap, POOL_24).peak, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_24).in_use, 1);
}

static void shrinking_keeps_the_pointer(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 200);
    CHECK(poolheap_realloc(heap, block, 1) == block);
    CHECK_EQ(test_pool_stats(heap, POOL_256).in_use, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_8).peak, 0);
}

static void growing_past_the_block_moves_and_keeps_the_contents(void) {
    const poolheap_t *heap = test_heap(0u);
    void *old = poolheap_alloc(heap, 16);
    fill(old, 16, 7);
    void *moved = poolheap_realloc(heap, old, 60);
    CHECK(moved != old);
    CHECK_EQ(test_pool_of(heap, moved), POOL_64);
    CHECK(holds_fill(moved, 16, 7));
    CHECK_EQ(test_pool_stats(heap, POOL_16).in_use, 0);
    CHECK_EQ(test_pool_stats(heap, POOL_64).in_use, 1);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void the_old_block_of_a_move_is_free_again(void) {
    const poolheap_t *heap = test_heap(0u);
    void *old = poolheap_alloc(heap, 8);
    poolheap_realloc(heap, old, 30);
    CHECK(poolheap_alloc(heap, 8) == old);
}

static void a_move_falls_back_like_alloc(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_24);
    void *moved = poolheap_realloc(heap, poolheap_alloc(heap, 8), 20);
    CHECK_EQ(test_pool_of(heap, moved), POOL_64);
    CHECK_EQ(test_pool_stats(heap, POOL_64).fallbacks, 1);
}

static void failed_move_returns_null_and_keeps_the_old_block(void) {
    const poolheap_t *heap = test_heap(0u);
    test_exhaust(heap, POOL_256);
    void *old = poolheap_alloc(heap, 90);
    fill(old, 96, 3);
    CHECK(poolheap_realloc(heap, old, 200) == NULL);
    CHECK(holds_fill(old, 96, 3));
    CHECK_EQ(test_pool_stats(heap, POOL_96).in_use, 1);
    CHECK_EQ(test_pool_stats(heap, POOL_256).oom, 1);
    CHECK_EQ(hook_log.oom_calls, 1);
    /* Still the caller's: it can be freed once, and the heap is sound. */
    poolheap_free(heap, old);
    CHECK_EQ(hook_log.error_calls, 0);
    CHECK_EQ(poolheap_deep_check(heap), 0);
}

static void realloc_beyond_every_pool_keeps_the_old_block(void) {
    const poolheap_t *heap = test_heap(0u);
    void *old = poolheap_alloc(heap, 8);
    fill(old, 8, 9);
    CHECK(poolheap_realloc(heap, old, 1000) == NULL);
    CHECK(holds_fill(old, 8, 9));
    CHECK_EQ(test_pool_stats(heap, POOL_8).in_use, 1);
    CHECK_EQ(test_stats(heap).failures, 1);
}

static void size_zero_frees_and_returns_null(void) {
    const poolheap_t *heap = test_heap(0u);
    void *block = poolheap_alloc(heap, 50);
    CHECK(poolheap_realloc(heap, block, 0) == NULL);
    CHECK_EQ(test_pool_stats(heap, POOL_64).in_use, 0);
    CHECK_EQ(test_stats(heap).failures, 0);
    CHECK_EQ(hook_log.oom_calls, 0);
    CHECK(poolheap_alloc(heap, 50) == block);
}

static void realloc_of_null_to_size_zero_allocates(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK_EQ(test_pool_of(heap, poolheap_realloc(heap, NULL, 0)), POOL_8);
}

static void bad_pointer_is_reported_and_nothing_changes(void) {
    const poolheap_t *heap = test_heap(0u);
    unsigned char *block = poolheap_alloc(heap, 24);
    pool_snapshot_t saved = test_save_pools(heap);
    int outside = 0;
    CHECK(poolheap_realloc(heap, &outside, 8) == NULL);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_FOREIGN);
    CHECK(poolheap_realloc(heap, block + 8, 8) == NULL);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_MISALIGNED);
    CHECK(poolheap_realloc(heap, block + 8, 0) == NULL);
    CHECK_EQ(hook_log.error_calls, 3);
    CHECK(poolheap_realloc(heap, block + 24, 8) == NULL); /* the next block of pool 24, never handed out */
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_NOT_ALLOCATED);
    CHECK(hook_log.error_pointer == block + 24);
    CHECK_EQ(hook_log.error_calls, 4);
    CHECK(test_pools_unchanged(heap, &saved));
}

int main(void) {
    RUN(realloc_of_null_allocates);
    RUN(growing_within_the_block_keeps_the_pointer);
    RUN(shrinking_keeps_the_pointer);
    RUN(growing_past_the_block_moves_and_keeps_the_contents);
    RUN(the_old_block_of_a_move_is_free_again);
    RUN(a_move_falls_back_like_alloc);
    RUN(failed_move_returns_null_and_keeps_the_old_block);
    RUN(realloc_beyond_every_pool_keeps_the_old_block);
    RUN(size_zero_frees_and_returns_null);
    RUN(realloc_of_null_to_size_zero_allocates);
    RUN(bad_pointer_is_reported_and_nothing_changes);
    return test_summary();
}
