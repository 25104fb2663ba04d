/* o1heap v2.2 (../shared/third_party/o1heap) as a peer: its arena must be
 * aligned to O1HEAP_ALIGNMENT; the realloc is built on its public API. */
#include "o1heap.h"
#include "peer.h"
#include "peer_realloc_on_top.h"

static _Alignas(O1HEAP_ALIGNMENT) unsigned char arena[PEER_ARENA];
static O1HeapInstance *instance;

int peer_init(void) {
    instance = o1heapInit(arena, sizeof arena);
    return instance == NULL;
}

void *peer_alloc(size_t size) {
    return o1heapAllocate(instance, size);
}

void peer_free(void *pointer) {
    o1heapFree(instance, pointer);
}

void *peer_realloc(void *pointer, size_t size) {
    return peer_realloc_on_top(pointer, size, arena + sizeof arena);
}
