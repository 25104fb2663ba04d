/* The remainder rule of pool_shares.h. */
#include "pool_shares.h"

#include "quantity.h"

/* Sum of block * capacity, saturated at UINT64_MAX (64 pools of nearly
 * 2^64 bytes each would wrap around to any total at all). */
static uint64_t payload(const ph_pool_request_t *pools, size_t count) {
    uint64_t total = 0u;
    for (size_t i = 0u; i < count; i++) {
        if (pools[i].capacity != 0u && pools[i].block > (UINT64_MAX - total) / pools[i].capacity) {
            return UINT64_MAX;
        }
        total += (uint64_t)pools[i].block * pools[i].capacity;
    }
    return total;
}

uint64_t ph_resolve_shares(uint64_t size, ph_pool_request_t *pools, size_t count) {
    uint64_t share_blocks = 0u; /* bytes of one block of every share pool: one full round */
    for (size_t i = 0u; i < count; i++) {
        if (pools[i].share != 0u) {
            /* size < 2^64 / 2^30 keeps the product exact; larger sizes are rejected before */
            pools[i].capacity = size * pools[i].share / PH_SHARE_WHOLE / pools[i].block;
            share_blocks += pools[i].block;
        }
    }
    uint64_t used = payload(pools, count);
    if (share_blocks == 0u || used >= size) {
        return used;
    }
    uint64_t rounds = (size - used) / share_blocks;
    for (size_t i = 0u; i < count; i++) {
        pools[i].capacity += pools[i].share != 0u ? rounds : 0u;
    }
    uint64_t left = size - used - rounds * share_blocks;
    for (int progress = 1; progress;) {
        progress = 0;
        for (size_t i = count; i-- > 0u;) {
            if (pools[i].share != 0u && pools[i].block <= left) {
                pools[i].capacity++;
                left -= pools[i].block;
                progress = 1;
            }
        }
    }
    return size - left;
}
