/* Per-site figures (sites.h). */
#include "sites.h"

#include <stdlib.h>
#include <string.h>

#include "pool_demand.h"

#define PH_NIL UINT32_MAX

uint32_t ph_sites_of_event(const ph_sites_t *sites, const ph_event_t *event) {
    return event->site < sites->count - 1u ? event->site : sites->count - 1u;
}

/* The objects each pool holds now, as doubly linked lists over object ids,
 * so that a pool's holders at its peak are found in O(its peak). */
typedef struct ph_pool_lists {
    uint32_t head[POOLHEAP_MAX_POOLS + 1u]; /* + the objects no pool fits */
    uint32_t *next, *prev;
} ph_pool_lists_t;

static size_t list_of(uint32_t pool, size_t pool_count) {
    return pool < pool_count ? pool : pool_count;
}

static void lists_remove(ph_pool_lists_t *l, size_t list, uint32_t object) {
    uint32_t next = l->next[object], prev = l->prev[object];
    if (prev != PH_NIL) {
        l->next[prev] = next;
    } else {
        l->head[list] = next;
    }
    if (next != PH_NIL) {
        l->prev[next] = prev;
    }
}

static void lists_insert(ph_pool_lists_t *l, size_t list, uint32_t object) {
    l->prev[object] = PH_NIL;
    l->next[object] = l->head[list];
    if (l->head[list] != PH_NIL) {
        l->prev[l->head[list]] = object;
    }
    l->head[list] = object;
}

/* Pass 1: the event at which each pool first reaches its peak. */
static void find_pool_peaks(const ph_trace_t *trace, const poolheap_pool_config_t *pools, size_t pool_count,
                            ph_sites_t *s, uint8_t *pool_of) {
    uint64_t in_pool[POOLHEAP_MAX_POOLS + 1u] = {0};
    for (size_t i = 0u; i < trace->count; i++) {
        ph_pool_move_t move = ph_pool_demand_step(pools, pool_count, pool_of, &trace->events[i]);
        if (move.left != PH_POOL_UNCHANGED) {
            in_pool[list_of(move.left, pool_count)]--;
        }
        if (move.entered != PH_POOL_UNCHANGED) {
            size_t p = list_of(move.entered, pool_count);
            if (++in_pool[p] > s->pool_peak[p] && p < pool_count) {
                s->pool_peak[p] = in_pool[p];
                s->pool_peak_event[p] = i;
            }
        }
    }
}

static int compare_holding_site(const void *a, const void *b) {
    const ph_pool_holding_t *x = a, *y = b;
    if (x->pool != y->pool) {
        return x->pool < y->pool ? -1 : 1;
    }
    return (x->site > y->site) - (x->site < y->site);
}

static int compare_holding_blocks(const void *a, const void *b) {
    const ph_pool_holding_t *x = a, *y = b;
    if (x->pool != y->pool) {
        return x->pool < y->pool ? -1 : 1;
    }
    if (x->blocks != y->blocks) {
        return x->blocks > y->blocks ? -1 : 1;
    }
    return (x->site > y->site) - (x->site < y->site);
}

/* One row per (pool, site) out of one row per block, biggest holders first. */
static void merge_holdings(ph_sites_t *s) {
    if (s->holding_count == 0u) {
        return; /* no layout, or nothing asked of it (pool_first stays 0) */
    }
    qsort(s->holdings, s->holding_count, sizeof *s->holdings, compare_holding_site);
    size_t n = 0u;
    for (size_t i = 0u; i < s->holding_count; i++) {
        ph_pool_holding_t *h = &s->holdings[i];
        if (n > 0u && s->holdings[n - 1u].pool == h->pool && s->holdings[n - 1u].site == h->site) {
            s->holdings[n - 1u].blocks += h->blocks;
            s->holdings[n - 1u].bytes += h->bytes;
        } else {
            s->holdings[n++] = *h;
        }
    }
    s->holding_count = n;
    qsort(s->holdings, n, sizeof *s->holdings, compare_holding_blocks);
    size_t at = 0u;
    for (size_t p = 0u; p <= s->pool_count; p++) {
        while (at < n && s->holdings[at].pool < p) {
            at++;
        }
        s->pool_first[p] = at;
    }
}

/* The per-object state of pass 2. */
typedef struct ph_objects {
    uint32_t *site, *size;
    uint8_t *pool_of;
    ph_pool_lists_t lists;
} ph_objects_t;

static void take_pool_peak(ph_sites_t *s, const ph_objects_t *o, uint32_t pool) {
    for (uint32_t id = o->lists.head[pool]; id != PH_NIL; id = o->lists.next[id]) {
        s->holdings[s->holding_count++] = (ph_pool_holding_t){pool, o->site[id], 1u, o->size[id]};
    }
}

/* Pass 2: every figure, with snapshots at the heap's peak and at the pools'
 * peaks found by pass 1. `leaked_*` count what is live so far; at the end,
 * what is never freed. */
static void walk(const ph_trace_t *trace, const poolheap_pool_config_t *pools, size_t pool_count, ph_sites_t *s,
                 ph_objects_t *o) {
    ph_site_figures_t *f = s->figures;
    for (size_t i = 0u; i < trace->count; i++) {
        const ph_event_t *e = &trace->events[i];
        uint32_t site = ph_sites_of_event(s, e);
        if (e->kind == PH_EVENT_ALLOC || e->kind == PH_EVENT_REALLOC) {
            f[site].calls++;
            f[site].bytes += e->size;
            if (e->kind == PH_EVENT_REALLOC) {
                f[o->site[e->object]].leaked_bytes -= o->size[e->object];
                f[o->site[e->object]].leaked_objects--;
            }
            o->site[e->object] = site;
            o->size[e->object] = e->size;
            f[site].leaked_bytes += e->size;
            f[site].leaked_objects++;
        } else if (e->kind == PH_EVENT_FREE) {
            f[o->site[e->object]].leaked_bytes -= o->size[e->object];
            f[o->site[e->object]].leaked_objects--;
        }
        if (pools != NULL) {
            ph_pool_move_t move = ph_pool_demand_step(pools, pool_count, o->pool_of, e);
            if (move.left != PH_POOL_UNCHANGED) {
                lists_remove(&o->lists, list_of(move.left, pool_count), e->object);
            }
            if (move.entered != PH_POOL_UNCHANGED) {
                size_t p = list_of(move.entered, pool_count);
                lists_insert(&o->lists, p, e->object);
                if (p < pool_count && s->pool_peak_event[p] == i) {
                    take_pool_peak(s, o, (uint32_t)p);
                }
            }
        }
        if (i == s->peak_event) {
            for (uint32_t k = 0u; k < s->count; k++) {
                f[k].peak_bytes = f[k].leaked_bytes;
                f[k].peak_objects = f[k].leaked_objects;
            }
        }
    }
}

static void objects_free(ph_objects_t *o) {
    free(o->site);
    free(o->size);
    free(o->pool_of);
    free(o->lists.next);
    free(o->lists.prev);
}

int ph_sites_compute(const ph_trace_t *trace, const ph_trace_summary_t *summary, const poolheap_pool_config_t *pools,
                     size_t pool_count, ph_sites_t *out) {
    memset(out, 0, sizeof *out);
    out->count = trace->site_count + 1u;
    out->pool_count = pools != NULL ? pool_count : 0u;
    out->peak_event = summary->peak_bytes > 0u ? summary->peak_event : SIZE_MAX;
    out->peak_bytes = summary->peak_bytes;
    size_t objects = (size_t)trace->objects + 1u;
    ph_objects_t o = {
        .site = malloc(objects * sizeof *o.site),
        .size = malloc(objects * sizeof *o.size),
        .pool_of = malloc(objects),
        .lists = {.next = malloc(objects * sizeof(uint32_t)), .prev = malloc(objects * sizeof(uint32_t))}};
    out->figures = calloc(out->count, sizeof *out->figures);
    int ok = o.site != NULL && o.size != NULL && o.pool_of != NULL && o.lists.next != NULL && o.lists.prev != NULL &&
             out->figures != NULL;
    if (ok && pools != NULL) {
        find_pool_peaks(trace, pools, pool_count, out, o.pool_of);
        uint64_t total = 0u;
        for (size_t p = 0u; p < pool_count; p++) {
            total += out->pool_peak[p];
        }
        out->holdings = malloc((total + 1u) * sizeof *out->holdings);
        ok = out->holdings != NULL;
    }
    if (!ok) {
        objects_free(&o);
        ph_sites_free(out);
        return -1;
    }
    memset(o.lists.head, 0xFF, sizeof o.lists.head);
    walk(trace, pools, out->pool_count, out, &o);
    objects_free(&o);
    merge_holdings(out);
    return 0;
}

void ph_sites_add_failures(ph_sites_t *sites, const ph_trace_t *trace, const size_t *failing, size_t n) {
    for (size_t i = 0u; i < n; i++) {
        const ph_event_t *e = &trace->events[failing[i]];
        ph_site_figures_t *f = &sites->figures[ph_sites_of_event(sites, e)];
        f->failed++;
        f->failed_bytes += e->size;
    }
}

void ph_sites_free(ph_sites_t *sites) {
    free(sites->figures);
    free(sites->holdings);
    memset(sites, 0, sizeof *sites);
}
