/* The exact optimum without fallback: dynamic programming over the pool
 * boundaries among the size classes.
 *
 * A layout without fallback is a partition of the classes 0..S-1 into
 * consecutive ranges; the range a..b becomes a pool of block values[b] and
 * capacity peak(a, b) (tune_peaks.h), which is exactly what it needs and
 * all it can use. A range is admissible only if its block is aligned enough
 * for every aligned allocation of its classes (otherwise those requests
 * would skip to a later pool). The cost of a layout is its size, the sum of
 * block * capacity. */
#ifndef POOLHEAP_TOOLS_TUNE_DP_H
#define POOLHEAP_TOOLS_TUNE_DP_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "tune_input.h"

typedef struct ph_tune_layout {
    size_t pool_count;
    poolheap_pool_config_t pools[POOLHEAP_MAX_POOLS];
    uint64_t size; /* sum of block * capacity; UINT64_MAX if no such layout */
} ph_tune_layout_t;

/* For every k in 1..max_pools, fills best[k - 1] with the smallest layout of
 * k pools (fewer if some of the k ranges would hold no object: those pools
 * are left out), from the range peaks `peak` (S x S, as ph_tune_peaks fills
 * it); size UINT64_MAX if there is none (fewer classes than k, or, with
 * `admissible_only`, no admissible partition). Without `admissible_only`
 * the alignment of blocks is ignored: the layout is then exact only if it
 * happens to be admissible, and otherwise a guess whose true capacities a
 * replay must find. max_pools is at most POOLHEAP_MAX_POOLS. Returns 0, or
 * -1 if memory runs out. Time: O(max_pools * S^2); memory
 * O(max_pools * S). */
int ph_tune_dp(const ph_tune_input_t *input, const uint32_t *peak, size_t max_pools, int admissible_only,
               ph_tune_layout_t *best);

/* Fills *out with `layout` (whose blocks are class values, such as a DP
 * result) split by one more pool of block values[c]: every pool a range of
 * classes with the range's peak as capacity. Such a layout is no better
 * without fallback, but may serve the traces with fallback from smaller
 * capacities. Returns 1, or 0 if c is one of the blocks, a range would hold
 * no object, or the layout has POOLHEAP_MAX_POOLS pools. Time: O(P log S). */
int ph_tune_split(const ph_tune_input_t *input, const uint32_t *peak, const ph_tune_layout_t *layout, size_t c,
                  ph_tune_layout_t *out);

#endif /* POOLHEAP_TOOLS_TUNE_DP_H */
