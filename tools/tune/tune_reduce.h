/* Capacities from model replays (tune_sim.h): exact ones without fallback
 * for any block set, and, going below the no-fallback optimum, capacities
 * lowered while fallback (idle blocks of larger pools) still serves every
 * request of the traces. */
#ifndef POOLHEAP_TOOLS_TUNE_REDUCE_H
#define POOLHEAP_TOOLS_TUNE_REDUCE_H

#include <stddef.h>

#include "tune_dp.h"
#include "tune_sim.h"

/* Lowers the capacities of `layout` (which must serve the traces with
 * fallback, as a no-fallback layout does) and returns the new size: each
 * pool but the largest, largest block first, gets the smallest capacity for
 * which the model replay with fallback has no failure, searched between a
 * lower bound (the objects that must fit in it and the larger pools) and
 * its current capacity; then every capacity is trimmed to the peak the
 * model saw, and pools left empty are removed. Every step keeps a layout the
 * model replays without failure. (A second pass over the pools was measured
 * to save nothing more on the tests' and the benchmark's traces.) Time: per
 * pool, 2 model replays, plus 1 + log2(blocks saved) when some can be
 * saved. */
uint64_t ph_tune_reduce(ph_tune_sim_t *sim, ph_tune_layout_t *layout);

/* Sets each capacity to the peak a model replay with fallback saw (which
 * changes no decision of that replay) and removes pools that stay empty.
 * Returns the new size. Time: one model replay. */
uint64_t ph_tune_trim(ph_tune_sim_t *sim, ph_tune_layout_t *layout);

/* Sets every capacity to the peak of a model replay without fallback and
 * with unlimited capacities (the capacities this block set needs without
 * fallback) and removes pools that stay empty. Returns 0, or -1 (layout
 * unspecified) if some request finds no pool at all. Time: one model
 * replay. */
int ph_tune_exact(ph_tune_sim_t *sim, ph_tune_layout_t *layout);

#endif /* POOLHEAP_TOOLS_TUNE_REDUCE_H */
