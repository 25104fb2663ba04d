/* tools/config: heaps from a TOML file (Drone.toml's [heap] / [heap.NAME]).
 *
 * Owns: reading and validating heap configurations (heap_config.h), the
 * quantities they are written in ("10K", "25%"; quantity.h), capacities
 * given as shares of a heap (pool_shares.h), where each pool lands in a
 * target's memory (heap_layout.h), and the C code that defines the heaps
 * (codegen.h). Every error is one "FILE:LINE:COL: message" line.
 *
 * May use: tools/toml (the reader, privately) and the library's public
 * headers (poolheap_layout_alignment). Knows nothing of traces, tuning or
 * the command line. */
#ifndef POOLHEAP_TOOLS_CONFIG_H
#define POOLHEAP_TOOLS_CONFIG_H

#include "codegen.h"
#include "heap_config.h"
#include "heap_layout.h"
#include "pool_shares.h"
#include "quantity.h"

#endif /* POOLHEAP_TOOLS_CONFIG_H */
