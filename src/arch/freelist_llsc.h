/* Free list for ARMv7-M, ARMv7E-M and ARMv8-M: LDREX/STREX held across the
 * whole pop.
 *
 * The head is a block address (0 = empty); a free block's first word holds
 * the next block's address. Pop loads the head with LDREX, reads the next
 * link, and stores it with STREX. The exclusive monitor is cleared by every
 * exception entry and return and by any other STREX to the head, so the
 * STREX succeeds only if nothing that could have changed the head ran since
 * the LDREX: the ABA case (our head popped, reused and pushed back by an
 * interrupt handler) always makes it fail, and we retry. A compare-and-swap
 * on a previously loaded head would accept that stale head; this does not.
 *
 * Ordering: these cores are single-issue and in-order for the purposes of a
 * single core, and an interrupt handler sees all of the interrupted code's
 * completed accesses, so no DMB is needed on a single-core part; the "memory"
 * clobbers stop the compiler from moving accesses across the exclusives.
 * (A multi-core part sharing a heap between cores would need DMBs.)
 */
#ifndef POOLHEAP_ARCH_FREELIST_LLSC_H
#define POOLHEAP_ARCH_FREELIST_LLSC_H

#include <stdint.h>

#include "../always_inline.h"
#include "freelist_pointer_walk.h"
#include "poolheap.h"

static inline uint32_t ph_ldrex(poolheap_head_t *address) {
    uint32_t value;
    __asm__ volatile("ldrex %0, [%1]" : "=r"(value) : "r"(address) : "memory");
    return value;
}

/* Returns 0 if the store happened, 1 if the monitor was lost. */
static inline uint32_t ph_strex(poolheap_head_t *address, uint32_t value) {
    uint32_t failed;
    __asm__ volatile("strex %0, %2, [%1]" : "=&r"(failed) : "r"(address), "r"(value) : "memory");
    return failed;
}

static inline void ph_clrex(void) {
    __asm__ volatile("clrex" ::: "memory");
}

PH_ALWAYS_INLINE void *ph_list_pop(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    (void)heap;
    (void)pool;
    uint32_t top;
    do {
        top = ph_ldrex(&st->free);
        if (top == 0u) {
            ph_clrex(); /* drop the reservation we will not use */
            return NULL;
        }
        /* Still inside the exclusive section: top is the current head, so
         * this is its true link unless the monitor is lost, in which case
         * the STREX fails and the value is discarded. */
    } while (ph_strex(&st->free, *(volatile uint32_t *)top));
    return (void *)top;
}

/* The bump counter of never-used blocks, with the same exclusives: returns
 * the next index below `limit`, or a value >= limit if there is none. */
static inline uint32_t ph_word_bump(poolheap_word_t *counter, uint32_t limit) {
    poolheap_head_t *word = (poolheap_head_t *)(uintptr_t)counter; /* same size and alignment */
    uint32_t n;
    do {
        n = ph_ldrex(word);
        if (n >= limit) {
            ph_clrex();
            break;
        }
    } while (ph_strex(word, n + 1u));
    return n;
}

PH_ALWAYS_INLINE void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    (void)index;
    uint32_t top;
    do {
        top = ph_ldrex(&st->free);
        *(volatile uint32_t *)block = top;
    } while (ph_strex(&st->free, (uint32_t)(uintptr_t)block));
}

#endif /* POOLHEAP_ARCH_FREELIST_LLSC_H */
