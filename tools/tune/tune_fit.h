/* Margins on a tuned layout: a percentage of headroom, or a heap size to
 * fill. Both only raise capacities. */
#ifndef POOLHEAP_TOOLS_TUNE_FIT_H
#define POOLHEAP_TOOLS_TUNE_FIT_H

#include <stdint.h>

#include "tune_dp.h"

/* Multiplies every capacity by 1 + basis_points / 10000, rounding up, and
 * updates the size. Returns -1 (layout unchanged) if a capacity would
 * exceed 32 bits, else 0. Time: O(P). */
int ph_tune_headroom(ph_tune_layout_t *layout, uint32_t basis_points);

/* Spends `budget - layout->size` spare bytes on extra blocks, so that every
 * pool gets the same margin relative to its capacity (its pressure: the
 * most blocks the traces kept in use there): pool p receives about
 * x * capacity[p] extra blocks for the largest x the budget allows, then
 * the bytes left buy single blocks, each for the pool whose margin is
 * relatively smallest (the smaller block on a tie) among those that still
 * fit. Returns -1 if the layout's size already exceeds the budget (layout
 * unchanged), else 0. Time: O(P * 64) plus O(P) per single block bought,
 * of which there are at most about P. */
int ph_tune_spread(ph_tune_layout_t *layout, uint64_t budget);

#endif /* POOLHEAP_TOOLS_TUNE_FIT_H */
