/* The command line at its edges (issue 17): sizes and counts just outside
 * their ranges, sizes printed in K and M, --name=value, an option that only
 * starts like a known one, the `--` end of options, --top and --itm-port
 * values, --format tsv without --sites, control characters quoted in a file
 * name, an output directory whose paths do not fit; report on a trace
 * without events, with --top 1 and --format tsv, and with markup in its
 * name. Each run's exit status and the text it must print. */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "trace/output_text.h"
#include "trace/run_program.h"

#define TOOL (char *)POOLHEAP_TOOL
#define MAX_ARGS 12
#define CORPUS POOLHEAP_SOURCE_DIR "/tests/fuzz/corpus/trace/"

typedef struct cli_case {
    const char *args[MAX_ARGS]; /* after the tool's name */
    int exit;
    const char *stdout_part; /* NULL: not checked */
    const char *stderr_part; /* NULL: not checked */
} cli_case_t;

static const cli_case_t cases[] = {
    {{"layout", "--size", "2M", "--pools", "4"}, 0, "poolheap layout --size 2M --pools 4", NULL},
    {{"layout", "--size", "3K", "--pools", "2"}, 0, "poolheap layout --size 3K --pools 2", NULL},
    {{"layout", "--size=4096", "--pools=4"}, 0, "poolheap layout --size 4096 --pools 4", NULL},
    {{"layout", "--size", "0", "--pools", "2"}, 2, NULL, "--size '0' is not a size from 1 to 4G - 1 (such as 10K)"},
    {{"layout", "--size", "5G", "--pools", "2"}, 2, NULL, "--size '5G' is not a size from 1 to 4G - 1 (such as 10K)"},
    {{"layout", "--size", "4096", "--pools", "0"}, 2, NULL, "--pools '0' is not a number from 1 to 64"},
    {{"layout", "--size", "4096", "--pools", "65"}, 2, NULL, "--pools '65' is not a number from 1 to 64"},
    {{"layout", "--sizex", "4096"}, 2, NULL, "poolheap layout: unknown option '--sizex'"},
    {{"show", "a\rb\tc\x7f"}, 1, NULL, "a\\rb\\tc\\x7f: cannot open: No such file or directory\n"},
    {{"report", "edges.trace", "--top", "-1"}, 2, NULL, "--top must be a number of rows, not '-1'"},
    {{"report", "edges.trace", "--top", "5x"}, 2, NULL, "--top must be a number of rows, not '5x'"},
    {{"report", "edges.trace", "--top", ""}, 2, NULL, "--top must be a number of rows, not ''"},
    {{"report", "edges.trace", "--format", "tsv"}, 2, NULL, "--format tsv is for the site tables: add --sites"},
    {{"report", "edges.trace", "--itm-port", "32"}, 2, NULL, "'32' is not a stimulus port number from 0 to 31"},
    {{"report", "edges.trace", "--itm-port", "-1"}, 2, NULL, "'-1' is not a stimulus port number from 0 to 31"},
    {{"report", "edges.trace", "--itm-port", "x"}, 2, NULL, "'x' is not a stimulus port number from 0 to 31"},
    {{"tune", "edges.trace", "--pools", "0"}, 2, NULL, "--pools '0' is not a number from 1 to 64"},
    {{"tune", "edges.trace", "--pools", "65"}, 2, NULL, "--pools '65' is not a number from 1 to 64"},
    {{"tune", "edges.trace", "--pools", "2", "--max-request", "0"},
     2,
     NULL,
     "--max-request '0' is not a size from 1 to 4G - 1"},
    {{"tune", "edges.trace", "--pools", "2", "--margin", "10%", "--max-request", "5G"},
     2,
     NULL,
     "--max-request '5G' is not a size from 1 to 4G - 1"},
    {{"tune", "edges.trace", "--pools", "2", "--headroom", "101%"},
     2,
     NULL,
     "--headroom '101%' is not a percentage from 0% to 100%"},
    {{"tune", "edges.trace", "--pools", "2", "--size", "0"}, 2, NULL, "--size '0' is not a size from 1 to 4G - 1"},
    {{"tune", "edges.trace", "--pools", "2", "--size", "5G"}, 2, NULL, "--size '5G' is not a size from 1 to 4G - 1"},
    {{"tune", "--pools", "2", "--", "edges.trace"}, 0, "# poolheap tune --pools 2 (1 trace)", NULL},
};

static void write_inputs(void) {
    static const unsigned char trace[] = {'P',  'H',  'T', 'R', 1,    8,    0, 0,    1,   24,
                                          0x80, 0x20, 1,   100, 0x80, 0x21, 5, 0x80, 0x20};
    FILE *f = fopen("edges.trace", "wb");
    fwrite(trace, 1, sizeof trace, f);
    fclose(f);
    f = fopen("edges.toml", "w");
    fputs("[heap]\nsize = 1024\npools = [{ block = 32, capacity = 16 }, { block = 128, capacity = 4 }]\n", f);
    fclose(f);
}

static void each_case_exits_and_says_what_it_must(void) {
    static char *const no_env[] = {NULL};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *argv[MAX_ARGS + 2] = {TOOL};
        for (size_t k = 0; k < MAX_ARGS && cases[i].args[k] != NULL; k++) {
            argv[k + 1] = (char *)cases[i].args[k];
        }
        int status = run_program_io(argv, no_env, NULL, "edges.out", "edges.err", 30);
        CHECK_EQ(status, cases[i].exit);
        if (status != cases[i].exit) {
            TEST_PRINTF("  case %zu: %s %s\n", i, cases[i].args[0], cases[i].args[1]);
        }
        if (cases[i].stdout_part != NULL) {
            contains(slurp("edges.out"), cases[i].stdout_part);
        }
        if (cases[i].stderr_part != NULL) {
            contains(slurp("edges.err"), cases[i].stderr_part);
        }
    }
}

/* DIR/poolheap_heaps.h longer than the 4095 bytes gen allows: refused,
 * nothing made. (A DIR that long still fits in the one-line message.) */
static void an_output_directory_too_long_for_its_files_is_refused(void) {
    static char directory[4081];
    memset(directory, 'd', sizeof directory - 1u);
    char *gen[] = {TOOL, (char *)"gen", (char *)"edges.toml", (char *)"-o", directory, NULL};
    static char *const no_env[] = {NULL};
    CHECK_EQ(run_program_io(gen, no_env, NULL, "edges.out", "edges.err", 30), 1);
    contains(slurp("edges.err"), "dddd: path too long\n");
    CHECK(access(directory, F_OK) != 0);
}

static int run_tool(char *const argv[]) {
    static char *const no_env[] = {NULL};
    return run_program_io(argv, no_env, NULL, "edges.out", "edges.err", 30);
}

/* A trace without events still plots; --top 1 and --format tsv cut and
 * shape the site tables; a trace name with markup characters is escaped in
 * the HTML page. */
static void report_edges(void) {
    char *empty[] = {TOOL, (char *)"report", (char *)CORPUS "header_only.trace", (char *)"--svg", (char *)"edges.svg",
                     NULL};
    CHECK_EQ(run_tool(empty), 0);
    contains(slurp("edges.out"), "0 events, 0 objects");
    contains(slurp("edges.svg"), "<svg");
    char *tsv[] = {TOOL,
                   (char *)"report",
                   (char *)CORPUS "callers_map.trace",
                   (char *)"--sites",
                   (char *)"--format",
                   (char *)"tsv",
                   (char *)"--top",
                   (char *)"1",
                   NULL};
    CHECK_EQ(run_tool(tsv), 0);
    contains(slurp("edges.out"), "table\tpool\tcount\tbytes\tsite\npeak\t\t1\t300\t0x401234 < 0x401100\n");
    char *top[] = {
        TOOL, (char *)"report", (char *)CORPUS "realloc_moves.trace", (char *)"--sites", (char *)"--top", (char *)"1",
        NULL};
    CHECK_EQ(run_tool(top), 0);
    contains(slurp("edges.out"), "hot spots: 3 allocations and reallocations, 84 bytes requested\n");
    rename("edges.trace", "edges&<>\".trace");
    char *html[] = {TOOL, (char *)"report", (char *)"edges&<>\".trace", (char *)"--html", (char *)"edges.html", NULL};
    CHECK_EQ(run_tool(html), 0);
    rename("edges&<>\".trace", "edges.trace");
    contains(slurp("edges.html"), "edges&amp;&lt;&gt;&quot;.trace");
}

int main(void) {
    write_inputs();
    RUN(each_case_exits_and_says_what_it_must);
    RUN(an_output_directory_too_long_for_its_files_is_refused);
    RUN(report_edges);
    return test_summary();
}
