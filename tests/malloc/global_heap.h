/* The heap that the malloc test programs use as their malloc, and the
 * questions they ask about it. C, so the C++ test can share it. */
#ifndef POOLHEAP_TEST_GLOBAL_HEAP_H
#define POOLHEAP_TEST_GLOBAL_HEAP_H

#include <stddef.h>

#include "poolheap/malloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Blocks the heap has handed out and not had back, over all pools. */
unsigned long heap_in_use(void);

/* Allocations the heap refused so far (NULL returned). */
unsigned long heap_failures(void);

/* 1 if `pointer` is the start of a block the heap handed out, with the
 * block size of its pool as usable size (malloc_usable_size agrees). */
int heap_block(const void *pointer);

/* sizeof(poolheap_runtime_t) as C sees it: C++ must agree, since the state
 * types are std::atomic there and _Atomic in C. */
size_t runtime_size_in_c(void);

/* 1 if the C library's own allocator never got memory from the system:
 * then every allocation of the program went to the heap. */
int libc_allocator_untouched(void);

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_TEST_GLOBAL_HEAP_H */
