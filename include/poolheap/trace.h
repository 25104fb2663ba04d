/* Heap tracing: one compact record per heap operation.
 *
 * With POOLHEAP_TRACE set to 1, the library calls poolheap_trace_event for
 * every operation; with 0 the calls compile to nothing. With
 * POOLHEAP_TRACE_CALLER also set to 1, every allocation record carries the
 * address its request came from (the return address at the public API, or
 * at the malloc glue: the glue's caller). The record format (shared by the
 * library, the host recorder and the `poolheap` tools) is documented in
 * docs/trace-format.md.
 */
#ifndef POOLHEAP_TRACE_H
#define POOLHEAP_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "../poolheap.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operation codes, the low 6 bits of a record's first byte. */
typedef enum poolheap_trace_op {
    POOLHEAP_TRACE_ALLOC = 1,   /* size, address */
    POOLHEAP_TRACE_ALIGNED = 2, /* size, alignment, address */
    POOLHEAP_TRACE_CALLOC = 3,  /* size (count * size), address */
    POOLHEAP_TRACE_REALLOC = 4, /* old address, new size, new address (equal if in place) */
    POOLHEAP_TRACE_FREE = 5,    /* address */
    POOLHEAP_TRACE_FAIL = 6,    /* failed operation's code, size, alignment */
    POOLHEAP_TRACE_DROPPED = 7, /* count of records a full sink dropped before this one */
    POOLHEAP_TRACE_MAP = 8      /* start, size, bias, path length, path: where a loaded file lies */
} poolheap_trace_op_t;

/* Flag bit in the first byte: a larger pool served the request. */
#define POOLHEAP_TRACE_FALLBACK 0x40u

/* ---- Record encoding (docs/trace-format.md) ----------------------------- */

/* Every trace starts with this fixed header: the magic "PHTR", the format
 * version, the recording program's pointer size, and the header flags. */
#define POOLHEAP_TRACE_HEADER_SIZE 8u
#define POOLHEAP_TRACE_VERSION 2u
#define POOLHEAP_TRACE_HAS_TIME 0x01u    /* header flag: records may carry timestamps */
#define POOLHEAP_TRACE_HAS_CALLERS 0x02u /* header flag: allocation records end with caller frames */

/* Flag bit in a record's first byte: a timestamp varint ends the record. */
#define POOLHEAP_TRACE_TIMESTAMP 0x80u
#define POOLHEAP_TRACE_OP_MASK 0x3Fu

/* The longest record with `frames` caller frames: the op byte, three 64-bit
 * varints, a timestamp, the frame count and the frames. */
#define POOLHEAP_TRACE_RECORD_BOUND(frames) (42u + 10u * (frames))

/* No record the library writes is longer (one caller frame at most). */
#define POOLHEAP_TRACE_RECORD_MAX 64u

/* The most caller frames one record may carry. */
#define POOLHEAP_TRACE_FRAMES_MAX 32u

/* Writes the header into out[0 .. POOLHEAP_TRACE_HEADER_SIZE - 1]; `flags`
 * is a combination of POOLHEAP_TRACE_HAS_TIME and POOLHEAP_TRACE_HAS_CALLERS.
 * Pure: usable by host tools. */
void poolheap_trace_encode_header(uint8_t out[POOLHEAP_TRACE_HEADER_SIZE], unsigned flags);

/* Encodes one record (arguments as for poolheap_trace_event) into `out` and
 * returns its length, at most POOLHEAP_TRACE_RECORD_MAX. With `has_time`,
 * `time` is appended and the POOLHEAP_TRACE_TIMESTAMP bit set. An unknown op
 * encodes as a DROPPED record of count 0 (harmless to readers). Pure. */
size_t poolheap_trace_encode(uint8_t out[POOLHEAP_TRACE_RECORD_MAX], unsigned op, uint64_t size, uint64_t align,
                             uint64_t address, uint64_t old_address, int has_time, uint64_t time);

/* 1 if records of `op` (flags allowed) carry caller frames in a trace whose
 * header has POOLHEAP_TRACE_HAS_CALLERS: the allocations (ops 1-4) and FAIL.
 * Inline, so that trace readers need no part of the library. O(1). */
static inline int poolheap_trace_op_has_callers(unsigned op) {
    op &= POOLHEAP_TRACE_OP_MASK;
    return (op >= POOLHEAP_TRACE_ALLOC && op <= POOLHEAP_TRACE_REALLOC) || op == POOLHEAP_TRACE_FAIL;
}

/* Appends the caller section of an allocation record, in a trace whose
 * header has POOLHEAP_TRACE_HAS_CALLERS, to the record poolheap_trace_encode
 * wrote: the frame count, then `count` return addresses, innermost first.
 * `count` above POOLHEAP_TRACE_FRAMES_MAX is cut to it. Returns the bytes
 * written, at most 1 + 10 * count. Pure. */
size_t poolheap_trace_encode_frames(uint8_t *out, const uint64_t *frames, unsigned count);

/* Encodes a MAP record: the file `path` (`path_length` bytes, at most
 * POOLHEAP_TRACE_PATH_MAX) is loaded over [start, start + size), and an
 * address A in that range is address A - bias in the file. Writes at most
 * POOLHEAP_TRACE_MAP_BOUND bytes; returns the length, or 0 if the path is
 * too long (nothing written). Pure. */
size_t poolheap_trace_encode_map(uint8_t *out, uint64_t start, uint64_t size, uint64_t bias, const char *path,
                                 size_t path_length);

#define POOLHEAP_TRACE_PATH_MAX 4096u
#define POOLHEAP_TRACE_MAP_BOUND (1u + 4u * 10u + POOLHEAP_TRACE_PATH_MAX)

/* ---- Sinks ----------------------------------------------------------------- */

/* Where records go. `write` receives each record whole, in one call, and may
 * be called from any thread or interrupt handler, including while another
 * call is in progress (a nested interrupt): it must keep records whole and
 * unmixed (each shipped sink says how it does). `clock`, if not NULL, gives a
 * timestamp for each record (any monotonic unit: cycles, microseconds).
 * `heap`, if not NULL, limits the trace to that heap's operations. */
typedef struct poolheap_trace_sink {
    void (*write)(void *context, const uint8_t *bytes, size_t length);
    uint64_t (*clock)(void *context);
    void *context;
    const poolheap_t *heap;
} poolheap_trace_sink_t;

/* Writes a trace header through `sink`, then sends every later record to it.
 * `sink` must stay valid until replaced; NULL stops tracing. Call it before
 * the heaps are shared (it is not synchronised with an operation that is
 * emitting a record at the same time). Time: one header write. */
void poolheap_trace_start(const poolheap_trace_sink_t *sink);

/* Called by the library for each operation when POOLHEAP_TRACE is 1.
 * `op` is a poolheap_trace_op_t, possibly or'ed with POOLHEAP_TRACE_FALLBACK;
 * for POOLHEAP_TRACE_FAIL, `old_address` carries the failed operation's code
 * as an integer. `caller` is where the request came from, written into
 * allocation records when the library is built with POOLHEAP_TRACE_CALLER
 * (ignored otherwise). Encodes the record into a local buffer and hands it
 * whole to the current sink; does nothing without one. Time: O(1). */
void poolheap_trace_event(const poolheap_t *heap, unsigned op, size_t size, size_t align, const void *address,
                          const void *old_address, const void *caller);

#if POOLHEAP_TRACE_CALLER
/* The allocation functions with the caller to record given explicitly, for
 * wrappers whose own callers are the code worth naming (the malloc glue
 * passes its caller's return address). Otherwise as poolheap_alloc,
 * poolheap_alloc_aligned, poolheap_calloc_aligned and poolheap_realloc
 * (poolheap.h), whose callers are recorded as their return addresses. */
void *poolheap_alloc_for(const poolheap_t *heap, size_t size, const void *caller);
void *poolheap_alloc_aligned_for(const poolheap_t *heap, size_t size, size_t align, const void *caller);
void *poolheap_calloc_aligned_for(const poolheap_t *heap, size_t count, size_t size, size_t align, const void *caller);
void *poolheap_realloc_for(const poolheap_t *heap, void *pointer, size_t size, const void *caller);
#endif

/* ---- Shipped sinks (one source file each) -------------------------------- */

/* Host: appends records to a file with one write(2) per record
 * (src/trace_sink_file.c, POSIX hosts only). */
typedef struct poolheap_trace_file {
    poolheap_trace_sink_t sink;
    int fd;
} poolheap_trace_file_t;

/* Creates (truncates) `path`, starts tracing into it (all heaps, timestamps
 * from `clock` if not NULL). Returns 0, or -1 with errno set and tracing
 * unchanged. */
int poolheap_trace_file_open(poolheap_trace_file_t *file, const char *path, uint64_t (*clock)(void *context));

/* Stops tracing and closes the file. Returns 0, or -1 with errno set. */
int poolheap_trace_file_close(poolheap_trace_file_t *file);

/* ARM semihosting: records go to a host file through SYS_WRITE
 * (src/trace_sink_semihost.c, Arm targets with a debugger or QEMU). */
typedef struct poolheap_trace_semihost {
    poolheap_trace_sink_t sink;
    int handle;
} poolheap_trace_semihost_t;

/* Opens `path` on the host for writing (SYS_OPEN "wb") and starts tracing
 * into it. Returns 0, or -1 if the host refused. */
int poolheap_trace_semihost_open(poolheap_trace_semihost_t *semihost, const char *path,
                                 uint64_t (*clock)(void *context));

/* Stops tracing and closes the host file (SYS_CLOSE). */
void poolheap_trace_semihost_close(poolheap_trace_semihost_t *semihost);

/* Cortex-M ITM: records go out of stimulus port `port` (0..31) over SWO
 * (src/trace_sink_itm.c, ARMv7-M and ARMv8-M mainline; ARMv6-M has no
 * ITM), each framed so that a decoder resynchronises at the next record
 * after lost bytes (docs/trace-format.md, "Over ITM"): a 4-byte packet
 * with the record's length, its sequence number and its first byte, then
 * 1-byte packets. While the ITM or the port is disabled, records are
 * discarded (and counted lost by the decoder, by their numbers). */
typedef struct poolheap_trace_itm {
    poolheap_trace_sink_t sink;
    unsigned port;
    uint32_t sequence; /* the next record's number (its low 16 bits go out) */
} poolheap_trace_itm_t;

/* Starts tracing through stimulus port `port` (the debugger enables it). */
void poolheap_trace_itm_start(poolheap_trace_itm_t *itm, unsigned port, uint64_t (*clock)(void *context));

/* RAM ring buffer, dumped later (src/trace_sink_ring.c, any target).
 * Producers reserve space with one atomic update and never block; when the
 * ring is full, new records are dropped (and counted) until the next drain,
 * which emits a DROPPED record in their place. */
typedef struct poolheap_trace_ring {
    poolheap_trace_sink_t sink;
    uint8_t *buffer;
    uint32_t capacity;        /* a power of two */
    poolheap_word_t reserved; /* bytes ever reserved (31 bits) | POOLHEAP_TRACE_RING_DROPPING */
    poolheap_word_t consumed; /* bytes ever drained (31 bits) */
    poolheap_word_t dropped;  /* records dropped since the last drain */
} poolheap_trace_ring_t;

/* Set in `reserved` from the first dropped record until the next drain. */
#define POOLHEAP_TRACE_RING_DROPPING 0x80000000u

/* Starts tracing into `buffer` (`capacity` bytes: a power of two from 64 to
 * 2^30; returns -1 and changes nothing otherwise). Zeroes the buffer. */
int poolheap_trace_ring_start(poolheap_trace_ring_t *ring, uint8_t *buffer, uint32_t capacity,
                              uint64_t (*clock)(void *context));

/* Hands every complete record in the ring to `write`, one call per record
 * and in order (the first drain starts with the trace header, so the
 * concatenated output is a trace file), then a DROPPED record if records
 * were dropped; frees their space. Stops at a record still being written.
 * One drainer at a time; producers may run meanwhile. Returns the bytes
 * written. */
size_t poolheap_trace_ring_drain(poolheap_trace_ring_t *ring, void (*write)(void *context, const uint8_t *, size_t),
                                 void *context);

/* ---- SEGGER RTT up-channel (src/trace_sink_rtt.c, Cortex-M) -------------
 *
 * Records go into a RAM buffer described by a SEGGER RTT control block, so
 * the standard RTT readers (OpenOCD `rtt`, probe-rs, J-Link RTT Logger,
 * pyOCD) stream them out through the debug port while the core runs. The
 * layout below is the one those readers expect on a 32-bit target
 * (docs/tracing.md, "On a real board"). */

/* One RTT channel descriptor (24 bytes on a 32-bit target). For an up
 * channel the target writes `write_offset`, the host `read_offset`; the
 * channel is empty when they are equal and one byte always stays free. */
typedef struct poolheap_rtt_channel {
    const char *name;
    uint8_t *buffer;
    uint32_t size;
    uint32_t write_offset;
    uint32_t read_offset;
    uint32_t flags; /* bits 0-1: 0 drop when full, 2 block when full (the readers' convention) */
} poolheap_rtt_channel_t;

/* A control block with one up channel and one unused down channel (all
 * zero, as SEGGER's own unconfigured channels are: readers skip it): the
 * 16-byte id "SEGGER RTT" (written last, so a reader never finds a
 * half-built block), the channel counts, then the descriptors. */
typedef struct poolheap_rtt_control_block {
    char id[16];
    int32_t up_count;
    int32_t down_count;
    poolheap_rtt_channel_t up[1];
    poolheap_rtt_channel_t down[1];
} poolheap_rtt_control_block_t;

/* What the sink does when a record does not fit in the channel. */
typedef enum poolheap_trace_rtt_mode {
    /* Drop the record and count it; the next record that fits is preceded
     * by a DROPPED record with the count. The application never waits. */
    POOLHEAP_TRACE_RTT_DROP = 0,
    /* Wait (interrupts enabled) until the host has read enough: lossless,
     * and the application stalls while no host reads. */
    POOLHEAP_TRACE_RTT_BLOCK = 1,
    /* No RTT reader: whenever the channel is at least half full, and at
     * poolheap_trace_rtt_stop, the sink calls poolheap_trace_rtt_breakpoint
     * with the unread bytes and then frees them. A debugger that breaks
     * there copies them out (scripts/gdb/poolheap_capture.py): lossless
     * through any GDB server. Without a debugger the bytes are lost. */
    POOLHEAP_TRACE_RTT_BREAKPOINT = 2
} poolheap_trace_rtt_mode_t;

typedef struct poolheap_trace_rtt {
    poolheap_trace_sink_t sink;
    poolheap_rtt_channel_t *channel;      /* the "poolheap" up channel */
    unsigned mode;                        /* a poolheap_trace_rtt_mode_t */
    uint32_t dropped;                     /* records dropped since the last DROPPED record */
    poolheap_rtt_control_block_t control; /* the control block, unless attached to the application's */
} poolheap_trace_rtt_t;

/* Builds the sink's own control block (up channel 0, named "poolheap") over
 * `buffer` (`size` bytes, 128 to 2^30) and starts tracing into it, with
 * timestamps from `clock` if not NULL. Returns -1 and changes nothing for a
 * bad size or mode. Time: O(1); the header is the first record. */
int poolheap_trace_rtt_start(poolheap_trace_rtt_t *rtt, uint8_t *buffer, uint32_t size, unsigned mode,
                             uint64_t (*clock)(void *context));

/* Same, as up channel `channel` of a control block the application already
 * has (`control_block`: the address of its RTT control block, e.g. SEGGER's
 * `_SEGGER_RTT`, standard layout). Returns -1 and changes nothing if the
 * block has no "SEGGER RTT" id, `channel` is not below its up-channel count,
 * or size or mode is bad. The channel's descriptor is overwritten: attach
 * before the RTT reader starts, or restart it. Time: O(1). */
int poolheap_trace_rtt_attach(poolheap_trace_rtt_t *rtt, void *control_block, unsigned channel, uint8_t *buffer,
                              uint32_t size, unsigned mode, uint64_t (*clock)(void *context));

/* Stops tracing; a pending drop count goes out as a DROPPED record if it
 * fits (DROP mode), and BREAKPOINT mode hands over what is left. The channel
 * stays readable. Time: O(1). */
void poolheap_trace_rtt_stop(poolheap_trace_rtt_t *rtt);

/* Empty and never inlined: in POOLHEAP_TRACE_RTT_BREAKPOINT mode the sink
 * calls it, interrupts masked, with the unread bytes of the channel in at
 * most two pieces (the second is the part that wrapped to the buffer's
 * start; its length may be 0). A debugger breakpoint here reads them
 * (arguments in r0-r3 on Arm); when it returns, the bytes are freed. */
void poolheap_trace_rtt_breakpoint(const uint8_t *first, uint32_t first_length, const uint8_t *second,
                                   uint32_t second_length);

#ifdef __cplusplus
}
#endif

#endif /* POOLHEAP_TRACE_H */
