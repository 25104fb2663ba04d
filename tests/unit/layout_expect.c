#include "layout_expect.h"

#include <stdint.h>

#include "../harness.h"

void check_layout(const poolheap_t *heap, const poolheap_pool_config_t *pools, size_t count) {
    uint64_t end = 0u, size = 0u, blocks = 0u, max_align = 1u;
    CHECK_EQ(heap->pool_count, count);
    for (size_t i = 0; i < count && i < heap->pool_count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        uint32_t align = 1u;
        while (pools[i].block % (align * 2u) == 0u) {
            align *= 2u;
        }
        uint64_t start = (end + align - 1u) / align * align;
        CHECK_EQ(pool->block, pools[i].block);
        CHECK_EQ(pool->capacity, pools[i].capacity);
        CHECK(pool->start == heap->base + start);
        CHECK_EQ(pool->first, blocks);
        CHECK_EQ((uint32_t)1u << pool->shift, align);
        CHECK(pool->state == heap->pools[0].state + i); /* one array */
        CHECK(pool->end == pool->start + (size_t)pools[i].block * pools[i].capacity);
        CHECK_EQ((uint32_t)((pool->block >> pool->shift) * pool->inverse), 1u);
        end = start + (uint64_t)pools[i].block * pools[i].capacity;
        size += (uint64_t)pools[i].block * pools[i].capacity;
        blocks += pools[i].capacity;
        max_align = align > max_align ? align : max_align;
    }
    /* The sentinel after the last pool fits every size and never has a
     * block. Class entry c > 0: the pools whose block is at most
     * 2^(31 - c); entry 0 (size 0, sizes above 2 GiB) is the first pool. */
    CHECK_EQ(heap->pools[count].block, UINT32_MAX);
    CHECK_EQ(heap->pools[count].capacity, 0);
    CHECK(heap->pools[count].state == heap->pools[0].state + count);
    CHECK_EQ(poolheap_pool_stats(heap, (unsigned)count, &(poolheap_pool_stats_t){0}), -1);
    CHECK_EQ(heap->classes[0], 0);
    for (uint32_t c = 1u; c < POOLHEAP_CLASSES; c++) {
        uint32_t at_most = 0u;
        while (at_most < count && pools[at_most].block <= (uint64_t)1 << (31u - c)) {
            at_most++;
        }
        CHECK_EQ(heap->classes[c], at_most);
    }
    CHECK_EQ(heap->size, size);
    CHECK_EQ(heap->span, end);
    CHECK_EQ(heap->blocks, blocks);
    CHECK_EQ((uintptr_t)heap->base % max_align, 0);
}
