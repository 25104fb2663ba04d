/* The telemetry service's state: devices with a name, tags and a growing
 * history of readings, kept in a linked list. */
#ifndef TELEMETRY_REGISTRY_H
#define TELEMETRY_REGISTRY_H

#include "text.h"

typedef struct tag {
    char *name;
    struct tag *next;
} tag_t;

typedef struct device {
    unsigned id;
    char *name;
    tag_t *tags;
    int *readings; /* grows by doubling, up to HISTORY */
    unsigned count, capacity;
    struct device *next;
} device_t;

typedef struct registry {
    device_t *devices;
    unsigned failures; /* requests refused for want of memory */
} registry_t;

/* Handles one request line ("REG id name tag,tag", "PUT id value",
 * "GET id", "DEL id", "SUM") and appends the answer to `reply`. */
void registry_handle(registry_t *registry, const char *line, text_t *reply);

void registry_clear(registry_t *registry);

#endif
