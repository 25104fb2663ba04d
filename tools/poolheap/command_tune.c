/* poolheap tune TRACE... --pools N [--size S | --headroom P%] [--pointer-size 4|8] [-o FILE] [--itm-port N]
 *
 * Reads the traces, runs the tuner (tools/tune/tune.h, docs/tuning.md) and
 * writes the layout as TOML that `poolheap gen` accepts. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "trace/trace.h"
#include "trace_input.h"
#include "tune/tune.h"

#define PH_TUNE_MAX_TRACES 64u
#define PH_TUNE_PROGRESS_EVENTS 1000000u /* stages are shown from this many events */

static const char help[] =
    "Usage: poolheap tune TRACE... --pools N [--size SIZE | --headroom P%] [--pointer-size 4|8] [-o FILE]\n"
    "                    [--itm-port N]\n"
    "Compute the pool layout (blocks and capacities) with the smallest heap that serves every trace\n"
    "under the library's rules, fallback included; print it as TOML that 'poolheap gen' accepts.\n"
    "Each trace is replayed from an empty heap; one layout serves them all (docs/tuning.md).\n\n"
    "Options:\n"
    "  --pools N               at most N pools, 1 to 64\n"
    "  --size SIZE             fill a heap of SIZE bytes (sum of block * capacity), spreading the\n"
    "                          spare bytes so each pool gets the same margin relative to its peak\n"
    "  --headroom P%           raise every capacity by P% (up to 100%), rounded up\n"
    "  --pointer-size 4|8      pointer size of the target (default: the first trace's)\n"
    "  -o, --output FILE       write the TOML to FILE (replaced atomically) instead of stdout\n" PH_ITM_PORT_HELP
    "  -h, --help              print this help\n\n"
    "The summary (heap needed, peak live bytes and their ratio, the optimum without fallback, time)\n"
    "goes to stdout with -o, else to stderr.\n\n" PH_EXIT_HELP;

typedef struct ph_tune_output {
    const ph_tune_result_t *result;
    const char *command_line;
} ph_tune_output_t;

static int write_toml(FILE *out, const void *context) {
    const ph_tune_output_t *o = context;
    const ph_tune_layout_t *layout = &o->result->layout;
    fprintf(out,
            "# %s\n# Peak live bytes %llu; this heap %llu bytes (%llu with padding); optimum without fallback "
            "%llu.\n[heap]\nsize = %llu\npools = [\n",
            o->command_line, (unsigned long long)o->result->peak_live_bytes, (unsigned long long)layout->size,
            (unsigned long long)o->result->span, (unsigned long long)o->result->optimum.size,
            (unsigned long long)layout->size);
    for (size_t p = 0u; p < layout->pool_count; p++) {
        fprintf(out, "    { block = %u, capacity = %u },\n", layout->pools[p].block, layout->pools[p].capacity);
    }
    return fprintf(out, "]\n") < 0 ? -1 : 0;
}

static void show_stage(const char *stage, void *context) {
    (void)context;
    fprintf(stderr, "poolheap tune: %s...\n", stage);
}

static double seconds_now(void) {
    struct timespec now;
    timespec_get(&now, TIME_UTC);
    return (double)now.tv_sec + (double)now.tv_nsec * 1e-9;
}

static void print_summary(FILE *out, const ph_tune_result_t *r, size_t traces, double seconds) {
    double ratio = r->peak_live_bytes ? (double)r->layout.size / (double)r->peak_live_bytes : 0.0;
    fprintf(out,
            "traces:              %zu (%llu events, %zu size classes, pointer size %u)\n"
            "peak live bytes:     %llu (lower bound)\n"
            "optimum, no fallback %llu bytes in %zu pools\n"
            "with fallback:       %llu bytes\n"
            "heap:                %llu bytes in %zu pools (%llu with padding), %.3f x peak live bytes\n"
            "time:                %.3f s (%llu model replays, %u library replays)\n",
            traces, (unsigned long long)r->events, r->classes, r->pointer_size, (unsigned long long)r->peak_live_bytes,
            (unsigned long long)r->optimum.size, r->optimum.pool_count, (unsigned long long)r->reduced_size,
            (unsigned long long)r->layout.size, r->layout.pool_count, (unsigned long long)r->span, ratio, seconds,
            (unsigned long long)r->simulations, r->replays);
}

/* Parses --pools, --size and --headroom into *o; PH_EXIT_USAGE if bad. */
static int parse_numbers(const char *command, const char *pools, const char *size, const char *headroom,
                         ph_tune_options_t *o) {
    uint64_t value;
    uint32_t share;
    if (pools == NULL) {
        return ph_usage_error(command, "--pools is required");
    }
    if (ph_parse_size(pools, &value) != 0 || value == 0u || value > POOLHEAP_MAX_POOLS) {
        return ph_usage_error(command, "--pools '%s' is not a number from 1 to %u", pools, POOLHEAP_MAX_POOLS);
    }
    o->max_pools = (size_t)value;
    if (size != NULL && (ph_parse_size(size, &o->size) != 0 || o->size == 0u || o->size > UINT32_MAX)) {
        return ph_usage_error(command, "--size '%s' is not a size from 1 to 4G - 1 (such as 10K)", size);
    }
    if (headroom != NULL) {
        if (size != NULL) {
            return ph_usage_error(command, "--size and --headroom exclude each other");
        }
        if (ph_parse_share(headroom, &share) != 0) {
            return ph_usage_error(command, "--headroom '%s' is not a percentage from 0%% to 100%%", headroom);
        }
        o->headroom_bp = (uint32_t)((share + 99999u) / 100000u); /* parts per billion to basis points, up */
    }
    return 0;
}

static int run_tune(const char *command, const char **paths, size_t count, int itm_port, ph_tune_options_t *o,
                    const char *output, const char *command_line) {
    ph_trace_t traces[PH_TUNE_MAX_TRACES] = {{0}};
    char error[512];
    int status = PH_EXIT_OK;
    double start = seconds_now();
    uint64_t events = 0u;
    for (size_t i = 0u; i < count && status == PH_EXIT_OK; i++) {
        status = ph_read_trace_input(paths[i], itm_port, &traces[i]);
        events += traces[i].count;
    }
    o->progress = events >= PH_TUNE_PROGRESS_EVENTS ? show_stage : NULL;
    ph_tune_result_t *result = malloc(sizeof *result);
    if (status == PH_EXIT_OK && (result == NULL || ph_tune(traces, count, o, result, error, sizeof error) != 0)) {
        fprintf(stderr, "poolheap %s: %s\n", command, result == NULL ? "out of memory" : error);
        status = PH_EXIT_INVALID;
    }
    if (status == PH_EXIT_OK) {
        ph_tune_output_t toml = {result, command_line};
        if (output != NULL ? ph_write_atomically(output, write_toml, &toml) != 0 : write_toml(stdout, &toml) != 0) {
            status = PH_EXIT_INVALID;
        } else {
            print_summary(output != NULL ? stdout : stderr, result, count, seconds_now() - start);
        }
    }
    for (size_t i = 0u; i < count; i++) {
        ph_trace_free(&traces[i]);
    }
    free(result);
    return status;
}

int ph_command_tune(int argc, char **argv) {
    const char *pools = NULL, *size = NULL, *headroom = NULL, *pointer = NULL, *output = NULL, *itm = NULL;
    const ph_option_t options[] = {{"pools", 0, &pools},          {"size", 0, &size},       {"headroom", 0, &headroom},
                                   {"pointer-size", 0, &pointer}, {"output", 'o', &output}, {"itm-port", 0, &itm}};
    const char *paths[PH_TUNE_MAX_TRACES];
    ph_arguments_t args = {paths, PH_TUNE_MAX_TRACES, 0, 1u, 0u};
    int status = ph_parse_options(argc, argv, options, sizeof options / sizeof options[0], &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    ph_tune_options_t o = {0};
    int itm_port;
    status = parse_numbers(argv[0], pools, size, headroom, &o);
    if (status != 0 || (status = ph_parse_itm_port(argv[0], itm, &itm_port)) != 0) {
        return status;
    }
    if (pointer != NULL) {
        ph_target_t target;
        if (ph_parse_target(argv[0], pointer, &target) != 0) {
            return PH_EXIT_USAGE;
        }
        o.pointer_size = target.pointer_size;
    }
    char command_line[256];
    snprintf(command_line, sizeof command_line, "poolheap tune --pools %s%s%s%s%s (%zu trace%s)", pools,
             size ? " --size " : "", size ? size : "", headroom ? " --headroom " : "", headroom ? headroom : "",
             args.positional_given, args.positional_given == 1u ? "" : "s");
    return run_tune(argv[0], paths, args.positional_given, itm_port, &o, output, command_line);
}
