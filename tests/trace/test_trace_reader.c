/* The trace reader on bad input: each kind of corruption is rejected with
 * the byte offset and reason, every truncation of a good trace is handled,
 * and a trace with dropped records is read leniently. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

/* A trace under construction. */
typedef struct bytes {
    uint8_t data[512];
    size_t length;
} bytes_t;

static void start(bytes_t *b, unsigned pointer_size, unsigned flags) {
    poolheap_trace_encode_header(b->data, flags);
    b->data[5] = (uint8_t)pointer_size;
    b->length = POOLHEAP_TRACE_HEADER_SIZE;
}

static void add(bytes_t *b, unsigned op, uint64_t size, uint64_t align, uint64_t address, uint64_t old) {
    b->length += poolheap_trace_encode(b->data + b->length, op, size, align, address, old, 0, 0u);
}

/* Decodes b and checks the outcome: expected NULL means success. */
static void expect(const bytes_t *b, const char *expected) {
    ph_trace_t trace;
    char error[256] = "";
    int result = ph_trace_decode(b->data, b->length, "t", &trace, error, sizeof error);
    if (expected == NULL) {
        CHECK_EQ(result, 0);
        if (result != 0) {
            TEST_PRINTF("  unexpected: %s\n", error);
        }
        ph_trace_free(&trace);
    } else {
        CHECK_EQ(result, -1);
        CHECK(strcmp(error, expected) == 0);
        if (strcmp(error, expected) != 0) {
            TEST_PRINTF("  got '%s', expected '%s'\n", error, expected);
        }
        CHECK(trace.events == NULL && trace.count == 0u);
    }
}

static void bad_headers_are_rejected_at_their_field(void) {
    bytes_t b = {.length = 0u};
    expect(&b, "t: byte 0: truncated header (0 of 8 bytes)");
    start(&b, 8u, 0u);
    b.length = 5u;
    expect(&b, "t: byte 5: truncated header (5 of 8 bytes)");
    start(&b, 8u, 0u);
    b.data[1] = 'X';
    expect(&b, "t: byte 0: not a poolheap trace (bad magic)");
    start(&b, 8u, 0u);
    b.data[4] = 3u;
    expect(&b, "t: byte 4: unsupported format version 3 (this reader knows 1 to 2)");
    b.data[4] = 0u;
    expect(&b, "t: byte 4: unsupported format version 0 (this reader knows 1 to 2)");
    start(&b, 3u, 0u);
    expect(&b, "t: byte 5: pointer size 3 is not 4 or 8");
    start(&b, 8u, 0x04u);
    expect(&b, "t: byte 6: unknown header flags 0x04");
    start(&b, 8u, POOLHEAP_TRACE_HAS_CALLERS);
    b.data[4] = 1u; /* version 1 had no callers */
    expect(&b, "t: byte 6: unknown header flags 0x02");
    start(&b, 8u, 0u);
    b.data[7] = 1u;
    expect(&b, "t: byte 7: reserved header byte is not 0");
    start(&b, 4u, POOLHEAP_TRACE_HAS_TIME);
    expect(&b, NULL); /* a header alone is an empty trace */
}

static void bad_records_are_rejected_at_their_offset(void) {
    bytes_t b;
    start(&b, 8u, 0u);
    b.data[b.length++] = 9u;
    expect(&b, "t: byte 8: unknown op 9");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 300u, 1u, 0x1000u, 0u);
    b.length--;
    expect(&b, "t: byte 8: truncated record");
    start(&b, 8u, 0u);
    b.data[b.length++] = POOLHEAP_TRACE_FREE;
    memset(b.data + b.length, 0xFF, 10u);
    b.length += 10u;
    b.data[b.length++] = 0u;
    expect(&b, "t: byte 18: varint exceeds 64 bits");
    start(&b, 4u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x100000000u, 0u);
    expect(&b, "t: byte 10: address 0x100000000 wider than the trace's pointer size");
    start(&b, 8u, 0u);
    b.data[b.length++] = POOLHEAP_TRACE_FREE | POOLHEAP_TRACE_TIMESTAMP;
    expect(&b, "t: byte 8: timestamp in a trace whose header has none");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_FREE | POOLHEAP_TRACE_FALLBACK, 0u, 0u, 0x10u, 0u);
    expect(&b, "t: byte 8: fallback flag on a record of op 5");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALIGNED, 8u, 24u, 0x10u, 0u);
    expect(&b, "t: byte 8: alignment 24 is not a power of two");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_FAIL, 8u, 1u, 0u, POOLHEAP_TRACE_FREE);
    expect(&b, "t: byte 8: failed operation 5 is not an allocation");
}

/* A FREE record whose address is the varint of nine 0xFF bytes and `last`. */
static void free_with_ten_byte_varint(bytes_t *b, uint8_t last) {
    start(b, 8u, 0u);
    b->data[b->length++] = POOLHEAP_TRACE_FREE;
    memset(b->data + b->length, 0xFF, 9u);
    b->length += 9u;
    b->data[b->length++] = last;
}

/* Records (op, size, align, address, old address) and the outcome. */
static const struct field_case {
    unsigned pointer_size;
    size_t count;
    struct {
        unsigned op;
        uint64_t size, align, address, old;
    } records[2];
    const char *expected; /* NULL: accepted */
} field_cases[] = {
    {4u,
     2u, /* a 4-byte trace: the last address accepted, then an old address too wide */
     {{POOLHEAP_TRACE_ALLOC, 8u, 1u, 0xFFFFFFFFu, 0u}, {POOLHEAP_TRACE_REALLOC, 8u, 1u, 0x1000u, 0x100000000u}},
     "t: byte 16: address 0x100000000 wider than the trace's pointer size"},
    {8u,
     2u, /* the alloc is 4 bytes */
     {{POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u}, {POOLHEAP_TRACE_REALLOC, 16u, 1u, 0u, 0x1000u}},
     "t: byte 12: reallocation to address 0"},
    {8u, 1u, {{POOLHEAP_TRACE_ALIGNED, 8u, 0u, 0x10u, 0u}}, "t: byte 8: alignment 0 is not a power of two"},
    {8u,
     1u, /* operation 0: below the allocations */
     {{POOLHEAP_TRACE_FAIL, 8u, 1u, 0u, 0u}},
     "t: byte 8: failed operation 0 is not an allocation"},
    {8u, 1u, {{POOLHEAP_TRACE_FAIL, 8u, 1u, 0u, POOLHEAP_TRACE_REALLOC}}, NULL}, /* the last allocation op */
};

/* Each field at the edge of its range: the last value accepted and the
 * first rejected. */
static void each_field_is_checked_at_its_limit(void) {
    bytes_t b;
    free_with_ten_byte_varint(&b, 1u); /* 2^64 - 1: the largest varint */
    expect(&b, "t: byte 8: free of address 0xffffffffffffffff which is not live");
    free_with_ten_byte_varint(&b, 2u); /* bit 64: would be silently dropped */
    expect(&b, "t: byte 18: varint exceeds 64 bits");
    for (size_t i = 0u; i < sizeof field_cases / sizeof field_cases[0]; i++) {
        const struct field_case *c = &field_cases[i];
        start(&b, c->pointer_size, 0u);
        for (size_t r = 0u; r < c->count; r++) {
            add(&b, c->records[r].op, c->records[r].size, c->records[r].align, c->records[r].address,
                c->records[r].old);
        }
        expect(&b, c->expected);
    }
}

static void contradicting_records_are_rejected(void) {
    bytes_t b;
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_FREE, 0u, 0u, 0x1000u, 0u);
    expect(&b, "t: byte 8: free of address 0x1000 which is not live");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_FREE, 0u, 0u, 0u, 0u); /* 0 is the map's empty marker: found by the fuzzer */
    expect(&b, "t: byte 8: free of address 0x0 which is not live");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u); /* 4 bytes */
    add(&b, POOLHEAP_TRACE_CALLOC, 8u, 1u, 0x1000u, 0u);
    expect(&b, "t: byte 12: allocation of address 0x1000 which is already live (object 0)");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_REALLOC, 8u, 1u, 0x2000u, 0x1000u);
    expect(&b, "t: byte 8: reallocation of address 0x1000 which is not live");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x2000u, 0u);
    add(&b, POOLHEAP_TRACE_REALLOC, 64u, 1u, 0x2000u, 0x1000u);
    expect(&b, "t: byte 16: allocation of address 0x2000 which is already live (object 1)");
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 0u, 1u, 0u, 0u);
    expect(&b, "t: byte 8: allocation at address 0");
}

static void every_truncation_is_an_error_or_a_record_boundary(void) {
    bytes_t good;
    start(&good, 8u, POOLHEAP_TRACE_HAS_TIME);
    size_t boundaries[16], n = 0u;
    boundaries[n++] = good.length;
    good.length += poolheap_trace_encode(good.data + good.length, POOLHEAP_TRACE_ALLOC, 100000u, 1u, 0x7f0000001000u,
                                         0u, 1, 123456789u);
    boundaries[n++] = good.length;
    good.length += poolheap_trace_encode(good.data + good.length, POOLHEAP_TRACE_REALLOC, 5u, 0u, 0x7f0000002000u,
                                         0x7f0000001000u, 1, 123456790u);
    boundaries[n++] = good.length;
    good.length += poolheap_trace_encode(good.data + good.length, POOLHEAP_TRACE_FAIL, UINT64_MAX, 64u, 0u,
                                         POOLHEAP_TRACE_CALLOC, 1, 123456791u);
    boundaries[n++] = good.length;
    good.length +=
        poolheap_trace_encode(good.data + good.length, POOLHEAP_TRACE_FREE, 0u, 0u, 0x7f0000002000u, 0u, 1, 123456792u);
    boundaries[n++] = good.length;
    for (size_t cut = 0u; cut <= good.length; cut++) {
        ph_trace_t trace;
        char error[256];
        int result = ph_trace_decode(good.data, cut, "t", &trace, error, sizeof error);
        int boundary = 0;
        for (size_t i = 0u; i < n; i++) {
            boundary |= boundaries[i] == cut;
        }
        CHECK_EQ(result, boundary ? 0 : -1);
        if (result == 0) {
            if (cut == good.length) {
                CHECK_EQ(trace.count, 4u);
                CHECK_EQ(trace.events[2].size, UINT32_MAX); /* saturated */
                CHECK_EQ(trace.events[3].size, 5u);         /* the free's size: the realloc's */
                CHECK_EQ(trace.events[3].time, 123456792u);
            }
            ph_trace_free(&trace);
        }
    }
}

static void after_dropped_records_the_gaps_are_tolerated(void) {
    bytes_t b;
    start(&b, 8u, 0u);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u);
    add(&b, POOLHEAP_TRACE_DROPPED, 3u, 0u, 0u, 0u);
    add(&b, POOLHEAP_TRACE_FREE, 0u, 0u, 0x5000u, 0u);          /* its alloc was dropped: skipped */
    add(&b, POOLHEAP_TRACE_ALLOC, 16u, 1u, 0x1000u, 0u);        /* 0x1000's free was dropped */
    add(&b, POOLHEAP_TRACE_REALLOC, 32u, 0u, 0x6000u, 0x7000u); /* unknown: starts an object */
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_decode(b.data, b.length, "t", &trace, error, sizeof error), 0);
    CHECK_EQ(trace.dropped, 3u);
    CHECK_EQ(trace.count, 4u);
    if (trace.count == 4u) {
        CHECK_EQ(trace.events[1].kind, PH_EVENT_FREE); /* object 0 ended for the new one */
        CHECK_EQ(trace.events[1].object, 0u);
        CHECK_EQ(trace.events[2].object, 1u);
        CHECK_EQ(trace.events[3].kind, PH_EVENT_ALLOC);
        CHECK_EQ(trace.events[3].size, 32u);
    }
    ph_trace_free(&trace);
}

/* An allocation record with a caller section of `count` frames. */
static void add_with_callers(bytes_t *b, unsigned op, uint64_t size, uint64_t address, uint64_t old,
                             const uint64_t *frames, unsigned count) {
    add(b, op, size, 1u, address, old);
    b->length += poolheap_trace_encode_frames(b->data + b->length, frames, count);
}

static void callers_become_interned_sites(void) {
    static const uint64_t here[] = {0x401234u, 0x401100u}, there[] = {0x401300u};
    bytes_t b;
    start(&b, 8u, POOLHEAP_TRACE_HAS_CALLERS);
    add_with_callers(&b, POOLHEAP_TRACE_ALLOC, 8u, 0x1000u, 0u, here, 2u);
    add_with_callers(&b, POOLHEAP_TRACE_ALLOC, 16u, 0x2000u, 0u, there, 1u);
    add_with_callers(&b, POOLHEAP_TRACE_REALLOC, 24u, 0x3000u, 0x1000u, here, 2u);
    add(&b, POOLHEAP_TRACE_FREE, 0u, 0u, 0x2000u, 0u); /* frees carry no callers */
    add_with_callers(&b, POOLHEAP_TRACE_FAIL, 99u, 0u, POOLHEAP_TRACE_ALLOC, there, 0u);
    static const char path[] = "/usr/bin/x";
    b.length += poolheap_trace_encode_map(b.data + b.length, 0x400000u, 0x2000u, 0x0u, path, sizeof path - 1u);
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_decode(b.data, b.length, "t", &trace, error, sizeof error), 0);
    CHECK_EQ(trace.count, 5u);
    CHECK_EQ(trace.site_count, 2u);
    if (trace.count == 5u && trace.site_count == 2u) {
        CHECK_EQ(trace.events[0].site, 0u);
        CHECK_EQ(trace.events[1].site, 1u);
        CHECK_EQ(trace.events[2].site, 0u); /* the same stack: the same site */
        CHECK_EQ(trace.events[3].site, PH_NO_SITE);
        CHECK_EQ(trace.events[4].site, PH_NO_SITE); /* no frames taken */
        CHECK_EQ(trace.site_start[1] - trace.site_start[0], 2u);
        CHECK_EQ(trace.site_frames[trace.site_start[0] + 1u], 0x401100u);
        CHECK_EQ(trace.site_frames[trace.site_start[1]], 0x401300u);
    }
    CHECK_EQ(trace.map_count, 1u);
    if (trace.map_count == 1u) {
        CHECK(strcmp(trace.maps[0].path, path) == 0);
        CHECK_EQ(trace.maps[0].start, 0x400000u);
        CHECK_EQ(trace.maps[0].size, 0x2000u);
    }
    ph_trace_free(&trace);
}

static void bad_callers_and_maps_are_rejected(void) {
    uint64_t frames[POOLHEAP_TRACE_FRAMES_MAX + 1u] = {0x10u};
    bytes_t b;
    start(&b, 8u, POOLHEAP_TRACE_HAS_CALLERS);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u);
    b.data[b.length++] = POOLHEAP_TRACE_FRAMES_MAX + 1u;
    expect(&b, "t: byte 12: 33 caller frames (at most 32)");
    start(&b, 4u, POOLHEAP_TRACE_HAS_CALLERS);
    frames[0] = 0x100000000u;
    add_with_callers(&b, POOLHEAP_TRACE_ALLOC, 8u, 0x1000u, 0u, frames, 1u);
    expect(&b, "t: byte 13: address 0x100000000 wider than the trace's pointer size");
    start(&b, 8u, POOLHEAP_TRACE_HAS_CALLERS);
    add(&b, POOLHEAP_TRACE_ALLOC, 8u, 1u, 0x1000u, 0u); /* its caller section is missing */
    expect(&b, "t: byte 8: truncated record");
    start(&b, 8u, 0u);
    b.length += poolheap_trace_encode_map(b.data + b.length, 0x1000u, 0x10u, 0u, "/x", 2u);
    b.data[4] = 1u; /* version 1 had no maps */
    expect(&b, "t: byte 8: unknown op 8");
    start(&b, 8u, 0u);
    b.length += poolheap_trace_encode_map(b.data + b.length, 0x1000u, 0x10u, 0u, "/x", 2u);
    b.length--;
    expect(&b, "t: byte 8: truncated record");
    start(&b, 8u, 0u);
    b.data[b.length++] = POOLHEAP_TRACE_MAP;
    b.data[b.length++] = 1u;
    b.data[b.length++] = 1u;
    b.data[b.length++] = 0u;
    b.data[b.length++] = 0x81u; /* path length 4097 */
    b.data[b.length++] = 0x20u;
    expect(&b, "t: byte 8: path of 4097 bytes (at most 4096)");
    start(&b, 8u, POOLHEAP_TRACE_HAS_TIME);
    b.data[b.length++] = POOLHEAP_TRACE_MAP | POOLHEAP_TRACE_TIMESTAMP;
    expect(&b, "t: byte 8: timestamp flag on a MAP record");
}

static void a_missing_file_is_an_error(void) {
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_read("/nonexistent/x.trace", &trace, error, sizeof error), -1);
    CHECK(strcmp(error, "/nonexistent/x.trace: No such file or directory") == 0);
}

int main(void) {
    RUN(bad_headers_are_rejected_at_their_field);
    RUN(bad_records_are_rejected_at_their_offset);
    RUN(each_field_is_checked_at_its_limit);
    RUN(callers_become_interned_sites);
    RUN(bad_callers_and_maps_are_rejected);
    RUN(contradicting_records_are_rejected);
    RUN(every_truncation_is_an_error_or_a_record_boundary);
    RUN(after_dropped_records_the_gaps_are_tolerated);
    RUN(a_missing_file_is_an_error);
    return test_summary();
}
