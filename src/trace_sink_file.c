/* Host file sink: one write(2) per record.
 *
 * Why records never mix: the file is opened with O_APPEND, and each record
 * is handed to the kernel in a single write call. POSIX makes an O_APPEND
 * write of a regular file atomic with respect to other writes to the same
 * file (the offset update and the transfer happen as one step), so records
 * from concurrent threads land whole, one after another. A signal handler
 * that interrupts a write cannot split it either: the handler's own write is
 * a separate call. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "poolheap/trace.h"
#include "trace_sink.h"

static void ph_file_write(void *context, const uint8_t *bytes, size_t length) {
    const poolheap_trace_file_t *file = context;
    ssize_t written;
    do {
        written = write(file->fd, bytes, length);
    } while (written < 0 && errno == EINTR); /* a short write of a few bytes to a file does not happen */
}

int poolheap_trace_file_open(poolheap_trace_file_t *file, const char *path, uint64_t (*clock)(void *context)) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) {
        return -1;
    }
    file->fd = fd;
    ph_trace_sink_start(&file->sink, ph_file_write, clock, file);
    return 0;
}

int poolheap_trace_file_close(poolheap_trace_file_t *file) {
    poolheap_trace_start(NULL);
    int result = close(file->fd);
    file->fd = -1;
    return result;
}
