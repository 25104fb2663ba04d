/* Concurrency stress test: threads allocate, hand blocks to each other and
 * free blocks other threads allocated, while signals interrupt them with
 * handlers that allocate and free on the same pool. The ledger (ledger.h)
 * catches any block handed out twice; at the end every block is counted
 * back and the deep check runs. See README.md.
 *
 *   stress_test [-t THREADS] [-n OPERATIONS] [-s SEED] [-d]
 *
 * -d (detect): for the naive-pop control; stop at the first violation and
 * exit 0 only if one was found. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ledger.h"
#include "poolheap.h"
#include "ring.h"

#define MAX_THREADS 16u
#define LOCAL_SLOTS 4u

/* One small hot pool that most requests and every signal handler hit, so
 * pops on it collide as often as possible; larger pools for fallback and
 * for realloc to move between. */
static const poolheap_pool_config_t stress_pools[] = {{16, 256}, {32, 64}, {64, 8}, {128, 8}};
#define HOT_SIZE 16u

typedef struct worker {
    pthread_t thread;
    unsigned id;
    uint64_t rng;
    unsigned long long ops;
    held_t local[LOCAL_SLOTS];
    unsigned local_count;
    /* A block a signal handler took and left for the thread to free; the
     * handler sets it only when it is NULL, and only the thread clears it. */
    void *_Atomic signal_block;
    _Atomic uint32_t signal_tag;
    atomic_ulong signals_handled;
} worker_t;

static worker_t workers[MAX_THREADS];
static ring_t rings[MAX_THREADS][MAX_THREADS]; /* [from][to] */
static unsigned thread_count = 4u;
static unsigned long long ops_per_thread;
static int detect_mode;
static const poolheap_t *heap;
static atomic_uint running;
static _Thread_local worker_t *this_worker;

static uint32_t rng_below(worker_t *w, uint32_t n) {
    w->rng ^= w->rng >> 12;
    w->rng ^= w->rng << 25;
    w->rng ^= w->rng >> 27;
    return (uint32_t)(((w->rng * 0x2545F4914F6CDD1DULL) >> 32) % n);
}

static void give_back(held_t item) {
    ledger_release(item.block, item.tag);
    poolheap_free(heap, item.block);
}

/* Frees the block a signal handler left, if any. Reading the block before
 * the tag is what makes the pair consistent: while the slot is full the
 * handler leaves it alone. */
static void take_signal_block(worker_t *w) {
    void *block = atomic_load_explicit(&w->signal_block, memory_order_acquire);
    if (block != NULL) {
        held_t item = {block, atomic_load_explicit(&w->signal_tag, memory_order_relaxed)};
        atomic_store_explicit(&w->signal_block, NULL, memory_order_relaxed);
        give_back(item);
    }
}

/* Runs on whichever worker it interrupts, possibly in the middle of a heap
 * operation on the hot pool. It takes two hot blocks and returns the first
 * (the head it may have interrupted a pop of is the head again), keeping
 * the second: exactly the A-B-A sequence a naive pop cannot survive. */
static void on_signal(int signal_number) {
    (void)signal_number;
    worker_t *w = this_worker;
    if (w == NULL) {
        return;
    }
    int saved_errno = errno;
    void *first = poolheap_alloc(heap, HOT_SIZE);
    if (first != NULL) {
        uint32_t tag = ledger_new_tag();
        ledger_claim(first, tag);
        void *kept = atomic_load_explicit(&w->signal_block, memory_order_relaxed) == NULL
                         ? poolheap_alloc(heap, HOT_SIZE)
                         : NULL;
        give_back((held_t){first, tag});
        if (kept != NULL) {
            uint32_t kept_tag = ledger_new_tag();
            ledger_claim(kept, kept_tag);
            atomic_store_explicit(&w->signal_tag, kept_tag, memory_order_relaxed);
            atomic_store_explicit(&w->signal_block, kept, memory_order_release);
        }
    }
    atomic_fetch_add_explicit(&w->signals_handled, 1u, memory_order_relaxed);
    errno = saved_errno;
}

/* Allocates and either hands the block to a random other thread or keeps
 * it (freeing a kept one when the hands are full). */
static void allocate(worker_t *w) {
    size_t size = rng_below(w, 8) != 0 ? 1u + rng_below(w, HOT_SIZE) : 1u + rng_below(w, 128);
    void *block = poolheap_alloc(heap, size);
    if (block == NULL) {
        return;
    }
    held_t item = {block, ledger_new_tag()};
    ledger_claim(block, item.tag);
    unsigned to = rng_below(w, thread_count);
    if (to != w->id && ring_put(&rings[w->id][to], item)) {
        return;
    }
    if (w->local_count == LOCAL_SLOTS) {
        unsigned victim = rng_below(w, LOCAL_SLOTS);
        give_back(w->local[victim]);
        w->local[victim] = item;
        return;
    }
    w->local[w->local_count++] = item;
}

/* Frees a block another thread handed over, else one of our own. */
static void release_one(worker_t *w) {
    unsigned start = rng_below(w, thread_count);
    for (unsigned k = 0; k < thread_count; k++) {
        held_t item;
        if (ring_get(&rings[(start + k) % thread_count][w->id], &item)) {
            give_back(item);
            return;
        }
    }
    if (w->local_count != 0u) {
        unsigned i = rng_below(w, w->local_count);
        give_back(w->local[i]);
        w->local[i] = w->local[--w->local_count];
    }
}

/* Reallocates a kept block to a random size: in place, moved to another
 * pool, or (all full) failed, in which case it is still ours. */
static void resize(worker_t *w) {
    if (w->local_count == 0u) {
        return;
    }
    held_t *item = &w->local[rng_below(w, w->local_count)];
    /* Released first: once realloc has moved it, the old block may be
     * claimed by another thread at once. */
    ledger_release(item->block, item->tag);
    void *moved = poolheap_realloc(heap, item->block, 1u + rng_below(w, 128));
    if (moved != NULL) {
        *item = (held_t){moved, ledger_new_tag()};
    }
    ledger_claim(item->block, item->tag);
}

static void *work(void *argument) {
    worker_t *w = argument;
    this_worker = w;
    for (w->ops = 0; w->ops < ops_per_thread; w->ops++) {
        if (detect_mode && ledger_violations() != 0u) {
            break;
        }
        take_signal_block(w);
        uint32_t r = rng_below(w, 100);
        if (r < 45) {
            allocate(w);
        } else if (r < 90) {
            release_one(w);
        } else {
            resize(w);
        }
    }
    atomic_fetch_sub(&running, 1u);
    return NULL;
}

/* Interrupts every worker in turn until all have finished. */
static unsigned long send_signals(void) {
    unsigned long sent = 0;
    const struct timespec pause = {0, 2000};
    while (atomic_load(&running) != 0u) {
        for (unsigned i = 0; i < thread_count; i++) {
            sent += pthread_kill(workers[i].thread, SIGUSR1) == 0;
        }
        nanosleep(&pause, NULL);
    }
    return sent;
}

/* After the workers stopped: frees everything still held anywhere. */
static void free_everything(void) {
    for (unsigned i = 0; i < thread_count; i++) {
        take_signal_block(&workers[i]);
        while (workers[i].local_count != 0u) {
            give_back(workers[i].local[--workers[i].local_count]);
        }
        for (unsigned from = 0; from < thread_count; from++) {
            held_t item;
            while (ring_get(&rings[from][i], &item)) {
                give_back(item);
            }
        }
    }
}

/* How contended each pool was: a pool that is always empty exercises no
 * pop, so this shows whether the heap size fits the load. */
static void print_pool_usage(void) {
    for (unsigned i = 0; i < heap->pool_count; i++) {
        poolheap_pool_stats_t p;
        poolheap_pool_stats(heap, i, &p);
        printf("stress: pool %u x %u: %u fallbacks, %u out of memory, peak %u in use\n", p.block, p.capacity,
               p.fallbacks, p.oom, p.peak);
    }
}

static int parse_options(int argc, char **argv, unsigned long long *ops, uint64_t *seed) {
    int option;
    while ((option = getopt(argc, argv, "t:n:s:d")) != -1) {
        switch (option) {
        case 't':
            thread_count = (unsigned)strtoul(optarg, NULL, 0);
            break;
        case 'n':
            *ops = strtoull(optarg, NULL, 0);
            break;
        case 's':
            *seed = strtoull(optarg, NULL, 0);
            break;
        case 'd':
            detect_mode = 1;
            break;
        default:
            return -1;
        }
    }
    return thread_count >= 1u && thread_count <= MAX_THREADS ? 0 : -1;
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv) {
    unsigned long long ops = 10000000u;
    uint64_t seed = (uint64_t)time(NULL);
    if (parse_options(argc, argv, &ops, &seed) != 0) {
        fprintf(stderr, "usage: stress_test [-t THREADS (1..%u)] [-n OPERATIONS] [-s SEED] [-d]\n", MAX_THREADS);
        return 2;
    }
    ops_per_thread = ops / thread_count;
    printf("stress: %u threads, %llu operations, seed %llu%s\n", thread_count, ops_per_thread * thread_count,
           (unsigned long long)seed, detect_mode ? ", expecting corruption" : "");
    fflush(stdout);

    static poolheap_runtime_t runtime;
    static _Alignas(128) unsigned char region[16384];
    heap = poolheap_create(&runtime, region, sizeof region, stress_pools, sizeof stress_pools / sizeof stress_pools[0],
                           0u, NULL, "stress");
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = on_signal;
    action.sa_flags = SA_RESTART;
    sigemptyset(&action.sa_mask);
    if (heap == NULL || ledger_init(heap) != 0 || sigaction(SIGUSR1, &action, NULL) != 0) {
        fprintf(stderr, "stress: setup failed\n");
        return 2;
    }

    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    atomic_store(&running, thread_count);
    for (unsigned i = 0; i < thread_count; i++) {
        workers[i].id = i;
        workers[i].rng = seed * 0x9E3779B97F4A7C15ULL + i + 1u;
        if (pthread_create(&workers[i].thread, NULL, work, &workers[i]) != 0) {
            fprintf(stderr, "stress: cannot start thread %u\n", i);
            return 2;
        }
    }
    unsigned long sent = send_signals();
    unsigned long long done = 0, handled = 0;
    for (unsigned i = 0; i < thread_count; i++) {
        pthread_join(workers[i].thread, NULL);
        done += workers[i].ops;
        handled += atomic_load(&workers[i].signals_handled);
    }
    print_pool_usage();
    free_everything();
    uint32_t counted = ledger_count_back();
    double elapsed = seconds_since(&start);

    printf("stress: %llu operations done, %lu signals sent, %llu handled (each allocates and frees)\n", done, sent,
           handled);
    printf("stress: %u blocks claimed and checked through the ledger\n", ledger_claims());
    printf("stress: %u of %u blocks counted back, deep check %s, %.2f s\n", counted, heap->blocks,
           ledger_violations() == 0u ? "passed" : "see below", elapsed);
    ledger_print();
    unsigned long violations = ledger_violations();
    ledger_destroy();
    if (detect_mode) {
        printf("stress: naive-pop control: corruption %s\n", violations != 0u ? "DETECTED" : "NOT detected");
        return violations != 0u ? 0 : 1;
    }
    return violations == 0u && counted == heap->blocks ? 0 : 1;
}
