/* Writes a seeded random trace file (docs/trace-format.md) for the command
 * line tests of `poolheap tune`: write_trace FILE [SEED]. */
#include <stdio.h>
#include <stdlib.h>

#include "poolheap/trace.h"
#include "random_trace.h"

/* Every object gets its own address: blocks 64 bytes apart, and a moved
 * realloc a new one past all objects. */
static uint64_t address_of(uint32_t object, uint32_t objects, unsigned moves) {
    return 0x100000u + 64u * ((uint64_t)object + (uint64_t)objects * moves);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fputs("usage: write_trace FILE [SEED]\n", stderr);
        return 2;
    }
    uint64_t state = argc > 2 ? strtoull(argv[2], NULL, 0) : 1u;
    random_trace_spec_t spec = {.events = 20000u,
                                .max_size = 500u,
                                .max_live = 300u,
                                .realloc_percent = 10u,
                                .aligned_percent = 5u,
                                .max_align = 32u,
                                .pointer_size = sizeof(void *)};
    ph_trace_t trace = random_trace(&state, &spec);
    unsigned *moves = calloc(trace.objects, sizeof *moves);
    FILE *out = fopen(argv[1], "wb");
    if (out == NULL || moves == NULL) {
        perror(argv[1]);
        return 1;
    }
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    poolheap_trace_encode_header(record, 0u);
    fwrite(record, 1u, POOLHEAP_TRACE_HEADER_SIZE, out);
    for (size_t i = 0u; i < trace.count; i++) {
        const ph_event_t *e = &trace.events[i];
        uint64_t at = address_of(e->object, trace.objects, moves[e->object]);
        size_t length = 0u;
        if (e->kind == PH_EVENT_ALLOC) {
            unsigned op = e->align > 1u ? POOLHEAP_TRACE_ALIGNED : POOLHEAP_TRACE_ALLOC;
            length = poolheap_trace_encode(record, op, e->size, e->align, at, 0u, 0, 0u);
        } else if (e->kind == PH_EVENT_REALLOC) {
            uint64_t to = address_of(e->object, trace.objects, ++moves[e->object]);
            length = poolheap_trace_encode(record, POOLHEAP_TRACE_REALLOC, e->size, 0u, to, at, 0, 0u);
        } else {
            length = poolheap_trace_encode(record, POOLHEAP_TRACE_FREE, 0u, 0u, at, 0u, 0, 0u);
        }
        fwrite(record, 1u, length, out);
    }
    free(moves);
    random_trace_free(&trace);
    return fclose(out) == 0 ? 0 : 1;
}
