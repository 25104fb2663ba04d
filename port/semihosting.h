/* ARM semihosting: the debugger (here QEMU) services requests the program
 * makes with `bkpt 0xab`, r0 = operation, r1 = argument. Only what the tests
 * need: writing to the host's stdout and exiting with a status code. */
#ifndef POOLHEAP_PORT_SEMIHOSTING_H
#define POOLHEAP_PORT_SEMIHOSTING_H

#include <stddef.h>

/* Writes `length` bytes to the host's standard output. */
void semihosting_write(const void *data, size_t length);

/* Ends the QEMU process with `status` as its exit code. */
_Noreturn void semihosting_exit(int status);

#endif /* POOLHEAP_PORT_SEMIHOSTING_H */
