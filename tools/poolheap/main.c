/* poolheap: the command-line tool. Dispatches to the commands listed in
 * commands.h. */
#include <stdio.h>
#include <string.h>

#include "commands.h"

typedef struct command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} command_t;

#define PH_COMMAND_ENTRY(name, summary) {#name, summary, ph_command_##name},
static const command_t commands[] = {PH_COMMANDS(PH_COMMAND_ENTRY)};
#undef PH_COMMAND_ENTRY

static void print_help(FILE *out) {
    fputs("Usage: poolheap COMMAND [ARGUMENTS]\n"
          "Configure poolheap heaps from a TOML file (Drone.toml's [heap] or [heap.NAME]).\n\n"
          "Commands:\n",
          out);
    for (size_t i = 0u; i < sizeof commands / sizeof commands[0]; i++) {
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    }
    fputs("\n'poolheap COMMAND --help' describes a command.\n" PH_EXIT_HELP, out);
}

int main(int argc, char **argv) {
    if (argc < 2) {
        print_help(stderr);
        return PH_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return PH_EXIT_OK;
    }
    for (size_t i = 0u; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(argv[1], commands[i].name) == 0) {
            return commands[i].run(argc - 1, argv + 1);
        }
    }
    fprintf(stderr, "poolheap: unknown command '%s'\nTry 'poolheap --help'.\n", argv[1]);
    return PH_EXIT_USAGE;
}
