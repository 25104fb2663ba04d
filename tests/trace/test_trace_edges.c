/* The trace API at its limits (issue 17): which ops carry callers, a frame
 * list longer than a record takes, a map path longer than allowed, ring
 * capacities out of range, a file sink that cannot open its file, and a
 * sink bound to one heap while another one runs. */
#include <stdint.h>
#include <string.h>

#include "harness.h"
#include "poolheap.h"
#include "poolheap/trace.h"

static void only_allocations_and_failures_carry_callers(void) {
    CHECK_EQ(poolheap_trace_op_has_callers(0u), 0);
    CHECK_EQ(poolheap_trace_op_has_callers(POOLHEAP_TRACE_ALLOC), 1);
    CHECK_EQ(poolheap_trace_op_has_callers(POOLHEAP_TRACE_REALLOC | POOLHEAP_TRACE_FALLBACK), 1);
    CHECK_EQ(poolheap_trace_op_has_callers(POOLHEAP_TRACE_FREE), 0);
    CHECK_EQ(poolheap_trace_op_has_callers(POOLHEAP_TRACE_FAIL), 1);
    CHECK_EQ(poolheap_trace_op_has_callers(POOLHEAP_TRACE_MAP), 0);
}

/* An op the format does not have (0, MAP, which only the recorder writes
 * with its own encoder, the largest the mask lets through) becomes a
 * DROPPED record of count 0, fallback flag and operands dropped, timestamp
 * kept. */
static void an_unknown_op_encodes_as_dropped_nothing(void) {
    static const unsigned unknown[] = {0u, POOLHEAP_TRACE_MAP, POOLHEAP_TRACE_OP_MASK | POOLHEAP_TRACE_FALLBACK};
    for (size_t i = 0u; i < sizeof unknown / sizeof unknown[0]; i++) {
        uint8_t out[POOLHEAP_TRACE_RECORD_MAX];
        memset(out, 0xa5, sizeof out);
        CHECK_EQ(poolheap_trace_encode(out, unknown[i], 300u, 16u, 0x1000u, 0x2000u, 0, 0u), 2u);
        CHECK_EQ(out[0], POOLHEAP_TRACE_DROPPED);
        CHECK_EQ(out[1], 0u);
        CHECK_EQ(out[2], 0xa5);
        CHECK_EQ(poolheap_trace_encode(out, unknown[i], 300u, 16u, 0x1000u, 0x2000u, 1, 5u), 3u);
        CHECK_EQ(out[0], POOLHEAP_TRACE_DROPPED | POOLHEAP_TRACE_TIMESTAMP);
        CHECK_EQ(out[1], 0u);
        CHECK_EQ(out[2], 5u);
    }
}

/* More frames than POOLHEAP_TRACE_FRAMES_MAX: the first that many are kept. */
static void frames_beyond_the_maximum_are_cut(void) {
    uint64_t frames[POOLHEAP_TRACE_FRAMES_MAX + 5u];
    for (unsigned i = 0u; i < POOLHEAP_TRACE_FRAMES_MAX + 5u; i++) {
        frames[i] = 0x1000u + i;
    }
    uint8_t cut[16u * (POOLHEAP_TRACE_FRAMES_MAX + 6u)], exact[sizeof cut];
    size_t n = poolheap_trace_encode_frames(cut, frames, POOLHEAP_TRACE_FRAMES_MAX + 5u);
    CHECK_EQ(n, poolheap_trace_encode_frames(exact, frames, POOLHEAP_TRACE_FRAMES_MAX));
    CHECK_EQ(cut[0], POOLHEAP_TRACE_FRAMES_MAX);
    CHECK(memcmp(cut, exact, n) == 0);
}

static void a_map_path_beyond_the_maximum_is_refused(void) {
    static char path[POOLHEAP_TRACE_PATH_MAX + 1u];
    static uint8_t out[POOLHEAP_TRACE_PATH_MAX + 64u];
    memset(path, 'a', sizeof path);
    CHECK_EQ(poolheap_trace_encode_map(out, 0x1000u, 0x100u, 0u, path, POOLHEAP_TRACE_PATH_MAX + 1u), 0u);
    CHECK(poolheap_trace_encode_map(out, 0x1000u, 0x100u, 0u, path, POOLHEAP_TRACE_PATH_MAX) > POOLHEAP_TRACE_PATH_MAX);
}

/* Out-of-range capacities are refused before the buffer is touched. */
static void ring_capacities_out_of_range_are_refused(void) {
    poolheap_trace_ring_t ring;
    uint8_t buffer[64];
    memset(buffer, 0xa5, sizeof buffer);
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, 32u, NULL), -1);
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, 96u, NULL), -1);
    CHECK_EQ(poolheap_trace_ring_start(&ring, buffer, 1u << 31, NULL), -1);
    CHECK_EQ(buffer[0], 0xa5);
}

static void a_file_sink_without_its_directory_fails(void) {
    poolheap_trace_file_t file;
    CHECK_EQ(poolheap_trace_file_open(&file, "no-such-directory/trace.bin", NULL), -1);
}

static size_t bytes_written;

static void count_bytes(void *context, const uint8_t *bytes, size_t length) {
    (void)context;
    (void)bytes;
    bytes_written += length;
}

/* A sink bound to heap a hears nothing of heap b. */
static void a_sink_bound_to_one_heap_ignores_the_others(void) {
    static const poolheap_pool_config_t pools[] = {{16u, 4u}};
    static _Alignas(64) unsigned char region_a[256], region_b[256];
    static poolheap_runtime_t runtime_a, runtime_b;
    const poolheap_t *a = poolheap_create(&runtime_a, region_a, sizeof region_a, pools, 1u, 0u, NULL, "a");
    const poolheap_t *b = poolheap_create(&runtime_b, region_b, sizeof region_b, pools, 1u, 0u, NULL, "b");
    CHECK(a != NULL && b != NULL);
    poolheap_trace_sink_t sink = {count_bytes, NULL, NULL, a};
    poolheap_trace_start(&sink);
    size_t header = bytes_written;
    CHECK(header > 0u);
    poolheap_free(b, poolheap_alloc(b, 8u));
    CHECK_EQ(bytes_written, header);
    poolheap_free(a, poolheap_alloc(a, 8u));
    CHECK(bytes_written > header);
    poolheap_trace_start(NULL);
}

int main(void) {
    RUN(only_allocations_and_failures_carry_callers);
    RUN(an_unknown_op_encodes_as_dropped_nothing);
    RUN(frames_beyond_the_maximum_are_cut);
    RUN(a_map_path_beyond_the_maximum_is_refused);
    RUN(ring_capacities_out_of_range_are_refused);
    RUN(a_file_sink_without_its_directory_fails);
    RUN(a_sink_bound_to_one_heap_ignores_the_others);
    return test_summary();
}
