/* The LD_PRELOAD runner: this program runs itself as a workload on a
 * poolheap heap through libpoolheap_run.so and checks the statistics it
 * prints at exit: no failures when the layout fits, failures served by the C
 * library when it does not, NULL when asked to; then closes the loop on a
 * real program: record sqlite3, tune, and run it on the tuned heap. */
#define _GNU_SOURCE

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "output_text.h"
#include "run_program.h"

/* Allocates, fills, resizes and checks; exits 0 if every byte survived, 3
 * if a pattern broke, 4 if an allocation returned NULL. */
static int run_workload(void) {
    enum { N = 64 };
    unsigned char *blocks[N];
    size_t sizes[N];
    for (int i = 0; i < N; i++) {
        sizes[i] = 8u + (size_t)i * 5u;
        blocks[i] = i % 3 == 0 ? malloc(sizes[i]) : i % 3 == 1 ? calloc(1u, sizes[i]) : memalign(64u, sizes[i]);
        if (blocks[i] == NULL) {
            return 4;
        }
        if (malloc_usable_size(blocks[i]) < sizes[i] || (i % 3 == 2 && (uintptr_t)blocks[i] % 64u != 0u)) {
            return 3;
        }
        memset(blocks[i], i, sizes[i]);
    }
    for (int i = 0; i < N; i += 2) { /* grow: moves to a larger pool, keeps the bytes */
        unsigned char *grown = realloc(blocks[i], sizes[i] * 3u);
        if (grown == NULL) {
            return 4;
        }
        blocks[i] = grown;
    }
    for (int i = 0; i < N; i++) {
        for (size_t k = 0; k < sizes[i]; k++) {
            if (blocks[i][k] != (unsigned char)i) {
                return 3;
            }
        }
        free(blocks[i]);
    }
    return 0;
}

/* Runs argv with `env_extra` added and stderr into `errors`; returns the
 * exit status (run_program.h; a minute before it counts as hung). */
static int run(char *const argv[], char *const env_extra[], const char *errors) {
    return run_program(argv, env_extra, errors, 60);
}

static void write_config(const char *path, unsigned size, const char *pools) {
    FILE *f = fopen(path, "w");
    fprintf(f, "[heap]\nsize = %u\npools = [%s]\n", size, pools);
    fclose(f);
}

static char *const workload[] = {(char *)SELF_PATH, (char *)"workload", NULL};

static void a_layout_that_fits_serves_everything(void) {
    write_config("runner_fits.toml", 278528u, "{ block = 64, capacity = 256 }, { block = 1024, capacity = 256 }");
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_fits.toml", NULL};
    CHECK_EQ(run(workload, env, "runner.err"), 0);
    const char *err = slurp("runner.err");
    contains(err, "libpoolheap_run: heap main, 278528 bytes in 2 pools");
    contains(err, "failures (out of memory): 0; served by the C library instead: 0\n");
}

static void an_exhausted_heap_hands_over_to_the_c_library(void) {
    write_config("runner_small.toml", 256u, "{ block = 64, capacity = 4 }");
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_small.toml", NULL};
    CHECK_EQ(run(workload, env, "runner.err"), 0); /* the program still works */
    const char *err = slurp("runner.err");
    contains(err, "     0       64         4         4");
    const char *failures = strstr(err, "failures (out of memory): ");
    CHECK(failures != NULL && atoi(failures + strlen("failures (out of memory): ")) > 0);
}

/* Blocks of 64 and 128 bytes: the 39 requests of 133 to 323 bytes and the
 * 9 reallocs of heap blocks to 144 to 384 bytes fit no block. Each counts
 * once (a failed realloc is not retried as a malloc), as oversize, with the
 * largest size (the realloc of 318 bytes to 954 goes to the C library, not
 * through the heap: 384 is the largest the heap saw). */
static void oversize_requests_are_counted_once_with_their_sizes(void) {
    write_config("runner_oversize.toml", 24576u, "{ block = 64, capacity = 256 }, { block = 128, capacity = 64 }");
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_oversize.toml", NULL};
    CHECK_EQ(run(workload, env, "runner.err"), 0);
    const char *err = slurp("runner.err");
    contains(err, "failures (out of memory): 48; served by the C library instead: 48\n");
    contains(err, "larger than every block: 48 of them, up to 384 bytes\n");
}

static void with_oom_null_the_program_sees_null(void) {
    if (COVERAGE_BUILD) {
        /* gcov's counter dump, which runs in the runner after its report,
         * allocates from the full heap, gets NULL and crashes. */
        TEST_PRINTF("SKIP with POOLHEAP_OOM=null: coverage build\n");
        return;
    }
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_small.toml",
                   (char *)"POOLHEAP_OOM=null", NULL};
    CHECK_EQ(run(workload, env, "runner.err"), 4);
}

static void a_bad_config_falls_back_to_the_c_library(void) {
    write_config("runner_bad.toml", 252u, "{ block = 63, capacity = 4 }");
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_bad.toml", NULL};
    CHECK_EQ(run(workload, env, "runner.err"), 0);
    contains(slurp("runner.err"), "runner_bad.toml:");
    contains(slurp("runner.err"), "; using the C library\n");
}

/* Record sqlite3, tune a layout for it, run it on that layout. */
static void sqlite3_runs_on_its_tuned_heap_with_no_failures(void) {
    char *sql[] = {(char *)"sqlite3", (char *)":memory:",
                   (char *)"create table t(a, b); with recursive c(x) as (select 1 union all select x + 1 from c "
                           "where x < 2000) insert into t select x, printf('row %d', x) from c; "
                           "create index i on t(b); select count(*), sum(length(b)) from t;",
                   NULL};
    char *record[] = {(char *)"LD_PRELOAD=" RECORDER_PATH, (char *)"POOLHEAP_TRACE=runner_sqlite3.trace", NULL};
    if (run(sql, record, "runner.err") != 0) {
        TEST_PRINTF("SKIP sqlite3: did not run\n");
        return;
    }
    char *tune[] = {(char *)POOLHEAP_TOOL,
                    (char *)"tune",
                    (char *)"runner_sqlite3.trace",
                    (char *)"--pools",
                    (char *)"8",
                    (char *)"--pointer-size",
                    (char *)"8",
                    (char *)"-o",
                    (char *)"runner_sqlite3.toml",
                    NULL};
    char *none[] = {NULL};
    CHECK_EQ(run(tune, none, "runner_tune.err"), 0);
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=runner_sqlite3.toml", NULL};
    CHECK_EQ(run(sql, env, "runner.err"), 0);
    contains(slurp("runner.err"), "failures (out of memory): 0; served by the C library instead: 0\n");
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "workload") == 0) {
        return run_workload();
    }
    RUN(a_layout_that_fits_serves_everything);
    RUN(an_exhausted_heap_hands_over_to_the_c_library);
    RUN(oversize_requests_are_counted_once_with_their_sizes);
    RUN(with_oom_null_the_program_sees_null);
    RUN(a_bad_config_falls_back_to_the_c_library);
    RUN(sqlite3_runs_on_its_tuned_heap_with_no_failures);
    return test_summary();
}
