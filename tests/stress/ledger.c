#include "ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const poolheap_t *ledger_heap;
static _Atomic uint32_t *owners; /* per block of the heap: the holder's tag, 0 = free */
static atomic_uint next_tag;
static atomic_ulong violation_count;
static _Atomic int first_kind;
static const void *_Atomic first_block;

int ledger_init(const poolheap_t *heap) {
    ledger_heap = heap;
    owners = calloc(heap->blocks, sizeof *owners);
    atomic_store(&next_tag, 1u);
    atomic_store(&violation_count, 0u);
    atomic_store(&first_kind, VIOLATION_NONE);
    return owners != NULL ? 0 : -1;
}

void ledger_destroy(void) {
    free(owners);
    owners = NULL;
}

uint32_t ledger_new_tag(void) {
    uint32_t tag = atomic_fetch_add_explicit(&next_tag, 1u, memory_order_relaxed);
    return tag != 0u ? tag : atomic_fetch_add_explicit(&next_tag, 1u, memory_order_relaxed);
}

void ledger_violation(violation_t kind, const void *block) {
    int none = VIOLATION_NONE;
    if (atomic_compare_exchange_strong(&first_kind, &none, (int)kind)) {
        atomic_store(&first_block, block);
    }
    atomic_fetch_add(&violation_count, 1u);
}

uint32_t ledger_claims(void) {
    return atomic_load(&next_tag) - 1u;
}

unsigned long ledger_violations(void) {
    return atomic_load(&violation_count);
}

/* The block's number in the whole heap, or UINT32_MAX if `p` is not the
 * start of a block; computed from the pool table, not by the heap. */
static uint32_t block_number(const void *p) {
    const poolheap_t *heap = ledger_heap;
    uintptr_t offset = (uintptr_t)p - (uintptr_t)heap->base;
    for (uint32_t i = 0; i < heap->pool_count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        uintptr_t at = (uintptr_t)(pool->start - heap->base);
        uintptr_t within = offset - at;
        if (offset >= at && within < (uintptr_t)pool->block * pool->capacity) {
            return within % pool->block == 0u ? pool->first + (uint32_t)(within / pool->block) : UINT32_MAX;
        }
    }
    return UINT32_MAX;
}

/* Bytes 8..15 of a block: the tag and its complement. */
static _Atomic uint32_t *tag_words(void *block) {
    return (_Atomic uint32_t *)(void *)((unsigned char *)block + 8); /* blocks are 8-aligned */
}

void ledger_claim(void *block, uint32_t tag) {
    uint32_t number = block_number(block);
    if (number == UINT32_MAX) {
        ledger_violation(VIOLATION_OUTSIDE, block);
        return;
    }
    /* acq_rel: orders our tag writes after the previous holder's release. */
    if (atomic_exchange_explicit(&owners[number], tag, memory_order_acq_rel) != 0u) {
        ledger_violation(VIOLATION_TWICE, block);
    }
    /* Relaxed atomics, not plain stores: when the heap is broken (the naive
     * control) two holders write here at once, and that race is the bug we
     * detect, not one in the test. */
    atomic_store_explicit(&tag_words(block)[0], tag, memory_order_relaxed);
    atomic_store_explicit(&tag_words(block)[1], ~tag, memory_order_relaxed);
}

void ledger_release(void *block, uint32_t tag) {
    uint32_t number = block_number(block);
    if (number == UINT32_MAX) {
        return; /* reported when claimed */
    }
    if (atomic_load_explicit(&tag_words(block)[0], memory_order_relaxed) != tag ||
        atomic_load_explicit(&tag_words(block)[1], memory_order_relaxed) != ~tag) {
        ledger_violation(VIOLATION_OVERWRITTEN, block);
    }
    uint32_t expected = tag;
    if (!atomic_compare_exchange_strong_explicit(&owners[number], &expected, 0u, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        ledger_violation(VIOLATION_WRONG_OWNER, block);
    }
}

void ledger_print(void) {
    static const char *const names[] = {
        "none",
        "the heap returned a pointer that is not one of its blocks",
        "a block was handed out while another holder still had it",
        "a block was released under a tag it did not carry",
        "a held block's tag was overwritten by someone else",
        "the count-back found a wrong number of blocks",
        "the deep check found problems",
        "blocks still in use after everything was freed",
    };
    unsigned long count = ledger_violations();
    printf("stress: %lu violations", count);
    if (count != 0u) {
        printf("; first: %s (%p)", names[atomic_load(&first_kind)], (const void *)atomic_load(&first_block));
    }
    printf("\n");
}

uint32_t ledger_count_back(void) {
    const poolheap_t *heap = ledger_heap;
    for (uint32_t i = 0; i < heap->pool_count; i++) {
        poolheap_pool_stats_t stats;
        poolheap_pool_stats(heap, i, &stats);
        if (stats.in_use != 0u) {
            ledger_violation(VIOLATION_STATS, heap->pools[i].start);
        }
    }
    if (poolheap_deep_check(heap) != 0u) {
        ledger_violation(VIOLATION_DEEP_CHECK, heap->base);
    }
    /* Size 1 falls back through every pool. A corrupted list may hold a
     * cycle and never run dry: stop one past the number of blocks. */
    void **blocks = calloc((size_t)heap->blocks + 1u, sizeof *blocks);
    uint32_t counted = 0;
    while (blocks != NULL && counted <= heap->blocks && (blocks[counted] = poolheap_alloc(heap, 1)) != NULL) {
        ledger_claim(blocks[counted], ledger_new_tag());
        counted++;
    }
    if (counted != heap->blocks) {
        ledger_violation(VIOLATION_FINAL_COUNT, NULL);
    }
    for (uint32_t i = 0; blocks != NULL && i < counted && i < heap->blocks; i++) {
        uint32_t number = block_number(blocks[i]);
        if (number != UINT32_MAX) {
            atomic_store(&owners[number], 0u);
            poolheap_free(heap, blocks[i]);
        }
    }
    free(blocks);
    if (counted == heap->blocks && poolheap_deep_check(heap) != 0u) {
        ledger_violation(VIOLATION_DEEP_CHECK, heap->base);
    }
    return counted;
}
