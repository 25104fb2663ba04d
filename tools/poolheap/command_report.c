/* poolheap report TRACE [--config FILE.toml] [--heap NAME] [--pointer-size 4|8] [--svg OUT.svg] [--itm-port N] */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "explain.h"
#include "report/report.h"
#include "trace/trace.h"
#include "trace_input.h"

#define SVG_COLUMNS 800u
#define PROGRESS_EVENTS 4000000u    /* progress on stderr from this many events... */
#define PROGRESS_TTY_EVENTS 200000u /* ...or from this many when stderr is a terminal */

static const char help[] =
    "Usage: poolheap report TRACE [--config FILE.toml] [--heap NAME] [--pointer-size 4|8] [--svg OUT.svg]\n"
    "                      [--itm-port N]\n"
    "Describe a heap trace (recorded by the library or by libpoolheap_record.so).\n"
    "Without a layout: the number of events, the true simultaneous peak of live requested bytes,\n"
    "the largest request, and per requested size its peak live count and allocations.\n"
    "With --config: replay the trace through that heap layout with the library itself and print,\n"
    "per pool, the peak blocks in use against the capacity, fallbacks and failures, and the first\n"
    "event at which the heap would run out of memory.\n\n"
    "Options:\n"
    "  --config FILE.toml      the heap layout to replay through\n"
    "  --heap NAME             which heap of FILE.toml (default: main, or its only heap)\n"
    "  --pointer-size 4|8      pointer size of the layout's target (default: the trace's), as given\n"
    "                          to `poolheap tune`: a 32-bit layout tuned from a 64-bit trace\n"
    "  --svg OUT.svg           plot live bytes over the trace (and, with --config, the blocks\n"
    "                          asked of each pool against its capacity) into OUT.svg\n" PH_ITM_PORT_HELP
    "  -h, --help              print this help\n\n" PH_EXIT_HELP;

static void print_summary(const char *name, const ph_trace_t *trace, const ph_trace_summary_t *s) {
    printf("%s: %zu events, %" PRIu32 " objects, pointer size %" PRIu32 ", %" PRIu64 " failed requests, %" PRIu64
           " dropped records\n",
           name, trace->count, trace->objects, trace->pointer_size, s->failures, trace->dropped);
    printf("peak live bytes: %" PRIu64 " (at event %zu)\n", s->peak_bytes, s->peak_event);
    printf("largest request: %" PRIu32 " bytes\n", s->largest);
    printf("\n%10s %10s %12s\n", "size", "peak live", "allocations");
    for (size_t i = 0u; i < s->row_count; i++) {
        printf("%10" PRIu32 " %10" PRIu32 " %12" PRIu64 "\n", s->rows[i].size, s->rows[i].peak, s->rows[i].allocations);
    }
}

static void print_replay(const ph_heap_config_t *heap, const char *config, const ph_replay_result_t *r) {
    printf("\nheap %s (%s): %" PRIu64 " bytes in %zu pools, replayed with the library:\n", heap->name, config, r->size,
           r->pool_count);
    printf("%6s %8s %9s %9s %6s %10s %10s %8s\n", "pool", "block", "capacity", "peak", "use", "served", "fallbacks",
           "oom");
    for (size_t p = 0u; p < r->pool_count; p++) {
        const ph_replay_pool_t *pool = &r->pools[p];
        printf("%6zu %8" PRIu32 " %9" PRIu32 " %9" PRIu32 " %5.1f%% %10" PRIu64 " %10" PRIu64 " %8" PRIu64 "\n", p,
               pool->block, pool->capacity, pool->peak, 100.0 * pool->peak / pool->capacity, pool->served,
               pool->fallbacks, pool->oom);
    }
    printf("peak block bytes: %" PRIu64 " of %" PRIu64 "\n", r->peak_bytes, r->size);
    if (r->failures == 0u) {
        printf("out of memory: never (0 failures)\n");
    } else {
        printf("out of memory: first at event %zu; %" PRIu64 " failures\n", r->first_failure, r->failures);
        if (r->oversize != 0u) {
            printf("larger than every block: %" PRIu64 " of them, up to %" PRIu32 " bytes\n", r->oversize,
                   r->oversize_largest);
        }
    }
}

static void show_progress(uint64_t done, uint64_t total, void *context) {
    fprintf(stderr, "\r%s: replaying %" PRIu64 "%%%s", (const char *)context, total ? 100u * done / total : 100u,
            done == total ? "\n" : "");
}

/* Replays and prints; fills *heap_out for the picture. Returns an exit code. */
static int report_layout(const char *path, const char *heap_name, ph_target_t target, const ph_trace_t *trace,
                         const char *trace_name, ph_config_t *config, const ph_heap_config_t **heap_out) {
    const ph_heap_config_t *heap;
    if (ph_load_heap(path, heap_name, &target, config, &heap) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    int progress = trace->count >= PROGRESS_EVENTS || (trace->count >= PROGRESS_TTY_EVENTS && isatty(STDERR_FILENO));
    ph_replay_options_t options = {.pointer_size = target.pointer_size,
                                   .progress = progress ? show_progress : NULL,
                                   .progress_context = (void *)trace_name};
    ph_replay_result_t result;
    if (ph_replay(trace, 1u, heap->pools, heap->pool_count, &options, &result) != 0) {
        ph_error_line("%s: heap %s cannot be replayed on this host", path, heap->name);
        return PH_EXIT_INVALID;
    }
    print_replay(heap, path, &result);
    if (result.failures != 0u && ph_explain_failures(stdout, trace, heap, target.pointer_size) != 0) {
        return PH_EXIT_INVALID;
    }
    *heap_out = heap;
    return PH_EXIT_OK;
}

static int write_picture(const char *svg, const char *trace_name, const ph_trace_t *trace,
                         const ph_heap_config_t *heap) {
    ph_trace_series_t series;
    if (ph_trace_series(trace, heap != NULL ? heap->pools : NULL, heap != NULL ? heap->pool_count : 0u, SVG_COLUMNS,
                        &series) != 0) {
        fprintf(stderr, "poolheap report: out of memory\n");
        return PH_EXIT_INVALID;
    }
    ph_report_picture_t picture = {trace_name,
                                   trace->count,
                                   &series,
                                   heap != NULL ? heap->pools : NULL,
                                   heap != NULL ? heap->pool_count : 0u,
                                   heap != NULL ? heap->name : NULL};
    int status = ph_write_atomically(svg, ph_write_report_svg, &picture) != 0 ? PH_EXIT_INVALID : PH_EXIT_OK;
    ph_trace_series_free(&series);
    return status;
}

int ph_command_report(int argc, char **argv) {
    const char *input = NULL, *config_path = NULL, *heap_name = NULL, *pointer = NULL, *svg = NULL, *itm = NULL;
    const ph_option_t options[] = {{"config", 0, &config_path},
                                   {"heap", 0, &heap_name},
                                   {"pointer-size", 0, &pointer},
                                   {"svg", 0, &svg},
                                   {"itm-port", 0, &itm}};
    ph_arguments_t args = {.positionals = &input, .positional_count = 1u};
    int status = ph_parse_options(argc, argv, options, sizeof options / sizeof options[0], &args);
    if (status != 0 || args.help) {
        fputs(args.help ? help : "", stdout);
        return status;
    }
    ph_target_t target = {0u};
    int itm_port;
    if ((pointer != NULL && ph_parse_target(argv[0], pointer, &target) != 0) ||
        ph_parse_itm_port(argv[0], itm, &itm_port) != 0) {
        return PH_EXIT_USAGE;
    }
    ph_trace_t trace;
    ph_trace_summary_t summary;
    if (ph_read_trace_input(input, itm_port, &trace) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    if (ph_trace_summarize(&trace, &summary) != 0) {
        fprintf(stderr, "poolheap report: out of memory\n");
        ph_trace_free(&trace);
        return PH_EXIT_INVALID;
    }
    print_summary(input, &trace, &summary);
    ph_config_t config = {0};
    const ph_heap_config_t *heap = NULL;
    if (target.pointer_size == 0u) {
        target.pointer_size = trace.pointer_size;
    }
    if (config_path != NULL) {
        status = report_layout(config_path, heap_name, target, &trace, input, &config, &heap);
    }
    if (status == PH_EXIT_OK && svg != NULL) {
        status = write_picture(svg, input, &trace, heap);
    }
    ph_config_free(&config);
    ph_trace_summary_free(&summary);
    ph_trace_free(&trace);
    return status;
}
