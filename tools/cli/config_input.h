/* Reading a heap configuration for a subcommand. */
#ifndef POOLHEAP_TOOL_CONFIG_INPUT_H
#define POOLHEAP_TOOL_CONFIG_INPUT_H

#include "config/config.h"

/* Loads and validates the TOML file `path` for `target`. Returns PH_EXIT_OK,
 * or prints the one-line "FILE:LINE:COL: message" to stderr and returns
 * PH_EXIT_INVALID (nothing left allocated). */
int ph_load_config(const char *path, const ph_target_t *target, ph_config_t *config);

/* Loads `path` as ph_load_config and picks one heap of it: `name`, else
 * "main", else its only heap, into *heap (pointing into *config). Returns
 * PH_EXIT_OK, or prints why not ("FILE: no heap named ..." or the
 * configuration error) and returns PH_EXIT_INVALID. O(file size). */
int ph_load_heap(const char *path, const char *name, const ph_target_t *target, ph_config_t *config,
                 const ph_heap_config_t **heap);

#endif /* POOLHEAP_TOOL_CONFIG_INPUT_H */
