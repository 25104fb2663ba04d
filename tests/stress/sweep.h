/* Interrupting every instruction of an operation in turn (issue 17): the
 * machinery of interrupt_sweep.c and trace/interrupt_sweep_ring.c.
 *
 * The x86-64 trap flag makes the processor raise SIGTRAP after each
 * instruction. At each one the handler forks: the child runs a second
 * operation on the same heap there (a signal handler interrupting the first
 * operation exactly at that instruction), clears the flag in the context it
 * returns to, lets the first operation finish and checks the outcome; the
 * parent waits for it and steps on. So every point of the operation is
 * interrupted once, each in its own process, the same way on every run
 * (nothing random, no threads). The handler runs with the flag cleared (the
 * kernel clears it for handlers), so the second operation is not stepped.
 * A program's STRIDE argument interrupts every STRIDE-th instruction only.
 * Header-only, like harness.h: one program includes it once. */
#ifndef POOLHEAP_TEST_SWEEP_H
#define POOLHEAP_TEST_SWEEP_H

#define _GNU_SOURCE /* REG_EFL */

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include "../harness.h"
#include "poolheap.h"

/* ---- Stepping ------------------------------------------------------------ */

#define TRAP_FLAG 0x100 /* bit 8 of RFLAGS */

/* Sets or clears the trap flag through the stack: `edit` changes the
 * flags pushed there. The stack pointer first steps over the red zone, the
 * 128 bytes below it that compiled code may use without moving it. */
#define EDIT_FLAGS(edit) "sub $128, %%rsp\n\tpushfq\n\t" edit "\n\tpopfq\n\tadd $128, %%rsp"

static inline void trap_flag_on(void) {
    __asm__ volatile(EDIT_FLAGS("orq $0x100, (%%rsp)")::: "memory", "cc");
}

static inline void trap_flag_off(void) {
    __asm__ volatile(EDIT_FLAGS("andq $-0x101, (%%rsp)")::: "memory", "cc");
}

static volatile sig_atomic_t steps, in_child, runs_wrong;
static void (*interruption)(void);

/* A child that has not ended by then is taken to loop. */
#define CHILD_SECONDS 10u

/* 1: every instruction is interrupted; n: every n-th (the command line's
 * STRIDE, for sanitizer builds, where each fork costs fifty times more). */
static int stride = 1;

/* fork, called through a pointer: a coverage build replaces direct calls
 * with __gcov_fork, which zeroes the child's counters, so a child finishing
 * a function the parent started would count its returns without its entry
 * (inconsistent counts that gcov reports as negative). */
static pid_t (*const fork_process)(void) = fork;

static inline void on_step(int signal, siginfo_t *info, void *context) {
    (void)signal, (void)info;
    steps = steps + 1;
    if (steps % stride != 0) {
        return;
    }
    pid_t child = fork_process();
    if (child == 0) {
        in_child = 1;
        alarm(CHILD_SECONDS);
        ((ucontext_t *)context)->uc_mcontext.gregs[REG_EFL] &= ~(greg_t)TRAP_FLAG;
        interruption();
        return;
    }
    int status;
    if (child < 0 || waitpid(child, &status, 0) != child || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        runs_wrong = runs_wrong + 1;
    }
}

/* A scenario: the state every run starts from, the operation stepped
 * through, the handler's operation, and what is wrong after a run (hit: the
 * handler ran; the uninterrupted run has 0). */
typedef struct scenario {
    const char *name;
    void (*setup)(void);
    void (*operation)(void);
    void (*interruption)(void);
    unsigned (*problems)(int hit);
} scenario_t;

/* A child ends with _exit, without the exit handlers: a sanitizer's leak
 * check at each exit made the sweep fifty times slower. The coverage build
 * writes its counters first, which exit would have done. */
#if COVERAGE_BUILD
void __gcov_dump(void);
#endif

static inline void end_child(int status) {
    fflush(stdout);
#if COVERAGE_BUILD
    __gcov_dump();
#endif
    _exit(status);
}

/* Steps through the scenario's operation, each instruction interrupted in
 * a child process; returns the runs that went wrong, the uninterrupted one
 * included (printing the first few). */
static inline unsigned sweep(const scenario_t *s) {
    s->setup();
    interruption = s->interruption;
    steps = 0;
    runs_wrong = 0;
    fflush(stdout); /* or each child would print it again */
    trap_flag_on();
    s->operation();
    trap_flag_off();
    if (in_child) {
        unsigned problems = s->problems(1);
        if (problems != 0u) {
            TEST_PRINTF("%s: interrupted at instruction %d: %u problems\n", s->name, (int)steps, problems);
        }
        end_child(problems != 0u);
    }
    unsigned wrong = (unsigned)runs_wrong + (s->problems(0) != 0u);
    TEST_PRINTF("%s: %d instructions, %d interrupted, %u runs wrong\n", s->name, (int)steps, (int)steps / stride,
                wrong);
    return wrong;
}

/* Reads the STRIDE argument and handles SIGTRAP; returns 0, or 2 after a
 * usage message. */
static inline int sweep_start(int argc, char **argv) {
    if (argc > 1) {
        stride = atoi(argv[1]);
        if (stride < 1) {
            TEST_PRINTF("usage: %s [STRIDE >= 1]\n", argv[0]);
            return 2;
        }
        TEST_PRINTF("every %d-th instruction interrupted\n", stride);
    }
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_step;
    action.sa_flags = SA_SIGINFO;
    sigemptyset(&action.sa_mask);
    if (sigaction(SIGTRAP, &action, NULL) != 0) {
        TEST_PRINTF("cannot handle SIGTRAP\n");
        return 2;
    }
    return 0;
}

/* ---- The heap every scenario uses ----------------------------------------- */

static const poolheap_pool_config_t sweep_pools[] = {{16u, 4u}, {32u, 2u}};
#define BLOCKS 6u

static _Alignas(64) unsigned char sweep_region[256];
static poolheap_runtime_t sweep_runtime;
static poolheap_word_t side_table[BLOCKS];
static const poolheap_t *heap;
static unsigned errors_reported;

static inline void count_error(const poolheap_t *h, poolheap_error_t error, const void *pointer, void *context) {
    (void)h, (void)error, (void)pointer, (void)context;
    errors_reported++;
}

/* A new heap: 16 x 4 and 32 x 2 blocks, with a side table (the debug
 * checks, in the debug configuration), errors counted. */
static inline void fresh_heap(void) {
    memset(sweep_region, 0, sizeof sweep_region);
    heap = poolheap_create(&sweep_runtime, sweep_region, sizeof sweep_region, sweep_pools, 2u, 0u, side_table, "sweep");
    poolheap_set_hooks(heap, NULL, count_error, NULL);
    errors_reported = 0u;
}

/* 0 if the heap is sound with exactly the blocks `live` (distinct) handed
 * out: deep check clean, nothing reported, the bytes in use theirs, and
 * every other block handed out once when asked for, none of these. Uses
 * the heap up. */
static inline unsigned audit(void *const *live, unsigned count) {
    unsigned problems = poolheap_deep_check(heap) + errors_reported;
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    uint32_t bytes = 0u;
    void *seen[BLOCKS + 1u];
    unsigned held = 0u;
    for (unsigned i = 0u; i < count; i++) {
        bytes += (uint32_t)poolheap_usable_size(heap, live[i]);
        seen[held++] = live[i];
    }
    problems += stats.bytes_in_use != bytes;
    void *block;
    while (held <= BLOCKS && (block = poolheap_alloc(heap, 16u)) != NULL) {
        seen[held++] = block;
    }
    problems += held != BLOCKS;
    for (unsigned i = 0u; i < held; i++) {
        for (unsigned j = 0u; j < i; j++) {
            problems += seen[i] == seen[j];
        }
    }
    return problems;
}

#endif /* POOLHEAP_TEST_SWEEP_H */
