/* Writing output files so that readers see the old contents or the new,
 * never a half-written file: each is written to a temporary file next to
 * it, and renamed over it only once every file of the set is written.
 * A symbolic link is followed: the file it names is replaced, the link
 * stays. An existing file that is not a regular one (a FIFO, a terminal,
 * /dev/stdout, /dev/null) cannot be replaced by renaming: it is written
 * directly, before any rename. A directory, or an empty path, is refused. */
#ifndef POOLHEAP_TOOL_ATOMIC_FILE_H
#define POOLHEAP_TOOL_ATOMIC_FILE_H

#include <stddef.h>
#include <stdio.h>

/* One file to write: `write(out, context)` returns 0 or -1. */
typedef struct ph_output {
    const char *path;
    int (*write)(FILE *out, const void *context);
    const void *context;
} ph_output_t;

/* Writes every file of `outputs`. Returns 0, or -1 with the path and the
 * reason printed to stderr; then no regular file was replaced and the
 * temporary files are removed (a rename that fails after others succeeded,
 * which the checks made beforehand leave to hardware faults, is reported
 * the same way). */
int ph_write_outputs(const ph_output_t *outputs, size_t count);

/* Makes directory `path` and its missing parents (rwxr-xr-x, less the
 * umask); 0 if it exists then, else -1 with a message. */
int ph_make_directory(const char *path);

/* ph_write_outputs for one file. */
int ph_write_atomically(const char *path, int (*write)(FILE *out, const void *context), const void *context);

#endif /* POOLHEAP_TOOL_ATOMIC_FILE_H */
