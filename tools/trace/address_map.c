/* Linear-probing hash map of live addresses (see address_map.h). */
#include "address_map.h"

#include <stdlib.h>

/* Fibonacci hashing: the multiply spreads the low, alignment-zero bits of an
 * address over the high bits, which the shift keeps. */
static size_t ph_address_home(const ph_address_map_t *map, uint64_t address) {
    return (size_t)((address * 0x9E3779B97F4A7C15u) >> 32) & map->mask;
}

int ph_address_map_init(ph_address_map_t *map) {
    map->mask = 1023u;
    map->count = 0u;
    map->slots = calloc(map->mask + 1u, sizeof *map->slots);
    return map->slots != NULL ? 0 : -1;
}

void ph_address_map_free(ph_address_map_t *map) {
    free(map->slots);
    map->slots = NULL;
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
    ph_address_map_t bigger = {calloc(2u * (map->mask + 1u), sizeof *map->slots), 2u * map->mask + 1u, map->count};
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
