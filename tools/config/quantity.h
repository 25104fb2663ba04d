/* Quantities as configuration files write them: byte sizes ("10K", "0x400",
 * "64_000") and shares of a heap ("12.5%"). */
#ifndef POOLHEAP_TOOLS_QUANTITY_H
#define POOLHEAP_TOOLS_QUANTITY_H

#include <stddef.h>
#include <stdint.h>

/* A share is counted in parts per billion of the whole: 100% = PH_SHARE_WHOLE. */
#define PH_SHARE_WHOLE 1000000000u

/* Parses a byte size: decimal digits, or 0x and hexadecimal digits, with
 * single '_' separators between digits, then an optional suffix K (x1024)
 * or M (x1048576). Nothing else, not even blanks, is accepted.
 * Returns 0 and sets *out, -1 if malformed, -2 if above UINT64_MAX. */
int ph_parse_size(const char *text, uint64_t *out);

/* Parses a share "D%" or "D.F%" (up to 7 fractional digits, at most 100%)
 * into parts per billion. Returns 0 and sets *out, or -1. */
int ph_parse_share(const char *text, uint32_t *out);

/* Writes `share` (parts per billion) as a percentage without trailing
 * zeros ("12.5%") into `out` (24 bytes are always enough). */
void ph_format_share(uint64_t share, char *out, size_t out_size);

#endif /* POOLHEAP_TOOLS_QUANTITY_H */
