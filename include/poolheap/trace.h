/* Heap tracing: one compact record per heap operation.
 *
 * With POOLHEAP_TRACE set to 1, the library calls poolheap_trace_event for
 * every operation; with 0 the calls compile to nothing. The record format
 * (shared by the library, the host recorder and the `poolheap` tools) is
 * documented in docs/trace-format.md.
 */
#ifndef POOLHEAP_TRACE_H
#define POOLHEAP_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "../poolheap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operation codes, the low 6 bits of a record's first byte. */
typedef enum poolheap_trace_op {
    POOLHEAP_TRACE_ALLOC = 1,   /* size, address */
    POOLHEAP_TRACE_ALIGNED = 2, /* size, alignment, address */
    POOLHEAP_TRACE_CALLOC = 3,  /* size (count * size), address */
    POOLHEAP_TRACE_REALLOC = 4, /* old address, new size, new address (equal if in place) */
    POOLHEAP_TRACE_FREE = 5,    /* address */
    POOLHEAP_TRACE_FAIL = 6,    /* failed operation's code, size, alignment */
    POOLHEAP_TRACE_DROPPED = 7  /* count of records a full sink dropped before this one */
} poolheap_trace_op_t;

/* Flag bit in the first byte: a larger pool served the request. */
#define POOLHEAP_TRACE_FALLBACK 0x40u

/* Called by the library for each operation when POOLHEAP_TRACE is 1.
 * `op` is a poolheap_trace_op_t, possibly or'ed with POOLHEAP_TRACE_FALLBACK;
 * for POOLHEAP_TRACE_FAIL, `old_address` carries the failed operation's code
 * as an integer. Encodes the record and hands it whole to the sink. */
void poolheap_trace_event(const poolheap_t *heap, unsigned op, size_t size, size_t align, const void *address,
                          const void *old_address);

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_TRACE_H */
