/* Statistics counters on targets with atomic read-modify-write (C11).
 *
 * Every counter operation is memory_order_relaxed: counters order nothing.
 * No other memory access depends on a counter's value, so they need only be
 * atomic (no lost updates), not ordered against the free lists. */
#ifndef POOLHEAP_ARCH_COUNTER_C11_H
#define POOLHEAP_ARCH_COUNTER_C11_H

#include <stdatomic.h>
#include <stdint.h>

#include "poolheap.h"

static inline uint32_t ph_word_load(const poolheap_word_t *w) {
    return atomic_load_explicit(w, memory_order_relaxed); /* relaxed: a counter, see above */
}

static inline void ph_word_store(poolheap_word_t *w, uint32_t v) {
    atomic_store_explicit(w, v, memory_order_relaxed); /* relaxed: a counter, see above */
}

/* Adds v (which may be a negated value, modulo 2^32) and returns the sum. */
static inline uint32_t ph_word_add(poolheap_word_t *w, uint32_t v) {
    return atomic_fetch_add_explicit(w, v, memory_order_relaxed) + v; /* relaxed: a counter */
}

/* Stores `desired` if *w still holds `expected`; returns 1 if it did. It
 * may also fail spuriously (weak: one LDREX/STREX pair, no inner loop), so
 * callers loop. Relaxed: a counter (see above). */
static inline int ph_word_cas(poolheap_word_t *w, uint32_t expected, uint32_t desired) {
    return atomic_compare_exchange_weak_explicit(w, &expected, desired, memory_order_relaxed, memory_order_relaxed);
}

/* Swaps in v and returns the old value (the debug side table's claim on a
 * block: of two racing frees of one block exactly one sees it live). */
static inline uint32_t ph_word_exchange(poolheap_word_t *w, uint32_t v) {
    return atomic_exchange_explicit(w, v, memory_order_relaxed); /* relaxed: only this word matters */
}

#endif /* POOLHEAP_ARCH_COUNTER_C11_H */
