/* SEGGER RTT sink: records go into an RTT up channel named "poolheap",
 * which the standard RTT readers stream out while the core runs.
 *
 * The channel is a byte ring with one writer (this sink) and one reader
 * (the host, through the debug port): the sink owns `write_offset`, the
 * host `read_offset`; equal offsets mean empty, and one byte always stays
 * free so that a full ring is not mistaken for an empty one.
 *
 * Why records never mix: a record (with the DROPPED record that may precede
 * it) is copied in and `write_offset` moved past it with interrupts masked
 * (PRIMASK), so a nested interrupt's record goes in whole after it, and the
 * host, which reads only up to `write_offset`, never sees part of a record.
 * Nothing waits with interrupts masked: BLOCK mode unmasks them while it
 * waits for the host to read. */
#include "arch/primask.h"
#include "poolheap/trace.h"
#include "trace_sink.h"

/* The control block's id, reversed: copied at run time (last byte first, the
 * leading 'S' last), so no "SEGGER RTT" string exists in the program image
 * for a reader scanning memory to mistake for the live block. */
static const char ph_rtt_id_reversed[] = "TTR REGGES";
#define PH_RTT_ID_LENGTH (sizeof ph_rtt_id_reversed - 1u)

#define PH_RTT_FLAGS_BLOCK 2u /* the readers' "block if FIFO full" mode */
#define PH_RTT_SIZE_MIN 128u  /* so that BREAKPOINT mode always has room for a record */
#define PH_RTT_SIZE_MAX (1u << 30)

static const char ph_rtt_channel_name[] = "poolheap";

/* Acquire: the host wrote `read_offset` after reading the bytes before it;
 * the sink overwrites those bytes only after this load. (An atomic load is
 * also re-read on every call, like a volatile one: the host changes it.) */
static uint32_t ph_rtt_read_offset(const poolheap_rtt_channel_t *channel) {
    return __atomic_load_n(&channel->read_offset, __ATOMIC_ACQUIRE);
}

static uint32_t ph_rtt_used(const poolheap_rtt_channel_t *channel, uint32_t write, uint32_t read) {
    return write >= read ? write - read : channel->size - read + write;
}

/* Copies `bytes` in at `write` (wrapping) and returns the offset after them. */
static uint32_t ph_rtt_put(poolheap_rtt_channel_t *channel, uint32_t write, const uint8_t *bytes, size_t length) {
    for (size_t i = 0u; i < length; i++) {
        channel->buffer[write] = bytes[i];
        write = write + 1u == channel->size ? 0u : write + 1u;
    }
    return write;
}

/* BREAKPOINT mode: hands the unread bytes to the debugger's breakpoint,
 * then frees them. Interrupts are masked, so no record is added meanwhile. */
static void ph_rtt_hand_over(poolheap_rtt_channel_t *channel, uint32_t write, uint32_t read) {
    if (write >= read) {
        poolheap_trace_rtt_breakpoint(channel->buffer + read, write - read, channel->buffer, 0u);
    } else {
        poolheap_trace_rtt_breakpoint(channel->buffer + read, channel->size - read, channel->buffer, write);
    }
    /* Release: the debugger has read the bytes before the sink may reuse
     * them (the breakpoint call already orders it on one core). */
    __atomic_store_n(&channel->read_offset, write, __ATOMIC_RELEASE);
}

/* With interrupts masked: appends the pending DROPPED record, then `bytes`,
 * if both fit; returns 1, or 0 without writing anything. */
static int ph_rtt_append(poolheap_trace_rtt_t *rtt, const uint8_t *bytes, size_t length) {
    poolheap_rtt_channel_t *channel = rtt->channel;
    uint32_t write = channel->write_offset;
    uint32_t read = ph_rtt_read_offset(channel);
    uint8_t gap[POOLHEAP_TRACE_RECORD_MAX];
    size_t gap_length =
        rtt->dropped != 0u ? poolheap_trace_encode(gap, POOLHEAP_TRACE_DROPPED, rtt->dropped, 0u, 0u, 0u, 0, 0u) : 0u;
    if (gap_length + length > channel->size - 1u - ph_rtt_used(channel, write, read)) {
        return 0;
    }
    write = ph_rtt_put(channel, write, gap, gap_length);
    write = ph_rtt_put(channel, write, bytes, length);
    rtt->dropped = 0u;
    /* Release: the record's bytes are in the buffer before the host, which
     * reads up to `write_offset`, can see them. */
    __atomic_store_n(&channel->write_offset, write, __ATOMIC_RELEASE);
    if (rtt->mode == POOLHEAP_TRACE_RTT_BREAKPOINT && ph_rtt_used(channel, write, read) >= channel->size / 2u) {
        ph_rtt_hand_over(channel, write, read);
    }
    return 1;
}

static void ph_rtt_write(void *context, const uint8_t *bytes, size_t length) {
    poolheap_trace_rtt_t *rtt = context;
    for (;;) {
        uint32_t saved = ph_irq_save(); /* the whole record, then any nested one */
        uint32_t read = ph_rtt_read_offset(rtt->channel);
        int written = ph_rtt_append(rtt, bytes, length);
        if (!written && rtt->mode != POOLHEAP_TRACE_RTT_BLOCK) {
            rtt->dropped++;
        }
        ph_irq_restore(saved);
        if (written || rtt->mode != POOLHEAP_TRACE_RTT_BLOCK) {
            return;
        }
        while (ph_rtt_read_offset(rtt->channel) == read) { /* interrupts on: wait for the host to read */
        }
    }
}

static int ph_rtt_valid(uint32_t size, unsigned mode) {
    return size >= PH_RTT_SIZE_MIN && size <= PH_RTT_SIZE_MAX && mode <= POOLHEAP_TRACE_RTT_BREAKPOINT;
}

static void ph_rtt_open(poolheap_trace_rtt_t *rtt, poolheap_rtt_channel_t *channel, uint8_t *buffer, uint32_t size,
                        unsigned mode, uint64_t (*clock)(void *context)) {
    *channel = (poolheap_rtt_channel_t){.name = ph_rtt_channel_name,
                                        .buffer = buffer,
                                        .size = size,
                                        .flags = mode == POOLHEAP_TRACE_RTT_BLOCK ? PH_RTT_FLAGS_BLOCK : 0u};
    rtt->channel = channel;
    rtt->mode = mode;
    rtt->dropped = 0u;
    ph_trace_sink_start(&rtt->sink, ph_rtt_write, clock, rtt);
}

int poolheap_trace_rtt_start(poolheap_trace_rtt_t *rtt, uint8_t *buffer, uint32_t size, unsigned mode,
                             uint64_t (*clock)(void *context)) {
    if (!ph_rtt_valid(size, mode)) {
        return -1;
    }
    poolheap_rtt_control_block_t *control = &rtt->control;
    for (size_t i = 0u; i < sizeof control->id; i++) {
        control->id[i] = '\0'; /* no reader may match the block while it is built */
    }
    control->up_count = 1;
    control->down_count = 1;
    control->down[0] = (poolheap_rtt_channel_t){.name = NULL};
    ph_rtt_open(rtt, &control->up[0], buffer, size, mode, clock);
    for (size_t i = PH_RTT_ID_LENGTH - 1u; i > 0u; i--) {
        control->id[i] = ph_rtt_id_reversed[PH_RTT_ID_LENGTH - 1u - i];
    }
    /* Release: the counts and the descriptor are in memory before a reader
     * can match the id, whose first byte completes it. */
    __atomic_store_n(&control->id[0], ph_rtt_id_reversed[PH_RTT_ID_LENGTH - 1u], __ATOMIC_RELEASE);
    return 0;
}

int poolheap_trace_rtt_attach(poolheap_trace_rtt_t *rtt, void *control_block, unsigned channel, uint8_t *buffer,
                              uint32_t size, unsigned mode, uint64_t (*clock)(void *context)) {
    poolheap_rtt_control_block_t *control = control_block;
    if (control == NULL || !ph_rtt_valid(size, mode)) {
        return -1;
    }
    for (size_t i = 0u; i < PH_RTT_ID_LENGTH; i++) {
        if (control->id[i] != ph_rtt_id_reversed[PH_RTT_ID_LENGTH - 1u - i]) {
            return -1;
        }
    }
    if (control->id[PH_RTT_ID_LENGTH] != '\0' || control->up_count <= 0 || channel >= (unsigned)control->up_count) {
        return -1;
    }
    ph_rtt_open(rtt, &control->up[channel], buffer, size, mode, clock);
    return 0;
}

void poolheap_trace_rtt_stop(poolheap_trace_rtt_t *rtt) {
    poolheap_trace_start(NULL);
    uint32_t saved = ph_irq_save();
    if (rtt->dropped != 0u) { /* DROP mode only: BLOCK never drops, BREAKPOINT always has room */
        (void)ph_rtt_append(rtt, NULL, 0u);
    }
    uint32_t write = rtt->channel->write_offset, read = ph_rtt_read_offset(rtt->channel);
    if (rtt->mode == POOLHEAP_TRACE_RTT_BREAKPOINT && write != read) {
        ph_rtt_hand_over(rtt->channel, write, read);
    }
    ph_irq_restore(saved);
}

#if defined(__GNUC__) && !defined(__clang__)
__attribute__((noinline, noipa))
#else
__attribute__((noinline))
#endif
void poolheap_trace_rtt_breakpoint(const uint8_t *first, uint32_t first_length, const uint8_t *second,
                                   uint32_t second_length) {
    /* The arguments are "used" here so that no caller drops them and no
     * call is removed: a debugger reads them at this function's entry. */
    __asm__ volatile("" ::"r"(first), "r"(first_length), "r"(second), "r"(second_length) : "memory");
}
