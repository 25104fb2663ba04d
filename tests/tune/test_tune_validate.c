/* --validate (tools/tune/tune_validate.h) on runs whose variation is known:
 * run r keeps 100 + 5r objects of 64 bytes live at once. */
#include "built_trace.h"
#include "harness.h"
#include "tune/tune.h"

static built_trace_t runs[4];
static const uint32_t margins[] = {0u, 100u, 200u, 300u, 400u, 500u, 600u, 800u, 1000u, 1200u};
#define MARGINS (sizeof margins / sizeof margins[0])

static void held_out_runs_at_each_margin(void) {
    ph_trace_t traces[4];
    for (uint32_t r = 0u; r < 4u; r++) {
        built_trace_start(&runs[r]);
        built_trace_free(&runs[r], built_trace_alloc(&runs[r], 64u, 100u + 5u * r), 100u + 5u * r);
        traces[r] = runs[r].trace;
    }
    ph_tune_options_t options = {.max_pools = 4u};
    ph_validate_result_t v;
    char error[256];
    CHECK_EQ(ph_tune_validate(traces, 4u, &options, margins, MARGINS, NULL, NULL, &v, error, sizeof error), 0);
    /* Leaving out the largest run (115 objects), the others' layout holds
     * 110 blocks of 64 bytes: 7,040 bytes. It needs 5 more (320 bytes):
     * 4 % buys 281 bytes (4 blocks), 5 % 352 (5). The other runs fit. */
    for (size_t m = 0u; m < MARGINS; m++) {
        CHECK_EQ(v.row[m].served, margins[m] < 500u ? 3u : 4u);
        CHECK_EQ(v.row[m].oversize, 0u);
        CHECK_EQ(v.row[m].exhausted, margins[m] < 500u ? (500u - margins[m]) / 100u : 0u);
    }
    CHECK_EQ(v.served_from, 5u);
    /* Each run alone: 6,400 to 7,360 bytes, s = 413.1; the 95 % bound
     * 6,880 + 2.353 * 413.1 * sqrt(1.25) = 7,966.8 is 8.25 % above 7,360. */
    CHECK_EQ(v.zero_low, 6400u);
    CHECK_EQ(v.zero_high, 7360u);
    CHECK_EQ(v.bound_bp, 825u);
    CHECK_EQ(v.suggested, 8u); /* 10 %, the first margin from 8.25 % */
}

/* One run asks 400 bytes where the others ask at most 104: left out, no
 * margin serves it, and the rows say why (oversize, up to 400 bytes). */
static void requests_never_seen_are_named(void) {
    built_trace_t odd[3];
    ph_trace_t traces[3];
    for (uint32_t r = 0u; r < 3u; r++) {
        built_trace_start(&odd[r]);
        uint32_t first = built_trace_alloc(&odd[r], 100u, 10u);
        built_trace_free(&odd[r], first, 10u);
        uint32_t big = built_trace_alloc(&odd[r], r == 2u ? 400u : 104u, 1u);
        built_trace_free(&odd[r], big, 1u);
        traces[r] = odd[r].trace;
    }
    ph_tune_options_t options = {.max_pools = 2u};
    ph_validate_result_t v;
    char error[256];
    CHECK_EQ(ph_tune_validate(traces, 3u, &options, margins, MARGINS, NULL, NULL, &v, error, sizeof error), 0);
    for (size_t m = 0u; m < MARGINS; m++) {
        CHECK_EQ(v.row[m].served, 2u);
        CHECK_EQ(v.row[m].oversize, 1u);
        CHECK_EQ(v.row[m].largest, 400u);
    }
    CHECK_EQ(v.served_from, MARGINS);
    CHECK_EQ(v.suggested, MARGINS);
}

static void one_trace_is_not_enough(void) {
    ph_tune_options_t options = {.max_pools = 4u};
    ph_validate_result_t v;
    char error[256];
    CHECK_EQ(ph_tune_validate(&runs[0].trace, 1u, &options, margins, MARGINS, NULL, NULL, &v, error, sizeof error), -1);
}

int main(void) {
    RUN(held_out_runs_at_each_margin);
    RUN(requests_never_seen_are_named);
    RUN(one_trace_is_not_enough);
    return test_summary();
}
