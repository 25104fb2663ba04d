/* Reading a whole small file from inside malloc: open, fstat, read and mmap
 * only (no stdio, no malloc, no locks), so it works while the C library
 * holds any of its locks. */
#ifndef POOLHEAP_PRELOAD_WHOLE_FILE_H
#define POOLHEAP_PRELOAD_WHOLE_FILE_H

#include <stddef.h>

/* A file's bytes in a private anonymous mapping. */
typedef struct ph_whole_file {
    char *text;
    size_t length;
    size_t mapped; /* bytes mapped at text */
} ph_whole_file_t;

/* Reads `path` (a regular file, a pipe or a device; not a directory) if it
 * holds at most `limit` bytes. Returns 0, or an errno value: the one open or
 * read failed with, EISDIR for a directory, EFBIG for a file longer than
 * `limit`, ENOMEM if no mapping could be made. Time: linear in the file. */
int ph_whole_file_read(const char *path, size_t limit, ph_whole_file_t *out);

/* Unmaps what ph_whole_file_read mapped; safe after a failure. */
void ph_whole_file_release(ph_whole_file_t *file);

#endif /* POOLHEAP_PRELOAD_WHOLE_FILE_H */
