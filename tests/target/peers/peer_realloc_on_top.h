/* A realloc built on an allocator's public alloc and free, for the peers
 * that have none (o1heap, FreeRTOS heap_4). Neither tells a block's size,
 * so a growing move copies `size` bytes, clipped to the arena: the old
 * block's bytes and then whatever follows it, which the caller may not read
 * anyway (realloc leaves the bytes past the old size unspecified). */
#ifndef POOLHEAP_PEER_REALLOC_ON_TOP_H
#define POOLHEAP_PEER_REALLOC_ON_TOP_H

#include <stdint.h>
#include <string.h>

#include "peer.h"

static inline void *peer_realloc_on_top(void *pointer, size_t size, const unsigned char *arena_end) {
    if (pointer == NULL) {
        return peer_alloc(size);
    }
    void *moved = NULL;
    if (size != 0u) {
        moved = peer_alloc(size);
        if (moved == NULL) {
            return NULL; /* the old block is untouched */
        }
        size_t room = (size_t)(arena_end - (const unsigned char *)pointer);
        memcpy(moved, pointer, size < room ? size : room);
    }
    peer_free(pointer);
    return moved;
}

#endif /* POOLHEAP_PEER_REALLOC_ON_TOP_H */
