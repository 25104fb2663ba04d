/* Defining a heap at compile time, without any tool.
 *
 * List the pools in an X-macro that passes its second argument through, then
 * define the heap with its size (the sum of block * capacity, as in
 * Drone.toml) and the list:
 *
 *     #define APP_POOLS(X, heap) \
 *         X(heap, 8, 100)        \
 *         X(heap, 32, 40)        \
 *         X(heap, 256, 4)
 *     POOLHEAP_DEFINE(app_heap, 3104, APP_POOLS);
 *
 * This emits the region (static storage, zero-initialised, so the heap works
 * before main), the constant pool table and the state, and the descriptor
 * `const poolheap_t app_heap`. Other files reach it after
 * POOLHEAP_DECLARE(app_heap). Blocks must be plain integer literals (they
 * name struct members), listed in increasing order.
 *
 * Checked at compile time with _Static_assert: every block is a non-zero
 * multiple of sizeof(void *), blocks are strictly increasing, every capacity
 * is non-zero, and the size equals the sum of block * capacity. Pools start
 * on a multiple of the largest power of two dividing their block, so the
 * region holds a little alignment padding beyond `size`; its base is aligned
 * to the largest such power.
 *
 * Variants: POOLHEAP_DEFINE_IN puts the region in a linker section (for
 * example ".ccmram") and takes heap flags; POOLHEAP_DEFINE_AT places it at a
 * fixed address the linker script keeps free, and emits no storage.
 */
#ifndef POOLHEAP_DEFINE_H
#define POOLHEAP_DEFINE_H

#include <stddef.h>
#include <stdint.h>

#include "../poolheap.h"

#define POOLHEAP_DECLARE(heap_id) extern const poolheap_t heap_id

#define POOLHEAP_DEFINE(heap_id, heap_size, POOLS) POOLHEAP_DEFINE_IN_(heap_id, heap_size, POOLS, , 0u)

#define POOLHEAP_DEFINE_IN(heap_id, heap_size, POOLS, section_name, flags) \
    POOLHEAP_DEFINE_IN_(heap_id, heap_size, POOLS, __attribute__((section(section_name))), flags)

#define POOLHEAP_DEFINE_AT(heap_id, heap_size, POOLS, address, flags)                                        \
    POOLHEAP_LAYOUT_(heap_id, heap_size, POOLS);                                                             \
    _Static_assert((address) % _Alignof(struct heap_id##_poolheap_layout) == 0,                              \
                   "poolheap: heap " #heap_id " address must be a multiple of its largest block alignment"); \
    POOLHEAP_TABLES_(heap_id, heap_size, POOLS, (unsigned char *)(uintptr_t)(address), flags)

/* ---- Implementation ---------------------------------------------------- */

#define POOLHEAP_DEFINE_IN_(heap_id, heap_size, POOLS, attributes, flags)         \
    POOLHEAP_LAYOUT_(heap_id, heap_size, POOLS);                                  \
    static attributes struct heap_id##_poolheap_layout heap_id##_poolheap_region; \
    POOLHEAP_TABLES_(heap_id, heap_size, POOLS, (unsigned char *)&heap_id##_poolheap_region, flags)

/* The largest power of two dividing b (the block alignment), and its log2. */
#define POOLHEAP_LOWBIT_(b) ((uint32_t)(b) & (0u - (uint32_t)(b)))
#define POOLHEAP_LOG2_POW2_(p)                                                                        \
    ((((p)&0xFFFF0000u) ? 16u : 0u) + (((p)&0xFF00FF00u) ? 8u : 0u) + (((p)&0xF0F0F0F0u) ? 4u : 0u) + \
     (((p)&0xCCCCCCCCu) ? 2u : 0u) + (((p)&0xAAAAAAAAu) ? 1u : 0u))
#define POOLHEAP_SHIFT_(b) POOLHEAP_LOG2_POW2_(POOLHEAP_LOWBIT_(b))

/* Inverse of an odd d modulo 2^32 by Newton's iteration: d is its own inverse
 * modulo 8, and each step doubles the number of correct low bits (3, 6, 12,
 * 24, 48). */
#define POOLHEAP_NEWTON_(d, x) ((uint32_t)((uint32_t)(x) * (2u - (uint32_t)(d) * (uint32_t)(x))))
#define POOLHEAP_INVERSE_(d) \
    POOLHEAP_NEWTON_(d, POOLHEAP_NEWTON_(d, POOLHEAP_NEWTON_(d, POOLHEAP_NEWTON_(d, (uint32_t)(d)))))

/* Struct members laid out by the compiler give the offsets: the region with
 * each pool aligned, the cumulative block counts, the payload sum and the
 * pool count. The enum chains each pool to its predecessor: an enumerator
 * without a value is the previous one plus one, so h_after_B is the previous
 * block plus one, and B >= h_after_B says the blocks strictly increase. */
#define POOLHEAP_REGION_FIELD_(h, b, c) _Alignas(POOLHEAP_LOWBIT_(b)) unsigned char pool_##b[(size_t)(b) * (c)];
#define POOLHEAP_COUNT_FIELD_(h, b, c) unsigned char pool_##b[c];
#define POOLHEAP_BYTES_FIELD_(h, b, c) unsigned char pool_##b[(size_t)(b) * (c)];
#define POOLHEAP_ONE_FIELD_(h, b, c) unsigned char pool_##b;
#define POOLHEAP_ORDER_ENUM_(h, b, c) h##_poolheap_after_##b, h##_poolheap_block_##b = (b),
#define POOLHEAP_CHECK_POOL_(h, b, c)                                                                        \
    _Static_assert((b) > 0 && (b) % sizeof(void *) == 0,                                                     \
                   "poolheap: heap " #h ": block " #b " must be a non-zero multiple of the pointer size");   \
    _Static_assert((b) >= h##_poolheap_after_##b,                                                            \
                   "poolheap: heap " #h ": blocks must be listed in strictly increasing order (at " #b ")"); \
    _Static_assert((c) > 0, "poolheap: heap " #h ": pool of block " #b " has capacity 0");

#define POOLHEAP_LAYOUT_(heap_id, heap_size, POOLS)                                                            \
    struct heap_id##_poolheap_layout {                                                                         \
        POOLS(POOLHEAP_REGION_FIELD_, heap_id) unsigned char end_[];                                           \
    };                                                                                                         \
    struct heap_id##_poolheap_counts {                                                                         \
        POOLS(POOLHEAP_COUNT_FIELD_, heap_id) unsigned char end_[];                                            \
    };                                                                                                         \
    struct heap_id##_poolheap_bytes {                                                                          \
        POOLS(POOLHEAP_BYTES_FIELD_, heap_id) unsigned char end_[];                                            \
    };                                                                                                         \
    struct heap_id##_poolheap_ones {                                                                           \
        POOLS(POOLHEAP_ONE_FIELD_, heap_id)                                                                    \
    };                                                                                                         \
    enum { heap_id##_poolheap_origin_ = 0, POOLS(POOLHEAP_ORDER_ENUM_, heap_id) };                             \
    POOLS(POOLHEAP_CHECK_POOL_, heap_id)                                                                       \
    _Static_assert(sizeof(struct heap_id##_poolheap_ones) <= POOLHEAP_MAX_POOLS,                               \
                   "poolheap: heap " #heap_id " has more than POOLHEAP_MAX_POOLS pools");                      \
    _Static_assert(offsetof(struct heap_id##_poolheap_bytes, end_) == (heap_size),                             \
                   "poolheap: heap " #heap_id ": size must equal the sum of block * capacity over the pools"); \
    _Static_assert(offsetof(struct heap_id##_poolheap_layout, end_) <= UINT32_MAX,                             \
                   "poolheap: heap " #heap_id " is larger than 4 GiB")

/* A pool's descriptor. The list's context argument carries the pair
 * (heap, base address), unpacked with one level of indirection. */
#define POOLHEAP_POOL_ENTRY_(context, b, c) POOLHEAP_APPLY_(POOLHEAP_POOL_ENTRY_AT_, (POOLHEAP_UNPACK_ context, b, c))
#define POOLHEAP_POOL_ENTRY_AT_(h, base, b, c)                                    \
    {(b),                                                                         \
     (c),                                                                         \
     &h##_poolheap_pool_states[offsetof(struct h##_poolheap_ones, pool_##b)],     \
     (base) + offsetof(struct h##_poolheap_layout, pool_##b),                     \
     POOLHEAP_INVERSE_((uint32_t)(b) >> POOLHEAP_SHIFT_(b)),                      \
     POOLHEAP_SHIFT_(b),                                                          \
     (base) + offsetof(struct h##_poolheap_layout, pool_##b) + (size_t)(b) * (c), \
     offsetof(struct h##_poolheap_counts, pool_##b)},

/* Size classes: entry c counts the pools whose block is at most 2^(31 - c),
 * for c = 1 to 31; entry 0 (size 0 and sizes above 2 GiB) is 0, the first
 * pool (see poolheap_t.classes). The list's context argument carries the
 * exponent here instead of the heap name. */
#define POOLHEAP_AT_MOST_(k, b, c) +((uint64_t)(b) <= ((uint64_t)1 << (k)))
#define POOLHEAP_CLASS_(POOLS, k) (uint8_t)(0 POOLS(POOLHEAP_AT_MOST_, k))
#define POOLHEAP_CLASSES_8_(POOLS, k)                                                                \
    POOLHEAP_CLASS_(POOLS, k), POOLHEAP_CLASS_(POOLS, k - 1), POOLHEAP_CLASS_(POOLS, k - 2),         \
        POOLHEAP_CLASS_(POOLS, k - 3), POOLHEAP_CLASS_(POOLS, k - 4), POOLHEAP_CLASS_(POOLS, k - 5), \
        POOLHEAP_CLASS_(POOLS, k - 6), POOLHEAP_CLASS_(POOLS, k - 7)
#define POOLHEAP_CLASS_TABLE_(POOLS)                                                                    \
    {                                                                                                   \
        0u, POOLHEAP_CLASS_(POOLS, 30), POOLHEAP_CLASS_(POOLS, 29), POOLHEAP_CLASS_(POOLS, 28),         \
            POOLHEAP_CLASS_(POOLS, 27), POOLHEAP_CLASS_(POOLS, 26), POOLHEAP_CLASS_(POOLS, 25),         \
            POOLHEAP_CLASS_(POOLS, 24), POOLHEAP_CLASSES_8_(POOLS, 23), POOLHEAP_CLASSES_8_(POOLS, 15), \
            POOLHEAP_CLASSES_8_(POOLS, 7)                                                               \
    }

/* Pages: the region's span cut into POOLHEAP_PAGES pages of 2^shift bytes,
 * shift = the number of k < 27 with span > 64 << k (the smallest shift that
 * makes 64 pages cover the span; 27 covers 8 GiB). Entry j counts the pools
 * starting at or before j << shift, minus one. The list's context argument
 * carries the pair (heap, j), unpacked with one level of indirection. */
#define POOLHEAP_SPAN_(h) offsetof(struct h##_poolheap_layout, end_)
#define POOLHEAP_OVER_(h, k) ((uint64_t)POOLHEAP_SPAN_(h) > ((uint64_t)POOLHEAP_PAGES << (k)))
#define POOLHEAP_OVER_4_(h, k) \
    POOLHEAP_OVER_(h, k) + POOLHEAP_OVER_(h, k + 1) + POOLHEAP_OVER_(h, k + 2) + POOLHEAP_OVER_(h, k + 3)
#define POOLHEAP_PAGE_SHIFT_(h)                                                                           \
    (POOLHEAP_OVER_4_(h, 0) + POOLHEAP_OVER_4_(h, 4) + POOLHEAP_OVER_4_(h, 8) + POOLHEAP_OVER_4_(h, 12) + \
     POOLHEAP_OVER_4_(h, 16) + POOLHEAP_OVER_4_(h, 20) + POOLHEAP_OVER_(h, 24) + POOLHEAP_OVER_(h, 25) +  \
     POOLHEAP_OVER_(h, 26))
#define POOLHEAP_APPLY_(macro, arguments) macro arguments
#define POOLHEAP_UNPACK_(h, j) h, j
#define POOLHEAP_STARTS_BY_(context, b, c) POOLHEAP_APPLY_(POOLHEAP_STARTS_BY_PAGE_, (POOLHEAP_UNPACK_ context, b))
#define POOLHEAP_STARTS_BY_PAGE_(h, j, b) \
    +((uint64_t)offsetof(struct h##_poolheap_layout, pool_##b) <= ((uint64_t)(j) << POOLHEAP_PAGE_SHIFT_(h)))
#define POOLHEAP_PAGE_(POOLS, h, j) (uint8_t)(0 POOLS(POOLHEAP_STARTS_BY_, (h, j)) - 1)
#define POOLHEAP_PAGES_8_(POOLS, h, j)                                                                     \
    POOLHEAP_PAGE_(POOLS, h, j), POOLHEAP_PAGE_(POOLS, h, j + 1), POOLHEAP_PAGE_(POOLS, h, j + 2),         \
        POOLHEAP_PAGE_(POOLS, h, j + 3), POOLHEAP_PAGE_(POOLS, h, j + 4), POOLHEAP_PAGE_(POOLS, h, j + 5), \
        POOLHEAP_PAGE_(POOLS, h, j + 6), POOLHEAP_PAGE_(POOLS, h, j + 7)
#define POOLHEAP_PAGE_TABLE_(POOLS, h)                                                                         \
    {                                                                                                          \
        POOLHEAP_PAGES_8_(POOLS, h, 0), POOLHEAP_PAGES_8_(POOLS, h, 8), POOLHEAP_PAGES_8_(POOLS, h, 16),       \
            POOLHEAP_PAGES_8_(POOLS, h, 24), POOLHEAP_PAGES_8_(POOLS, h, 32), POOLHEAP_PAGES_8_(POOLS, h, 40), \
            POOLHEAP_PAGES_8_(POOLS, h, 48), POOLHEAP_PAGES_8_(POOLS, h, 56)                                   \
    }

/* After the last pool: a pool that fits every size, has no block and ends
 * past every offset (see poolheap_t.pools). */
#define POOLHEAP_SENTINEL_POOL_(h)                                                                 \
    {                                                                                              \
        UINT32_MAX, 0u, &h##_poolheap_pool_states[sizeof(struct h##_poolheap_ones)], NULL, 0u, 0u, \
            (unsigned char *)UINTPTR_MAX, 0u                                                       \
    }

#if POOLHEAP_DEBUG
#define POOLHEAP_SIDE_TABLE_(heap_id) \
    static poolheap_word_t heap_id##_poolheap_requested[offsetof(struct heap_id##_poolheap_counts, end_)];
#define POOLHEAP_SIDE_TABLE_REF_(heap_id) heap_id##_poolheap_requested
#else
#define POOLHEAP_SIDE_TABLE_(heap_id)
#define POOLHEAP_SIDE_TABLE_REF_(heap_id) NULL
#endif

#define POOLHEAP_TABLES_(heap_id, heap_size, POOLS, base_address, heap_flags)                                       \
    static poolheap_pool_state_t heap_id##_poolheap_pool_states[sizeof(struct heap_id##_poolheap_ones) + 1u];       \
    static const poolheap_pool_t heap_id##_poolheap_pools[] = {POOLS(POOLHEAP_POOL_ENTRY_, (heap_id, base_address)) \
                                                                   POOLHEAP_SENTINEL_POOL_(heap_id)};               \
    static const uint8_t heap_id##_poolheap_classes[POOLHEAP_CLASSES] = POOLHEAP_CLASS_TABLE_(POOLS);               \
    static const uint8_t heap_id##_poolheap_pages[POOLHEAP_PAGES] = POOLHEAP_PAGE_TABLE_(POOLS, heap_id);           \
    static poolheap_state_t heap_id##_poolheap_state;                                                               \
    POOLHEAP_SIDE_TABLE_(heap_id)                                                                                   \
    const poolheap_t heap_id = {                                                                                    \
        .base = (base_address),                                                                                     \
        .size = (heap_size),                                                                                        \
        .span = offsetof(struct heap_id##_poolheap_layout, end_),                                                   \
        .blocks = offsetof(struct heap_id##_poolheap_counts, end_),                                                 \
        .pool_count = sizeof(struct heap_id##_poolheap_ones),                                                       \
        .flags = (heap_flags),                                                                                      \
        .pools = heap_id##_poolheap_pools,                                                                          \
        .pages = heap_id##_poolheap_pages,                                                                          \
        .page_shift = POOLHEAP_PAGE_SHIFT_(heap_id),                                                                \
        .classes = heap_id##_poolheap_classes,                                                                      \
        .state = &heap_id##_poolheap_state,                                                                         \
        .requested = POOLHEAP_SIDE_TABLE_REF_(heap_id),                                                             \
        .name = #heap_id,                                                                                           \
    }

#endif /* POOLHEAP_DEFINE_H */
