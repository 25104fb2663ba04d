/* Percentiles and tail curves of latency samples. */
#include "bench_stats.h"

#include <math.h>
#include <stdlib.h>

static int bench_compare(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

void bench_sort(uint32_t *samples, size_t n) {
    qsort(samples, n, sizeof *samples, bench_compare);
}

static double bench_ticks_to_ns(uint32_t ticks, uint32_t overhead, double ns_per_tick) {
    return ticks > overhead ? (double)(ticks - overhead) * ns_per_tick : 0.0;
}

/* The sample at quantile q (0 < q <= 1, nearest rank) of sorted samples, in
 * nanoseconds after subtracting `overhead` ticks (never below 0). */
static double bench_quantile_ns(const uint32_t *sorted, size_t n, double q, uint32_t overhead, double ns_per_tick) {
    size_t rank = (size_t)ceil(q * (double)n);
    return bench_ticks_to_ns(sorted[rank > 0u ? rank - 1u : 0u], overhead, ns_per_tick);
}

void bench_summarise(uint32_t *samples, size_t n, uint32_t overhead, double ns_per_tick, bench_latency_t *out) {
    bench_sort(samples, n);
    out->median = bench_quantile_ns(samples, n, 0.5, overhead, ns_per_tick);
    out->p99 = bench_quantile_ns(samples, n, 0.99, overhead, ns_per_tick);
    out->p999 = bench_quantile_ns(samples, n, 0.999, overhead, ns_per_tick);
    out->p9999 = bench_quantile_ns(samples, n, 0.9999, overhead, ns_per_tick);
    out->max = bench_quantile_ns(samples, n, 1.0, overhead, ns_per_tick);
}

void bench_print_latency(const char *allocator, const char *op, const char *mode, size_t n,
                         const bench_latency_t *latency) {
    printf("latency allocator=%s op=%s mode=%s samples=%zu median_ns=%.1f p99_ns=%.1f p999_ns=%.1f p9999_ns=%.1f "
           "max_ns=%.1f",
           allocator, op, mode, n, latency->median, latency->p99, latency->p999, latency->p9999, latency->max);
    if (latency->median > 0.0) {
        printf(" tail_ratio=%.2f max_ratio=%.1f", latency->p9999 / latency->median, latency->max / latency->median);
    }
    printf("\n");
}

void bench_write_ccdf(FILE *out, const uint32_t *sorted, size_t n, uint32_t overhead, double ns_per_tick) {
    /* 20 points per decade of the fraction; each row is the fastest sample
     * among the slowest `fraction` of them. */
    for (double decade = 0.0; pow(10.0, -decade) * (double)n >= 1.0; decade += 0.05) {
        size_t slower = (size_t)ceil(pow(10.0, -decade) * (double)n);
        fprintf(out, "%.1f %.3g\n", bench_ticks_to_ns(sorted[n - slower], overhead, ns_per_tick),
                (double)slower / (double)n);
    }
    fprintf(out, "%.1f %.3g\n\n\n", bench_ticks_to_ns(sorted[n - 1u], overhead, ns_per_tick), 1.0 / (double)n);
}
