/* Statistics counters and the bump counter on ARMv6-M, which has no atomic
 * read-modify-write: each update runs with interrupts masked (PRIMASK).
 *
 * Every masked section is one asm statement, from the `cpsid i` to the
 * `msr primask` that restores the saved mask, so the compiler cannot put a
 * spill or anything else inside it: the instructions written here are all
 * that run masked (at most 7). PRIMASK is restored, not cleared, so sections
 * nest. The "memory" clobbers keep the compiler's own accesses outside.
 * GCC reads Thumb-1 inline assembly in the divided syntax (flag-setting
 * `add`/`sub` are written without the `s`, LDM/STM as LDMIA/STMIA). */
#ifndef POOLHEAP_ARCH_COUNTER_IRQ_H
#define POOLHEAP_ARCH_COUNTER_IRQ_H

#include <stdint.h>

#include "poolheap.h"

/* The start and the end of every masked section: PRIMASK saved into the
 * operand named `saved`, interrupts masked; PRIMASK restored. */
#define PH_MASK "mrs %[saved], primask\n\tcpsid i\n\t"
#define PH_UNMASK "msr primask, %[saved]"

/* A single aligned word load or store is atomic on Cortex-M. */
static inline uint32_t ph_word_load(const poolheap_word_t *w) {
    return *w;
}

static inline void ph_word_store(poolheap_word_t *w, uint32_t v) {
    *w = v;
}

/* Adds v (which may be a negated value, modulo 2^32) and returns the sum.
 * Masked: cpsid, ldr, adds, str, msr. */
static inline uint32_t ph_word_add(poolheap_word_t *w, uint32_t v) {
    uint32_t saved, sum;
    __asm__ volatile(PH_MASK "ldr %[sum], [%[w]]\n\t"
                             "add %[sum], %[sum], %[v]\n\t"
                             "str %[sum], [%[w]]\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [sum] "=&l"(sum)
                     : [w] "l"(w), [v] "l"(v)
                     : "cc", "memory");
    return sum;
}

/* Stores `desired` if *w still holds `expected`; returns 1 if it did
 * (never fails spuriously here).
 * Masked: cpsid, ldr, cmp, bne, str, msr. */
static inline int ph_word_cas(poolheap_word_t *w, uint32_t expected, uint32_t desired) {
    uint32_t saved, seen;
    __asm__ volatile(PH_MASK "ldr %[seen], [%[w]]\n\t"
                             "cmp %[seen], %[expected]\n\t"
                             "bne 1f\n\t"
                             "str %[desired], [%[w]]\n"
                             "1:\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [seen] "=&l"(seen)
                     : [w] "l"(w), [expected] "l"(expected), [desired] "l"(desired)
                     : "cc", "memory");
    return seen == expected;
}

/* Swaps in v and returns the old value. Masked: cpsid, ldr, str, msr. */
static inline uint32_t ph_word_exchange(poolheap_word_t *w, uint32_t v) {
    uint32_t saved, old;
    __asm__ volatile(PH_MASK "ldr %[old], [%[w]]\n\t"
                             "str %[v], [%[w]]\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [old] "=&l"(old)
                     : [w] "l"(w), [v] "l"(v)
                     : "memory");
    return old;
}

/* Takes the next never-used block index below `limit`; a value >= limit
 * means none is left. Masked: cpsid, ldr, cmp, bhs, adds, str, msr. */
static inline uint32_t ph_word_bump(poolheap_word_t *w, uint32_t limit) {
    uint32_t saved, n, next;
    __asm__ volatile(PH_MASK "ldr %[n], [%[w]]\n\t"
                             "cmp %[n], %[limit]\n\t"
                             "bhs 1f\n\t"
                             "add %[next], %[n], #1\n\t"
                             "str %[next], [%[w]]\n"
                             "1:\n\t" PH_UNMASK
                     : [saved] "=&l"(saved), [n] "=&l"(n), [next] "=&l"(next)
                     : [w] "l"(w), [limit] "l"(limit)
                     : "cc", "memory");
    return n;
}

#endif /* POOLHEAP_ARCH_COUNTER_IRQ_H */
