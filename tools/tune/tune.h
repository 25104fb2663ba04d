/* tools/tune, `poolheap tune`: the pool layout (blocks and capacities) that serves
 * heap traces with the smallest heap. docs/tuning.md explains the steps:
 *
 *   1. size classes from the traces (tune_input.h);
 *   2. the true peak of every range of classes (tune_peaks.h);
 *   3. the exact optimum without fallback, by dynamic programming over the
 *      pool boundaries (tune_dp.h), checked by a replay through the library
 *      with POOLHEAP_NO_FALLBACK: no failure, and each pool's peak equal to
 *      its capacity;
 *   4. capacities lowered where fallback lets larger pools' idle blocks
 *      absorb a smaller pool's peak (tune_reduce.h), searched with a model
 *      of the rules (tune_sim.h), the result replayed through the library;
 *   5. margins: --margin (tune_margin.h), --headroom or --size
 *      (tune_fit.h), replayed again;
 *   6. less padding between pools (tune_pad.h), replayed again.
 * A layout the library replay rejects is never returned: step 4 or 5 then
 * falls back on the no-fallback optimum, which provably serves the traces
 * with any capacities at least its own.
 *
 * May use: tools/trace (decoded traces, the replay) and the library. Reads
 * no files and prints nothing: the command does. */
#ifndef POOLHEAP_TOOLS_TUNE_H
#define POOLHEAP_TOOLS_TUNE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"
#include "tune_dp.h"

typedef struct ph_tune_options {
    size_t max_pools;      /* at most this many pools: 1 .. POOLHEAP_MAX_POOLS */
    uint32_t pointer_size; /* the target's: 4 or 8; 0 = the first trace's */
    uint64_t size;         /* if not 0: the region (the heap with its padding) stays within this many bytes */
    uint32_t headroom_bp; /* this many hundredths of a percent of the heap spent on the same relative margin per pool */
    uint32_t margin_bp;   /* this many hundredths of a percent of the heap spent where runs vary (tune_margin.h) */
    uint64_t max_request; /* if not 0: the largest block serves requests of this many bytes */
    void (*progress)(const char *stage, void *context); /* may be NULL */
    void *progress_context;
} ph_tune_options_t;

typedef struct ph_tune_result {
    ph_tune_layout_t layout;  /* the answer */
    ph_tune_layout_t optimum; /* the exact optimum without fallback */
    uint64_t reduced_size;    /* after step 4, before the margins */
    uint64_t span;            /* the answer's size plus the padding between its pools on the target */
    uint64_t peak_live_bytes; /* the most requested bytes live at once: a lower bound for any heap */
    uint32_t pointer_size;    /* the target's, as used */
    size_t classes;           /* distinct size classes */
    uint64_t events;
    uint64_t simulations; /* model replays */
    unsigned replays;     /* library replays */
    int fell_back;        /* 1 if a library replay rejected a model result (a bug: please report) */
} ph_tune_result_t;

/* Tunes a layout for `count` traces (one layout serving each of them).
 * Returns 0, or -1 with one line in `error`: bad options (max_pools or
 * pointer_size out of range, more than one of size, headroom and margin
 * (with max_request) set, no pointer_size
 * for traces recorded with different ones), a trace the
 * tuner cannot use (nothing allocated, a request too large, too many
 * distinct sizes), `size` smaller than the region the tuned layout needs
 * (the message gives the need), or no memory ("out of memory", with the
 * heap size the library replay could not build). Time: O(E * S) for the range peaks, O(P *
 * S^2) for the optimum, O(E) per model or library replay, about 2 * P *
 * log2(capacity) of those in step 4 (E events, S classes, P pools). */
int ph_tune(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options, ph_tune_result_t *out,
            char *error, size_t error_size);

/* ph_tune in two halves, for tuning once and trying several margins
 * (tune_validate.h). ph_tuner_open runs steps 1 to 4 for the traces (which
 * must outlive the tuner) and fills *out without a margin; NULL with
 * `error` set as ph_tune. ph_tuner_finish applies the margin fields of
 * `margins` (size, headroom_bp, margin_bp, max_request) and steps 5 and 6,
 * setting out->layout and out->span; it may be called again with other
 * margins. Returns 0 or -1 with `error`, as ph_tune. ph_tuner_close frees
 * (NULL is fine). Times: as ph_tune's steps. */
typedef struct ph_tuner ph_tuner_t;
ph_tuner_t *ph_tuner_open(const ph_trace_t *traces, size_t count, const ph_tune_options_t *options,
                          ph_tune_result_t *out, char *error, size_t error_size);
int ph_tuner_finish(ph_tuner_t *tuner, const ph_tune_options_t *margins, char *error, size_t error_size);
void ph_tuner_close(ph_tuner_t *tuner);

/* Returns 0 if the margin options of `o` are consistent (at most one of
 * size, headroom, margin with max_request), else -1 with `error`. O(1). */
int ph_tune_check_margins(const ph_tune_options_t *o, char *error, size_t error_size);

/* The rest of the subsystem's interface: margins validated on held-out
 * traces, and a layout grown to serve traces. */
#include "tune_grow.h"
#include "tune_validate.h"

#endif /* POOLHEAP_TOOLS_TUNE_H */
