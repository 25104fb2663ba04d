/* What the FreeRTOS workload (workload.c) needs from the heap under test:
 * heap_poolheap_checks.c for poolheap, heap_4_checks.c for heap_4. */
#ifndef FREERTOS_WORKLOAD_H
#define FREERTOS_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

/* What the heap holds when the workload starts (the kernel's own objects,
 * the supervisor task), to compare the end with. */
typedef struct workload_baseline {
    uint32_t live_blocks; /* successful pvPortMalloc calls minus vPortFree calls */
    uint32_t live_bytes;  /* the bytes of those blocks, as the trace hooks saw them */
    uint32_t free_bytes;  /* xPortGetFreeHeapSize */
    uint32_t in_use[64];  /* poolheap: blocks in use per pool */
} workload_baseline_t;

/* Calls counted by the trace hooks (FreeRTOSConfig.h), from tasks and the
 * interrupt handler, and the bytes of the blocks they passed (as the heap
 * reports them: heap_4 counts its 8-byte block header in). */
typedef struct workload_calls {
    uint32_t mallocs;    /* successful pvPortMalloc and pvPortCalloc */
    uint32_t frees;      /* vPortFree of a block */
    uint32_t live_bytes; /* block bytes allocated and not freed */
    uint32_t peak_bytes; /* highest live_bytes */
} workload_calls_t;

/* Count one successful pvPortMalloc (block not NULL) of a block of `size`
 * bytes, or one vPortFree of a block of `size` bytes: called by the trace
 * hooks (FreeRTOSConfig.h), or by the wrappers of the instruction-counting
 * build (measure.c, which passes no sizes). Callable from any context. */
void workload_count_malloc(void *block, size_t size);
void workload_count_free(size_t size);

/* Records the baseline. Called by the supervisor before the workload. */
void workload_heap_baseline(workload_baseline_t *baseline, const workload_calls_t *calls);

/* With the workload over and the scheduler suspended: the heap's own checks,
 * nothing leaked against the baseline, vPortGetHeapStats against the pools
 * and the counted calls. Prints what fails; returns the number of failures. */
unsigned workload_heap_check(const workload_baseline_t *baseline, const workload_calls_t *calls);

/* The heap's name, for the report line. */
extern const char workload_heap_name[];

#endif /* FREERTOS_WORKLOAD_H */
