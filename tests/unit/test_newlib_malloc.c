/* Newlib targets (the Cortex-M runs in QEMU): with the malloc glue linked,
 * newlib's own allocations and its reentrant entry points (_malloc_r and
 * family, which newlib's stdio and string code call directly) use the heap,
 * and failures set the caller's reentrant errno. */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "poolheap/define.h"
#include "poolheap/malloc.h"

/* Small enough for the 16 KB of RAM of the smallest board; the 1 KB pool
 * holds stdout's buffer (BUFSIZ). */
#define NEWLIB_POOLS(X, h) \
    X(h, 16, 32)           \
    X(h, 64, 8)            \
    X(h, 256, 4)           \
    X(h, 1024, 2)
POOLHEAP_DEFINE(newlib_heap, 16 * 32 + 64 * 8 + 256 * 4 + 1024 * 2, NEWLIB_POOLS);
POOLHEAP_GLOBAL(newlib_heap);

static unsigned long in_use(void) {
    unsigned long total = 0;
    for (unsigned i = 0; i < newlib_heap.pool_count; i++) {
        poolheap_pool_stats_t stats;
        poolheap_pool_stats(&newlib_heap, i, &stats);
        total += stats.in_use;
    }
    return total;
}

static void stdout_buffer_comes_from_the_heap(void) {
    unsigned long before = in_use();
    printf("newlib malloc glue\n"); /* the program's first output */
    CHECK(in_use() > before);       /* stdout's buffer, kept */
}

static void strdup_copies_into_the_heap(void) {
    char *copy = strdup("newlib");
    CHECK(poolheap_owns(&newlib_heap, copy));
    CHECK(copy != NULL && strcmp(copy, "newlib") == 0);
    free(copy);
}

static void reentrant_functions_use_the_heap(void) {
    struct _reent *r = _REENT;
    unsigned char *p = _malloc_r(r, 10);
    CHECK_EQ(poolheap_usable_size(&newlib_heap, p), 16);
    memset(p, 0xAB, 10);
    p = _realloc_r(r, p, 200);
    CHECK_EQ(poolheap_usable_size(&newlib_heap, p), 256);
    CHECK_EQ(p[9], 0xAB);
    _free_r(r, p);
    unsigned char *z = _calloc_r(r, 4, 4);
    CHECK(z != NULL && z[0] == 0 && z[15] == 0);
    _free_r(r, z);
    void *aligned = _memalign_r(r, 64, 8);
    CHECK(aligned != NULL && (uintptr_t)aligned % 64 == 0);
    _free_r(r, aligned);
    CHECK_EQ(poolheap_deep_check(&newlib_heap), 0);
}

static void reentrant_failure_sets_the_reent_errno(void) {
    struct _reent *r = _REENT;
    r->_errno = 0;
    CHECK(_malloc_r(r, 5000) == NULL);
    CHECK_EQ(r->_errno, ENOMEM);
    r->_errno = 0;
    CHECK(_memalign_r(r, 3, 8) == NULL);
    CHECK_EQ(r->_errno, EINVAL);
}

int main(void) {
    RUN(stdout_buffer_comes_from_the_heap);
    RUN(strdup_copies_into_the_heap);
    RUN(reentrant_functions_use_the_heap);
    RUN(reentrant_failure_sets_the_reent_errno);
    return test_summary();
}
