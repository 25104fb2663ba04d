/* The LD_PRELOAD recorder: this program runs itself as a workload under
 * libpoolheap_record.so and checks that every operation of the workload is
 * in the trace, in order per thread, with the right sizes, alignments and
 * object identities; then records real programs and reads their traces.
 *
 * Workload operations are recognisable by their sizes, unique per
 * operation: thread t, step i allocates BASE + t * STEPS + i bytes and then
 * reallocates to GROWN + t * STEPS + i. Two short workloads end without
 * running the destructors (_exit, a fatal signal): their records must be in
 * the trace all the same. */
#define _GNU_SOURCE

#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

extern char **environ;

#define STEPS 3000u
#define BASE 100000u
#define GROWN 600000u
#define KEEP 16u
#define ABRUPT_BASE 700001u
#define ABRUPT_COUNT 7u

static void *workload_thread(void *arg) {
    uint32_t t = (uint32_t)(uintptr_t)arg;
    void *kept[KEEP] = {0};
    for (uint32_t i = 0; i < STEPS; i++) {
        size_t size = BASE + t * STEPS + i;
        void *p = NULL;
        switch (i % 4u) {
        case 0:
            p = malloc(size);
            break;
        case 1:
            p = calloc(1u, size);
            break;
        case 2:
            p = memalign(64u, size);
            break;
        default:
            if (posix_memalign(&p, 128u, size) != 0) {
                p = NULL;
            }
            break;
        }
        p = realloc(p, GROWN + t * STEPS + i);
        if (i % 2u == 0u) {
            free(p);
        } else {
            free(kept[i % KEEP]);
            kept[i % KEEP] = p;
        }
    }
    for (uint32_t k = 0; k < KEEP; k++) {
        free(kept[k]);
    }
    return NULL;
}

static int run_workload(unsigned threads) {
    pthread_t ids[8];
    for (unsigned t = 0; t < threads; t++) {
        pthread_create(&ids[t], NULL, workload_thread, (void *)(uintptr_t)t);
    }
    for (unsigned t = 0; t < threads; t++) {
        pthread_join(ids[t], NULL);
    }
    return 0;
}

/* Allocates ABRUPT_COUNT blocks of sizes from ABRUPT_BASE, keeps them, and
 * ends the process with _exit(3) or with SIGSEGV. */
static int run_abrupt(const char *how) {
    for (uint32_t i = 0; i < ABRUPT_COUNT; i++) {
        void *volatile kept = malloc(ABRUPT_BASE + i); /* never freed: the process ends first */
        (void)kept;
    }
    if (strcmp(how, "exit") == 0) {
        _exit(3);
    }
    raise(SIGSEGV);
    return 1; /* not reached: SIGSEGV's default action ends the process */
}

/* Runs argv with the recorder preloaded, tracing to `trace` (with
 * timestamps if `with_time`); returns its wait status, or -1 if it could
 * not be started. */
static int run_recorded_status(char *const argv[], const char *trace, int with_time) {
    size_t n = 0;
    while (environ[n] != NULL) {
        n++;
    }
    char **env = calloc(n + 4u, sizeof *env);
    char preload[4096], target[4096];
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s", RECORDER_PATH);
    snprintf(target, sizeof target, "POOLHEAP_TRACE=%s", trace);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ[i], "LD_PRELOAD=", 11u) != 0 && strncmp(environ[i], "POOLHEAP_TRACE", 14u) != 0) {
            env[k++] = environ[i];
        }
    }
    env[k++] = preload;
    env[k++] = target;
    if (with_time) {
        env[k++] = (char *)"POOLHEAP_TRACE_TIME=1";
    }
    pid_t pid;
    int status = -1;
    posix_spawn_file_actions_t quiet; /* the programs' output is not the test's */
    posix_spawn_file_actions_init(&quiet);
    posix_spawn_file_actions_addopen(&quiet, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    if (posix_spawnp(&pid, argv[0], &quiet, NULL, argv, env) != 0 || waitpid(pid, &status, 0) != pid) {
        status = -1;
    }
    posix_spawn_file_actions_destroy(&quiet);
    free(env);
    return status;
}

/* As run_recorded_status; returns the exit status, or -1 if the program
 * could not be started or did not exit normally. */
static int run_recorded(char *const argv[], const char *trace, int with_time) {
    int status = run_recorded_status(argv, trace, with_time);
    return status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Reads `path` into *trace; on failure the check fails, the reader's
 * message is printed, and -1 is returned. */
static int read_checked(const char *path, ph_trace_t *trace) {
    char error[512];
    int result = ph_trace_read(path, trace, error, sizeof error);
    CHECK_EQ(result, 0);
    if (result != 0) {
        TEST_PRINTF("%s\n", error);
    }
    return result;
}

/* Where each workload operation landed in the trace. */
typedef struct found {
    size_t alloc, realloc, free;
} found_t;

static void check_workload_trace(const ph_trace_t *trace, unsigned threads) {
    size_t total = (size_t)threads * STEPS;
    found_t *at = calloc(total, sizeof *at);
    uint32_t *object_step = malloc(trace->objects * sizeof *object_step);
    memset(object_step, 0xFF, trace->objects * sizeof *object_step);
    const uint8_t expected_op[4] = {POOLHEAP_TRACE_ALLOC, POOLHEAP_TRACE_CALLOC, POOLHEAP_TRACE_ALIGNED,
                                    POOLHEAP_TRACE_ALIGNED};
    const uint32_t expected_align[4] = {1u, 1u, 64u, 128u};
    size_t allocs = 0, reallocs = 0, frees = 0;
    for (size_t e = 0; e < trace->count; e++) {
        const ph_event_t *ev = &trace->events[e];
        if (ev->kind == PH_EVENT_ALLOC && ev->size >= BASE && ev->size < BASE + total) {
            uint32_t step = ev->size - BASE;
            CHECK_EQ(at[step].alloc, 0u);
            CHECK_EQ(ev->op, expected_op[step % STEPS % 4u]);
            CHECK_EQ(ev->align, expected_align[step % STEPS % 4u]);
            at[step].alloc = e + 1u;
            object_step[ev->object] = step;
            allocs++;
        } else if (ev->kind == PH_EVENT_REALLOC && ev->size >= GROWN && ev->size < GROWN + total) {
            uint32_t step = ev->size - GROWN;
            CHECK_EQ(ev->old_size, BASE + step);
            CHECK_EQ(object_step[ev->object], step);
            at[step].realloc = e + 1u;
            reallocs++;
        } else if (ev->kind == PH_EVENT_FREE && ev->size >= GROWN && ev->size < GROWN + total) {
            uint32_t step = ev->size - GROWN;
            CHECK_EQ(object_step[ev->object], step);
            at[step].free = e + 1u;
            frees++;
        }
    }
    CHECK_EQ(allocs, total);
    CHECK_EQ(reallocs, total);
    CHECK_EQ(frees, total);
    unsigned disorder = 0;
    for (size_t step = 0; step < total; step++) {
        disorder += !(at[step].alloc < at[step].realloc && at[step].realloc < at[step].free);
        if (step % STEPS != 0u) {
            disorder += at[step - 1u].alloc > at[step].alloc; /* per thread, in program order */
        }
    }
    CHECK_EQ(disorder, 0u);
    free(object_step);
    free(at);
}

static void record_and_check(unsigned threads, int with_time) {
    char trace_path[64], count[16];
    snprintf(trace_path, sizeof trace_path, "recorder_%u.trace", threads);
    snprintf(count, sizeof count, "%u", threads);
    char *argv[] = {(char *)SELF_PATH, (char *)"workload", count, NULL};
    CHECK_EQ(run_recorded(argv, trace_path, with_time), 0);
    ph_trace_t trace;
    if (read_checked(trace_path, &trace) != 0) {
        return;
    }
    CHECK_EQ(trace.pointer_size, sizeof(void *));
    CHECK_EQ(trace.dropped, 0u);
    check_workload_trace(&trace, threads);
    size_t backwards = 0u, zero = 0u;
    for (size_t i = 0u; i < trace.count; i++) {
        zero += trace.events[i].time == 0u;
        backwards += i > 0u && trace.events[i].time < trace.events[i - 1u].time; /* taken under the lock */
    }
    CHECK_EQ(zero, with_time ? 0u : trace.count);
    CHECK_EQ(backwards, 0u);
    ph_trace_free(&trace);
    remove(trace_path);
}

static void one_thread_is_recorded_whole_and_in_order(void) {
    record_and_check(1u, 0);
}

static void four_threads_are_recorded_whole_and_in_order(void) {
    record_and_check(4u, 0);
}

static void timestamps_are_recorded_in_order(void) {
    record_and_check(2u, 1);
}

/* A program that ends with `how` ("exit" or "signal") still leaves every
 * record of its allocations, and ends as it would have without the
 * recorder. */
static void check_abrupt_end(const char *how) {
    char trace_path[64];
    snprintf(trace_path, sizeof trace_path, "recorder_abrupt_%s.trace", how);
    char *argv[] = {(char *)SELF_PATH, (char *)"abrupt", (char *)how, NULL};
    int status = run_recorded_status(argv, trace_path, 0);
    if (strcmp(how, "exit") == 0) {
        CHECK(status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 3);
    } else {
        CHECK(status != -1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV);
    }
    ph_trace_t trace;
    if (read_checked(trace_path, &trace) != 0) {
        return;
    }
    uint32_t seen = 0u;
    for (size_t e = 0u; e < trace.count; e++) {
        const ph_event_t *ev = &trace.events[e];
        if (ev->kind == PH_EVENT_ALLOC && ev->size >= ABRUPT_BASE && ev->size < ABRUPT_BASE + ABRUPT_COUNT) {
            seen |= 1u << (ev->size - ABRUPT_BASE);
        }
    }
    CHECK_EQ(seen, (1u << ABRUPT_COUNT) - 1u);
    ph_trace_free(&trace);
    remove(trace_path);
}

static void a_program_ending_with_exit_keeps_its_records(void) {
    check_abrupt_end("exit");
}

static void a_program_killed_by_a_signal_keeps_its_records(void) {
    check_abrupt_end("signal");
}

/* A real program's trace must read back without an error. */
static void check_program(char *const argv[], const char *trace_path, size_t at_least) {
    if (run_recorded(argv, trace_path, 0) != 0) {
        TEST_PRINTF("SKIP %s: did not run\n", argv[0]);
        return;
    }
    ph_trace_t trace;
    if (read_checked(trace_path, &trace) == 0) {
        CHECK(trace.count >= at_least);
        ph_trace_free(&trace);
    }
    remove(trace_path);
}

static void real_programs_are_recorded_readably(void) {
    char *sqlite[] = {(char *)"sqlite3", (char *)":memory:",
                      (char *)"create table t(a, b); insert into t values (1, 'x'), (2, 'y'); select * from t;", NULL};
    char *lua[] = {(char *)"lua5.4", (char *)"-e", (char *)"local t = {} for i = 1, 2000 do t[i] = tostring(i) end",
                   NULL};
    char *jq[] = {(char *)"jq", (char *)"-n", (char *)"[range(2000) | {a: ., b: [., .]}] | map(.a * 2) | add", NULL};
    check_program(sqlite, "recorder_sqlite3.trace", 100u);
    check_program(lua, "recorder_lua.trace", 2000u);
    check_program(jq, "recorder_jq.trace", 2000u);
}

int main(int argc, char **argv) {
    if (argc == 3 && strcmp(argv[1], "workload") == 0) {
        return run_workload((unsigned)atoi(argv[2]));
    }
    if (argc == 3 && strcmp(argv[1], "abrupt") == 0) {
        return run_abrupt(argv[2]);
    }
    RUN(one_thread_is_recorded_whole_and_in_order);
    RUN(four_threads_are_recorded_whole_and_in_order);
    RUN(timestamps_are_recorded_in_order);
    RUN(a_program_ending_with_exit_keeps_its_records);
    RUN(a_program_killed_by_a_signal_keeps_its_records);
    RUN(real_programs_are_recorded_readably);
    return test_summary();
}
