/* Shared by the library's source files; not part of the API. */
#ifndef POOLHEAP_INTERNAL_H
#define POOLHEAP_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "always_inline.h"
#include "arch/freelist.h"
#include "poolheap.h"
#include "poolheap/trace.h"

/* Where a request came from, passed down from the public functions only when
 * the library records callers: PH_CALLER_PARAM ends a parameter list,
 * PH_CALLER_ARG passes the parameter on, PH_CALLER_HERE passes the calling
 * function's return address. Without POOLHEAP_TRACE_CALLER all three are
 * empty and the functions have exactly their usual parameters. */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_CALLER_PARAM , const void *caller
#define PH_CALLER_ARG , caller
#define PH_CALLER_HERE , __builtin_return_address(0)
#else
#define PH_CALLER_PARAM
#define PH_CALLER_ARG
#define PH_CALLER_HERE
#endif

/* The operation a request is traced as (POOLHEAP_TRACE_ALLOC, ...), passed
 * down only when the library traces: PH_OP_PARAM comes before
 * PH_CALLER_PARAM, PH_OP_ARG passes the parameter on, PH_OP(value) passes a
 * value. Untraced, the functions lose the parameter, so that ph_alloc's four
 * stay in registers on poolheap_alloc's path (AAPCS passes four). */
#if POOLHEAP_TRACE
#define PH_OP_PARAM , unsigned op
#define PH_OP_ARG , op
#define PH_OP(value) , (value)
#else
#define PH_OP_PARAM
#define PH_OP_ARG
#define PH_OP(value)
#endif

/* `op`, `old` and `caller` are dropped unevaluated unless they are traced,
 * so they may name the PH_OP_PARAM and PH_CALLER_PARAM parameters, which
 * exist only then. */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_TRACE(heap, op, size, align, address, old, caller) \
    poolheap_trace_event((heap), (op), (size), (align), (address), (old), (caller))
#elif POOLHEAP_TRACE
#define PH_TRACE(heap, op, size, align, address, old, caller) \
    poolheap_trace_event((heap), (op), (size), (align), (address), (old), NULL)
#else
/* Off: the arguments are still "used" (no unused-parameter warnings) but
 * have no side effects, so no code is emitted. */
#define PH_TRACE(heap, op, size, align, address, old, caller) \
    ((void)(heap), (void)(size), (void)(align), (void)(address))
#endif

/* Where a block is: its pool and its index in that pool. */
typedef struct ph_place {
    const poolheap_pool_t *pool;
    uint32_t index;
} ph_place_t;

static inline uint32_t ph_rotr(uint32_t x, uint32_t k) {
    return (x >> k) | (x << ((32u - k) & 31u));
}

/* The leading zero bits of x (x != 0). ARMv6-M has no clz instruction and
 * libgcc's __clzsi2 costs a call and about 16 instructions: there three
 * halving steps and a 16-entry table of a nibble's leading zeros, inline,
 * take 9 to 15 (measured: docs/instruction-counts.md). */
PH_ALWAYS_INLINE uint32_t ph_leading_zeros(uint32_t x) {
#if defined(__GNUC__) && (!defined(__ARM_ARCH) || defined(__ARM_FEATURE_CLZ))
    return (uint32_t)__builtin_clz(x);
#else
    static const uint8_t nibble_zeros[16] = {4u, 3u, 2u, 2u, 1u, 1u, 1u, 1u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u};
    uint32_t n = 0u;
    if (x >> 16 == 0u) {
        x <<= 16;
        n = 16u;
    }
    if (x >> 24 == 0u) {
        x <<= 8;
        n += 8u;
    }
    if (x >> 28 == 0u) {
        x <<= 4;
        n += 4u;
    }
    return n + nibble_zeros[x >> 28];
#endif
}

/* The first pool whose block is at least `size`, or the sentinel after the
 * last pool if none is. The class entry c = clz((size - 1) | 1), for a size
 * in (2^(31-c), 2^(32-c)] (1 and 2 in c = 31), skips every pool whose block
 * is at most 2^(31-c); the loop steps past the few smaller pools left and
 * stops at the sentinel (block UINT32_MAX) at the latest. Size 0 wraps to
 * c = 0, whose entry is the first pool, which serves it (as a request of
 * one byte); sizes above 2 GiB start there too and step through the pools
 * (at most P steps). Sizes above 32 bits (size_t may be 32 bits wide: no
 * warning for the shift) get the sentinel. */
PH_ALWAYS_INLINE const poolheap_pool_t *ph_first_fit(const poolheap_t *heap, size_t size) {
    if ((size >> 16) >> 16 != 0u) {
        return &heap->pools[heap->pool_count];
    }
    uint32_t s = (uint32_t)size;
    const poolheap_pool_t *pool = &heap->pools[heap->classes[ph_leading_zeros((s - 1u) | 1u)]];
    while (pool->block < s) {
        pool++;
    }
    return pool;
}

/* Index of block `x` bytes into a pool whose blocks are `odd << shift`:
 * if x = q * block exactly, x * inverse = q << shift (mod 2^32) and the
 * rotation gives q. If x is not a multiple of the block, the result is
 * larger than 2^32 / block, hence at least the capacity, which the caller
 * checks. (Divisibility test by multiplication with the modular inverse.) */
static inline uint32_t ph_block_index(const poolheap_pool_t *pool, uint32_t x) {
    return ph_rotr(x * pool->inverse, pool->shift);
}

/* Fills *place for a pointer to the start of a handed-out-or-free block;
 * returns 0, or the poolheap_error_t that says why the pointer is bad.
 * A page lookup and at most P - 1 steps (src/heap.c). */
int ph_locate(const poolheap_t *heap, const void *pointer, ph_place_t *place);

/* Is `block` a block of `pool` handed out before (ph_locate's test)? The
 * test a free-list link must pass. */
static inline int ph_is_block_of(const poolheap_t *heap, const poolheap_pool_t *pool, const void *block,
                                 ph_place_t *place) {
    return ph_locate(heap, block, place) == 0 && place->pool == pool;
}

/* Walks `pool`'s free list and returns its length. Every link is checked
 * before it is followed: it must be a block of this pool handed out before
 * (ph_locate), there can be no more links than such blocks (a cycle), and
 * with `audit_side_table` in the debug configuration the side table must
 * call the block free. *bad is the first link that fails (the walk stops
 * there), or NULL. Time: O(blocks handed out from the pool). While other
 * operations run the list may change under the walk: it then reads only
 * this pool's blocks, stops after that many steps, and its length is a
 * snapshot of no particular moment. */
uint32_t ph_walk_free_list(const poolheap_t *heap, const poolheap_pool_t *pool, int audit_side_table, const void **bad);

/* Tracing: POOLHEAP_TRACE_FALLBACK if the block a realloc moved to comes from
 * a larger pool than the first that fits `size`, else 0; always 0 (and no
 * code) when tracing is off. */
static inline unsigned ph_trace_moved_fallback(const poolheap_t *heap, const void *block, size_t size) {
#if POOLHEAP_TRACE
    ph_place_t place;
    return ph_locate(heap, block, &place) == 0 && place.pool != ph_first_fit(heap, size) ? POOLHEAP_TRACE_FALLBACK : 0u;
#else
    (void)heap, (void)block, (void)size;
    return 0u;
#endif
}

/* Allocates `size` bytes aligned to `align` (1 = no constraint) by the
 * rules of poolheap_alloc_aligned from `pool` (ph_first_fit's answer) on,
 * counting and tracing the outcome as operation `op`: on success the record
 * is emitted unless op is POOLHEAP_TRACE_REALLOC (realloc emits its own); on
 * failure a FAIL record. */
void *ph_alloc(const poolheap_t *heap, size_t size, size_t align,
               const poolheap_pool_t *pool PH_OP_PARAM PH_CALLER_PARAM);

/* Reports a bad call: counts it and calls the error hook. */
void ph_report(const poolheap_t *heap, poolheap_error_t error, const void *pointer);

/* An allocation refused for a bad argument: counted as a failure and as a
 * rejected call, reported to the error hook (not the OOM hook), traced. */
void ph_reject(const poolheap_t *heap, poolheap_error_t error, size_t size, size_t align PH_OP_PARAM PH_CALLER_PARAM);

/* ---- Statistics and the debug side table --------------------------------
 * Each helper compiles to nothing when its option is off, so the operations
 * carry no #if. */

/* Raises *w to at least v. The loop ends as soon as *w >= v. */
static inline void ph_word_raise(poolheap_word_t *w, uint32_t v) {
    uint32_t seen = ph_word_load(w);
    while (seen < v && !ph_word_cas(w, seen, v)) {
        seen = ph_word_load(w);
    }
}

/* Adds one to a count (POOLHEAP_STATS; nothing otherwise). Slow paths
 * only: one out-of-line copy (src/report.c). */
#if POOLHEAP_STATS
void ph_count(poolheap_word_t *w);
#else
static inline void ph_count(poolheap_word_t *w) {
    (void)w;
}
#endif

static inline poolheap_word_t *ph_side_entry(const poolheap_t *heap, ph_place_t place) {
    return &heap->requested[place.pool->first + place.index];
}

/* Debug: counts a new live block's bytes and records its requested size. */
static inline void ph_debug_claim(const poolheap_t *heap, const poolheap_pool_t *pool, const void *block, size_t size) {
#if POOLHEAP_DEBUG
    ph_word_raise(&heap->state->bytes_peak, ph_word_add(&heap->state->bytes_in_use, pool->block));
    if (heap->requested != NULL) {
        ph_place_t place = {pool, ph_block_index(pool, (uint32_t)((const unsigned char *)block - pool->start))};
        ph_word_store(ph_side_entry(heap, place), POOLHEAP_SIDE_LIVE(size));
        ph_word_raise(&heap->state->requested_peak, ph_word_add(&heap->state->requested_in_use, (uint32_t)size));
    }
#else
    (void)heap, (void)pool, (void)block, (void)size;
#endif
}

/* Debug: marks a block free and uncounts its bytes; returns
 * POOLHEAP_ERR_DOUBLE_FREE (and changes nothing) if it already was free. */
static inline int ph_debug_release(const poolheap_t *heap, ph_place_t place) {
#if POOLHEAP_DEBUG
    if (heap->requested != NULL) {
        uint32_t old = ph_word_exchange(ph_side_entry(heap, place), 0u);
        if (old == 0u) {
            return POOLHEAP_ERR_DOUBLE_FREE;
        }
        ph_word_add(&heap->state->requested_in_use, 0u - (old - 1u));
    }
    ph_word_add(&heap->state->bytes_in_use, 0u - place.pool->block);
#else
    (void)heap, (void)place;
#endif
    return 0;
}

/* Debug: returns POOLHEAP_ERR_DOUBLE_FREE if the block is not live. */
static inline int ph_debug_check_live(const poolheap_t *heap, ph_place_t place) {
#if POOLHEAP_DEBUG
    if (heap->requested != NULL && ph_word_load(ph_side_entry(heap, place)) == 0u) {
        return POOLHEAP_ERR_DOUBLE_FREE;
    }
#else
    (void)heap, (void)place;
#endif
    return 0;
}

/* Debug: a live block's new requested size (realloc in place). */
static inline void ph_debug_resize(const poolheap_t *heap, ph_place_t place, size_t size) {
#if POOLHEAP_DEBUG
    if (heap->requested != NULL) {
        uint32_t old = ph_word_exchange(ph_side_entry(heap, place), POOLHEAP_SIDE_LIVE(size));
        uint32_t now = ph_word_add(&heap->state->requested_in_use, (uint32_t)size - (old - 1u));
        ph_word_raise(&heap->state->requested_peak, now);
    }
#else
    (void)heap, (void)place, (void)size;
#endif
}

#endif /* POOLHEAP_INTERNAL_H */
