/* `tune --margin P%`: a byte budget of extra blocks placed where the traces
 * say the next run will need them (docs/tuning.md, "Margins").
 *
 * The model. With fallback, a request can use any pool from the first that
 * fits it upwards, so what a layout must cover is, for every pool p, the
 * *tail demand* D_p: the most objects live at once whose block must be
 * pool p's or a larger one (their running maximum size class, as in
 * tune_peaks.h, needs pool p or later). The pools p.. together hold
 * C_p = capacity_p + ... + capacity_last blocks, and a run needs
 * C_p >= D_p for every p (necessary, and with fallback nearly sufficient).
 *
 * For each pool the traces give D_p per run. The model takes the next
 * run's D_p as normal, with the runs' mean and a spread of
 * sqrt(variance between the runs + mean): the variance seen plus a count's
 * own noise as if it were Poisson (a few runs that agree say little about
 * the next; one run says nothing). Blocks are bought one at a time, each
 * where it adds most to log P(every tail fits) per byte (a block of pool q
 * raises C_p for every p <= q: larger pools absorb smaller ones' overflow
 * by fallback), among those that still fit the budget, until the budget or
 * the risk runs out.
 *
 * The largest block can also be raised, to serve requests larger than any
 * in the traces: --max-request SIZE, or by default ph_tune_margin_top (the
 * largest request plus how much the runs' largest requests differ); its
 * cost comes out of the budget first. */
#ifndef POOLHEAP_TOOLS_TUNE_MARGIN_H
#define POOLHEAP_TOOLS_TUNE_MARGIN_H

#include <stdint.h>

#include "tune_dp.h"
#include "tune_input.h"

/* Tail demands of `layout`'s pools in each trace of `input`:
 * tail[t * pool_count + p] = the most objects of trace t live at once whose
 * running maximum class needs pool p or a later one (no fallback, unlimited
 * capacities). Returns 0, or -1 if memory runs out or a class has no pool
 * (the layout cannot serve the traces). Time: O(E * P). */
int ph_tune_tail_demand(const ph_tune_input_t *input, const ph_tune_layout_t *layout, uint32_t *tail);

/* log2 of the alignment of a block of `block` bytes (nonzero): the largest
 * power of two dividing it. O(log block). */
unsigned ph_tune_block_shift(uint32_t block);

/* Raises the largest block of `layout` to at least `top` bytes (rounded up
 * to the input's word and the strictest alignment the traces ask), then
 * spends what is left of `budget` bytes (extra block bytes) on capacities as
 * the model above says. Updates the size. The result is never above the
 * original size plus `budget` plus the largest block's raise (when that
 * raise alone exceeds the budget). Returns 0, or -1 (layout unchanged) if
 * memory runs out, the layout cannot serve the traces, or a block or
 * capacity would exceed 32 bits. Time: O(E * P) for the tail demands plus
 * O(P) per block bought, at most 2^20 blocks (the rest of a larger budget
 * stays unspent). */
int ph_tune_margin(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t budget, uint64_t top);

/* log2 of the alignment of a block of `block` bytes (nonzero): the largest
 * power of two dividing it. O(log block). */
unsigned ph_tune_block_shift(uint32_t block);

/* Raises the largest block of `layout` to at least `top` bytes, rounded up
 * to the word and to the strictest alignment any request asks (so that it
 * still serves what it served); the size is not updated. Returns the bytes
 * the raise costs (0 if the block is already large enough), or UINT64_MAX
 * (layout unchanged) if the block would exceed 32 bits. Time: O(S). */
uint64_t ph_tune_raise_top(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t top);

/* The request the largest block should serve by default: with several
 * runs, the largest request class plus how much the runs' largest requests
 * differ; with one run, the largest plus `margin_bp` hundredths of a
 * percent of it. Time: O(E). */
uint64_t ph_tune_margin_top(const ph_tune_input_t *input, uint32_t margin_bp);

#endif /* POOLHEAP_TOOLS_TUNE_MARGIN_H */
