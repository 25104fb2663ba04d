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
    uint8_t *where; /* per object: its pool, or 0xFF when absent */
    uint64_t runs;  /* simulations done */
    /* Set `suffix` to a pool index before a run to learn `suffix_peak`: the
     * most blocks in use at once in that pool and all larger ones, between
     * operations. */
    uint32_t suffix;
    uint32_t suffix_peak;
} ph_tune_sim_t;

/* Prepares a model over `input` (kept by pointer). Returns 0, or -1 if
 * memory runs out. */
int ph_tune_sim_init(ph_tune_sim_t *sim, const ph_tune_input_t *input);

void ph_tune_sim_free(ph_tune_sim_t *sim);

/* Runs every trace of the input, each from an empty heap, through `count`
 * pools (sorted by block; every block one of the class values; a capacity
 * of 0 is allowed and acts as a pool that is always full), with fallback
 * unless `no_fallback`. Fills peak[p] (may be NULL) with the most blocks of
 * pool p in use at once (max over the traces). Returns the number of failed
 * requests; with `stop_at_failure` it stops at the first one (and returns
 * 1). Time: O(P + S + E), plus O(P) per request that falls back. */
uint64_t ph_tune_sim_run(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, int no_fallback,
                         int stop_at_failure, uint32_t *peak);

#endif /* POOLHEAP_TOOLS_TUNE_SIM_H */
