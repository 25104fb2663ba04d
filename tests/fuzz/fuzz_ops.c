/* libFuzzer harness: random operation sequences on a small heap, each
 * checked against the reference model of tests/model (pool choice,
 * fallback, alignment, overlap, contents, statistics, hooks). Any
 * disagreement aborts.
 *
 * Input: one byte of heap flags, then 4 bytes per operation:
 *   kind    the operation (model_op_kind_t, modulo their number)
 *   a, b    the size: a * 2 + b % 2 (0 to 511), or when a is 255 a huge one
 *   c       alignment 2^(c % 10) (bad values above 249), calloc count
 *           1 + c % 8 (overflowing at 255); with b, which live block */
#include <stdint.h>
#include <stdlib.h>

#include "../model/model.h"
#include "poolheap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Small, so a few operations exhaust pools and force fallback. */
static const poolheap_pool_config_t fuzz_pools[] = {{8, 4}, {16, 4}, {24, 2}, {64, 2}, {96, 2}, {256, 1}};
#define FUZZ_POOL_COUNT (sizeof fuzz_pools / sizeof fuzz_pools[0])

static size_t decode_size(uint8_t a, uint8_t b) {
    if (a == 255u) {
        static const size_t huge[] = {SIZE_MAX, SIZE_MAX / 2u, (size_t)UINT32_MAX + 1u, (size_t)UINT32_MAX + 9u};
        return huge[b % 4u];
    }
    return (size_t)a * 2u + b % 2u;
}

static model_op_t decode(const uint8_t *bytes) {
    static const size_t bad_alignments[] = {0, 3, 12, 48, 96, 1000};
    model_op_t op = {(model_op_kind_t)(bytes[0] % MODEL_OP_KINDS), decode_size(bytes[1], bytes[2]), 1u, 1u,
                     (uint32_t)bytes[2] | (uint32_t)bytes[3] << 8};
    uint8_t c = bytes[3];
    op.align = c >= 250u ? bad_alignments[c - 250u] : (size_t)1 << (c % 10u);
    op.count = c == 255u ? SIZE_MAX / 2u : 1u + c % 8u;
    return op;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static poolheap_runtime_t runtime;
    static _Alignas(256) unsigned char region[1024];
    static poolheap_word_t side_table[16];
    if (size == 0u) {
        return 0;
    }
    const poolheap_t *heap = poolheap_create(&runtime, region, sizeof region, fuzz_pools, FUZZ_POOL_COUNT,
                                             data[0] & POOLHEAP_NO_FALLBACK, side_table, "fuzz");
    model_t model;
    if (heap == NULL || model_init(&model, heap) != 0) {
        abort();
    }
    int failed = 0;
    for (size_t at = 1u; at + 4u <= size && !failed; at += 4u) {
        model_op_t op = decode(data + at);
        failed = model_apply(&model, &op);
    }
    failed = failed || model_verify_all(&model) || model_drain(&model);
    model_destroy(&model);
    if (failed) {
        abort();
    }
    return 0;
}
