/* Interrupt preemption stress: the proof that the free lists are safe
 * against interrupt handlers on a single core.
 *
 * Three contexts run the same random workload on one heap: thread mode in a
 * tight loop, SysTick (low priority) and a board timer (high priority, so it
 * also preempts SysTick). Each context owns a few slots; a step allocates
 * into an empty slot, or reallocates or frees a full one. Every block is
 * filled with a pattern unique to that fill and checked before it is
 * reallocated or freed, so a block handed to two owners is caught as soon
 * as either looks at it. The pools are tiny, so the contexts fight over a
 * handful of blocks and a handler often pops and pushes back the block the
 * code it interrupted was taking.
 *
 * At the end, with interrupts off, every live block is checked, no two
 * overlap, the statistics agree with what the contexts hold, the deep check
 * passes, and after freeing everything exactly `blocks` distinct blocks can
 * be allocated again: none lost, none handed out twice.
 *
 * With the naive (ABA-unsafe) pop the same run must print "CORRUPTION
 * DETECTED"; see README.md. */
#include <stdint.h>
#include <stdio.h>

#include "../harness.h"
#include "poolheap.h"
#include "poolheap/define.h"
#include "semihosting.h"
#include "stress_timer.h"

#ifndef STRESS_OPERATIONS
#define STRESS_OPERATIONS 1000000u
#endif
#ifndef STRESS_SEED
#define STRESS_SEED 0x2545F491u
#endif
#define SLOTS 2u
#define MAX_REQUEST 32u
#define OPERATIONS_PER_INTERRUPT 4u
#define SYSTICK_PERIOD 3000u /* processor clock cycles */
#define TIMER_PERIOD 2300u   /* board timer ticks: not a multiple, so the two drift */

/* Three contexts, two slots each, six blocks: a handler that interrupts a
 * pop often takes the same block and the next one, and gives the first back
 * (the ABA sequence). */
#define STRESS_POOLS(X, h) \
    X(h, 8, 2)             \
    X(h, 16, 2)            \
    X(h, 32, 2)
POOLHEAP_DEFINE(stress_heap, 8 * 2 + 16 * 2 + 32 * 2, STRESS_POOLS);

typedef struct worker {
    const char *name;
    uint32_t random;        /* xorshift32 state */
    uint32_t fills;         /* makes every fill's pattern different */
    uint32_t *block[SLOTS]; /* blocks are 8-aligned: filled and checked by words */
    uint32_t size[SLOTS];
    uint32_t pattern[SLOTS];
    volatile uint32_t operations; /* read by the thread while handlers count */
    uint32_t out_of_memory;
} worker_t;

static worker_t workers[3] = {{.name = "thread"}, {.name = "systick"}, {.name = "timer"}};
static volatile uint32_t in_systick, nested; /* timer interrupts that preempted SysTick */

void SysTick_Handler(void);
void IRQ8_Handler(void);

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SYST_CSR_ENABLE_INTERRUPT_PROCESSOR_CLOCK 0x7u
#define SCB_SHPR3 (*(volatile uint32_t *)0xE000ED20u)
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define NVIC_ICER0 (*(volatile uint32_t *)0xE000E180u)
/* Priorities are bytes in words that ARMv6-M only lets us access whole. */
#define NVIC_IPR(irq) (((volatile uint32_t *)0xE000E400u)[(irq) / 4u])
#define PRIORITY_SHIFT(irq) (8u * ((irq) % 4u))
/* Lower value = more urgent; the top two bits exist on every core. */
#define PRIORITY_HIGH 0x40u
#define PRIORITY_LOW 0xC0u

static uint32_t next_random(worker_t *w) {
    w->random ^= w->random << 13;
    w->random ^= w->random >> 17;
    w->random ^= w->random << 5;
    return w->random;
}

/* Word j of a fill. */
static uint32_t pattern_word(uint32_t pattern, uint32_t j) {
    return pattern ^ (j * 0x9E3779B9u);
}

/* Words covering `size` bytes: the block is a multiple of 8, so they fit. */
static uint32_t words(uint32_t size) {
    return (size + 3u) / 4u;
}

static void fill(worker_t *w, unsigned slot, uint32_t size) {
    w->fills++;
    w->pattern[slot] = (w->fills * 2654435761u) ^ (uint32_t)(uintptr_t)w->name;
    w->size[slot] = size;
    for (uint32_t j = 0; j < words(size); j++) {
        w->block[slot][j] = pattern_word(w->pattern[slot], j);
    }
}

/* Called from any context; stops the run at once, so the first damage is
 * the one reported. */
static _Noreturn void corruption(const worker_t *w, unsigned slot, uint32_t at) {
    printf("CORRUPTION DETECTED: %s slot %u block %p word %lu changed after %lu of its operations\n", w->name, slot,
           (void *)w->block[slot], (unsigned long)at, (unsigned long)w->operations);
    fflush(stdout);
    semihosting_exit(1);
}

/* Checks the words covering `size` bytes of a slot's block against its fill. */
static void verify(const worker_t *w, unsigned slot, uint32_t size) {
    for (uint32_t j = 0; j < words(size); j++) {
        if (w->block[slot][j] != pattern_word(w->pattern[slot], j)) {
            corruption(w, slot, j);
        }
    }
}

static void step(worker_t *w) {
    uint32_t r = next_random(w);
    unsigned slot = r % SLOTS;
    uint32_t size = 1u + (r >> 8) % MAX_REQUEST;
    uint32_t *block = w->block[slot];
    if (block == NULL) {
        w->block[slot] = poolheap_alloc(&stress_heap, size);
        if (w->block[slot] != NULL) {
            fill(w, slot, size);
        } else {
            w->out_of_memory++;
        }
    } else if (r & 0x80000000u) {
        verify(w, slot, w->size[slot]);
        uint32_t *moved = poolheap_realloc(&stress_heap, block, size);
        if (moved != NULL) {
            w->block[slot] = moved; /* in place or moved, the kept bytes must be ours */
            verify(w, slot, size < w->size[slot] ? size : w->size[slot]);
            fill(w, slot, size);
        } else {
            w->out_of_memory++; /* the old block is still ours, unchanged */
        }
    } else {
        verify(w, slot, w->size[slot]);
        w->block[slot] = NULL;
        poolheap_free(&stress_heap, block);
    }
    w->operations++;
}

void SysTick_Handler(void) {
    /* The next period is random, from half to one and a half periods, so
     * that the interrupts do not fall in step with the loop they interrupt
     * and, over a run, land after every instruction of it. */
    SYST_RVR = SYSTICK_PERIOD / 2u + next_random(&workers[1]) % SYSTICK_PERIOD;
    in_systick = 1u;
    for (unsigned i = 0; i < OPERATIONS_PER_INTERRUPT; i++) {
        step(&workers[1]);
    }
    in_systick = 0u;
}

void IRQ8_Handler(void) {
    stress_timer_acknowledge();
    nested += in_systick;
    for (unsigned i = 0; i < OPERATIONS_PER_INTERRUPT; i++) {
        step(&workers[2]);
    }
}

static void start_interrupts(void) {
    SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | PRIORITY_LOW << 24; /* SysTick's byte */
    NVIC_IPR(STRESS_TIMER_IRQ) = (NVIC_IPR(STRESS_TIMER_IRQ) & ~(0xFFu << PRIORITY_SHIFT(STRESS_TIMER_IRQ))) |
                                 PRIORITY_HIGH << PRIORITY_SHIFT(STRESS_TIMER_IRQ);
    NVIC_ISER0 = 1u << STRESS_TIMER_IRQ;
    stress_timer_start(TIMER_PERIOD);
    SYST_RVR = SYSTICK_PERIOD - 1u;
    SYST_CVR = 0u;
    SYST_CSR = SYST_CSR_ENABLE_INTERRUPT_PROCESSOR_CLOCK;
}

static void stop_interrupts(void) {
    __asm__ volatile("cpsid i" ::: "memory");
    SYST_CSR = 0u;
    stress_timer_stop();
    NVIC_ICER0 = 1u << STRESS_TIMER_IRQ;
    __asm__ volatile("cpsie i" ::: "memory");
}

static uint32_t total_operations(void) {
    return workers[0].operations + workers[1].operations + workers[2].operations;
}

/* A pool's statistics read while the interrupts change its list under the
 * walk that counts in_use: the walk must end, touch only the pool's blocks
 * (any other read could fault or corrupt a fill, which verify() would see)
 * and give in_use within 0 and the peak (poolheap.h). */
static uint32_t stats_reads, stats_out_of_bounds;

static void read_statistics_under_interrupts(void) {
    poolheap_pool_stats_t pool;
    unsigned p = stats_reads++ % stress_heap.pool_count;
    if (poolheap_pool_stats(&stress_heap, p, &pool) != 0 || pool.in_use > pool.peak || pool.peak > pool.capacity) {
        stats_out_of_bounds++;
    }
}

/* Every live block intact, no two the same block, the statistics agree. */
static void live_blocks_are_accounted_for(void) {
    uint32_t live = 0u, bytes = 0u;
    for (unsigned w = 0; w < 3u; w++) {
        for (unsigned s = 0; s < SLOTS; s++) {
            if (workers[w].block[s] == NULL) {
                continue;
            }
            verify(&workers[w], s, workers[w].size[s]);
            live++;
            bytes += (uint32_t)poolheap_usable_size(&stress_heap, workers[w].block[s]);
            for (unsigned v = 0; v < 3u; v++) {
                for (unsigned t = 0; t < SLOTS; t++) {
                    CHECK((v == w && t == s) || workers[v].block[t] != workers[w].block[s]);
                }
            }
        }
    }
    CHECK_EQ(poolheap_deep_check(&stress_heap), 0);
    poolheap_stats_t stats;
    poolheap_stats(&stress_heap, &stats);
    CHECK_EQ(stats.bytes_in_use, bytes);
    uint32_t in_use = 0u;
    poolheap_pool_stats_t pool;
    for (unsigned p = 0; poolheap_pool_stats(&stress_heap, p, &pool) == 0; p++) {
        in_use += pool.in_use;
    }
    CHECK_EQ(in_use, live);
    printf("%lu live blocks at the end\n", (unsigned long)live);
}

/* After freeing everything, every block of the heap can be had again, once. */
static void no_block_is_lost(void) {
    for (unsigned w = 0; w < 3u; w++) {
        for (unsigned s = 0; s < SLOTS; s++) {
            poolheap_free(&stress_heap, workers[w].block[s]);
            workers[w].block[s] = NULL;
        }
    }
    CHECK_EQ(poolheap_deep_check(&stress_heap), 0);
    void *all[16];
    uint32_t count = 0u;
    while (count < 16u && (all[count] = poolheap_alloc(&stress_heap, 1u)) != NULL) {
        for (uint32_t i = 0; i < count; i++) {
            CHECK(all[i] != all[count]);
        }
        count++;
    }
    CHECK_EQ(count, stress_heap.blocks);
    for (uint32_t i = 0; i < count; i++) {
        poolheap_free(&stress_heap, all[i]);
    }
    CHECK_EQ(poolheap_deep_check(&stress_heap), 0);
}

int main(void) {
    printf("irq_stress: seed 0x%08lx, %lu operations\n", (unsigned long)STRESS_SEED, (unsigned long)STRESS_OPERATIONS);
    for (unsigned w = 0; w < 3u; w++) {
        workers[w].random = STRESS_SEED + w;
    }
    start_interrupts();
    while (total_operations() < STRESS_OPERATIONS) {
        step(&workers[0]);
        if (workers[0].operations % 8u == 0u) {
            read_statistics_under_interrupts();
        }
    }
    stop_interrupts();
    for (unsigned w = 0; w < 3u; w++) {
        printf("%-8s %8lu operations, %7lu out of memory\n", workers[w].name, (unsigned long)workers[w].operations,
               (unsigned long)workers[w].out_of_memory);
    }
    printf("timer interrupts that preempted SysTick: %lu\n", (unsigned long)nested);
    CHECK(workers[1].operations > 0u && workers[2].operations > 0u);
    CHECK(nested > 0u);
    printf("statistics read under interrupts: %lu, out of bounds: %lu\n", (unsigned long)stats_reads,
           (unsigned long)stats_out_of_bounds);
    CHECK(stats_reads > 0u);
    CHECK_EQ(stats_out_of_bounds, 0u);
    RUN(live_blocks_are_accounted_for);
    RUN(no_block_is_lost);
    return test_summary();
}
