/* Threads released together through a barrier, timed from the release. */
#define _GNU_SOURCE /* pthread_setaffinity_np */
#include "bench_threads.h"

#include <pthread.h>
#include <sched.h>
#include <stdlib.h>

#include "bench_timer.h"

typedef struct bench_thread {
    pthread_t thread;
    pthread_barrier_t *start;
    void (*body)(void *);
    void *arg;
    double begin, end; /* seconds: released, done */
} bench_thread_t;

/* Thread i runs on the i-th allowed CPU, modulo their number, so that runs
 * place threads alike (pairs i, i + 1 on different CPUs when there are two);
 * without the permission the thread just floats. */
static void bench_pin(pthread_t thread, unsigned i) {
    cpu_set_t allowed, one;
    if (sched_getaffinity(0, sizeof allowed, &allowed) != 0 || CPU_COUNT(&allowed) == 0) {
        return;
    }
    unsigned target = i % (unsigned)CPU_COUNT(&allowed);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++) {
        if (CPU_ISSET(cpu, &allowed) && target-- == 0u) {
            CPU_ZERO(&one);
            CPU_SET(cpu, &one);
            pthread_setaffinity_np(thread, sizeof one, &one);
            return;
        }
    }
}

static void *bench_thread_main(void *context) {
    bench_thread_t *self = context;
    pthread_barrier_wait(self->start);
    self->begin = bench_seconds();
    self->body(self->arg);
    self->end = bench_seconds();
    return NULL;
}

double bench_run_threads(unsigned count, void (*body)(void *), void *args, size_t arg_size) {
    bench_thread_t *threads = calloc(count, sizeof *threads);
    pthread_barrier_t start;
    if (threads == NULL || pthread_barrier_init(&start, NULL, count + 1u) != 0) {
        free(threads);
        return -1.0;
    }
    for (unsigned i = 0; i < count; i++) {
        threads[i] = (bench_thread_t){.start = &start, .body = body, .arg = (char *)args + i * arg_size};
        if (pthread_create(&threads[i].thread, NULL, bench_thread_main, &threads[i]) != 0) {
            abort(); /* the others wait at the barrier forever: nothing sane to return */
        }
        bench_pin(threads[i].thread, i);
    }
    pthread_barrier_wait(&start);
    /* Each thread reads the clock itself: this thread may not run again
     * until the others are done. */
    double begin = 0.0, end = 0.0;
    for (unsigned i = 0; i < count; i++) {
        pthread_join(threads[i].thread, NULL);
        begin = i == 0u || threads[i].begin < begin ? threads[i].begin : begin;
        end = threads[i].end > end ? threads[i].end : end;
    }
    double elapsed = end - begin;
    pthread_barrier_destroy(&start);
    free(threads);
    return elapsed;
}
