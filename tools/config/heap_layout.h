/* Where each pool of a heap lands in its region: the core library's rule
 * (src/create.c), computed for any target pointer size. Pools are sorted by
 * block; each starts at the next multiple of the largest power of two
 * dividing its block, so the region holds padding beyond the payload. */
#ifndef POOLHEAP_TOOLS_HEAP_LAYOUT_H
#define POOLHEAP_TOOLS_HEAP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"

/* Returns the span (from the region base to the end of the last pool) of
 * `count` pools sorted by block, and, if `offsets` is not NULL, fills it
 * with each pool's offset from the base. A span that does not fit in 64
 * bits (64 pools of 32-bit blocks and capacities can reach 2^70) is
 * returned as UINT64_MAX, the offsets filled up to that pool. */
uint64_t ph_layout_offsets(const poolheap_pool_config_t *pools, size_t count, uint64_t *offsets);

/* The alignment the region base needs is the library's
 * poolheap_layout_alignment, which does not depend on the pointer size. */

#endif /* POOLHEAP_TOOLS_HEAP_LAYOUT_H */
