/* The system calls newlib's stdio and malloc need, on bare metal: output
 * goes to the host over semihosting, malloc grows between the end of .bss
 * and the stack, and exit ends QEMU with the program's status. The rest are
 * the usual "not a file" answers. Prototypes are ours: newlib declares none
 * of these in a public header. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "semihosting.h"

int _write(int file, const char *data, int length);
int _read(int file, char *data, int length);
int _close(int file);
int _fstat(int file, struct stat *status);
int _isatty(int file);
int _lseek(int file, int offset, int whence);
void *_sbrk(ptrdiff_t increment);
int _kill(int pid, int signal);
int _getpid(void);
_Noreturn void _exit(int status);

int _write(int file, const char *data, int length) {
    (void)file; /* stdout and stderr both go to the host's stdout */
    semihosting_write(data, (size_t)length);
    return length;
}

int _read(int file, char *data, int length) {
    (void)file, (void)data, (void)length;
    return 0; /* end of file */
}

int _close(int file) {
    (void)file;
    return -1;
}

/* A character device, so stdio buffers output by line. */
int _fstat(int file, struct stat *status) {
    (void)file;
    status->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int file) {
    (void)file;
    return 1;
}

int _lseek(int file, int offset, int whence) {
    (void)file, (void)offset, (void)whence;
    return 0;
}

/* Bounds from the linker script. */
extern unsigned char __heap_start[], __heap_end[];

void *_sbrk(ptrdiff_t increment) {
    static unsigned char *brk = __heap_start;
    if (increment > __heap_end - brk) {
        errno = ENOMEM;
        return (void *)-1;
    }
    unsigned char *old = brk;
    brk += increment;
    return old;
}

int _kill(int pid, int signal) {
    (void)pid, (void)signal;
    errno = EINVAL;
    return -1;
}

int _getpid(void) {
    return 1;
}

_Noreturn void _exit(int status) {
    semihosting_exit(status);
}
