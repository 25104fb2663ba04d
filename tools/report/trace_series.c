/* Sampled curves over a trace (trace_series.h). */
#include "trace_series.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PH_NO_POOL 0xFFu

/* The first pool whose block holds `size` and is aligned to `align`. */
static uint8_t first_choice(const poolheap_pool_config_t *pools, size_t count, uint32_t size, uint32_t align) {
    size_t lo = 0u, hi = count;
    uint32_t need = size > 0u ? size : 1u;
    while (lo < hi) { /* the first block >= need */
        size_t mid = (lo + hi) / 2u;
        if (pools[mid].block < need) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    while (lo < count && (pools[lo].block & (0u - pools[lo].block)) < align) {
        lo++;
    }
    return lo < count ? (uint8_t)lo : PH_NO_POOL;
}

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
        uint8_t *pool = e->kind == PH_EVENT_FAIL ? NULL : &pool_of[e->object];
        if (e->kind == PH_EVENT_ALLOC) {
            live += e->size;
            *pool = first_choice(pools, pool_count, e->size, e->align);
        } else if (e->kind == PH_EVENT_REALLOC) {
            live += (uint64_t)e->size - e->old_size;
            if (*pool == PH_NO_POOL || e->size > pools[*pool].block) { /* moves */
                in_pool[*pool != PH_NO_POOL ? *pool : pool_count]--;
                *pool = first_choice(pools, pool_count, e->size, 1u);
            } else {
                pool = NULL; /* in place: no count changes */
            }
        } else if (e->kind == PH_EVENT_FREE) {
            live -= e->size;
            in_pool[*pool != PH_NO_POOL ? *pool : pool_count]--;
            pool = NULL;
        }
        if (pool != NULL) { /* an object entered *pool */
            size_t p = *pool != PH_NO_POOL ? *pool : pool_count;
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
