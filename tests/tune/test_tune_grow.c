/* Growing a layout (tools/tune/tune_grow.h, `tune --from`, the change
 * `report --config` suggests) on crafted traces: the change applied serves
 * the trace in the library, and one block less in any pool that grew does
 * not. */
#include "built_trace.h"
#include "harness.h"
#include "tune/tune.h"

static int library_serves(const ph_trace_t *trace, const ph_tune_layout_t *layout) {
    ph_replay_options_t options = {.pointer_size = 8u};
    ph_replay_result_t r;
    return ph_replay(trace, 1u, layout->pools, layout->pool_count, &options, &r) == 0 && r.failures == 0u;
}

/* The growth serves; each capacity it raised, one lower, does not. */
static void check_minimal(const ph_trace_t *trace, const poolheap_pool_config_t *given, const ph_tune_growth_t *g) {
    CHECK(library_serves(trace, &g->after));
    for (size_t p = 0u; p < g->after.pool_count; p++) {
        CHECK(g->after.pools[p].capacity >= given[p].capacity);
        if (g->after.pools[p].capacity > given[p].capacity) {
            ph_tune_layout_t less = g->after;
            less.pools[p].capacity--;
            CHECK(!library_serves(trace, &less));
        }
    }
}

/* Four 16-byte objects and one of 40 live at once, in pools {16 x 2, 32 x 1}:
 * the 40 fits no block (the largest becomes 40), one 16 lacks a block.
 * Grown pool by pool, {16 x 3, 40 x 2} (128 bytes: the fourth 16 takes the
 * 40's block); jointly smallest, {16 x 4, 40 x 1} (104). */
static void oversize_and_exhausted(void) {
    built_trace_t b;
    built_trace_start(&b);
    uint32_t small = built_trace_alloc(&b, 16u, 4u);
    uint32_t large = built_trace_alloc(&b, 40u, 1u);
    built_trace_free(&b, small, 4u);
    built_trace_free(&b, large, 1u);
    const poolheap_pool_config_t given[] = {{16u, 2u}, {32u, 1u}};
    ph_tune_growth_t g;
    char error[256];
    CHECK_EQ(ph_tune_grow_traces(&b.trace, 1u, 8u, given, 2u, &g, error, sizeof error), 0);
    CHECK_EQ(g.oversize, 1u);
    CHECK_EQ(g.top_needed, 40u);
    CHECK_EQ(g.after.pools[1].block, 40u);
    CHECK_EQ(g.lacked[0], 1u); /* the 4th small object, its first choice full and the 40-byte block taken */
    CHECK_EQ(g.lacked[1], 1u); /* the large object, its block taken by a small one */
    CHECK_EQ(g.after.pools[0].capacity, 4u);
    CHECK_EQ(g.after.pools[1].capacity, 1u);
    CHECK_EQ(g.after.size, 4u * 16u + 1u * 40u);
    CHECK_EQ(g.jointly_smallest, 1);
    check_minimal(&b.trace, given, &g);
}

/* A request aligned to 32 that the largest block (40) is large enough
 * for but not aligned to: that block becomes 64, the next multiple of 32. */
static void aligned_beyond_every_block(void) {
    built_trace_t b;
    built_trace_start(&b);
    uint32_t small = built_trace_alloc(&b, 16u, 1u);
    b.events[b.trace.count] = (ph_event_t){.kind = PH_EVENT_ALLOC, .size = 30u, .align = 32u, .object = small + 1u};
    b.trace.count++;
    b.trace.objects++;
    built_trace_free(&b, small, 2u);
    const poolheap_pool_config_t given[] = {{16u, 1u}, {40u, 1u}};
    ph_tune_growth_t g;
    char error[256] = "";
    CHECK_EQ(ph_tune_grow_traces(&b.trace, 1u, 8u, given, 2u, &g, error, sizeof error), 0);
    CHECK_EQ(g.oversize, 1u);
    CHECK_EQ(g.after.pools[1].block, 64u);
    CHECK_EQ(g.after.size, 16u + 64u);
    check_minimal(&b.trace, given, &g);
}

/* A layout that serves is left as it is. */
static void nothing_to_grow(void) {
    built_trace_t b;
    built_trace_start(&b);
    built_trace_free(&b, built_trace_alloc(&b, 24u, 3u), 3u);
    const poolheap_pool_config_t given[] = {{24u, 3u}};
    ph_tune_growth_t g;
    char error[256];
    CHECK_EQ(ph_tune_grow_traces(&b.trace, 1u, 8u, given, 1u, &g, error, sizeof error), 0);
    CHECK_EQ(g.oversize, 0u);
    CHECK_EQ(g.after.pools[0].capacity, 3u);
    CHECK_EQ(g.after.size, 72u);
}

/* Waves of objects of growing sizes, reallocs moving them up: every pool
 * short, the growth is minimal pool by pool. */
static void waves_with_reallocs(void) {
    built_trace_t b;
    built_trace_start(&b);
    uint32_t a = built_trace_alloc(&b, 8u, 12u);
    uint32_t c = built_trace_alloc(&b, 48u, 5u);
    for (uint32_t i = 0u; i < 6u; i++) {
        built_trace_realloc(&b, a + i, 40u);
    }
    uint32_t d = built_trace_alloc(&b, 120u, 3u);
    built_trace_free(&b, a, 12u);
    built_trace_free(&b, c, 5u);
    built_trace_free(&b, d, 3u);
    const poolheap_pool_config_t given[] = {{8u, 4u}, {48u, 4u}, {128u, 1u}};
    ph_tune_growth_t g;
    char error[256];
    CHECK_EQ(ph_tune_grow_traces(&b.trace, 1u, 8u, given, 3u, &g, error, sizeof error), 0);
    CHECK_EQ(g.oversize, 0u);
    check_minimal(&b.trace, given, &g);
}

int main(void) {
    RUN(oversize_and_exhausted);
    RUN(aligned_beyond_every_block);
    RUN(nothing_to_grow);
    RUN(waves_with_reallocs);
    return test_summary();
}
