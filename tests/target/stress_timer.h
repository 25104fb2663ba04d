/* The interrupt sources of the stress test: SysTick (every Cortex-M) and one
 * board timer, both on device interrupt 8 on the boards used here (CMSDK
 * TIMER0 on MPS2, TIMER0 on the nRF51 of the micro:bit). */
#ifndef POOLHEAP_STRESS_TIMER_H
#define POOLHEAP_STRESS_TIMER_H

#include <stdint.h>

#define STRESS_TIMER_IRQ 8u

/* Starts the board timer: an interrupt every `period` timer ticks. */
void stress_timer_start(uint32_t period);

/* Stops the board timer. */
void stress_timer_stop(void);

/* Clears the timer's interrupt request; call first in the handler. */
void stress_timer_acknowledge(void);

#endif /* POOLHEAP_STRESS_TIMER_H */
