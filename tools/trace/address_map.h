/* A hash map from live block addresses to object ids, for the trace reader:
 * open addressing with linear probing and backward-shift deletion (no
 * tombstones), kept at most half full. Address 0 marks an empty slot.
 * The hash is simple tabulation over the address's 8 bytes with tables of
 * random words drawn for each map: linear probing under it takes O(1)
 * expected time per operation for any set of keys (Patrascu and Thorup,
 * "The power of simple tabulation hashing"), so addresses chosen to collide
 * cannot, not knowing the tables. */
#ifndef POOLHEAP_TOOLS_ADDRESS_MAP_H
#define POOLHEAP_TOOLS_ADDRESS_MAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct ph_address_slot {
    uint64_t address; /* 0: empty */
    uint32_t object;
} ph_address_slot_t;

typedef struct ph_address_map {
    ph_address_slot_t *slots;
    uint64_t (*random)[256]; /* 8 tables of 256 random words, one per address byte */
    size_t mask;             /* capacity - 1; capacity is a power of two */
    size_t count;            /* addresses present */
} ph_address_map_t;

/* Empties *map. Returns 0, or -1 if out of memory. */
int ph_address_map_init(ph_address_map_t *map);

void ph_address_map_free(ph_address_map_t *map);

/* Returns the slot holding `address`, or NULL if absent (always for 0). */
ph_address_slot_t *ph_address_map_find(const ph_address_map_t *map, uint64_t address);

/* Adds `address` (not 0, not present) -> `object`. Returns 0, or -1 if out
 * of memory (the map is unchanged). Amortised O(1). */
int ph_address_map_insert(ph_address_map_t *map, uint64_t address, uint32_t object);

/* Removes the slot `slot` (from ph_address_map_find). O(1) expected. */
void ph_address_map_remove(ph_address_map_t *map, ph_address_slot_t *slot);

#endif /* POOLHEAP_TOOLS_ADDRESS_MAP_H */
