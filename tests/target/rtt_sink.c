/* The RTT sink on the core, in QEMU: what an RTT reader would find in its
 * channel, with the test playing the reader (moving the read offset as the
 * host does through the debug port).
 *
 * - DROP mode, nobody reading: the channel fills with whole records, the
 *   rest are counted, and once the reader has caught up the next record is
 *   preceded by one DROPPED record with that count.
 * - BLOCK mode, SysTick as the reader (a few bytes per tick): the program
 *   waits whenever the channel is full and every record arrives, in order.
 * - attach: the channel added to an application's own control block, beside
 *   its log, and refused for a block without the id, a channel past its
 *   count, a bad size or mode.
 * - DROP mode with records from SysTick too, interrupting the program's own
 *   records at random points (its period drawn at random), the program
 *   reading now and then: every record arrives whole, and records read plus
 *   dropped counts add up to records written.
 *
 * Records are real ALLOC records (poolheap_trace_encode) whose size field
 * numbers them; this file parses them back itself. The seed of the periods
 * is printed (RTT_SEED). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "poolheap/trace.h"

#ifndef RTT_SEED
#define RTT_SEED 0x2545F491u
#endif

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_ON 0x7u /* enabled, interrupt, processor clock */

void SysTick_Handler(void);

static uint32_t rng = RTT_SEED;
static uint32_t next_random(void) {
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static poolheap_trace_rtt_t rtt;
static uint8_t channel_buffer[128];

/* ---- The reader: what the host does through the debug port --------------- */

static uint8_t captured[16384];
static volatile size_t captured_size;

/* Copies up to `max` unread bytes out of the channel and frees them. */
static void read_channel(size_t max) {
    poolheap_rtt_channel_t *c = rtt.channel;
    uint32_t read = c->read_offset, write = __atomic_load_n(&c->write_offset, __ATOMIC_ACQUIRE);
    size_t n = 0u;
    while (read != write && n < max && captured_size < sizeof captured) {
        captured[captured_size++] = c->buffer[read];
        read = read + 1u == c->size ? 0u : read + 1u;
        n++;
    }
    __atomic_store_n(&c->read_offset, read, __ATOMIC_RELEASE);
}

/* ---- Records ------------------------------------------------------------- */

static void emit(uint32_t number) {
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t n = poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, number, 0u, 0x20000000u + 8u * number, 0u, 0, 0u);
    rtt.sink.write(rtt.sink.context, record, n);
}

static int get_varint(const uint8_t *p, size_t size, size_t *at, uint64_t *value) {
    *value = 0u;
    for (unsigned shift = 0u; *at < size && shift < 64u; shift += 7u) {
        uint8_t b = p[(*at)++];
        *value |= (uint64_t)(b & 0x7Fu) << shift;
        if (!(b & 0x80u)) {
            return 0;
        }
    }
    return -1;
}

/* What the captured bytes hold, after the header: ALLOC records (numbers
 * seen, in `seen` if not NULL) and DROPPED records (counts summed). */
typedef struct parsed {
    uint32_t records, dropped, malformed;
    uint32_t last; /* the last record's number */
} parsed_t;

static parsed_t parse(const uint8_t *p, size_t size, uint8_t *seen, uint32_t seen_size) {
    parsed_t r = {0};
    size_t at = POOLHEAP_TRACE_HEADER_SIZE;
    if (size < at || memcmp(p, "PHTR", 4u) != 0) {
        r.malformed++;
        return r;
    }
    while (at < size) {
        uint8_t op = p[at++];
        uint64_t a, b;
        if (op == POOLHEAP_TRACE_DROPPED && get_varint(p, size, &at, &a) == 0) {
            r.dropped += (uint32_t)a;
        } else if (op == POOLHEAP_TRACE_ALLOC && get_varint(p, size, &at, &a) == 0 &&
                   get_varint(p, size, &at, &b) == 0 && b == 0x20000000u + 8u * a) {
            r.records++;
            r.last = (uint32_t)a;
            if (seen != NULL && a < seen_size) {
                seen[a]++;
            }
        } else {
            r.malformed++;
            return r;
        }
    }
    return r;
}

/* ---- Cases --------------------------------------------------------------- */

static void drop_mode_counts_whole_records(void) {
    captured_size = 0u;
    CHECK_EQ(poolheap_trace_rtt_start(&rtt, channel_buffer, sizeof channel_buffer, POOLHEAP_TRACE_RTT_DROP, NULL), 0);
    CHECK(memcmp(rtt.control.id, "SEGGER RTT", 11u) == 0);
    CHECK_EQ(rtt.control.up_count, 1);
    CHECK_EQ(rtt.control.down_count, 1);
    CHECK(rtt.control.down[0].buffer == NULL && rtt.control.down[0].size == 0u);
    CHECK(strcmp(rtt.control.up[0].name, "poolheap") == 0);
    for (uint32_t i = 1u; i <= 40u; i++) {
        emit(i); /* 7 bytes each: the header and 17 fit in 127 bytes */
    }
    CHECK_EQ(rtt.channel->write_offset, 8u + 17u * 7u);
    CHECK_EQ(rtt.dropped, 23u);
    read_channel(SIZE_MAX);
    parsed_t first = parse(captured, captured_size, NULL, 0u);
    CHECK_EQ(first.records, 17u);
    CHECK_EQ(first.dropped, 0u);
    CHECK_EQ(first.malformed, 0u);
    emit(41u);
    poolheap_trace_rtt_stop(&rtt);
    read_channel(SIZE_MAX);
    parsed_t all = parse(captured, captured_size, NULL, 0u);
    CHECK_EQ(all.records, 18u);
    CHECK_EQ(all.dropped, 23u);
    CHECK_EQ(all.last, 41u);
    CHECK_EQ(all.malformed, 0u);
}

/* What SysTick does in the current case. */
static volatile int tick_reads, tick_emits;
static volatile uint32_t tick_records;

void SysTick_Handler(void) {
    if (tick_reads) {
        read_channel(9u);
    }
    if (tick_emits) {
        emit(100000u + tick_records++);
        SYST_RVR = 200u + next_random() % 900u; /* the next interrupt lands somewhere else */
    }
}

static void systick_start(uint32_t period) {
    SYST_RVR = period;
    SYST_CVR = 0u;
    SYST_CSR = SYST_ON;
}

static void block_mode_waits_for_the_reader(void) {
    static uint8_t seen[600];
    memset(seen, 0, sizeof seen);
    captured_size = 0u;
    CHECK_EQ(poolheap_trace_rtt_start(&rtt, channel_buffer, sizeof channel_buffer, POOLHEAP_TRACE_RTT_BLOCK, NULL), 0);
    CHECK_EQ(rtt.channel->flags, 2u);
    tick_reads = 1;
    systick_start(2000u);
    for (uint32_t i = 1u; i < 600u; i++) {
        emit(i);
    }
    poolheap_trace_rtt_stop(&rtt);
    while (__atomic_load_n(&rtt.channel->read_offset, __ATOMIC_ACQUIRE) != rtt.channel->write_offset) {
    } /* SysTick reads the rest */
    SYST_CSR = 0u;
    tick_reads = 0;
    parsed_t all = parse(captured, captured_size, seen, 600u);
    CHECK_EQ(all.records, 599u);
    CHECK_EQ(all.dropped, 0u);
    CHECK_EQ(all.malformed, 0u);
    unsigned once = 0u;
    for (uint32_t i = 1u; i < 600u; i++) {
        once += seen[i] == 1u;
    }
    CHECK_EQ(once, 599u);
}

static void interrupts_never_tear_records(void) {
    captured_size = 0u;
    tick_records = 0u;
    CHECK_EQ(poolheap_trace_rtt_start(&rtt, channel_buffer, sizeof channel_buffer, POOLHEAP_TRACE_RTT_DROP, NULL), 0);
    tick_emits = 1;
    systick_start(500u);
    uint32_t written = 0u;
    while (tick_records < 1500u && written < 20000u && captured_size + 256u < sizeof captured) {
        emit(++written);
        if (next_random() % 8u == 0u) {
            read_channel(SIZE_MAX);
        }
    }
    SYST_CSR = 0u;
    tick_emits = 0;
    poolheap_trace_rtt_stop(&rtt);
    read_channel(SIZE_MAX);
    parsed_t all = parse(captured, captured_size, NULL, 0u);
    TEST_PRINTF("rtt_sink: %lu records from the program, %lu from SysTick: %lu read, %lu dropped\n",
                (unsigned long)written, (unsigned long)tick_records, (unsigned long)all.records,
                (unsigned long)all.dropped);
    CHECK_EQ(all.malformed, 0u);
    CHECK_EQ(all.records + all.dropped + rtt.dropped, written + tick_records);
    CHECK(all.records > 100u);
    CHECK(tick_records > 100u);
}

/* An application's own control block, as SEGGER's RTT code lays it out:
 * three up channels (its log on 0), one down channel. */
static struct {
    char id[16];
    int32_t up_count, down_count;
    poolheap_rtt_channel_t up[3], down[1];
} application_block = {.up_count = 3, .down_count = 1};

static void attach_beside_the_application_log(void) {
    static uint8_t log_buffer[64];
    application_block.up[0] = (poolheap_rtt_channel_t){.name = "Terminal", .buffer = log_buffer, .size = 64u};
    poolheap_trace_rtt_t attached;
    /* No id yet: refused, and nothing changed. */
    CHECK_EQ(poolheap_trace_rtt_attach(&attached, &application_block, 1u, channel_buffer, sizeof channel_buffer,
                                       POOLHEAP_TRACE_RTT_DROP, NULL),
             -1);
    memcpy(application_block.id, "SEGGER RTT", 11u);
    CHECK_EQ(poolheap_trace_rtt_attach(&attached, &application_block, 3u, channel_buffer, sizeof channel_buffer,
                                       POOLHEAP_TRACE_RTT_DROP, NULL),
             -1); /* channel 3 of 3 */
    CHECK_EQ(poolheap_trace_rtt_attach(&attached, &application_block, 1u, channel_buffer, 64u, POOLHEAP_TRACE_RTT_DROP,
                                       NULL),
             -1); /* below 128 bytes */
    CHECK_EQ(
        poolheap_trace_rtt_attach(&attached, &application_block, 1u, channel_buffer, sizeof channel_buffer, 3u, NULL),
        -1); /* no such mode */
    CHECK(application_block.up[1].name == NULL);
    CHECK_EQ(poolheap_trace_rtt_attach(&attached, &application_block, 2u, channel_buffer, sizeof channel_buffer,
                                       POOLHEAP_TRACE_RTT_DROP, NULL),
             0);
    poolheap_rtt_channel_t *c = &application_block.up[2];
    CHECK(strcmp(c->name, "poolheap") == 0 && c->buffer == channel_buffer && c->size == sizeof channel_buffer);
    CHECK(strcmp(application_block.up[0].name, "Terminal") == 0 && application_block.up[0].buffer == log_buffer);
    CHECK_EQ(c->write_offset, POOLHEAP_TRACE_HEADER_SIZE); /* the header is in */
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t n = poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, 5u, 0u, 0x20000028u, 0u, 0, 0u);
    attached.sink.write(attached.sink.context, record, n);
    poolheap_trace_rtt_stop(&attached);
    CHECK_EQ(c->write_offset, POOLHEAP_TRACE_HEADER_SIZE + n);
    CHECK(memcmp(c->buffer, "PHTR", 4u) == 0 && memcmp(c->buffer + POOLHEAP_TRACE_HEADER_SIZE, record, n) == 0);
}

int main(void) {
    TEST_PRINTF("rtt_sink: seed 0x%08lx (RTT_SEED)\n", (unsigned long)RTT_SEED);
    RUN(drop_mode_counts_whole_records);
    RUN(block_mode_waits_for_the_reader);
    RUN(interrupts_never_tear_records);
    RUN(attach_beside_the_application_log);
    return test_summary();
}
