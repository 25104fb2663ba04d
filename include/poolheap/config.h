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

/* 1: keep each free list's length beside its head, so that a pool's blocks
 * in use are known on demand (poolheap_pool_stats): one more word updated
 * with each free-list update. 0: in_use reads as the high-water mark. The
 * other statistics (high-water mark, fallbacks, failures) are kept in every
 * configuration: they change on slow paths only. */
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
