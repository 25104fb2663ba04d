/* Threads released together through a barrier, timed from the release. */
#define _POSIX_C_SOURCE 200809L
#include "bench_threads.h"

#include <pthread.h>
#include <stdlib.h>

#include "bench_timer.h"

typedef struct bench_thread {
    pthread_t thread;
    pthread_barrier_t *start;
    void (*body)(void *);
    void *arg;
} bench_thread_t;

static void *bench_thread_main(void *context) {
    bench_thread_t *self = context;
    pthread_barrier_wait(self->start);
    self->body(self->arg);
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
    }
    pthread_barrier_wait(&start);
    double begin = bench_seconds();
    for (unsigned i = 0; i < count; i++) {
        pthread_join(threads[i].thread, NULL);
    }
    double elapsed = bench_seconds() - begin;
    pthread_barrier_destroy(&start);
    free(threads);
    return elapsed;
}
