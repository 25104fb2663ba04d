#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "poolheap.h"
#include "poolheap/define.h"

#define DRONE_POOLS(X, h) \
    X(h, 8, 118)          \
    X(h, 16, 148)         \
    X(h, 24, 82)          \
    X(h, 56, 34)          \
    X(h, 120, 16)         \
    X(h, 208, 8)          \
    X(h, 336, 3)          \
    X(h, 512, 1)
POOLHEAP_DEFINE(drone_heap, 8 * 118 + 16 * 148 + 24 * 82 + 56 * 34 + 120 * 16 + 208 * 8 + 336 * 3 + 512, DRONE_POOLS);

static void alloc_free_roundtrip(void) {
    void *a = poolheap_alloc(&drone_heap, 5);
    void *b = poolheap_alloc(&drone_heap, 17);
    CHECK(a != NULL && b != NULL);
    CHECK_EQ(poolheap_usable_size(&drone_heap, a), 8);
    CHECK_EQ(poolheap_usable_size(&drone_heap, b), 24);
    poolheap_free(&drone_heap, a);
    poolheap_free(&drone_heap, b);
    CHECK_EQ(poolheap_deep_check(&drone_heap), 0);
}

int main(void) {
    RUN(alloc_free_roundtrip);
    return test_summary();
}
