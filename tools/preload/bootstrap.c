/* The preloadable libraries' bootstrap allocator (bootstrap.h): a bump
 * pointer over a static buffer, each block preceded by its size. */
#include "bootstrap.h"

#include <stdatomic.h>
#include <stdint.h>

#define PH_BOOTSTRAP_BYTES (64u * 1024u)
#define PH_BOOTSTRAP_HEADER 16u /* the size, padded to keep blocks 16-aligned */

static _Alignas(4096) unsigned char ph_bootstrap_buffer[PH_BOOTSTRAP_BYTES];
static atomic_size_t ph_bootstrap_used;

void *ph_bootstrap_alloc(size_t size, size_t align) {
    if (align < PH_BOOTSTRAP_HEADER) {
        align = PH_BOOTSTRAP_HEADER;
    }
    if (align > 4096u || size > PH_BOOTSTRAP_BYTES) {
        return NULL;
    }
    /* Claim the worst case: header, alignment slack, payload. Relaxed: the
     * counter only has to hand out disjoint ranges of zeroed static memory. */
    size_t need = (PH_BOOTSTRAP_HEADER + align + size + 15u) & ~(size_t)15u;
    size_t start = atomic_fetch_add_explicit(&ph_bootstrap_used, need, memory_order_relaxed);
    if (start > PH_BOOTSTRAP_BYTES - need || need > PH_BOOTSTRAP_BYTES) {
        return NULL;
    }
    uintptr_t base = (uintptr_t)ph_bootstrap_buffer;
    uintptr_t block = (base + start + PH_BOOTSTRAP_HEADER + align - 1u) & ~(uintptr_t)(align - 1u);
    *(size_t *)(block - sizeof(size_t)) = size;
    return (void *)block;
}

int ph_bootstrap_owns(const void *pointer) {
    return (uintptr_t)pointer - (uintptr_t)ph_bootstrap_buffer < PH_BOOTSTRAP_BYTES;
}

size_t ph_bootstrap_size(const void *pointer) {
    return ph_bootstrap_owns(pointer) ? *(const size_t *)((uintptr_t)pointer - sizeof(size_t)) : 0u;
}
