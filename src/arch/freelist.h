/* The one interface to the per-architecture free lists and counters.
 *
 *   ph_list_pop(heap, pool, state)     a free block, or NULL if the list is empty
 *   ph_list_push(state, block, index)  returns block (its index in the pool) to the list
 *   ph_list_first / ph_list_next       walk a list (deep check only, no concurrency)
 *   ph_list_clear(state)               empty the list (reset only)
 *   ph_word_bump(counter, limit)       next never-used block index, >= limit if none
 *   ph_word_*                          statistics counters
 *
 * poolheap/arch.h chose the strategy from the target; this header includes
 * the matching implementation. */
#ifndef POOLHEAP_ARCH_FREELIST_H
#define POOLHEAP_ARCH_FREELIST_H

#include "poolheap/arch.h"

#if POOLHEAP_FREELIST_IRQ
#include "counter_irq.h"
#include "freelist_irq.h"
#elif POOLHEAP_FREELIST_LLSC
#include "counter_c11.h"
#include "freelist_llsc.h"
#elif POOLHEAP_FREELIST_NAIVE
#include "bump_c11.h"
#include "counter_c11.h"
#include "freelist_naive.h"
#else
#include "bump_c11.h"
#include "counter_c11.h"
#include "freelist_tagged.h"
#endif

#endif /* POOLHEAP_ARCH_FREELIST_H */
