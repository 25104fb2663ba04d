/* POOLHEAP_DEFINE: static heaps work before any call, and their constant
 * tables are exactly what poolheap_create computes for the same pools. */
#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "drone_pools.h"
#include "layout_expect.h"
#include "poolheap/define.h"

/* Each list expands both into a static heap and into a config array, so
 * both ways of building a heap see the same pools. */
#define AS_CONFIG(h, block, capacity) {block, capacity},

POOLHEAP_DEFINE(drone_heap, DRONE_SIZE, DRONE_POOLS);

/* Alignments that go up and down, so pools need padding. */
#define ODD_POOLS(X, h) \
    X(h, 24, 3)         \
    X(h, 64, 2)         \
    X(h, 72, 1)         \
    X(h, 128, 1)        \
    X(h, 136, 2)
POOLHEAP_DEFINE(odd_heap, 24 * 3 + 64 * 2 + 72 + 128 + 136 * 2, ODD_POOLS);

#define SINGLE_POOL(X, h) X(h, 32, 2)
POOLHEAP_DEFINE(single_heap, 64, SINGLE_POOL);

/* 32 pools, the number the issue asks every heap to support. */
#define WIDE_POOLS(X, h) \
    X(h, 8, 1)           \
    X(h, 16, 1)          \
    X(h, 24, 1)          \
    X(h, 32, 1)          \
    X(h, 40, 1)          \
    X(h, 48, 1)          \
    X(h, 56, 1)          \
    X(h, 64, 1)          \
    X(h, 72, 1)          \
    X(h, 80, 1)          \
    X(h, 88, 1)          \
    X(h, 96, 1)          \
    X(h, 104, 1)         \
    X(h, 112, 1)         \
    X(h, 120, 1)         \
    X(h, 128, 1)         \
    X(h, 136, 1)         \
    X(h, 144, 1)         \
    X(h, 152, 1)         \
    X(h, 160, 1)         \
    X(h, 168, 1)         \
    X(h, 176, 1)         \
    X(h, 184, 1)         \
    X(h, 192, 1)         \
    X(h, 200, 1)         \
    X(h, 208, 1)         \
    X(h, 216, 1)         \
    X(h, 224, 1)         \
    X(h, 232, 1)         \
    X(h, 240, 1)         \
    X(h, 248, 1)         \
    X(h, 256, 1)
POOLHEAP_DEFINE(wide_heap, 8 * (32 * 33 / 2), WIDE_POOLS);

/* In a named section (kept in RAM by every linker script: .data.*), with
 * fallback off. */
#define SECTION_POOLS(X, h) \
    X(h, 8, 2)              \
    X(h, 16, 2)
POOLHEAP_DEFINE_IN(section_heap, 48, SECTION_POOLS, ".data.poolheap_test", POOLHEAP_NO_FALLBACK);

POOLHEAP_DECLARE(drone_heap); /* what another file would write */

#define CONFIG_OF(POOLS) \
    { POOLS(AS_CONFIG, unused) }
static const poolheap_pool_config_t drone_config[] = CONFIG_OF(DRONE_POOLS);
static const poolheap_pool_config_t odd_config[] = CONFIG_OF(ODD_POOLS);
static const poolheap_pool_config_t single_config[] = CONFIG_OF(SINGLE_POOL);
static const poolheap_pool_config_t wide_config[] = CONFIG_OF(WIDE_POOLS);
#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static poolheap_runtime_t runtime;

/* Builds the run-time twin of a static heap over the static heap's own
 * region (create writes no block, only the twin's state) and compares
 * every constant. */
static void check_twin(const poolheap_t *defined, const poolheap_pool_config_t *pools, size_t count) {
    const poolheap_t *created =
        poolheap_create(&runtime, defined->base, defined->span, pools, count, defined->flags, NULL, "twin");
    CHECK(created != NULL);
    if (created == NULL) {
        return;
    }
    CHECK(created->base == defined->base);
    CHECK_EQ(created->size, defined->size);
    CHECK_EQ(created->span, defined->span);
    CHECK_EQ(created->blocks, defined->blocks);
    CHECK_EQ(created->pool_count, defined->pool_count);
    for (size_t i = 0; i <= count; i++) { /* every field but the state, which is each heap's own */
        const poolheap_pool_t *c = &created->pools[i], *d = &defined->pools[i];
        CHECK(c->block == d->block && c->capacity == d->capacity && c->start == d->start && c->inverse == d->inverse &&
              c->shift == d->shift && c->end == d->end && c->first == d->first);
    }
    CHECK(memcmp(created->classes, defined->classes, POOLHEAP_CLASSES) == 0);
    CHECK_EQ(created->page_shift, defined->page_shift);
    CHECK(memcmp(created->pages, defined->pages, POOLHEAP_PAGES) == 0);
    check_layout(defined, pools, count);
}

static void a_static_heap_serves_before_any_call(void) {
    void *block = poolheap_alloc(&drone_heap, 100);
    CHECK(block == drone_heap.pools[4].start);
    poolheap_free(&drone_heap, block);
    CHECK_EQ(poolheap_deep_check(&drone_heap), 0);
}

static void drone_heap_agrees_with_create(void) {
    check_twin(&drone_heap, drone_config, COUNT(drone_config));
}

static void a_heap_with_padding_agrees_with_create(void) {
    check_twin(&odd_heap, odd_config, COUNT(odd_config));
}

static void a_single_pool_heap_agrees_with_create(void) {
    check_twin(&single_heap, single_config, COUNT(single_config));
}

static void a_32_pool_heap_agrees_with_create(void) {
    check_twin(&wide_heap, wide_config, COUNT(wide_config));
}

static void a_32_pool_heap_serves_every_size_from_its_pool(void) {
    for (uint32_t i = 0; i < wide_heap.pool_count; i++) {
        uint32_t block = wide_heap.pools[i].block;
        void *p = poolheap_alloc(&wide_heap, block - 7u);
        CHECK_EQ(poolheap_usable_size(&wide_heap, p), block);
        poolheap_free(&wide_heap, p);
    }
    CHECK_EQ(poolheap_deep_check(&wide_heap), 0);
}

static void defined_heaps_have_their_names_and_flags(void) {
    CHECK(strcmp(drone_heap.name, "drone_heap") == 0);
    CHECK_EQ(drone_heap.flags, 0);
    CHECK_EQ(section_heap.flags, POOLHEAP_NO_FALLBACK);
}

static void a_heap_in_a_section_serves_without_fallback(void) {
    void *a = poolheap_alloc(&section_heap, 8);
    void *b = poolheap_alloc(&section_heap, 8);
    CHECK(a != NULL && b != NULL);
    CHECK(poolheap_alloc(&section_heap, 8) == NULL);
    CHECK_EQ((uintptr_t)section_heap.base % 16, 0);
}

static void heaps_are_independent(void) {
    void *a = poolheap_alloc(&single_heap, 1);
    CHECK(poolheap_owns(&single_heap, a));
    CHECK(!poolheap_owns(&odd_heap, a));
    poolheap_stats_t stats;
    poolheap_stats(&odd_heap, &stats);
    CHECK_EQ(stats.bytes_in_use, 0);
    poolheap_free(&single_heap, a);
}

int main(void) {
    RUN(a_static_heap_serves_before_any_call);
    RUN(drone_heap_agrees_with_create);
    RUN(a_heap_with_padding_agrees_with_create);
    RUN(a_single_pool_heap_agrees_with_create);
    RUN(a_32_pool_heap_agrees_with_create);
    RUN(a_32_pool_heap_serves_every_size_from_its_pool);
    RUN(defined_heaps_have_their_names_and_flags);
    RUN(a_heap_in_a_section_serves_without_fallback);
    RUN(heaps_are_independent);
    return test_summary();
}
