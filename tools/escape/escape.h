/* tools/escape: what the tools print of hostile text (file names, text
 * from traces and configurations, the user's arguments) stays on one line.
 *
 * Owns: writing text with its control characters escaped and the one-line
 * error message (error_line.h).
 *
 * May use: the C library only, so that every folder that prints may use it
 * (tools/trace, tools/report, tools/cli and the commands, tools/poolheap). */
#ifndef POOLHEAP_TOOLS_ESCAPE_H
#define POOLHEAP_TOOLS_ESCAPE_H

#include "error_line.h"

#endif /* POOLHEAP_TOOLS_ESCAPE_H */
