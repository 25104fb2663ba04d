/* What `poolheap report --sites` calls each site: its frames symbolized
 * ("function (file:line)", innermost first, joined by " < "), or their
 * addresses where nothing is known. Sites with the same text (two return
 * addresses on one line) share one label, so tables count per line of code. */
#ifndef POOLHEAP_REPORT_SITE_LABELS_H
#define POOLHEAP_REPORT_SITE_LABELS_H

#include <stdint.h>

#include "sites.h"
#include "symbolize.h"
#include "trace/trace.h"

typedef struct ph_site_labels {
    uint32_t count;    /* distinct labels */
    uint32_t *of_site; /* per site of ph_sites_t: its label */
    char **text;       /* per label */
} ph_site_labels_t;

/* Labels every site of `sites` (from `trace`), symbolizing with `options`
 * (NULL: addresses only). Returns 0, or -1 if out of memory. Time:
 * O(frames log frames) plus the symbolizer's. */
int ph_site_labels_make(const ph_trace_t *trace, const ph_sites_t *sites, const ph_symbolize_options_t *options,
                        ph_site_labels_t *out);

void ph_site_labels_free(ph_site_labels_t *labels);

#endif /* POOLHEAP_REPORT_SITE_LABELS_H */
