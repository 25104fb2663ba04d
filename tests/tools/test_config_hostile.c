/* Hostile configurations (issue 12), generated here: totals of block x
 * capacity that wrap around 2^64 to a plausible size, heap names that
 * clash with the identifiers generated for another heap, 200,000 heaps at
 * fixed addresses, and a directory given as the file. Each must be refused at its TOML line, in one line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "harness.h"

static int parse(const char *text, char *error, size_t size) {
    ph_target_t target = {8u};
    ph_config_t config;
    int r = ph_config_parse(text, strlen(text), "h.toml", &target, &config, error, size);
    ph_config_free(&config);
    return r;
}

static void expect_error(const char *text, const char *expected) {
    char error[512] = "";
    CHECK_EQ(parse(text, error, sizeof error), -1);
    CHECK(strcmp(error, expected) == 0);
    if (strcmp(error, expected) != 0) {
        TEST_PRINTF("  expected: %s\n  got:      %s\n", expected, error);
    }
}

/* 16 * 2415919360 + 4294967288 * 4294967295 = 2^64 + 4104: wrapped, the
 * pools "add up" to the size. */
static void pools_whose_bytes_wrap_around_2_64_are_refused(void) {
    expect_error("[heap]\nsize = 4104\npools = [{ block = 16, capacity = 2415919360 },\n"
                 "         { block = 4294967288, capacity = 4294967295 }]\n",
                 "h.toml:2:8: pools of heap 'main' add up to more than 2^64 - 1 bytes, far more than size (4104)");
}

/* 64 pools each near 2^64 bytes: the sum wraps many times. */
static void sixty_four_huge_pools_are_refused(void) {
    char text[8192] = "[heap]\nsize = 4096\npools = [";
    for (unsigned i = 0; i < 64; i++) {
        char pool[80];
        snprintf(pool, sizeof pool, "%s{ block = %u, capacity = 4294967295 }", i ? ", " : "", 4294967288u - 8u * i);
        strcat(text, pool);
    }
    strcat(text, "]\n");
    expect_error(text,
                 "h.toml:2:8: pools of heap 'main' add up to more than 2^64 - 1 bytes, far more than size (4096)");
}

static void a_name_made_of_another_heap_and_a_generated_suffix_is_refused(void) {
    expect_error("[heap.a]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n"
                 "[heap.a_poolheap_region]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n",
                 "h.toml:4:7: heap name 'a_poolheap_region' clashes with the C identifiers generated for heap 'a' "
                 "(heap_a_poolheap_region is one of them): rename it");
    expect_error("[heap.x_POOLS]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n"
                 "[heap.x]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n",
                 "h.toml:1:7: heap name 'x_POOLS' clashes with the C identifiers generated for heap 'x' "
                 "(heap_x_POOLS is one of them): rename it");
    char error[512] = "";
    CHECK_EQ(parse("[heap.b]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n"
                   "[heap.a_poolheap_region]\nsize = 64\npools = [{ block = 8, capacity = 8 }]\n",
                   error, sizeof error),
             0); /* no heap 'a': no clash */
}

/* 200,000 heaps at fixed addresses, 64 bytes apart, then one that
 * overlaps the first: checking every pair would take minutes. */
static void many_placed_heaps_are_checked_for_overlaps_in_n_log_n(void) {
    enum { HEAPS = 200000 };
    size_t capacity = (size_t)HEAPS * 96u + 256u, length = 0;
    char *text = malloc(capacity);
    for (unsigned i = 0; i <= HEAPS; i++) {
        unsigned origin = i < HEAPS ? 0x20000000u + 64u * (HEAPS - i) : 0x20000000u + 64u * HEAPS + 32u;
        length += (size_t)snprintf(text + length, capacity - length,
                                   "[heap.h%u]\nsize = 64\norigin = 0x%X\npools = [{ block = 8, capacity = 8 }]\n", i,
                                   origin);
    }
    char error[512] = "";
    ph_target_t target = {4u};
    ph_config_t config;
    CHECK_EQ(ph_config_parse(text, length, "h.toml", &target, &config, error, sizeof error), -1);
    char expected[160];
    snprintf(expected, sizeof expected, "h.toml:%u:10: heap 'h%u' (0x%X to 0x%X) overlaps heap 'h0' (0x%X to 0x%X)",
             4u * HEAPS + 3u, (unsigned)HEAPS, 0x20000000u + 64u * HEAPS + 32u, 0x20000000u + 64u * HEAPS + 96u,
             0x20000000u + 64u * HEAPS, 0x20000000u + 64u * HEAPS + 64u);
    CHECK(strcmp(error, expected) == 0);
    if (strcmp(error, expected) != 0) {
        TEST_PRINTF("  expected: %s\n  got:      %s\n", expected, error);
    }
    free(text);
}

static void a_directory_is_named_as_one(void) {
    ph_target_t target = {4u};
    ph_config_t config;
    char error[512] = "";
    CHECK_EQ(ph_config_load("/", &target, &config, error, sizeof error), -1);
    CHECK(strcmp(error, "/: cannot open: Is a directory") == 0);
}

int main(void) {
    RUN(pools_whose_bytes_wrap_around_2_64_are_refused);
    RUN(sixty_four_huge_pools_are_refused);
    RUN(a_name_made_of_another_heap_and_a_generated_suffix_is_refused);
    RUN(many_placed_heaps_are_checked_for_overlaps_in_n_log_n);
    RUN(a_directory_is_named_as_one);
    return test_summary();
}
