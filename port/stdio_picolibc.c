/* picolibc's stdio on semihosting: picolibc has no _write system call, its
 * stdio writes through the FILE objects the program defines. One console
 * stream, buffered by line, serves stdin (always at end of file), stdout and
 * stderr. */
#include <stdio.h>

#include "semihosting.h"

static char line[128];
static size_t line_length;

static int console_flush(FILE *stream) {
    (void)stream;
    semihosting_write(line, line_length);
    line_length = 0;
    return 0;
}

static int console_put(char c, FILE *stream) {
    line[line_length++] = c;
    if (c == '\n' || line_length == sizeof line) {
        console_flush(stream);
    }
    return (unsigned char)c;
}

static int console_get(FILE *stream) {
    (void)stream;
    return EOF;
}

static FILE console = FDEV_SETUP_STREAM(console_put, console_get, console_flush, _FDEV_SETUP_RW);

FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &console;
