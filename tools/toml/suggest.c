/* Optimal string alignment distance over short words. */
#include "suggest.h"

#include <string.h>

#define MAX_WORD 64u

static size_t min3(size_t a, size_t b, size_t c) {
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

static size_t edit_distance(const char *a, const char *b) {
    size_t n = strlen(a), m = strlen(b);
    size_t d[MAX_WORD + 1u][MAX_WORD + 1u];
    for (size_t i = 0u; i <= n; i++) {
        for (size_t j = 0u; j <= m; j++) {
            if (i == 0u || j == 0u) {
                d[i][j] = i + j;
                continue;
            }
            size_t cost = a[i - 1u] == b[j - 1u] ? 0u : 1u;
            d[i][j] = min3(d[i - 1u][j] + 1u, d[i][j - 1u] + 1u, d[i - 1u][j - 1u] + cost);
            if (i > 1u && j > 1u && a[i - 1u] == b[j - 2u] && a[i - 2u] == b[j - 1u] &&
                d[i - 2u][j - 2u] + 1u < d[i][j]) {
                d[i][j] = d[i - 2u][j - 2u] + 1u;
            }
        }
    }
    return d[n][m];
}

const char *ph_suggest(const char *word, const char *const *candidates, size_t count) {
    size_t length = strlen(word), best_distance = 3u;
    const char *best = NULL;
    if (length >= MAX_WORD) {
        return NULL;
    }
    for (size_t i = 0u; i < count; i++) {
        if (strlen(candidates[i]) >= MAX_WORD) {
            continue;
        }
        size_t distance = edit_distance(word, candidates[i]);
        if (distance < best_distance && distance < length) {
            best_distance = distance;
            best = candidates[i];
        }
    }
    return best;
}
