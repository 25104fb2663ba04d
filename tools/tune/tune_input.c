/* Size classes and compact operations: see tune_input.h. */
#include "tune_input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The block value a request needs: size (0 counts as 1) rounded up to the
 * word, or to the alignment when that is larger. 0 if it exceeds 32 bits. */
static uint64_t ph_request_value(uint32_t size, uint32_t align, uint32_t word) {
    uint64_t unit = align > word ? align : word;
    uint64_t value = ((uint64_t)(size ? size : 1u) + unit - 1u) / unit * unit;
    return value > UINT32_MAX ? 0u : value;
}

static int ph_compare_u32(const void *a, const void *b) {
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static unsigned ph_log2(uint32_t pow2) {
    unsigned k = 0u;
    while (pow2 > 1u) {
        pow2 >>= 1u;
        k++;
    }
    return k;
}

size_t ph_tune_class_at_least(const ph_tune_input_t *input, uint64_t value) {
    size_t lo = 0u, hi = input->class_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2u;
        if (input->values[mid] < value) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    return lo;
}

/* A set of distinct values: open addressing, 0 marks an empty slot (no
 * value is 0). */
typedef struct ph_value_set {
    uint32_t *slots;
    size_t mask, count;
} ph_value_set_t;

static int ph_set_insert(ph_value_set_t *set, uint32_t value);

static int ph_set_grow(ph_value_set_t *set) {
    ph_value_set_t bigger = {calloc(2u * (set->mask + 1u), sizeof *set->slots), 2u * set->mask + 1u, 0u};
    if (bigger.slots == NULL) {
        return -1;
    }
    for (size_t i = 0u; i <= set->mask; i++) {
        if (set->slots[i] != 0u) {
            ph_set_insert(&bigger, set->slots[i]);
        }
    }
    free(set->slots);
    *set = bigger;
    return 0;
}

/* Returns 0, or -1 if memory runs out. */
static int ph_set_insert(ph_value_set_t *set, uint32_t value) {
    size_t i = (value * 2654435761u) & set->mask;
    while (set->slots[i] != 0u && set->slots[i] != value) {
        i = (i + 1u) & set->mask;
    }
    if (set->slots[i] == 0u) {
        set->slots[i] = value;
        if (++set->count * 2u > set->mask && ph_set_grow(set) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Collects the sorted distinct request values of all traces. */
static int ph_collect_values(const ph_trace_t *traces, size_t count, ph_tune_input_t *out, char *error,
                             size_t error_size) {
    ph_value_set_t set = {calloc(1024u, sizeof *set.slots), 1023u, 0u};
    uint64_t largest = 0u, strictest = 1u;
    int status = set.slots != NULL ? 0 : -1;
    for (size_t t = 0u; t < count && status == 0; t++) {
        for (size_t i = 0u; i < traces[t].count && status == 0; i++) {
            const ph_event_t *e = &traces[t].events[i];
            if (e->kind != PH_EVENT_ALLOC && !(e->kind == PH_EVENT_REALLOC && e->size != 0u)) {
                continue;
            }
            uint64_t value = ph_request_value(e->size, e->kind == PH_EVENT_ALLOC ? e->align : 1u, out->word);
            if (value == 0u) {
                snprintf(error, error_size, "trace %zu, event %zu: a request of %u bytes (alignment %u) is too large",
                         t + 1u, i, e->size, e->align);
                free(set.slots);
                return -1;
            }
            status = ph_set_insert(&set, (uint32_t)value);
            largest = value > largest ? value : largest;
            strictest = e->kind == PH_EVENT_ALLOC && e->align > strictest ? e->align : strictest;
        }
    }
    /* A block that can serve every request, aligned ones included, so that
     * a layout of one pool always exists. */
    uint64_t top = (largest + strictest - 1u) / strictest * strictest;
    if (status == 0 && largest != 0u && top != largest && top <= UINT32_MAX) {
        status = ph_set_insert(&set, (uint32_t)top);
    }
    if (status == 0 && (set.count == 0u || set.count > PH_TUNE_MAX_CLASSES)) {
        snprintf(error, error_size,
                 set.count ? "too many distinct sizes (%zu, at most %u)" : "the traces allocate nothing", set.count,
                 PH_TUNE_MAX_CLASSES);
        free(set.slots);
        return -1;
    }
    out->values = status == 0 ? malloc(set.count * sizeof *out->values) : NULL;
    out->align_need = status == 0 ? malloc(set.count * sizeof *out->align_need) : NULL;
    if (out->values == NULL || out->align_need == NULL) {
        snprintf(error, error_size, "out of memory");
        free(set.slots);
        return -1;
    }
    size_t n = 0u;
    for (size_t i = 0u; i <= set.mask; i++) {
        if (set.slots[i] != 0u) {
            out->values[n++] = set.slots[i];
        }
    }
    free(set.slots);
    qsort(out->values, n, sizeof *out->values, ph_compare_u32);
    out->class_count = n;
    for (size_t c = 0u; c < n; c++) {
        out->align_need[c] = 1u;
    }
    return 0;
}

/* Rewrites one trace's events as operations; tracks the live requested
 * bytes. Returns 0 or -1 (bad object id, no memory). */
static int ph_compile_trace(const ph_trace_t *trace, ph_tune_input_t *in, ph_tune_trace_t *out, uint64_t *peak) {
    out->ops = malloc((trace->count ? trace->count : 1u) * sizeof *out->ops);
    uint32_t *size = malloc((trace->objects ? trace->objects : 1u) * sizeof *size);
    uint8_t *live = calloc(trace->objects ? trace->objects : 1u, 1u);
    int status = out->ops && size && live ? 0 : -1;
    uint64_t bytes = 0u;
    out->objects = trace->objects;
    out->count = 0u;
    for (size_t i = 0u; i < trace->count && status == 0; i++) {
        const ph_event_t *e = &trace->events[i];
        if (e->kind == PH_EVENT_FAIL) {
            continue;
        }
        if (e->object >= trace->objects) {
            status = -1;
            break;
        }
        uint32_t o = e->object;
        ph_tune_op_t op = {o, 0u, PH_TUNE_FREE, 0u};
        if (e->kind == PH_EVENT_ALLOC) {
            uint32_t align = e->align > in->word ? e->align : 1u;
            op.kind = PH_TUNE_ALLOC;
            op.cls = (uint16_t)ph_tune_class_at_least(in, ph_request_value(e->size, align, in->word));
            op.align_shift = (uint8_t)ph_log2(align);
            in->align_need[op.cls] = align > in->align_need[op.cls] ? align : in->align_need[op.cls];
            bytes -= live[o] ? size[o] : 0u;
            live[o] = 1u;
            size[o] = e->size;
            bytes += e->size;
        } else if (!live[o]) {
            continue;
        } else if (e->kind == PH_EVENT_REALLOC && e->size != 0u) {
            op.kind = PH_TUNE_REALLOC;
            op.cls = (uint16_t)ph_tune_class_at_least(in, ph_request_value(e->size, 1u, in->word));
            bytes += (uint64_t)e->size - size[o];
            size[o] = e->size;
        } else {
            live[o] = 0u;
            bytes -= size[o];
        }
        *peak = bytes > *peak ? bytes : *peak;
        out->ops[out->count++] = op;
    }
    free(size);
    free(live);
    return status;
}

int ph_tune_input_build(const ph_trace_t *traces, size_t count, uint32_t word, ph_tune_input_t *out, char *error,
                        size_t error_size) {
    memset(out, 0, sizeof *out);
    out->word = word;
    if (ph_collect_values(traces, count, out, error, error_size) != 0) {
        ph_tune_input_free(out);
        return -1;
    }
    out->traces = calloc(count ? count : 1u, sizeof *out->traces);
    if (out->traces == NULL) {
        snprintf(error, error_size, "out of memory");
        ph_tune_input_free(out);
        return -1;
    }
    out->trace_count = count;
    for (size_t t = 0u; t < count; t++) {
        out->events += traces[t].count;
        for (size_t i = 0u; i < traces[t].count; i++) {
            uint32_t size = traces[t].events[i].size;
            out->largest_request = size > out->largest_request ? size : out->largest_request;
        }
        uint64_t peak = 0u;
        if (ph_compile_trace(&traces[t], out, &out->traces[t], &peak) != 0) {
            snprintf(error, error_size, "trace %zu: an object id is out of range, or out of memory", t + 1u);
            ph_tune_input_free(out);
            return -1;
        }
        out->peak_live_bytes = peak > out->peak_live_bytes ? peak : out->peak_live_bytes;
    }
    return 0;
}

void ph_tune_input_free(ph_tune_input_t *input) {
    for (size_t t = 0u; t < input->trace_count; t++) {
        free(input->traces[t].ops);
    }
    free(input->traces);
    free(input->values);
    free(input->align_need);
    memset(input, 0, sizeof *input);
}
