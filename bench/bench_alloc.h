/* The allocator under test. Every benchmark program is built once per
 * allocator (bench/CMakeLists.txt): the same source linked with one of
 * alloc_poolheap.c, alloc_mimalloc.c or alloc_malloc.c (the C library's
 * malloc, or jemalloc or tcmalloc when the program is linked against them,
 * since they replace malloc); the last two with alloc_one_heap.c.
 * BENCH_ALLOCATOR names the build. */
#ifndef BENCH_ALLOC_H
#define BENCH_ALLOC_H

#include <stddef.h>
#include <stdint.h>

/* The largest size the synthetic benchmarks request. */
#define BENCH_MAX_SIZE 2048u

/* The most pools a layout may have (POOLHEAP_MAX_POOLS, which the other
 * allocators' builds need not see). */
#define BENCH_MAX_POOLS 64u

/* A poolheap layout: `count` pools of `block` bytes times `capacity`. */
typedef struct bench_layout {
    size_t count;
    struct {
        uint32_t block, capacity;
    } pools[BENCH_MAX_POOLS];
} bench_layout_t;

/* The layout the synthetic benchmarks use: pools of 16, 32, ... 2048 bytes,
 * each able to hold `max_live` blocks, so no request can fail. */
void bench_layout_default(bench_layout_t *layout, uint32_t max_live);

/* Parses "BLOCKxCAPACITY,BLOCKxCAPACITY,..." into *layout; returns 0, or -1
 * if the text is not such a list. */
int bench_layout_parse(bench_layout_t *layout, const char *text);

/* Prepares the allocator; poolheap builds `heaps` heaps with `layout`, the
 * others ignore both. Returns 0, or -1 with a message on stderr. Call once,
 * first. */
int bench_alloc_init(const bench_layout_t *layout, unsigned heaps);

/* poolheap: the calling thread uses heap `index` (modulo their number) from
 * now on. Every thread but the one that called bench_alloc_init (which uses
 * heap 0) must call it before its first operation. The others: nothing. */
void bench_alloc_select(unsigned index);

/* Prints "# allocator=NAME ..." with what is actually serving requests. */
void bench_alloc_describe(void);

void *bench_malloc(size_t size);
void *bench_aligned(size_t size, size_t align);
void *bench_realloc(void *pointer, size_t size);
void bench_free(void *pointer);

#endif /* BENCH_ALLOC_H */
