/* FreeRTOS heap_4 (../shared/third_party/FreeRTOS-Kernel/portable/MemMang)
 * as a peer, without a scheduler: heap_4 brackets its work with
 * vTaskSuspendAll and xTaskResumeAll, which are empty here (one thread),
 * and its arena is ours (configAPPLICATION_ALLOCATED_HEAP). The realloc is
 * built on its public API. */
#include "FreeRTOS.h"
#include "peer.h"
#include "peer_realloc_on_top.h"
#include "task.h"

uint8_t ucHeap[configTOTAL_HEAP_SIZE];

void vTaskSuspendAll(void) {
}

BaseType_t xTaskResumeAll(void) {
    return pdFALSE;
}

int peer_init(void) {
    return 0; /* heap_4 sets itself up on its first allocation */
}

void *peer_alloc(size_t size) {
    return pvPortMalloc(size);
}

void peer_free(void *pointer) {
    vPortFree(pointer);
}

void *peer_realloc(void *pointer, size_t size) {
    return peer_realloc_on_top(pointer, size, ucHeap + sizeof ucHeap);
}
