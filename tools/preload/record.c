/* libpoolheap_record.so: LD_PRELOAD it to record a program's malloc family
 * into a poolheap trace (docs/trace-format.md, docs/tracing.md).
 *
 *   POOLHEAP_TRACE=out.trace       where to write ("%p" becomes the pid)
 *   POOLHEAP_TRACE_TIME=1          add CLOCK_MONOTONIC nanosecond timestamps
 *   POOLHEAP_TRACE_CALLER=1        add each allocation's caller (return address)
 *   POOLHEAP_TRACE_FRAMES=N        add the N innermost frames (up to 32)
 *
 * With callers, the trace also gets a MAP record per loaded file (where the
 * executable and each shared library lie, to symbolize the addresses): for
 * the files loaded when the library starts and when the program exits. A
 * library loaded and unloaded in between is not mapped.
 *
 * Order: one mutex is held around each real call and the append of its
 * record, so records are in the order of the real operations, across
 * threads: a free's record always precedes the record of a later allocation
 * that reuses the address. Records are buffered and written in 64 KiB
 * chunks, at exit and before a fork; after the library's destructor has run
 * each record is written at once, so frees made later in the exit still
 * arrive. A process that skips the destructors keeps its records too: the
 * recorder's _exit and _Exit write the buffer first, and so does its
 * handler of the fatal signals (SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT),
 * installed only where the disposition is still the default, which then
 * lets the signal take its default action. A crash on an overflowed stack
 * (no stack to run a handler on) or SIGKILL still loses the last chunk.
 *
 * Recursion: dlsym may allocate while the real functions are being looked
 * up; those calls (made by the initialising thread) are served from a static
 * bootstrap buffer and not recorded, and frees of its blocks are ignored. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bootstrap.h"
#include "callers.h"
#include "maps.h"
#include "poolheap/trace.h"
#include "real_alloc.h"

#define PH_EXPORT __attribute__((visibility("default")))

static ph_real_alloc_t ph_real;

static pthread_mutex_t ph_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t ph_once = PTHREAD_ONCE_INIT;
static atomic_int ph_resolved;
static __thread int ph_initializing __attribute__((tls_model("initial-exec")));
/* 1 while this thread holds ph_lock: a fatal signal or an _exit from a
 * signal handler that interrupted the recorder must not wait for it. */
static __thread int ph_holding __attribute__((tls_model("initial-exec")));

static void ph_acquire(void) {
    pthread_mutex_lock(&ph_lock);
    ph_holding = 1;
}

static void ph_release(void) {
    ph_holding = 0;
    pthread_mutex_unlock(&ph_lock);
}

/* Everything below is guarded by ph_lock. */
static int ph_fd = -1;
static int ph_with_time;
static unsigned ph_callers; /* frames per allocation record; 0: no callers (set once, before ph_resolved) */
static int ph_unbuffered;
static uint8_t ph_buffer[64u * 1024u];
static size_t ph_used;

static void ph_flush_locked(void) {
    size_t done = 0u;
    while (ph_fd >= 0 && done < ph_used) {
        ssize_t n = write(ph_fd, ph_buffer + done, ph_used - done);
        if (n < 0 && errno != EINTR) {
            break; /* a full disk: the trace ends here, the program goes on */
        }
        done += n > 0 ? (size_t)n : 0u;
    }
    ph_used = 0u;
}

static void ph_emit_locked(unsigned op, size_t size, size_t align, const void *address, uintptr_t old,
                           const ph_frames_t *frames) {
    if (ph_fd < 0) {
        return;
    }
    if (ph_used > sizeof ph_buffer - POOLHEAP_TRACE_RECORD_BOUND(POOLHEAP_TRACE_FRAMES_MAX)) {
        ph_flush_locked();
    }
    uint64_t now = 0u;
    if (ph_with_time) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        now = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    }
    ph_used += poolheap_trace_encode(ph_buffer + ph_used, op, size, align, (uintptr_t)address, old, ph_with_time, now);
    if (ph_callers != 0u && poolheap_trace_op_has_callers(op)) {
        ph_used += poolheap_trace_encode_frames(ph_buffer + ph_used, frames->pc, frames->count);
    }
    if (ph_unbuffered) {
        ph_flush_locked();
    }
}

/* An allocation's record: `op` with its block, or FAIL of `op`. */
static void ph_emit_alloc_locked(unsigned op, const void *block, size_t size, size_t align, const ph_frames_t *frames) {
    if (block != NULL) {
        ph_emit_locked(op, size, align, block, 0u, frames);
    } else {
        ph_emit_locked(POOLHEAP_TRACE_FAIL, size, align, NULL, op, frames);
    }
}

/* A MAP record from ph_maps_report, appended like any other. */
static void ph_emit_map(const uint8_t *record, size_t length) {
    ph_acquire();
    if (ph_fd >= 0) {
        if (ph_used > sizeof ph_buffer - length) {
            ph_flush_locked();
        }
        memcpy(ph_buffer + ph_used, record, length);
        ph_used += length;
        if (ph_unbuffered) {
            ph_flush_locked();
        }
    }
    ph_release();
}

/* Fork: the child must not write the parent's buffered records again. */
static void ph_fork_prepare(void) {
    ph_acquire();
    ph_flush_locked();
}

static void ph_fork_parent(void) {
    ph_release();
}

static void ph_fork_child(void) {
    ph_fd = -1; /* the child is not recorded (its own exec starts afresh) */
    ph_release();
}

/* Opens the trace named by POOLHEAP_TRACE, "%p" replaced by the pid. */
static void ph_open_trace(void) {
    const char *pattern = getenv("POOLHEAP_TRACE");
    if (pattern == NULL || pattern[0] == '\0') {
        return;
    }
    char path[4096];
    const char *pid = strstr(pattern, "%p");
    if (pid != NULL) {
        snprintf(path, sizeof path, "%.*s%ld%s", (int)(pid - pattern), pattern, (long)getpid(), pid + 2);
    } else {
        snprintf(path, sizeof path, "%s", pattern);
    }
    ph_fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (ph_fd < 0) {
        static const char message[] = "libpoolheap_record: cannot create the trace file; not recording\n";
        (void)!write(STDERR_FILENO, message, sizeof message - 1u);
        return;
    }
    const char *time = getenv("POOLHEAP_TRACE_TIME");
    ph_with_time = time != NULL && time[0] == '1';
    ph_callers = ph_callers_configure();
    poolheap_trace_encode_header(ph_buffer, (ph_with_time ? POOLHEAP_TRACE_HAS_TIME : 0u) |
                                                (ph_callers != 0u ? POOLHEAP_TRACE_HAS_CALLERS : 0u));
    ph_used = POOLHEAP_TRACE_HEADER_SIZE;
}

/* Writes what is buffered; from now on every record is written at once.
 * A thread that already holds the lock (a signal handler interrupted it in
 * the recorder) writes without taking it again: the buffer holds whole
 * records up to ph_used at every instant, and the other threads wait. */
static void ph_finish(void) {
    if (ph_holding) {
        ph_flush_locked();
        ph_unbuffered = 1;
        return;
    }
    ph_acquire();
    ph_flush_locked();
    ph_unbuffered = 1;
    ph_release();
}

__attribute__((destructor)) static void ph_finish_at_exit(void) {
    if (ph_callers != 0u && atomic_load_explicit(&ph_resolved, memory_order_acquire)) { /* as ph_ready */
        ph_maps_report(ph_emit_map); /* the libraries loaded since the start */
    }
    ph_finish();
}

/* _exit and _Exit skip the destructors: write the trace, then end the
 * process as glibc's _exit does. (glibc's exit reaches its own _exit
 * directly, after the destructor above.) */
PH_EXPORT __attribute__((noreturn)) void _exit(int status) {
    ph_finish();
    for (;;) {
        syscall(SYS_exit_group, status);
    }
}

PH_EXPORT __attribute__((noreturn)) void _Exit(int status) {
    _exit(status);
}

static const int ph_fatal_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT};

/* Writes the trace, then lets the signal do what it would have done: the
 * default action, raised again once this handler returns. */
static void ph_on_fatal_signal(int signal_number) {
    ph_finish();
    struct sigaction fallback = {.sa_handler = SIG_DFL};
    sigaction(signal_number, &fallback, NULL);
    raise(signal_number);
}

/* Only where nobody has chosen a disposition yet: the program's own
 * handlers, set before or after, win. */
static void ph_catch_fatal_signals(void) {
    for (size_t i = 0u; i < sizeof ph_fatal_signals / sizeof ph_fatal_signals[0]; i++) {
        struct sigaction current;
        if (sigaction(ph_fatal_signals[i], NULL, &current) == 0 && current.sa_handler == SIG_DFL &&
            !(current.sa_flags & SA_SIGINFO)) {
            struct sigaction catcher = {.sa_handler = ph_on_fatal_signal, .sa_flags = SA_RESETHAND};
            sigemptyset(&catcher.sa_mask);
            sigaction(ph_fatal_signals[i], &catcher, NULL);
        }
    }
}

static void ph_init(void) {
    ph_real_alloc_resolve(&ph_real, "libpoolheap_record");
    ph_open_trace();
    if (ph_fd >= 0) {
        ph_catch_fatal_signals();
    }
    pthread_atfork(ph_fork_prepare, ph_fork_parent, ph_fork_child);
    /* Release: a thread that sees the flag sees the pointers and the fd. */
    atomic_store_explicit(&ph_resolved, 1, memory_order_release);
}

/* 1 once the real functions are known; 0 while this thread looks them up. */
static int ph_ready(void) {
    if (atomic_load_explicit(&ph_resolved, memory_order_acquire)) { /* pairs with ph_init's release */
        return 1;
    }
    if (ph_initializing) {
        return 0;
    }
    ph_initializing = 1;
    pthread_once(&ph_once, ph_init);
    ph_initializing = 0;
    return 1;
}

static size_t ph_pow2_ceil(size_t x) {
    size_t p = 1u;
    while (p < x && p != 0u) {
        p <<= 1;
    }
    return p;
}

/* Where the files loaded with the program lie, once the recorder runs (a
 * constructor: before the program's threads). */
__attribute__((constructor)) static void ph_map_at_start(void) {
    if (ph_ready() && ph_callers != 0u) {
        ph_maps_report(ph_emit_map);
    }
}

/* The frames of an allocation whose interposed function returns to `caller`;
 * taken before the lock (unwinding can be slow). */
#define PH_FRAMES(frames, caller) ph_callers_capture(&(frames), ph_callers, (caller))
#define PH_CALLER __builtin_return_address(0)

static void *ph_malloc(size_t size, void *caller) {
    if (!ph_ready()) {
        return ph_bootstrap_alloc(size, 16u);
    }
    ph_frames_t frames;
    PH_FRAMES(frames, caller);
    ph_acquire();
    void *block = ph_real.malloc(size);
    ph_emit_alloc_locked(POOLHEAP_TRACE_ALLOC, block, size, 1u, &frames);
    ph_release();
    return block;
}

PH_EXPORT void *malloc(size_t size) {
    return ph_malloc(size, PH_CALLER);
}

PH_EXPORT void free(void *pointer) {
    if (pointer == NULL || ph_bootstrap_owns(pointer) || !ph_ready()) {
        return;
    }
    ph_acquire();
    ph_emit_locked(POOLHEAP_TRACE_FREE, 0u, 0u, pointer, 0u, NULL);
    ph_real.free(pointer);
    ph_release();
}

PH_EXPORT void *calloc(size_t count, size_t size) {
    size_t total = size != 0u && count > SIZE_MAX / size ? SIZE_MAX : count * size;
    if (!ph_ready()) {
        return total == SIZE_MAX ? NULL : ph_bootstrap_alloc(total, 16u);
    }
    ph_frames_t frames;
    PH_FRAMES(frames, PH_CALLER);
    ph_acquire();
    void *block = ph_real.calloc(count, size);
    ph_emit_alloc_locked(POOLHEAP_TRACE_CALLOC, block, total, 1u, &frames);
    ph_release();
    return block;
}

static void *ph_realloc(void *pointer, size_t size, void *caller) {
    if (ph_bootstrap_owns(pointer)) { /* leaves the bootstrap buffer: a new, recorded allocation */
        void *moved = ph_malloc(size, caller);
        size_t old = ph_bootstrap_size(pointer);
        if (moved != NULL) {
            memcpy(moved, pointer, old < size ? old : size);
        }
        return moved;
    }
    if (!ph_ready()) {
        return ph_bootstrap_alloc(size, 16u); /* pointer is NULL: nothing else exists yet */
    }
    ph_frames_t frames;
    PH_FRAMES(frames, caller);
    ph_acquire();
    void *moved = ph_real.realloc(pointer, size);
    if (pointer == NULL) {
        ph_emit_alloc_locked(POOLHEAP_TRACE_ALLOC, moved, size, 1u, &frames);
    } else if (moved != NULL) {
        ph_emit_locked(POOLHEAP_TRACE_REALLOC, size, 1u, moved, (uintptr_t)pointer, &frames);
    } else if (size == 0u) { /* glibc: realloc(p, 0) frees p and returns NULL */
        ph_emit_locked(POOLHEAP_TRACE_FREE, 0u, 0u, pointer, 0u, NULL);
    } else {
        ph_emit_alloc_locked(POOLHEAP_TRACE_REALLOC, NULL, size, 1u, &frames);
    }
    ph_release();
    return moved;
}

PH_EXPORT void *realloc(void *pointer, size_t size) {
    return ph_realloc(pointer, size, PH_CALLER);
}

PH_EXPORT void *reallocarray(void *pointer, size_t count, size_t size) {
    if (size != 0u && count > SIZE_MAX / size) {
        if (ph_ready()) {
            ph_frames_t frames;
            PH_FRAMES(frames, PH_CALLER);
            ph_acquire();
            ph_emit_alloc_locked(POOLHEAP_TRACE_REALLOC, NULL, SIZE_MAX, 1u, &frames);
            ph_release();
        }
        errno = ENOMEM;
        return NULL;
    }
    return ph_realloc(pointer, count * size, PH_CALLER);
}

PH_EXPORT int posix_memalign(void **out, size_t align, size_t size) {
    if (!ph_ready()) {
        *out = ph_bootstrap_alloc(size, align);
        return *out != NULL ? 0 : ENOMEM;
    }
    ph_frames_t frames;
    PH_FRAMES(frames, PH_CALLER);
    ph_acquire();
    int result = ph_real.posix_memalign(out, align, size);
    ph_emit_alloc_locked(POOLHEAP_TRACE_ALIGNED, result == 0 ? *out : NULL, size, align, &frames);
    ph_release();
    return result;
}

/* aligned_alloc, memalign, valloc and pvalloc: the C library's `*real`
 * (read once it is known), the alignment recorded as the power of two the
 * C library honours (glibc rounds a memalign alignment up). */
static void *ph_aligned(void *(*const *real)(size_t, size_t), size_t align, size_t size, void *caller) {
    if (!ph_ready()) {
        return ph_bootstrap_alloc(size, align);
    }
    ph_frames_t frames;
    PH_FRAMES(frames, caller);
    ph_acquire();
    void *block = (*real)(align, size);
    ph_emit_alloc_locked(POOLHEAP_TRACE_ALIGNED, block, size, block != NULL ? ph_pow2_ceil(align) : align, &frames);
    ph_release();
    return block;
}

PH_EXPORT void *aligned_alloc(size_t align, size_t size) {
    return ph_aligned(&ph_real.aligned_alloc, align, size, PH_CALLER);
}

PH_EXPORT void *memalign(size_t align, size_t size) {
    return ph_aligned(&ph_real.memalign, align, size, PH_CALLER);
}

PH_EXPORT void *valloc(size_t size) {
    return ph_aligned(&ph_real.memalign, (size_t)sysconf(_SC_PAGESIZE), size, PH_CALLER);
}

PH_EXPORT void *pvalloc(size_t size) {
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    return ph_aligned(&ph_real.memalign, page, (size + page - 1u) & ~(page - 1u), PH_CALLER);
}
