/* Margins placed by the runs' variation: see tune_margin.h. */
#include "tune_margin.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PH_ABSENT 0xFFu
#define PH_MARGIN_STEPS (1u << 20) /* at most this many blocks bought one by one */

unsigned ph_tune_block_shift(uint32_t block) {
    unsigned shift = 0u;
    while (!(block & 1u)) {
        block >>= 1u;
        shift++;
    }
    return shift;
}

/* The pool an allocation of class `cls` aligned to 1 << shift goes to
 * without fallback; PH_ABSENT if none fits. */
static uint8_t ph_pool_for(const ph_tune_input_t *input, const ph_tune_layout_t *layout, uint16_t cls, unsigned shift) {
    for (size_t p = 0u; p < layout->pool_count; p++) {
        if (layout->pools[p].block >= input->values[cls] && ph_tune_block_shift(layout->pools[p].block) >= shift) {
            return (uint8_t)p;
        }
    }
    return PH_ABSENT;
}

/* One trace's tail demands into tail[0 .. P). */
static int ph_trace_tails(const ph_tune_input_t *input, const ph_tune_layout_t *layout, const ph_tune_trace_t *trace,
                          const uint8_t *first, uint8_t *where, uint32_t *tail) {
    uint32_t live[POOLHEAP_MAX_POOLS] = {0}; /* live[p]: objects in pools p.. now */
    memset(where, PH_ABSENT, trace->objects);
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_tune_op_t *op = &trace->ops[i];
        uint8_t *w = &where[op->object];
        uint8_t from = *w, to;
        if (op->kind == PH_TUNE_ALLOC) {
            from = PH_ABSENT;
            to = op->align_shift ? ph_pool_for(input, layout, op->cls, op->align_shift) : first[op->cls];
        } else if (from == PH_ABSENT) {
            continue; /* an object the trace never allocated */
        } else if (op->kind == PH_TUNE_FREE) {
            to = PH_ABSENT;
        } else {
            to = layout->pools[from].block >= input->values[op->cls] ? from : first[op->cls];
        }
        if (op->kind != PH_TUNE_FREE && to == PH_ABSENT) {
            return -1;
        }
        /* Tails up to the new pool gain the object, tails up to the old one lose it. */
        size_t gain = to == PH_ABSENT ? 0u : (size_t)to + 1u, loss = from == PH_ABSENT ? 0u : (size_t)from + 1u;
        for (size_t p = loss; p < gain; p++) {
            tail[p] = ++live[p] > tail[p] ? live[p] : tail[p];
        }
        for (size_t p = gain; p < loss; p++) {
            live[p]--;
        }
        *w = to;
    }
    return 0;
}

int ph_tune_tail_demand(const ph_tune_input_t *input, const ph_tune_layout_t *layout, uint32_t *tail) {
    uint32_t objects = 1u;
    for (size_t t = 0u; t < input->trace_count; t++) {
        objects = input->traces[t].objects > objects ? input->traces[t].objects : objects;
    }
    uint8_t *first = malloc(input->class_count), *where = malloc(objects);
    int status = first != NULL && where != NULL ? 0 : -1;
    for (size_t c = 0u; c < input->class_count && status == 0; c++) {
        first[c] = ph_pool_for(input, layout, (uint16_t)c, 0u);
    }
    memset(tail, 0, input->trace_count * layout->pool_count * sizeof *tail);
    for (size_t t = 0u; t < input->trace_count && status == 0; t++) {
        status = ph_trace_tails(input, layout, &input->traces[t], first, where, &tail[t * layout->pool_count]);
    }
    free(first);
    free(where);
    return status;
}

/* The model's view of pools p..: mean and spread of their tail demand over
 * the runs, and the blocks they hold. */
typedef struct ph_margin_model {
    size_t count;
    double mean[POOLHEAP_MAX_POOLS];
    double spread[POOLHEAP_MAX_POOLS];
    uint64_t have[POOLHEAP_MAX_POOLS]; /* C_p: the capacities of pools p.. */
} ph_margin_model_t;

static void ph_margin_fit(const ph_tune_layout_t *layout, const uint32_t *tail, size_t runs, ph_margin_model_t *m) {
    size_t P = layout->pool_count;
    m->count = P;
    uint64_t have = 0u;
    for (size_t p = P; p-- > 0u;) {
        double sum = 0.0, squares = 0.0;
        for (size_t t = 0u; t < runs; t++) {
            sum += tail[t * P + p];
        }
        double mean = sum / (double)runs;
        for (size_t t = 0u; t < runs; t++) {
            squares += (tail[t * P + p] - mean) * (tail[t * P + p] - mean);
        }
        double variance = runs > 1u ? squares / (double)(runs - 1u) : 0.0;
        have += layout->pools[p].capacity;
        m->mean[p] = mean;
        m->have[p] = have;
        /* The variance between the runs seen plus a count's own noise (as
         * if Poisson: the mean): a few runs that agree say little about
         * the next, and one run says nothing. */
        m->spread[p] = sqrt(variance + mean);
    }
}

/* log P(the next run's tail demand of pools p.. fits in `blocks`), normal
 * with the model's mean and spread (continuity corrected). */
static double ph_log_fits(const ph_margin_model_t *m, size_t p, uint64_t blocks) {
    if (m->spread[p] <= 0.0) {
        return 0.0;
    }
    double z = ((double)blocks + 0.5 - m->mean[p]) / m->spread[p];
    return log1p(-0.5 * erfc(z / sqrt(2.0)));
}

uint64_t ph_tune_raise_top(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t top) {
    poolheap_pool_config_t *last = &layout->pools[layout->pool_count - 1u];
    uint64_t unit = input->word;
    for (size_t c = 0u; c < input->class_count; c++) {
        unit = input->align_need[c] > unit ? input->align_need[c] : unit;
    }
    top = (top + unit - 1u) / unit * unit;
    if (top <= last->block) {
        return 0u;
    }
    if (top > UINT32_MAX) {
        return UINT64_MAX;
    }
    uint64_t cost = (top - last->block) * (uint64_t)last->capacity;
    last->block = (uint32_t)top;
    return cost;
}

uint64_t ph_tune_margin_top(const ph_tune_input_t *input, uint32_t margin_bp) {
    uint64_t high = 0u, low = UINT64_MAX;
    for (size_t t = 0u; t < input->trace_count; t++) {
        const ph_tune_trace_t *trace = &input->traces[t];
        uint16_t top = 0u;
        for (size_t i = 0u; i < trace->count; i++) {
            top = trace->ops[i].kind != PH_TUNE_FREE && trace->ops[i].cls > top ? trace->ops[i].cls : top;
        }
        high = input->values[top] > high ? input->values[top] : high;
        low = input->values[top] < low ? input->values[top] : low;
    }
    return input->trace_count > 1u ? high + (high - low) : high + high * margin_bp / 10000u;
}

int ph_tune_margin(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t budget, uint64_t top) {
    size_t P = layout->pool_count, runs = input->trace_count;
    uint32_t *tail = malloc((runs ? runs : 1u) * P * sizeof *tail);
    if (tail == NULL || runs == 0u || ph_tune_tail_demand(input, layout, tail) != 0) {
        free(tail);
        return -1;
    }
    ph_margin_model_t model;
    ph_margin_fit(layout, tail, runs, &model);
    free(tail);
    ph_tune_layout_t raised = *layout;
    uint64_t spent = ph_tune_raise_top(input, &raised, top);
    if (spent == UINT64_MAX) {
        return -1;
    }
    uint64_t spare = spent < budget ? budget - spent : 0u, extra[POOLHEAP_MAX_POOLS] = {0};
    double gain[POOLHEAP_MAX_POOLS]; /* gain[r]: what one more block in pools r.. adds to log P(fits) */
    for (size_t r = 0u; r < P; r++) {
        gain[r] = ph_log_fits(&model, r, model.have[r] + 1u) - ph_log_fits(&model, r, model.have[r]);
    }
    for (unsigned bought = 0u; bought < PH_MARGIN_STEPS; bought++) {
        size_t pick = P;
        double best = 0.0, sum = 0.0;
        for (size_t q = 0u; q < P; q++) {
            sum += gain[q]; /* a block of pool q serves the tails of pools 0..q */
            if (raised.pools[q].block <= spare && sum / raised.pools[q].block > best) {
                best = sum / raised.pools[q].block;
                pick = q;
            }
        }
        if (pick == P) {
            break;
        }
        extra[pick]++;
        spare -= raised.pools[pick].block;
        for (size_t r = 0u; r <= pick; r++) {
            model.have[r]++;
            gain[r] = ph_log_fits(&model, r, model.have[r] + 1u) - ph_log_fits(&model, r, model.have[r]);
        }
    }
    uint64_t size = 0u;
    for (size_t p = 0u; p < P; p++) {
        uint64_t capacity = raised.pools[p].capacity + extra[p];
        if (capacity > UINT32_MAX) {
            return -1;
        }
        raised.pools[p].capacity = (uint32_t)capacity;
        size += capacity * raised.pools[p].block;
    }
    raised.size = size;
    *layout = raised;
    return 0;
}
