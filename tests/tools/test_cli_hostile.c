/* Hostile surroundings for the `poolheap` command (issue 12): standard
 * output that cannot be written (/dev/full), output paths that are a
 * symbolic link, a FIFO, empty, missing directories or a directory in the
 * way of the second file of gen; messages quoting control characters (and
 * tune's, and the comment of the TOML it writes); a trace from standard
 * input and a directory as a trace. Inputs are written
 * here; each run has a deadline. */
#define _POSIX_C_SOURCE 200809L

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "trace/output_text.h"
#include "trace/run_program.h"

#define TOOL (char *)POOLHEAP_TOOL

static char *const no_env[] = {NULL};

static int tool(char *const argv[], const char *output) {
    return run_program_io(argv, no_env, NULL, output, "cli_hostile.err", 30);
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* A trace of two allocations and a free, 8-byte pointers. */
static void write_trace(const char *path) {
    static const unsigned char bytes[] = {'P',  'H',  'T', 'R', 1,    8,    0, 0,    1,   24,
                                          0x80, 0x20, 1,   100, 0x80, 0x21, 5, 0x80, 0x20};
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);
}

static void setup(void) {
    write_text("cli_hostile.toml", "[heap]\nsize = 1024\npools = [{ block = 32, capacity = 16 }, { block = 128, "
                                   "capacity = 4 }]\n");
    write_trace("cli_hostile.trace");
}

static void every_command_fails_when_standard_output_is_full(void) {
    char *help[] = {TOOL, (char *)"--help", NULL};
    char *layout[] = {TOOL, (char *)"layout", (char *)"--size", (char *)"4096", (char *)"--pools", (char *)"4", NULL};
    char *show[] = {TOOL, (char *)"show", (char *)"cli_hostile.toml", NULL};
    char *report[] = {TOOL, (char *)"report", (char *)"cli_hostile.trace", NULL};
    char *tune[] = {TOOL, (char *)"tune", (char *)"cli_hostile.trace", (char *)"--pools", (char *)"2", NULL};
    char *const *runs[] = {help, layout, show, report, tune};
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
        CHECK_EQ(tool(runs[i], "/dev/full"), 1);
        contains(slurp("cli_hostile.err"), "poolheap: cannot write standard output: No space left on device\n");
        CHECK_EQ(tool(runs[i], "/dev/null"), 0); /* and the same command succeeds where it can write */
    }
}

/* 64 doubling pools of 8-byte words end at a block of 2^66 bytes: the
 * message names it, not a number wrapped or saturated at 64 bits. */
static void layout_names_a_largest_block_beyond_64_bits(void) {
    char *layout[] = {TOOL,
                      (char *)"layout",
                      (char *)"--size",
                      (char *)"4294967288",
                      (char *)"--pools",
                      (char *)"64",
                      (char *)"--pointer-size",
                      (char *)"8",
                      NULL};
    CHECK_EQ(tool(layout, "/dev/null"), 1);
    contains(slurp("cli_hostile.err"), "at least 2^66 (the largest block)\n");
}

static void a_symbolic_link_as_output_is_followed(void) {
    unlink("cli_hostile_link.toml");
    unlink("cli_hostile_real.toml");
    CHECK(symlink("cli_hostile_real.toml", "cli_hostile_link.toml") == 0);
    write_text("cli_hostile_real.toml", "old\n");
    char *tune[] = {TOOL,        (char *)"tune", (char *)"cli_hostile.trace",     (char *)"--pools",
                    (char *)"2", (char *)"-o",   (char *)"cli_hostile_link.toml", NULL};
    CHECK_EQ(tool(tune, "/dev/null"), 0);
    struct stat st;
    CHECK(lstat("cli_hostile_link.toml", &st) == 0 && S_ISLNK(st.st_mode));
    contains(slurp("cli_hostile_real.toml"), "[heap]\n");
}

/* A reader child drains the FIFO into a file while the tool writes the
 * SVG into it; the FIFO must still be a FIFO afterwards. */
static void a_fifo_as_output_is_written_through(void) {
    unlink("cli_hostile.fifo");
    CHECK(mkfifo("cli_hostile.fifo", 0644) == 0);
    pid_t reader = fork();
    if (reader == 0) {
        int in = open("cli_hostile.fifo", O_RDONLY),
            out = open("cli_hostile_fifo.svg", O_WRONLY | O_CREAT | O_TRUNC, 0644);
        char buffer[4096];
        ssize_t n;
        while (in >= 0 && out >= 0 && (n = read(in, buffer, sizeof buffer)) > 0) {
            (void)!write(out, buffer, (size_t)n);
        }
        _exit(0);
    }
    char *show[] = {TOOL, (char *)"show", (char *)"cli_hostile.toml", (char *)"--svg", (char *)"cli_hostile.fifo",
                    NULL};
    CHECK_EQ(tool(show, "/dev/null"), 0);
    struct stat st;
    CHECK(lstat("cli_hostile.fifo", &st) == 0 && S_ISFIFO(st.st_mode));
    for (int i = 0; i < 200 && waitpid(reader, NULL, WNOHANG) == 0; i++) {
        nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    }
    kill(reader, SIGKILL); /* if the tool never opened the FIFO, the reader waits forever */
    waitpid(reader, NULL, 0);
    contains(slurp("cli_hostile_fifo.svg"), "<svg");
}

static void gen_refuses_an_empty_output_path(void) {
    char *gen[] = {TOOL, (char *)"gen", (char *)"cli_hostile.toml", (char *)"-o", (char *)"", NULL};
    int root_had_it = access("/poolheap_heaps.h", F_OK) == 0;
    CHECK_EQ(tool(gen, "/dev/null"), 2);
    contains(slurp("cli_hostile.err"), "poolheap gen: -o needs a directory, not an empty path\n");
    if (!root_had_it && access("/poolheap_heaps.h", F_OK) == 0) {
        CHECK(0); /* written into / */
        unlink("/poolheap_heaps.h");
        unlink("/poolheap_heaps.c");
    }
}

static void gen_makes_missing_directories(void) {
    char *gen[] = {TOOL, (char *)"gen", (char *)"cli_hostile.toml", (char *)"-o", (char *)"cli_hostile_new/a/b", NULL};
    CHECK_EQ(tool(gen, "/dev/null"), 0);
    CHECK(access("cli_hostile_new/a/b/poolheap_heaps.h", F_OK) == 0);
    CHECK(access("cli_hostile_new/a/b/poolheap_heaps.c", F_OK) == 0);
}

/* The .c cannot be written (a directory is in its place): the old .h must
 * stay as it was, not be replaced by a header without its source. */
static void gen_writes_both_files_or_neither(void) {
    mkdir("cli_hostile_pair", 0755);
    mkdir("cli_hostile_pair/poolheap_heaps.c", 0755);
    write_text("cli_hostile_pair/poolheap_heaps.h", "old header\n");
    char *gen[] = {TOOL, (char *)"gen", (char *)"cli_hostile.toml", (char *)"-o", (char *)"cli_hostile_pair", NULL};
    CHECK_EQ(tool(gen, "/dev/null"), 1);
    CHECK(strcmp(slurp("cli_hostile_pair/poolheap_heaps.h"), "old header\n") == 0);
    contains(slurp("cli_hostile.err"), "cli_hostile_pair/poolheap_heaps.c: cannot write: Is a directory\n");
}

static unsigned lines(const char *text) {
    unsigned n = 0;
    for (; *text; text++) {
        n += *text == '\n';
    }
    return n;
}

static void messages_quoting_control_characters_stay_on_one_line(void) {
    write_text("cli_hostile_key.toml", "\"a\\nb\\u001b[2J\" = 1\n\"a\\nb\\u001b[2J\" = 2\n");
    char *show[] = {TOOL, (char *)"show", (char *)"cli_hostile_key.toml", NULL};
    CHECK_EQ(tool(show, "/dev/null"), 1);
    const char *err = slurp("cli_hostile.err");
    CHECK_EQ(lines(err), 1u);
    contains(err, "cli_hostile_key.toml:2:1: key 'a\\nb\\x1b[2J' is already defined");
    char *heap[] = {TOOL,
                    (char *)"report",
                    (char *)"cli_hostile.trace",
                    (char *)"--config",
                    (char *)"cli_hostile.toml",
                    (char *)"--heap",
                    (char *)"x\ny",
                    NULL};
    CHECK_EQ(tool(heap, "/dev/null"), 1);
    contains(slurp("cli_hostile.err"), "no heap named 'x\\ny' (use --heap)\n");
    CHECK_EQ(lines(slurp("cli_hostile.err")), 1u);
    char *unknown[] = {TOOL, (char *)"no\nsuch", NULL};
    CHECK_EQ(tool(unknown, "/dev/null"), 2);
    contains(slurp("cli_hostile.err"), "poolheap: unknown command 'no\\nsuch'\n");
}

/* A capture on ITM port 0 that began after the trace header: the ALLOC of
 * 24 bytes at 0x1000 (record 1), framed as the ITM sink frames it. */
static void write_late_itm_capture(const char *path) {
    static const unsigned char bytes[] = {0x03, 4, 1, 0, 1, 0x01, 24, 0x01, 0x80, 0x01, 0x20};
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);
}

/* tune quotes file names in what it prints about an ITM capture and in the
 * comment of the TOML it writes: escaped, so that each stays one line (and
 * the TOML stays TOML: a comment may hold no control character). */
static void tune_quoting_control_characters_keeps_lines_whole(void) {
    const char *capture = "cli_hostile\n\x1b[2J.itm";
    write_late_itm_capture(capture);
    char *itm[] = {TOOL,        (char *)"tune",    (char *)capture, (char *)"--itm-port",
                   (char *)"0", (char *)"--pools", (char *)"1",     NULL};
    CHECK_EQ(tool(itm, "/dev/null"), 0);
    const char *err = slurp("cli_hostile.err");
    contains(err, "cli_hostile\\n\\x1b[2J.itm: ITM port 0: 1 records, 0 lost");
    CHECK(strchr(err, '\x1b') == NULL);
    const char *layout = "cli_hostile\n\x1b[2J.toml";
    write_text(layout, slurp("cli_hostile.toml"));
    char *from[] = {TOOL,
                    (char *)"tune",
                    (char *)"cli_hostile.trace",
                    (char *)"--pools",
                    (char *)"2",
                    (char *)"--from",
                    (char *)layout,
                    (char *)"-o",
                    (char *)"cli_hostile_grown.toml",
                    NULL};
    CHECK_EQ(tool(from, "/dev/null"), 0);
    const char *toml = slurp("cli_hostile_grown.toml");
    contains(toml, "# cli_hostile\\n\\x1b[2J.toml (heap main) grown to serve the traces");
    CHECK(strchr(toml, '\x1b') == NULL);
    char *show[] = {TOOL, (char *)"show", (char *)"cli_hostile_grown.toml", NULL};
    CHECK_EQ(tool(show, "/dev/null"), 0); /* still a configuration */
    unlink(capture);
    unlink(layout);
}

/* A trace with callers (8-byte pointers): one ALLOC of 24 bytes at 0x1000
 * from a caller at 0x1000. */
static void write_trace_with_callers(const char *path) {
    static const unsigned char bytes[] = {'P', 'H', 'T', 'R', 2, 8, 2, 0, 1, 24, 0x80, 0x20, 1, 0x80, 0x20};
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1, sizeof bytes, f);
    fclose(f);
}

/* report --sites names callers through addr2line; when it cannot run, the
 * message quotes the program and the file it was given, escaped. */
static void report_quotes_a_failing_symbolizer_escaped(void) {
    write_trace_with_callers("cli_hostile_callers.trace");
    char *sites[] = {TOOL,
                     (char *)"report",
                     (char *)"cli_hostile_callers.trace",
                     (char *)"--sites",
                     (char *)"--elf",
                     (char *)"firmware\n\x1b[2J.elf",
                     (char *)"--addr2line",
                     (char *)"no-such\taddr2line",
                     NULL};
    CHECK_EQ(tool(sites, "/dev/null"), 0);
    const char *err = slurp("cli_hostile.err");
    contains(err, "poolheap report: no-such\\taddr2line could not read firmware\\n\\x1b[2J.elf: its callers are "
                  "shown as addresses\n");
    CHECK(strchr(err, '\x1b') == NULL);
    CHECK_EQ(lines(err), 1u);
}

static void a_trace_comes_from_standard_input_and_a_directory_is_refused(void) {
    char *report[] = {TOOL, (char *)"report", (char *)"-", NULL};
    CHECK_EQ(run_program_io(report, no_env, "cli_hostile.trace", "cli_hostile.out", "cli_hostile.err", 30), 0);
    contains(slurp("cli_hostile.out"), "-: 3 events, 2 objects");
    char *directory[] = {TOOL, (char *)"report", (char *)".", NULL};
    CHECK_EQ(tool(directory, "/dev/null"), 1);
    contains(slurp("cli_hostile.err"), ".: Is a directory\n");
}

int main(void) {
    setup();
    RUN(every_command_fails_when_standard_output_is_full);
    RUN(layout_names_a_largest_block_beyond_64_bits);
    RUN(a_symbolic_link_as_output_is_followed);
    RUN(a_fifo_as_output_is_written_through);
    RUN(gen_refuses_an_empty_output_path);
    RUN(gen_makes_missing_directories);
    RUN(gen_writes_both_files_or_neither);
    RUN(messages_quoting_control_characters_stay_on_one_line);
    RUN(tune_quoting_control_characters_keeps_lines_whole);
    RUN(report_quotes_a_failing_symbolizer_escaped);
    RUN(a_trace_comes_from_standard_input_and_a_directory_is_refused);
    return test_summary();
}
