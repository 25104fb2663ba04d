/* Interrupt masking on Cortex-M (PRIMASK): the building block of every
 * critical section on ARMv6-M (free lists, counters) and of the Cortex-M
 * trace sinks, which write each record whole. */
#ifndef POOLHEAP_ARCH_PRIMASK_H
#define POOLHEAP_ARCH_PRIMASK_H

#include <stdint.h>

/* Masks interrupts and returns the previous PRIMASK, so critical sections
 * nest (an interrupt handler inside another's section restores "masked").
 * The "memory" clobbers keep the compiler from moving accesses across. */
static inline uint32_t ph_irq_save(void) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void ph_irq_restore(uint32_t primask) {
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#endif /* POOLHEAP_ARCH_PRIMASK_H */
