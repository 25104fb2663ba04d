/* Free list for ARMv6-M (Cortex-M0/M0+), which has no exclusive accesses:
 * pop and push run with interrupts masked, so nothing can run between
 * reading the head and writing it. The head and the list's length
 * (POOLHEAP_STATS) are adjacent words, loaded with one LDM and stored with
 * one STM inside the same section.
 *
 * Each section is one asm statement (see counter_irq.h): masked are at most
 * 8 instructions in pop (cpsid, ldm, cmp, beq, ldr, sub, stm, msr) and 6 in
 * push. LDM and STM take their registers in ascending order, so the values
 * are bound to r1 (the new head), r2 (the old head) and r3 (the length).
 * Ordering: single core, masked interrupts; the "memory" clobbers keep the
 * compiler's accesses outside the section. */
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
    register uint32_t next __asm__("r1");
    register uint32_t top __asm__("r2");
    uint32_t saved;
#if POOLHEAP_STATS
    register uint32_t length __asm__("r3");
    poolheap_pool_state_t *load = st, *store = st; /* LDM and STM advance their base */
    __asm__ volatile(PH_MASK "ldmia %[load]!, {%[top], %[length]}\n\t"
                             "cmp %[top], #0\n\t"
                             "beq 1f\n\t"
                             "ldr %[next], [%[top]]\n\t"
                             "sub %[length], #1\n\t"
                             "stmia %[store]!, {%[next], %[length]}\n"
                             "1:\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [next] "=&l"(next), [top] "=&l"(top), [length] "=&l"(length),
                       [load] "+l"(load), [store] "+l"(store)
                     :
                     : "cc", "memory");
#else
    __asm__ volatile(PH_MASK "ldr %[top], [%[st]]\n\t"
                             "cmp %[top], #0\n\t"
                             "beq 1f\n\t"
                             "ldr %[next], [%[top]]\n\t"
                             "str %[next], [%[st]]\n"
                             "1:\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [next] "=&l"(next), [top] "=&l"(top)
                     : [st] "l"(st)
                     : "cc", "memory");
#endif
    return (void *)top;
}

PH_ALWAYS_INLINE void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    (void)index;
    register void *pushed __asm__("r1") = block;
    register uint32_t top __asm__("r2");
    uint32_t saved;
#if POOLHEAP_STATS
    register uint32_t length __asm__("r3");
    poolheap_pool_state_t *load = st, *store = st; /* LDM and STM advance their base */
    __asm__ volatile(
        "mrs %[saved], primask\n\t"
        "cpsid i\n\t"
        "ldmia %[load]!, {%[top], %[length]}\n\t"
        "str %[top], [%[pushed]]\n\t"
        "add %[length], #1\n\t"
        "stmia %[store]!, {%[pushed], %[length]}\n\t" PH_UNMASK
        : [saved] "=&l"(saved), [top] "=&l"(top), [length] "=&l"(length), [load] "+l"(load), [store] "+l"(store)
        : [pushed] "l"(pushed)
        : "cc", "memory");
#else
    __asm__ volatile(PH_MASK "ldr %[top], [%[st]]\n\t"
                             "str %[top], [%[pushed]]\n\t"
                             "str %[pushed], [%[st]]\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [top] "=&l"(top)
                     : [st] "l"(st), [pushed] "l"(pushed)
                     : "memory");
#endif
}

#endif /* POOLHEAP_ARCH_FREELIST_IRQ_H */
