/* Symbolization through addr2line (symbolize.h). */
#define _POSIX_C_SOURCE 200809L

#include "symbolize.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "escape/escape.h"

extern char **environ;

#define PH_EM_ARM 40u

/* Where an address's file is: a map index (or the --elf file) and the
 * address inside the file. */
typedef struct ph_lookup {
    size_t address; /* index into the caller's addresses */
    uint64_t in_file;
    size_t file; /* map index; the map count for --elf; SIZE_MAX: unknown */
} ph_lookup_t;

static int compare_lookup(const void *a, const void *b) {
    const ph_lookup_t *x = a, *y = b;
    if (x->file != y->file) {
        return x->file < y->file ? -1 : 1;
    }
    return (x->address > y->address) - (x->address < y->address);
}

/* The trace's maps by start address, for finding an address's file. */
typedef struct ph_map_index {
    const ph_trace_t *trace;
    size_t *order; /* map indices sorted by start */
} ph_map_index_t;

static const ph_trace_t *sorting_trace; /* qsort has no context argument */

static int compare_map_start(const void *a, const void *b) {
    uint64_t x = sorting_trace->maps[*(const size_t *)a].start, y = sorting_trace->maps[*(const size_t *)b].start;
    return (x > y) - (x < y);
}

/* The map holding `address` (of overlapping maps, the one starting last
 * at or below it), or SIZE_MAX. O(log maps). */
static size_t map_of(const ph_map_index_t *index, uint64_t address) {
    size_t lo = 0u, hi = index->trace->map_count; /* the first map starting above address */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2u;
        if (index->trace->maps[index->order[mid]].start <= address) {
            lo = mid + 1u;
        } else {
            hi = mid;
        }
    }
    if (lo == 0u) {
        return SIZE_MAX;
    }
    const ph_trace_map_t *m = &index->trace->maps[index->order[lo - 1u]];
    return address - m->start < m->size ? index->order[lo - 1u] : SIZE_MAX;
}

/* arm-none-eabi-addr2line for an Arm ELF file, addr2line for the rest. */
static const char *addr2line_for(const char *path) {
    unsigned char header[20];
    FILE *file = fopen(path, "rb");
    size_t got = file != NULL ? fread(header, 1u, sizeof header, file) : 0u;
    if (file != NULL) {
        fclose(file);
    }
    if (got == sizeof header && memcmp(header, "\177ELF", 4u) == 0) {
        unsigned high = header[5] == 2u ? header[18] : header[19], low = header[5] == 2u ? header[19] : header[18];
        unsigned machine = high << 8 | low; /* e_machine, in the file's byte order (EI_DATA 2: big-endian) */
        if (machine == PH_EM_ARM) {
            return "arm-none-eabi-addr2line";
        }
    }
    return "addr2line";
}

/* Writes the addresses of lookups[0 .. n - 1] to a temporary file, one per
 * line in hex; returns its descriptor (rewound), or -1. */
static int write_batch(const ph_lookup_t *lookups, size_t n) {
    char path[] = "/tmp/poolheap-addr2line-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        return -1;
    }
    unlink(path);
    FILE *out = fdopen(dup(fd), "w");
    if (out == NULL) {
        close(fd);
        return -1;
    }
    for (size_t i = 0u; i < n; i++) {
        fprintf(out, "0x%" PRIx64 "\n", lookups[i].in_file);
    }
    if (fclose(out) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* Runs `program` -f -C -e `file` on the batch and returns all it printed
 * (malloc'd, NUL-terminated), or NULL if it could not run or failed. */
static char *run_addr2line(const char *program, const char *file, int batch) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) {
        return NULL;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, batch, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, pipe_fds[0]);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0); /* one message: ours */
    char *argv[] = {(char *)program, "-f", "-C", "-e", (char *)file, NULL};
    pid_t pid;
    int spawned = posix_spawnp(&pid, program, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    size_t length = 0u, capacity = 4096u;
    char *text = malloc(capacity);
    ssize_t got = 0;
    while (spawned == 0 && text != NULL && (got = read(pipe_fds[0], text + length, capacity - length - 1u)) != 0) {
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            break;
        }
        length += (size_t)got;
        if (capacity - length < 2u) {
            char *grown = realloc(text, capacity * 2u);
            if (grown == NULL) {
                free(text);
            }
            text = grown; /* NULL ends the loop */
            capacity *= 2u;
        }
    }
    close(pipe_fds[0]);
    int status = 0;
    if (spawned == 0) {
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
        }
    }
    if (spawned != 0 || got < 0 || text == NULL || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        free(text);
        return NULL;
    }
    text[length] = '\0';
    return text;
}

/* The next line of *cursor (cut at its newline), or NULL at the end. */
static char *next_line(char **cursor) {
    char *line = *cursor;
    if (line == NULL || *line == '\0') {
        return NULL;
    }
    char *end = strchr(line, '\n');
    if (end != NULL) {
        *end = '\0';
        *cursor = end + 1;
    } else {
        *cursor = line + strlen(line);
    }
    return line;
}

/* The name of a return address from addr2line's two lines: "function
 * (file:line)"; without line information (no debugging information in the
 * file), "function (FILE+0xOFFSET)", the offset of the return address in
 * the file: addr2line then names the nearest symbol before the address,
 * which for a static function of a stripped file is another function. */
static char *name_from(const char *function, char *place, const char *path, uint64_t offset) {
    char *discriminator = strstr(place, " (discriminator");
    if (discriminator != NULL) {
        *discriminator = '\0';
    }
    const char *slash = strrchr(place, '/');
    const char *file = slash != NULL ? slash + 1 : place;
    const char *object = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
    size_t size = strlen(function) + strlen(file) + strlen(object) + 32u;
    char *name = malloc(size);
    if (name == NULL) {
        return NULL;
    }
    if (strncmp(file, "??", 2u) != 0) {
        snprintf(name, size, "%s (%s)", function, file);
    } else if (strcmp(function, "??") != 0) {
        snprintf(name, size, "%s (%s+0x%" PRIx64 ")", function, object, offset);
    } else {
        snprintf(name, size, "%s+0x%" PRIx64, object, offset);
    }
    return name;
}

/* Names lookups[0 .. n - 1], all in file `path`. Returns -1 only if out of memory. */
static int symbolize_file(const char *path, const ph_lookup_t *lookups, size_t n, const ph_symbolize_options_t *o,
                          char **names) {
    const char *program = o->addr2line != NULL ? o->addr2line : addr2line_for(path);
    int batch = write_batch(lookups, n);
    char *text = batch >= 0 ? run_addr2line(program, path, batch) : NULL;
    if (batch >= 0) {
        close(batch);
    }
    if (text == NULL) {
        ph_error_line("poolheap report: %s could not read %s: its callers are shown as addresses", program, path);
        return 0;
    }
    char *cursor = text;
    for (size_t i = 0u; i < n; i++) {
        char *function = next_line(&cursor), *place = next_line(&cursor);
        if (place == NULL) {
            break;
        }
        names[lookups[i].address] = name_from(function, place, path, lookups[i].in_file + 1u);
    }
    free(text);
    return 0;
}

int ph_symbolize(const uint64_t *addresses, size_t n, const ph_trace_t *trace, const ph_symbolize_options_t *options,
                 char **names) {
    ph_lookup_t *lookups = malloc((n + 1u) * sizeof *lookups);
    ph_map_index_t index = {trace, malloc((trace->map_count + 1u) * sizeof *index.order)};
    if (lookups == NULL || index.order == NULL) {
        free(lookups);
        free(index.order);
        return -1;
    }
    for (size_t i = 0u; i < trace->map_count; i++) {
        index.order[i] = i;
    }
    sorting_trace = trace;
    qsort(index.order, trace->map_count, sizeof *index.order, compare_map_start);
    for (size_t i = 0u; i < n; i++) {
        names[i] = NULL;
        uint64_t call = (addresses[i] & ~(uint64_t)1u) - 1u; /* a byte of the call instruction */
        size_t file = options->elf != NULL ? trace->map_count : map_of(&index, addresses[i]);
        uint64_t bias = file < trace->map_count ? trace->maps[file].bias : 0u;
        lookups[i] = (ph_lookup_t){i, call - bias, addresses[i] > 1u ? file : SIZE_MAX};
    }
    qsort(lookups, n, sizeof *lookups, compare_lookup);
    int result = 0;
    for (size_t from = 0u, to; from < n && lookups[from].file != SIZE_MAX && result == 0; from = to) {
        for (to = from; to < n && lookups[to].file == lookups[from].file; to++) {
        }
        size_t file = lookups[from].file;
        const char *path = file < trace->map_count ? trace->maps[file].path : options->elf;
        result = symbolize_file(path, lookups + from, to - from, options, names);
    }
    free(index.order);
    free(lookups);
    return result;
}
