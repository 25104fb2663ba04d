/* The RAM ring sink: drop-new when full with a DROPPED record in the gap,
 * drains that make a readable trace, and no torn or mixed records while
 * threads emit and a drainer runs at the same time, or while a signal
 * handler (an interrupt's stand-in) emits in the middle of a record. */
#define _POSIX_C_SOURCE 200809L

#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "harness.h"
#include "poolheap.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

/* Collects drained bytes. */
typedef struct drained {
    uint8_t *bytes;
    size_t length, capacity;
} drained_t;

static void collect(void *context, const uint8_t *bytes, size_t length) {
    drained_t *out = context;
    if (out->length + length > out->capacity) {
        out->capacity = 2u * (out->length + length);
        out->bytes = realloc(out->bytes, out->capacity);
    }
    memcpy(out->bytes + out->length, bytes, length);
    out->length += length;
}

/* Decodes what was drained into *trace; on failure the check fails, the
 * reader's message is printed, and -1 is returned. */
static int decode_checked(const drained_t *out, ph_trace_t *trace) {
    char error[256];
    int result = ph_trace_decode(out->bytes, out->length, "ring", trace, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result != 0) {
        TEST_PRINTF("%s\n", error);
    }
    return result;
}

static const poolheap_pool_config_t test_pools[] = {{16u, 64u}, {64u, 64u}};
static _Alignas(64) unsigned char region[8192];
static poolheap_runtime_t runtime;

static const poolheap_t *make_heap(void) {
    return poolheap_create(&runtime, region, sizeof region, test_pools, 2u, 0u, NULL, "ring");
}

static void capacity_must_be_a_power_of_two(void) {
    static uint8_t buffer[100];
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, 100u, NULL), -1);
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, 32u, NULL), -1);
}

static void a_full_ring_drops_new_records_and_says_so(void) {
    const poolheap_t *heap = make_heap();
    static uint8_t buffer[128];
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, sizeof buffer, NULL), 0);
    void *blocks[40];
    for (unsigned i = 0; i < 40u; i++) { /* ~11-byte frames: about 10 fit after the header */
        blocks[i] = poolheap_alloc(heap, 8u);
    }
    drained_t out = {0};
    poolheap_trace_ring_drain(&ring, collect, &out);
    for (unsigned i = 0; i < 40u; i++) { /* traced after the drain: the ring has room again */
        poolheap_free(heap, blocks[i]);
        poolheap_trace_ring_drain(&ring, collect, &out);
    }
    poolheap_trace_start(NULL);

    ph_trace_t trace;
    if (decode_checked(&out, &trace) == 0) {
        size_t kept = 0u;
        while (kept < trace.count && trace.events[kept].kind == PH_EVENT_ALLOC) {
            kept++;
        }
        CHECK(kept > 5u && kept < 40u);
        CHECK_EQ(trace.dropped, 40u - kept);
        CHECK_EQ(trace.count, kept + kept); /* frees of dropped allocations are skipped */
        ph_trace_free(&trace);
    }
    free(out.bytes);
}

/* The drain reads a frame's length byte before its record; one above the
 * largest record (memory overwritten by a stray write) is no frame the
 * producers wrote: the drain stops there rather than copy that many bytes,
 * and goes on once the byte is whole again. */
static void a_corrupted_length_byte_stops_the_drain(void) {
    const poolheap_t *heap = make_heap();
    static uint8_t buffer[128];
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, sizeof buffer, NULL), 0);
    drained_t out = {0};
    poolheap_trace_ring_drain(&ring, collect, &out); /* the header */
    size_t header = out.length;
    void *block = poolheap_alloc(heap, 8u);
    uint8_t *length = &buffer[ring.consumed & (sizeof buffer - 1u)];
    uint8_t record_length = *length;
    CHECK(record_length > 0u && record_length <= POOLHEAP_TRACE_RECORD_MAX);
    *length = POOLHEAP_TRACE_RECORD_MAX + 1u;
    CHECK_EQ(poolheap_trace_ring_drain(&ring, collect, &out), 0u);
    CHECK_EQ(out.length, header);
    *length = record_length;
    CHECK_EQ(poolheap_trace_ring_drain(&ring, collect, &out), record_length);
    poolheap_trace_start(NULL);
    poolheap_free(heap, block);
    ph_trace_t trace;
    if (decode_checked(&out, &trace) == 0) {
        CHECK_EQ(trace.count, 1u);
        CHECK_EQ(trace.dropped, 0u);
        ph_trace_free(&trace);
    }
    free(out.bytes);
}

#define THREADS 2
#define ROUNDS 20000

static void *churn(void *arg) {
    const poolheap_t *heap = arg;
    void *held[8] = {0};
    for (unsigned i = 0; i < ROUNDS; i++) {
        unsigned slot = i % 8u;
        if (held[slot] != NULL) {
            poolheap_free(heap, held[slot]);
        }
        held[slot] = poolheap_alloc(heap, 1u + i % 60u);
    }
    for (unsigned slot = 0; slot < 8u; slot++) {
        poolheap_free(heap, held[slot]);
    }
    return NULL;
}

static void records_stay_whole_with_threads_and_a_drainer(void) {
    const poolheap_t *heap = make_heap();
    static uint8_t buffer[1u << 16];
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, sizeof buffer, NULL), 0);
    pthread_t threads[THREADS];
    for (int t = 0; t < THREADS; t++) {
        CHECK_EQ(pthread_create(&threads[t], NULL, churn, (void *)heap), 0);
    }
    drained_t out = {0};
    for (int i = 0; i < 2000; i++) { /* drain while they run */
        poolheap_trace_ring_drain(&ring, collect, &out);
    }
    for (int t = 0; t < THREADS; t++) {
        pthread_join(threads[t], NULL);
    }
    poolheap_trace_ring_drain(&ring, collect, &out);
    poolheap_trace_start(NULL);

    ph_trace_t trace;
    if (decode_checked(&out, &trace) == 0) {
        size_t allocs = 0u, frees = 0u, fails = 0u;
        for (size_t i = 0; i < trace.count; i++) {
            allocs += trace.events[i].kind == PH_EVENT_ALLOC;
            frees += trace.events[i].kind == PH_EVENT_FREE;
            fails += trace.events[i].kind == PH_EVENT_FAIL;
        }
        if (trace.dropped == 0u) { /* every operation is there */
            CHECK_EQ(allocs + fails, (size_t)THREADS * ROUNDS);
            CHECK_EQ(frees, allocs);
        }
        CHECK(allocs + fails + trace.dropped >= (size_t)THREADS * ROUNDS / 2u);
        ph_trace_free(&trace);
    }
    free(out.bytes);
}

static const poolheap_t *signal_heap;
static volatile sig_atomic_t signal_ops;

/* An "interrupt": allocates and frees while the interrupted code may be in
 * the middle of emitting its own record. */
static void on_alarm(int signal) {
    (void)signal;
    poolheap_free(signal_heap, poolheap_alloc(signal_heap, 24u));
    signal_ops = signal_ops + 2;
}

static void records_from_nested_handlers_stay_whole(void) {
    signal_heap = make_heap();
    static uint8_t buffer[1u << 16];
    poolheap_trace_ring_t ring;
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, sizeof buffer, NULL), 0);
    struct sigaction action = {0};
    action.sa_handler = on_alarm;
    sigaction(SIGALRM, &action, NULL);
    struct itimerval every = {{0, 50}, {0, 50}}; /* 50 us */
    setitimer(ITIMER_REAL, &every, NULL);
    drained_t out = {0};
    unsigned ops = 0;
    while (signal_ops < 2000) {
        for (int i = 0; i < 100; i++) {
            poolheap_free(signal_heap, poolheap_alloc(signal_heap, 40u));
            ops += 2u;
        }
        poolheap_trace_ring_drain(&ring, collect, &out); /* interrupted too, sometimes */
    }
    struct itimerval stop = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &stop, NULL);
    poolheap_trace_ring_drain(&ring, collect, &out);
    poolheap_trace_start(NULL);

    ph_trace_t trace;
    if (decode_checked(&out, &trace) == 0) {
        CHECK_EQ(trace.dropped, 0u);
        CHECK_EQ(trace.count, (size_t)ops + (size_t)signal_ops);
        ph_trace_free(&trace);
    }
    free(out.bytes);
}

int main(void) {
    RUN(capacity_must_be_a_power_of_two);
    RUN(a_full_ring_drops_new_records_and_says_so);
    RUN(a_corrupted_length_byte_stops_the_drain);
    RUN(records_stay_whole_with_threads_and_a_drainer);
    RUN(records_from_nested_handlers_stay_whole);
    return test_summary();
}
