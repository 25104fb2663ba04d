/* The workload's heap for the comparison of docs/freertos.md: FreeRTOS's own
 * heap_4.c, configTOTAL_HEAP_SIZE bytes. */
#include <stdio.h>

#include "FreeRTOS.h"
#include "workload.h"

const char workload_heap_name[] = "heap_4";

void workload_heap_baseline(workload_baseline_t *baseline, const workload_calls_t *calls) {
    baseline->live_blocks = calls->mallocs - calls->frees;
    baseline->live_bytes = calls->live_bytes;
    baseline->free_bytes = (uint32_t)xPortGetFreeHeapSize();
}

unsigned workload_heap_check(const workload_baseline_t *baseline, const workload_calls_t *calls) {
    HeapStats_t stats;
    vPortGetHeapStats(&stats);
    unsigned failures = 0;
    if (stats.xAvailableHeapSpaceInBytes != baseline->free_bytes ||
        calls->mallocs - calls->frees != baseline->live_blocks ||
        stats.xNumberOfSuccessfulAllocations != calls->mallocs || stats.xNumberOfSuccessfulFrees != calls->frees) {
        printf("heap_4: %lu bytes free (%lu at the start), %lu allocations, %lu frees\n",
               (unsigned long)stats.xAvailableHeapSpaceInBytes, (unsigned long)baseline->free_bytes,
               (unsigned long)stats.xNumberOfSuccessfulAllocations, (unsigned long)stats.xNumberOfSuccessfulFrees);
        failures++;
    }
    printf("heap_4: %u bytes, at least %lu never used\n", (unsigned)configTOTAL_HEAP_SIZE,
           (unsigned long)stats.xMinimumEverFreeBytesRemaining);
    return failures;
}
