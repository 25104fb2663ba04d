/* The tuner's model of the allocation rules (tune_sim.h) against the
 * library itself (ph_replay): on random traces and random layouts, with and
 * without fallback, both must count the same failures and the same peak per
 * pool. Usage: test_tune_model [SEED [CASES]]; the seed is printed. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "harness.h"
#include "random_trace.h"
#include "trace/replay.h"
#include "tune/tune_input.h"
#include "tune/tune_sim.h"

static uint64_t seed;
static unsigned cases;

/* Random blocks: increasing multiples of the word, some with large powers
 * of two; small capacities so that pools run out and fall back. */
static size_t random_layout(uint64_t *state, uint32_t word, uint32_t max_size, poolheap_pool_config_t *pools) {
    size_t count = 1u + random_below(state, 5u);
    uint32_t block = 0u;
    for (size_t p = 0u; p < count; p++) {
        block += word * (1u + random_below(state, max_size / word / (uint32_t)count + 1u));
        if (random_below(state, 4u) == 0u) {
            block = (block + 8u * word - 1u) / (8u * word) * (8u * word);
        }
        pools[p] = (poolheap_pool_config_t){block, 1u + random_below(state, 6u)};
    }
    return count;
}

static void model_agrees_with_library(void) {
    uint64_t state = seed * 2654435761u + 1u;
    unsigned compared = 0u, failing = 0u;
    for (unsigned i = 0u; i < cases; i++) {
        uint32_t word = random_below(&state, 2u) ? 8u : 4u;
        random_trace_spec_t spec = {.events = 20u + random_below(&state, 300u),
                                    .max_size = word * 12u,
                                    .max_live = 1u + random_below(&state, 16u),
                                    .realloc_percent = random_below(&state, 40u),
                                    .aligned_percent = random_below(&state, 2u) ? 20u : 0u,
                                    .max_align = 8u * word,
                                    .pointer_size = word};
        ph_trace_t trace = random_trace(&state, &spec);
        poolheap_pool_config_t pools[8];
        size_t count = random_layout(&state, word, spec.max_size, pools);
        ph_tune_input_t input;
        ph_tune_sim_t sim;
        char error[256];
        CHECK_EQ(ph_tune_input_build(&trace, 1u, word, &input, error, sizeof error), 0);
        CHECK_EQ(ph_tune_sim_init(&sim, &input), 0);
        for (unsigned flags = 0u; flags <= POOLHEAP_NO_FALLBACK; flags += POOLHEAP_NO_FALLBACK) {
            uint32_t peak[8];
            uint64_t failures = ph_tune_sim_run(&sim, pools, count, flags != 0u, 0, peak);
            ph_replay_options_t options = {.flags = flags, .pointer_size = word};
            ph_replay_result_t r;
            CHECK_EQ(ph_replay(&trace, 1u, pools, count, &options, &r), 0);
            CHECK_EQ(failures, r.failures);
            for (size_t p = 0u; p < count; p++) {
                CHECK_EQ(peak[p], r.pools[p].peak);
            }
            compared++;
            failing += failures != 0u;
        }
        ph_tune_sim_free(&sim);
        ph_tune_input_free(&input);
        random_trace_free(&trace);
    }
    printf("%u replays compared, %u of them with failures\n", compared, failing);
    CHECK(failing > compared / 10u && failing < compared);
}

int main(int argc, char **argv) {
    seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
    cases = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 0) : 2000u;
    printf("test_tune_model: seed %llu (rerun with: test_tune_model %llu %u)\n", (unsigned long long)seed,
           (unsigned long long)seed, cases);
    RUN(model_agrees_with_library);
    return test_summary();
}
