/* Defined in C (POOLHEAP_DEFINE is a C macro) and linked into both tests. */
#define _GNU_SOURCE /* mallinfo2, malloc_usable_size */

#include "global_heap.h"

#include <malloc.h>

#include "poolheap/define.h"

/* Room for what glibc's stdio and locale code and libstdc++ ask for; the
 * 72 KiB pool serves libstdc++'s emergency exception pool, which it
 * allocates before main (about 71 KiB on 64-bit targets). */
#define GLOBAL_POOLS(X, h) \
    X(h, 16, 1024)         \
    X(h, 32, 1024)         \
    X(h, 64, 1024)         \
    X(h, 128, 1024)        \
    X(h, 256, 256)         \
    X(h, 512, 64)          \
    X(h, 1024, 32)         \
    X(h, 2048, 16)         \
    X(h, 4096, 16)         \
    X(h, 8192, 8)          \
    X(h, 16384, 4)         \
    X(h, 73728, 1)
#define BYTES_OF(h, block, capacity) +(block) * (capacity)

POOLHEAP_DEFINE(global_heap, 0 GLOBAL_POOLS(BYTES_OF, _), GLOBAL_POOLS);
POOLHEAP_GLOBAL(global_heap);

unsigned long heap_in_use(void) {
    unsigned long in_use = 0;
    for (unsigned i = 0; i < global_heap.pool_count; i++) {
        poolheap_pool_stats_t stats;
        poolheap_pool_stats(&global_heap, i, &stats);
        in_use += stats.in_use;
    }
    return in_use;
}

unsigned long heap_failures(void) {
    poolheap_stats_t stats;
    poolheap_stats(&global_heap, &stats);
    return stats.failures;
}

int heap_block(const void *pointer) {
    if (!poolheap_owns(&global_heap, pointer)) {
        return 0;
    }
    size_t usable = malloc_usable_size((void *)(uintptr_t)pointer);
    for (unsigned i = 0; i < global_heap.pool_count; i++) {
        if (global_heap.pools[i].block == usable) {
            return 1;
        }
    }
    return 0;
}

size_t runtime_size_in_c(void) {
    return sizeof(poolheap_runtime_t);
}

int libc_allocator_untouched(void) {
#if defined(__GLIBC__)
    /* glibc's allocator takes its first arena from the system on its first
     * malloc; mallinfo2 reads that arena without allocating. */
    return mallinfo2().arena == 0u;
#else
    return 1;
#endif
}
