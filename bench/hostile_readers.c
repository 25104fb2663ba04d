/* Worst cases of the host tools' readers (issue 12): how long each takes on
 * input written to make it slow. Prints CPU seconds per case; the target is
 * under 2 s for a million keys or events on one core.
 *
 *   toml: N keys in one table; a dotted key and a header 300,000 parts
 *         deep (refused at the nesting limit: the time is the reading);
 *   trace: N live allocations whose addresses all share one home slot
 *          under the reader's former fixed hash (Fibonacci multiply, top
 *          32 bits), then their frees; and N allocations 16 bytes apart.
 *
 * Usage: bench_hostile_readers [N]   (default 1000000) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "poolheap/trace.h"
#include "toml/toml.h"
#include "trace/trace_reader.h"

static double cpu_seconds(void) {
    return (double)clock() / CLOCKS_PER_SEC;
}

/* A growing buffer of bytes. */
typedef struct buffer {
    char *data;
    size_t length, capacity;
} buffer_t;

static void add(buffer_t *b, const void *bytes, size_t n) {
    if (b->length + n > b->capacity) {
        b->capacity = 2u * (b->length + n);
        b->data = realloc(b->data, b->capacity);
        if (b->data == NULL) {
            fputs("bench_hostile_readers: out of memory\n", stderr);
            exit(1);
        }
    }
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
}

static void add_text(buffer_t *b, const char *text) {
    add(b, text, strlen(text));
}

static void time_toml(const char *what, const buffer_t *b) {
    toml_error_t error;
    double start = cpu_seconds();
    toml_value_t *root = toml_parse(b->data, b->length, &error);
    double seconds = cpu_seconds() - start;
    printf("toml   %-44s %9zu bytes %7.3f s  %s\n", what, b->length, seconds, root != NULL ? "parsed" : error.message);
    toml_free(root);
}

static void add_record(buffer_t *b, unsigned op, uint64_t size, uint64_t address) {
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    add(b, record, poolheap_trace_encode(record, op, size, 0u, address, 0u, 0, 0u));
}

static void time_trace(const char *what, const buffer_t *b) {
    ph_trace_t trace;
    char error[256];
    double start = cpu_seconds();
    int result = ph_trace_decode((const uint8_t *)b->data, b->length, what, &trace, error, sizeof error);
    double seconds = cpu_seconds() - start;
    printf("trace  %-44s %9zu events %6.3f s  %s\n", what, trace.count, seconds, result == 0 ? "read" : error);
    ph_trace_free(&trace);
}

static buffer_t trace_start(void) {
    buffer_t b = {0};
    uint8_t header[POOLHEAP_TRACE_HEADER_SIZE];
    poolheap_trace_encode_header(header, 0u);
    add(&b, header, sizeof header);
    return b;
}

int main(int argc, char **argv) {
    size_t n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000u;
    char line[64], what[64];

    buffer_t keys = {0};
    for (size_t i = 0; i < n; i++) {
        snprintf(line, sizeof line, "key%zu = %zu\n", i, i);
        add_text(&keys, line);
    }
    snprintf(what, sizeof what, "%zu keys in one table", n);
    time_toml(what, &keys);
    free(keys.data);

    buffer_t dotted = {0}, header = {0};
    add_text(&dotted, "k");
    add_text(&header, "[k");
    for (int i = 0; i < 300000; i++) {
        add_text(&dotted, ".k");
        add_text(&header, ".k");
    }
    add_text(&dotted, " = 1\n");
    add_text(&header, "]\n");
    time_toml("dotted key 300000 parts deep", &dotted);
    time_toml("table header 300000 parts deep", &header);
    free(dotted.data);
    free(header.data);

    uint64_t inverse = 0x9E3779B97F4A7C15u; /* its inverse modulo 2^64, by Newton's iteration */
    for (int i = 0; i < 6; i++) {
        inverse *= 2u - 0x9E3779B97F4A7C15u * inverse;
    }
    buffer_t collide = trace_start(), spread = trace_start();
    for (uint64_t i = 1; i <= n / 2u; i++) {
        add_record(&collide, POOLHEAP_TRACE_ALLOC, 64u, i * inverse);
        add_record(&spread, POOLHEAP_TRACE_ALLOC, 64u, 0x10000000u + 16u * i);
    }
    for (uint64_t i = 1; i <= n / 2u; i++) {
        add_record(&collide, POOLHEAP_TRACE_FREE, 0u, i * inverse);
        add_record(&spread, POOLHEAP_TRACE_FREE, 0u, 0x10000000u + 16u * i);
    }
    time_trace("addresses colliding under a fixed hash", &collide);
    time_trace("addresses 16 bytes apart", &spread);
    free(collide.data);
    free(spread.data);
    return 0;
}
