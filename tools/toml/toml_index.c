/* Hash index of a table's keys (toml_index.h): open addressing with linear
 * probing over entry numbers, at most half full.
 *
 * The hash of a key is a polynomial over its bytes (7 at a time) evaluated
 * modulo the prime 2^61 - 1 at a random point r, then a multiply-shift by a
 * random odd multiplier picks the slot. For two different keys of at most L
 * bytes the polynomials agree for at most L / 7 + 1 values of r out of
 * 2^61 - 1, and multiply-shift sends two different values to one slot with
 * probability at most 2 / slots: whatever keys a file holds, chosen without
 * knowing r and the multiplier, the expected probe run stays constant. */
#define _DEFAULT_SOURCE /* getentropy */

#include "toml_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MERSENNE_61 ((UINT64_C(1) << 61) - 1u)

__extension__ typedef unsigned __int128 toml_u128;

struct toml_key_index {
    uint64_t point;      /* r, in [1, 2^61 - 2] */
    uint64_t multiplier; /* odd */
    unsigned shift;      /* 64 - log2(slots) */
    size_t mask;         /* slots - 1 */
    uint32_t *slots;     /* entry number + 1, or 0 for empty */
};

/* 128 bits of seed from the system; if it has none to give, from the clock
 * and this call's addresses (which address-space randomisation varies). */
static void index_seed(uint64_t seed[2]) {
    if (getentropy(seed, 2u * sizeof seed[0]) == 0) {
        return;
    }
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    seed[0] = (uint64_t)now.tv_nsec * UINT64_C(0x9E3779B97F4A7C15) ^ (uint64_t)(uintptr_t)seed;
    seed[1] = (uint64_t)now.tv_sec * UINT64_C(0xC2B2AE3D27D4EB4F) ^ (uint64_t)(uintptr_t)&index_seed;
}

static uint64_t mod_61(toml_u128 x) {
    uint64_t folded = (uint64_t)(x & MERSENNE_61) + (uint64_t)(x >> 61); /* 2^61 = 1 */
    folded = (folded & MERSENNE_61) + (folded >> 61);
    return folded >= MERSENNE_61 ? folded - MERSENNE_61 : folded;
}

static size_t index_slot(const toml_key_index_t *index, const char *key, size_t length) {
    uint64_t h = 0u;
    for (size_t at = 0u; at < length; at += 7u) {
        uint64_t chunk = 0u;
        for (size_t k = at; k < at + 7u && k < length; k++) {
            chunk = chunk << 8 | (unsigned char)key[k];
        }
        h = mod_61((toml_u128)h * index->point + chunk);
    }
    h = mod_61((toml_u128)h * index->point + length); /* keys that differ only by trailing NULs */
    return (size_t)((h * index->multiplier) >> index->shift);
}

static void index_place(toml_key_index_t *index, const toml_entry_t *entries, uint32_t number) {
    size_t i = index_slot(index, entries[number].key, entries[number].key_length);
    while (index->slots[i] != 0u) {
        i = (i + 1u) & index->mask;
    }
    index->slots[i] = number + 1u;
}

/* A fresh index of 2^bits slots over the first `count` entries, or NULL. */
static toml_key_index_t *index_build(const toml_entry_t *entries, size_t count, unsigned bits) {
    toml_key_index_t *index = malloc(sizeof *index);
    uint32_t *slots = calloc((size_t)1 << bits, sizeof *slots);
    if (index == NULL || slots == NULL || count > UINT32_MAX - 1u) {
        free(index);
        free(slots);
        return NULL;
    }
    uint64_t seed[2];
    index_seed(seed);
    *index = (toml_key_index_t){seed[0] % (MERSENNE_61 - 1u) + 1u, seed[1] | 1u, 64u - bits, ((size_t)1 << bits) - 1u,
                                slots};
    for (size_t n = 0u; n < count; n++) {
        index_place(index, entries, (uint32_t)n);
    }
    return index;
}

toml_entry_t *toml_index_find(const toml_value_t *table, const char *key, size_t length) {
    toml_entry_t *entries = table->as.table.entries;
    const toml_key_index_t *index = table->as.table.index;
    if (index == NULL) {
        for (size_t i = 0u; i < table->as.table.count; i++) {
            if (entries[i].key_length == length && memcmp(entries[i].key, key, length) == 0) {
                return &entries[i];
            }
        }
        return NULL;
    }
    for (size_t i = index_slot(index, key, length); index->slots[i] != 0u; i = (i + 1u) & index->mask) {
        toml_entry_t *e = &entries[index->slots[i] - 1u];
        if (e->key_length == length && memcmp(e->key, key, length) == 0) {
            return e;
        }
    }
    return NULL;
}

int toml_index_add(toml_value_t *table) {
    size_t count = table->as.table.count;
    toml_key_index_t *index = table->as.table.index;
    if (count < TOML_INDEX_FROM) {
        return 0;
    }
    if (index != NULL && 2u * count <= index->mask + 1u) {
        index_place(index, table->as.table.entries, (uint32_t)(count - 1u));
        return 0;
    }
    unsigned bits = 4u;
    while (((size_t)1 << bits) < 2u * count) {
        bits++;
    }
    toml_key_index_t *bigger = index_build(table->as.table.entries, count, bits + 1u);
    toml_index_free(index);
    table->as.table.index = bigger;
    return bigger != NULL ? 0 : -1;
}

void toml_index_free(toml_key_index_t *index) {
    if (index != NULL) {
        free(index->slots);
        free(index);
    }
}
