/* Replaying traces through the library: see replay.h. */
#include "replay.h"

#include <stdlib.h>
#include <string.h>

#define PH_REPLAY_PROGRESS_STEP 65536u

/* One heap built for a replay, and the scale between target and host bytes. */
typedef struct ph_replay_heap {
    poolheap_runtime_t runtime;
    void *region;
    const poolheap_t *heap;
    uint32_t scale;
} ph_replay_heap_t;

/* One trace's replay in progress: its live objects and what is in use. */
typedef struct ph_replay_live {
    const ph_replay_heap_t *h;
    ph_replay_result_t *out;
    void **objects;                      /* by object id */
    uint64_t in_use[POOLHEAP_MAX_POOLS]; /* blocks per pool */
    uint64_t bytes;                      /* block bytes, host bytes */
    uint32_t first_choice;               /* of the last failed request; pool_count if oversize */
} ph_replay_live_t;

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

/* The replay counts what it reports itself, exactly and in 64 bits: the
 * library's own statistics keep only what a device needs (poolheap.h), in
 * 32 bits. */

/* Index of the pool holding a block the heap handed out. */
static uint32_t ph_replay_pool_of(const ph_replay_heap_t *h, const void *block) {
    size_t size = poolheap_usable_size(h->heap, block);
    uint32_t i = 0u;
    while (h->heap->pools[i].block != size) {
        i++;
    }
    return i;
}

/* The heap's first choice for a request (poolheap_alloc_aligned's rule: the
 * smallest pool that fits, aligned enough); pool_count if none fits. */
static uint32_t ph_replay_first_choice(const ph_replay_heap_t *h, size_t size, size_t align) {
    uint32_t i = 0u;
    for (; i < h->heap->pool_count; i++) {
        uint32_t block = h->heap->pools[i].block;
        if (block >= (size ? size : 1u) && (block & (0u - block)) >= align) {
            break;
        }
    }
    return i;
}

/* Counts a block handed out for a request of `size` bytes aligned to `align`. */
static void ph_replay_count_alloc(ph_replay_live_t *live, const void *block, size_t size, size_t align) {
    uint32_t i = ph_replay_pool_of(live->h, block);
    ph_replay_pool_t *pool = &live->out->pools[i];
    pool->served++;
    pool->fallbacks += i != ph_replay_first_choice(live->h, size, align);
    live->in_use[i]++;
    pool->peak = live->in_use[i] > pool->peak ? (uint32_t)live->in_use[i] : pool->peak;
    live->bytes += live->h->heap->pools[i].block;
    uint64_t bytes = live->bytes / live->h->scale;
    live->out->peak_bytes = bytes > live->out->peak_bytes ? bytes : live->out->peak_bytes;
}

/* Uncounts a block about to be freed (NULL: nothing). */
static void ph_replay_count_free(ph_replay_live_t *live, const void *block) {
    if (block != NULL) {
        uint32_t i = ph_replay_pool_of(live->h, block);
        live->in_use[i]--;
        live->bytes -= live->h->heap->pools[i].block;
    }
}

/* Counts a request that failed for want of memory in its first choice, or,
 * if no block fits it, as oversize. */
static void ph_replay_count_failure(ph_replay_live_t *live, size_t size, size_t align) {
    uint32_t first = ph_replay_first_choice(live->h, size, align);
    live->first_choice = first;
    if (first < live->h->heap->pool_count) {
        live->out->pools[first].oom++;
    } else {
        uint32_t bytes = (uint32_t)(size / live->h->scale);
        live->out->oversize++;
        live->out->oversize_largest = bytes > live->out->oversize_largest ? bytes : live->out->oversize_largest;
    }
}

/* Runs one event; returns 1 if it failed for want of memory, 0 if not, -1
 * for an object id outside the trace. */
static int ph_replay_event(ph_replay_live_t *live, const ph_event_t *e, uint32_t objects) {
    const ph_replay_heap_t *h = live->h;
    if (e->kind == PH_EVENT_FAIL) {
        return 0;
    }
    if (e->object >= objects) {
        return -1;
    }
    void **slot = &live->objects[e->object];
    size_t size = (size_t)e->size * h->scale;
    size_t align = e->align > 1u ? (size_t)e->align * h->scale : 1u;
    void *moved;
    switch (e->kind) {
    case PH_EVENT_ALLOC:
        *slot = align > 1u ? poolheap_alloc_aligned(h->heap, size, align) : poolheap_alloc(h->heap, size);
        break;
    case PH_EVENT_REALLOC:
        if (*slot == NULL) {
            return 0;
        }
        if (size != 0u && size <= poolheap_usable_size(h->heap, *slot)) {
            return poolheap_realloc(h->heap, *slot, size) == NULL; /* in place: nothing to count */
        }
        moved = poolheap_realloc(h->heap, *slot, size);
        if (moved == NULL && size != 0u) {
            ph_replay_count_failure(live, size, 1u);
            return 1;
        }
        ph_replay_count_free(live, *slot);
        *slot = moved;
        if (moved != NULL) {
            ph_replay_count_alloc(live, moved, size, 1u);
        }
        return 0;
    case PH_EVENT_FREE:
        ph_replay_count_free(live, *slot);
        poolheap_free(h->heap, *slot);
        *slot = NULL;
        return 0;
    default:
        return -1;
    }
    if (*slot == NULL) {
        ph_replay_count_failure(live, size, align);
        return 1;
    }
    ph_replay_count_alloc(live, *slot, size, align);
    return 0;
}

/* Replays one trace from an empty heap; returns -1 on a bad event, else 0. */
static int ph_replay_one(const ph_replay_heap_t *h, const ph_trace_t *trace, size_t index,
                         const ph_replay_options_t *options, uint64_t total, ph_replay_result_t *out) {
    ph_replay_live_t live = {.h = h, .out = out};
    live.objects = calloc(trace->objects ? trace->objects : 1u, sizeof *live.objects);
    if (live.objects == NULL) {
        return -1;
    }
    poolheap_reset(h->heap);
    int status = 0;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        int failed = ph_replay_event(&live, e, trace->objects);
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
            if (options->failure != NULL) {
                int first = live.first_choice < h->heap->pool_count ? (int)live.first_choice : -1;
                options->failure(index, i, first, options->failure_context);
            }
            if (options->stop_at_failure) {
                break;
            }
        }
        if (options->progress != NULL && out->events % PH_REPLAY_PROGRESS_STEP == 0u) {
            options->progress(out->events, total, options->progress_context);
        }
    }
    free(live.objects);
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
    if (options->progress != NULL && out->events % PH_REPLAY_PROGRESS_STEP != 0u) { /* the end, if not just told */
        options->progress(out->events, total, options->progress_context);
    }
    free(h->region);
    free(h);
    return status;
}
