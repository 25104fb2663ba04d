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
        CHECK_EQ(pool->offset, start);
        CHECK_EQ(pool->first, blocks);
        CHECK_EQ((uint32_t)1u << pool->shift, align);
        CHECK_EQ((uint32_t)((pool->block >> pool->shift) * pool->inverse), 1u);
        end = start + (uint64_t)pools[i].block * pools[i].capacity;
        size += (uint64_t)pools[i].block * pools[i].capacity;
        blocks += pools[i].capacity;
        max_align = align > max_align ? align : max_align;
    }
    CHECK_EQ(heap->size, size);
    CHECK_EQ(heap->span, end);
    CHECK_EQ(heap->blocks, blocks);
    CHECK_EQ((uintptr_t)heap->base % max_align, 0);
}
