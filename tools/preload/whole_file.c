/* Whole files read with system calls only (whole_file.h). */
#define _GNU_SOURCE

#include "whole_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads up to `room` bytes into `text`; returns the count, or -1 with errno. */
static ssize_t ph_read_all(int fd, char *text, size_t room) {
    size_t done = 0u;
    while (done < room) {
        ssize_t n = read(fd, text + done, room - done);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            break;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

int ph_whole_file_read(const char *path, size_t limit, ph_whole_file_t *out) {
    *out = (ph_whole_file_t){NULL, 0u, 0u};
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno;
    }
    struct stat st;
    int error = fstat(fd, &st) != 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : 0;
    /* One byte more than the limit: reading it means the file is too long.
     * MAP_NORESERVE: only the pages the file fills are ever touched. */
    size_t mapped = limit + 1u;
    void *text = error != 0
                     ? MAP_FAILED
                     : mmap(NULL, mapped, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (error == 0 && text == MAP_FAILED) {
        error = ENOMEM;
    }
    ssize_t n = error != 0 ? 0 : ph_read_all(fd, text, mapped);
    if (error == 0 && n < 0) {
        error = errno;
    } else if (error == 0 && (size_t)n > limit) {
        error = EFBIG;
    }
    close(fd);
    if (text != MAP_FAILED) {
        *out = (ph_whole_file_t){text, error == 0 ? (size_t)n : 0u, mapped};
    }
    if (error != 0) {
        ph_whole_file_release(out);
    }
    return error;
}

void ph_whole_file_release(ph_whole_file_t *file) {
    if (file->text != NULL) {
        munmap(file->text, file->mapped);
    }
    *file = (ph_whole_file_t){NULL, 0u, 0u};
}
