/* For the allocators other than poolheap: they take no layout and serve
 * every thread from the one heap they manage themselves, so preparing them
 * and choosing a heap do nothing. Linked with alloc_malloc.c and
 * alloc_mimalloc.c. */
#include "bench_alloc.h"

int bench_alloc_init(const bench_layout_t *layout, unsigned heaps) {
    (void)layout, (void)heaps;
    return 0;
}

void bench_alloc_select(unsigned index) {
    (void)index;
}
