/* The ITM stream decoder (tools/trace/itm_stream.h): streams built here by
 * an encoder written from the ARMv7-M Architecture Reference Manual,
 * appendix D4 (not from the ITM sink), carrying a trace framed as
 * docs/trace-format.md ("Over ITM") says, between packets the decoder must
 * skip: other stimulus ports with 1-, 2- and 4-byte payloads, synchronisation
 * packets, local timestamps of both formats, global timestamps of both
 * formats, extension packets, hardware-source (DWT) packets, and stimulus
 * packets of other port pages (ARMv8-M). Overflow packets and reserved
 * headers with lost bytes around them must become
 * DROPPED records with the exact count, never a misread record. A capture
 * of the library built with POOLHEAP_TRACE_CALLER that misses the trace
 * header must read as the whole capture does, callers included; records
 * that disagree with the header about callers fail at their offset.
 *
 *   test_itm_decode [SEED]    (the seed of the packets mixed in; printed) */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

#define PORT 5u
#define RECORDS 400u

static uint32_t seed = 0x1F2E3D4Cu, rng;

static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

/* ---- A byte buffer -------------------------------------------------------- */

typedef struct bytes {
    uint8_t *data;
    size_t size, capacity;
} bytes_t;

static void put(bytes_t *b, uint8_t byte) {
    if (b->size == b->capacity) {
        b->capacity = 2u * b->capacity + 256u;
        b->data = realloc(b->data, b->capacity);
        if (b->data == NULL) {
            abort();
        }
    }
    b->data[b->size++] = byte;
}

static void put_all(bytes_t *b, const uint8_t *data, size_t n) {
    for (size_t i = 0u; i < n; i++) {
        put(b, data[i]);
    }
}

/* ---- ITM packets, from ARMv7-M ARM D4.2 ----------------------------------- */

/* Source packet: header bits 7:3 the port (or the DWT discriminator), bit 2
 * 0 for software (ITM stimulus) and 1 for hardware (DWT), bits 1:0 the
 * payload size (1: 1 byte, 2: 2 bytes, 3: 4 bytes); payload little-endian. */
static void source_packet(bytes_t *b, unsigned id, int hardware, uint32_t value, unsigned size) {
    put(b, (uint8_t)(id << 3 | (hardware ? 4u : 0u) | (size == 4u ? 3u : size)));
    for (unsigned i = 0u; i < size; i++) {
        put(b, (uint8_t)(value >> (8u * i)));
    }
}

/* Synchronisation: at least 47 zero bits, then a one. */
static void sync_packet(bytes_t *b) {
    for (int i = 0; i < 5; i++) {
        put(b, 0x00u);
    }
    put(b, 0x80u);
}

static void overflow_packet(bytes_t *b) {
    put(b, 0x70u);
}

/* `value` in 7-bit groups, bit 7 set on every byte but the last, at most `max` bytes. */
static void continued(bytes_t *b, uint64_t value, unsigned max) {
    for (unsigned i = 1u; i < max && value > 0x7Fu; i++) {
        put(b, (uint8_t)(0x80u | (value & 0x7Fu)));
        value >>= 7;
    }
    put(b, (uint8_t)(value & 0x7Fu));
}

/* Local timestamp, format 1: 0b11TC0000 then 1 to 4 bytes. */
static void local_timestamp_1(bytes_t *b, unsigned tc, uint32_t delta) {
    put(b, (uint8_t)(0xC0u | (tc & 3u) << 4));
    continued(b, delta & 0x0FFFFFFFu, 4u);
}

/* Local timestamp, format 2: 0b0TS0000, TS 1 to 6, no payload. */
static void local_timestamp_2(bytes_t *b, unsigned ts) {
    put(b, (uint8_t)(ts << 4));
}

/* Global timestamps: 0x94 then up to 4 bytes (GTS1); 0xB4 then 4 or 6 (GTS2). */
static void global_timestamp(bytes_t *b, int second, uint64_t value) {
    put(b, second ? 0xB4u : 0x94u);
    continued(b, value, second ? 6u : 4u);
}

/* Extension: C EX[2:0] 1 SH 00, then more bytes while C is set. SH 1 here
 * (SH 0 with one byte is the stimulus port page: page_packet). */
static void extension_packet(bytes_t *b, uint32_t value) {
    int more = value > 7u;
    put(b, (uint8_t)((more ? 0x80u : 0u) | (value & 7u) << 4 | 0x08u | 0x04u));
    if (more) {
        continued(b, value >> 3, 4u);
    }
}

/* Stimulus port page (ARMv8-M): an extension packet with SH 0 and EX the
 * page; later stimulus packets are on ports 32 * page + (header bits 7:3). */
static void page_packet(bytes_t *b, unsigned page) {
    put(b, (uint8_t)((page & 7u) << 4 | 0x08u));
}

/* One packet the decoder must skip, chosen at random. */
static void noise(bytes_t *b) {
    uint32_t r = next_random();
    unsigned sizes[3] = {1u, 2u, 4u};
    switch (r % 9u) {
    case 0:
        source_packet(b, (PORT + 1u + (r >> 8) % 31u) % 32u, 0, r >> 4, sizes[(r >> 16) % 3u]);
        break;
    case 1:
        source_packet(b, 0u, 0, 'h', 1u);
        break; /* printf on port 0 */
    case 2:
        source_packet(b, 1u + (r >> 8) % 23u, 1, r, sizes[(r >> 16) % 3u]);
        break; /* DWT */
    case 3:
        source_packet(b, PORT, 1, r, 4u);
        break; /* DWT with the trace's number: hardware, not ours */
    case 4:
        sync_packet(b);
        break;
    case 5:
        local_timestamp_1(b, (r >> 4) & 3u, r >> 8);
        break;
    case 6:
        local_timestamp_2(b, 1u + (r >> 4) % 6u);
        break;
    case 7:
        global_timestamp(b, (r >> 4) & 1u, (uint64_t)r << 8);
        break;
    default:
        extension_packet(b, r >> 12);
        break;
    }
}

static void some_noise(bytes_t *b) {
    for (uint32_t n = next_random() % 3u; n > 0u; n--) {
        noise(b);
    }
}

/* ---- The trace, and its framing over ITM (docs/trace-format.md) ------------ */

typedef struct record {
    uint8_t bytes[POOLHEAP_TRACE_RECORD_MAX];
    size_t length;
} record_t;

/* Record 0 the header, then allocations and frees of a valid trace. */
static record_t records[RECORDS];

static void make_records(void) {
    poolheap_trace_encode_header(records[0].bytes, 0u);
    records[0].length = POOLHEAP_TRACE_HEADER_SIZE;
    uint64_t live[8] = {0};
    for (unsigned i = 1u; i < RECORDS; i++) {
        uint64_t *slot = &live[next_random() % 8u];
        uint64_t address = 0x20000000u + 0x100u * (uint64_t)(slot - live);
        if (*slot == 0u) {
            records[i].length = poolheap_trace_encode(records[i].bytes, POOLHEAP_TRACE_ALLOC, 1u + next_random() % 200u,
                                                      0u, address, 0u, 0, 0u);
            *slot = address;
        } else {
            records[i].length =
                poolheap_trace_encode(records[i].bytes, POOLHEAP_TRACE_FREE, 0u, 0u, address, 0u, 0, 0u);
            *slot = 0u;
        }
    }
}

#define NO_LOSS SIZE_MAX

/* A record framed: a 4-byte packet (length, sequence number low and high
 * byte, first byte), then its other bytes in 1-byte packets (or 2-byte ones,
 * which the format allows), with noise between any two packets. Byte
 * `lost` of the record (0: the 4-byte packet) is left out, unless it is
 * NO_LOSS. */
static void frame_bytes(bytes_t *b, const uint8_t *bytes, size_t length, uint32_t sequence, int pairs, size_t lost) {
    sequence &= 0xFFFFu;
    if (lost != 0u) {
        source_packet(b, PORT, 0, (uint32_t)length | sequence << 8 | (uint32_t)bytes[0] << 24, 4u);
    }
    for (size_t at = 1u; at < length;) {
        some_noise(b);
        if (pairs && at + 1u < length && at != lost && at + 1u != lost) {
            source_packet(b, PORT, 0, bytes[at] | (uint32_t)bytes[at + 1u] << 8, 2u);
            at += 2u;
        } else {
            if (at != lost) {
                source_packet(b, PORT, 0, bytes[at], 1u);
            }
            at++;
        }
    }
    some_noise(b);
}

/* Record i of records[], framed. */
static void framed(bytes_t *b, unsigned i, int pairs, size_t lost) {
    frame_bytes(b, records[i].bytes, records[i].length, i, pairs, lost);
}

static void append_dropped(bytes_t *expected, uint64_t count) {
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    put_all(expected, record, poolheap_trace_encode(record, POOLHEAP_TRACE_DROPPED, count, 0u, 0u, 0u, 0, 0u));
}

/* Extracts port PORT of `stream` and checks the result is `expected`, byte
 * for byte, and a valid trace. */
static void check_extract(const bytes_t *stream, const bytes_t *expected, uint64_t lost, ph_itm_stats_t *stats) {
    size_t size = 0u;
    uint8_t *out = ph_itm_extract(stream->data, stream->size, PORT, &size, stats);
    CHECK(out != NULL);
    CHECK_EQ(size, expected->size);
    CHECK(out != NULL && size == expected->size && memcmp(out, expected->data, size) == 0);
    CHECK_EQ(stats->lost, lost);
    ph_trace_t trace;
    char error[256];
    int result = ph_trace_decode(out, size, "itm", &trace, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result == 0) {
        CHECK_EQ(trace.dropped, lost);
        ph_trace_free(&trace);
    } else {
        printf("%s\n", error);
    }
    free(out);
}

/* ---- Cases ----------------------------------------------------------------- */

static void whole_trace_among_every_kind_of_packet(void) {
    for (int pairs = 0; pairs <= 1; pairs++) {
        bytes_t stream = {0}, expected = {0};
        sync_packet(&stream);
        for (unsigned i = 0u; i < RECORDS; i++) {
            framed(&stream, i, pairs, NO_LOSS);
            put_all(&expected, records[i].bytes, records[i].length);
        }
        ph_itm_stats_t stats;
        check_extract(&stream, &expected, 0u, &stats);
        CHECK_EQ(stats.records, RECORDS);
        CHECK_EQ(stats.overflows, 0u);
        CHECK_EQ(stats.errors, 0u);
        CHECK(!stats.header_missing);
        CHECK(stats.other > 0u);
        free(stream.data);
        free(expected.data);
    }
}

/* Bytes lost inside records and whole records lost, each with an overflow
 * packet: the records around come out whole, a DROPPED record with the
 * exact count stands in the gap. */
static void overflows_become_counted_gaps(void) {
    bytes_t stream = {0}, expected = {0};
    uint64_t lost = 0u;
    for (unsigned i = 0u; i < RECORDS; i++) {
        unsigned kind = i < 2u ? 0u : next_random() % 10u;
        if (kind == 1u && records[i].length > 2u) { /* one byte of this record lost */
            framed(&stream, i, 0, 1u + next_random() % (records[i].length - 1u));
            overflow_packet(&stream);
            lost++;
        } else if (kind == 2u) { /* the whole record lost */
            overflow_packet(&stream);
            lost++;
        } else if (kind == 4u && i + 1u < RECORDS) { /* the end of this record and the start of the next lost */
            framed(&stream, i, 0, records[i].length - 1u);
            overflow_packet(&stream);
            framed(&stream, i + 1u, 0, 0u);
            lost += 2u;
            i++;
        } else if (kind == 3u) { /* an overflow between records: nothing of ours lost */
            framed(&stream, i, 0, NO_LOSS);
            overflow_packet(&stream);
            if (lost != 0u) {
                append_dropped(&expected, lost);
                lost = 0u;
            }
            put_all(&expected, records[i].bytes, records[i].length);
        } else {
            framed(&stream, i, 0, NO_LOSS);
            if (lost != 0u) {
                append_dropped(&expected, lost);
                lost = 0u;
            }
            put_all(&expected, records[i].bytes, records[i].length);
        }
    }
    /* The count at the end: lost records not followed by one that arrived
     * cannot be known, so the expected trace simply ends. */
    ph_itm_stats_t stats;
    size_t size = 0u;
    uint8_t *out = ph_itm_extract(stream.data, stream.size, PORT, &size, &stats);
    CHECK(out != NULL && size == expected.size && memcmp(out, expected.data, size) == 0);
    CHECK(stats.overflows > 0u);
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_decode(out, size, "itm", &trace, error, sizeof error), 0);
    ph_trace_free(&trace);
    free(out);
    free(stream.data);
    free(expected.data);
}

/* A reserved header in the middle of a record (a line error): that record
 * is lost, counted, and the next one is read whole. */
static void reserved_header_loses_one_record(void) {
    bytes_t stream = {0}, expected = {0};
    for (unsigned i = 0u; i < 6u; i++) {
        if (i == 3u) {
            source_packet(&stream, PORT, 0, (uint32_t)records[i].length | i << 8 | (uint32_t)records[i].bytes[0] << 24,
                          4u);
            put(&stream, 0x04u); /* bits 1:0 00, bit 2 1, bit 3 0, not 0x94 or 0xB4: reserved */
            continue;
        }
        framed(&stream, i, 0, NO_LOSS);
        if (i == 4u) {
            append_dropped(&expected, 1u);
        }
        put_all(&expected, records[i].bytes, records[i].length);
    }
    ph_itm_stats_t stats;
    check_extract(&stream, &expected, 1u, &stats);
    CHECK_EQ(stats.errors, 1u);
    free(stream.data);
    free(expected.data);
}

/* Capture started late: a header is made up and the records before the
 * first one seen are counted lost; a second trace header ends the trace. */
static void late_start_and_second_trace(void) {
    bytes_t stream = {0}, expected = {0};
    const uint8_t header[POOLHEAP_TRACE_HEADER_SIZE] = {
        'P', 'H', 'T', 'R', POOLHEAP_TRACE_VERSION, 4u, POOLHEAP_TRACE_HAS_TIME, 0u};
    put_all(&expected, header, sizeof header);
    append_dropped(&expected, 9u);
    for (unsigned i = 10u; i < 20u; i++) {
        framed(&stream, i, 0, NO_LOSS);
        put_all(&expected, records[i].bytes, records[i].length);
    }
    framed(&stream, 0u, 0, NO_LOSS); /* a new trace starts */
    framed(&stream, 1u, 0, NO_LOSS);
    ph_itm_stats_t stats;
    check_extract(&stream, &expected, 9u, &stats);
    CHECK(stats.header_missing);
    CHECK(stats.second_trace);
    free(stream.data);
    free(expected.data);
}

/* A packet cut off by the end of the capture, and a record whose last
 * bytes never came: the trace ends at the last whole record. */
static void cut_off_at_the_end(void) {
    bytes_t stream = {0}, expected = {0};
    for (unsigned i = 0u; i < 4u; i++) {
        framed(&stream, i, 0, NO_LOSS);
        put_all(&expected, records[i].bytes, records[i].length);
    }
    source_packet(&stream, PORT, 0, (uint32_t)records[4].length | 4u << 8 | (uint32_t)records[4].bytes[0] << 24, 4u);
    put(&stream, (uint8_t)(PORT << 3 | 3u)); /* a 4-byte packet's header... */
    put(&stream, 0x11u);                     /* ...and one of its bytes */
    ph_itm_stats_t stats;
    check_extract(&stream, &expected, 0u, &stats);
    free(stream.data);
    free(expected.data);
}

/* Writes data[0 .. size - 1] to `path`; 0, or -1 (checked) if it cannot. */
static int write_capture(const char *path, const uint8_t *data, size_t size) {
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f == NULL) {
        return -1;
    }
    fwrite(data, 1u, size, f);
    fclose(f);
    return 0;
}

/* The wrong port: no records, and the reader says so. */
static void wrong_port_is_an_error(void) {
    bytes_t stream = {0};
    for (unsigned i = 0u; i < 10u; i++) {
        framed(&stream, i, 0, NO_LOSS);
    }
    char path[] = "itm_wrong_port.bin";
    if (write_capture(path, stream.data, stream.size) != 0) {
        free(stream.data);
        return;
    }
    ph_trace_t trace;
    ph_itm_stats_t stats;
    char error[256];
    CHECK_EQ(ph_trace_read_itm(path, PORT + 1u, &trace, &stats, error, sizeof error), -1);
    CHECK(strstr(error, "no trace records on ITM port 6") != NULL);
    CHECK_EQ(ph_trace_read_itm(path, PORT, &trace, &stats, error, sizeof error), 0);
    CHECK_EQ(trace.count, 9u);
    ph_trace_free(&trace);
    remove(path);
    free(stream.data);
}

/* Inputs that only look like packets: every byte value as a header, long
 * continuation runs, 4 MiB of bytes with no structure. Any input decodes
 * (linearly: one pass, each byte examined once). */
static void any_bytes_decode(void) {
    bytes_t stream = {0};
    for (unsigned i = 0u; i < 256u; i++) {
        put(&stream, (uint8_t)i);
    }
    for (unsigned i = 0u; i < 1000u; i++) {
        put(&stream, 0xC0u);
        put(&stream, 0xFFu);
    }
    for (size_t i = 0u; i < (4u << 20); i++) {
        put(&stream, (uint8_t)next_random());
    }
    ph_itm_stats_t stats;
    size_t size = 0u;
    uint8_t *out = ph_itm_extract(stream.data, stream.size, PORT, &size, &stats);
    CHECK(out != NULL && size >= POOLHEAP_TRACE_HEADER_SIZE && memcmp(out, "PHTR", 4u) == 0);
    free(out);
    free(stream.data);
}

/* Packets on port 32 + PORT (page 1) look like the trace's on page 0:
 * skipped, however they would read. */
static void other_pages_are_other_ports(void) {
    bytes_t stream = {0}, expected = {0};
    for (unsigned i = 0u; i < 20u; i++) {
        framed(&stream, i, 0, NO_LOSS);
        put_all(&expected, records[i].bytes, records[i].length);
        page_packet(&stream, 1u + i % 7u);
        source_packet(&stream, PORT, 0, 0x01FF0002u | i << 8, 4u); /* a 2-byte record, on another port */
        source_packet(&stream, PORT, 0, 0xAB, 1u);
        page_packet(&stream, 0u);
    }
    ph_itm_stats_t stats;
    check_extract(&stream, &expected, 0u, &stats);
    free(stream.data);
    free(expected.data);
}

/* ---- A firmware built with POOLHEAP_TRACE_CALLER, captured over ITM ------- */

#define FIRMWARE_RECORDS 16u
#define CAPTURE_PATH "itm_callers.bin"

/* What an SWO capture of the firmware holds: every record framed as the
 * ITM sink frames it, with other sources' packets between; at[s] is where
 * record s (the header: 0) starts in the stream. */
typedef struct capture {
    bytes_t stream;
    size_t at[FIRMWARE_RECORDS];
    uint32_t sequence;
    uint64_t cycles;
} capture_t;

static void itm_sink_write(void *context, const uint8_t *bytes, size_t length) {
    capture_t *c = context;
    if (c->sequence < FIRMWARE_RECORDS) {
        c->at[c->sequence] = c->stream.size;
    }
    frame_bytes(&c->stream, bytes, length, c->sequence++, 0, NO_LOSS);
}

static uint64_t cycle_counter(void *context) {
    capture_t *c = context;
    return c->cycles += 37u;
}

/* A Cortex-M address: SRAM for blocks, flash (Thumb bit set) for callers. */
static const void *cortex_m(uint32_t address) {
    return (const void *)(uintptr_t)address;
}

/* The library's own emission (poolheap_trace_event, this test's library
 * built with POOLHEAP_TRACE_CALLER) through the capturing sink: records 1
 * to 5 make and end two objects; records 6 to 13 are every other kind of
 * allocation record (aligned, calloc, a failure, an in-place realloc, a
 * fallback), and the frees. */
static void run_firmware(capture_t *c) {
    poolheap_trace_sink_t sink = {itm_sink_write, cycle_counter, c, NULL};
    poolheap_trace_start(&sink);
    poolheap_trace_event(NULL, POOLHEAP_TRACE_ALLOC, 24u, 1u, cortex_m(0x20000100u), NULL, cortex_m(0x08000411u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_ALLOC, 100u, 1u, cortex_m(0x20000200u), NULL, cortex_m(0x08000421u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FREE, 0u, 0u, cortex_m(0x20000100u), NULL, NULL);
    poolheap_trace_event(NULL, POOLHEAP_TRACE_REALLOC, 150u, 1u, cortex_m(0x20000300u), cortex_m(0x20000200u),
                         cortex_m(0x08000431u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FREE, 0u, 0u, cortex_m(0x20000300u), NULL, NULL);
    poolheap_trace_event(NULL, POOLHEAP_TRACE_ALIGNED, 40u, 32u, cortex_m(0x20000400u), NULL, cortex_m(0x08000441u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_CALLOC, 64u, 1u, cortex_m(0x20000500u), NULL, cortex_m(0x08000451u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FAIL, 5000u, 1u, NULL, cortex_m(POOLHEAP_TRACE_ALLOC),
                         cortex_m(0x08000461u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_REALLOC, 60u, 1u, cortex_m(0x20000500u), cortex_m(0x20000500u),
                         cortex_m(0x08000471u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FREE, 0u, 0u, cortex_m(0x20000400u), NULL, NULL);
    poolheap_trace_event(NULL, POOLHEAP_TRACE_ALLOC | POOLHEAP_TRACE_FALLBACK, 8u, 1u, cortex_m(0x20000600u), NULL,
                         cortex_m(0x08000481u));
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FREE, 0u, 0u, cortex_m(0x20000500u), NULL, NULL);
    poolheap_trace_event(NULL, POOLHEAP_TRACE_FREE, 0u, 0u, cortex_m(0x20000600u), NULL, NULL);
    poolheap_trace_start(NULL);
}

/* The caller frames of event e of `t` (count in *n). */
static const uint64_t *frames_of(const ph_trace_t *t, size_t e, uint32_t *n) {
    uint32_t site = t->events[e].site;
    *n = site == PH_NO_SITE ? 0u : t->site_start[site + 1u] - t->site_start[site];
    return site == PH_NO_SITE ? NULL : t->site_frames + t->site_start[site];
}

/* Event a of `x` and event b of `y` say the same, callers included (object
 * ids aside: they number from each trace's start). */
static int same_event(const ph_trace_t *x, size_t a, const ph_trace_t *y, size_t b) {
    const ph_event_t *e = &x->events[a], *f = &y->events[b];
    uint32_t n, m;
    const uint64_t *p = frames_of(x, a, &n), *q = frames_of(y, b, &m);
    return e->kind == f->kind && e->op == f->op && e->fallback == f->fallback && e->size == f->size &&
           e->old_size == f->old_size && e->align == f->align && e->time == f->time && n == m &&
           (n == 0u || memcmp(p, q, n * sizeof *p) == 0);
}

/* The capture began at record 6, after the header: the made-up header must
 * have HAS_CALLERS (the records are longer than their fields), and the
 * trace read from it must be the whole capture's from record 6 on, every
 * caller in place; without it, each caller section would be read as
 * records. */
static void a_late_capture_of_a_firmware_with_callers_reads_right(void) {
    capture_t c = {0};
    run_firmware(&c);
    CHECK_EQ(c.sequence, 14u);
    ph_trace_t whole, late;
    ph_itm_stats_t stats;
    char error[512];
    CHECK(write_capture(CAPTURE_PATH, c.stream.data, c.stream.size) == 0);
    CHECK_EQ(ph_trace_read_itm(CAPTURE_PATH, PORT, &whole, &stats, error, sizeof error), 0);
    CHECK(!stats.header_missing && !stats.callers_inferred);
    CHECK(write_capture(CAPTURE_PATH, c.stream.data + c.at[6], c.stream.size - c.at[6]) == 0);
    int result = ph_trace_read_itm(CAPTURE_PATH, PORT, &late, &stats, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result != 0) {
        printf("  %s\n", error);
        ph_trace_free(&whole);
        free(c.stream.data);
        return;
    }
    CHECK(stats.header_missing && stats.callers_inferred);
    CHECK_EQ(late.dropped, 5u);
    CHECK_EQ(whole.count, 13u); /* an event per record */
    CHECK_EQ(late.count, whole.count - 5u);
    for (size_t e = 0u; e < late.count && e + 5u < whole.count; e++) {
        CHECK(same_event(&late, e, &whole, e + 5u));
    }
    uint32_t n = 0u;
    const uint64_t *first = frames_of(&late, 0u, &n);
    CHECK(n == 1u && first[0] == 0x08000441u);
    ph_trace_free(&whole);
    ph_trace_free(&late);
    free(c.stream.data);
    remove(CAPTURE_PATH);
}

/* Records that disagree with the header about caller sections: the read
 * fails at the capture offset of the first such record, never misreads. */
static void records_disagreeing_about_callers_fail_at_their_offset(void) {
    capture_t c = {0};
    run_firmware(&c);
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t length = poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, 16u, 1u, 0x20000700u, 0u, 0, 0u);
    size_t without_at = c.stream.size;
    frame_bytes(&c.stream, record, length, 14u, 0, NO_LOSS); /* an allocation without its caller */
    ph_trace_t trace;
    ph_itm_stats_t stats;
    char error[512], expected[512];
    CHECK(write_capture(CAPTURE_PATH, c.stream.data + c.at[6], c.stream.size - c.at[6]) == 0);
    CHECK_EQ(ph_trace_read_itm(CAPTURE_PATH, PORT, &trace, &stats, error, sizeof error), -1);
    snprintf(expected, sizeof expected,
             CAPTURE_PATH ": byte %zu: ITM port %u: a record framed as %zu bytes, but its fields run past them (with "
                          "caller frames, as the capture's first allocation record said: it began after the trace "
                          "header)",
             without_at - c.at[6], PORT, length);
    CHECK(strcmp(error, expected) == 0);
    if (strcmp(error, expected) != 0) {
        printf("  got      %s\n  expected %s\n", error, expected);
    }

    /* A trace header without HAS_CALLERS, then an allocation with a caller. */
    bytes_t stream = {0};
    uint8_t header[POOLHEAP_TRACE_HEADER_SIZE];
    poolheap_trace_encode_header(header, 0u);
    frame_bytes(&stream, header, sizeof header, 0u, 0, NO_LOSS);
    frame_bytes(&stream, record, length, 1u, 0, NO_LOSS);
    size_t with_at = stream.size;
    uint64_t caller = 0x08000491u;
    size_t longer = length + poolheap_trace_encode_frames(record + length, &caller, 1u);
    frame_bytes(&stream, record, longer, 2u, 0, NO_LOSS);
    CHECK(write_capture(CAPTURE_PATH, stream.data, stream.size) == 0);
    CHECK_EQ(ph_trace_read_itm(CAPTURE_PATH, PORT, &trace, &stats, error, sizeof error), -1);
    snprintf(expected, sizeof expected,
             CAPTURE_PATH ": byte %zu: ITM port %u: a record framed as %zu bytes, but its fields take %zu (without "
                          "caller frames, as the trace header says)",
             with_at, PORT, longer, length);
    CHECK(strcmp(error, expected) == 0);
    if (strcmp(error, expected) != 0) {
        printf("  got      %s\n  expected %s\n", error, expected);
    }
    free(stream.data);
    free(c.stream.data);
    remove(CAPTURE_PATH);
}

int main(int argc, char **argv) {
    if (argc > 1) {
        seed = (uint32_t)strtoul(argv[1], NULL, 0);
    }
    printf("test_itm_decode: seed 0x%08lx\n", (unsigned long)seed);
    rng = seed != 0u ? seed : 1u;
    make_records();
    RUN(whole_trace_among_every_kind_of_packet);
    RUN(overflows_become_counted_gaps);
    RUN(reserved_header_loses_one_record);
    RUN(late_start_and_second_trace);
    RUN(cut_off_at_the_end);
    RUN(wrong_port_is_an_error);
    RUN(other_pages_are_other_ports);
    RUN(any_bytes_decode);
    RUN(a_late_capture_of_a_firmware_with_callers_reads_right);
    RUN(records_disagreeing_about_callers_fail_at_their_offset);
    return test_summary();
}
