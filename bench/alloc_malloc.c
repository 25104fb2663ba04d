/* The allocator under test is whatever provides malloc in this process: the
 * C library's, or jemalloc or tcmalloc when the program is linked against
 * them. bench_alloc_describe names the library that really serves.
 * (Preparing it: alloc_one_heap.c.) */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"

void bench_alloc_describe(void) {
    Dl_info info;
    void *(*entry)(size_t) = malloc;
    void *address;
    memcpy(&address, &entry, sizeof address); /* ISO C has no function-to-object pointer cast */
    const char *from = "unknown";
    if (dladdr(address, &info) != 0 && info.dli_fname != NULL) {
        from = info.dli_fname;
    }
    printf("# allocator=%s malloc_from=%s\n", BENCH_ALLOCATOR, from);
}

void *bench_malloc(size_t size) {
    return malloc(size);
}

void *bench_aligned(size_t size, size_t align) {
    return aligned_alloc(align, (size + align - 1u) / align * align);
}

void *bench_realloc(void *pointer, size_t size) {
    return realloc(pointer, size);
}

void bench_free(void *pointer) {
    free(pointer);
}
