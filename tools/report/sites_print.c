/* The --sites tables (sites_print.h). */
#include "sites_print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static int compare_rows(const void *a, const void *b) {
    const ph_site_row_t *x = a, *y = b;
    if (x->bytes != y->bytes) {
        return x->bytes > y->bytes ? -1 : 1;
    }
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return (x->label > y->label) - (x->label < y->label);
}

static int compare_rows_by_count(const void *a, const void *b) {
    const ph_site_row_t *x = a, *y = b;
    if (x->count != y->count) {
        return x->count > y->count ? -1 : 1;
    }
    return compare_rows(a, b);
}

/* Sums per label the (count, bytes) of each site, drops empty labels, sorts. */
static size_t merge_by_label(const ph_sites_view_t *view, const uint64_t *counts, const uint64_t *bytes,
                             const uint32_t *sites, size_t n, int by_count, ph_site_row_t **rows) {
    ph_site_row_t *all = calloc(view->labels->count + 1u, sizeof *all);
    if (all == NULL) {
        return SIZE_MAX;
    }
    for (size_t i = 0u; i < n; i++) {
        ph_site_row_t *row = &all[view->labels->of_site[sites[i]]];
        row->count += counts[i];
        row->bytes += bytes[i];
    }
    size_t kept = 0u;
    for (uint32_t label = 0u; label < view->labels->count; label++) {
        if (all[label].count > 0u) {
            all[kept] = all[label];
            all[kept++].label = label;
        }
    }
    qsort(all, kept, sizeof *all, by_count ? compare_rows_by_count : compare_rows);
    *rows = all;
    return kept;
}

/* Builds the merge input: one (count, bytes, site) triple per input item. */
typedef struct ph_columns {
    uint64_t *counts, *bytes;
    uint32_t *sites;
} ph_columns_t;

static int columns_alloc(ph_columns_t *c, size_t n) {
    c->counts = malloc((n + 1u) * sizeof *c->counts);
    c->bytes = malloc((n + 1u) * sizeof *c->bytes);
    c->sites = malloc((n + 1u) * sizeof *c->sites);
    return c->counts != NULL && c->bytes != NULL && c->sites != NULL ? 0 : -1;
}

static void columns_free(ph_columns_t *c) {
    free(c->counts);
    free(c->bytes);
    free(c->sites);
}

size_t ph_site_rows(const ph_sites_view_t *view, ph_site_table_kind_t kind, ph_site_row_t **rows) {
    const ph_sites_t *s = view->sites;
    ph_columns_t c;
    size_t result = SIZE_MAX;
    if (columns_alloc(&c, s->count) == 0) {
        for (uint32_t i = 0u; i < s->count; i++) {
            const ph_site_figures_t *f = &s->figures[i];
            c.sites[i] = i;
            c.counts[i] = kind == PH_TABLE_PEAK    ? f->peak_objects
                          : kind == PH_TABLE_HOT   ? f->calls
                          : kind == PH_TABLE_LEAKS ? f->leaked_objects
                                                   : f->failed;
            c.bytes[i] = kind == PH_TABLE_PEAK    ? f->peak_bytes
                         : kind == PH_TABLE_HOT   ? f->bytes
                         : kind == PH_TABLE_LEAKS ? f->leaked_bytes
                                                  : f->failed_bytes;
        }
        result = merge_by_label(view, c.counts, c.bytes, c.sites, s->count, kind == PH_TABLE_HOT, rows);
    }
    columns_free(&c);
    return result;
}

size_t ph_pool_rows(const ph_sites_view_t *view, uint32_t pool, ph_site_row_t **rows) {
    const ph_sites_t *s = view->sites;
    size_t from = s->pool_first[pool], to = s->pool_first[pool + 1u];
    ph_columns_t c;
    size_t result = SIZE_MAX;
    if (columns_alloc(&c, to - from) == 0) {
        for (size_t i = from; i < to; i++) {
            c.counts[i - from] = s->holdings[i].blocks;
            c.bytes[i - from] = s->holdings[i].bytes;
            c.sites[i - from] = s->holdings[i].site;
        }
        result = merge_by_label(view, c.counts, c.bytes, c.sites, to - from, 1, rows);
    }
    columns_free(&c);
    return result;
}

/* Text: a title line, a column header, at most `top` rows and a count of the rest. */
static void print_text_rows(FILE *out, const ph_sites_view_t *view, const char *count_name, const ph_site_row_t *rows,
                            size_t n) {
    fprintf(out, "%10s %12s  %s\n", count_name, "bytes", "site");
    size_t shown = view->top != 0u && n > view->top ? view->top : n;
    for (size_t i = 0u; i < shown; i++) {
        fprintf(out, "%10" PRIu64 " %12" PRIu64 "  %s\n", rows[i].count, rows[i].bytes,
                view->labels->text[rows[i].label]);
    }
    if (shown < n) {
        fprintf(out, "%10s %12s  (%zu more sites; --top 0 shows all)\n", "", "", n - shown);
    }
}

static void print_tsv_rows(FILE *out, const ph_sites_view_t *view, const char *table, long pool,
                           const ph_site_row_t *rows, size_t n) {
    for (size_t i = 0u; i < n; i++) {
        fprintf(out, "%s\t", table);
        if (pool >= 0) {
            fprintf(out, "%ld", pool);
        }
        fprintf(out, "\t%" PRIu64 "\t%" PRIu64 "\t%s\n", rows[i].count, rows[i].bytes,
                view->labels->text[rows[i].label]);
    }
}

const ph_site_table_name_t ph_site_tables[PH_SITE_TABLE_COUNT] = {
    {PH_TABLE_PEAK, "peak", "objects", "Who holds the peak (live at the heap's peak)"},
    {PH_TABLE_HOT, "hot", "calls", "Hot spots (allocations and reallocations)"},
    {PH_TABLE_LEAKS, "leaks", "objects", "Leaks (still live at the end)"},
    {PH_TABLE_FAILING, "failing", "requests", "Failing requests in the replay"},
};

int ph_site_table_shown(const ph_sites_view_t *view, ph_site_table_kind_t kind) {
    return kind != PH_TABLE_FAILING || view->replayed;
}

static void print_title(FILE *out, const ph_sites_view_t *view, ph_site_table_kind_t kind, const ph_site_row_t *rows,
                        size_t n) {
    uint64_t count = 0u, bytes = 0u;
    for (size_t i = 0u; i < n; i++) {
        count += rows[i].count;
        bytes += rows[i].bytes;
    }
    switch (kind) {
    case PH_TABLE_PEAK:
        fprintf(out, "\nwho holds the peak: %" PRIu64 " bytes in %" PRIu64 " objects live at event %zu\n",
                view->sites->peak_bytes, count, view->sites->peak_event);
        break;
    case PH_TABLE_HOT:
        fprintf(out, "\nhot spots: %" PRIu64 " allocations and reallocations, %" PRIu64 " bytes requested\n", count,
                bytes);
        break;
    case PH_TABLE_LEAKS:
        fprintf(out, "\nleaks: %" PRIu64 " objects, %" PRIu64 " bytes still live at the end of the trace\n", count,
                bytes);
        break;
    case PH_TABLE_FAILING:
        fprintf(out, "\nfailing requests in the replay: %" PRIu64 " requests, %" PRIu64 " bytes\n", count, bytes);
        break;
    }
}

void ph_pool_heading(const ph_sites_view_t *view, uint32_t pool, char *text, size_t size) {
    snprintf(text, size,
             "pool %" PRIu32 " (%" PRIu32 " B blocks, capacity %" PRIu32 "): %" PRIu64
             " blocks asked at its peak, event %zu",
             pool, view->pools[pool].block, view->pools[pool].capacity, view->sites->pool_peak[pool],
             view->sites->pool_peak_event[pool]);
}

int ph_visit_site_tables(const ph_sites_view_t *view, const ph_site_visitor_t *visitor) {
    for (size_t t = 0u; t < PH_SITE_TABLE_COUNT; t++) {
        const ph_site_table_name_t *table = &ph_site_tables[t];
        if (!ph_site_table_shown(view, table->kind)) {
            continue;
        }
        ph_site_row_t *rows;
        size_t n = ph_site_rows(view, table->kind, &rows);
        int stop = n == SIZE_MAX || visitor->table(visitor->context, table, rows, n) != 0;
        free(n != SIZE_MAX ? rows : NULL);
        for (uint32_t p = 0u; !stop && table->kind == PH_TABLE_PEAK && p < view->sites->pool_count; p++) {
            n = ph_pool_rows(view, p, &rows);
            stop = n == SIZE_MAX || visitor->pool(visitor->context, p, rows, n) != 0;
            free(n != SIZE_MAX ? rows : NULL);
        }
        if (stop) {
            return -1;
        }
    }
    return 0;
}

/* Text and TSV output, as a visitor. */
typedef struct ph_printer {
    FILE *out;
    const ph_sites_view_t *view;
    ph_sites_format_t format;
} ph_printer_t;

static int print_table(void *context, const ph_site_table_name_t *table, const ph_site_row_t *rows, size_t n) {
    const ph_printer_t *p = context;
    if (p->format == PH_SITES_TSV) {
        print_tsv_rows(p->out, p->view, table->tsv, -1, rows, n);
    } else {
        print_title(p->out, p->view, table->kind, rows, n);
        print_text_rows(p->out, p->view, table->count, rows, n);
    }
    return 0;
}

static int print_pool(void *context, uint32_t pool, const ph_site_row_t *rows, size_t n) {
    const ph_printer_t *p = context;
    const ph_sites_t *s = p->view->sites;
    if (p->format == PH_SITES_TSV) {
        print_tsv_rows(p->out, p->view, "pool_peak", (long)pool, rows, n);
    } else if (s->pool_peak[pool] > 0u) {
        char heading[160];
        ph_pool_heading(p->view, pool, heading, sizeof heading);
        fprintf(p->out, "\n%s\n", heading);
        print_text_rows(p->out, p->view, "blocks", rows, n);
    }
    return 0;
}

int ph_print_sites(FILE *out, const ph_sites_view_t *view, ph_sites_format_t format) {
    if (format == PH_SITES_TSV) {
        fputs("table\tpool\tcount\tbytes\tsite\n", out);
    }
    ph_printer_t printer = {out, view, format};
    ph_site_visitor_t visitor = {print_table, print_pool, &printer};
    if (ph_visit_site_tables(view, &visitor) != 0) {
        return -1;
    }
    return ferror(out) ? -1 : 0;
}
