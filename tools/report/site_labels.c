/* Site labels (site_labels.h). */
#define _POSIX_C_SOURCE 200809L

#include "site_labels.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PH_UNKNOWN_SITE "(no caller recorded)"
#define PH_FRAME_SEPARATOR " < "

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* Index of `address`, which is present, in the sorted distinct addresses. */
static size_t index_of(const uint64_t *sorted, size_t n, uint64_t address) {
    const uint64_t *found = bsearch(&address, sorted, n, sizeof *sorted, compare_u64);
    return (size_t)(found - sorted);
}

/* Site s's text from its frames' names (or addresses). */
static char *site_text(const ph_trace_t *trace, uint32_t s, const uint64_t *sorted, size_t n, char **names) {
    if (s >= trace->site_count) {
        return strdup(PH_UNKNOWN_SITE);
    }
    uint32_t from = trace->site_start[s], to = trace->site_start[s + 1u];
    size_t size = 1u;
    char hex[24];
    for (uint32_t f = from; f < to; f++) {
        char *name = names[index_of(sorted, n, trace->site_frames[f])];
        size += (name != NULL ? strlen(name) : sizeof hex) + sizeof PH_FRAME_SEPARATOR;
    }
    char *text = malloc(size + sizeof PH_UNKNOWN_SITE);
    if (text == NULL) {
        return NULL;
    }
    text[0] = '\0';
    for (uint32_t f = from; f < to; f++) {
        const char *name = names[index_of(sorted, n, trace->site_frames[f])];
        if (name == NULL) {
            snprintf(hex, sizeof hex, "0x%" PRIx64, trace->site_frames[f]);
            name = hex;
        }
        strcat(strcat(text, f > from ? PH_FRAME_SEPARATOR : ""), name);
    }
    if (from == to) {
        strcpy(text, PH_UNKNOWN_SITE);
    }
    return text;
}

/* Sorting site ids by text, for merging equal texts into one label. */
typedef struct ph_text_entry {
    char *text;
    uint32_t site;
} ph_text_entry_t;

static int compare_entry(const void *a, const void *b) {
    const ph_text_entry_t *x = a, *y = b;
    int order = strcmp(x->text, y->text);
    return order != 0 ? order : (x->site > y->site) - (x->site < y->site);
}

/* The distinct frame addresses of every site, sorted, and their names. */
static int name_frames(const ph_trace_t *trace, const ph_symbolize_options_t *options, uint64_t **sorted, size_t *n,
                       char ***names) {
    size_t total = trace->site_count > 0u ? trace->site_start[trace->site_count] : 0u;
    *sorted = malloc((total + 1u) * sizeof **sorted);
    *names = calloc(total + 1u, sizeof **names);
    if (*sorted == NULL || *names == NULL) {
        return -1;
    }
    if (total > 0u) {
        memcpy(*sorted, trace->site_frames, total * sizeof **sorted);
    }
    qsort(*sorted, total, sizeof **sorted, compare_u64);
    *n = 0u;
    for (size_t i = 0u; i < total; i++) {
        if (*n == 0u || (*sorted)[*n - 1u] != (*sorted)[i]) {
            (*sorted)[(*n)++] = (*sorted)[i];
        }
    }
    return options != NULL ? ph_symbolize(*sorted, *n, trace, options, *names) : 0;
}

static void free_names(char **names, size_t n) {
    for (size_t i = 0u; names != NULL && i < n; i++) {
        free(names[i]);
    }
    free(names);
}

int ph_site_labels_make(const ph_trace_t *trace, const ph_sites_t *sites, const ph_symbolize_options_t *options,
                        ph_site_labels_t *out) {
    memset(out, 0, sizeof *out);
    uint64_t *sorted = NULL;
    char **names = NULL;
    size_t n = 0u;
    ph_text_entry_t *entries = malloc(sites->count * sizeof *entries);
    out->of_site = malloc(sites->count * sizeof *out->of_site);
    out->text = calloc(sites->count, sizeof *out->text);
    int result = entries != NULL && out->of_site != NULL && out->text != NULL ? 0 : -1;
    if (result == 0) {
        result = name_frames(trace, options, &sorted, &n, &names);
    }
    uint32_t made = 0u;
    for (; result == 0 && made < sites->count; made++) {
        entries[made] = (ph_text_entry_t){site_text(trace, made, sorted, n, names), made};
        result = entries[made].text != NULL ? 0 : -1;
    }
    if (result == 0) {
        qsort(entries, made, sizeof *entries, compare_entry);
        for (uint32_t i = 0u; i < made; i++) {
            if (out->count == 0u || strcmp(out->text[out->count - 1u], entries[i].text) != 0) {
                out->text[out->count++] = entries[i].text;
            } else {
                free(entries[i].text);
            }
            out->of_site[entries[i].site] = out->count - 1u;
        }
    } else {
        for (uint32_t i = 0u; entries != NULL && i < made; i++) {
            free(entries[i].text);
        }
    }
    free(entries);
    free(sorted);
    free_names(names, n);
    if (result != 0) {
        ph_site_labels_free(out);
    }
    return result;
}

void ph_site_labels_free(ph_site_labels_t *labels) {
    for (uint32_t i = 0u; labels->text != NULL && i < labels->count; i++) {
        free(labels->text[i]);
    }
    free(labels->text);
    free(labels->of_site);
    memset(labels, 0, sizeof *labels);
}
