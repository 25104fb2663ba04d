/* FreeRTOS's heap on poolheap (heap_poolheap.c, docs/freertos.md).
 *
 * List port/freertos/heap_poolheap.c where a FreeRTOS project lists
 * heap_4.c (with FreeRTOS's CMake: FREERTOS_HEAP set to its path), put this
 * folder and poolheap's include/ on the kernel's include path, and in
 * exactly one source file name the heap the kernel allocates from:
 *
 *     #include "poolheap_freertos.h"
 *     #include "poolheap_heaps.h"          (a heap from TOML: poolheap_add_heaps)
 *     POOLHEAP_FREERTOS_HEAP(heap_main);
 *
 * or define it with POOLHEAP_DEFINE (poolheap/define.h) first. Every block
 * size of that heap must be a multiple of portBYTE_ALIGNMENT (8 on
 * Cortex-M): FreeRTOS expects blocks aligned to it, and a block's alignment
 * is the largest power of two dividing its size. The port rounds requests up
 * to that multiple, as heap_4 does, so a layout `poolheap tune` computes from
 * a trace recorded through the port has such blocks.
 */
#ifndef POOLHEAP_FREERTOS_H
#define POOLHEAP_FREERTOS_H

#include "poolheap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The heap behind pvPortMalloc; defined by POOLHEAP_FREERTOS_HEAP. */
extern const poolheap_t *const poolheap_freertos_heap;

/* Makes `heap` (a poolheap_t object) FreeRTOS's heap. Use it once, at file
 * scope. */
#define POOLHEAP_FREERTOS_HEAP(heap) const poolheap_t *const poolheap_freertos_heap = &(heap)

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_FREERTOS_H */
