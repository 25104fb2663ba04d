/* The synthetic request stream: a seeded generator and request sizes that
 * span poolheap's default pools (bench_layout_default) evenly. */
#ifndef BENCH_WORKLOAD_H
#define BENCH_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "bench_alloc.h"

/* xorshift64*: fast, and the same stream on every machine for one seed. */
static inline uint64_t bench_random(uint64_t *state) {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    return *state * 0x2545F4914F6CDD1Dull;
}

/* One of 8 size classes, equally likely: 1..16, 17..32, 33..64, ...
 * 1025..2048 bytes, uniform within the class; so each default pool serves
 * one request in 8, and small sizes are as common as in real programs. */
static inline size_t bench_random_size(uint64_t *state) {
    uint64_t r = bench_random(state);
    unsigned size_class = (unsigned)(r & 7u);
    size_t low = size_class == 0u ? 0u : (size_t)8u << size_class;
    size_t width = size_class == 0u ? 16u : low;
    return low + 1u + (size_t)((r >> 3) % width);
}

#endif /* BENCH_WORKLOAD_H */
