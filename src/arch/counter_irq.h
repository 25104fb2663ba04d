/* Statistics counters on ARMv6-M, which has no atomic read-modify-write:
 * each update runs with interrupts masked (PRIMASK), a few instructions. */
#ifndef POOLHEAP_ARCH_COUNTER_IRQ_H
#define POOLHEAP_ARCH_COUNTER_IRQ_H

#include <stdint.h>

#include "poolheap.h"
#include "primask.h"

/* A single aligned word load or store is atomic on Cortex-M. */
static inline uint32_t ph_word_load(const poolheap_word_t *w) {
    return *w;
}

static inline void ph_word_store(poolheap_word_t *w, uint32_t v) {
    *w = v;
}

static inline uint32_t ph_word_add(poolheap_word_t *w, uint32_t v) {
    uint32_t saved = ph_irq_save();
    uint32_t sum = *w + v;
    *w = sum;
    ph_irq_restore(saved);
    return sum;
}

static inline void ph_word_raise(poolheap_word_t *w, uint32_t v) {
    uint32_t saved = ph_irq_save();
    if (*w < v) {
        *w = v;
    }
    ph_irq_restore(saved);
}

static inline uint32_t ph_word_exchange(poolheap_word_t *w, uint32_t v) {
    uint32_t saved = ph_irq_save();
    uint32_t old = *w;
    *w = v;
    ph_irq_restore(saved);
    return old;
}

/* As in counter_c11.h: a value >= limit means none is left. */
static inline uint32_t ph_word_bump(poolheap_word_t *w, uint32_t limit) {
    uint32_t saved = ph_irq_save();
    uint32_t n = *w;
    if (n < limit) {
        *w = n + 1u;
    }
    ph_irq_restore(saved);
    return n;
}

#endif /* POOLHEAP_ARCH_COUNTER_IRQ_H */
