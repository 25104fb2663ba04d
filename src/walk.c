/* Walking a pool's free list: the deep check's audit and the count of free
 * blocks behind poolheap_pool_stats' in_use. */
#include "internal.h"

/* Debug: does the side table call this (free-listed) block live? */
static int ph_side_says_live(const poolheap_t *heap, ph_place_t place) {
    return POOLHEAP_DEBUG && heap->requested != NULL && ph_debug_check_live(heap, place) == 0;
}

uint32_t ph_walk_free_list(const poolheap_t *heap, const poolheap_pool_t *pool, int audit_side_table,
                           const void **bad) {
    uint32_t fresh = ph_word_load(&pool->state->fresh);
    uint32_t length = 0u;
    *bad = NULL;
    for (const void *block = ph_list_first(heap, pool, pool->state); block != NULL;
         block = ph_list_next(heap, pool, block)) {
        ph_place_t place;
        if (!ph_is_block_of(heap, pool, block, &place) || length == fresh ||
            (audit_side_table && ph_side_says_live(heap, place))) {
            *bad = block;
            break;
        }
        length++;
    }
    return length;
}
