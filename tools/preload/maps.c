/* MAP records for the loaded files (maps.h), from dl_iterate_phdr: each
 * file's PT_LOAD segments give the address range, dlpi_addr its load bias. */
#define _GNU_SOURCE

#include "maps.h"

#include <link.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "poolheap/trace.h"

#define PH_MAPS_MAX 1024u

static pthread_mutex_t ph_maps_lock = PTHREAD_MUTEX_INITIALIZER;
/* Guarded by ph_maps_lock: the start of every range reported so far. */
static uint64_t ph_reported[PH_MAPS_MAX];
static size_t ph_reported_count;
static uint8_t ph_record[POOLHEAP_TRACE_MAP_BOUND];

/* dl_iterate_phdr's context: a function pointer does not fit a void *. */
typedef struct ph_maps_context {
    ph_map_sink_t *sink;
} ph_maps_context_t;

static int ph_was_reported(uint64_t start) {
    for (size_t i = 0u; i < ph_reported_count; i++) {
        if (ph_reported[i] == start) {
            return 1;
        }
    }
    return 0;
}

static int ph_report_file(struct dl_phdr_info *info, size_t size, void *context) {
    (void)size;
    ph_map_sink_t *sink = ((const ph_maps_context_t *)context)->sink;
    uint64_t low = UINT64_MAX, high = 0u;
    for (ElfW(Half) i = 0u; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *segment = &info->dlpi_phdr[i];
        if (segment->p_type == PT_LOAD) {
            low = segment->p_vaddr < low ? segment->p_vaddr : low;
            high = segment->p_vaddr + segment->p_memsz > high ? segment->p_vaddr + segment->p_memsz : high;
        }
    }
    uint64_t start = info->dlpi_addr + low;
    if (low >= high || ph_was_reported(start) || ph_reported_count == PH_MAPS_MAX) {
        return 0;
    }
    char executable[POOLHEAP_TRACE_PATH_MAX];
    const char *path = info->dlpi_name;
    size_t length = strlen(path);
    if (length == 0u) { /* the executable */
        ssize_t n = readlink("/proc/self/exe", executable, sizeof executable);
        if (n <= 0 || (size_t)n >= sizeof executable) {
            return 0;
        }
        path = executable;
        length = (size_t)n;
    }
    if (path[0] != '/') {
        return 0; /* the vDSO: no file to read symbols from */
    }
    size_t bytes = poolheap_trace_encode_map(ph_record, start, high - low, info->dlpi_addr, path, length);
    if (bytes > 0u) {
        ph_reported[ph_reported_count++] = start;
        sink(ph_record, bytes);
    }
    return 0;
}

void ph_maps_report(ph_map_sink_t *sink) {
    ph_maps_context_t context = {sink};
    pthread_mutex_lock(&ph_maps_lock);
    dl_iterate_phdr(ph_report_file, &context);
    pthread_mutex_unlock(&ph_maps_lock);
}
