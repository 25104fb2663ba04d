/* Hand-written traces: see built_trace.h. */
#include "built_trace.h"

#include <stdlib.h>

static ph_event_t *built_trace_next(built_trace_t *b) {
    if (b->trace.count == BUILT_TRACE_EVENTS) {
        abort(); /* a test writes more than it should */
    }
    return &b->events[b->trace.count++];
}

void built_trace_start(built_trace_t *b) {
    b->trace = (ph_trace_t){.events = b->events, .pointer_size = 8u};
}

uint32_t built_trace_alloc(built_trace_t *b, uint32_t size, uint32_t count) {
    uint32_t first = b->trace.objects;
    for (uint32_t i = 0u; i < count; i++) {
        *built_trace_next(b) = (ph_event_t){.kind = PH_EVENT_ALLOC, .size = size, .align = 1u, .object = first + i};
    }
    b->trace.objects += count;
    return first;
}

void built_trace_free(built_trace_t *b, uint32_t first, uint32_t count) {
    for (uint32_t i = 0u; i < count; i++) {
        *built_trace_next(b) = (ph_event_t){.kind = PH_EVENT_FREE, .align = 1u, .object = first + i};
    }
}

void built_trace_realloc(built_trace_t *b, uint32_t object, uint32_t size) {
    *built_trace_next(b) = (ph_event_t){.kind = PH_EVENT_REALLOC, .size = size, .align = 1u, .object = object};
}
