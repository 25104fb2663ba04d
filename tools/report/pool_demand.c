/* Pool demand, event by event (pool_demand.h). */
#include "pool_demand.h"

/* The first pool whose block holds `size` and is aligned to `align`. */
static uint8_t first_choice(const poolheap_pool_config_t *pools, size_t count, uint32_t size, uint32_t align) {
    size_t lo = 0u, hi = count;
    uint32_t need = size > 0u ? size : 1u;
    while (lo < hi) { /* the first block >= need */
        size_t mid = (lo + hi) / 2u;
        if (pools[mid].block < need) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    while (lo < count && (pools[lo].block & (0u - pools[lo].block)) < align) {
        lo++;
    }
    return lo < count ? (uint8_t)lo : PH_NO_POOL;
}

ph_pool_move_t ph_pool_demand_step(const poolheap_pool_config_t *pools, size_t count, uint8_t *pool_of,
                                   const ph_event_t *e) {
    ph_pool_move_t move = {PH_POOL_UNCHANGED, PH_POOL_UNCHANGED};
    if (e->kind == PH_EVENT_ALLOC) {
        pool_of[e->object] = first_choice(pools, count, e->size, e->align);
        move.entered = pool_of[e->object];
    } else if (e->kind == PH_EVENT_REALLOC) {
        uint8_t pool = pool_of[e->object];
        if (pool == PH_NO_POOL || e->size > pools[pool].block) { /* moves */
            move.left = pool;
            pool_of[e->object] = first_choice(pools, count, e->size, 1u);
            move.entered = pool_of[e->object];
        }
    } else if (e->kind == PH_EVENT_FREE) {
        move.left = pool_of[e->object];
    }
    return move;
}
