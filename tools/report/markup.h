/* Text inside the SVG and HTML the report writes. */
#ifndef POOLHEAP_REPORT_MARKUP_H
#define POOLHEAP_REPORT_MARKUP_H

#include <stdio.h>

/* Writes `text` with the characters special to XML and HTML (& < > ")
 * escaped, so any trace or file name shows as itself. */
void ph_put_escaped(FILE *out, const char *text);

#endif /* POOLHEAP_REPORT_MARKUP_H */
