/* One-line error messages: whatever a message quotes (a path, a key, a
 * string from the input), it reaches stderr as one line, control
 * characters escaped (\n, \r, \t, else \xNN), so that "FILE:LINE:COL:
 * message" stays one line a reader or a script can take apart. */
#ifndef POOLHEAP_TOOLS_ESCAPE_ERROR_LINE_H
#define POOLHEAP_TOOLS_ESCAPE_ERROR_LINE_H

#include <stdio.h>

/* Formats the message (printf rules, at most 4 KiB kept) and writes it to
 * stderr escaped, then one newline. */
void ph_error_line(const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Writes `text` to `out` with its control characters escaped as above (for
 * text quoted in other one-line output: a TOML comment); a write error is
 * left in ferror(out). Time: linear in the length of `text`. */
void ph_put_controls_escaped(FILE *out, const char *text);

#endif /* POOLHEAP_TOOLS_ESCAPE_ERROR_LINE_H */
