/* The heap at its remaining edges (issue 17): a region too small for even
 * the alignment of its first pool, a heap without a side table (in the
 * debug configuration: no requested sizes kept), and a free list whose
 * head names a block of the next pool. */
#include <stddef.h>
#include <stdint.h>

#include "../harness.h"
#include "fixture.h"

static const poolheap_pool_config_t pools[] = {{16u, 4u}, {64u, 2u}};

/* The region ends before the first aligned address: nothing fits. */
static void a_region_shorter_than_its_alignment_gap_is_refused(void) {
    static _Alignas(64) unsigned char region[256];
    poolheap_runtime_t rt;
    CHECK(poolheap_create(&rt, region + 1, 2u, pools, 2u, 0u, NULL, "gap") == NULL);
    CHECK(poolheap_create(&rt, region + 1, 192u, pools, 2u, 0u, NULL, "gap") == NULL); /* the span, unaligned */
    CHECK(poolheap_create(&rt, region, sizeof region, pools, 2u, 0u, NULL, "fits") != NULL);
}

/* Without a side table every operation and both checks still work; the
 * requested sizes are simply not kept. */
static void a_heap_without_a_side_table_works(void) {
    static _Alignas(64) unsigned char region[256];
    static poolheap_runtime_t rt;
    const poolheap_t *heap = poolheap_create(&rt, region, sizeof region, pools, 2u, 0u, NULL, "no side table");
    CHECK(heap != NULL);
    unsigned char *p = poolheap_alloc(heap, 10u);
    CHECK(p != NULL);
    CHECK_EQ(poolheap_usable_size(heap, p), 16u);
    CHECK(poolheap_realloc(heap, p, 12u) == p); /* in place */
    CHECK_EQ(poolheap_check(heap), 0u);
    CHECK_EQ(poolheap_deep_check(heap), 0u);
    poolheap_free(heap, p);
    CHECK_EQ(poolheap_deep_check(heap), 0u);
}

/* Pool 16's free list names its fifth block (capacity 4): that address is
 * the first block of pool 24, handed out, but not a block of pool 16. */
static void a_free_list_head_in_the_next_pool_is_found(void) {
    const poolheap_t *heap = test_heap(0u);
    CHECK_EQ(test_pool_of(heap, poolheap_alloc(heap, 24u)), POOL_24);
    poolheap_free(heap, poolheap_alloc(heap, 16u));
    heap->pools[POOL_16].state->free = 5u; /* the tagged list's head: index + 1, tag 0 */
    CHECK(poolheap_check(heap) != 0u);
    CHECK(poolheap_deep_check(heap) != 0u);
    CHECK_EQ(hook_log.error, POOLHEAP_ERR_CORRUPT);
}

/* Between 2 GiB and 4 GiB the size class is clamped to the largest one
 * (31): no pool is that big, so each request fails; at 4 GiB and above the
 * size check refuses it before any class is looked at. */
static void requests_above_2_gib_fail(void) {
    const poolheap_t *heap = test_heap(0u);
    size_t sizes[] = {((size_t)1 << 31) + 1u, (size_t)3 << 30, SIZE_MAX};
    for (size_t i = 0u; i < sizeof sizes / sizeof sizes[0]; i++) {
        CHECK(poolheap_alloc(heap, sizes[i]) == NULL);
        CHECK(poolheap_alloc_aligned(heap, sizes[i], 16u) == NULL);
        CHECK(poolheap_calloc(heap, 1u, sizes[i]) == NULL);
    }
    CHECK_EQ(hook_log.oom_calls, 3u * (sizeof sizes / sizeof sizes[0]));
    CHECK_EQ(poolheap_deep_check(heap), 0u);
}

int main(void) {
    RUN(a_region_shorter_than_its_alignment_gap_is_refused);
    RUN(a_heap_without_a_side_table_works);
    RUN(a_free_list_head_in_the_next_pool_is_found);
    RUN(requests_above_2_gib_fail);
    return test_summary();
}
