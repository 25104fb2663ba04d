/* Walking and clearing a free list whose head and links are 32-bit block
 * addresses (the Cortex-M lists: freelist_llsc.h, freelist_irq.h). Only
 * the deep check and reset use these, with no operation running. */
#ifndef POOLHEAP_ARCH_FREELIST_POINTER_WALK_H
#define POOLHEAP_ARCH_FREELIST_POINTER_WALK_H

#include <stdint.h>

#include "poolheap.h"

static inline void *ph_list_first(const poolheap_t *heap, const poolheap_pool_t *pool,
                                  const poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    return (void *)(uintptr_t)st->free;
}

static inline void *ph_list_next(const poolheap_t *heap, const poolheap_pool_t *pool, const void *block) {
    (void)heap;
    (void)pool;
    return (void *)(uintptr_t) * (const volatile uint32_t *)block;
}

static inline void ph_list_clear(poolheap_pool_state_t *st) {
    st->free = 0u;
}

#endif /* POOLHEAP_ARCH_FREELIST_POINTER_WALK_H */
