/* The hot paths: alloc, free, realloc, and finding a pointer's block.
 *
 * poolheap_alloc and poolheap_free are written for their common case: the
 * first pool that fits has a free block; the pointer is a live block. That
 * case is straight-line code (a table lookup, one free-list update); every
 * other case (the bump counter, fallback, failure, a bad pointer) leaves it
 * for ph_alloc or the error reports, which hold the complete rules. */
#include <string.h>

#include "internal.h"

/* Why a pointer that ph_find did not place is bad. Inside the pages but
 * past the span it reached the sentinel: foreign too. */
static int ph_misplaced(const poolheap_t *heap, uintptr_t offset, int error) {
    return offset >= heap->span ? POOLHEAP_ERR_FOREIGN : error;
}

/* ph_locate's rules, inlined into poolheap_free. The page gives the last
 * pool starting at or before the page; the pointer is that pool's block if
 * its index is below the pool's bump counter (which is at most the
 * capacity). Otherwise it lies in a later pool of the same page, or it is
 * bad: the loop runs once per pool starting inside the page, at most P
 * times, and stops at the sentinel (end UINT32_MAX) at the latest. The page
 * index is the range check: the pages cover the span and at most 2^32 bytes
 * (page_shift <= 26), so an offset past them (a pointer below the base
 * wraps to a huge one) is foreign, and one inside them is below 2^32. */
PH_ALWAYS_INLINE int ph_find(const poolheap_t *heap, const void *pointer, ph_place_t *place) {
    uintptr_t offset = (uintptr_t)pointer - (uintptr_t)heap->base;
    uintptr_t page = offset >> heap->page_shift;
    if (page >= POOLHEAP_PAGES) {
        return POOLHEAP_ERR_FOREIGN;
    }
    uint32_t i = heap->pages[page];
    for (;;) {
        const poolheap_pool_t *pool = &heap->pools[i];
        uint32_t index = ph_block_index(pool, (uint32_t)offset - pool->offset);
        if (index < ph_word_load(&heap->pool_states[i].fresh)) {
            place->pool = i;
            place->index = index;
            return 0;
        }
        if (index < pool->capacity) {
            return ph_misplaced(heap, offset, POOLHEAP_ERR_NOT_ALLOCATED);
        }
        if (offset < pool->end) {
            return ph_misplaced(heap, offset, POOLHEAP_ERR_MISALIGNED); /* between two block boundaries */
        }
        /* Past its end: in a later pool or in the padding before one (whose
         * offset from that pool wraps to a huge value, index >= capacity). */
        i++;
    }
}

int ph_locate(const poolheap_t *heap, const void *pointer, ph_place_t *place) {
    return ph_find(heap, pointer, place);
}

/* A free block from the pool's list, else a never-used one, else NULL. */
static void *ph_take(const poolheap_t *heap, const poolheap_pool_t *pool, poolheap_pool_state_t *st) {
    void *block = ph_list_pop(heap, pool, st);
    if (block == NULL) {
        uint32_t index = ph_word_bump(&st->fresh, pool->capacity);
        if (index < pool->capacity) {
            block = heap->base + pool->offset + (size_t)index * pool->block;
        }
    }
    return block;
}

/* Counts a fallback, records and traces a block pool `i` hands out for a
 * request whose first choice was pool `first`. */
static inline void *ph_handed_out(const poolheap_t *heap, uint32_t first, uint32_t i, void *block, size_t size,
                                  size_t align, unsigned op PH_CALLER_PARAM) {
    ph_count_alloc(heap, i, i != first);
    ph_debug_claim(heap, i, block, size);
    if (op != POOLHEAP_TRACE_REALLOC) {
        PH_TRACE(heap, op | (i != first ? POOLHEAP_TRACE_FALLBACK : 0u), size, align, block, NULL, caller);
    }
    return block;
}

void *ph_alloc(const poolheap_t *heap, size_t size, size_t align, unsigned op PH_CALLER_PARAM) {
    uint32_t count = heap->pool_count;
    uint32_t first = count; /* the first choice: the first pool that fits and is aligned enough */
    for (uint32_t i = ph_pool_for_size(heap, size); i < count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        if (pool->alignment < align) {
            continue;
        }
        if (first == count) {
            first = i;
        }
        void *block = ph_take(heap, pool, &heap->pool_states[i]);
        if (block != NULL) {
            return ph_handed_out(heap, first, i, block, size, align, op PH_CALLER_ARG);
        }
        if (heap->flags & POOLHEAP_NO_FALLBACK) {
            break;
        }
    }
    ph_fail(heap, first, size, align, op PH_CALLER_ARG);
    return NULL;
}

/* poolheap_alloc's body, shared with poolheap_alloc_for and realloc of NULL. */
PH_ALWAYS_INLINE void *ph_alloc_first(const poolheap_t *heap, size_t size PH_CALLER_PARAM) {
    /* pool_count (no pool fits, or size 0) reaches the sentinel, whose list
     * is always empty: no test for it here. */
    uint32_t i = ph_pool_for_size_fast(heap, size);
    const poolheap_pool_t *pool = &heap->pools[i];
    void *block = ph_list_pop(heap, pool, ph_state_of(heap, pool));
    if (block != NULL) {
        return ph_handed_out(heap, i, i, block, size, 1u, POOLHEAP_TRACE_ALLOC PH_CALLER_ARG);
    }
    return ph_alloc(heap, size, 1u, POOLHEAP_TRACE_ALLOC PH_CALLER_ARG); /* the bump counter, fallback, failure */
}

void *poolheap_alloc(const poolheap_t *heap, size_t size) {
    return ph_alloc_first(heap, size PH_CALLER_HERE);
}

/* Returns a located block to its pool, emitting trace record `op` first (none
 * if op is 0); in the debug configuration a block already free is reported
 * instead. */
PH_ALWAYS_INLINE void ph_release(const poolheap_t *heap, ph_place_t place, void *pointer, unsigned op) {
    if (ph_debug_release(heap, place)) {
        ph_report(heap, POOLHEAP_ERR_DOUBLE_FREE, pointer);
        return;
    }
    /* Traced before the push, so that this record precedes the record of
     * whoever allocates the block next. */
    if (op != 0u) {
        PH_TRACE(heap, op, 0u, 0u, pointer, NULL, NULL);
    }
    ph_list_push(&heap->pool_states[place.pool], pointer, place.index);
}

void poolheap_free(const poolheap_t *heap, void *pointer) {
    ph_place_t place;
    int error = ph_find(heap, pointer, &place);
    if (error) {
        if (pointer != NULL) { /* NULL is refused as foreign: the test is off the common path */
            ph_report(heap, (poolheap_error_t)error, pointer);
        }
        return;
    }
    ph_release(heap, place, pointer, POOLHEAP_TRACE_FREE);
}

/* realloc(NULL, size): a call to the public allocation, with the caller. */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_ALLOC_CALL(heap, size) poolheap_alloc_for((heap), (size), caller)
#else
#define PH_ALLOC_CALL(heap, size) poolheap_alloc((heap), (size))
#endif

/* poolheap_realloc's body, shared with poolheap_realloc_for. */
PH_ALWAYS_INLINE void *ph_realloc(const poolheap_t *heap, void *pointer, size_t size PH_CALLER_PARAM) {
    if (pointer == NULL) {
        return PH_ALLOC_CALL(heap, size);
    }
    ph_place_t place;
    int error = ph_find(heap, pointer, &place);
    if (!error) {
        error = ph_debug_check_live(heap, place);
    }
    if (error) {
        ph_report(heap, (poolheap_error_t)error, pointer);
        return NULL;
    }
    void *moved = NULL; /* size 0: the block is freed, NULL returned */
    if (size != 0u) {
        uint32_t block = heap->pools[place.pool].block;
        if (size <= block) {
            ph_debug_resize(heap, place, size);
            PH_TRACE(heap, POOLHEAP_TRACE_REALLOC, size, 0u, pointer, pointer, caller);
            return pointer;
        }
        moved = ph_alloc(heap, size, 1u, POOLHEAP_TRACE_REALLOC PH_CALLER_ARG);
        if (moved == NULL) {
            return NULL; /* the old block is untouched */
        }
        memcpy(moved, pointer, block); /* the new block is larger than the old */
        PH_TRACE(heap, POOLHEAP_TRACE_REALLOC | ph_trace_moved_fallback(heap, moved, size), size, 0u, moved, pointer,
                 caller);
    }
    /* The block located above, freed once: a moved block's REALLOC record
     * stands for its free; size 0 is traced as a FREE. Untraced, the free
     * is poolheap_free's own: it finds the block again (a dozen
     * instructions on a path that copies the block) instead of a second
     * copy of the push in this function. */
    if (POOLHEAP_TRACE) {
        ph_release(heap, place, pointer, moved != NULL ? 0u : POOLHEAP_TRACE_FREE);
    } else {
        poolheap_free(heap, pointer);
    }
    return moved;
}

void *poolheap_realloc(const poolheap_t *heap, void *pointer, size_t size) {
    return ph_realloc(heap, pointer, size PH_CALLER_HERE);
}

#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
void *poolheap_alloc_for(const poolheap_t *heap, size_t size, const void *caller) {
    return ph_alloc_first(heap, size, caller);
}

void *poolheap_realloc_for(const poolheap_t *heap, void *pointer, size_t size, const void *caller) {
    return ph_realloc(heap, pointer, size, caller);
}
#endif
