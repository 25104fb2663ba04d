/* The workload of the record -> tune -> gen -> build -> run loop: strings,
 * a linked list, buffers grown by realloc, qsort and stdio, all on malloc.
 * Built twice from this file: on the C library's malloc (recorded), and
 * with POOLHEAP_LOOP_HEAP on the heap `poolheap tune` made from that record,
 * as the global allocator. Both builds print the same checksum; the second
 * also prints its heap's failure count. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef POOLHEAP_LOOP_HEAP
#include "poolheap/malloc.h"
#include "poolheap_heaps.h"
POOLHEAP_GLOBAL(heap_main);
#endif

typedef struct item {
    char *name;
    struct item *next;
} item_t;

static uint32_t next_random(uint32_t *state) {
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One round: a list of names, sorted through an array, joined into a
 * growing buffer; returns the buffer's checksum, or 0 if memory ran out. */
static uint32_t round_checksum(uint32_t *rng) {
    item_t *list = NULL;
    size_t count = 5u + next_random(rng) % 60u;
    char name[48];
    for (size_t i = 0; i < count; i++) {
        item_t *item = malloc(sizeof *item);
        snprintf(name, sizeof name, "item-%u-%.*s", (unsigned)next_random(rng) % 1000u, (int)(next_random(rng) % 30u),
                 "abcdefghijklmnopqrstuvwxyz0123456789");
        if (item == NULL || (item->name = strdup(name)) == NULL) {
            return 0u;
        }
        item->next = list;
        list = item;
    }
    char **names = malloc(count * sizeof *names);
    if (names == NULL) {
        return 0u;
    }
    size_t n = 0;
    for (item_t *item = list; item != NULL; item = item->next) {
        names[n++] = item->name;
    }
    qsort(names, n, sizeof *names, compare_names);
    char *joined = NULL;
    size_t length = 0;
    for (size_t i = 0; i < n; i++) {
        size_t add = strlen(names[i]) + 1u;
        char *grown = realloc(joined, length + add + 1u);
        if (grown == NULL) {
            return 0u;
        }
        joined = grown;
        memcpy(joined + length, names[i], add - 1u);
        joined[length + add - 1u] = ',';
        length += add;
        joined[length] = '\0';
    }
    uint32_t sum = 2166136261u;
    for (size_t i = 0; i < length; i++) {
        sum = (sum ^ (unsigned char)joined[i]) * 16777619u;
    }
    free(joined);
    free(names);
    while (list != NULL) {
        item_t *item = list;
        list = item->next;
        free(item->name);
        free(item);
    }
    return sum;
}

int main(void) {
    uint32_t rng = 0x9E3779B9u, checksum = 0u;
    for (int round = 0; round < 3000; round++) {
        checksum = checksum * 31u + round_checksum(&rng);
    }
    printf("checksum %08x\n", (unsigned)checksum);
#ifdef POOLHEAP_LOOP_HEAP
    poolheap_stats_t stats;
    poolheap_stats(&heap_main, &stats);
    printf("poolheap failures %u, rejected %u\n", (unsigned)stats.failures, (unsigned)stats.rejected);
#endif
    return 0;
}
