/* What the programs of scripts/count-instructions share: the markers
 * (markers.h) and the random workload's seed, generator and heap. */
#ifndef COUNT_WORKLOAD_H
#define COUNT_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

#include "markers.h"

/* The random workload: operations over SLOTS slots, sizes 4 to 298 bytes,
 * an empty slot allocated, a full one freed. */
#define COUNT_SEED 0x9E3779B9u
#define SLOTS 64u

static inline uint32_t next_random(uint32_t *state) {
    uint32_t x = *state; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static inline size_t random_size(uint32_t r) {
    return 4u + (r >> 8) % 295u;
}

/* Room for the 64 slots whatever their sizes (POOLHEAP_DEFINE's pool list). */
#define COUNT_POOLS(X, h) \
    X(h, 8, 64)           \
    X(h, 16, 64)          \
    X(h, 32, 64)          \
    X(h, 64, 64)          \
    X(h, 128, 64)         \
    X(h, 304, 64)
#define COUNT_HEAP_SIZE ((8 + 16 + 32 + 64 + 128 + 304) * 64)

#endif
