/* Replaying a recorded heap trace through the allocator under test.
 *
 *   bench_replay_ALLOCATOR --trace FILE [--name NAME] [--layout BxC,...]
 *                          [--events N]
 *
 * Reads the trace (tools/trace/trace_reader.h) and replays its events in
 * order: allocations (calloc ones also zeroed, as calloc would), reallocs
 * and frees, writing the first byte of every new block as the program did.
 * Events that failed in the recorded run are skipped. The whole trace is
 * replayed as many times as it takes to reach `--events` events, each pass
 * from an empty heap (what a pass leaves live is freed untimed). poolheap
 * builds its heap from `--layout` (such as `poolheap tune` proposes); the
 * other allocators ignore it. Prints "replay allocator=A workload=NAME
 * events=N passes=P ns_per_event=T failures=F peak_live_bytes=B", B being
 * the most requested bytes live at once in the trace. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "bench_options.h"
#include "bench_timer.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

/* The most requested bytes live at once. */
static uint64_t replay_peak_live(const ph_trace_t *trace) {
    uint64_t live = 0u, peak = 0u;
    for (size_t i = 0; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        if (e->kind == PH_EVENT_ALLOC) {
            live += e->size;
        } else if (e->kind == PH_EVENT_REALLOC) {
            live = live - e->old_size + e->size;
        } else if (e->kind == PH_EVENT_FREE) {
            live -= e->size;
        }
        peak = live > peak ? live : peak;
    }
    return peak;
}

static void *replay_alloc(const ph_event_t *e) {
    if (e->op == POOLHEAP_TRACE_ALIGNED && e->align > 1u) {
        return bench_aligned(e->size, e->align);
    }
    unsigned char *block = bench_malloc(e->size);
    if (block != NULL && e->op == POOLHEAP_TRACE_CALLOC) {
        memset(block, 0, e->size);
    }
    return block;
}

/* One timed pass over the trace; returns its seconds and counts failures. */
static double replay_pass(const ph_trace_t *trace, unsigned char **objects, uint64_t *failures) {
    double begin = bench_seconds();
    for (size_t i = 0; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        unsigned char *block;
        switch (e->kind) {
        case PH_EVENT_ALLOC:
            block = replay_alloc(e);
            break;
        case PH_EVENT_REALLOC:
            block = bench_realloc(objects[e->object], e->size);
            break;
        case PH_EVENT_FREE:
            bench_free(objects[e->object]);
            objects[e->object] = NULL;
            continue;
        default:
            continue;
        }
        if (block == NULL) {
            *failures += 1u;
            continue;
        }
        if (e->size > 0u) {
            block[0] = 1u;
        }
        objects[e->object] = block;
    }
    double seconds = bench_seconds() - begin;
    for (uint32_t id = 0; id < trace->objects; id++) {
        bench_free(objects[id]);
        objects[id] = NULL;
    }
    return seconds;
}

int main(int argc, char **argv) {
    const char *path = bench_option(argc, argv, "--trace", NULL);
    const char *layout_text = bench_option(argc, argv, "--layout", "16x1");
    uint64_t min_events = bench_option_count(argc, argv, "--events", 1u);
    bench_layout_t layout;
    if (path == NULL || bench_layout_parse(&layout, layout_text) != 0) {
        fprintf(stderr, "usage: %s --trace FILE [--name NAME] [--layout BxC,...] [--events N]\n", argv[0]);
        return 2;
    }
    char error[256];
    ph_trace_t trace;
    if (ph_trace_read(path, &trace, error, sizeof error) != 0) {
        fprintf(stderr, "%s: %s\n", argv[0], error);
        return 1;
    }
    if (bench_alloc_init(&layout, 1u) != 0) {
        return 1;
    }
    bench_alloc_describe();
    unsigned char **objects = calloc(trace.objects + 1u, sizeof *objects);
    if (objects == NULL || trace.count == 0u) {
        fprintf(stderr, "%s: empty trace or out of memory\n", argv[0]);
        return 1;
    }
    uint64_t passes = (min_events + trace.count - 1u) / trace.count, failures = 0u;
    double seconds = 0.0;
    for (uint64_t pass = 0; pass < passes; pass++) {
        seconds += replay_pass(&trace, objects, &failures);
    }
    printf("replay allocator=%s workload=%s events=%zu passes=%llu ns_per_event=%.2f failures=%llu "
           "peak_live_bytes=%llu\n",
           BENCH_ALLOCATOR, bench_option(argc, argv, "--name", path), trace.count, (unsigned long long)passes,
           seconds * 1e9 / (double)(passes * trace.count), (unsigned long long)(failures / passes),
           (unsigned long long)replay_peak_live(&trace));
    free(objects);
    ph_trace_free(&trace);
    return 0;
}
