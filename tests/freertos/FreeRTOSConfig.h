/* The FreeRTOS configuration of the integration test (workload.c) on the
 * QEMU boards: mps2-an385 (Cortex-M3, GCC/ARM_CM3 port) and microbit
 * (Cortex-M0, GCC/ARM_CM0 port). Only what the test needs; every value the
 * kernel has no default for is here. */
#ifndef FREERTOS_CONFIG_H
#define FREERTOS_CONFIG_H

/* The MPS2 boards run their core at 25 MHz; the nRF51 at 16 MHz. QEMU does
 * not model time per instruction, so this only sets the tick's period in
 * SysTick counts. */
#if defined(__ARM_ARCH_6M__)
#define configCPU_CLOCK_HZ 16000000u
#else
#define configCPU_CLOCK_HZ 25000000u
#endif
#define configTICK_RATE_HZ 1000u
#define configUSE_PREEMPTION 1
#define configUSE_TIME_SLICING 1
#define configUSE_PORT_OPTIMISED_TASK_SELECTION 0
#define configUSE_TICKLESS_IDLE 0
#define configMAX_PRIORITIES 6
#define configMINIMAL_STACK_SIZE 96u /* words */
#define configMAX_TASK_NAME_LEN 8
#define configTICK_TYPE_WIDTH_IN_BITS TICK_TYPE_WIDTH_32_BITS
#define configIDLE_SHOULD_YIELD 1
#define configTASK_NOTIFICATION_ARRAY_ENTRIES 1
#define configQUEUE_REGISTRY_SIZE 0
#define configENABLE_BACKWARD_COMPATIBILITY 0
#define configUSE_MINI_LIST_ITEM 1
#define configSTACK_DEPTH_TYPE uint32_t
#define configMESSAGE_BUFFER_LENGTH_TYPE size_t
#define configHEAP_CLEAR_MEMORY_ON_FREE 0
#define configUSE_NEWLIB_REENTRANT 0

/* Dynamic allocation only: every kernel object comes from the heap under
 * test. configTOTAL_HEAP_SIZE sizes heap_4's array (the heap_4 build of the
 * comparison, docs/freertos.md, sets it); heap_poolheap.c ignores it. */
#define configSUPPORT_STATIC_ALLOCATION 0
#define configSUPPORT_DYNAMIC_ALLOCATION 1
#ifndef configTOTAL_HEAP_SIZE
#define configTOTAL_HEAP_SIZE 16384u
#endif
#define configAPPLICATION_ALLOCATED_HEAP 0
#define configSTACK_ALLOCATION_FROM_SEPARATE_HEAP 0

/* Hooks: a failed allocation ends the test (workload.c). */
#define configUSE_IDLE_HOOK 0
#define configUSE_TICK_HOOK 0
#define configUSE_MALLOC_FAILED_HOOK 1
#define configCHECK_FOR_STACK_OVERFLOW 2
#define configUSE_DAEMON_TASK_STARTUP_HOOK 0

#define configGENERATE_RUN_TIME_STATS 0
#define configUSE_TRACE_FACILITY 0
#define configUSE_STATS_FORMATTING_FUNCTIONS 0

#define configUSE_TASK_NOTIFICATIONS 1
#define configUSE_MUTEXES 1
#define configUSE_RECURSIVE_MUTEXES 1
#define configUSE_COUNTING_SEMAPHORES 1
#define configUSE_QUEUE_SETS 0
#define configUSE_APPLICATION_TASK_TAG 0
#define configUSE_CO_ROUTINES 0
#define configUSE_STREAM_BUFFERS 1
#define configUSE_EVENT_GROUPS 1

#define configUSE_TIMERS 1
#define configTIMER_TASK_PRIORITY (configMAX_PRIORITIES - 1)
#define configTIMER_QUEUE_LENGTH 16
#define configTIMER_TASK_STACK_DEPTH (configMINIMAL_STACK_SIZE * 2u)

/* Interrupt priorities, in the NVIC's 8-bit form (QEMU implements the top
 * bits only, as silicon does): the kernel runs at the lowest priority and
 * masks up to 0x40 in its critical sections. The test's board timer runs at
 * 0x00, above that: FreeRTOS never masks it, and it may call no FreeRTOS
 * API, but with heap_poolheap.c it may allocate. (ARMv6-M has no BASEPRI:
 * there the kernel's critical sections mask every interrupt.) */
#define configKERNEL_INTERRUPT_PRIORITY 0xFFu
#define configMAX_SYSCALL_INTERRUPT_PRIORITY 0x40u
#define configMAX_API_CALL_INTERRUPT_PRIORITY configMAX_SYSCALL_INTERRUPT_PRIORITY

#define configENABLE_MPU 0
#define configENABLE_FPU 0
#define configENABLE_TRUSTZONE 0
#define configRUN_FREERTOS_SECURE_ONLY 0
#define configCHECK_HANDLER_INSTALLATION 1

/* The port's handlers are the vector table's entries (port/startup.c). */
#define vPortSVCHandler SVC_Handler
#define xPortPendSVHandler PendSV_Handler
#define xPortSysTickHandler SysTick_Handler

/* A failed assertion ends the test with its place (workload.c). */
void workload_assert_failed(const char *file, int line);
#define configASSERT(x)                                 \
    do {                                                \
        if (!(x)) {                                     \
            workload_assert_failed(__FILE__, __LINE__); \
        }                                               \
    } while (0)

/* Every successful pvPortMalloc and every vPortFree, counted by the test to
 * check vPortGetHeapStats against (both heap_4.c and heap_poolheap.c call
 * these; the instruction-counting build counts in its wrappers instead). */
#ifndef WORKLOAD_COUNT_CALLS
#define WORKLOAD_COUNT_CALLS 1
#endif
#if WORKLOAD_COUNT_CALLS
#include "workload.h"
#define traceMALLOC(block, size) workload_count_malloc(block, size)
#define traceFREE(block, size) workload_count_free(size)
#endif

#define INCLUDE_vTaskPrioritySet 0
#define INCLUDE_uxTaskPriorityGet 1
#define INCLUDE_vTaskDelete 1
#define INCLUDE_vTaskSuspend 1
#define INCLUDE_vTaskDelayUntil 0
#define INCLUDE_vTaskDelay 1
#define INCLUDE_xTaskGetSchedulerState 1
#define INCLUDE_xTaskGetCurrentTaskHandle 1
#define INCLUDE_uxTaskGetStackHighWaterMark 0
#define INCLUDE_xTaskGetIdleTaskHandle 0
#define INCLUDE_eTaskGetState 1
#define INCLUDE_xTimerPendFunctionCall 0
#define INCLUDE_xTaskAbortDelay 0
#define INCLUDE_xTaskGetHandle 0
#define INCLUDE_xTaskResumeFromISR 0

#endif /* FREERTOS_CONFIG_H */
