/* Where an allocation came from, for the recorder (record.c): the return
 * address of the interposed function and, if asked, the frames above it. */
#ifndef POOLHEAP_PRELOAD_CALLERS_H
#define POOLHEAP_PRELOAD_CALLERS_H

#include <stdint.h>

#include "poolheap/trace.h"

typedef struct ph_frames {
    unsigned count;                         /* 0 when no frames were taken */
    uint64_t pc[POOLHEAP_TRACE_FRAMES_MAX]; /* return addresses, innermost first */
} ph_frames_t;

/* Reads POOLHEAP_TRACE_FRAMES=N (1 to POOLHEAP_TRACE_FRAMES_MAX frames) and
 * POOLHEAP_TRACE_CALLER=1 (one frame); returns the frames per record, 0 if
 * callers are not recorded. With more than one frame, makes the C library
 * load its unwinder now: call it where allocations are not recorded (the
 * recorder's initialisation), never again. */
unsigned ph_callers_configure(void);

/* Fills *out with the `wanted` innermost frames of the program's stack
 * starting at `return_address`, the interposed function's return address
 * (one frame: just that, no unwinding). An allocation made while this
 * thread is unwinding gets no frames. Time: O(wanted) stack frames. */
void ph_callers_capture(ph_frames_t *out, unsigned wanted, void *return_address);

#endif /* POOLHEAP_PRELOAD_CALLERS_H */
