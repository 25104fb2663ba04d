/* Per-operation latency samples: percentiles, one-line reports and the
 * tail curve the plots are drawn from. Samples are in clock ticks
 * (bench_timer.h) and include the clock's cost, which is subtracted here. */
#ifndef BENCH_STATS_H
#define BENCH_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct bench_latency {
    double median, p99, p999, p9999, max; /* nanoseconds */
} bench_latency_t;

/* Sorts `n` samples in increasing order. */
void bench_sort(uint32_t *samples, size_t n);

/* Sorts the samples and fills *out. */
void bench_summarise(uint32_t *samples, size_t n, uint32_t overhead, double ns_per_tick, bench_latency_t *out);

/* Prints "latency allocator=A op=O mode=M samples=N median_ns=... max_ns=...
 * tail_ratio=R max_ratio=M", R and M being p99.99 and max over the median
 * (left out when the median is 0). */
void bench_print_latency(const char *allocator, const char *op, const char *mode, size_t n,
                         const bench_latency_t *latency);

/* Appends the complementary distribution of sorted samples to `out`, one
 * "nanoseconds fraction" row per point (fraction = share of samples at least
 * that slow), log-spaced in the fraction from 1 down to 1/n, then a blank
 * two blank lines (one gnuplot data set, reached with `index`). */
void bench_write_ccdf(FILE *out, const uint32_t *sorted, size_t n, uint32_t overhead, double ns_per_tick);

#endif /* BENCH_STATS_H */
