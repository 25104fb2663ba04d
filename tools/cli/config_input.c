#include "config_input.h"

#include <stdio.h>

#include "cli.h"

int ph_load_config(const char *path, const ph_target_t *target, ph_config_t *config) {
    char error[512];
    if (ph_config_load(path, target, config, error, sizeof error) != 0) {
        fprintf(stderr, "%s\n", error);
        return PH_EXIT_INVALID;
    }
    return PH_EXIT_OK;
}
