/* The subcommands of `poolheap`, one line each: name and one-line summary.
 * A command NAME is implemented by `int ph_command_NAME(int argc, char **argv)`
 * in its own file (argv[0] is the command's name); adding a command is one
 * file and one line here. */
#ifndef POOLHEAP_TOOL_COMMANDS_H
#define POOLHEAP_TOOL_COMMANDS_H

#include "cli/cli.h" /* the exit codes */

#define PH_COMMANDS(X)                                                              \
    X(gen, "generate C code defining the heaps of a TOML file")                     \
    X(layout, "print a default heap layout as TOML, for a project without a trace") \
    X(report, "describe a heap trace; replay it through a layout")                  \
    X(show, "print each heap's pools as a table, and draw them as an SVG picture")  \
    X(tune, "compute the smallest pool layout that serves heap traces (docs/tuning.md)")

#define PH_DECLARE_COMMAND(name, summary) int ph_command_##name(int argc, char **argv);
PH_COMMANDS(PH_DECLARE_COMMAND)
#undef PH_DECLARE_COMMAND

#endif /* POOLHEAP_TOOL_COMMANDS_H */
