/* Trimming the padding between pools: see tune_pad.h. */
#include "tune_pad.h"

#define PH_PAD_STEPS 64u /* raises tried per pool, in words */

static uint64_t ph_lowbit(uint64_t x) {
    return x & (0u - x);
}

static uint64_t ph_padding(uint64_t end, uint64_t block) {
    uint64_t align = ph_lowbit(block);
    return (align - end % align) % align;
}

uint64_t ph_tune_pad(const ph_tune_input_t *input, ph_tune_layout_t *layout, uint64_t limit) {
    uint64_t strictest = 1u; /* the largest alignment any request asks */
    for (size_t c = 0u; c < input->class_count; c++) {
        strictest = input->align_need[c] > strictest ? input->align_need[c] : strictest;
    }
    uint64_t end = 0u, word = input->word;
    for (size_t p = 0u; p < layout->pool_count; p++) {
        uint64_t block = layout->pools[p].block, capacity = layout->pools[p].capacity;
        size_t above = ph_tune_class_at_least(input, block + 1u);
        uint64_t next = above < input->class_count ? input->values[above] : (uint64_t)UINT32_MAX + 1u;
        uint64_t best = block, best_cost = ph_padding(end, block);
        for (uint64_t raised = block + word; raised < next && raised <= block + PH_PAD_STEPS * word; raised += word) {
            uint64_t extra = (raised - block) * capacity;
            uint64_t cost = ph_padding(end, raised) + extra;
            if (cost < best_cost && ph_lowbit(raised) >= strictest && layout->size + extra <= limit) {
                best = raised;
                best_cost = cost;
            }
        }
        layout->size += (best - block) * capacity;
        layout->pools[p].block = (uint32_t)best;
        end += ph_padding(end, best) + best * capacity;
    }
    return end;
}
