/* Throughput when blocks are freed by another thread: producer/consumer.
 *
 *   bench_handoff_ALLOCATOR [--threads N] [--ops N] [--seed N]
 *
 * N / 2 pairs of threads (N even). In each pair the producer allocates
 * `--ops` blocks of random sizes, writes their first byte and passes them
 * through a bounded single-producer single-consumer ring; the consumer reads
 * that byte and frees the block. Each side re-reads the other's position
 * only when its last copy says the ring is full (empty), and then waits,
 * yielding the processor, until it is half empty (half full), so that the
 * two threads pass the ring's lines back and forth once per half ring, not
 * once per block: what is measured is the allocator, not the ring. Prints "throughput ... pattern=handoff ...
 * mops=M", M being millions of operations (allocs plus frees) per second. */
#define _POSIX_C_SOURCE 200809L
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench_alloc.h"
#include "bench_options.h"
#include "bench_threads.h"
#include "bench_workload.h"

#define HANDOFF_RING 256u /* blocks in flight per pair, at most */

typedef struct handoff_ring {
    _Alignas(64) atomic_size_t head; /* next slot to take; written by the consumer */
    _Alignas(64) atomic_size_t tail; /* next slot to fill; written by the producer */
    _Alignas(64) unsigned char *items[HANDOFF_RING];
} handoff_ring_t;

typedef struct handoff_side {
    handoff_ring_t *ring;
    int producer;
    size_t ops;
    uint64_t random;
    unsigned checksum; /* consumer: sum of the bytes read, so the reads stay */
} handoff_side_t;

/* Both sides work on local copies of their records, which sit side by side
 * (writing them would add false sharing to what is measured). */
static void handoff_produce(handoff_side_t *side) {
    handoff_ring_t *ring = side->ring;
    uint64_t random = side->random;
    size_t head = 0; /* the consumer's position as last seen */
    for (size_t tail = 0; tail < side->ops; tail++) {
        unsigned char *block = bench_malloc(bench_random_size(&random));
        if (block == NULL) {
            fprintf(stderr, "handoff: allocation failed\n");
            exit(1);
        }
        block[0] = 1u;
        /* Full: wait until half of it is free. acquire: the consumer is
         * done with the slots it released. */
        if (tail - head == HANDOFF_RING) {
            head = atomic_load_explicit(&ring->head, memory_order_acquire);
            while (tail - head > HANDOFF_RING / 2u) {
                sched_yield();
                head = atomic_load_explicit(&ring->head, memory_order_acquire);
            }
        }
        ring->items[tail % HANDOFF_RING] = block;
        /* release: the block's contents and the slot are visible first. */
        atomic_store_explicit(&ring->tail, tail + 1u, memory_order_release);
    }
}

static void handoff_consume(handoff_side_t *side) {
    handoff_ring_t *ring = side->ring;
    unsigned checksum = 0u;
    size_t tail = 0; /* the producer's position as last seen */
    for (size_t head = 0; head < side->ops; head++) {
        /* Empty: wait until half of it (or all that is left) is filled.
         * acquire: pairs with the producer's release of the slots. */
        if (tail == head) {
            size_t want = side->ops - head < HANDOFF_RING / 2u ? side->ops - head : HANDOFF_RING / 2u;
            tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
            while (tail - head < want) {
                sched_yield();
                tail = atomic_load_explicit(&ring->tail, memory_order_acquire);
            }
        }
        unsigned char *block = ring->items[head % HANDOFF_RING];
        checksum += block[0];
        bench_free(block);
        /* release: our read of the slot happens before the producer reuses it. */
        atomic_store_explicit(&ring->head, head + 1u, memory_order_release);
    }
    side->checksum = checksum;
}

/* Even threads produce, odd ones consume, pairing 2k with 2k + 1. */
static void handoff_body(void *context) {
    handoff_side_t *side = context;
    bench_alloc_select(0u); /* one heap for all */
    if (side->producer) {
        handoff_produce(side);
    } else {
        handoff_consume(side);
    }
}

int main(int argc, char **argv) {
    unsigned threads = (unsigned)bench_option_count(argc, argv, "--threads", 2u);
    size_t ops = bench_option_count(argc, argv, "--ops", 5000000u);
    uint64_t seed = bench_option_count(argc, argv, "--seed", 42u);
    if (threads % 2u != 0u) {
        fprintf(stderr, "%s: --threads must be even (producer and consumer pairs)\n", argv[0]);
        return 2;
    }
    unsigned pairs = threads / 2u;
    bench_layout_t layout;
    bench_layout_default(&layout, pairs * (HANDOFF_RING + 2u));
    if (bench_alloc_init(&layout, 1u) != 0) {
        return 1;
    }
    bench_alloc_describe();
    handoff_ring_t *rings = aligned_alloc(_Alignof(handoff_ring_t), pairs * sizeof *rings);
    handoff_side_t *sides = calloc(threads, sizeof *sides);
    if (rings == NULL || sides == NULL) {
        return 1;
    }
    for (unsigned p = 0; p < pairs; p++) {
        atomic_init(&rings[p].head, 0u);
        atomic_init(&rings[p].tail, 0u);
        sides[2u * p] = (handoff_side_t){&rings[p], 1, ops, seed + p, 0u};
        sides[2u * p + 1u] = (handoff_side_t){&rings[p], 0, ops, 0u, 0u};
    }
    double seconds = bench_run_threads(threads, handoff_body, sides, sizeof *sides);
    unsigned checksum = 0u;
    for (unsigned t = 0; t < threads; t++) {
        checksum += sides[t].checksum;
    }
    free(sides);
    free(rings);
    if (seconds < 0.0 || checksum != pairs * ops) {
        fprintf(stderr, "%s: threads failed to start or blocks were lost\n", argv[0]);
        return 1;
    }
    printf("throughput allocator=%s pattern=handoff threads=%u ops=%zu seconds=%.4f mops=%.2f\n", BENCH_ALLOCATOR,
           threads, 2u * pairs * ops, seconds, (double)(2u * pairs * ops) / seconds / 1e6);
    return 0;
}
