/* Growing a layout (tools/tune/tune_grow.h) is minimal jointly: on seeded
 * random traces and random layouts too small for them, the grown size
 * equals the smallest over every capacity vector with the grown blocks,
 * from the given capacities up to the most objects ever live at once (a
 * pool never holds more), each replayed through the library.
 * Usage: test_tune_grow_joint [SEED [CASES]]; the seed is printed. */
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "random_trace.h"
#include "trace/replay.h"
#include "tune/tune.h"

#define MAX_BLOCKS 3u

static int library_serves(const ph_trace_t *trace, const poolheap_pool_config_t *pools, size_t count) {
    ph_replay_options_t options = {.pointer_size = 8u, .stop_at_failure = 1};
    ph_replay_result_t r;
    return ph_replay(trace, 1u, pools, count, &options, &r) == 0 && r.failures == 0u;
}

/* The most objects of `trace` live at once. */
static uint32_t most_live(const ph_trace_t *trace) {
    uint32_t live = 0u, most = 0u;
    for (size_t i = 0u; i < trace->count; i++) {
        live += trace->events[i].kind == PH_EVENT_ALLOC;
        live -= trace->events[i].kind == PH_EVENT_FREE;
        most = live > most ? live : most;
    }
    return most;
}

/* The smallest size over capacities given[p] .. given[p] + extra of the
 * blocks of `pools` that serves the trace. */
static uint64_t brute_growth(const ph_trace_t *trace, const poolheap_pool_config_t *given,
                             poolheap_pool_config_t *pools, size_t count, uint32_t extra) {
    uint64_t best = UINT64_MAX;
    for (size_t p = 0u; p < count; p++) {
        pools[p].capacity = given[p].capacity;
    }
    for (;;) {
        uint64_t size = 0u;
        for (size_t p = 0u; p < count; p++) {
            size += (uint64_t)pools[p].block * pools[p].capacity;
        }
        if (size < best && library_serves(trace, pools, count)) {
            best = size;
        }
        size_t p = 0u;
        while (p < count && pools[p].capacity == given[p].capacity + extra) {
            pools[p].capacity = given[p].capacity;
            p++;
        }
        if (p == count) {
            return best;
        }
        pools[p].capacity++;
    }
}

static unsigned grown_cases;

static void one_case(uint64_t *state) {
    random_trace_spec_t spec = {.events = 12u + random_below(state, 40u),
                                .max_size = 48u,
                                .max_live = 2u + random_below(state, 4u),
                                .realloc_percent = random_below(state, 30u),
                                .aligned_percent = random_below(state, 2u) ? 20u : 0u,
                                .max_align = 32u,
                                .pointer_size = 8u};
    ph_trace_t trace = random_trace(state, &spec);
    poolheap_pool_config_t given[MAX_BLOCKS];
    size_t count = 1u + random_below(state, MAX_BLOCKS);
    for (size_t p = 0u; p < count; p++) { /* increasing blocks of 8 to 56 bytes, 1 or 2 each */
        uint32_t lowest = p ? given[p - 1u].block + 8u : 8u;
        given[p] = (poolheap_pool_config_t){lowest + 8u * random_below(state, 2u), 1u + random_below(state, 2u)};
    }
    ph_tune_growth_t g;
    char error[256];
    CHECK_EQ(ph_tune_grow_traces(&trace, 1u, 8u, given, count, &g, error, sizeof error), 0);
    CHECK_EQ(g.jointly_smallest, 1);
    CHECK_EQ(g.after.pool_count, count);
    poolheap_pool_config_t pools[MAX_BLOCKS];
    for (size_t p = 0u; p < count; p++) {
        pools[p].block = g.after.pools[p].block;
        CHECK(g.after.pools[p].capacity >= given[p].capacity);
    }
    uint64_t brute = brute_growth(&trace, given, pools, count, most_live(&trace));
    if (g.after.size != brute) {
        TEST_PRINTF("  %zu pools: grown to %llu bytes, the smallest that serves is %llu\n", count,
                    (unsigned long long)g.after.size, (unsigned long long)brute);
    }
    CHECK_EQ(g.after.size, brute);
    uint64_t given_size = 0u;
    for (size_t p = 0u; p < count; p++) {
        given_size += (uint64_t)given[p].block * given[p].capacity;
    }
    grown_cases += g.after.size > given_size;
    random_trace_free(&trace);
}

static uint64_t seed;
static unsigned cases;

static void growth_is_the_smallest_over_every_capacity_vector(void) {
    uint64_t state = seed * 2654435761u + 1u;
    for (unsigned i = 0u; i < cases; i++) {
        one_case(&state);
    }
    TEST_PRINTF("%u of %u layouts grew\n", grown_cases, cases);
    CHECK(grown_cases > cases / 2u);
}

int main(int argc, char **argv) {
    seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
    cases = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 200u;
    TEST_PRINTF("test_tune_grow_joint: seed %llu (rerun with: test_tune_grow_joint %llu %u)\n",
                (unsigned long long)seed, (unsigned long long)seed, cases);
    RUN(growth_is_the_smallest_over_every_capacity_vector);
    return test_summary();
}
