/* exec.c - a new process in a running container (`hull exec`).
 *
 * Parent: enter the container's pid namespace (setns affects children
 * only), clone3 the process (into the container's cgroup on v2), wait
 * for it to be ready, write --pid-file, then wait for it or detach.
 * Child (exec_init): join the cgroup (v1, while it still sees the host's
 * cgroupfs), then the namespaces, user first; setns(mnt) puts it at the
 * container's root.  Then the same process steps as the container's
 * init: limits, terminal, seccomp, user and capabilities, execve.
 */
#include "exec.h"
#include "cgroup.h"
#include "container.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"
#include "process.h"
#include "security.h"
#include "sync.h"
#include "sys.h"
#include "terminal.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/close_range.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Namespaces of the init that differ from hull's own, user first; the
 * pid namespace is entered by the parent. */
static const enum hull_ns_kind join_order[] = {NS_USER,   NS_IPC,  NS_UTS, NS_NET,
                                               NS_CGROUP, NS_TIME, NS_MNT};

static int open_init_namespaces(struct exec_launch *x)
{
        for (int k = 0; k < NS_KINDS; k++)
                x->nsfd[k] = -1;
        static const char *const files[NS_KINDS] = {
            [NS_PID] = "pid", [NS_NET] = "net",   [NS_MNT] = "mnt",       [NS_IPC] = "ipc",
            [NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time"};
        for (int k = 0; k < NS_KINDS; k++) {
                char path[64], self[64];
                snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)x->c->pid, files[k]);
                snprintf(self, sizeof(self), "/proc/self/ns/%s", files[k]);
                struct stat a, b;
                if (stat(path, &a) < 0) {
                        if (errno == ENOENT && k == NS_TIME)
                                continue; /* kernel without time namespaces */
                        return herr(errno, "exec: open namespace %s of the container", path);
                }
                if (stat(self, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev)
                        continue; /* shared with the host: nothing to join */
                x->nsfd[k] = open(path, O_RDONLY | O_CLOEXEC);
                if (x->nsfd[k] < 0)
                        return herr(errno, "exec: open %s", path);
        }
        /* the pid may have been reused while we opened: check it is still the init */
        uint64_t start;
        if (proc_stat_start(x->c->pid, &start, NULL) < 0 || start != x->c->start_time)
                return herr(0, "cannot exec in a stopped container");
        return 0;
}

static int join_namespaces(struct exec_launch *x)
{
        for (size_t i = 0; i < sizeof(join_order) / sizeof(join_order[0]); i++) {
                enum hull_ns_kind k = join_order[i];
                if (x->nsfd[k] < 0)
                        continue;
                if (setns(x->nsfd[k], ns_kind_clone_flag(k)) < 0)
                        return herr(errno, "exec: join the container's %s namespace",
                                    ns_kind_name(k));
                if (k == NS_USER && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
                        return herr(errno, "exec: become root in the user namespace");
        }
        return 0;
}

_Noreturn static void exec_init(struct exec_launch *x)
{
        const struct hull_process *p = x->proc;
        char exe[PATH_MAX];
        int notify_fd = -1, exe_fd = -1;
        bool seccomp_early = x->seccomp && !p->no_new_privileges;

        trace_set_role("exec", "exec process");
        if (x->restore_sigmask)
                sigprocmask(SIG_SETMASK, &x->sigmask, NULL);
        close(x->sync_parent);
        if (process_apply_affinity(p->cpu_affinity_initial, "process.execCPUAffinity.initial") < 0)
                goto fail;
        if (x->cgroup && TRACE("cgroup_join_self", NULL, cgroup_join_self(x->cgroup)) < 0)
                goto fail;
        if (TRACE("join_namespaces", NULL, join_namespaces(x)) < 0)
                goto fail;
        if (process_apply_rlimits(p) < 0 || process_apply_oom_score_adj(p) < 0 ||
            process_apply_scheduler(p) < 0 || process_apply_ioprio(p) < 0)
                goto fail;
        if (setsid() < 0) {
                herr(errno, "setsid");
                goto fail;
        }
        if (p->terminal) {
                int master;
                if (terminal_setup(p, false, &master) < 0)
                        goto fail;
                int rc = x->console_sock >= 0
                             ? terminal_send(x->console_sock, master)
                             : sync_send(x->sync_child, SYNC_CONSOLE, 0, NULL, 0, master);
                close(master);
                if (rc < 0)
                        goto fail;
        }
        bool cwd_done = TRACE("process_chdir", p->cwd, process_chdir(p)) == 0;
        if (seccomp_early && (TRACE("seccomp_prog_load", "linux.seccomp",
                                    seccomp_prog_load(x->seccomp, &notify_fd)) < 0 ||
                              sync_send_fd(x->sync_child, SYNC_SECCOMP_FD, &notify_fd) < 0))
                goto fail;
        uint64_t t0 = trace_begin();
        int rc = caps_drop_bounding(&p->caps) < 0 || process_set_user(&p->user) < 0 ||
                         caps_apply(&p->caps) < 0
                     ? -1
                     : 0;
        if (trace_end("step_user_and_caps", "process.user, process.capabilities", t0, rc) < 0)
                goto fail;
        if (!cwd_done && process_chdir(p) < 0)
                goto fail;
        if (TRACE("process_resolve", p->n_args ? p->args[0] : NULL,
                  (exe_fd = process_resolve(p, exe, sizeof(exe)))) < 0)
                goto fail;
        if (lsm_apply_exec_label(p->apparmor_profile, p->selinux_label) < 0)
                goto fail;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                herr(errno, "process.noNewPrivileges: prctl(PR_SET_NO_NEW_PRIVS)");
                goto fail;
        }
        if (x->seccomp && !seccomp_early &&
            (TRACE("seccomp_prog_load", "linux.seccomp",
                   seccomp_prog_load(x->seccomp, &notify_fd)) < 0 ||
             sync_send_fd(x->sync_child, SYNC_SECCOMP_FD, &notify_fd) < 0))
                goto fail;
        if (process_apply_affinity(p->cpu_affinity_final, "process.execCPUAffinity.final") < 0)
                goto fail;
        if (sync_send(x->sync_child, SYNC_READY, 0, NULL, 0, -1) < 0)
                goto fail;
        if (fd_cloexec_from(3 + x->preserve_fds) < 0)
                goto fail;
        trace_mark("process_exec", exe);
        trace_detach();
        process_exec(p, exe, exe_fd);
fail:
        trace_detach();
        sync_send_error(x->sync_child);
        _exit(127);
}

void exec_launch_init(struct exec_launch *x)
{
        memset(x, 0, sizeof(*x));
        x->sync_parent = x->sync_child = x->pidfd = x->console_sock = x->console_master = -1;
        for (int k = 0; k < NS_KINDS; k++)
                x->nsfd[k] = -1;
}

static int exec_clone(struct exec_launch *x);
static int exec_wait_ready(struct exec_launch *x);

int exec_launch(struct exec_launch *x)
{
        if (TRACE("open_init_namespaces", NULL, open_init_namespaces(x)) < 0 ||
            TRACE("clone_exec", NULL, exec_clone(x)) < 0 ||
            TRACE("exec_wait_ready", NULL, exec_wait_ready(x)) < 0)
                return -1;
        if (x->pid_file) {
                char buf[32];
                int n = snprintf(buf, sizeof(buf), "%d", (int)x->pid);
                if (atomic_write_at(AT_FDCWD, x->pid_file, buf, (size_t)n, 0644) < 0)
                        return herr_ctx("--pid-file %s", x->pid_file);
        }
        return 0;
}

/* clone3 into the container's cgroup and pid namespace -> exec_init(). */
static int exec_clone(struct exec_launch *x)
{
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
                return herr(errno, "socketpair");
        x->sync_parent = fds[0];
        x->sync_child = fds[1];
        int self_pid = -1;
        if (x->nsfd[NS_PID] >= 0) {
                self_pid = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
                if (self_pid < 0 || setns(x->nsfd[NS_PID], CLONE_NEWPID) < 0) {
                        int e = errno;
                        if (self_pid >= 0)
                                close(self_pid);
                        return herr(e, "exec: enter the container's pid namespace");
                }
        }
        /* exec --ignore-paused into a paused container: the process freezes
         * in the cgroup with its copy of our lock fd; unlock now, so that
         * `resume` can come in (the lock is the open file's, not the fd's) */
        if (x->c->status == CT_PAUSED && x->c->lock_fd >= 0) {
                flock(x->c->lock_fd, LOCK_UN);
                x->c->lock_fd = -1;
        }
        struct hull_clone_args ca = {
            .flags = CLONE_PIDFD,
            .pidfd = (uint64_t)(uintptr_t)&x->pidfd,
            .exit_signal = SIGCHLD,
        };
        int cgfd = x->cgroup ? cgroup_clone_fd(x->cgroup) : -1;
        if (cgfd >= 0) {
                ca.flags |= CLONE_INTO_CGROUP;
                ca.cgroup = (uint64_t)cgfd;
        }
        pid_t pid = sys_clone3(&ca);
        if (pid == 0)
                exec_init(x);
        int e = errno;
        if (self_pid >= 0) {
                if (setns(self_pid, CLONE_NEWPID) < 0)
                        log_warn("exec: return to hull's pid namespace: %s",
                                 herr_errno_text(errno));
                close(self_pid);
        }
        if (pid < 0)
                return herr(e, "exec: clone3");
        x->pid = pid;
        close(x->sync_child);
        x->sync_child = -1;
        return 0;
}

/* Answer the child until it is ready to execve. */
static int exec_wait_ready(struct exec_launch *x)
{
        for (;;) {
                struct sync_msg m;
                int fd;
                if (sync_recv(x->sync_parent, &m, &fd) < 0)
                        return -1;
                if (m.type == SYNC_CONSOLE) {
                        x->console_master = fd;
                        continue;
                }
                if (m.type == SYNC_SECCOMP_FD) {
                        char *st = container_state_json(x->c);
                        int rc = seccomp_send_notify_fd(x->seccomp_cfg, fd, st);
                        free(st);
                        close(fd);
                        if (rc < 0)
                                return -1;
                        continue;
                }
                if (fd >= 0)
                        close(fd);
                if (m.type == SYNC_READY)
                        break;
                if (m.type == SYNC_ERROR) {
                        herr_set_raw(m.errnum, m.text);
                        return -1;
                }
        }
        return 0;
}

void exec_launch_release(struct exec_launch *x)
{
        int *fds[] = {&x->sync_parent, &x->sync_child, &x->pidfd, &x->console_sock,
                      &x->console_master};
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
                if (*fds[i] >= 0) {
                        close(*fds[i]);
                        *fds[i] = -1;
                }
        for (int k = 0; k < NS_KINDS; k++)
                if (x->nsfd[k] >= 0) {
                        close(x->nsfd[k]);
                        x->nsfd[k] = -1;
                }
        if (x->seccomp) {
                seccomp_free(x->seccomp);
                x->seccomp = NULL;
        }
}
