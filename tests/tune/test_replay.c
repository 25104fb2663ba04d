/* ph_replay on hand-written traces whose outcome is known. */
#include <stdint.h>
#include <stdio.h>

#include "harness.h"
#include "random_trace.h"
#include "trace/replay.h"

#define A(obj, sz) \
    { .kind = PH_EVENT_ALLOC, .size = (sz), .align = 1u, .object = (obj) }
#define AA(obj, sz, al) \
    { .kind = PH_EVENT_ALLOC, .size = (sz), .align = (al), .object = (obj) }
#define R(obj, sz) \
    { .kind = PH_EVENT_REALLOC, .size = (sz), .align = 1u, .object = (obj) }
#define F(obj) \
    { .kind = PH_EVENT_FREE, .align = 1u, .object = (obj) }
#define FAIL(sz) \
    { .kind = PH_EVENT_FAIL, .size = (sz), .align = 1u, .object = PH_NO_OBJECT }

static ph_replay_result_t run(const ph_event_t *events, size_t count, uint32_t objects,
                              const poolheap_pool_config_t *pools, size_t pool_count, unsigned flags,
                              uint32_t pointer_size) {
    ph_trace_t trace = {
        .events = (ph_event_t *)(uintptr_t)events, .count = count, .objects = objects, .pointer_size = pointer_size};
    ph_replay_options_t options = {.flags = flags, .pointer_size = pointer_size};
    ph_replay_result_t r;
    CHECK_EQ(ph_replay(&trace, 1u, pools, pool_count, &options, &r), 0);
    return r;
}

static void peaks_fallbacks_and_first_failure(void) {
    static const ph_event_t events[] = {A(0, 10), A(1, 12), A(2, 16), FAIL(99), A(3, 30), F(0), A(4, 40), F(1)};
    poolheap_pool_config_t pools[] = {{16, 2}, {32, 1}};
    ph_replay_result_t r = run(events, 8u, 5u, pools, 2u, 0u, 8u);
    /* 0, 1 in pool 0; 2 falls back to pool 1; 3 finds nothing; 4 is too large. */
    CHECK_EQ(r.pools[0].peak, 2u);
    CHECK_EQ(r.pools[0].served, 2u);
    CHECK_EQ(r.pools[1].peak, 1u);
    CHECK_EQ(r.pools[1].fallbacks, 1u);
    CHECK_EQ(r.failures, 2u);
    CHECK_EQ(r.first_failure, 4u);
    CHECK_EQ(r.skipped, 1u);
    CHECK_EQ(r.events, 8u);
    CHECK_EQ(r.peak_bytes, 64u);
    CHECK_EQ(r.size, 64u);
    r = run(events, 8u, 5u, pools, 2u, POOLHEAP_NO_FALLBACK, 8u);
    CHECK_EQ(r.first_failure, 2u);
    CHECK_EQ(r.pools[1].served, 1u); /* object 3 (size 30) */
}

static void realloc_in_place_and_moved(void) {
    static const ph_event_t events[] = {A(0, 20), R(0, 8), R(0, 24), R(0, 40), R(0, 0), A(1, 1)};
    poolheap_pool_config_t pools[] = {{8, 1}, {24, 1}, {48, 1}};
    ph_replay_result_t r = run(events, 6u, 2u, pools, 3u, POOLHEAP_NO_FALLBACK, 8u);
    /* 20 -> pool 1; 8 and 24 stay; 40 moves to pool 2; size 0 frees. */
    CHECK_EQ(r.failures, 0u);
    CHECK_EQ(r.pools[0].served, 1u);
    CHECK_EQ(r.pools[1].served, 1u);
    CHECK_EQ(r.pools[2].served, 1u);
    CHECK_EQ(r.pools[2].peak, 1u);
}

static void aligned_requests_skip_unaligned_pools(void) {
    static const ph_event_t events[] = {AA(0, 8, 16), AA(1, 8, 32)};
    poolheap_pool_config_t pools[] = {{8, 4}, {24, 4}, {48, 4}, {64, 1}};
    ph_replay_result_t r = run(events, 2u, 2u, pools, 4u, 0u, 8u);
    CHECK_EQ(r.pools[2].served, 1u); /* 48 = 16 * 3 */
    CHECK_EQ(r.pools[3].served, 1u);
    CHECK_EQ(r.failures, 0u);
}

static void four_byte_target_on_this_host(void) {
    /* Blocks of 12 and 20 are valid on a 4-byte target only; alignment 8
     * needs the 8-aligned block of 24. */
    static const ph_event_t events[] = {A(0, 12), A(1, 13), AA(2, 4, 8), A(3, 3)};
    poolheap_pool_config_t pools[] = {{12, 2}, {20, 1}, {24, 1}};
    ph_replay_result_t r = run(events, 4u, 4u, pools, 3u, 0u, 4u);
    CHECK_EQ(r.pools[0].served, 2u); /* 12 and 3 */
    CHECK_EQ(r.pools[1].served, 1u);
    CHECK_EQ(r.pools[2].served, 1u);
    CHECK_EQ(r.failures, 0u);
    CHECK_EQ(r.size, 68u);
    CHECK_EQ(r.span, 72u); /* the 24-byte pool starts at 48, a multiple of 8 */
    CHECK_EQ(r.peak_bytes, 68u);
}

static void same_outcome_on_both_word_sizes(void) {
    /* A layout valid for both targets replays identically with either. */
    uint64_t state = 12345u;
    random_trace_spec_t spec = {.events = 3000u,
                                .max_size = 200u,
                                .max_live = 40u,
                                .realloc_percent = 20u,
                                .aligned_percent = 10u,
                                .max_align = 64u,
                                .pointer_size = 8u};
    ph_trace_t trace = random_trace(&state, &spec);
    poolheap_pool_config_t pools[] = {{16, 6}, {40, 6}, {64, 6}, {128, 8}, {256, 8}};
    ph_replay_options_t o8 = {.pointer_size = 8u}, o4 = {.pointer_size = 4u};
    ph_replay_result_t r8, r4;
    CHECK_EQ(ph_replay(&trace, 1u, pools, 5u, &o8, &r8), 0);
    CHECK_EQ(ph_replay(&trace, 1u, pools, 5u, &o4, &r4), 0);
    CHECK(r8.failures > 0u);
    CHECK_EQ(r4.failures, r8.failures);
    CHECK_EQ(r4.first_failure, r8.first_failure);
    CHECK_EQ(r4.peak_bytes, r8.peak_bytes);
    CHECK_EQ(r4.span, r8.span);
    for (size_t p = 0u; p < 5u; p++) {
        CHECK_EQ(r4.pools[p].peak, r8.pools[p].peak);
        CHECK_EQ(r4.pools[p].fallbacks, r8.pools[p].fallbacks);
    }
    random_trace_free(&trace);
}

static void invalid_layouts_are_rejected(void) {
    static const ph_event_t events[] = {A(0, 4)};
    ph_trace_t trace = {.events = (ph_event_t *)(uintptr_t)events, .count = 1u, .objects = 1u, .pointer_size = 4u};
    poolheap_pool_config_t twelve[] = {{12, 1}}, unsorted[] = {{16, 1}, {8, 1}}, empty[] = {{8, 0}};
    ph_replay_options_t o8 = {.pointer_size = 8u}, o4 = {.pointer_size = 4u}, o2 = {.pointer_size = 2u};
    ph_replay_result_t r;
    CHECK_EQ(ph_replay(&trace, 1u, twelve, 1u, &o8, &r), -1);
    CHECK_EQ(ph_replay(&trace, 1u, twelve, 1u, &o4, &r), 0);
    CHECK_EQ(ph_replay(&trace, 1u, twelve, 1u, &o2, &r), -1);
    CHECK_EQ(ph_replay(&trace, 1u, unsorted, 2u, &o8, &r), -1);
    CHECK_EQ(ph_replay(&trace, 1u, empty, 1u, &o8, &r), -1);
    static const ph_event_t stray[] = {A(5, 4)};
    trace.events = (ph_event_t *)(uintptr_t)stray;
    CHECK_EQ(ph_replay(&trace, 1u, twelve, 1u, &o4, &r), -1);
}

int main(void) {
    RUN(peaks_fallbacks_and_first_failure);
    RUN(realloc_in_place_and_moved);
    RUN(aligned_requests_skip_unaligned_pools);
    RUN(four_byte_target_on_this_host);
    RUN(same_outcome_on_both_word_sizes);
    RUN(invalid_layouts_are_rejected);
    return test_summary();
}
