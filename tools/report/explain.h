/* What `poolheap report --config` and `poolheap tune --from` say about a
 * layout that does not serve a trace: which requests failed and why, and
 * the smallest change that serves it. */
#ifndef POOLHEAP_TOOL_EXPLAIN_H
#define POOLHEAP_TOOL_EXPLAIN_H

#include <stdio.h>

#include "config/config.h"
#include "trace/trace.h"
#include "tune/tune.h"

/* Prints the change from `heap` to growth->after, one line per pool that
 * grew ("pool 3 (48 B): capacity 38 -> 41 (lacked 3 blocks at worst)"),
 * the largest block raised for oversize requests, and the sizes. O(P). */
void ph_print_growth(FILE *out, const ph_heap_config_t *heap, const ph_tune_growth_t *growth);

/* Replays `trace` through `heap` for a target of `pointer_size` bytes and,
 * if requests fail, prints them grouped by size and cause (a pool and those
 * above it exhausted: which pool; or larger than every block), with their
 * count and first event, then the smallest change that serves the trace
 * (ph_tune_grow_traces). Prints nothing if nothing fails. Returns 0, or -1
 * with a message on stderr (no memory, or the tuner cannot use the trace).
 * Time: two replays, the growth, and O(F log F) for F failures. */
int ph_explain_failures(FILE *out, const ph_trace_t *trace, const ph_heap_config_t *heap, uint32_t pointer_size);

#endif /* POOLHEAP_TOOL_EXPLAIN_H */
