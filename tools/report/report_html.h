/* The one-file HTML report of `poolheap report --html`: the summary, the
 * live-bytes and pool-occupancy picture (report_svg.h, inline), the replay
 * table with a layout, the site tables and the size table, every table
 * sortable by a click on its heading. No network, no other file: the
 * styles and the sorting script are inside the page. */
#ifndef POOLHEAP_REPORT_HTML_H
#define POOLHEAP_REPORT_HTML_H

#include <stdio.h>

#include "report_svg.h"
#include "sites_print.h"
#include "trace/trace.h"
#include "trace_summary.h"

typedef struct ph_report_page {
    const char *trace_name;
    const ph_trace_t *trace;
    const ph_trace_summary_t *summary;
    const ph_report_picture_t *picture;
    const ph_replay_result_t *replay; /* NULL without a layout */
    const ph_sites_view_t *sites;
} ph_report_page_t;

/* Writes the page for `context` (a ph_report_page_t) to `out`; returns 0,
 * or -1 if out of memory or writing failed. */
int ph_write_report_html(FILE *out, const void *context);

#endif /* POOLHEAP_REPORT_HTML_H */
