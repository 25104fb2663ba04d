/* poolheap gen FILE.toml -o DIR [--pointer-size 4|8] */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "escape/escape.h"

static const char help[] =
    "Usage: poolheap gen FILE.toml -o DIR [--pointer-size 4|8]\n"
    "Validate the heaps of FILE.toml ([heap] or [heap.NAME] tables) and write\n"
    "DIR/" PH_GEN_HEADER " (declares heap_NAME for every heap, and poolheap_heaps[])\n"
    "DIR/" PH_GEN_SOURCE " (defines them with POOLHEAP_DEFINE, _IN for a section, _AT for an origin).\n"
    "Both files are written to temporary files, then renamed: both are replaced or neither;\n"
    "nothing is written if FILE.toml is invalid.\n\n"
    "Options:\n"
    "  -o, --output DIR        directory to write the two files to (made if missing)\n"
    "  --pointer-size 4|8      pointer size of the target in bytes (default 4, Cortex-M)\n"
    "  -h, --help              print this help\n\n" PH_EXIT_HELP;

int ph_command_gen(int argc, char **argv) {
    const char *input = NULL, *output = NULL, *pointer_size = NULL;
    const ph_option_t options[] = {{"output", 'o', &output}, {"pointer-size", 0, &pointer_size}};
    ph_arguments_t args = {.positionals = &input, .positional_count = 1u};
    ph_target_t target;
    int status = ph_parse_options(argc, argv, options, 2u, &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    if (output == NULL || output[0] == '\0') {
        return ph_usage_error(argv[0], output == NULL ? "missing -o DIR" : "-o needs a directory, not an empty path");
    }
    if (ph_parse_target(argv[0], pointer_size, &target) != 0) {
        return PH_EXIT_USAGE;
    }
    ph_config_t config;
    if (ph_load_config(input, &target, &config) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    const char *base = strrchr(input, '/');
    ph_codegen_t gen = {&config, base != NULL ? base + 1 : input, target.pointer_size};
    char header[4096], source[4096];
    int fits = snprintf(header, sizeof header, "%s/%s", output, PH_GEN_HEADER) < (int)sizeof header &&
               snprintf(source, sizeof source, "%s/%s", output, PH_GEN_SOURCE) < (int)sizeof source;
    if (!fits) {
        ph_error_line("%s: path too long", output);
    }
    /* Both files or neither: a header that does not match its source would
     * compile into a wrong program. */
    const ph_output_t files[] = {{header, ph_emit_header, &gen}, {source, ph_emit_source, &gen}};
    status = fits && ph_make_directory(output) == 0 && ph_write_outputs(files, 2u) == 0 ? PH_EXIT_OK : PH_EXIT_INVALID;
    ph_config_free(&config);
    return status;
}
