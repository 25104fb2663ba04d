/* The `poolheap` command with an allocator that fails on demand, for
 * test_alloc_failures.c. Linked with -Wl,--wrap=malloc,--wrap=calloc,
 * --wrap=realloc, so every call the tools' own code makes goes through the
 * wrappers below (the C library's internal ones, such as strdup's, do not).
 * tools/poolheap/main.c is compiled into this program with
 * main=poolheap_tool_main; this file's main runs it armed:
 *
 *   POOLHEAP_FAIL_ALLOC=N         the Nth allocation of the command fails
 *                                 (returns NULL); the others succeed
 *   POOLHEAP_COUNT_ALLOC=FILE     writes how many allocations the command
 *                                 made to FILE, at exit
 *
 * Only allocations made while the command runs are counted: the coverage
 * runtime's own at exit are not. */
#undef main /* the build renames tools/poolheap/main.c's main, not this one */

#include <stdio.h>
#include <stdlib.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *old, size_t size);

static int armed;
static unsigned long counted;
static unsigned long fail_at; /* 0: never */
static const char *count_file;

/* Whether this allocation is the one to fail. */
static int fails(void) {
    if (!armed) {
        return 0;
    }
    counted++;
    return counted == fail_at;
}

void *__wrap_malloc(size_t size) {
    return fails() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t count, size_t size) {
    return fails() ? NULL : __real_calloc(count, size);
}

void *__wrap_realloc(void *old, size_t size) {
    return fails() ? NULL : __real_realloc(old, size);
}

/* Registered before the command runs, so it runs at exit() before the
 * handlers registered earlier (the coverage runtime's). */
static void disarm(void) {
    armed = 0;
    if (count_file != NULL) {
        FILE *f = fopen(count_file, "w");
        if (f != NULL) {
            fprintf(f, "%lu\n", counted);
            fclose(f);
        }
    }
}

int main(int argc, char **argv) {
    const char *n = getenv("POOLHEAP_FAIL_ALLOC");
    fail_at = n != NULL ? strtoul(n, NULL, 10) : 0u;
    count_file = getenv("POOLHEAP_COUNT_ALLOC");
    atexit(disarm);
    armed = 1;
    return poolheap_tool_main(argc, argv);
}
