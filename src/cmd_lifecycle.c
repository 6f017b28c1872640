/* cmd_lifecycle.c - `create`, `start` and `run`. */
#include "cli.h"
#include "config.h"
#include "container.h"
#include "error.h"
#include "fsutil.h"
#include "hooks.h"
#include "launch.h"
#include "log.h"
#include "notify.h"
#include "supervise.h"
#include "terminal.h"
#include "sys.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const struct cli_opt create_opts[] = {
    {"bundle", 'b', true, "path to the bundle directory (default: current directory)", "DIR"},
    {"console-socket", 0, true, "unix socket to receive the pty master (process.terminal)", "PATH"},
    {"pid-file", 0, true, "write the container's init pid to this file", "FILE"},
    {"no-pivot", 0, false, "do not use pivot_root (for a rootfs on a ramdisk)", NULL},
    {"no-new-keyring", 0, false, "keep the caller's session keyring", NULL},
    {"preserve-fds", 0, true, "pass N more file descriptors (from fd 3) to the container", "N"},
    {"detach", 'd', false, "run: detach from the container's process", NULL},
    {"keep", 0, false, "run: do not delete the container after it exits", NULL},
    {"no-subreaper", 0, false, "run: accepted for runc compatibility", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum {
        O_BUNDLE,
        O_CONSOLE,
        O_PIDFILE,
        O_NOPIVOT,
        O_NOKEYRING,
        O_PRESERVE,
        O_DETACH,
        O_KEEP,
        O_NOSUBREAPER,
        O_HELP,
        O_N
};

static const char create_usage[] = "[command options] <container-id>";

/* What create/run add to the config from hull's environment, as runc does. */
struct additions {
        void *notify_spec; /* notify_setup_spec() */
        const char **env;  /* process.env + LISTEN_FDS, LISTEN_PID */
};

static void additions_free(struct additions *a)
{
        notify_spec_free(a->notify_spec);
        free(a->env);
}

/* Socket activation: when LISTEN_PID is hull's pid, the LISTEN_FDS fds from
 * 3 on go to the container (before --preserve-fds) with LISTEN_FDS=N and
 * LISTEN_PID=1 in its environment. */
static int listen_fds(struct launch *l, struct hull_config *cfg, struct additions *a)
{
        const char *fds = getenv("LISTEN_FDS"), *pid = getenv("LISTEN_PID");
        if (!fds || !pid)
                return 0;
        char *end;
        long p = strtol(pid, &end, 10);
        if (*end || end == pid || p != (long)getpid())
                return 0;
        long n = strtol(fds, &end, 10);
        if (*end || end == fds || n <= 0 || n > 65536)
                return 0;
        size_t ne = cfg->process.n_env;
        const char **env = calloc(ne + 3, sizeof(*env));
        if (!env)
                return herr(ENOMEM, "LISTEN_FDS");
        static char listen[32];
        snprintf(listen, sizeof(listen), "LISTEN_FDS=%ld", n);
        if (ne)
                memcpy(env, cfg->process.env, ne * sizeof(*env));
        env[ne] = listen;
        env[ne + 1] = "LISTEN_PID=1";
        a->env = env;
        cfg->process.env = env;
        cfg->process.n_env = ne + 2;
        l->preserve_fds += (int)n;
        return 0;
}

/* --preserve-fds N: fds 3+LISTEN_FDS .. +N must be open (runc checks too). */
static int check_preserved_fds(int first, int n)
{
        for (int fd = first; fd < first + n; fd++)
                if (fcntl(fd, F_GETFD) < 0)
                        return herr(errno, "unable to stat preserved-fd %d (of %d)", fd - first, n);
        return 0;
}

/* NOTIFY_SOCKET: bind ROOT/ID/notify at /run/notify (notify.h). */
static int notify_spec(const struct hull_global *g, struct launch *l, struct hull_config *cfg,
                       struct additions *a)
{
        if (!notify_host_socket())
                return 0;
        char cwd[PATH_MAX], dir[PATH_MAX * 2 + 256];
        int n;
        if (g->root[0] == '/')
                n = snprintf(dir, sizeof(dir), "%s/%s", g->root, l->id);
        else if (getcwd(cwd, sizeof(cwd)))
                n = snprintf(dir, sizeof(dir), "%s/%s/%s", cwd, g->root, l->id);
        else
                return herr(errno, "NOTIFY_SOCKET: getcwd");
        if (n < 0 || (size_t)n >= sizeof(dir))
                return herr(ENAMETOOLONG, "NOTIFY_SOCKET: state directory");
        if (notify_setup_spec(cfg, dir, &a->notify_spec) < 0)
                return -1;
        l->notify = true;
        return 0;
}

/* Parse the options and the bundle into a launch; the caller owns cfg. */
static int prepare(const struct hull_global *g, const char *cmd, int argc, char **argv,
                   struct cli_val *v, struct launch *l, struct hull_config *cfg, char **text,
                   bool is_run, struct additions *add)
{
        int idx = 1;
        if (cli_parse(create_opts, v, argc, argv, &idx) < 0)
                return -1;
        if (v[O_HELP].flag) {
                /* create's help leaves out the flags only run takes */
                struct cli_opt shown[O_N + 1];
                size_t n = 0;
                for (const struct cli_opt *o = create_opts; o->name; o++)
                        if (is_run || strncmp(o->help, "run: ", 5) != 0)
                                shown[n++] = *o;
                shown[n] = (struct cli_opt){0};
                cli_print_help(cmd, create_usage,
                               is_run ? "Create and start a container, wait for its process."
                                      : "Create a container from an OCI bundle.",
                               shown);
                return 1;
        }
        if (!is_run && (v[O_DETACH].set || v[O_KEEP].set || v[O_NOSUBREAPER].set))
                return herr(0, "flag provided but not defined: -%s",
                            v[O_DETACH].set ? "detach"
                            : v[O_KEEP].set ? "keep"
                                            : "no-subreaper");
        if (argc - idx != 1)
                return herr(0, "\"%s\" requires exactly 1 argument(s)", cmd);
        const char *id = argv[idx];
        if (container_id_check(id) < 0)
                return -1;
        const char *bundle = v[O_BUNDLE].str ? v[O_BUNDLE].str : ".";
        char *abs = realpath(bundle, NULL);
        if (!abs)
                return herr(errno, "bundle %s", bundle);
        l->g = g;
        l->id = id;
        l->bundle = abs;
        l->pid_file = v[O_PIDFILE].str;
        l->console_socket = v[O_CONSOLE].str;
        l->no_pivot = v[O_NOPIVOT].flag;
        l->no_new_keyring = v[O_NOKEYRING].flag;
        if (v[O_PRESERVE].str) {
                char *end;
                long n = strtol(v[O_PRESERVE].str, &end, 10);
                if (*end || n < 0 || n > 65536)
                        return herr(0, "--preserve-fds: bad number %s", v[O_PRESERVE].str);
                l->preserve_fds = (int)n;
        }
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/config.json", abs);
        if (read_file_at(AT_FDCWD, path, text, &l->config_len) < 0)
                return -1;
        l->config_text = *text;
        if (config_parse(cfg, *text, l->config_len, path) < 0)
                return -1;
        l->cfg = cfg; /* release() frees it from here on */
        if (config_validate(cfg) < 0)
                return -1;
        if (!cfg->root_path)
                return herr(0, "root.path: missing");
        if (cfg->root_path[0] == '/')
                snprintf(path, sizeof(path), "%s", cfg->root_path);
        else
                snprintf(path, sizeof(path), "%s/%s", abs, cfg->root_path);
        l->rootfs = realpath(path, NULL);
        if (!l->rootfs)
                return herr(errno, "root.path: rootfs %s", path);
        bool detached = !is_run || v[O_DETACH].flag;
        if (cfg->process.terminal && !l->console_socket && detached)
                return herr(0, "cannot allocate tty if hull will detach without setting console "
                               "socket");
        if ((!cfg->process.terminal || !detached) && l->console_socket)
                return herr(0, "cannot use console socket if hull will not detach or allocate tty");
        int preserve = l->preserve_fds;
        if (notify_spec(g, l, cfg, add) < 0 || listen_fds(l, cfg, add) < 0 ||
            check_preserved_fds(3 + l->preserve_fds - preserve, preserve) < 0)
                return -1;
        if (cfg->process.terminal && l->console_socket &&
            (l->console_sock = terminal_connect(l->console_socket)) < 0)
                return -1;
        return 0;
}

static void release(struct launch *l, struct hull_config *cfg, char *text, struct cli_val *v)
{
        launch_release(l);
        if (l->cfg)
                config_free(cfg);
        free(text);
        free((char *)l->bundle);
        free(l->rootfs);
        cli_free(create_opts, v);
}

static int fail(const char *what, const char *id)
{
        if (id)
                herr_ctx("%s %s", what, id);
        return log_fail();
}

int cmd_create(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[O_N + 1] = {0};
        struct launch l;
        struct hull_config cfg = {0};
        char *text = NULL;
        launch_init(&l);
        struct additions add = {0};
        int rc = TRACE("prepare", "config.json",
                       prepare(g, "create", argc, argv, v, &l, &cfg, &text, false, &add));
        if (rc == 0 && TRACE("container_launch", l.id, container_launch(&l)) < 0)
                rc = -1;
        if (rc == 1) /* --help */
                rc = 0;
        if (rc < 0)
                rc = fail("create", argc > 1 ? argv[argc - 1] : NULL);
        if (l.dir_fd >= 0)
                close(l.dir_fd);
        if (l.root_fd >= 0)
                close(l.root_fd);
        if (l.sync_parent >= 0)
                close(l.sync_parent);
        if (l.pidfd >= 0)
                close(l.pidfd);
        if (l.console_sock >= 0)
                close(l.console_sock);
        release(&l, &cfg, text, v);
        additions_free(&add);
        return rc;
}

int cmd_run(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[O_N + 1] = {0};
        struct launch l;
        struct hull_config cfg = {0};
        char *text = NULL;
        launch_init(&l);
        struct additions add = {0};
        int rc = TRACE("prepare", "config.json",
                       prepare(g, "run", argc, argv, v, &l, &cfg, &text, true, &add));
        if (rc != 0) {
                rc = rc == 1 ? 0 : rc; /* --help */
                goto out;
        }
        bool detach = v[O_DETACH].flag;
        l.foreground_start = true;
        /* Block signals now, so none is lost between the start and the wait;
         * the init restores the old mask first thing. */
        sigset_t all;
        supervise_sigset(&all);
        if (!detach) {
                sigprocmask(SIG_BLOCK, &all, &l.sigmask);
                l.restore_sigmask = true;
        }
        if (TRACE("container_launch", l.id, container_launch(&l)) < 0 ||
            TRACE("launch_start", l.id, launch_start(&l)) < 0) {
                if (l.pid > 0) /* started but poststart failed: stop it */
                        launch_abort(&l);
                rc = -1;
                goto out;
        }
        close(l.dir_fd); /* unlock: kill, state... may now come in */
        l.dir_fd = -1;
        if (detach) {
                /* as runc: run -d returns once the container said READY */
                if (l.notify_sock >= 0 &&
                    notify_wait(l.notify_sock, notify_host_socket(), l.pid, l.pidfd) < 0)
                        log_warn("%s", herr_msg());
                goto out;
        }
        uint64_t t0 = trace_begin();
        rc = supervise_wait(l.pid, l.pidfd, l.console_master, &all, l.notify_sock,
                            notify_host_socket());
        trace_endf("supervise_wait", t0, rc < 0 ? -1 : 0, "pid %d", (int)l.pid);
        if (!v[O_KEEP].flag) {
                struct container *c;
                t0 = trace_begin();
                if (container_open(g, l.id, CT_LOCK_EXCLUSIVE, &c) == 0) {
                        if (container_destroy(c) < 0)
                                log_error("%s", herr_msg());
                        container_close(c);
                }
                trace_end("container_destroy", l.id, t0, 0);
        }
out:
        if (rc < 0)
                rc = fail("run", argc > 1 ? argv[argc - 1] : NULL);
        if (l.dir_fd >= 0)
                close(l.dir_fd);
        if (l.root_fd >= 0)
                close(l.root_fd);
        if (l.sync_parent >= 0)
                close(l.sync_parent);
        if (l.pidfd >= 0)
                close(l.pidfd);
        if (l.console_master >= 0)
                close(l.console_master);
        if (l.console_sock >= 0)
                close(l.console_sock);
        if (l.notify_sock >= 0)
                close(l.notify_sock);
        release(&l, &cfg, text, v);
        additions_free(&add);
        return rc;
}

static const struct cli_opt start_opts[] = {
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

int cmd_start(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[2] = {0};
        int idx = 1;
        if (cli_parse(start_opts, v, argc, argv, &idx) < 0)
                return log_fail();
        if (v[0].flag) {
                cli_print_help("start", "<container-id>",
                               "Start the process of a created container.", start_opts);
                return 0;
        }
        if (argc - idx != 1) {
                herr(0, "\"start\" requires exactly 1 argument(s)");
                return log_fail();
        }
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_EXCLUSIVE, &c) < 0)
                return log_fail();
        int rc = 0;
        switch (c->status) {
        case CT_CREATED:
                break;
        case CT_STOPPED:
                rc = herr(0, "cannot start a container that has stopped");
                break;
        case CT_RUNNING:
                rc = herr(0, "cannot start an already running container");
                break;
        default:
                rc = herr(0, "cannot start a container in the %s state",
                          container_status_name(c->status));
        }
        int fd = -1, nsock = -1;
        const char *nhost = notify_host_socket();
        /* NOTIFY_SOCKET and a container made with it: listen before it runs */
        if (rc == 0 && nhost && faccessat(c->dir_fd, NOTIFY_DIR, F_OK, AT_SYMLINK_NOFOLLOW) == 0 &&
            (nsock = notify_bind(c->dir_fd)) < 0)
                rc = -1;
        if (rc == 0) {
                fd = openat(c->dir_fd, "exec.fifo", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
                if (fd < 0)
                        rc = herr(errno == ENXIO ? 0 : errno,
                                  errno == ENXIO ? "cannot start a container that has stopped"
                                                 : "open exec.fifo");
        }
        uint64_t t0 = trace_begin();
        if (rc == 0 && write(fd, "0", 1) != 1)
                rc = herr(errno, "write exec.fifo");
        if (rc == 0) {
                unlinkat(c->dir_fd, "exec.fifo", 0);
                /* Wait until the init has no read end any more: it ran execve
                 * (its end is O_CLOEXEC) or died. */
                struct pollfd p = {.fd = fd, .events = 0};
                while (poll(&p, 1, -1) < 0 && errno == EINTR)
                        ;
                c->status = CT_RUNNING;
        }
        trace_end("start", "exec.fifo", t0, rc);
        if (rc == 0) {
                rc = TRACE("hooks_run", "poststart", container_run_hooks(c, HOOK_POSTSTART));
                if (rc < 0) /* runtime.md: a failing poststart hook stops the container */
                        container_signal(c, SIGKILL);
        }
        if (fd >= 0)
                close(fd);
        if (rc == 0 && nsock >= 0) {
                /* wait for READY without the lock: kill, pause... may come in */
                pid_t pid = c->pid;
                int pidfd = sys_pidfd_open(pid, 0);
                container_close(c);
                c = NULL;
                if (pidfd >= 0) {
                        rc = notify_wait(nsock, nhost, pid, pidfd);
                        close(pidfd);
                }
        }
        if (nsock >= 0)
                close(nsock);
        if (rc < 0) {
                herr_ctx("start %s", argv[idx]);
                rc = log_fail();
        }
        container_close(c);
        cli_free(start_opts, v);
        return rc;
}
