/* Trace emission: poolheap_trace_event encodes each operation into a local
 * buffer and hands the whole record to the current sink in one call, so a
 * record is never split across calls; keeping records from concurrent
 * emitters (threads, nested interrupts) unmixed is each sink's job. */
#include <stdatomic.h>

#include "poolheap/trace.h"

/* The current sink. Release/acquire: the header is written before the sink
 * is published, so an emitter that sees the sink also sees everything the
 * starter did first (the sink's fields and the header written through it). */
static _Atomic(const poolheap_trace_sink_t *) ph_trace_sink;

void poolheap_trace_start(const poolheap_trace_sink_t *sink) {
    if (sink != NULL) {
        uint8_t header[POOLHEAP_TRACE_HEADER_SIZE];
        unsigned flags = (sink->clock != NULL ? POOLHEAP_TRACE_HAS_TIME : 0u) |
                         (POOLHEAP_TRACE_CALLER ? POOLHEAP_TRACE_HAS_CALLERS : 0u);
        poolheap_trace_encode_header(header, flags);
        sink->write(sink->context, header, sizeof header);
    }
    atomic_store_explicit(&ph_trace_sink, sink, memory_order_release);
}

void poolheap_trace_event(const poolheap_t *heap, unsigned op, size_t size, size_t align, const void *address,
                          const void *old_address, const void *caller) {
    const poolheap_trace_sink_t *sink = atomic_load_explicit(&ph_trace_sink, memory_order_acquire); /* see above */
    if (sink == NULL || (sink->heap != NULL && sink->heap != heap)) {
        return;
    }
    uint64_t time = sink->clock != NULL ? sink->clock(sink->context) : 0u;
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t length = poolheap_trace_encode(record, op, size, align, (uintptr_t)address, (uintptr_t)old_address,
                                          sink->clock != NULL, time);
#if POOLHEAP_TRACE_CALLER
    if (poolheap_trace_op_has_callers(op)) {
        uint64_t frame = (uintptr_t)caller;
        length += poolheap_trace_encode_frames(record + length, &frame, 1u);
    }
#else
    (void)caller;
#endif
    sink->write(sink->context, record, length);
}
