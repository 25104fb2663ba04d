/* poolheap_check and poolheap_deep_check: a sound heap passes, and each kind
 * of deliberately corrupted state is found and reported. */
#include <string.h>

#include "../harness.h"
#include "fixture.h"

/* A heap after a mix of operations: pool 16 has blocks a (free), b (live),
 * c (free), so its free list is c -> a. */
typedef struct scene {
    const poolheap_t *heap;
    unsigned char *a, *b, *c;
} scene_t;

static scene_t busy_heap(void) {
    scene_t s = {test_heap(0u), NULL, NULL, NULL};
    s.a = poolheap_alloc(s.heap, 16);
    s.b = poolheap_alloc(s.heap, 16);
    s.c = poolheap_alloc(s.heap, 16);
    poolheap_alloc(s.heap, 200);
    poolheap_realloc(s.heap, poolheap_alloc(s.heap, 8), 60);
    poolheap_free(s.heap, s.a);
    poolheap_free(s.heap, s.c);
    return s;
}

/* Both checks' verdicts; every violation must also reach the error hook. */
static void check_verdicts(const poolheap_t *heap, int cheap_finds, int deep_finds) {
    unsigned cheap = poolheap_check(heap);
    CHECK_EQ(cheap != 0u, cheap_finds);
    CHECK_EQ(hook_log.error_calls, cheap);
    unsigned deep = poolheap_deep_check(heap);
    CHECK_EQ(deep != 0u, deep_finds);
    CHECK_EQ(hook_log.error_calls, cheap + deep);
    if (hook_log.error_calls != 0u) {
        CHECK_EQ(hook_log.error, POOLHEAP_ERR_CORRUPT);
    }
}

static void a_sound_heap_passes_both_checks(void) {
    scene_t s = busy_heap();
    check_verdicts(s.heap, 0, 0);
}

static void a_full_heap_passes_both_checks(void) {
    const poolheap_t *heap = test_heap(0u);
    while (poolheap_alloc(heap, 1) != NULL) {
    }
    check_verdicts(heap, 0, 0);
}

static void bump_counter_beyond_capacity_is_found(void) {
    scene_t s = busy_heap();
    s.heap->pools[POOL_8].state->fresh = 5; /* capacity 4 */
    check_verdicts(s.heap, 1, 1);
}

static void free_list_head_outside_the_heap_is_found(void) {
    scene_t s = busy_heap();
    s.heap->pools[POOL_16].state->free = 0x7777;
    check_verdicts(s.heap, 1, 1);
}

static void a_link_overwritten_after_free_is_found_by_the_deep_check(void) {
    scene_t s = busy_heap();
    memset(s.c, 0xFF, 8); /* c is the head; its link now leads nowhere */
    check_verdicts(s.heap, 0, 1);
}

static void a_cycle_in_a_free_list_is_found_by_the_deep_check(void) {
    scene_t s = busy_heap();
    /* c's link (whatever its encoding) names a; copied into a, a names
     * itself: c -> a -> a -> ... */
    memcpy(s.a, s.c, sizeof(void *));
    check_verdicts(s.heap, 0, 1);
}

static void bytes_in_use_disagreeing_with_the_pools_is_found_by_the_deep_check_in_debug(void) {
#if POOLHEAP_DEBUG
    scene_t s = busy_heap();
    s.heap->state->bytes_in_use += 8;
    check_verdicts(s.heap, 0, 1);
#endif
}

/* The side table's entries add up to the requested bytes of the live
 * blocks; the heap-wide count says 4 more. */
static void requested_bytes_disagreeing_with_the_side_table_are_found_in_debug(void) {
#if POOLHEAP_DEBUG /* the release configuration has no requested bytes */
    scene_t s = busy_heap();
    if (s.heap->requested == NULL) {
        return;
    }
    s.heap->state->requested_in_use += 4u;
    check_verdicts(s.heap, 0, 1);
#endif
}

static void a_side_table_calling_a_free_block_live_is_found_in_debug(void) {
    scene_t s = busy_heap();
    if (s.heap->requested == NULL) {
        return; /* release configuration: no side table */
    }
    uint32_t first = s.heap->pools[POOL_16].first;
    s.heap->requested[first] = POOLHEAP_SIDE_LIVE(4u); /* block a, which is free */
    check_verdicts(s.heap, 0, 1);
}

/* The side table's live entries must number the pool's live blocks. Block b
 * (live) loses its entry, and the heap-wide requested bytes lose its bytes
 * with it, so only the count of live entries tells. */
static void a_side_table_missing_a_live_block_is_found_in_debug(void) {
#if POOLHEAP_DEBUG /* the release configuration has no side table and no requested bytes */
    scene_t s = busy_heap();
    if (s.heap->requested == NULL) {
        return;
    }
    s.heap->requested[s.heap->pools[POOL_16].first + 1u] = 0u; /* no entry */
    s.heap->state->requested_in_use -= 16u;                    /* b was asked for 16 bytes */
    check_verdicts(s.heap, 0, 1);
#endif
}

/* Block d of pool 16 has never been handed out; b's side-table entry,
 * moved to d, calls it live (the count and the bytes still add up). */
static void a_side_table_entry_beyond_the_bump_counter_is_found_in_debug(void) {
    scene_t s = busy_heap();
    if (s.heap->requested == NULL) {
        return; /* release configuration: no side table */
    }
    uint32_t first = s.heap->pools[POOL_16].first;
    s.heap->requested[first + 3u] = s.heap->requested[first + 1u];
    s.heap->requested[first + 1u] = 0u;
    check_verdicts(s.heap, 0, 1);
}

/* Block b's entry replaced by the 200-byte request's, larger than its
 * 16-byte block (the byte total moved with it). */
static void a_side_table_entry_larger_than_its_block_is_found_in_debug(void) {
    scene_t s = busy_heap();
    if (s.heap->requested == NULL) {
        return; /* release configuration: no side table */
    }
#if POOLHEAP_DEBUG /* requested bytes are counted in the debug configuration only */
    uint32_t b = s.heap->pools[POOL_16].first + 1u, big = s.heap->pools[POOL_256].first;
    s.heap->requested[b] = s.heap->requested[big];
    s.heap->state->requested_in_use += 200u - 16u;
    check_verdicts(s.heap, 0, 1);
#endif
}

int main(void) {
    RUN(a_sound_heap_passes_both_checks);
    RUN(a_full_heap_passes_both_checks);
    RUN(bump_counter_beyond_capacity_is_found);
    RUN(free_list_head_outside_the_heap_is_found);
    RUN(a_link_overwritten_after_free_is_found_by_the_deep_check);
    RUN(a_cycle_in_a_free_list_is_found_by_the_deep_check);
    RUN(bytes_in_use_disagreeing_with_the_pools_is_found_by_the_deep_check_in_debug);
    RUN(requested_bytes_disagreeing_with_the_side_table_are_found_in_debug);
    RUN(a_side_table_calling_a_free_block_live_is_found_in_debug);
    RUN(a_side_table_missing_a_live_block_is_found_in_debug);
    RUN(a_side_table_entry_beyond_the_bump_counter_is_found_in_debug);
    RUN(a_side_table_entry_larger_than_its_block_is_found_in_debug);
    return test_summary();
}
