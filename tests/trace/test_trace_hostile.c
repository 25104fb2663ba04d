/* Hostile input to the trace reader (issue 12), generated here: addresses
 * chosen to collide in a hash map with a fixed hash (the reader's old one),
 * a directory, a pipe, and dropped-record counts that overflow a sum. A
 * reader gone quadratic on the colliding addresses runs into the test's
 * time limit (a million events take minutes instead of a fraction of a
 * second). */
#define _POSIX_C_SOURCE 200809L

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "poolheap/trace.h"
#include "trace/trace_reader.h"

/* A trace being written in memory. */
typedef struct bytes {
    uint8_t *data;
    size_t length, capacity;
} bytes_t;

static void append_record(bytes_t *b, unsigned op, uint64_t size, uint64_t address) {
    if (b->length + POOLHEAP_TRACE_RECORD_MAX > b->capacity) {
        b->capacity = 2u * b->capacity + 4096u;
        b->data = realloc(b->data, b->capacity);
    }
    if (b->length == 0u) {
        poolheap_trace_encode_header(b->data, 0u);
        b->length = POOLHEAP_TRACE_HEADER_SIZE;
    }
    b->length += poolheap_trace_encode(b->data + b->length, op, size, 0u, address, 0u, 0, 0u);
}

/* The inverse of an odd number modulo 2^64 (Newton's iteration). */
static uint64_t inverse_mod_2_64(uint64_t odd) {
    uint64_t x = odd;
    for (int i = 0; i < 6; i++) {
        x *= 2u - odd * x;
    }
    return x;
}

enum { LIVE = 500000 }; /* a million events */

/* Address i * K^-1 times the Fibonacci constant K is i: below 2^32, so
 * (address * K) >> 32 is 0 for all of them, the home slot of every one of
 * them under the reader's former hash. All live at once, then freed. */
static void addresses_made_to_collide_are_read_in_linear_time(void) {
    uint64_t inverse = inverse_mod_2_64(UINT64_C(0x9E3779B97F4A7C15));
    bytes_t b = {0};
    for (uint64_t i = 1; i <= LIVE; i++) {
        append_record(&b, POOLHEAP_TRACE_ALLOC, i % 1000u + 1u, i * inverse);
    }
    for (uint64_t i = LIVE; i >= 1; i--) {
        append_record(&b, POOLHEAP_TRACE_FREE, 0u, i * inverse);
    }
    ph_trace_t trace;
    char error[256] = "";
    CHECK_EQ(ph_trace_decode(b.data, b.length, "collide", &trace, error, sizeof error), 0);
    CHECK_EQ(trace.count, 2u * LIVE);
    CHECK_EQ(trace.objects, LIVE);
    if (trace.count == 2u * LIVE) {
        CHECK_EQ(trace.events[2u * LIVE - 1u].kind, PH_EVENT_FREE);
        CHECK_EQ(trace.events[2u * LIVE - 1u].object, 0u); /* the first allocated is freed last */
        CHECK_EQ(trace.events[2u * LIVE - 1u].size, 2u);
    }
    ph_trace_free(&trace);
    free(b.data);
}

static void a_directory_is_named_as_one(void) {
    ph_trace_t trace;
    char error[256];
    CHECK_EQ(ph_trace_read("/", &trace, error, sizeof error), -1);
    CHECK(strcmp(error, "/: Is a directory") == 0);
    CHECK_EQ(trace.count, 0u);
}

/* A trace larger than a pipe's buffer, written by a child process into a
 * pipe that is this process's standard input: "-" and /dev/stdin. */
static void a_trace_is_read_from_a_pipe(const char *path) {
    bytes_t b = {0};
    for (uint64_t i = 1; i <= 30000; i++) {
        append_record(&b, POOLHEAP_TRACE_ALLOC, 24u, 0x10000u + 32u * i);
    }
    int fds[2];
    CHECK(pipe(fds) == 0);
    pid_t writer = fork();
    if (writer == 0) {
        close(fds[0]);
        size_t done = 0;
        while (done < b.length) {
            ssize_t n = write(fds[1], b.data + done, b.length - done);
            if (n <= 0) {
                _exit(1);
            }
            done += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    int saved = dup(STDIN_FILENO);
    dup2(fds[0], STDIN_FILENO);
    close(fds[0]);
    ph_trace_t trace;
    char error[256] = "";
    CHECK_EQ(ph_trace_read(path, &trace, error, sizeof error), 0);
    CHECK_EQ(trace.count, 30000u);
    ph_trace_free(&trace);
    dup2(saved, STDIN_FILENO);
    close(saved);
    clearerr(stdin);
    int status = -1;
    waitpid(writer, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(b.data);
}

static void a_trace_is_read_from_a_pipe_as_dash(void) {
    a_trace_is_read_from_a_pipe("-");
}

static void a_trace_is_read_from_a_pipe_as_dev_stdin(void) {
    a_trace_is_read_from_a_pipe("/dev/stdin");
}

static void the_dropped_count_saturates(void) {
    bytes_t b = {0};
    append_record(&b, POOLHEAP_TRACE_DROPPED, UINT64_C(1) << 63, 0u);
    append_record(&b, POOLHEAP_TRACE_DROPPED, UINT64_C(1) << 63, 0u);
    append_record(&b, POOLHEAP_TRACE_DROPPED, 5u, 0u);
    ph_trace_t trace;
    char error[256] = "";
    CHECK_EQ(ph_trace_decode(b.data, b.length, "dropped", &trace, error, sizeof error), 0);
    CHECK_EQ(trace.dropped, UINT64_MAX);
    ph_trace_free(&trace);
    free(b.data);
}

int main(void) {
    RUN(addresses_made_to_collide_are_read_in_linear_time);
    RUN(a_directory_is_named_as_one);
    RUN(a_trace_is_read_from_a_pipe_as_dash);
    RUN(a_trace_is_read_from_a_pipe_as_dev_stdin);
    RUN(the_dropped_count_saturates);
    return test_summary();
}
