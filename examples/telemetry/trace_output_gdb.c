/* The demo's trace for the GDB capture path (scripts/demo --gdb): every
 * record goes into an RTT channel in BREAKPOINT mode, which a debugger
 * running scripts/gdb/poolheap_capture.py empties into a file, and also,
 * as in the plain demo, into `path` through semihosting, so the two
 * captures of one run can be compared. */
#include "poolheap/trace.h"
#include "trace_output.h"

static uint8_t channel_buffer[8192];
static poolheap_trace_rtt_t rtt;
static poolheap_trace_semihost_t file;
static poolheap_trace_sink_t both;
static int header_skipped;

/* The first write through `both` is the header poolheap_trace_start sends;
 * each of the two sinks has already written its own when it started. */
static void write_both(void *context, const uint8_t *bytes, size_t length) {
    (void)context;
    if (!header_skipped) {
        header_skipped = 1;
        return;
    }
    rtt.sink.write(rtt.sink.context, bytes, length);
    file.sink.write(file.sink.context, bytes, length);
}

int trace_output_start(const char *path) {
    if (poolheap_trace_rtt_start(&rtt, channel_buffer, sizeof channel_buffer, POOLHEAP_TRACE_RTT_BREAKPOINT, NULL) !=
            0 ||
        poolheap_trace_semihost_open(&file, path, NULL) != 0) {
        return -1;
    }
    both = (poolheap_trace_sink_t){.write = write_both};
    poolheap_trace_start(&both);
    return 0;
}

void trace_output_stop(void) {
    poolheap_trace_rtt_stop(&rtt);
    poolheap_trace_semihost_close(&file);
}
