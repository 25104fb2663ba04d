/* tools/report: what the tool shows a person of traces and heaps.
 *
 * Owns: a trace's summary by size (trace_summary.h), its live bytes and
 * per-pool occupancy over time (trace_series.h), and the SVG pictures of a
 * trace (report_svg.h) and of a heap's pools (heap_svg.h). Renders only:
 * it reads no files and parses no command lines.
 *
 * May use: tools/trace (decoded traces), tools/config (heap layouts) and the
 * library's public headers. */
#ifndef POOLHEAP_TOOLS_REPORT_H
#define POOLHEAP_TOOLS_REPORT_H

#include "heap_svg.h"
#include "report_svg.h"
#include "trace_series.h"
#include "trace_summary.h"

#endif /* POOLHEAP_TOOLS_REPORT_H */
