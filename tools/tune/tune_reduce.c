/* Capacities from model replays: see tune_reduce.h. */
#include "tune_reduce.h"

static uint64_t ph_layout_size(const ph_tune_layout_t *layout) {
    uint64_t size = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        size += (uint64_t)layout->pools[p].block * layout->pools[p].capacity;
    }
    return size;
}

static int ph_serves(ph_tune_sim_t *sim, const ph_tune_layout_t *layout) {
    return ph_tune_sim_run(sim, layout->pools, layout->pool_count, 0, 1, NULL) == 0u;
}

uint64_t ph_tune_trim(ph_tune_sim_t *sim, ph_tune_layout_t *layout) {
    uint32_t peak[POOLHEAP_MAX_POOLS];
    ph_tune_sim_run(sim, layout->pools, layout->pool_count, 0, 0, peak);
    size_t kept = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        if (peak[p] != 0u) {
            layout->pools[kept++] = (poolheap_pool_config_t){layout->pools[p].block, peak[p]};
        }
    }
    layout->pool_count = kept;
    layout->size = ph_layout_size(layout);
    return layout->size;
}

/* Whatever pool p's capacity, as long as nothing fails the smaller pools
 * see the same requests and hold the same objects (ph_tune_sim_focus), so
 * the objects in pools p and above are the same at every step: pool p needs
 * at least their peak in the current layout minus the capacity of the
 * larger pools. Focuses the model on pools p.. and returns that bound. */
static uint32_t ph_focus_on(ph_tune_sim_t *sim, const ph_tune_layout_t *layout, size_t p) {
    ph_tune_sim_focus(sim, layout->pools, layout->pool_count, (uint32_t)p); /* the layout serves */
    uint64_t above = 0u;
    for (size_t q = p + 1u; q < layout->pool_count; q++) {
        above += layout->pools[q].capacity;
    }
    return sim->base_peak > above ? (uint32_t)(sim->base_peak - above) : 0u;
}

int ph_tune_exact(ph_tune_sim_t *sim, ph_tune_layout_t *layout) {
    uint32_t peak[POOLHEAP_MAX_POOLS];
    for (size_t p = 0u; p < layout->pool_count; p++) {
        layout->pools[p].capacity = UINT32_MAX;
    }
    if (ph_tune_sim_run(sim, layout->pools, layout->pool_count, 1, 1, peak) != 0u) {
        return -1;
    }
    size_t kept = 0u;
    layout->size = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        if (peak[p] != 0u) {
            layout->pools[kept++] = (poolheap_pool_config_t){layout->pools[p].block, peak[p]};
            layout->size += (uint64_t)layout->pools[p].block * peak[p];
        }
    }
    layout->pool_count = kept;
    return 0;
}

/* The smallest capacity of pool p, at most its current one, for which the
 * layout still serves the traces: the current one less one block (if that
 * fails, most often, nothing can go), then the floor above (if that serves,
 * nothing lower can), then bisection between them. */
static void ph_reduce_pool(ph_tune_sim_t *sim, ph_tune_layout_t *layout, size_t p) {
    uint32_t hi = layout->pools[p].capacity; /* serves */
    uint32_t lo = ph_focus_on(sim, layout, p);
    if (lo < hi) {
        layout->pools[p].capacity = hi - 1u;
        if (!ph_serves(sim, layout)) {
            lo = hi;
        } else if (--hi > lo) {
            layout->pools[p].capacity = lo;
            if (ph_serves(sim, layout)) {
                hi = lo;
            }
            lo++;
        }
    }
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2u;
        layout->pools[p].capacity = mid;
        if (ph_serves(sim, layout)) {
            hi = mid;
        } else {
            lo = mid + 1u;
        }
    }
    layout->pools[p].capacity = hi;
    ph_tune_sim_unfocus(sim);
}

uint64_t ph_tune_reduce(ph_tune_sim_t *sim, ph_tune_layout_t *layout) {
    ph_tune_trim(sim, layout);
    for (size_t p = layout->pool_count - 1u; p-- > 0u;) {
        ph_reduce_pool(sim, layout, p);
    }
    return ph_tune_trim(sim, layout);
}
