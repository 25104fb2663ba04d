/* poolheap report TRACE [--config FILE.toml] [--heap NAME] [--pointer-size 4|8] [--svg OUT.svg] [--itm-port N]
 *                 [--sites [--format text|tsv] [--top N]] [--elf FILE] [--addr2line PROGRAM] [--html OUT.html] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "commands.h"
#include "config/config.h"
#include "escape/escape.h"
#include "report/report.h"
#include "trace/trace.h"
#include "tune/tune.h"

#define SVG_COLUMNS 800u
#define DEFAULT_TOP 10u
#define TUNED_POOLS 8u              /* --html without --config: the layout shown, as `poolheap tune` tunes it */
#define PROGRESS_EVENTS 4000000u    /* progress on stderr from this many events... */
#define PROGRESS_TTY_EVENTS 200000u /* ...or from this many when stderr is a terminal */

static const char help[] =
    "Usage: poolheap report TRACE [--config FILE.toml] [--heap NAME] [--pointer-size 4|8] [--svg OUT.svg]\n"
    "                       [--itm-port N] [--sites [--format text|tsv] [--top N]] [--elf FILE]\n"
    "                       [--addr2line PROGRAM] [--html OUT.html]\n"
    "Describe a heap trace (recorded by the library or by libpoolheap_record.so).\n"
    "Without a layout: the number of events, the true simultaneous peak of live requested bytes,\n"
    "the largest request, and per requested size its peak live count and allocations.\n"
    "With --config: replay the trace through that heap layout with the library itself and print,\n"
    "per pool, the peak blocks in use against the capacity, fallbacks and failures, and the first\n"
    "event at which the heap would run out of memory.\n"
    "With --sites (a trace recorded with callers): who allocates, per call site: who holds the\n"
    "peak (and, with --config, each pool at its peak), hot spots, leaks, and with --config the\n"
    "sites of the requests that fail. Sites are named function (file:line) by addr2line: from the\n"
    "trace's maps on a host, from --elf for a firmware.\n\n"
    "Options:\n"
    "  --config FILE.toml      the heap layout to replay through\n"
    "  --heap NAME             which heap of FILE.toml (default: main, or its only heap)\n"
    "  --pointer-size 4|8      pointer size of the layout's target (default: the trace's), as given\n"
    "                          to `poolheap tune`: a 32-bit layout tuned from a 64-bit trace\n"
    "  --svg OUT.svg           plot live bytes over the trace (and, with --config, the blocks\n"
    "                          asked of each pool against its capacity) into OUT.svg\n" PH_ITM_PORT_HELP
    "  --sites                 print the tables by call site\n"
    "  --format text|tsv       with --sites: plain text (default), or only the site tables as\n"
    "                          tab-separated values: table, pool, count, bytes, site\n"
    "  --top N                 rows per site table in text (default 10; 0: all)\n"
    "  --elf FILE              the firmware the trace came from: its callers are named from it\n"
    "  --addr2line PROGRAM     the addr2line to run (default: arm-none-eabi-addr2line for an Arm\n"
    "                          ELF file, addr2line otherwise, from PATH)\n"
    "  --html OUT.html         write the whole report as one self-contained HTML page (without\n"
    "                          --config: with the pools of a layout tuned for the trace, 8 pools)\n"
    "  -h, --help              print this help\n\n" PH_EXIT_HELP;

/* What the command line asked for. */
typedef struct report_request {
    const char *input, *config_path, *heap_name, *svg, *html, *elf, *addr2line;
    int sites, tsv;
    int itm_port; /* -1: TRACE is a trace file */
    size_t top;
    ph_target_t target;
} report_request_t;

/* The failing events of a replay, for (d). */
typedef struct failing_events {
    size_t *events;
    size_t count, capacity;
    int out_of_memory;
} failing_events_t;

static void note_failure(size_t trace, size_t event, int first_pool, void *context) {
    failing_events_t *f = context;
    (void)trace, (void)first_pool;
    if (f->count == f->capacity) {
        size_t capacity = f->capacity * 2u + 64u;
        size_t *grown = realloc(f->events, capacity * sizeof *grown);
        if (grown == NULL) {
            f->out_of_memory = 1;
            return;
        }
        f->events = grown;
        f->capacity = capacity;
    }
    f->events[f->count++] = event;
}

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

/* `context`: the trace's name, escaped as every message quoting it. */
static void show_progress(uint64_t done, uint64_t total, void *context) {
    fputc('\r', stderr);
    ph_put_controls_escaped(stderr, (const char *)context);
    fprintf(stderr, ": replaying %" PRIu64 "%%%s", total ? 100u * done / total : 100u, done == total ? "\n" : "");
}

/* Replays the trace through `heap` (of the file `source`) into *result,
 * noting the failing events; prints the outcome and why requests fail if
 * `print`. Returns an exit code. */
static int replay_heap(const report_request_t *request, const ph_trace_t *trace, const ph_heap_config_t *heap,
                       const char *source, int print, ph_replay_result_t *result, failing_events_t *failing) {
    int progress = trace->count >= PROGRESS_EVENTS || (trace->count >= PROGRESS_TTY_EVENTS && isatty(STDERR_FILENO));
    ph_replay_options_t options = {.pointer_size = request->target.pointer_size,
                                   .progress = progress ? show_progress : NULL,
                                   .progress_context = (void *)request->input,
                                   .failure = note_failure,
                                   .failure_context = failing};
    if (ph_replay(trace, 1u, heap->pools, heap->pool_count, &options, result) != 0 || failing->out_of_memory) {
        ph_error_line("%s: heap %s cannot be replayed on this host", source, heap->name);
        return PH_EXIT_INVALID;
    }
    if (print) {
        print_replay(heap, source, result);
        if (result->failures != 0u && ph_explain_failures(stdout, trace, heap, request->target.pointer_size) != 0) {
            return PH_EXIT_INVALID;
        }
    }
    return PH_EXIT_OK;
}

/* The heap of --config; fills *heap_out. Returns an exit code. */
static int load_layout(const report_request_t *request, ph_config_t *config, const ph_heap_config_t **heap_out) {
    ph_target_t target = request->target;
    return ph_load_heap(request->config_path, request->heap_name, &target, config, heap_out);
}

/* Everything the pictures and the site tables are made of. */
typedef struct report_state {
    ph_trace_t trace;
    ph_trace_summary_t summary;
    ph_config_t config;
    ph_heap_config_t tuned; /* --html without --config: a layout tuned for the trace */
    const ph_heap_config_t *heap;
    ph_replay_result_t replay;
    failing_events_t failing;
    ph_sites_t sites;
    ph_site_labels_t labels;
    ph_trace_series_t series;
} report_state_t;

/* Says that an allocation failed; returns the exit code. */
static int out_of_memory(void) {
    fprintf(stderr, "poolheap report: out of memory\n");
    return PH_EXIT_INVALID;
}

/* Per-site figures and their names. Returns an exit code. */
static int make_sites(const report_request_t *request, report_state_t *st) {
    const poolheap_pool_config_t *pools = st->heap != NULL ? st->heap->pools : NULL;
    if (ph_sites_compute(&st->trace, &st->summary, pools, st->heap != NULL ? st->heap->pool_count : 0u, &st->sites) !=
        0) {
        return out_of_memory();
    }
    ph_sites_add_failures(&st->sites, &st->trace, st->failing.events, st->failing.count);
    ph_symbolize_options_t symbolize = {request->elf, request->addr2line};
    int named = request->elf != NULL || st->trace.map_count > 0u;
    if (!named && st->trace.site_count > 0u) {
        ph_error_line("%s: no --elf and no maps in the trace: callers are shown as addresses", request->input);
    }
    return ph_site_labels_make(&st->trace, &st->sites, named ? &symbolize : NULL, &st->labels) != 0 ? out_of_memory()
                                                                                                    : PH_EXIT_OK;
}

static ph_sites_view_t sites_view(const report_request_t *request, const report_state_t *st) {
    return (ph_sites_view_t){&st->sites, &st->labels, st->heap != NULL ? st->heap->pools : NULL, st->heap != NULL,
                             request->top};
}

/* The --svg and --html files. Returns an exit code. */
static int write_pictures(const report_request_t *request, report_state_t *st) {
    const ph_heap_config_t *heap = st->heap;
    if (ph_trace_series(&st->trace, heap != NULL ? heap->pools : NULL, heap != NULL ? heap->pool_count : 0u,
                        SVG_COLUMNS, &st->series) != 0) {
        return out_of_memory();
    }
    ph_report_picture_t picture = {request->input,
                                   st->trace.count,
                                   &st->series,
                                   heap != NULL ? heap->pools : NULL,
                                   heap != NULL ? heap->pool_count : 0u,
                                   heap != NULL ? heap->name : NULL};
    if (request->svg != NULL && ph_write_atomically(request->svg, ph_write_report_svg, &picture) != 0) {
        return PH_EXIT_INVALID;
    }
    ph_sites_view_t view = sites_view(request, st);
    ph_report_page_t page = {request->input, &st->trace, &st->summary, &picture, heap != NULL ? &st->replay : NULL,
                             &view};
    if (request->html != NULL && ph_write_atomically(request->html, ph_write_report_html, &page) != 0) {
        return PH_EXIT_INVALID;
    }
    return PH_EXIT_OK;
}

/* Reads the options; returns 0 or an exit code. */
static int parse_request(int argc, char **argv, report_request_t *request, int *help_only) {
    const char *pointer = NULL, *format = NULL, *top = NULL, *itm = NULL;
    const ph_option_t options[] = {{"config", 0, &request->config_path},
                                   {"heap", 0, &request->heap_name},
                                   {"pointer-size", 0, &pointer},
                                   {"svg", 0, &request->svg},
                                   {"format", 0, &format},
                                   {"top", 0, &top},
                                   {"elf", 0, &request->elf},
                                   {"addr2line", 0, &request->addr2line},
                                   {"html", 0, &request->html},
                                   {"itm-port", 0, &itm}};
    const ph_switch_t switches[] = {{"sites", &request->sites}};
    ph_arguments_t args = {
        .positionals = &request->input, .positional_count = 1u, .switches = switches, .switch_count = 1u};
    int status = ph_parse_options(argc, argv, options, sizeof options / sizeof options[0], &args);
    *help_only = args.help;
    if (status != 0 || args.help) {
        return status;
    }
    if ((pointer != NULL && ph_parse_target(argv[0], pointer, &request->target) != 0) ||
        ph_parse_itm_port(argv[0], itm, &request->itm_port) != 0) {
        return PH_EXIT_USAGE;
    }
    if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "tsv") != 0) {
        return ph_usage_error(argv[0], "--format must be text or tsv, not '%s'", format);
    }
    request->tsv = format != NULL && strcmp(format, "tsv") == 0;
    if (request->tsv && !request->sites) {
        return ph_usage_error(argv[0], "--format tsv is for the site tables: add --sites");
    }
    request->top = DEFAULT_TOP;
    if (top != NULL) {
        char *end;
        unsigned long long n = strtoull(top, &end, 10);
        if (end == top || *end != '\0' || top[0] == '-') {
            return ph_usage_error(argv[0], "--top must be a number of rows, not '%s'", top);
        }
        request->top = (size_t)n;
    }
    return 0;
}

static void report_state_free(report_state_t *st) {
    ph_trace_series_free(&st->series);
    ph_site_labels_free(&st->labels);
    ph_sites_free(&st->sites);
    free(st->failing.events);
    ph_config_free(&st->config);
    ph_trace_summary_free(&st->summary);
    ph_trace_free(&st->trace);
}

/* --html without --config: the page shows the pools of a layout tuned for
 * the trace, as `poolheap tune --pools 8` would (said on stdout). Returns
 * an exit code; a trace the tuner cannot use leaves the page without pools. */
static int tune_for_page(const report_request_t *request, report_state_t *st) {
    ph_tune_options_t options = {.max_pools = TUNED_POOLS, .pointer_size = request->target.pointer_size};
    ph_tune_result_t tuned;
    char error[256];
    if (ph_tune(&st->trace, 1u, &options, &tuned, error, sizeof error) != 0) {
        ph_error_line("%s: no layout to show in the page: %s", request->input, error);
        /* a page without pools for a trace the tuner cannot use; never for want of memory */
        return strstr(error, "out of memory") != NULL ? PH_EXIT_INVALID : PH_EXIT_OK;
    }
    snprintf(st->tuned.name, sizeof st->tuned.name, "tuned (poolheap tune --pools %u)", TUNED_POOLS);
    st->tuned.size = tuned.layout.size;
    st->tuned.pool_count = tuned.layout.pool_count;
    memcpy(st->tuned.pools, tuned.layout.pools, sizeof st->tuned.pools);
    st->heap = &st->tuned;
    if (!request->tsv) {
        printf("\nno --config: the HTML page shows the layout tuned for this trace, %zu pools, %" PRIu64 " bytes\n",
               st->tuned.pool_count, st->tuned.size);
    }
    return replay_heap(request, &st->trace, st->heap, "the tuned layout", 0, &st->replay, &st->failing);
}

/* After the trace is read: the replay, the sites, the files. */
static int report(const report_request_t *request, report_state_t *st) {
    int status = PH_EXIT_OK;
    if (!request->tsv) {
        print_summary(request->input, &st->trace, &st->summary);
    }
    if (request->config_path != NULL) {
        status = load_layout(request, &st->config, &st->heap);
        if (status == PH_EXIT_OK) {
            status = replay_heap(request, &st->trace, st->heap, request->config_path, !request->tsv, &st->replay,
                                 &st->failing);
        }
    } else if (request->html != NULL) {
        status = tune_for_page(request, st);
    }
    if (status == PH_EXIT_OK && (request->sites || request->html != NULL)) {
        status = make_sites(request, st);
    }
    if (status == PH_EXIT_OK && request->sites) {
        ph_sites_view_t view = sites_view(request, st);
        if (ph_print_sites(stdout, &view, request->tsv ? PH_SITES_TSV : PH_SITES_TEXT) != 0) {
            /* a write error is said by main, at the end */
            status = ferror(stdout) ? PH_EXIT_INVALID : out_of_memory();
        }
    }
    if (status == PH_EXIT_OK && (request->svg != NULL || request->html != NULL)) {
        status = write_pictures(request, st);
    }
    return status;
}

int ph_command_report(int argc, char **argv) {
    report_request_t request = {0};
    int help_only = 0;
    int status = parse_request(argc, argv, &request, &help_only);
    if (status != 0 || help_only) {
        fputs(help_only ? help : "", stdout);
        return status;
    }
    report_state_t st = {0};
    if (ph_read_trace_input(request.input, request.itm_port, &st.trace) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    if (request.target.pointer_size == 0u) {
        request.target.pointer_size = st.trace.pointer_size;
    }
    if (ph_trace_summarize(&st.trace, &st.summary) != 0) {
        status = out_of_memory();
    } else {
        status = report(&request, &st);
    }
    report_state_free(&st);
    return status;
}
