/* What every shipped trace sink shares: how it starts. Not part of the API. */
#ifndef POOLHEAP_TRACE_SINK_H
#define POOLHEAP_TRACE_SINK_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap/trace.h"

/* Points `sink` at `write` with `context` as its own state, for every heap,
 * with timestamps from `clock` (NULL: none), and starts tracing into it. */
static inline void ph_trace_sink_start(poolheap_trace_sink_t *sink,
                                       void (*write)(void *context, const uint8_t *bytes, size_t length),
                                       uint64_t (*clock)(void *context), void *context) {
    *sink = (poolheap_trace_sink_t){.write = write, .clock = clock, .context = context, .heap = NULL};
    poolheap_trace_start(sink);
}

#endif /* POOLHEAP_TRACE_SINK_H */
