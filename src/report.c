/* The cold paths: counting failures and calling the user's hooks. */
#include "internal.h"

void ph_report(const poolheap_t *heap, poolheap_error_t error, const void *pointer) {
    poolheap_state_t *state = heap->state;
    ph_word_add(&state->rejected, 1u);
    if (state->on_error != NULL) {
        state->on_error(heap, error, pointer, state->hook_context);
    }
}

void ph_count_event(const poolheap_t *heap, uint32_t pool, uint32_t shift) {
    poolheap_word_t *w = &heap->pool_states[pool].events;
    uint32_t seen = ph_word_load(w);
    while ((seen >> shift & PH_EVENT_MAX) != PH_EVENT_MAX && !ph_word_cas(w, seen, seen + (1u << shift))) {
        seen = ph_word_load(w);
    }
}

void ph_fail(const poolheap_t *heap, uint32_t first, size_t size, size_t align, unsigned op PH_CALLER_PARAM) {
    poolheap_state_t *state = heap->state;
    ph_word_add(&state->failures, 1u);
    if (first < heap->pool_count) {
        ph_count_event(heap, first, PH_EVENT_OOM);
    }
    PH_TRACE(heap, POOLHEAP_TRACE_FAIL, size, align, NULL, (const void *)(uintptr_t)op, caller);
    if (state->on_oom != NULL) {
        state->on_oom(heap, size, align > 1u ? align : 0u, state->hook_context);
    }
}

void ph_reject(const poolheap_t *heap, poolheap_error_t error, size_t size, size_t align, unsigned op PH_CALLER_PARAM) {
    ph_word_add(&heap->state->failures, 1u);
    PH_TRACE(heap, POOLHEAP_TRACE_FAIL, size, align, NULL, (const void *)(uintptr_t)op, caller);
    ph_report(heap, error, NULL);
}

void poolheap_set_hooks(const poolheap_t *heap, poolheap_oom_hook_t on_oom, poolheap_error_hook_t on_error,
                        void *context) {
    heap->state->on_oom = on_oom;
    heap->state->on_error = on_error;
    heap->state->hook_context = context;
}
