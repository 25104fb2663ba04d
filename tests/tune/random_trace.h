/* Seeded random heap traces for the tuner's tests: allocations (some
 * aligned), reallocs and frees of a bounded live set. */
#ifndef POOLHEAP_TESTS_RANDOM_TRACE_H
#define POOLHEAP_TESTS_RANDOM_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace_events.h"

typedef struct random_trace_spec {
    size_t events;
    uint32_t max_size;        /* request sizes are 0 .. max_size */
    uint32_t max_live;        /* objects live at once */
    unsigned realloc_percent; /* of the events on a live object */
    unsigned aligned_percent; /* of the allocations */
    uint32_t max_align;       /* aligned requests ask 2 .. max_align (powers of two) */
    uint32_t pointer_size;    /* recorded in the trace */
} random_trace_spec_t;

/* A number below n (n > 0) from the xorshift state. */
uint32_t random_below(uint64_t *state, uint32_t n);

/* A trace following `spec`; every object is freed by its end. Aborts if
 * memory runs out. */
ph_trace_t random_trace(uint64_t *state, const random_trace_spec_t *spec);

void random_trace_free(ph_trace_t *trace);

#endif /* POOLHEAP_TESTS_RANDOM_TRACE_H */
