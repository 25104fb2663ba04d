/* Reset and exception entry for the Cortex-M cores QEMU emulates.
 *
 * The vector table is the first thing in the image: the core loads the
 * initial stack pointer from word 0 and the reset handler's address from
 * word 1. Every handler is a weak alias of default_handler, so a program
 * defines only the ones it uses (SysTick_Handler, IRQ8_Handler, ...). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(__PICOLIBC__)
#include <picotls.h>
#endif

#include "semihosting.h"

int main(void);
void Reset_Handler(void);
void default_handler(void);

/* Symbols the linker script defines. */
extern uint32_t __stack_top[];
extern unsigned char __data_load[], __data_start[], __data_end[], __bss_start[], __bss_end[], __tls_base[];

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("default_handler")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
WEAK_HANDLER(IRQ0_Handler);
WEAK_HANDLER(IRQ1_Handler);
WEAK_HANDLER(IRQ2_Handler);
WEAK_HANDLER(IRQ3_Handler);
WEAK_HANDLER(IRQ4_Handler);
WEAK_HANDLER(IRQ5_Handler);
WEAK_HANDLER(IRQ6_Handler);
WEAK_HANDLER(IRQ7_Handler);
WEAK_HANDLER(IRQ8_Handler);
WEAK_HANDLER(IRQ9_Handler);
WEAK_HANDLER(IRQ10_Handler);
WEAK_HANDLER(IRQ11_Handler);
WEAK_HANDLER(IRQ12_Handler);
WEAK_HANDLER(IRQ13_Handler);
WEAK_HANDLER(IRQ14_Handler);
WEAK_HANDLER(IRQ15_Handler);

typedef void (*vector_t)(void);

/* 16 system exceptions, then the first 16 device interrupts (enough for
 * the CMSDK timers of the MPS2 boards, which are IRQ 8 to 10). Entry 0
 * is the stack top, not a handler; the cast is how every Cortex-M vector
 * table in C is written. */
__attribute__((section(".vectors"), used)) const vector_t vector_table[32] = {
    (vector_t)(uintptr_t)__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0,
    0,
    0,
    0,
    SVC_Handler,
    0,
    0,
    PendSV_Handler,
    SysTick_Handler,
    IRQ0_Handler,
    IRQ1_Handler,
    IRQ2_Handler,
    IRQ3_Handler,
    IRQ4_Handler,
    IRQ5_Handler,
    IRQ6_Handler,
    IRQ7_Handler,
    IRQ8_Handler,
    IRQ9_Handler,
    IRQ10_Handler,
    IRQ11_Handler,
    IRQ12_Handler,
    IRQ13_Handler,
    IRQ14_Handler,
    IRQ15_Handler,
};

/* Coprocessor Access Control Register: full access to CP10 and CP11 (the
 * FPU) must be granted before the first floating-point instruction. */
#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)

void Reset_Handler(void) {
#if defined(__ARM_FP)
    SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    /* QEMU loads .data at its load address in flash and nothing else: copy
     * the initial values to RAM and zero .bss. (No C++ here, so no
     * constructors to run.) */
    memcpy(__data_start, __data_load, (size_t)(__data_end - __data_start));
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));
#if defined(__PICOLIBC__)
    /* picolibc's errno is thread-local: give the one thread its block
     * (sections.ld) before any library call can set errno. */
    _init_tls(__tls_base);
    _set_tls(__tls_base);
#endif
    exit(main()); /* exit flushes stdio, then _exit ends QEMU with the status */
}

/* An exception nobody handles is a test failure: say which, and stop. */
void default_handler(void) {
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    static const char message[] = "unexpected exception\n";
    semihosting_write(message, sizeof message - 1u);
    semihosting_exit((int)(128u + (ipsr & 0xFFu)));
}
