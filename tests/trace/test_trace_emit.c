/* The library's trace emission, end to end: operations on a traced heap go
 * through the file sink into a file, and the reader must give back exactly
 * these operations as events, with sizes derived and ids assigned. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "poolheap.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

static const poolheap_pool_config_t test_pools[] = {{16u, 2u}, {32u, 2u}, {64u, 1u}};

static _Alignas(64) unsigned char region[512];
static poolheap_runtime_t runtime;
static uint64_t fake_clock_now;

static uint64_t fake_clock(void *context) {
    (void)context;
    return fake_clock_now += 10u;
}

/* Runs a fixed sequence of operations traced into `path`. */
static void run_operations(const char *path, uint64_t (*clock)(void *)) {
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, test_pools, 3u, 0u, NULL, "t");
    poolheap_trace_file_t file;
    CHECK_EQ(poolheap_trace_file_open(&file, path, clock), 0);
    void *a = poolheap_alloc(heap, 10u);              /* 0 ALLOC 10 -> 16 pool, object 0 */
    void *b = poolheap_alloc_aligned(heap, 20u, 32u); /* 1 ALLOC aligned 32, object 1 */
    void *c = poolheap_calloc(heap, 3u, 4u);          /* 2 ALLOC calloc 12, object 2 */
    void *d = poolheap_alloc(heap, 16u);              /* 3 ALLOC 16: pool 16 full, falls back to 32 */
    a = poolheap_realloc(heap, a, 14u);               /* 4 REALLOC in place 10 -> 14 */
    a = poolheap_realloc(heap, a, 60u);               /* 5 REALLOC moved 14 -> 60 */
    void *e = poolheap_alloc(heap, 40u);              /* 6 FAIL: the 64 pool is taken */
    poolheap_free(heap, b);                           /* 7 FREE 20 */
    CHECK(poolheap_realloc(heap, c, 0u) == NULL);     /* 8 FREE 12 */
    poolheap_free(heap, d);                           /* 9 FREE 16 */
    poolheap_free(heap, a);                           /* 10 FREE 60 */
    CHECK(e == NULL);
    CHECK_EQ(poolheap_trace_file_close(&file), 0);
}

static void check_event(const ph_event_t *e, unsigned kind, unsigned op, unsigned size, unsigned old_size,
                        unsigned align, uint32_t object, unsigned fallback) {
    CHECK_EQ(e->kind, kind);
    CHECK_EQ(e->op, op);
    CHECK_EQ(e->size, size);
    CHECK_EQ(e->old_size, old_size);
    CHECK_EQ(e->align, align);
    CHECK_EQ(e->object, object);
    CHECK_EQ(e->fallback, fallback);
}

static void every_operation_comes_back_as_its_event(void) {
    const char *path = "test_trace_emit.trace";
    run_operations(path, NULL);
    ph_trace_t trace;
    char error[256];
    int result = ph_trace_read(path, &trace, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result != 0) {
        printf("%s\n", error);
        return;
    }
    CHECK_EQ(trace.count, 11u);
    CHECK_EQ(trace.objects, 4u);
    CHECK_EQ(trace.pointer_size, sizeof(void *));
    CHECK_EQ(trace.dropped, 0u);
    if (trace.count == 11u) {
        const ph_event_t *e = trace.events;
        check_event(&e[0], PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 10u, 0u, 1u, 0u, 0u);
        check_event(&e[1], PH_EVENT_ALLOC, POOLHEAP_TRACE_ALIGNED, 20u, 0u, 32u, 1u, 0u);
        check_event(&e[2], PH_EVENT_ALLOC, POOLHEAP_TRACE_CALLOC, 12u, 0u, 1u, 2u, 0u);
        check_event(&e[3], PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 16u, 0u, 1u, 3u, 1u);
        check_event(&e[4], PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 14u, 10u, 1u, 0u, 0u);
        check_event(&e[5], PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 60u, 14u, 1u, 0u, 0u);
        check_event(&e[6], PH_EVENT_FAIL, POOLHEAP_TRACE_ALLOC, 40u, 0u, 1u, PH_NO_OBJECT, 0u);
        check_event(&e[7], PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 20u, 0u, 1u, 1u, 0u);
        check_event(&e[8], PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 12u, 0u, 1u, 2u, 0u);
        check_event(&e[9], PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 16u, 0u, 1u, 3u, 0u);
        check_event(&e[10], PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 60u, 0u, 1u, 0u, 0u);
        CHECK_EQ(e[0].time, 0u);
    }
    ph_trace_free(&trace);
    remove(path);
}

static void timestamps_come_back_with_their_events(void) {
    const char *path = "test_trace_emit_time.trace";
    fake_clock_now = 1000u;
    run_operations(path, fake_clock);
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_read(path, &trace, error, sizeof error), 0);
    CHECK_EQ(trace.count, 11u);
    for (size_t i = 0; i < trace.count; i++) {
        CHECK_EQ(trace.events[i].time, 1010u + 10u * i);
    }
    ph_trace_free(&trace);
    remove(path);
}

static void nothing_is_emitted_after_tracing_stops(void) {
    const char *path = "test_trace_emit_stop.trace";
    run_operations(path, NULL);
    const poolheap_t *heap = &runtime.heap;
    poolheap_free(heap, poolheap_alloc(heap, 8u)); /* after close: not traced */
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_read(path, &trace, error, sizeof error), 0);
    CHECK_EQ(trace.count, 11u);
    ph_trace_free(&trace);
    remove(path);
}

/* Reads the trace at `path` into *trace (free it after) and removes the
 * file; 1 if it holds `count` events. */
static int read_back(const char *path, ph_trace_t *trace, size_t count) {
    char error[256];
    int result = ph_trace_read(path, trace, error, sizeof error);
    remove(path);
    CHECK_EQ(result, 0);
    if (result != 0) {
        printf("%s\n", error);
        memset(trace, 0, sizeof *trace); /* nothing to free */
    }
    CHECK_EQ(trace->count, count);
    return trace->count == count;
}

static void a_moved_realloc_served_by_a_larger_pool_is_flagged(void) {
    const char *path = "test_trace_emit_fallback.trace";
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, test_pools, 3u, 0u, NULL, "t");
    poolheap_trace_file_t file;
    CHECK_EQ(poolheap_trace_file_open(&file, path, NULL), 0);
    void *small = poolheap_alloc(heap, 8u);                                 /* 16 pool */
    void *full[2] = {poolheap_alloc(heap, 32u), poolheap_alloc(heap, 32u)}; /* the 32 pool is full */
    small = poolheap_realloc(heap, small, 20u);                             /* first choice 32: falls back to 64 */
    CHECK_EQ(poolheap_trace_file_close(&file), 0);
    poolheap_free(heap, small);
    poolheap_free(heap, full[0]);
    poolheap_free(heap, full[1]);
    ph_trace_t trace;
    if (read_back(path, &trace, 4u)) {
        check_event(&trace.events[1], PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 32u, 0u, 1u, 1u, 0u);
        check_event(&trace.events[3], PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 20u, 8u, 1u, 0u, 1u);
    }
    ph_trace_free(&trace);
}

/* The first pool that fits 28 bytes is the 32 pool, past the 24 pool of the
 * same size class: a move there is no fallback. */
static void a_moved_realloc_served_by_its_first_fit_is_not_flagged(void) {
    static const poolheap_pool_config_t pools[] = {{16u, 1u}, {24u, 1u}, {32u, 1u}};
    const char *path = "test_trace_emit_first_fit.trace";
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, pools, 3u, 0u, NULL, "t");
    poolheap_trace_file_t file;
    CHECK_EQ(poolheap_trace_file_open(&file, path, NULL), 0);
    void *block = poolheap_alloc(heap, 8u);
    block = poolheap_realloc(heap, block, 28u);
    CHECK_EQ(poolheap_usable_size(heap, block), 32u);
    CHECK_EQ(poolheap_trace_file_close(&file), 0);
    poolheap_free(heap, block);
    ph_trace_t trace;
    if (read_back(path, &trace, 2u)) {
        check_event(&trace.events[1], PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 28u, 8u, 1u, 0u, 0u);
    }
    ph_trace_free(&trace);
}

int main(void) {
    RUN(every_operation_comes_back_as_its_event);
    RUN(timestamps_come_back_with_their_events);
    RUN(nothing_is_emitted_after_tracing_stops);
    RUN(a_moved_realloc_served_by_a_larger_pool_is_flagged);
    RUN(a_moved_realloc_served_by_its_first_fit_is_not_flagged);
    return test_summary();
}
