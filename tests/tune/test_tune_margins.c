/* ph_tune's margins (--headroom, --size), its block rules per target word,
 * and its errors, on seeded random traces. */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "random_trace.h"
#include "trace/replay.h"
#include "tune/tune.h"

static ph_trace_t traces[2];

static int tune(const ph_tune_options_t *options, ph_tune_result_t *r, char *error) {
    return ph_tune(traces, 2u, options, r, error, 256u);
}

static int serves_each_trace(const ph_tune_layout_t *layout, uint32_t word) {
    int ok = 1;
    for (size_t t = 0u; t < 2u; t++) {
        ph_replay_options_t options = {.pointer_size = word};
        ph_replay_result_t r;
        ok &= ph_replay(&traces[t], 1u, layout->pools, layout->pool_count, &options, &r) == 0 && r.failures == 0u;
    }
    return ok;
}

/* --headroom P% is a byte budget: at most P% of the tuned heap more, each
 * capacity raised by about the same fraction, none doubled for 1%. */
static void headroom_is_a_budget(void) {
    ph_tune_options_t plain = {.max_pools = 5u, .pointer_size = 8u}, more = plain;
    ph_tune_result_t a, b;
    char error[256];
    CHECK_EQ(tune(&plain, &a, error), 0);
    for (uint32_t bp = 100u; bp <= 2500u; bp *= 5u) {
        more.headroom_bp = bp;
        CHECK_EQ(tune(&more, &b, error), 0);
        CHECK_EQ(b.layout.pool_count, a.layout.pool_count);
        CHECK(b.layout.size <= a.layout.size + a.layout.size * bp / 10000u);
        for (size_t p = 0u; p < a.layout.pool_count; p++) {
            CHECK_EQ(b.layout.pools[p].block, a.layout.pools[p].block);
            CHECK(b.layout.pools[p].capacity >= a.layout.pools[p].capacity);
            CHECK(bp > 100u || b.layout.pools[p].capacity < 2u * a.layout.pools[p].capacity ||
                  b.layout.pools[p].block * (uint64_t)a.layout.pools[p].capacity <= a.layout.size / 100u);
        }
        CHECK(serves_each_trace(&b.layout, 8u));
    }
}

/* --size S: the region (heap and padding) never exceeds S; the spare bytes
 * spread evenly relative to each capacity. */
static void size_spreads_spare_bytes_evenly(void) {
    ph_tune_options_t plain = {.max_pools = 4u, .pointer_size = 4u}, fill = plain;
    ph_tune_result_t a, b;
    char error[256];
    CHECK_EQ(tune(&plain, &a, error), 0);
    fill.size = a.span + a.layout.size / 3u + 5u;
    CHECK_EQ(tune(&fill, &b, error), 0);
    CHECK(b.span <= fill.size);
    CHECK(b.layout.size <= b.span);
    CHECK_EQ(b.layout.pool_count, a.layout.pool_count);
    for (size_t i = 0u; i < a.layout.pool_count; i++) {
        uint64_t ci = a.layout.pools[i].capacity, ei = b.layout.pools[i].capacity - ci;
        CHECK(b.layout.pools[i].capacity >= ci);
        for (size_t j = 0u; j < a.layout.pool_count; j++) {
            uint64_t cj = a.layout.pools[j].capacity, ej = b.layout.pools[j].capacity - cj;
            /* Relative margins equal within a block, except that a smaller
             * block may have got more: the last bytes buy what still fits. */
            CHECK(a.layout.pools[i].block < a.layout.pools[j].block || ei * cj < (ej + 2u) * ci);
        }
    }
    CHECK(serves_each_trace(&b.layout, 4u));
}

static void size_too_small_is_an_error(void) {
    ph_tune_options_t plain = {.max_pools = 4u, .pointer_size = 8u}, fill = plain;
    ph_tune_result_t a, b;
    char error[256];
    CHECK_EQ(tune(&plain, &a, error), 0);
    fill.size = a.span - 1u;
    CHECK_EQ(tune(&fill, &b, error), -1);
    char expected[128];
    snprintf(expected, sizeof expected, "need a region of %llu bytes", (unsigned long long)a.span);
    CHECK(strstr(error, expected) != NULL);
    fill.size = a.span; /* exactly the need: accepted, and never above it */
    CHECK_EQ(tune(&fill, &b, error), 0);
    CHECK(b.span <= a.span);
}

static void blocks_follow_the_target_word(void) {
    for (uint32_t word = 4u; word <= 8u; word += 4u) {
        ph_tune_options_t options = {.max_pools = 8u, .pointer_size = word};
        ph_tune_result_t r;
        char error[256];
        CHECK_EQ(tune(&options, &r, error), 0);
        CHECK_EQ(r.pointer_size, word);
        for (size_t p = 0u; p < r.layout.pool_count; p++) {
            CHECK_EQ(r.layout.pools[p].block % word, 0u);
            CHECK(p == 0u || r.layout.pools[p].block > r.layout.pools[p - 1u].block);
        }
        CHECK(r.layout.size <= r.optimum.size);
        CHECK(r.layout.size >= r.peak_live_bytes);
        CHECK(r.span >= r.layout.size);
        CHECK(serves_each_trace(&r.layout, word));
    }
}

static void bad_options_are_errors(void) {
    ph_tune_result_t r;
    char error[256];
    ph_tune_options_t none = {.max_pools = 0u}, many = {.max_pools = POOLHEAP_MAX_POOLS + 1u},
                      word = {.max_pools = 2u, .pointer_size = 2u},
                      both = {.max_pools = 2u, .size = 4096u, .headroom_bp = 100u};
    CHECK_EQ(tune(&none, &r, error), -1);
    CHECK_EQ(tune(&many, &r, error), -1);
    CHECK_EQ(tune(&word, &r, error), -1);
    CHECK_EQ(tune(&both, &r, error), -1);
    CHECK(strstr(error, "exclude") != NULL);
    ph_tune_options_t margin_and_size = {.max_pools = 2u, .size = 4096u, .margin_bp = 100u};
    CHECK_EQ(tune(&margin_and_size, &r, error), -1);
    CHECK(strstr(error, "exclude") != NULL);
    traces[1].pointer_size = 4u; /* recorded on another machine: the target must be given */
    ph_tune_options_t mixed = {.max_pools = 2u};
    CHECK_EQ(tune(&mixed, &r, error), -1);
    CHECK(strstr(error, "pointer sizes 8 and 4") != NULL);
    mixed.pointer_size = 4u;
    CHECK_EQ(tune(&mixed, &r, error), 0);
    traces[1].pointer_size = 8u;
}

static void padding_is_traded_for_a_few_bytes(void) {
    /* Three 24-byte objects and one of 4096, live together: the 4096-byte
     * pool would start at 4096, after 4024 bytes of padding; a block of 4104
     * serves the same requests and starts right after the first pool. */
    ph_event_t events[] = {
        {.kind = PH_EVENT_ALLOC, .size = 4096u, .align = 1u, .object = 0u},
        {.kind = PH_EVENT_ALLOC, .size = 24u, .align = 1u, .object = 1u},
        {.kind = PH_EVENT_ALLOC, .size = 20u, .align = 1u, .object = 2u},
        {.kind = PH_EVENT_ALLOC, .size = 24u, .align = 1u, .object = 3u},
        {.kind = PH_EVENT_FREE, .align = 1u, .object = 1u},
    };
    ph_trace_t trace = {.events = events, .count = 5u, .objects = 4u, .pointer_size = 8u};
    ph_tune_options_t options = {.max_pools = 2u, .pointer_size = 8u};
    ph_tune_result_t r;
    char error[256];
    CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), 0);
    CHECK_EQ(r.optimum.size, 3u * 24u + 4096u);
    CHECK_EQ(r.layout.pool_count, 2u);
    CHECK_EQ(r.layout.pools[1].block, 4104u);
    CHECK_EQ(r.layout.size, 3u * 24u + 4104u);
    CHECK_EQ(r.span, r.layout.size);
    /* --size bounds the region: 4176 bytes take the raised block; one byte
     * less cannot hold the layout (the unraised one spans 8192). */
    options.size = r.span;
    CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), 0);
    CHECK_EQ(r.layout.pools[1].block, 4104u);
    CHECK_EQ(r.span, 3u * 24u + 4104u);
    options.size = 3u * 24u + 4104u - 1u;
    CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), -1);
    CHECK(strstr(error, "need a region of 4176 bytes") != NULL);
}

int main(void) {
    uint64_t state = 20261124u;
    random_trace_spec_t spec = {.events = 5000u,
                                .max_size = 300u,
                                .max_live = 60u,
                                .realloc_percent = 15u,
                                .aligned_percent = 5u,
                                .max_align = 16u,
                                .pointer_size = 8u};
    traces[0] = random_trace(&state, &spec);
    spec.max_size = 120u;
    spec.max_live = 120u;
    traces[1] = random_trace(&state, &spec);
    RUN(headroom_is_a_budget);
    RUN(size_spreads_spare_bytes_evenly);
    RUN(size_too_small_is_an_error);
    RUN(blocks_follow_the_target_word);
    RUN(bad_options_are_errors);
    RUN(padding_is_traded_for_a_few_bytes);
    random_trace_free(&traces[0]);
    random_trace_free(&traces[1]);
    return test_summary();
}
