/* Free list for ARMv6-M (Cortex-M0/M0+), which has no exclusive accesses:
 * pop and push run with interrupts masked, so nothing can run between
 * reading the head and writing it.
 *
 * Each section is one asm statement (see counter_irq.h): masked are 7
 * instructions in pop (cpsid, ldr, cmp, beq, ldr, str, msr) and 5 in push
 * (cpsid, ldr, str, str, msr). Ordering: single core, masked interrupts;
 * the "memory" clobbers keep the compiler's accesses outside the section. */
#ifndef POOLHEAP_ARCH_FREELIST_IRQ_H
#define POOLHEAP_ARCH_FREELIST_IRQ_H

#include <stdint.h>

#include "../always_inline.h"
#include "counter_irq.h"
#include "freelist_pointer_walk.h"
#include "poolheap.h"

PH_ALWAYS_INLINE void *ph_list_pop(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    uint32_t next, top, saved;
    __asm__ volatile(PH_MASK "ldr %[top], [%[st]]\n\t"
                             "cmp %[top], #0\n\t"
                             "beq 1f\n\t"
                             "ldr %[next], [%[top]]\n\t"
                             "str %[next], [%[st]]\n"
                             "1:\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [next] "=&l"(next), [top] "=&l"(top)
                     : [st] "l"(st)
                     : "cc", "memory");
    return (void *)top;
}

PH_ALWAYS_INLINE void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    (void)index;
    uint32_t top, saved;
    __asm__ volatile(PH_MASK "ldr %[top], [%[st]]\n\t"
                             "str %[top], [%[pushed]]\n\t"
                             "str %[pushed], [%[st]]\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [top] "=&l"(top)
                     : [st] "l"(st), [pushed] "l"(block)
                     : "memory");
}

#endif /* POOLHEAP_ARCH_FREELIST_IRQ_H */
