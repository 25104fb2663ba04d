/* Curves over a trace for `poolheap report --svg`: live requested bytes,
 * and with a layout the blocks each pool is asked for, sampled into a fixed
 * number of columns (each keeps the largest value of its events, so no peak
 * is lost however long the trace). */
#ifndef POOLHEAP_TOOL_TRACE_SERIES_H
#define POOLHEAP_TOOL_TRACE_SERIES_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "trace/trace.h"

typedef struct ph_trace_series {
    size_t columns; /* samples along the trace, each covering events / columns events */
    size_t lines;   /* 1 + pool count */
    uint64_t *max;  /* lines x columns: line 0 live bytes, line 1 + p pool p's blocks */
    uint64_t *peak; /* per line: the largest value */
} ph_trace_series_t;

/* Samples `trace` into `columns` (1 or more; fewer if the trace has fewer
 * events) columns. Pool p's line counts
 * the live objects whose first-choice pool is p: the smallest block that
 * fits the size and is aligned enough, kept by a realloc that still fits,
 * as the library chooses before any fallback. `pools` may be NULL (count
 * 0). Returns 0, or -1 if out of memory. Time: O(events log pools). */
int ph_trace_series(const ph_trace_t *trace, const poolheap_pool_config_t *pools, size_t pool_count, size_t columns,
                    ph_trace_series_t *out);

void ph_trace_series_free(ph_trace_series_t *series);

#endif /* POOLHEAP_TOOL_TRACE_SERIES_H */
