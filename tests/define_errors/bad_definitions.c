/* Heap definitions that must not compile: each CASE is one mistake, and
 * CMakeLists.txt checks that the compiler refuses it with poolheap's own
 * message. CASE 0 is the correct definition they all start from. */
#include "poolheap.h"
#include "poolheap/define.h"

#define P sizeof(void *)

#if CASE == 0
#define POOLS(X, h) X(h, 16, 4) X(h, 32, 2)
POOLHEAP_DEFINE(heap, 16 * 4 + 32 * 2, POOLS);
#elif CASE == 1 /* out of order */
#define POOLS(X, h) X(h, 32, 2) X(h, 16, 4)
POOLHEAP_DEFINE(heap, 16 * 4 + 32 * 2, POOLS);
#elif CASE == 2 /* not a multiple of the pointer size */
#define POOLS(X, h) X(h, 12, 4) X(h, 32, 2)
POOLHEAP_DEFINE(heap, 12 * 4 + 32 * 2, POOLS);
#elif CASE == 3 /* capacity zero */
#define POOLS(X, h) X(h, 16, 0) X(h, 32, 2)
POOLHEAP_DEFINE(heap, 32 * 2, POOLS);
#elif CASE == 4 /* size does not add up */
#define POOLS(X, h) X(h, 16, 4) X(h, 32, 2)
POOLHEAP_DEFINE(heap, 1000, POOLS);
#elif CASE == 5 /* the same block twice */
#define POOLS(X, h) X(h, 16, 4) X(h, 32, 2) X(h, 32, 1)
POOLHEAP_DEFINE(heap, 16 * 4 + 32 * 3, POOLS);
#endif
