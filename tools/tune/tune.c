/* The tuner's steps, in order: see tune.h. */
#include "tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"
#include "tune_fit.h"
#include "tune_input.h"
#include "tune_pad.h"
#include "tune_peaks.h"
#include "tune_reduce.h"
#include "tune_sim.h"

/* Everything one tuning run holds. */
typedef struct ph_tuning {
    const ph_trace_t *traces;
    size_t count;
    const ph_tune_options_t *options;
    ph_tune_input_t input;
    ph_tune_sim_t sim;
    ph_tune_layout_t *best; /* best[k - 1]: the optimum of k pools without fallback */
    uint32_t *peak;         /* the range peaks (tune_peaks.h) */
    ph_tune_result_t *out;
} ph_tuning_t;

/* Operations the model may replay in the fallback search: another start
 * is tried only if it fits, assuming it costs what the first did (a third
 * of a second or so for a million events). A count, not a time, so that
 * runs are reproducible. */
#define PH_TUNE_SEARCH_BUDGET 60000000u

static void ph_stage(const ph_tuning_t *t, const char *stage) {
    if (t->options->progress != NULL) {
        t->options->progress(stage, t->options->progress_context);
    }
}

/* Replays `layout` through the library; returns 1 if it serves every
 * request (and, without fallback, if each pool's peak is its capacity: the
 * DP's prediction), else 0. Sets out->span. */
static int ph_library_serves(ph_tuning_t *t, const ph_tune_layout_t *layout, unsigned flags) {
    ph_replay_options_t options = {.flags = flags, .pointer_size = t->out->pointer_size, .stop_at_failure = 1};
    ph_replay_result_t *r = malloc(sizeof *r);
    int ok = r != NULL && ph_replay(t->traces, t->count, layout->pools, layout->pool_count, &options, r) == 0 &&
             r->failures == 0u;
    t->out->replays++;
    for (size_t p = 0u; ok && (flags & POOLHEAP_NO_FALLBACK) && p < layout->pool_count; p++) {
        ok = r->pools[p].peak == layout->pools[p].capacity;
    }
    if (ok) {
        t->out->span = r->span;
    }
    free(r);
    return ok;
}

/* With aligned requests the DP only considers layouts that keep each of
 * them in the pool of its class. A layout where some skip to a later, more
 * aligned pool may be smaller: the DP without that rule proposes one block
 * set per pool count, and a replay gives its true capacities. Returns 0,
 * or -1 if memory runs out. */
static int ph_unaligned_optima(ph_tuning_t *t) {
    size_t K = t->options->max_pools;
    int aligned = 0;
    for (size_t c = 0u; c < t->input.class_count; c++) {
        aligned |= t->input.align_need[c] > 1u;
    }
    if (!aligned) {
        return 0;
    }
    ph_tune_layout_t *guess = malloc(K * sizeof *guess);
    if (guess == NULL || ph_tune_dp(&t->input, t->peak, K, 0, guess) != 0) {
        free(guess);
        return -1;
    }
    for (size_t k = 0u; k < K; k++) {
        if (guess[k].size != UINT64_MAX && ph_tune_exact(&t->sim, &guess[k]) == 0 && guess[k].size < t->best[k].size) {
            t->best[k] = guess[k];
        }
    }
    free(guess);
    return 0;
}

/* Step 3: the smallest layout of at most max_pools pools without fallback. */
static int ph_optimum(ph_tuning_t *t, char *error, size_t error_size) {
    size_t S = t->input.class_count;
    uint32_t *peak = t->peak = malloc(S * S * sizeof *peak);
    ph_tune_layout_t *best = t->best = malloc(t->options->max_pools * sizeof *best);
    int status = peak != NULL && best != NULL ? 0 : -1;
    ph_stage(t, "range peaks");
    status = status == 0 ? ph_tune_peaks(&t->input, peak) : -1;
    ph_stage(t, "optimum without fallback");
    status = status == 0 ? ph_tune_dp(&t->input, peak, t->options->max_pools, 1, best) : -1;
    status = status == 0 ? ph_unaligned_optima(t) : -1;
    if (status != 0) {
        snprintf(error, error_size, "out of memory");
    } else {
        t->out->optimum.size = UINT64_MAX;
        for (size_t k = 0u; k < t->options->max_pools; k++) {
            if (best[k].size < t->out->optimum.size) {
                t->out->optimum = best[k];
            }
        }
        if (t->out->optimum.size == UINT64_MAX) {
            snprintf(error, error_size, "no layout of at most %zu pools can align the aligned requests",
                     t->options->max_pools);
            status = -1;
        } else if (!ph_library_serves(t, &t->out->optimum, POOLHEAP_NO_FALLBACK)) {
            snprintf(error, error_size, "internal error: the library disagrees with the optimum's peaks");
            status = -1;
        }
    }
    return status;
}

/* Reduces `start` if the model says it serves the traces; keeps it in
 * *best if smaller. */
static void ph_try_start(ph_tuning_t *t, ph_tune_layout_t start, ph_tune_layout_t *best) {
    if (ph_tune_sim_run(&t->sim, start.pools, start.pool_count, 0, 1, NULL) == 0u &&
        ph_tune_reduce(&t->sim, &start) < best->size) {
        *best = start;
    }
}

/* Step 4: lower capacities with fallback, from the optimum, then, while
 * the search budget lasts, from the optima of the other pool counts
 * (smallest first) and from the optimum split by one more block. Keeps the
 * optimum if the library rejects the model's best. */
static void ph_reduce(ph_tuning_t *t) {
    ph_stage(t, "fallback");
    size_t K = t->options->max_pools;
    ph_tune_layout_t reduced = t->out->optimum;
    uint64_t before = t->sim.operations;
    ph_tune_reduce(&t->sim, &reduced);
    uint64_t first = t->sim.operations - before; /* the cost of one start */
    for (uint64_t floor = t->out->optimum.size; t->sim.operations - before + first <= PH_TUNE_SEARCH_BUDGET;) {
        size_t next = K; /* the smallest optimum above `floor` */
        for (size_t k = 0u; k < K; k++) {
            if (t->best[k].size > floor && t->best[k].size != UINT64_MAX &&
                (next == K || t->best[k].size < t->best[next].size)) {
                next = k;
            }
        }
        if (next == K) {
            break;
        }
        floor = t->best[next].size;
        ph_try_start(t, t->best[next], &reduced);
    }
    for (size_t c = 0u; c < t->input.class_count && t->out->optimum.pool_count < K &&
                        t->sim.operations - before + first <= PH_TUNE_SEARCH_BUDGET;
         c++) {
        ph_tune_layout_t split;
        if (ph_tune_split(&t->input, t->peak, &t->out->optimum, c, &split)) {
            ph_try_start(t, split, &reduced);
        }
    }
    t->out->reduced_size = reduced.size;
    t->out->layout = t->out->optimum;
    if (t->out->reduced_size < t->out->optimum.size) {
        if (ph_library_serves(t, &reduced, 0u)) {
            t->out->layout = reduced;
        } else {
            t->out->fell_back = 1;
            t->out->reduced_size = t->out->optimum.size;
        }
    }
}

/* Applies the margin asked for to `layout`; -1 if --size is too small. */
static int ph_margin(const ph_tuning_t *t, ph_tune_layout_t *layout) {
    if (t->options->size != 0u) {
        return ph_tune_spread(layout, t->options->size);
    }
    return ph_tune_headroom(layout, t->options->headroom_bp);
}

/* Step 5: margins on the reduced layout, or on the optimum (which serves
 * the traces with any larger capacities) if the library rejects that. */
static int ph_margins(ph_tuning_t *t, char *error, size_t error_size) {
    if (t->options->size == 0u && t->options->headroom_bp == 0u) {
        return 0; /* the layout was replayed through the library already */
    }
    ph_stage(t, "margins");
    ph_tune_layout_t layout = t->out->layout;
    if (ph_margin(t, &layout) != 0) {
        snprintf(error, error_size,
                 t->options->size ? "the traces need a heap of %llu bytes, more than --size %llu"
                                  : "a capacity overflows 32 bits with this headroom (need %llu, size %llu)",
                 (unsigned long long)t->out->layout.size, (unsigned long long)t->options->size);
        return -1;
    }
    if (ph_library_serves(t, &layout, 0u)) {
        t->out->layout = layout;
        return 0;
    }
    layout = t->out->optimum;
    if (ph_margin(t, &layout) != 0 || !ph_library_serves(t, &layout, 0u)) {
        snprintf(error, error_size, "internal error: no layout with the margin serves the traces");
        return -1;
    }
    t->out->fell_back = 1;
    t->out->layout = layout;
    return 0;
}

/* Step 6: blocks raised by a few words where that saves padding; kept if
 * the span shrinks and the library still serves the traces. */
static void ph_padding(ph_tuning_t *t) {
    ph_tune_layout_t layout = t->out->layout;
    uint64_t span = ph_tune_pad(&t->input, &layout, t->options->size ? t->options->size : UINT64_MAX);
    if (span < t->out->span) {
        ph_stage(t, "padding");
        if (ph_library_serves(t, &layout, 0u)) {
            t->out->layout = layout;
        }
    }
}

static int ph_check_options(const ph_trace_t *traces, size_t count, const ph_tune_options_t *o, uint32_t *pointer,
                            char *error, size_t error_size) {
    *pointer = o->pointer_size ? o->pointer_size : (count ? traces[0].pointer_size : 0u);
    if (count == 0u || o->max_pools == 0u || o->max_pools > POOLHEAP_MAX_POOLS) {
        snprintf(error, error_size, count ? "the number of pools must be 1 to %u" : "no trace", POOLHEAP_MAX_POOLS);
        return -1;
    }
    for (size_t t = 1u; t < count && o->pointer_size == 0u; t++) {
        if (traces[t].pointer_size != *pointer) {
            snprintf(error, error_size, "the traces were recorded with pointer sizes %u and %u: give the target's",
                     *pointer, traces[t].pointer_size);
            return -1;
        }
    }
    if (*pointer != 4u && *pointer != 8u) {
        snprintf(error, error_size, "the pointer size must be 4 or 8, not %u", *pointer);
        return -1;
    }
    if (o->size != 0u && o->headroom_bp != 0u) {
        snprintf(error, error_size, "--size and --headroom exclude each other");
        return -1;
    }
    return 0;
}

int ph_tune(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options, ph_tune_result_t *out,
            char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    if (ph_check_options(traces, count, options, &out->pointer_size, error, error_size) != 0) {
        return -1;
    }
    ph_tuning_t t = {.traces = traces, .count = count, .options = options, .out = out};
    ph_stage(&t, "size classes");
    if (ph_tune_input_build(traces, count, out->pointer_size, &t.input, error, error_size) != 0) {
        return -1;
    }
    out->classes = t.input.class_count;
    out->events = t.input.events;
    out->peak_live_bytes = t.input.peak_live_bytes;
    int status = ph_tune_sim_init(&t.sim, &t.input);
    if (status != 0) {
        snprintf(error, error_size, "out of memory");
        ph_tune_input_free(&t.input);
        return -1;
    }
    status = ph_optimum(&t, error, error_size);
    if (status == 0) {
        ph_reduce(&t);
        status = ph_margins(&t, error, error_size);
        if (status == 0) {
            ph_padding(&t);
        }
    }
    out->simulations = t.sim.runs;
    ph_tune_sim_free(&t.sim);
    ph_tune_input_free(&t.input);
    free(t.best);
    free(t.peak);
    return status;
}
