/* container.c - a container's state directory, lock and status (see container.h). */
#include "container.h"
#include "cgroup.h"
#include "error.h"
#include "fsutil.h"
#include "hooks.h"
#include "hull-version.h"
#include "log.h"
#include "sys.h"
#include "trace.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

const char *container_status_name(enum container_status s)
{
        switch (s) {
        case CT_CREATING:
                return "creating";
        case CT_CREATED:
                return "created";
        case CT_RUNNING:
                return "running";
        case CT_PAUSED:
                return "paused";
        case CT_STOPPED:
                return "stopped";
        }
        return "unknown";
}

int container_id_check(const char *id)
{
        if (!id || !*id)
                return herr(0, "container id cannot be empty");
        if (!strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024)
                return herr(0, "invalid container id format: %s", id);
        for (const char *p = id; *p; p++) {
                unsigned char ch = (unsigned char)*p;
                if (!isalnum(ch) && ch != '_' && ch != '+' && ch != '-' && ch != '.')
                        return herr(0, "invalid container id format: %s", id);
        }
        return 0;
}

/* Field 22 of /proc/PID/stat (start time in clock ticks) and the state
 * letter.  Returns 0, or -1 when the process does not exist. */
int proc_stat_start(pid_t pid, uint64_t *start, char *state)
{
        char path[64], buf[1024];
        snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return -1;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return -1;
        buf[n] = '\0';
        char *p = strrchr(buf, ')'); /* comm may contain spaces */
        if (!p || p[1] != ' ')
                return -1;
        p += 2;
        if (state)
                *state = *p;
        /* p is at field 3; skip to field 22 */
        for (int field = 3; field < 22; field++) {
                p = strchr(p, ' ');
                if (!p)
                        return -1;
                p++;
        }
        *start = strtoull(p, NULL, 10);
        return 0;
}

enum container_status container_status_of(int dir_fd, pid_t pid, uint64_t start_time,
                                          const char *saved)
{
        if (pid <= 0)
                return (saved && !strcmp(saved, "creating")) ? CT_CREATING : CT_STOPPED;
        uint64_t start;
        char letter = 0;
        if (proc_stat_start(pid, &start, &letter) < 0 || start != start_time || letter == 'Z' ||
            letter == 'X')
                return CT_STOPPED;
        if (saved && !strcmp(saved, "paused"))
                return CT_PAUSED;
        if (faccessat(dir_fd, "exec.fifo", F_OK, AT_SYMLINK_NOFOLLOW) == 0)
                return CT_CREATED;
        return CT_RUNNING;
}

enum container_status container_status(struct container *c)
{
        const char *saved = json_string_value(json_object_get(c->state, "status"));
        return c->status = container_status_of(c->dir_fd, c->pid, c->start_time, saved);
}

static const char *jstr(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

int container_open(const struct hull_global *g, const char *id, enum container_lock lock,
                   struct container **out)
{
        *out = NULL;
        if (container_id_check(id) < 0)
                return -1;
        struct container *c = calloc(1, sizeof(*c));
        if (!c)
                return herr(ENOMEM, "open container %s", id);
        c->id = strdup(id);
        c->root_fd = c->dir_fd = c->lock_fd = -1;
        c->root_fd = open(g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (c->root_fd < 0) {
                int e = errno;
                container_close(c);
                if (e == ENOENT)
                        return herr(0, "container does not exist");
                return herr(e, "open state directory %s", g->root);
        }
        c->dir_fd = openat(c->root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (c->dir_fd < 0) {
                int e = errno;
                container_close(c);
                if (e == ENOENT)
                        return herr(0, "container does not exist");
                return herr(e, "open state directory %s/%s", g->root, id);
        }
        if (lock != CT_LOCK_NONE) {
                if (flock(c->dir_fd, lock == CT_LOCK_SHARED ? LOCK_SH : LOCK_EX) < 0) {
                        int e = errno;
                        container_close(c);
                        return herr(e, "lock container %s", id);
                }
                c->lock_fd = c->dir_fd;
        }
        char *text;
        size_t len;
        if (read_file_at(c->dir_fd, "state.json", &text, &len) < 0) {
                int e = herr_errno();
                container_close(c);
                if (e == ENOENT) /* deleted while we waited, or still being created */
                        return herr(0, "container does not exist");
                return herr_ctx("load state of container %s", id);
        }
        json_error_t jerr;
        c->state = json_loadb(text, len, 0, &jerr);
        free(text);
        if (!c->state) {
                container_close(c);
                return herr(0, "load state of container %s: %s/%s/state.json:%d: %s", id, g->root,
                            id, jerr.line, jerr.text);
        }
        c->pid = (pid_t)json_integer_value(json_object_get(c->state, "pid"));
        c->start_time = (uint64_t)json_integer_value(json_object_get(c->state, "startTime"));
        c->bundle = jstr(c->state, "bundle");
        c->rootfs = jstr(c->state, "rootfs");
        c->created = jstr(c->state, "created");
        c->owner = jstr(c->state, "owner");
        c->systemd = json_is_true(json_object_get(c->state, "systemd"));
        container_status(c);
        *out = c;
        return 0;
}

void container_close(struct container *c)
{
        if (!c)
                return;
        if (c->cgroup)
                cgroup_free(c->cgroup);
        if (c->state)
                json_decref(c->state);
        if (c->dir_fd >= 0)
                close(c->dir_fd); /* releases the flock */
        if (c->root_fd >= 0)
                close(c->root_fd);
        free(c->id);
        free(c);
}

int container_cgroup(struct container *c, struct cgroup_manager **out)
{
        if (!c->cgroup) {
                json_t *saved = json_object_get(c->state, "cgroup");
                if (!saved)
                        return herr(0, "container %s has no cgroup", c->id);
                if (cgroup_load(&c->cgroup, saved, c->systemd) < 0)
                        return herr_ctx("container %s", c->id);
        }
        *out = c->cgroup;
        return 0;
}

int container_save(struct container *c)
{
        char *text = json_dumps(c->state, JSON_COMPACT);
        if (!text)
                return herr(ENOMEM, "save state of container %s", c->id);
        int rc = atomic_write_at(c->dir_fd, "state.json", text, strlen(text), 0600);
        free(text);
        if (rc < 0)
                return herr_ctx("save state of container %s", c->id);
        return 0;
}

char *container_state_json(struct container *c)
{
        json_t *o = json_object();
        json_object_set_new(o, "ociVersion", json_string(HULL_SPEC_VERSION));
        json_object_set_new(o, "id", json_string(c->id));
        json_object_set_new(o, "pid", json_integer(c->status == CT_STOPPED ? 0 : c->pid));
        json_object_set_new(o, "status", json_string(container_status_name(c->status)));
        json_object_set_new(o, "bundle", json_string(c->bundle));
        json_object_set_new(o, "rootfs", json_string(c->rootfs));
        json_object_set_new(o, "created", json_string(c->created));
        json_object_set_new(o, "owner", json_string(c->owner));
        json_t *ann = json_object_get(c->state, "annotations");
        if (ann && json_object_size(ann) > 0)
                json_object_set(o, "annotations", ann);
        char *s = json_dumps(o, JSON_INDENT(2));
        json_decref(o);
        return s;
}

int container_signal(struct container *c, int sig)
{
        if (container_status(c) == CT_STOPPED)
                return herr(0, "container not running");
        int pfd = sys_pidfd_open(c->pid, 0);
        if (pfd < 0)
                return herr(errno, "signal container %s: pidfd_open %d", c->id, (int)c->pid);
        /* The pidfd pins the process: check it is still the container's
         * init before signalling (pid reuse). */
        uint64_t start;
        if (proc_stat_start(c->pid, &start, NULL) < 0 || start != c->start_time) {
                close(pfd);
                return herr(0, "container not running");
        }
        int rc = sys_pidfd_send_signal(pfd, sig, NULL, 0);
        int e = errno;
        close(pfd);
        if (rc < 0) {
                if (e == ESRCH)
                        return herr(0, "container not running");
                return herr(e, "send signal %d to container %s (pid %d)", sig, c->id, (int)c->pid);
        }
        return 0;
}

/* Wait until a (non-child) process is gone: its pidfd becomes readable. */
static void wait_gone(struct container *c)
{
        int pfd = sys_pidfd_open(c->pid, 0);
        if (pfd < 0)
                return;
        uint64_t start;
        if (proc_stat_start(c->pid, &start, NULL) == 0 && start == c->start_time) {
                struct pollfd p = {.fd = pfd, .events = POLLIN};
                while (poll(&p, 1, 10000) < 0 && errno == EINTR)
                        ;
        }
        close(pfd);
}

int container_run_hooks(struct container *c, enum hull_hook_kind kind)
{
        if (!json_is_true(json_object_get(c->state, "hooks")))
                return 0;
        char *text;
        size_t len;
        struct hull_config cfg;
        if (read_file_at(c->dir_fd, "config.json", &text, &len) < 0)
                return herr_ctx("hooks.%s", hook_kind_name(kind));
        if (config_parse(&cfg, text, len, "config.json") < 0) {
                free(text);
                return herr_ctx("hooks.%s", hook_kind_name(kind));
        }
        char *st = container_state_json(c);
        int rc = hooks_run(&cfg.hooks, kind, st);
        free(st);
        config_free(&cfg);
        free(text);
        return rc;
}

int container_destroy(struct container *c)
{
        enum container_status s = container_status(c);
        if (s != CT_STOPPED) {
                uint64_t t0 = trace_begin();
                container_signal(c, SIGKILL);
                if (s == CT_PAUSED) {
                        struct cgroup_manager *cg;
                        if (container_cgroup(c, &cg) == 0)
                                cgroup_freeze(cg, false);
                }
                wait_gone(c);
                trace_end("kill_and_wait", "SIGKILL to the init", t0, 0);
        }
        struct cgroup_manager *cg = NULL;
        if (json_object_get(c->state, "cgroup") && container_cgroup(c, &cg) < 0)
                return -1;
        if (cg) {
                /* Without a pid namespace the init's death does not end the
                 * other processes: end them through the cgroup. */
                if (!json_is_true(json_object_get(c->state, "pidns")))
                        cgroup_kill_all(cg, SIGKILL);
                if (TRACE("cgroup_destroy", NULL, cgroup_destroy(cg)) < 0)
                        return herr_ctx("delete container %s", c->id);
        }
        c->status = CT_STOPPED;
        if (TRACE("hooks_run", "poststop", container_run_hooks(c, HOOK_POSTSTOP)) < 0)
                log_warn("%s", herr_msg()); /* poststop failures only warn */
        if (TRACE("remove_state_dir", c->id, remove_tree_at(c->root_fd, c->id)) < 0)
                return herr_ctx("delete container %s", c->id);
        return 0;
}
