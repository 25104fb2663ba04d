/* The tables of `poolheap report --sites`, in plain text or TSV: (a) who
 * holds the heap's peak, and with a layout each pool's peak; (b) hot spots;
 * (c) leaks; (d) with a failing replay, the failing requests. One row per
 * label (site_labels.h), largest first. */
#ifndef POOLHEAP_REPORT_SITES_PRINT_H
#define POOLHEAP_REPORT_SITES_PRINT_H

#include <stddef.h>
#include <stdio.h>

#include "poolheap.h"
#include "site_labels.h"
#include "sites.h"

typedef enum ph_sites_format { PH_SITES_TEXT, PH_SITES_TSV } ph_sites_format_t;

typedef struct ph_sites_view {
    const ph_sites_t *sites;
    const ph_site_labels_t *labels;
    const poolheap_pool_config_t *pools; /* NULL without a layout */
    int replayed;                        /* a layout was replayed: print (d) */
    size_t top;                          /* text: rows per table (0: all); TSV prints all */
} ph_sites_view_t;

/* One table's rows, per label, as the HTML report shows them too. */
typedef struct ph_site_row {
    uint32_t label;
    uint64_t count; /* objects, calls, blocks or requests, by table */
    uint64_t bytes;
} ph_site_row_t;

typedef enum ph_site_table_kind {
    PH_TABLE_PEAK,   /* (a) objects and bytes live at the heap's peak */
    PH_TABLE_HOT,    /* (b) calls and bytes requested */
    PH_TABLE_LEAKS,  /* (c) objects and bytes live at the end */
    PH_TABLE_FAILING /* (d) failed requests and their bytes */
} ph_site_table_kind_t;

/* What each table is called: in TSV, in its count column, as a heading. */
typedef struct ph_site_table_name {
    ph_site_table_kind_t kind;
    const char *tsv;
    const char *count;
    const char *heading;
} ph_site_table_name_t;

#define PH_SITE_TABLE_COUNT 4u
extern const ph_site_table_name_t ph_site_tables[PH_SITE_TABLE_COUNT];

/* 1 if table `kind` applies to the view ((d) needs a replay). */
int ph_site_table_shown(const ph_sites_view_t *view, ph_site_table_kind_t kind);

/* The rows of table `kind` with a count above 0, merged per label and
 * sorted by bytes (hot spots: by calls), largest first; *rows is malloc'd.
 * Returns the row count, or SIZE_MAX if out of memory. O(sites + labels log labels). */
size_t ph_site_rows(const ph_sites_view_t *view, ph_site_table_kind_t kind, ph_site_row_t **rows);

/* The rows of pool `pool` at its peak, merged per label, blocks first. */
size_t ph_pool_rows(const ph_sites_view_t *view, uint32_t pool, ph_site_row_t **rows);

/* What a renderer does with each table: `table` gets each site table that
 * applies to the view (in ph_site_tables order), `pool` each pool's rows
 * at its peak (right after the peak table, with a layout). Either returns
 * 0, or -1 to stop. */
typedef struct ph_site_visitor {
    int (*table)(void *context, const ph_site_table_name_t *table, const ph_site_row_t *rows, size_t n);
    int (*pool)(void *context, uint32_t pool, const ph_site_row_t *rows, size_t n);
    void *context;
} ph_site_visitor_t;

/* Writes the heading of pool `pool`'s table ("pool 3 (48 B blocks,
 * capacity 41): 41 blocks asked at its peak, event 1234") into `text`. */
void ph_pool_heading(const ph_sites_view_t *view, uint32_t pool, char *text, size_t size);

/* Visits every table of `view`. Returns 0, or -1 if out of memory or a
 * visitor stopped. */
int ph_visit_site_tables(const ph_sites_view_t *view, const ph_site_visitor_t *visitor);

/* Prints every table. Returns 0, or -1 if out of memory or writing failed. */
int ph_print_sites(FILE *out, const ph_sites_view_t *view, ph_sites_format_t format);

#endif /* POOLHEAP_REPORT_SITES_PRINT_H */
