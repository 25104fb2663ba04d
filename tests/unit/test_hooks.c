/* poolheap_set_hooks: which hook runs, with what, and running without. */
#include "../harness.h"
#include "fixture.h"

static void hooks_receive_the_heap_and_the_context(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_alloc(heap, 1000);
    CHECK(hook_log.heap == heap);
    hook_log.heap = NULL;
    poolheap_free(heap, heap->base + 1);
    CHECK(hook_log.heap == heap);
}

static void out_of_memory_calls_only_the_oom_hook(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_alloc_aligned(heap, 300, 16);
    CHECK_EQ(hook_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_size, 300);
    CHECK_EQ(hook_log.oom_align, 16);
    CHECK_EQ(hook_log.error_calls, 0);
}

static void bad_input_calls_only_the_error_hook(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_alloc_aligned(heap, 8, 6);
    CHECK_EQ(hook_log.error_calls, 1);
    CHECK_EQ(hook_log.oom_calls, 0);
}

static void operations_run_without_hooks(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_set_hooks(heap, NULL, NULL, NULL);
    CHECK(poolheap_alloc(heap, 1000) == NULL);
    CHECK(poolheap_alloc_aligned(heap, 8, 3) == NULL);
    poolheap_free(heap, heap->base + 1);
    CHECK_EQ(hook_log.oom_calls + hook_log.error_calls, 0);
    CHECK_EQ(test_stats(heap).failures, 2);
    CHECK_EQ(test_stats(heap).rejected, 2);
}

static hook_log_t other_log;

static void count_oom(const poolheap_t *heap, size_t size, size_t align, void *context) {
    (void)heap, (void)size, (void)align;
    ((hook_log_t *)context)->oom_calls++;
}

static void setting_hooks_replaces_the_previous_ones(void) {
    const poolheap_t *heap = test_heap(0u);
    other_log = (hook_log_t){0};
    poolheap_set_hooks(heap, count_oom, NULL, &other_log);
    poolheap_alloc(heap, 1000);
    poolheap_free(heap, heap->base + 1);
    CHECK_EQ(other_log.oom_calls, 1);
    CHECK_EQ(hook_log.oom_calls + hook_log.error_calls, 0);
}

static void reset_keeps_the_hooks(void) {
    const poolheap_t *heap = test_heap(0u);
    poolheap_reset(heap);
    poolheap_alloc(heap, 1000);
    CHECK_EQ(hook_log.oom_calls, 1);
}

int main(void) {
    RUN(hooks_receive_the_heap_and_the_context);
    RUN(out_of_memory_calls_only_the_oom_hook);
    RUN(bad_input_calls_only_the_error_hook);
    RUN(operations_run_without_hooks);
    RUN(setting_hooks_replaces_the_previous_ones);
    RUN(reset_keeps_the_hooks);
    return test_summary();
}
