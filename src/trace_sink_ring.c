/* RAM ring buffer sink: records are kept in memory and drained later.
 *
 * Layout: a byte ring of `capacity` (a power of two) bytes holding frames,
 * each a length byte followed by that many record bytes (a frame may wrap
 * around the end). `reserved` and `consumed` count bytes ever reserved and
 * drained, modulo 2^31; their difference is the bytes in use.
 *
 * Why records are never torn or mixed, even from nested interrupts:
 * - a producer claims its frame's bytes with one atomic update of
 *   `reserved` (compare-and-swap, or a masked section on ARMv6-M), so two
 *   producers never get overlapping bytes, whatever interrupts whom;
 * - it writes the record, then the frame's length byte last (release); a
 *   zero length byte means "not complete yet", and the drain stops there,
 *   so it never reads a half-written record. Every byte outside reserved
 *   frames is kept zero (the drain zeroes what it consumed), so a stale byte
 *   can never pass for a length.
 * When a record does not fit, it is dropped, and so is every later one until
 * the next drain (the DROPPING bit in `reserved`), so the DROPPED record the
 * drain emits after the surviving records sits exactly where the gap is. */
#include <stdatomic.h>

#include "arch/freelist.h"
#if POOLHEAP_FREELIST_IRQ
#include "arch/primask.h"
#endif
#include "poolheap/trace.h"
#include "trace_sink.h"

#define PH_RING_POSITION 0x7FFFFFFFu /* `reserved` without the DROPPING bit */

/* Claims `need` bytes; returns 1 and their position in *start, or 0 if the
 * record is dropped (counted in `dropped`). */
static int ph_ring_reserve(poolheap_trace_ring_t *ring, uint32_t need, uint32_t *start) {
#if POOLHEAP_FREELIST_IRQ
    /* ARMv6-M: no compare-and-swap; a masked section of a few instructions. */
    uint32_t saved = ph_irq_save();
    uint32_t r = ring->reserved;
    int fits =
        !(r & POOLHEAP_TRACE_RING_DROPPING) && ((r - ring->consumed) & PH_RING_POSITION) + need <= ring->capacity;
    ring->reserved = fits ? (r + need) & PH_RING_POSITION : r | POOLHEAP_TRACE_RING_DROPPING;
    if (!fits) {
        ring->dropped++;
    }
    ph_irq_restore(saved);
    *start = r;
    return fits;
#else
    /* Acquire on `consumed`: the drain zeroed the bytes it freed before
     * releasing them; our writes to those bytes must come after. Relaxed on
     * `reserved`: the update only has to be atomic (unique ranges); the
     * record's bytes are published by its length byte, not by `reserved`. */
    uint32_t r = atomic_load_explicit(&ring->reserved, memory_order_relaxed);
    for (;;) {
        uint32_t used = (r - atomic_load_explicit(&ring->consumed, memory_order_acquire)) & PH_RING_POSITION;
        int fits = !(r & POOLHEAP_TRACE_RING_DROPPING) && used + need <= ring->capacity;
        uint32_t next = fits ? (r + need) & PH_RING_POSITION : r | POOLHEAP_TRACE_RING_DROPPING;
        if (atomic_compare_exchange_weak_explicit(&ring->reserved, &r, next, memory_order_relaxed,
                                                  memory_order_relaxed)) {
            if (!fits) {
                ph_word_add(&ring->dropped, 1u); /* relaxed: a counter, read by the drain after the flag */
            }
            *start = r;
            return fits;
        }
    }
#endif
}

static void ph_ring_write(void *context, const uint8_t *bytes, size_t length) {
    poolheap_trace_ring_t *ring = context;
    uint32_t start;
    if (!ph_ring_reserve(ring, (uint32_t)length + 1u, &start)) {
        return;
    }
    uint32_t mask = ring->capacity - 1u;
    for (size_t i = 0u; i < length; i++) {
        ring->buffer[(start + 1u + i) & mask] = bytes[i];
    }
    /* Release: the record's bytes are visible before its length says so. */
    __atomic_store_n(&ring->buffer[start & mask], (uint8_t)length, __ATOMIC_RELEASE);
}

int poolheap_trace_ring_start(poolheap_trace_ring_t *ring, uint8_t *buffer, uint32_t capacity,
                              uint64_t (*clock)(void *context)) {
    if (capacity < 64u || capacity > (1u << 30) || (capacity & (capacity - 1u)) != 0u) {
        return -1;
    }
    for (uint32_t i = 0u; i < capacity; i++) {
        buffer[i] = 0u;
    }
    ring->buffer = buffer;
    ring->capacity = capacity;
    ph_word_store(&ring->reserved, 0u);
    ph_word_store(&ring->consumed, 0u);
    ph_word_store(&ring->dropped, 0u);
    ph_trace_sink_start(&ring->sink, ph_ring_write, clock, ring);
    return 0;
}

/* Publishes the drained position (release: the zeroed bytes first). */
static void ph_ring_release(poolheap_trace_ring_t *ring, uint32_t position) {
#if POOLHEAP_FREELIST_IRQ
    __asm__ volatile("" ::: "memory"); /* one core: a compiler barrier orders it against interrupts */
    ring->consumed = position;
#else
    atomic_store_explicit(&ring->consumed, position, memory_order_release);
#endif
}

/* Clears the DROPPING bit and returns the count of dropped records. */
static uint32_t ph_ring_take_dropped(poolheap_trace_ring_t *ring) {
#if POOLHEAP_FREELIST_IRQ
    uint32_t saved = ph_irq_save();
    ring->reserved &= PH_RING_POSITION;
    ph_irq_restore(saved);
#else
    atomic_fetch_and_explicit(&ring->reserved, PH_RING_POSITION, memory_order_relaxed); /* relaxed: as reserve */
#endif
    return ph_word_exchange(&ring->dropped, 0u);
}

size_t poolheap_trace_ring_drain(poolheap_trace_ring_t *ring, void (*write)(void *context, const uint8_t *, size_t),
                                 void *context) {
    uint32_t mask = ring->capacity - 1u;
    uint32_t position = ph_word_load(&ring->consumed);
    size_t total = 0u;
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    for (;;) {
        /* Acquire: pairs with the producer's release of the length byte. */
        uint8_t length = __atomic_load_n(&ring->buffer[position & mask], __ATOMIC_ACQUIRE);
        if (length == 0u || length > POOLHEAP_TRACE_RECORD_MAX) {
            break;
        }
        for (uint32_t i = 0u; i <= length; i++) {
            uint32_t at = (position + i) & mask;
            if (i > 0u) {
                record[i - 1u] = ring->buffer[at];
            }
            ring->buffer[at] = 0u;
        }
        write(context, record, length);
        total += length;
        position = (position + length + 1u) & PH_RING_POSITION;
        ph_ring_release(ring, position);
    }
    /* Only once every reserved frame is out does the gap come next. A count
     * without the flag is a dropping producer that counted after the last
     * drain cleared the flag: reported now, a little late. */
    uint32_t reserved = ph_word_load(&ring->reserved);
    if (position == (reserved & PH_RING_POSITION) &&
        ((reserved & POOLHEAP_TRACE_RING_DROPPING) || ph_word_load(&ring->dropped) != 0u)) {
        uint32_t dropped = ph_ring_take_dropped(ring);
        size_t n = poolheap_trace_encode(record, POOLHEAP_TRACE_DROPPED, dropped, 0u, 0u, 0u, 0, 0u);
        write(context, record, n);
        total += n;
    }
    return total;
}
