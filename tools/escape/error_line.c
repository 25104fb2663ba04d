/* One-line error messages (error_line.h). */
#include "error_line.h"

#include <stdarg.h>

void ph_put_controls_escaped(FILE *out, const char *text) {
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c == '\n' || *c == '\r' || *c == '\t') {
            fprintf(out, "\\%c", *c == '\n' ? 'n' : *c == '\r' ? 'r' : 't');
        } else if (*c < 0x20u || *c == 0x7Fu) {
            fprintf(out, "\\x%02x", *c);
        } else {
            fputc(*c, out);
        }
    }
}

void ph_error_line(const char *format, ...) {
    char text[4096];
    va_list args;
    va_start(args, format);
    int n = vsnprintf(text, sizeof text, format, args);
    va_end(args);
    if (n < 0) {
        return;
    }
    ph_put_controls_escaped(stderr, text);
    fputc('\n', stderr);
}
