/* Sampled curves over a trace (trace_series.h). */
#include "trace_series.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pool_demand.h"

static void raise_to(uint64_t *slot, uint64_t value) {
    if (value > *slot) {
        *slot = value;
    }
}

int ph_trace_series(const ph_trace_t *trace, const poolheap_pool_config_t *pools, size_t pool_count, size_t columns,
                    ph_trace_series_t *out) {
    if (columns > trace->count) {
        columns = trace->count > 0u ? trace->count : 1u;
    }
    out->columns = columns;
    out->lines = 1u + pool_count;
    out->max = calloc(out->lines * columns, sizeof *out->max);
    out->peak = calloc(out->lines, sizeof *out->peak);
    uint8_t *pool_of = malloc(trace->objects + 1u);
    uint64_t *in_pool = calloc(pool_count + 1u, sizeof *in_pool);
    if (out->max == NULL || out->peak == NULL || pool_of == NULL || in_pool == NULL) {
        free(pool_of);
        free(in_pool);
        ph_trace_series_free(out);
        return -1;
    }
    uint64_t live = 0u;
    size_t column = SIZE_MAX;
    for (size_t i = 0u; i < trace->count; i++) {
        size_t now = (size_t)((double)i * (double)columns / (double)trace->count);
        if (now != column) { /* a new column starts from the counts as they are */
            column = now;
            out->max[column] = live;
            for (size_t p = 0u; p < pool_count; p++) {
                out->max[(1u + p) * columns + column] = in_pool[p];
            }
        }
        const ph_event_t *e = &trace->events[i];
        if (e->kind == PH_EVENT_ALLOC) {
            live += e->size;
        } else if (e->kind == PH_EVENT_REALLOC) {
            live += (uint64_t)e->size - e->old_size;
        } else if (e->kind == PH_EVENT_FREE) {
            live -= e->size;
        }
        ph_pool_move_t move = ph_pool_demand_step(pools, pool_count, pool_of, e);
        if (move.left != PH_POOL_UNCHANGED) {
            in_pool[move.left != PH_NO_POOL ? move.left : pool_count]--;
        }
        if (move.entered != PH_POOL_UNCHANGED) { /* an object entered a pool */
            size_t p = move.entered != PH_NO_POOL ? move.entered : pool_count;
            in_pool[p]++;
            if (p < pool_count) {
                raise_to(&out->max[(1u + p) * columns + column], in_pool[p]);
            }
        }
        raise_to(&out->max[column], live);
    }
    for (size_t line = 0u; line < out->lines; line++) {
        for (size_t c = 0u; c < columns; c++) {
            raise_to(&out->peak[line], out->max[line * columns + c]);
        }
    }
    free(pool_of);
    free(in_pool);
    return 0;
}

void ph_trace_series_free(ph_trace_series_t *series) {
    free(series->max);
    free(series->peak);
    memset(series, 0, sizeof *series);
}
