/* SVG drawing of heap layouts. Geometry: a fixed-width band per heap, the
 * legend below it in columns; all sizes in pixels. */
#include "heap_svg.h"

#include "config/config.h"

#define WIDTH 960.0
#define MARGIN 24.0
#define BAND_HEIGHT 64.0
#define TITLE_HEIGHT 44.0
#define LEGEND_ROW 20.0
#define LEGEND_COLUMNS 3u
#define AXIS_HEIGHT 22.0
#define HEAP_GAP 28.0
#define CHAR_WIDTH 7.0 /* of the 12px sans-serif labels, generously */

static const char *const colours[] = {"#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#4a9a94", "#b8860b",
                                      "#b07aa1", "#d4609a", "#9c755f", "#3d8f88", "#d37295", "#5b8fc7"};
#define COLOUR_COUNT (sizeof colours / sizeof colours[0])

static size_t legend_rows(const ph_heap_config_t *h) {
    return (h->pool_count + LEGEND_COLUMNS - 1u) / LEGEND_COLUMNS + 1u; /* + the padding row */
}

static double heap_height(const ph_heap_config_t *h) {
    return TITLE_HEIGHT + BAND_HEIGHT + AXIS_HEIGHT + (double)legend_rows(h) * LEGEND_ROW + HEAP_GAP;
}

/* The label inside a pool's rectangle: across if it fits, else upright, else none. */
static void draw_label(FILE *out, double x, double w, double y, const char *text, size_t length) {
    double text_width = (double)length * CHAR_WIDTH;
    if (text_width + 6.0 <= w) {
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"in\" text-anchor=\"middle\">%s</text>\n", x + w / 2.0,
                y + BAND_HEIGHT / 2.0 + 4.0, text);
    } else if (w >= 14.0 && text_width + 6.0 <= BAND_HEIGHT) {
        fprintf(out,
                "<text transform=\"translate(%.1f %.1f) rotate(-90)\" class=\"in\" text-anchor=\"middle\">%s</text>\n",
                x + w / 2.0 + 4.0, y + BAND_HEIGHT / 2.0, text);
    }
}

static void draw_heap(FILE *out, const ph_heap_config_t *h, double top) {
    uint64_t offsets[POOLHEAP_MAX_POOLS];
    uint64_t span = ph_layout_offsets(h->pools, h->pool_count, offsets);
    double band = WIDTH - 2.0 * MARGIN, scale = band / (double)span, y = top + TITLE_HEIGHT;
    char place[160] = "";
    if (h->has_origin) {
        snprintf(place, sizeof place, ", at 0x%llX", (unsigned long long)h->origin);
    } else if (h->section[0] != '\0') {
        snprintf(place, sizeof place, ", in section %s", h->section);
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"title\">heap %s: %llu bytes in %zu pool%s%s</text>\n", MARGIN,
            top + 26.0, h->name, (unsigned long long)h->size, h->pool_count, h->pool_count == 1u ? "" : "s", place);
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"url(#padding)\"/>\n", MARGIN, y,
            band, BAND_HEIGHT);
    for (size_t p = 0u; p < h->pool_count; p++) {
        const poolheap_pool_config_t *pool = &h->pools[p];
        uint64_t bytes = (uint64_t)pool->block * pool->capacity;
        double x = MARGIN + (double)offsets[p] * scale, w = (double)bytes * scale;
        char label[48];
        int n = snprintf(label, sizeof label, "%u × %u", pool->block, pool->capacity);
        fprintf(out,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\" "
                "stroke-width=\"1\"><title>pool %zu: %s (%llu bytes)</title></rect>\n",
                x, y, w, BAND_HEIGHT, colours[p % COLOUR_COUNT], p, label, (unsigned long long)bytes);
        draw_label(out, x, w, y, label, (size_t)n - 1u); /* "×" is two bytes, one character */
    }
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" class=\"frame\"/>\n", MARGIN, y, band,
            BAND_HEIGHT);
    double axis = y + BAND_HEIGHT + 16.0;
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\">0</text>\n", MARGIN, axis);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"axis\" text-anchor=\"end\">%llu bytes with padding</text>\n",
            WIDTH - MARGIN, axis, (unsigned long long)span);
    double legend = y + BAND_HEIGHT + AXIS_HEIGHT;
    double column = (WIDTH - 2.0 * MARGIN) / LEGEND_COLUMNS;
    for (size_t p = 0u; p < h->pool_count; p++) {
        const poolheap_pool_config_t *pool = &h->pools[p];
        uint64_t bytes = (uint64_t)pool->block * pool->capacity;
        double lx = MARGIN + (double)(p % LEGEND_COLUMNS) * column,
               ly = legend + (double)(p / LEGEND_COLUMNS) * LEGEND_ROW;
        fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", lx, ly + 4.0,
                colours[p % COLOUR_COUNT]);
        fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">%u B × %u = %llu B (%.1f%%)</text>\n", lx + 18.0,
                ly + 14.0, pool->block, pool->capacity, (unsigned long long)bytes,
                100.0 * (double)bytes / (double)h->size);
    }
    double ly = legend + (double)(legend_rows(h) - 1u) * LEGEND_ROW;
    fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"url(#padding)\" stroke=\"#333\"/>\n",
            MARGIN, ly + 4.0);
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\">alignment padding: %llu B</text>\n", MARGIN + 18.0,
            ly + 14.0, (unsigned long long)(span - h->size));
}

int ph_write_svg(FILE *out, const void *context) {
    const ph_config_t *config = context;
    double height = MARGIN;
    for (size_t i = 0u; i < config->count; i++) {
        height += heap_height(&config->heaps[i]);
    }
    fprintf(out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n"
            "<style>text{font-family:sans-serif;fill:#222}.title{font-size:17px;font-weight:bold}"
            ".in{font-size:12px;fill:#fff;font-weight:bold}.axis{font-size:11px;fill:#555}.legend{font-size:12px}"
            ".frame{fill:none;stroke:#333;stroke-width:1}</style>\n"
            "<defs><pattern id=\"padding\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
            "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#eee\"/>"
            "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#bbb\" stroke-width=\"2\"/></pattern></defs>\n"
            "<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n",
            WIDTH, height, WIDTH, height);
    double top = MARGIN / 2.0;
    for (size_t i = 0u; i < config->count; i++) {
        draw_heap(out, &config->heaps[i], top);
        top += heap_height(&config->heaps[i]);
    }
    fputs("</svg>\n", out);
    return ferror(out) ? -1 : 0;
}
