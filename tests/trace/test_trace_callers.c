/* The library built with POOLHEAP_TRACE_CALLER (issue 17): every entry
 * point, the *_for ones with an explicit caller and the plain ones with
 * their return address, through the same operations and their edges
 * (a free list, fallback, failure, a bad alignment, calloc of 0 bytes and
 * overflowing, realloc of NULL, in place, moved, failed, to 0, of each kind
 * of bad pointer). Each record must
 * come back from the trace reader as its event, allocations and failures
 * with their caller: the one given, or for the plain entry points one
 * inside this program. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "poolheap.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

/* One set of entry points; the plain ones drop the caller. */
typedef struct entry_points {
    void *(*alloc)(const poolheap_t *heap, size_t size, const void *caller);
    void *(*aligned)(const poolheap_t *heap, size_t size, size_t align, const void *caller);
    void *(*calloc_aligned)(const poolheap_t *heap, size_t count, size_t size, size_t align, const void *caller);
    void *(*realloc)(const poolheap_t *heap, void *pointer, size_t size, const void *caller);
    int explicit_callers;
} entry_points_t;

static void *plain_alloc(const poolheap_t *heap, size_t size, const void *caller) {
    (void)caller;
    return poolheap_alloc(heap, size);
}

static void *plain_aligned(const poolheap_t *heap, size_t size, size_t align, const void *caller) {
    (void)caller;
    return poolheap_alloc_aligned(heap, size, align);
}

static void *plain_calloc_aligned(const poolheap_t *heap, size_t count, size_t size, size_t align, const void *caller) {
    (void)caller;
    return poolheap_calloc_aligned(heap, count, size, align);
}

static void *plain_realloc(const poolheap_t *heap, void *pointer, size_t size, const void *caller) {
    (void)caller;
    return poolheap_realloc(heap, pointer, size);
}

static const entry_points_t with_callers = {poolheap_alloc_for, poolheap_alloc_aligned_for, poolheap_calloc_aligned_for,
                                            poolheap_realloc_for, 1};
static const entry_points_t plain = {plain_alloc, plain_aligned, plain_calloc_aligned, plain_realloc, 0};

typedef struct drained {
    uint8_t bytes[4096];
    size_t length;
} drained_t;

static void collect(void *context, const uint8_t *bytes, size_t length) {
    drained_t *out = context;
    if (out->length + length <= sizeof out->bytes) {
        memcpy(out->bytes + out->length, bytes, length);
    }
    out->length += length;
}

/* The caller given to operation n. */
#define CALLER(n) ((const void *)(uintptr_t)(0x1000u + 16u * (n)))

static unsigned errors_reported;

static void count_error(const poolheap_t *heap, poolheap_error_t error, const void *pointer, void *context) {
    (void)heap, (void)error, (void)pointer, (void)context;
    errors_reported++;
}

/* What the reader must give back: kind, op, and the caller's operation
 * number (0: no caller). */
typedef struct expected {
    unsigned kind, op, caller;
} expected_t;

static const expected_t expected[] = {
    {PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 1},  {PH_EVENT_ALLOC, POOLHEAP_TRACE_ALIGNED, 2},
    {PH_EVENT_FAIL, POOLHEAP_TRACE_ALIGNED, 3}, {PH_EVENT_ALLOC, POOLHEAP_TRACE_CALLOC, 4},
    {PH_EVENT_FAIL, POOLHEAP_TRACE_CALLOC, 5},  {PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 6},
    {PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 7},  {PH_EVENT_FAIL, POOLHEAP_TRACE_REALLOC, 8},
    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},    {PH_EVENT_REALLOC, POOLHEAP_TRACE_REALLOC, 10},
    {PH_EVENT_ALLOC, POOLHEAP_TRACE_ALLOC, 14}, {PH_EVENT_ALLOC, POOLHEAP_TRACE_CALLOC, 15},
    {PH_EVENT_FAIL, POOLHEAP_TRACE_CALLOC, 16}, {PH_EVENT_FAIL, POOLHEAP_TRACE_ALLOC, 17},
    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},
    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},
    {PH_EVENT_FREE, POOLHEAP_TRACE_FREE, 0},
};
#define EXPECTED (sizeof expected / sizeof expected[0])

/* Runs the operations through `api` on a fresh heap (16 x 2, 32 x 2,
 * 48 x 1, 64 x 1: the first fit for 49 to 64 bytes is past a pool of their
 * size class) traced into a ring, and checks what the reader gets back. */
static void run_operations(const entry_points_t *api) {
    static const poolheap_pool_config_t pools[] = {{16u, 2u}, {32u, 2u}, {48u, 1u}, {64u, 1u}};
    static _Alignas(64) unsigned char region[512];
    static poolheap_runtime_t runtime;
    static uint8_t buffer[4096];
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, pools, 4u, 0u, NULL, "callers");
    poolheap_set_hooks(heap, NULL, count_error, NULL);
    errors_reported = 0u;
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, sizeof buffer, NULL), 0);

    unsigned char *a = api->alloc(heap, 8u, CALLER(1));                    /* pool 16 */
    unsigned char *b = api->aligned(heap, 20u, 32u, CALLER(2));            /* pool 32 */
    CHECK(api->aligned(heap, 8u, 3u, CALLER(3)) == NULL);                  /* not a power of two */
    void *c = api->calloc_aligned(heap, 2u, 4u, 16u, CALLER(4));           /* pool 16, full now */
    CHECK(api->calloc_aligned(heap, SIZE_MAX, 2u, 1u, CALLER(5)) == NULL); /* overflow */
    CHECK(api->realloc(heap, a, 12u, CALLER(6)) == a);                     /* in place */
    void *d = api->realloc(heap, NULL, 60u, CALLER(7));                    /* pool 64 */
    CHECK_EQ(poolheap_usable_size(heap, d), 64u);
    CHECK(api->realloc(heap, a, 60u, CALLER(8)) == NULL); /* pool 64 taken: a stays */
    CHECK(api->realloc(heap, d, 0u, CALLER(9)) == NULL);  /* freed */
    a = api->realloc(heap, a, 60u, CALLER(10));           /* moved to pool 64 */
    CHECK_EQ(poolheap_usable_size(heap, a), 64u);
    int outside = 0;
    CHECK(api->realloc(heap, a + 1, 8u, CALLER(11)) == NULL);    /* misaligned: reported, not traced */
    CHECK(api->realloc(heap, &outside, 8u, CALLER(12)) == NULL); /* foreign */
    CHECK(api->realloc(heap, b + 32, 8u, CALLER(13)) == NULL);   /* pool 32's second block, never handed out */
    CHECK_EQ(poolheap_usable_size(heap, a + 1), 0u);             /* the same three, asked about */
    CHECK_EQ(poolheap_usable_size(heap, &outside), 0u);
    CHECK_EQ(poolheap_usable_size(heap, b + 32), 0u);
    CHECK_EQ(errors_reported, 8u);                               /* with the bad alignment and the overflow */
    void *e = api->alloc(heap, 8u, CALLER(14));                  /* a's first block, from pool 16's free list */
    void *f = api->calloc_aligned(heap, 3u, 0u, 1u, CALLER(15)); /* 0 bytes: pool 16 is full, pool 32 serves */
    CHECK(e != NULL && f != NULL);
    CHECK(api->calloc_aligned(heap, 1u, 100u, 1u, CALLER(16)) == NULL); /* beyond every pool */
    CHECK(api->alloc(heap, 56u, CALLER(17)) == NULL);                   /* pool 64 taken */
    poolheap_free(heap, a);
    poolheap_free(heap, b);
    poolheap_free(heap, c);
    poolheap_free(heap, e);
    poolheap_free(heap, f);
    CHECK_EQ(poolheap_deep_check(heap), 0u);

    static drained_t out;
    out.length = 0u;
    poolheap_trace_ring_drain(&ring, collect, &out);
    poolheap_trace_start(NULL);
    CHECK(out.length <= sizeof out.bytes);
    ph_trace_t trace;
    char error[256];
    int result = ph_trace_decode(out.bytes, out.length, "ring", &trace, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result != 0) {
        TEST_PRINTF("%s\n", error);
        return;
    }
    CHECK_EQ(trace.count, EXPECTED);
    for (size_t i = 0u; i < trace.count && i < EXPECTED; i++) {
        const ph_event_t *event = &trace.events[i];
        CHECK_EQ(event->kind, expected[i].kind);
        CHECK_EQ(event->op, expected[i].op);
        if (expected[i].caller == 0u) {
            CHECK_EQ(event->site, PH_NO_SITE);
            continue;
        }
        CHECK(event->site < trace.site_count);
        if (event->site < trace.site_count) {
            uint64_t frame = trace.site_frames[trace.site_start[event->site]];
            if (api->explicit_callers) {
                CHECK_EQ(frame, (uintptr_t)CALLER(expected[i].caller));
            } else {
                CHECK(frame != 0u); /* a return address in this program */
            }
        }
    }
    ph_trace_free(&trace);
}

static void the_entry_points_with_a_caller_record_it(void) {
    run_operations(&with_callers);
}

static void the_plain_entry_points_record_their_callers(void) {
    run_operations(&plain);
}

int main(void) {
    RUN(the_entry_points_with_a_caller_record_it);
    RUN(the_plain_entry_points_record_their_callers);
    return test_summary();
}
