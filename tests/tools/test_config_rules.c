/* The rules behind the configuration: sizes and shares as text, the
 * remainder rule, the layout rule, and "did you mean". */
#include <string.h>

#include "config/heap_layout.h"
#include "config/pool_shares.h"
#include "config/quantity.h"
#include "harness.h"
#include "toml/suggest.h"

static uint64_t size_of(const char *text) {
    uint64_t v = 0u;
    return ph_parse_size(text, &v) == 0 ? v : 0xBADu;
}

static void sizes_take_suffixes_hex_and_separators(void) {
    CHECK_EQ(size_of("10K"), 10240u);
    CHECK_EQ(size_of("2M"), 2097152u);
    CHECK_EQ(size_of("0x400"), 1024u);
    CHECK_EQ(size_of("0x1_0000"), 65536u);
    CHECK_EQ(size_of("64_000"), 64000u);
    CHECK_EQ(size_of("4"), 4u);
    uint64_t v;
    const char *bad[] = {"", "K", "10KB", "1__0", "_1", "1_", "0x", "10 K", "-4", "1.5K", "0xG"};
    for (size_t i = 0u; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(ph_parse_size(bad[i], &v), (uint64_t)-1);
    }
    CHECK_EQ(ph_parse_size("99999999999999999999", &v), (uint64_t)-2);
    CHECK_EQ(ph_parse_size("18014398509481984M", &v), (uint64_t)-2);
}

static void shares_are_exact_parts_per_billion(void) {
    uint32_t s = 0u;
    CHECK(ph_parse_share("12.5%", &s) == 0 && s == 125000000u);
    CHECK(ph_parse_share("100%", &s) == 0 && s == PH_SHARE_WHOLE);
    CHECK(ph_parse_share("0.0000001%", &s) == 0 && s == 1u);
    const char *bad[] = {"12.5", "%", "100.1%", "1.%", ".5%", "0.00000001%", "5 %", "-1%"};
    for (size_t i = 0u; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK(ph_parse_share(bad[i], &s) == -1);
    }
    char text[24];
    ph_format_share(125000000u, text, sizeof text);
    CHECK(strcmp(text, "12.5%") == 0);
    ph_format_share(PH_SHARE_WHOLE + 5000000u, text, sizeof text);
    CHECK(strcmp(text, "100.5%") == 0);
}

/* 1000 bytes, 50% in blocks of 8 and 50% in blocks of 24: 62 and 20 blocks
 * (976 bytes) first; the 24 left go to the largest block first. */
static void the_remainder_goes_round_from_the_largest_block(void) {
    ph_pool_request_t pools[] = {{8u, PH_SHARE_WHOLE / 2u, 0u}, {24u, PH_SHARE_WHOLE / 2u, 0u}};
    CHECK_EQ(ph_resolve_shares(1000u, pools, 2u), 1000u);
    CHECK_EQ(pools[0].capacity, 62u);
    CHECK_EQ(pools[1].capacity, 21u);
    /* whole rounds at once: 10% shares leave 90% to share out */
    ph_pool_request_t few[] = {{4u, PH_SHARE_WHOLE / 20u, 0u}, {8u, PH_SHARE_WHOLE / 20u, 0u}, {16u, 0u, 10u}};
    CHECK_EQ(ph_resolve_shares(4000u, few, 3u), 4000u);
    CHECK_EQ(few[0].capacity, 50u + 286u);      /* 3440 bytes left: 286 rounds of 4 + 8 */
    CHECK_EQ(few[1].capacity, 25u + 286u + 1u); /* and the last 8 */
    CHECK_EQ(few[2].capacity, 10u);
}

static void fixed_pools_report_what_they_add_up_to(void) {
    ph_pool_request_t pools[] = {{8u, 0u, 10u}, {16u, 0u, 10u}};
    CHECK_EQ(ph_resolve_shares(1000u, pools, 2u), 240u);
    ph_pool_request_t left[] = {{8u, PH_SHARE_WHOLE / 2u, 0u}, {16u, 0u, 1u}};
    CHECK_EQ(ph_resolve_shares(1004u, left, 2u), 1000u); /* 4 bytes no block of 8 fits */
}

static void pools_start_at_their_block_alignment(void) {
    poolheap_pool_config_t pools[] = {{8u, 3u}, {16u, 2u}, {24u, 1u}, {64u, 1u}};
    uint64_t offsets[4];
    CHECK_EQ(ph_layout_offsets(pools, 4u, offsets), 192u);
    CHECK_EQ(offsets[0], 0u);
    CHECK_EQ(offsets[1], 32u); /* 24 -> 32: 8 bytes of padding */
    CHECK_EQ(offsets[2], 64u);
    CHECK_EQ(offsets[3], 128u); /* 88 -> 128 */
    CHECK_EQ(poolheap_layout_alignment(pools, 4u), 64u);
    CHECK_EQ(ph_layout_offsets(pools, 4u, NULL), poolheap_layout_span(pools, 4u));
}

static void near_misses_get_a_suggestion(void) {
    const char *const keys[] = {"size", "pools", "section", "origin"};
    CHECK(ph_suggest("sise", keys, 4u) == keys[0]);
    CHECK(ph_suggest("pool", keys, 4u) == keys[1]);
    CHECK(ph_suggest("sectoin", keys, 4u) == keys[2]);
    CHECK(ph_suggest("orgin", keys, 4u) == keys[3]);
    CHECK(ph_suggest("colour", keys, 4u) == NULL);
    CHECK(ph_suggest("x", keys, 4u) == NULL);
}

int main(void) {
    RUN(sizes_take_suffixes_hex_and_separators);
    RUN(shares_are_exact_parts_per_billion);
    RUN(the_remainder_goes_round_from_the_largest_block);
    RUN(fixed_pools_report_what_they_add_up_to);
    RUN(pools_start_at_their_block_alignment);
    RUN(near_misses_get_a_suggestion);
    return test_summary();
}
