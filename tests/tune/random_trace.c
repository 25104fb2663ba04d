/* Random traces for the tuner's tests: see random_trace.h. */
#include "random_trace.h"

#include <stdio.h>
#include <stdlib.h>

uint32_t random_below(uint64_t *state, uint32_t n) {
    uint64_t x = *state;
    x ^= x << 13u;
    x ^= x >> 7u;
    x ^= x << 17u;
    *state = x;
    return (uint32_t)((x >> 11u) % n);
}

static void *checked(void *p) {
    if (p == NULL) {
        fputs("random_trace: out of memory\n", stderr);
        abort();
    }
    return p;
}

static ph_event_t random_alloc(uint64_t *state, const random_trace_spec_t *spec, uint32_t object) {
    ph_event_t e = {
        .kind = PH_EVENT_ALLOC, .size = random_below(state, spec->max_size + 1u), .align = 1u, .object = object};
    if (random_below(state, 100u) < spec->aligned_percent && spec->max_align >= 2u) {
        uint32_t shifts = 0u;
        while ((2u << shifts) <= spec->max_align) {
            shifts++;
        }
        e.align = 2u << random_below(state, shifts);
    }
    return e;
}

ph_trace_t random_trace(uint64_t *state, const random_trace_spec_t *spec) {
    size_t capacity = spec->events + spec->max_live + 1u;
    ph_event_t *events = checked(malloc(capacity * sizeof *events));
    uint32_t *live = checked(malloc(capacity * sizeof *live));
    uint32_t *size = checked(malloc(capacity * sizeof *size));
    size_t n = 0u, live_count = 0u;
    uint32_t objects = 0u;
    while (n < spec->events) {
        if (live_count == 0u || (live_count < spec->max_live && random_below(state, 2u) == 0u)) {
            events[n] = random_alloc(state, spec, objects);
            size[objects] = events[n++].size;
            live[live_count++] = objects++;
            continue;
        }
        size_t k = random_below(state, (uint32_t)live_count);
        uint32_t o = live[k];
        if (random_below(state, 100u) < spec->realloc_percent) {
            uint32_t s = 1u + random_below(state, spec->max_size);
            events[n++] =
                (ph_event_t){.kind = PH_EVENT_REALLOC, .size = s, .old_size = size[o], .align = 1u, .object = o};
            size[o] = s;
        } else {
            events[n++] = (ph_event_t){.kind = PH_EVENT_FREE, .size = size[o], .align = 1u, .object = o};
            live[k] = live[--live_count];
        }
    }
    while (live_count > 0u) {
        uint32_t o = live[--live_count];
        events[n++] = (ph_event_t){.kind = PH_EVENT_FREE, .size = size[o], .align = 1u, .object = o};
    }
    free(live);
    free(size);
    return (ph_trace_t){.events = events, .count = n, .objects = objects, .pointer_size = spec->pointer_size};
}

void random_trace_free(ph_trace_t *trace) {
    free(trace->events);
    trace->events = NULL;
    trace->count = 0u;
}
