/* Running a program from a test: under an environment of the test's
 * choosing, its standard output into a file. Header-only. */
#ifndef POOLHEAP_TEST_SPAWN_PROGRAM_H
#define POOLHEAP_TEST_SPAWN_PROGRAM_H

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Runs argv with this process's environment, less any LD_PRELOAD and
 * POOLHEAP_TRACE* variables, plus `extra` (NULL-terminated "NAME=VALUE"
 * strings; NULL for none), its standard output into `output` ("/dev/null"
 * to drop it). Returns its exit status, or -1 if it could not be started
 * or did not exit normally. */
static inline int spawn_program(char *const argv[], char *const extra[], const char *output) {
    size_t n = 0u, added = 0u;
    while (environ[n] != NULL) {
        n++;
    }
    while (extra != NULL && extra[added] != NULL) {
        added++;
    }
    char **env = calloc(n + added + 1u, sizeof *env);
    size_t k = 0u;
    for (size_t i = 0u; env != NULL && i < n; i++) {
        if (strncmp(environ[i], "LD_PRELOAD=", 11u) != 0 && strncmp(environ[i], "POOLHEAP_TRACE", 14u) != 0) {
            env[k++] = environ[i];
        }
    }
    for (size_t i = 0u; env != NULL && i < added; i++) {
        env[k++] = extra[i];
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    int status = -1;
    if (env != NULL && posix_spawnp(&pid, argv[0], &actions, NULL, argv, env) == 0 && waitpid(pid, &status, 0) == pid) {
        status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    } else {
        status = -1;
    }
    posix_spawn_file_actions_destroy(&actions);
    free(env);
    return status;
}

#endif /* POOLHEAP_TEST_SPAWN_PROGRAM_H */
