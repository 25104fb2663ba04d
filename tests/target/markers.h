/* Markers for counting instructions in QEMU's execution log
 * (scripts/count-instructions, scripts/freertos-compare): empty functions
 * that are never inlined and never merged (each stores its own value), so
 * each has an address of its own to find in the log. */
#ifndef POOLHEAP_TEST_MARKERS_H
#define POOLHEAP_TEST_MARKERS_H

#include <stdint.h>

extern volatile uint32_t marker_sink;

/* Defines the marker function `name`; `value` must differ between markers. */
#define MARKER(name, value)                     \
    __attribute__((noinline)) void name(void);  \
    __attribute__((noinline)) void name(void) { \
        marker_sink = (value);                  \
    }

#endif /* POOLHEAP_TEST_MARKERS_H */
