/* What `poolheap report` says about a trace without a layout: per requested
 * size its peak live count and allocations, the true simultaneous peak of
 * live requested bytes, the largest request. */
#ifndef POOLHEAP_TOOL_TRACE_SUMMARY_H
#define POOLHEAP_TOOL_TRACE_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

typedef struct ph_size_row {
    uint32_t size;        /* requested bytes */
    uint32_t live;        /* objects of this size live now (while summarising) */
    uint32_t peak;        /* most objects of this size live at once */
    uint64_t allocations; /* allocations of this size, and reallocations to it */
} ph_size_row_t;

typedef struct ph_trace_summary {
    ph_size_row_t *rows; /* by increasing size */
    size_t row_count;
    uint64_t peak_bytes; /* most requested bytes live at once */
    size_t peak_event;   /* index of the first event that reached it */
    uint32_t largest;    /* largest request (failed ones included) */
    uint64_t failures;   /* FAIL events: requests the recorded run refused */
} ph_trace_summary_t;

/* Summarises `trace`. Returns 0, or -1 if out of memory (nothing left
 * allocated). Time: O(events log sizes). */
int ph_trace_summarize(const ph_trace_t *trace, ph_trace_summary_t *out);

void ph_trace_summary_free(ph_trace_summary_t *summary);

#endif /* POOLHEAP_TOOL_TRACE_SUMMARY_H */
