/* Internal to the TOML reader: a hash index over a table's keys, so that
 * finding a key costs O(1) expected whatever the keys are. The hash is
 * keyed with a random seed drawn for each index (toml_index.c), so keys
 * written to collide cannot know what they collide under. Tables of fewer
 * than TOML_INDEX_FROM entries have none and are searched in order. */
#ifndef POOLHEAP_TOOLS_TOML_INDEX_H
#define POOLHEAP_TOOLS_TOML_INDEX_H

#include <stddef.h>

#include "toml.h"

#define TOML_INDEX_FROM 8u

/* The entry of `table` whose key is `key` (`length` bytes), or NULL.
 * Time: O(1) expected, O(TOML_INDEX_FROM) for small tables. */
toml_entry_t *toml_index_find(const toml_value_t *table, const char *key, size_t length);

/* Indexes the entry just appended to `table` (building the index once the
 * table reaches TOML_INDEX_FROM entries, doubling it as it fills). Returns
 * 0, or -1 if out of memory (the table is unchanged but for the index,
 * which is dropped: lookups then search in order). Amortised O(1). */
int toml_index_add(toml_value_t *table);

/* Releases a table's index; NULL is a no-op. */
void toml_index_free(toml_key_index_t *index);

#endif /* POOLHEAP_TOOLS_TOML_INDEX_H */
