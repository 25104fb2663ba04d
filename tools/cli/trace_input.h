/* How the commands that read traces (report, tune) read their TRACE
 * operands: a trace file, or with --itm-port N a raw ITM (SWO) capture
 * whose trace is on stimulus port N (docs/tracing.md, "On a real board"). */
#ifndef POOLHEAP_TOOL_TRACE_INPUT_H
#define POOLHEAP_TOOL_TRACE_INPUT_H

#include "trace/trace.h"

/* The line each such command's --help shows for the option. */
#define PH_ITM_PORT_HELP                                                                            \
    "  --itm-port N            TRACE is a raw ITM (SWO) capture; the trace is on stimulus port N\n" \
    "                          (0-31); other ports, timestamps and DWT packets are skipped\n"

/* Reads the text of --itm-port (NULL: not given) into *port: -1 for a trace
 * file, else 0..31. Returns 0, or prints the problem and returns
 * PH_EXIT_USAGE. */
int ph_parse_itm_port(const char *command, const char *text, int *port);

/* Reads `path` as a trace file (itm_port -1) or as an ITM capture. Prints
 * the reader's error and returns PH_EXIT_INVALID on failure (nothing left
 * allocated), else PH_EXIT_OK; from an ITM capture, also prints to stderr
 * what was lost on the way (records, overflows, a missing header). */
int ph_read_trace_input(const char *path, int itm_port, ph_trace_t *out);

#endif /* POOLHEAP_TOOL_TRACE_INPUT_H */
