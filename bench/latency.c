/* Latency of single operations: alloc and free of random sizes, each timed
 * on its own, in a steady state of about half of `--slots` blocks live.
 *
 *   bench_latency_ALLOCATOR [--ops N] [--slots N] [--seed N] [--ccdf FILE]
 *                           [--drain 1]
 *
 * Each step picks a random slot: a full slot is freed, an empty one gets a
 * block of a random size (bench_workload.h), whose first byte is written as
 * a program would. Each step also times an empty region, whose distribution
 * is the noise floor of the machine at that moment (interrupts, the
 * hypervisor): the "timer" series. A warm-up of ops / 10 untimed steps comes
 * first. Prints one "latency" line per series (bench_stats.h); --ccdf writes
 * the tail curves of alloc, free and timer (gnuplot indexes 0, 1, 2).
 *
 * --drain 1 puts a full memory fence before each timed region, so that the
 * program's own earlier stores (such as the byte written into a block not
 * in cache) have left the store buffer when the operation starts. Without
 * it, an allocator whose operation contains a locked instruction (x86's
 * compare-and-swap) waits for those stores inside the operation: a real
 * cost for programs, but the program's, not the allocator's own work. The
 * lines then carry "mode=drained". */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "bench_options.h"
#include "bench_stats.h"
#include "bench_timer.h"
#include "bench_workload.h"

enum { SERIES_ALLOC, SERIES_FREE, SERIES_TIMER, SERIES_COUNT };
static const char *const series_names[SERIES_COUNT] = {"alloc", "free", "timer"};

typedef struct latency_series {
    uint32_t *ticks;
    size_t count;
} latency_series_t;

typedef struct latency_run {
    void **slots;
    size_t slot_count;
    uint64_t random;
    int recording; /* 0 while warming up */
    int drain;     /* fence before each timed region */
    latency_series_t series[SERIES_COUNT];
} latency_run_t;

static void latency_record(latency_run_t *run, int series, uint64_t ticks) {
    if (run->recording) {
        latency_series_t *s = &run->series[series];
        s->ticks[s->count++] = (uint32_t)ticks;
    }
}

static uint64_t latency_begin(const latency_run_t *run) {
    if (run->drain) {
        atomic_thread_fence(memory_order_seq_cst);
    }
    return bench_tick_begin();
}

/* One step; returns -1 if the allocator failed. */
static int latency_step(latency_run_t *run) {
    size_t i = (size_t)(bench_random(&run->random) % run->slot_count);
    uint64_t t0 = latency_begin(run);
    uint64_t t1 = bench_tick_end();
    latency_record(run, SERIES_TIMER, t1 - t0);
    if (run->slots[i] != NULL) {
        void *block = run->slots[i];
        t0 = latency_begin(run);
        bench_free(block);
        t1 = bench_tick_end();
        run->slots[i] = NULL;
        latency_record(run, SERIES_FREE, t1 - t0);
        return 0;
    }
    size_t size = bench_random_size(&run->random);
    t0 = latency_begin(run);
    unsigned char *block = bench_malloc(size);
    t1 = bench_tick_end();
    if (block == NULL) {
        return -1;
    }
    block[0] = 1u;
    run->slots[i] = block;
    latency_record(run, SERIES_ALLOC, t1 - t0);
    return 0;
}

static int latency_report(latency_run_t *run, const char *ccdf_path) {
    uint32_t overhead = bench_timer_overhead();
    double ns_per_tick = bench_ns_per_tick();
    printf("# timer_overhead_ticks=%u ns_per_tick=%.4f\n", overhead, ns_per_tick);
    for (int s = 0; s < SERIES_COUNT; s++) {
        bench_latency_t latency;
        bench_summarise(run->series[s].ticks, run->series[s].count, overhead, ns_per_tick, &latency);
        bench_print_latency(BENCH_ALLOCATOR, series_names[s], run->drain ? "drained" : "program", run->series[s].count,
                            &latency);
    }
    if (ccdf_path == NULL) {
        return 0;
    }
    FILE *out = fopen(ccdf_path, "w");
    if (out == NULL) {
        perror(ccdf_path);
        return -1;
    }
    for (int s = 0; s < SERIES_COUNT; s++) {
        bench_write_ccdf(out, run->series[s].ticks, run->series[s].count, overhead, ns_per_tick);
    }
    return fclose(out) == 0 ? 0 : -1;
}

int main(int argc, char **argv) {
    size_t ops = bench_option_count(argc, argv, "--ops", 5000000u);
    latency_run_t run = {.slot_count = bench_option_count(argc, argv, "--slots", 4096u),
                         .random = bench_option_count(argc, argv, "--seed", 42u),
                         .drain = bench_option_count(argc, argv, "--drain", 0u) != 0u};
    bench_layout_t layout;
    bench_layout_default(&layout, (uint32_t)run.slot_count);
    if (bench_alloc_init(&layout, 1u) != 0) {
        return 1;
    }
    bench_alloc_describe();
    run.slots = calloc(run.slot_count, sizeof *run.slots);
    if (run.slots == NULL) {
        return 1;
    }
    for (int s = 0; s < SERIES_COUNT; s++) {
        run.series[s].ticks = malloc(ops * sizeof(uint32_t));
        if (run.series[s].ticks == NULL) {
            fprintf(stderr, "%s: out of memory\n", argv[0]);
            return 1;
        }
        /* Fault the sample pages in now rather than between measurements. */
        memset(run.series[s].ticks, 0xff, ops * sizeof(uint32_t));
    }
    int status = 0;
    for (size_t step = 0; step < ops / 10u + run.slot_count && status == 0; step++) {
        status = latency_step(&run);
    }
    run.recording = 1;
    for (size_t step = 0; step < ops && status == 0; step++) {
        status = latency_step(&run);
    }
    if (status != 0) {
        fprintf(stderr, "%s: allocation failed\n", argv[0]);
        return 1;
    }
    for (size_t i = 0; i < run.slot_count; i++) {
        bench_free(run.slots[i]);
    }
    status = latency_report(&run, bench_option(argc, argv, "--ccdf", NULL));
    for (int s = 0; s < SERIES_COUNT; s++) {
        free(run.series[s].ticks);
    }
    free(run.slots);
    return status == 0 ? 0 : 1;
}
