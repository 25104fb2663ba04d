/* Leave-one-out validation of margins: see tune_validate.h. */
#include "tune_validate.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/trace.h"

/* Replays the left-out trace through one layout and adds the outcome to
 * `row`. Returns 0, or -1 if the replay cannot run. */
static int ph_validate_one(const ph_trace_t *trace, const ph_tune_result_t *tuned, ph_validate_row_t *row) {
    ph_replay_options_t options = {.pointer_size = tuned->pointer_size};
    ph_replay_result_t *r = malloc(sizeof *r);
    if (r == NULL || ph_replay(trace, 1u, tuned->layout.pools, tuned->layout.pool_count, &options, r) != 0) {
        free(r);
        return -1;
    }
    row->served += r->failures == 0u;
    row->size_sum += tuned->layout.size;
    row->size_max = tuned->layout.size > row->size_max ? tuned->layout.size : row->size_max;
    row->oversize += r->oversize;
    row->exhausted += r->failures - r->oversize;
    row->largest = r->oversize_largest > row->largest ? r->oversize_largest : row->largest;
    free(r);
    return 0;
}

/* Tunes on every trace but `out_index` and validates every margin on it. */
static int ph_leave_out(const ph_trace_t *traces, size_t count, size_t out_index, const ph_tune_options_t *options,
                        ph_validate_result_t *out, char *error, size_t error_size) {
    ph_trace_t *training = malloc((count - 1u) * sizeof *training);
    ph_tune_result_t *tuned = malloc(sizeof *tuned);
    if (training == NULL || tuned == NULL) {
        free(training);
        free(tuned);
        snprintf(error, error_size, "out of memory");
        return -1;
    }
    for (size_t t = 0u, n = 0u; t < count; t++) {
        if (t != out_index) {
            training[n++] = traces[t];
        }
    }
    ph_tune_options_t plain = *options;
    plain.size = 0u;
    plain.headroom_bp = plain.margin_bp = 0u;
    plain.max_request = 0u;
    ph_tuner_t *tuner = ph_tuner_open(training, count - 1u, &plain, tuned, error, error_size);
    int status = tuner != NULL ? 0 : -1;
    for (size_t m = 0u; m < out->rows && status == 0; m++) {
        ph_tune_options_t margin = plain;
        margin.margin_bp = out->row[m].margin_bp;
        status = ph_tuner_finish(tuner, &margin, error, error_size);
        if (status == 0 && ph_validate_one(&traces[out_index], tuned, &out->row[m]) != 0) {
            snprintf(error, error_size, "out of memory: the replay of a heap of %llu bytes",
                     (unsigned long long)tuned->layout.size);
            status = -1;
        }
    }
    ph_tuner_close(tuner);
    free(training);
    free(tuned);
    return status;
}

/* Student's t, one-sided 95 %, for 1 .. 30 degrees of freedom. */
static const double ph_t95[30] = {6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812,
                                  1.796, 1.782, 1.771, 1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725,
                                  1.721, 1.717, 1.714, 1.711, 1.708, 1.706, 1.703, 1.701, 1.699, 1.697};

/* The heaps tuned on each trace alone, and the margin over the largest of
 * them that a one-sided 95 % prediction bound for the next run's asks. */
static int ph_runs_bound(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options,
                         ph_validate_result_t *out, char *error, size_t error_size) {
    ph_tune_result_t *alone = malloc(sizeof *alone);
    ph_tune_options_t plain = *options;
    plain.size = 0u;
    plain.headroom_bp = plain.margin_bp = 0u;
    plain.max_request = 0u;
    double sum = 0.0, squares = 0.0;
    out->zero_low = UINT64_MAX;
    for (size_t t = 0u; t < count; t++) {
        if (alone == NULL || ph_tune(&traces[t], 1u, &plain, alone, error, error_size) != 0) {
            if (alone == NULL) {
                snprintf(error, error_size, "out of memory");
            }
            free(alone);
            return -1;
        }
        uint64_t size = alone->layout.size;
        out->zero_low = size < out->zero_low ? size : out->zero_low;
        out->zero_high = size > out->zero_high ? size : out->zero_high;
        sum += (double)size;
        squares += (double)size * (double)size;
    }
    free(alone);
    double k = (double)count, mean = sum / k, variance = (squares - sum * mean) / (k - 1.0);
    double t = ph_t95[count - 1u <= 30u ? count - 2u : 29u];
    double bound = mean + t * sqrt(variance > 0.0 ? variance : 0.0) * sqrt(1.0 + 1.0 / k);
    double over = (bound - (double)out->zero_high) / (double)out->zero_high;
    out->bound_bp = over > 0.0 ? (uint32_t)ceil(over * 10000.0) : 0u;
    return 0;
}

int ph_tune_validate(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options,
                     const uint32_t *margins_bp, size_t margin_count, ph_validate_progress_t progress,
                     void *progress_context, ph_validate_result_t *out, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    if (count < 2u) {
        snprintf(error, error_size, "--validate needs at least 2 traces (it tunes on all but one)");
        return -1;
    }
    if (margin_count == 0u || margin_count > PH_VALIDATE_MAX_MARGINS) {
        snprintf(error, error_size, "1 to %u margins", PH_VALIDATE_MAX_MARGINS);
        return -1;
    }
    out->traces = count;
    out->rows = margin_count;
    for (size_t m = 0u; m < margin_count; m++) {
        out->row[m].margin_bp = margins_bp[m];
    }
    for (size_t t = 0u; t < count; t++) {
        if (ph_leave_out(traces, count, t, options, out, error, error_size) != 0) {
            return -1;
        }
        if (progress != NULL) {
            progress(t, count, progress_context);
        }
    }
    if (ph_runs_bound(traces, count, options, out, error, error_size) != 0) {
        return -1;
    }
    out->served_from = margin_count;
    while (out->served_from > 0u && out->row[out->served_from - 1u].served == count) {
        out->served_from--;
    }
    out->suggested = out->served_from;
    while (out->suggested < margin_count && out->row[out->suggested].margin_bp < out->bound_bp) {
        out->suggested++;
    }
    return 0;
}
