/* FreeRTOS's memory management (portable.h) on a poolheap heap: the file a
 * FreeRTOS project lists instead of heap_4.c. poolheap_freertos.h says how
 * to name the heap; docs/freertos.md compares it with heap_4.
 *
 * No scheduler suspension and no critical section: the pools are lock-free
 * (poolheap.h), so pvPortMalloc, pvPortCalloc and vPortFree are callable
 * from tasks and from any interrupt handler, including handlers above
 * configMAX_SYSCALL_INTERRUPT_PRIORITY, which FreeRTOS never masks. Each
 * call takes time bounded by the number of pools.
 *
 * The figures (xPortGetFreeHeapSize, vPortGetHeapStats) are computed from
 * the pools' statistics (poolheap_pool_stats: block size, capacity, blocks
 * in use, high-water mark). Blocks in use are counted by walking each
 * pool's free list, so these cost O(pools + free blocks); they may be called
 * from interrupt handlers too, and while other calls change a list the
 * count is a snapshot of no particular moment (poolheap.h). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "FreeRTOS.h"
#include "poolheap_freertos.h"

#if configSUPPORT_DYNAMIC_ALLOCATION == 0
#error "heap_poolheap.c serves dynamic allocation: set configSUPPORT_DYNAMIC_ALLOCATION to 1"
#endif

/* Successful allocations since start-up or vPortHeapResetState, for
 * vPortGetHeapStats: the library keeps no per-operation counts (each would
 * cost every alloc and free), and the frees follow from this one (allocations
 * minus blocks in use), so vPortFree counts nothing. A relaxed atomic add (a
 * count orders nothing else) on cores with LDREX/STREX and on hosts; on
 * ARMv6-M, which has no atomic read-modify-write, a load, add and store with
 * interrupts masked, in one asm statement so that the compiler cannot spill
 * into the masked section. Wraps at 2^32. */
static uint32_t ph_freertos_allocations;

static void ph_freertos_count_allocation(void) {
#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M' && !defined(__ARM_FEATURE_LDREX)
    uint32_t saved, value;
    __asm__ volatile("mrs %[saved], primask\n\t"
                     "cpsid i\n\t"
                     "ldr %[value], [%[counter]]\n\t"
                     "add %[value], #1\n\t"
                     "str %[value], [%[counter]]\n\t"
                     "msr primask, %[saved]"
                     : [saved] "=&l"(saved), [value] "=&l"(value)
                     : [counter] "l"(&ph_freertos_allocations)
                     : "cc", "memory");
#else
    __atomic_fetch_add(&ph_freertos_allocations, 1u, __ATOMIC_RELAXED);
#endif
}

/* traceMALLOC receives the block's size (0 on failure), as with heap_4. */
static void *ph_freertos_result(void *block) {
    if (block != NULL) {
        ph_freertos_count_allocation();
    }
    traceMALLOC(block, poolheap_usable_size(poolheap_freertos_heap, block));
#if configUSE_MALLOC_FAILED_HOOK == 1
    if (block == NULL) {
        vApplicationMallocFailedHook();
    }
#endif
    configASSERT(((size_t)block & portBYTE_ALIGNMENT_MASK) == 0u);
    return block;
}

/* FreeRTOS expects blocks aligned to portBYTE_ALIGNMENT (8 on Cortex-M), as
 * heap_4 rounds every request up to it. So does this port: a request is a
 * multiple of 8, the trace records it so, `poolheap tune` then lays out
 * blocks that are multiples of 8, and a block's alignment is the largest
 * power of two dividing its size. Returns the rounded size, or 0 if it does
 * not fit in a size_t. */
static size_t ph_freertos_round(size_t size) {
    return size > SIZE_MAX - portBYTE_ALIGNMENT_MASK
               ? 0u
               : (size + portBYTE_ALIGNMENT_MASK) & ~(size_t)portBYTE_ALIGNMENT_MASK;
}

/* Allocates xWantedSize rounded up to portBYTE_ALIGNMENT from the smallest
 * pool whose block fits, falling back to larger pools (poolheap_alloc). Size
 * 0 gets a block of the smallest pool (heap_4 returns NULL). On failure calls
 * vApplicationMallocFailedHook when configUSE_MALLOC_FAILED_HOOK is 1, and
 * returns NULL. Every block size of the heap must be a multiple of
 * portBYTE_ALIGNMENT (configASSERT checks the blocks it hands out). */
void *pvPortMalloc(size_t xWantedSize) {
    size_t size = ph_freertos_round(xWantedSize);
    void *block = size != 0u || xWantedSize == 0u ? poolheap_alloc(poolheap_freertos_heap, size) : NULL;
    return ph_freertos_result(block);
}

/* As pvPortMalloc for xNum * xSize bytes, zeroed; NULL (and the hook) when
 * the product overflows or no pool can serve it. */
void *pvPortCalloc(size_t xNum, size_t xSize) {
    if (xSize != 0u && xNum > SIZE_MAX / xSize) {
        return ph_freertos_result(NULL); /* the product overflows */
    }
    void *block = pvPortMalloc(xNum * xSize);
    if (block != NULL) {
        memset(block, 0, xNum * xSize);
    }
    return block;
}

/* Returns the block to its pool; NULL is a no-op. A pointer the heap does
 * not own is reported to the heap's error hook and ignored (poolheap_free).
 * traceFREE receives the block size, as with heap_4. */
void vPortFree(void *pv) {
    if (pv != NULL) {
        traceFREE(pv, poolheap_usable_size(poolheap_freertos_heap, pv));
    }
    poolheap_free(poolheap_freertos_heap, pv);
}

/* Nothing to prepare: a heap whose state is zero is ready (poolheap.h). */
void vPortInitialiseBlocks(void) {
}

/* Returns every block to its pool and zeroes the statistics and the
 * allocation count, for a restart of the scheduler (portable.h). Not while
 * anything else uses the heap. */
void vPortHeapResetState(void) {
    poolheap_reset(poolheap_freertos_heap);
    __atomic_store_n(&ph_freertos_allocations, 0u, __ATOMIC_RELAXED);
}

/* What the figures below are computed from, summed over the pools. */
typedef struct {
    size_t free_bytes;     /* block * (capacity - in_use) */
    size_t min_free_bytes; /* block * (capacity - peak) */
    size_t free_blocks;    /* capacity - in_use */
    size_t largest_free;   /* block size of the largest pool with a free block, else 0 */
    size_t smallest_free;  /* block size of the smallest pool with a free block, else 0 */
    size_t in_use;         /* blocks handed out now */
} ph_freertos_totals_t;

static void ph_freertos_totals(ph_freertos_totals_t *totals) {
    const poolheap_t *heap = poolheap_freertos_heap;
    *totals = (ph_freertos_totals_t){0};
    for (unsigned i = 0; i < heap->pool_count; i++) {
        poolheap_pool_stats_t pool;
        poolheap_pool_stats(heap, i, &pool);
        size_t free_blocks = pool.capacity - pool.in_use;
        totals->free_bytes += (size_t)pool.block * free_blocks;
        totals->min_free_bytes += (size_t)pool.block * (pool.capacity - pool.peak);
        totals->free_blocks += free_blocks;
        if (free_blocks != 0u) {
            totals->largest_free = pool.block; /* pools are sorted by block size */
            if (totals->smallest_free == 0u) {
                totals->smallest_free = pool.block;
            }
        }
        totals->in_use += pool.in_use;
    }
}

/* The bytes of all free blocks, in every pool. A request can be served only
 * by a pool whose block fits it, so (unlike heap_4's figure) this says
 * nothing about the largest request that would succeed: see
 * xSizeOfLargestFreeBlockInBytes. */
size_t xPortGetFreeHeapSize(void) {
    ph_freertos_totals_t totals;
    ph_freertos_totals(&totals);
    return totals.free_bytes;
}

/* Sum over the pools of block * (capacity - high-water mark): the free bytes
 * if every pool had reached its peak at the same moment. A lower bound on the
 * least xPortGetFreeHeapSize ever returned (equal when the peaks coincide),
 * and the figure that matters for pools: a pool at its peak had no block
 * left only if that pool's term is 0. */
size_t xPortGetMinimumEverFreeHeapSize(void) {
    ph_freertos_totals_t totals;
    ph_freertos_totals(&totals);
    return totals.min_free_bytes;
}

/* The high-water marks it would reset are the pools' statistics, which only
 * vPortHeapResetState (poolheap_reset) clears, together with everything
 * else: this function leaves them, so the minimum stays the minimum since
 * start-up. (FreeRTOS itself never calls it.) */
void xPortResetHeapMinimumEverFreeHeapSize(void) {
}

/* Fills *pxHeapStats from the pools, in O(pools):
 * - xAvailableHeapSpaceInBytes: as xPortGetFreeHeapSize;
 * - xSizeOfLargestFreeBlockInBytes: the block size of the largest pool with a
 *   free block (any request up to it succeeds, by fallback if need be);
 * - xSizeOfSmallestFreeBlockInBytes: the block size of the smallest pool
 *   with a free block;
 * - xNumberOfFreeBlocks: free blocks over all pools;
 * - xMinimumEverFreeBytesRemaining: as xPortGetMinimumEverFreeHeapSize;
 * - xNumberOfSuccessfulAllocations: the port's count of them;
 * - xNumberOfSuccessfulFrees: of those, the ones returned since.
 * The last two count since start-up or vPortHeapResetState; the counters are
 * 32-bit and wrap. With every pool full, the block sizes read 0. */
void vPortGetHeapStats(HeapStats_t *pxHeapStats) {
    ph_freertos_totals_t totals;
    ph_freertos_totals(&totals);
    pxHeapStats->xAvailableHeapSpaceInBytes = totals.free_bytes;
    pxHeapStats->xSizeOfLargestFreeBlockInBytes = totals.largest_free;
    pxHeapStats->xSizeOfSmallestFreeBlockInBytes = totals.smallest_free;
    pxHeapStats->xNumberOfFreeBlocks = totals.free_blocks;
    pxHeapStats->xMinimumEverFreeBytesRemaining = totals.min_free_bytes;
    uint32_t allocations = __atomic_load_n(&ph_freertos_allocations, __ATOMIC_RELAXED);
    pxHeapStats->xNumberOfSuccessfulAllocations = allocations;
    pxHeapStats->xNumberOfSuccessfulFrees = allocations - totals.in_use; /* every block is in use or was freed */
}
