/* Hand-written heap traces for the tuner's tests: allocations and frees
 * appended one by one, objects numbered in order. */
#ifndef POOLHEAP_TESTS_BUILT_TRACE_H
#define POOLHEAP_TESTS_BUILT_TRACE_H

#include <stdint.h>

#include "trace/trace.h"

#define BUILT_TRACE_EVENTS 4096u

typedef struct built_trace {
    ph_event_t events[BUILT_TRACE_EVENTS];
    ph_trace_t trace; /* points at events; pointer size 8 */
} built_trace_t;

/* Starts an empty trace. */
void built_trace_start(built_trace_t *b);

/* Appends `count` allocations of `size` bytes; returns the first's id. */
uint32_t built_trace_alloc(built_trace_t *b, uint32_t size, uint32_t count);

/* Appends the frees of objects first .. first + count - 1. */
void built_trace_free(built_trace_t *b, uint32_t first, uint32_t count);

/* Appends a realloc of `object` to `size` bytes. */
void built_trace_realloc(built_trace_t *b, uint32_t object, uint32_t size);

#endif /* POOLHEAP_TESTS_BUILT_TRACE_H */
