/* ARM semihosting sink: each record is one SYS_WRITE to a host file.
 *
 * Why records never mix: a record is written by one semihosting call, and
 * interrupts are masked (PRIMASK) around that call, so a nested interrupt
 * that emits its own record waits until this record's call has returned;
 * the host sees whole records, in the order their calls ran. Semihosting
 * halts the core for each call, so this is for tests and debugging, not for
 * production timing. */
#include "arch/primask.h"
#include "poolheap/trace.h"
#include "trace_sink.h"

#define PH_SYS_OPEN 0x01u
#define PH_SYS_CLOSE 0x02u
#define PH_SYS_WRITE 0x05u
#define PH_SYS_OPEN_WB 5u /* fopen mode "wb" */

/* One semihosting call: operation in r0, parameter block address in r1,
 * result in r0. BKPT 0xAB is the M-profile semihosting trap. */
static int ph_semihost_call(uint32_t operation, const void *block) {
    register uint32_t r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = block;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return (int)r0;
}

static size_t ph_string_length(const char *s) {
    size_t n = 0u;
    while (s[n] != '\0') {
        n++;
    }
    return n;
}

static void ph_semihost_write(void *context, const uint8_t *bytes, size_t length) {
    const poolheap_trace_semihost_t *semihost = context;
    uint32_t block[3] = {(uint32_t)semihost->handle, (uint32_t)(uintptr_t)bytes, (uint32_t)length};
    uint32_t saved = ph_irq_save(); /* no nested record may start inside this one */
    (void)ph_semihost_call(PH_SYS_WRITE, block);
    ph_irq_restore(saved);
}

int poolheap_trace_semihost_open(poolheap_trace_semihost_t *semihost, const char *path,
                                 uint64_t (*clock)(void *context)) {
    uint32_t block[3] = {(uint32_t)(uintptr_t)path, PH_SYS_OPEN_WB, (uint32_t)ph_string_length(path)};
    int handle = ph_semihost_call(PH_SYS_OPEN, block);
    if (handle < 0) {
        return -1;
    }
    semihost->handle = handle;
    ph_trace_sink_start(&semihost->sink, ph_semihost_write, clock, semihost);
    return 0;
}

void poolheap_trace_semihost_close(poolheap_trace_semihost_t *semihost) {
    poolheap_trace_start(NULL);
    uint32_t block[1] = {(uint32_t)semihost->handle};
    (void)ph_semihost_call(PH_SYS_CLOSE, block);
    semihost->handle = -1;
}
