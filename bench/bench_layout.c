/* poolheap layouts for the benchmarks: the default one and parsing. */
#include <stdlib.h>

#include "bench_alloc.h"

void bench_layout_default(bench_layout_t *layout, uint32_t max_live) {
    layout->count = 0u;
    for (uint32_t block = 16u; block <= BENCH_MAX_SIZE; block *= 2u) {
        layout->pools[layout->count].block = block;
        layout->pools[layout->count].capacity = max_live;
        layout->count++;
    }
}

int bench_layout_parse(bench_layout_t *layout, const char *text) {
    layout->count = 0u;
    while (*text != '\0') {
        if (layout->count == BENCH_MAX_POOLS) {
            return -1;
        }
        char *end;
        unsigned long block = strtoul(text, &end, 10);
        if (*end != 'x') {
            return -1;
        }
        unsigned long capacity = strtoul(end + 1, &end, 10);
        if ((*end != ',' && *end != '\0') || block == 0u || capacity == 0u || block > UINT32_MAX ||
            capacity > UINT32_MAX) {
            return -1;
        }
        layout->pools[layout->count].block = (uint32_t)block;
        layout->pools[layout->count].capacity = (uint32_t)capacity;
        layout->count++;
        text = *end == ',' ? end + 1 : end;
    }
    return layout->count > 0u ? 0 : -1;
}
