/* The hot paths: alloc, free, realloc, and finding a pointer's block.
 *
 * poolheap_alloc and poolheap_free are written for their common case: the
 * first pool that fits has a free block; the pointer is a live block of the
 * first pool of its page. That case is straight-line code (a table lookup,
 * one free-list update); every other case leaves it: the bump counter,
 * fallback and failure for ph_alloc, a later pool or a bad pointer for
 * realloc to size 0 and ph_locate, which hold the complete rules. */
#include <string.h>

#include "internal.h"

/* Finds the block `pointer` is, for free (inlined) and ph_locate. The page
 * gives the last pool starting at or before the page; the pointer is that
 * pool's block if its index is below the pool's bump counter (which is at
 * most the capacity), and past the pool's end it lies in a later pool of the
 * same page, or it is bad: the loop runs once per pool starting inside the
 * page, at most P times, and stops at the sentinel (end UINTPTR_MAX) at the
 * latest. Returns 1 for a block handed out before, filling *place. Else 0,
 * and place->pool is the pool the pointer is inside (its index there in
 * place->index), or the sentinel, or NULL for a pointer outside the pages.
 * The page index is the range check: the pages cover the span and at most
 * 2^32 bytes (page_shift <= 26), so an offset past them (a pointer below the
 * base wraps to a huge one) is outside, and one inside them is below 2^32. */
PH_ALWAYS_INLINE int ph_find(const poolheap_t *heap, const void *pointer, ph_place_t *place) {
    uintptr_t page = ((uintptr_t)pointer - (uintptr_t)heap->base) >> heap->page_shift;
    if (page >= POOLHEAP_PAGES) {
        place->pool = NULL;
        return 0;
    }
    const poolheap_pool_t *pool = &heap->pools[heap->pages[page]];
    for (;;) {
        place->pool = pool;
        place->index = ph_block_index(pool, (uint32_t)((uintptr_t)pointer - (uintptr_t)pool->start));
        if (place->index < ph_word_load(&pool->state->fresh)) {
            return 1;
        }
        if ((uintptr_t)pointer < (uintptr_t)pool->end) {
            return 0; /* inside the pool (or the sentinel) but not a block handed out */
        }
        /* Past its end: in a later pool or in the padding before one (whose
         * offset from that pool wraps to a huge value, index >= capacity). */
        pool++;
    }
}

int ph_locate(const poolheap_t *heap, const void *pointer, ph_place_t *place) {
    if (ph_find(heap, pointer, place)) {
        return 0;
    }
    /* Inside the pages but past the span, it reached the sentinel. */
    if (place->pool == NULL || (uintptr_t)pointer - (uintptr_t)heap->base >= heap->span) {
        return POOLHEAP_ERR_FOREIGN;
    }
    return place->index < place->pool->capacity ? POOLHEAP_ERR_NOT_ALLOCATED : POOLHEAP_ERR_MISALIGNED;
}

/* Counts a fallback, records and traces a block that `pool` hands out for a
 * request whose first choice was pool `first`. */
PH_ALWAYS_INLINE void *ph_handed_out(const poolheap_t *heap, const poolheap_pool_t *first, const poolheap_pool_t *pool,
                                     void *block, size_t size, size_t align PH_OP_PARAM PH_CALLER_PARAM) {
    if (pool != first) {
        ph_count(&pool->state->fallbacks);
    }
    ph_debug_claim(heap, pool, block, size);
#if POOLHEAP_TRACE
    if (op != POOLHEAP_TRACE_REALLOC) {
        PH_TRACE(heap, op | (pool != first ? POOLHEAP_TRACE_FALLBACK : 0u), size, align, block, NULL, caller);
    }
#else
    (void)align;
#endif
    return block;
}

/* Counts a failed allocation (also in pool `first`, the request's first
 * choice, unless it is NULL), traces it and calls the OOM hook. */
static void ph_fail(const poolheap_t *heap, const poolheap_pool_t *first, size_t size,
                    size_t align PH_OP_PARAM PH_CALLER_PARAM) {
    poolheap_state_t *state = heap->state;
    ph_count(&state->failures);
    if (first != NULL) {
        ph_count(&first->state->oom);
    }
    PH_TRACE(heap, POOLHEAP_TRACE_FAIL, size, align, NULL, (const void *)(uintptr_t)op, caller);
    if (state->on_oom != NULL) {
        state->on_oom(heap, size, align > 1u ? align : 0u, state->hook_context);
    }
}

/* Pools from `pool` to the sentinel (capacity 0, the only pool without
 * blocks); a pool whose blocks are aligned to less than `align` (both
 * powers of two) is skipped. */
void *ph_alloc(const poolheap_t *heap, size_t size, size_t align,
               const poolheap_pool_t *pool PH_OP_PARAM PH_CALLER_PARAM) {
    const poolheap_pool_t *first = NULL; /* the first choice: the first pool that fits and is aligned enough */
    for (; pool->capacity != 0u; pool++) {
        if (align >> pool->shift > 1u) {
            continue;
        }
        if (first == NULL) {
            first = pool;
        }
        /* A free block from the pool's list, else a never-used one. Read
         * into locals first: the list's asm statements clobber memory, which
         * would make the compiler read the descriptor again. */
        poolheap_pool_state_t *state = pool->state;
        uint32_t capacity = pool->capacity;
        void *block = ph_list_pop(heap, pool, state);
        if (block == NULL) {
            uint32_t index = ph_word_bump(&state->fresh, capacity);
            if (index >= capacity) {
                if (heap->flags & POOLHEAP_NO_FALLBACK) {
                    break;
                }
                continue;
            }
            block = pool->start + (size_t)index * pool->block;
        }
        return ph_handed_out(heap, first, pool, block, size, align PH_OP_ARG PH_CALLER_ARG);
    }
    ph_fail(heap, first, size, align PH_OP_ARG PH_CALLER_ARG);
    return NULL;
}

/* poolheap_alloc's body, shared with poolheap_alloc_for and realloc of NULL. */
PH_ALWAYS_INLINE void *ph_alloc_first(const poolheap_t *heap, size_t size PH_CALLER_PARAM) {
    /* No pool fits: the sentinel, whose list is always empty: no test for it
     * here. */
    const poolheap_pool_t *pool = ph_first_fit(heap, size);
    void *block = ph_list_pop(heap, pool, pool->state);
    if (block != NULL) {
        return ph_handed_out(heap, pool, pool, block, size, 1u PH_OP(POOLHEAP_TRACE_ALLOC) PH_CALLER_ARG);
    }
    /* the bump counter, fallback, failure */
    return ph_alloc(heap, size, 1u, pool PH_OP(POOLHEAP_TRACE_ALLOC) PH_CALLER_ARG);
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
    ph_list_push(place.pool->state, pointer, place.index);
}

/* Straight-line in the common case: a live block of the page's first pool. */
void poolheap_free(const poolheap_t *heap, void *pointer) {
    ph_place_t place;
    if (!ph_find(heap, pointer, &place)) {
        /* A bad pointer, which realloc to size 0 reports (ph_locate says
         * what is wrong with it). NULL is ignored (it lands here: outside). */
        if (pointer != NULL) {
            (void)poolheap_realloc(heap, pointer, 0u);
        }
        return;
    }
    ph_release(heap, place, pointer, POOLHEAP_TRACE_FREE);
}

/* realloc(NULL, size): a call to the public allocation, with the caller.
 * The block a realloc moves to: traced, from ph_alloc as a REALLOC record;
 * untraced, a call to the public allocation (its fast path first). */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_ALLOC_CALL(heap, size) poolheap_alloc_for((heap), (size), caller)
#else
#define PH_ALLOC_CALL(heap, size) poolheap_alloc((heap), (size))
#endif
#if POOLHEAP_TRACE
#define PH_MOVE_CALL(heap, size) \
    ph_alloc((heap), (size), 1u, ph_first_fit((heap), (size)) PH_OP(POOLHEAP_TRACE_REALLOC) PH_CALLER_ARG)
#else
#define PH_MOVE_CALL(heap, size) poolheap_alloc((heap), (size))
#endif

/* poolheap_realloc's body, shared with poolheap_realloc_for. */
PH_ALWAYS_INLINE void *ph_realloc(const poolheap_t *heap, void *pointer, size_t size PH_CALLER_PARAM) {
    if (pointer == NULL) {
        return PH_ALLOC_CALL(heap, size);
    }
    ph_place_t place;
    int error = ph_locate(heap, pointer, &place);
    if (!error) {
        error = ph_debug_check_live(heap, place);
    }
    if (error) {
        ph_report(heap, (poolheap_error_t)error, pointer);
        return NULL;
    }
    void *moved = NULL; /* size 0: the block is freed, NULL returned */
    if (size != 0u) {
        uint32_t block = place.pool->block;
        if (size <= block) {
            ph_debug_resize(heap, place, size);
            PH_TRACE(heap, POOLHEAP_TRACE_REALLOC, size, 0u, pointer, pointer, caller);
            return pointer;
        }
        moved = PH_MOVE_CALL(heap, size);
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
     * instructions on a path that copies the block or frees it) instead of
     * a second copy of the push in this function. (poolheap_free calls this
     * function only for a pointer that is no live block, which never gets
     * here.) */
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
