/* The worked example of docs/tuning.md, figure by figure. */
#include "harness.h"
#include "tune/tune.h"

#define A(o, s) \
    { .kind = PH_EVENT_ALLOC, .size = (s), .align = 1u, .object = (o) }
#define F(o) \
    { .kind = PH_EVENT_FREE, .align = 1u, .object = (o) }

/* Six 8-byte objects, freed; three of 24 and one of 16; the 24s freed; two
 * of 32; everything freed. */
static ph_event_t events[] = {A(0, 8), A(1, 8), A(2, 8), A(3, 8),   A(4, 8),   A(5, 8),  F(0),     F(1),
                              F(2),    F(3),    F(4),    F(5),      A(6, 24),  A(7, 24), A(8, 24), A(9, 16),
                              F(6),    F(7),    F(8),    A(10, 32), A(11, 32), F(9),     F(10),    F(11)};

static const struct {
    size_t pools;
    uint64_t optimum, tuned;
    size_t tuned_pools;
    poolheap_pool_config_t layout[4];
} expected[] = {
    {1u, 192u, 192u, 1u, {{32u, 6u}}},
    {2u, 176u, 144u, 2u, {{8u, 2u}, {32u, 4u}}},
    {3u, 160u, 128u, 3u, {{8u, 2u}, {16u, 1u}, {32u, 3u}}},
    {4u, 160u, 120u, 4u, {{8u, 2u}, {16u, 1u}, {24u, 1u}, {32u, 2u}}},
};

static void figures_of_the_worked_example(void) {
    ph_trace_t trace = {
        .events = events, .count = sizeof events / sizeof events[0], .objects = 12u, .pointer_size = 8u};
    for (size_t i = 0u; i < sizeof expected / sizeof expected[0]; i++) {
        ph_tune_options_t options = {.max_pools = expected[i].pools, .pointer_size = 8u};
        ph_tune_result_t r;
        char error[256];
        CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), 0);
        CHECK_EQ(r.peak_live_bytes, 88u);
        CHECK_EQ(r.optimum.size, expected[i].optimum);
        CHECK_EQ(r.layout.size, expected[i].tuned);
        CHECK_EQ(r.layout.pool_count, expected[i].tuned_pools);
        for (size_t p = 0u; p < r.layout.pool_count && p < 4u; p++) {
            CHECK_EQ(r.layout.pools[p].block, expected[i].layout[p].block);
            CHECK_EQ(r.layout.pools[p].capacity, expected[i].layout[p].capacity);
        }
    }
}

int main(void) {
    RUN(figures_of_the_worked_example);
    return test_summary();
}
