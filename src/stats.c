/* Statistics snapshots, derived on demand from the pool states. */
#include "internal.h"

/* Blocks handed out now from pool `index`: the bump counter (every block
 * ever handed out) minus the blocks on the free list. The two words are read
 * one after the other, so while other calls run the difference may be off
 * by the operations in flight: it is kept within 0 and the bump counter. */
static uint32_t ph_in_use(const poolheap_t *heap, uint32_t index) {
    const poolheap_pool_state_t *st = &heap->pool_states[index];
    uint32_t fresh = ph_word_load(&st->fresh);
#if POOLHEAP_STATS
    uint32_t listed = ph_word_load(&st->listed);
    return listed < fresh ? fresh - listed : 0u; /* a length in flight may exceed it, or wrap below 0 */
#else
    return fresh; /* the length is not kept: the high-water mark is the bound */
#endif
}

int poolheap_pool_stats(const poolheap_t *heap, unsigned index, poolheap_pool_stats_t *out) {
    if (index >= heap->pool_count) {
        return -1;
    }
    const poolheap_pool_state_t *st = &heap->pool_states[index];
    uint32_t events = ph_word_load(&st->events);
    out->block = heap->pools[index].block;
    out->capacity = heap->pools[index].capacity;
    out->in_use = ph_in_use(heap, index);
    out->peak = ph_word_load(&st->fresh);
    out->fallbacks = events >> PH_EVENT_FALLBACK & PH_EVENT_MAX;
    out->oom = events >> PH_EVENT_OOM & PH_EVENT_MAX;
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
        bytes += ph_in_use(heap, i) * heap->pools[i].block;
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
