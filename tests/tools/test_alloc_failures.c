/* Every allocation of each `poolheap` command failing in turn (issue 17),
 * on small inputs written here and on the golden configurations and the
 * trace reader's seed corpus (callers, maps, reallocations, failures):
 * the command is run once to count its allocations, then once per
 * allocation with that one failing (POOLHEAP_FAIL_ALLOC, see
 * failing_alloc.c). Each run must end normally (no crash, no sanitizer
 * report, within its deadline) and either fail cleanly -- exit status 1,
 * one line on stderr, every output file as it was before, no temporary file
 * left -- or, if the command can do without that allocation, succeed with
 * exactly the output of the run without failures. Never 0 with partial
 * output.
 *
 * `layout` allocates nothing and is not run. Runs per command are capped
 * at RUNS_PER_COMMAND: the first half of them fail allocations 1, 2, ...
 * one by one, the rest evenly spaced ones up to the last, so that the whole
 * test is about 1500 runs of a few milliseconds (the commands make 30 to
 * 500 allocations on these inputs). */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "trace/output_text.h"
#include "trace/run_program.h"

#define TOOL (char *)POOLHEAP_TOOL
#define MULTI_TOML (char *)POOLHEAP_SOURCE_DIR "/tests/golden/multi.toml"
#define DRONE_TOML (char *)POOLHEAP_SOURCE_DIR "/tests/golden/drone.toml"
#define CORPUS POOLHEAP_SOURCE_DIR "/tests/fuzz/corpus/trace/"
#define RUNS_PER_COMMAND 120u
#define OLD_TEXT "old output\n"

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* A trace of two allocations and a free, 8-byte pointers; and a second
 * one, for the commands that take several. */
static void write_traces(void) {
    static const unsigned char bytes[] = {'P',  'H',  'T', 'R', 1,    8,    0, 0,    1,   24,
                                          0x80, 0x20, 1,   100, 0x80, 0x21, 5, 0x80, 0x20};
    const char *paths[] = {"oom_a.trace", "oom_b.trace"};
    for (size_t i = 0; i < 2u; i++) {
        FILE *f = fopen(paths[i], "wb");
        fwrite(bytes, 1, sizeof bytes, f);
        fclose(f);
    }
}

static unsigned long read_count(const char *path) {
    return strtoul(slurp(path), NULL, 10);
}

static unsigned lines(const char *text) {
    unsigned n = 0;
    for (; *text; text++) {
        n += *text == '\n';
    }
    return n;
}

/* Whether a temporary output file (NAME.tmpXXXXXX) is left in `dir`. */
static int temporary_left(const char *dir) {
    DIR *d = opendir(dir);
    int found = 0;
    for (struct dirent *e; d != NULL && (e = readdir(d)) != NULL;) {
        found |= strstr(e->d_name, ".tmp") != NULL;
    }
    if (d != NULL) {
        closedir(d);
    }
    return found;
}

static void reset_outputs(const char *const outputs[]) {
    for (size_t i = 0; outputs[i] != NULL; i++) {
        write_text(outputs[i], OLD_TEXT);
    }
}

static int outputs_unchanged(const char *const outputs[]) {
    int same = 1;
    for (size_t i = 0; outputs[i] != NULL; i++) {
        same &= strcmp(slurp(outputs[i]), OLD_TEXT) == 0;
    }
    return same;
}

/* This environment without POOLHEAP_* variables, and room for two. */
static char **child_environment(void) {
    size_t n = 0u;
    while (environ[n] != NULL) {
        n++;
    }
    char **env = calloc(n + 3u, sizeof *env);
    size_t k = 2u;
    for (size_t i = 0u; i < n; i++) {
        if (strncmp(environ[i], "POOLHEAP_", 9u) != 0) {
            env[k++] = environ[i];
        }
    }
    return env;
}

/* Runs argv with allocation n failing (0: none), stdout into oom.out and
 * stderr into oom.err; returns its exit status, -1 if it did not exit
 * normally. Waits without polling (run_program_wait), so that a thousand
 * runs take seconds. */
static int run_failing(char *const argv[], unsigned long n) {
    static char **env;
    if (env == NULL) {
        env = child_environment();
    }
    char fail[64];
    snprintf(fail, sizeof fail, "POOLHEAP_FAIL_ALLOC=%lu", n);
    env[0] = fail;
    env[1] = (char *)"POOLHEAP_COUNT_ALLOC=oom.count";
    return run_program_wait(run_program_start(argv, env, NULL, "oom.out", "oom.err"));
}

/* Runs argv with each of its allocations failing in turn; `outputs` are
 * the files it writes (NULL-terminated; in the directory "oom_out"). */
static void each_allocation_fails(char *const argv[], const char *const outputs[]) {
    reset_outputs(outputs);
    CHECK_EQ(run_failing(argv, 0u), 0);
    char *expected = strdup(slurp("oom.out"));
    unsigned long total = read_count("oom.count");
    CHECK(total > 0u);
    unsigned long step = total <= RUNS_PER_COMMAND ? 1u : total / (RUNS_PER_COMMAND / 2u);
    unsigned long failed = 0u, runs = 0u;
    for (unsigned long n = 1u; n <= total; n += n < RUNS_PER_COMMAND / 2u ? 1u : step) {
        reset_outputs(outputs);
        int status = run_failing(argv, n);
        runs++;
        const char *err = slurp("oom.err");
        int clean = status == 1 ? lines(err) == 1u && outputs_unchanged(outputs)
                                : status == 0 && strcmp(slurp("oom.out"), expected) == 0;
        clean &= !temporary_left("oom_out");
        failed += status == 1;
        if (!clean) {
            CHECK(clean);
            TEST_PRINTF("  %s %s: allocation %lu of %lu failing: exit %d, stderr:\n%s", argv[1], argv[2], n, total,
                        status, slurp("oom.err"));
            break;
        }
    }
    TEST_PRINTF("%s %s: %lu allocations, %lu runs, %lu failed, %lu did without\n", argv[1], argv[2], total, runs,
                failed, runs - failed);
    CHECK(failed > 0u); /* an allocation failure that never shows is not tested */
    free(expected);
}

static const char *const no_outputs[] = {NULL};

static void gen_fails_cleanly(void) {
    static const char *const outputs[] = {"oom_out/poolheap_heaps.h", "oom_out/poolheap_heaps.c", NULL};
    char *gen[] = {TOOL, (char *)"gen", (char *)"oom.toml", (char *)"-o", (char *)"oom_out", NULL};
    each_allocation_fails(gen, outputs);
    char *multi[] = {TOOL, (char *)"gen", MULTI_TOML, (char *)"-o", (char *)"oom_out", NULL};
    each_allocation_fails(multi, outputs);
}

static void show_fails_cleanly(void) {
    static const char *const outputs[] = {"oom_out/show.svg", NULL};
    char *show[] = {TOOL, (char *)"show", (char *)"oom.toml", (char *)"--svg", (char *)"oom_out/show.svg", NULL};
    each_allocation_fails(show, outputs);
    char *drone[] = {TOOL, (char *)"show", DRONE_TOML, NULL};
    each_allocation_fails(drone, no_outputs);
}

static void report_fails_cleanly(void) {
    static const char *const outputs[] = {"oom_out/report.svg", NULL};
    char *report[] = {TOOL,
                      (char *)"report",
                      (char *)"oom_a.trace",
                      (char *)"--config",
                      (char *)"oom.toml",
                      (char *)"--sites",
                      (char *)"--svg",
                      (char *)"oom_out/report.svg",
                      NULL};
    each_allocation_fails(report, outputs);
    static const char *const html[] = {"oom_out/report.html", NULL};
    char *report_html[] = {
        TOOL, (char *)"report", (char *)"oom_a.trace", (char *)"--html", (char *)"oom_out/report.html", NULL};
    each_allocation_fails(report_html, html);
    char *moves[] = {TOOL,
                     (char *)"report",
                     (char *)CORPUS "realloc_moves.trace",
                     (char *)"--config",
                     MULTI_TOML,
                     (char *)"--heap",
                     (char *)"main",
                     (char *)"--sites",
                     NULL};
    each_allocation_fails(moves, no_outputs);
    char *fallback[] = {TOOL,
                        (char *)"report",
                        (char *)CORPUS "aligned_calloc_fallback.trace",
                        (char *)"--config",
                        DRONE_TOML,
                        (char *)"--sites",
                        NULL};
    each_allocation_fails(fallback, no_outputs);
    char *dropped[] = {TOOL, (char *)"report", (char *)CORPUS "fail_dropped.trace", (char *)"--sites", NULL};
    each_allocation_fails(dropped, no_outputs);
}

static void tune_fails_cleanly(void) {
    static const char *const outputs[] = {"oom_out/tuned.toml", NULL};
    char *tune[] = {TOOL,        (char *)"tune", (char *)"oom_a.trace",        (char *)"--pools",
                    (char *)"2", (char *)"-o",   (char *)"oom_out/tuned.toml", NULL};
    each_allocation_fails(tune, outputs);
    char *validate[] = {TOOL,
                        (char *)"tune",
                        (char *)"oom_a.trace",
                        (char *)"oom_b.trace",
                        (char *)"--validate",
                        (char *)"--pools",
                        (char *)"2",
                        NULL};
    each_allocation_fails(validate, no_outputs);
    char *from[] = {TOOL,
                    (char *)"tune",
                    (char *)"oom_a.trace",
                    (char *)"--from",
                    (char *)"oom.toml",
                    (char *)"--pools",
                    (char *)"2",
                    NULL};
    each_allocation_fails(from, no_outputs);
    char *margin[] = {TOOL,
                      (char *)"tune",
                      (char *)"oom_a.trace",
                      (char *)"oom_b.trace",
                      (char *)"--margin",
                      (char *)"10%",
                      (char *)"--pools",
                      (char *)"2",
                      NULL};
    each_allocation_fails(margin, no_outputs);
    char *callers[] = {TOOL,
                       (char *)"tune",
                       (char *)CORPUS "callers_map.trace",
                       (char *)CORPUS "realloc_moves.trace",
                       (char *)"--pools",
                       (char *)"2",
                       (char *)"--validate",
                       NULL};
    each_allocation_fails(callers, no_outputs);
}

int main(void) {
    write_text("oom.toml", "[heap]\nsize = 1024\npools = [{ block = 32, capacity = 16 }, { block = 128, "
                           "capacity = 4 }]\n");
    write_traces();
    mkdir("oom_out", 0755);
    RUN(gen_fails_cleanly);
    RUN(show_fails_cleanly);
    RUN(report_fails_cleanly);
    RUN(tune_fails_cleanly);
    return test_summary();
}
