/* Boundary DP: see tune_dp.h.
 *
 * cost[k][j] = the smallest size of k pools covering classes 0..j, the last
 * one ending at j:
 *   cost[1][j] = values[j] * peak(0, j)                   if admissible
 *   cost[k][j] = min over i of cost[k-1][i-1] + values[j] * peak(i, j)
 * and from[k][j] keeps the i chosen, to walk the boundaries back. The
 * answer for k pools is the smallest cost[k][j] over the classes j from
 * the largest any object lives in: the classes above it, which no request
 * asks, need no pool (the class added for alignment must not take a pool
 * of `max_pools` that a used class could have). */
#include "tune_dp.h"

#include <stdlib.h>

#define PH_NONE UINT64_MAX

static uint32_t ph_lowbit(uint32_t x) {
    return x & (0u - x);
}

/* The layout of k pools ending at class `end`, walked back through `from`.
 * A range no object ever lives in (only shrinking reallocs ask its sizes)
 * has peak 0: it is left out, which changes no other pool's requests. */
static void ph_walk_back(const ph_tune_input_t *in, const uint32_t *peak, const uint32_t *from, size_t k, size_t end,
                         uint64_t size, ph_tune_layout_t *out) {
    size_t S = in->class_count, kept = 0u;
    poolheap_pool_config_t reversed[POOLHEAP_MAX_POOLS];
    for (size_t pool = k; pool-- > 0u;) {
        size_t start = from[pool * S + end];
        if (peak[start * S + end] != 0u) {
            reversed[kept++] = (poolheap_pool_config_t){in->values[end], peak[start * S + end]};
        }
        end = start - 1u; /* wraps for the first pool, which is the last walked */
    }
    out->pool_count = kept;
    out->size = size;
    for (size_t p = 0u; p < kept; p++) {
        out->pools[p] = reversed[kept - 1u - p];
    }
}

/* The largest class some object lives in (its running maximum): the
 * classes above it (at most the one added for alignment, which no request
 * asks) need no pool, so a layout may end at any class from it on. O(S). */
static size_t ph_last_live_class(const uint32_t *peak, size_t S) {
    size_t last = S - 1u;
    while (last > 0u && peak[last * S + S - 1u] == 0u) {
        last--;
    }
    return last;
}

int ph_tune_dp(const ph_tune_input_t *input, const uint32_t *peak, size_t max_pools, int admissible_only,
               ph_tune_layout_t *best) {
    size_t S = input->class_count;
    size_t K = max_pools < S ? max_pools : S;
    uint64_t *cost = malloc(K * S * sizeof *cost);
    uint32_t *from = malloc(K * S * sizeof *from);
    if (cost == NULL || from == NULL) {
        free(cost);
        free(from);
        return -1;
    }
    for (size_t x = 0u; x < K * S; x++) {
        cost[x] = PH_NONE;
    }
    for (size_t j = 0u; j < S; j++) {
        uint64_t block = input->values[j];
        uint32_t need = 1u;
        for (size_t i = j + 1u; i-- > 0u;) {
            need = input->align_need[i] > need ? input->align_need[i] : need;
            if (admissible_only && ph_lowbit((uint32_t)block) < need) {
                break; /* every range starting lower holds class i too */
            }
            uint64_t pool = block * peak[i * S + j];
            if (i == 0u) {
                cost[j] = pool;
                from[j] = 0u;
                continue;
            }
            for (size_t k = 1u; k < K; k++) {
                uint64_t before = cost[(k - 1u) * S + i - 1u];
                if (before != PH_NONE && before + pool < cost[k * S + j]) {
                    cost[k * S + j] = before + pool;
                    from[k * S + j] = (uint32_t)i;
                }
            }
        }
    }
    size_t last = ph_last_live_class(peak, S);
    for (size_t k = 1u; k <= max_pools; k++) {
        best[k - 1u].pool_count = 0u;
        best[k - 1u].size = PH_NONE;
        for (size_t end = last; k <= K && end < S; end++) {
            uint64_t size = cost[(k - 1u) * S + end];
            if (size < best[k - 1u].size) {
                ph_walk_back(input, peak, from, k, end, size, &best[k - 1u]);
            }
        }
    }
    free(cost);
    free(from);
    return 0;
}

int ph_tune_split(const ph_tune_input_t *input, const uint32_t *peak, const ph_tune_layout_t *layout, size_t c,
                  ph_tune_layout_t *out) {
    size_t S = input->class_count, start = 0u;
    if (layout->pool_count >= POOLHEAP_MAX_POOLS) {
        return 0;
    }
    out->pool_count = 0u;
    out->size = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        size_t end = ph_tune_class_at_least(input, layout->pools[p].block);
        if (c == end) {
            return 0;
        }
        size_t ends[2] = {c, end};
        for (size_t i = c >= start && c < end ? 0u : 1u; i < 2u; i++) {
            uint32_t capacity = peak[start * S + ends[i]];
            if (capacity == 0u) {
                return 0;
            }
            out->pools[out->pool_count++] = (poolheap_pool_config_t){input->values[ends[i]], capacity};
            out->size += (uint64_t)input->values[ends[i]] * capacity;
            start = ends[i] + 1u;
        }
    }
    return out->pool_count > layout->pool_count;
}
