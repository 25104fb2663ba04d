/* Growing a layout to serve traces: see tune_grow.h. */
#include "tune_grow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tune_grow_search.h"
#include "tune_margin.h"
#include "tune_sim.h"

#define PH_GROW_ROUNDS 64u

static uint64_t ph_size_of(const ph_tune_layout_t *layout) {
    uint64_t size = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        size += (uint64_t)layout->pools[p].block * layout->pools[p].capacity;
    }
    return size;
}

/* The largest class value no block can serve (0 if every class has one). */
static uint32_t ph_unserved(const ph_tune_input_t *input, const ph_tune_layout_t *layout) {
    uint32_t need = 0u;
    for (size_t c = 0u; c < input->class_count; c++) {
        int served = 0;
        for (size_t p = 0u; p < layout->pool_count && !served; p++) {
            uint32_t block = layout->pools[p].block;
            served = block >= input->values[c] && (1ull << ph_tune_block_shift(block)) >= input->align_need[c];
        }
        need = !served && input->values[c] > need ? input->values[c] : need;
    }
    return need;
}

/* Adds blocks where the model overflows until it serves. Returns 0, or -1
 * if it does not converge. */
static int ph_add_lacking(ph_tune_sim_t *sim, ph_tune_layout_t *layout) {
    for (unsigned round = 0u; round < PH_GROW_ROUNDS; round++) {
        uint32_t lacked[POOLHEAP_MAX_POOLS];
        if (ph_tune_sim_overflow(sim, layout->pools, layout->pool_count, lacked) != 0u) {
            return -1;
        }
        int grew = 0;
        for (size_t p = 0u; p < layout->pool_count; p++) {
            if ((uint64_t)layout->pools[p].capacity + lacked[p] > UINT32_MAX) {
                return -1;
            }
            layout->pools[p].capacity += lacked[p];
            grew |= lacked[p] != 0u;
        }
        if (!grew) {
            return 0;
        }
    }
    return -1;
}

/* Lowers each capacity that grew from `given`, largest block first, to the
 * smallest for which the model serves (bisection). */
static void ph_trim_growth(ph_tune_sim_t *sim, const ph_tune_layout_t *given, ph_tune_layout_t *layout) {
    for (size_t p = layout->pool_count; p-- > 0u;) {
        uint32_t lo = given->pools[p].capacity, hi = layout->pools[p].capacity; /* hi serves */
        while (lo < hi) {
            uint32_t mid = lo + (hi - lo) / 2u;
            layout->pools[p].capacity = mid;
            if (ph_tune_sim_run(sim, layout->pools, layout->pool_count, 0, 1, NULL) == 0u) {
                hi = mid;
            } else {
                lo = mid + 1u;
            }
        }
        layout->pools[p].capacity = hi;
    }
}

int ph_tune_grow(const ph_tune_input_t *input, const ph_tune_layout_t *layout, ph_tune_growth_t *out) {
    memset(out, 0, sizeof *out);
    ph_tune_layout_t given = *layout;
    ph_tune_sim_t sim;
    if (layout->pool_count == 0u || ph_tune_sim_init(&sim, input) != 0) {
        return -1;
    }
    out->top_needed = ph_unserved(input, &given);
    if (out->top_needed != 0u) {
        /* A class may lack a pool for its alignment alone, below the largest
         * block: that block is then rounded up to the alignment. */
        uint32_t largest = given.pools[given.pool_count - 1u].block;
        out->oversize = ph_tune_sim_overflow(&sim, given.pools, given.pool_count, out->lacked);
        if (ph_tune_raise_top(input, &given, out->top_needed > largest ? out->top_needed : largest) == UINT64_MAX) {
            ph_tune_sim_free(&sim);
            return -1;
        }
    }
    ph_tune_layout_t grown = given;
    int status = 0;
    if (ph_tune_sim_overflow(&sim, given.pools, given.pool_count, out->lacked) != 0u ||
        ph_add_lacking(&sim, &grown) != 0) {
        status = -1;
    } else {
        ph_trim_growth(&sim, &given, &grown);
        int ended = ph_tune_grow_jointly(&sim, &given, &grown);
        out->after = grown;
        out->jointly_smallest = ended == 1;
        status = ended < 0 ? -1 : 0;
    }
    ph_tune_sim_free(&sim);
    return status;
}

int ph_tune_grow_traces(const ph_trace_t *traces, size_t count, uint32_t pointer_size,
                        const poolheap_pool_config_t *pools, size_t pool_count, ph_tune_growth_t *out, char *error,
                        size_t error_size) {
    ph_tune_input_t input;
    if (pool_count == 0u || pool_count > POOLHEAP_MAX_POOLS) {
        snprintf(error, error_size, "the layout must have 1 to %u pools", POOLHEAP_MAX_POOLS);
        return -1;
    }
    if (ph_tune_input_build(traces, count, pointer_size, &input, error, error_size) != 0) {
        return -1;
    }
    ph_tune_layout_t layout = {.pool_count = pool_count};
    memcpy(layout.pools, pools, pool_count * sizeof *pools);
    layout.size = ph_size_of(&layout);
    int status = ph_tune_grow(&input, &layout, out);
    ph_tune_input_free(&input);
    if (status != 0) {
        snprintf(error, error_size, "out of memory, or a block or capacity beyond 32 bits");
        return -1;
    }
    ph_replay_options_t options = {.pointer_size = pointer_size, .stop_at_failure = 1};
    ph_replay_result_t *r = malloc(sizeof *r);
    status = r != NULL && ph_replay(traces, count, out->after.pools, out->after.pool_count, &options, r) == 0 ? 0 : -1;
    if (status != 0) {
        snprintf(error, error_size, "out of memory: the replay of a heap of %llu bytes",
                 (unsigned long long)out->after.size);
    } else if (r->failures != 0u) {
        snprintf(error, error_size, "internal error: the grown layout fails in the library (please report)");
        status = -1;
    }
    free(r);
    return status;
}
