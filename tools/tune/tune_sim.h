/* A fast model of the library's allocation rules, for the tuner's search.
 *
 * Only the number of blocks in use per pool decides whether a request
 * succeeds, so the model keeps those counts and each live object's pool:
 * an allocation takes the first pool, from the smallest whose block fits
 * and is aligned enough, that has a free block (only the first such pool
 * without fallback); a realloc stays if the new size fits its block, else
 * allocates (plain alignment) and then releases the old block; a failed
 * allocation leaves the object absent and its later operations ignored;
 * a failed realloc keeps the old block. These are poolheap_alloc_aligned's
 * and poolheap_realloc's rules (include/poolheap.h), and ph_replay (the
 * library itself) must agree with the model on every trace: the tests
 * check it, and the tuner replays what it accepts with the library. */
#ifndef POOLHEAP_TOOLS_TUNE_SIM_H
#define POOLHEAP_TOOLS_TUNE_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "tune_input.h"

typedef struct ph_tune_sim {
    const ph_tune_input_t *input;
    uint8_t *where;          /* per object: its pool, or 0xFF when absent */
    uint64_t runs;           /* simulations done */
    uint64_t operations;     /* operations simulated, over all runs */
    uint32_t base;           /* while focused: runs leave the pools below it out */
    uint32_t base_peak;      /* set by ph_tune_sim_focus */
    uint32_t base_own_peak;  /* set by ph_tune_sim_focus: the most blocks in use at once in pool base alone */
    ph_tune_trace_t *focus;  /* while focused: per trace, the operations that reach pool base.. */
    ph_tune_op_t *focus_ops; /* their storage */
} ph_tune_sim_t;

/* Prepares a model over `input` (kept by pointer). Returns 0, or -1 if
 * memory runs out. */
int ph_tune_sim_init(ph_tune_sim_t *sim, const ph_tune_input_t *input);

void ph_tune_sim_free(ph_tune_sim_t *sim);

/* Runs every trace of the input (or its focus, see below), each from an
 * empty heap, through `count` pools (sorted by block; a capacity of 0 is
 * allowed and acts as a pool that is always full), with fallback unless
 * `no_fallback`. Fills peak[p] (may be NULL) with the most blocks of pool p
 * in use at once (max over the traces). Returns the number of failed
 * requests; with `stop_at_failure` it stops at the first one (and returns
 * 1). Time: O(P + S + E), plus O(P) per request that falls back. */
uint64_t ph_tune_sim_run(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, int no_fallback,
                         int stop_at_failure, uint32_t *peak);

/* Replays the input with fallback through `pools` (which must serve it),
 * sets base_peak to the most blocks in use at once in pools base.. (between
 * operations) and base_own_peak to that of pool base alone, and keeps the operations that reach those pools: later runs
 * replay only them, starting every allocation at pool `base` at the
 * earliest. That is exact for any layout that differs from `pools` only in
 * pools base.. and serves the traces: the smaller pools then see the same
 * requests and hold the same objects. Returns 0, or -1 (nothing kept) if
 * `pools` fails. Time: one run. */
int ph_tune_sim_focus(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, uint32_t base);

/* ph_tune_sim_focus's replay without changing the focus, from `from` (per
 * trace: operations kept by an earlier call for its base `start`, every
 * allocation starting at pool `start` at the earliest; NULL and 0: the
 * whole input): sets base_peak and base_own_peak, and, unless `keep` is
 * NULL, keeps in keep[t] the operations that reach pools base.. (base >=
 * start), in `storage`, which must have room for every operation of
 * `from`. Exact, as the focus is, for layouts that differ from the one that
 * kept `from` only in pools start.. and serve. Returns 0, or -1 if a
 * request fails. Time: one run over `from`. */
int ph_tune_sim_stream(ph_tune_sim_t *sim, const ph_tune_trace_t *from, uint32_t start,
                       const poolheap_pool_config_t *pools, size_t count, uint32_t base, ph_tune_trace_t *keep,
                       ph_tune_op_t *storage);

/* Replays every trace with fallback through `pools`, but a request that
 * finds no free block takes one beyond the capacity of its first choice
 * (the first pool whose block fits it, aligned enough), as if that pool had
 * more: overflow[p] receives the most blocks pool p lacked at once. Returns
 * the requests that still failed: those no block can serve (oversize).
 * Ends any focus. Time: one run. */
uint64_t ph_tune_sim_overflow(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count,
                              uint32_t *overflow);

/* Back to replaying every operation. */
void ph_tune_sim_unfocus(ph_tune_sim_t *sim);

#endif /* POOLHEAP_TOOLS_TUNE_SIM_H */
