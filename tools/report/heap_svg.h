/* A picture of heaps: each heap's region as a horizontal band split into
 * its pools in proportion to their bytes (alignment padding hatched), each
 * pool labelled "block × capacity", with a title and a legend per heap. */
#ifndef POOLHEAP_TOOL_HEAP_SVG_H
#define POOLHEAP_TOOL_HEAP_SVG_H

#include <stdio.h>

#include "config/config.h"

/* Writes the SVG document for `context` (a ph_config_t) to `out`; returns
 * 0, or -1 if writing failed. */
int ph_write_svg(FILE *out, const void *context);

#endif /* POOLHEAP_TOOL_HEAP_SVG_H */
