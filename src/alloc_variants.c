/* Allocation variants built on ph_alloc: aligned, zeroed, and the
 * questions about a pointer. */
#include <string.h>

#include "internal.h"

static void *ph_alloc_aligned(const poolheap_t *heap, size_t size, size_t align PH_OP_PARAM PH_CALLER_PARAM) {
    if (align == 0u || (align & (align - 1u)) != 0u) {
        ph_reject(heap, POOLHEAP_ERR_BAD_ALIGNMENT, size, align PH_OP_ARG PH_CALLER_ARG);
        return NULL;
    }
    return ph_alloc(heap, size, align, ph_first_fit(heap, size) PH_OP_ARG PH_CALLER_ARG);
}

/* poolheap_calloc_aligned's body, shared with poolheap_calloc_aligned_for. */
PH_ALWAYS_INLINE void *ph_calloc_aligned(const poolheap_t *heap, size_t count, size_t size,
                                         size_t align PH_CALLER_PARAM) {
    if (size != 0u && count > SIZE_MAX / size) {
        ph_reject(heap, POOLHEAP_ERR_OVERFLOW, SIZE_MAX, align PH_OP(POOLHEAP_TRACE_CALLOC) PH_CALLER_ARG);
        return NULL;
    }
    void *block = ph_alloc_aligned(heap, count * size, align PH_OP(POOLHEAP_TRACE_CALLOC) PH_CALLER_ARG);
    if (block != NULL) {
        memset(block, 0, count * size);
    }
    return block;
}

void *poolheap_alloc_aligned(const poolheap_t *heap, size_t size, size_t align) {
    return ph_alloc_aligned(heap, size, align PH_OP(POOLHEAP_TRACE_ALIGNED) PH_CALLER_HERE);
}

void *poolheap_calloc_aligned(const poolheap_t *heap, size_t count, size_t size, size_t align) {
    return ph_calloc_aligned(heap, count, size, align PH_CALLER_HERE);
}

/* poolheap_calloc: a call to the aligned one, with the caller. */
#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
#define PH_CALLOC_CALL(heap, count, size) \
    poolheap_calloc_aligned_for((heap), (count), (size), 1u, __builtin_return_address(0))
#else
#define PH_CALLOC_CALL(heap, count, size) poolheap_calloc_aligned((heap), (count), (size), 1u)
#endif

void *poolheap_calloc(const poolheap_t *heap, size_t count, size_t size) {
    return PH_CALLOC_CALL(heap, count, size);
}

#if POOLHEAP_TRACE && POOLHEAP_TRACE_CALLER
void *poolheap_alloc_aligned_for(const poolheap_t *heap, size_t size, size_t align, const void *caller) {
    return ph_alloc_aligned(heap, size, align PH_OP(POOLHEAP_TRACE_ALIGNED), caller);
}

void *poolheap_calloc_aligned_for(const poolheap_t *heap, size_t count, size_t size, size_t align, const void *caller) {
    return ph_calloc_aligned(heap, count, size, align, caller);
}
#endif

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
    return place.pool->block;
}

int poolheap_owns(const poolheap_t *heap, const void *pointer) {
    return (uintptr_t)pointer - (uintptr_t)heap->base < heap->span;
}
