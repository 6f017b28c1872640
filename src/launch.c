/* launch.c - the parent's side of making a container (see launch.h).
 *
 *   1. state dir ROOT/ID (mkdir: the id is taken), locked
 *   2. exec.fifo for `start` (create only)
 *   3. cgroup made and limited            cgroup_prepare()
 *   4. seccomp filter compiled            seccomp_compile()
 *   5. clone3 into the new namespaces     -> container_init() in init.c
 *   6. uid/gid maps for a new user ns     ns_write_idmaps()
 *   7. prestart + createRuntime hooks when the init asks (mounts done)
 *   8. init READY: state.json, config copy, --pid-file
 */
#include "launch.h"
#include "cgroup.h"
#include "container.h"
#include "error.h"
#include "fsutil.h"
#include "hooks.h"
#include "hull-version.h"
#include "log.h"
#include "mounts.h"
#include "namespaces.h"
#include "notify.h"
#include "security.h"
#include "sync.h"
#include "sys.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* The spec's state JSON as the hooks see it during create. */
static char *hook_state(struct launch *l, const char *status)
{
        json_t *o = json_object();
        json_object_set_new(o, "ociVersion", json_string(HULL_SPEC_VERSION));
        json_object_set_new(o, "id", json_string(l->id));
        json_object_set_new(o, "status", json_string(status));
        json_object_set_new(o, "pid", json_integer(l->pid));
        json_object_set_new(o, "bundle", json_string(l->bundle));
        json_t *ann = json_object();
        for (size_t i = 0; i < l->cfg->n_annotations; i++)
                json_object_set_new(ann, l->cfg->annotations[i].key,
                                    json_string(l->cfg->annotations[i].value));
        json_object_set_new(o, "annotations", ann);
        char *s = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        return s;
}

/* "2026-11-29T09:18:15.090312356Z".  Not gmtime_r()/strftime(): glibc's
 * first call of either reads /etc/localtime (tzset), for a UTC string. */
static void rfc3339_now(char *buf, size_t len)
{
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        long long days = ts.tv_sec / 86400, secs = ts.tv_sec % 86400;
        /* days since 1970-01-01 -> civil date (proleptic Gregorian) */
        long long z = days + 719468, era = z / 146097;
        long long doe = z - era * 146097;
        long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
        long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long long mp = (5 * doy + 2) / 153;
        long long day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
        long long year = yoe + era * 400 + (month <= 2);
        snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09dZ", (int)(year % 10000), (int)month,
                 (int)day, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
                 (int)(ts.tv_nsec % 1000000000));
}

/* 1. ROOT/ID, created exclusively and locked for the whole create. */
static int make_state_dir(struct launch *l)
{
        if (mkdir(l->g->root, 0711) < 0 && errno != EEXIST && mkdir_p(l->g->root, 0711) < 0)
                return herr_ctx("create state directory");
        l->root_fd = open(l->g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (l->root_fd < 0)
                return herr(errno, "open state directory %s", l->g->root);
        if (mkdirat(l->root_fd, l->id, 0711) < 0) {
                if (errno == EEXIST)
                        return herr(0, "container with id exists: %s", l->id);
                return herr(errno, "create state directory %s/%s", l->g->root, l->id);
        }
        l->dir_fd = openat(l->root_fd, l->id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (l->dir_fd < 0 || flock(l->dir_fd, LOCK_EX) < 0)
                return herr(errno, "lock state directory %s/%s", l->g->root, l->id);
        return 0;
}

/* 2. exec.fifo: the init blocks reading it until `start` writes a byte. */
static int make_exec_fifo(struct launch *l)
{
        if (l->foreground_start)
                return 0;
        if (mkfifoat(l->dir_fd, "exec.fifo", 0600) < 0)
                return herr(errno, "create %s/%s/exec.fifo", l->g->root, l->id);
        /* O_RDWR does not block on a fifo; the init keeps this end. */
        l->fifo_fd = openat(l->dir_fd, "exec.fifo", O_RDWR | O_CLOEXEC);
        if (l->fifo_fd < 0)
                return herr(errno, "open exec.fifo");
        return 0;
}

/* 5. clone3 straight into the container's init. */
static int clone_init(struct launch *l)
{
        const struct hull_linux *lx = &l->cfg->linux_;
        int fds[2];
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
                return herr(errno, "socketpair");
        l->sync_parent = fds[0];
        l->sync_child = fds[1];

        int restore_pidns;
        if (ns_pid_enter(lx, &restore_pidns) < 0)
                return -1;
        struct hull_clone_args ca = {
            .flags = ns_clone_flags(lx) | CLONE_PIDFD,
            .pidfd = (uint64_t)(uintptr_t)&l->pidfd,
            .exit_signal = SIGCHLD,
        };
        int cgfd = cgroup_clone_fd(l->cgroup);
        if (cgfd >= 0) {
                ca.flags |= CLONE_INTO_CGROUP;
                ca.cgroup = (uint64_t)cgfd;
        }
        pid_t pid = sys_clone3(&ca);
        if (pid == 0)
                container_init(l); /* never returns */
        int e = errno;
        if (ns_pid_restore(restore_pidns) < 0 && pid > 0)
                log_warn("%s", herr_msg());
        if (pid < 0)
                return herr(e, "clone3 the container's init (namespaces 0x%llx)",
                            (unsigned long long)ca.flags);
        l->pid = pid;
        close(l->sync_child);
        l->sync_child = -1;
        return 0;
}

/* 6-8: answer the init until it is ready. */
static int supervise_setup(struct launch *l)
{
        const struct hull_linux *lx = &l->cfg->linux_;
        if (lx->ns[NS_USER].present && !lx->ns[NS_USER].path) {
                if (ns_write_idmaps(l->pid, lx) < 0 ||
                    sync_send(l->sync_parent, SYNC_IDMAPPED, 0, NULL, 0, -1) < 0)
                        return -1;
        }
        for (;;) {
                struct sync_msg m;
                int fd;
                if (sync_recv(l->sync_parent, &m, &fd) < 0)
                        return -1;
                switch (m.type) {
                case SYNC_HOOKS: {
                        char *st = hook_state(l, "creating");
                        int rc = TRACE("hooks_run", "prestart",
                                       hooks_run(&l->cfg->hooks, HOOK_PRESTART, st));
                        if (rc == 0)
                                rc = TRACE("hooks_run", "createRuntime",
                                           hooks_run(&l->cfg->hooks, HOOK_CREATE_RUNTIME, st));
                        if (rc == 0)
                                rc = sync_send(l->sync_parent, SYNC_CONTINUE, 0, st, strlen(st) + 1,
                                               -1);
                        free(st);
                        if (rc < 0)
                                return -1;
                        break;
                }
                case SYNC_SECCOMP_FD: {
                        char *st = hook_state(l, "creating");
                        int rc = seccomp_send_notify_fd(&l->cfg->linux_.seccomp, fd, st);
                        free(st);
                        close(fd);
                        if (rc < 0)
                                return -1;
                        break;
                }
                case SYNC_CONSOLE:
                        l->console_master = fd;
                        break;
                case SYNC_READY:
                        return 0;
                case SYNC_ERROR:
                        herr_set_raw(m.errnum, m.text);
                        return -1;
                default:
                        return herr(EPROTO, "sync: unexpected message %u from init", m.type);
                }
        }
}

static int write_state(struct launch *l)
{
        char created[64];
        rfc3339_now(created, sizeof(created));
        if (proc_stat_start(l->pid, &l->start_time, NULL) < 0)
                return herr(0, "the container's init (pid %d) is gone", (int)l->pid);
        json_t *o = json_object();
        json_object_set_new(o, "id", json_string(l->id));
        json_object_set_new(o, "status", json_string("created"));
        json_object_set_new(o, "pid", json_integer(l->pid));
        json_object_set_new(o, "startTime", json_integer((json_int_t)l->start_time));
        json_object_set_new(o, "bundle", json_string(l->bundle));
        json_object_set_new(o, "rootfs", json_string(l->rootfs));
        json_object_set_new(o, "created", json_string(created));
        json_object_set_new(o, "owner", json_string(""));
        json_object_set_new(o, "systemd", json_boolean(l->g->systemd_cgroup));
        bool hooks = false;
        for (int k = 0; k < HOOK_KINDS; k++)
                hooks = hooks || l->cfg->hooks.n[k] > 0;
        json_object_set_new(o, "hooks", json_boolean(hooks));
        json_object_set_new(o, "pidns", json_boolean(l->cfg->linux_.ns[NS_PID].present));
        json_t *ann = json_object();
        for (size_t i = 0; i < l->cfg->n_annotations; i++)
                json_object_set_new(ann, l->cfg->annotations[i].key,
                                    json_string(l->cfg->annotations[i].value));
        json_object_set_new(o, "annotations", ann);
        json_t *cg = NULL;
        if (cgroup_save(l->cgroup, &cg) < 0) {
                json_decref(o);
                return -1;
        }
        if (cg)
                json_object_set_new(o, "cgroup", cg);
        char *text = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!text)
                return herr(ENOMEM, "state.json");
        int rc = atomic_write_at(l->dir_fd, "config.json", l->config_text, l->config_len, 0600);
        if (rc == 0)
                rc = atomic_write_at(l->dir_fd, "state.json", text, strlen(text), 0600);
        free(text);
        if (rc < 0)
                return herr_ctx("save state of container %s", l->id);
        if (l->pid_file) {
                char buf[32];
                int n = snprintf(buf, sizeof(buf), "%d", (int)l->pid);
                if (atomic_write_at(AT_FDCWD, l->pid_file, buf, (size_t)n, 0644) < 0)
                        return herr_ctx("--pid-file %s", l->pid_file);
        }
        return 0;
}

static void release_mount_fds(struct launch *l);

void launch_release(struct launch *l)
{
        if (l->cgroup) {
                cgroup_free(l->cgroup);
                l->cgroup = NULL;
        }
        if (l->seccomp) {
                seccomp_free(l->seccomp);
                l->seccomp = NULL;
        }
        release_mount_fds(l);
}

static void release_mount_fds(struct launch *l)
{
        if (l->mount_fds) {
                mounts_close_fds(l->mount_fds, l->cfg->n_mounts);
                free(l->mount_fds);
                l->mount_fds = NULL;
        }
}

void launch_init(struct launch *l)
{
        memset(l, 0, sizeof(*l));
        l->root_fd = l->dir_fd = l->fifo_fd = l->sync_parent = l->sync_child = l->pidfd = -1;
        l->console_sock = l->console_master = l->notify_sock = -1;
}

/* NOTIFY_SOCKET: the directory the container sees at /run/notify; `run`
 * binds the socket now, `start` does for create. */
static int make_notify_dir(struct launch *l)
{
        if (!l->notify)
                return 0;
        if (mkdirat(l->dir_fd, NOTIFY_DIR, 0755) < 0)
                return herr(errno, "create %s/%s/%s", l->g->root, l->id, NOTIFY_DIR);
        if (l->foreground_start && (l->notify_sock = notify_bind(l->dir_fd)) < 0)
                return -1;
        return 0;
}

int container_launch(struct launch *l)
{
        if (TRACE("make_state_dir", l->id, make_state_dir(l)) < 0 ||
            TRACE("make_exec_fifo", "exec.fifo", make_exec_fifo(l)) < 0 ||
            TRACE("make_notify_dir", NOTIFY_DIR, make_notify_dir(l)) < 0)
                goto fail;
        struct cgroup_opts co = {
            .id = l->id,
            .cgroups_path = l->cfg->linux_.cgroups_path,
            .systemd = l->g->systemd_cgroup,
            .resources = l->cfg->linux_.resources.present ? &l->cfg->linux_.resources : NULL,
        };
        if (TRACE("cgroup_prepare", co.cgroups_path, cgroup_prepare(&l->cgroup, &co)) < 0)
                goto fail;
        if (l->cfg->linux_.seccomp.present &&
            TRACE("seccomp_compile", "linux.seccomp",
                  seccomp_compile_cached(l->g->root, &l->cfg->linux_.seccomp, &l->seccomp)) < 0)
                goto fail;
        /* idmapped mounts need CAP_SYS_ADMIN over the source filesystem,
         * which an init in a new user namespace lacks: build them here */
        if (l->cfg->n_mounts) {
                l->mount_fds = malloc(l->cfg->n_mounts * sizeof(int));
                if (!l->mount_fds) {
                        herr(ENOMEM, "mounts");
                        goto fail;
                }
                if (TRACE("mounts_open_idmapped", "mounts",
                          mounts_open_idmapped(l->cfg, l->bundle, l->mount_fds)) < 0)
                        goto fail;
        }
        if (TRACE("clone_init", NULL, clone_init(l)) < 0)
                goto fail;
        release_mount_fds(l);
        if (TRACE("supervise_setup", NULL, supervise_setup(l)) < 0 ||
            TRACE("write_state", "state.json", write_state(l)) < 0)
                goto fail;
        if (l->fifo_fd >= 0) {
                close(l->fifo_fd);
                l->fifo_fd = -1;
        }
        return 0;
fail:
        launch_abort(l);
        return -1;
}

static int start_and_wait_exec(struct launch *l);

int launch_start(struct launch *l)
{
        if (TRACE("start", "SYNC_START", start_and_wait_exec(l)) < 0)
                return -1;
        if (l->cfg->hooks.n[HOOK_POSTSTART]) {
                char *st = hook_state(l, "running");
                int rc =
                    TRACE("hooks_run", "poststart", hooks_run(&l->cfg->hooks, HOOK_POSTSTART, st));
                free(st);
                if (rc < 0)
                        return -1;
        }
        return 0;
}

/* SYNC_START, then wait until the init ran execve. */
static int start_and_wait_exec(struct launch *l)
{
        if (sync_send(l->sync_parent, SYNC_START, 0, NULL, 0, -1) < 0)
                return -1;
        /* The init's end of the socket closes on execve (O_CLOEXEC): EOF
         * means the process runs; a message means it failed first. */
        struct sync_msg m;
        int fd;
        if (sync_recv(l->sync_parent, &m, &fd) == 0) {
                if (fd >= 0)
                        close(fd);
                if (m.type == SYNC_ERROR) {
                        herr_set_raw(m.errnum, m.text);
                        return -1;
                }
        }
        herr_clear();
        close(l->sync_parent);
        l->sync_parent = -1;
        return 0;
}

void launch_abort(struct launch *l)
{
        /* Keep the error that brought us here; cleanup problems are warnings. */
        char saved[HERR_MAX];
        snprintf(saved, sizeof(saved), "%s", herr_msg());
        int saved_errno = herr_errno();
        if (l->pid > 0) {
                if (l->pidfd >= 0)
                        sys_pidfd_send_signal(l->pidfd, SIGKILL, NULL, 0);
                else
                        kill(l->pid, SIGKILL);
                while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
                        ;
                l->pid = 0;
        }
        if (l->cgroup) {
                if (cgroup_destroy(l->cgroup) < 0)
                        log_warn("%s", herr_msg());
                cgroup_free(l->cgroup);
                l->cgroup = NULL;
        }
        if (l->dir_fd >= 0) {
                if (remove_tree_at(l->root_fd, l->id) < 0)
                        log_warn("%s", herr_msg());
                close(l->dir_fd);
                l->dir_fd = -1;
        }
        int *fds[] = {&l->fifo_fd, &l->sync_parent,  &l->sync_child,     &l->pidfd,
                      &l->root_fd, &l->console_sock, &l->console_master, &l->notify_sock};
        for (size_t i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
                if (*fds[i] >= 0)
                        close(*fds[i]);
                *fds[i] = -1;
        }
        if (l->seccomp) {
                seccomp_free(l->seccomp);
                l->seccomp = NULL;
        }
        release_mount_fds(l);
        herr_set_raw(saved_errno, saved);
}
