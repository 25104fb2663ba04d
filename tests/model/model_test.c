/* Model-based randomized test: millions of random operations on run-time
 * heaps, each checked against the reference model (model.h).
 *
 *   model_test [OPERATIONS [SEED]]      (SEED also from $POOLHEAP_SEED)
 *
 * The seed is printed first; rerun with it to reproduce a failure. The
 * operations are split between a heap with fallback and one without. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "model.h"

/* xorshift64*: small, fast, and reproducible everywhere. */
static uint64_t rng_state;

static uint64_t rng_next(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545F4914F6CDD1DULL;
}

static uint32_t rng_below(uint32_t n) {
    return (uint32_t)((rng_next() >> 32) % n);
}

/* Small capacities, so pools run out and fallback happens all the time;
 * blocks whose alignments go up and down (1000 is only 8-aligned). */
static const poolheap_pool_config_t test_pools[] = {
    {8, 48},  {16, 40}, {24, 32}, {32, 24}, {48, 24},  {64, 16},  {96, 12},  {128, 12},
    {200, 8}, {256, 8}, {384, 6}, {512, 4}, {1000, 3}, {1024, 2}, {4096, 1},
};
#define POOL_COUNT (sizeof test_pools / sizeof test_pools[0])

/* Sizes spanning every pool: mostly inside one pool's range (above the
 * previous block, up to this one), some 0, some beyond every pool. */
static size_t random_size(void) {
    uint32_t r = rng_below(100);
    if (r < 3) {
        return 0;
    }
    if (r < 6) {
        return 4097u + rng_below(5000);
    }
    if (r < 7) {
        static const size_t huge[] = {SIZE_MAX, SIZE_MAX / 2u, (size_t)UINT32_MAX + 1u, (size_t)UINT32_MAX + 17u};
        return huge[rng_below(4)];
    }
    /* The smaller of two draws: small pools, which have more blocks, are
     * asked for more often, as in real programs. */
    uint32_t i = rng_below(POOL_COUNT), j = rng_below(POOL_COUNT);
    i = i < j ? i : j;
    uint32_t low = i == 0 ? 1u : test_pools[i - 1].block + 1u;
    return low + rng_below(test_pools[i].block - low + 1u);
}

static size_t random_alignment(void) {
    static const size_t bad[] = {0, 3, 12, 48, 1000};
    return rng_below(100) < 3 ? bad[rng_below(5)] : (size_t)1 << rng_below(14);
}

/* Allocates while below a target number of live blocks that moves every
 * 4096 operations, so the heap swings between empty and exhausted. */
static model_op_t random_op(const model_t *m, uint32_t target) {
    model_op_t op = {MODEL_FREE, random_size(), 0u, 1u, (uint32_t)rng_next()};
    uint32_t r = rng_below(100);
    if (rng_below(100) < (m->live_count < target ? 75u : 25u)) {
        op.kind = r < 50 ? MODEL_ALLOC : r < 70 ? MODEL_ALIGNED : r < 85 ? MODEL_CALLOC : MODEL_REALLOC;
        op.align = random_alignment();
        if (op.kind == MODEL_CALLOC) {
            op.count = 1u + rng_below(8);
            op.size /= op.count;
            if (rng_below(50) == 0) {
                op.count = SIZE_MAX / 3u, op.size = 4u + rng_below(100);
            }
        }
    } else {
        op.kind = r < 80 ? MODEL_FREE : r < 95 ? MODEL_REALLOC : MODEL_FREE_BAD;
    }
    return op;
}

/* What the operations exercised, so a run that stopped exercising
 * fallback or exhaustion shows it. */
static void print_summary(const poolheap_t *heap, unsigned long long ops) {
    unsigned long long peak = 0, fallbacks = 0, oom = 0;
    for (unsigned i = 0; i < heap->pool_count; i++) {
        poolheap_pool_stats_t p;
        poolheap_pool_stats(heap, i, &p);
        peak += p.peak, fallbacks += p.fallbacks, oom += p.oom;
    }
    poolheap_stats_t s;
    poolheap_stats(heap, &s);
    printf("model_test: %s: %llu operations, %llu blocks used at the peaks, %llu fallbacks, %u failed (%llu out of "
           "memory in a pool), %u bad pointers or arguments rejected\n",
           heap->flags & POOLHEAP_NO_FALLBACK ? "no-fallback heap" : "fallback heap", ops, peak, fallbacks, s.failures,
           oom, s.rejected);
}

static int run(const poolheap_t *heap, unsigned long long ops) {
    model_t model;
    if (model_init(&model, heap) != 0) {
        fprintf(stderr, "model_test: out of memory\n");
        return 1;
    }
    int failed = 0;
    uint32_t target = 0;
    for (unsigned long long i = 0; i < ops && !failed; i++) {
        if (i % 4096u == 0u) {
            target = rng_below(heap->blocks + 1u);
            failed = model_verify_all(&model);
        }
        model_op_t op = random_op(&model, target);
        failed = failed || model_apply(&model, &op);
    }
    failed = failed || model_drain(&model);
    model_destroy(&model);
    print_summary(heap, ops);
    return failed;
}

int main(int argc, char **argv) {
    unsigned long long ops = argc > 1 ? strtoull(argv[1], NULL, 0) : 6000000u;
    const char *seed_text = argc > 2 ? argv[2] : getenv("POOLHEAP_SEED");
    uint64_t seed = seed_text != NULL ? strtoull(seed_text, NULL, 0) : (uint64_t)time(NULL) * 0x9E3779B97F4A7C15ULL;
    rng_state = seed != 0u ? seed : 1u; /* xorshift must not start at 0 */
    printf("model_test: seed %llu, %llu operations (rerun: model_test %llu %llu)\n", (unsigned long long)seed, ops, ops,
           (unsigned long long)seed);
    fflush(stdout);

    size_t span = poolheap_layout_span(test_pools, POOL_COUNT);
    size_t align = poolheap_layout_alignment(test_pools, POOL_COUNT);
    unsigned char *region = malloc(span + align);
    poolheap_word_t *side_table = calloc(1024u, sizeof *side_table);
    static poolheap_runtime_t runtime;
    int failed = region == NULL || side_table == NULL;
    static const unsigned flags[] = {0u, POOLHEAP_NO_FALLBACK};
    for (int i = 0; i < 2 && !failed; i++) {
        const poolheap_t *heap = poolheap_create(&runtime, region, span + align, test_pools, POOL_COUNT, flags[i],
                                                 POOLHEAP_DEBUG ? side_table : NULL, "model");
        failed = heap == NULL || run(heap, ops / 2u);
    }
    free(region);
    free(side_table);
    printf("model_test: %s (seed %llu)\n", failed ? "FAILED" : "passed", (unsigned long long)seed);
    return failed;
}
