/* Invariant checks: a cheap one for production, a thorough one for tests. */
#include "internal.h"

/* Reports one violation at `where` and returns 1, for summing. */
static unsigned ph_violation(const poolheap_t *heap, const void *where) {
    ph_report(heap, POOLHEAP_ERR_CORRUPT, where);
    return 1u;
}

/* Is `block` a block of pool `pool` that has been handed out at least once? */
static int ph_is_block_of(const poolheap_t *heap, uint32_t pool, const void *block, ph_place_t *place) {
    return ph_locate(heap, block, place) == 0 && place->pool == pool;
}

static unsigned ph_check_pool(const poolheap_t *heap, uint32_t i) {
    const poolheap_pool_t *pool = &heap->pools[i];
    poolheap_pool_state_t *st = &heap->pool_states[i];
    const void *where = heap->base + pool->offset;
    unsigned problems = 0u;
    uint32_t fresh = ph_word_load(&st->fresh);
    if (fresh > pool->capacity) {
        problems += ph_violation(heap, where);
    }
    const void *head = ph_list_first(heap, pool, st);
    ph_place_t place;
    if (head != NULL && !ph_is_block_of(heap, i, head, &place)) {
        problems += ph_violation(heap, head);
    }
    if (POOLHEAP_STATS && ph_word_load(&st->listed) > fresh) {
        problems += ph_violation(heap, where);
    }
    return problems;
}

unsigned poolheap_check(const poolheap_t *heap) {
    unsigned problems = 0u;
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        problems += ph_check_pool(heap, i);
    }
    return problems;
}

/* Debug: does the side table call this (free-listed) block live? */
static int ph_side_says_live(const poolheap_t *heap, ph_place_t place) {
    return POOLHEAP_DEBUG && heap->requested != NULL && ph_debug_check_live(heap, place) == 0;
}

/* Walks pool i's free list; returns its length, or counts a violation and
 * stops at the first bad link. More links than blocks handed out means a
 * cycle (a block on the list twice is one). */
static uint32_t ph_walk_free_list(const poolheap_t *heap, uint32_t i, unsigned *problems) {
    const poolheap_pool_t *pool = &heap->pools[i];
    uint32_t fresh = ph_word_load(&heap->pool_states[i].fresh);
    uint32_t length = 0u;
    for (const void *block = ph_list_first(heap, pool, &heap->pool_states[i]); block != NULL;
         block = ph_list_next(heap, pool, block)) {
        ph_place_t place;
        if (!ph_is_block_of(heap, i, block, &place) || length == fresh || ph_side_says_live(heap, place)) {
            *problems += ph_violation(heap, block);
            break;
        }
        length++;
    }
    return length;
}

/* Debug side table of pool i: live entries only below the bump counter,
 * `live` of them; returns their requested bytes. */
static uint32_t ph_check_side_table(const poolheap_t *heap, uint32_t i, uint32_t live, unsigned *problems) {
    const poolheap_pool_t *pool = &heap->pools[i];
    uint32_t fresh = ph_word_load(&heap->pool_states[i].fresh);
    uint32_t seen = 0u, bytes = 0u;
    for (uint32_t b = 0u; b < pool->capacity; b++) {
        uint32_t entry = ph_word_load(&heap->requested[pool->first + b]);
        if (entry != 0u) { /* live: the requested size plus one */
            seen++;
            bytes += entry - 1u;
            if (b >= fresh || entry - 1u > pool->block) {
                *problems += ph_violation(heap, heap->base + pool->offset + (size_t)b * pool->block);
            }
        }
    }
    if (seen != live) {
        *problems += ph_violation(heap, heap->base + pool->offset);
    }
    return bytes;
}

unsigned poolheap_deep_check(const poolheap_t *heap) {
    unsigned problems = poolheap_check(heap);
    uint32_t requested = 0u, bytes = 0u;
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        uint32_t fresh = ph_word_load(&heap->pool_states[i].fresh);
        uint32_t listed = ph_walk_free_list(heap, i, &problems);
        uint32_t live = fresh - listed;
        bytes += live * pool->block;
        if (POOLHEAP_STATS && ph_word_load(&heap->pool_states[i].listed) != listed) {
            problems += ph_violation(heap, heap->base + pool->offset);
        }
        if (POOLHEAP_DEBUG && heap->requested != NULL) {
            requested += ph_check_side_table(heap, i, live, &problems);
        }
    }
#if POOLHEAP_DEBUG
    if (ph_word_load(&heap->state->bytes_in_use) != bytes ||
        (heap->requested != NULL && ph_word_load(&heap->state->requested_in_use) != requested)) {
        problems += ph_violation(heap, heap->base);
    }
#else
    (void)bytes, (void)requested;
#endif
    return problems;
}
