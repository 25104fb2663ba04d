/* Where the program's files are loaded, for symbolizing the recorder's
 * caller addresses later: one MAP record (docs/trace-format.md) per loaded
 * executable or shared library. */
#ifndef POOLHEAP_PRELOAD_MAPS_H
#define POOLHEAP_PRELOAD_MAPS_H

#include <stddef.h>
#include <stdint.h>

/* Receives one encoded MAP record. */
typedef void ph_map_sink_t(const uint8_t *record, size_t length);

/* Calls `sink` with a MAP record for every file loaded now that no earlier
 * call reported (the executable as /proc/self/exe names it, then each
 * shared library with a path; the vDSO is left out). Serialised by its own
 * lock, taken before the dynamic loader's: `sink` may take the recorder's
 * lock, but must not call this again. Time: O(loaded files x reported). */
void ph_maps_report(ph_map_sink_t *sink);

#endif /* POOLHEAP_PRELOAD_MAPS_H */
