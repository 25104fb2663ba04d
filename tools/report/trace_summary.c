/* Trace summary for `poolheap report` (trace_summary.h). */
#include "trace_summary.h"

#include <stdlib.h>
#include <string.h>

static int compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The row of `size`, which is present: binary search. */
static ph_size_row_t *row_of(const ph_trace_summary_t *s, uint32_t size) {
    size_t lo = 0u, hi = s->row_count - 1u;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2u;
        if (s->rows[mid].size < size) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    return &s->rows[lo];
}

/* The distinct sizes of the trace's allocations and reallocations. */
static int collect_sizes(const ph_trace_t *trace, ph_trace_summary_t *out) {
    uint32_t *sizes = malloc((trace->count + 1u) * sizeof *sizes);
    if (sizes == NULL) {
        return -1;
    }
    size_t n = 0u;
    for (size_t i = 0u; i < trace->count; i++) {
        uint8_t kind = trace->events[i].kind;
        if (kind == PH_EVENT_ALLOC || kind == PH_EVENT_REALLOC) {
            sizes[n++] = trace->events[i].size;
        }
    }
    qsort(sizes, n, sizeof *sizes, compare_u32);
    out->rows = calloc(n + 1u, sizeof *out->rows);
    if (out->rows == NULL) {
        free(sizes);
        return -1;
    }
    for (size_t i = 0u; i < n; i++) {
        if (i == 0u || sizes[i] != sizes[i - 1u]) {
            out->rows[out->row_count++].size = sizes[i];
        }
    }
    free(sizes);
    return 0;
}

static void count_in(ph_size_row_t *row) {
    row->allocations++;
    if (++row->live > row->peak) {
        row->peak = row->live;
    }
}

int ph_trace_summarize(const ph_trace_t *trace, ph_trace_summary_t *out) {
    memset(out, 0, sizeof *out);
    if (collect_sizes(trace, out) != 0) {
        return -1;
    }
    uint64_t live = 0u;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        if (e->size > out->largest && e->kind != PH_EVENT_FREE) {
            out->largest = e->size;
        }
        switch (e->kind) {
        case PH_EVENT_ALLOC:
            count_in(row_of(out, e->size));
            live += e->size;
            break;
        case PH_EVENT_REALLOC:
            row_of(out, e->old_size)->live--;
            count_in(row_of(out, e->size));
            live += (uint64_t)e->size - e->old_size;
            break;
        case PH_EVENT_FREE:
            row_of(out, e->size)->live--;
            live -= e->size;
            break;
        default:
            out->failures++;
            break;
        }
        if (live > out->peak_bytes) {
            out->peak_bytes = live;
            out->peak_event = i;
        }
    }
    return 0;
}

void ph_trace_summary_free(ph_trace_summary_t *summary) {
    free(summary->rows);
    memset(summary, 0, sizeof *summary);
}
