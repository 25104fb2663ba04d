/* Headroom and heap-size margins: see tune_fit.h. */
#include "tune_fit.h"

#define PH_UNIT_BITS 16u /* x is a fixed-point multiplier with 16 fraction bits */

static uint64_t ph_size_of(const ph_tune_layout_t *layout) {
    uint64_t size = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        size += (uint64_t)layout->pools[p].block * layout->pools[p].capacity;
    }
    return size;
}

int ph_tune_headroom(ph_tune_layout_t *layout, uint32_t basis_points) {
    uint32_t scaled[POOLHEAP_MAX_POOLS];
    for (size_t p = 0u; p < layout->pool_count; p++) {
        uint64_t cap = layout->pools[p].capacity;
        uint64_t raised = (cap * (10000u + (uint64_t)basis_points) + 9999u) / 10000u;
        if (raised > UINT32_MAX) {
            return -1;
        }
        scaled[p] = (uint32_t)raised;
    }
    for (size_t p = 0u; p < layout->pool_count; p++) {
        layout->pools[p].capacity = scaled[p];
    }
    layout->size = ph_size_of(layout);
    return 0;
}

/* Extra blocks of a pool of capacity `cap` for multiplier x (x * cap / 2^16
 * without overflow while x * cap / 2^16 fits). */
static uint64_t ph_extra(uint64_t x, uint64_t cap) {
    return (x >> PH_UNIT_BITS) * cap + (((x & ((1u << PH_UNIT_BITS) - 1u)) * cap) >> PH_UNIT_BITS);
}

static uint64_t ph_extra_cost(const ph_tune_layout_t *layout, uint64_t x) {
    uint64_t cost = 0u;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        cost += layout->pools[p].block * ph_extra(x, layout->pools[p].capacity);
    }
    return cost;
}

int ph_tune_spread(ph_tune_layout_t *layout, uint64_t budget) {
    uint64_t size = ph_size_of(layout);
    if (size > budget) {
        return -1;
    }
    uint64_t spare = budget - size;
    size_t count = layout->pool_count;
    /* Largest x whose extra blocks fit: bisection below a bound that keeps
     * every pool's extra cost within the spare bytes (no overflow). */
    uint64_t lo = 0u, hi = UINT64_MAX;
    for (size_t p = 0u; p < count; p++) {
        uint64_t bound = ((spare / layout->pools[p].block + 1u) << PH_UNIT_BITS) / layout->pools[p].capacity + 1u;
        hi = bound < hi ? bound : hi;
    }
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo + 1u) / 2u;
        if (ph_extra_cost(layout, mid) <= spare) {
            lo = mid;
        } else {
            hi = mid - 1u;
        }
    }
    uint64_t extra[POOLHEAP_MAX_POOLS];
    for (size_t p = 0u; p < count; p++) {
        extra[p] = ph_extra(lo, layout->pools[p].capacity);
    }
    spare -= ph_extra_cost(layout, lo);
    for (;;) {
        size_t pick = count;
        for (size_t p = 0u; p < count; p++) {
            const poolheap_pool_config_t *c = &layout->pools[p];
            if (c->block > spare) {
                continue;
            }
            /* (extra + 1) / capacity smaller than the pick's; blocks grow with p, so ties keep the smaller. */
            if (pick == count || (extra[p] + 1u) * layout->pools[pick].capacity < (extra[pick] + 1u) * c->capacity) {
                pick = p;
            }
        }
        if (pick == count) {
            break;
        }
        extra[pick]++;
        spare -= layout->pools[pick].block;
    }
    for (size_t p = 0u; p < count; p++) {
        layout->pools[p].capacity += (uint32_t)extra[p];
    }
    layout->size = ph_size_of(layout);
    return 0;
}
