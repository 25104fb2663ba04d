#include "semihosting.h"

#include <stdint.h>

/* Operation numbers from the ARM semihosting specification. */
enum {
    SYS_OPEN = 0x01,
    SYS_WRITE = 0x05,
    SYS_EXIT_EXTENDED = 0x20, /* SYS_EXIT (0x18) on 32-bit ARM cannot carry a status code */
};

#define ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define OPEN_MODE_WRITE 4u /* "w": on the special file ":tt" this is stdout */

static uint32_t semihosting_call(uint32_t operation, const void *argument) {
    register uint32_t r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = argument;
    /* "memory": the host reads and may write the argument block. */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void semihosting_write(const void *data, size_t length) {
    static uint32_t stdout_handle;
    static int opened;
    if (!opened) {
        static const char console[] = ":tt";
        const uint32_t open_block[] = {(uint32_t)(uintptr_t)console, OPEN_MODE_WRITE, sizeof console - 1u};
        stdout_handle = semihosting_call(SYS_OPEN, open_block);
        opened = 1;
    }
    const uint32_t write_block[] = {stdout_handle, (uint32_t)(uintptr_t)data, (uint32_t)length};
    semihosting_call(SYS_WRITE, write_block);
}

_Noreturn void semihosting_exit(int status) {
    const uint32_t exit_block[] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)status};
    for (;;) {
        semihosting_call(SYS_EXIT_EXTENDED, exit_block);
    }
}
