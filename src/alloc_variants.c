/* Allocation variants built on ph_alloc_from: aligned, zeroed, and the
 * questions about a pointer. */
#include <string.h>

#include "internal.h"

/* The first pool at or after `first` whose blocks are aligned to `align`. */
static uint32_t ph_first_aligned(const poolheap_t *heap, uint32_t first, size_t align) {
    while (first < heap->pool_count && ph_pool_alignment(&heap->pools[first]) < align) {
        first++;
    }
    return first;
}

static void *ph_alloc_aligned(const poolheap_t *heap, size_t size, size_t align, unsigned op) {
    if (align == 0u || (align & (align - 1u)) != 0u) {
        ph_reject(heap, POOLHEAP_ERR_BAD_ALIGNMENT, size, align, op);
        return NULL;
    }
    uint32_t first = ph_first_aligned(heap, ph_pool_for_size(heap, size), align);
    return ph_alloc_from(heap, first, size, align, op);
}

void *poolheap_alloc_aligned(const poolheap_t *heap, size_t size, size_t align) {
    return ph_alloc_aligned(heap, size, align, POOLHEAP_TRACE_ALIGNED);
}

void *poolheap_calloc_aligned(const poolheap_t *heap, size_t count, size_t size, size_t align) {
    if (size != 0u && count > SIZE_MAX / size) {
        ph_reject(heap, POOLHEAP_ERR_OVERFLOW, SIZE_MAX, align, POOLHEAP_TRACE_CALLOC);
        return NULL;
    }
    void *block = ph_alloc_aligned(heap, count * size, align, POOLHEAP_TRACE_CALLOC);
    if (block != NULL) {
        memset(block, 0, count * size);
    }
    return block;
}

void *poolheap_calloc(const poolheap_t *heap, size_t count, size_t size) {
    return poolheap_calloc_aligned(heap, count, size, 1u);
}

size_t poolheap_usable_size(const poolheap_t *heap, const void *pointer) {
    if (pointer == NULL) {
        return 0u;
    }
    ph_place_t place;
    int error = ph_locate(heap, pointer, &place);
    if (error) {
        ph_report(heap, (poolheap_error_t)error, pointer);
        return 0u;
    }
    return heap->pools[place.pool].block;
}

int poolheap_owns(const poolheap_t *heap, const void *pointer) {
    return (uintptr_t)pointer - (uintptr_t)heap->base < heap->span;
}
