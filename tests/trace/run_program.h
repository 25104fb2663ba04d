/* Running a program under test: its environment, its stderr into a file,
 * and a deadline, so that a program that hangs fails the test instead of
 * hanging it. Header-only, like output_text.h. */
#ifndef POOLHEAP_TEST_RUN_PROGRAM_H
#define POOLHEAP_TEST_RUN_PROGRAM_H

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* What run_program returns for a program killed at its deadline. */
#define RUN_PROGRAM_HUNG (-2)

/* Whether environment entry `entry` sets a variable that `extra` sets too,
 * or one of the preloading ones (LD_PRELOAD, POOLHEAP_*) the caller owns. */
static inline int run_program_overridden(const char *entry, char *const extra[]) {
    if (strncmp(entry, "LD_PRELOAD=", 11u) == 0 || strncmp(entry, "POOLHEAP_", 9u) == 0) {
        return 1;
    }
    const char *equals = strchr(entry, '=');
    size_t name = equals != NULL ? (size_t)(equals - entry) + 1u : strlen(entry);
    for (size_t i = 0; extra[i] != NULL; i++) {
        if (strncmp(extra[i], entry, name) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Starts argv (searched on PATH) with environment `env`, stdin from `input`
 * and stderr into `errors` (NULL: this program's), stdout into `output`.
 * Returns its pid, or -1 if it could not be started. */
static inline pid_t run_program_start(char *const argv[], char *const env[], const char *input, const char *output,
                                      const char *errors) {
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    if (input != NULL) {
        posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, input, O_RDONLY, 0);
    }
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (errors != NULL) {
        posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, errors, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    }
    pid_t pid;
    if (posix_spawnp(&pid, argv[0], &actions, NULL, argv, env) != 0) {
        pid = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    return pid;
}

/* Waits for `pid` without polling (a program that hangs is left to the
 * test's ctest TIMEOUT); returns its exit status, -1 if it did not exit
 * normally or pid is -1. */
static inline int run_program_wait(pid_t pid) {
    int status;
    if (pid == -1 || waitpid(pid, &status, 0) != pid) {
        return -1;
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Runs argv with `env_extra` added to this environment, stdin from
 * `input` (NULL: this one's), stdout into `output` and stderr into
 * `errors`; returns the exit status, -1 if it did not exit normally,
 * RUN_PROGRAM_HUNG if it ran past `seconds` (killed). */
static inline int run_program_io(char *const argv[], char *const env_extra[], const char *input, const char *output,
                                 const char *errors, int seconds) {
    size_t n = 0, extra = 0;
    while (environ[n] != NULL) {
        n++;
    }
    while (env_extra[extra] != NULL) {
        extra++;
    }
    char **env = calloc(n + extra + 1u, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (!run_program_overridden(environ[i], env_extra)) {
            env[k++] = environ[i];
        }
    }
    memcpy(env + k, env_extra, extra * sizeof *env);
    pid_t pid = run_program_start(argv, env, input, output, errors);
    int status = -1;
    if (pid != -1) {
        const struct timespec tick = {0, 10 * 1000 * 1000};
        int waited = 0;
        pid_t done;
        while ((done = waitpid(pid, &status, WNOHANG)) == 0 && waited < seconds * 100) {
            nanosleep(&tick, NULL);
            waited++;
        }
        if (done == 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            status = RUN_PROGRAM_HUNG;
        } else {
            status = done == pid && WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        }
    }
    free(env);
    return status;
}

/* run_program_io with stdout to /dev/null. */
static inline int run_program(char *const argv[], char *const env_extra[], const char *errors, int seconds) {
    return run_program_io(argv, env_extra, NULL, "/dev/null", errors, seconds);
}

#endif /* POOLHEAP_TEST_RUN_PROGRAM_H */
