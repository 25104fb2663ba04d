/* The per-architecture types behind a heap's mutable state.
 *
 * A heap's state lives in RAM the user's program declares (POOLHEAP_DEFINE
 * does it), so the types of the free-list head and of the counters must be
 * visible here. Exactly one free-list strategy is chosen, from the compiler's
 * target macros, and src/arch/ holds one implementation file per strategy:
 *
 *   POOLHEAP_FREELIST_LLSC    ARMv7-M, ARMv7E-M, ARMv8-M (LDREX/STREX held
 *                             from loading the head to storing it)
 *   POOLHEAP_FREELIST_IRQ     ARMv6-M (no exclusives: PRIMASK critical section)
 *   POOLHEAP_FREELIST_TAGGED  hosts with lock-free 64-bit atomics (x86-64,
 *                             aarch64, i686): block index + generation tag
 *                             in one 64-bit word, C11 compare-and-swap
 *   POOLHEAP_FREELIST_NAIVE   test control only (POOLHEAP_NAIVE_POP): an
 *                             untagged pointer head under a C11 CAS, which
 *                             is open to the ABA problem
 */
#ifndef POOLHEAP_ARCH_H
#define POOLHEAP_ARCH_H

#include <stdint.h>

#include "config.h"

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && !defined(__ARM_FEATURE_LDREX)
#define POOLHEAP_FREELIST_IRQ 1
#elif defined(POOLHEAP_NAIVE_POP)
#define POOLHEAP_FREELIST_NAIVE 1
#elif defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define POOLHEAP_FREELIST_LLSC 1
#else
#define POOLHEAP_FREELIST_TAGGED 1
#endif

/* C++ has no _Atomic before C++23. A C++ file only names the state types
 * (through poolheap.h) and never operates on them, so std::atomic, which has
 * the size and alignment of the C type on GCC and Clang, keeps the layout
 * every translation unit must agree on. */
#ifdef __cplusplus
#include <atomic>
#define POOLHEAP_ATOMIC_(type) std::atomic<type>
#else
#define POOLHEAP_ATOMIC_(type) _Atomic type
#endif

#if POOLHEAP_FREELIST_IRQ
/* No atomic read-modify-write instructions: every update of shared state
 * runs with interrupts masked, so plain volatile words suffice. */
typedef volatile uint32_t poolheap_head_t;
typedef volatile uint32_t poolheap_word_t;
#elif POOLHEAP_FREELIST_LLSC
/* The head is a block address, read and written only with LDREX/STREX. */
typedef volatile uint32_t poolheap_head_t;
typedef POOLHEAP_ATOMIC_(uint32_t) poolheap_word_t;
#elif POOLHEAP_FREELIST_NAIVE
typedef POOLHEAP_ATOMIC_(uintptr_t) poolheap_head_t;
typedef POOLHEAP_ATOMIC_(uint32_t) poolheap_word_t;
#else
/* Low 32 bits: index + 1 of the first free block (0 = empty list).
 * High 32 bits: generation, incremented by every successful update. */
typedef POOLHEAP_ATOMIC_(uint64_t) poolheap_head_t;
typedef POOLHEAP_ATOMIC_(uint32_t) poolheap_word_t;
#endif

/* Every operation writes its pool's state. On hosts, whose cores share data
 * through caches, each pool's state and each heap's state get a 64-byte
 * cache line of their own, so threads working on different pools or heaps
 * do not pass one line back and forth (false sharing: measured +15 % at two
 * threads on one heap, docs/benchmarks/analysis.md). Objects holding this
 * state must then be allocated with their alignment (static storage, or
 * aligned_alloc). Cortex-M parts are single-core, with no cache lines to
 * keep apart; there a pool state is its four words (each pool's descriptor
 * holds its address, so the size costs no instruction). */
#if POOLHEAP_FREELIST_TAGGED || POOLHEAP_FREELIST_NAIVE
#define POOLHEAP_POOL_STATE_ALIGNMENT_ 64
#define POOLHEAP_STATE_ALIGNMENT_ 64
#else
#define POOLHEAP_POOL_STATE_ALIGNMENT_ 4
#define POOLHEAP_STATE_ALIGNMENT_ 4
#endif
#ifdef __cplusplus
#define POOLHEAP_POOL_STATE_ALIGN_ alignas(POOLHEAP_POOL_STATE_ALIGNMENT_)
#define POOLHEAP_STATE_ALIGN_ alignas(POOLHEAP_STATE_ALIGNMENT_)
#else
#define POOLHEAP_POOL_STATE_ALIGN_ _Alignas(POOLHEAP_POOL_STATE_ALIGNMENT_)
#define POOLHEAP_STATE_ALIGN_ _Alignas(POOLHEAP_STATE_ALIGNMENT_)
#endif

#endif /* POOLHEAP_ARCH_H */
