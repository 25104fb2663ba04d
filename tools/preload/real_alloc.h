/* The C library's allocation functions, for the preloadable libraries that
 * replace them: found with dlsym(RTLD_NEXT), the next definitions after the
 * preloaded ones. */
#ifndef POOLHEAP_PRELOAD_REAL_ALLOC_H
#define POOLHEAP_PRELOAD_REAL_ALLOC_H

#include <stddef.h>

typedef struct ph_real_alloc {
    void *(*malloc)(size_t);
    void (*free)(void *);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    int (*posix_memalign)(void **, size_t, size_t);
    void *(*aligned_alloc)(size_t, size_t);
    void *(*memalign)(size_t, size_t);
    size_t (*malloc_usable_size)(void *);
} ph_real_alloc_t;

/* Fills *real. dlsym may allocate: the caller must serve such calls from
 * elsewhere (bootstrap.h). On failure prints `who`: ... to stderr and
 * aborts: nothing could be allocated anyway. */
void ph_real_alloc_resolve(ph_real_alloc_t *real, const char *who);

#endif /* POOLHEAP_PRELOAD_REAL_ALLOC_H */
