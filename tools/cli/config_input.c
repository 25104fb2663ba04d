#include "config_input.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "escape/escape.h"

int ph_load_config(const char *path, const ph_target_t *target, ph_config_t *config) {
    char error[512];
    if (ph_config_load(path, target, config, error, sizeof error) != 0) {
        ph_error_line("%s", error);
        return PH_EXIT_INVALID;
    }
    return PH_EXIT_OK;
}

int ph_load_heap(const char *path, const char *name, const ph_target_t *target, ph_config_t *config,
                 const ph_heap_config_t **heap) {
    if (ph_load_config(path, target, config) != PH_EXIT_OK) {
        return PH_EXIT_INVALID;
    }
    *heap = NULL;
    for (size_t i = 0u; i < config->count && *heap == NULL; i++) {
        *heap = strcmp(config->heaps[i].name, name != NULL ? name : "main") == 0 ? &config->heaps[i] : NULL;
    }
    if (*heap == NULL && name == NULL && config->count == 1u) {
        *heap = &config->heaps[0];
    }
    if (*heap == NULL) {
        ph_error_line("%s: no heap named '%s' (use --heap)", path, name != NULL ? name : "main");
        return PH_EXIT_INVALID;
    }
    return PH_EXIT_OK;
}
