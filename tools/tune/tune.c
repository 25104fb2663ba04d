/* The tuner's steps, in order: see tune.h. */
#include "tune.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"
#include "tune_fit.h"
#include "tune_grow.h"
#include "tune_input.h"
#include "tune_margin.h"
#include "tune_pad.h"
#include "tune_peaks.h"
#include "tune_reduce.h"
#include "tune_sim.h"

/* Everything one tuning run holds. */
struct ph_tuner {
    const ph_trace_t *traces;
    size_t count;
    const ph_tune_options_t *options;
    ph_tune_input_t input;
    ph_tune_sim_t sim;
    ph_tune_layout_t *best; /* best[k - 1]: the optimum of k pools without fallback */
    uint32_t *peak;         /* the range peaks (tune_peaks.h) */
    ph_tune_result_t *out;
    uint64_t out_of_memory;   /* the size of a heap the library replay could not build */
    ph_tune_layout_t reduced; /* after step 4 */
    int fell_back;            /* step 4 fell back on the optimum */
};
typedef struct ph_tuner ph_tuning_t;

/* Operations the model may replay per pool count in the fallback search,
 * for the split starts (the optimum of each count is always tried). A
 * count, not a time, so that runs are reproducible. */
#define PH_TUNE_SEARCH_BUDGET 1000000u
#define PH_TUNE_PROGRESS_POOLS 16u /* from this many pools, the search shows its pool count */

static void ph_stage(const ph_tuning_t *t, const char *stage) {
    if (t->options->progress != NULL) {
        t->options->progress(stage, t->options->progress_context);
    }
}

/* Replays `layout` through the library; returns 1 if it serves every
 * request (and, without fallback, if each pool's peak is its capacity: the
 * DP's prediction), 0 if not, -1 if the replay itself cannot run (out of
 * memory: it builds the heap for real). Sets out->span when it serves. */
static int ph_library_serves(ph_tuning_t *t, const ph_tune_layout_t *layout, unsigned flags) {
    ph_replay_options_t options = {.flags = flags, .pointer_size = t->out->pointer_size, .stop_at_failure = 1};
    ph_replay_result_t *r = malloc(sizeof *r);
    if (r == NULL || ph_replay(t->traces, t->count, layout->pools, layout->pool_count, &options, r) != 0) {
        free(r);
        t->out_of_memory = layout->size;
        return -1;
    }
    int ok = r->failures == 0u;
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

/* The message for a library replay that did not serve: out of memory
 * (serves < 0), or a bug (`what`). */
static void ph_replay_error(const ph_tuning_t *t, int serves, const char *what, char *error, size_t error_size) {
    if (serves < 0) {
        snprintf(error, error_size, "out of memory: the replay through the library needs a heap of %llu bytes",
                 (unsigned long long)t->out_of_memory);
    } else {
        snprintf(error, error_size, "internal error: %s (please report)", what);
    }
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
        } else {
            int serves = ph_library_serves(t, &t->out->optimum, POOLHEAP_NO_FALLBACK);
            if (serves <= 0) {
                ph_replay_error(t, serves, "the library disagrees with the optimum's peaks", error, error_size);
                status = -1;
            }
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

/* Step 4: lower capacities with fallback. The starts are taken pool count
 * by pool count, k = 1 .. max_pools: the no-fallback optimum of k pools,
 * then, while that count's share of the search budget lasts, the optimum
 * of k - 1 pools split by one more block. What count k tries depends on
 * nothing above k, so a larger max_pools only adds starts: the result never
 * grows with max_pools. Keeps the optimum if the library rejects the
 * model's best. */
static int ph_reduce(ph_tuning_t *t) {
    size_t K = t->options->max_pools;
    ph_tune_layout_t reduced = t->out->optimum;
    for (size_t k = 1u; k <= K; k++) {
        if (K >= PH_TUNE_PROGRESS_POOLS) {
            char stage[64];
            snprintf(stage, sizeof stage, "fallback, %zu of %zu pools", k, K);
            ph_stage(t, stage);
        } else if (k == 1u) {
            ph_stage(t, "fallback");
        }
        uint64_t start = t->sim.operations;
        if (t->best[k - 1u].size != UINT64_MAX) {
            ph_try_start(t, t->best[k - 1u], &reduced);
        }
        const ph_tune_layout_t *fewer = k > 1u ? &t->best[k - 2u] : NULL;
        for (size_t c = 0u; fewer != NULL && fewer->size != UINT64_MAX && c < t->input.class_count &&
                            t->sim.operations - start <= PH_TUNE_SEARCH_BUDGET;
             c++) {
            ph_tune_layout_t split;
            if (ph_tune_split(&t->input, t->peak, fewer, c, &split)) {
                ph_try_start(t, split, &reduced);
            }
        }
    }
    t->out->reduced_size = reduced.size;
    t->out->layout = t->out->optimum;
    if (t->out->reduced_size < t->out->optimum.size) {
        int serves = ph_library_serves(t, &reduced, 0u);
        if (serves < 0) {
            return -1;
        }
        if (serves) {
            t->out->layout = reduced;
        } else {
            t->out->fell_back = 1;
            t->out->reduced_size = t->out->optimum.size;
        }
    }
    return 0;
}

/* The margin asked for, applied to `layout`; -1 if it cannot be (a
 * capacity or block beyond 32 bits, or out of memory). --size is
 * ph_fit_size's. */
static int ph_margin(const ph_tuning_t *t, const ph_tune_options_t *o, ph_tune_layout_t *layout) {
    uint64_t base = t->out->reduced_size;
    if (o->margin_bp != 0u || o->max_request != 0u) {
        uint64_t top = o->max_request != 0u ? o->max_request : ph_tune_margin_top(&t->input, o->margin_bp);
        return ph_tune_margin(&t->input, layout, base * o->margin_bp / 10000u, top);
    }
    return ph_tune_spread(layout, layout->size + base * o->headroom_bp / 10000u);
}

/* Step 6: blocks raised by a few words where that saves padding, within
 * `limit` bytes; kept if the span shrinks and the library still serves the
 * traces. Returns -1 if a replay runs out of memory. */
static int ph_padding(ph_tuning_t *t, ph_tune_layout_t *layout, uint64_t *span, uint64_t limit) {
    ph_tune_layout_t padded = *layout;
    uint64_t padded_span = ph_tune_pad(&t->input, &padded, limit);
    if (padded_span < *span) {
        ph_stage(t, "padding");
        int serves = ph_library_serves(t, &padded, 0u);
        if (serves < 0) {
            return -1;
        }
        if (serves) {
            *layout = padded;
            *span = padded_span;
        }
    }
    return 0;
}

/* Steps 5 and 6 for a margin (not --size): the margin on the reduced
 * layout, or on the optimum (which serves the traces with any larger
 * capacities) if the library rejects that; then the padding. */
static int ph_finish(ph_tuning_t *t, const ph_tune_options_t *o, char *error, size_t error_size) {
    ph_tune_layout_t layout = t->reduced;
    int serves = 1;
    t->out->fell_back = t->fell_back;
    if (o->margin_bp != 0u || o->max_request != 0u || o->headroom_bp != 0u) {
        ph_stage(t, "margins");
        if (ph_margin(t, o, &layout) != 0) {
            snprintf(error, error_size, "a block or capacity overflows 32 bits with this margin, or out of memory");
            return -1;
        }
        ph_tune_growth_t growth; /* more room can move objects elsewhere: grow where that fails */
        if (ph_tune_sim_run(&t->sim, layout.pools, layout.pool_count, 0, 1, NULL) != 0u &&
            ph_tune_grow(&t->input, &layout, &growth) == 0) {
            layout = growth.after;
        }
        serves = ph_library_serves(t, &layout, 0u);
        if (serves == 0) {
            layout = t->out->optimum;
            serves = ph_margin(t, o, &layout) == 0 ? ph_library_serves(t, &layout, 0u) : 0;
            t->out->fell_back = 1;
        }
    } else {
        serves = ph_library_serves(t, &layout, 0u); /* for its span */
    }
    if (serves <= 0 || ph_padding(t, &layout, &t->out->span, UINT64_MAX) != 0) {
        ph_replay_error(t, serves < 0 ? -1 : serves, "no layout with the margin serves the traces", error, error_size);
        return -1;
    }
    t->out->layout = layout;
    return 0;
}

/* The layout for --size S: the spare bytes spread (ph_tune_spread) as far
 * as the region, padding included, stays within S: the largest budget whose
 * padded span fits, by bisection (the zero-margin layout, padded, if none
 * more does). Refuses with the smallest region the traces need if that
 * exceeds S. */
static int ph_fit_size(ph_tuning_t *t, uint64_t limit, char *error, size_t error_size) {
    ph_stage(t, "margins");
    ph_tune_layout_t best = t->reduced;
    uint64_t need = ph_tune_pad(&t->input, &best, UINT64_MAX);
    if (need > limit) {
        snprintf(error, error_size, "the traces need a region of %llu bytes (a heap of %llu), more than --size %llu",
                 (unsigned long long)need, (unsigned long long)t->reduced.size, (unsigned long long)limit);
        return -1;
    }
    for (uint64_t lo = t->reduced.size + 1u, hi = limit; lo <= hi;) {
        uint64_t mid = lo + (hi - lo) / 2u;
        ph_tune_layout_t layout = t->reduced;
        if (ph_tune_spread(&layout, mid) == 0 && ph_tune_pad(&t->input, &layout, limit) <= limit) {
            best = layout;
            lo = mid + 1u;
        } else {
            hi = mid - 1u;
        }
    }
    int serves = ph_library_serves(t, &best, 0u);
    if (serves == 0) { /* the optimum serves with any larger capacities: the same budget on it */
        uint64_t budget = best.size;
        t->out->fell_back = 1;
        best = t->out->optimum;
        serves = ph_tune_spread(&best, budget) == 0 && ph_tune_pad(&t->input, &best, limit) <= limit
                     ? ph_library_serves(t, &best, 0u)
                     : 0;
    }
    if (serves <= 0) {
        ph_replay_error(t, serves, "no layout within --size serves the traces", error, error_size);
        return -1;
    }
    t->out->layout = best;
    return 0;
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
    return ph_tune_check_margins(o, error, error_size);
}

int ph_tune_check_margins(const ph_tune_options_t *o, char *error, size_t error_size) {
    int margins = (o->size != 0u) + (o->headroom_bp != 0u) + (o->margin_bp != 0u || o->max_request != 0u);
    if (margins > 1) {
        snprintf(error, error_size, "--size, --headroom and --margin (--max-request) exclude each other");
        return -1;
    }
    return 0;
}

void ph_tuner_close(ph_tuner_t *t) {
    if (t != NULL) {
        ph_tune_sim_free(&t->sim);
        ph_tune_input_free(&t->input);
        free(t->best);
        free(t->peak);
        free(t);
    }
}

ph_tuner_t *ph_tuner_open(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options,
                          ph_tune_result_t *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    uint32_t pointer;
    if (ph_check_options(traces, count, options, &pointer, error, error_size) != 0) {
        return NULL;
    }
    ph_tuner_t *t = calloc(1u, sizeof *t);
    if (t == NULL) {
        snprintf(error, error_size, "out of memory");
        return NULL;
    }
    *t = (ph_tuner_t){.traces = traces, .count = count, .options = options, .out = out};
    out->pointer_size = pointer;
    ph_stage(t, "size classes");
    if (ph_tune_input_build(traces, count, pointer, &t->input, error, error_size) != 0) {
        free(t);
        return NULL;
    }
    out->classes = t->input.class_count;
    out->events = t->input.events;
    out->peak_live_bytes = t->input.peak_live_bytes;
    int status = ph_tune_sim_init(&t->sim, &t->input);
    if (status != 0) {
        snprintf(error, error_size, "out of memory");
    } else {
        status = ph_optimum(t, error, error_size);
    }
    if (status == 0 && ph_reduce(t) != 0) {
        ph_replay_error(t, -1, "", error, error_size);
        status = -1;
    }
    out->simulations = t->sim.runs;
    if (status != 0) {
        ph_tuner_close(t);
        return NULL;
    }
    t->reduced = out->layout;
    t->fell_back = out->fell_back;
    return t;
}

int ph_tuner_finish(ph_tuner_t *t, const ph_tune_options_t *margins, char *error, size_t error_size) {
    if (ph_tune_check_margins(margins, error, error_size) != 0) {
        return -1;
    }
    int status = margins->size != 0u ? ph_fit_size(t, margins->size, error, error_size)
                                     : ph_finish(t, margins, error, error_size);
    t->out->simulations = t->sim.runs;
    return status;
}

int ph_tune(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options, ph_tune_result_t *out,
            char *error, size_t error_size) {
    ph_tuner_t *t = ph_tuner_open(traces, count, options, out, error, error_size);
    int status = t != NULL ? ph_tuner_finish(t, options, error, error_size) : -1;
    ph_tuner_close(t);
    return status;
}
