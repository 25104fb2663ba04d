/* Who allocates: per call site figures of a trace, for `poolheap report
 * --sites`. A site is one interned caller stack of the trace (its first
 * frame the code that called the allocator); events without a caller (a
 * trace recorded without them) belong to one extra site, `unknown`. An
 * object belongs to the site of its last allocation or reallocation, as
 * heaptrack counts a realloc as a free and a new allocation. */
#ifndef POOLHEAP_REPORT_SITES_H
#define POOLHEAP_REPORT_SITES_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "trace/trace.h"
#include "trace_summary.h"

typedef struct ph_site_figures {
    uint64_t calls;          /* allocations and reallocations made here */
    uint64_t bytes;          /* bytes they asked for */
    uint64_t peak_bytes;     /* (a) bytes held at the heap's peak */
    uint64_t peak_objects;   /*     objects held then */
    uint64_t leaked_bytes;   /* (c) bytes still live at the end */
    uint64_t leaked_objects; /*     objects still live then */
    uint64_t failed;         /* (d) requests that failed in a replay */
    uint64_t failed_bytes;   /*     bytes they asked for */
} ph_site_figures_t;

/* (a) per pool: the blocks a site holds in a pool at that pool's peak. */
typedef struct ph_pool_holding {
    uint32_t pool;
    uint32_t site;
    uint64_t blocks;
    uint64_t bytes; /* requested bytes of those blocks */
} ph_pool_holding_t;

typedef struct ph_sites {
    uint32_t count;             /* the trace's sites + 1; the last is `unknown` */
    ph_site_figures_t *figures; /* per site */
    size_t peak_event;          /* the heap's peak: the event that reached it (SIZE_MAX: none) */
    uint64_t peak_bytes;
    ph_pool_holding_t *holdings; /* by pool, then by decreasing blocks */
    size_t holding_count;
    size_t pool_first[POOLHEAP_MAX_POOLS + 1u]; /* pool p's holdings: [pool_first[p], pool_first[p + 1]) */
    size_t pool_count;
    uint64_t pool_peak[POOLHEAP_MAX_POOLS];     /* blocks asked of each pool at its peak */
    size_t pool_peak_event[POOLHEAP_MAX_POOLS]; /* the event that first reached it */
} ph_sites_t;

/* The site an event belongs to: its own, or `unknown` (count - 1). */
uint32_t ph_sites_of_event(const ph_sites_t *sites, const ph_event_t *event);

/* Computes every figure but the failures of *out for `trace`, whose
 * `summary` gives the heap's peak (with a layout, `pools`, also the
 * holdings at each pool's peak, the pools asked for as ph_pool_demand_step
 * says; NULL for none). Returns 0, or -1 if out of memory (nothing left
 * allocated). Time: O(events log pools + sites); the holdings
 * O(P log P), P the sum of the pools' peaks. */
int ph_sites_compute(const ph_trace_t *trace, const ph_trace_summary_t *summary, const poolheap_pool_config_t *pools,
                     size_t pool_count, ph_sites_t *out);

/* (d) Counts the failing requests events[failing[0 .. n - 1]] by site. */
void ph_sites_add_failures(ph_sites_t *sites, const ph_trace_t *trace, const size_t *failing, size_t n);

void ph_sites_free(ph_sites_t *sites);

#endif /* POOLHEAP_REPORT_SITES_H */
