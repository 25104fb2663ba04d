/* Checking what a program under test wrote to a file. Header-only: CHECK
 * counts into the including test's harness counters. */
#ifndef POOLHEAP_TEST_OUTPUT_TEXT_H
#define POOLHEAP_TEST_OUTPUT_TEXT_H

#include <stdio.h>
#include <string.h>

#include "harness.h"

/* The first 16 KiB of `path` as a string ("" if it cannot be read); the
 * buffer is reused by the next call. */
static inline const char *slurp(const char *path) {
    static char text[16384];
    FILE *f = fopen(path, "rb");
    size_t n = f != NULL ? fread(text, 1u, sizeof text - 1u, f) : 0u;
    text[n] = '\0';
    if (f != NULL) {
        fclose(f);
    }
    return text;
}

/* Checks that `text` contains `part`, printing both when it does not. */
static inline void contains(const char *text, const char *part) {
    CHECK(strstr(text, part) != NULL);
    if (strstr(text, part) == NULL) {
        TEST_PRINTF("  missing '%s' in:\n%s\n", part, text);
    }
}

#endif /* POOLHEAP_TEST_OUTPUT_TEXT_H */
