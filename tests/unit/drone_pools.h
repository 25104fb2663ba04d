/* The shape of Drone OS's documented 8-pool layout, with blocks made
 * multiples of 8 so that it is valid on 64-bit hosts too: the list and its
 * size, for tests that define a static heap from it. */
#ifndef POOLHEAP_TEST_DRONE_POOLS_H
#define POOLHEAP_TEST_DRONE_POOLS_H

#define DRONE_POOLS(X, h) \
    X(h, 8, 118)          \
    X(h, 16, 148)         \
    X(h, 24, 82)          \
    X(h, 56, 34)          \
    X(h, 120, 16)         \
    X(h, 208, 8)          \
    X(h, 336, 3)          \
    X(h, 512, 1)
#define DRONE_SIZE (8 * 118 + 16 * 148 + 24 * 82 + 56 * 34 + 120 * 16 + 208 * 8 + 336 * 3 + 512)

#endif /* POOLHEAP_TEST_DRONE_POOLS_H */
