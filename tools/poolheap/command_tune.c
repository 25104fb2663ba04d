/* poolheap tune TRACE... --pools N [--margin P% [--max-request SIZE] | --size S | --headroom P%]
 *               [--validate | --from FILE.toml [--heap NAME]] [--pointer-size 4|8] [-o FILE] [--itm-port N]
 *
 * Reads the traces, runs the tuner (tools/tune/tune.h, docs/tuning.md) and
 * writes the layout as TOML that `poolheap gen` accepts; or validates
 * margins on held-out traces (tune_validate.h); or grows a given layout to
 * serve the traces (tune_grow.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "escape/escape.h"
#include "report/report.h"
#include "trace/trace.h"
#include "tune/tune.h"

#define PH_TUNE_MAX_TRACES 64u
#define PH_TUNE_PROGRESS_EVENTS 1000000u /* stages are shown from this many events */

static const char help[] =
    "Usage: poolheap tune TRACE... --pools N [--margin P% [--max-request SIZE] | --size SIZE | --headroom P%]\n"
    "                    [--validate | --from FILE.toml [--heap NAME]] [--pointer-size 4|8] [-o FILE]\n"
    "                    [--itm-port N]\n"
    "Compute the pool layout (blocks and capacities) with the smallest heap that serves every trace\n"
    "under the library's rules, fallback included; print it as TOML that 'poolheap gen' accepts.\n"
    "Each trace is replayed from an empty heap; one layout serves them all (docs/tuning.md).\n"
    "Safe workflow: record several runs, 'tune RUNS... --validate' for the margin they need,\n"
    "then 'tune RUNS... --margin P%' with the margin it suggests.\n\n"
    "Options:\n"
    "  --pools N               at most N pools, 1 to 64 (more never gives a larger heap)\n"
    "  --margin P%             spend P% more bytes (0 to 100%) where the runs' demand varies, so\n"
    "                          that the next run fits (docs/tuning.md, \"Margins\")\n"
    "  --max-request SIZE      with --margin: the largest block serves requests of SIZE bytes\n"
    "                          (default: the largest request plus how much it varies between runs)\n"
    "  --validate              with 2 or more traces: tune on all but one, replay the one left out,\n"
    "                          at margins from 0% to 100%; print what each serves and the margin to use\n"
    "  --from FILE.toml        grow that layout (its heap main, or --heap NAME) just enough to serve\n"
    "                          the traces, keeping its blocks\n"
    "  --size SIZE             the largest region (heap and padding between pools) to fill: spare\n"
    "                          bytes give each pool the same margin relative to its peak\n"
    "  --headroom P%           spend P% more bytes (0 to 100%) on the same relative margin per pool\n"
    "  --pointer-size 4|8      pointer size of the target (default: the first trace's)\n"
    "  -o, --output FILE       write the TOML to FILE (replaced atomically) instead of stdout\n" PH_ITM_PORT_HELP
    "  -h, --help              print this help\n\n"
    "The summary (heap needed, peak live bytes and their ratio, the optimum without fallback, time)\n"
    "goes to stdout with -o, else to stderr.\n\n" PH_EXIT_HELP;

/* What the TOML holds: a layout and the comment above it. */
typedef struct ph_tune_output {
    const ph_tune_layout_t *layout;
    const char *command_line;
    char comment[256];
} ph_tune_output_t;

/* The comment lines quote file names: escaped, as TOML comments hold no
 * control characters (and a newline would end the comment). */
static int write_toml(FILE *out, const void *context) {
    const ph_tune_output_t *o = context;
    fputs("# ", out);
    ph_put_controls_escaped(out, o->command_line);
    fputs("\n# ", out);
    ph_put_controls_escaped(out, o->comment);
    fprintf(out, "\n[heap]\nsize = %llu\npools = [\n", (unsigned long long)o->layout->size);
    for (size_t p = 0u; p < o->layout->pool_count; p++) {
        fprintf(out, "    { block = %u, capacity = %u },\n", o->layout->pools[p].block, o->layout->pools[p].capacity);
    }
    return fprintf(out, "]\n") < 0 ? -1 : 0;
}

/* Writes the TOML to `output` (atomically) or stdout; an exit code. */
static int put_toml(const char *output, const ph_tune_output_t *toml) {
    return (output != NULL ? ph_write_atomically(output, write_toml, toml) : write_toml(stdout, toml)) != 0
               ? PH_EXIT_INVALID
               : PH_EXIT_OK;
}

static void show_stage(const char *stage, void *context) {
    (void)context;
    fprintf(stderr, "poolheap tune: %s...\n", stage);
}

static void show_left_out(size_t left_out, size_t count, void *context) {
    (void)context;
    fprintf(stderr, "poolheap tune: validated %zu of %zu traces left out\n", left_out + 1u, count);
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

/* The margins --validate tries, in hundredths of a percent. */
static const uint32_t validate_margins[] = {0u,    100u,  200u,  300u,  400u,  500u,  600u,  800u,  1000u, 1200u,
                                            1500u, 2000u, 2500u, 3000u, 4000u, 5000u, 6000u, 8000u, 10000u};
#define PH_VALIDATE_MARGINS (sizeof validate_margins / sizeof validate_margins[0])

/* Why no margin tried served every left-out trace, or why the suggestion
 * is above the smallest that did. */
static void print_suggestion(FILE *out, const ph_validate_result_t *v) {
    const ph_validate_row_t *last = &v->row[v->rows - 1u];
    fprintf(out, "heaps tuned on one trace alone: %llu to %llu bytes; the next run's 95%% bound asks %.2f%%\n",
            (unsigned long long)v->zero_low, (unsigned long long)v->zero_high, v->bound_bp / 100.0);
    if (v->suggested < v->rows) {
        fprintf(out, "suggested margin: %g%%\n", v->row[v->suggested].margin_bp / 100.0);
    } else if (v->served_from == v->rows && last->oversize != 0u) {
        fprintf(out,
                "no margin up to %g%% served every trace left out: requests of up to %u bytes were never seen in "
                "the other traces; state the largest request with --max-request SIZE, or record more runs\n",
                last->margin_bp / 100.0, last->largest);
    } else if (v->served_from == v->rows) {
        fprintf(out,
                "no margin up to %g%% served every trace left out (%llu requests still failed, pools exhausted): "
                "the runs differ more than a margin covers; record more runs\n",
                last->margin_bp / 100.0, (unsigned long long)last->exhausted);
    } else {
        fprintf(out, "no suggestion: the runs' variation asks more than %g%%; record more runs\n",
                last->margin_bp / 100.0);
    }
}

static void print_validation(FILE *out, const ph_validate_result_t *v) {
    fprintf(out, "%8s %10s %14s %14s %11s %9s %13s\n", "margin", "served", "heap (mean)", "heap (max)", "exhausted",
            "oversize", "largest over");
    for (size_t m = 0u; m < v->rows; m++) {
        const ph_validate_row_t *r = &v->row[m];
        char served[32];
        snprintf(served, sizeof served, "%zu of %zu", r->served, v->traces);
        fprintf(out, "%7g%% %10s %14llu %14llu %11llu %9llu %13u\n", r->margin_bp / 100.0, served,
                (unsigned long long)(r->size_sum / v->traces), (unsigned long long)r->size_max,
                (unsigned long long)r->exhausted, (unsigned long long)r->oversize, r->largest);
    }
    print_suggestion(out, v);
}

static int run_validate(const char *command, const ph_trace_t *traces, size_t count, const ph_tune_options_t *o) {
    ph_validate_result_t *v = malloc(sizeof *v);
    char error[512];
    if (v == NULL || ph_tune_validate(traces, count, o, validate_margins, PH_VALIDATE_MARGINS,
                                      o->progress != NULL ? show_left_out : NULL, NULL, v, error, sizeof error) != 0) {
        ph_error_line("poolheap %s: %s", command, v == NULL ? "out of memory" : error);
        free(v);
        return PH_EXIT_INVALID;
    }
    printf("%zu traces, each left out in turn (tuned on the %zu others, --pools %zu):\n", count, count - 1u,
           o->max_pools);
    print_validation(stdout, v);
    free(v);
    return PH_EXIT_OK;
}

static int run_from(const char *command, const ph_trace_t *traces, size_t count, const ph_tune_options_t *o,
                    const char *from, const char *heap_name, const char *output, const char *command_line) {
    ph_target_t target = {o->pointer_size ? o->pointer_size : traces[0].pointer_size};
    ph_config_t config = {0};
    const ph_heap_config_t *heap;
    int status = ph_load_heap(from, heap_name, &target, &config, &heap);
    ph_tune_growth_t growth;
    char error[512];
    if (status == PH_EXIT_OK && ph_tune_grow_traces(traces, count, target.pointer_size, heap->pools, heap->pool_count,
                                                    &growth, error, sizeof error) != 0) {
        ph_error_line("poolheap %s: %s", command, error);
        status = PH_EXIT_INVALID;
    }
    if (status == PH_EXIT_OK) {
        ph_tune_output_t toml = {&growth.after, command_line, ""};
        snprintf(toml.comment, sizeof toml.comment, "%s (heap %s) grown to serve the traces, blocks kept.", from,
                 heap->name);
        status = put_toml(output, &toml);
        if (status == PH_EXIT_OK) {
            ph_print_growth(output != NULL ? stdout : stderr, heap, &growth);
        }
    }
    ph_config_free(&config);
    return status;
}

static int run_tune(const char *command, const ph_trace_t *traces, size_t count, const ph_tune_options_t *o,
                    const char *output, const char *command_line, double start) {
    ph_tune_result_t *result = malloc(sizeof *result);
    char error[512];
    if (result == NULL || ph_tune(traces, count, o, result, error, sizeof error) != 0) {
        ph_error_line("poolheap %s: %s", command, result == NULL ? "out of memory" : error);
        free(result);
        return PH_EXIT_INVALID;
    }
    ph_tune_output_t toml = {&result->layout, command_line, ""};
    snprintf(toml.comment, sizeof toml.comment,
             "Peak live bytes %llu; this heap %llu bytes (%llu with padding); optimum without fallback %llu.",
             (unsigned long long)result->peak_live_bytes, (unsigned long long)result->layout.size,
             (unsigned long long)result->span, (unsigned long long)result->optimum.size);
    int status = put_toml(output, &toml);
    if (status == PH_EXIT_OK) {
        print_summary(output != NULL ? stdout : stderr, result, count, seconds_now() - start);
    }
    free(result);
    return status;
}

/* The options that are not numbers. */
typedef struct ph_tune_mode {
    int validate;
    const char *from, *heap, *output;
    int itm_port; /* ph_parse_itm_port's */
} ph_tune_mode_t;

static int run(const char *command, const char **paths, size_t count, ph_tune_options_t *o, const ph_tune_mode_t *mode,
               const char *command_line) {
    ph_trace_t traces[PH_TUNE_MAX_TRACES] = {{0}};
    int status = PH_EXIT_OK;
    double start = seconds_now();
    uint64_t events = 0u;
    for (size_t i = 0u; i < count && status == PH_EXIT_OK; i++) {
        status = ph_read_trace_input(paths[i], mode->itm_port, &traces[i]);
        events += traces[i].count;
    }
    o->progress = events >= PH_TUNE_PROGRESS_EVENTS ? show_stage : NULL;
    if (status == PH_EXIT_OK) {
        status = mode->validate ? run_validate(command, traces, count, o)
                 : mode->from != NULL
                     ? run_from(command, traces, count, o, mode->from, mode->heap, mode->output, command_line)
                     : run_tune(command, traces, count, o, mode->output, command_line, start);
    }
    for (size_t i = 0u; i < count; i++) {
        ph_trace_free(&traces[i]);
    }
    return status;
}

/* A percentage option from 0% to 100% into basis points; PH_EXIT_USAGE if bad. */
static int parse_percent(const char *command, const char *name, const char *text, uint32_t *bp) {
    uint32_t share;
    if (text != NULL) {
        if (ph_parse_share(text, &share) != 0) {
            return ph_usage_error(command, "--%s '%s' is not a percentage from 0%% to 100%%", name, text);
        }
        *bp = (uint32_t)((share + 99999u) / 100000u); /* parts per billion to basis points, up */
    }
    return 0;
}

/* Parses the numeric options into *o; PH_EXIT_USAGE if bad. */
static int parse_numbers(const char *command, const char *const *text, ph_tune_options_t *o) {
    enum { POOLS, SIZE, HEADROOM, MARGIN, MAX_REQUEST };
    uint64_t value;
    if (text[POOLS] == NULL) {
        return ph_usage_error(command, "--pools is required");
    }
    if (ph_parse_size(text[POOLS], &value) != 0 || value == 0u || value > POOLHEAP_MAX_POOLS) {
        return ph_usage_error(command, "--pools '%s' is not a number from 1 to %u", text[POOLS], POOLHEAP_MAX_POOLS);
    }
    o->max_pools = (size_t)value;
    if (text[SIZE] != NULL && (ph_parse_size(text[SIZE], &o->size) != 0 || o->size == 0u || o->size > UINT32_MAX)) {
        return ph_usage_error(command, "--size '%s' is not a size from 1 to 4G - 1 (such as 10K)", text[SIZE]);
    }
    if (text[MAX_REQUEST] != NULL && (ph_parse_size(text[MAX_REQUEST], &o->max_request) != 0 || o->max_request == 0u ||
                                      o->max_request > UINT32_MAX)) {
        return ph_usage_error(command, "--max-request '%s' is not a size from 1 to 4G - 1", text[MAX_REQUEST]);
    }
    if (parse_percent(command, "headroom", text[HEADROOM], &o->headroom_bp) != 0 ||
        parse_percent(command, "margin", text[MARGIN], &o->margin_bp) != 0) {
        return PH_EXIT_USAGE;
    }
    int margins = (text[SIZE] != NULL) + (text[HEADROOM] != NULL) + (text[MARGIN] != NULL || text[MAX_REQUEST] != NULL);
    return margins > 1 ? ph_usage_error(command, "--size, --headroom and --margin exclude each other") : 0;
}

/* Removes the flag `name` from argv (before any "--"); returns 1 if it was there. */
static int take_flag(int *argc, char **argv, const char *name) {
    int found = 0, kept = 1;
    for (int i = 1; i < *argc; i++) {
        if (!found && strcmp(argv[i], "--") == 0) {
            for (; i < *argc; i++) {
                argv[kept++] = argv[i];
            }
            break;
        }
        if (strcmp(argv[i], name) == 0) {
            found = 1;
        } else {
            argv[kept++] = argv[i];
        }
    }
    *argc = kept;
    return found;
}

int ph_command_tune(int argc, char **argv) {
    const char *text[5] = {NULL}, *pointer = NULL, *itm = NULL;
    ph_tune_mode_t mode = {take_flag(&argc, argv, "--validate"), NULL, NULL, NULL, 0};
    const ph_option_t options[] = {{"pools", 0, &text[0]},  {"size", 0, &text[1]},        {"headroom", 0, &text[2]},
                                   {"margin", 0, &text[3]}, {"max-request", 0, &text[4]}, {"pointer-size", 0, &pointer},
                                   {"from", 0, &mode.from}, {"heap", 0, &mode.heap},      {"output", 'o', &mode.output},
                                   {"itm-port", 0, &itm}};
    const char *paths[PH_TUNE_MAX_TRACES];
    ph_arguments_t args = {.positionals = paths, .positional_count = PH_TUNE_MAX_TRACES, .positional_min = 1u};
    int status = ph_parse_options(argc, argv, options, sizeof options / sizeof options[0], &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    ph_tune_options_t o = {0};
    status = parse_numbers(argv[0], text, &o);
    if (status != 0 || (status = ph_parse_itm_port(argv[0], itm, &mode.itm_port)) != 0) {
        return status;
    }
    if (mode.validate && (mode.from != NULL || args.positional_given < 2u)) {
        return ph_usage_error(argv[0], mode.from != NULL ? "--validate and --from exclude each other"
                                                         : "--validate needs at least 2 traces");
    }
    if (mode.heap != NULL && mode.from == NULL) {
        return ph_usage_error(argv[0], "--heap needs --from");
    }
    if (pointer != NULL) {
        ph_target_t target;
        if (ph_parse_target(argv[0], pointer, &target) != 0) {
            return PH_EXIT_USAGE;
        }
        o.pointer_size = target.pointer_size;
    }
    char command_line[320];
    snprintf(command_line, sizeof command_line, "poolheap tune --pools %s%s%s%s%s%s%s%s%s%s%s (%zu trace%s)", text[0],
             text[1] ? " --size " : "", text[1] ? text[1] : "", text[2] ? " --headroom " : "", text[2] ? text[2] : "",
             text[3] ? " --margin " : "", text[3] ? text[3] : "", text[4] ? " --max-request " : "",
             text[4] ? text[4] : "", mode.from ? " --from " : "", mode.from ? mode.from : "", args.positional_given,
             args.positional_given == 1u ? "" : "s");
    return run(argv[0], paths, args.positional_given, &o, &mode, command_line);
}
