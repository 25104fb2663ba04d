/* Cortex-M ITM sink: records go out of one stimulus port over SWO.
 *
 * Framing (docs/trace-format.md, "Over ITM"): each record starts with a
 * 4-byte stimulus packet (a word write) holding its length, its sequence
 * number (16 bits) and its first byte; its other bytes follow in 1-byte
 * packets. A decoder that lost bytes (an ITM overflow) skips to the next
 * 4-byte packet, a record boundary, and the sequence numbers tell it how
 * many records are missing. Records discarded while the port is disabled
 * are numbered too, so they count as lost.
 *
 * Why records never mix: the bytes of one record are pushed to the port
 * with interrupts masked (PRIMASK), so a nested interrupt's record cannot
 * start in the middle of this one; it goes out whole right after. The port
 * is written a packet at a time, waiting for its FIFO to accept each one.
 * While the ITM or the port is disabled (no debugger listening) the record
 * is discarded instead of waiting forever. */
#include "arch/primask.h"
#include "poolheap/trace.h"
#include "trace_sink.h"

#define PH_ITM_STIM(port) ((volatile uint32_t *)(0xE0000000u + 4u * (port)))
#define PH_ITM_TER (*(volatile const uint32_t *)0xE0000E00u)
#define PH_ITM_TCR (*(volatile const uint32_t *)0xE0000E80u)
#define PH_ITM_TCR_ITMENA 1u

static void ph_itm_write(void *context, const uint8_t *bytes, size_t length) {
    poolheap_trace_itm_t *itm = context;
    volatile uint32_t *stim = PH_ITM_STIM(itm->port);
    uint32_t saved = ph_irq_save(); /* the whole record, then any nested one */
    uint32_t sequence = itm->sequence++;
    if ((PH_ITM_TCR & PH_ITM_TCR_ITMENA) && (PH_ITM_TER & (1u << itm->port))) {
        while ((*stim & 1u) == 0u) { /* bit 0 reads 1 when the FIFO can take a write */
        }
        /* A word write sends a 4-byte packet, bytes in little-endian order. */
        *stim = (uint32_t)length | (sequence & 0xFFFFu) << 8 | (uint32_t)bytes[0] << 24;
        for (size_t i = 1u; i < length; i++) {
            while ((*stim & 1u) == 0u) {
            }
            *(volatile uint8_t *)stim = bytes[i]; /* a byte-wide write sends a 1-byte packet */
        }
    }
    ph_irq_restore(saved);
}

void poolheap_trace_itm_start(poolheap_trace_itm_t *itm, unsigned port, uint64_t (*clock)(void *context)) {
    itm->port = port & 31u;
    itm->sequence = 0u;
    ph_trace_sink_start(&itm->sink, ph_itm_write, clock, itm);
}
