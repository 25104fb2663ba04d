/* Temporary file, then rename (POSIX). */
#define _POSIX_C_SOURCE 200809L
#include "atomic_file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ph_write_atomically(const char *path, int (*write)(FILE *out, const void *context), const void *context) {
    size_t n = strlen(path);
    char *temporary = malloc(n + sizeof ".tmpXXXXXX");
    if (temporary == NULL) {
        fprintf(stderr, "%s: out of memory\n", path);
        return -1;
    }
    memcpy(temporary, path, n);
    memcpy(temporary + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    int fd = mkstemp(temporary);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (out == NULL) {
        fprintf(stderr, "%s: cannot create a temporary file: %s\n", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(temporary);
        }
        free(temporary);
        return -1;
    }
    int failed = write(out, context) != 0 || fflush(out) != 0 || ferror(out);
    failed |= fchmod(fd, 0644) != 0;
    failed |= fclose(out) != 0;
    if (failed || rename(temporary, path) != 0) {
        fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
        unlink(temporary);
        free(temporary);
        return -1;
    }
    free(temporary);
    return 0;
}
