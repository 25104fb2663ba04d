#include <stdint.h>
#include <string.h>

#include "../harness.h"
#include "drone_pools.h"
#include "poolheap.h"
#include "poolheap/define.h"

POOLHEAP_DEFINE(drone_heap, DRONE_SIZE, DRONE_POOLS);

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
