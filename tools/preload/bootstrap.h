/* A tiny static allocator for the few allocations made before the real
 * allocator is known (dlsym may call calloc) in the preloadable libraries.
 * Its blocks are never reused: freeing one does nothing. */
#ifndef POOLHEAP_PRELOAD_BOOTSTRAP_H
#define POOLHEAP_PRELOAD_BOOTSTRAP_H

#include <stddef.h>

/* Returns `size` zeroed bytes aligned to 16 (`align` if larger, up to 4096),
 * or NULL once the 64 KiB buffer is used up. Thread-safe, lock-free. */
void *ph_bootstrap_alloc(size_t size, size_t align);

/* 1 if `pointer` came from ph_bootstrap_alloc. */
int ph_bootstrap_owns(const void *pointer);

/* The size asked for a block of ph_bootstrap_alloc (0 if not one). */
size_t ph_bootstrap_size(const void *pointer);

#endif /* POOLHEAP_PRELOAD_BOOTSTRAP_H */
