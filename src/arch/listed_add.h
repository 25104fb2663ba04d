/* The free-list length (POOLHEAP_STATS) on hosts, whose list update is one
 * compare-and-swap: a separate atomic add right after a successful pop (-1)
 * or push (+1). Between the two a reader
 * sees the length off by one per operation in flight, which
 * poolheap_pool_stats tolerates (it keeps in_use within 0 and the peak).
 * Relaxed: the length orders nothing (counter_c11.h). */
#ifndef POOLHEAP_ARCH_LISTED_ADD_H
#define POOLHEAP_ARCH_LISTED_ADD_H

#include <stdint.h>

#include "../always_inline.h"
#include "counter_c11.h"
#include "poolheap.h"

PH_ALWAYS_INLINE void ph_listed_add(poolheap_pool_state_t *st, uint32_t delta) {
#if POOLHEAP_STATS
    ph_word_add(&st->listed, delta);
#else
    (void)st, (void)delta;
#endif
}

#endif /* POOLHEAP_ARCH_LISTED_ADD_H */
