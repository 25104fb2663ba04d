/* poolheap layout --size SIZE --pools N [--pointer-size 4|8]
 *
 * The default shape, for a project with no trace to tune from: blocks double
 * from the pointer size (every pool is then naturally aligned, so there is
 * no padding, and a request wastes less than half its block), and every pool
 * gets an equal share of the bytes (so no size class is favoured; small
 * blocks come in large numbers), with the remainder rule of pool_shares.h. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"

static const char help[] = "Usage: poolheap layout --size SIZE --pools N [--pointer-size 4|8]\n"
                           "Print, as TOML that 'poolheap gen' accepts, a default heap of SIZE bytes in N pools:\n"
                           "blocks double from the pointer size (4, 8, 16, ... on a 4-byte target), and each pool\n"
                           "holds an equal share of the bytes; bytes left over go to the pools from the largest\n"
                           "block down, one block at a time, until none fits.\n\n"
                           "Options:\n"
                           "  --size SIZE             heap size: bytes, with _ separators, 0x prefix, K or M suffix\n"
                           "  --pools N               number of pools, 1 to 64\n"
                           "  --pointer-size 4|8      pointer size of the target in bytes (default 4, Cortex-M)\n"
                           "  -h, --help              print this help\n\n" PH_EXIT_HELP;

/* Prints `size` as "10K" or "2M" when exact, else as plain bytes. */
static void print_size(uint64_t size) {
    if (size >= 1024u * 1024u && size % (1024u * 1024u) == 0u) {
        printf("\"%lluM\"", (unsigned long long)(size / (1024u * 1024u)));
    } else if (size >= 1024u && size % 1024u == 0u) {
        printf("\"%lluK\"", (unsigned long long)(size / 1024u));
    } else {
        printf("%llu", (unsigned long long)size);
    }
}

int ph_command_layout(int argc, char **argv) {
    const char *size_text = NULL, *pools_text = NULL, *pointer_size = NULL;
    const ph_option_t options[] = {
        {"size", 0, &size_text}, {"pools", 0, &pools_text}, {"pointer-size", 0, &pointer_size}};
    ph_arguments_t args = {.positionals = NULL, .positional_count = 0u};
    ph_target_t target;
    uint64_t size, count;
    int status = ph_parse_options(argc, argv, options, 3u, &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    if (size_text == NULL || pools_text == NULL) {
        return ph_usage_error(argv[0], "--size and --pools are required");
    }
    if (ph_parse_size(size_text, &size) != 0 || size == 0u || size > UINT32_MAX) {
        return ph_usage_error(argv[0], "--size '%s' is not a size from 1 to 4G - 1 (such as 10K)", size_text);
    }
    if (ph_parse_size(pools_text, &count) != 0 || count == 0u || count > POOLHEAP_MAX_POOLS) {
        return ph_usage_error(argv[0], "--pools '%s' is not a number from 1 to %u", pools_text, POOLHEAP_MAX_POOLS);
    }
    if (ph_parse_target(argv[0], pointer_size, &target) != 0) {
        return PH_EXIT_USAGE;
    }
    /* The largest block is 2^exponent bytes: above 2^32 (any size is too
     * small then) it is named by its exponent, never computed past 64 bits. */
    unsigned exponent = (target.pointer_size == 8u ? 3u : 2u) + (unsigned)count - 1u;
    if (size % target.pointer_size != 0u || exponent >= 32u || (uint64_t)1 << exponent > size) {
        char largest[24];
        if (exponent < 64u) {
            snprintf(largest, sizeof largest, "%llu", (unsigned long long)1 << exponent);
        } else {
            snprintf(largest, sizeof largest, "2^%u", exponent);
        }
        fprintf(stderr,
                "poolheap layout: a size of %llu bytes cannot hold %llu pools: it must be a multiple of %u and at "
                "least %s (the largest block)\n",
                (unsigned long long)size, (unsigned long long)count, target.pointer_size, largest);
        return PH_EXIT_INVALID;
    }
    ph_pool_request_t pools[POOLHEAP_MAX_POOLS];
    for (size_t i = 0u; i < count; i++) {
        pools[i] = (ph_pool_request_t){(uint32_t)target.pointer_size << i, (uint32_t)(PH_SHARE_WHOLE / count), 0u};
    }
    ph_resolve_shares(size, pools, (size_t)count);
    for (size_t i = 0u; i < count; i++) {
        if (pools[i].capacity == 0u) {
            fprintf(stderr, "poolheap layout: %llu bytes are too few for %llu pools: no block of %u bytes fits\n",
                    (unsigned long long)size, (unsigned long long)count, pools[i].block);
            return PH_EXIT_INVALID;
        }
    }
    printf("# Default layout: poolheap layout --size %s --pools %llu --pointer-size %u\n"
           "# Blocks double from the pointer size; each pool holds about 1/%llu of the bytes.\n"
           "[heap]\nsize = ",
           size_text, (unsigned long long)count, target.pointer_size, (unsigned long long)count);
    print_size(size);
    printf("\npools = [\n");
    for (size_t i = 0u; i < count; i++) {
        printf("    { block = %u, capacity = %llu },\n", pools[i].block, (unsigned long long)pools[i].capacity);
    }
    printf("]\n");
    return PH_EXIT_OK;
}
