/* All range peaks at once: see tune_peaks.h and docs/tuning.md.
 *
 * The trace becomes a sequence of deltas (+1 or -1 on one class). It is cut
 * into blocks of max(PH_BLOCK_MIN, S) deltas. For a block, a divide and conquer over its
 * deltas computes, for every range of the classes the block touches
 * ("compressed" ranges), the highest partial sum the range's deltas reach
 * inside the block. A node of that recursion is (m, C, D, W):
 *   C[0..m)  the classes touched, increasing;
 *   D[0..m)  each one's net delta;
 *   W        an (m+1) x (m+1) matrix, W[l][e] = the highest partial sum
 *            (0 for the empty prefix) of the deltas on classes C[l..e-1],
 *            W[l][l] = 0.
 * Merging a left node L and a right node R (R's deltas come later):
 *   W[p][q+1] = max(WL(p..q), DL(p..q) + WR(p..q))
 * where X(p..q) restricts to X's classes between C[p] and C[q]. Each block's
 * W then raises the global peaks: peak(a, b) = max(peak(a, b), live count of
 * a..b at the block's start + W(a..b)). */
#include "tune_peaks.h"

#include <stdlib.h>
#include <string.h>

/* Deltas per block: at least this many, and at least S. Longer blocks make
 * fewer global updates (S^2 / 2 each) and deeper merges (up to S^2 each);
 * measured best for S = 200 and S = 1000. */
#define PH_BLOCK_MIN 256u

static size_t ph_node_words(size_t m) {
    return 1u + 2u * m + (m + 1u) * (m + 1u);
}

/* Scratch space of one merge: index maps and prefix sums, 6 * (S + 1). */
typedef struct ph_merge_scratch {
    int32_t *l_lt, *l_le, *r_lt, *r_le, *l_sum, *r_sum;
} ph_merge_scratch_t;

/* Writes the node of one delta at `out`. */
static void ph_leaf(uint32_t delta, int32_t *out) {
    int32_t sign = (delta & 1u) ? 1 : -1;
    out[0] = 1;
    out[1] = (int32_t)(delta >> 1u);
    out[2] = sign;
    int32_t *w = out + 3;
    w[0] = 0;
    w[1] = sign > 0 ? 1 : 0;
    w[2] = 0;
    w[3] = 0;
}

/* For each merged class c[k]: how many of `side`'s classes are below it
 * (lt) and at most it (le); plus side's prefix sums of D. */
static void ph_side_maps(const int32_t *side, const int32_t *c, int32_t m, int32_t *lt, int32_t *le, int32_t *sum) {
    int32_t ms = side[0];
    const int32_t *cs = side + 1, *ds = side + 1 + ms;
    sum[0] = 0;
    for (int32_t i = 0; i < ms; i++) {
        sum[i + 1] = sum[i] + ds[i];
    }
    int32_t j = 0;
    for (int32_t k = 0; k < m; k++) {
        while (j < ms && cs[j] < c[k]) {
            j++;
        }
        lt[k] = j;
        le[k] = j + (j < ms && cs[j] == c[k]);
    }
}

static void ph_merge(const int32_t *l, const int32_t *r, int32_t *out, const ph_merge_scratch_t *s) {
    int32_t ml = l[0], mr = r[0];
    const int32_t *cl = l + 1, *cr = r + 1;
    const int32_t *wl = l + 1 + 2 * ml, *wr = r + 1 + 2 * mr;
    int32_t *c = out + 1, m = 0;
    for (int32_t i = 0, j = 0; i < ml || j < mr;) {
        if (j == mr || (i < ml && cl[i] < cr[j])) {
            c[m++] = cl[i++];
        } else {
            i += i < ml && cl[i] == cr[j];
            c[m++] = cr[j++];
        }
    }
    out[0] = m;
    int32_t *d = c + m, *w = d + m;
    ph_side_maps(l, c, m, s->l_lt, s->l_le, s->l_sum);
    ph_side_maps(r, c, m, s->r_lt, s->r_le, s->r_sum);
    for (int32_t k = 0; k < m; k++) {
        d[k] = s->l_sum[s->l_le[k]] - s->l_sum[s->l_lt[k]] + s->r_sum[s->r_le[k]] - s->r_sum[s->r_lt[k]];
    }
    size_t stride = (size_t)m + 1u, sl = (size_t)ml + 1u, sr = (size_t)mr + 1u;
    w[(size_t)m * stride + (size_t)m] = 0;
    for (int32_t p = 0; p < m; p++) {
        int32_t *row = w + (size_t)p * stride;
        const int32_t *rowl = wl + (size_t)s->l_lt[p] * sl;
        const int32_t *rowr = wr + (size_t)s->r_lt[p] * sr;
        int32_t basel = s->l_sum[s->l_lt[p]];
        row[p] = 0;
        for (int32_t q = p; q < m; q++) {
            int32_t el = s->l_le[q], er = s->r_le[q];
            int32_t left = rowl[el], right = s->l_sum[el] - basel + rowr[er];
            row[q + 1] = left > right ? left : right;
        }
    }
}

/* The node of deltas [lo, hi) at arena + at; returns its size in words. */
static size_t ph_solve(const uint32_t *delta, size_t lo, size_t hi, int32_t *arena, size_t at,
                       const ph_merge_scratch_t *s) {
    if (hi - lo == 1u) {
        ph_leaf(delta[lo], arena + at);
        return ph_node_words(1u);
    }
    size_t mid = lo + (hi - lo) / 2u;
    size_t left = ph_solve(delta, lo, mid, arena, at, s);
    size_t right = ph_solve(delta, mid, hi, arena, at + left, s);
    int32_t *out = arena + at + left + right;
    ph_merge(arena + at, arena + at + left, out, s);
    size_t words = ph_node_words((size_t)out[0]);
    memmove(arena + at, out, words * sizeof *out);
    return words;
}

/* Words the recursion over `len` deltas may hold at once, with S classes. */
static size_t ph_arena_words(size_t len, size_t classes) {
    size_t m = 2u * len < classes ? 2u * len : classes;
    if (len <= 1u) {
        return ph_node_words(1u);
    }
    size_t half = (len + 1u) / 2u;
    size_t child = ph_node_words(2u * half < classes ? 2u * half : classes);
    size_t deeper = ph_arena_words(half, classes);
    size_t here = 2u * child + ph_node_words(m);
    return (child + deeper > here ? child + deeper : here) + 1u;
}

/* State of the sweep over one trace. */
typedef struct ph_sweep {
    size_t classes;
    int32_t *live;   /* per class: objects live now */
    int64_t *prefix; /* prefix[k] = objects live in classes below k */
    int32_t *lt, *le;
    int32_t *arena;
    size_t block; /* deltas per block */
    ph_merge_scratch_t scratch;
    uint32_t *peak;
} ph_sweep_t;

/* Raises the peaks with one block's node, then moves the live counts on. */
static void ph_apply_block(ph_sweep_t *sw, const int32_t *node) {
    size_t S = sw->classes;
    int32_t m = node[0];
    const int32_t *c = node + 1, *d = c + m, *w = d + m;
    size_t stride = (size_t)m + 1u;
    sw->prefix[0] = 0;
    for (size_t k = 0u; k < S; k++) {
        sw->prefix[k + 1u] = sw->prefix[k] + sw->live[k];
    }
    for (size_t k = 0u, j = 0u; k < S; k++) {
        while (j < (size_t)m && (size_t)c[j] < k) {
            j++;
        }
        sw->lt[k] = (int32_t)j;
        sw->le[k] = (int32_t)(j + (j < (size_t)m && (size_t)c[j] == k));
    }
    for (size_t a = 0u; a < S; a++) {
        int32_t la = sw->lt[a];
        if (la == m) {
            break; /* no touched class at or above a: nothing changed */
        }
        const int32_t *row = w + (size_t)la * stride;
        uint32_t *out = sw->peak + a * S;
        int64_t base = sw->prefix[a];
        for (size_t b = (size_t)c[la]; b < S; b++) {
            int64_t value = sw->prefix[b + 1u] - base + row[sw->le[b]];
            out[b] = value > out[b] ? (uint32_t)value : out[b];
        }
    }
    for (int32_t k = 0; k < m; k++) {
        sw->live[c[k]] += d[k];
    }
}

/* The deltas of one trace: +1 / -1 on the running maximum class. */
static size_t ph_deltas(const ph_tune_trace_t *trace, uint16_t *current, uint32_t *delta) {
    size_t n = 0u;
    for (size_t i = 0u; i < trace->objects; i++) {
        current[i] = UINT16_MAX;
    }
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_tune_op_t *op = &trace->ops[i];
        uint16_t *cur = &current[op->object];
        if (op->kind == PH_TUNE_ALLOC) {
            *cur = op->cls;
            delta[n++] = (uint32_t)op->cls << 1u | 1u;
        } else if (*cur == UINT16_MAX) {
            continue;
        } else if (op->kind == PH_TUNE_FREE) {
            delta[n++] = (uint32_t)*cur << 1u;
            *cur = UINT16_MAX;
        } else if (op->cls > *cur) {
            delta[n++] = (uint32_t)*cur << 1u;
            delta[n++] = (uint32_t)op->cls << 1u | 1u;
            *cur = op->cls;
        }
    }
    return n;
}

static int ph_sweep_trace(ph_sweep_t *sw, const ph_tune_trace_t *trace) {
    uint16_t *current = malloc((trace->objects ? trace->objects : 1u) * sizeof *current);
    uint32_t *delta = malloc((2u * trace->count + 1u) * sizeof *delta);
    if (current == NULL || delta == NULL) {
        free(current);
        free(delta);
        return -1;
    }
    size_t n = ph_deltas(trace, current, delta);
    memset(sw->live, 0, sw->classes * sizeof *sw->live);
    for (size_t lo = 0u; lo < n; lo += sw->block) {
        size_t hi = n - lo < sw->block ? n : lo + sw->block;
        ph_solve(delta, lo, hi, sw->arena, 0u, &sw->scratch);
        ph_apply_block(sw, sw->arena);
    }
    free(current);
    free(delta);
    return 0;
}

int ph_tune_peaks(const ph_tune_input_t *input, uint32_t *peak) {
    size_t S = input->class_count;
    for (size_t a = 0u; a < S; a++) {
        memset(peak + a * S + a, 0, (S - a) * sizeof *peak);
    }
    ph_sweep_t sw = {.classes = S, .peak = peak, .block = S > PH_BLOCK_MIN ? S : PH_BLOCK_MIN};
    sw.live = malloc(S * sizeof *sw.live);
    sw.prefix = malloc((S + 1u) * sizeof *sw.prefix);
    sw.lt = malloc(S * sizeof *sw.lt);
    sw.le = malloc(S * sizeof *sw.le);
    sw.arena = malloc(ph_arena_words(sw.block, S) * sizeof *sw.arena);
    int32_t *scratch = malloc(6u * (S + 2u) * sizeof *scratch);
    int status = sw.live && sw.prefix && sw.lt && sw.le && sw.arena && scratch ? 0 : -1;
    if (status == 0) {
        int32_t **parts[6] = {&sw.scratch.l_lt, &sw.scratch.l_le,  &sw.scratch.r_lt,
                              &sw.scratch.r_le, &sw.scratch.l_sum, &sw.scratch.r_sum};
        for (size_t i = 0u; i < 6u; i++) {
            *parts[i] = scratch + i * (S + 2u);
        }
    }
    for (size_t t = 0u; t < input->trace_count && status == 0; t++) {
        status = ph_sweep_trace(&sw, &input->traces[t]);
    }
    free(sw.live);
    free(sw.prefix);
    free(sw.lt);
    free(sw.le);
    free(sw.arena);
    free(scratch);
    return status;
}
