/* Statistics snapshots, derived on demand from the pool states. */
#include "internal.h"

/* Blocks handed out now from `pool`: the bump counter (every block ever
 * handed out) minus the blocks on the free list, counted by walking it.
 * While other calls run, the list may change under the walk: the count is
 * then kept within 0 and the bump counter. */
static uint32_t ph_in_use(const poolheap_t *heap, const poolheap_pool_t *pool) {
    const void *bad;
    uint32_t listed = ph_walk_free_list(heap, pool, 0, &bad);
    uint32_t fresh = ph_word_load(&pool->state->fresh);
    return listed < fresh ? fresh - listed : 0u;
}

int poolheap_pool_stats(const poolheap_t *heap, unsigned index, poolheap_pool_stats_t *out) {
    if (index >= heap->pool_count) {
        return -1;
    }
    const poolheap_pool_t *pool = &heap->pools[index];
    out->block = pool->block;
    out->capacity = pool->capacity;
    out->in_use = ph_in_use(heap, pool);
    out->peak = ph_word_load(&pool->state->fresh);
    out->fallbacks = ph_word_load(&pool->state->fallbacks);
    out->oom = ph_word_load(&pool->state->oom);
    return 0;
}

void poolheap_stats(const poolheap_t *heap, poolheap_stats_t *out) {
    const poolheap_state_t *state = heap->state;
    out->size = heap->size;
    out->span = heap->span;
    out->pool_count = heap->pool_count;
    out->failures = ph_word_load(&state->failures);
    out->rejected = ph_word_load(&state->rejected);
    uint32_t bytes = 0u;
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        bytes += ph_in_use(heap, &heap->pools[i]) * heap->pools[i].block;
    }
    out->bytes_in_use = bytes;
#if POOLHEAP_DEBUG
    out->bytes_peak = ph_word_load(&state->bytes_peak);
    out->requested_in_use = ph_word_load(&state->requested_in_use);
    out->requested_peak = ph_word_load(&state->requested_peak);
#else
    out->bytes_peak = 0u;
    out->requested_in_use = 0u;
    out->requested_peak = 0u;
#endif
}
