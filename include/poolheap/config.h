/* poolheap build options.
 *
 * Every option has a default below. Override one by defining it on the
 * compiler command line (-DPOOLHEAP_STATS=0) or in a header named by
 * POOLHEAP_CONFIG_HEADER (-DPOOLHEAP_CONFIG_HEADER='"my_poolheap_config.h"'),
 * which is included first. The library and every translation unit that
 * defines a heap must see the same options; the CMake target exports them.
 */
#ifndef POOLHEAP_CONFIG_H
#define POOLHEAP_CONFIG_H

#ifdef POOLHEAP_CONFIG_HEADER
#include POOLHEAP_CONFIG_HEADER
#endif

/* 1: count, per pool, the fallbacks it served and the failed requests that
 * chose it first, and per heap the failures and rejected calls: a few
 * instructions on the slow paths only (fallback, failure, a bad call), none
 * on the fast ones. 0: those counts read 0. The high-water mark and the
 * blocks in use (poolheap_pool_stats) are known in every configuration:
 * the first is the bump counter, the second is counted on demand. */
#ifndef POOLHEAP_STATS
#define POOLHEAP_STATS 1
#endif

/* 1: debug configuration. Heaps defined with POOLHEAP_DEFINE get a side
 * table with one word per block holding the live block's requested size, so
 * double frees are detected and requested bytes in use are exact; the heap
 * counts block bytes in use and their peak. Costs 4 bytes of RAM per block,
 * an atomic exchange per free and a few atomic adds per operation. */
#ifndef POOLHEAP_DEBUG
#define POOLHEAP_DEBUG 0
#endif

/* 1: emit a trace record for every operation to the sink set with
 * poolheap_trace_start (see poolheap/trace.h, docs/tracing.md). 0: no trace
 * code at all. */
#ifndef POOLHEAP_TRACE
#define POOLHEAP_TRACE 0
#endif

/* 1 (with POOLHEAP_TRACE): every allocation record also carries the address
 * the request came from, so `poolheap report --sites` can name the code
 * (docs/tracing.md). The public allocation functions read their return
 * address; the malloc glue passes its own caller's. 0: no caller code. */
#ifndef POOLHEAP_TRACE_CALLER
#define POOLHEAP_TRACE_CALLER 0
#endif

/* Defined: swap the ABA-safe free-list pop for a naive compare-and-swap pop
 * on an untagged head. Only for showing that the stress tests catch the ABA
 * problem; never use it in a product. */
/* #define POOLHEAP_NAIVE_POP */

#endif /* POOLHEAP_CONFIG_H */
