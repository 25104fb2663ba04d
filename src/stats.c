/* Statistics snapshots. */
#include "internal.h"

int poolheap_pool_stats(const poolheap_t *heap, unsigned index, poolheap_pool_stats_t *out) {
    if (index >= heap->pool_count) {
        return -1;
    }
    const poolheap_pool_state_t *st = &heap->pool_states[index];
    out->block = heap->pools[index].block;
    out->capacity = heap->pools[index].capacity;
    out->in_use = ph_word_load(&st->in_use);
    out->peak = ph_word_load(&st->peak);
    out->served = ph_word_load(&st->served);
    out->fallbacks = ph_word_load(&st->fallbacks);
    out->oom = ph_word_load(&st->oom);
    return 0;
}

void poolheap_stats(const poolheap_t *heap, poolheap_stats_t *out) {
    const poolheap_state_t *state = heap->state;
    out->size = heap->size;
    out->span = heap->span;
    out->pool_count = heap->pool_count;
    out->failures = ph_word_load(&state->failures);
    out->rejected = ph_word_load(&state->rejected);
    out->bytes_in_use = ph_word_load(&state->bytes_in_use);
    out->bytes_peak = ph_word_load(&state->bytes_peak);
    out->requested_in_use = ph_word_load(&state->requested_in_use);
    out->requested_peak = ph_word_load(&state->requested_peak);
}
