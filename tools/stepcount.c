/* tools/stepcount.c - count the user-space instructions of a command and of
 * every process it forks or clones, by single-stepping them with ptrace.
 *
 *   cc -O2 -o stepcount tools/stepcount.c
 *   stepcount hull --root R run -b B ID
 *
 * valgrind 3.19 cannot follow hull's container init: it has no clone3 and
 * no new mount API (open_tree, move_mount, fsopen, mount_setattr).  Single-
 * stepping runs the real system calls, so it counts both sides of a `run`.
 * A process is counted from its start (the command: from its execve) until
 * it exits or calls execve: what a child execs (the container's /bin/true)
 * is not counted.  One line per process on stderr, "pid P: N instructions
 * (how it ended)", then "total: N".  Slow: a few microseconds per step.
 * Linux x86-64 (or any architecture with PTRACE_SINGLESTEP).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_PROCS 256

static struct {
        pid_t pid;
        unsigned long long steps;
        int done;
} procs[MAX_PROCS];
static int n_procs;

static int slot(pid_t pid)
{
        for (int i = 0; i < n_procs; i++)
                if (procs[i].pid == pid)
                        return i;
        if (n_procs == MAX_PROCS) {
                fprintf(stderr, "stepcount: more than %d processes\n", MAX_PROCS);
                exit(2);
        }
        procs[n_procs].pid = pid;
        return n_procs++;
}

static void finish(pid_t pid, const char *how)
{
        int i = slot(pid);
        if (procs[i].done)
                return;
        procs[i].done = 1;
        fprintf(stderr, "pid %d: %llu instructions (%s)\n", (int)pid, procs[i].steps, how);
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: stepcount CMD [ARG...]\n");
                return 2;
        }
        pid_t first = fork();
        if (first < 0)
                return perror("fork"), 2;
        if (first == 0) {
                ptrace(PTRACE_TRACEME, 0, NULL, NULL);
                raise(SIGSTOP);
                execvp(argv[1], argv + 1);
                perror(argv[1]);
                _exit(127);
        }
        int st, code = 0;
        if (waitpid(first, &st, 0) < 0 || !WIFSTOPPED(st))
                return fprintf(stderr, "stepcount: the command did not stop\n"), 2;
        ptrace(PTRACE_SETOPTIONS, first, NULL,
               (void *)(long)(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |
                              PTRACE_O_TRACEEXEC | PTRACE_O_EXITKILL));
        ptrace(PTRACE_CONT, first, NULL, NULL); /* run up to its execve */
        int started = 0, live = 1;
        while (live > 0) {
                pid_t pid = waitpid(-1, &st, __WALL);
                if (pid < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (WIFEXITED(st) || WIFSIGNALED(st)) {
                        live--;
                        finish(pid, WIFEXITED(st) ? "exit" : "killed");
                        if (pid == first)
                                code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
                        continue;
                }
                if (!WIFSTOPPED(st))
                        continue;
                int i = slot(pid), event = st >> 16, sig = WSTOPSIG(st), deliver = 0;
                if (event == PTRACE_EVENT_EXEC) {
                        if (pid == first && !started) {
                                started = 1;
                        } else {
                                finish(pid, "execve");
                                ptrace(PTRACE_DETACH, pid, NULL, NULL);
                                live--;
                                continue;
                        }
                } else if (event == PTRACE_EVENT_FORK || event == PTRACE_EVENT_VFORK ||
                           event == PTRACE_EVENT_CLONE) {
                        live++; /* the new one stops with SIGSTOP on its own */
                } else if (event == 0 && sig == SIGTRAP) {
                        procs[i].steps++;
                } else if (event == 0 && sig == SIGSTOP && procs[i].steps == 0 && pid != first) {
                        /* a new child's first stop */
                } else if (event == 0) {
                        deliver = sig;
                }
                if (!started) {
                        ptrace(PTRACE_CONT, pid, NULL, (void *)(long)deliver);
                        continue;
                }
                ptrace(PTRACE_SINGLESTEP, pid, NULL, (void *)(long)deliver);
        }
        unsigned long long total = 0;
        for (int i = 0; i < n_procs; i++)
                total += procs[i].steps;
        fprintf(stderr, "total: %llu instructions in %d processes\n", total, n_procs);
        return code;
}
