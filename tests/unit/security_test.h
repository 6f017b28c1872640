/* security_test.h - what test_security.c and test_seccomp.c share: TAP
 * output, checks made in forked children, /proc/self/status. */
#ifndef HULL_SECURITY_TEST_H
#define HULL_SECURITY_TEST_H

#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

/* want ending in '*' is a prefix. */
static inline bool msg_is(const char *want)
{
        const char *got = herr_msg();
        size_t n = strlen(want);
        bool same =
            n && want[n - 1] == '*' ? strncmp(got, want, n - 1) == 0 : strcmp(got, want) == 0;
        if (!same)
                printf("#   got:  %s\n#   want: %s\n", got, want);
        return same;
}

/* Child-side check: prints a diagnostic and counts a failure. */
static int child_fails;
static inline void check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline void check(bool cond, const char *fmt, ...)
{
        if (cond)
                return;
        va_list ap;
        printf("#   ");
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        child_fails++;
}

/* Runs fn in a child; true if it exited 0. */
static inline bool in_child(int (*fn)(void *), void *arg)
{
        fflush(stdout);
        pid_t pid = fork();
        if (pid < 0)
                return false;
        if (pid == 0) {
                child_fails = 0;
                int r = fn(arg);
                fflush(stdout);
                _exit(r || child_fails ? 1 : 0);
        }
        int st;
        if (waitpid(pid, &st, 0) < 0)
                return false;
        if (WIFSIGNALED(st))
                printf("#   child killed by signal %d\n", WTERMSIG(st));
        return WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* ---- /proc/self/status ---- */

struct status {
        uint64_t inh, prm, eff, bnd, amb;
        int seccomp, filters, nnp;
};

static inline void parse_status(const char *text, struct status *s)
{
        memset(s, 0xff, sizeof(*s));
        for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                unsigned long long v;
                int i;
                if (sscanf(l, "CapInh: %llx", &v) == 1)
                        s->inh = v;
                else if (sscanf(l, "CapPrm: %llx", &v) == 1)
                        s->prm = v;
                else if (sscanf(l, "CapEff: %llx", &v) == 1)
                        s->eff = v;
                else if (sscanf(l, "CapBnd: %llx", &v) == 1)
                        s->bnd = v;
                else if (sscanf(l, "CapAmb: %llx", &v) == 1)
                        s->amb = v;
                else if (sscanf(l, "Seccomp_filters: %d", &i) == 1)
                        s->filters = i;
                else if (sscanf(l, "Seccomp: %d", &i) == 1)
                        s->seccomp = i;
                else if (sscanf(l, "NoNewPrivs: %d", &i) == 1)
                        s->nnp = i;
        }
}

static inline void read_status(struct status *s)
{
        char buf[8192];
        int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
                close(fd);
        buf[n > 0 ? n : 0] = '\0';
        parse_status(buf, s);
}

static inline int tap_end(void)
{
        printf("1..%d\n", n_run);
        printf("%d passed, %d failed\n", n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}

#endif
