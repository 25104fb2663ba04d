/* --pools N is a maximum (the heap never grows with N) and --size S bounds
 * the region (never above S; refused, with the minimum, below it), over
 * seeded random traces. Usage: test_tune_monotone [SEED [CASES]]; the seed
 * is printed. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "random_trace.h"
#include "tune/tune.h"

#define MAX_POOLS 8u

static void one_case(uint64_t *state) {
    random_trace_spec_t spec = {.events = 400u + random_below(state, 3000u),
                                .max_size = 16u + random_below(state, 600u),
                                .max_live = 4u + random_below(state, 80u),
                                .realloc_percent = random_below(state, 20u),
                                .aligned_percent = random_below(state, 4u),
                                .max_align = 32u,
                                .pointer_size = 8u};
    ph_trace_t trace = random_trace(state, &spec);
    ph_tune_result_t r;
    char error[256];
    uint64_t previous = UINT64_MAX;
    for (size_t n = 1u; n <= MAX_POOLS; n++) {
        ph_tune_options_t options = {.max_pools = n, .pointer_size = 8u};
        CHECK_EQ(ph_tune(&trace, 1u, &options, &r, error, sizeof error), 0);
        CHECK(r.reduced_size <= previous);
        CHECK(r.layout.pool_count <= n);
        previous = r.reduced_size;
    }
    /* --size: a random region from just below the need to twice it. */
    uint64_t need = r.span;
    ph_tune_options_t sized = {.max_pools = MAX_POOLS, .pointer_size = 8u};
    sized.size = need - 1u - random_below(state, 16u);
    CHECK_EQ(ph_tune(&trace, 1u, &sized, &r, error, sizeof error), -1);
    CHECK(strstr(error, "need a region of") != NULL);
    sized.size = need + random_below(state, (uint32_t)need);
    CHECK_EQ(ph_tune(&trace, 1u, &sized, &r, error, sizeof error), 0);
    CHECK(r.span <= sized.size);
    random_trace_free(&trace);
}

static uint64_t state;
static unsigned cases;

static void random_traces(void) {
    for (unsigned c = 0u; c < cases; c++) {
        one_case(&state);
    }
}

int main(int argc, char **argv) {
    uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
    cases = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 40u;
    printf("test_tune_monotone: seed %llu (rerun with: test_tune_monotone %llu %u)\n", (unsigned long long)seed,
           (unsigned long long)seed, cases);
    state = seed * 2654435761u + 1u;
    RUN(random_traces);
    return test_summary();
}
