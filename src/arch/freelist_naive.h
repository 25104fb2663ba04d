/* TEST CONTROL ONLY (POOLHEAP_NAIVE_POP): the textbook lock-free stack that
 * is open to the ABA problem. Pop loads the head H, reads its link N, and
 * compare-and-swaps H -> N. If, between the read of N and the CAS, H is
 * popped, N is popped too, and H is pushed back, the CAS still sees H and
 * installs N, a block that is now in use: two owners, a corrupted heap.
 * The stress tests must catch this; see tests/stress/README.md. */
#ifndef POOLHEAP_ARCH_FREELIST_NAIVE_H
#define POOLHEAP_ARCH_FREELIST_NAIVE_H

#include <stdatomic.h>
#include <stdint.h>

#include "poolheap.h"

typedef _Atomic uintptr_t ph_link_t;

static inline void *ph_list_pop(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    /* acquire/release as in freelist_tagged.h; the flaw is the missing tag. */
    uintptr_t top = atomic_load_explicit(&st->free, memory_order_acquire);
    while (top != 0u) {
        uintptr_t next = atomic_load_explicit((ph_link_t *)top, memory_order_relaxed);
        if (atomic_compare_exchange_weak_explicit(&st->free, &top, next, memory_order_acquire, memory_order_acquire)) {
            break;
        }
    }
    return (void *)top;
}

static inline void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    (void)index;
    uintptr_t top = atomic_load_explicit(&st->free, memory_order_relaxed);
    do {
        atomic_store_explicit((ph_link_t *)block, top, memory_order_relaxed);
    } while (!atomic_compare_exchange_weak_explicit(&st->free, &top, (uintptr_t)block, memory_order_release,
                                                    memory_order_relaxed));
}

static inline void *ph_list_first(const poolheap_t *heap, const poolheap_pool_t *pool,
                                  const poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    return (void *)atomic_load_explicit(&st->free, memory_order_acquire);
}

static inline void *ph_list_next(const poolheap_t *heap, const poolheap_pool_t *pool, const void *block) {
    (void)heap;
    (void)pool;
    return (void *)atomic_load_explicit((ph_link_t *)(uintptr_t)block, memory_order_relaxed);
}

static inline void ph_list_clear(poolheap_pool_state_t *st) {
    atomic_store_explicit(&st->free, 0u, memory_order_relaxed);
}

#endif /* POOLHEAP_ARCH_FREELIST_NAIVE_H */
