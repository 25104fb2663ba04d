/* The hot paths: alloc, free, realloc, and finding a pointer's block.
 * Each step exists once (one size search, one free-list push), so the three
 * operations share code: that keeps them small on a microcontroller. */
#include <string.h>

#include "internal.h"

int ph_locate(const poolheap_t *heap, const void *pointer, ph_place_t *place) {
    uintptr_t offset = (uintptr_t)pointer - (uintptr_t)heap->base; /* below base wraps to a huge value */
    if (offset >= heap->span) {
        return POOLHEAP_ERR_FOREIGN;
    }
    /* The last pool starting at or before offset: the page's first pool,
     * then past the pools that start later in the same page. */
    uint32_t lo = heap->pages[offset >> heap->page_shift];
    while (lo + 1u < heap->pool_count && heap->pools[lo + 1u].offset <= offset) {
        lo++;
    }
    const poolheap_pool_t *pool = &heap->pools[lo];
    /* Past the pool's end, in padding, or inside a block: index >= capacity. */
    uint32_t index = ph_block_index(pool, (uint32_t)offset - pool->offset);
    if (index >= pool->capacity) {
        return POOLHEAP_ERR_MISALIGNED;
    }
    if (index >= ph_word_load(&heap->pool_states[lo].fresh)) {
        return POOLHEAP_ERR_NOT_ALLOCATED;
    }
    place->pool = lo;
    place->index = index;
    return 0;
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

void *ph_alloc(const poolheap_t *heap, size_t size, size_t align, unsigned op) {
    uint32_t count = heap->pool_count;
    uint32_t first = count; /* the first choice: the first pool that fits and is aligned enough */
    for (uint32_t i = ph_pool_for_size(heap, size); i < count; i++) {
        const poolheap_pool_t *pool = &heap->pools[i];
        if (ph_pool_alignment(pool) < align) {
            continue;
        }
        if (first == count) {
            first = i;
        }
        void *block = ph_take(heap, pool, &heap->pool_states[i]);
        if (block != NULL) {
            ph_count_alloc(heap, i, i != first);
            ph_debug_claim(heap, i, block, size);
            if (op != POOLHEAP_TRACE_REALLOC) {
                PH_TRACE(heap, op | (i != first ? POOLHEAP_TRACE_FALLBACK : 0u), size, align, block, NULL);
            }
            return block;
        }
        if (heap->flags & POOLHEAP_NO_FALLBACK) {
            break;
        }
    }
    ph_fail(heap, first, size, align, op);
    return NULL;
}

void *poolheap_alloc(const poolheap_t *heap, size_t size) {
    return ph_alloc(heap, size, 1u, POOLHEAP_TRACE_ALLOC);
}

void ph_free(const poolheap_t *heap, void *pointer, unsigned op) {
    ph_place_t place;
    int error = ph_locate(heap, pointer, &place);
    if (!error) {
        error = ph_debug_release(heap, place);
    }
    if (error) {
        ph_report(heap, (poolheap_error_t)error, pointer);
        return;
    }
    /* Traced before the push, so that this record precedes the record of
     * whoever allocates the block next. */
    if (op != 0u) {
        PH_TRACE(heap, op, 0u, 0u, pointer, NULL);
    }
    ph_count_free(heap, place.pool);
    ph_list_push(&heap->pool_states[place.pool], pointer, place.index);
}

void poolheap_free(const poolheap_t *heap, void *pointer) {
    if (pointer != NULL) {
        ph_free(heap, pointer, POOLHEAP_TRACE_FREE);
    }
}

void *poolheap_realloc(const poolheap_t *heap, void *pointer, size_t size) {
    if (pointer == NULL) {
        return poolheap_alloc(heap, size);
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
    if (size == 0u) {
        ph_free(heap, pointer, POOLHEAP_TRACE_FREE);
        return NULL;
    }
    uint32_t block = heap->pools[place.pool].block;
    if (size <= block) {
        ph_debug_resize(heap, place, size);
        PH_TRACE(heap, POOLHEAP_TRACE_REALLOC, size, 0u, pointer, pointer);
        return pointer;
    }
    void *moved = ph_alloc(heap, size, 1u, POOLHEAP_TRACE_REALLOC);
    if (moved == NULL) {
        return NULL; /* the old block is untouched */
    }
    memcpy(moved, pointer, block); /* the new block is larger than the old */
    PH_TRACE(heap, POOLHEAP_TRACE_REALLOC | ph_trace_moved_fallback(heap, moved, size), size, 0u, moved, pointer);
    ph_free(heap, pointer, 0u); /* its REALLOC record stands for the free */
    return moved;
}
