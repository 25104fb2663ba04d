/* Uses the installed headers and library: defines a heap, allocates from
 * every pool, and checks the heap. */
#include "poolheap.h"
#include "poolheap/define.h"

#define CONSUMER_POOLS(X, heap) \
    X(heap, 16, 4)              \
    X(heap, 64, 2)
POOLHEAP_DEFINE(consumer_heap, 16 * 4 + 64 * 2, CONSUMER_POOLS);

int main(void) {
    void *small = poolheap_alloc(&consumer_heap, 10);
    void *large = poolheap_alloc(&consumer_heap, 60);
    int ok = small != NULL && large != NULL && poolheap_usable_size(&consumer_heap, large) == 64;
    poolheap_free(&consumer_heap, small);
    poolheap_free(&consumer_heap, large);
    return ok && poolheap_deep_check(&consumer_heap) == 0 ? 0 : 1;
}
