/* poolheap: the command-line tool. Dispatches to the commands listed in
 * commands.h. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "commands.h"
#include "escape/escape.h"

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

/* Output that never reached standard output (a full disk, a closed pipe,
 * /dev/full) is an error: `status`, or PH_EXIT_INVALID if that was OK. */
static int finish_stdout(int status) {
    errno = 0;
    int lost = ferror(stdout);
    lost |= fflush(stdout) != 0;
    lost |= fclose(stdout) != 0;
    if (!lost) {
        return status;
    }
    ph_error_line("poolheap: cannot write standard output: %s", errno != 0 ? strerror(errno) : "write error");
    return status == PH_EXIT_OK ? PH_EXIT_INVALID : status;
}

static int run(int argc, char **argv) {
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
    ph_error_line("poolheap: unknown command '%s'", argv[1]);
    fputs("Try 'poolheap --help'.\n", stderr);
    return PH_EXIT_USAGE;
}

int main(int argc, char **argv) {
    return finish_stdout(run(argc, argv));
}
