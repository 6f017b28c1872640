/* container.h - a container as the commands see it: its state directory
 * under --root, its lock, its status.
 *
 * Layout of ROOT/ID/:
 *   state.json   written atomically (rename) by create/start/pause...
 *   exec.fifo    create's init blocks on it until start (removed by start)
 *   notify/      with NOTIFY_SOCKET: /run/notify in the container (notify.h)
 *   lock         flock()ed by every command that changes the container
 */
#ifndef HULL_CONTAINER_H
#define HULL_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "cli.h"
#include "config.h"

struct json_t;
struct cgroup_manager;

enum container_status {
        CT_CREATING,
        CT_CREATED,
        CT_RUNNING,
        CT_PAUSED,
        CT_STOPPED,
};

struct container {
        char *id;
        int root_fd;          /* --root dir */
        int dir_fd;           /* ROOT/ID */
        int lock_fd;          /* ROOT/ID/lock, flock()ed, or -1 */
        struct json_t *state; /* state.json as loaded */
        pid_t pid;            /* init pid on the host, 0 if none */
        uint64_t start_time;  /* init's start time (field 22 of /proc/PID/stat) */
        const char *bundle;
        const char *rootfs;
        const char *created; /* RFC 3339 */
        const char *owner;
        bool systemd;
        enum container_status status;
        struct cgroup_manager *cgroup; /* loaded on demand: container_cgroup() */
};

enum container_lock { CT_LOCK_NONE, CT_LOCK_SHARED, CT_LOCK_EXCLUSIVE };

/* Open ROOT/ID and load its state; status is computed from the process
 * (a dead or reused pid means stopped).  Error text contains runc's phrase
 * "container does not exist" when there is no such container. */
int container_open(const struct hull_global *g, const char *id, enum container_lock lock,
                   struct container **out);
void container_close(struct container *c);

/* Recompute c->status from /proc and the cgroup freezer. */
enum container_status container_status(struct container *c);
/* The same from the parts: ROOT/ID, the saved pid, start time and status. */
enum container_status container_status_of(int dir_fd, pid_t pid, uint64_t start_time,
                                          const char *saved);
const char *container_status_name(enum container_status s);

/* The container's cgroup (loaded from state.json on first use). */
int container_cgroup(struct container *c, struct cgroup_manager **out);

/* Rewrite state.json with a new status-bearing field set (atomic). */
int container_save(struct container *c);

/* The spec's state JSON (ociVersion, id, status, pid, bundle, annotations);
 * malloc'd string. */
char *container_state_json(struct container *c);

/* Signal the init (pidfd when possible, never a reused pid). */
int container_signal(struct container *c, int sig);

/* Start time (field 22) and state letter of /proc/PID/stat; -1 if gone. */
int proc_stat_start(pid_t pid, uint64_t *start, char *state);

/* Validate a container id (runc's rule: [\w+-\.]+, not "." or ".."). */
int container_id_check(const char *id);

/* Run the hooks of a kind from the config saved at create (state JSON on stdin). */
int container_run_hooks(struct container *c, enum hull_hook_kind kind);

/* Kill what is left (the caller checked the status), remove the cgroup,
 * run poststop hooks, remove the state dir.  Used by delete and run. */
int container_destroy(struct container *c);

#endif
