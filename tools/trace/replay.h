/* Replaying decoded heap traces through a pool layout, with the library.
 *
 * The replay builds a real heap with poolheap_create over a malloc'd region
 * and runs every event of the trace(s) through poolheap_alloc,
 * poolheap_alloc_aligned, poolheap_realloc and poolheap_free, so what it
 * reports is what the library would do with that layout.
 *
 * Target word size: a layout for a 4-byte target may have blocks that are
 * multiples of 4 only, which poolheap_create rejects on a 64-bit host. The
 * replay then multiplies every block, request size and alignment by
 * k = host pointer size / target pointer size (a power of two). That is an
 * exact simulation: "size <= block" and "block alignment >= align" hold for
 * the scaled values iff they hold for the originals (the largest power of
 * two dividing k * block is k times that dividing block), the pools keep
 * their order, and the library's choices (first fitting pool, first aligned
 * pool, fallback, in-place realloc) depend on nothing else. Byte figures are
 * divided by k again before they are reported. */
#ifndef POOLHEAP_TOOLS_REPLAY_H
#define POOLHEAP_TOOLS_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "trace_events.h"

/* What one pool went through during a replay (over all traces replayed). */
typedef struct ph_replay_pool {
    uint32_t block;     /* block size in target bytes */
    uint32_t capacity;  /* blocks */
    uint32_t peak;      /* most blocks in use at once (max over the traces) */
    uint64_t served;    /* allocations, and blocks realloc moved to, served by this pool */
    uint64_t fallbacks; /* of those, requests whose first choice was a smaller pool */
    uint64_t oom;       /* failed requests whose first choice was this pool */
} ph_replay_pool_t;

/* A replay's outcome. */
typedef struct ph_replay_result {
    size_t pool_count;
    ph_replay_pool_t pools[POOLHEAP_MAX_POOLS];
    uint64_t events;           /* events replayed (FAIL events included) */
    uint64_t skipped;          /* FAIL events (failed in the recorded run; not replayed) */
    uint64_t failures;         /* allocations and moving reallocs that returned NULL */
    uint64_t oversize;         /* of those, requests no block could serve (larger than every block, or no block
                                  that fits them aligned enough) */
    uint32_t oversize_largest; /* the largest such request, in bytes; 0 if none */
    size_t first_failure;      /* index of the first failing event in its trace; SIZE_MAX if none */
    size_t failure_trace;      /* index of that trace (0 if none) */
    uint64_t peak_bytes;       /* most block bytes in use at once, in target bytes */
    uint64_t size;             /* sum of block * capacity, in target bytes */
    uint64_t span;             /* size plus the padding between pools on the target */
} ph_replay_result_t;

/* Called every 65536 events and after the last one replayed, with the
 * events done and the total (equal at the end unless the replay stopped
 * early), so that a progress line can end. */
typedef void (*ph_replay_progress_t)(uint64_t done, uint64_t total, void *context);

/* Called for each failed request: its trace, its index there, and the pool
 * that would have served it first (the first whose block fits it, aligned
 * enough), or -1 if no block can: it is oversize. */
typedef void (*ph_replay_failure_t)(size_t trace, size_t index, int first_pool, void *context);

typedef struct ph_replay_options {
    unsigned flags;                /* poolheap_create flags: 0 or POOLHEAP_NO_FALLBACK */
    uint32_t pointer_size;         /* the target's, 4 or 8; 0 = the host's */
    int stop_at_failure;           /* stop at the first failure (the result then covers the events up to it) */
    ph_replay_progress_t progress; /* may be NULL */
    void *progress_context;
    ph_replay_failure_t failure; /* may be NULL */
    void *failure_context;
} ph_replay_options_t;

/* Replays `trace_count` traces, each from an empty heap, through the layout
 * `pools` (`pool_count` pools sorted by block) with the library, and fills
 * *out. An object whose allocation fails stays absent: its later events are
 * ignored. FAIL events are counted in `skipped`, not replayed.
 * Returns 0; or -1, leaving *out unspecified, if the layout is invalid for
 * the target (poolheap_layout_span's rules with the target's pointer size,
 * or too large for this host once scaled), `pointer_size` is not 0, 4 or 8,
 * an event refers to an object id outside its trace, or memory runs out.
 * Time: O(pool_count + events) plus the library's per-operation cost (the
 * bytes copied by moving reallocs included); memory: the layout's span
 * (times the scale factor) plus one pointer per object. */
int ph_replay(const ph_trace_t *traces, size_t trace_count, const poolheap_pool_config_t *pools, size_t pool_count,
              const ph_replay_options_t *options, ph_replay_result_t *out);

#endif /* POOLHEAP_TOOLS_REPLAY_H */
