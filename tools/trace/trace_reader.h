/* Reads trace files (docs/trace-format.md) into the decoded form of
 * trace_events.h: validates the header and every record, turns addresses
 * into object ids, and derives the sizes the records leave implicit (a
 * realloc's old size, a free's size). */
#ifndef POOLHEAP_TOOLS_TRACE_READER_H
#define POOLHEAP_TOOLS_TRACE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "itm_stream.h"
#include "trace_events.h"

/* Reads the trace file `path` ("-": standard input, named "<stdin>" in
 * messages; pipes and devices are read to their end) into *out. Returns 0, or -1 with one line in
 * `error` ("FILE: byte N: reason", N the offset of the bad header field or
 * record) and nothing left allocated. Rejects: a bad or truncated header,
 * an unknown op or flag, a truncated record or varint, an address wider
 * than the recorded pointer size, and records that contradict each other
 * (free or realloc of an address that is not live, allocation of an address
 * that is already live), unless the trace says records were dropped before
 * (then such records are repaired or skipped, see the format doc). Sizes
 * above UINT32_MAX are saturated. Shows progress on stderr for large files
 * (from 64 MiB, or from 4 MiB when stderr is a terminal). A directory, or
 * a file that cannot be read, is an error naming the reason. The count of
 * dropped records saturates at UINT64_MAX. Time: linear in the file size,
 * expected, for any input: addresses are looked up in a hash map whose
 * hash is random (address_map.h). */
int ph_trace_read(const char *path, ph_trace_t *out, char *error, size_t error_size);

/* As ph_trace_read, on `size` bytes in memory; `name` is the FILE of error
 * messages. Never reads outside data[0 .. size - 1]. No progress output. */
int ph_trace_decode(const uint8_t *data, size_t size, const char *name, ph_trace_t *out, char *error,
                    size_t error_size);

/* As ph_trace_read, on a raw ITM (SWO) capture whose trace the ITM sink sent
 * through stimulus port `port` (0..31): ph_itm_extract (itm_stream.h), then
 * the checks of ph_trace_read, with "FILE (ITM port N)" as the FILE of error
 * messages and byte offsets into the extracted trace. `stats` (may be NULL)
 * receives what the extraction found. Fails also when the port carries no
 * trace record at all (a wrong port, a capture without the ITM sink), and
 * when a record's fields do not end where its framing does ("FILE: byte N:
 * ITM port P: reason", N the capture offset of the record's first packet:
 * a capture whose header was lost, of a firmware whose records disagree
 * about caller frames, or a corrupted stream). Time: linear in the file
 * size (expected). */
int ph_trace_read_itm(const char *path, unsigned port, ph_trace_t *out, ph_itm_stats_t *stats, char *error,
                      size_t error_size);

/* Frees what a successful read allocated; *trace is left empty. */
void ph_trace_free(ph_trace_t *trace);

#endif /* POOLHEAP_TOOLS_TRACE_READER_H */
