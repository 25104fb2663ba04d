/* A program that calls one allocator's malloc, realloc and free, and
 * nothing else, so that the linker keeps exactly the code they need.
 * scripts/code-size links it once per allocator (PROBE_POOLHEAP: the heap's
 * own API; PROBE_MALLOC: malloc, from newlib or from poolheap's glue;
 * PROBE_PEER: a peer allocator behind peers/peer.h) and once with none, and
 * charges the difference to the allocator. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#if defined(PROBE_POOLHEAP) || defined(PROBE_GLUE)
#include "poolheap.h"
#include "poolheap/define.h"
#define PROBE_POOLS(X, h) \
    X(h, 8, 4)            \
    X(h, 32, 4)
POOLHEAP_DEFINE(probe_heap, 8 * 4 + 32 * 4, PROBE_POOLS);
#endif

#if defined(PROBE_GLUE)
#include "poolheap/malloc.h"
POOLHEAP_GLOBAL(probe_heap);
#endif

#if defined(PROBE_PEER)
#include "peer.h"
#define ALLOC(size) peer_alloc(size)
#define REALLOC(pointer, size) peer_realloc((pointer), (size))
#define FREE(pointer) peer_free(pointer)
#elif defined(PROBE_POOLHEAP)
#define ALLOC(size) poolheap_alloc(&probe_heap, (size))
#define REALLOC(pointer, size) poolheap_realloc(&probe_heap, (pointer), (size))
#define FREE(pointer) poolheap_free(&probe_heap, (pointer))
#elif defined(PROBE_MALLOC) || defined(PROBE_GLUE)
#define ALLOC(size) malloc(size)
#define REALLOC(pointer, size) realloc((pointer), (size))
#define FREE(pointer) free(pointer)
#endif

int main(void);
void *_sbrk(ptrdiff_t increment);

/* newlib's malloc grows its arena with _sbrk: the smallest one. */
static unsigned char arena[4096];
void *_sbrk(ptrdiff_t increment) {
    static size_t used;
    void *old = &arena[used];
    used += (size_t)increment;
    return old;
}

/* volatile: the compiler must not know the sizes or fold the calls away. */
static volatile size_t small = 5u, large = 24u;

int main(void) {
#if defined(PROBE_PEER)
    if (peer_init() != 0) {
        return 2;
    }
#endif
#if defined(ALLOC)
    void *p = REALLOC(ALLOC(small), large);
    FREE(p);
    return p != NULL;
#else
    return (int)small;
#endif
}
