/* Caller frames for the recorder (callers.h). More than one frame unwinds
 * with the C library's backtrace(), which uses the compiler's unwinder and
 * so works without frame pointers. */
#define _GNU_SOURCE

#include "callers.h"

#include <execinfo.h>
#include <stdlib.h>
#include <string.h>

/* backtrace() may allocate (its unwinder, loaded on first use): such an
 * allocation, made while this thread unwinds, is recorded without frames
 * instead of unwinding again. */
static __thread int ph_unwinding __attribute__((tls_model("initial-exec")));

unsigned ph_callers_configure(void) {
    const char *frames = getenv("POOLHEAP_TRACE_FRAMES");
    const char *caller = getenv("POOLHEAP_TRACE_CALLER");
    unsigned wanted = 0u;
    if (frames != NULL && frames[0] != '\0') {
        char *end;
        unsigned long n = strtoul(frames, &end, 10);
        wanted = *end == '\0' ? (unsigned)(n < POOLHEAP_TRACE_FRAMES_MAX ? n : POOLHEAP_TRACE_FRAMES_MAX) : 1u;
    } else if (caller != NULL && caller[0] == '1') {
        wanted = 1u;
    }
    if (wanted > 1u) {
        void *warm[2];
        ph_unwinding = 1;
        (void)backtrace(warm, 2);
        ph_unwinding = 0;
    }
    return wanted;
}

void ph_callers_capture(ph_frames_t *out, unsigned wanted, void *return_address) {
    out->count = 0u;
    if (wanted == 0u || ph_unwinding) {
        return;
    }
    out->pc[0] = (uintptr_t)return_address;
    out->count = 1u;
    if (wanted == 1u) {
        return;
    }
    /* The stack from here: this function, the recorder's own frames, then
     * the interposed function's return address and the program's frames. */
    void *stack[POOLHEAP_TRACE_FRAMES_MAX + 8u];
    ph_unwinding = 1;
    int depth = backtrace(stack, (int)(sizeof stack / sizeof stack[0]));
    ph_unwinding = 0;
    int from = 0;
    while (from < depth && stack[from] != return_address) {
        from++;
    }
    for (int i = from + 1; i < depth && out->count < wanted; i++) {
        out->pc[out->count++] = (uintptr_t)stack[i];
    }
}
