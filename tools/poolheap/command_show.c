/* poolheap show FILE.toml [--svg OUT.svg] [--pointer-size 4|8] */
#include <stdio.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "report/report.h"

static const char help[] =
    "Usage: poolheap show FILE.toml [--svg OUT.svg] [--pointer-size 4|8]\n"
    "Validate the heaps of FILE.toml and print a table of each: pool, block, capacity, bytes,\n"
    "share of the heap's size, offset in the region and the alignment padding before the pool.\n"
    "With --svg, also draw every heap as a band split into its pools in proportion to their bytes.\n\n"
    "Options:\n"
    "  --svg OUT.svg           write the picture to OUT.svg (atomically)\n"
    "  --pointer-size 4|8      pointer size of the target in bytes (default 4, Cortex-M)\n"
    "  -h, --help              print this help\n\n" PH_EXIT_HELP;

static void print_heap(const ph_heap_config_t *h) {
    uint64_t offsets[POOLHEAP_MAX_POOLS], end = 0u;
    uint64_t span = ph_layout_offsets(h->pools, h->pool_count, offsets);
    printf("heap %s: %llu bytes in %zu pool%s, span %llu bytes (%llu padding), alignment %u", h->name,
           (unsigned long long)h->size, h->pool_count, h->pool_count == 1u ? "" : "s", (unsigned long long)span,
           (unsigned long long)(span - h->size), (unsigned)poolheap_layout_alignment(h->pools, h->pool_count));
    if (h->has_origin) {
        printf(", at 0x%llX", (unsigned long long)h->origin);
    } else if (h->section[0] != '\0') {
        printf(", in section %s", h->section);
    }
    printf("\n  %4s %8s %9s %10s %7s %10s %8s\n", "pool", "block", "capacity", "bytes", "share", "offset", "padding");
    for (size_t p = 0u; p < h->pool_count; p++) {
        uint64_t bytes = (uint64_t)h->pools[p].block * h->pools[p].capacity;
        printf("  %4zu %8u %9u %10llu %6.1f%% %10llu %8llu\n", p, h->pools[p].block, h->pools[p].capacity,
               (unsigned long long)bytes, 100.0 * (double)bytes / (double)h->size, (unsigned long long)offsets[p],
               (unsigned long long)(offsets[p] - end));
        end = offsets[p] + bytes;
    }
}

int ph_command_show(int argc, char **argv) {
    const char *input = NULL, *svg = NULL, *pointer_size = NULL;
    const ph_option_t options[] = {{"svg", 0, &svg}, {"pointer-size", 0, &pointer_size}};
    ph_arguments_t args = {.positionals = &input, .positional_count = 1u};
    ph_target_t target;
    int status = ph_parse_options(argc, argv, options, 2u, &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    if (ph_parse_target(argv[0], pointer_size, &target) != 0) {
        return PH_EXIT_USAGE;
    }
    ph_config_t config;
    if (ph_load_config(input, &target, &config) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    for (size_t i = 0u; i < config.count; i++) {
        printf("%s", i > 0u ? "\n" : "");
        print_heap(&config.heaps[i]);
    }
    status = svg != NULL && ph_write_atomically(svg, ph_write_svg, &config) != 0 ? PH_EXIT_INVALID : PH_EXIT_OK;
    ph_config_free(&config);
    return status;
}
