#include "registry.h"

#include <stdlib.h>
#include <string.h>

#define HISTORY 64u

static device_t **find(registry_t *registry, unsigned id) {
    device_t **link = &registry->devices;
    while (*link != NULL && (*link)->id != id) {
        link = &(*link)->next;
    }
    return link;
}

static void device_free(device_t *device) {
    while (device->tags != NULL) {
        tag_t *tag = device->tags;
        device->tags = tag->next;
        free(tag->name);
        free(tag);
    }
    free(device->readings);
    free(device->name);
    free(device);
}

/* Splits "a,b,c" into a list of tags; returns -1 if memory ran out. */
static int add_tags(device_t *device, const char *list) {
    while (*list != '\0') {
        size_t length = strcspn(list, ",");
        tag_t *tag = malloc(sizeof *tag);
        char *name = malloc(length + 1u);
        if (tag == NULL || name == NULL) {
            free(tag);
            free(name);
            return -1;
        }
        memcpy(name, list, length);
        name[length] = '\0';
        *tag = (tag_t){name, device->tags};
        device->tags = tag;
        list += length + (list[length] == ',');
    }
    return 0;
}

static int do_register(registry_t *registry, unsigned id, const char **cursor) {
    device_t **link = find(registry, id);
    if (*link != NULL) {
        device_t *old = *link;
        *link = old->next;
        device_free(old);
    }
    device_t *device = calloc(1u, sizeof *device);
    if (device == NULL) {
        return -1;
    }
    device->id = id;
    char *tags = NULL;
    device->name = text_next_word(cursor);
    if (device->name == NULL || (tags = text_next_word(cursor)) == NULL || add_tags(device, tags) != 0) {
        free(tags);
        device_free(device);
        return -1;
    }
    free(tags);
    device->next = registry->devices;
    registry->devices = device;
    return 0;
}

static int do_put(device_t *device, int value) {
    if (device->count == device->capacity) {
        if (device->capacity == HISTORY) { /* full: forget the oldest half */
            memmove(device->readings, device->readings + HISTORY / 2u, HISTORY / 2u * sizeof(int));
            device->count = HISTORY / 2u;
        } else {
            unsigned capacity = device->capacity ? device->capacity * 2u : 2u;
            int *grown = realloc(device->readings, capacity * sizeof(int));
            if (grown == NULL) {
                return -1;
            }
            device->readings = grown;
            device->capacity = capacity;
        }
    }
    device->readings[device->count++] = value;
    return 0;
}

static int describe(const device_t *device, text_t *reply) {
    long sum = 0;
    int low = 0, high = 0;
    for (unsigned i = 0; i < device->count; i++) {
        int v = device->readings[i];
        sum += v;
        low = i == 0 || v < low ? v : low;
        high = i == 0 || v > high ? v : high;
    }
    int failed = text_printf(reply, "%u %s n=%u min=%d max=%d sum=%ld tags=", device->id, device->name, device->count,
                             low, high, sum);
    for (const tag_t *tag = device->tags; tag != NULL && !failed; tag = tag->next) {
        failed = text_printf(reply, "%s%s", tag->name, tag->next ? "," : "");
    }
    return failed ? -1 : text_printf(reply, "\n");
}

void registry_handle(registry_t *registry, const char *line, text_t *reply) {
    const char *cursor = line;
    char *verb = text_next_word(&cursor);
    char *argument = text_next_word(&cursor);
    unsigned id = argument ? (unsigned)strtoul(argument, NULL, 10) : 0u;
    device_t *device = *find(registry, id);
    int failed = 0;
    if (verb == NULL) {
        failed = -1;
    } else if (strcmp(verb, "REG") == 0) {
        failed = do_register(registry, id, &cursor);
    } else if (strcmp(verb, "PUT") == 0 && device != NULL) {
        char *value = text_next_word(&cursor);
        failed = value == NULL || do_put(device, atoi(value)) != 0;
        free(value);
    } else if (strcmp(verb, "GET") == 0 && device != NULL) {
        failed = describe(device, reply);
    } else if (strcmp(verb, "DEL") == 0 && device != NULL) {
        device_t **link = find(registry, id);
        *link = device->next;
        device_free(device);
    } else if (strcmp(verb, "SUM") == 0) {
        for (const device_t *d = registry->devices; d != NULL && !failed; d = d->next) {
            failed = describe(d, reply);
        }
    }
    registry->failures += failed != 0;
    free(argument);
    free(verb);
}

void registry_clear(registry_t *registry) {
    while (registry->devices != NULL) {
        device_t *device = registry->devices;
        registry->devices = device->next;
        device_free(device);
    }
}
