/* Replaying traces through the library: see replay.h. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#if !POOLHEAP_STATS
#error "the replay reads the library's statistics: build with POOLHEAP_STATS"
#endif

#define PH_REPLAY_PROGRESS_STEP 65536u

/* One heap built for a replay, and the scale between target and host bytes. */
typedef struct ph_replay_heap {
    poolheap_runtime_t runtime;
    void *region;
    const poolheap_t *heap;
    uint32_t scale;
} ph_replay_heap_t;

static int ph_replay_heap_build(ph_replay_heap_t *h, const poolheap_pool_config_t *pools, size_t count,
                                const ph_replay_options_t *options) {
    uint32_t target = options->pointer_size ? options->pointer_size : (uint32_t)sizeof(void *);
    if ((target != 4u && target != 8u) || count == 0u || count > POOLHEAP_MAX_POOLS) {
        return -1;
    }
    h->scale = target < sizeof(void *) ? (uint32_t)(sizeof(void *) / target) : 1u;
    poolheap_pool_config_t scaled[POOLHEAP_MAX_POOLS];
    for (size_t i = 0u; i < count; i++) {
        if (pools[i].block % target != 0u || pools[i].block > UINT32_MAX / h->scale) {
            return -1;
        }
        scaled[i] = (poolheap_pool_config_t){pools[i].block * h->scale, pools[i].capacity};
    }
    size_t span = poolheap_layout_span(scaled, count);
    size_t align = poolheap_layout_alignment(scaled, count);
    if (span == 0u) {
        return -1;
    }
    h->region = malloc(span + align);
    if (h->region == NULL) {
        return -1;
    }
    h->heap = poolheap_create(&h->runtime, h->region, span + align, scaled, count, options->flags, NULL, "replay");
    if (h->heap == NULL) {
        free(h->region);
        return -1;
    }
    return 0;
}

/* Adds the statistics of the trace just replayed to *out. */
static void ph_replay_collect(const ph_replay_heap_t *h, ph_replay_result_t *out) {
    for (unsigned i = 0u; i < h->heap->pool_count; i++) {
        poolheap_pool_stats_t ps;
        poolheap_pool_stats(h->heap, i, &ps);
        ph_replay_pool_t *pool = &out->pools[i];
        pool->peak = ps.peak > pool->peak ? ps.peak : pool->peak;
        pool->served += ps.served;
        pool->fallbacks += ps.fallbacks;
        pool->oom += ps.oom;
    }
    poolheap_stats_t hs;
    poolheap_stats(h->heap, &hs);
    uint64_t peak = hs.bytes_peak / h->scale;
    out->peak_bytes = peak > out->peak_bytes ? peak : out->peak_bytes;
}

/* Runs one event; returns 1 if it failed for want of memory, 0 if not, -1
 * for an object id outside the trace. */
static int ph_replay_event(const ph_replay_heap_t *h, const ph_event_t *e, void **live, uint32_t objects) {
    if (e->kind == PH_EVENT_FAIL) {
        return 0;
    }
    if (e->object >= objects) {
        return -1;
    }
    void **slot = &live[e->object];
    size_t size = (size_t)e->size * h->scale;
    switch (e->kind) {
    case PH_EVENT_ALLOC:
        *slot = e->align > 1u ? poolheap_alloc_aligned(h->heap, size, (size_t)e->align * h->scale)
                              : poolheap_alloc(h->heap, size);
        return *slot == NULL;
    case PH_EVENT_REALLOC:
        if (*slot != NULL) {
            void *moved = poolheap_realloc(h->heap, *slot, size);
            if (moved != NULL || size == 0u) {
                *slot = moved;
                return 0;
            }
            return 1;
        }
        return 0;
    case PH_EVENT_FREE:
        poolheap_free(h->heap, *slot);
        *slot = NULL;
        return 0;
    default:
        return -1;
    }
}

/* Replays one trace from an empty heap; returns -1 on a bad event, else 0. */
static int ph_replay_one(const ph_replay_heap_t *h, const ph_trace_t *trace, size_t index,
                         const ph_replay_options_t *options, uint64_t total, ph_replay_result_t *out) {
    void **live = calloc(trace->objects ? trace->objects : 1u, sizeof *live);
    if (live == NULL) {
        return -1;
    }
    poolheap_reset(h->heap);
    int status = 0;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        int failed = ph_replay_event(h, e, live, trace->objects);
        if (failed < 0) {
            status = -1;
            break;
        }
        out->skipped += e->kind == PH_EVENT_FAIL;
        out->events++;
        if (failed) {
            if (out->failures++ == 0u) {
                out->first_failure = i;
                out->failure_trace = index;
            }
            if (options->stop_at_failure) {
                break;
            }
        }
        if (options->progress != NULL && out->events % PH_REPLAY_PROGRESS_STEP == 0u) {
            options->progress(out->events, total, options->progress_context);
        }
    }
    free(live);
    ph_replay_collect(h, out);
    return status;
}

int ph_replay(const ph_trace_t *traces, size_t trace_count, const poolheap_pool_config_t *pools, size_t pool_count,
              const ph_replay_options_t *options, ph_replay_result_t *out) {
    static const ph_replay_options_t defaults = {0};
    options = options != NULL ? options : &defaults;
    /* aligned_alloc: the heap state inside is cache-line aligned on hosts
     * (poolheap/arch.h), more than malloc promises. */
    size_t align = _Alignof(ph_replay_heap_t);
    ph_replay_heap_t *h = aligned_alloc(align, (sizeof *h + align - 1u) / align * align);
    if (h == NULL) {
        return -1;
    }
    if (ph_replay_heap_build(h, pools, pool_count, options) != 0) {
        free(h);
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->pool_count = pool_count;
    out->first_failure = SIZE_MAX;
    out->size = h->heap->size / h->scale;
    out->span = h->heap->span / h->scale;
    for (size_t i = 0u; i < pool_count; i++) {
        out->pools[i].block = pools[i].block;
        out->pools[i].capacity = pools[i].capacity;
    }
    uint64_t total = 0u;
    for (size_t t = 0u; t < trace_count; t++) {
        total += traces[t].count;
    }
    int status = 0;
    for (size_t t = 0u; t < trace_count && status == 0; t++) {
        status = ph_replay_one(h, &traces[t], t, options, total, out);
        if (options->stop_at_failure && out->failures != 0u) {
            break;
        }
    }
    free(h->region);
    free(h);
    return status;
}
