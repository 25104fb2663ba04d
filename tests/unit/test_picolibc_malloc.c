/* picolibc targets (the Cortex-M runs in QEMU): with the malloc glue linked,
 * picolibc's own allocations (asprintf, reallocarray) use the heap,
 * its cfree does not drag its own allocator in, and failures set errno,
 * which picolibc keeps in thread-local storage (port/startup.c sets it up). */
#define _DEFAULT_SOURCE /* asprintf, reallocarray and cfree are not ISO C */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../harness.h"
#include "poolheap/define.h"
#include "poolheap/malloc.h"

#define PICOLIBC_POOLS(X, h) \
    X(h, 16, 32)             \
    X(h, 64, 8)              \
    X(h, 256, 4)
POOLHEAP_DEFINE(picolibc_heap, 16 * 32 + 64 * 8 + 256 * 4, PICOLIBC_POOLS);
POOLHEAP_GLOBAL(picolibc_heap);

static void asprintf_builds_its_string_in_the_heap(void) {
    char *text = NULL;
    int length = asprintf(&text, "pool %d of %d", 2, 3);
    CHECK_EQ(length, 11);
    CHECK(poolheap_owns(&picolibc_heap, text));
    CHECK(text != NULL && strcmp(text, "pool 2 of 3") == 0);
    free(text);
}

static void reallocarray_grows_in_the_heap_and_refuses_overflow(void) {
    uint32_t *values = reallocarray(NULL, 4, sizeof *values);
    CHECK_EQ(poolheap_usable_size(&picolibc_heap, values), 16);
    values[3] = 0xC0FFEEu;
    values = reallocarray(values, 40, sizeof *values);
    CHECK_EQ(poolheap_usable_size(&picolibc_heap, values), 256);
    CHECK_EQ(values[3], 0xC0FFEEu);
    errno = 0;
    volatile size_t huge = SIZE_MAX / 2u; /* count * 4 overflows; hidden from the compiler's check */
    CHECK(reallocarray(values, huge, 4) == NULL);
    CHECK_EQ(errno, ENOMEM);
    cfree(values);
    CHECK_EQ(poolheap_deep_check(&picolibc_heap), 0);
}

static void failure_sets_the_thread_local_errno(void) {
    errno = 0;
    CHECK(malloc(5000) == NULL);
    CHECK_EQ(errno, ENOMEM);
    errno = 0;
    CHECK(aligned_alloc(3, 8) == NULL);
    CHECK_EQ(errno, EINVAL);
}

static void everything_returned(void) {
    for (unsigned i = 0; i < picolibc_heap.pool_count; i++) {
        poolheap_pool_stats_t stats;
        poolheap_pool_stats(&picolibc_heap, i, &stats);
        CHECK_EQ(stats.in_use, 0);
    }
    CHECK_EQ(poolheap_deep_check(&picolibc_heap), 0);
}

int main(void) {
    RUN(asprintf_builds_its_string_in_the_heap);
    RUN(reallocarray_grows_in_the_heap_and_refuses_overflow);
    RUN(failure_sets_the_thread_local_errno);
    RUN(everything_returned);
    return test_summary();
}
