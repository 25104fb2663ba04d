/* TIMER0 of the nRF51 (micro:bit): counts up at 16 MHz; compare register 0
 * raises the interrupt and, through a shortcut, clears the counter, so it
 * fires every `period` ticks. */
#include "stress_timer.h"

#define TIMER0_BASE 0x40008000u
#define TIMER0_REG(offset) (*(volatile uint32_t *)(TIMER0_BASE + (offset)))
#define TASKS_START TIMER0_REG(0x000u)
#define TASKS_STOP TIMER0_REG(0x004u)
#define TASKS_CLEAR TIMER0_REG(0x00Cu)
#define EVENTS_COMPARE0 TIMER0_REG(0x140u)
#define SHORTS TIMER0_REG(0x200u)
#define INTENSET TIMER0_REG(0x304u)
#define MODE TIMER0_REG(0x504u)
#define BITMODE TIMER0_REG(0x508u)
#define PRESCALER TIMER0_REG(0x510u)
#define CC0 TIMER0_REG(0x540u)

#define SHORT_COMPARE0_CLEAR 0x1u
#define INT_COMPARE0 (1u << 16)
#define BITMODE_32 3u

void stress_timer_start(uint32_t period) {
    MODE = 0u; /* timer, not counter */
    BITMODE = BITMODE_32;
    PRESCALER = 0u;
    CC0 = period;
    SHORTS = SHORT_COMPARE0_CLEAR;
    INTENSET = INT_COMPARE0;
    TASKS_CLEAR = 1u;
    TASKS_START = 1u;
}

void stress_timer_stop(void) {
    TASKS_STOP = 1u;
}

void stress_timer_acknowledge(void) {
    EVENTS_COMPARE0 = 0u;
}
