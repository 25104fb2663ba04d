/* The HTML report (report_html.h). */
#include "report_html.h"

#include <inttypes.h>
#include <stdlib.h>

#include "markup.h"

static const char style[] =
    "body{font-family:sans-serif;margin:24px auto;max-width:1000px;color:#222}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:28px}"
    "table{border-collapse:collapse;margin:8px 0;font-size:13px}"
    "th,td{border:1px solid #ccc;padding:3px 8px}td.n{text-align:right;font-variant-numeric:tabular-nums}"
    "th{background:#eef;cursor:pointer;user-select:none}th:after{content:' \\2195';color:#99a}"
    "td.site{font-family:monospace;font-size:12px}p.note{color:#555}";

/* Sorting: a click on a heading sorts its table by that column (numbers by
 * value, text alphabetically), again to reverse. */
static const char script[] =
    "document.querySelectorAll('table.sortable th').forEach(function(th){"
    "th.addEventListener('click',function(){"
    "var body=th.closest('table').tBodies[0],i=th.cellIndex,down=th.dataset.order!=='down';"
    "th.dataset.order=down?'down':'up';"
    "var rows=Array.prototype.slice.call(body.rows);"
    "rows.sort(function(a,b){var x=a.cells[i].textContent,y=b.cells[i].textContent,"
    "p=parseFloat(x),q=parseFloat(y),o=isNaN(p)||isNaN(q)?x.localeCompare(y):p-q;return down?-o:o;});"
    "rows.forEach(function(r){body.appendChild(r);});});});";

static void table_head(FILE *out, const char *const *columns, size_t n) {
    fputs("<table class=\"sortable\"><thead><tr>", out);
    for (size_t i = 0u; i < n; i++) {
        fprintf(out, "<th>%s</th>", columns[i]);
    }
    fputs("</tr></thead><tbody>\n", out);
}

static void write_sizes(FILE *out, const ph_trace_summary_t *s) {
    static const char *const columns[] = {"size (B)", "peak live", "allocations"};
    fputs("<h2>Requested sizes</h2>\n", out);
    table_head(out, columns, 3u);
    for (size_t i = 0u; i < s->row_count; i++) {
        fprintf(out,
                "<tr><td class=\"n\">%" PRIu32 "</td><td class=\"n\">%" PRIu32 "</td><td class=\"n\">%" PRIu64
                "</td></tr>\n",
                s->rows[i].size, s->rows[i].peak, s->rows[i].allocations);
    }
    fputs("</tbody></table>\n", out);
}

static void write_replay(FILE *out, const ph_report_page_t *page) {
    static const char *const columns[] = {"pool",  "block (B)", "capacity",  "peak",
                                          "use %", "served",    "fallbacks", "oom"};
    const ph_replay_result_t *r = page->replay;
    fprintf(out, "<h2>Replay through heap ");
    ph_put_escaped(out, page->picture->heap_name);
    fprintf(out,
            "</h2>\n<p>%" PRIu64 " bytes in %zu pools; peak block bytes %" PRIu64 "; %" PRIu64
            " failed requests.</p>\n",
            r->size, r->pool_count, r->peak_bytes, r->failures);
    table_head(out, columns, 8u);
    for (size_t p = 0u; p < r->pool_count; p++) {
        const ph_replay_pool_t *pool = &r->pools[p];
        fprintf(out,
                "<tr><td class=\"n\">%zu</td><td class=\"n\">%" PRIu32 "</td><td class=\"n\">%" PRIu32
                "</td><td class=\"n\">%" PRIu32 "</td><td class=\"n\">%.1f</td><td class=\"n\">%" PRIu64
                "</td><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64 "</td></tr>\n",
                p, pool->block, pool->capacity, pool->peak, 100.0 * pool->peak / pool->capacity, pool->served,
                pool->fallbacks, pool->oom);
    }
    fputs("</tbody></table>\n", out);
}

static void write_rows(FILE *out, const ph_sites_view_t *view, const char *count_name, const ph_site_row_t *rows,
                       size_t n) {
    const char *const columns[] = {count_name, "bytes", "site"};
    table_head(out, columns, 3u);
    for (size_t i = 0u; i < n; i++) {
        fprintf(out, "<tr><td class=\"n\">%" PRIu64 "</td><td class=\"n\">%" PRIu64 "</td><td class=\"site\">",
                rows[i].count, rows[i].bytes);
        ph_put_escaped(out, view->labels->text[rows[i].label]);
        fputs("</td></tr>\n", out);
    }
    fputs("</tbody></table>\n", out);
}

/* The site tables, as a visitor (sites_print.h). */
typedef struct ph_html_sites {
    FILE *out;
    const ph_sites_view_t *view;
} ph_html_sites_t;

static int write_table(void *context, const ph_site_table_name_t *table, const ph_site_row_t *rows, size_t n) {
    const ph_html_sites_t *h = context;
    fprintf(h->out, "<h2>%s</h2>\n", table->heading);
    write_rows(h->out, h->view, table->count, rows, n);
    return 0;
}

static int write_pool(void *context, uint32_t pool, const ph_site_row_t *rows, size_t n) {
    const ph_html_sites_t *h = context;
    const ph_sites_t *s = h->view->sites;
    if (s->pool_peak[pool] > 0u) {
        char heading[160];
        ph_pool_heading(h->view, pool, heading, sizeof heading);
        fprintf(h->out, "<h2>%s</h2>\n", heading);
        write_rows(h->out, h->view, "blocks", rows, n);
    }
    return 0;
}

static int write_sites(FILE *out, const ph_sites_view_t *view) {
    ph_html_sites_t sites = {out, view};
    ph_site_visitor_t visitor = {write_table, write_pool, &sites};
    return ph_visit_site_tables(view, &visitor);
}

int ph_write_report_html(FILE *out, const void *context) {
    const ph_report_page_t *page = context;
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>poolheap report: ", out);
    ph_put_escaped(out, page->trace_name);
    fprintf(out, "</title>\n<style>%s</style></head><body>\n<h1>poolheap report: ", style);
    ph_put_escaped(out, page->trace_name);
    fprintf(out,
            "</h1>\n<p>%zu events, %" PRIu32 " objects, pointer size %" PRIu32 ". Peak live bytes %" PRIu64
            " (at event %zu); largest request %" PRIu32 " bytes.</p>\n",
            page->trace->count, page->trace->objects, page->trace->pointer_size, page->summary->peak_bytes,
            page->summary->peak_event, page->summary->largest);
    fputs("<h2>Live bytes over the trace", out);
    fputs(page->replay != NULL ? ", and the blocks asked of each pool against its capacity" : "", out);
    fputs("</h2>\n", out);
    if (ph_write_report_svg_element(out, page->picture) != 0) {
        return -1;
    }
    if (page->replay != NULL) {
        write_replay(out, page);
    }
    if (page->trace->site_count == 0u) {
        fputs("<p class=\"note\">This trace has no callers: record it with POOLHEAP_TRACE_CALLER (docs/tracing.md) "
              "to see who allocates.</p>\n",
              out);
    }
    if (write_sites(out, page->sites) != 0) {
        return -1;
    }
    write_sizes(out, page->summary); /* last: one row per distinct size, often hundreds */
    fprintf(out, "<script>%s</script>\n</body></html>\n", script);
    return ferror(out) ? -1 : 0;
}
