/* Who allocates, end to end: this program runs itself as a workload with
 * known call sites under the recorder (callers on), then checks every
 * table of `poolheap report --sites --format tsv` against figures computed
 * by hand from the workload below, sites named by file:line. */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "output_text.h"
#include "spawn_program.h"

/* The call sites: each allocates on the line its LINE_ constant names.
 * keep() after the call stops the compiler turning it into a jump, whose
 * return address would be the site's caller's. */
static void *volatile kept;
__attribute__((noinline)) static void keep(void *p) {
    kept = p;
}
/* Each site stays on the line of its constant: */
/* clang-format off */
__attribute__((noinline)) static void *site_a(size_t n) { void *p = malloc(n); keep(p); return p; } enum { LINE_A = __LINE__ };
__attribute__((noinline)) static void *site_b(size_t n) { void *p = calloc(1u, n); keep(p); return p; } enum { LINE_B = __LINE__ };
__attribute__((noinline)) static void *site_c(void *q, size_t n) { void *p = realloc(q, n); keep(p); return p; } enum { LINE_C = __LINE__ };
/* clang-format on */

/* Peak (after the realloc): C holds 5000 B (1 object), B 3000 (3), A 200
 * (2). Calls: A 4 x 100 B, B 3 x 1000 B, C 1 x 5000 B. Leaks: A 2 objects,
 * 200 B; B 1 object, 1000 B. */
static int workload(void) {
    void *a[4], *b[3];
    for (int i = 0; i < 4; i++) {
        a[i] = site_a(100u);
    }
    for (int i = 0; i < 3; i++) {
        b[i] = site_b(1000u);
    }
    free(a[0]);
    a[1] = site_c(a[1], 5000u);
    free(b[0]);
    free(b[1]);
    free(a[1]);
    return a[2] == NULL || a[3] == NULL || b[2] == NULL; /* a[2], a[3], b[2] leak */
}

/* Pools: A asks for pool 0, B pool 1, C pool 2. The second layout has no
 * block for C's 5000 bytes: its realloc fails in the replay. */
static const char layout[] = "[heap.main]\nsize = \"12800\"\npools = [ { block = \"128\", capacity = 4 },\n"
                             "  { block = \"1024\", capacity = 4 }, { block = \"8192\", capacity = 1 } ]\n";
static const char small_layout[] = "[heap.main]\nsize = \"3584\"\npools = [ { block = \"128\", capacity = 4 },\n"
                                   "  { block = \"1024\", capacity = 3 } ]\n";

static void write_text(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f != NULL) {
        fputs(text, f);
        fclose(f);
    }
}

/* Checks that the TSV output has the row TABLE POOL COUNT BYTES for the site
 * named `function` at `line` (of this file), its first frame. */
static void expect_row(const char *tsv, const char *table, const char *pool, unsigned count, unsigned bytes,
                       const char *function, int line) {
    char row[256];
    snprintf(row, sizeof row, "\n%s\t%s\t%u\t%u\t%s (test_sites.c:%d)", table, pool, count, bytes, function, line);
    contains(tsv, row);
}

static const char *self; /* this program, run again as the workload */

static void record(const char *trace, const char *frames) {
    char preload[4096], target[4096], depth[64];
    snprintf(preload, sizeof preload, "LD_PRELOAD=%s", RECORDER_PATH);
    snprintf(target, sizeof target, "POOLHEAP_TRACE=%s", trace);
    snprintf(depth, sizeof depth, "POOLHEAP_TRACE_FRAMES=%s", frames);
    char *const env[] = {preload, target, depth, NULL};
    char *const argv[] = {(char *)self, "workload", NULL};
    CHECK_EQ(spawn_program(argv, env, "/dev/null"), 0);
}

/* The TSV tables of sites.trace replayed through `layout` (written to
 * `toml`), as a string (slurp's buffer). */
static const char *site_tables(const char *toml, const char *layout_text, const char *output) {
    write_text(toml, layout_text);
    char *const argv[] = {POOLHEAP_TOOL, "report",   "sites.trace", "--config", (char *)toml,
                          "--sites",     "--format", "tsv",         NULL};
    CHECK_EQ(spawn_program(argv, NULL, output), 0);
    return slurp(output);
}

static void every_table_has_the_hand_computed_figures(void) {
    record("sites.trace", "1");
    const char *tsv = site_tables("sites.toml", layout, "sites.tsv");
    expect_row(tsv, "peak", "", 1u, 5000u, "site_c", LINE_C);
    expect_row(tsv, "peak", "", 3u, 3000u, "site_b", LINE_B);
    expect_row(tsv, "peak", "", 2u, 200u, "site_a", LINE_A);
    expect_row(tsv, "pool_peak", "0", 4u, 400u, "site_a", LINE_A);
    expect_row(tsv, "pool_peak", "1", 3u, 3000u, "site_b", LINE_B);
    expect_row(tsv, "pool_peak", "2", 1u, 5000u, "site_c", LINE_C);
    expect_row(tsv, "hot", "", 4u, 400u, "site_a", LINE_A);
    expect_row(tsv, "hot", "", 3u, 3000u, "site_b", LINE_B);
    expect_row(tsv, "hot", "", 1u, 5000u, "site_c", LINE_C);
    expect_row(tsv, "leaks", "", 2u, 200u, "site_a", LINE_A);
    expect_row(tsv, "leaks", "", 1u, 1000u, "site_b", LINE_B);
    CHECK(strstr(tsv, "\nfailing\t") == NULL); /* the layout serves everything */
}

static void the_failing_request_is_named(void) {
    const char *tsv = site_tables("sites-small.toml", small_layout, "sites-small.tsv");
    expect_row(tsv, "failing", "", 1u, 5000u, "site_c", LINE_C);
}

static void more_frames_name_the_callers_too(void) {
    record("sites3.trace", "2");
    char *const argv[] = {POOLHEAP_TOOL, "report", "sites3.trace", "--sites", "--top", "0", NULL};
    CHECK_EQ(spawn_program(argv, NULL, "sites3.out"), 0);
    char site[256];
    snprintf(site, sizeof site, "site_b (test_sites.c:%d) < workload (test_sites.c:", LINE_B);
    contains(slurp("sites3.out"), site);
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "workload") == 0) {
        return workload();
    }
    self = argv[0];
    RUN(every_table_has_the_hand_computed_figures);
    RUN(the_failing_request_is_named);
    RUN(more_frames_name_the_callers_too);
    return test_summary();
}
