/* The jointly smallest growth of a layout: see tune_grow_search.h. */
#include "tune_grow_search.h"

#include <stdlib.h>

#include "tune_margin.h"

#define PH_UNLIMITED UINT32_MAX

typedef struct ph_grow_search {
    ph_tune_sim_t *sim;
    const ph_tune_layout_t *given;
    uint32_t demand[POOLHEAP_MAX_POOLS]; /* D_p, the most over the traces */
    ph_tune_layout_t *best;
    uint64_t operations_left; /* the budget, in modelled operations */
    int ended;                /* 0 once the budget cut the search short */
} ph_grow_search_t;

/* The cheapest capacities of pools q.. meeting only the tail demands and
 * the given capacities, filled from the largest pool down; returns their
 * cost and sets *held to the blocks they hold (C_q). */
static uint64_t ph_floor_cost(const ph_grow_search_t *s, size_t q, uint64_t *held) {
    uint64_t cost = 0u, blocks = 0u;
    for (size_t r = s->given->pool_count; r-- > q;) {
        uint64_t capacity = s->given->pools[r].capacity;
        if (s->demand[r] > blocks + capacity) {
            capacity = s->demand[r] - blocks;
        }
        blocks += capacity;
        cost += capacity * s->given->pools[r].block;
    }
    *held = blocks;
    return cost;
}

/* The operations of a stream (NULL: the whole input). */
static uint64_t ph_stream_length(const ph_tune_sim_t *sim, const ph_tune_trace_t *stream) {
    uint64_t length = 0u;
    for (size_t t = 0u; t < sim->input->trace_count; t++) {
        length += stream != NULL ? stream[t].count : sim->input->traces[t].count;
    }
    return length;
}

/* The operations that reach the pools a node replays, and from which pool
 * their allocations start (ph_tune_sim_stream). */
typedef struct ph_stream {
    const ph_tune_trace_t *traces; /* NULL: the whole input */
    uint32_t start;
} ph_stream_t;

/* The most objects live at once in pools p.. of `layout` with those pools
 * unlimited (one model replay of `from`), and in *own those in pool p
 * alone; keeps the operations that reach pools p.. in `keep` unless it is
 * NULL (room in `storage`). -1 if a request fails in pools 0..p-1 or the
 * budget is spent. */
static int64_t ph_tail_peak(ph_grow_search_t *s, ph_tune_layout_t *layout, size_t p, ph_stream_t from,
                            ph_tune_trace_t *keep, ph_tune_op_t *storage, uint64_t *own) {
    uint64_t length = ph_stream_length(s->sim, from.traces);
    if (s->operations_left < length) {
        s->ended = 0;
        return -1;
    }
    s->operations_left -= length;
    for (size_t q = p; q < layout->pool_count; q++) {
        layout->pools[q].capacity = PH_UNLIMITED;
    }
    int status = ph_tune_sim_stream(s->sim, from.traces, from.start, layout->pools, layout->pool_count, (uint32_t)p,
                                    keep, storage);
    *own = s->sim->base_own_peak;
    return status == 0 ? (int64_t)s->sim->base_peak : -1;
}

static void ph_search(ph_grow_search_t *s, ph_tune_layout_t layout, size_t p, uint64_t cost, ph_stream_t from);

/* A node's bound, as in ph_search_children. */
typedef struct ph_node_bound {
    uint64_t cost, block, floor, held, next, need;
    ph_stream_t stream; /* what the children replay */
} ph_node_bound_t;

/* Tries pool p at capacity x under the node of `layout`; returns 0 (and
 * tries nothing) once the bound reaches the best found or the budget is
 * spent: farther from the lowest bound, it only grows. */
static int ph_try_child(ph_grow_search_t *s, ph_tune_layout_t *layout, size_t p, const ph_node_bound_t *b, uint64_t x) {
    uint64_t shortfall = b->need > x + b->held ? b->need - x - b->held : 0u;
    if (!s->ended || b->cost + b->block * x + b->floor + b->next * shortfall >= s->best->size) {
        return 0;
    }
    layout->pools[p].capacity = (uint32_t)x;
    ph_search(s, *layout, p + 1u, b->cost + b->block * x, b->stream);
    return 1;
}

/* The children of a node whose replay gave `peak` (N_p) and `own` (M_p):
 * pool p from the capacity with the lowest bound outwards while the bound
 * stays below the best found, each child replaying `stream`. The bound of
 * child x is cost + block * x + floor + next * (need - x - held, if
 * positive): `floor` and `held` the cost and blocks of the cheapest pools
 * p + 1.. meeting their tail demands, `next` the block of pool p + 1, where
 * a shortfall of pools p.. is cheapest to make up. */
static void ph_search_children(ph_grow_search_t *s, ph_tune_layout_t *layout, size_t p, uint64_t cost, uint64_t peak,
                               uint64_t own, ph_stream_t stream) {
    uint64_t given = s->given->pools[p].capacity, block = layout->pools[p].block;
    uint64_t most = own > given ? own : given; /* more blocks would stay unused */
    if (p + 1u == layout->pool_count) {        /* the last pool: exactly what it must hold */
        if (cost + block * most < s->best->size) {
            layout->pools[p].capacity = (uint32_t)most;
            layout->size = cost + block * most;
            *s->best = *layout;
        }
        return;
    }
    ph_node_bound_t b = {
        .cost = cost, .block = block, .next = layout->pools[p + 1u].block, .need = peak, .stream = stream};
    b.floor = ph_floor_cost(s, p + 1u, &b.held);
    uint64_t lowest = b.need > b.held ? b.need - b.held : 0u;
    lowest = lowest < given ? given : lowest > most ? most : lowest;
    for (uint64_t x = lowest; x <= most && ph_try_child(s, layout, p, &b, x); x++) {
    }
    for (uint64_t x = lowest; x-- > given && ph_try_child(s, layout, p, &b, x);) {
    }
}

/* The node whose pools 0..p-1 have the capacities of `layout` and cost
 * `cost`: one model replay of `from` (the operations that reach pools
 * p - 1.., or all), which keeps those that reach pools p.. for the
 * children (they replay `from` if there is no memory for that), then its
 * children. */
static void ph_search(ph_grow_search_t *s, ph_tune_layout_t layout, size_t p, uint64_t cost, ph_stream_t from) {
    ph_tune_trace_t *keep = NULL;
    ph_tune_op_t *storage = NULL;
    if (p + 1u < layout.pool_count) {
        keep = malloc(s->sim->input->trace_count * sizeof *keep);
        storage = malloc((ph_stream_length(s->sim, from.traces) + 1u) * sizeof *storage);
    }
    if (keep == NULL || storage == NULL) {
        free(keep);
        free(storage);
        keep = NULL;
        storage = NULL;
    }
    uint64_t own;
    int64_t peak = ph_tail_peak(s, &layout, p, from, keep, storage, &own);
    if (peak >= 0) {
        ph_search_children(s, &layout, p, cost, (uint64_t)peak, own,
                           keep != NULL ? (ph_stream_t){keep, (uint32_t)p} : from);
    }
    free(keep);
    free(storage);
}
int ph_tune_grow_jointly(ph_tune_sim_t *sim, const ph_tune_layout_t *given, ph_tune_layout_t *best) {
    size_t P = given->pool_count, T = sim->input->trace_count;
    uint32_t *tail = malloc((T ? T : 1u) * P * sizeof *tail);
    uint64_t operations = 1u;
    for (size_t t = 0u; t < T; t++) {
        operations += sim->input->traces[t].count;
    }
    uint64_t runs = operations * PH_TUNE_GROW_SEARCH_RUNS;
    ph_grow_search_t s = {.sim = sim,
                          .given = given,
                          .best = best,
                          .operations_left =
                              runs > PH_TUNE_GROW_SEARCH_OPERATIONS ? runs : PH_TUNE_GROW_SEARCH_OPERATIONS,
                          .ended = 1};
    ph_tune_sim_unfocus(sim);
    if (tail == NULL || ph_tune_tail_demand(sim->input, given, tail) != 0) {
        free(tail);
        return -1;
    }
    for (size_t t = 0u; t < T; t++) {
        for (size_t p = 0u; p < P; p++) {
            s.demand[p] = tail[t * P + p] > s.demand[p] ? tail[t * P + p] : s.demand[p];
        }
    }
    free(tail);
    best->size = 0u;
    for (size_t p = 0u; p < P; p++) {
        best->size += (uint64_t)best->pools[p].block * best->pools[p].capacity;
    }
    ph_search(&s, *given, 0u, 0u, (ph_stream_t){NULL, 0u});
    return s.ended;
}
