/* Option parsing shared by the subcommands. */
#include "options.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "escape/escape.h"

int ph_usage_error(const char *command, const char *format, ...) {
    char message[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    ph_error_line("poolheap %s: %s", command, message); /* quotes the user's arguments: one line */
    fprintf(stderr, "Try 'poolheap %s --help'.\n", command);
    return PH_EXIT_USAGE;
}

static const ph_option_t *find_option(const char *arg, const ph_option_t *options, size_t count, size_t *name_length) {
    for (size_t i = 0u; i < count; i++) {
        const ph_option_t *o = &options[i];
        size_t n = strlen(o->name);
        if (arg[1] == '-' && strncmp(arg + 2, o->name, n) == 0 && (arg[2 + n] == '\0' || arg[2 + n] == '=')) {
            *name_length = 2u + n;
            return o;
        }
        if (arg[1] != '-' && o->letter != 0 && arg[1] == o->letter) {
            *name_length = 2u;
            return o;
        }
    }
    return NULL;
}

/* The flag of the switch `arg` names exactly (--NAME), or NULL. */
static int *find_switch(const char *arg, const ph_arguments_t *args) {
    for (size_t i = 0u; i < args->switch_count; i++) {
        if (arg[1] == '-' && strcmp(arg + 2, args->switches[i].name) == 0) {
            return args->switches[i].set;
        }
    }
    return NULL;
}

static int is_help(const char *arg) {
    return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int ph_parse_options(int argc, char **argv, const ph_option_t *options, size_t count, ph_arguments_t *args) {
    size_t operands = 0u;
    int options_done = 0;
    args->help = 0;
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
        if (is_help(argv[i])) {
            args->help = 1;
            return 0;
        }
    }
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || arg[1] == '\0') {
            if (operands == args->positional_count) {
                return ph_usage_error(argv[0], "unexpected operand '%s'", arg);
            }
            args->positionals[operands++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = 1;
            continue;
        }
        int *set = find_switch(arg, args);
        if (set != NULL) {
            *set = 1;
            continue;
        }
        size_t name_length = 0u;
        const ph_option_t *o = find_option(arg, options, count, &name_length);
        if (o == NULL) {
            return ph_usage_error(argv[0], "unknown option '%s'", arg);
        }
        if (arg[name_length] == '=' && arg[1] == '-') {
            *o->value = arg + name_length + 1u;
        } else if (arg[name_length] != '\0') {
            *o->value = arg + name_length; /* -oDIR */
        } else if (i + 1 < argc) {
            *o->value = argv[++i];
        } else {
            return ph_usage_error(argv[0], "option '%s' needs a value", arg);
        }
    }
    args->positional_given = operands;
    if (args->positional_min != 0u) {
        return operands >= args->positional_min
                   ? 0
                   : ph_usage_error(argv[0], "expected at least %zu operand%s, got %zu", args->positional_min,
                                    args->positional_min == 1u ? "" : "s", operands);
    }
    if (operands != args->positional_count) {
        return ph_usage_error(argv[0], "expected %zu operand%s, got %zu", args->positional_count,
                              args->positional_count == 1u ? "" : "s", operands);
    }
    return 0;
}

int ph_parse_target(const char *command, const char *text, ph_target_t *target) {
    if (text == NULL || strcmp(text, "4") == 0) {
        target->pointer_size = 4u;
    } else if (strcmp(text, "8") == 0) {
        target->pointer_size = 8u;
    } else {
        return ph_usage_error(command, "--pointer-size must be 4 or 8, not '%s'", text);
    }
    return 0;
}
