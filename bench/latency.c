/* Latency of single operations: alloc and free of random sizes, each timed
 * on its own, in a steady state of about half of `--slots` blocks live.
 *
 *   bench_latency_ALLOCATOR [--ops N] [--slots N] [--seed N] [--ccdf FILE]
 *
 * Each step picks a random slot: a full slot is freed, an empty one gets a
 * block of a random size (bench_workload.h), whose first byte is written as
 * a program would. A warm-up of ops / 10 untimed steps comes first. Prints
 * one "latency" line per operation (bench_stats.h); --ccdf writes the tail
 * curves of alloc (gnuplot index 0) and free (index 1). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "bench_timer.h"
#include "bench_workload.h"

typedef struct latency_run {
    void **slots;
    size_t slot_count;
    uint64_t random;
    uint32_t *alloc_ticks, *free_ticks; /* NULL while warming up */
    size_t allocs, frees;
} latency_run_t;

/* One step; returns -1 if the allocator failed. */
static int latency_step(latency_run_t *run) {
    size_t i = (size_t)(bench_random(&run->random) % run->slot_count);
    if (run->slots[i] != NULL) {
        void *block = run->slots[i];
        uint64_t t0 = bench_tick_begin();
        bench_free(block);
        uint64_t t1 = bench_tick_end();
        run->slots[i] = NULL;
        if (run->free_ticks != NULL) {
            run->free_ticks[run->frees++] = (uint32_t)(t1 - t0);
        }
        return 0;
    }
    size_t size = bench_random_size(&run->random);
    uint64_t t0 = bench_tick_begin();
    unsigned char *block = bench_malloc(size);
    uint64_t t1 = bench_tick_end();
    if (block == NULL) {
        return -1;
    }
    block[0] = 1u;
    run->slots[i] = block;
    if (run->alloc_ticks != NULL) {
        run->alloc_ticks[run->allocs++] = (uint32_t)(t1 - t0);
    }
    return 0;
}

static int latency_report(latency_run_t *run, const char *ccdf_path) {
    uint32_t overhead = bench_timer_overhead();
    double ns_per_tick = bench_ns_per_tick();
    printf("# timer_overhead_ticks=%u ns_per_tick=%.4f\n", overhead, ns_per_tick);
    bench_latency_t alloc, release;
    bench_summarise(run->alloc_ticks, run->allocs, overhead, ns_per_tick, &alloc);
    bench_summarise(run->free_ticks, run->frees, overhead, ns_per_tick, &release);
    bench_print_latency(BENCH_ALLOCATOR, "alloc", run->allocs, &alloc);
    bench_print_latency(BENCH_ALLOCATOR, "free", run->frees, &release);
    if (ccdf_path == NULL) {
        return 0;
    }
    FILE *out = fopen(ccdf_path, "w");
    if (out == NULL) {
        perror(ccdf_path);
        return -1;
    }
    bench_write_ccdf(out, run->alloc_ticks, run->allocs, overhead, ns_per_tick);
    bench_write_ccdf(out, run->free_ticks, run->frees, overhead, ns_per_tick);
    return fclose(out) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    size_t ops = bench_option_count(argc, argv, "--ops", 5000000u);
    latency_run_t run = {.slot_count = bench_option_count(argc, argv, "--slots", 4096u),
                         .random = bench_option_count(argc, argv, "--seed", 42u)};
    bench_layout_t layout;
    bench_layout_default(&layout, (uint32_t)run.slot_count);
    if (bench_alloc_init(&layout) != 0) {
        return 1;
    }
    bench_alloc_describe();
    run.slots = calloc(run.slot_count, sizeof *run.slots);
    uint32_t *alloc_ticks = malloc(ops * sizeof *alloc_ticks);
    uint32_t *free_ticks = malloc(ops * sizeof *free_ticks);
    if (run.slots == NULL || alloc_ticks == NULL || free_ticks == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    /* Fault the sample pages in now rather than between measurements. */
    memset(alloc_ticks, 0xff, ops * sizeof *alloc_ticks);
    memset(free_ticks, 0xff, ops * sizeof *free_ticks);
    for (size_t step = 0; step < ops / 10u + run.slot_count; step++) {
        if (latency_step(&run) != 0) {
            fprintf(stderr, "%s: allocation failed while warming up\n", argv[0]);
            return 1;
        }
    }
    run.alloc_ticks = alloc_ticks;
    run.free_ticks = free_ticks;
    for (size_t step = 0; step < ops; step++) {
        if (latency_step(&run) != 0) {
            fprintf(stderr, "%s: allocation failed\n", argv[0]);
            return 1;
        }
    }
    for (size_t i = 0; i < run.slot_count; i++) {
        bench_free(run.slots[i]);
    }
    int status = latency_report(&run, bench_option(argc, argv, "--ccdf", NULL));
    free(alloc_ticks);
    free(free_ticks);
    free(run.slots);
    return status == 0 ? 0 : 1;
}
