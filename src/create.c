/* Heaps built at run time, and resetting any heap. */
#include <string.h>

#include "internal.h"

static uint32_t ph_lowbit(uint32_t x) {
    return x & (0u - x);
}

static uint32_t ph_log2_pow2(uint32_t pow2) {
    uint32_t k = 0u;
    while (pow2 > 1u) {
        pow2 >>= 1u;
        k++;
    }
    return k;
}

/* Inverse of an odd d modulo 2^32 (Newton: 3, 6, 12, 24, 48 correct bits);
 * the same computation as POOLHEAP_INVERSE_ in poolheap/define.h. */
static uint32_t ph_inverse(uint32_t d) {
    uint32_t x = d;
    for (int step = 0; step < 4; step++) {
        x *= 2u - d * x;
    }
    return x;
}

/* Fills the pool descriptors of `rt` for a region at `base` (if rt is not
 * NULL) and returns the span, or 0 if the configuration is invalid. One loop
 * serves validation and layout. */
static size_t ph_layout(const poolheap_pool_config_t *pools, size_t count, poolheap_runtime_t *rt,
                        unsigned char *base) {
    if (count == 0u || count > POOLHEAP_MAX_POOLS) {
        return 0u;
    }
    uint64_t end = 0u, blocks = 0u;
    for (size_t i = 0u; i < count; i++) {
        uint32_t block = pools[i].block;
        if (block == 0u || block % sizeof(void *) != 0u || pools[i].capacity == 0u ||
            (i > 0u && block <= pools[i - 1u].block)) {
            return 0u;
        }
        uint32_t align = ph_lowbit(block);
        uint64_t start = (end + align - 1u) & ~(uint64_t)(align - 1u);
        end = start + (uint64_t)block * pools[i].capacity;
        if (end > UINT32_MAX) {
            return 0u;
        }
        if (rt != NULL) {
            uint32_t shift = ph_log2_pow2(align);
            rt->pools[i] = (poolheap_pool_t){.block = block,
                                             .capacity = pools[i].capacity,
                                             .state = &rt->pool_states[i],
                                             .start = base + start,
                                             .inverse = ph_inverse(block >> shift),
                                             .shift = shift,
                                             .end = base + end,
                                             .first = (uint32_t)blocks};
        }
        blocks += pools[i].capacity;
    }
    return (size_t)end;
}

size_t poolheap_layout_span(const poolheap_pool_config_t *pools, size_t count) {
    return ph_layout(pools, count, NULL, NULL);
}

size_t poolheap_layout_alignment(const poolheap_pool_config_t *pools, size_t count) {
    if (count == 0u || count > POOLHEAP_MAX_POOLS) {
        return 0u; /* before reading any entry: `count` may be anything */
    }
    uint32_t align = 1u;
    for (size_t i = 0u; i < count; i++) {
        uint32_t a = ph_lowbit(pools[i].block);
        align = a > align ? a : align;
    }
    return align;
}

const poolheap_t *poolheap_create(poolheap_runtime_t *rt, void *region, size_t region_size,
                                  const poolheap_pool_config_t *pools, size_t count, unsigned flags,
                                  poolheap_word_t *side_table, const char *name) {
    size_t span = ph_layout(pools, count, NULL, NULL); /* checks count before reading the entries */
    if (span == 0u) {
        return NULL;
    }
    size_t align = poolheap_layout_alignment(pools, count);
    uintptr_t base = ((uintptr_t)region + align - 1u) & ~(uintptr_t)(align - 1u);
    if (base - (uintptr_t)region > region_size || region_size - (base - (uintptr_t)region) < span) {
        return NULL;
    }
    memset(rt, 0, sizeof *rt);
    ph_layout(pools, count, rt, (unsigned char *)base);
    uint64_t size = 0u, blocks = 0u;
    for (size_t i = 0u; i < count; i++) {
        size += (uint64_t)pools[i].block * pools[i].capacity;
        blocks += pools[i].capacity;
    }
    rt->pools[count].block = UINT32_MAX; /* the sentinel (see poolheap_t.pools) */
    rt->pools[count].end = (unsigned char *)UINTPTR_MAX;
    rt->pools[count].state = &rt->pool_states[count];
    for (uint32_t c = 1u; c < POOLHEAP_CLASSES; c++) { /* entry 0 is the first pool */
        uint8_t at_most = 0u;
        while (at_most < count && pools[at_most].block <= (uint64_t)1 << (31u - c)) {
            at_most++;
        }
        rt->classes[c] = at_most;
    }
    uint32_t page_shift = 0u;
    while (span > (size_t)POOLHEAP_PAGES << page_shift) {
        page_shift++;
    }
    for (uint32_t j = 0u, i = 0u; j < POOLHEAP_PAGES; j++) {
        while (i + 1u < count && (uint64_t)(rt->pools[i + 1u].start - (unsigned char *)base) <= (uint64_t)j
                                                                                                    << page_shift) {
            i++;
        }
        rt->pages[j] = (uint8_t)i;
    }
    rt->heap = (poolheap_t){
        .base = (unsigned char *)base,
        .size = (uint32_t)size,
        .span = (uint32_t)span,
        .blocks = (uint32_t)blocks,
        .pool_count = (uint16_t)count,
        .flags = (uint16_t)flags,
        .pools = rt->pools,
        .classes = rt->classes,
        .pages = rt->pages,
        .page_shift = page_shift,
        .state = &rt->state,
        .requested = POOLHEAP_DEBUG ? side_table : NULL, /* only debug builds have the checks */
        .name = name,
    };
    poolheap_reset(&rt->heap);
    return &rt->heap;
}

void poolheap_reset(const poolheap_t *heap) {
    for (uint32_t i = 0u; i < heap->pool_count; i++) {
        poolheap_pool_state_t *st = heap->pools[i].state;
        ph_list_clear(st);
        ph_word_store(&st->fresh, 0u);
        ph_word_store(&st->fallbacks, 0u);
        ph_word_store(&st->oom, 0u);
    }
    poolheap_state_t *state = heap->state;
    ph_word_store(&state->failures, 0u);
    ph_word_store(&state->rejected, 0u);
#if POOLHEAP_DEBUG
    ph_word_store(&state->bytes_in_use, 0u);
    ph_word_store(&state->bytes_peak, 0u);
    ph_word_store(&state->requested_in_use, 0u);
    ph_word_store(&state->requested_peak, 0u);
#endif
    if (heap->requested != NULL) {
        for (uint32_t b = 0u; b < heap->blocks; b++) {
            ph_word_store(&heap->requested[b], 0u);
        }
    }
}
