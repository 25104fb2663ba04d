/* The TRACE operands of report and tune (trace_input.h). */
#include "trace_input.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "escape/escape.h"

int ph_parse_itm_port(const char *command, const char *text, int *port) {
    *port = -1;
    if (text == NULL) {
        return 0;
    }
    char *end;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < 0 || value > 31) {
        return ph_usage_error(command, "--itm-port '%s' is not a stimulus port number from 0 to 31", text);
    }
    *port = (int)value;
    return 0;
}

int ph_read_trace_input(const char *path, int itm_port, ph_trace_t *out) {
    char error[1536];
    ph_itm_stats_t stats;
    int failed = itm_port < 0 ? ph_trace_read(path, out, error, sizeof error)
                              : ph_trace_read_itm(path, (unsigned)itm_port, out, &stats, error, sizeof error);
    if (failed) {
        ph_error_line("%s", error);
        return PH_EXIT_INVALID;
    }
    if (itm_port >= 0 && (stats.lost != 0u || stats.overflows != 0u || stats.errors != 0u || stats.header_missing ||
                          stats.second_trace)) {
        ph_error_line("%s: ITM port %d: %llu records, %llu lost (%llu overflow packets, %llu reserved headers)%s%s",
                      path, itm_port, (unsigned long long)stats.records, (unsigned long long)stats.lost,
                      (unsigned long long)stats.overflows, (unsigned long long)stats.errors,
                      stats.callers_inferred ? "; the capture began after the trace header (records with callers)"
                      : stats.header_missing ? "; the capture began after the trace header"
                                             : "",
                      stats.second_trace ? "; read up to a second trace header" : "");
    }
    return PH_EXIT_OK;
}
