/* Every instruction of an alloc or a free interrupted in turn by a signal
 * handler on the same heap (issue 17; the machinery: sweep.h).
 *
 * After each run the outcome must be one that the two operations give in
 * some order: the heap sound (deep check, no error reported), the live
 * blocks distinct, every other block still to be had, once, and in the
 * debug configuration the peaks of the bytes in use counting both. The
 * compare-and-swap retries of the bump counter, the free list and the peak
 * counters happen in some of these runs, deterministically. Linked with
 * the ABA-unsafe pop (POOLHEAP_NAIVE_POP), the same sweep must find the
 * corruption: that build passes only if some run of the free-list scenario
 * goes wrong. */
#include "sweep.h"

static void *main_block, *handler_blocks[2];

static void alloc_main(void) {
    main_block = poolheap_alloc(heap, 16u);
}

static void alloc_in_handler(void) {
    handler_blocks[0] = poolheap_alloc(heap, 16u);
}

/* Both from the bump counter (no block was ever freed); in the debug
 * configuration the peaks of the bytes in use must count both. */
static unsigned bump_problems(int hit) {
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    uint32_t peak = hit ? 32u : 16u;
    unsigned problems = POOLHEAP_DEBUG && (stats.bytes_peak != peak || stats.requested_peak != peak);
    void *live[] = {main_block, handler_blocks[0]};
    return problems + audit(live, hit ? 2u : 1u);
}

/* Three free blocks listed x0 -> x1 -> x2. */
static void three_free_blocks(void) {
    fresh_heap();
    void *x[3];
    for (int i = 0; i < 3; i++) {
        x[i] = poolheap_alloc(heap, 16u);
    }
    for (int i = 2; i >= 0; i--) {
        poolheap_free(heap, x[i]);
    }
}

/* What breaks an ABA-unsafe pop: takes the head and the next block, gives
 * the head back (the head it may have interrupted is the head again) and
 * keeps the next one. */
static void pop_two_push_one(void) {
    handler_blocks[0] = poolheap_alloc(heap, 16u);
    handler_blocks[1] = poolheap_alloc(heap, 16u);
    poolheap_free(heap, handler_blocks[0]);
}

static unsigned pop_problems(int hit) {
    void *live[] = {main_block, handler_blocks[1]};
    return audit(live, hit ? 2u : 1u);
}

static void *to_free[2];

/* Two live blocks, to be freed one by the operation, one by the handler. */
static void two_live_blocks(void) {
    fresh_heap();
    to_free[0] = poolheap_alloc(heap, 16u);
    to_free[1] = poolheap_alloc(heap, 16u);
}

static void free_main(void) {
    poolheap_free(heap, to_free[0]);
}

static void free_in_handler(void) {
    poolheap_free(heap, to_free[1]);
}

static unsigned push_problems(int hit) {
    return audit(&to_free[1], hit ? 0u : 1u);
}

static void allocs_from_the_bump_counter_interleave(void) {
    static const scenario_t bump = {"alloc from the bump counter, an alloc interrupting", fresh_heap, alloc_main,
                                    alloc_in_handler, bump_problems};
    CHECK_EQ(sweep(&bump), 0u);
}

static void allocs_from_the_free_list_interleave(void) {
    static const scenario_t pop = {"alloc from the free list, two allocs and a free interrupting", three_free_blocks,
                                   alloc_main, pop_two_push_one, pop_problems};
#ifdef POOLHEAP_NAIVE_POP
    CHECK(sweep(&pop) > 0u); /* the control: the ABA-unsafe pop must be caught */
#else
    CHECK_EQ(sweep(&pop), 0u);
#endif
}

static void frees_interleave(void) {
    static const scenario_t push = {"free, a free interrupting", two_live_blocks, free_main, free_in_handler,
                                    push_problems};
    CHECK_EQ(sweep(&push), 0u);
}

/* interrupt_sweep [STRIDE] */
int main(int argc, char **argv) {
    int status = sweep_start(argc, argv);
    if (status != 0) {
        return status;
    }
    RUN(allocs_from_the_bump_counter_interleave);
    RUN(allocs_from_the_free_list_interleave);
    RUN(frees_interleave);
    return test_summary();
}
