/* tools/cli: what every command of the `poolheap` tool shares.
 *
 * Owns: the tool's exit codes (below), table-driven option parsing
 * (options.h), output files that readers see whole or not at all
 * (atomic_file.h), loading a configuration with its one-line error
 * (config_input.h), and reading the TRACE operands: trace files or ITM
 * captures (trace_input.h).
 *
 * May use: tools/config, tools/trace and tools/escape (its messages stay on
 * one line). The commands themselves live in tools/poolheap. */
#ifndef POOLHEAP_TOOLS_CLI_H
#define POOLHEAP_TOOLS_CLI_H

/* Exit codes of the tool and of every command. */
enum ph_exit {
    PH_EXIT_OK = 0,      /* done */
    PH_EXIT_INVALID = 1, /* invalid input: a configuration error, an unreadable or unwritable file */
    PH_EXIT_USAGE = 2    /* bad command line */
};

/* The lines every --help ends with. */
#define PH_EXIT_HELP "Exit status: 0 ok, 1 invalid input (the error is printed as FILE:LINE:COL: message), 2 usage.\n"

#include "atomic_file.h"
#include "config_input.h"
#include "options.h"
#include "trace_input.h"

#endif /* POOLHEAP_TOOLS_CLI_H */
