/* Names for a trace's caller addresses: function and file:line, read from
 * the program's debugging information by binutils' addr2line, one process
 * per file (the firmware, or each executable and shared library a host
 * trace's MAP records name), all of that file's addresses in one batch. */
#ifndef POOLHEAP_REPORT_SYMBOLIZE_H
#define POOLHEAP_REPORT_SYMBOLIZE_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

typedef struct ph_symbolize_options {
    const char *elf;       /* every address is one of this file (a firmware): --elf; NULL: the trace's maps */
    const char *addr2line; /* the program to run: --addr2line; NULL: arm-none-eabi-addr2line for an Arm
                              file, addr2line otherwise, found on PATH */
} ph_symbolize_options_t;

/* Sets names[i] to "function (file:line)" for addresses[i] (a return
 * address as the trace holds it: the call instruction is looked up), to
 * "function (FILE+0xOFFSET)" where the file has no line information, or to
 * NULL where nothing is known (no file maps it, addr2line missing or
 * failing). Each name is malloc'd. A file that cannot
 * be symbolized is said once on stderr and its addresses stay NULL; that is
 * not an error. Returns 0, or -1 if out of memory. Time: O(n log maps) plus
 * one addr2line run per file. */
int ph_symbolize(const uint64_t *addresses, size_t n, const ph_trace_t *trace, const ph_symbolize_options_t *options,
                 char **names);

#endif /* POOLHEAP_REPORT_SYMBOLIZE_H */
