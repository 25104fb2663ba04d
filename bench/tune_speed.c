/* How long `poolheap tune` takes on a large trace: 1 million events over
 * 200 distinct request sizes (8 to 1600 bytes), for 8 pools on a 4-byte
 * target, as the budget states it (at most 1 s on this machine).
 *
 * Two traces are generated with a fixed seed: "skewed", where size k of 200
 * is asked with weight 1 / (k + 1) as in real programs (small sizes
 * dominate), and "uniform", every size equally often (the worst case for
 * the range-peak step, whose blocks then touch the most classes). Up to
 * 4000 objects are live; 10% of the operations on live objects are
 * reallocs. Prints the time of each step and the sizes found (the CPU time
 * is the fairer figure when other programs share the machine), then the
 * speed of one replay of the tuned layout through the library, then the
 * time `tune --from` takes to grow that layout back from 2 % fewer blocks
 * in every pool (ph_tune_grow_traces).
 * Usage: bench_tune_speed [EVENTS]   (default 1000000) */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "trace/replay.h"
#include "tune/tune.h"

#define SIZES 200u
#define MAX_LIVE 4000u

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint32_t below(uint32_t n) {
    rng_state ^= rng_state << 13u;
    rng_state ^= rng_state >> 7u;
    rng_state ^= rng_state << 17u;
    return (uint32_t)((rng_state >> 11u) % n);
}

static double now(void) {
    struct timespec t;
    timespec_get(&t, TIME_UTC);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* A size index: skewed (weight 1 / (k + 1), by inverting the cumulative
 * weights) or uniform. */
static uint32_t size_index(int skewed, const double *cumulative) {
    if (!skewed) {
        return below(SIZES);
    }
    double x = cumulative[SIZES - 1u] * (double)below(1u << 30) / (double)(1u << 30);
    uint32_t lo = 0u, hi = SIZES - 1u;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2u;
        if (cumulative[mid] < x) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static ph_trace_t make_trace(size_t count, int skewed) {
    double cumulative[SIZES];
    for (uint32_t k = 0u; k < SIZES; k++) {
        cumulative[k] = (k ? cumulative[k - 1u] : 0.0) + 1.0 / (double)(k + 1u);
    }
    ph_event_t *events = malloc(count * sizeof *events);
    uint32_t *live = malloc(MAX_LIVE * sizeof *live), *size = malloc(count * sizeof *size);
    if (events == NULL || live == NULL || size == NULL) {
        fputs("bench_tune_speed: out of memory\n", stderr);
        exit(1);
    }
    size_t n = 0u, live_count = 0u;
    uint32_t objects = 0u;
    while (n < count) {
        if (n + live_count >= count || (live_count > 0u && (live_count == MAX_LIVE || below(2u) == 0u))) {
            uint32_t k = below((uint32_t)live_count), o = live[k];
            if (n + live_count < count && below(10u) == 0u) {
                size[o] = 8u * (1u + size_index(skewed, cumulative));
                events[n++] = (ph_event_t){.kind = PH_EVENT_REALLOC, .size = size[o], .align = 1u, .object = o};
            } else {
                events[n++] = (ph_event_t){.kind = PH_EVENT_FREE, .size = size[o], .align = 1u, .object = o};
                live[k] = live[--live_count];
            }
        } else {
            size[objects] = 8u * (1u + size_index(skewed, cumulative));
            events[n++] = (ph_event_t){.kind = PH_EVENT_ALLOC, .size = size[objects], .align = 1u, .object = objects};
            live[live_count++] = objects++;
        }
    }
    free(live);
    free(size);
    return (ph_trace_t){.events = events, .count = n, .objects = objects, .pointer_size = 4u};
}

typedef struct stage_clock {
    double start, last;
    const char *stage;
} stage_clock_t;

static void on_stage(const char *stage, void *context) {
    stage_clock_t *c = context;
    double t = now();
    if (c->stage != NULL) {
        printf("  %-26s %.3f s\n", c->stage, t - c->last);
    }
    c->stage = stage;
    c->last = t;
}

/* `tune --from`: `tuned` with 2 % fewer blocks in every pool (at least
 * one, never below one), grown back to serve the trace. */
static int grow_back(const ph_trace_t *trace, const ph_tune_layout_t *tuned) {
    poolheap_pool_config_t pools[POOLHEAP_MAX_POOLS];
    uint64_t size = 0u;
    for (size_t p = 0u; p < tuned->pool_count; p++) {
        uint32_t capacity = tuned->pools[p].capacity, fewer = capacity / 50u ? capacity / 50u : 1u;
        pools[p] = (poolheap_pool_config_t){tuned->pools[p].block, capacity > fewer ? capacity - fewer : 1u};
        size += (uint64_t)pools[p].block * pools[p].capacity;
    }
    ph_tune_growth_t g;
    char error[256];
    clock_t cpu = clock();
    if (ph_tune_grow_traces(trace, 1u, 4u, pools, tuned->pool_count, &g, error, sizeof error) != 0) {
        fprintf(stderr, "bench_tune_speed: %s\n", error);
        return -1;
    }
    printf("  --from, 2%% fewer blocks per pool: %llu -> %llu bytes (tuned %llu), %s, %.3f s CPU\n",
           (unsigned long long)size, (unsigned long long)g.after.size, (unsigned long long)tuned->size,
           g.jointly_smallest ? "jointly smallest" : "search budget spent", (double)(clock() - cpu) / CLOCKS_PER_SEC);
    return 0;
}

int main(int argc, char **argv) {
    size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000u;
    for (int skewed = 1; skewed >= 0; skewed--) {
        ph_trace_t trace = make_trace(count, skewed);
        stage_clock_t stages = {now(), now(), NULL};
        clock_t cpu = clock();
        ph_tune_options_t options = {
            .max_pools = 8u, .pointer_size = 4u, .progress = on_stage, .progress_context = &stages};
        ph_tune_result_t r;
        char error[256];
        printf("%s sizes: %zu events, %u sizes, 8 pools, 4-byte target\n", skewed ? "skewed" : "uniform", trace.count,
               SIZES);
        if (ph_tune(&trace, 1u, &options, &r, error, sizeof error) != 0) {
            fprintf(stderr, "bench_tune_speed: %s\n", error);
            return 1;
        }
        double end = now();
        double cpu_seconds = (double)(clock() - cpu) / CLOCKS_PER_SEC;
        printf("  %-26s %.3f s\n", stages.stage, end - stages.last);
        printf("  tune time                  %.3f s wall, %.3f s CPU (%llu model replays, %u library replays)\n",
               end - stages.start, cpu_seconds, (unsigned long long)r.simulations, r.replays);
        printf("  peak live bytes %llu, optimum without fallback %llu, tuned %llu (%.3f x peak)\n",
               (unsigned long long)r.peak_live_bytes, (unsigned long long)r.optimum.size,
               (unsigned long long)r.layout.size, (double)r.layout.size / (double)r.peak_live_bytes);
        double replay_start = now();
        ph_replay_options_t replay = {.pointer_size = 4u};
        ph_replay_result_t result;
        if (ph_replay(&trace, 1u, r.layout.pools, r.layout.pool_count, &replay, &result) != 0) {
            fputs("bench_tune_speed: the tuned layout cannot be replayed\n", stderr);
            return 1;
        }
        double replay_seconds = now() - replay_start;
        printf("  library replay of the tuned layout: %.3f s, %.1f M events/s, %llu failures\n", replay_seconds,
               (double)trace.count / replay_seconds / 1e6, (unsigned long long)result.failures);
        if (grow_back(&trace, &r.layout) != 0) {
            return 1;
        }
        free(trace.events);
    }
    return 0;
}
