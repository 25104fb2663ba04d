/* Capacities given as shares of a heap's bytes, and the remainder rule.
 *
 * A pool with a share s of a heap of `size` bytes first gets
 * floor(size * s / block) blocks. The bytes left over once every pool (with
 * a fixed capacity or a share) is counted are then handed out in rounds: in
 * each round, from the largest block to the smallest, every share pool whose
 * block still fits into the bytes left takes one more block. Rounds stop
 * when no share pool's block fits. The result depends only on the input. */
#ifndef POOLHEAP_TOOLS_POOL_SHARES_H
#define POOLHEAP_TOOLS_POOL_SHARES_H

#include <stddef.h>
#include <stdint.h>

typedef struct ph_pool_request {
    uint32_t block;
    uint32_t share;    /* parts per billion (PH_SHARE_WHOLE = 100%); 0 = fixed capacity */
    uint64_t capacity; /* fixed: as given; share pools: filled in */
} ph_pool_request_t;

/* Resolves the capacities of the share pools among `count` pools sorted by
 * block (blocks non-zero; shares adding up to at most PH_SHARE_WHOLE) and
 * returns the payload bytes of all pools: `size` when the pools fill it
 * exactly, less when bytes are left that no share pool's block fits (or
 * there is no share pool), more when the fixed capacities and the shares
 * already exceed `size` (the shares are then not topped up); UINT64_MAX
 * if the payload does not fit in 64 bits. Time: O(count^2)
 * plus O(count) per block handed out in a partial last round. */
uint64_t ph_resolve_shares(uint64_t size, ph_pool_request_t *pools, size_t count);

#endif /* POOLHEAP_TOOLS_POOL_SHARES_H */
