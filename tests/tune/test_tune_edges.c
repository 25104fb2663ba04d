/* The tuner at its edges: aligned requests served by a block exactly as
 * aligned as they ask, and the padding step given exactly the bytes it
 * needs and keeping the alignment the requests ask. */
#include "harness.h"
#include "tune/tune.h"
#include "tune/tune_pad.h"

#define A(o, s, a) \
    { .kind = PH_EVENT_ALLOC, .size = (s), .align = (a), .object = (o) }
#define F(o) \
    { .kind = PH_EVENT_FREE, .align = 1u, .object = (o) }

/* On a 64-bit target: 37 and 11 bytes live together, then 6 bytes aligned
 * to 32 alone. The smallest heap is a 32-byte block (the 11 bytes, then
 * the aligned 6: 32 is exactly as aligned as they ask) and a 40-byte one:
 * 72 bytes, from two pools on. Any other needs more: 16 + 40 + 32, or
 * 16 + 64. The tuner's candidate 64 (40 rounded up to the alignment 32),
 * which no request asks, must not take one of the two pools. */
static ph_event_t aligned_events[] = {A(0, 37, 1), A(1, 11, 1), F(1), F(0), A(2, 6, 32), F(2)};

static const struct {
    size_t pools;
    uint64_t size;
    size_t pool_count;
    poolheap_pool_config_t layout[2];
} aligned_expected[] = {
    {1u, 128u, 1u, {{64u, 2u}}},           /* one pool: blocks of 64, aligned and large enough */
    {2u, 72u, 2u, {{32u, 1u}, {40u, 1u}}}, /* two pools are enough: the 64s, asked by no request, need none */
    {3u, 72u, 2u, {{32u, 1u}, {40u, 1u}}}, /* the third pool (the 64s) holds nothing: left out */
};

static void an_exactly_aligned_block_serves_aligned_requests(void) {
    ph_trace_t trace = {.events = aligned_events,
                        .count = sizeof aligned_events / sizeof aligned_events[0],
                        .objects = 3u,
                        .pointer_size = 8u};
    for (size_t i = 0u; i < sizeof aligned_expected / sizeof aligned_expected[0]; i++) {
        ph_tune_options_t options = {.max_pools = aligned_expected[i].pools, .pointer_size = 8u};
        ph_tune_result_t r;
        char error[256] = "";
        CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), 0);
        if (error[0] != '\0') {
            TEST_PRINTF("  %s\n", error);
        }
        CHECK_EQ(r.layout.size, aligned_expected[i].size);
        CHECK_EQ(r.layout.pool_count, aligned_expected[i].pool_count);
        for (size_t p = 0u; p < r.layout.pool_count && p < 2u; p++) {
            CHECK_EQ(r.layout.pools[p].block, aligned_expected[i].layout[p].block);
            CHECK_EQ(r.layout.pools[p].capacity, aligned_expected[i].layout[p].capacity);
        }
    }
}

/* Classes 24 and 64 on a 64-bit target (the 64s asked aligned to `need`);
 * a pool of one 24-byte block, then one of one 64-byte block, which must
 * start at a multiple of 64: 40 bytes of padding. Raising 64 to 72
 * (aligned to 8) costs 8 bytes and saves the 40, if the limit leaves 8
 * spare bytes and the requests need no more than 8. */
static uint64_t pad(uint32_t need, uint64_t limit, ph_tune_layout_t *layout) {
    uint32_t values[] = {24u, 64u}, align_need[] = {1u, need};
    ph_tune_input_t input = {.word = 8u, .class_count = 2u, .values = values, .align_need = align_need};
    *layout = (ph_tune_layout_t){2u, {{24u, 1u}, {64u, 1u}}, 88u};
    return ph_tune_pad(&input, layout, limit);
}

static void padding_is_traded_when_the_spare_bytes_are_exactly_enough(void) {
    ph_tune_layout_t layout;
    CHECK_EQ(pad(1u, 96u, &layout), 96u); /* 88 + 8: exactly enough */
    CHECK_EQ(layout.pools[1].block, 72u);
    CHECK_EQ(layout.size, 96u);
    CHECK_EQ(pad(1u, 95u, &layout), 128u); /* one byte short: 24 + 40 padding + 64 */
    CHECK_EQ(layout.pools[1].block, 64u);
    CHECK_EQ(layout.size, 88u);
}

static void a_raised_block_keeps_the_alignment_the_requests_need(void) {
    ph_tune_layout_t layout;
    /* 72 is aligned to 8 only; 80, aligned to 16 exactly, costs 16 and
     * leaves 8 of padding: 24 for 40 saved. */
    CHECK_EQ(pad(16u, UINT64_MAX, &layout), 112u);
    CHECK_EQ(layout.pools[1].block, 80u);
}

int main(void) {
    RUN(an_exactly_aligned_block_serves_aligned_requests);
    RUN(padding_is_traded_when_the_spare_bytes_are_exactly_enough);
    RUN(a_raised_block_keeps_the_alignment_the_requests_need);
    return test_summary();
}
