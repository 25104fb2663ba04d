/* The heap every unit test case starts from, and a log of hook calls.
 *
 * Pools (block x capacity, block alignment):
 *   8 x 4 (8)   16 x 4 (16)   24 x 2 (8)   64 x 2 (64)   96 x 2 (32)   256 x 1 (256)
 * so alignment and size disagree on purpose: an aligned request must skip a
 * big enough pool that is not aligned enough (96 for 64), and padding lies
 * between pools (before 64 and before 256). Region layout:
 *   [0, 32) 8   [32, 96) 16   [96, 144) 24   pad   [192, 320) 64
 *   [320, 512) 96   [512, 768) 256
 */
#ifndef POOLHEAP_TEST_FIXTURE_H
#define POOLHEAP_TEST_FIXTURE_H

#include <stddef.h>

#include "poolheap.h"

enum { POOL_8, POOL_16, POOL_24, POOL_64, POOL_96, POOL_256, TEST_POOL_COUNT };

#define TEST_SPAN 768u
#define TEST_SIZE 720u
#define TEST_BLOCKS 15u

/* Every hook call since the heap was made. */
typedef struct hook_log {
    unsigned oom_calls;
    size_t oom_size, oom_align;
    unsigned error_calls;
    poolheap_error_t error;
    const void *error_pointer;
    const poolheap_t *heap; /* the heap the last hook call was about */
} hook_log_t;

extern hook_log_t hook_log;

/* A fresh heap with the pools above and `flags`, hooks logging into
 * hook_log (cleared). In the debug configuration it has a side table. */
const poolheap_t *test_heap(unsigned flags);

/* The pool (POOL_*) whose blocks contain `pointer`, computed from the pool
 * table alone; -1 outside every pool. */
int test_pool_of(const poolheap_t *heap, const void *pointer);

/* Takes every block of pool `pool` (none of which may be in use yet), so
 * requests for it must fall back. */
void test_exhaust(const poolheap_t *heap, int pool);

/* Statistics shortcuts. */
poolheap_pool_stats_t test_pool_stats(const poolheap_t *heap, int pool);
poolheap_stats_t test_stats(const poolheap_t *heap);

/* Nonzero if the heap's mutable pool state is byte for byte what `saved`
 * holds; save with test_save_pools. Used to show a rejected call changed
 * nothing. */
typedef struct pool_snapshot {
    poolheap_pool_state_t states[TEST_POOL_COUNT];
} pool_snapshot_t;

pool_snapshot_t test_save_pools(const poolheap_t *heap);
int test_pools_unchanged(const poolheap_t *heap, const pool_snapshot_t *saved);

#endif /* POOLHEAP_TEST_FIXTURE_H */
