/* Every entry point of the malloc family at the edges the C standard and
 * POSIX define: size 0, NULL, alignments that are not powers of two, too
 * small or huge, sizes that overflow, realloc(p, 0) and realloc(NULL, n);
 * and a forked child that allocates.
 *
 * The program checks what the standards require (a violation is printed to
 * stderr and makes the exit status 1) and prints, per case, what it got
 * (NULL or a block, and errno) to stdout. preload_edges.cmake runs it on
 * the C library alone, then under the runner and under the recorder: the
 * requirements must hold there too, and the printed outcomes must be the C
 * library's, so a program sees no difference. */
#define _GNU_SOURCE

#include <errno.h>
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int violations;

/* Sizes, alignments and pointers the compiler cannot see through, so that
 * it neither warns about the huge or odd requests, nor about a block used
 * after a realloc that failed (and so left it allocated), nor assumes the
 * alignment a block is checked for. */
static size_t opaque(size_t size) {
    volatile size_t hidden = size;
    return hidden;
}

static unsigned char *opaque_pointer(unsigned char *p) {
    unsigned char *volatile hidden = p;
    return hidden;
}

/* Calls `call` with errno cleared and prints its outcome. */
#define TRY(name, call, size, align) (errno = 0, outcome(name, (call), size, align))

static void require(int condition, const char *what) {
    if (!condition) {
        fprintf(stderr, "violation: %s\n", what);
        violations++;
    }
}

/* Prints the outcome of `name`: "NULL errno=E" or "block", and checks a
 * block is aligned to `align` and holds `size` bytes. */
static void *outcome(const char *name, void *p, size_t size, size_t align) {
    if (p == NULL) {
        printf("%s: NULL errno=%s\n", name, errno == ENOMEM ? "ENOMEM" : errno == EINVAL ? "EINVAL" : "other");
        return NULL;
    }
    printf("%s: block\n", name);
    require((uintptr_t)p % align == 0u, name);
    require(malloc_usable_size(p) >= size, name);
    memset(p, 0xA5, size);
    return p;
}

/* Two live blocks must not share a byte: fill both, check both. */
static void require_apart(unsigned char *a, size_t a_size, unsigned char *b, size_t b_size, const char *what) {
    memset(a, 0x11, a_size);
    memset(b, 0x22, b_size);
    int intact = 1;
    for (size_t i = 0u; i < a_size; i++) {
        intact &= a[i] == 0x11;
    }
    for (size_t i = 0u; i < b_size; i++) {
        intact &= b[i] == 0x22;
    }
    require(a != b && intact, what);
}

static void zero_sizes(void) {
    void *a = TRY("malloc(0)", malloc(0u), 0u, 1u);
    void *b = TRY("malloc(0) again", malloc(0u), 0u, 1u);
    require(a == NULL || a != b, "two malloc(0) blocks are distinct");
    free(a);
    free(b);
    free(TRY("calloc(0, 8)", calloc(0u, 8u), 0u, 1u));
    free(TRY("calloc(8, 0)", calloc(8u, 0u), 0u, 1u));
    void *p = NULL;
    int r = posix_memalign(&p, 64u, 0u);
    printf("posix_memalign(64, 0): %d\n", r);
    require(r == 0 || p == NULL, "posix_memalign(64, 0) gives 0 or leaves nothing");
    free(p);
    free(TRY("aligned_alloc(64, 0)", aligned_alloc(opaque(64u), 0u), 0u, 64u));
    free(TRY("memalign(64, 0)", memalign(opaque(64u), 0u), 0u, 64u));
    free(TRY("valloc(0)", valloc(0u), 0u, (size_t)sysconf(_SC_PAGESIZE)));
    free(TRY("pvalloc(0)", pvalloc(0u), 0u, (size_t)sysconf(_SC_PAGESIZE)));
}

static void null_pointers(void) {
    free(NULL);
    require(malloc_usable_size(NULL) == 0u, "malloc_usable_size(NULL) is 0");
    unsigned char *p = TRY("realloc(NULL, 40)", realloc(NULL, 40u), 40u, sizeof(void *));
    require(p != NULL, "realloc(NULL, 40) allocates like malloc(40)");
    free(p);
    free(TRY("reallocarray(NULL, 5, 8)", reallocarray(NULL, 5u, 8u), 40u, sizeof(void *)));
}

/* realloc(p, 0) frees p (glibc returns NULL): whatever it returns, the
 * next allocations must not be handed p's memory while it is still held. */
static void realloc_to_zero(void) {
    unsigned char *p = malloc(24u);
    require(p != NULL, "malloc(24)");
    unsigned char *q = TRY("realloc(p, 0)", realloc(p, 0u), 0u, 1u);
    unsigned char *r = malloc(24u), *s = malloc(24u);
    require(r != NULL && s != NULL, "malloc(24) after realloc(p, 0)");
    require_apart(r, 24u, s, 24u, "blocks after realloc(p, 0) are apart");
    if (q != NULL) {
        size_t q_size = malloc_usable_size(q);
        require_apart(q, q_size, r, 24u, "realloc(p, 0)'s block is apart from the next malloc's");
        require_apart(q, q_size, s, 24u, "realloc(p, 0)'s block is apart from the next mallocs'");
    }
    free(q);
    free(r);
    free(s);
}

/* Growing keeps the bytes, shrinking keeps the prefix, in every pool. */
static void realloc_keeps_contents(void) {
    unsigned char *p = malloc(8u);
    require(p != NULL, "malloc(8)");
    for (size_t i = 0u; i < 8u; i++) {
        p[i] = (unsigned char)i;
    }
    for (size_t size = 16u; size <= 8192u && p != NULL; size *= 2u) {
        p = realloc(p, size);
        require(p != NULL, "realloc grows");
        for (size_t i = 0u; p != NULL && i < 8u; i++) {
            require(p[i] == (unsigned char)i, "realloc keeps the bytes");
        }
    }
    p = realloc(p, 4u);
    require(p != NULL && p[3] == 3u, "realloc shrinks and keeps the prefix");
    free(p);
}

/* calloc zeroes, even a block that was used and dirtied before. */
static void calloc_zeroes_reused_blocks(void) {
    for (size_t size = 8u; size <= 4096u; size *= 4u) {
        unsigned char *dirty = malloc(size);
        require(dirty != NULL, "malloc");
        memset(dirty, 0xFF, size);
        free(dirty);
        unsigned char *clean = calloc(1u, size);
        require(clean != NULL, "calloc");
        size_t nonzero = 0u;
        for (size_t i = 0u; clean != NULL && i < size; i++) {
            nonzero += clean[i] != 0u;
        }
        require(nonzero == 0u, "calloc's block is zeroed");
        free(clean);
    }
}

static void alignments(void) {
    void *p = (void *)&p;
    int r = posix_memalign(&p, 24u, 16u);
    printf("posix_memalign(24, 16): %d\n", r);
    require(r == EINVAL && p == (void *)&p, "posix_memalign with a non-power-of-two: EINVAL, *out untouched");
    r = posix_memalign(&p, sizeof(void *) / 2u, 16u);
    printf("posix_memalign(pointer / 2, 16): %d\n", r);
    require(r == EINVAL && p == (void *)&p, "posix_memalign below a pointer's alignment: EINVAL");
    r = posix_memalign(&p, 0u, 16u);
    printf("posix_memalign(0, 16): %d\n", r);
    require(r == EINVAL, "posix_memalign(0, ...): EINVAL");
    r = posix_memalign(&p, (size_t)1u << 40, 16u);
    printf("posix_memalign(2^40, 16): %d\n", r);
    require(r == ENOMEM && p == (void *)&p, "posix_memalign with a huge alignment: ENOMEM, *out untouched");
    r = posix_memalign(&p, 4096u, 100u);
    require(r == 0 && (uintptr_t)p % 4096u == 0u, "posix_memalign(4096, 100)");
    free(r == 0 ? p : NULL);
    /* glibc rounds a memalign alignment up to a power of two */
    free(TRY("memalign(24, 40)", memalign(opaque(24u), 40u), 40u, 32u));
    free(TRY("memalign(96, 40)", memalign(opaque(96u), 40u), 40u, 128u));
    free(TRY("aligned_alloc(24, 48)", aligned_alloc(opaque(24u), 48u), 48u, 8u));
    free(TRY("memalign(1, 40)", memalign(opaque(1u), 40u), 40u, 1u));
    free(TRY("memalign(2^40, 16)", memalign(opaque((size_t)1u << 40), 16u), 16u, 1u));
    free(TRY("aligned_alloc(2^63, 16)", aligned_alloc(opaque((size_t)1u << 63), 16u), 16u, 1u));
    free(TRY("memalign(2^40 + 8, 16)", memalign(opaque(((size_t)1u << 40) + 8u), 16u), 16u, 1u));
}

static void huge_sizes(void) {
    size_t most = opaque(SIZE_MAX);
    free(TRY("malloc(SIZE_MAX)", malloc(most), 0u, 1u));
    free(TRY("malloc(PTRDIFF_MAX + 1)", malloc(opaque((size_t)PTRDIFF_MAX + 1u)), 0u, 1u));
    free(TRY("calloc(SIZE_MAX / 2, 4)", calloc(most / 2u, 4u), 0u, 1u));
    free(TRY("calloc(SIZE_MAX / 4 + 2, 4)", calloc(most / 4u + 2u, 4u), 0u, 1u)); /* wraps to 4 */
    free(TRY("memalign(64, SIZE_MAX)", memalign(opaque(64u), most), 0u, 1u));
    free(TRY("valloc(SIZE_MAX)", valloc(most), 0u, 1u));
    unsigned char *p = malloc(32u);
    require(p != NULL, "malloc(32)");
    memset(p, 7, 32u);
    void *q = TRY("reallocarray(p, SIZE_MAX / 2, 4)", reallocarray(opaque_pointer(p), most / 2u, 4u), 0u, 1u);
    require(q == NULL && p[31] == 7u, "reallocarray overflow: NULL, p untouched");
    q = TRY("reallocarray(p, SIZE_MAX / 4 + 2, 4)", reallocarray(opaque_pointer(p), most / 4u + 2u, 4u), 0u, 1u);
    require(q == NULL && p[31] == 7u, "reallocarray overflow to 4 bytes: NULL, p untouched");
    q = TRY("realloc(p, SIZE_MAX)", realloc(opaque_pointer(p), most), 0u, 1u);
    require(q == NULL && p[31] == 7u, "realloc(p, SIZE_MAX): NULL, p untouched");
    free(p);
}

/* A child allocates and frees, and ends with _exit; the parent's heap and
 * trace go on. */
static void a_forked_child_allocates_too(void) {
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        void *p = malloc(48u);
        free(p);
        _exit(p != NULL ? 0 : 3);
    }
    int status = -1;
    require(child > 0 && waitpid(child, &status, 0) == child && WIFEXITED(status) && WEXITSTATUS(status) == 0,
            "a forked child allocates and exits");
    free(TRY("malloc(48) after fork", malloc(48u), 48u, sizeof(void *)));
}

int main(void) {
    zero_sizes();
    null_pointers();
    realloc_to_zero();
    realloc_keeps_contents();
    calloc_zeroes_reused_blocks();
    alignments();
    huge_sizes();
    a_forked_child_allocates_too();
    fflush(stdout);
    return violations == 0 ? 0 : 1;
}
