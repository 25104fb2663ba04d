/* Cortex-M ITM sink: records go out of one stimulus port over SWO.
 *
 * Why records never mix: the bytes of one record are pushed to the port
 * with interrupts masked (PRIMASK), so a nested interrupt's record cannot
 * start in the middle of this one; it goes out whole right after. The port
 * is written a byte at a time, waiting for its FIFO to accept each byte.
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
    const poolheap_trace_itm_t *itm = context;
    volatile uint32_t *stim = PH_ITM_STIM(itm->port);
    uint32_t saved = ph_irq_save(); /* the whole record, then any nested one */
    if ((PH_ITM_TCR & PH_ITM_TCR_ITMENA) && (PH_ITM_TER & (1u << itm->port))) {
        for (size_t i = 0u; i < length; i++) {
            while ((*stim & 1u) == 0u) { /* bit 0 reads 1 when the FIFO can take a write */
            }
            *(volatile uint8_t *)stim = bytes[i]; /* a byte-wide write sends one byte */
        }
    }
    ph_irq_restore(saved);
}

void poolheap_trace_itm_start(poolheap_trace_itm_t *itm, unsigned port, uint64_t (*clock)(void *context)) {
    itm->port = port & 31u;
    ph_trace_sink_start(&itm->sink, ph_itm_write, clock, itm);
}
