/* Interrupt masking for the Cortex-M trace sinks: a record is written with
 * interrupts masked so a nested interrupt's record cannot start inside it. */
#ifndef POOLHEAP_TRACE_IRQ_H
#define POOLHEAP_TRACE_IRQ_H

#include <stdint.h>

/* Masks interrupts and returns the previous PRIMASK, so sections nest. The
 * "memory" clobbers keep the compiler from moving accesses across. */
static inline uint32_t ph_trace_irq_save(void) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    return primask;
}

static inline void ph_trace_irq_restore(uint32_t primask) {
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

#endif /* POOLHEAP_TRACE_IRQ_H */
