/* The picture of `poolheap report --svg`: live requested bytes over the
 * trace and, with a layout, one panel per pool with the blocks asked of it
 * against its capacity. */
#ifndef POOLHEAP_TOOL_REPORT_SVG_H
#define POOLHEAP_TOOL_REPORT_SVG_H

#include <stdio.h>

#include "poolheap.h"
#include "trace_series.h"

typedef struct ph_report_picture {
    const char *trace_name;
    uint64_t events;
    const ph_trace_series_t *series;
    const poolheap_pool_config_t *pools; /* NULL without a layout */
    size_t pool_count;
    const char *heap_name;
} ph_report_picture_t;

/* Writes the <svg> element for `picture` to `out`, as an HTML page embeds
 * it; returns 0, or -1 if writing failed. */
int ph_write_report_svg_element(FILE *out, const ph_report_picture_t *picture);

/* Writes the SVG document for `context` (a ph_report_picture_t) to `out`;
 * returns 0, or -1 if writing failed. */
int ph_write_report_svg(FILE *out, const void *context);

#endif /* POOLHEAP_TOOL_REPORT_SVG_H */
