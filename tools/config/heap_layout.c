/* The pool layout rule, target-independent. */
#include "heap_layout.h"

/* The largest power of two dividing `block` (0 for 0). */
static uint32_t ph_block_alignment(uint32_t block) {
    return block & (0u - block);
}

uint64_t ph_layout_offsets(const poolheap_pool_config_t *pools, size_t count, uint64_t *offsets) {
    uint64_t end = 0u;
    for (size_t i = 0u; i < count; i++) {
        uint64_t align = ph_block_alignment(pools[i].block);
        uint64_t start = align > 1u ? (end + align - 1u) & ~(align - 1u) : end;
        if (offsets != NULL) {
            offsets[i] = start;
        }
        uint64_t bytes = (uint64_t)pools[i].block * pools[i].capacity; /* below 2^64: both factors below 2^32 */
        if (start < end || bytes > UINT64_MAX - start) {
            return UINT64_MAX; /* saturated: larger than any heap */
        }
        end = start + bytes;
    }
    return end;
}
