/* What tracing into the RTT sink costs on Cortex-M, measured by
 * scripts/count-instructions (method: count_ops.c).
 *
 * The library is built with POOLHEAP_TRACE and traces into the RTT sink in
 * DROP mode; before each measured call the "host" has read everything (the
 * read offset is set to the write offset), so every record goes in. A
 * seeded random workload (1000 operations over 64 slots, sizes 4 to 298
 * bytes) measures poolheap_alloc and poolheap_free with their records, and
 * the sink's write of one 7-byte record (a typical ALLOC) is measured
 * alone. The same workload without tracing is count_ops's. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "count_workload.h"
#include "poolheap.h"
#include "poolheap/define.h"
#include "poolheap/trace.h"

#define RANDOM_OPERATIONS 1000u
#define RECORD_REPETITIONS 100u

POOLHEAP_DEFINE(trace_heap, COUNT_HEAP_SIZE, COUNT_POOLS);

volatile uint32_t marker_sink;
MARKER(mark_end, 0u)
MARKER(mark_trace_alloc, 1u)
MARKER(mark_trace_free, 2u)
MARKER(mark_rtt_record, 3u)

static poolheap_trace_rtt_t rtt;
static uint8_t channel_buffer[1024];

static void host_reads_all(void) {
    rtt.channel->read_offset = rtt.channel->write_offset;
}

int main(void) {
    printf("count_trace: seed 0x%08lx\n", (unsigned long)COUNT_SEED);
    if (poolheap_trace_rtt_start(&rtt, channel_buffer, sizeof channel_buffer, POOLHEAP_TRACE_RTT_DROP, NULL) != 0) {
        printf("count_trace: the RTT sink refused its buffer\n");
        return 1;
    }
    void *slot[SLOTS] = {0};
    uint32_t random_state = COUNT_SEED;
    for (unsigned i = 0; i < RANDOM_OPERATIONS; i++) {
        uint32_t r = next_random(&random_state);
        void **s = &slot[r % SLOTS];
        host_reads_all();
        if (*s == NULL) {
            mark_trace_alloc();
            *s = poolheap_alloc(&trace_heap, random_size(r));
            mark_end();
        } else {
            mark_trace_free();
            poolheap_free(&trace_heap, *s);
            mark_end();
            *s = NULL;
        }
    }
    static const uint8_t record[7] = {POOLHEAP_TRACE_ALLOC, 24u, 0x80, 0x81, 0x80, 0x80, 0x02};
    for (unsigned i = 0; i < RECORD_REPETITIONS; i++) {
        host_reads_all();
        mark_rtt_record();
        rtt.sink.write(rtt.sink.context, record, sizeof record);
        mark_end();
    }
    poolheap_trace_rtt_stop(&rtt);
    if (rtt.dropped != 0u) {
        printf("count_trace: %lu records dropped\n", (unsigned long)rtt.dropped);
        return 1;
    }
    return 0;
}
