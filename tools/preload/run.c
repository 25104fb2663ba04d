/* libpoolheap_run.so: LD_PRELOAD it to serve a program's whole malloc
 * family from a poolheap heap (docs/tracing.md).
 *
 *   POOLHEAP_CONFIG=heap.toml   the layout (pointer size 8)
 *   POOLHEAP_HEAP=name          which heap of it (default: main, or the only one)
 *   POOLHEAP_OOM=null           on exhaustion return NULL; by default the
 *                               request is counted and served by the C library
 *
 * At exit it prints the heap's statistics to stderr: per pool the peak
 * blocks in use against the capacity, the blocks still in use, fallbacks
 * and failures (the library's 32-bit counts), and the
 * requests the heap could not serve.
 *
 * Start-up: the first call builds the heap (one thread wins a
 * compare-and-swap; the others, and the winner's own nested calls, go to the
 * C library, or to the bootstrap buffer while dlsym runs). Pointers that do
 * not come from the heap (made during start-up, or by the C library on
 * exhaustion) are recognised on free/realloc/malloc_usable_size: the heap's
 * region is one range (poolheap_owns), the bootstrap buffer another, and
 * everything else belongs to the C library. The heap itself is lock-free. */
#define _GNU_SOURCE

#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "bootstrap.h"
#include "config/config.h"
#include "message.h"
#include "poolheap.h"
#include "real_alloc.h"
#include "whole_file.h"

#define PH_EXPORT __attribute__((visibility("default")))

enum { PH_COLD, PH_STARTING, PH_RESOLVED, PH_READY, PH_NO_HEAP };

static ph_real_alloc_t ph_real;
static poolheap_runtime_t ph_runtime;
static const poolheap_t *ph_heap;
static char ph_heap_name[64];
static int ph_oom_null;
static atomic_uint_fast64_t ph_system_served; /* requests the C library served on exhaustion */
static size_t ph_largest_block;               /* set before PH_READY is released: read only after acquiring it */
static atomic_uint_fast64_t ph_oversize;      /* failed requests larger than every block */
static atomic_size_t ph_oversize_largest;     /* the largest of them */

/* PH_COLD -> PH_STARTING (the winner resolves the C library) -> PH_RESOLVED
 * (builds the heap) -> PH_READY or PH_NO_HEAP. Release on each step,
 * acquire on each read: whoever sees a state sees what was set before it. */
static atomic_int ph_state;

/* Largest configuration read, as for the tools (docs/config.md). */
#define PH_CONFIG_LIMIT (16u * 1024u * 1024u)

/* Tells why the program runs on the C library: one line, escaped, built and
 * written without allocating, locking or reading the locale (message.h):
 * this runs inside the program's first malloc, which may be inside
 * setlocale or stdio with their locks held. */
static void ph_give_up(const char *why, const char *detail, int error) {
    ph_message_t m = {.length = 0u};
    ph_message_add(&m, "libpoolheap_run: ");
    ph_message_add(&m, why);
    if (detail != NULL) {
        ph_message_add_escaped(&m, detail, strlen(detail));
    }
    if (error != 0) {
        ph_message_add(&m, ": ");
        ph_message_add_errno(&m, error);
    }
    ph_message_add(&m, "; using the C library");
    ph_message_send(&m);
}

/* The chosen heap of `config`: POOLHEAP_HEAP, else "main", else the only
 * one; NULL if none. */
static const ph_heap_config_t *ph_choose_heap(const ph_config_t *config, const char *name) {
    for (size_t i = 0u; i < config->count; i++) {
        if (strcmp(config->heaps[i].name, name != NULL ? name : "main") == 0) {
            return &config->heaps[i];
        }
    }
    return name == NULL && config->count == 1u ? &config->heaps[0] : NULL;
}

/* Maps the chosen heap's region and builds it; 0, or -1 with a message. */
static int ph_map_heap(const ph_heap_config_t *chosen) {
    size_t span = poolheap_layout_span(chosen->pools, chosen->pool_count);
    size_t size = span + poolheap_layout_alignment(chosen->pools, chosen->pool_count);
    void *region = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    memcpy(ph_heap_name, chosen->name, sizeof ph_heap_name); /* both NUL-terminated arrays of 64 */
    if (region != MAP_FAILED) {
        ph_heap = poolheap_create(&ph_runtime, region, size, chosen->pools, chosen->pool_count, 0u, NULL, ph_heap_name);
    }
    if (ph_heap == NULL) {
        ph_give_up("cannot map the heap", NULL, region == MAP_FAILED ? errno : 0);
        return -1;
    }
    ph_largest_block = chosen->pools[chosen->pool_count - 1u].block;
    return 0;
}

/* Builds the heap from POOLHEAP_CONFIG; 0, or -1 with a message. The file
 * is read with system calls only (whole_file.h); the parser's own
 * allocations go to the C library (ph_get_heap: the state is RESOLVED). */
static int ph_build_heap(void) {
    const char *path = getenv("POOLHEAP_CONFIG"), *name = getenv("POOLHEAP_HEAP");
    const char *oom = getenv("POOLHEAP_OOM");
    ph_oom_null = oom != NULL && strcmp(oom, "null") == 0;
    if (path == NULL) {
        ph_give_up("POOLHEAP_CONFIG is not set", NULL, 0);
        return -1;
    }
    ph_whole_file_t file;
    int error = ph_whole_file_read(path, PH_CONFIG_LIMIT, &file);
    if (error != 0) {
        ph_give_up("cannot read POOLHEAP_CONFIG=", path, error);
        return -1;
    }
    ph_target_t target = {8u};
    ph_config_t config;
    char why[512];
    int parsed = ph_config_parse(file.text, file.length, path, &target, &config, why, sizeof why);
    ph_whole_file_release(&file);
    if (parsed != 0) {
        ph_give_up("", why, 0);
        return -1;
    }
    const ph_heap_config_t *chosen = ph_choose_heap(&config, name);
    int result = chosen != NULL ? ph_map_heap(chosen) : -1;
    if (chosen == NULL) {
        ph_give_up("no such heap in POOLHEAP_CONFIG: ", name != NULL ? name : "main", 0);
    }
    ph_config_free(&config);
    return result;
}

/* The heap, or NULL while starting or without one. */
static const poolheap_t *ph_get_heap(void) {
    int state = atomic_load_explicit(&ph_state, memory_order_acquire); /* see ph_state */
    if (state == PH_READY) {
        return ph_heap;
    }
    int cold = PH_COLD;
    if (state == PH_COLD && atomic_compare_exchange_strong_explicit(&ph_state, &cold, PH_STARTING, memory_order_acq_rel,
                                                                    memory_order_acquire)) {
        ph_real_alloc_resolve(&ph_real, "libpoolheap_run");
        atomic_store_explicit(&ph_state, PH_RESOLVED, memory_order_release);
        int saved = errno; /* a malloc that succeeds leaves errno alone */
        int built = ph_build_heap();
        errno = saved;
        atomic_store_explicit(&ph_state, built == 0 ? PH_READY : PH_NO_HEAP, memory_order_release);
        return built == 0 ? ph_heap : NULL;
    }
    return NULL;
}

/* The heap if it is built, else NULL; never starts anything (for pointers
 * handed back: only a built heap can have made them). */
static const poolheap_t *ph_built_heap(void) {
    return atomic_load_explicit(&ph_state, memory_order_acquire) == PH_READY ? ph_heap : NULL; /* see ph_state */
}

/* 1 once the C library's functions are known. */
static int ph_real_known(void) {
    return atomic_load_explicit(&ph_state, memory_order_acquire) >= PH_RESOLVED; /* see ph_state */
}

/* Notes a request of `size` bytes the heap failed, if no block is that
 * large. Relaxed: counters read once at exit. */
static void ph_note_oversize(size_t size) {
    if (size > ph_largest_block) {
        atomic_fetch_add_explicit(&ph_oversize, 1u, memory_order_relaxed);
        size_t seen = atomic_load_explicit(&ph_oversize_largest, memory_order_relaxed);
        while (size > seen && !atomic_compare_exchange_weak_explicit(&ph_oversize_largest, &seen, size,
                                                                     memory_order_relaxed, memory_order_relaxed)) {
        }
    }
}

/* After the heap failed a request of `size` bytes: 1 if the C library may
 * serve it instead, 0 (errno ENOMEM) with POOLHEAP_OOM=null. */
static int ph_exhausted(size_t size) {
    ph_note_oversize(size);
    if (ph_oom_null) {
        errno = ENOMEM;
        return 0;
    }
    return 1;
}

/* The C library's answer to a request the heap could not serve. */
static void *ph_served_instead(void *block) {
    if (block != NULL) {
        atomic_fetch_add_explicit(&ph_system_served, 1u, memory_order_relaxed); /* relaxed: a counter */
    }
    return block;
}

PH_EXPORT void *malloc(size_t size) {
    const poolheap_t *heap = ph_get_heap();
    void *block = heap != NULL ? poolheap_alloc(heap, size) : NULL;
    if (block != NULL) {
        return block;
    }
    if (!ph_real_known()) {
        return ph_bootstrap_alloc(size, 16u);
    }
    if (heap != NULL) {
        return ph_exhausted(size) ? ph_served_instead(ph_real.malloc(size)) : NULL;
    }
    return ph_real.malloc(size);
}

PH_EXPORT void *calloc(size_t count, size_t size) {
    const poolheap_t *heap = ph_get_heap();
    void *block = heap != NULL ? poolheap_calloc(heap, count, size) : NULL;
    if (block != NULL) {
        return block;
    }
    if (!ph_real_known()) {
        return size != 0u && count > SIZE_MAX / size ? NULL : ph_bootstrap_alloc(count * size, 16u);
    }
    if (heap != NULL) {
        return ph_exhausted(size != 0u && count > SIZE_MAX / size ? SIZE_MAX : count * size)
                   ? ph_served_instead(ph_real.calloc(count, size))
                   : NULL;
    }
    return ph_real.calloc(count, size);
}

/* Aligned requests of every kind. */
static void *ph_aligned(size_t align, size_t size) {
    const poolheap_t *heap = ph_get_heap();
    void *block = heap != NULL ? poolheap_alloc_aligned(heap, size, align) : NULL;
    if (block != NULL) {
        return block;
    }
    if (!ph_real_known()) {
        return ph_bootstrap_alloc(size, align);
    }
    if (heap != NULL) {
        return ph_exhausted(size) ? ph_served_instead(ph_real.memalign(align, size)) : NULL;
    }
    return ph_real.memalign(align, size);
}

PH_EXPORT void free(void *pointer) {
    if (pointer == NULL || ph_bootstrap_owns(pointer)) {
        return;
    }
    const poolheap_t *heap = ph_built_heap();
    if (heap != NULL && poolheap_owns(heap, pointer)) {
        poolheap_free(heap, pointer);
    } else if (ph_real_known()) {
        ph_real.free(pointer); /* the C library's */
    }                          /* else made before any of this (by the dynamic loader): leave it */
}

PH_EXPORT size_t malloc_usable_size(void *pointer) {
    if (pointer == NULL) {
        return 0u;
    }
    if (ph_bootstrap_owns(pointer)) {
        return ph_bootstrap_size(pointer);
    }
    const poolheap_t *heap = ph_built_heap();
    if (heap != NULL && poolheap_owns(heap, pointer)) {
        return poolheap_usable_size(heap, pointer);
    }
    return ph_real.malloc_usable_size(pointer);
}

/* Moves an allocation to `moved` (NULL: nothing happens), a fresh one of
 * `size` bytes. */
static void *ph_move(void *pointer, void *moved, size_t size) {
    if (moved != NULL) {
        size_t old = malloc_usable_size(pointer);
        memcpy(moved, pointer, old < size ? old : size);
        free(pointer);
    }
    return moved;
}

PH_EXPORT void *realloc(void *pointer, size_t size) {
    if (pointer == NULL) {
        return malloc(size);
    }
    const poolheap_t *heap = ph_built_heap();
    if (heap != NULL && poolheap_owns(heap, pointer)) {
        void *moved = poolheap_realloc(heap, pointer, size);
        if (moved != NULL || size == 0u) {
            return moved;
        }
        /* Exhausted: the heap counted this failure once; the C library
         * (or NULL) answers, without asking the heap again. */
        return ph_move(pointer, ph_exhausted(size) ? ph_served_instead(ph_real.malloc(size)) : NULL, size);
    }
    if (ph_bootstrap_owns(pointer)) {
        return ph_move(pointer, malloc(size), size);
    }
    return ph_real.realloc(pointer, size);
}

PH_EXPORT void *reallocarray(void *pointer, size_t count, size_t size) {
    if (size != 0u && count > SIZE_MAX / size) {
        errno = ENOMEM;
        return NULL;
    }
    return realloc(pointer, count * size);
}

PH_EXPORT int posix_memalign(void **out, size_t align, size_t size) {
    if (align < sizeof(void *) || (align & (align - 1u)) != 0u) {
        return EINVAL;
    }
    void *block = ph_aligned(align, size);
    if (block == NULL) {
        return ENOMEM;
    }
    *out = block;
    return 0;
}

PH_EXPORT void *aligned_alloc(size_t align, size_t size) {
    return ph_aligned(align, size);
}

PH_EXPORT void *memalign(size_t align, size_t size) {
    return ph_aligned(align, size);
}

PH_EXPORT void *valloc(size_t size) {
    return ph_aligned((size_t)sysconf(_SC_PAGESIZE), size);
}

PH_EXPORT void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return ph_aligned(page, (size + page - 1u) & ~(page - 1u));
}

static void ph_say(const char *text) {
    (void)!write(STDERR_FILENO, text, strlen(text));
}

/* Prints the statistics with write(2): stdio may be gone at this point. */
__attribute__((destructor)) static void ph_report_at_exit(void) {
    const poolheap_t *heap = ph_built_heap();
    if (heap == NULL) {
        return;
    }
    char line[256];
    poolheap_stats_t stats;
    poolheap_stats(heap, &stats);
    snprintf(line, sizeof line,
             "libpoolheap_run: heap %s, %" PRIu32 " bytes in %" PRIu32 " pools, %" PRIu32
             " bytes in use at exit\n%6s %8s %9s %9s %9s %10s %8s\n",
             ph_heap_name, stats.size, stats.pool_count, stats.bytes_in_use, "pool", "block", "capacity", "peak",
             "in use", "fallbacks", "oom");
    ph_say(line);
    for (unsigned p = 0u; p < stats.pool_count; p++) {
        poolheap_pool_stats_t pool;
        poolheap_pool_stats(heap, p, &pool);
        snprintf(line, sizeof line,
                 "%6u %8" PRIu32 " %9" PRIu32 " %9" PRIu32 " %9" PRIu32 " %10" PRIu32 " %8" PRIu32 "\n", p, pool.block,
                 pool.capacity, pool.peak, pool.in_use, pool.fallbacks, pool.oom);
        ph_say(line);
    }
    snprintf(line, sizeof line,
             "failures (out of memory): %" PRIu32 "; served by the C library instead: %" PRIuFAST64 "\n",
             stats.failures, (uint_fast64_t)atomic_load_explicit(&ph_system_served, memory_order_relaxed));
    ph_say(line);
    uint_fast64_t oversize = atomic_load_explicit(&ph_oversize, memory_order_relaxed);
    if (oversize != 0u) {
        snprintf(line, sizeof line, "larger than every block: %" PRIuFAST64 " of them, up to %zu bytes\n", oversize,
                 atomic_load_explicit(&ph_oversize_largest, memory_order_relaxed));
        ph_say(line);
    }
}
