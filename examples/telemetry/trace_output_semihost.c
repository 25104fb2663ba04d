#include "poolheap/trace.h"
#include "trace_output.h"

static poolheap_trace_semihost_t output;

int trace_output_start(const char *path) {
    return poolheap_trace_semihost_open(&output, path, NULL);
}

void trace_output_stop(void) {
    poolheap_trace_semihost_close(&output);
}
