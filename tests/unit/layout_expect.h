/* What a heap's constant tables must say for a list of pools, computed
 * here from first principles, for tests of poolheap_create and of
 * POOLHEAP_DEFINE. */
#ifndef POOLHEAP_TEST_LAYOUT_EXPECT_H
#define POOLHEAP_TEST_LAYOUT_EXPECT_H

#include <stddef.h>

#include "poolheap.h"

/* Checks every table entry and the heap's size, span, blocks and base
 * alignment against `pools`: each pool starts at the first multiple of its
 * block alignment after the previous pool, `first` counts the blocks
 * before it, and shift/inverse decompose the block as documented. */
void check_layout(const poolheap_t *heap, const poolheap_pool_config_t *pools, size_t count);

#endif /* POOLHEAP_TEST_LAYOUT_EXPECT_H */
