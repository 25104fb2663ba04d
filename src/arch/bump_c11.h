/* The per-pool bump counter of never-used blocks, with a C11
 * compare-and-swap (hosts). */
#ifndef POOLHEAP_ARCH_BUMP_C11_H
#define POOLHEAP_ARCH_BUMP_C11_H

#include <stdatomic.h>
#include <stdint.h>

#include "poolheap.h"

/* Takes the next never-used block index below `limit` from a bump counter;
 * returns a value >= limit if there is none. Relaxed: the index only has to be unique;
 * nobody else has touched a never-used block, so there is nothing to order. */
static inline uint32_t ph_word_bump(poolheap_word_t *w, uint32_t limit) {
    uint32_t n = atomic_load_explicit(w, memory_order_relaxed);
    do {
        if (n >= limit) {
            return limit;
        }
    } while (!atomic_compare_exchange_weak_explicit(w, &n, n + 1u, memory_order_relaxed, memory_order_relaxed));
    return n;
}

#endif /* POOLHEAP_ARCH_BUMP_C11_H */
