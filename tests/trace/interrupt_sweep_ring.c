/* Every instruction of a traced alloc interrupted in turn by a signal
 * handler draining the trace ring (issue 17; the machinery:
 * stress/sweep.h): once with room for the record (the drain meets it half
 * written), once with a ring too full for it (the drain meets the drop half
 * counted). The records must come out whole, each once, and a dropped one
 * as a DROPPED count of exactly one, never both; the heap must stay sound.
 * The drain's stop at a record being written and its report of a count
 * without the DROPPING flag happen in some of these runs, deterministically. */
#include "stress/sweep.h"

#include "poolheap/trace.h"

static poolheap_trace_ring_t ring;
static uint8_t ring_buffer[256];

#define RECORDS 32u

/* The records drained from the ring, one per write call. */
typedef struct records {
    unsigned count;
    uint8_t length[RECORDS];
    uint8_t bytes[RECORDS][POOLHEAP_TRACE_RECORD_MAX];
} records_t;

static records_t drained;

static void collect(void *context, const uint8_t *bytes, size_t length) {
    records_t *r = context;
    if (r->count < RECORDS && length <= POOLHEAP_TRACE_RECORD_MAX) {
        memcpy(r->bytes[r->count], bytes, length);
        r->length[r->count] = (uint8_t)length;
    }
    r->count++;
}

static void drain(void) {
    poolheap_trace_ring_drain(&ring, collect, &drained);
}

/* A fresh heap traced into a ring of `capacity` bytes, drained up to now. */
static void fresh_traced_heap(uint32_t capacity) {
    fresh_heap();
    poolheap_trace_ring_start(&ring, ring_buffer, capacity, NULL);
    drain();
    memset(&drained, 0, sizeof drained);
}

/* 0 if the records drained are `allocs` ALLOC records of 16 bytes at
 * `block` and `fillers` FREE records of address 0, in any order and each
 * whole, plus DROPPED records whose counts add up to `dropped`; else the
 * number of mismatches. */
static unsigned records_mismatch(unsigned fillers, const void *block, unsigned allocs, unsigned dropped) {
    if (drained.count > RECORDS) {
        return drained.count;
    }
    uint8_t alloc[POOLHEAP_TRACE_RECORD_MAX], filler[POOLHEAP_TRACE_RECORD_MAX];
    size_t alloc_length = poolheap_trace_encode(alloc, POOLHEAP_TRACE_ALLOC, 16u, 1u, (uintptr_t)block, 0u, 0, 0u);
    size_t filler_length = poolheap_trace_encode(filler, POOLHEAP_TRACE_FREE, 0u, 0u, 0u, 0u, 0, 0u);
    unsigned allocs_seen = 0u, fillers_seen = 0u, dropped_seen = 0u, others = 0u;
    for (unsigned r = 0u; r < drained.count; r++) {
        const uint8_t *bytes = drained.bytes[r];
        if (drained.length[r] == alloc_length && memcmp(bytes, alloc, alloc_length) == 0) {
            allocs_seen++;
        } else if (drained.length[r] == filler_length && memcmp(bytes, filler, filler_length) == 0) {
            fillers_seen++;
        } else if (drained.length[r] == 2u && bytes[0] == POOLHEAP_TRACE_DROPPED && bytes[1] < 0x80u) {
            dropped_seen += bytes[1]; /* the op byte, then the count (below 128 here) */
        } else {
            others++;
        }
    }
    return (allocs_seen != allocs) + (fillers_seen != fillers) + (dropped_seen != dropped) + others;
}

static void *main_block;

static void alloc_main(void) {
    main_block = poolheap_alloc(heap, 16u);
}

static void ring_with_room(void) {
    fresh_traced_heap(256u);
}

/* The record whole, once, in the one drain or the other. */
static unsigned drained_problems(int hit) {
    (void)hit;
    drain();
    return records_mismatch(0u, main_block, 1u, 0u) + audit(&main_block, 1u);
}

static unsigned fillers;

/* A ring of 64 bytes filled so that the operation's record no longer fits:
 * 2-byte records (FREE of address 0; the ring does not read them) while
 * there is room for that record's frame. The operation takes the block
 * freed here, whose address its record carries. */
static void ring_almost_full(void) {
    fresh_traced_heap(64u);
    void *first = poolheap_alloc(heap, 16u);
    poolheap_free(heap, first);
    drain();
    memset(&drained, 0, sizeof drained);
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    uint32_t frame =
        (uint32_t)poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, 16u, 1u, (uintptr_t)first, 0u, 0, 0u) + 1u;
    fillers = 0u;
    while (ring.capacity - ((ring.reserved - ring.consumed) & ~POOLHEAP_TRACE_RING_DROPPING) >= frame) {
        poolheap_trace_event(heap, POOLHEAP_TRACE_FREE, 0u, 0u, NULL, NULL, NULL);
        fillers++;
    }
}

/* Every filler, and the operation's record or a count of 1 dropped, never
 * both: drained before the operation reserved its frame, the ring had room. */
static unsigned dropped_problems(int hit) {
    (void)hit;
    drain();
    unsigned kept = records_mismatch(fillers, main_block, 1u, 0u);
    unsigned lost = records_mismatch(fillers, main_block, 0u, 1u);
    return (kept != 0u && lost != 0u) + audit(&main_block, 1u);
}

static void a_record_emitted_while_the_ring_drains_stays_whole(void) {
    static const scenario_t emit = {"alloc traced, the ring drained in the middle", ring_with_room, alloc_main, drain,
                                    drained_problems};
    CHECK_EQ(sweep(&emit), 0u);
}

static void a_record_dropped_while_the_ring_drains_is_counted_once(void) {
    static const scenario_t drop = {"alloc traced into a full ring, the ring drained in the middle", ring_almost_full,
                                    alloc_main, drain, dropped_problems};
    CHECK_EQ(sweep(&drop), 0u);
}

/* interrupt_sweep_ring [STRIDE] */
int main(int argc, char **argv) {
    int status = sweep_start(argc, argv);
    if (status != 0) {
        return status;
    }
    RUN(a_record_emitted_while_the_ring_drains_stays_whole);
    RUN(a_record_dropped_while_the_ring_drains_is_counted_once);
    return test_summary();
}
