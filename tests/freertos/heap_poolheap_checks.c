/* The workload's heap: poolheap, through port/freertos/heap_poolheap.c, on
 * the heap of heap.toml (generated at build time). */
#include <stdio.h>

#include "FreeRTOS.h"
#include "poolheap_freertos.h"
#include "poolheap_heaps.h"
#include "workload.h"

POOLHEAP_FREERTOS_HEAP(heap_freertos);

const char workload_heap_name[] = "poolheap";

void workload_heap_baseline(workload_baseline_t *baseline, const workload_calls_t *calls) {
    baseline->live_blocks = calls->mallocs - calls->frees;
    baseline->live_bytes = calls->live_bytes;
    baseline->free_bytes = (uint32_t)xPortGetFreeHeapSize();
    for (unsigned i = 0; i < heap_freertos.pool_count; i++) {
        poolheap_pool_stats_t pool;
        poolheap_pool_stats(&heap_freertos, i, &pool);
        baseline->in_use[i] = pool.in_use;
    }
}

#define EXPECT(condition)                                                        \
    do {                                                                         \
        if (!(condition)) {                                                      \
            printf("%s:%d: check failed: %s\n", __FILE__, __LINE__, #condition); \
            failures++;                                                          \
        }                                                                        \
    } while (0)

unsigned workload_heap_check(const workload_baseline_t *baseline, const workload_calls_t *calls) {
    unsigned failures = 0;
    EXPECT(poolheap_check(&heap_freertos) == 0u);
    EXPECT(poolheap_deep_check(&heap_freertos) == 0u); /* in_use = handed out - free list, per pool */

    /* The pools, read directly; the deep check has just verified in_use. */
    uint32_t free_bytes = 0, min_free = 0, free_blocks = 0, largest = 0, smallest = 0;
    for (unsigned i = 0; i < heap_freertos.pool_count; i++) {
        poolheap_pool_stats_t pool;
        poolheap_pool_stats(&heap_freertos, i, &pool);
        EXPECT(pool.in_use == baseline->in_use[i]); /* nothing leaked, pool by pool */
        free_bytes += pool.block * (pool.capacity - pool.in_use);
        min_free += pool.block * (pool.capacity - pool.peak);
        free_blocks += pool.capacity - pool.in_use;
        if (pool.in_use < pool.capacity) {
            largest = pool.block;
            smallest = smallest != 0u ? smallest : pool.block;
        }
    }

    HeapStats_t stats;
    vPortGetHeapStats(&stats);
    EXPECT(stats.xAvailableHeapSpaceInBytes == free_bytes);
    EXPECT(stats.xAvailableHeapSpaceInBytes == baseline->free_bytes);
    EXPECT(xPortGetFreeHeapSize() == free_bytes);
    EXPECT(stats.xMinimumEverFreeBytesRemaining == min_free);
    EXPECT(xPortGetMinimumEverFreeHeapSize() == min_free);
    EXPECT(stats.xMinimumEverFreeBytesRemaining < stats.xAvailableHeapSpaceInBytes); /* the workload used the heap */
    EXPECT(stats.xNumberOfFreeBlocks == free_blocks);
    EXPECT(stats.xSizeOfLargestFreeBlockInBytes == largest);
    EXPECT(stats.xSizeOfSmallestFreeBlockInBytes == smallest);
    /* Every call the trace hooks counted, and only those. */
    EXPECT(stats.xNumberOfSuccessfulAllocations == calls->mallocs);
    EXPECT(stats.xNumberOfSuccessfulFrees == calls->frees);
    EXPECT(calls->mallocs - calls->frees == baseline->live_blocks);
    EXPECT(calls->live_bytes == baseline->live_bytes);
    return failures;
}
