/* The caller stacks of a trace, interned while it is read: each distinct
 * sequence of frames (return addresses, innermost first) gets a dense site
 * id, 0 .. count - 1, in order of first appearance. Open addressing over the
 * ids, kept at most half full. */
#ifndef POOLHEAP_TOOLS_SITE_TABLE_H
#define POOLHEAP_TOOLS_SITE_TABLE_H

#include <stddef.h>
#include <stdint.h>

typedef struct ph_site_table {
    uint64_t *frames; /* every site's frames back to back */
    uint32_t *start;  /* site s is frames[start[s] .. start[s + 1]); count + 1 entries */
    uint32_t count;
    size_t frame_capacity, start_capacity;
    uint32_t *slots; /* site id + 1; 0: empty */
    size_t mask;     /* slot count - 1 (a power of two) */
} ph_site_table_t;

/* Empties *table. Returns 0, or -1 if out of memory. */
int ph_site_table_init(ph_site_table_t *table);

/* Frees everything; *table is left empty. */
void ph_site_table_free(ph_site_table_t *table);

/* Sets *site to the id of the stack frames[0 .. n - 1], adding it if new.
 * Returns 0, or -1 if out of memory (or past 2^32 - 2 sites or frames; the
 * table is unchanged). Expected O(n). */
int ph_site_table_intern(ph_site_table_t *table, const uint64_t *frames, uint32_t n, uint32_t *site);

/* Frees the lookup slots, keeping frames and start (the reader hands those
 * to the trace). */
void ph_site_table_seal(ph_site_table_t *table);

#endif /* POOLHEAP_TOOLS_SITE_TABLE_H */
