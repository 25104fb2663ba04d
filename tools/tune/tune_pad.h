/* Less padding between pools: pools start at multiples of their block's
 * alignment (the largest power of two dividing the block), so a block such
 * as 4194304 may leave megabytes unused before its pool. */
#ifndef POOLHEAP_TOOLS_TUNE_PAD_H
#define POOLHEAP_TOOLS_TUNE_PAD_H

#include <stdint.h>

#include "tune_dp.h"
#include "tune_input.h"

/* Pool by pool, smallest block first, raises a block by a few words when
 * that costs fewer bytes (extra block bytes times capacity) than the
 * padding it saves before the pool, as long as the size stays within
 * `limit`. A raised block stays below the next class value, so it serves
 * exactly the same requests; and it stays aligned to every alignment the
 * traces ask (or keeps its own), so aligned requests, falling back or not,
 * choose the same pools. The library's choices are therefore unchanged.
 * Returns the span (size plus padding). Time: O(P * 64 + P log S). */
uint64_t ph_tune_pad(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t limit);

#endif /* POOLHEAP_TOOLS_TUNE_PAD_H */
