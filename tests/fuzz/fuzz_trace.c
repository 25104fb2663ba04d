/* libFuzzer harness for the trace reader: any input must be either rejected
 * with a message or decoded into a consistent trace; never a crash. Each
 * input is read twice: as a trace file, and as a raw ITM capture (the
 * trace on the stimulus port its first byte names), whose extracted trace
 * must start with a header and then go through the same reader. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

static void read_checked(const uint8_t *data, size_t size) {
    ph_trace_t trace;
    char error[256];
    if (ph_trace_decode(data, size, "fuzz", &trace, error, sizeof error) == 0) {
        check_consistent(&trace, size);
        ph_trace_free(&trace);
    } else if (error[0] == '\0' || trace.events != NULL) {
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    read_checked(data, size);
    if (size > 0u) {
        ph_itm_stats_t stats;
        size_t extracted_size = 0u;
        uint8_t *extracted = ph_itm_extract(data + 1u, size - 1u, data[0] & 31u, &extracted_size, &stats);
        if (extracted == NULL) {
            return 0; /* out of memory: reported, nothing to check */
        }
        if (extracted_size < 8u || memcmp(extracted, "PHTR", 4u) != 0) {
            abort();
        }
        read_checked(extracted, extracted_size);
        free(extracted);
    }
    return 0;
}
