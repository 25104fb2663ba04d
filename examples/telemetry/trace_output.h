/* Where the demo's heap trace goes: a host file through semihosting on the
 * board (trace_output_semihost.c), a plain file on a host build
 * (trace_output_file.c). */
#ifndef TELEMETRY_TRACE_OUTPUT_H
#define TELEMETRY_TRACE_OUTPUT_H

/* Starts recording every heap operation into `path`; returns 0 or -1. */
int trace_output_start(const char *path);

/* Stops recording and closes the file. */
void trace_output_stop(void);

#endif
