/* Hostile input to the library itself (issue 12): a pool count that would
 * make poolheap_create read far past the caller's array, requests as large
 * as the debug side table's encoding can meet, and the side_table contract
 * of poolheap_create in both the release and the debug configuration. */
#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "poolheap.h"

#if UINTPTR_MAX > UINT32_MAX && defined(__unix__)
#define HOST_WITH_BIG_ADDRESS_SPACE 1
#include <sys/mman.h>
#else
#define HOST_WITH_BIG_ADDRESS_SPACE 0
#endif

static poolheap_runtime_t runtime;
static _Alignas(64) unsigned char region[4096];

/* Counts the error hook's double-free reports. */
static unsigned double_frees;

static void count_double_free(const poolheap_t *heap, poolheap_error_t error, const void *pointer, void *context) {
    (void)heap, (void)pointer, (void)context;
    double_frees += error == POOLHEAP_ERR_DOUBLE_FREE;
}

/* Only one entry exists: any count above 1 that is not refused first makes
 * poolheap_create read past it (SIZE_MAX: far past, a crash). */
static void an_absurd_pool_count_is_refused_before_any_entry_is_read(void) {
    static const poolheap_pool_config_t one[1] = {{16, 4}};
    static const size_t counts[] = {SIZE_MAX, SIZE_MAX / sizeof one[0] + 1u, (size_t)POOLHEAP_MAX_POOLS + 1u, 0u};
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
        memset(&runtime, 0x5A, sizeof runtime);
        CHECK(poolheap_create(&runtime, region, sizeof region, one, counts[i], 0u, NULL, "bad") == NULL);
        CHECK_EQ(((const unsigned char *)&runtime)[0], 0x5A); /* nothing written */
        CHECK_EQ(poolheap_layout_span(one, counts[i]), 0u);
        CHECK_EQ(poolheap_layout_alignment(one, counts[i]), 0u);
    }
    CHECK(poolheap_create(&runtime, region, sizeof region, one, 1u, 0u, NULL, "good") != NULL);
}

/* Release builds have no debug checks: a side table is ignored, never
 * written. Debug builds: it turns the double-free check on. */
static void a_side_table_means_debug_checks_exactly_when_the_build_has_them(void) {
    static const poolheap_pool_config_t pools[] = {{16, 4}, {64, 2}};
    poolheap_word_t side[6];
    memset((void *)side, 0xA5, sizeof side);
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, pools, 2u, 0u, side, "side");
    CHECK(heap != NULL);
    CHECK_EQ(heap->requested != NULL, POOLHEAP_DEBUG);
    poolheap_set_hooks(heap, NULL, count_double_free, NULL);
    void *block = poolheap_alloc(heap, 10);
    poolheap_free(heap, block);
    unsigned before = double_frees;
    if (POOLHEAP_DEBUG) {
        poolheap_free(heap, block); /* only safe to try where it is caught */
        CHECK_EQ(double_frees, before + 1u);
        CHECK_EQ(poolheap_deep_check(heap), 0u);
    } else {
        poolheap_word_t untouched;
        memset((void *)&untouched, 0xA5, sizeof untouched);
        for (size_t i = 0; i < sizeof side / sizeof side[0]; i++) {
            CHECK_EQ(side[i], untouched);
        }
    }
}

#if HOST_WITH_BIG_ADDRESS_SPACE
/* A pool of one 2^31 + 8-byte block (8-aligned), in about 2 GiB of
 * untouched, unreserved address space. Requests of 2^31 bytes and more are
 * recorded in the side table and must read back as themselves. */
static void requests_of_2_gib_and_more_keep_the_debug_side_table_exact(void) {
    static const poolheap_pool_config_t pools[] = {{8, 1}, {0x80000008u, 1}};
    size_t bytes = poolheap_layout_span(pools, 2u) + poolheap_layout_alignment(pools, 2u);
    void *space = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    CHECK(space != MAP_FAILED);
    if (space == MAP_FAILED) {
        return;
    }
    static poolheap_word_t side[2];
    const poolheap_t *heap = poolheap_create(&runtime, space, bytes, pools, 2u, 0u, side, "big");
    CHECK(heap != NULL);
    static const uint32_t sizes[] = {0x7FFFFFFFu, 0x80000000u, 0x80000001u, 0x80000008u};
    for (size_t i = 0; heap != NULL && i < sizeof sizes / sizeof sizes[0]; i++) {
        void *block = poolheap_alloc(heap, sizes[i]);
        CHECK(block != NULL);
        CHECK_EQ(poolheap_deep_check(heap), 0u);
        poolheap_stats_t stats;
        poolheap_stats(heap, &stats);
        CHECK_EQ(stats.requested_in_use, POOLHEAP_DEBUG ? sizes[i] : 0u);
        poolheap_free(heap, block);
        CHECK_EQ(poolheap_deep_check(heap), 0u);
        poolheap_stats(heap, &stats);
        CHECK_EQ(stats.requested_in_use, 0u);
    }
    munmap(space, bytes);
}
#endif

int main(void) {
    RUN(an_absurd_pool_count_is_refused_before_any_entry_is_read);
    RUN(a_side_table_means_debug_checks_exactly_when_the_build_has_them);
#if HOST_WITH_BIG_ADDRESS_SPACE
    RUN(requests_of_2_gib_and_more_keep_the_debug_side_table_exact);
#endif
    return test_summary();
}
