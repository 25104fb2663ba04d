/* The stress test's record of who holds each block, kept outside the heap.
 *
 * Every block a thread (or a signal handler) receives is claimed under a
 * tag unique to that allocation; every block is released before it is
 * handed back to the heap. Claiming a block that someone still holds, or
 * releasing one under a tag it does not carry, is a violation: the heap
 * handed a block out twice. Each block also carries its tag in its bytes
 * 8..15 (tag, ~tag), so a second owner's writes show too. Bytes 0..7 are
 * left alone: they hold the free-list link while the block is free, and
 * overwriting them would turn a corrupted list into wild pointers and
 * crashes instead of clean reports.
 *
 * Every function is async-signal-safe (lock-free atomics only). */
#ifndef POOLHEAP_STRESS_LEDGER_H
#define POOLHEAP_STRESS_LEDGER_H

#include <stdatomic.h>
#include <stdint.h>

#include "poolheap.h"

typedef enum violation {
    VIOLATION_NONE,
    VIOLATION_OUTSIDE,     /* the heap returned a pointer that is not one of its blocks */
    VIOLATION_TWICE,       /* a block handed out while someone still held it */
    VIOLATION_WRONG_OWNER, /* a block released under a tag it did not carry */
    VIOLATION_OVERWRITTEN, /* a held block's tag bytes were changed by someone else */
    VIOLATION_FINAL_COUNT, /* the count-back at the end found too few or too many blocks */
    VIOLATION_DEEP_CHECK,  /* poolheap_deep_check found problems */
    VIOLATION_STATS        /* blocks in use after everything was freed */
} violation_t;

/* Starts the ledger for `heap`; returns 0, or -1 if out of memory. */
int ledger_init(const poolheap_t *heap);
void ledger_destroy(void);

/* A tag for a new allocation: never 0, unique within the run. */
uint32_t ledger_new_tag(void);

/* Claims a block the heap just returned and writes the tag into it. */
void ledger_claim(void *block, uint32_t tag);

/* Checks the block's tag bytes and releases it; call before freeing. */
void ledger_release(void *block, uint32_t tag);

/* Counts a violation; the first one is remembered with its block. */
void ledger_violation(violation_t kind, const void *block);

unsigned long ledger_violations(void);

/* Tags handed out so far: the number of blocks claimed and checked. */
uint32_t ledger_claims(void);

/* Prints the violation count and the first violation. */
void ledger_print(void);

/* After every block has been freed: counts every block back by allocating
 * until the heap is empty (each must be a distinct block, and all of them
 * must come back), frees them, and runs the deep check. Returns the number
 * of blocks counted. */
uint32_t ledger_count_back(void);

#endif /* POOLHEAP_STRESS_LEDGER_H */
