/* Trace file decoder (docs/trace-format.md): bytes -> ph_trace_t. */
#define _POSIX_C_SOURCE 200809L

#include "trace_reader.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "address_map.h"
#include "escape/escape.h"
#include "grow_array.h"
#include "poolheap/trace.h"
#include "site_table.h"

#define PH_PROGRESS_BYTES (64u << 20)    /* progress on stderr from this size... */
#define PH_PROGRESS_TTY_BYTES (4u << 20) /* ...or from this one on a terminal */

/* The decoder's state: input, position, output so far and live objects. */
typedef struct ph_decoder {
    const uint8_t *data;
    size_t size, at, record; /* `record`: offset of the record being decoded */
    const char *name;
    char *error;
    size_t error_size;
    int has_time, has_callers, lenient, progress;
    unsigned version;
    uint64_t address_limit;
    ph_trace_t *out;
    size_t event_capacity;
    uint32_t *sizes; /* per object: its current requested size */
    size_t size_capacity;
    ph_address_map_t live;
    ph_site_table_t sites;
    size_t map_capacity;
} ph_decoder_t;

/* Formats "NAME: byte N: reason" into the error buffer; returns -1. */
static int ph_fail_at(ph_decoder_t *d, size_t offset, const char *format, ...) {
    int n = snprintf(d->error, d->error_size, "%s: byte %zu: ", d->name, offset);
    if (n >= 0 && (size_t)n < d->error_size) {
        va_list args;
        va_start(args, format);
        vsnprintf(d->error + n, d->error_size - (size_t)n, format, args);
        va_end(args);
    }
    return -1;
}

static int ph_get_varint(ph_decoder_t *d, uint64_t *value) {
    uint64_t v = 0u;
    for (unsigned shift = 0u;; shift += 7u) {
        if (d->at >= d->size) {
            return ph_fail_at(d, d->record, "truncated record");
        }
        uint8_t byte = d->data[d->at++];
        /* The tenth byte holds bit 63 alone, and no continuation: so this
         * loop ends by the tenth byte. */
        if (shift == 63u && byte > 1u) {
            return ph_fail_at(d, d->at - 1u, "varint exceeds 64 bits");
        }
        v |= (uint64_t)(byte & 0x7Fu) << shift;
        if (!(byte & 0x80u)) {
            *value = v;
            return 0;
        }
    }
}

static int ph_get_address(ph_decoder_t *d, uint64_t *address) {
    size_t at = d->at;
    if (ph_get_varint(d, address) != 0) {
        return -1;
    }
    if (*address > d->address_limit) {
        return ph_fail_at(d, at, "address 0x%" PRIx64 " wider than the trace's pointer size", *address);
    }
    return 0;
}

static uint32_t ph_saturate(uint64_t value) {
    return value > UINT32_MAX ? UINT32_MAX : (uint32_t)value;
}

static int ph_push_event(ph_decoder_t *d, const ph_event_t *event) {
    ph_trace_t *t = d->out;
    if (t->count == d->event_capacity) {
        ph_event_t *events = ph_grow_array(t->events, &d->event_capacity, t->count + 1u, sizeof *events);
        if (events == NULL) {
            return ph_fail_at(d, d->record, "out of memory");
        }
        t->events = events;
    }
    t->events[t->count++] = *event;
    return 0;
}

/* A new object at `address` with requested `size`. */
static int ph_new_object(ph_decoder_t *d, uint64_t address, uint32_t size, uint32_t *object) {
    ph_trace_t *t = d->out;
    if (t->objects == UINT32_MAX) {
        return ph_fail_at(d, d->record, "more than 2^32 - 1 objects");
    }
    if (t->objects == d->size_capacity) {
        uint32_t *sizes = ph_grow_array(d->sizes, &d->size_capacity, (size_t)t->objects + 1u, sizeof *sizes);
        if (sizes == NULL) {
            return ph_fail_at(d, d->record, "out of memory");
        }
        d->sizes = sizes;
    }
    *object = t->objects++;
    d->sizes[*object] = size;
    if (ph_address_map_insert(&d->live, address, *object) != 0) {
        return ph_fail_at(d, d->record, "out of memory");
    }
    return 0;
}

/* Ends the live object in `slot` with a FREE event stamped like `like`. */
static int ph_end_object(ph_decoder_t *d, ph_address_slot_t *slot, const ph_event_t *like) {
    ph_event_t event = *like;
    event.kind = PH_EVENT_FREE;
    event.op = POOLHEAP_TRACE_FREE;
    event.fallback = 0u;
    event.object = slot->object;
    event.size = d->sizes[slot->object];
    event.old_size = 0u;
    event.align = 1u;
    ph_address_map_remove(&d->live, slot);
    return ph_push_event(d, &event);
}

/* Makes `address` free for a new object: an error if it is live, unless
 * records were dropped (then the old object's free was lost: end it). */
static int ph_claim_address(ph_decoder_t *d, uint64_t address, const ph_event_t *like) {
    ph_address_slot_t *slot = ph_address_map_find(&d->live, address);
    if (slot == NULL) {
        return 0;
    }
    if (!d->lenient) {
        return ph_fail_at(d, d->record,
                          "allocation of address 0x%" PRIx64 " which is already live (object %" PRIu32 ")", address,
                          slot->object);
    }
    return ph_end_object(d, slot, like);
}

static int ph_decode_alloc(ph_decoder_t *d, unsigned op, ph_event_t *event) {
    uint64_t size = 0u, align = 1u, address = 0u;
    if (ph_get_varint(d, &size) != 0 || (op != POOLHEAP_TRACE_ALLOC && ph_get_varint(d, &align) != 0) ||
        ph_get_address(d, &address) != 0) {
        return -1;
    }
    if (address == 0u) {
        return ph_fail_at(d, d->record, "allocation at address 0");
    }
    if (align == 0u || (align & (align - 1u)) != 0u) {
        return ph_fail_at(d, d->record, "alignment %" PRIu64 " is not a power of two", align);
    }
    event->kind = PH_EVENT_ALLOC;
    event->size = ph_saturate(size);
    event->align = ph_saturate(align);
    return ph_claim_address(d, address, event) != 0 ? -1 : ph_new_object(d, address, event->size, &event->object);
}

static int ph_decode_realloc(ph_decoder_t *d, ph_event_t *event) {
    uint64_t old_address = 0u, size = 0u, address = 0u;
    if (ph_get_address(d, &old_address) != 0 || ph_get_varint(d, &size) != 0 || ph_get_address(d, &address) != 0) {
        return -1;
    }
    if (address == 0u) {
        return ph_fail_at(d, d->record, "reallocation to address 0");
    }
    event->size = ph_saturate(size);
    ph_address_slot_t *slot = ph_address_map_find(&d->live, old_address);
    if (slot == NULL) {
        if (!d->lenient) {
            return ph_fail_at(d, d->record, "reallocation of address 0x%" PRIx64 " which is not live", old_address);
        }
        event->kind = PH_EVENT_ALLOC; /* its allocation was dropped: start here */
        return ph_claim_address(d, address, event) != 0 ? -1 : ph_new_object(d, address, event->size, &event->object);
    }
    event->kind = PH_EVENT_REALLOC;
    event->object = slot->object;
    event->old_size = d->sizes[slot->object];
    d->sizes[slot->object] = event->size;
    if (address != old_address) {
        ph_address_map_remove(&d->live, slot);
        if (ph_claim_address(d, address, event) != 0) {
            return -1;
        }
        if (ph_address_map_insert(&d->live, address, event->object) != 0) {
            return ph_fail_at(d, d->record, "out of memory");
        }
    }
    return 0;
}

static int ph_decode_free(ph_decoder_t *d, ph_event_t *event) {
    uint64_t address;
    if (ph_get_address(d, &address) != 0) {
        return -1;
    }
    ph_address_slot_t *slot = ph_address_map_find(&d->live, address);
    if (slot == NULL) {
        if (!d->lenient) {
            return ph_fail_at(d, d->record, "free of address 0x%" PRIx64 " which is not live", address);
        }
        event->kind = 0u; /* its allocation was dropped: nothing to free */
        return 0;
    }
    event->kind = PH_EVENT_FREE;
    event->object = slot->object;
    event->size = d->sizes[slot->object];
    ph_address_map_remove(&d->live, slot);
    return 0;
}

/* A MAP record (version 2): where a file of the recorded program lies. */
static int ph_decode_map(ph_decoder_t *d) {
    uint64_t start = 0u, size = 0u, bias = 0u, length = 0u;
    if (ph_get_address(d, &start) != 0 || ph_get_varint(d, &size) != 0 || ph_get_varint(d, &bias) != 0 ||
        ph_get_varint(d, &length) != 0) {
        return -1;
    }
    if (length > POOLHEAP_TRACE_PATH_MAX) {
        return ph_fail_at(d, d->record, "path of %" PRIu64 " bytes (at most %u)", length, POOLHEAP_TRACE_PATH_MAX);
    }
    if (length > d->size - d->at) {
        return ph_fail_at(d, d->record, "truncated record");
    }
    ph_trace_t *t = d->out;
    if (t->map_count == d->map_capacity) {
        size_t capacity = d->map_capacity * 2u + 4u;
        ph_trace_map_t *maps = realloc(t->maps, capacity * sizeof *maps);
        if (maps == NULL) {
            return ph_fail_at(d, d->record, "out of memory");
        }
        t->maps = maps;
        d->map_capacity = capacity;
    }
    char *path = malloc((size_t)length + 1u);
    if (path == NULL) {
        return ph_fail_at(d, d->record, "out of memory");
    }
    memcpy(path, d->data + d->at, (size_t)length);
    path[length] = '\0';
    d->at += (size_t)length;
    t->maps[t->map_count++] = (ph_trace_map_t){start, size, bias, path};
    return 0;
}

/* The caller section of an allocation record (version 2, HAS_CALLERS):
 * interns its frames as the event's site. */
static int ph_decode_callers(ph_decoder_t *d, ph_event_t *event) {
    uint64_t count = 0u, frames[POOLHEAP_TRACE_FRAMES_MAX];
    size_t at = d->at;
    if (ph_get_varint(d, &count) != 0) {
        return -1;
    }
    if (count > POOLHEAP_TRACE_FRAMES_MAX) {
        return ph_fail_at(d, at, "%" PRIu64 " caller frames (at most %u)", count, POOLHEAP_TRACE_FRAMES_MAX);
    }
    for (uint64_t i = 0u; i < count; i++) {
        if (ph_get_address(d, &frames[i]) != 0) {
            return -1;
        }
    }
    if (count > 0u && ph_site_table_intern(&d->sites, frames, (uint32_t)count, &event->site) != 0) {
        return ph_fail_at(d, d->record, "out of memory");
    }
    return 0;
}

static int ph_decode_fail(ph_decoder_t *d, ph_event_t *event) {
    uint64_t op = 0u, size = 0u, align = 0u;
    if (ph_get_varint(d, &op) != 0 || ph_get_varint(d, &size) != 0 || ph_get_varint(d, &align) != 0) {
        return -1;
    }
    if (op < POOLHEAP_TRACE_ALLOC || op > POOLHEAP_TRACE_REALLOC) {
        return ph_fail_at(d, d->record, "failed operation %" PRIu64 " is not an allocation", op);
    }
    event->kind = PH_EVENT_FAIL;
    event->op = (uint8_t)op;
    event->size = ph_saturate(size);
    event->align = ph_saturate(align);
    event->object = PH_NO_OBJECT;
    return 0;
}

/* Decodes the record at d->at; appends its event, if it makes one. */
static int ph_decode_record(ph_decoder_t *d) {
    d->record = d->at;
    uint8_t first = d->data[d->at++];
    unsigned op = first & POOLHEAP_TRACE_OP_MASK;
    ph_event_t event = {0};
    event.op = (uint8_t)op;
    event.fallback = (first & POOLHEAP_TRACE_FALLBACK) != 0u;
    event.align = 1u;
    event.site = PH_NO_SITE;
    if (event.fallback && (op < POOLHEAP_TRACE_ALLOC || op > POOLHEAP_TRACE_REALLOC)) {
        return ph_fail_at(d, d->record, "fallback flag on a record of op %u", op);
    }
    if ((first & POOLHEAP_TRACE_TIMESTAMP) && !d->has_time) {
        return ph_fail_at(d, d->record, "timestamp in a trace whose header has none");
    }
    int result;
    switch (op) {
    case POOLHEAP_TRACE_ALLOC:
    case POOLHEAP_TRACE_ALIGNED:
    case POOLHEAP_TRACE_CALLOC:
        result = ph_decode_alloc(d, op, &event);
        break;
    case POOLHEAP_TRACE_REALLOC:
        result = ph_decode_realloc(d, &event);
        break;
    case POOLHEAP_TRACE_FREE:
        result = ph_decode_free(d, &event);
        break;
    case POOLHEAP_TRACE_FAIL:
        result = ph_decode_fail(d, &event);
        break;
    case POOLHEAP_TRACE_MAP:
        if (d->version < 2u) {
            return ph_fail_at(d, d->record, "unknown op %u", op);
        }
        if (first & POOLHEAP_TRACE_TIMESTAMP) {
            return ph_fail_at(d, d->record, "timestamp flag on a MAP record");
        }
        result = ph_decode_map(d);
        break;
    case POOLHEAP_TRACE_DROPPED: {
        uint64_t count = 0u;
        result = ph_get_varint(d, &count);
        d->out->dropped = count > UINT64_MAX - d->out->dropped ? UINT64_MAX : d->out->dropped + count; /* saturates */
        d->lenient |= count > 0u;
        break;
    }
    default:
        return ph_fail_at(d, d->record, "unknown op %u", op);
    }
    if (result == 0 && (first & POOLHEAP_TRACE_TIMESTAMP)) {
        result = ph_get_varint(d, &event.time);
    }
    if (result == 0 && d->has_callers && poolheap_trace_op_has_callers(op)) {
        result = ph_decode_callers(d, &event);
    }
    return result != 0 || event.kind == 0u ? result : ph_push_event(d, &event);
}

static int ph_decode_header(ph_decoder_t *d) {
    const uint8_t *h = d->data;
    if (d->size < POOLHEAP_TRACE_HEADER_SIZE) {
        return ph_fail_at(d, d->size, "truncated header (%zu of %u bytes)", d->size, POOLHEAP_TRACE_HEADER_SIZE);
    }
    if (memcmp(h, "PHTR", 4u) != 0) {
        return ph_fail_at(d, 0u, "not a poolheap trace (bad magic)");
    }
    if (h[4] < 1u || h[4] > POOLHEAP_TRACE_VERSION) {
        return ph_fail_at(d, 4u, "unsupported format version %u (this reader knows 1 to %u)", h[4],
                          POOLHEAP_TRACE_VERSION);
    }
    if (h[5] != 4u && h[5] != 8u) {
        return ph_fail_at(d, 5u, "pointer size %u is not 4 or 8", h[5]);
    }
    unsigned known = h[4] >= 2u ? POOLHEAP_TRACE_HAS_TIME | POOLHEAP_TRACE_HAS_CALLERS : POOLHEAP_TRACE_HAS_TIME;
    if (h[6] & ~known) {
        return ph_fail_at(d, 6u, "unknown header flags 0x%02x", h[6]);
    }
    if (h[7] != 0u) {
        return ph_fail_at(d, 7u, "reserved header byte is not 0");
    }
    d->out->pointer_size = h[5];
    d->address_limit = h[5] == 4u ? UINT32_MAX : UINT64_MAX;
    d->has_time = (h[6] & POOLHEAP_TRACE_HAS_TIME) != 0u;
    d->has_callers = (h[6] & POOLHEAP_TRACE_HAS_CALLERS) != 0u;
    d->version = h[4];
    d->at = POOLHEAP_TRACE_HEADER_SIZE;
    return 0;
}

/* The name is escaped: a file name may hold any byte but '/' and NUL. */
static void ph_show_progress(const ph_decoder_t *d, unsigned percent) {
    fputc('\r', stderr);
    ph_put_controls_escaped(stderr, d->name);
    fprintf(stderr, ": reading %u%%", percent);
    if (percent == 100u) {
        fputc('\n', stderr);
    }
}

static int ph_decode_all(ph_decoder_t *d) {
    d->event_capacity = d->size / 6u + 16u; /* real records are mostly 6+ bytes: rarely grows */
    d->size_capacity = d->size / 8u + 16u;
    d->out->events = malloc(d->event_capacity * sizeof *d->out->events);
    d->sizes = malloc(d->size_capacity * sizeof *d->sizes);
    if (d->out->events == NULL || d->sizes == NULL || ph_address_map_init(&d->live) != 0 ||
        ph_site_table_init(&d->sites) != 0) {
        return ph_fail_at(d, 0u, "out of memory");
    }
    if (ph_decode_header(d) != 0) {
        return -1;
    }
    size_t step = d->size / 100u + 1u, next = step;
    unsigned percent = 0u;
    while (d->at < d->size) {
        if (ph_decode_record(d) != 0) {
            return -1;
        }
        if (d->progress && d->at >= next) {
            percent = (unsigned)(d->at / step);
            ph_show_progress(d, percent < 100u ? percent : 99u);
            next = (d->at / step + 1u) * step;
        }
    }
    if (d->progress) {
        ph_show_progress(d, 100u);
    }
    return 0;
}

static int ph_decode_with(ph_decoder_t *d) {
    memset(d->out, 0, sizeof *d->out);
    if (d->error_size > 0u) {
        d->error[0] = '\0';
    }
    int result = ph_decode_all(d);
    free(d->sizes);
    ph_address_map_free(&d->live);
    ph_site_table_seal(&d->sites);
    d->out->site_count = d->sites.count;
    d->out->site_start = d->sites.start;
    d->out->site_frames = d->sites.frames;
    if (result != 0) {
        ph_trace_free(d->out);
    }
    return result;
}

int ph_trace_decode(const uint8_t *data, size_t size, const char *name, ph_trace_t *out, char *error,
                    size_t error_size) {
    ph_decoder_t d = {.data = data, .size = size, .name = name, .error = error, .error_size = error_size, .out = out};
    return ph_decode_with(&d);
}

/* Reads all of `file` (a regular file, a pipe, a terminal) into a buffer
 * that grows by doubling; returns it (free it) or NULL with errno set. */
static uint8_t *ph_read_stream(FILE *file, size_t *size) {
    size_t length = 0u, capacity = 1u << 16;
    uint8_t *data = malloc(capacity);
    while (data != NULL) {
        length += fread(data + length, 1u, capacity - length, file);
        if (length < capacity) {
            break; /* end of file, or an error (below) */
        }
        uint8_t *grown = capacity <= SIZE_MAX / 2u ? realloc(data, 2u * capacity) : NULL;
        if (grown == NULL) {
            free(data);
            errno = ENOMEM;
            return NULL;
        }
        data = grown;
        capacity *= 2u;
    }
    if (data != NULL && ferror(file)) {
        free(data);
        return NULL;
    }
    *size = length;
    return data;
}

/* Reads the whole trace at `path` ("-": standard input); returns its bytes
 * (free them) or NULL with a message naming the reason. */
static uint8_t *ph_slurp(const char *path, const char *name, size_t *size, char *error, size_t error_size) {
    int from_stdin = strcmp(path, "-") == 0;
    errno = 0;
    FILE *file = from_stdin ? stdin : fopen(path, "rb");
    struct stat st;
    uint8_t *data = NULL;
    if (file != NULL && fstat(fileno(file), &st) == 0 && S_ISDIR(st.st_mode)) {
        errno = EISDIR; /* reading one fails late and unclearly */
    } else if (file != NULL) {
        data = ph_read_stream(file, size);
    }
    if (data == NULL) {
        snprintf(error, error_size, "%s: %s", name, errno != 0 ? strerror(errno) : "read error");
    }
    if (file != NULL && !from_stdin) {
        fclose(file);
    }
    return data;
}

/* What messages call the input at `path`. */
static const char *ph_input_name(const char *path) {
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int ph_trace_read(const char *path, ph_trace_t *out, char *error, size_t error_size) {
    size_t size = 0u;
    const char *name = ph_input_name(path);
    uint8_t *data = ph_slurp(path, name, &size, error, error_size);
    if (data == NULL) {
        memset(out, 0, sizeof *out);
        return -1;
    }
    ph_decoder_t d = {.data = data, .size = size, .name = name, .error = error, .error_size = error_size, .out = out};
    d.progress = size >= PH_PROGRESS_BYTES || (size >= PH_PROGRESS_TTY_BYTES && isatty(STDERR_FILENO));
    int result = ph_decode_with(&d);
    free(data);
    return result;
}

int ph_trace_read_itm(const char *path, unsigned port, ph_trace_t *out, ph_itm_stats_t *stats, char *error,
                      size_t error_size) {
    size_t size, trace_size = 0u;
    ph_itm_stats_t found;
    errno = 0;
    memset(out, 0, sizeof *out);
    uint8_t *data = ph_slurp(path, ph_input_name(path), &size, error, error_size);
    if (data == NULL) {
        return -1;
    }
    uint8_t *trace = ph_itm_extract(data, size, port, &trace_size, &found);
    free(data);
    if (stats != NULL) {
        *stats = found;
    }
    if (trace != NULL && found.misframed[0] != '\0') {
        snprintf(error, error_size, "%s: byte %zu: ITM port %u: %s", path, found.misframed_at, port, found.misframed);
        free(trace);
        return -1;
    }
    if (trace == NULL || found.records == 0u) {
        snprintf(error, error_size, "%s: %s on ITM port %u (%llu packets elsewhere)", path,
                 trace == NULL ? "out of memory" : "no trace records", port, (unsigned long long)found.other);
        free(trace);
        return -1;
    }
    char name[1024];
    snprintf(name, sizeof name, "%s (ITM port %u)", path, port);
    ph_decoder_t d = {
        .data = trace, .size = trace_size, .name = name, .error = error, .error_size = error_size, .out = out};
    d.progress = size >= PH_PROGRESS_BYTES || (size >= PH_PROGRESS_TTY_BYTES && isatty(STDERR_FILENO));
    int result = ph_decode_with(&d);
    free(trace);
    return result;
}

void ph_trace_free(ph_trace_t *trace) {
    free(trace->events);
    free(trace->site_start);
    free(trace->site_frames);
    for (size_t i = 0u; i < trace->map_count; i++) {
        free(trace->maps[i].path);
    }
    free(trace->maps);
    memset(trace, 0, sizeof *trace);
}
