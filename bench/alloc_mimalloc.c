/* The allocator under test is mimalloc, through its own entry points
 * (preparing it: alloc_one_heap.c). */
#include <mimalloc.h>
#include <stdio.h>

#include "bench_alloc.h"

void bench_alloc_describe(void) {
    printf("# allocator=%s mimalloc_version=%d\n", BENCH_ALLOCATOR, mi_version());
}

void *bench_malloc(size_t size) {
    return mi_malloc(size);
}

void *bench_aligned(size_t size, size_t align) {
    return mi_malloc_aligned(size, align);
}

void *bench_realloc(void *pointer, size_t size) {
    return mi_realloc(pointer, size);
}

void bench_free(void *pointer) {
    mi_free(pointer);
}
