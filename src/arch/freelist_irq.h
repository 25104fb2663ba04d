/* Free list for ARMv6-M (Cortex-M0/M0+), which has no exclusive accesses:
 * pop and push run with interrupts masked, so nothing can run between
 * reading the head and writing it. The section is a handful of
 * instructions, and PRIMASK is restored (not cleared), so it nests.
 * Ordering: single core, masked interrupts; the "memory" clobbers in
 * ph_irq_save/ph_irq_restore keep the compiler inside the section. */
#ifndef POOLHEAP_ARCH_FREELIST_IRQ_H
#define POOLHEAP_ARCH_FREELIST_IRQ_H

#include <stdint.h>

#include "counter_irq.h"
#include "freelist_pointer_walk.h"
#include "poolheap.h"

static inline void *ph_list_pop(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    uint32_t saved = ph_irq_save();
    uint32_t top = st->free;
    if (top != 0u) {
        st->free = *(volatile uint32_t *)top;
    }
    ph_irq_restore(saved);
    return (void *)top;
}

static inline void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    (void)index;
    uint32_t saved = ph_irq_save();
    *(volatile uint32_t *)block = st->free;
    st->free = (uint32_t)(uintptr_t)block;
    ph_irq_restore(saved);
}

#endif /* POOLHEAP_ARCH_FREELIST_IRQ_H */
