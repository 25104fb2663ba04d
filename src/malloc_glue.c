/* The C library's allocation functions on the heap that POOLHEAP_GLOBAL
 * names; poolheap/malloc.h documents the semantics. Opt-in: this file is a
 * library of its own, linked only by programs that want it. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h> /* also defines __NEWLIB__ (newlib, picolibc) and __PICOLIBC__ */

#include "poolheap/malloc.h"
#include "poolheap/trace.h"

/* picolibc defines __NEWLIB__ too, but has no reentrancy structure and no
 * _malloc_r family: its own code calls malloc and free. */
#if defined(__NEWLIB__) && !defined(__PICOLIBC__)
#define PH_NEWLIB_REENT 1
#include <reent.h>
#endif

const char poolheap_malloc_glue = 0;

#if !defined(__NEWLIB__)
#include <unistd.h> /* sysconf */
#endif

/* Not in ISO C's <stdlib.h>: declared here with the C libraries' signatures
 * (glibc's <malloc.h>, POSIX <stdlib.h>), so every definition has a
 * prototype in any -std mode. */
int posix_memalign(void **result, size_t align, size_t size);
void *memalign(size_t align, size_t size);
void *valloc(size_t size);
void *pvalloc(size_t size);
void *reallocarray(void *pointer, size_t count, size_t size);
size_t malloc_usable_size(void *pointer);

/* valloc's page: the system's on hosts; 4096 bytes on newlib targets, as
 * newlib's own allocator assumes. */
static size_t ph_page_size(void) {
#if defined(__NEWLIB__)
    return 4096u;
#else
    return (size_t)sysconf(_SC_PAGESIZE);
#endif
}

static int ph_is_power_of_two(size_t x) {
    return x != 0u && (x & (x - 1u)) == 0u;
}

/* The errno for an allocation that returned NULL: the heap refuses a bad
 * alignment before it looks for memory. */
static int ph_failure_errno(size_t align) {
    return ph_is_power_of_two(align) ? ENOMEM : EINVAL;
}

/* With POOLHEAP_TRACE_CALLER the heap records the glue's caller (each entry
 * point's return address) instead of the glue; otherwise `caller` is unused
 * and the plain functions are called. */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_GLUE_ALLOC(size, caller) poolheap_alloc_for(poolheap_global, (size), (caller))
#define PH_GLUE_CALLOC(count, size, caller) poolheap_calloc_aligned_for(poolheap_global, (count), (size), 1u, (caller))
#define PH_GLUE_REALLOC(pointer, size, caller) poolheap_realloc_for(poolheap_global, (pointer), (size), (caller))
#define PH_GLUE_ALIGNED(size, align, caller) poolheap_alloc_aligned_for(poolheap_global, (size), (align), (caller))
#else
#define PH_GLUE_ALLOC(size, caller) ((void)(caller), poolheap_alloc(poolheap_global, (size)))
#define PH_GLUE_CALLOC(count, size, caller) ((void)(caller), poolheap_calloc(poolheap_global, (count), (size)))
#define PH_GLUE_REALLOC(pointer, size, caller) ((void)(caller), poolheap_realloc(poolheap_global, (pointer), (size)))
#define PH_GLUE_ALIGNED(size, align, caller) ((void)(caller), poolheap_alloc_aligned(poolheap_global, (size), (align)))
#endif
#define PH_GLUE_CALLER __builtin_return_address(0)

/* The one place each operation's failure errno is decided; the standard
 * entry points and newlib's reentrant ones both use these. */
static void *ph_malloc(size_t size, int *error, const void *caller) {
    void *block = PH_GLUE_ALLOC(size, caller);
    if (block == NULL) {
        *error = ENOMEM;
    }
    return block;
}

static void *ph_calloc(size_t count, size_t size, int *error, const void *caller) {
    void *block = PH_GLUE_CALLOC(count, size, caller);
    if (block == NULL) {
        *error = ENOMEM; /* overflow included, as C requires */
    }
    return block;
}

static void *ph_realloc(void *pointer, size_t size, int *error, const void *caller) {
    void *block = PH_GLUE_REALLOC(pointer, size, caller);
    /* realloc(p, 0) frees p and returns NULL: that is success. */
    if (block == NULL && (pointer == NULL || size != 0u)) {
        *error = ENOMEM;
    }
    return block;
}

static void *ph_memalign(size_t align, size_t size, int *error, const void *caller) {
    void *block = PH_GLUE_ALIGNED(size, align, caller);
    if (block == NULL) {
        *error = ph_failure_errno(align);
    }
    return block;
}

void *malloc(size_t size) {
    return ph_malloc(size, &errno, PH_GLUE_CALLER);
}

void free(void *pointer) {
    poolheap_free(poolheap_global, pointer);
}

void *calloc(size_t count, size_t size) {
    return ph_calloc(count, size, &errno, PH_GLUE_CALLER);
}

void *realloc(void *pointer, size_t size) {
    return ph_realloc(pointer, size, &errno, PH_GLUE_CALLER);
}

void *aligned_alloc(size_t align, size_t size) {
    return ph_memalign(align, size, &errno, PH_GLUE_CALLER);
}

void *memalign(size_t align, size_t size) {
    return ph_memalign(align, size, &errno, PH_GLUE_CALLER);
}

/* glibc's and newlib's valloc and pvalloc: page-aligned blocks; pvalloc
 * also rounds the size up to whole pages (one page for size 0). glibc
 * serves them from its own allocator, whose blocks our free and realloc
 * could not take back, so they are replaced like the rest. */
void *valloc(size_t size) {
    return ph_memalign(ph_page_size(), size, &errno, PH_GLUE_CALLER);
}

void *pvalloc(size_t size) {
    size_t page = ph_page_size();
    size_t pages = size / page + (size % page != 0u || size == 0u);
    if (pages > SIZE_MAX / page) {
        errno = ENOMEM;
        return NULL;
    }
    return ph_memalign(page, pages * page, &errno, PH_GLUE_CALLER);
}

/* realloc(pointer, count * size), with the product's overflow an ENOMEM
 * failure that leaves the old block alone (glibc, newlib and the BSDs). */
void *reallocarray(void *pointer, size_t count, size_t size) {
    if (size != 0u && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return ph_realloc(pointer, count * size, &errno, PH_GLUE_CALLER);
}

/* POSIX: returns the error instead of setting errno, and leaves *result
 * unchanged on failure. */
int posix_memalign(void **result, size_t align, size_t size) {
    if (!ph_is_power_of_two(align) || align % sizeof(void *) != 0u) {
        return EINVAL;
    }
    int error = 0;
    void *block = ph_memalign(align, size, &error, PH_GLUE_CALLER);
    if (block != NULL) {
        *result = block;
    }
    return error;
}

size_t malloc_usable_size(void *pointer) {
    return poolheap_usable_size(poolheap_global, pointer);
}

#if defined(__PICOLIBC__)
/* picolibc defines cfree (the old name of free) in the object file of its own
 * free: a program calling cfree would link picolibc's allocator next to this
 * one and fail with duplicate symbols. (Its reallocf calls the functions
 * above and needs nothing; reallocarray, valloc and pvalloc are above.) */
void cfree(void *pointer);

void cfree(void *pointer) {
    poolheap_free(poolheap_global, pointer);
}
#endif

#if defined(PH_NEWLIB_REENT)
/* newlib's own code (stdio, strdup, ...) calls these directly with the
 * calling thread's reentrancy structure, whose errno they set. */
#ifdef _REENT_ERRNO
#define PH_REENT_ERRNO(r) (&_REENT_ERRNO(r))
#else
#define PH_REENT_ERRNO(r) (&(r)->_errno)
#endif

void *_memalign_r(struct _reent *r, size_t align, size_t size); /* <malloc.h> */

void *_malloc_r(struct _reent *r, size_t size) {
    return ph_malloc(size, PH_REENT_ERRNO(r), PH_GLUE_CALLER);
}

void _free_r(struct _reent *r, void *pointer) {
    (void)r;
    poolheap_free(poolheap_global, pointer);
}

void *_calloc_r(struct _reent *r, size_t count, size_t size) {
    return ph_calloc(count, size, PH_REENT_ERRNO(r), PH_GLUE_CALLER);
}

void *_realloc_r(struct _reent *r, void *pointer, size_t size) {
    return ph_realloc(pointer, size, PH_REENT_ERRNO(r), PH_GLUE_CALLER);
}

void *_memalign_r(struct _reent *r, size_t align, size_t size) {
    return ph_memalign(align, size, PH_REENT_ERRNO(r), PH_GLUE_CALLER);
}
#endif
