/* Output files: temporary files, then renames (POSIX); see atomic_file.h. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "atomic_file.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape/escape.h"

/* What becomes of one output. */
typedef struct staged {
    char *target;    /* the file replaced: the path, or what its symbolic links name */
    char *temporary; /* written, waiting for the rename; NULL when written directly */
    int direct;      /* an existing file that is not regular: written in place */
} staged_t;

static int fail(const char *path, const char *what, int error) {
    ph_error_line("%s: %s: %s", path, what, strerror(error));
    return -1;
}

/* Writes `o` into the open `out` and closes it; 0, or -1 with errno set. */
static int write_and_close(const ph_output_t *o, FILE *out) {
    errno = 0;
    int failed = o->write(out, o->context) != 0;
    failed |= fflush(out) != 0;
    failed |= ferror(out);
    int error = errno;
    failed |= fclose(out) != 0;
    if (failed && errno == 0) {
        errno = error != 0 ? error : EIO;
    }
    return failed ? -1 : 0;
}

/* Decides how `o` is written; for a regular file (or a new one) writes the
 * temporary file. 0, or -1 with a message. */
static int stage(const ph_output_t *o, staged_t *s) {
    struct stat st, link;
    if (o->path[0] == '\0') {
        ph_error_line("an empty path is no output file");
        return -1;
    }
    int exists = stat(o->path, &st) == 0, is_link = lstat(o->path, &link) == 0 && S_ISLNK(link.st_mode);
    if (exists && S_ISDIR(st.st_mode)) {
        return fail(o->path, "cannot write", EISDIR);
    }
    s->direct = (exists && !S_ISREG(st.st_mode)) || (is_link && !exists); /* devices, FIFOs; dangling links */
    s->target = s->direct || !is_link ? strdup(o->path) : realpath(o->path, NULL);
    if (s->target == NULL) {
        return fail(o->path, "cannot resolve", errno);
    }
    if (s->direct) {
        return 0;
    }
    size_t n = strlen(s->target);
    s->temporary = malloc(n + sizeof ".tmpXXXXXX");
    if (s->temporary == NULL) {
        return fail(o->path, "cannot write", ENOMEM);
    }
    memcpy(s->temporary, s->target, n);
    memcpy(s->temporary + n, ".tmpXXXXXX", sizeof ".tmpXXXXXX");
    int fd = mkstemp(s->temporary);
    FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (out == NULL) {
        int error = errno;
        if (fd >= 0) {
            close(fd);
            unlink(s->temporary);
        }
        free(s->temporary);
        s->temporary = NULL;
        return fail(o->path, "cannot create a temporary file", error);
    }
    /* A file replaced keeps its permissions; a new one gets rw-r--r--. */
    if (fchmod(fd, exists ? st.st_mode & 07777u : 0644u) != 0 || write_and_close(o, out) != 0) {
        int error = errno;
        unlink(s->temporary);
        free(s->temporary);
        s->temporary = NULL;
        return fail(o->path, "cannot write", error);
    }
    return 0;
}

static int write_direct(const ph_output_t *o) {
    fflush(stdout); /* what the command printed comes first, when the file is standard output itself */
    FILE *out = fopen(o->path, "w");
    if (out == NULL || write_and_close(o, out) != 0) {
        return fail(o->path, "cannot write", errno);
    }
    return 0;
}

int ph_write_outputs(const ph_output_t *outputs, size_t count) {
    staged_t *staged = calloc(count, sizeof *staged);
    if (staged == NULL) {
        return fail(count > 0u ? outputs[0].path : "", "cannot write", ENOMEM);
    }
    int result = 0;
    for (size_t i = 0u; i < count && result == 0; i++) {
        result = stage(&outputs[i], &staged[i]);
    }
    for (size_t i = 0u; i < count && result == 0; i++) { /* files that cannot be renamed over, first */
        result = staged[i].direct ? write_direct(&outputs[i]) : 0;
    }
    for (size_t i = 0u; i < count && result == 0; i++) {
        if (staged[i].temporary != NULL && rename(staged[i].temporary, staged[i].target) != 0) {
            result = fail(outputs[i].path, "cannot write", errno);
        } else if (staged[i].temporary != NULL) {
            free(staged[i].temporary);
            staged[i].temporary = NULL;
        }
    }
    for (size_t i = 0u; i < count; i++) {
        if (staged[i].temporary != NULL) {
            unlink(staged[i].temporary);
            free(staged[i].temporary);
        }
        free(staged[i].target);
    }
    free(staged);
    return result;
}

int ph_write_atomically(const char *path, int (*write)(FILE *out, const void *context), const void *context) {
    ph_output_t output = {path, write, context};
    return ph_write_outputs(&output, 1u);
}

int ph_make_directory(const char *path) {
    char *partial = strdup(path);
    if (partial == NULL) {
        return fail(path, "cannot make the directory", ENOMEM);
    }
    int result = 0;
    for (char *slash = partial + 1; result == 0; slash++) { /* each prefix ending before a '/', then the whole */
        if (*slash != '/' && *slash != '\0') {
            continue;
        }
        char kept = *slash;
        *slash = '\0';
        struct stat st;
        if (mkdir(partial, 0755) != 0 && (errno != EEXIST || stat(partial, &st) != 0 || !S_ISDIR(st.st_mode))) {
            result = fail(partial, "cannot make the directory", errno == EEXIST ? ENOTDIR : errno);
        }
        *slash = kept;
        if (kept == '\0') {
            break;
        }
    }
    free(partial);
    return result;
}
