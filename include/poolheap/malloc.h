/* Making one heap the program's malloc.
 *
 * Link the poolheap_malloc library (CMake target poolheap::malloc) and, in
 * exactly one source file, name the heap:
 *
 *     #include "poolheap/define.h"
 *     #include "poolheap/malloc.h"
 *     POOLHEAP_DEFINE(app_heap, 3104, APP_POOLS);
 *     POOLHEAP_GLOBAL(app_heap);
 *
 * From then on malloc, free, calloc, realloc, reallocarray, aligned_alloc,
 * posix_memalign, memalign, valloc, pvalloc and malloc_usable_size (every
 * allocation function glibc and newlib export) run on that heap, and on
 * newlib targets so do _malloc_r, _free_r, _calloc_r, _realloc_r and
 * _memalign_r, which newlib's own code calls. The C
 * library's own allocations (stdio buffers, strdup, qsort's scratch array)
 * and C++ new/delete, which libstdc++ builds on malloc, land in the pools.
 * The heap is usable before main (its state starts zeroed), so allocations
 * from constructors and the C runtime's start-up work too.
 *
 * Semantics, where C and POSIX leave a choice or the heap adds one:
 * - Every failure that returns NULL sets errno: ENOMEM when no pool can
 *   serve the request (including count * size overflowing in calloc),
 *   EINVAL for an alignment that is not a power of two (aligned_alloc,
 *   memalign). posix_memalign returns those codes instead, leaves *result
 *   alone on failure, and also rejects an alignment that is not a multiple
 *   of sizeof(void *) (POSIX requires it).
 * - malloc(0) returns a unique block from the smallest pool; realloc(p, 0)
 *   frees p and returns NULL without touching errno (as glibc and newlib).
 * - free or realloc of a pointer the heap does not own (for instance one
 *   the dynamic loader allocated before the program started) is reported
 *   to the heap's error hook and otherwise ignored: no crash, no corruption.
 * - Alignments up to the largest block alignment of the heap are honoured;
 *   a larger one fails with ENOMEM. valloc and pvalloc align to the page
 *   (sysconf(_SC_PAGESIZE) on hosts, 4096 on newlib): on a heap whose
 *   blocks are less aligned they fail with ENOMEM. aligned_alloc(3, 8)
 *   fails with EINVAL, as C requires for an unsupported alignment.
 * - reallocarray and pvalloc fail with ENOMEM when their size computation
 *   overflows, leaving the old block alone.
 * Time and thread safety are those of the heap operations (poolheap.h):
 * lock-free, bounded by the number of pools, callable from signal handlers.
 */
#ifndef POOLHEAP_MALLOC_H
#define POOLHEAP_MALLOC_H

#include "../poolheap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The heap behind malloc; defined by POOLHEAP_GLOBAL in the program. */
extern const poolheap_t *const poolheap_global;

/* Defined by the glue. POOLHEAP_GLOBAL refers to it so that the linker takes
 * the glue out of its static library even when the program itself never
 * calls malloc and only the C library does. */
extern const char poolheap_malloc_glue;
extern const char *const poolheap_global_glue;

/* Makes `heap` (a poolheap_t object, e.g. one from POOLHEAP_DEFINE) the
 * program's malloc. Use it once, at file scope. */
#define POOLHEAP_GLOBAL(heap)                          \
    const poolheap_t *const poolheap_global = &(heap); \
    const char *const poolheap_global_glue = &poolheap_malloc_glue

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_MALLOC_H */
