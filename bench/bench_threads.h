/* Running a benchmark body on several threads released at once. */
#ifndef BENCH_THREADS_H
#define BENCH_THREADS_H

#include <stddef.h>

/* Starts `count` threads, thread i running body(args + i * arg_size) on
 * the i-th CPU the process may use (modulo their number), holds
 * them at a barrier until all exist, releases them together and joins them.
 * Returns the seconds from the first thread's start to the last one's end,
 * or a negative value if a thread could not be started. */
double bench_run_threads(unsigned count, void (*body)(void *), void *args, size_t arg_size);

#endif /* BENCH_THREADS_H */
