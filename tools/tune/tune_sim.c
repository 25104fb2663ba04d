/* The tuner's model of the allocation rules: see tune_sim.h. */
#include "tune_sim.h"

#include <stdlib.h>
#include <string.h>

#define PH_ABSENT 0xFFu

int ph_tune_sim_init(ph_tune_sim_t *sim, const ph_tune_input_t *input) {
    uint32_t objects = 1u;
    size_t ops = 1u;
    for (size_t t = 0u; t < input->trace_count; t++) {
        objects = input->traces[t].objects > objects ? input->traces[t].objects : objects;
        ops += input->traces[t].count;
    }
    memset(sim, 0, sizeof *sim);
    sim->input = input;
    sim->where = malloc(objects);
    sim->focus = calloc(input->trace_count ? input->trace_count : 1u, sizeof *sim->focus);
    sim->focus_ops = malloc(ops * sizeof *sim->focus_ops);
    if (sim->where == NULL || sim->focus == NULL || sim->focus_ops == NULL) {
        ph_tune_sim_free(sim);
        return -1;
    }
    return 0;
}

void ph_tune_sim_free(ph_tune_sim_t *sim) {
    free(sim->where);
    free(sim->focus);
    free(sim->focus_ops);
    sim->where = NULL;
    sim->focus = NULL;
    sim->focus_ops = NULL;
}

/* The model's state for one layout. */
typedef struct ph_sim_heap {
    uint32_t count;
    uint32_t start; /* allocations start at this pool at the earliest */
    uint32_t base;  /* blocks in pools base.. are counted together */
    int no_fallback;
    uint32_t cap[POOLHEAP_MAX_POOLS];
    uint32_t used[POOLHEAP_MAX_POOLS];
    uint32_t peak[POOLHEAP_MAX_POOLS];
    uint32_t above, above_peak;        /* blocks in use in pools base.. now, and at most */
    uint8_t shift[POOLHEAP_MAX_POOLS]; /* log2 of each block's alignment */
    uint8_t *first;                    /* per class: the first pool whose block fits */
    uint32_t *overflow;                /* if not NULL: a request no pool has room for overflows its first
                                          choice, and overflow[p] keeps the most blocks pool p lacked */
} ph_sim_heap_t;

/* Takes a block beyond the capacity of the first pool from `first` whose
 * block is aligned to 1 << shift, as if it had more; PH_ABSENT if none. */
static uint8_t ph_sim_overflow(ph_sim_heap_t *h, uint32_t first, uint8_t shift) {
    for (uint32_t p = first; p < h->count; p++) {
        if (h->shift[p] >= shift) {
            uint32_t used = ++h->used[p];
            h->peak[p] = used > h->peak[p] ? used : h->peak[p];
            h->overflow[p] = used - h->cap[p] > h->overflow[p] ? used - h->cap[p] : h->overflow[p];
            h->above += p >= h->base;
            return (uint8_t)p;
        }
    }
    return PH_ABSENT;
}

/* Takes a block for class `cls` aligned to 1 << shift; returns its pool, or
 * PH_ABSENT if none is free. */
static uint8_t ph_sim_take(ph_sim_heap_t *h, uint16_t cls, uint8_t shift) {
    uint32_t first = h->first[cls] > h->start ? h->first[cls] : h->start;
    for (uint32_t p = first; p < h->count; p++) {
        if (h->shift[p] < shift) {
            continue;
        }
        if (h->used[p] < h->cap[p]) {
            uint32_t used = ++h->used[p];
            h->peak[p] = used > h->peak[p] ? used : h->peak[p];
            h->above += p >= h->base;
            return (uint8_t)p;
        }
        if (h->no_fallback) {
            break;
        }
    }
    return h->overflow != NULL ? ph_sim_overflow(h, first, shift) : PH_ABSENT;
}

static void ph_sim_release(ph_sim_heap_t *h, uint8_t pool) {
    h->used[pool]--;
    h->above -= pool >= h->base;
}

/* Runs one operation on the object whose pool is *w; returns 1 if it
 * failed for want of a block, else 0. */
static int ph_sim_op(ph_sim_heap_t *h, const ph_tune_op_t *op, uint8_t *w) {
    if (op->kind == PH_TUNE_ALLOC) {
        *w = ph_sim_take(h, op->cls, op->align_shift);
        return *w == PH_ABSENT;
    }
    if (*w == PH_ABSENT) {
        return 0;
    }
    if (op->kind == PH_TUNE_FREE) {
        ph_sim_release(h, *w);
        *w = PH_ABSENT;
        return 0;
    }
    if (h->first[op->cls] <= *w) {
        return 0; /* fits its block: in place */
    }
    uint8_t moved = ph_sim_take(h, op->cls, 0u);
    if (moved == PH_ABSENT) {
        return 1; /* the old block is kept */
    }
    ph_sim_release(h, *w);
    *w = moved;
    return 0;
}

/* Whether an operation that took the object from pool `before` to pool
 * `after` reached pools base.. (and how to replay it there): 0 if not. */
static int ph_sim_reaches(const ph_sim_heap_t *h, ph_tune_op_t *op, uint8_t before, uint8_t after) {
    if (before != PH_ABSENT && before >= h->base) {
        return 1;
    }
    if (after == PH_ABSENT || after < h->base) {
        return 0;
    }
    if (op->kind != PH_TUNE_ALLOC) { /* moved in from a smaller pool: allocated there */
        op->kind = PH_TUNE_ALLOC;
        op->align_shift = 0u;
    }
    return 1;
}

/* Runs one trace; returns its failures (at most 1 with stop_at_failure).
 * With `keep`, appends the operations that reach pools base.. to it. */
static uint64_t ph_sim_trace(ph_sim_heap_t *h, const ph_tune_trace_t *trace, uint8_t *where, int stop_at_failure,
                             ph_tune_trace_t *keep) {
    uint64_t failures = 0u;
    memset(where, PH_ABSENT, trace->objects);
    memset(h->used, 0, sizeof h->used);
    h->above = 0u;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_tune_op_t *op = &trace->ops[i];
        uint8_t *w = &where[op->object];
        uint8_t before = op->kind == PH_TUNE_ALLOC ? PH_ABSENT : *w;
        if (ph_sim_op(h, op, w)) {
            failures++;
            if (stop_at_failure) {
                break;
            }
        }
        h->above_peak = h->above > h->above_peak ? h->above : h->above_peak;
        ph_tune_op_t kept = *op;
        if (keep != NULL && ph_sim_reaches(h, &kept, before, *w)) {
            keep->ops[keep->count++] = kept;
        }
    }
    return failures;
}

/* Fills the heap's per-layout tables. */
static void ph_sim_setup(const ph_tune_sim_t *sim, ph_sim_heap_t *h, const poolheap_pool_config_t *pools,
                         size_t count) {
    const ph_tune_input_t *in = sim->input;
    for (size_t p = 0u, c = 0u; p <= count; p++) {
        while (c < in->class_count && (p == count || in->values[c] <= pools[p].block)) {
            h->first[c++] = (uint8_t)p;
        }
        if (p < count) {
            uint32_t block = pools[p].block;
            h->cap[p] = pools[p].capacity;
            while (!(block & 1u)) {
                block >>= 1u;
                h->shift[p]++;
            }
        }
    }
}

/* Runs `traces`; with `keep`, fills it (one entry per trace, the
 * operations in `storage`). */
static uint64_t ph_sim_all(ph_tune_sim_t *sim, ph_sim_heap_t *h, const ph_tune_trace_t *traces, int stop_at_failure,
                           ph_tune_trace_t *keep, ph_tune_op_t *storage) {
    uint64_t failures = 0u;
    sim->runs++;
    for (size_t t = 0u; t < sim->input->trace_count; t++) {
        if (keep != NULL) {
            keep[t] = (ph_tune_trace_t){storage, 0u, traces[t].objects};
        }
        failures += ph_sim_trace(h, &traces[t], sim->where, stop_at_failure, keep ? &keep[t] : NULL);
        sim->operations += traces[t].count;
        if (keep != NULL) {
            storage += keep[t].count;
        }
        if (failures != 0u && stop_at_failure) {
            break;
        }
    }
    return failures;
}

uint64_t ph_tune_sim_run(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, int no_fallback,
                         int stop_at_failure, uint32_t *peak) {
    uint8_t first[PH_TUNE_MAX_CLASSES];
    ph_sim_heap_t h = {.count = (uint32_t)count, .start = sim->base, .no_fallback = no_fallback, .first = first};
    ph_sim_setup(sim, &h, pools, count);
    const ph_tune_trace_t *traces = sim->base != 0u ? sim->focus : sim->input->traces;
    uint64_t failures = ph_sim_all(sim, &h, traces, stop_at_failure, NULL, NULL);
    if (peak != NULL) {
        memcpy(peak, h.peak, count * sizeof *peak);
    }
    return failures;
}

int ph_tune_sim_stream(ph_tune_sim_t *sim, const ph_tune_trace_t *from, uint32_t start,
                       const poolheap_pool_config_t *pools, size_t count, uint32_t base, ph_tune_trace_t *keep,
                       ph_tune_op_t *storage) {
    uint8_t first[PH_TUNE_MAX_CLASSES];
    ph_sim_heap_t h = {.count = (uint32_t)count, .start = start, .base = base, .first = first};
    ph_sim_setup(sim, &h, pools, count);
    if (ph_sim_all(sim, &h, from != NULL ? from : sim->input->traces, 1, keep, storage) != 0u) {
        return -1;
    }
    sim->base_peak = h.above_peak;
    sim->base_own_peak = base < count ? h.peak[base] : 0u;
    return 0;
}

int ph_tune_sim_focus(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, uint32_t base) {
    sim->base = 0u;
    if (ph_tune_sim_stream(sim, NULL, 0u, pools, count, base, sim->focus, sim->focus_ops) != 0) {
        return -1;
    }
    sim->base = base;
    return 0;
}

void ph_tune_sim_unfocus(ph_tune_sim_t *sim) {
    sim->base = 0u;
}

uint64_t ph_tune_sim_overflow(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count,
                              uint32_t *overflow) {
    uint8_t first[PH_TUNE_MAX_CLASSES];
    ph_sim_heap_t h = {.count = (uint32_t)count, .first = first, .overflow = overflow};
    memset(overflow, 0, count * sizeof *overflow);
    ph_sim_setup(sim, &h, pools, count);
    sim->base = 0u;
    return ph_sim_all(sim, &h, sim->input->traces, 0, NULL, NULL);
}
