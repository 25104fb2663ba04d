/* Escaped text for SVG and HTML (markup.h). */
#include "markup.h"

/* The entity for a character special to XML and HTML, or NULL. */
static const char *entity(char c) {
    return c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : c == '"' ? "&quot;" : NULL;
}

void ph_put_escaped(FILE *out, const char *text) {
    for (; *text != '\0'; text++) {
        const char *replacement = entity(*text);
        if (replacement != NULL) {
            fputs(replacement, out);
        } else {
            fputc(*text, out);
        }
    }
}
