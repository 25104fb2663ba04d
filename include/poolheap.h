/* poolheap: a deterministic, lock-free heap made of fixed-size block pools.
 *
 * A heap is one memory region split into pools. Each pool has a block size
 * and a capacity; pools are sorted by block size and laid out back to back,
 * each one starting at a multiple of the largest power of two dividing its
 * block size (so a block of 24 bytes is 8-aligned, one of 64 is 64-aligned).
 * An allocation takes a block from the smallest pool whose block fits; if
 * that pool is exhausted it falls back to the next larger pools.
 *
 * Time: every operation does work bounded by the number of pools P, never by
 * the heap's state: finding the pool of a size or of an address is a table
 * lookup followed by at most P - 1 steps to the next pool (usually none),
 * fallback visits at most P pools, and taking or returning a block is one
 * free-list update (docs/design.md). Under contention a
 * free-list update may be retried (lock-free, not wait-free); on ARMv6-M it
 * runs with interrupts masked for a few instructions instead.
 *
 * Concurrency: every function except poolheap_reset, poolheap_deep_check and
 * poolheap_set_hooks may be called from any thread or interrupt handler at any
 * time, including while another call on the same heap is in progress.
 *
 * No per-block header: a free block's first word links its pool's free list,
 * and blocks never handed out yet come from a per-pool bump counter, so a
 * heap whose state is zero (static storage) is ready to use without an init
 * call. Nothing here aborts, prints, or loops over blocks; failures return
 * NULL (or 0), are counted, and reach the hooks set with poolheap_set_hooks.
 *
 * Define heaps at compile time with POOLHEAP_DEFINE (poolheap/define.h), from
 * a TOML file with `poolheap gen`, or at run time with poolheap_create.
 */
#ifndef POOLHEAP_H
#define POOLHEAP_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap/arch.h"
#include "poolheap/config.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most pools one heap may have. */
#define POOLHEAP_MAX_POOLS 64u

/* Entries of a heap's size-class table (see poolheap_t.classes). */
#define POOLHEAP_CLASSES 32u

/* Entries of a heap's page table (see poolheap_t.pages). */
#define POOLHEAP_PAGES 64u

/* Heap flags (poolheap_t.flags). */
#define POOLHEAP_NO_FALLBACK 1u /* never serve a request from a larger pool */

/* What went wrong, as passed to the error hook. */
typedef enum poolheap_error {
    POOLHEAP_ERR_FOREIGN = 1,   /* pointer not inside the heap's region */
    POOLHEAP_ERR_MISALIGNED,    /* inside the region, not on a block boundary */
    POOLHEAP_ERR_NOT_ALLOCATED, /* a block the heap has never handed out */
    POOLHEAP_ERR_DOUBLE_FREE,   /* a block already free (debug configuration) */
    POOLHEAP_ERR_BAD_ALIGNMENT, /* alignment zero or not a power of two */
    POOLHEAP_ERR_OVERFLOW,      /* count * size overflows in poolheap_calloc */
    POOLHEAP_ERR_CORRUPT        /* a check found a broken invariant */
} poolheap_error_t;

typedef struct poolheap poolheap_t;

/* Called, with the heap's hook context, when an allocation fails for want of
 * memory (size and align as requested; align is 0 for plain allocations).
 * It runs in the failing caller's context, possibly an interrupt handler. */
typedef void (*poolheap_oom_hook_t)(const poolheap_t *heap, size_t size, size_t align, void *context);

/* Called when the heap rejects bad input or a check finds corruption. */
typedef void (*poolheap_error_hook_t)(const poolheap_t *heap, poolheap_error_t error, const void *pointer,
                                      void *context);

typedef struct poolheap_pool_state poolheap_pool_state_t;

/* One pool's constant description. `shift` is log2 of the largest power of
 * two dividing `block`, which is also the alignment of every block; `inverse`
 * is the inverse modulo 2^32 of `block >> shift`, which turns "which block is
 * this address in, and is it on a boundary?" into a multiply and a rotate.
 * Eight words on 32-bit targets: a power-of-two size makes the address of
 * pools[i] one shift and add on the alloc and free paths, and `state` makes
 * the pool's state one load from there. */
typedef struct poolheap_pool {
    uint32_t block;               /* block size in bytes */
    uint32_t capacity;            /* number of blocks */
    poolheap_pool_state_t *state; /* the pool's mutable state; the states of a heap's pools are one array */
    unsigned char *start;         /* the pool's first block (heap->base + its offset) */
    uint32_t inverse;             /* (block >> shift) * inverse == 1 modulo 2^32 */
    uint32_t shift;               /* block == odd << shift */
    unsigned char *end;           /* start + block * capacity */
    uint32_t first;               /* index of the pool's first block in the whole heap */
} poolheap_pool_t;

/* One pool's mutable state: four words. Only the free list changes on
 * every alloc and free; the bump counter and the counts move on slow paths
 * only. Statistics a user needs to size pools are derived from it on demand
 * (poolheap_pool_stats). */
struct poolheap_pool_state {
    POOLHEAP_POOL_STATE_ALIGN_ poolheap_head_t free; /* free list of returned blocks */
    poolheap_word_t fresh;     /* blocks taken from the bump counter so far: the high-water mark */
    poolheap_word_t fallbacks; /* requests for a smaller pool that this pool served */
    poolheap_word_t oom;       /* failed requests whose first choice was this pool */
};

/* A heap's mutable heap-wide state. The byte counters exist only in the
 * debug configuration. */
typedef struct poolheap_state {
    POOLHEAP_STATE_ALIGN_ poolheap_word_t failures; /* allocations that returned NULL */
    poolheap_word_t rejected;                       /* bad pointers and arguments reported */
    poolheap_oom_hook_t on_oom;
    poolheap_error_hook_t on_error;
    void *hook_context;
#if POOLHEAP_DEBUG
    poolheap_word_t bytes_in_use;     /* block bytes handed out now */
    poolheap_word_t bytes_peak;       /* highest bytes_in_use seen */
    poolheap_word_t requested_in_use; /* requested bytes live now (heaps with a side table) */
    poolheap_word_t requested_peak;   /* highest requested_in_use */
#endif
} poolheap_state_t;

/* A heap. Everything in it is constant (it may live in flash); what changes
 * lives in the state it points to. Build one with POOLHEAP_DEFINE or
 * poolheap_create, never by hand. */
struct poolheap {
    unsigned char *base;          /* region; aligned to the largest block alignment */
    uint32_t page_shift;          /* smallest shift with span <= POOLHEAP_PAGES << shift */
    const uint8_t *pages;         /* [j]: last pool starting at or before j << page_shift */
    const poolheap_pool_t *pools; /* sorted by block, strictly increasing; then a sentinel: block UINT32_MAX,
                                     end UINTPTR_MAX, capacity 0 */
    const uint8_t *classes;       /* [c]: pools with block <= 2^(31 - c), for c = clz((size - 1) | 1);
                                     [0] (size 0, sizes above 2 GiB): 0, the first pool */
    uint32_t size;                /* sum of block * capacity over the pools */
    uint32_t span;                /* base to the end of the last pool (size + padding) */
    uint32_t blocks;              /* sum of the capacities */
    uint16_t pool_count;          /* 1 to POOLHEAP_MAX_POOLS */
    uint16_t flags;               /* POOLHEAP_NO_FALLBACK */
    poolheap_state_t *state;
    poolheap_word_t *requested; /* debug: per block, POOLHEAP_SIDE_LIVE(requested size) or 0 (free); else NULL */
    const char *name;
};

/* A live block's entry in a heap's debug side table: its requested size plus
 * one, so that 0 means free and every size a block can hold (blocks are
 * below 2^32 bytes, multiples of the pointer size) has its own encoding. */
#define POOLHEAP_SIDE_LIVE(size) ((uint32_t)(size) + 1u)

/* ---- Allocation ------------------------------------------------------- */

/* Returns a block of at least `size` bytes from the smallest pool whose block
 * fits, or from the next larger pool with a free block when that one is
 * exhausted (unless the heap has POOLHEAP_NO_FALLBACK). Size 0 is served like
 * size 1: a unique block from the smallest pool. The block is aligned to the
 * largest power of two dividing its block size.
 * Returns NULL iff no pool that may serve the request has a free block (this
 * includes every size larger than the largest block); the failure is counted
 * and the OOM hook is called. Time: O(P) at worst; typically a table lookup
 * and one free-list update (see "Time" above). */
void *poolheap_alloc(const poolheap_t *heap, size_t size);

/* As poolheap_alloc, with the block aligned to `align` bytes: the smallest
 * pool whose block fits and whose blocks are aligned enough is chosen, with
 * fallback to larger such pools. Any power of two up to the largest block
 * alignment of the heap is honoured.
 * Returns NULL, reports POOLHEAP_ERR_BAD_ALIGNMENT and counts a failure if
 * `align` is zero or not a power of two; returns NULL, counts a failure and
 * calls the OOM hook if no suitable pool has a free block. Time: O(P). */
void *poolheap_alloc_aligned(const poolheap_t *heap, size_t size, size_t align);

/* As poolheap_alloc(heap, count * size), with the first count * size bytes
 * of the block set to zero. If count * size overflows size_t, returns NULL,
 * reports POOLHEAP_ERR_OVERFLOW and counts a failure. Time: as
 * poolheap_alloc, plus the memset. */
void *poolheap_calloc(const poolheap_t *heap, size_t count, size_t size);

/* Resizes the allocation at `pointer` to `size` bytes.
 * - pointer NULL: same as poolheap_alloc(heap, size).
 * - size 0 (pointer not NULL): frees the block and returns NULL, as newlib
 *   and glibc do.
 * - size fits the current block: returns `pointer` itself; nothing is
 *   copied, whether the allocation grows or shrinks.
 * - otherwise: allocates a new block (poolheap_alloc rules), copies the old
 *   block's bytes that fit into it, frees the old block and returns the new
 *   one. If that allocation fails, returns NULL and the old block is
 *   untouched and still owned by the caller.
 * A bad pointer (see poolheap_free) is reported, nothing changes, and NULL is
 * returned. A moved block has the plain alignment of its new pool, not any
 * stronger alignment the old one was allocated with. Time: O(P) plus, if
 * it moves, poolheap_alloc + a copy of at most the old block size + free. */
void *poolheap_realloc(const poolheap_t *heap, void *pointer, size_t size);

/* Returns a block to its pool. NULL is a no-op. A pointer outside the heap's
 * region (POOLHEAP_ERR_FOREIGN), not on a block boundary
 * (POOLHEAP_ERR_MISALIGNED), or in a block never handed out
 * (POOLHEAP_ERR_NOT_ALLOCATED) is reported to the error hook, counted, and
 * the heap is left unchanged. In the debug configuration a block that is
 * already free is reported as POOLHEAP_ERR_DOUBLE_FREE and left alone; in a
 * release build a double free of a handed-out block corrupts the heap, as in
 * any allocator. Time: O(P) at worst; typically a table lookup and one
 * free-list update. */
void poolheap_free(const poolheap_t *heap, void *pointer);

/* Returns the block size behind `pointer`: the bytes the caller may use.
 * Returns 0 for NULL, and 0 after reporting the error for a bad pointer (as
 * poolheap_free defines it). Time: O(P) at worst, typically O(1). */
size_t poolheap_usable_size(const poolheap_t *heap, const void *pointer);

/* Returns 1 if `pointer` lies inside the heap's region, else 0. Use it to
 * route a free between several heaps. Time: O(1). */
int poolheap_owns(const poolheap_t *heap, const void *pointer);

/* Typed helpers: one `type` (not zeroed), or a zeroed array of `count` of
 * them, with the type's alignment; NULL on overflow or exhaustion. */
#define POOLHEAP_NEW(heap, type) ((type *)poolheap_alloc_aligned((heap), sizeof(type), _Alignof(type)))
#define POOLHEAP_NEW_ARRAY(heap, type, count) \
    ((type *)poolheap_calloc_aligned((heap), (count), sizeof(type), _Alignof(type)))

/* As poolheap_calloc with an alignment (poolheap_alloc_aligned rules). */
void *poolheap_calloc_aligned(const poolheap_t *heap, size_t count, size_t size, size_t align);

/* ---- Hooks, statistics and checks ---------------------------------------- */

/* Sets the OOM hook, the error hook (either may be NULL) and the context both
 * receive. Not synchronised with running operations: set hooks before the
 * heap is shared. Time: O(1). */
void poolheap_set_hooks(const poolheap_t *heap, poolheap_oom_hook_t on_oom, poolheap_error_hook_t on_error,
                        void *context);

/* A snapshot of one pool's statistics. (The snapshot types have no struct
 * tag: a tag named like the function that fills it would be hidden by that
 * function in C++.)
 *   peak       the high-water mark: blocks ever handed out at once. It is the
 *              bump counter: a never-used block is only taken when the free
 *              list is empty, i.e. when every block taken before is in use.
 *   in_use     blocks handed out now: peak minus the blocks on the free
 *              list, counted when asked by walking the list (nothing is
 *              kept on the fast paths for it). Free blocks: capacity -
 *              in_use.
 *   fallbacks  requests meant for a smaller pool that this pool served;
 *   oom        failed requests whose first choice was this pool. Both
 *              change only on slow paths (POOLHEAP_STATS; 0 without). */
typedef struct {
    uint32_t block, capacity;
    uint32_t in_use, peak;
    uint32_t fallbacks, oom;
} poolheap_pool_stats_t;

/* A snapshot of the heap-wide statistics. bytes_in_use is computed from the
 * pools' in_use. failures and rejected are counted with POOLHEAP_STATS
 * (slow paths only) and read 0 without. bytes_peak and requested_* exist in the debug
 * configuration only (POOLHEAP_DEBUG: counted on every operation; requested_*
 * also need the heap's side table) and read 0 otherwise: the trace tools
 * compute them offline (docs/tracing.md). */
typedef struct {
    uint32_t size, span, pool_count;
    uint32_t failures, rejected;
    uint32_t bytes_in_use, bytes_peak;
    uint32_t requested_in_use, requested_peak;
} poolheap_stats_t;

/* Fills `out` with pool `index`'s statistics; returns 0, or -1 (leaving
 * `out` alone) if index >= pool_count. Each value is read atomically, not the
 * set as a whole. in_use walks the pool's free list, checking every link
 * before following it: while other calls run on the pool, the list may
 * change under the walk, and in_use is then a value kept within 0 and peak
 * rather than an exact count. Time: O(free blocks of the pool), at most
 * O(peak). Cost on the fast paths: none (docs/instruction-counts.md). */
int poolheap_pool_stats(const poolheap_t *heap, unsigned index, poolheap_pool_stats_t *out);

/* Fills `out` with the heap-wide statistics (bytes_in_use from every
 * pool's in_use, as poolheap_pool_stats counts it). Time: O(P + free
 * blocks). */
void poolheap_stats(const poolheap_t *heap, poolheap_stats_t *out);

/* Cheap invariant check, fit for production self-tests: for every pool the
 * bump counter is within capacity and the free-list head is a block
 * boundary of the pool below the bump counter. Each violation is reported
 * as POOLHEAP_ERR_CORRUPT. Returns the number of violations (0 = healthy).
 * Safe to call concurrently with other operations (every head it may read
 * passes). Time: O(P). */
unsigned poolheap_check(const poolheap_t *heap);

/* Thorough check for tests: poolheap_check, plus every free list is walked
 * (with a cycle check) and each free block must be inside its pool, on a
 * boundary, below the bump counter and on no list twice, and in the debug
 * configuration the byte counters and the side table must agree. Returns
 * the number of violations. Not safe while other operations run. Time:
 * O(blocks), O(1) space. */
unsigned poolheap_deep_check(const poolheap_t *heap);

/* ---- Run-time heaps ---------------------------------------------------- */

/* A pool as the caller asks for it. */
typedef struct poolheap_pool_config {
    uint32_t block;
    uint32_t capacity;
} poolheap_pool_config_t;

/* Storage for a heap built at run time: the descriptor and its tables. */
typedef struct poolheap_runtime {
    poolheap_t heap;
    poolheap_pool_t pools[POOLHEAP_MAX_POOLS + 1];
    uint8_t classes[POOLHEAP_CLASSES];
    uint8_t pages[POOLHEAP_PAGES];
    poolheap_pool_state_t pool_states[POOLHEAP_MAX_POOLS + 1];
    poolheap_state_t state;
} poolheap_runtime_t;

/* Returns the bytes a region must have for these pools (payload plus the
 * alignment padding between pools) when it starts on a multiple of
 * poolheap_layout_alignment(); 0 if the configuration is invalid: count 0 or
 * above POOLHEAP_MAX_POOLS, blocks not strictly increasing, a block that is
 * not a non-zero multiple of sizeof(void *), a capacity of 0, or a total
 * that does not fit in 32 bits. Time: O(P). */
size_t poolheap_layout_span(const poolheap_pool_config_t *pools, size_t count);

/* The alignment the region's base needs: the largest block alignment; 0
 * (without reading `pools`) if count is 0 or above POOLHEAP_MAX_POOLS.
 * Time: O(P). */
size_t poolheap_layout_alignment(const poolheap_pool_config_t *pools, size_t count);

/* Builds a heap over `region` (`region_size` bytes, any alignment: the base
 * is rounded up to poolheap_layout_alignment). In the debug configuration
 * (POOLHEAP_DEBUG, poolheap/config.h) a `side_table` that is not NULL must
 * hold one poolheap_word_t per block and turns on the debug checks for this
 * heap (double frees detected, exact requested bytes); without it the heap
 * has none. In other builds the library has no debug checks at all, so
 * `side_table` is ignored (never written, heap->requested is NULL).
 * Returns &rt->heap, or NULL if the configuration is invalid (see
 * poolheap_layout_span) or the region is too small; nothing is written then.
 * `count` is checked before any entry of `pools` is read. Time: O(P). */
const poolheap_t *poolheap_create(poolheap_runtime_t *rt, void *region, size_t region_size,
                                  const poolheap_pool_config_t *pools, size_t count, unsigned flags,
                                  poolheap_word_t *side_table, const char *name);

/* Returns every block to its pool and zeroes the statistics and failure
 * counters (hooks are kept). Not safe while other operations run.
 * Time: O(P), plus O(blocks) in the debug configuration. */
void poolheap_reset(const poolheap_t *heap);

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_H */
