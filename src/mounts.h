/* mounts.h - one mounts[] entry of config.json, mounted into the rootfs.
 *
 * Runs in the container's init before pivot_root.  The destination is
 * resolved inside the rootfs (paths.h) and the mount goes onto that fd
 * (/proc/self/fd/N for mount(2), or move_mount), so no symlink of the image
 * can send a mount to the host.  Kinds:
 *
 *   bind, rbind   open_tree(OPEN_TREE_CLONE) of the source (absolute or
 *                 relative to the bundle), per-mount flags and "rro"-style
 *                 recursive ones set with mount_setattr on the detached
 *                 tree, idmap/ridmap, then move_mount
 *   cgroup        v1: a tmpfs holding one bind (or, with a cgroup namespace,
 *                 one cgroup mount) per hierarchy; v2: cgroup2 with a cgroup
 *                 namespace, else a bind of the container's cgroup
 *   tmpfs         with "tmpcopyup": fsmount'ed, filled with the old
 *                 contents, then moved over them
 *   anything else mount(2) by type (proc, sysfs, devpts, mqueue, ...)
 *
 * Propagation options are applied after the mount, to the new mount.
 * Read-only for tmpfs and /dev is delayed (files go in first) until
 * mounts_finish_readonly(), as runc does.
 */
#ifndef HULL_MOUNTS_H
#define HULL_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

struct cgroup_manager;

struct mount_env {
        const struct hull_config *cfg;
        int root_fd;                   /* O_PATH of the rootfs */
        const char *bundle;            /* for relative bind sources */
        const char *label;             /* mount label (context=) or NULL */
        struct cgroup_manager *cgroup; /* may be NULL */
        const int *mount_fds;          /* from mounts_open_idmapped(), or NULL */
};

/* Parent side, before clone3.  An idmapped mount needs CAP_SYS_ADMIN over
 * the filesystem, which the init has not in a user namespace: for every
 * mounts[] entry with idmap/ridmap, make the detached bind tree here (the
 * mapping's user namespace, flags and recursive attributes set), fds[i] =
 * its fd, else -1.  The init inherits them through clone3 and only moves
 * them into place (rootfs_ctx.mount_fds).  Returns the number made, or -1
 * with the error set and nothing left open. */
int mounts_open_idmapped(const struct hull_config *cfg, const char *bundle, int *fds);
void mounts_close_fds(int *fds, size_t n);

/* Mount cfg->mounts[i].  -1 with the error "mounts[i] (dest): ...". */
int mount_entry(const struct mount_env *env, size_t i);

/* Is cfg->mounts[i] a bind mount of /dev (then runc makes no devices)? */
bool mount_is_dev_bind(const struct hull_mount *m);

/* After pivot_root: make read-only the tmpfs and /dev mounts whose "ro"
 * was delayed.  -1 with the error set. */
int mounts_finish_readonly(const struct hull_config *cfg);

#endif
