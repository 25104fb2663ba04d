/* Table-driven command-line options for the subcommands. */
#ifndef POOLHEAP_TOOL_OPTIONS_H
#define POOLHEAP_TOOL_OPTIONS_H

#include <stddef.h>

#include "config/config.h"

/* One option that takes a value: --NAME VALUE, --NAME=VALUE or -L VALUE. */
typedef struct ph_option {
    const char *name;   /* long name, without "--" */
    char letter;        /* short name, or 0 */
    const char **value; /* receives the argument; untouched if absent */
} ph_option_t;

/* An option that takes no value: --NAME. */
typedef struct ph_switch {
    const char *name; /* long name, without "--" */
    int *set;         /* set to 1 if given; untouched if absent */
} ph_switch_t;

/* What a command's command line holds beyond its options. */
typedef struct ph_arguments {
    const char **positionals;    /* receives up to `positional_count` operands */
    size_t positional_count;     /* exactly this many must be given (at most, with positional_min) */
    int help;                    /* set to 1 if -h or --help was given */
    size_t positional_min;       /* if not 0: from this many to positional_count operands are accepted */
    size_t positional_given;     /* receives the number of operands given */
    const ph_switch_t *switches; /* options without a value, if any */
    size_t switch_count;
} ph_arguments_t;

/* Parses argv[1 .. argc) of command argv[0]. "--" ends the options. With
 * --help anywhere, returns 0 with args->help set and the rest unchecked.
 * Returns 0, or prints "poolheap CMD: PROBLEM" and a hint to stderr and
 * returns PH_EXIT_USAGE for an unknown option, a missing value, or the wrong
 * number of operands. */
int ph_parse_options(int argc, char **argv, const ph_option_t *options, size_t count, ph_arguments_t *args);

/* Fills `target` from the text of --pointer-size (NULL: the default, 4).
 * Returns 0, or prints the problem and returns PH_EXIT_USAGE. */
int ph_parse_target(const char *command, const char *text, ph_target_t *target);

/* Prints "poolheap CMD: PROBLEM" and the --help hint; returns PH_EXIT_USAGE. */
int ph_usage_error(const char *command, const char *format, ...);

#endif /* POOLHEAP_TOOL_OPTIONS_H */
