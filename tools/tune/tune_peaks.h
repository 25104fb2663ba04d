/* The true simultaneous peak of every range of size classes, without
 * fallback.
 *
 * Without fallback an object lives in the pool that holds the largest class
 * it has had since it was allocated (a realloc that still fits its block
 * stays in place; one that does not moves to the pool of its new class).
 * So, whatever the other boundaries, a pool covering classes a..b holds
 * exactly the live objects whose running maximum class is in a..b, and its
 * capacity must be the peak over time of their number. docs/tuning.md
 * explains how all S * (S + 1) / 2 peaks are found at once. */
#ifndef POOLHEAP_TOOLS_TUNE_PEAKS_H
#define POOLHEAP_TOOLS_TUNE_PEAKS_H

#include <stdint.h>

#include "tune_input.h"

/* Fills peak[a * S + b], for every 0 <= a <= b < S (S = class_count), with
 * the most objects live at once whose running maximum class is in a..b, the
 * maximum over the traces; entries with a > b are left alone. Returns 0, or
 * -1 if memory runs out. Time: O(E * S) worst case for E operations, less
 * when short stretches of the trace touch few classes; memory O(S^2). */
int ph_tune_peaks(const ph_tune_input_t *input, uint32_t *peak);

#endif /* POOLHEAP_TOOLS_TUNE_PEAKS_H */
