/* Hostile configurations for the LD_PRELOAD runner (issue 12): whatever
 * POOLHEAP_CONFIG is, the program finishes, on the C library if need be,
 * after one line of explanation. This program runs itself as the workload.
 * Each run has a deadline: a hang fails the check instead of the suite. */
#define _GNU_SOURCE

#include <locale.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "output_text.h"
#include "run_program.h"

/* Leaves the directory the configuration's relative path was meant for,
 * then has its first allocations made inside setlocale, under the locale
 * lock (LANG=C.UTF-8), several times. Exits 0, or 3 if malloc failed. */
static int locale_workload(void) {
    if (chdir("/") != 0) {
        return 5;
    }
    for (int i = 0; i < 4; i++) {
        if (setlocale(LC_ALL, i % 2 == 0 ? "" : "C") == NULL) {
            return 6;
        }
    }
    char *text = strdup("after setlocale");
    int ok = text != NULL;
    free(text);
    return ok ? 0 : 3;
}

/* valloc and pvalloc: page-aligned blocks the runner's free and realloc
 * take back, whoever served them. Returns 0, or 9. (Alignments that are not
 * powers of two get the C library's own answer: tests/trace/preload_edges.) */
static int page_workload(void) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    void *v = valloc(10), *p = pvalloc(10);
    if (v == NULL || p == NULL || (uintptr_t)v % page != 0u || (uintptr_t)p % page != 0u) {
        return 9;
    }
    v = realloc(v, 100000);
    free(v);
    free(p);
    return 0;
}

static char *const locale_run[] = {(char *)SELF_PATH, (char *)"locale", NULL};

/* The lines of `text` that mention the runner. */
static unsigned runner_lines(const char *text) {
    unsigned lines = 0;
    for (const char *at = text; (at = strstr(at, "libpoolheap_run: ")) != NULL; at++) {
        lines++;
    }
    return lines;
}

static void check_one_message(const char *expected) {
    const char *err = slurp("hostile_runner.err");
    contains(err, expected);
    CHECK_EQ(runner_lines(err), 1u);
}

static void a_missing_relative_config_under_a_utf8_locale_does_not_hang(void) {
    FILE *f = fopen("hostile_fits.toml", "w"); /* exists here, not in / where the program looks */
    fputs("[heap]\nsize = 16384\npools = [{ block = 64, capacity = 256 }]\n", f);
    fclose(f);
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=hostile_fits.toml",
                   (char *)"LANG=C.UTF-8", (char *)"LC_ALL=C.UTF-8", NULL};
    CHECK_EQ(run_program(locale_run, env, "hostile_runner.err", 20), 0);
    check_one_message(
        "libpoolheap_run: cannot read POOLHEAP_CONFIG=hostile_fits.toml: no such file or directory; using the C "
        "library\n");
}

static void a_directory_as_config_is_named_as_such(void) {
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=/", (char *)"LANG=C.UTF-8",
                   (char *)"LC_ALL=C.UTF-8", NULL};
    CHECK_EQ(run_program(locale_run, env, "hostile_runner.err", 20), 0);
    check_one_message("POOLHEAP_CONFIG=/: is a directory; using the C library\n");
}

static void control_characters_in_the_path_stay_on_one_line(void) {
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=/no\nsuch\033[2J\\file",
                   (char *)"LANG=C.UTF-8", NULL};
    CHECK_EQ(run_program(locale_run, env, "hostile_runner.err", 20), 0);
    check_one_message("POOLHEAP_CONFIG=/no\\nsuch\\x1b[2J\\\\file: no such file or directory; using the C library\n");
}

static void a_config_nested_300000_deep_is_refused_without_a_crash(void) {
    FILE *f = fopen("hostile_deep.toml", "w");
    fputs("[heap", f);
    for (int i = 0; i < 300000; i++) {
        fputs(".k", f);
    }
    fputs("]\n", f);
    fclose(f);
    char *env[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=hostile_deep.toml", NULL};
    char *workload[] = {(char *)SELF_PATH, (char *)"pages", NULL};
    CHECK_EQ(run_program(workload, env, "hostile_runner.err", 20), 0);
    check_one_message("libpoolheap_run: hostile_deep.toml:1:133: tables and arrays nested deeper than 64; using the C "
                      "library\n");
}

/* The recorder's error path likewise (tools/preload/record.c): no trace can
 * be created, and the first allocations happen inside setlocale. */
static void the_recorder_with_an_uncreatable_trace_does_not_hang(void) {
    char *env[] = {(char *)"LD_PRELOAD=" RECORDER_PATH, (char *)"POOLHEAP_TRACE=/no/such/dir/x.trace",
                   (char *)"LANG=C.UTF-8", (char *)"LC_ALL=C.UTF-8", NULL};
    CHECK_EQ(run_program(locale_run, env, "hostile_runner.err", 20), 0);
    contains(slurp("hostile_runner.err"), "libpoolheap_record: cannot create the trace file; not recording\n");
}

static void valloc_and_pvalloc_work_on_the_heap_and_without_it(void) {
    FILE *f = fopen("hostile_aligned.toml", "w");
    fputs("[heap]\nsize = 24576\npools = [{ block = 64, capacity = 128 }, { block = 4096, capacity = 4 }]\n", f);
    fclose(f);
    char *pages_run[] = {(char *)SELF_PATH, (char *)"pages", NULL};
    char *heap[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=hostile_aligned.toml", NULL};
    CHECK_EQ(run_program(pages_run, heap, "hostile_runner.err", 20), 0);
    char *no_heap[] = {(char *)"LD_PRELOAD=" RUNNER_PATH, (char *)"POOLHEAP_CONFIG=/nonexistent.toml", NULL};
    CHECK_EQ(run_program(pages_run, no_heap, "hostile_runner.err", 20), 0);
}

int main(int argc, char **argv) {
    if (argc == 2 && strcmp(argv[1], "locale") == 0) {
        return locale_workload();
    }
    if (argc == 2 && strcmp(argv[1], "pages") == 0) {
        return page_workload();
    }
    RUN(a_missing_relative_config_under_a_utf8_locale_does_not_hang);
    RUN(a_directory_as_config_is_named_as_such);
    RUN(control_characters_in_the_path_stay_on_one_line);
    RUN(valloc_and_pvalloc_work_on_the_heap_and_without_it);
    RUN(a_config_nested_300000_deep_is_refused_without_a_crash);
    RUN(the_recorder_with_an_uncreatable_trace_does_not_hang);
    return test_summary();
}
