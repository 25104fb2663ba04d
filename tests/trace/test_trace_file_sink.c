/* The file sink when its file is a pipe (issue 17): a write blocked on a
 * full pipe and interrupted by a signal (EINTR) is made again, so the record
 * arrives whole once the reader drains; a pipe whose reader is gone refuses
 * every write, and the heap goes on without its records. Linux: the test
 * waits for the blocked write in /proc/<pid>/task/<tid>/syscall. */
#define _GNU_SOURCE /* gettid's system call number, pthread_kill */

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "poolheap.h"
#include "poolheap/trace.h"

#define FIFO_PATH "test_trace_file_sink.fifo"

static const poolheap_pool_config_t test_pools[] = {{16u, 4u}};
static _Alignas(64) unsigned char region[256];
static poolheap_runtime_t runtime;

static void sleep_ms(long ms) {
    struct timespec pause = {0, ms * 1000000L};
    nanosleep(&pause, NULL);
}

/* Writes into the pipe without blocking until it is full; returns the bytes
 * written. */
static size_t fill_pipe(int fd) {
    static const uint8_t zeros[4096];
    size_t total = 0u;
    for (size_t chunk = sizeof zeros; chunk > 0u; chunk /= 2u) {
        ssize_t n;
        while ((n = write(fd, zeros, chunk)) > 0) {
            total += (size_t)n;
        }
    }
    return total;
}

/* 1 once thread `tid` sits in write(2) on `fd` (the first two fields of its
 * syscall file: the call's number and first argument); 0 after `ms`
 * milliseconds without. */
static int wait_blocked_in_write(pid_t tid, int fd, long ms) {
    char path[64], text[256], expected[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/syscall", (long)tid);
    snprintf(expected, sizeof expected, "%ld 0x%x ", (long)SYS_write, (unsigned)fd);
    for (long waited = 0; waited < ms; waited++) {
        FILE *f = fopen(path, "r");
        if (f == NULL) {
            return 0;
        }
        size_t n = fread(text, 1u, sizeof text - 1u, f);
        fclose(f);
        text[n] = '\0';
        if (strncmp(text, expected, strlen(expected)) == 0) {
            return 1;
        }
        sleep_ms(1);
    }
    return 0;
}

/* Atomic: the handler runs on the writer, the unblocking thread reads it. */
static atomic_int signals_handled;

static void on_signal(int signal) {
    (void)signal;
    atomic_fetch_add(&signals_handled, 1);
}

/* What the unblocking thread does and finds. */
typedef struct unblocker {
    pthread_t writer;
    pid_t writer_tid;
    int sink_fd, reader;
    size_t filler;
    int blocked_before, blocked_after;
    uint8_t tail[256]; /* what came after the filler */
    size_t tail_length;
} unblocker_t;

/* Waits for the writer to block, interrupts it with SIGUSR1, waits for it
 * to block again, then drains the pipe until the writer's record is out. */
static void *unblock(void *arg) {
    unblocker_t *u = arg;
    u->blocked_before = wait_blocked_in_write(u->writer_tid, u->sink_fd, 5000);
    pthread_kill(u->writer, SIGUSR1);
    while (atomic_load(&signals_handled) == 0) {
        sleep_ms(1);
    }
    u->blocked_after = wait_blocked_in_write(u->writer_tid, u->sink_fd, 1000);
    static uint8_t buffer[4096];
    size_t skipped = 0u;
    for (int idle = 0; idle < 200; idle++) { /* 200 ms without data: the writer is done */
        ssize_t n = read(u->reader, buffer, sizeof buffer);
        if (n <= 0) {
            sleep_ms(1);
            continue;
        }
        idle = 0;
        for (ssize_t i = 0; i < n; i++) {
            if (skipped < u->filler) {
                skipped++;
            } else if (u->tail_length < sizeof u->tail) {
                u->tail[u->tail_length++] = buffer[i];
            }
        }
    }
    return NULL;
}

/* A new FIFO, its reader (returned, non-blocking) and the sink writing to
 * it: the sink's open needs a reader, or it would wait for one. */
static int open_fifo_sink(poolheap_trace_file_t *file) {
    unlink(FIFO_PATH);
    CHECK_EQ(mkfifo(FIFO_PATH, 0600), 0);
    int reader = open(FIFO_PATH, O_RDONLY | O_NONBLOCK);
    CHECK(reader >= 0);
    CHECK_EQ(poolheap_trace_file_open(file, FIFO_PATH, NULL), 0);
    return reader;
}

static void a_write_interrupted_by_a_signal_is_made_again(void) {
    poolheap_trace_file_t file;
    int reader = open_fifo_sink(&file);
    uint8_t header[POOLHEAP_TRACE_HEADER_SIZE];
    CHECK_EQ(read(reader, header, sizeof header), (ssize_t)sizeof header);
    int filler = open(FIFO_PATH, O_WRONLY | O_NONBLOCK);
    CHECK(filler >= 0);

    struct sigaction action = {0};
    action.sa_handler = on_signal; /* no SA_RESTART: the blocked write fails with EINTR */
    sigemptyset(&action.sa_mask);
    CHECK_EQ(sigaction(SIGUSR1, &action, NULL), 0);
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, test_pools, 1u, 0u, NULL, "fifo");
    static unblocker_t u;
    u.writer = pthread_self();
    u.writer_tid = (pid_t)syscall(SYS_gettid);
    u.sink_fd = file.fd;
    u.reader = reader;
    u.filler = fill_pipe(filler);
    CHECK(u.filler > 0u);
    pthread_t thread;
    CHECK_EQ(pthread_create(&thread, NULL, unblock, &u), 0);
    void *block = poolheap_alloc(heap, 8u); /* its record blocks on the full pipe */
    pthread_join(thread, NULL);

    CHECK(block != NULL);
    CHECK_EQ(u.blocked_before, 1);
    CHECK_EQ(atomic_load(&signals_handled), 1);
    CHECK_EQ(u.blocked_after, 1);
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t length = poolheap_trace_encode(record, POOLHEAP_TRACE_ALLOC, 8u, 0u, (uintptr_t)block, 0u, 0, 0u);
    CHECK_EQ(u.tail_length, length);
    CHECK(memcmp(u.tail, record, length) == 0);

    CHECK_EQ(poolheap_trace_file_close(&file), 0);
    signal(SIGUSR1, SIG_DFL);
    close(filler);
    close(reader);
    unlink(FIFO_PATH);
}

/* Every write fails with EPIPE (SIGPIPE ignored, as a program writing to
 * pipes does): the records are lost, the operations are not. */
static void a_pipe_without_its_reader_loses_records_not_blocks(void) {
    poolheap_trace_file_t file;
    close(open_fifo_sink(&file));
    signal(SIGPIPE, SIG_IGN);
    CHECK_EQ(write(file.fd, "x", 1u), -1);
    CHECK_EQ(errno, EPIPE);
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, test_pools, 1u, 0u, NULL, "fifo");
    void *blocks[4];
    for (int i = 0; i < 4; i++) {
        blocks[i] = poolheap_alloc(heap, 16u);
        CHECK(blocks[i] != NULL);
    }
    CHECK(poolheap_alloc(heap, 16u) == NULL);
    for (int i = 0; i < 4; i++) {
        poolheap_free(heap, blocks[i]);
    }
    CHECK_EQ(poolheap_deep_check(heap), 0u);
    CHECK_EQ(poolheap_trace_file_close(&file), 0);
    signal(SIGPIPE, SIG_DFL);
    unlink(FIFO_PATH);
}

int main(void) {
    RUN(a_write_interrupted_by_a_signal_is_made_again);
    RUN(a_pipe_without_its_reader_loses_records_not_blocks);
    return test_summary();
}
