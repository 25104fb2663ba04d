/* "--name value" command-line options. */
#include "bench_options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *bench_option(int argc, char **argv, const char *name, const char *fallback) {
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], name) == 0) {
            return argv[i + 1];
        }
    }
    return fallback;
}

uint64_t bench_option_count(int argc, char **argv, const char *name, uint64_t fallback) {
    const char *text = bench_option(argc, argv, name, NULL);
    if (text == NULL) {
        return fallback;
    }
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    if (*end != '\0' || end == text || value == 0u) {
        fprintf(stderr, "%s: %s wants a positive integer, not '%s'\n", argv[0], name, text);
        exit(2);
    }
    return value;
}
