/* What poolheap's operations are made of, timed alone on this machine: the
 * primitives its hot paths execute, so that the latency figures can be
 * explained with numbers measured in the same run.
 *
 *   bench_memory_costs [--ops N] [--buffer-mib N] [--seed N]
 *
 * Series (each timed like one allocator operation, bench_timer.h, with the
 * timer's own cost subtracted):
 *   timer        nothing: the residue of the timer alone
 *   cas          one compare-and-swap on a word in cache (a free-list update)
 *   stats_alloc  the statistics of one allocation: three relaxed atomic adds
 *                and two "raise to at least" checks (src/internal.h)
 *   cold_load    a load from a random line of a --buffer-mib buffer (a pop
 *                reading the link of a block that is not in cache)
 *   cold_store   a store to such a line (writing a free block's link)
 *   cold_push    that store, then a CAS on a word in cache: the Treiber push
 *                of a cold block; on x86 the locked CAS waits for the store
 * Prints one "latency allocator=machine op=SERIES ..." line per series. */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_options.h"
#include "bench_stats.h"
#include "bench_timer.h"
#include "bench_workload.h"

enum { COST_TIMER, COST_CAS, COST_STATS, COST_COLD_LOAD, COST_COLD_STORE, COST_COLD_PUSH, COST_COUNT };
static const char *const cost_names[COST_COUNT] = {"timer",     "cas",        "stats_alloc",
                                                   "cold_load", "cold_store", "cold_push"};

static _Atomic uint64_t cost_head;
static _Atomic uint32_t cost_in_use, cost_peak, cost_served, cost_bytes, cost_bytes_peak;

static void cost_raise(_Atomic uint32_t *w, uint32_t v) {
    uint32_t seen = atomic_load_explicit(w, memory_order_relaxed);
    while (seen < v &&
           !atomic_compare_exchange_weak_explicit(w, &seen, v, memory_order_relaxed, memory_order_relaxed)) {
    }
}

static void cost_cas(void) {
    uint64_t head = atomic_load_explicit(&cost_head, memory_order_relaxed);
    atomic_compare_exchange_strong_explicit(&cost_head, &head, head + 1u, memory_order_release, memory_order_relaxed);
}

/* The series' bodies, inlined into the timed region by cost_series. */
static void cost_nothing(volatile uint32_t *line) {
    (void)line;
}

static void cost_cas_only(volatile uint32_t *line) {
    (void)line;
    cost_cas();
}

static void cost_stats(volatile uint32_t *line) {
    (void)line;
    cost_raise(&cost_peak, atomic_fetch_add_explicit(&cost_in_use, 1u, memory_order_relaxed) + 1u);
    atomic_fetch_add_explicit(&cost_served, 1u, memory_order_relaxed);
    cost_raise(&cost_bytes_peak, atomic_fetch_add_explicit(&cost_bytes, 64u, memory_order_relaxed) + 64u);
}

static void cost_load(volatile uint32_t *line) {
    (void)*line;
}

static void cost_store(volatile uint32_t *line) {
    *line = 1u;
}

static void cost_push(volatile uint32_t *line) {
    *line = 1u;
    cost_cas();
}

/* Times `ops` runs of `body` on random lines and prints the series. Always
 * inlined, so that each call with a constant `body` times that body inline
 * rather than an indirect call (costly with this CPU's Spectre mitigations). */
static inline __attribute__((always_inline)) void cost_series(int series, void (*body)(volatile uint32_t *),
                                                              unsigned char *buffer, size_t lines, uint32_t *ticks,
                                                              size_t ops, uint64_t *random) {
    for (size_t i = 0; i < ops; i++) {
        volatile uint32_t *line = (volatile uint32_t *)(void *)(buffer + (bench_random(random) % lines) * 64u);
        uint64_t t0 = bench_tick_begin();
        body(line);
        ticks[i] = (uint32_t)(bench_tick_end() - t0);
    }
    bench_latency_t latency;
    bench_summarise(ticks, ops, bench_timer_overhead(), bench_ns_per_tick(), &latency);
    bench_print_latency("machine", cost_names[series], "alone", ops, &latency);
}

int main(int argc, char **argv) {
    size_t ops = bench_option_count(argc, argv, "--ops", 1000000u);
    size_t lines = bench_option_count(argc, argv, "--buffer-mib", 64u) * 1024u * 1024u / 64u;
    uint64_t random = bench_option_count(argc, argv, "--seed", 42u);
    unsigned char *buffer = malloc(lines * 64u);
    uint32_t *ticks = malloc(ops * sizeof *ticks);
    if (buffer == NULL || ticks == NULL) {
        fprintf(stderr, "%s: out of memory\n", argv[0]);
        return 1;
    }
    memset(buffer, 1, lines * 64u);
    cost_series(COST_TIMER, cost_nothing, buffer, lines, ticks, ops, &random);
    cost_series(COST_CAS, cost_cas_only, buffer, lines, ticks, ops, &random);
    cost_series(COST_STATS, cost_stats, buffer, lines, ticks, ops, &random);
    cost_series(COST_COLD_LOAD, cost_load, buffer, lines, ticks, ops, &random);
    cost_series(COST_COLD_STORE, cost_store, buffer, lines, ticks, ops, &random);
    cost_series(COST_COLD_PUSH, cost_push, buffer, lines, ticks, ops, &random);
    free(ticks);
    free(buffer);
    return 0;
}
