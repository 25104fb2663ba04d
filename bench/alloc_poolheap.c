/* The allocator under test is poolheap: one heap built at run time, or one
 * per thread (bench_alloc_select). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "poolheap.h"

static poolheap_runtime_t **bench_runtimes;
static unsigned bench_heap_count;
static _Thread_local const poolheap_t *bench_heap; /* this thread's heap */

/* Builds heap `index` over a new region; returns it, or NULL. */
static const poolheap_t *bench_build(unsigned index, const poolheap_pool_config_t *pools, size_t count) {
    size_t span = poolheap_layout_span(pools, count);
    size_t align = poolheap_layout_alignment(pools, count);
    size_t size = (span + align - 1u) / align * align;
    void *region = span != 0u ? aligned_alloc(align, size) : NULL;
    if (region == NULL) {
        fprintf(stderr, "poolheap: invalid layout or no memory for %zu bytes\n", span);
        return NULL;
    }
    /* A microcontroller's heap is resident RAM: fault every page in now, so
     * that no measurement includes the host kernel mapping it. */
    memset(region, 0, size);
    /* Each heap's tables on cache lines of their own: one heap's state
     * written next to another's descriptor would be false sharing. */
    bench_runtimes[index] = aligned_alloc(64u, (sizeof(poolheap_runtime_t) + 63u) / 64u * 64u);
    if (bench_runtimes[index] == NULL) {
        return NULL;
    }
    return poolheap_create(bench_runtimes[index], region, size, pools, count, 0u, NULL, "bench");
}

int bench_alloc_init(const bench_layout_t *layout, unsigned heaps) {
    poolheap_pool_config_t pools[POOLHEAP_MAX_POOLS];
    if (layout->count > POOLHEAP_MAX_POOLS) {
        fprintf(stderr, "poolheap: more than %u pools\n", POOLHEAP_MAX_POOLS);
        return -1;
    }
    for (size_t i = 0; i < layout->count; i++) {
        pools[i] = (poolheap_pool_config_t){layout->pools[i].block, layout->pools[i].capacity};
    }
    bench_runtimes = calloc(heaps, sizeof *bench_runtimes);
    if (bench_runtimes == NULL) {
        return -1;
    }
    for (bench_heap_count = 0; bench_heap_count < heaps; bench_heap_count++) {
        if (bench_build(bench_heap_count, pools, layout->count) == NULL) {
            fprintf(stderr, "poolheap: poolheap_create refused the layout\n");
            return -1;
        }
    }
    bench_alloc_select(0u);
    return 0;
}

void bench_alloc_select(unsigned index) {
    bench_heap = &bench_runtimes[index % bench_heap_count]->heap;
}

void bench_alloc_describe(void) {
    printf("# allocator=%s library=poolheap statistics=%d pools=%u heap_bytes=%u heaps=%u\n", BENCH_ALLOCATOR,
           POOLHEAP_STATS, bench_heap->pool_count, bench_heap->size, bench_heap_count);
}

void *bench_malloc(size_t size) {
    return poolheap_alloc(bench_heap, size);
}

void *bench_aligned(size_t size, size_t align) {
    return poolheap_alloc_aligned(bench_heap, size, align);
}

void *bench_realloc(void *pointer, size_t size) {
    return poolheap_realloc(bench_heap, pointer, size);
}

void bench_free(void *pointer) {
    poolheap_free(bench_heap, pointer);
}
