/* Every instruction of an operation interrupted in turn (issue 17).
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
 * `interrupt_sweep STRIDE` interrupts every STRIDE-th instruction only.
 *
 * The outcome must be one that the two operations give in some order: the
 * trace records of both, whole, each once; the heap sound (deep check, no
 * error reported); the live blocks distinct, and every other block still
 * to be had, once. The compare-and-swap retries of the bump counter, the
 * free list and the peak counters, and the ring sink drained in the middle
 * of a record or of a drop, happen in some of these runs, deterministically.
 * Linked with the ABA-unsafe pop (POOLHEAP_NAIVE_POP), the same sweep must
 * find the corruption: that build passes only if some run of the free-list
 * scenario goes wrong. */
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
#include "poolheap/trace.h"

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

static void on_step(int signal, siginfo_t *info, void *context) {
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

/* ---- The heap, its trace and what a run must leave -------------------- */

static const poolheap_pool_config_t pools[] = {{16u, 4u}, {32u, 2u}};
#define BLOCKS 6u

static _Alignas(64) unsigned char region[256];
static poolheap_runtime_t runtime;
static poolheap_word_t side_table[BLOCKS];
static const poolheap_t *heap;
static unsigned errors_reported;

static poolheap_trace_ring_t ring;
static uint8_t ring_buffer[256];

#define RECORDS 32u

/* The records drained from the ring, one per write call. */
typedef struct records {
    unsigned count;
    uint8_t length[RECORDS];
    uint8_t bytes[RECORDS][POOLHEAP_TRACE_RECORD_MAX];
} records_t;

static records_t drained;

static void collect(void *context, const uint8_t *bytes, size_t length) {
    records_t *r = context;
    if (r->count < RECORDS && length <= POOLHEAP_TRACE_RECORD_MAX) {
        memcpy(r->bytes[r->count], bytes, length);
        r->length[r->count] = (uint8_t)length;
    }
    r->count++;
}

static void drain(void) {
    poolheap_trace_ring_drain(&ring, collect, &drained);
}

static void count_error(const poolheap_t *h, poolheap_error_t error, const void *pointer, void *context) {
    (void)h, (void)error, (void)pointer, (void)context;
    errors_reported++;
}

/* A new heap (with a side table: the debug checks are on) traced into a
 * ring of `capacity` bytes whose header is drained already. */
static void fresh_heap(uint32_t capacity) {
    memset(region, 0, sizeof region);
    heap = poolheap_create(&runtime, region, sizeof region, pools, 2u, 0u, side_table, "sweep");
    poolheap_set_hooks(heap, NULL, count_error, NULL);
    errors_reported = 0u;
    poolheap_trace_ring_start(&ring, ring_buffer, capacity, NULL);
    drain();
    memset(&drained, 0, sizeof drained);
}

/* A record the library emits for `op` (ALLOC of `size` bytes, or FREE) of
 * `block`. */
typedef struct expected {
    unsigned op;
    size_t size;
    const void *block;
} expected_t;

/* 0 if the records drained are exactly the `count` expected ones, in any
 * order, each whole, plus DROPPED records whose counts add up to `dropped`;
 * else the number of mismatches. */
static unsigned records_mismatch(const expected_t *expected, unsigned count, uint64_t dropped) {
    if (drained.count > RECORDS) {
        return drained.count;
    }
    unsigned used[RECORDS] = {0};
    unsigned mismatches = 0u;
    for (unsigned e = 0u; e < count; e++) {
        uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
        size_t length = poolheap_trace_encode(record, expected[e].op, expected[e].size, 1u,
                                              (uintptr_t)expected[e].block, 0u, 0, 0u);
        unsigned r = 0u;
        while (r < drained.count &&
               (used[r] || drained.length[r] != length || memcmp(drained.bytes[r], record, length) != 0)) {
            r++;
        }
        if (r == drained.count) {
            mismatches++;
        } else {
            used[r] = 1u;
        }
    }
    uint64_t dropped_seen = 0u;
    for (unsigned r = 0u; r < drained.count; r++) {
        if (used[r]) {
            continue;
        }
        /* a DROPPED record: the op byte, then the count (below 128 here) */
        if (drained.length[r] == 2u && drained.bytes[r][0] == POOLHEAP_TRACE_DROPPED && drained.bytes[r][1] < 0x80u) {
            dropped_seen += drained.bytes[r][1];
        } else {
            mismatches++;
        }
    }
    return mismatches + (dropped_seen != dropped);
}

/* 0 if the heap is sound with exactly the blocks `live` (distinct) handed
 * out: deep check clean, nothing reported, the bytes in use theirs, and
 * every other block handed out once when asked for, none of these. Uses
 * the heap up. */
static unsigned audit(void *const *live, unsigned count) {
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

/* ---- Scenarios --------------------------------------------------------- */

typedef struct scenario {
    const char *name;
    void (*setup)(void);           /* the state every run starts from */
    void (*operation)(void);       /* stepped through */
    void (*interruption)(void);    /* the handler's operation */
    unsigned (*problems)(int hit); /* what is wrong after a run (hit: the handler ran) */
} scenario_t;

static void *main_block, *handler_blocks[2];

static void alloc_main(void) {
    main_block = poolheap_alloc(heap, 16u);
}

static void alloc_in_handler(void) {
    handler_blocks[0] = poolheap_alloc(heap, 16u);
}

static void fresh_heap_256(void) {
    fresh_heap(256u);
}

/* Both from the bump counter (no block was ever freed); the peak of the
 * bytes in use must count both. */
static unsigned bump_problems(int hit) {
    drain();
    expected_t expected[] = {{POOLHEAP_TRACE_ALLOC, 16u, main_block}, {POOLHEAP_TRACE_ALLOC, 16u, handler_blocks[0]}};
    unsigned problems = records_mismatch(expected, hit ? 2u : 1u, 0u);
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    problems += stats.bytes_peak != (hit ? 32u : 16u) || stats.requested_peak != (hit ? 32u : 16u);
    void *live[] = {main_block, handler_blocks[0]};
    return problems + audit(live, hit ? 2u : 1u);
}

/* Three free blocks listed x0 -> x1 -> x2. */
static void three_free_blocks(void) {
    fresh_heap(256u);
    void *x[3];
    for (int i = 0; i < 3; i++) {
        x[i] = poolheap_alloc(heap, 16u);
    }
    for (int i = 2; i >= 0; i--) {
        poolheap_free(heap, x[i]);
    }
    drain();
    memset(&drained, 0, sizeof drained);
}

/* What breaks an ABA-unsafe pop: takes the head and the next block, gives
 * the head back (the head it may have interrupted is the head again) and
 * keeps the next one. */
static void pop_two_push_one(void) {
    handler_blocks[0] = poolheap_alloc(heap, 16u);
    handler_blocks[1] = poolheap_alloc(heap, 16u);
    poolheap_free(heap, handler_blocks[0]);
}

static unsigned pop_problems(int hit) {
    drain();
    expected_t expected[] = {{POOLHEAP_TRACE_ALLOC, 16u, main_block},
                             {POOLHEAP_TRACE_ALLOC, 16u, handler_blocks[0]},
                             {POOLHEAP_TRACE_ALLOC, 16u, handler_blocks[1]},
                             {POOLHEAP_TRACE_FREE, 0u, handler_blocks[0]}};
    unsigned problems = records_mismatch(expected, hit ? 4u : 1u, 0u);
    void *live[] = {main_block, handler_blocks[1]};
    return problems + audit(live, hit ? 2u : 1u);
}

static void *to_free[2];

/* Two live blocks, to be freed one by the operation, one by the handler. */
static void two_live_blocks(void) {
    fresh_heap(256u);
    to_free[0] = poolheap_alloc(heap, 16u);
    to_free[1] = poolheap_alloc(heap, 16u);
    drain();
    memset(&drained, 0, sizeof drained);
}

static void free_main(void) {
    poolheap_free(heap, to_free[0]);
}

static void free_in_handler(void) {
    poolheap_free(heap, to_free[1]);
}

static unsigned push_problems(int hit) {
    drain();
    expected_t expected[] = {{POOLHEAP_TRACE_FREE, 0u, to_free[0]}, {POOLHEAP_TRACE_FREE, 0u, to_free[1]}};
    unsigned problems = records_mismatch(expected, hit ? 2u : 1u, 0u);
    return problems + audit(&to_free[1], hit ? 0u : 1u);
}

/* The drain in the handler, the record the operation emits whole in the
 * one drain or the other. */
static unsigned drained_problems(int hit) {
    (void)hit;
    drain();
    expected_t expected[] = {{POOLHEAP_TRACE_ALLOC, 16u, main_block}};
    return records_mismatch(expected, 1u, 0u) + audit(&main_block, 1u);
}

static unsigned fillers;

/* A ring of 64 bytes filled so that the operation's record no longer fits:
 * 2-byte records (FREE of address 0; the ring does not read them) while
 * there is room for that record's frame. The operation takes the block
 * freed here, whose address its record carries. */
static void ring_almost_full(void) {
    fresh_heap(64u);
    void *first = poolheap_alloc(heap, 16u);
    poolheap_free(heap, first);
    drain();
    memset(&drained, 0, sizeof drained);
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    uint32_t frame =
        (uint32_t)poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, 16u, 1u, (uintptr_t)first, 0u, 0, 0u) + 1u;
    fillers = 0u;
    while (ring.capacity - ((ring.reserved - ring.consumed) & ~POOLHEAP_TRACE_RING_DROPPING) >= frame) {
        poolheap_trace_event(heap, POOLHEAP_TRACE_FREE, 0u, 0u, NULL, NULL, NULL);
        fillers++;
    }
}

/* Every filler, and the operation's record or a count of 1 dropped, never
 * both: drained before the operation reserved its frame, the ring had room. */
static unsigned dropped_problems(int hit) {
    (void)hit;
    drain();
    expected_t expected[RECORDS];
    for (unsigned i = 0u; i < fillers; i++) {
        expected[i] = (expected_t){POOLHEAP_TRACE_FREE, 0u, NULL};
    }
    expected[fillers] = (expected_t){POOLHEAP_TRACE_ALLOC, 16u, main_block};
    unsigned kept = records_mismatch(expected, fillers + 1u, 0u);
    unsigned lost = records_mismatch(expected, fillers, 1u);
    return (kept != 0u && lost != 0u) + audit(&main_block, 1u);
}

static const scenario_t bump = {"alloc from the bump counter, an alloc interrupting", fresh_heap_256, alloc_main,
                                alloc_in_handler, bump_problems};
static const scenario_t pop = {"alloc from the free list, two allocs and a free interrupting", three_free_blocks,
                               alloc_main, pop_two_push_one, pop_problems};
static const scenario_t push = {"free, a free interrupting", two_live_blocks, free_main, free_in_handler,
                                push_problems};
static const scenario_t emit_drained = {"alloc traced, the ring drained in the middle", fresh_heap_256, alloc_main,
                                        drain, drained_problems};
static const scenario_t drop_drained = {"alloc traced into a full ring, the ring drained in the middle",
                                        ring_almost_full, alloc_main, drain, dropped_problems};

/* A child ends with _exit, without the exit handlers: a sanitizer's leak
 * check at each exit made the sweep fifty times slower. The coverage build
 * writes its counters first, which exit would have done. */
#if COVERAGE_BUILD
void __gcov_dump(void);
#endif

static void end_child(int status) {
    fflush(stdout);
#if COVERAGE_BUILD
    __gcov_dump();
#endif
    _exit(status);
}

/* Steps through the scenario's operation, each instruction interrupted in
 * a child process; returns the runs that went wrong, the uninterrupted one
 * included (printing the first few). */
static unsigned sweep(const scenario_t *s) {
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

static void allocs_from_the_bump_counter_interleave(void) {
    CHECK_EQ(sweep(&bump), 0u);
}

static void allocs_from_the_free_list_interleave(void) {
#ifdef POOLHEAP_NAIVE_POP
    CHECK(sweep(&pop) > 0u); /* the control: the ABA-unsafe pop must be caught */
#else
    CHECK_EQ(sweep(&pop), 0u);
#endif
}

static void frees_interleave(void) {
    CHECK_EQ(sweep(&push), 0u);
}

static void a_record_emitted_while_the_ring_drains_stays_whole(void) {
    CHECK_EQ(sweep(&emit_drained), 0u);
}

static void a_record_dropped_while_the_ring_drains_is_counted_once(void) {
    CHECK_EQ(sweep(&drop_drained), 0u);
}

/* interrupt_sweep [STRIDE] */
int main(int argc, char **argv) {
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
        return 1;
    }
    RUN(allocs_from_the_bump_counter_interleave);
    RUN(allocs_from_the_free_list_interleave);
    RUN(frees_interleave);
    RUN(a_record_emitted_while_the_ring_drains_stays_whole);
    RUN(a_record_dropped_while_the_ring_drains_is_counted_once);
    return test_summary();
}
