/* The trace record encoder (docs/trace-format.md). Pure functions with no
 * state, shared by the library's trace emission and the host recorder. */
#include "poolheap/trace.h"

/* Appends `value` as ULEB128 (7 bits per byte, low bits first, high bit set
 * on every byte but the last): at most 10 bytes for 64 bits. Values that
 * fit 32 bits (every field on a 32-bit target) take a 32-bit loop: on
 * Cortex-M a 64-bit shift is several instructions. */
static uint8_t *ph_put_varint(uint8_t *out, uint64_t value) {
    while (value >> 32 != 0u) {
        *out++ = (uint8_t)(value | 0x80u);
        value >>= 7;
    }
    uint32_t low = (uint32_t)value;
    while (low >= 0x80u) {
        *out++ = (uint8_t)(low | 0x80u);
        low >>= 7;
    }
    *out++ = (uint8_t)low;
    return out;
}

void poolheap_trace_encode_header(uint8_t out[POOLHEAP_TRACE_HEADER_SIZE], unsigned flags) {
    out[0] = 'P';
    out[1] = 'H';
    out[2] = 'T';
    out[3] = 'R';
    out[4] = POOLHEAP_TRACE_VERSION;
    out[5] = (uint8_t)sizeof(void *);
    out[6] = (uint8_t)flags;
    out[7] = 0u;
}

size_t poolheap_trace_encode(uint8_t out[POOLHEAP_TRACE_RECORD_MAX], unsigned op, uint64_t size, uint64_t align,
                             uint64_t address, uint64_t old_address, int has_time, uint64_t time) {
    uint8_t *p = out + 1;
    switch (op & POOLHEAP_TRACE_OP_MASK) {
    case POOLHEAP_TRACE_ALLOC:
        p = ph_put_varint(ph_put_varint(p, size), address);
        break;
    case POOLHEAP_TRACE_ALIGNED:
    case POOLHEAP_TRACE_CALLOC:
        p = ph_put_varint(ph_put_varint(ph_put_varint(p, size), align), address);
        break;
    case POOLHEAP_TRACE_REALLOC:
        p = ph_put_varint(ph_put_varint(ph_put_varint(p, old_address), size), address);
        break;
    case POOLHEAP_TRACE_FREE:
        p = ph_put_varint(p, address);
        break;
    case POOLHEAP_TRACE_FAIL:
        p = ph_put_varint(ph_put_varint(ph_put_varint(p, old_address), size), align);
        break;
    case POOLHEAP_TRACE_DROPPED:
        p = ph_put_varint(p, size);
        break;
    default:
        op = POOLHEAP_TRACE_DROPPED;
        p = ph_put_varint(p, 0u);
        break;
    }
    out[0] = (uint8_t)(op & (POOLHEAP_TRACE_OP_MASK | POOLHEAP_TRACE_FALLBACK));
    if (has_time) {
        out[0] |= POOLHEAP_TRACE_TIMESTAMP;
        p = ph_put_varint(p, time);
    }
    return (size_t)(p - out);
}

size_t poolheap_trace_encode_frames(uint8_t *out, const uint64_t *frames, unsigned count) {
    if (count > POOLHEAP_TRACE_FRAMES_MAX) {
        count = POOLHEAP_TRACE_FRAMES_MAX;
    }
    uint8_t *p = ph_put_varint(out, count);
    for (unsigned i = 0u; i < count; i++) {
        p = ph_put_varint(p, frames[i]);
    }
    return (size_t)(p - out);
}

size_t poolheap_trace_encode_map(uint8_t *out, uint64_t start, uint64_t size, uint64_t bias, const char *path,
                                 size_t path_length) {
    if (path_length > POOLHEAP_TRACE_PATH_MAX) {
        return 0u;
    }
    out[0] = POOLHEAP_TRACE_MAP;
    uint8_t *p = ph_put_varint(ph_put_varint(ph_put_varint(ph_put_varint(out + 1, start), size), bias), path_length);
    for (size_t i = 0u; i < path_length; i++) {
        *p++ = (uint8_t)path[i];
    }
    return (size_t)(p - out);
}
