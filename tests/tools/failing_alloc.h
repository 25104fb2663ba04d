/* Declarations of failing_alloc.c, included into every source of the
 * program poolheap_failing_alloc (-include): tools/poolheap/main.c's main,
 * renamed, and the allocation wrappers the linker substitutes. */
#ifndef POOLHEAP_TEST_FAILING_ALLOC_H
#define POOLHEAP_TEST_FAILING_ALLOC_H

#include <stddef.h>

int poolheap_tool_main(int argc, char **argv);

void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *old, size_t size);

#endif /* POOLHEAP_TEST_FAILING_ALLOC_H */
