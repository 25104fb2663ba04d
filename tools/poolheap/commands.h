/* The subcommands of `poolheap`, one line each: name and one-line summary.
 * A command NAME is implemented by `int ph_command_NAME(int argc, char **argv)`
 * in its own file (argv[0] is the command's name); adding a command is one
 * file and one line here. */
#ifndef POOLHEAP_TOOL_COMMANDS_H
#define POOLHEAP_TOOL_COMMANDS_H

#define PH_COMMANDS(X)                                                              \
    X(gen, "generate C code defining the heaps of a TOML file")                     \
    X(layout, "print a default heap layout as TOML, for a project without a trace") \
    X(report, "describe a heap trace; replay it through a layout")                  \
    X(show, "print each heap's pools as a table, and draw them as an SVG picture")  \
    X(tune, "compute the smallest pool layout that serves heap traces (docs/tuning.md)")

#define PH_DECLARE_COMMAND(name, summary) int ph_command_##name(int argc, char **argv);
PH_COMMANDS(PH_DECLARE_COMMAND)
#undef PH_DECLARE_COMMAND

/* Exit codes of the tool and of every command. */
enum ph_exit {
    PH_EXIT_OK = 0,      /* done */
    PH_EXIT_INVALID = 1, /* invalid input: a configuration error, an unreadable or unwritable file */
    PH_EXIT_USAGE = 2    /* bad command line */
};

/* The lines every --help ends with. */
#define PH_EXIT_HELP "Exit status: 0 ok, 1 invalid input (the error is printed as FILE:LINE:COL: message), 2 usage.\n"

#endif /* POOLHEAP_TOOL_COMMANDS_H */
