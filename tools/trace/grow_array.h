/* Growing the trace readers' arrays (tools/trace only). */
#ifndef POOLHEAP_TOOLS_TRACE_GROW_ARRAY_H
#define POOLHEAP_TOOLS_TRACE_GROW_ARRAY_H

#include <stddef.h>

/* `items`, an array of *capacity items of `item_size` bytes, reallocated to
 * hold at least `needed` items: twice its capacity, or `needed` if that is
 * more, so that n appends cost O(n) in all. Returns the new array and sets
 * *capacity; returns NULL (the array and *capacity untouched) if memory
 * runs out or the size does not fit in size_t. */
void *ph_grow_array(void *items, size_t *capacity, size_t needed, size_t item_size);

#endif /* POOLHEAP_TOOLS_TRACE_GROW_ARRAY_H */
