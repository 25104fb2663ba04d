/* A C program whose malloc is the pool heap: the C library's allocations
 * (strdup, stdio buffers, qsort's scratch array, asprintf) land in the
 * pools, and the malloc family keeps the C and POSIX rules. */
#define _GNU_SOURCE /* asprintf, memalign, malloc_usable_size */

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../harness.h"
#include "global_heap.h"

static void strdup_copies_into_a_heap_block(void) {
    unsigned long before = heap_in_use();
    char *copy = strdup("pools, not a free list of arbitrary chunks");
    CHECK(copy != NULL && strcmp(copy, "pools, not a free list of arbitrary chunks") == 0);
    CHECK(heap_block(copy));
    CHECK_EQ(heap_in_use(), before + 1u);
    free(copy);
}

/* The most heap blocks in use seen by the comparator: qsort's scratch array
 * is live while it compares. */
static unsigned long in_use_while_sorting;

static int compare_ints(const void *a, const void *b) {
    unsigned long in_use = heap_in_use();
    in_use_while_sorting = in_use > in_use_while_sorting ? in_use : in_use_while_sorting;
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static void qsort_sorts_with_a_heap_scratch_array(void) {
    enum { N = 3000 }; /* 12 KB: above glibc's on-stack limit, so qsort mallocs */
    int *values = malloc(N * sizeof *values);
    for (int i = 0; i < N; i++) {
        values[i] = (i * 7919) % N;
    }
    unsigned long before = heap_in_use();
    qsort(values, N, sizeof *values, compare_ints);
    int sorted = 1;
    for (int i = 0; i < N; i++) {
        sorted &= values[i] == i;
    }
    CHECK(sorted);
    CHECK(in_use_while_sorting > before);
    free(values);
}

static void asprintf_builds_its_string_in_the_heap(void) {
    char *text = NULL;
    int length = asprintf(&text, "%s-%d-%0200d", "pool", 42, 7);
    CHECK_EQ(length, 208);
    CHECK(text != NULL && strncmp(text, "pool-42-000", 11) == 0);
    CHECK(heap_block(text));
    free(text);
}

static void a_stream_and_its_buffer_come_from_the_heap(void) {
    unsigned long before = heap_in_use();
    FILE *stream = tmpfile();
    CHECK(stream != NULL);
    if (stream == NULL) {
        return;
    }
    CHECK(heap_block(stream));
    static char big[20000];
    memset(big, 'p', sizeof big - 1u);
    CHECK_EQ(fprintf(stream, "%s", big), (int)sizeof big - 1);
    rewind(stream);
    CHECK_EQ(fgetc(stream), 'p');
    CHECK(heap_in_use() >= before + 2u); /* the FILE and its buffer */
    fclose(stream);
}

static void malloc_usable_size_is_the_pool_block(void) {
    void *p = malloc(100);
    CHECK_EQ(malloc_usable_size(p), 128);
    CHECK_EQ(malloc_usable_size(NULL), 0);
    free(p);
}

static void malloc_of_zero_returns_a_unique_block(void) {
    void *a = malloc(0), *b = malloc(0);
    CHECK(a != NULL && b != NULL && a != b);
    free(a);
    free(b);
}

/* Bad calls on purpose: arguments and results go through volatile objects,
 * so that the compiler neither rejects the calls (alloc-size-larger-than,
 * use-after-free, free-nonheap-object) nor, knowing malloc, folds a result
 * that is only compared with NULL into "not NULL". */
static volatile size_t huge_count = SIZE_MAX / 2u, bad_alignment = 48;
static void *volatile result;

static void failures_set_errno_to_enomem(void) {
    errno = 0;
    result = malloc(1u << 20);
    CHECK(result == NULL);
    CHECK_EQ(errno, ENOMEM);
    errno = 0;
    result = calloc(huge_count, 4); /* overflow */
    CHECK(result == NULL);
    CHECK_EQ(errno, ENOMEM);
    void *volatile p = malloc(10);
    errno = 0;
    result = realloc(p, 1u << 20);
    CHECK(result == NULL);
    CHECK_EQ(errno, ENOMEM);
    CHECK(heap_block(p));
    free(p); /* still ours after the failed realloc */
}

static void calloc_zeroes(void) {
    unsigned char *p = malloc(64);
    memset(p, 0xEE, 64);
    free(p);
    unsigned char *q = calloc(8, 8);
    int zero = 1;
    for (int i = 0; i < 64; i++) {
        zero &= q[i] == 0;
    }
    CHECK(zero);
    free(q);
}

static void realloc_keeps_contents_and_size_zero_frees(void) {
    char *p = malloc(10);
    memcpy(p, "abcdefghi", 10);
    p = realloc(p, 5000);
    CHECK(p != NULL && strcmp(p, "abcdefghi") == 0);
    CHECK_EQ(malloc_usable_size(p), 8192);
    errno = 0;
    CHECK(realloc(p, 0) == NULL);
    CHECK_EQ(errno, 0); /* success, not a failure */
}

static void aligned_functions_align_and_reject_bad_alignments(void) {
    void *a = aligned_alloc(256, 10), *m = memalign(64, 10), *p = NULL;
    CHECK(a != NULL && (uintptr_t)a % 256 == 0);
    CHECK(m != NULL && (uintptr_t)m % 64 == 0);
    CHECK_EQ(posix_memalign(&p, 1024, 1), 0);
    CHECK(p != NULL && (uintptr_t)p % 1024 == 0);
    free(a), free(m), free(p);
    errno = 0;
    result = aligned_alloc(bad_alignment, 10);
    CHECK(result == NULL);
    CHECK_EQ(errno, EINVAL);
    void *untouched = &untouched;
    CHECK_EQ(posix_memalign(&untouched, 3, 8), EINVAL);
    CHECK_EQ(posix_memalign(&untouched, sizeof(void *) / 2u, 8), EINVAL); /* not a multiple of void * */
    CHECK_EQ(posix_memalign(&untouched, 1u << 20, 8), ENOMEM);
    CHECK(untouched == &untouched);
}

static volatile size_t odd_alignment = 3;

/* glibc exports these too: served by its own allocator they came back to
 * our free and realloc as foreign pointers (leaked, or realloc failed). */
static void valloc_pvalloc_and_reallocarray_use_the_heap(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    char *v = valloc(100), *p = pvalloc(page + 1u), *z = pvalloc(0);
    CHECK(v != NULL && heap_block(v) && (uintptr_t)v % page == 0u);
    CHECK(p != NULL && heap_block(p) && (uintptr_t)p % page == 0u && malloc_usable_size(p) >= 2u * page);
    CHECK(z != NULL && heap_block(z) && malloc_usable_size(z) >= page);
    memcpy(v, "valloc", 7);
    v = realloc(v, 200);
    CHECK(v != NULL && heap_block(v) && strcmp(v, "valloc") == 0);
    int *volatile a = reallocarray(NULL, 10, sizeof(int));
    CHECK(a != NULL && heap_block(a));
    errno = 0;
    result = reallocarray(a, huge_count, 4); /* overflow: a stays */
    CHECK(result == NULL);
    CHECK_EQ(errno, ENOMEM);
    CHECK(heap_block(a));
    free(v), free(p), free(z), free(a);
    CHECK_EQ(poolheap_deep_check(poolheap_global), 0);
}

static void aligned_alloc_of_a_non_power_of_two_is_einval(void) {
    errno = 0;
    result = aligned_alloc(odd_alignment, 8);
    CHECK(result == NULL);
    CHECK_EQ(errno, EINVAL);
    errno = 0;
    result = memalign(odd_alignment, 8);
    CHECK(result == NULL);
    CHECK_EQ(errno, EINVAL);
}

static unsigned foreign_reports;

static void count_report(const poolheap_t *heap, poolheap_error_t error, const void *pointer, void *context) {
    (void)heap, (void)pointer, (void)context;
    foreign_reports += error == POOLHEAP_ERR_FOREIGN;
}

static void free_of_a_foreign_pointer_is_reported_not_fatal(void) {
    poolheap_set_hooks(poolheap_global, NULL, count_report, NULL);
    static char not_from_malloc[32];
    void *volatile foreign = not_from_malloc;
    free(foreign);
    CHECK_EQ(foreign_reports, 1);
    CHECK_EQ(poolheap_deep_check(poolheap_global), 0);
    poolheap_set_hooks(poolheap_global, NULL, NULL, NULL);
}

static void nothing_went_to_the_c_library_allocator(void) {
    CHECK(libc_allocator_untouched());
}

int main(void) {
    /* The program's first output allocates stdout's buffer. */
    unsigned long before = heap_in_use();
    printf("%2000s\r", "malloc_c_test: a wide field");
    CHECK(heap_in_use() > before);

    RUN(strdup_copies_into_a_heap_block);
    RUN(qsort_sorts_with_a_heap_scratch_array);
    RUN(asprintf_builds_its_string_in_the_heap);
    RUN(a_stream_and_its_buffer_come_from_the_heap);
    RUN(malloc_usable_size_is_the_pool_block);
    RUN(malloc_of_zero_returns_a_unique_block);
    RUN(failures_set_errno_to_enomem);
    RUN(calloc_zeroes);
    RUN(realloc_keeps_contents_and_size_zero_frees);
    RUN(aligned_functions_align_and_reject_bad_alignments);
    RUN(valloc_pvalloc_and_reallocarray_use_the_heap);
    RUN(aligned_alloc_of_a_non_power_of_two_is_einval);
    RUN(free_of_a_foreign_pointer_is_reported_not_fatal);
    RUN(nothing_went_to_the_c_library_allocator);
    return test_summary();
}
