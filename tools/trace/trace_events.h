/* A heap trace as the host tools see it: the records of one or more trace
 * files decoded, with block addresses turned into object identities.
 *
 * An object is one allocation's life: created by an ALLOC event, kept (same
 * id) through any number of REALLOC events, ended by a FREE event. Ids are
 * dense, 0 .. objects - 1, in order of creation, so a replayer keeps an array
 * indexed by id. */
#ifndef POOLHEAP_TOOLS_TRACE_EVENTS_H
#define POOLHEAP_TOOLS_TRACE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

typedef enum ph_event_kind {
    PH_EVENT_ALLOC = 1, /* object created: size, align */
    PH_EVENT_REALLOC,   /* object resized: old_size -> size (in place or moved in the recorded run) */
    PH_EVENT_FREE,      /* object ended: size is its last requested size */
    PH_EVENT_FAIL       /* a request that failed in the recorded run: size, align; object unused */
} ph_event_kind_t;

typedef struct ph_event {
    uint8_t kind;     /* ph_event_kind_t */
    uint8_t op;       /* the record's poolheap_trace_op_t (ALLOC, ALIGNED, CALLOC, ...); FAIL: the failed op's */
    uint8_t fallback; /* 1 if the recorded heap served it from a larger pool */
    uint8_t reserved;
    uint32_t size;     /* requested bytes (the new size for REALLOC) */
    uint32_t old_size; /* REALLOC: requested bytes before */
    uint32_t align;    /* requested alignment; 1 when none was asked */
    uint32_t object;   /* object id; PH_NO_OBJECT for FAIL */
    uint32_t site;     /* allocations and FAIL: the caller stack (ph_trace_t's sites); PH_NO_SITE if none */
    uint64_t time;     /* timestamp if the trace has them, else 0 */
} ph_event_t;

/* The object id of events that have no object (FAIL). */
#define PH_NO_OBJECT UINT32_MAX

/* The site of events without a caller: frees, and every event of a trace
 * recorded without callers. */
#define PH_NO_SITE UINT32_MAX

/* Where a file of the recorded program was loaded (MAP records): address A
 * in [start, start + size) is address A - bias in the file `path`. */
typedef struct ph_trace_map {
    uint64_t start, size, bias;
    char *path;
} ph_trace_map_t;

typedef struct ph_trace {
    ph_event_t *events;
    size_t count;
    uint32_t objects;      /* ids are 0 .. objects - 1 */
    uint32_t pointer_size; /* of the recorded program: 4 or 8 */
    uint64_t dropped;      /* records the recording sink dropped (trace incomplete if > 0) */
    uint32_t site_count;   /* distinct caller stacks; 0 if the trace has no callers */
    uint32_t *site_start;  /* site s is site_frames[site_start[s] .. site_start[s + 1]) */
    uint64_t *site_frames; /* return addresses, innermost first */
    ph_trace_map_t *maps;  /* MAP records, in trace order */
    size_t map_count;
} ph_trace_t;

#endif /* POOLHEAP_TOOLS_TRACE_EVENTS_H */
