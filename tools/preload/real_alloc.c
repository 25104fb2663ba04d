/* Looks up the C library's allocator (real_alloc.h). */
#define _GNU_SOURCE

#include "real_alloc.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Stores the address of `name` into the function pointer at `slot`. ISO C
 * has no conversion from void * to a function pointer; POSIX guarantees the
 * representations agree, so the bytes are copied. Returns 0 if not found. */
static int ph_lookup(void *slot, const char *name) {
    void *symbol = dlsym(RTLD_NEXT, name);
    memcpy(slot, &symbol, sizeof symbol);
    return symbol != NULL;
}

void ph_real_alloc_resolve(ph_real_alloc_t *real, const char *who) {
    int found = ph_lookup(&real->malloc, "malloc") & ph_lookup(&real->free, "free") &
                ph_lookup(&real->calloc, "calloc") & ph_lookup(&real->realloc, "realloc") &
                ph_lookup(&real->posix_memalign, "posix_memalign") & ph_lookup(&real->aligned_alloc, "aligned_alloc") &
                ph_lookup(&real->memalign, "memalign") & ph_lookup(&real->malloc_usable_size, "malloc_usable_size");
    if (!found) {
        static const char message[] = ": the C library's allocator was not found\n";
        (void)!write(STDERR_FILENO, who, strlen(who));
        (void)!write(STDERR_FILENO, message, sizeof message - 1u);
        abort();
    }
}
