/* tools/report: what the tool shows a person of traces and heaps.
 *
 * Owns: a trace's summary by size (trace_summary.h), its live bytes and
 * per-pool occupancy over time (trace_series.h, pool_demand.h), the SVG
 * pictures of a trace (report_svg.h) and of a heap's pools (heap_svg.h),
 * who allocates: figures per call site (sites.h), their names
 * (site_labels.h, through binutils' addr2line: symbolize.h, the one part
 * that reads the program's files and runs a program) and their tables
 * (sites_print.h), the one-file HTML report (report_html.h), and why a
 * trace fails a layout with the smallest change that serves it
 * (explain.h). It parses no command lines and opens no output files.
 *
 * May use: tools/trace (decoded traces, the replay), tools/config (heap
 * layouts), tools/tune (the growth that serves a failing trace),
 * tools/escape (its messages stay on one line) and the library's public
 * headers. */
#ifndef POOLHEAP_TOOLS_REPORT_H
#define POOLHEAP_TOOLS_REPORT_H

#include "explain.h"
#include "heap_svg.h"
#include "pool_demand.h"
#include "report_html.h"
#include "report_svg.h"
#include "site_labels.h"
#include "sites.h"
#include "sites_print.h"
#include "symbolize.h"
#include "trace_series.h"
#include "trace_summary.h"

#endif /* POOLHEAP_TOOLS_REPORT_H */
