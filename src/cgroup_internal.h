/* cgroup_internal.h - what the cgroup modules share; nothing else includes it.
 *
 *   cgroup.c           driver choice, cgroupsPath rules, prepare, join,
 *                      save/load, destroy
 *   cgroup_ops.c       update, freeze, kill, pids: the same for every driver
 *   cgroup_v1.c        v1 hierarchies: discovery from mountinfo, mkdir, rmdir
 *   cgroup_v2.c        the unified hierarchy: mkdir + controllers, rmdir
 *   cgroup_systemd.c   --systemd-cgroup: a transient scope over D-Bus
 *   cgroup_res_v1.c    linux.resources -> v1 controller files
 *   cgroup_res_v2.c    linux.resources -> v2 controller files
 *   cgroup_devices.c   device rules: v1 devices.allow/deny, v2 eBPF program
 *   cgroup_stats.c     runc's `events --stats` data
 */
#ifndef HULL_CGROUP_INTERNAL_H
#define HULL_CGROUP_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "config.h"

#define CG_ROOT "/sys/fs/cgroup"

/* v1 controllers (bits of cg_hier.ctls). */
enum {
        CTL_CPU,
        CTL_CPUACCT,
        CTL_CPUSET,
        CTL_MEMORY,
        CTL_DEVICES,
        CTL_FREEZER,
        CTL_BLKIO,
        CTL_PIDS,
        CTL_NET_CLS,
        CTL_NET_PRIO,
        CTL_HUGETLB,
        CTL_PERF_EVENT,
        CTL_RDMA,
        CTL_MISC,
        CTL_COUNT
};

/* One v1 hierarchy. */
struct cg_hier {
        char *name;     /* controllers of the mount: "cpu,cpuacct", "name=systemd" */
        char *dir_name; /* base name of the mount point */
        char *mnt;      /* mount point */
        char *own;      /* the caller's cgroup in this hierarchy ("/..."), or NULL */
        char *path;     /* the container's cgroup directory */
        unsigned ctls;  /* 1u << CTL_* */
        int created;    /* trailing components of path made by hull */
        int join_fd;    /* path/tasks for cgroup_join_self(), or -1 */
};

struct cgroup_manager {
        int version; /* 1 (v1 or hybrid) or 2 */
        bool systemd;
        bool rootless;
        char *id;
        pid_t owner; /* the process that made this manager (the parent) */

        /* v1 */
        struct cg_hier *h;
        size_t nh;
        struct cgroup_mountpoint *mps; /* built by cgroup_mountpoints() */

        /* v2, or the process-tracking unified hierarchy of a hybrid host */
        char *dir;         /* the container's cgroup directory, or NULL */
        char *unified_mnt; /* mount point of the unified hierarchy */
        char *unified_own; /* the caller's cgroup there */
        int dir_created;   /* trailing components of dir made by hull */
        int dir_fd;        /* dir, for clone3(CLONE_INTO_CGROUP), or -1 */
        bool cloned_into;  /* the child was created by CLONE_INTO_CGROUP */

        /* systemd */
        char *unit;   /* "prefix-name.scope" */
        char *slice;  /* "system.slice" */
        pid_t holder; /* keeps the new scope populated until the init is in */

        /* cgroup_oom_watch() */
        int oom_ctl_fd;     /* v1: memory.oom_control, registered with the eventfd */
        uint64_t oom_kills; /* v2: last oom_kill count seen */
};

/* ---- helpers (cgroup.c) ---- */

/* Write value to dir/file; on failure the error reads
 * "<field>: write "<value>" to <dir>/<file>: <strerror>". */
int cg_write(const char *field, const char *dir, const char *file, const char *value);
int cg_writef(const char *field, const char *dir, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Read dir/file (malloc'd, NUL-terminated, trailing newline removed). */
int cg_read(const char *dir, const char *file, char **out);
/* Read one unsigned number ("max" gives UINT64_MAX); -1 when absent. */
int cg_read_u64(const char *dir, const char *file, uint64_t *out);
/* "key value" lines: the value of key, or -1. */
int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out);
bool cg_exists(const char *dir, const char *file);
char *cg_join(const char *a, const char *b); /* a + "/" + b without doubled slashes */
/* The directory of the hierarchy holding controller ctl, or NULL. */
const char *cg_v1_path(const struct cgroup_manager *m, int ctl);
/* mkdir -p dir; *created = how many trailing components were made. */
int cg_mkdir(const char *dir, int *created);
/* Remove dir's sub-cgroups and dir, then up to created-1 parents that hull
 * made (a parent still in use stays). */
int cg_rmdir(const char *dir, int created);

struct cgroup_manager *cg_manager_new(const char *id);
/* The directories of a cgroupfs manager from cgroupsPath (discovery done). */
int cg_set_paths(struct cgroup_manager *m, const char *cgroups_path);
/* After the paths are set: mkdir, check, write the limits.  1 = rootless
 * without a cgroup. */
int cg_finish_prepare(struct cgroup_manager *m, const struct hull_resources *r);

/* ---- v1 (cgroup_v1.c) ---- */
int cg_v1_discover(struct cgroup_manager *m);
/* Make each hierarchy's directory (cpuset.cpus/mems filled from the parent). */
int cg_v1_create(struct cgroup_manager *m);
int cg_v1_destroy(struct cgroup_manager *m);
int cg_v1_freeze(struct cgroup_manager *m, bool frozen);
int cg_v1_is_frozen(struct cgroup_manager *m);
int cg_ctl_from_name(const char *name);       /* CTL_* or -1 */
unsigned cg_ctls_from_list(const char *list); /* "cpu,cpuacct" -> bits */

/* ---- v2 (cgroup_v2.c) ---- */
bool cg_host_is_v2(void);
/* Make m->dir; with controllers, enable every available controller in the
 * subtree_control of each ancestor below the mount (not on hybrid hosts). */
int cg_v2_create(struct cgroup_manager *m, bool controllers);
int cg_v2_destroy(struct cgroup_manager *m);
int cg_v2_freeze(struct cgroup_manager *m, bool frozen);
int cg_v2_is_frozen(struct cgroup_manager *m);

/* ---- resources ---- */
/* update: a change of a running container (see cgroup_update()). */
int cg_res_v1_apply(struct cgroup_manager *m, const struct hull_resources *r, bool update);
int cg_res_v2_apply(struct cgroup_manager *m, const struct hull_resources *r, bool update);
uint64_t cg_shares_to_weight(uint64_t shares);
uint64_t cg_blkio_to_io_weight(uint64_t weight);
/* v2 memory.swap.max (-1: max) from the spec's memory and memory+swap
 * (0: not set); *set false when there is nothing to write. */
int cg_swap_v2(int64_t memory, int64_t swap, int64_t *out, bool *set);
/* rdma.max lines (the same format on v1 and v2). */
int cg_rdma_write(const char *dir, const struct hull_resources *r);

/* ---- devices (cgroup_devices.c) ---- */
/* The effective rule set: linux.resources.devices then runc's default rules. */
struct cg_dev_rule {
        char type;            /* 'c' or 'b' */
        int64_t major, minor; /* -1: any */
        unsigned access;      /* CG_DEV_R | CG_DEV_W | CG_DEV_M */
};
enum { CG_DEV_M = 1, CG_DEV_R = 2, CG_DEV_W = 4 };
struct cg_dev_set {
        bool default_allow;
        struct cg_dev_rule *rules; /* exceptions to the default */
        size_t n;
};
int cg_dev_compute(const struct hull_resources *r, struct cg_dev_set *out);
void cg_dev_free(struct cg_dev_set *s);
int cg_dev_apply_v1(const char *dir, const struct cg_dev_set *s);
int cg_dev_apply_v2(const char *dir, const struct cg_dev_set *s);
/* Build the eBPF program (exported for the unit test): n instructions. */
int cg_dev_bpf_build(const struct cg_dev_set *s, void **insns, size_t *n);

/* ---- systemd (cgroup_systemd.c) ---- */
int cg_sd_prepare(struct cgroup_manager *m, const struct cgroup_opts *o);
int cg_sd_update(struct cgroup_manager *m, const struct hull_resources *r);
int cg_sd_stop(struct cgroup_manager *m);
void cg_sd_release_holder(struct cgroup_manager *m);
/* "a-b.slice" -> "/a.slice/a-b.slice" (malloc'd). */
int cg_sd_slice_path(const char *slice, char **out);

/* ---- stats (cgroup_stats.c) ---- */
int cg_stats_v1(struct cgroup_manager *m, struct json_t *data);
int cg_stats_v2(struct cgroup_manager *m, struct json_t *data);
/* A JSON number for any uint64 (values above INT64_MAX become a marked
 * string that cgroup_json_dumps() prints as a bare number). */
struct json_t *cg_json_u64(uint64_t v);

#endif
