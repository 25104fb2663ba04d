/* `tune TRACE... --validate`: how much margin the next run needs, measured
 * by leaving each trace out in turn (docs/tuning.md, "Validation").
 *
 * For each of the K >= 2 traces, the layout is tuned on the other K - 1
 * (ph_tune, no margin), then, for each margin of a list, the margin is
 * applied (ph_tune_margin) and the left-out trace is replayed through the
 * result with the library. A margin serves a trace if the replay has no
 * failure. */
#ifndef POOLHEAP_TOOLS_TUNE_VALIDATE_H
#define POOLHEAP_TOOLS_TUNE_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "tune.h"

#define PH_VALIDATE_MAX_MARGINS 32u

/* One margin's outcome over the left-out traces. */
typedef struct ph_validate_row {
    uint32_t margin_bp; /* the margin, in hundredths of a percent */
    size_t served;      /* left-out traces replayed without failure */
    uint64_t size_sum;  /* the heaps' sizes (sum of block * capacity), summed over the K layouts */
    uint64_t size_max;  /* the largest of them */
    uint64_t oversize;  /* failed requests larger than every block, over the left-out traces */
    uint32_t largest;   /* the largest such request, in bytes (0 if none) */
    uint64_t exhausted; /* other failed requests (a pool and those above it full) */
} ph_validate_row_t;

typedef struct ph_validate_result {
    size_t traces;
    size_t rows;
    ph_validate_row_t row[PH_VALIDATE_MAX_MARGINS];
    uint64_t zero_low, zero_high; /* the smallest and largest heap tuned on one trace alone, no margin */
    uint32_t bound_bp;  /* the margin over zero_high that the runs' 95 % prediction bound asks (basis points) */
    size_t served_from; /* the smallest margin index from which every margin served every left-out trace;
                           rows if the last did not */
    size_t suggested;   /* the first index from served_from whose margin is at least bound_bp; rows if none */
} ph_validate_result_t;

/* Called when trace `left_out` (0-based) is done, for progress. */
typedef void (*ph_validate_progress_t)(size_t left_out, size_t count, void *context);

/* Runs the validation of `count` traces (2 .. 64) at `margin_count` margins
 * (at most PH_VALIDATE_MAX_MARGINS, increasing, in basis points) with the
 * tuning `options` (their margin fields are ignored). Returns 0, or -1 with
 * one line in `error` (as ph_tune, for the first training set that fails,
 * or out of memory). Time: K tunings of K - 1 traces and K of one trace, plus
 * K * margins tunings' steps 5 and 6 and replays of one trace. */
int ph_tune_validate(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options,
                     const uint32_t *margins_bp, size_t margin_count, ph_validate_progress_t progress,
                     void *progress_context, ph_validate_result_t *out, char *error, size_t error_size);

#endif /* POOLHEAP_TOOLS_TUNE_VALIDATE_H */
