/* The least FreeRTOS configuration heap_4 compiles with, for peer_heap4.c:
 * no scheduler runs, only the heap is used. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

#include "peer.h"

#define configUSE_PREEMPTION 0
#define configUSE_IDLE_HOOK 0
#define configUSE_TICK_HOOK 0
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#define configMAX_PRIORITIES 2
#define configMINIMAL_STACK_SIZE 128
#define configCPU_CLOCK_HZ 25000000u
#define configTICK_RATE_HZ 1000u
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#define configSUPPORT_STATIC_ALLOCATION 0
#define configAPPLICATION_ALLOCATED_HEAP 1
#define configTOTAL_HEAP_SIZE PEER_ARENA
#define configUSE_MALLOC_FAILED_HOOK 0
#define configMAX_SYSCALL_INTERRUPT_PRIORITY (5u << 5)
#define configENABLE_MPU 0
#define configENABLE_FPU 0
#define configENABLE_TRUSTZONE 0
#define configENABLE_MVE 0

#endif /* FREERTOS_CONFIG_H */
