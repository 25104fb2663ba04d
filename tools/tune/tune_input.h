/* The tuner's view of its traces: size classes and compact operations.
 *
 * A size class is a candidate block size: a request size rounded up to the
 * target's pointer size (the word), or, for a request aligned to more than
 * the word, rounded up to its alignment (the smallest block that can serve
 * it: a block aligned to `align` is a multiple of `align`). Classes are
 * sorted by value; every operation of every trace is rewritten in terms of
 * class indices, which is all that the library's choice of a pool depends
 * on once the blocks are chosen among the class values. One more class may
 * be added that no request asks: the largest value rounded up to the
 * largest alignment asked, a block that can serve every request. */
#ifndef POOLHEAP_TOOLS_TUNE_INPUT_H
#define POOLHEAP_TOOLS_TUNE_INPUT_H

#include <stddef.h>
#include <stdint.h>

#include "trace/trace.h"

/* The largest number of size classes the tuner handles (the range peaks
 * take 4 * S^2 bytes: 64 MiB at the limit). */
#define PH_TUNE_MAX_CLASSES 4096u

enum { PH_TUNE_ALLOC, PH_TUNE_REALLOC, PH_TUNE_FREE };

/* One operation: ALLOC of class `cls` (aligned to 1 << align_shift, 0 when
 * the word's alignment suffices); REALLOC to class `cls` (never size 0, and
 * with no alignment: the library moves blocks with plain alignment); FREE
 * (also a realloc to size 0). */
typedef struct ph_tune_op {
    uint32_t object;
    uint16_t cls;
    uint8_t kind;
    uint8_t align_shift;
} ph_tune_op_t;

typedef struct ph_tune_trace {
    ph_tune_op_t *ops;
    size_t count;
    uint32_t objects;
} ph_tune_trace_t;

typedef struct ph_tune_input {
    uint32_t word;        /* target pointer size: every class is a multiple of it */
    size_t class_count;   /* 1 .. PH_TUNE_MAX_CLASSES */
    uint32_t *values;     /* class values, strictly increasing */
    uint32_t *align_need; /* per class: the largest alignment an ALLOC of this class asks (1 if none) */
    ph_tune_trace_t *traces;
    size_t trace_count;
    uint64_t events;          /* events of all traces */
    uint64_t peak_live_bytes; /* max over traces of the most requested bytes live at once */
    uint64_t largest_request; /* largest requested size, in bytes */
} ph_tune_input_t;

/* Builds the classes and operations of `count` traces for a target whose
 * pointer size is `word` (4 or 8). FAIL events are dropped; events on an
 * object that is not live (a trace that dropped records) are ignored.
 * Returns 0, or -1 with a message in `error`: no allocation at all, a
 * request too large for a 32-bit block, more than PH_TUNE_MAX_CLASSES
 * classes, an object id out of range, or no memory. Time: O(E log S) for E
 * events and S classes; memory O(E + objects). */
int ph_tune_input_build(const ph_trace_t *traces, size_t count, uint32_t word, ph_tune_input_t *out, char *error,
                        size_t error_size);

/* Frees what ph_tune_input_build allocated. */
void ph_tune_input_free(ph_tune_input_t *input);

/* The index of the first class whose value is at least `value`;
 * class_count if none. O(log S). */
size_t ph_tune_class_at_least(const ph_tune_input_t *input, uint64_t value);

#endif /* POOLHEAP_TOOLS_TUNE_INPUT_H */
