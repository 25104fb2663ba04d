/* Throughput with threads that each allocate and free their own blocks.
 *
 *   bench_throughput_ALLOCATOR [--threads N] [--ops N] [--slots N] [--seed N]
 *                              [--heap-per-thread 1]
 *
 * Every thread runs the latency benchmark's steps untimed (a random slot of
 * its own `--slots`: free it if full, else allocate a random size and write
 * its first byte), `--ops` steps per thread, all threads on one allocator
 * (one shared poolheap heap; with --heap-per-thread 1, one poolheap heap per
 * thread, and "pattern=private"). Prints "throughput ... mops=M", M being
 * millions of operations (allocs plus frees) per second of wall time. */
#include <stdio.h>
#include <stdlib.h>

#include "bench_alloc.h"
#include "bench_options.h"
#include "bench_threads.h"
#include "bench_workload.h"

typedef struct local_worker {
    unsigned heap; /* poolheap: the heap this thread uses */
    void **slots;
    size_t slot_count;
    size_t ops;
    uint64_t random;
    int failed;
} local_worker_t;

/* Works on local copies: the workers' records sit side by side, and a
 * thread writing its own record would slow the others down (false sharing). */
static void local_body(void *context) {
    local_worker_t *w = context;
    bench_alloc_select(w->heap);
    void **slots = w->slots;
    size_t slot_count = w->slot_count;
    uint64_t random = w->random;
    for (size_t step = 0; step < w->ops; step++) {
        size_t i = (size_t)(bench_random(&random) % slot_count);
        if (slots[i] != NULL) {
            bench_free(slots[i]);
            slots[i] = NULL;
            continue;
        }
        unsigned char *block = bench_malloc(bench_random_size(&random));
        if (block == NULL) {
            w->failed = 1;
            return;
        }
        block[0] = 1u;
        slots[i] = block;
    }
}

int main(int argc, char **argv) {
    unsigned threads = (unsigned)bench_option_count(argc, argv, "--threads", 1u);
    size_t ops = bench_option_count(argc, argv, "--ops", 10000000u);
    size_t slot_count = bench_option_count(argc, argv, "--slots", 1024u);
    uint64_t seed = bench_option_count(argc, argv, "--seed", 42u);
    int private_heaps = bench_option_count(argc, argv, "--heap-per-thread", 0u) != 0u;
    bench_layout_t layout;
    bench_layout_default(&layout, (uint32_t)(threads * slot_count));
    if (bench_alloc_init(&layout, private_heaps ? threads : 1u) != 0) {
        return 1;
    }
    bench_alloc_describe();
    local_worker_t *workers = calloc(threads, sizeof *workers);
    if (workers == NULL) {
        return 1;
    }
    for (unsigned t = 0; t < threads; t++) {
        workers[t] =
            (local_worker_t){private_heaps ? t : 0u, calloc(slot_count, sizeof(void *)), slot_count, ops, seed + t, 0};
        if (workers[t].slots == NULL) {
            return 1;
        }
    }
    double seconds = bench_run_threads(threads, local_body, workers, sizeof *workers);
    int failed = seconds < 0.0;
    for (unsigned t = 0; t < threads; t++) {
        failed |= workers[t].failed;
        bench_alloc_select(workers[t].heap);
        for (size_t i = 0; i < slot_count; i++) {
            bench_free(workers[t].slots[i]);
        }
        free(workers[t].slots);
    }
    free(workers);
    if (failed) {
        fprintf(stderr, "%s: a thread failed to start or to allocate\n", argv[0]);
        return 1;
    }
    printf("throughput allocator=%s pattern=%s threads=%u ops=%zu seconds=%.4f mops=%.2f\n", BENCH_ALLOCATOR,
           private_heaps ? "private" : "local", threads, threads * ops, seconds,
           (double)(threads * ops) / seconds / 1e6);
    return 0;
}
