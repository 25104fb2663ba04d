/* Invariant checks: a cheap one for production, a thorough one for tests. */
#include "internal.h"

/* Reports one violation at `where` and returns 1, for summing. */
static unsigned ph_violation(const poolheap_t *heap, const void *where) {
    ph_report(heap, POOLHEAP_ERR_CORRUPT, where);
    return 1u;
}

static unsigned ph_check_pool(const poolheap_t *heap, const poolheap_pool_t *pool) {
    const void *where = pool->start;
    unsigned problems = 0u;
    if (ph_word_load(&pool->state->fresh) > pool->capacity) {
        problems += ph_violation(heap, where);
    }
    const void *head = ph_list_first(heap, pool, pool->state);
    ph_place_t place;
    if (head != NULL && !ph_is_block_of(heap, pool, head, &place)) {
        problems += ph_violation(heap, head);
    }
    return problems;
}

unsigned poolheap_check(const poolheap_t *heap) {
    unsigned problems = 0u;
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        problems += ph_check_pool(heap, &heap->pools[i]);
    }
    return problems;
}

/* Debug side table of `pool`: live entries only below the bump counter,
 * `live` of them; returns their requested bytes. */
static uint32_t ph_check_side_table(const poolheap_t *heap, const poolheap_pool_t *pool, uint32_t live,
                                    unsigned *problems) {
    uint32_t fresh = ph_word_load(&pool->state->fresh);
    uint32_t seen = 0u, bytes = 0u;
    for (uint32_t b = 0u; b < pool->capacity; b++) {
        uint32_t entry = ph_word_load(&heap->requested[pool->first + b]);
        if (entry != 0u) { /* live: the requested size plus one */
            seen++;
            bytes += entry - 1u;
            if (b >= fresh || entry - 1u > pool->block) {
                *problems += ph_violation(heap, pool->start + (size_t)b * pool->block);
            }
        }
    }
    if (seen != live) {
        *problems += ph_violation(heap, pool->start);
    }
    return bytes;
}

unsigned poolheap_deep_check(const poolheap_t *heap) {
    unsigned problems = poolheap_check(heap);
    uint32_t requested = 0u, bytes = 0u;
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        const void *bad;
        uint32_t live = ph_word_load(&pool->state->fresh) - ph_walk_free_list(heap, pool, 1, &bad);
        if (bad != NULL) {
            problems += ph_violation(heap, bad);
        }
        bytes += live * pool->block;
        if (POOLHEAP_DEBUG && heap->requested != NULL) {
            requested += ph_check_side_table(heap, pool, live, &problems);
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
