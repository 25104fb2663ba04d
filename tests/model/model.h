/* A reference model of one heap: it predicts every operation's outcome
 * (which pool serves, fallback or failure, every statistic) from the pool
 * table alone, applies the operation to the real heap, and compares.
 * Shared by the randomized model test and the libFuzzer harness, which
 * differ only in where the operations come from. */
#ifndef POOLHEAP_TEST_MODEL_H
#define POOLHEAP_TEST_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"

typedef enum model_op_kind {
    MODEL_ALLOC,    /* poolheap_alloc(size) */
    MODEL_ALIGNED,  /* poolheap_alloc_aligned(size, align) */
    MODEL_CALLOC,   /* poolheap_calloc(count, size) */
    MODEL_REALLOC,  /* poolheap_realloc(live block `pick`, or NULL if none, size) */
    MODEL_FREE,     /* poolheap_free(live block `pick`), or free(NULL) if none */
    MODEL_FREE_BAD, /* poolheap_free of a pointer derived from `pick` that is not a live block */
    MODEL_OP_KINDS
} model_op_kind_t;

typedef struct model_op {
    model_op_kind_t kind;
    size_t size;
    size_t count; /* calloc only */
    size_t align; /* aligned only */
    uint32_t pick;
} model_op_t;

/* One live allocation as the model knows it. */
typedef struct model_block {
    unsigned char *pointer;
    size_t size;   /* bytes requested, all filled with the block's pattern */
    uint32_t pool; /* the pool it must lie in */
    uint8_t pattern;
} model_block_t;

typedef struct model {
    const poolheap_t *heap;
    model_block_t *live; /* heap->blocks entries; `live_count` used */
    uint32_t live_count;
    unsigned char *taken; /* per block of the heap: 1 if live (overlap check) */
    poolheap_pool_stats_t *pools;
    poolheap_stats_t stats;
    uint8_t next_pattern;
    uint64_t ops; /* operations applied, for messages */
} model_t;

/* Starts a model of `heap`, which must be freshly created and empty. Sets
 * the heap's hooks (the model counts error reports). Returns 0, or -1 if
 * out of memory. */
int model_init(model_t *model, const poolheap_t *heap);
void model_destroy(model_t *model);

/* Applies one operation to the heap and checks the outcome, the returned
 * block (pool, boundary, alignment, no overlap, contents, zeroing) and every
 * statistic against the model. Returns 0, or 1 after printing what differed
 * to stderr. */
int model_apply(model_t *model, const model_op_t *op);

/* The slow checks: the deep check, every live block's contents and every
 * pool's statistics. Returns 0, or 1 after printing what differed. */
int model_verify_all(model_t *model);

/* Frees every live block and checks that the heap is empty. */
int model_drain(model_t *model);

#endif /* POOLHEAP_TEST_MODEL_H */
