/* init.c - the container's init: what the clone3() child does, in order,
 * from the moment it exists until it becomes process.args[0] by execve.
 *
 * It runs in the namespaces clone3 created, still as root of the host (or
 * of its new user namespace), single-threaded, with a copy of the parent's
 * memory: the parsed config, the compiled seccomp filter and the cgroup
 * paths are already there, so nothing is re-read or re-parsed.  Every
 * failure is sent to the parent over the sync socket as one line, and the
 * parent reports it.  docs/ARCHITECTURE.md lists these steps.
 */
#include "cgroup.h"
#include "error.h"
#include "fsutil.h"
#include "hooks.h"
#include "launch.h"
#include "log.h"
#include "namespaces.h"
#include "process.h"
#include "rootfs.h"
#include "security.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Become root of a new user namespace once the parent mapped it. */
static int step_userns(struct launch *l)
{
        const struct hull_linux *lx = &l->cfg->linux_;
        if (!lx->ns[NS_USER].present || lx->ns[NS_USER].path)
                return 0;
        struct sync_msg m;
        if (sync_expect(l->sync_child, SYNC_IDMAPPED, &m) < 0)
                return -1;
        if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0)
                return herr(errno, "become root in the user namespace");
        return 0;
}

/* hostname and domainname (need a uts namespace; config_validate checks). */
static int step_uts(const struct hull_config *cfg)
{
        if (cfg->hostname && sethostname(cfg->hostname, strlen(cfg->hostname)) < 0)
                return herr(errno, "hostname: sethostname \"%s\"", cfg->hostname);
        if (cfg->domainname && setdomainname(cfg->domainname, strlen(cfg->domainname)) < 0)
                return herr(errno, "domainname: setdomainname \"%s\"", cfg->domainname);
        return 0;
}

/* The state the container's own hooks get: the pid as the container sees
 * it (as runc gives it) and the status of the phase. */
static char *hook_state_here(const char *state, const char *status)
{
        json_t *o = json_loads(state, 0, NULL);
        if (!o)
                return strdup(state);
        json_object_set_new(o, "pid", json_integer(getpid()));
        json_object_set_new(o, "status", json_string(status));
        char *s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        return s;
}

/* prestart + createRuntime run in the parent while we wait; we get the
 * state JSON back for our own createContainer/startContainer hooks. */
static int step_runtime_hooks(struct launch *l, char **state_json)
{
        const struct hull_hooks *h = &l->cfg->hooks;
        *state_json = NULL;
        if (!h->n[HOOK_PRESTART] && !h->n[HOOK_CREATE_RUNTIME] && !h->n[HOOK_CREATE_CONTAINER] &&
            !h->n[HOOK_START_CONTAINER])
                return 0;
        struct sync_msg m;
        if (sync_send(l->sync_child, SYNC_HOOKS, 0, NULL, 0, -1) < 0 ||
            sync_expect(l->sync_child, SYNC_CONTINUE, &m) < 0)
                return -1;
        *state_json = hook_state_here(m.text, "creating");
        return *state_json ? 0 : herr(ENOMEM, "hooks");
}

/* A new session keyring, so the container does not share the caller's. */
static int step_keyring(struct launch *l)
{
        if (l->no_new_keyring)
                return 0;
        char name[128];
        snprintf(name, sizeof(name), "_ses.%s", l->id);
        /* KEYCTL_JOIN_SESSION_KEYRING = 1; ENOSYS/EPERM: keys not available */
        if (syscall(SYS_keyctl, 1, name) < 0 && errno != ENOSYS && errno != EPERM &&
            errno != EACCES)
                return herr(errno, "join a new session keyring");
        return 0;
}

/* Change to process.user with the configured capabilities. */
static int step_user_and_caps(const struct hull_process *p)
{
        if (caps_drop_bounding(&p->caps) < 0)
                return -1;
        if (process_set_user(&p->user) < 0)
                return -1;
        return caps_apply(&p->caps);
}

/* process.terminal: the pty goes to --console-socket, or to hull (run -t). */
static int step_terminal(struct launch *l)
{
        if (!l->cfg->process.terminal)
                return 0;
        int master;
        if (terminal_setup(&l->cfg->process, true, &master) < 0)
                return -1;
        int rc = l->console_sock >= 0 ? terminal_send(l->console_sock, master)
                                      : sync_send(l->sync_child, SYNC_CONSOLE, 0, NULL, 0, master);
        close(master);
        if (l->console_sock >= 0)
                close(l->console_sock);
        return rc;
}

/* A signal to a created container ends it, as with runc (whose init,
 * a Go program, handles every signal): as the first process of a pid
 * namespace the init would otherwise ignore all but SIGKILL. */
static void die_of_signal(int sig)
{
        signal(sig, SIG_DFL);
        raise(sig); /* kills unless we are a pid namespace's init */
        _exit(128 + sig);
}

static void die_on_signals(void)
{
        /* not: uncatchable, ignored by default, stopping, our own faults */
        static const int keep[] = {SIGKILL, SIGSTOP, SIGCHLD, SIGCONT, SIGURG, SIGWINCH, SIGTSTP,
                                   SIGTTIN, SIGTTOU, SIGSEGV, SIGBUS,  SIGILL, SIGFPE};
        struct sigaction sa = {.sa_handler = die_of_signal};
        sigemptyset(&sa.sa_mask);
        for (int sig = 1; sig <= SIGRTMAX; sig++) {
                bool skip = false;
                for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
                        skip = skip || keep[i] == sig;
                if (!skip)
                        sigaction(sig, &sa, NULL);
        }
}

/* Wait for `start`: the exec fifo (create) or SYNC_START (run).  execve
 * puts the handlers of die_on_signals() back to the default. */
static int step_wait_for_start(struct launch *l)
{
        if (l->fifo_fd < 0) {
                struct sync_msg m;
                return sync_expect(l->sync_child, SYNC_START, &m);
        }
        die_on_signals();
        char c;
        ssize_t n;
        do
                n = read(l->fifo_fd, &c, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1)
                return herr(n < 0 ? errno : EPIPE, "wait for start on exec.fifo");
        return 0;
}

_Noreturn void container_init(struct launch *l)
{
        const struct hull_config *cfg = l->cfg;
        const struct hull_linux *lx = &cfg->linux_;
        const struct hull_process *p = &cfg->process;
        struct rootfs_ctx rootfs = {
            .cfg = cfg,
            .rootfs = l->rootfs,
            .bundle = l->bundle,
            .no_pivot = l->no_pivot,
            .cgroup = l->cgroup,
            .rootfs_fd = -1,
            .mount_fds = l->mount_fds,
        };
        char exe[PATH_MAX];
        char *state_json = NULL;
        int notify_fd = -1, exe_fd = -1;
        bool cwd_done = false, started = false;
        bool seccomp_early = l->seccomp && !p->no_new_privileges;

        trace_set_role("init", "container init");
        uint64_t t0 = trace_begin();
        if (l->restore_sigmask)
                sigprocmask(SIG_SETMASK, &l->sigmask, NULL);
        close(l->sync_parent);
        close(l->dir_fd); /* nothing of the host's state dir goes in */
        close(l->root_fd);
        trace_end("container_init", "signal mask, the parent's fds", t0, 0);

        /* 1. namespaces: user mapping, joined paths, affinity, cgroup, time */
        if (TRACE("step_userns", "user", step_userns(l)) < 0 ||
            TRACE("ns_join_paths", "linux.namespaces", ns_join_paths(lx)) < 0)
                goto fail;
        /* what CLONE_INTO_CGROUP did not do */
        if (TRACE("cgroup_join_self", lx->cgroups_path, cgroup_join_self(l->cgroup)) < 0)
                goto fail;
        if (TRACE("ns_unshare_cgroup", "cgroup", ns_unshare_cgroup(lx)) < 0 ||
            TRACE("ns_setup_time", "time", ns_setup_time(lx)) < 0)
                goto fail;
        if (lx->ns[NS_NET].present && !lx->ns[NS_NET].path &&
            TRACE("ns_loopback_up", "lo", ns_loopback_up()) < 0)
                goto fail;

        /* 2. the filesystem: mounts, /dev, devices; hooks; pivot_root */
        if (TRACE("rootfs_prepare", l->rootfs, rootfs_prepare(&rootfs)) < 0 ||
            TRACE("step_uts", cfg->hostname, step_uts(cfg)) < 0)
                goto fail;
        if (TRACE("step_runtime_hooks", "SYNC_HOOKS", step_runtime_hooks(l, &state_json)) < 0)
                goto fail;
        if (TRACE("hooks_run", "createContainer",
                  hooks_run(&cfg->hooks, HOOK_CREATE_CONTAINER, state_json)) < 0)
                goto fail;
        if (TRACE("rootfs_pivot", l->rootfs, rootfs_pivot(&rootfs)) < 0)
                goto fail;
        if (TRACE("sysctl_apply", "linux.sysctl", sysctl_apply(lx)) < 0 ||
            TRACE("rootfs_finish", "maskedPaths, readonlyPaths", rootfs_finish(&rootfs)) < 0)
                goto fail;

        /* 3. the process: limits, scheduling, session, user, capabilities */
        if (TRACE("process_apply_rlimits", "process.rlimits", process_apply_rlimits(p)) < 0 ||
            TRACE("process_apply_oom_score_adj", "process.oomScoreAdj",
                  process_apply_oom_score_adj(p)) < 0 ||
            TRACE("process_apply_personality", "linux.personality",
                  process_apply_personality(&lx->personality)) < 0 ||
            TRACE("process_apply_scheduler", "process.scheduler", process_apply_scheduler(p)) < 0 ||
            TRACE("process_apply_ioprio", "process.ioPriority", process_apply_ioprio(p)) < 0)
                goto fail;
        if (TRACE("setsid", NULL, setsid() < 0 ? -1 : 0) < 0)
                goto fail_errno_setsid;
        if (TRACE("step_terminal", "process.terminal", step_terminal(l)) < 0)
                goto fail;
        if (TRACE("step_keyring", "session keyring", step_keyring(l)) < 0)
                goto fail;
        cwd_done = TRACE("process_chdir", p->cwd, process_chdir(p)) == 0;
        /* the listener fd goes out at once: a NOTIFY rule may cover a syscall
         * the init still makes, and only the agent can answer it */
        if (seccomp_early && (TRACE("seccomp_prog_load", "linux.seccomp",
                                    seccomp_prog_load(l->seccomp, &notify_fd)) < 0 ||
                              sync_send_fd(l->sync_child, SYNC_SECCOMP_FD, &notify_fd) < 0))
                goto fail;
        if (TRACE("step_user_and_caps", "process.user, process.capabilities",
                  step_user_and_caps(p)) < 0)
                goto fail;
        if (!cwd_done && process_chdir(p) < 0) /* e.g. only the user may enter it */
                goto fail;
        if (TRACE("process_resolve", p->n_args ? p->args[0] : NULL,
                  (exe_fd = process_resolve(p, exe, sizeof(exe)))) < 0)
                goto fail;
        if (TRACE("lsm_apply_exec_label",
                  p->apparmor_profile ? p->apparmor_profile : p->selinux_label,
                  lsm_apply_exec_label(p->apparmor_profile, p->selinux_label)) < 0)
                goto fail;
        if (p->no_new_privileges && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0) {
                herr(errno, "process.noNewPrivileges: prctl(PR_SET_NO_NEW_PRIVS)");
                goto fail;
        }

        /* With noNewPrivileges, as late as the listener fd can still reach
         * the parent: `create` is gone after SYNC_READY (as runc). */
        if (l->seccomp && !seccomp_early &&
            (TRACE("seccomp_prog_load", "linux.seccomp",
                   seccomp_prog_load(l->seccomp, &notify_fd)) < 0 ||
             sync_send_fd(l->sync_child, SYNC_SECCOMP_FD, &notify_fd) < 0))
                goto fail;

        /* 4. ready: wait for start */
        if (TRACE("ready", "SYNC_READY", sync_send(l->sync_child, SYNC_READY, 0, NULL, 0, -1)) < 0)
                goto fail;
        if (TRACE("step_wait_for_start", l->fifo_fd < 0 ? "SYNC_START" : "exec.fifo",
                  step_wait_for_start(l)) < 0)
                goto fail;
        started = true;
        if (state_json) {
                char *st = hook_state_here(state_json, "created");
                free(state_json);
                state_json = st;
        }
        if (TRACE("hooks_run", "startContainer",
                  hooks_run(&cfg->hooks, HOOK_START_CONTAINER, state_json)) < 0)
                goto fail;

        /* 5. only stdio and --preserve-fds go through execve */
        if (fd_cloexec_from(3 + l->preserve_fds) < 0)
                goto fail;
        trace_mark("process_exec", exe);
        trace_detach();
        process_exec(p, exe, exe_fd);
        goto fail;

fail_errno_setsid:
        herr(errno, "setsid");
fail:
        trace_detach();
        sync_send_error(l->sync_child);
        /* After `start` nobody listens on the socket any more: tell the
         * container's stderr too. */
        if (started && l->fifo_fd >= 0)
                dprintf(STDERR_FILENO, "hull: %s\n", herr_msg());
        _exit(127);
}
