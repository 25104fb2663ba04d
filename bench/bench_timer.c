/* Clock calibration and the clock's own cost. */
#define _POSIX_C_SOURCE 200809L
#include "bench_timer.h"

#include <stdlib.h>
#include <time.h>

#include "bench_stats.h"

double bench_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

#if !defined(__x86_64__)
uint64_t bench_tick_begin(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
#endif

double bench_ns_per_tick(void) {
    double start = bench_seconds();
    uint64_t ticks = bench_tick_begin();
    while (bench_seconds() - start < 0.05) {
    }
    double elapsed = bench_seconds() - start;
    return elapsed * 1e9 / (double)(bench_tick_end() - ticks);
}

uint32_t bench_timer_overhead(void) {
    enum { SAMPLES = 100000 };
    uint32_t *samples = malloc(SAMPLES * sizeof *samples);
    if (samples == NULL) {
        return 0u;
    }
    for (size_t i = 0; i < SAMPLES; i++) {
        uint64_t t0 = bench_tick_begin();
        samples[i] = (uint32_t)(bench_tick_end() - t0);
    }
    bench_sort(samples, SAMPLES);
    uint32_t median = samples[SAMPLES / 2];
    free(samples);
    return median;
}
