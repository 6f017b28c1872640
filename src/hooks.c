/* hooks.c - run a config's hooks (see hooks.h). */
#include "hooks.h"
#include "error.h"
#include "exe_guard.h"
#include "log.h"
#include "sys.h"
#include "trace.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* in_container: a startContainer hook, run from the container's root,
 * where the path must not lead to hull's own binary (exe_guard.h). */
static int run_one(const struct hull_hook *hk, int state_fd, bool in_container)
{
        pid_t pid = fork();
        if (pid < 0)
                return herr(errno, "fork");
        if (pid == 0) {
                if (dup2(state_fd, STDIN_FILENO) < 0)
                        _exit(127);
                /* A hook gets what it asks for: its args and env only. */
                static const char *empty[] = {NULL};
                const char *const *argv =
                    hk->args ? hk->args : (const char *const[]){hk->path, NULL};
                const char *const *envp = hk->env ? hk->env : empty;
                /* (the checked fd is O_CLOEXEC: execve closes it) */
                if (in_container && exe_guard_open(hk->path, "hooks.startContainer") < 0) {
                        dprintf(STDERR_FILENO, "hull: %s\n", herr_msg());
                        _exit(127);
                }
                execve(hk->path, (char *const *)argv, (char *const *)envp);
                dprintf(STDERR_FILENO, "hull: exec hook %s: %s\n", hk->path,
                        herr_errno_text(errno));
                _exit(127);
        }
        int pfd = sys_pidfd_open(pid, 0);
        int status = 0;
        if (hk->has_timeout && pfd >= 0) {
                struct pollfd p = {.fd = pfd, .events = POLLIN};
                int ms = hk->timeout * 1000;
                struct timespec t0, t1;
                clock_gettime(CLOCK_MONOTONIC, &t0);
                for (;;) {
                        int r = poll(&p, 1, ms);
                        if (r > 0)
                                break;
                        if (r < 0 && errno == EINTR) {
                                clock_gettime(CLOCK_MONOTONIC, &t1);
                                long spent = (t1.tv_sec - t0.tv_sec) * 1000 +
                                             (t1.tv_nsec - t0.tv_nsec) / 1000000;
                                ms = hk->timeout * 1000 - (int)spent;
                                if (ms > 0)
                                        continue;
                        }
                        sys_pidfd_send_signal(pfd, SIGKILL, NULL, 0);
                        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                                ;
                        close(pfd);
                        return herr(ETIMEDOUT, "hook %s timed out after %d s", hk->path,
                                    hk->timeout);
                }
        }
        if (pfd >= 0)
                close(pfd);
        while (waitpid(pid, &status, 0) < 0) {
                if (errno != EINTR)
                        return herr(errno, "wait for hook %s", hk->path);
        }
        if (WIFSIGNALED(status))
                return herr(0, "hook %s killed by signal %d", hk->path, WTERMSIG(status));
        if (WEXITSTATUS(status) != 0)
                return herr(0, "hook %s exited with status %d", hk->path, WEXITSTATUS(status));
        return 0;
}

int hooks_run(const struct hull_hooks *h, enum hull_hook_kind kind, const char *state_json)
{
        if (!h || h->n[kind] == 0)
                return 0;
        int fd = memfd_create("hull-hook-state", MFD_CLOEXEC);
        if (fd < 0)
                return herr(errno, "hooks.%s: memfd_create", hook_kind_name(kind));
        size_t len = state_json ? strlen(state_json) : 0;
        if (len && write(fd, state_json, len) != (ssize_t)len) {
                int e = errno;
                close(fd);
                return herr(e, "hooks.%s: write state", hook_kind_name(kind));
        }
        int rc = 0;
        for (size_t i = 0; i < h->n[kind]; i++) {
                uint64_t t0 = trace_begin();
                int r = lseek(fd, 0, SEEK_SET) < 0
                            ? -1
                            : run_one(&h->list[kind][i], fd, kind == HOOK_START_CONTAINER);
                trace_endf("hook", t0, r, "hooks.%s[%zu] %s", hook_kind_name(kind), i,
                           h->list[kind][i].path);
                if (r < 0) {
                        herr_ctx("hooks.%s[%zu]", hook_kind_name(kind), i);
                        if (kind == HOOK_POSTSTOP) { /* runtime.md: warn, go on */
                                log_warn("%s", herr_msg());
                                continue;
                        }
                        rc = -1;
                        break;
                }
        }
        close(fd);
        return rc;
}
