/* Interned caller stacks (site_table.h). */
#include "site_table.h"

#include <stdlib.h>
#include <string.h>

#include "grow_array.h"

#define PH_SITE_SLOTS_INITIAL 1024u

static uint64_t ph_stack_hash(const uint64_t *frames, uint32_t n) {
    uint64_t h = 0x9E3779B97F4A7C15u ^ n;
    for (uint32_t i = 0u; i < n; i++) {
        h = (h ^ frames[i]) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    return h;
}

static int ph_same_stack(const ph_site_table_t *t, uint32_t site, const uint64_t *frames, uint32_t n) {
    uint32_t from = t->start[site];
    return t->start[site + 1u] - from == n && memcmp(t->frames + from, frames, n * sizeof *frames) == 0;
}

int ph_site_table_init(ph_site_table_t *table) {
    memset(table, 0, sizeof *table);
    table->start_capacity = 64u;
    table->frame_capacity = 64u;
    table->start = malloc(table->start_capacity * sizeof *table->start);
    table->frames = malloc(table->frame_capacity * sizeof *table->frames);
    table->slots = calloc(PH_SITE_SLOTS_INITIAL, sizeof *table->slots);
    table->mask = PH_SITE_SLOTS_INITIAL - 1u;
    if (table->start == NULL || table->frames == NULL || table->slots == NULL) {
        ph_site_table_free(table);
        return -1;
    }
    table->start[0] = 0u;
    return 0;
}

void ph_site_table_free(ph_site_table_t *table) {
    free(table->frames);
    free(table->start);
    free(table->slots);
    memset(table, 0, sizeof *table);
}

void ph_site_table_seal(ph_site_table_t *table) {
    free(table->slots);
    table->slots = NULL;
    table->mask = 0u;
}

/* Doubles the slots and places every site again. */
static int ph_site_table_grow(ph_site_table_t *t) {
    size_t capacity = (t->mask + 1u) * 2u;
    uint32_t *slots = calloc(capacity, sizeof *slots);
    if (slots == NULL) {
        return -1;
    }
    for (uint32_t s = 0u; s < t->count; s++) {
        size_t i = (size_t)ph_stack_hash(t->frames + t->start[s], t->start[s + 1u] - t->start[s]) & (capacity - 1u);
        while (slots[i] != 0u) {
            i = (i + 1u) & (capacity - 1u);
        }
        slots[i] = s + 1u;
    }
    free(t->slots);
    t->slots = slots;
    t->mask = capacity - 1u;
    return 0;
}

/* Makes room for one more site of n frames. */
static int ph_site_table_reserve(ph_site_table_t *t, uint32_t n) {
    size_t frames = t->start[t->count] + (size_t)n;
    if (t->count >= UINT32_MAX - 2u || frames >= UINT32_MAX) {
        return -1;
    }
    if (frames > t->frame_capacity) {
        uint64_t *grown = ph_grow_array(t->frames, &t->frame_capacity, frames, sizeof *grown);
        if (grown == NULL) {
            return -1;
        }
        t->frames = grown;
    }
    if (t->count + 2u > t->start_capacity) {
        uint32_t *grown = ph_grow_array(t->start, &t->start_capacity, (size_t)t->count + 2u, sizeof *grown);
        if (grown == NULL) {
            return -1;
        }
        t->start = grown;
    }
    return (t->count + 1u) * 2u > t->mask + 1u ? ph_site_table_grow(t) : 0;
}

int ph_site_table_intern(ph_site_table_t *table, const uint64_t *frames, uint32_t n, uint32_t *site) {
    size_t i = (size_t)ph_stack_hash(frames, n) & table->mask;
    for (; table->slots[i] != 0u; i = (i + 1u) & table->mask) {
        if (ph_same_stack(table, table->slots[i] - 1u, frames, n)) {
            *site = table->slots[i] - 1u;
            return 0;
        }
    }
    size_t mask = table->mask;
    if (ph_site_table_reserve(table, n) != 0) {
        return -1;
    }
    if (table->mask != mask) { /* the slots grew: find the free slot again */
        i = (size_t)ph_stack_hash(frames, n) & table->mask;
        while (table->slots[i] != 0u) {
            i = (i + 1u) & table->mask;
        }
    }
    uint32_t s = table->count++;
    memcpy(table->frames + table->start[s], frames, n * sizeof *frames);
    table->start[s + 1u] = table->start[s] + n;
    table->slots[i] = s + 1u;
    *site = s;
    return 0;
}
