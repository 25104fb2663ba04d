/* Failed requests explained, and the smallest fix: see explain.h. */
#include "explain.h"

#include <inttypes.h>
#include <stdlib.h>

#define PH_EXPLAIN_ROWS 8u /* failing sizes listed per cause; the rest are counted */

/* One failed request. */
typedef struct ph_failed {
    uint32_t size;
    int pool; /* first choice; -1: larger than every block */
    size_t event;
} ph_failed_t;

typedef struct ph_failures {
    const ph_trace_t *trace;
    ph_failed_t *list;
    size_t count;
} ph_failures_t;

static void ph_note_failure(size_t trace, size_t index, int first_pool, void *context) {
    ph_failures_t *f = context;
    (void)trace;
    f->list[f->count++] = (ph_failed_t){f->trace->events[index].size, first_pool, index};
}

/* Oversize first, then by pool, size, event. */
static int ph_compare_failed(const void *a, const void *b) {
    const ph_failed_t *x = a, *y = b;
    if (x->pool != y->pool) {
        return x->pool < y->pool ? -1 : 1;
    }
    if (x->size != y->size) {
        return x->size < y->size ? -1 : 1;
    }
    return (x->event > y->event) - (x->event < y->event);
}

void ph_print_growth(FILE *out, const ph_heap_config_t *heap, const ph_tune_growth_t *g) {
    const ph_tune_layout_t *after = &g->after;
    int changed = 0;
    if (g->oversize != 0u) {
        fprintf(out, "largest block %" PRIu32 " -> %" PRIu32 " (%" PRIu64 " requests larger than every block)\n",
                heap->pools[heap->pool_count - 1u].block, after->pools[after->pool_count - 1u].block, g->oversize);
        changed = 1;
    }
    for (size_t p = 0u; p < after->pool_count; p++) {
        if (after->pools[p].capacity != heap->pools[p].capacity) {
            fprintf(out,
                    "pool %zu (%" PRIu32 " B): capacity %" PRIu32 " -> %" PRIu32 " (lacked %" PRIu32
                    " blocks at worst)\n",
                    p, after->pools[p].block, heap->pools[p].capacity, after->pools[p].capacity, g->lacked[p]);
            changed = 1;
        }
    }
    if (changed) {
        fprintf(out, "heap: %" PRIu64 " -> %" PRIu64 " bytes (%s)\n", heap->size, after->size,
                g->jointly_smallest ? "the smallest growth over all pools"
                                    : "the search stopped at its work budget: a smaller growth may exist");
    } else {
        fprintf(out, "no change needed: the layout serves every trace\n");
    }
}

/* The failures grouped by cause and size, one line per group. */
static void ph_print_failed(FILE *out, const ph_heap_config_t *heap, const ph_failures_t *f) {
    fprintf(out, "\nfailed requests, by cause and size:\n%10s %10s %12s  %s\n", "size", "count", "first event",
            "cause");
    size_t rows = 0u, hidden = 0u;
    for (size_t i = 0u; i < f->count;) {
        size_t j = i;
        while (j < f->count && f->list[j].pool == f->list[i].pool && f->list[j].size == f->list[i].size) {
            j++;
        }
        rows = i > 0u && f->list[i - 1u].pool == f->list[i].pool ? rows + 1u : 0u;
        if (rows == 0u && hidden != 0u) {
            fprintf(out, "%10s (and %zu more sizes)\n", "", hidden);
            hidden = 0u;
        }
        if (rows < PH_EXPLAIN_ROWS) {
            const ph_failed_t *first = &f->list[i];
            fprintf(out, "%10" PRIu32 " %10zu %12zu  ", first->size, j - i, first->event);
            if (first->pool < 0) {
                fprintf(out, "larger than every block (the largest is %" PRIu32 " B)\n",
                        heap->pools[heap->pool_count - 1u].block);
            } else {
                fprintf(out, "pool %d (%" PRIu32 " B) and every larger pool exhausted\n", first->pool,
                        heap->pools[first->pool].block);
            }
        } else {
            hidden++;
        }
        i = j;
    }
    if (hidden != 0u) {
        fprintf(out, "%10s (and %zu more sizes)\n", "", hidden);
    }
}

int ph_explain_failures(FILE *out, const ph_trace_t *trace, const ph_heap_config_t *heap, uint32_t pointer_size) {
    ph_failures_t f = {trace, malloc((trace->count ? trace->count : 1u) * sizeof *f.list), 0u};
    ph_replay_options_t options = {.pointer_size = pointer_size, .failure = ph_note_failure, .failure_context = &f};
    ph_replay_result_t *r = malloc(sizeof *r);
    int status =
        f.list != NULL && r != NULL && ph_replay(trace, 1u, heap->pools, heap->pool_count, &options, r) == 0 ? 0 : -1;
    free(r);
    if (status != 0) {
        fprintf(stderr, "poolheap: out of memory\n");
    } else if (f.count != 0u) {
        qsort(f.list, f.count, sizeof *f.list, ph_compare_failed);
        ph_print_failed(out, heap, &f);
        ph_tune_growth_t growth;
        char error[512];
        if (ph_tune_grow_traces(trace, 1u, pointer_size, heap->pools, heap->pool_count, &growth, error, sizeof error) !=
            0) {
            fprintf(stderr, "poolheap: %s\n", error);
            status = -1;
        } else {
            fprintf(out, "\nthe smallest change that serves this trace (blocks kept):\n");
            ph_print_growth(out, heap, &growth);
        }
    }
    free(f.list);
    return status;
}
