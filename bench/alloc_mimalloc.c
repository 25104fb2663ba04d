/* The allocator under test is mimalloc, through its own entry points. */
#include <mimalloc.h>
#include <stdio.h>

#include "bench_alloc.h"

int bench_alloc_init(const bench_layout_t *layout, unsigned heaps) {
    (void)layout, (void)heaps;
    return 0;
}

void bench_alloc_select(unsigned index) {
    (void)index;
}

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
