/* Raw ITM byte streams, as SWO captures write them (OpenOCD's `tpiu`/`swo`
 * output, probe-rs, J-Link SWO), turned back into the trace that the ITM
 * sink sent through one stimulus port (docs/trace-format.md, "Over ITM").
 *
 * Packets are decoded per the ARMv7-M Architecture Reference Manual,
 * appendix D4: instrumentation packets of 1, 2 or 4 bytes on the chosen
 * port carry the trace; instrumentation packets on other ports,
 * synchronisation packets, local timestamps (both formats), global
 * timestamps (both formats), extension packets and hardware-source (DWT)
 * packets are skipped, and so are the stimulus packets of ports above 31,
 * which ARMv8-M sends after a page extension packet (the ITM sink uses
 * ports 0 to 31, page 0). An overflow packet or a reserved header discards the
 * record being collected; the records' sequence numbers then say how many
 * were lost, which becomes a DROPPED record at the gap. */
#ifndef POOLHEAP_TOOLS_ITM_STREAM_H
#define POOLHEAP_TOOLS_ITM_STREAM_H

#include <stddef.h>
#include <stdint.h>

typedef struct ph_itm_stats {
    uint64_t records;     /* records recovered whole (the header included) */
    uint64_t lost;        /* records lost, by their sequence numbers */
    uint64_t overflows;   /* overflow packets */
    uint64_t errors;      /* reserved headers (the stream lost its way) */
    uint64_t other;       /* packets skipped: other ports, timestamps, DWT, ... */
    int header_missing;   /* the capture began after the trace header: one was made up */
    int callers_inferred; /* ...and its allocation records carry caller frames: it has HAS_CALLERS */
    int second_trace;     /* a second trace header on the port: the stream was read up to it */
    /* A record whose fields do not end where its framing does (not empty):
     * why, and the capture offset of its first packet; the stream was read
     * up to it. */
    char misframed[160];
    size_t misframed_at;
} ph_itm_stats_t;

/* Extracts the trace sent through stimulus port `port` (0..31) from the ITM
 * stream data[0 .. size - 1]. Returns the trace's bytes (a header, then
 * whole records, with a DROPPED record wherever records were lost;
 * free() them) and their count in *out_size, or NULL when out of memory.
 * If the stream lacks the trace header, one is made up (pointer size 4,
 * timestamps allowed) and `header_missing` set; it has HAS_CALLERS if the
 * first allocation record is longer than its fields, that is, ends with a
 * caller section (`callers_inferred`). Every whole record of a known op
 * must end where its fields (and caller section, if the header has
 * HAS_CALLERS) end: the first that does not ends the trace before it and
 * is described in `misframed` (a record so misread would be misread
 * silently: the caller says so as an error). Any input is accepted; a
 * packet cut off by the end of the stream is ignored. Time: linear in
 * `size`. */
uint8_t *ph_itm_extract(const uint8_t *data, size_t size, unsigned port, size_t *out_size, ph_itm_stats_t *stats);

#endif /* POOLHEAP_TOOLS_ITM_STREAM_H */
