/* Writing a file so that readers see the old contents or the new, never a
 * half-written file: write a temporary file next to it, then rename. */
#ifndef POOLHEAP_TOOL_ATOMIC_FILE_H
#define POOLHEAP_TOOL_ATOMIC_FILE_H

#include <stdio.h>

/* Writes `path` with `write(out, context)`, which returns 0 or -1. Returns
 * 0, or -1 with the path and the reason printed to stderr; the temporary
 * file is removed and `path` left as it was. */
int ph_write_atomically(const char *path, int (*write)(FILE *out, const void *context), const void *context);

#endif /* POOLHEAP_TOOL_ATOMIC_FILE_H */
