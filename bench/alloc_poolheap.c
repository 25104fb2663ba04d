/* The allocator under test is one poolheap heap built at run time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "poolheap.h"

static poolheap_runtime_t bench_runtime;
static const poolheap_t *bench_heap;

int bench_alloc_init(const bench_layout_t *layout) {
    poolheap_pool_config_t pools[POOLHEAP_MAX_POOLS];
    if (layout->count > POOLHEAP_MAX_POOLS) {
        fprintf(stderr, "poolheap: more than %u pools\n", POOLHEAP_MAX_POOLS);
        return -1;
    }
    for (size_t i = 0; i < layout->count; i++) {
        pools[i] = (poolheap_pool_config_t){layout->pools[i].block, layout->pools[i].capacity};
    }
    size_t span = poolheap_layout_span(pools, layout->count);
    size_t align = poolheap_layout_alignment(pools, layout->count);
    size_t size = (span + align - 1u) / align * align;
    void *region = span != 0u ? aligned_alloc(align, size) : NULL;
    if (region == NULL) {
        fprintf(stderr, "poolheap: invalid layout or no memory for %zu bytes\n", span);
        return -1;
    }
    /* A microcontroller's heap is resident RAM: fault every page in now, so
     * that no measurement includes the host kernel mapping it. */
    memset(region, 0, size);
    bench_heap = poolheap_create(&bench_runtime, region, size, pools, layout->count, 0u, NULL, "bench");
    if (bench_heap == NULL) {
        fprintf(stderr, "poolheap: poolheap_create refused the layout\n");
        return -1;
    }
    return 0;
}

void bench_alloc_describe(void) {
    printf("# allocator=%s library=poolheap statistics=%d pools=%u heap_bytes=%u\n", BENCH_ALLOCATOR, POOLHEAP_STATS,
           bench_heap->pool_count, bench_heap->size);
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
