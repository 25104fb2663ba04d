/* The malloc glue's remaining edges (issue 17): alignment 0, pvalloc of
 * exactly one page and of a size whose pages overflow, reallocarray of
 * zero-sized elements, realloc of NULL that fails. The pool heap is this program's malloc. */
#define _GNU_SOURCE /* memalign, pvalloc, reallocarray, malloc_usable_size */

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "../harness.h"
#include "global_heap.h"

static void alignment_zero_is_einval(void) {
    void *untouched = &untouched;
    CHECK_EQ(posix_memalign(&untouched, 0u, 8u), EINVAL);
    CHECK(untouched == &untouched);
    errno = 0;
    size_t volatile zero = 0u; /* a constant 0 is refused by clang at compile time */
    void *volatile p = memalign(zero, 8u);
    CHECK(p == NULL);
    CHECK_EQ(errno, EINVAL);
}

static void pvalloc_of_one_page_is_one_page(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *p = pvalloc(page);
    CHECK(p != NULL && heap_block(p) && (uintptr_t)p % page == 0u && malloc_usable_size(p) >= page);
    free(p);
}

static void pvalloc_beyond_the_address_space_is_enomem(void) {
    unsigned long failures = heap_failures();
    errno = 0;
    void *volatile p = pvalloc(SIZE_MAX);
    CHECK(p == NULL);
    CHECK_EQ(errno, ENOMEM);
    CHECK_EQ(heap_failures(), failures); /* refused before the heap is asked */
}

/* realloc of NULL is malloc, failures included: NULL and ENOMEM. */
static void realloc_of_null_beyond_every_pool_is_enomem(void) {
    unsigned long failures = heap_failures();
    errno = 0;
    size_t volatile huge = SIZE_MAX / 2u;
    void *volatile p = realloc(NULL, huge);
    CHECK(p == NULL);
    CHECK_EQ(errno, ENOMEM);
    CHECK_EQ(heap_failures(), failures + 1u);
}

/* count * 0 bytes: as realloc(p, 0), the block is freed and NULL returned. */
static void reallocarray_of_zero_sized_elements_frees(void) {
    unsigned long before = heap_in_use();
    int *a = malloc(40u);
    CHECK(a != NULL && heap_in_use() == before + 1u);
    errno = 0;
    void *volatile result = reallocarray(a, 10u, 0u);
    CHECK(result == NULL);
    CHECK_EQ(errno, 0);
    CHECK_EQ(heap_in_use(), before);
}

int main(void) {
    RUN(alignment_zero_is_einval);
    RUN(pvalloc_of_one_page_is_one_page);
    RUN(pvalloc_beyond_the_address_space_is_enomem);
    RUN(realloc_of_null_beyond_every_pool_is_enomem);
    RUN(reallocarray_of_zero_sized_elements_frees);
    CHECK_EQ(poolheap_deep_check(poolheap_global), 0);
    return test_summary();
}
