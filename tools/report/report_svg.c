/* SVG plots for `poolheap report` (report_svg.h). Geometry in pixels: a
 * tall panel for live bytes, a short one per pool, a shared event axis. */
#include "report_svg.h"

#include <inttypes.h>

#include "markup.h"

#define WIDTH 960.0
#define LEFT 84.0 /* room for the value labels */
#define RIGHT 24.0
#define TITLE 40.0
#define BYTES_PANEL 220.0
#define POOL_PANEL 90.0
#define PANEL_GAP 34.0
#define AXIS 40.0

static const char *const colours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#4a9a94", "#b8860b",
                                      "#b07aa1", "#d4609a", "#9c755f", "#3d8f88", "#d37295", "#5b8fc7"};
#define COLOUR_COUNT (sizeof colours / sizeof colours[0])

/* One panel: a caption, a frame, 0 and top value labels, the sampled line
 * (filled below) and, if limit > 0, a dashed line at `limit`. */
static void draw_panel(FILE *out, double top, double height, const char *caption, const uint64_t *values,
                       size_t columns, uint64_t peak, uint64_t limit, const char *colour) {
    double plot = WIDTH - LEFT - RIGHT;
    uint64_t scale = peak > limit ? peak : limit;
    if (scale == 0u) {
        scale = 1u;
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"caption\">%s</text>\n", LEFT, top - 8.0, caption);
    /* The unit is in the caption, so that long numbers still fit here. */
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%" PRIu64 "</text>\n", LEFT - 6.0,
            top + 10.0, scale);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">0</text>\n", LEFT - 6.0, top + height);
    fprintf(out, "<path fill=\"%s\" fill-opacity=\"0.25\" stroke=\"%s\" stroke-width=\"1.2\" d=\"M%.1f %.1f", colour,
            colour, LEFT, top + height);
    for (size_t c = 0u; c < columns; c++) {
        double x0 = LEFT + plot * (double)c / (double)columns, x1 = LEFT + plot * (double)(c + 1u) / (double)columns;
        double y = top + height - height * (double)values[c] / (double)scale;
        fprintf(out, " L%.1f %.1f L%.1f %.1f", x0, y, x1, y); /* a step per column: the column's peak */
    }
    fprintf(out, " L%.1f %.1f Z\"/>\n", LEFT + plot, top + height);
    if (limit > 0u) {
        double y = top + height - height * (double)limit / (double)scale;
        fprintf(out,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#c00\" stroke-dasharray=\"6 4\"/>\n",
                LEFT, y, LEFT + plot, y);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"limit\" text-anchor=\"end\">capacity %" PRIu64 "</text>\n",
                LEFT + plot - 4.0, y - 4.0, limit);
    }
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n", LEFT, top, plot,
            height);
}

int ph_write_report_svg_element(FILE *out, const ph_report_picture_t *p) {
    const ph_trace_series_t *s = p->series;
    double height = TITLE + PANEL_GAP + BYTES_PANEL + (double)p->pool_count * (PANEL_GAP + POOL_PANEL) + AXIS;
    fprintf(out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
            "<style>text{font-family:sans-serif;fill:#222}.title{font-size:17px;font-weight:bold}"
            ".caption{font-size:13px}.axis{font-size:11px;fill:#555}.limit{font-size:11px;fill:#c00}"
            ".frame{fill:none;stroke:#333;stroke-width:1}</style>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            WIDTH, height, WIDTH, height);
    fprintf(out, "<text x=\"%.1f\" y=\"26\" class=\"title\">", LEFT);
    ph_put_escaped(out, p->trace_name);
    fprintf(out, ": %" PRIu64 " events", p->events);
    if (p->pools != NULL) {
        fputs(", heap ", out);
        ph_put_escaped(out, p->heap_name);
    }
    fputs("</text>\n", out);
    double top = TITLE + PANEL_GAP;
    char caption[160];
    snprintf(caption, sizeof caption, "live requested bytes (peak %" PRIu64 " bytes)", s->peak[0]);
    draw_panel(out, top, BYTES_PANEL, caption, s->max, s->columns, s->peak[0], 0u, "#4e79a7");
    top += BYTES_PANEL;
    for (size_t i = 0u; i < p->pool_count; i++) {
        top += PANEL_GAP;
        snprintf(caption, sizeof caption, "pool %zu: %u-byte blocks asked for (first choice, peak %" PRIu64 " blocks)",
                 i, p->pools[i].block, s->peak[1u + i]);
        draw_panel(out, top, POOL_PANEL, caption, s->max + (1u + i) * s->columns, s->columns, s->peak[1u + i],
                   p->pools[i].capacity, colours[(i + 1u) % COLOUR_COUNT]);
        top += POOL_PANEL;
    }
    double plot = WIDTH - LEFT - RIGHT;
    for (unsigned tick = 0u; tick <= 4u; tick++) {
        double x = LEFT + plot * tick / 4.0;
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"%s\">%" PRIu64 "</text>\n", x,
                top + 16.0,
                tick == 0u   ? "start"
                : tick == 4u ? "end"
                             : "middle",
                p->events * tick / 4u);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"middle\">event</text>\n", LEFT + plot / 2.0,
            top + 32.0);
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}

int ph_write_report_svg(FILE *out, const void *context) {
    fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
    return ph_write_report_svg_element(out, context);
}
