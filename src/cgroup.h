/* cgroup.h - the container's cgroup, behind one interface for every host.
 *
 * Drivers: cgroupfs on v1 (and hybrid hosts), cgroupfs on v2, and systemd
 * (--systemd-cgroup, a transient scope over D-Bus).  The driver is chosen
 * at run time by cgroup_prepare().
 *
 * Launch order (see docs/ARCHITECTURE.md):
 *   parent  cgroup_prepare()    make the cgroup(s), write every limit (so a
 *                               memory limit holds from the init's first
 *                               byte), open what the child needs to join
 *   parent  cgroup_clone_fd()   fd of the unified-hierarchy cgroup for
 *                               clone3(CLONE_INTO_CGROUP) (v2, and hybrid
 *                               hosts, where cgroup2 only tracks processes),
 *                               or -1.  If that clone3 fails and the launcher
 *                               retries without the flag, it calls
 *                               cgroup_clone_fallback() before the retry.
 *   child   cgroup_join_self()  before a cgroup namespace is unshared: joins
 *                               what clone3 did not (every v1 hierarchy: the
 *                               still single-threaded init writes "0" to
 *                               each `tasks`, no RCU wait, see issue 6).
 *                               Nothing to do on pure v2 after
 *                               CLONE_INTO_CGROUP.  Calling it always is
 *                               right; in the child, cgroup_clone_fd()
 *                               returns -1 when it is still needed, so
 *                               `cgroup_clone_fd(m) < 0 && cgroup_join_self(m)`
 *                               is right too (a hybrid host needs both).
 *   parent  cgroup_save()       record paths in the container's state (the
 *                               init must be in its cgroup by then)
 *   later   cgroup_load() + freeze/kill/pids/stats/update/destroy
 *
 * Errors name the config field, the file and the value written:
 *   linux.resources.memory.limit: write "1234" to
 *   /sys/fs/cgroup/memory/x/memory.limit_in_bytes: device or resource busy
 * cgroup_destroy() removes only the directories hull made.
 */
#ifndef HULL_CGROUP_H
#define HULL_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "config.h"

struct json_t;
struct cgroup_manager;

struct cgroup_opts {
        const char *id;                         /* container id */
        const char *cgroups_path;               /* linux.cgroupsPath, may be NULL */
        bool systemd;                           /* --systemd-cgroup */
        const struct hull_resources *resources; /* may be NULL */
        bool rootless;
};

/* One v1 hierarchy as the container should see it under /sys/fs/cgroup. */
struct cgroup_mountpoint {
        const char *name;      /* "cpu,cpuacct", "memory", "name=systemd"... */
        const char *dir_name;  /* directory under /sys/fs/cgroup: "cpu,cpuacct", "systemd" */
        const char *host_path; /* the container's cgroup dir on the host */
};

int cgroup_prepare(struct cgroup_manager **out, const struct cgroup_opts *o);
int cgroup_clone_fd(struct cgroup_manager *m);
void cgroup_clone_fallback(struct cgroup_manager *m);
/* Child side.  Uses no heap; safe after clone3 in a single-threaded child.
 * The files were opened by the parent (cgroup_prepare(), or
 * cgroup_join_prepare() after cgroup_load()), so a user or mount namespace
 * entered before the call does not matter. */
int cgroup_join_self(struct cgroup_manager *m);
/* Open what cgroup_join_self() writes to: done by cgroup_prepare(), and by
 * cgroup_clone_fd() in the parent after cgroup_load() (hull exec); without
 * it the child opens the files by path. */
int cgroup_join_prepare(struct cgroup_manager *m);
/* Join another process (exec'd process, or fallback): writes its pid to
 * every cgroup.procs (may wait for an RCU grace period). */
int cgroup_join_pid(struct cgroup_manager *m, pid_t pid);

bool cgroup_is_v2(const struct cgroup_manager *m);
/* v1 hierarchies for the container's /sys/fs/cgroup (empty on v2). */
int cgroup_mountpoints(struct cgroup_manager *m, const struct cgroup_mountpoint **list, size_t *n);

/* State: a JSON object stored in state.json under "cgroup". */
int cgroup_save(struct cgroup_manager *m, struct json_t **out);
int cgroup_load(struct cgroup_manager **out, struct json_t *saved, bool systemd);

int cgroup_update(struct cgroup_manager *m, const struct hull_resources *r);
int cgroup_freeze(struct cgroup_manager *m, bool frozen);
/* 1 frozen, 0 not, -1 error */
int cgroup_is_frozen(struct cgroup_manager *m);
int cgroup_kill_all(struct cgroup_manager *m, int sig);
int cgroup_pids(struct cgroup_manager *m, pid_t **pids, size_t *n);
/* runc's `events --stats` "data" object (runc's field names). */
int cgroup_stats(struct cgroup_manager *m, struct json_t **out);
/* json_dumps() that prints the uint64 values above INT64_MAX of
 * cgroup_stats() as numbers (jansson only has int64). */
char *cgroup_json_dumps(struct json_t *j, size_t flags);

/* OOM notifications: *fd becomes readable (poll POLLIN) when something
 * happened; cgroup_oom_check() then returns the number of new OOM kills
 * (0 if none), or -1 when the cgroup is gone.  v1: memory.oom_control
 * eventfd; v2: inotify on memory.events. */
int cgroup_oom_watch(struct cgroup_manager *m, int *fd);
int cgroup_oom_check(struct cgroup_manager *m, int fd);
/* Remove what cgroup_prepare made (never anything else). */
int cgroup_destroy(struct cgroup_manager *m);
void cgroup_free(struct cgroup_manager *m);

#endif
