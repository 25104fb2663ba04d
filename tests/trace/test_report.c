/* `poolheap report` on a small trace whose figures are known by hand: the
 * summary, the per-size table, the replay through a layout (with a fallback
 * and a first out-of-memory event), and the SVG, rendered to PNG. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "output_text.h"
#include "poolheap/trace.h"
#include "run_program.h"

/* The trace, in events:
 *   0 A = alloc 10   1 B = alloc 10   2 C = alloc 20   3 free A
 *   4 D = alloc 30   5 C realloc 40 (moves)   6 free B   7 free C   8 free D
 * Live bytes: 10 20 40 30 60 80 70 30 0, so the peak is 80 at event 5. */
static void write_trace(const char *path) {
    uint8_t bytes[256];
    size_t n = POOLHEAP_TRACE_HEADER_SIZE;
    poolheap_trace_encode_header(bytes, 0u);
    const struct {
        unsigned op;
        uint64_t size, address, old;
    } records[] = {{POOLHEAP_TRACE_ALLOC, 10u, 0x1000u, 0u}, {POOLHEAP_TRACE_ALLOC, 10u, 0x1010u, 0u},
                   {POOLHEAP_TRACE_ALLOC, 20u, 0x1040u, 0u}, {POOLHEAP_TRACE_FREE, 0u, 0x1000u, 0u},
                   {POOLHEAP_TRACE_ALLOC, 30u, 0x1000u, 0u}, {POOLHEAP_TRACE_REALLOC, 40u, 0x1080u, 0x1040u},
                   {POOLHEAP_TRACE_FREE, 0u, 0x1010u, 0u},   {POOLHEAP_TRACE_FREE, 0u, 0x1080u, 0u},
                   {POOLHEAP_TRACE_FREE, 0u, 0x1000u, 0u}};
    for (size_t i = 0; i < sizeof records / sizeof records[0]; i++) {
        n += poolheap_trace_encode(bytes + n, records[i].op, records[i].size, 1u, records[i].address, records[i].old, 0,
                                   0u);
    }
    FILE *f = fopen(path, "wb");
    fwrite(bytes, 1u, n, f);
    fclose(f);
}

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
}

/* Runs argv with stdout into `output`; returns the exit status. */
static int run(char *const argv[], const char *output) {
    return run_program_wait(run_program_start(argv, environ, NULL, output, NULL));
}

/* Runs argv, which must succeed, and checks that its output holds every
 * line of `lines` (NULL-terminated). */
static void expect_lines(char *const argv[], const char *const lines[]) {
    CHECK_EQ(run(argv, "report.out"), 0);
    const char *out = slurp("report.out");
    for (size_t i = 0u; lines[i] != NULL; i++) {
        contains(out, lines[i]);
    }
}

static void the_summary_gives_the_hand_computed_figures(void) {
    write_trace("report.trace");
    char *argv[] = {(char *)POOLHEAP_TOOL, (char *)"report", (char *)"report.trace", NULL};
    CHECK_EQ(run(argv, "report.out"), 0);
    const char *out = slurp("report.out");
    contains(out, "report.trace: 9 events, 4 objects, pointer size 8, 0 failed requests, 0 dropped records\n");
    contains(out, "peak live bytes: 80 (at event 5)\n");
    contains(out, "largest request: 40 bytes\n");
    contains(out, "        10          2            2\n"
                  "        20          1            1\n"
                  "        30          1            1\n"
                  "        40          1            1\n");
}

static void the_replay_finds_the_fallback_and_the_first_failure(void) {
    write_text("report.toml",
               "[heap]\nsize = 112\npools = [\n  { block = 16, capacity = 1 },\n  { block = 48, capacity = 2 },\n]\n");
    char *argv[] = {(char *)POOLHEAP_TOOL, (char *)"report", (char *)"report.trace", (char *)"--config",
                    (char *)"report.toml", (char *)"--svg",  (char *)"report.svg",   NULL};
    const char *const lines[] = {"heap main (report.toml): 112 bytes in 2 pools, replayed with the library:\n",
                                 "     0       16         1         1 100.0%          1          0        0\n",
                                 "     1       48         2         2 100.0%          2          1        1\n",
                                 "out of memory: first at event 4; 1 failures\n", NULL};
    expect_lines(argv, lines);
    char *render[] = {(char *)"rsvg-convert", (char *)"report.svg", NULL};
    CHECK_EQ(run(render, "report.png"), 0);
    const char *png = slurp("report.png");
    CHECK(memcmp(png, "\x89PNG", 4u) == 0);
    const char *svg = slurp("report.svg");
    contains(svg, "live requested bytes (peak 80 bytes)");
    contains(svg, "pool 0: 16-byte blocks asked for (first choice, peak 2 blocks)");
}

/* A layout for a 32-bit target (blocks of 12 and 44 bytes: not multiples of
 * 8) replays the 64-bit trace with --pointer-size 4, as `poolheap tune
 * --pointer-size 4` made it; without the option it is refused. Every request
 * fits its first pool and C's realloc to 40 stays in its 44-byte block. */
static void a_32_bit_layout_replays_with_its_pointer_size(void) {
    write_trace("report.trace");
    write_text("report32.toml",
               "[heap]\nsize = 136\npools = [\n  { block = 12, capacity = 4 },\n  { block = 44, capacity = 2 },\n]\n");
    char *argv[] = {(char *)POOLHEAP_TOOL,
                    (char *)"report",
                    (char *)"report.trace",
                    (char *)"--config",
                    (char *)"report32.toml",
                    (char *)"--pointer-size",
                    (char *)"4",
                    NULL};
    const char *const lines[] = {"heap main (report32.toml): 136 bytes in 2 pools, replayed with the library:\n",
                                 "     0       12         4         2  50.0%          2          0        0\n",
                                 "     1       44         2         2 100.0%          2          0        0\n",
                                 "out of memory: never (0 failures)\n", NULL};
    expect_lines(argv, lines);
    argv[5] = NULL; /* the trace's own pointer size, 8: blocks of 12 are invalid */
    CHECK_EQ(run(argv, "report.out"), 1);
    char *bad[] = {(char *)POOLHEAP_TOOL,    (char *)"report", (char *)"report.trace",
                   (char *)"--pointer-size", (char *)"6",      NULL};
    CHECK_EQ(run(bad, "report.out"), 2);
}

static void a_corrupt_trace_is_an_error_with_its_offset(void) {
    FILE *f = fopen("report_bad.trace", "wb");
    fwrite("PHTR\x01\x08\x00\x00\x05\x80", 1u, 10u, f); /* a FREE whose varint never ends */
    fclose(f);
    char *argv[] = {(char *)POOLHEAP_TOOL, (char *)"report", (char *)"report_bad.trace", NULL};
    CHECK_EQ(run(argv, "report.out"), 1); /* the message itself goes to stderr */
}

int main(void) {
    RUN(the_summary_gives_the_hand_computed_figures);
    RUN(the_replay_finds_the_fallback_and_the_first_failure);
    RUN(a_32_bit_layout_replays_with_its_pointer_size);
    RUN(a_corrupt_trace_is_an_error_with_its_offset);
    return test_summary();
}
