/* ITM stream -> trace bytes (itm_stream.h). */
#include "itm_stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow_array.h"
#include "poolheap/trace.h"

/* Header bytes (ARMv7-M ARM, D4.2). */
#define PH_ITM_OVERFLOW 0x70u
#define PH_ITM_SYNC_ZERO 0x00u /* a synchronisation packet: at least 47 zero bits... */
#define PH_ITM_SYNC_END 0x80u  /* ...then a one */
#define PH_ITM_GTS1 0x94u
#define PH_ITM_GTS2 0xB4u
#define PH_ITM_CONTINUE 0x80u /* in timestamp and extension bytes: another byte follows */

typedef struct ph_itm_decoder {
    uint8_t *out;
    size_t out_size, out_capacity;
    int failed; /* out of memory */
    /* The record being collected: its length, sequence number, bytes so
     * far, and the capture offset of its 4-byte packet. */
    int open;
    uint8_t record[POOLHEAP_TRACE_RECORD_MAX];
    size_t length, have, packet_at;
    uint32_t sequence;
    unsigned page;     /* stimulus port page (ARMv8-M): ports 32 * page .. 32 * page + 31 */
    int started;       /* a header is out */
    int ended;         /* a second header came: ignore the rest */
    uint32_t expected; /* the next record's sequence number */
    int callers_known; /* whether allocation records end with a caller section is known: from the header, */
    int callers;       /* or, when it was made up, from the first allocation record */
    ph_itm_stats_t *stats;
} ph_itm_decoder_t;

static void ph_itm_emit(ph_itm_decoder_t *d, const uint8_t *bytes, size_t n) {
    if (d->out_size + n > d->out_capacity) {
        uint8_t *grown = ph_grow_array(d->out, &d->out_capacity, d->out_size + n, 1u);
        if (grown == NULL) {
            d->failed = 1;
            return;
        }
        d->out = grown;
    }
    memcpy(d->out + d->out_size, bytes, n);
    d->out_size += n;
}

/* A DROPPED record of `count` (op byte, then the count as a varint). */
static void ph_itm_emit_dropped(ph_itm_decoder_t *d, uint64_t count) {
    uint8_t bytes[11] = {POOLHEAP_TRACE_DROPPED};
    size_t n = 1u;
    do {
        bytes[n++] = (uint8_t)((count & 0x7Fu) | (count > 0x7Fu ? 0x80u : 0u));
        count >>= 7;
    } while (count != 0u);
    ph_itm_emit(d, bytes, n);
}

static int ph_itm_is_header(const uint8_t *record, size_t length) {
    return length == POOLHEAP_TRACE_HEADER_SIZE && memcmp(record, "PHTR", 4u) == 0;
}

/* The capture began after the header: one for a 32-bit target (the ITM is
 * Cortex-M's) whose records may carry timestamps. */
static void ph_itm_make_up_header(ph_itm_decoder_t *d) {
    const uint8_t header[POOLHEAP_TRACE_HEADER_SIZE] = {
        'P', 'H', 'T', 'R', POOLHEAP_TRACE_VERSION, 4u, POOLHEAP_TRACE_HAS_TIME, 0u};
    ph_itm_emit(d, header, sizeof header);
    d->stats->header_missing = 1;
}

/* Steps over the varint at record[*at ..] and returns its value (bits past
 * 64 dropped: the trace reader rejects those); UINT64_MAX with *at past
 * `length` if it runs past the record. */
static uint64_t ph_itm_varint(const uint8_t *record, size_t length, size_t *at) {
    uint64_t value = 0u;
    for (unsigned shift = 0u; *at < length; shift += 7u) {
        uint8_t byte = record[(*at)++];
        value |= shift < 64u ? (uint64_t)(byte & 0x7Fu) << shift : 0u;
        if (!(byte & 0x80u)) {
            return value;
        }
    }
    *at = length + 1u;
    return UINT64_MAX;
}

/* How many bytes the record's encoding takes (docs/trace-format.md): the op
 * byte, the op's varints, the timestamp if flagged, and the caller section
 * if `callers` and the op has one. SIZE_MAX if that runs past `length`; 0
 * for an op this check leaves to the trace reader (MAP, unknown ops). Time:
 * linear in `length` (a frame count cannot make it loop longer). */
static size_t ph_itm_encoded_length(const uint8_t *record, size_t length, int callers) {
    static const uint8_t varints[] = {
        [POOLHEAP_TRACE_ALLOC] = 2u,   [POOLHEAP_TRACE_ALIGNED] = 3u, [POOLHEAP_TRACE_CALLOC] = 3u,
        [POOLHEAP_TRACE_REALLOC] = 3u, [POOLHEAP_TRACE_FREE] = 1u,    [POOLHEAP_TRACE_FAIL] = 3u,
        [POOLHEAP_TRACE_DROPPED] = 1u};
    unsigned op = record[0] & POOLHEAP_TRACE_OP_MASK;
    if (op >= sizeof varints || varints[op] == 0u) {
        return 0u;
    }
    size_t at = 1u;
    unsigned n = varints[op] + ((record[0] & POOLHEAP_TRACE_TIMESTAMP) ? 1u : 0u);
    for (unsigned i = 0u; i < n; i++) {
        ph_itm_varint(record, length, &at);
    }
    if (callers && poolheap_trace_op_has_callers(op)) {
        uint64_t frames = ph_itm_varint(record, length, &at);
        for (; frames > 0u && at < length; frames--) { /* each frame takes a byte at least */
            ph_itm_varint(record, length, &at);
        }
        at = frames > 0u ? length + 1u : at; /* frames missing */
    }
    return at > length ? SIZE_MAX : at;
}

/* Checks that a whole record's fields end where its framing says. With a
 * made-up header, the first allocation record tells whether caller sections
 * follow (a firmware built with POOLHEAP_TRACE_CALLER): fields that end
 * before the record does are followed by one, and the made-up header gets
 * HAS_CALLERS. Returns 0, or -1 when the fields end elsewhere: the stream
 * is not read further (stats: misframed). */
static int ph_itm_check_length(ph_itm_decoder_t *d) {
    if (!d->callers_known && poolheap_trace_op_has_callers(d->record[0])) {
        d->callers_known = 1;
        d->callers = ph_itm_encoded_length(d->record, d->length, 0) < d->length;
        if (d->callers && d->out != NULL) {
            d->out[6] |= POOLHEAP_TRACE_HAS_CALLERS; /* the made-up header, emitted first */
            d->stats->callers_inferred = 1;
        }
    }
    size_t encoded = ph_itm_encoded_length(d->record, d->length, d->callers);
    if (encoded == 0u || encoded == d->length) {
        return 0;
    }
    char fields[32] = "run past them";
    if (encoded != SIZE_MAX) {
        snprintf(fields, sizeof fields, "take %zu", encoded);
    }
    snprintf(d->stats->misframed, sizeof d->stats->misframed,
             "a record framed as %zu bytes, but its fields %s (%s caller frames, as %s)", d->length, fields,
             d->callers ? "with" : "without",
             d->stats->header_missing ? "the capture's first allocation record said: it began after the trace header"
                                      : "the trace header says");
    d->stats->misframed_at = d->packet_at;
    d->ended = 1;
    return -1;
}

/* A record arrived whole: out it goes, after a DROPPED record if the
 * sequence numbers skipped any (modulo 2^16: the field's width). */
static void ph_itm_complete(ph_itm_decoder_t *d) {
    d->open = 0;
    int header = ph_itm_is_header(d->record, d->length);
    if (d->started && header) {
        d->ended = 1; /* the program started a new trace: not part of this one */
        d->stats->second_trace = 1;
        return;
    }
    if (!d->started) {
        d->started = 1;
        if (header) {
            d->expected = d->sequence;
            d->callers_known = 1;
            d->callers = d->record[4] >= 2u && (d->record[6] & POOLHEAP_TRACE_HAS_CALLERS) != 0u;
        } else {
            ph_itm_make_up_header(d);
            d->expected = 1u; /* the header was record 0 */
        }
    }
    if (!header && ph_itm_check_length(d) != 0) {
        return;
    }
    uint32_t lost = (d->sequence - d->expected) & 0xFFFFu;
    if (lost != 0u) {
        ph_itm_emit_dropped(d, lost);
        d->stats->lost += lost;
    }
    ph_itm_emit(d, d->record, d->length);
    d->stats->records++;
    d->expected = d->sequence + 1u;
}

/* The payload of one instrumentation packet on the trace's port: a 4-byte
 * packet starts a record (length, sequence number low and high byte, first
 * byte); 1- and 2-byte packets carry its other bytes. */
static void ph_itm_payload(ph_itm_decoder_t *d, const uint8_t *p, size_t n, size_t packet_at) {
    if (n == 4u) {
        d->open = p[0] >= 1u && p[0] <= POOLHEAP_TRACE_RECORD_MAX; /* an unfinished record is lost */
        d->length = p[0];
        d->packet_at = packet_at;
        d->sequence = (uint32_t)p[1] | (uint32_t)p[2] << 8;
        d->record[0] = p[3];
        d->have = 1u;
        if (d->open && d->have == d->length) {
            ph_itm_complete(d);
        }
        return;
    }
    for (size_t i = 0u; i < n && d->open; i++) { /* bytes with no record open: its start was lost */
        d->record[d->have++] = p[i];
        if (d->have == d->length) {
            ph_itm_complete(d);
        }
    }
}

/* Skips the bytes of a timestamp or extension packet that follow its
 * header: each has the continuation bit set except the last; at most `max`.
 * Returns the position after them. */
static size_t ph_itm_skip_continued(const uint8_t *data, size_t size, size_t at, size_t max) {
    for (size_t i = 0u; i < max && at < size; i++) {
        if (!(data[at++] & PH_ITM_CONTINUE)) {
            break;
        }
    }
    return at;
}

uint8_t *ph_itm_extract(const uint8_t *data, size_t size, unsigned port, size_t *out_size, ph_itm_stats_t *stats) {
    memset(stats, 0, sizeof *stats);
    ph_itm_decoder_t d = {.stats = stats};
    size_t at = 0u;
    while (at < size && !d.ended && !d.failed) {
        uint8_t h = data[at++];
        if ((h & 0x03u) != 0u) { /* a source packet: bits 1:0 the payload size, bit 2 hardware */
            size_t n = (h & 0x03u) == 3u ? 4u : (size_t)(h & 0x03u);
            if (size - at < n) {
                break; /* cut off by the end of the capture */
            }
            if (!(h & 0x04u) && d.page == 0u && (unsigned)(h >> 3) == port) {
                ph_itm_payload(&d, data + at, n, at - 1u);
            } else {
                stats->other++;
            }
            at += n;
        } else if (h == PH_ITM_OVERFLOW) {
            d.open = 0; /* bytes were lost, maybe of this record */
            stats->overflows++;
        } else if (h == PH_ITM_SYNC_ZERO || h == PH_ITM_SYNC_END) {
            /* synchronisation */
        } else if ((h & 0x8Fu) == 0x00u) { /* local timestamp, format 2: the header alone */
            stats->other++;
        } else if ((h & 0xCFu) == 0xC0u) { /* local timestamp, format 1: up to 4 more bytes */
            at = ph_itm_skip_continued(data, size, at, 4u);
            stats->other++;
        } else if (h == PH_ITM_GTS1 || h == PH_ITM_GTS2) { /* global timestamps: up to 4, or 6 */
            at = ph_itm_skip_continued(data, size, at, h == PH_ITM_GTS1 ? 4u : 6u);
            stats->other++;
        } else if ((h & 0x0Bu) == 0x08u) { /* extension: more bytes while bit 7 is set */
            if (!(h & (PH_ITM_CONTINUE | 0x04u))) {
                d.page = (h >> 4) & 7u; /* one byte, SH 0: the stimulus port page of later packets */
            }
            at = (h & PH_ITM_CONTINUE) ? ph_itm_skip_continued(data, size, at, 4u) : at;
            stats->other++;
        } else { /* reserved: the stream is not what it seems here */
            d.open = 0;
            stats->errors++;
        }
    }
    if (!d.started) {
        ph_itm_make_up_header(&d);
    }
    if (d.failed) {
        free(d.out);
        return NULL;
    }
    *out_size = d.out_size;
    return d.out;
}
