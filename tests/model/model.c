#include "model.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- Reporting --------------------------------------------------------- */

static int model_fail(const model_t *m, const char *format, ...) {
    va_list args;
    va_start(args, format);
    fprintf(stderr, "model: after %llu operations: ", (unsigned long long)m->ops);
    vfprintf(stderr, format, args);
    fputc('\n', stderr);
    va_end(args);
    return 1;
}

/* The hooks only count: the model predicts how many calls each operation
 * makes, and of what kind. */
typedef struct hook_counts {
    unsigned oom;
    unsigned errors;
    poolheap_error_t last_error;
} hook_counts_t;

static void count_oom(const poolheap_t *heap, size_t size, size_t align, void *context) {
    (void)heap, (void)size, (void)align;
    ((hook_counts_t *)context)->oom++;
}

static void count_error(const poolheap_t *heap, poolheap_error_t error, const void *pointer, void *context) {
    (void)heap, (void)pointer;
    ((hook_counts_t *)context)->errors++;
    ((hook_counts_t *)context)->last_error = error;
}

static hook_counts_t *model_hooks(const model_t *m) {
    return m->heap->state->hook_context;
}

/* ---- Expectations ------------------------------------------------------ */

static uint32_t lowbit(uint32_t x) {
    return x & (0u - x);
}

/* The exact requested bytes are kept only by the debug configuration. */
static int model_exact_requested(const model_t *m) {
    return POOLHEAP_DEBUG && m->heap->requested != NULL;
}

/* The pool that must serve (size, align), or pool_count if none may;
 * *first is the first choice (smallest pool that fits and is aligned
 * enough), where a failure is counted. A linear scan over the model's own
 * counts: a pool has a free block iff in_use < capacity. */
static uint32_t expect_pool(const model_t *m, size_t size, size_t align, uint32_t *first) {
    uint32_t n = m->heap->pool_count;
    *first = n;
    for (uint32_t i = 0; i < n; i++) {
        const poolheap_pool_stats_t *p = &m->pools[i];
        if (p->block < size || lowbit(p->block) < align) {
            continue;
        }
        if (*first == n) {
            *first = i;
        }
        if (p->in_use < p->capacity) {
            return i;
        }
        if (m->heap->flags & POOLHEAP_NO_FALLBACK) {
            break;
        }
    }
    return n;
}

static void expect_taken(model_t *m, uint32_t pool, uint32_t first, size_t size) {
    poolheap_pool_stats_t *p = &m->pools[pool];
    p->in_use++;
    p->peak = p->in_use > p->peak ? p->in_use : p->peak;
    p->fallbacks += pool != first;
    m->stats.bytes_in_use += p->block;
    if (POOLHEAP_DEBUG) { /* counted in the debug configuration only */
        m->stats.bytes_peak = m->stats.bytes_in_use > m->stats.bytes_peak ? m->stats.bytes_in_use : m->stats.bytes_peak;
    }
    if (model_exact_requested(m)) {
        m->stats.requested_in_use += (uint32_t)size;
        if (m->stats.requested_in_use > m->stats.requested_peak) {
            m->stats.requested_peak = m->stats.requested_in_use;
        }
    }
}

static void expect_released(model_t *m, uint32_t pool, size_t size) {
    m->pools[pool].in_use--;
    m->stats.bytes_in_use -= m->pools[pool].block;
    if (model_exact_requested(m)) {
        m->stats.requested_in_use -= (uint32_t)size;
    }
}

static void expect_oom(model_t *m, uint32_t first, hook_counts_t *expected) {
    m->stats.failures++;
    if (first < m->heap->pool_count) {
        m->pools[first].oom++;
    }
    expected->oom++;
}

static void expect_rejected(model_t *m, int failure, poolheap_error_t error, hook_counts_t *expected) {
    m->stats.failures += (uint32_t)failure;
    m->stats.rejected++;
    expected->errors++;
    expected->last_error = error;
}

/* ---- Blocks ------------------------------------------------------------ */

static uint8_t pattern_byte(uint8_t pattern, size_t k) {
    return (uint8_t)(pattern ^ (k * 151u) ^ (k >> 8));
}

static void fill(unsigned char *bytes, uint8_t pattern, size_t from, size_t to) {
    for (size_t k = from; k < to; k++) {
        bytes[k] = pattern_byte(pattern, k);
    }
}

static int holds_pattern(const unsigned char *bytes, uint8_t pattern, size_t n) {
    for (size_t k = 0; k < n; k++) {
        if (bytes[k] != pattern_byte(pattern, k)) {
            return 0;
        }
    }
    return 1;
}

/* Index of `p` in the whole heap if it is a block boundary of `pool`,
 * else UINT32_MAX. */
static uint32_t block_number(const model_t *m, uint32_t pool, const unsigned char *p) {
    const poolheap_pool_t *desc = &m->heap->pools[pool];
    const unsigned char *start = desc->start;
    if (p < start || p >= start + (size_t)desc->block * desc->capacity || (size_t)(p - start) % desc->block != 0) {
        return UINT32_MAX;
    }
    return desc->first + (uint32_t)((size_t)(p - start) / desc->block);
}

/* Checks a block just handed out and records it as live. */
static int accept_block(model_t *m, unsigned char *p, uint32_t pool, size_t size, size_t align, int zeroed) {
    uint32_t number = block_number(m, pool, p);
    if (number == UINT32_MAX) {
        return model_fail(m, "%p is not a block of pool %u (block %u)", (void *)p, pool, m->pools[pool].block);
    }
    if ((uintptr_t)p % align != 0u) {
        return model_fail(m, "%p is not aligned to %zu", (void *)p, align);
    }
    if (m->taken[number]) {
        return model_fail(m, "%p handed out while still live", (void *)p);
    }
    for (size_t k = 0; zeroed && k < size; k++) {
        if (p[k] != 0) {
            return model_fail(m, "calloc block %p has byte %zu = %u", (void *)p, k, p[k]);
        }
    }
    m->taken[number] = 1;
    model_block_t *b = &m->live[m->live_count++];
    *b = (model_block_t){p, size, pool, m->next_pattern++};
    fill(p, b->pattern, 0, size);
    return 0;
}

static void forget_block(model_t *m, uint32_t index) {
    model_block_t *b = &m->live[index];
    m->taken[block_number(m, b->pool, b->pointer)] = 0;
    *b = m->live[--m->live_count];
}

static int check_contents(const model_t *m, const model_block_t *b, size_t n) {
    if (!holds_pattern(b->pointer, b->pattern, n)) {
        return model_fail(m, "block %p (%zu bytes, pool %u) lost its contents", (void *)b->pointer, b->size, b->pool);
    }
    return 0;
}

/* ---- Comparing with the heap ------------------------------------------- */

static int compare_pool(const model_t *m, uint32_t i) {
    poolheap_pool_stats_t real;
    poolheap_pool_stats(m->heap, i, &real);
    const poolheap_pool_stats_t *e = &m->pools[i];
    if (memcmp(&real, e, sizeof real) != 0) {
        return model_fail(m, "pool %u (block %u): in_use %u/%u peak %u/%u fallbacks %u/%u oom %u/%u (heap/model)", i,
                          e->block, real.in_use, e->in_use, real.peak, e->peak, real.fallbacks, e->fallbacks, real.oom,
                          e->oom);
    }
    return 0;
}

static int compare_stats(const model_t *m, const hook_counts_t *expected) {
    poolheap_stats_t real;
    poolheap_stats(m->heap, &real);
    const poolheap_stats_t *e = &m->stats;
    if (memcmp(&real, e, sizeof real) != 0) {
        return model_fail(m,
                          "heap: failures %u/%u rejected %u/%u bytes %u/%u peak %u/%u requested %u/%u "
                          "peak %u/%u (heap/model)",
                          real.failures, e->failures, real.rejected, e->rejected, real.bytes_in_use, e->bytes_in_use,
                          real.bytes_peak, e->bytes_peak, real.requested_in_use, e->requested_in_use,
                          real.requested_peak, e->requested_peak);
    }
    const hook_counts_t *seen = model_hooks(m);
    if (seen->oom != expected->oom || seen->errors != expected->errors ||
        (expected->errors != 0u && seen->last_error != expected->last_error)) {
        return model_fail(m, "hooks: oom %u/%u, errors %u/%u, last error %d/%d (heap/model)", seen->oom, expected->oom,
                          seen->errors, expected->errors, (int)seen->last_error, (int)expected->last_error);
    }
    return 0;
}

/* ---- Operations -------------------------------------------------------- */

static int is_power_of_two(size_t x) {
    return x != 0u && (x & (x - 1u)) == 0u;
}

/* alloc, aligned and calloc: one path, differing in alignment and zeroing. */
static int apply_allocation(model_t *m, const model_op_t *op, hook_counts_t *expected) {
    size_t size = op->size, align = 1u;
    unsigned char *p;
    if (op->kind == MODEL_CALLOC) {
        if (op->size != 0u && op->count > SIZE_MAX / op->size) {
            expect_rejected(m, 1, POOLHEAP_ERR_OVERFLOW, expected);
            p = poolheap_calloc(m->heap, op->count, op->size);
            return p == NULL
                       ? 0
                       : model_fail(m, "calloc(%zu, %zu) overflowed but returned %p", op->count, op->size, (void *)p);
        }
        size = op->count * op->size;
    } else if (op->kind == MODEL_ALIGNED) {
        align = op->align;
        if (!is_power_of_two(align)) {
            expect_rejected(m, 1, POOLHEAP_ERR_BAD_ALIGNMENT, expected);
            p = poolheap_alloc_aligned(m->heap, size, align);
            return p == NULL ? 0 : model_fail(m, "alignment %zu accepted", align);
        }
    }
    uint32_t first, pool = expect_pool(m, size, align, &first);
    p = op->kind == MODEL_ALLOC     ? poolheap_alloc(m->heap, size)
        : op->kind == MODEL_ALIGNED ? poolheap_alloc_aligned(m->heap, size, align)
                                    : poolheap_calloc(m->heap, op->count, op->size);
    if (pool == m->heap->pool_count) {
        expect_oom(m, first, expected);
        return p == NULL
                   ? 0
                   : model_fail(m, "size %zu align %zu served (%p), model says no pool can", size, align, (void *)p);
    }
    if (p == NULL) {
        return model_fail(m, "size %zu align %zu failed, model expects pool %u", size, align, pool);
    }
    expect_taken(m, pool, first, size);
    return accept_block(m, p, pool, size, align, op->kind == MODEL_CALLOC);
}

static int apply_realloc(model_t *m, const model_op_t *op, hook_counts_t *expected) {
    if (m->live_count == 0u) {
        model_op_t alloc = {MODEL_ALLOC, op->size, 0u, 1u, 0u};
        return apply_allocation(m, &alloc, expected);
    }
    uint32_t index = op->pick % m->live_count;
    model_block_t *b = &m->live[index];
    model_block_t old = *b;
    size_t kept = op->size < old.size ? op->size : old.size;
    uint32_t block = m->pools[old.pool].block;
    if (op->size == 0u) {
        expect_released(m, old.pool, old.size);
        forget_block(m, index);
        void *r = poolheap_realloc(m->heap, old.pointer, 0);
        return r == NULL ? 0 : model_fail(m, "realloc(%p, 0) returned %p", (void *)old.pointer, r);
    }
    if (op->size <= block) {
        if (model_exact_requested(m)) {
            m->stats.requested_in_use += (uint32_t)op->size - (uint32_t)old.size;
            if (m->stats.requested_in_use > m->stats.requested_peak) {
                m->stats.requested_peak = m->stats.requested_in_use;
            }
        }
        void *r = poolheap_realloc(m->heap, old.pointer, op->size);
        if (r != old.pointer) {
            return model_fail(m, "realloc(%p, %zu) within block %u moved to %p", (void *)old.pointer, op->size, block,
                              r);
        }
        b->size = op->size;
        fill(b->pointer, b->pattern, kept, op->size);
        return check_contents(m, b, kept);
    }
    uint32_t first, pool = expect_pool(m, op->size, 1u, &first);
    unsigned char *r = poolheap_realloc(m->heap, old.pointer, op->size);
    if (pool == m->heap->pool_count) {
        expect_oom(m, first, expected);
        if (r != NULL) {
            return model_fail(m, "realloc to %zu served (%p), model says no pool can", op->size, (void *)r);
        }
        return check_contents(m, b, old.size); /* the old block stays the caller's, intact */
    }
    if (r == NULL) {
        return model_fail(m, "realloc to %zu failed, model expects pool %u", op->size, pool);
    }
    /* The new block is taken while the old one is still live, then the old
     * one is released: the peaks see both. */
    expect_taken(m, pool, first, op->size);
    expect_released(m, old.pool, old.size);
    if (!holds_pattern(r, old.pattern, kept)) {
        return model_fail(m, "realloc moved %p to %p without its contents", (void *)old.pointer, (void *)r);
    }
    forget_block(m, index);
    return accept_block(m, r, pool, op->size, 1u, 0);
}

static int apply_free(model_t *m, const model_op_t *op) {
    if (m->live_count == 0u) {
        poolheap_free(m->heap, NULL);
        return 0;
    }
    uint32_t index = op->pick % m->live_count;
    model_block_t *b = &m->live[index];
    if (check_contents(m, b, b->size)) {
        return 1;
    }
    expect_released(m, b->pool, b->size);
    void *p = b->pointer;
    forget_block(m, index);
    poolheap_free(m->heap, p);
    return 0;
}

/* A block of `pool` that is not live but has been handed out before (on a
 * free list), or NULL. */
static unsigned char *a_freed_block(const model_t *m, uint32_t pool) {
    const poolheap_pool_t *desc = &m->heap->pools[pool];
    for (uint32_t k = 0; k < m->pools[pool].peak; k++) {
        if (!m->taken[desc->first + k]) {
            return desc->start + (size_t)k * desc->block;
        }
    }
    return NULL;
}

/* A pointer that must be rejected, and the error it must be rejected with. */
static unsigned char *bad_pointer(const model_t *m, uint32_t pick, poolheap_error_t *error) {
    uint32_t pool = (pick >> 4) % m->heap->pool_count;
    const poolheap_pool_t *desc = &m->heap->pools[pool];
    switch (pick % 4u) {
    case 1:
        if (m->live_count != 0u) {
            const model_block_t *b = &m->live[(pick >> 2) % m->live_count];
            *error = POOLHEAP_ERR_MISALIGNED;
            return b->pointer + 1u + (pick >> 8) % (m->pools[b->pool].block - 1u);
        }
        break;
    case 2:
        if (m->pools[pool].peak < desc->capacity) {
            *error = POOLHEAP_ERR_NOT_ALLOCATED;
            return desc->start + (size_t)m->pools[pool].peak * desc->block;
        }
        break;
    case 3: {
        /* Only the debug configuration survives a double free. */
        unsigned char *freed = model_exact_requested(m) ? a_freed_block(m, pool) : NULL;
        if (freed != NULL) {
            *error = POOLHEAP_ERR_DOUBLE_FREE;
            return freed;
        }
        break;
    }
    default:
        break;
    }
    *error = POOLHEAP_ERR_FOREIGN;
    return pick & 1u ? m->heap->base - 8 : m->heap->base + m->heap->span + (pick >> 8) % 64u;
}

static int apply_free_bad(model_t *m, const model_op_t *op, hook_counts_t *expected) {
    poolheap_error_t error;
    unsigned char *p = bad_pointer(m, op->pick, &error);
    expect_rejected(m, 0, error, expected);
    poolheap_free(m->heap, p);
    return 0;
}

int model_apply(model_t *m, const model_op_t *op) {
    hook_counts_t expected = *model_hooks(m);
    int failed;
    m->ops++;
    switch (op->kind) {
    case MODEL_REALLOC:
        failed = apply_realloc(m, op, &expected);
        break;
    case MODEL_FREE:
        failed = apply_free(m, op);
        break;
    case MODEL_FREE_BAD:
        failed = apply_free_bad(m, op, &expected);
        break;
    default:
        failed = apply_allocation(m, op, &expected);
        break;
    }
    if (failed) {
        return 1;
    }
    for (uint32_t i = 0; i < m->heap->pool_count; i++) {
        if (compare_pool(m, i)) {
            return 1;
        }
    }
    return compare_stats(m, &expected);
}

int model_verify_all(model_t *m) {
    unsigned problems = poolheap_deep_check(m->heap);
    if (problems != 0u) {
        return model_fail(m, "deep check found %u problems", problems);
    }
    for (uint32_t i = 0; i < m->live_count; i++) {
        if (check_contents(m, &m->live[i], m->live[i].size)) {
            return 1;
        }
    }
    return 0;
}

int model_drain(model_t *m) {
    while (m->live_count != 0u) {
        model_op_t op = {MODEL_FREE, 0u, 0u, 1u, 0u};
        if (model_apply(m, &op)) {
            return 1;
        }
    }
    if (m->stats.bytes_in_use != 0u) {
        return model_fail(m, "model not empty after freeing every block");
    }
    return model_verify_all(m);
}

int model_init(model_t *m, const poolheap_t *heap) {
    memset(m, 0, sizeof *m);
    m->heap = heap;
    m->live = calloc(heap->blocks, sizeof *m->live);
    m->taken = calloc(heap->blocks, 1u);
    m->pools = calloc(heap->pool_count, sizeof *m->pools);
    hook_counts_t *hooks = calloc(1u, sizeof *hooks);
    if (m->live == NULL || m->taken == NULL || m->pools == NULL || hooks == NULL) {
        free(hooks);
        model_destroy(m);
        return -1;
    }
    for (uint32_t i = 0; i < heap->pool_count; i++) {
        m->pools[i].block = heap->pools[i].block;
        m->pools[i].capacity = heap->pools[i].capacity;
    }
    m->stats.size = heap->size;
    m->stats.span = heap->span;
    m->stats.pool_count = heap->pool_count;
    poolheap_set_hooks(heap, count_oom, count_error, hooks);
    return 0;
}

void model_destroy(model_t *m) {
    if (m->heap != NULL && m->heap->state->hook_context != NULL) {
        free(m->heap->state->hook_context);
        poolheap_set_hooks(m->heap, NULL, NULL, NULL);
    }
    free(m->live);
    free(m->taken);
    free(m->pools);
    memset(m, 0, sizeof *m);
}
