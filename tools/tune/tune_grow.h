/* Growing a layout just enough to serve traces, its blocks kept:
 * `poolheap tune --from heap.toml` and the smallest change `poolheap
 * report --config` suggests (docs/tuning.md, "Growing a layout").
 *
 * 1. If some request fits no block (larger than every block, or aligned
 *    more than any block that fits it), the largest block is raised to
 *    serve it (rounded up to the strictest alignment asked, so that it
 *    keeps serving what it served).
 * 2. A model replay (tune_sim.h) where a request that finds no room
 *    overflows its first choice (the first pool that fits it) gives, per
 *    pool, the most blocks it lacked at once; those blocks are added. As
 *    more room can change where fallback puts objects, this repeats until
 *    the model serves every trace.
 * 3. Each capacity that grew is then lowered again, largest block first,
 *    to the smallest (by bisection) for which the model still serves: no
 *    pool keeps a block the traces do not need given the others.
 * 4. That growth is minimal pool by pool, not always in bytes: which pool
 *    takes an overflow is a choice. A branch and bound over the capacities
 *    (tune_grow_search.h), starting from it, finds the smallest size over
 *    all pools jointly, within a budget of model replays. */
#ifndef POOLHEAP_TOOLS_TUNE_GROW_H
#define POOLHEAP_TOOLS_TUNE_GROW_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "tune_dp.h"
#include "tune_input.h"

typedef struct ph_tune_growth {
    ph_tune_layout_t after;              /* the grown layout (size updated) */
    uint32_t lacked[POOLHEAP_MAX_POOLS]; /* as given (largest block raised): the most blocks each pool lacked */
    uint64_t oversize;                   /* requests no block of the given layout can serve */
    uint32_t top_needed;                 /* the largest block they need (0 if none) */
    int jointly_smallest; /* 1: `after` is the smallest growth of all; 0: the search's budget ran out first */
} ph_tune_growth_t;

/* Grows `layout` (blocks sorted, at least one pool) to serve every trace of
 * `input` as above and fills *out. Returns 0, or -1 if memory runs out or
 * the growth does not converge (a bug: the model could not be served), or a
 * block or capacity would exceed 32 bits. Time: a few model replays per
 * round (usually one or two rounds), plus log2(blocks added) replays per
 * pool that grew, O(E) each; then for step 4 at most max(10^8, 256 * E)
 * modelled operations (tune_grow_search.h). */
int ph_tune_grow(const ph_tune_input_t *input, const ph_tune_layout_t *layout, ph_tune_growth_t *out);

/* ph_tune_grow for decoded traces and a layout `pools` (sorted, at most
 * POOLHEAP_MAX_POOLS) of a target with `pointer_size` (4 or 8): builds the
 * size classes, grows, and checks the result by replaying every trace
 * through the library. Returns 0, or -1 with one line in `error` (a trace
 * the tuner cannot use, no memory, or a library replay that disagrees: a
 * bug). Time: as ph_tune_input_build plus ph_tune_grow plus one replay. */
int ph_tune_grow_traces(const ph_trace_t *traces, size_t count, uint32_t pointer_size,
                        const poolheap_pool_config_t *pools, size_t pool_count, ph_tune_growth_t *out, char *error,
                        size_t error_size);

#endif /* POOLHEAP_TOOLS_TUNE_GROW_H */
