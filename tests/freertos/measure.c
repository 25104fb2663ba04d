/* The instruction-counting variant of the workload (POOLHEAP_FREERTOS_COUNT,
 * scripts/freertos-compare): the program is linked with --wrap for
 * pvPortMalloc and vPortFree, so every call the kernel and the workload make
 * passes through these wrappers, which call a begin marker before the real
 * function and mark_end after it. The script counts the instructions QEMU
 * executes from the begin marker's return to mark_end's entry (call
 * overhead included, about 4 instructions), leaving out interrupt handlers;
 * a call during which the scheduler switched tasks is not counted. The
 * wrappers also count the calls, as the trace hooks do in the other builds. */
#include <stddef.h>
#include <stdint.h>

#include "markers.h"
#include "workload.h"

volatile uint32_t marker_sink;
MARKER(mark_end, 0u)
MARKER(mark_malloc, 1u)
MARKER(mark_free, 2u)

void *__real_pvPortMalloc(size_t size);
void __real_vPortFree(void *block);
void *__wrap_pvPortMalloc(size_t size);
void __wrap_vPortFree(void *block);

void *__wrap_pvPortMalloc(size_t size) {
    mark_malloc();
    void *block = __real_pvPortMalloc(size);
    mark_end();
    workload_count_malloc(block, 0u); /* the trace hooks are off in this build */
    return block;
}

void __wrap_vPortFree(void *block) {
    mark_free();
    __real_vPortFree(block);
    mark_end();
    if (block != NULL) {
        workload_count_free(0u);
    }
}
