/* The margin model (tools/tune/tune_margin.h) on hand-computed cases: the
 * tail demands, a byte budget that never doubles a capacity-1 pool it
 * cannot pay for, the largest block raised for larger requests. */
#include <string.h>

#include "built_trace.h"
#include "harness.h"
#include "tune/tune_input.h"
#include "tune/tune_margin.h"

static built_trace_t runs[3];

static ph_tune_layout_t layout_of(const poolheap_pool_config_t *pools, size_t count) {
    ph_tune_layout_t layout = {.pool_count = count};
    memcpy(layout.pools, pools, count * sizeof *pools);
    for (size_t p = 0u; p < count; p++) {
        layout.size += (uint64_t)pools[p].block * pools[p].capacity;
    }
    return layout;
}

/* Run r: 10 - r objects of 16 bytes and, while they live, one of 64 that
 * grows to 100 (moving to the 128-byte pool); then all freed. */
static void build_runs(void) {
    for (uint32_t r = 0u; r < 3u; r++) {
        built_trace_start(&runs[r]);
        uint32_t small = built_trace_alloc(&runs[r], 16u, 10u - r);
        uint32_t large = built_trace_alloc(&runs[r], 64u, 1u);
        built_trace_realloc(&runs[r], large, 100u);
        built_trace_free(&runs[r], small, 10u - r);
        built_trace_free(&runs[r], large, 1u);
    }
}

static int input_of(size_t count, ph_tune_input_t *input) {
    ph_trace_t traces[3] = {runs[0].trace, runs[1].trace, runs[2].trace};
    char error[128];
    return ph_tune_input_build(traces, count, 8u, input, error, sizeof error);
}

static void tail_demands_by_hand(void) {
    ph_tune_input_t input;
    CHECK_EQ(input_of(3u, &input), 0);
    const poolheap_pool_config_t pools[] = {{16u, 10u}, {64u, 1u}, {104u, 1u}};
    ph_tune_layout_t layout = layout_of(pools, 3u);
    uint32_t tail[9];
    CHECK_EQ(ph_tune_tail_demand(&input, &layout, tail), 0);
    /* Pools 0..: every object (11, 10, 9 at once); pools 1..: the large one
     * (before and after its move: 1); pool 2..: the large one once grown. */
    const uint32_t expected[9] = {11u, 1u, 1u, 10u, 1u, 1u, 9u, 1u, 1u};
    for (size_t i = 0u; i < 9u; i++) {
        CHECK_EQ(tail[i], expected[i]);
    }
    const poolheap_pool_config_t small_top[] = {{16u, 10u}, {64u, 1u}};
    ph_tune_layout_t too_small = layout_of(small_top, 2u);
    CHECK_EQ(ph_tune_tail_demand(&input, &too_small, tail), -1); /* 100 bytes fit no block */
    ph_tune_input_free(&input);
}

/* A 1 % budget (43 bytes of a 4,320-byte heap) buys 16-byte blocks only:
 * the capacity-1 pool of 4,096 bytes is never doubled. */
static void one_percent_never_doubles_a_large_pool(void) {
    ph_tune_input_t input;
    CHECK_EQ(input_of(3u, &input), 0);
    const poolheap_pool_config_t pools[] = {{16u, 10u}, {64u, 1u}, {4096u, 1u}};
    ph_tune_layout_t layout = layout_of(pools, 3u);
    CHECK_EQ(layout.size, 160u + 64u + 4096u);
    uint64_t budget = layout.size / 100u; /* 43 */
    CHECK_EQ(ph_tune_margin(&input, &layout, budget, 0u), 0);
    CHECK_EQ(layout.pools[0].capacity, 12u); /* 2 blocks of 16: 32 bytes; a third would exceed 43 */
    CHECK_EQ(layout.pools[1].capacity, 1u);
    CHECK_EQ(layout.pools[2].capacity, 1u);
    CHECK_EQ(layout.pools[2].block, 4096u);
    CHECK_EQ(layout.size, 160u + 64u + 4096u + 32u);
    ph_tune_input_free(&input);
}

/* Everything a budget buys is within it; the large pool's own noise (one
 * object, as if Poisson) makes a second large block worth its bytes once
 * the small pool has a few more. */
static void the_budget_bounds_the_heap(void) {
    ph_tune_input_t input;
    CHECK_EQ(input_of(3u, &input), 0);
    const poolheap_pool_config_t pools[] = {{16u, 10u}, {64u, 1u}, {4096u, 1u}};
    for (uint64_t budget = 0u; budget <= 8192u; budget += 512u) {
        ph_tune_layout_t layout = layout_of(pools, 3u);
        CHECK_EQ(ph_tune_margin(&input, &layout, budget, 0u), 0);
        CHECK(layout.size <= 4320u + budget);
        /* Spent until not one more small block fits, or (large budgets)
         * until the model sees no risk left worth a block. */
        CHECK(budget > 2048u || 4320u + budget - layout.size < 16u);
        for (size_t p = 0u; p < 3u; p++) {
            CHECK(layout.pools[p].capacity >= pools[p].capacity);
        }
        /* Once a few small blocks are bought, the second large one is the
         * better buy, when it still fits (from 4,608 bytes on). */
        CHECK_EQ(layout.pools[2].capacity, budget < 4608u ? 1u : 2u);
    }
    ph_tune_input_free(&input);
}

/* --max-request: the largest block serves it, rounded up to the word, and
 * the raise is paid from the budget first. */
static void max_request_raises_the_largest_block(void) {
    ph_tune_input_t input;
    CHECK_EQ(input_of(1u, &input), 0);
    const poolheap_pool_config_t pools[] = {{16u, 10u}, {104u, 1u}};
    ph_tune_layout_t layout = layout_of(pools, 2u);
    CHECK_EQ(ph_tune_margin(&input, &layout, 100u, 250u), 0);
    CHECK_EQ(layout.pools[1].block, 256u);
    CHECK_EQ(layout.pools[1].capacity, 1u);
    CHECK_EQ(layout.pools[0].capacity, 10u); /* the raise (152 bytes) took the whole budget */
    /* By default, with one run, the largest request plus the margin's share. */
    CHECK_EQ(ph_tune_margin_top(&input, 1000u), 104u + 10u);
    ph_tune_input_free(&input);
    CHECK_EQ(input_of(3u, &input), 0); /* several runs, the same largest request: no raise */
    CHECK_EQ(ph_tune_margin_top(&input, 1000u), 104u);
    ph_tune_input_free(&input);
}

int main(void) {
    build_runs();
    RUN(tail_demands_by_hand);
    RUN(one_percent_never_doubles_a_large_pool);
    RUN(the_budget_bounds_the_heap);
    RUN(max_request_raises_the_largest_block);
    return test_summary();
}
