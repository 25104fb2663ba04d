/* A single-producer, single-consumer ring of held blocks: how one thread
 * hands a block (and its ledger tag) to another, which frees it. */
#ifndef POOLHEAP_STRESS_RING_H
#define POOLHEAP_STRESS_RING_H

#include <stdatomic.h>
#include <stdint.h>

#define RING_SLOTS 4u /* a power of two */

typedef struct held {
    void *block;
    uint32_t tag;
} held_t;

typedef struct ring {
    _Atomic uint32_t head; /* next slot to read; written by the consumer */
    _Atomic uint32_t tail; /* next slot to write; written by the producer */
    held_t slots[RING_SLOTS];
} ring_t;

/* Producer: returns 0 if the ring is full. */
static inline int ring_put(ring_t *ring, held_t item) {
    uint32_t tail = atomic_load_explicit(&ring->tail, memory_order_relaxed); /* our own counter */
    /* acquire: the consumer has finished reading the slot we reuse. */
    if (tail - atomic_load_explicit(&ring->head, memory_order_acquire) == RING_SLOTS) {
        return 0;
    }
    ring->slots[tail % RING_SLOTS] = item;
    /* release: the slot's contents before the new tail. */
    atomic_store_explicit(&ring->tail, tail + 1u, memory_order_release);
    return 1;
}

/* Consumer: returns 0 if the ring is empty. */
static inline int ring_get(ring_t *ring, held_t *item) {
    uint32_t head = atomic_load_explicit(&ring->head, memory_order_relaxed); /* our own counter */
    /* acquire: pairs with ring_put's release, so the slot is written. */
    if (atomic_load_explicit(&ring->tail, memory_order_acquire) == head) {
        return 0;
    }
    *item = ring->slots[head % RING_SLOTS];
    /* release: we are done reading the slot before the producer reuses it. */
    atomic_store_explicit(&ring->head, head + 1u, memory_order_release);
    return 1;
}

#endif /* POOLHEAP_STRESS_RING_H */
