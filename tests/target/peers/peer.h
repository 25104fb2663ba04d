/* One peer allocator behind a malloc-like interface, for comparing it with
 * poolheap on the same workload (count_ops.c) and the same code-size probe
 * (code_size_probe.c). Each peer_NAME.c implements it on a third-party
 * allocator built from ../shared/third_party (never copied into this tree);
 * scripts/count-instructions and scripts/code-size skip a missing one. */
#ifndef POOLHEAP_PEER_H
#define POOLHEAP_PEER_H

#include <stddef.h>

/* Sets the allocator up over its arena (PEER_ARENA bytes); 0 on success. */
int peer_init(void);
void *peer_alloc(size_t size);
void peer_free(void *pointer);
/* malloc's realloc rules: NULL pointer allocates, size 0 frees. */
void *peer_realloc(void *pointer, size_t size);

/* The arena every peer gets: the workload's 64 slots of up to 298 bytes
 * with room to spare, as poolheap's count heap (about 35 KiB). */
#define PEER_ARENA 36864u

#endif /* POOLHEAP_PEER_H */
