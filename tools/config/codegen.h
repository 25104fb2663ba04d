/* The C code `poolheap gen` emits: a header declaring every heap and a
 * source defining them with the core library's POOLHEAP_DEFINE macros. */
#ifndef POOLHEAP_TOOL_CODEGEN_H
#define POOLHEAP_TOOL_CODEGEN_H

#include <stdio.h>

#include "heap_config.h"

/* The names of the generated files in the output directory. */
#define PH_GEN_HEADER "poolheap_heaps.h"
#define PH_GEN_SOURCE "poolheap_heaps.c"

/* What the emitters work from: a validated configuration. */
typedef struct ph_codegen {
    const ph_config_t *config;
    const char *source_name; /* the TOML file, as named in the comments */
    uint32_t pointer_size;
} ph_codegen_t;

/* Write poolheap_heaps.h / poolheap_heaps.c for `context` (a ph_codegen_t)
 * to `out`; return 0, or -1 if writing failed. */
int ph_emit_header(FILE *out, const void *context);
int ph_emit_source(FILE *out, const void *context);

#endif /* POOLHEAP_TOOL_CODEGEN_H */
