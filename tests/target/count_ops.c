/* The operations scripts/count-instructions measures on Cortex-M3.
 *
 * Each measured call sits between a begin marker naming the operation and
 * mark_end. QEMU, run one instruction per block with an execution log,
 * prints one line per instruction executed; the script counts the lines
 * from the begin marker's return to mark_end's entry (call overhead
 * included: argument set-up, the call, keeping the result). The markers
 * have different bodies so that the compiler and linker keep them apart.
 *
 * First each poolheap path once per repetition (they never vary), then the
 * same seeded random workload on poolheap and on the C library's malloc, or
 * with COUNT_PEER on a peer allocator (peers/peer.h) in malloc's place:
 * 3000 operations over 64 slots, sizes 4 to 298 bytes, an empty slot is
 * allocated, a full one freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "count_workload.h"
#include "poolheap.h"
#include "poolheap/define.h"

#if defined(COUNT_PEER)
#include "peer.h"
#define COUNT_MALLOC(size) peer_alloc(size)
#define COUNT_FREE(pointer) peer_free(pointer)
#else
#define COUNT_MALLOC(size) malloc(size)
#define COUNT_FREE(pointer) free(pointer)
#endif

#define RANDOM_OPERATIONS 3000u
#define REPETITIONS 5u

/* The random workload's heap. */
POOLHEAP_DEFINE(count_heap, COUNT_HEAP_SIZE, COUNT_POOLS);

/* Three pools of one block each: fallback over one and two pools, and the
 * out-of-memory path. */
#define SMALL_POOLS(X, h) \
    X(h, 8, 1)            \
    X(h, 16, 1)           \
    X(h, 32, 1)
POOLHEAP_DEFINE(small_heap, 8 + 16 + 32, SMALL_POOLS);

volatile uint32_t marker_sink;
MARKER(mark_end, 0u)
MARKER(mark_alloc_fast, 1u)
MARKER(mark_alloc_fallback, 2u)
MARKER(mark_alloc_oom, 3u)
MARKER(mark_free, 4u)
MARKER(mark_realloc_in_place, 5u)
MARKER(mark_realloc_moved, 6u)
MARKER(mark_random_alloc, 7u)
MARKER(mark_random_free, 8u)
MARKER(mark_malloc, 9u)
MARKER(mark_malloc_free, 10u)
MARKER(mark_alloc_fallback_two, 11u)

static void fixed_paths(void) {
    for (unsigned i = 0; i < REPETITIONS; i++) {
        mark_alloc_fast();
        void *a = poolheap_alloc(&small_heap, 8u);
        mark_end();
        mark_alloc_fallback();
        void *b = poolheap_alloc(&small_heap, 8u); /* the 8-byte pool is empty: 16 serves */
        mark_end();
        mark_alloc_fallback_two();
        void *c = poolheap_alloc(&small_heap, 8u); /* 8 and 16 are empty: 32 serves */
        mark_end();
        mark_alloc_oom();
        void *d = poolheap_alloc(&small_heap, 8u);
        mark_end();
        mark_free();
        poolheap_free(&small_heap, b);
        mark_end();
        mark_realloc_in_place();
        a = poolheap_realloc(&small_heap, a, 4u);
        mark_end();
        mark_realloc_moved();
        b = poolheap_realloc(&small_heap, a, 12u); /* into the 16-byte block freed above */
        mark_end();
        if (b == NULL || c == NULL || d != NULL) {
            printf("count_ops: unexpected heap behaviour\n");
            exit(1);
        }
        poolheap_free(&small_heap, b);
        poolheap_free(&small_heap, c);
    }
}

/* The random workload on poolheap (use_malloc 0) or malloc (1). */
static void random_workload(int use_malloc) {
    void *slot[SLOTS] = {0};
    uint32_t random_state = COUNT_SEED;
    for (unsigned i = 0; i < RANDOM_OPERATIONS; i++) {
        uint32_t r = next_random(&random_state);
        void **s = &slot[r % SLOTS];
        size_t size = random_size(r);
        if (*s == NULL && use_malloc) {
            mark_malloc();
            *s = COUNT_MALLOC(size);
            mark_end();
        } else if (*s == NULL) {
            mark_random_alloc();
            *s = poolheap_alloc(&count_heap, size);
            mark_end();
        } else if (use_malloc) {
            mark_malloc_free();
            COUNT_FREE(*s);
            mark_end();
            *s = NULL;
        } else {
            mark_random_free();
            poolheap_free(&count_heap, *s);
            mark_end();
            *s = NULL;
        }
    }
}

int main(void) {
    printf("count_ops: seed 0x%08lx\n", (unsigned long)COUNT_SEED);
#if defined(COUNT_PEER)
    if (peer_init() != 0) {
        printf("count_ops: the peer allocator would not start\n");
        return 1;
    }
#endif
    fixed_paths();
    random_workload(0);
    random_workload(1);
    return 0;
}
