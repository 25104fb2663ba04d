/* Free list for hosts: a Treiber stack whose head carries a generation tag.
 *
 * head = (generation << 32) | (index + 1), index 0 meaning the empty list.
 * A free block's first 4 bytes hold the index + 1 of the next free block.
 * Every successful update increments the generation, so a pop that read
 * head H and next N can only succeed if nobody changed the head since: the
 * classic ABA case (H popped, reused, pushed back while we were preempted)
 * changes the generation and our compare-and-swap fails. A wrap of the 32-bit
 * generation during one preempted pop would take 2^32 updates in that window.
 */
#ifndef POOLHEAP_ARCH_FREELIST_TAGGED_H
#define POOLHEAP_ARCH_FREELIST_TAGGED_H

#include <stdatomic.h>
#include <stdint.h>

#include "poolheap.h"

typedef _Atomic uint32_t ph_link_t;

/* Computed as an integer: a corrupt link seen by the deep check may point
 * anywhere, and is validated before it is dereferenced. */
static inline unsigned char *ph_tagged_block(const poolheap_t *heap, const poolheap_pool_t *pool, uint32_t index) {
    (void)heap;
    return (unsigned char *)((uintptr_t)pool->start + (uintptr_t)index * pool->block);
}

static inline void *ph_list_pop(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    /* acquire: pairs with the release of the push that published this head,
     * so the next link that push wrote into the block is visible to us. */
    uint64_t head = atomic_load_explicit(&st->free, memory_order_acquire);
    for (;;) {
        uint32_t top = (uint32_t)head;
        if (top == 0u) {
            return NULL;
        }
        unsigned char *block = ph_tagged_block(heap, pool, top - 1u);
        /* relaxed: if another thread pops this block first, what we read may
         * be stale or the new owner's data; the tagged CAS below then fails
         * and we retry, so the value is only used when it was the true link.
         * The index is always inside the pool, so the read is always valid
         * memory. (This read races with the new owner's plain writes by
         * design; tests/tsan.supp documents it for ThreadSanitizer.) */
        uint32_t next = atomic_load_explicit((ph_link_t *)(void *)block, memory_order_relaxed);
        uint64_t desired = ((head >> 32) + 1u) << 32 | next;
        /* acquire on success: the block's contents (the freeing thread's last
         * writes) happen before our caller reuses it. acquire on failure: we
         * loop and read through the new head, as after the first load. */
        if (atomic_compare_exchange_weak_explicit(&st->free, &head, desired, memory_order_acquire,
                                                  memory_order_acquire)) {
            return block;
        }
    }
}

static inline void ph_list_push(poolheap_pool_state_t *st, void *block, uint32_t index) {
    uint32_t top = index + 1u;
    /* relaxed: the value is only a guess for the CAS, which re-reads it. */
    uint64_t head = atomic_load_explicit(&st->free, memory_order_relaxed);
    do {
        /* relaxed: published by the release CAS below. */
        atomic_store_explicit((ph_link_t *)block, (uint32_t)head, memory_order_relaxed);
        /* release on success: the link above and the caller's last writes to
         * the block are visible to whoever pops it (acquire). relaxed on
         * failure: we only retry. */
    } while (!atomic_compare_exchange_weak_explicit(&st->free, &head, ((head >> 32) + 1u) << 32 | top,
                                                    memory_order_release, memory_order_relaxed));
}

/* For the deep check (no concurrent updates): walking the list. */
static inline void *ph_list_first(const poolheap_t *heap, const poolheap_pool_t *pool,
                                  const poolheap_pool_state_t *st) {
    uint32_t top = (uint32_t)atomic_load_explicit(&st->free, memory_order_acquire);
    return top ? ph_tagged_block(heap, pool, top - 1u) : NULL;
}

static inline void *ph_list_next(const poolheap_t *heap, const poolheap_pool_t *pool, const void *block) {
    uint32_t next = atomic_load_explicit((ph_link_t *)(uintptr_t)block, memory_order_relaxed);
    return next ? ph_tagged_block(heap, pool, next - 1u) : NULL;
}

static inline void ph_list_clear(poolheap_pool_state_t *st) {
    atomic_store_explicit(&st->free, 0u, memory_order_relaxed); /* relaxed: reset runs alone */
}

#endif /* POOLHEAP_ARCH_FREELIST_TAGGED_H */
