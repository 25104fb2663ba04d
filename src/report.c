/* The cold paths: counting bad calls and calling the error hook. */
#include "internal.h"

void ph_report(const poolheap_t *heap, poolheap_error_t error, const void *pointer) {
    poolheap_state_t *state = heap->state;
    ph_count(&state->rejected);
    if (state->on_error != NULL) {
        state->on_error(heap, error, pointer, state->hook_context);
    }
}

#if POOLHEAP_STATS
void ph_count(poolheap_word_t *w) {
    ph_word_add(w, 1u);
}
#endif

void ph_reject(const poolheap_t *heap, poolheap_error_t error, size_t size, size_t align PH_OP_PARAM PH_CALLER_PARAM) {
    ph_count(&heap->state->failures);
    PH_TRACE(heap, POOLHEAP_TRACE_FAIL, size, align, NULL, (const void *)(uintptr_t)op, caller);
    ph_report(heap, error, NULL);
}

void poolheap_set_hooks(const poolheap_t *heap, poolheap_oom_hook_t on_oom, poolheap_error_hook_t on_error,
                        void *context) {
    heap->state->on_oom = on_oom;
    heap->state->on_error = on_error;
    heap->state->hook_context = context;
}
