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

/* `caller` is dropped unevaluated unless callers are recorded, so it may name
 * the PH_CALLER_PARAM parameter, which exists only then. */
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
    ((void)(heap), (void)(op), (void)(size), (void)(align), (void)(address), (void)(old))
#endif

/* Where a block is: its pool and its index in that pool. */
typedef struct ph_place {
    uint32_t pool;
    uint32_t index;
} ph_place_t;

static inline uint32_t ph_rotr(uint32_t x, uint32_t k) {
    return (x >> k) | (x << ((32u - k) & 31u));
}

/* The bits x needs, 32 minus its leading zeros (x != 0). ARMv6-M has no
 * clz instruction and libgcc's __clzsi2 costs a call and about 16
 * instructions: there three halving steps and a 16-entry table of nibble
 * lengths, inline, take 9 to 15 (measured: docs/instruction-counts.md). */
PH_ALWAYS_INLINE uint32_t ph_bit_length(uint32_t x) {
#if defined(__GNUC__) && (!defined(__ARM_ARCH) || defined(__ARM_FEATURE_CLZ))
    return 32u - (uint32_t)__builtin_clz(x);
#else
    static const uint8_t nibble_bits[16] = {0u, 1u, 2u, 2u, 3u, 3u, 3u, 3u, 4u, 4u, 4u, 4u, 4u, 4u, 4u, 4u};
    uint32_t n = 0u;
    if (x >> 16) {
        x >>= 16;
        n = 16u;
    }
    if (x >> 8) {
        x >>= 8;
        n += 8u;
    }
    if (x >> 4) {
        x >>= 4;
        n += 4u;
    }
    return n + nibble_bits[x];
#endif
}

/* The first pool whose block is at least `size`, starting the search at
 * class entry `k` = 32 - clz((size - 1) | 1): size in (2^(k-1), 2^k], and 1
 * and 2 in class 1. The class entry skips every pool whose block is at most
 * 2^(k-1); the loop steps past the few smaller pools left, and stops at the
 * sentinel after the last pool at the latest (pool_count: none fits). Size 0
 * lands in class 32, whose entry is pool_count. */
PH_ALWAYS_INLINE uint32_t ph_first_fit(const poolheap_t *heap, size_t size, uint32_t largest_class) {
    if ((size >> 16) >> 16 != 0u) { /* above 32 bits (size_t may be 32 bits wide: no warning) */
        return heap->pool_count;
    }
    uint32_t s = (uint32_t)size;
    uint32_t k = ph_bit_length((s - 1u) | 1u);
    /* k <= 32: no clamp when the largest class is 32 (the fast path) */
    const poolheap_pool_t *pool =
        &heap->pools[heap->classes[largest_class < 32u && k > largest_class ? largest_class : k]];
    while (pool->block < s) {
        pool++;
    }
    return (uint32_t)(pool - heap->pools);
}

/* The state of the pool whose descriptor is `pool`: the same index, from
 * the descriptor's byte offset. Both sizes are powers of two, so the index
 * never appears: one shift (or none) turns one offset into the other, where
 * indexing would shift down and up again (one instruction more on alloc). */
PH_ALWAYS_INLINE poolheap_pool_state_t *ph_state_of(const poolheap_t *heap, const poolheap_pool_t *pool) {
    size_t offset = (size_t)((const char *)pool - (const char *)heap->pools);
    size_t scaled = sizeof(poolheap_pool_state_t) >= sizeof(poolheap_pool_t)
                        ? offset * (sizeof(poolheap_pool_state_t) / sizeof(poolheap_pool_t))
                        : offset / (sizeof(poolheap_pool_t) / sizeof(poolheap_pool_state_t));
    return (poolheap_pool_state_t *)(void *)((char *)heap->pool_states + scaled);
}

/* For poolheap_alloc's first try: the first pool that fits, or pool_count
 * for size 0 and sizes above 2 GiB, which ph_alloc then serves. */
PH_ALWAYS_INLINE uint32_t ph_pool_for_size_fast(const poolheap_t *heap, size_t size) {
    return ph_first_fit(heap, size, 32u);
}

/* Index of the first pool whose block is at least `size` (size 0 is served
 * as size 1); pool_count if none. Class 31's entry and the loop cover sizes
 * above 2 GiB. */
PH_ALWAYS_INLINE uint32_t ph_pool_for_size(const poolheap_t *heap, size_t size) {
    return ph_first_fit(heap, size == 0u ? 1u : size, 31u);
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
 * A page lookup and at most P - 1 steps (src/heap.c, ph_find). */
int ph_locate(const poolheap_t *heap, const void *pointer, ph_place_t *place);

/* Tracing: POOLHEAP_TRACE_FALLBACK if the block a realloc moved to comes from
 * a larger pool than the first that fits `size`, else 0; always 0 (and no
 * code) when tracing is off. */
static inline unsigned ph_trace_moved_fallback(const poolheap_t *heap, const void *block, size_t size) {
#if POOLHEAP_TRACE
    ph_place_t place;
    return ph_locate(heap, block, &place) == 0 && place.pool != ph_pool_for_size(heap, size) ? POOLHEAP_TRACE_FALLBACK
                                                                                             : 0u;
#else
    (void)heap, (void)block, (void)size;
    return 0u;
#endif
}

/* Allocates `size` bytes aligned to `align` (1 = no constraint) by the
 * rules of poolheap_alloc_aligned, counting and tracing the outcome as
 * operation `op`: on success the record is emitted unless op is
 * POOLHEAP_TRACE_REALLOC (realloc emits its own); on failure a FAIL record. */
void *ph_alloc(const poolheap_t *heap, size_t size, size_t align, unsigned op PH_CALLER_PARAM);

/* Reports a bad call: counts it and calls the error hook. */
void ph_report(const poolheap_t *heap, poolheap_error_t error, const void *pointer);

/* An allocation refused for a bad argument: counted as a failure and as a
 * rejected call, reported to the error hook (not the OOM hook), traced. */
void ph_reject(const poolheap_t *heap, poolheap_error_t error, size_t size, size_t align, unsigned op PH_CALLER_PARAM);

/* Counts a failed allocation, calls the OOM hook and traces it. */
void ph_fail(const poolheap_t *heap, uint32_t first, size_t size, size_t align, unsigned op PH_CALLER_PARAM);

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

/* The halves of a pool state's `events` word. */
#define PH_EVENT_FALLBACK 0u /* shift of the fallbacks count */
#define PH_EVENT_OOM 16u     /* shift of the failures count */
#define PH_EVENT_MAX 0xFFFFu

/* Adds one to the 16-bit count at `shift` (PH_EVENT_FALLBACK or
 * PH_EVENT_OOM) of pool `pool`'s events unless it is at its maximum
 * (saturating, so that the other half never changes). Slow paths only:
 * one out-of-line copy (src/report.c). */
void ph_count_event(const poolheap_t *heap, uint32_t pool, uint32_t shift);

/* Counts a fallback in the pool that served it; the fast path passes a
 * constant 0 and this compiles to nothing there. */
static inline void ph_count_alloc(const poolheap_t *heap, uint32_t pool, int fallback) {
    if (fallback) {
        ph_count_event(heap, pool, PH_EVENT_FALLBACK);
    }
}

static inline poolheap_word_t *ph_side_entry(const poolheap_t *heap, ph_place_t place) {
    return &heap->requested[heap->pools[place.pool].first + place.index];
}

/* Debug: counts a new live block's bytes and records its requested size. */
static inline void ph_debug_claim(const poolheap_t *heap, uint32_t pool, const void *block, size_t size) {
#if POOLHEAP_DEBUG
    ph_word_raise(&heap->state->bytes_peak, ph_word_add(&heap->state->bytes_in_use, heap->pools[pool].block));
    if (heap->requested != NULL) {
        const poolheap_pool_t *p = &heap->pools[pool];
        ph_place_t place = {pool, ph_block_index(p, (uint32_t)((const unsigned char *)block - heap->base) - p->offset)};
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
    ph_word_add(&heap->state->bytes_in_use, 0u - heap->pools[place.pool].block);
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
