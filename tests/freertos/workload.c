/* The FreeRTOS integration test: the real kernel, its heap under test
 * (heap_poolheap.c, or heap_4.c for the comparison of docs/freertos.md).
 *
 * Three worker tasks at priorities 1 to 3 each run a random mix: create a
 * child task that deletes itself (the idle task frees it) or that the worker
 * deletes; create, use and delete a queue, a binary, counting, mutex or
 * recursive-mutex semaphore, an event group, a one-shot software timer
 * (started, then deleted through the timer task's queue) and a stream or
 * message buffer; and allocate and free blocks of 1 to 200 bytes directly,
 * each filled with a pattern checked before it is freed. With WORKLOAD_ISR,
 * a board timer interrupt at a priority FreeRTOS never masks allocates and
 * frees blocks of 1 to 64 bytes too (heap_4 may not be called there).
 *
 * One operation is one create, delete, pvPortMalloc or vPortFree the test
 * makes; the kernel allocates more on the side (a task is two blocks). When
 * the workers and the interrupt have made WORKLOAD_OPERATIONS, they free what
 * they hold and stop, the idle task frees the deleted tasks, and with the
 * scheduler suspended the heap's checks run (workload.h): nothing leaked,
 * the statistics agree with the pools and with the calls the trace hooks
 * counted. The last line says "freertos workload: PASSED" or the run exits
 * non-zero. A failed allocation, assertion or stack overflow ends the run at
 * once. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "FreeRTOS.h"
#include "event_groups.h"
#include "message_buffer.h"
#include "queue.h"
#include "semihosting.h"
#include "semphr.h"
#include "stream_buffer.h"
#include "task.h"
#include "timers.h"
#include "workload.h"

#ifndef WORKLOAD_OPERATIONS
#define WORKLOAD_OPERATIONS 100000u
#endif
#ifndef WORKLOAD_SEED
#define WORKLOAD_SEED 0x9E3779B9u
#endif
#ifndef WORKLOAD_ISR
#define WORKLOAD_ISR 1
#endif
#ifndef WORKLOAD_TRACE
#define WORKLOAD_TRACE 0
#endif
#if WORKLOAD_TRACE
#include "poolheap/trace.h"
static poolheap_trace_semihost_t trace_output;
#endif
#if WORKLOAD_ISR
#include "stress_timer.h"
#define ISR_PERIOD 7919u /* board timer ticks between interrupts */
#define ISR_MAX_REQUEST 64u
#endif

#ifndef WORKLOAD_WORKERS
#define WORKLOAD_WORKERS 3u
#endif
#ifndef WORKLOAD_SUPERVISOR_STACK
#define WORKLOAD_SUPERVISOR_STACK 320u /* words: the supervisor prints with newlib's printf */
#endif
#define WORKERS WORKLOAD_WORKERS
#define SLOTS 4u
#define MAX_REQUEST 200u
#define WORKER_STACK 160u /* words */
#define CHILD_STACK configMINIMAL_STACK_SIZE
#define STEPS_PER_DELAY 24u /* a worker sleeps a tick now and then: lower priorities and idle run */

/* Blocks one owner holds, each filled with a pattern checked before it is
 * freed: a block handed to two owners shows. */
typedef struct slots {
    uint8_t *block[SLOTS];
    uint32_t size[SLOTS];
    uint8_t pattern[SLOTS];
} slots_t;

typedef struct worker {
    uint32_t random; /* xorshift32 state */
    slots_t slots;
    volatile uint32_t operations; /* written by its task, read by the supervisor */
} worker_t;

static worker_t workers[WORKERS];
static TaskHandle_t supervisor;
static volatile int stopping;
static volatile uint32_t timer_callbacks;
static workload_calls_t calls;

/* A 32-bit linear congruential generator, its high half folded into the low
 * bits (whose period is short on their own). */
static uint32_t next_random(uint32_t *state) {
    *state = *state * 1664525u + 1013904223u;
    return *state ^ (*state >> 16);
}

_Noreturn static void fail(const char *what, const char *file, int line) {
    taskDISABLE_INTERRUPTS();
    printf("freertos workload: FAILED: %s at %s:%d\n", what, file, line);
    fflush(stdout);
    semihosting_exit(1);
}

#define REQUIRE(condition)                        \
    do {                                          \
        if (!(condition)) {                       \
            fail(#condition, __FILE__, __LINE__); \
        }                                         \
    } while (0)

void workload_assert_failed(const char *file, int line) {
    fail("configASSERT", file, line);
}

void vApplicationMallocFailedHook(void) {
    fail("out of heap memory", __FILE__, __LINE__);
}

void vApplicationStackOverflowHook(TaskHandle_t task, char *name) {
    (void)task;
    fail(name, "stack overflow", 0);
}

/* The trace hooks' counters: the interrupt handler preempts the tasks, so
 * they are updated with interrupts masked (a few instructions; the
 * instruction-counting build counts outside the measured calls). */
static void count(uint32_t *counter, int32_t bytes) {
    uint32_t primask;
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask)::"memory");
    ++*counter;
    calls.live_bytes += (uint32_t)bytes;
    if (calls.live_bytes > calls.peak_bytes) {
        calls.peak_bytes = calls.live_bytes;
    }
    __asm__ volatile("msr primask, %0" ::"r"(primask) : "memory");
}

void workload_count_malloc(void *block, size_t size) {
    if (block != NULL) {
        count(&calls.mallocs, (int32_t)size);
    }
}

void workload_count_free(size_t size) {
    count(&calls.frees, -(int32_t)size);
}

/* One step on a set of slots: fill an empty one, or check and free a full
 * one. Returns the operations made (1). */
static uint32_t slot_step(slots_t *slots, uint32_t *random, uint32_t max_request) {
    uint32_t r = next_random(random), i = r % SLOTS;
    if (slots->block[i] == NULL) {
        uint32_t size = 1u + (r >> 8) % max_request;
        uint8_t *block = pvPortMalloc(size);
        REQUIRE(block != NULL);
        uint8_t pattern = (uint8_t)(r >> 24);
        memset(block, pattern, size);
        slots->block[i] = block, slots->size[i] = size, slots->pattern[i] = pattern;
    } else {
        for (uint32_t k = 0; k < slots->size[i]; k++) {
            REQUIRE(slots->block[i][k] == slots->pattern[i]);
        }
        vPortFree(slots->block[i]);
        slots->block[i] = NULL;
    }
    return 1u;
}

static void free_slots(slots_t *slots) {
    for (uint32_t i = 0; i < SLOTS; i++) {
        if (slots->block[i] != NULL) {
            vPortFree(slots->block[i]);
            slots->block[i] = NULL;
        }
    }
}

/* A child either deletes itself at once (parameter 0) or waits to be
 * deleted by its parent. */
static void child_task(void *parameter) {
    if (parameter == NULL) {
        vTaskDelete(NULL);
    }
    for (;;) {
        ulTaskNotifyTake(pdTRUE, portMAX_DELAY);
    }
}

static uint32_t child_step(uint32_t r) {
    TaskHandle_t child;
    int waits = (r & 1u) != 0u;
    /* One priority above the worker: the child runs first, and has deleted
     * itself or is waiting by the time xTaskCreate returns. */
    REQUIRE(xTaskCreate(child_task, "child", CHILD_STACK, waits ? (void *)1 : NULL, uxTaskPriorityGet(NULL) + 1u,
                        &child) == pdPASS);
    if (waits) {
        vTaskDelete(child);
        return 2u;
    }
    return 1u;
}

static uint32_t queue_step(uint32_t r) {
    UBaseType_t length = 1u + r % 8u, item_size = 4u + (r >> 4) % 24u;
    QueueHandle_t queue = xQueueCreate(length, item_size);
    REQUIRE(queue != NULL);
    uint8_t item[28], back[28];
    for (UBaseType_t i = 0; i < length; i++) {
        memset(item, (int)i, item_size);
        REQUIRE(xQueueSend(queue, item, 0) == pdPASS);
    }
    REQUIRE(xQueueSend(queue, item, 0) == errQUEUE_FULL);
    for (UBaseType_t i = 0; i < length; i++) {
        REQUIRE(xQueueReceive(queue, back, 0) == pdPASS && back[0] == (uint8_t)i);
    }
    vQueueDelete(queue);
    return 2u;
}

static uint32_t semaphore_step(uint32_t r) {
    switch (r % 5u) {
    case 0: {
        EventGroupHandle_t group = xEventGroupCreate();
        REQUIRE(group != NULL);
        REQUIRE((xEventGroupSetBits(group, 0x5u) & 0x5u) == 0x5u);
        vEventGroupDelete(group);
        return 2u;
    }
    case 1: {
        SemaphoreHandle_t semaphore = xSemaphoreCreateRecursiveMutex();
        REQUIRE(semaphore != NULL);
        REQUIRE(xSemaphoreTakeRecursive(semaphore, 0) == pdPASS && xSemaphoreTakeRecursive(semaphore, 0) == pdPASS);
        REQUIRE(xSemaphoreGiveRecursive(semaphore) == pdPASS && xSemaphoreGiveRecursive(semaphore) == pdPASS);
        vSemaphoreDelete(semaphore);
        return 2u;
    }
    default: {
        SemaphoreHandle_t semaphore = (r % 5u) == 2u   ? xSemaphoreCreateBinary()
                                      : (r % 5u) == 3u ? xSemaphoreCreateCounting(4, 2)
                                                       : xSemaphoreCreateMutex();
        REQUIRE(semaphore != NULL);
        if ((r % 5u) == 2u) {
            REQUIRE(xSemaphoreGive(semaphore) == pdPASS);
        }
        REQUIRE(xSemaphoreTake(semaphore, 0) == pdPASS);
        REQUIRE(xSemaphoreGive(semaphore) == pdPASS);
        vSemaphoreDelete(semaphore);
        return 2u;
    }
    }
}

static void timer_callback(TimerHandle_t timer) {
    (void)timer;
    timer_callbacks = timer_callbacks + 1u; /* the timer task is the only writer */
}

static uint32_t timer_step(uint32_t r) {
    TimerHandle_t timer = xTimerCreate("timer", 1u + r % 3u, pdFALSE, NULL, timer_callback);
    REQUIRE(timer != NULL);
    REQUIRE(xTimerStart(timer, portMAX_DELAY) == pdPASS);
    if ((r >> 8) & 1u) {
        vTaskDelay(1u + r % 3u); /* sometimes the timer fires before it is deleted */
    }
    REQUIRE(xTimerDelete(timer, portMAX_DELAY) == pdPASS); /* the timer task frees it */
    return 2u;
}

static uint32_t stream_step(uint32_t r) {
    size_t capacity = 16u + r % 200u, length = 1u + (r >> 8) % 12u;
    int message = (r >> 16) & 1u;
    StreamBufferHandle_t buffer = message ? xMessageBufferCreate(capacity) : xStreamBufferCreate(capacity, 1);
    REQUIRE(buffer != NULL);
    uint8_t data[12], back[12];
    for (size_t i = 0; i < length; i++) {
        data[i] = (uint8_t)(r + i);
    }
    if (message) {
        REQUIRE(xMessageBufferSend(buffer, data, length, 0) == length);
        REQUIRE(xMessageBufferReceive(buffer, back, sizeof back, 0) == length);
    } else {
        REQUIRE(xStreamBufferSend(buffer, data, length, 0) == length);
        REQUIRE(xStreamBufferReceive(buffer, back, sizeof back, 0) == length);
    }
    REQUIRE(memcmp(data, back, length) == 0);
    vStreamBufferDelete(buffer);
    return 2u;
}

/* A worker's step: one of these (5 in 8), or a direct allocation or free. */
static uint32_t (*const kernel_steps[])(uint32_t) = {child_step, queue_step, semaphore_step, timer_step, stream_step};
#define KERNEL_STEPS (sizeof kernel_steps / sizeof kernel_steps[0])

static void worker_task(void *parameter) {
    worker_t *self = parameter;
    for (uint32_t step = 1; !stopping; step++) {
        uint32_t r = next_random(&self->random);
        uint32_t kind = r % 8u;
        uint32_t made =
            kind < KERNEL_STEPS ? kernel_steps[kind](r >> 3) : slot_step(&self->slots, &self->random, MAX_REQUEST);
        self->operations += made;
        if (step % STEPS_PER_DELAY == 0u) {
            vTaskDelay(1);
        }
    }
    free_slots(&self->slots);
    xTaskNotifyGive(supervisor);
    vTaskDelete(NULL);
}

#if WORKLOAD_ISR
static uint32_t isr_random = WORKLOAD_SEED ^ 0xA5A5A5A5u;
static slots_t isr_slots;
static volatile uint32_t isr_operations;

void IRQ8_Handler(void);

/* The board timer, at NVIC priority 0 (the reset value, the highest): on
 * ARMv7-M never masked by the kernel, so it preempts the kernel's own
 * critical sections, and the heap's calls too. (On ARMv6-M the kernel masks
 * every interrupt in its critical sections; the heap's calls it preempts.) */
void IRQ8_Handler(void) {
    stress_timer_acknowledge();
    isr_operations = isr_operations + slot_step(&isr_slots, &isr_random, ISR_MAX_REQUEST);
}

#define NVIC_ISER (*(volatile uint32_t *)0xE000E100u)
#define NVIC_ICER (*(volatile uint32_t *)0xE000E180u)

static void isr_start(void) {
    NVIC_ISER = 1u << STRESS_TIMER_IRQ;
    stress_timer_start(ISR_PERIOD);
}

static void isr_stop(void) {
    stress_timer_stop();
    NVIC_ICER = 1u << STRESS_TIMER_IRQ;
    __asm__ volatile("dsb\n\tisb" ::: "memory"); /* no handler runs after this */
    free_slots(&isr_slots);
}
#else
static const uint32_t isr_operations = 0;
static void isr_start(void) {
}
static void isr_stop(void) {
}
#endif

static uint32_t operations(void) {
    uint32_t total = isr_operations;
    for (uint32_t i = 0; i < WORKERS; i++) {
        total += workers[i].operations;
    }
    return total;
}

static void supervisor_task(void *parameter) {
    (void)parameter;
    workload_baseline_t baseline;
    vTaskSuspendAll();
    workload_heap_baseline(&baseline, &calls);
    (void)xTaskResumeAll();

    uint32_t seed = WORKLOAD_SEED;
    for (uint32_t i = 0; i < WORKERS; i++) {
        workers[i].random = seed ^ (0x1234567u * (i + 1u));
        REQUIRE(xTaskCreate(worker_task, "worker", WORKER_STACK, &workers[i], 1u + i, NULL) == pdPASS);
    }
    isr_start();
    while (operations() < WORKLOAD_OPERATIONS) {
        vTaskDelay(5);
    }
    stopping = 1;
    for (uint32_t i = 0; i < WORKERS; i++) {
        ulTaskNotifyTake(pdFALSE, portMAX_DELAY);
    }
    isr_stop();
    vTaskDelay(20); /* the idle task frees the deleted tasks; the timer task has deleted its timers */

    vTaskSuspendAll();
    unsigned failures = workload_heap_check(&baseline, &calls);
#if WORKLOAD_TRACE
    poolheap_trace_semihost_close(&trace_output);
#endif
    (void)xTaskResumeAll();
    printf("freertos workload (%s): %lu operations (%lu in the interrupt handler), %lu pvPortMalloc, %lu "
           "vPortFree, %lu timer callbacks, peak %lu bytes of live blocks\n",
           workload_heap_name, (unsigned long)operations(), (unsigned long)isr_operations, (unsigned long)calls.mallocs,
           (unsigned long)calls.frees, (unsigned long)timer_callbacks, (unsigned long)calls.peak_bytes);
    if (failures != 0u) {
        printf("freertos workload: FAILED: %u heap checks\n", failures);
        fflush(stdout);
        semihosting_exit(1);
    }
    printf("freertos workload: PASSED\n");
    fflush(stdout);
    semihosting_exit(0);
}

int main(void) {
    printf("freertos workload: seed 0x%08lX, %lu operations\n", (unsigned long)WORKLOAD_SEED,
           (unsigned long)WORKLOAD_OPERATIONS);
#if WORKLOAD_TRACE
    /* Every heap operation from here on, the kernel's own included. */
    REQUIRE(poolheap_trace_semihost_open(&trace_output, "freertos.trace", NULL) == 0);
#endif
    REQUIRE(xTaskCreate(supervisor_task, "super", WORKLOAD_SUPERVISOR_STACK, NULL, configMAX_PRIORITIES - 2u,
                        &supervisor) == pdPASS);
    vTaskStartScheduler();
    fail("the scheduler returned", __FILE__, __LINE__);
}
