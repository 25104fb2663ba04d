/* Command-line options of the benchmark programs: "--name value" pairs. */
#ifndef BENCH_OPTIONS_H
#define BENCH_OPTIONS_H

#include <stdint.h>

/* The argument after "--name" in argv, or `fallback` if there is none. */
const char *bench_option(int argc, char **argv, const char *name, const char *fallback);

/* The same, as a positive integer; exits with a message if it is not one. */
uint64_t bench_option_count(int argc, char **argv, const char *name, uint64_t fallback);

#endif /* BENCH_OPTIONS_H */
