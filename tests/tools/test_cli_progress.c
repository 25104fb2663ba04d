/* The progress lines of the `poolheap` command: shown when standard error
 * is a terminal (a pseudo-terminal here) and the input is large enough
 * (4 MiB to read, 200000 events to replay through --config), they quote
 * the trace's file name with its control characters escaped, as every
 * other message does: a name holding a newline and an escape sequence
 * never reaches the terminal raw. */
#define _XOPEN_SOURCE 600

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define TOOL (char *)POOLHEAP_TOOL
#define HOSTILE_NAME "cli_progress\n\x1b[2J.trace"
#define ESCAPED_NAME "cli_progress\\n\\x1b[2J.trace"
#define PAIRS 600000u /* an ALLOC and a FREE, 7 bytes: 4.2 MB, 1.2 million events */
#define DEADLINE_SECONDS 60

/* What the program wrote on its terminal, NUL-terminated. */
static char terminal[1u << 16];

/* A trace (version 1, 8-byte pointers) of PAIRS allocations of 24 bytes at
 * 0x1000, each freed at once. */
static void write_big_trace(const char *path) {
    static const unsigned char header[] = {'P', 'H', 'T', 'R', 1, 8, 0, 0};
    static const unsigned char pair[] = {1, 24, 0x80, 0x20, 5, 0x80, 0x20};
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    if (f == NULL) {
        return;
    }
    fwrite(header, 1, sizeof header, f);
    for (unsigned i = 0; i < PAIRS; i++) {
        fwrite(pair, 1, sizeof pair, f);
    }
    CHECK(fclose(f) == 0);
}

/* Runs argv with standard error on a new pseudo-terminal (standard output
 * to /dev/null) and keeps what it wrote there in `terminal`. Returns its
 * exit status, or -1 if it could not run, died or missed the deadline. */
static int run_on_terminal(char *const argv[]) {
    terminal[0] = '\0';
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0 || ptsname(master) == NULL) {
        TEST_PRINTF("no pseudo-terminal: %s\n", strerror(errno));
        return -1;
    }
    const char *slave = ptsname(master);
    pid_t pid = fork();
    if (pid == 0) {
        setsid();
        int err = open(slave, O_RDWR), out = open("/dev/null", O_RDWR);
        struct termios mode;
        if (err < 0 || out < 0 || tcgetattr(err, &mode) != 0) {
            _exit(126);
        }
        mode.c_oflag &= ~(tcflag_t)OPOST; /* the bytes as written: no \n made \r\n */
        if (tcsetattr(err, TCSANOW, &mode) != 0 || dup2(err, STDERR_FILENO) < 0 || dup2(out, STDOUT_FILENO) < 0 ||
            dup2(out, STDIN_FILENO) < 0) {
            _exit(126);
        }
        close(master);
        execv(argv[0], argv);
        _exit(127);
    }
    size_t length = 0;
    time_t deadline = time(NULL) + DEADLINE_SECONDS;
    for (;;) { /* until the terminal's last writer closed it (EIO) */
        struct pollfd p = {master, POLLIN, 0};
        if (poll(&p, 1, 1000) < 0 && errno != EINTR) {
            break;
        }
        if (time(NULL) > deadline) {
            kill(pid, SIGKILL);
            break;
        }
        if ((p.revents & (POLLIN | POLLHUP)) == 0) {
            continue;
        }
        char buffer[4096];
        ssize_t got = read(master, buffer, sizeof buffer);
        if (got <= 0) {
            break;
        }
        size_t keep = (size_t)got < sizeof terminal - 1u - length ? (size_t)got : sizeof terminal - 1u - length;
        memcpy(terminal + length, buffer, keep);
        length += keep;
    }
    terminal[length] = '\0';
    close(master);
    int status;
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
        return -1;
    }
    return WEXITSTATUS(status);
}

/* Prints `text` with its control characters as \xNN: a failing test's log
 * must not clear the screen of whoever reads it. */
static void print_escaped(const char *text) {
    for (const unsigned char *c = (const unsigned char *)text; *c != '\0'; c++) {
        if (*c < 0x20u || *c == 0x7Fu) {
            TEST_PRINTF(*c == '\n' ? "\\x%02x\n" : "\\x%02x", *c);
        } else {
            TEST_PRINTF("%c", *c);
        }
    }
    TEST_PRINTF("\n");
}

/* Checks that the terminal shows `part` and no escape character, printing
 * what it shows if not. */
static void shows(const char *part) {
    int ok = strstr(terminal, part) != NULL && strchr(terminal, '\x1b') == NULL;
    CHECK(ok);
    if (!ok) {
        TEST_PRINTF("  expected '%s' and no escape character; the terminal shows:\n", part);
        print_escaped(terminal);
    }
}

static void reading_progress_quotes_the_name_escaped(void) {
    char *report[] = {TOOL, (char *)"report", (char *)HOSTILE_NAME, NULL};
    CHECK_EQ(run_on_terminal(report), 0);
    shows("\r" ESCAPED_NAME ": reading 100%\n");
}

static void replaying_progress_quotes_the_name_escaped(void) {
    char *report[] = {TOOL, (char *)"report", (char *)HOSTILE_NAME, (char *)"--config", (char *)"cli_progress.toml",
                      NULL};
    CHECK_EQ(run_on_terminal(report), 0);
    shows("\r" ESCAPED_NAME ": replaying 5%\r" ESCAPED_NAME ": replaying 10%");
}

/* 1.2 million events are no multiple of the replay's progress step: the
 * line must still end at 100% and a newline, not at the last step (98%)
 * with the report's output then written over it. */
static void replaying_progress_ends_its_line(void) {
    char *report[] = {TOOL, (char *)"report", (char *)HOSTILE_NAME, (char *)"--config", (char *)"cli_progress.toml",
                      NULL};
    CHECK_EQ(run_on_terminal(report), 0);
    shows("\r" ESCAPED_NAME ": replaying 98%\r" ESCAPED_NAME ": replaying 100%\n");
}

int main(void) {
    write_big_trace(HOSTILE_NAME);
    FILE *layout = fopen("cli_progress.toml", "w");
    CHECK(layout != NULL && fputs("[heap]\nsize = 512\npools = [{ block = 32, capacity = 16 }]\n", layout) >= 0);
    CHECK(layout != NULL && fclose(layout) == 0);
    RUN(reading_progress_quotes_the_name_escaped);
    RUN(replaying_progress_quotes_the_name_escaped);
    RUN(replaying_progress_ends_its_line);
    unlink(HOSTILE_NAME);
    return test_summary();
}
