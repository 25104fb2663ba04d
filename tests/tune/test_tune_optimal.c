/* The tuner against brute force on small random traces.
 *
 * For each case (one or two traces, 4- or 8-byte target, reallocs, some
 * aligned requests):
 *   - the exact optimum without fallback is checked against every set of
 *     at most max_pools blocks (subsets of the request values and of the
 *     largest one rounded up to the largest alignment), each sized by a
 *     replay through the library with POOLHEAP_NO_FALLBACK: equal without
 *     aligned requests; with them never better, and never worse than any
 *     block set that keeps every aligned request in the pool of its class
 *     (the layouts the DP is exact over: a block set need not use the
 *     rounded-up value, whatever max_pools);
 *   - the tuned layout is never larger than that optimum, and a replay of
 *     every trace through the library with fallback never fails;
 *   - on the tiniest cases, every set of blocks and every capacity vector is
 *     replayed with fallback: the tuned layout can never beat the smallest
 *     that serves the traces, and how often it matches it is printed.
 * Usage: test_tune_optimal [SEED [CASES]]; the seed is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "random_trace.h"
#include "trace/replay.h"
#include "tune/tune.h"

#define MAX_VALUES 16u
#define BRUTE_CAPACITY 4096u

typedef struct test_case {
    ph_trace_t traces[2];
    uint32_t need[MAX_VALUES * 4u]; /* per request value: the largest alignment an allocation of it asks */
    size_t trace_count;
    uint32_t word;
    size_t max_pools;
    int aligned;
} test_case_t;

/* Inserts v into the sorted values[0 .. n) if absent; returns the new n. */
static size_t insert_value(uint32_t *values, size_t n, uint32_t v) {
    size_t at = 0u;
    while (at < n && values[at] < v) {
        at++;
    }
    if (at == n || values[at] != v) {
        for (size_t k = n++; k > at; k--) {
            values[k] = values[k - 1u];
        }
        values[at] = v;
    }
    return n;
}

/* The distinct block values the requests need, sorted, and the largest
 * rounded up to the largest alignment asked (the tuner's classes, computed
 * independently); fills c->need. Returns their number. */
static size_t request_values(test_case_t *c, uint32_t *values) {
    size_t n = 0u;
    uint32_t strictest = 1u;
    for (size_t t = 0u; t < c->trace_count; t++) {
        for (size_t i = 0u; i < c->traces[t].count; i++) {
            const ph_event_t *e = &c->traces[t].events[i];
            if (e->kind != PH_EVENT_ALLOC && !(e->kind == PH_EVENT_REALLOC && e->size != 0u)) {
                continue;
            }
            uint32_t unit = e->kind == PH_EVENT_ALLOC && e->align > c->word ? e->align : c->word;
            n = insert_value(values, n, ((e->size ? e->size : 1u) + unit - 1u) / unit * unit);
            strictest = e->kind == PH_EVENT_ALLOC && e->align > strictest ? e->align : strictest;
        }
    }
    n = insert_value(values, n, (values[n - 1u] + strictest - 1u) / strictest * strictest);
    for (size_t v = 0u; v < n; v++) {
        c->need[v] = 1u;
    }
    for (size_t t = 0u; t < c->trace_count; t++) {
        for (size_t i = 0u; i < c->traces[t].count; i++) {
            const ph_event_t *e = &c->traces[t].events[i];
            if (e->kind == PH_EVENT_ALLOC && e->align > c->word) {
                uint32_t value = ((e->size ? e->size : 1u) + e->align - 1u) / e->align * e->align;
                size_t v = 0u;
                while (values[v] != value) {
                    v++;
                }
                c->need[v] = e->align > c->need[v] ? e->align : c->need[v];
            }
        }
    }
    return n;
}

/* Whether the blocks of `mask` keep every aligned allocation in the pool
 * of its value without fallback: the first block at least that value is
 * aligned (a multiple of the alignment) as the allocation asks. */
static int keeps_aligned_in_place(const test_case_t *c, const uint32_t *values, size_t n, unsigned mask) {
    for (size_t v = 0u; v < n; v++) {
        size_t b = v;
        while (b < n && !(mask & (1u << b))) {
            b++;
        }
        if (b < n && values[b] % c->need[v] != 0u) {
            return 0;
        }
    }
    return 1;
}

static size_t subset_pools(const uint32_t *values, size_t n, unsigned mask, poolheap_pool_config_t *pools,
                           uint32_t capacity) {
    size_t count = 0u;
    for (size_t i = 0u; i < n; i++) {
        if (mask & (1u << i)) {
            pools[count++] = (poolheap_pool_config_t){values[i], capacity};
        }
    }
    return count;
}

static ph_replay_result_t replay(const test_case_t *c, const poolheap_pool_config_t *pools, size_t count,
                                 unsigned flags) {
    ph_replay_options_t options = {.flags = flags, .pointer_size = c->word};
    ph_replay_result_t r;
    int status = ph_replay(c->traces, c->trace_count, pools, count, &options, &r);
    CHECK_EQ(status, 0);
    return r;
}

/* Smallest size without fallback over every block set that serves the
 * traces, and in *in_place over those that keep aligned allocations in
 * place (keeps_aligned_in_place). Sets *most to the most blocks a single
 * pool of the largest value (which serves every request) ever holds, plus
 * one. */
static uint64_t brute_no_fallback(const test_case_t *c, const uint32_t *values, size_t n, uint32_t *most,
                                  uint64_t *in_place) {
    uint64_t best = UINT64_MAX;
    *in_place = UINT64_MAX;
    for (unsigned mask = 1u; mask < (1u << n); mask++) {
        poolheap_pool_config_t pools[MAX_VALUES];
        size_t count = subset_pools(values, n, mask, pools, BRUTE_CAPACITY);
        if (count > c->max_pools) {
            continue;
        }
        ph_replay_result_t r = replay(c, pools, count, POOLHEAP_NO_FALLBACK);
        uint64_t size = 0u;
        for (size_t p = 0u; p < count; p++) {
            size += (uint64_t)pools[p].block * r.pools[p].peak;
        }
        if (r.failures == 0u && size < best) {
            best = size;
        }
        if (r.failures == 0u && size < *in_place && keeps_aligned_in_place(c, values, n, mask)) {
            *in_place = size;
        }
        if (mask == 1u << (n - 1u)) {
            *most = r.pools[0].peak + 1u;
        }
    }
    return best;
}

/* Smallest size with fallback over every block set and every capacity
 * vector of 1 .. `most` blocks per pool (a pool of capacity 0 is a smaller
 * block set; more blocks than objects ever live at once are useless). */
static uint64_t brute_fallback(const test_case_t *c, const uint32_t *values, size_t n, uint32_t most) {
    uint64_t best = UINT64_MAX;
    for (unsigned mask = 1u; mask < (1u << n); mask++) {
        poolheap_pool_config_t pools[MAX_VALUES];
        size_t count = subset_pools(values, n, mask, pools, 1u);
        if (count > c->max_pools) {
            continue;
        }
        for (;;) {
            uint64_t size = 0u;
            for (size_t p = 0u; p < count; p++) {
                size += (uint64_t)pools[p].block * pools[p].capacity;
            }
            if (size < best && replay(c, pools, count, 0u).failures == 0u) {
                best = size;
            }
            size_t p = 0u;
            while (p < count && pools[p].capacity == most) {
                pools[p++].capacity = 1u;
            }
            if (p == count) {
                break;
            }
            pools[p].capacity++;
        }
    }
    return best;
}

static test_case_t random_case(uint64_t *state, int tiny) {
    test_case_t c = {.word = random_below(state, 2u) ? 8u : 4u, .trace_count = 1u + random_below(state, 2u)};
    c.aligned = random_below(state, 3u) == 0u;
    c.max_pools = 1u + random_below(state, tiny ? 3u : 4u);
    random_trace_spec_t spec = {
        .events = tiny ? 10u + random_below(state, 14u) : 30u + random_below(state, 120u),
        .max_size = c.word * (tiny ? 3u : 6u),
        .max_live = 1u + random_below(state, tiny ? 4u : 10u),
        .realloc_percent = random_below(state, 30u),
        .aligned_percent = c.aligned ? 25u : 0u,
        .max_align = 4u * c.word,
        .pointer_size = c.word,
    };
    for (size_t t = 0u; t < c.trace_count; t++) {
        c.traces[t] = random_trace(state, &spec);
    }
    return c;
}

static unsigned fallback_cases, fallback_matches, fallback_gains;
static unsigned dp_cases, dp_matches, aligned_cases, aligned_matches;

static void check_case(test_case_t *c, int tiny, unsigned index) {
    uint32_t values[MAX_VALUES * 4u];
    size_t n = request_values(c, values);
    if (n > (tiny ? 5u : 9u)) {
        return; /* too many block sets to enumerate */
    }
    ph_tune_options_t options = {.max_pools = c->max_pools, .pointer_size = c->word};
    ph_tune_result_t r;
    char error[256];
    int status = ph_tune(c->traces, c->trace_count, &options, &r, error, sizeof error);
    uint32_t most = 1u;
    uint64_t in_place;
    uint64_t brute = brute_no_fallback(c, values, n, &most, &in_place);
    if (status != 0) {
        /* Only possible when no admissible layout exists: aligned requests. */
        CHECK(c->aligned);
        return;
    }
    dp_cases++;
    dp_matches += r.optimum.size == brute;
    aligned_cases += c->aligned != 0;
    aligned_matches += c->aligned && r.optimum.size == brute;
    CHECK(r.optimum.size >= brute);
    if (r.optimum.size > in_place) {
        printf("case %u (%zu pools): optimum %llu, a block set keeping aligned requests in place %llu\n", index,
               c->max_pools, (unsigned long long)r.optimum.size, (unsigned long long)in_place);
        CHECK(r.optimum.size <= in_place);
    }
    if (!c->aligned && r.optimum.size != brute) {
        printf("case %u: optimum %llu, brute force %llu\n", index, (unsigned long long)r.optimum.size,
               (unsigned long long)brute);
        CHECK_EQ(r.optimum.size, brute);
    }
    CHECK(r.layout.size <= r.optimum.size);
    CHECK(r.layout.pool_count <= c->max_pools);
    CHECK_EQ(r.fell_back, 0);
    for (size_t t = 0u; t < c->trace_count; t++) {
        test_case_t one = *c;
        one.traces[0] = c->traces[t];
        one.trace_count = 1u;
        CHECK_EQ(replay(&one, r.layout.pools, r.layout.pool_count, 0u).failures, 0u);
    }
    if (tiny) {
        uint64_t best = brute_fallback(c, values, n, most);
        CHECK(r.layout.size >= best);
        fallback_cases++;
        fallback_matches += r.layout.size == best;
        fallback_gains += best < brute;
    }
}

static uint64_t seed;
static unsigned cases;

static void tuned_layouts_match_brute_force(void) {
    uint64_t state = seed * 2654435761u + 1u;
    for (unsigned i = 0u; i < cases; i++) {
        int tiny = i % 2u == 0u;
        test_case_t c = random_case(&state, tiny);
        check_case(&c, tiny, i);
        for (size_t t = 0u; t < c.trace_count; t++) {
            random_trace_free(&c.traces[t]);
        }
    }
    printf("no-fallback optimum equal to brute force in %u of %u cases; %u of the %u with aligned requests\n",
           dp_matches, dp_cases, aligned_matches, aligned_cases);
    printf("with fallback: tuned size equal to the brute-force optimum in %u of %u tiny cases (%.1f%%); fallback "
           "beat the no-fallback optimum in %u of them\n",
           fallback_matches, fallback_cases, fallback_cases ? 100.0 * fallback_matches / fallback_cases : 0.0,
           fallback_gains);
    CHECK(dp_cases > cases / 2u);
    CHECK(fallback_cases > cases / 8u);
}

int main(int argc, char **argv) {
    seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
    cases = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 300u;
    printf("test_tune_optimal: seed %llu (rerun with: test_tune_optimal %llu %u)\n", (unsigned long long)seed,
           (unsigned long long)seed, cases);
    RUN(tuned_layouts_match_brute_force);
    return test_summary();
}
