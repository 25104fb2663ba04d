/* The tuner's model of the allocation rules: see tune_sim.h. */
#include "tune_sim.h"

#include <stdlib.h>
#include <string.h>

#define PH_ABSENT 0xFFu

int ph_tune_sim_init(ph_tune_sim_t *sim, const ph_tune_input_t *input) {
    uint32_t objects = 1u;
    for (size_t t = 0u; t < input->trace_count; t++) {
        objects = input->traces[t].objects > objects ? input->traces[t].objects : objects;
    }
    sim->input = input;
    sim->runs = 0u;
    sim->suffix = POOLHEAP_MAX_POOLS;
    sim->where = malloc(objects);
    return sim->where != NULL ? 0 : -1;
}

void ph_tune_sim_free(ph_tune_sim_t *sim) {
    free(sim->where);
    sim->where = NULL;
}

/* The model's state for one layout. */
typedef struct ph_sim_heap {
    uint32_t count;
    int no_fallback;
    uint32_t cap[POOLHEAP_MAX_POOLS];
    uint32_t used[POOLHEAP_MAX_POOLS];
    uint32_t peak[POOLHEAP_MAX_POOLS];
    uint32_t suffix;                   /* pools from this one on are counted together: */
    uint32_t above, above_peak;        /* blocks in use there now, and at most */
    uint8_t shift[POOLHEAP_MAX_POOLS]; /* log2 of each block's alignment */
    uint8_t *first;                    /* per class: the first pool whose block fits */
} ph_sim_heap_t;

/* Takes a block for class `cls` aligned to 1 << shift; returns its pool, or
 * PH_ABSENT if none is free. */
static uint8_t ph_sim_take(ph_sim_heap_t *h, uint16_t cls, uint8_t shift) {
    for (uint32_t p = h->first[cls]; p < h->count; p++) {
        if (h->shift[p] < shift) {
            continue;
        }
        if (h->used[p] < h->cap[p]) {
            uint32_t used = ++h->used[p];
            h->peak[p] = used > h->peak[p] ? used : h->peak[p];
            h->above += p >= h->suffix;
            return (uint8_t)p;
        }
        if (h->no_fallback) {
            break;
        }
    }
    return PH_ABSENT;
}

static void ph_sim_release(ph_sim_heap_t *h, uint8_t pool) {
    h->used[pool]--;
    h->above -= pool >= h->suffix;
}

/* After an operation that may have added a block in the counted pools (the
 * peak is taken between operations: a moving realloc's two blocks count
 * once, as the same objects are live there whatever the capacities). */
static void ph_sim_settle(ph_sim_heap_t *h) {
    h->above_peak = h->above > h->above_peak ? h->above : h->above_peak;
}

/* Runs one trace; returns its failures (at most 1 with stop_at_failure). */
static uint64_t ph_sim_trace(ph_sim_heap_t *h, const ph_tune_trace_t *trace, uint8_t *where, int stop_at_failure) {
    uint64_t failures = 0u;
    memset(where, PH_ABSENT, trace->objects);
    memset(h->used, 0, sizeof h->used);
    h->above = 0u;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_tune_op_t *op = &trace->ops[i];
        uint8_t *w = &where[op->object];
        if (op->kind == PH_TUNE_ALLOC) {
            *w = ph_sim_take(h, op->cls, op->align_shift);
            if (*w != PH_ABSENT) {
                ph_sim_settle(h);
                continue;
            }
        } else if (*w == PH_ABSENT) {
            continue;
        } else if (op->kind == PH_TUNE_FREE) {
            ph_sim_release(h, *w);
            *w = PH_ABSENT;
            continue;
        } else if (h->first[op->cls] <= *w) {
            continue; /* fits its block: in place */
        } else {
            uint8_t moved = ph_sim_take(h, op->cls, 0u);
            if (moved != PH_ABSENT) {
                ph_sim_release(h, *w);
                *w = moved;
                ph_sim_settle(h);
                continue;
            }
        }
        failures++;
        if (stop_at_failure) {
            break;
        }
    }
    return failures;
}

uint64_t ph_tune_sim_run(ph_tune_sim_t *sim, const poolheap_pool_config_t *pools, size_t count, int no_fallback,
                         int stop_at_failure, uint32_t *peak) {
    const ph_tune_input_t *in = sim->input;
    uint8_t first[PH_TUNE_MAX_CLASSES];
    ph_sim_heap_t h = {.count = (uint32_t)count, .no_fallback = no_fallback, .first = first, .suffix = sim->suffix};
    for (size_t p = 0u, c = 0u; p <= count; p++) {
        while (c < in->class_count && (p == count || in->values[c] <= pools[p].block)) {
            first[c++] = (uint8_t)p;
        }
        if (p < count) {
            uint32_t block = pools[p].block;
            h.cap[p] = pools[p].capacity;
            while (!(block & 1u)) {
                block >>= 1u;
                h.shift[p]++;
            }
        }
    }
    sim->runs++;
    uint64_t failures = 0u;
    for (size_t t = 0u; t < in->trace_count; t++) {
        failures += ph_sim_trace(&h, &in->traces[t], sim->where, stop_at_failure);
        if (failures != 0u && stop_at_failure) {
            break;
        }
    }
    if (peak != NULL) {
        memcpy(peak, h.peak, count * sizeof *peak);
    }
    sim->suffix_peak = h.above_peak;
    return failures;
}
