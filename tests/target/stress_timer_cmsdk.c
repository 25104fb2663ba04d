/* CMSDK APB timer 0 of the MPS2 boards (AN385, AN386): a 32-bit down
 * counter that reloads and raises its interrupt when it reaches zero. */
#include "stress_timer.h"

#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define TIMER0_INTCLEAR (*(volatile uint32_t *)0x4000000Cu)

#define CTRL_ENABLE 0x1u
#define CTRL_IRQ_ENABLE 0x8u

void stress_timer_start(uint32_t period) {
    TIMER0_RELOAD = period;
    TIMER0_VALUE = period;
    TIMER0_CTRL = CTRL_ENABLE | CTRL_IRQ_ENABLE;
}

void stress_timer_stop(void) {
    TIMER0_CTRL = 0u;
}

void stress_timer_acknowledge(void) {
    TIMER0_INTCLEAR = 1u;
}
