/* Which pool of a layout each live object of a trace asks for, event by
 * event: its first choice, the smallest block that fits its size and is
 * aligned enough, as the library chooses before any fallback; a realloc
 * that still fits keeps its pool, one that does not moves to the first
 * choice for its new size. Shared by the report's curves and its sites. */
#ifndef POOLHEAP_REPORT_POOL_DEMAND_H
#define POOLHEAP_REPORT_POOL_DEMAND_H

#include <stddef.h>
#include <stdint.h>

#include "poolheap.h"
#include "trace/trace.h"

/* A pool index for "no pool": the object's size fits no block. */
#define PH_NO_POOL 0xFFu

/* What an event did to the pools: the pool the object left and the pool it
 * entered (PH_NO_POOL if none fits), each PH_POOL_UNCHANGED if nothing. */
typedef struct ph_pool_move {
    uint32_t left, entered;
} ph_pool_move_t;

#define PH_POOL_UNCHANGED UINT32_MAX

/* Applies `event` to pool_of[] (one byte per object id, written on the
 * object's ALLOC) and says what it moved. FAIL events move nothing. O(log pools). */
ph_pool_move_t ph_pool_demand_step(const poolheap_pool_config_t *pools, size_t count, uint8_t *pool_of,
                                   const ph_event_t *event);

#endif /* POOLHEAP_REPORT_POOL_DEMAND_H */
