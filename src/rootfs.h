/* rootfs.h - the container's filesystem view, built inside its new mount
 * namespace by the container's init.
 *
 *   rootfs_prepare()  propagation, bind of the rootfs, linux.mounts in
 *                     order, the default /dev and linux.devices
 *   (parent runs prestart/createRuntime hooks, child createContainer)
 *   rootfs_pivot()    pivot_root into it (or chroot with --no-pivot)
 *   rootfs_finish()   readonlyPaths, maskedPaths, root.readonly,
 *                     rootfsPropagation
 *
 * Every path under the rootfs is resolved inside it (no symlink may lead
 * out), see docs/SECURITY.md.
 */
#ifndef HULL_ROOTFS_H
#define HULL_ROOTFS_H

#include <stdbool.h>

#include "config.h"

struct cgroup_manager;

struct rootfs_ctx {
        const struct hull_config *cfg;
        const char *rootfs; /* absolute path of the rootfs on the host */
        const char *bundle; /* absolute path of the bundle (relative mount sources) */
        bool no_pivot;
        struct cgroup_manager *cgroup; /* for "cgroup" mounts on v1; may be NULL */
        /* idmapped mounts made by the parent before clone3
         * (mounts_open_idmapped(), mounts.h): one fd per mounts[] entry,
         * -1 where none; NULL when there are none */
        const int *mount_fds;
        int rootfs_fd; /* filled by rootfs_prepare: O_PATH fd of the rootfs */
        /* filled by rootfs_pivot when there are maskedPaths: a detached
         * bind of the host's /dev/null, the source of every masked file
         * (never the container's /dev/null: CVE-2025-31133) */
        int null_tree;
};

/* Child, in its new mount namespace, before hooks. */
int rootfs_prepare(struct rootfs_ctx *ctx);
/* Child, after createContainer hooks. On return cwd is "/" of the container. */
int rootfs_pivot(struct rootfs_ctx *ctx);
/* Child, after pivot, after sysctl (which writes /proc/sys). */
int rootfs_finish(struct rootfs_ctx *ctx);

#endif
