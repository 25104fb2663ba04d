/* Timing single operations: a cycle-accurate clock and its own cost.
 *
 * On x86-64 a tick is one TSC cycle, read with the fences Intel recommends
 * for timing short code (lfence; rdtsc; lfence before, rdtscp; lfence
 * after), so the measured instructions cannot drift out of the window.
 * Elsewhere a tick is one nanosecond of CLOCK_MONOTONIC. Every measurement
 * includes the clock's own cost; bench_timer_overhead() measures it so that
 * callers can subtract it. */
#ifndef BENCH_TIMER_H
#define BENCH_TIMER_H

#include <stdint.h>

#if defined(__x86_64__)
#include <x86intrin.h>

static inline uint64_t bench_tick_begin(void) {
    _mm_lfence();
    uint64_t t = __rdtsc();
    _mm_lfence();
    return t;
}

static inline uint64_t bench_tick_end(void) {
    unsigned int aux;
    uint64_t t = __rdtscp(&aux);
    _mm_lfence();
    return t;
}
#else
uint64_t bench_tick_begin(void);
#define bench_tick_end bench_tick_begin
#endif

/* Nanoseconds per tick, calibrated against CLOCK_MONOTONIC (~50 ms). */
double bench_ns_per_tick(void);

/* The median cost in ticks of an empty begin/end pair. */
uint32_t bench_timer_overhead(void);

/* Seconds of CLOCK_MONOTONIC, for timing whole runs. */
double bench_seconds(void);

#endif /* BENCH_TIMER_H */
