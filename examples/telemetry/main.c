/* The telemetry demo: a device registry answering a deterministic stream of
 * requests, with poolheap as the program's malloc (heap "main" of
 * heap.toml, generated at build time) and every heap operation recorded
 * into telemetry.trace. Prints the answers' checksum (the same on the board
 * and on the host) and the heap's statistics. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "poolheap/malloc.h"
#include "poolheap_heaps.h"
#include "registry.h"
#include "trace_output.h"

POOLHEAP_GLOBAL(heap_main);

#define MESSAGES 20000u
#define DEVICES 48u
#define LINE_SIZE 96u

static uint32_t next_random(uint32_t *state) {
    uint32_t x = *state; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

/* One request of the client mix: mostly readings, some queries, and devices
 * coming and going with names and tag lists of varying length. */
static void make_request(uint32_t *rng, char *line) {
    static const char *const tags[] = {"roof", "north", "cellar", "pump", "battery-backed", "critical", "lab"};
    unsigned device = next_random(rng) % DEVICES, roll = next_random(rng) % 100u;
    if (roll < 12u) {
        unsigned first = next_random(rng) % 7u, count = 1u + next_random(rng) % 4u;
        int n = snprintf(line, LINE_SIZE, "REG %u sensor-%u-%s ", device, device, tags[first]);
        for (unsigned i = 0; i < count && n < (int)LINE_SIZE; i++) {
            n += snprintf(line + n, LINE_SIZE - (size_t)n, "%s%s", i ? "," : "", tags[(first + i) % 7u]);
        }
    } else if (roll < 75u) {
        snprintf(line, LINE_SIZE, "PUT %u %d", device, (int)(next_random(rng) % 2000u) - 500);
    } else if (roll < 90u) {
        snprintf(line, LINE_SIZE, "GET %u", device);
    } else if (roll < 98u) {
        snprintf(line, LINE_SIZE, "DEL %u", device);
    } else {
        snprintf(line, LINE_SIZE, "SUM");
    }
}

static void print_heap(const poolheap_t *heap) {
    printf("\nheap %s: %u bytes in %u pools\n", heap->name, (unsigned)heap->size, (unsigned)heap->pool_count);
    printf("  %6s %9s %6s %9s %9s %5s\n", "block", "capacity", "peak", "in use", "fallback", "oom");
    poolheap_pool_stats_t p;
    for (unsigned i = 0; poolheap_pool_stats(heap, i, &p) == 0; i++) {
        printf("  %6u %9u %6u %9u %9u %5u\n", (unsigned)p.block, (unsigned)p.capacity, (unsigned)p.peak,
               (unsigned)p.in_use, (unsigned)p.fallbacks, (unsigned)p.oom);
    }
    poolheap_stats_t s;
    poolheap_stats(heap, &s);
    printf("  block bytes in use: %u of %u; failed allocations: %u; rejected frees: %u\n", (unsigned)s.bytes_in_use,
           (unsigned)s.size, (unsigned)s.failures, (unsigned)s.rejected);
}

/* telemetry [SEED]: SEED (a nonzero number) starts the request stream
 * elsewhere, as another run of the same firmware would (the tuning corpus,
 * scripts/tuning-corpus, records several). */
int main(int argc, char **argv) {
    int tracing = trace_output_start("telemetry.trace") == 0;
    registry_t registry = {0};
    uint32_t seed = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 0u;
    uint32_t rng = seed != 0u ? seed : 0x2545F491u, checksum = 0u;
    unsigned long replied = 0u;
    for (unsigned i = 0; i < MESSAGES; i++) {
        char *line = malloc(LINE_SIZE); /* a received message */
        if (line == NULL) {
            registry.failures++;
            continue;
        }
        make_request(&rng, line);
        text_t reply = {0};
        registry_handle(&registry, line, &reply);
        for (size_t c = 0; c < reply.length; c++) {
            checksum = checksum * 31u + (unsigned char)reply.data[c];
        }
        replied += reply.length;
        text_free(&reply);
        free(line);
    }
    registry_clear(&registry);
    if (tracing) {
        trace_output_stop();
    }
    printf("telemetry: %u requests, %lu bytes of answers, checksum %08x, %u refused for memory\n", MESSAGES, replied,
           (unsigned)checksum, registry.failures);
    printf("heap trace: %s\n", tracing ? "telemetry.trace" : "not recorded");
    print_heap(&heap_main);
    return poolheap_check(&heap_main) == 0 ? 0 : 1;
}
