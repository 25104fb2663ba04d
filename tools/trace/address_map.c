/* Linear-probing hash map of live addresses (see address_map.h). */
#define _DEFAULT_SOURCE /* getentropy */

#include "address_map.h"

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* Simple tabulation: the XOR of one random word per address byte. */
static size_t ph_address_home(const ph_address_map_t *map, uint64_t address) {
    uint64_t h = 0u;
    for (unsigned byte = 0u; byte < 8u; byte++) {
        h ^= map->random[byte][(address >> (8u * byte)) & 0xFFu];
    }
    return (size_t)h & map->mask;
}

/* splitmix64 (Steele, Lea and Flood): one seed spread into the tables. */
static uint64_t ph_next_random(uint64_t *state) {
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

/* Fills the tables from a seed the system draws (or, if it cannot, from the
 * clock and the tables' own address, which address-space randomisation
 * varies): a trace cannot know them. */
static void ph_fill_random(uint64_t (*random)[256]) {
    uint64_t state;
    if (getentropy(&state, sizeof state) != 0) {
        struct timespec now;
        timespec_get(&now, TIME_UTC);
        state = (uint64_t)now.tv_nsec ^ (uint64_t)now.tv_sec << 30 ^ (uint64_t)(uintptr_t)random;
    }
    for (unsigned byte = 0u; byte < 8u; byte++) {
        for (unsigned value = 0u; value < 256u; value++) {
            random[byte][value] = ph_next_random(&state);
        }
    }
}

int ph_address_map_init(ph_address_map_t *map) {
    map->mask = 1023u;
    map->count = 0u;
    map->slots = calloc(map->mask + 1u, sizeof *map->slots);
    map->random = malloc(8u * sizeof *map->random);
    if (map->slots == NULL || map->random == NULL) {
        ph_address_map_free(map);
        return -1;
    }
    ph_fill_random(map->random);
    return 0;
}

void ph_address_map_free(ph_address_map_t *map) {
    free(map->slots);
    free(map->random);
    map->slots = NULL;
    map->random = NULL;
    map->count = 0u;
}

ph_address_slot_t *ph_address_map_find(const ph_address_map_t *map, uint64_t address) {
    if (address == 0u) {
        return NULL; /* the empty-slot marker is never a key */
    }
    for (size_t i = ph_address_home(map, address);; i = (i + 1u) & map->mask) {
        ph_address_slot_t *slot = &map->slots[i];
        if (slot->address == address) {
            return slot;
        }
        if (slot->address == 0u) {
            return NULL;
        }
    }
}

static void ph_address_map_place(ph_address_map_t *map, uint64_t address, uint32_t object) {
    size_t i = ph_address_home(map, address);
    while (map->slots[i].address != 0u) {
        i = (i + 1u) & map->mask;
    }
    map->slots[i].address = address;
    map->slots[i].object = object;
}

static int ph_address_map_grow(ph_address_map_t *map) {
    ph_address_map_t bigger = {calloc(2u * (map->mask + 1u), sizeof *map->slots), map->random, 2u * map->mask + 1u,
                               map->count};
    if (bigger.slots == NULL) {
        return -1;
    }
    for (size_t i = 0u; i <= map->mask; i++) {
        if (map->slots[i].address != 0u) {
            ph_address_map_place(&bigger, map->slots[i].address, map->slots[i].object);
        }
    }
    free(map->slots);
    *map = bigger;
    return 0;
}

int ph_address_map_insert(ph_address_map_t *map, uint64_t address, uint32_t object) {
    if (2u * (map->count + 1u) > map->mask + 1u && ph_address_map_grow(map) != 0) {
        return -1;
    }
    ph_address_map_place(map, address, object);
    map->count++;
    return 0;
}

void ph_address_map_remove(ph_address_map_t *map, ph_address_slot_t *slot) {
    /* Backward shift: pull later entries of the probe run into the hole when
     * their home is not between the hole and themselves (cyclically). */
    size_t hole = (size_t)(slot - map->slots);
    for (size_t i = (hole + 1u) & map->mask; map->slots[i].address != 0u; i = (i + 1u) & map->mask) {
        size_t home = ph_address_home(map, map->slots[i].address);
        if (((i - home) & map->mask) >= ((i - hole) & map->mask)) {
            map->slots[hole] = map->slots[i];
            hole = i;
        }
    }
    map->slots[hole].address = 0u;
    map->count--;
}
