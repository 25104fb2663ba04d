/* libFuzzer harness for the trace reader: any input must be either rejected
 * with a message or decoded into a consistent trace; never a crash. */
#include <stdint.h>
#include <stdlib.h>

#include "trace/trace_reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every object id is in range,. */
static void check_consistent(const ph_trace_t *trace, size_t size) {
    if (trace->count > size || (trace->pointer_size != 4u && trace->pointer_size != 8u)) {
        abort();
    }
    for (size_t i = 0; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        if (e->kind == PH_EVENT_FAIL ? e->object != PH_NO_OBJECT : e->object >= trace->objects) {
            abort();
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    ph_trace_t trace;
    char error[256];
    if (ph_trace_decode(data, size, "fuzz", &trace, error, sizeof error) == 0) {
        check_consistent(&trace, size);
        ph_trace_free(&trace);
    } else if (error[0] == '\0' || trace.events != NULL) {
        abort();
    }
    return 0;
}
