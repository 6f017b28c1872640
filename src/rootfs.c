/* rootfs.c - the container's filesystem view (see rootfs.h).
 *
 * prepare: / of the new mount namespace becomes rslave (or
 *          linux.rootfsPropagation), the rootfs is bound on itself, then
 *          mounts[] in order (mounts.c) and /dev (devices.c).
 * pivot:   pivot_root(".", ".") and a lazy unmount of the old root; with
 *          --no-pivot, MS_MOVE onto / and chroot.
 * finish:  readonlyPaths, maskedPaths, delayed read-only mounts,
 *          root.readonly, then rootfsPropagation on the new /.
 *
 * Nothing here reads /proc/self/mountinfo except --no-pivot, which must
 * find the host's procfs and sysfs mounts to hide them.
 */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "rootfs.h"
#include "devices.h"
#include "error.h"
#include "fsutil.h"
#include "mounts.h"
#include "paths.h"
#include "security.h"
#include "sys.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static unsigned long root_propagation(const struct hull_config *cfg)
{
        unsigned long p = cfg->linux_.rootfs_propagation;
        return p ? p : MS_SLAVE | MS_REC;
}

/* After a recursive slave or private, no mount of ours is shared with the
 * host: the rootfs' parent needs no change and unmounts cannot propagate. */
static bool isolated(unsigned long p)
{
        return (p & MS_REC) && (p & (MS_SLAVE | MS_PRIVATE));
}

static bool needs_dev(const struct hull_config *cfg)
{
        for (size_t i = 0; i < cfg->n_mounts; i++)
                if (mount_is_dev_bind(&cfg->mounts[i]))
                        return false;
        return true;
}

/* The mount holding the rootfs must not be shared, or the bind of the
 * rootfs would propagate to the host and pivot_root would refuse it.  Walk
 * up by fd (physical parents) to the mount's root: statx tells it.  With
 * rootfsPropagation slave it becomes a slave (the bind of the rootfs is
 * then a slave of the host too), else private. */
static int make_parent_unshared(const char *rootfs, unsigned long prop)
{
        int fd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "root.path: open %s", rootfs);
        for (int depth = 0; depth < 256; depth++) {
                struct statx stx;
                if (statx(fd, "", AT_EMPTY_PATH | AT_NO_AUTOMOUNT, 0, &stx) < 0) {
                        int e = errno;
                        close(fd);
                        return herr(e, "root.path: statx %s", rootfs);
                }
                if ((stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) &&
                    (stx.stx_attributes & STATX_ATTR_MOUNT_ROOT))
                        break;
                int up = openat(fd, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (up < 0) {
                        int e = errno;
                        close(fd);
                        return herr(e, "root.path: open a parent of %s", rootfs);
                }
                close(fd);
                fd = up;
        }
        char p[64];
        snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
        unsigned long to = (prop & MS_SLAVE) ? MS_SLAVE : MS_PRIVATE;
        int r = mount(NULL, p, NULL, to, NULL);
        int e = errno;
        close(fd);
        return r < 0 ? herr(e, "root.path: make the mount holding %s %s", rootfs,
                            to == MS_SLAVE ? "a slave" : "private")
                     : 0;
}

int rootfs_prepare(struct rootfs_ctx *ctx)
{
        const struct hull_config *cfg = ctx->cfg;
        unsigned long prop = root_propagation(cfg);
        ctx->null_tree = -1;
        if (mount(NULL, "/", NULL, prop, NULL) < 0)
                return herr(errno, "linux.rootfsPropagation: make / %s",
                            cfg->linux_.rootfs_propagation ? cfg->linux_.rootfs_propagation_name
                                                           : "rslave");
        if (!isolated(prop) && make_parent_unshared(ctx->rootfs, prop) < 0)
                return -1;
        if (mount(ctx->rootfs, ctx->rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
                return herr(errno, "root.path: bind %s on itself", ctx->rootfs);
        ctx->rootfs_fd = open(ctx->rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (ctx->rootfs_fd < 0)
                return herr(errno, "root.path: open %s", ctx->rootfs);

        struct mount_env env = {
            .cfg = cfg,
            .root_fd = ctx->rootfs_fd,
            .bundle = ctx->bundle,
            .label = lsm_mount_label(cfg),
            .cgroup = ctx->cgroup,
            .mount_fds = ctx->mount_fds,
        };
        for (size_t i = 0; i < cfg->n_mounts; i++)
                if (TRACE("mount_entry", cfg->mounts[i].destination, mount_entry(&env, i)) < 0)
                        return -1;
        if (needs_dev(cfg) &&
            TRACE("devices_setup", "/dev", devices_setup(ctx->rootfs_fd, cfg)) < 0)
                return -1;
        return 0;
}

/* ---- --no-pivot ---- */

/* Undo mountinfo's octal escapes (\040 for a space) in place. */
static void unescape(char *s)
{
        char *w = s;
        for (char *r = s; *r; r++) {
                if (r[0] == '\\' && r[1] >= '0' && r[1] <= '3' && r[2] >= '0' && r[2] <= '7' &&
                    r[3] >= '0' && r[3] <= '7') {
                        *w++ = (char)((r[1] - '0') * 64 + (r[2] - '0') * 8 + (r[3] - '0'));
                        r += 3;
                } else {
                        *w++ = *r;
                }
        }
        *w = '\0';
}

static bool under(const char *path, const char *dir)
{
        size_t n = strlen(dir);
        while (n > 1 && dir[n - 1] == '/')
                n--;
        return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* chroot leaves the host's mounts reachable in the namespace, and the
 * kernel checks procfs/sysfs mounts against every full procfs/sysfs in it
 * (mount_too_revealing): hide the host's ones, as runc does. */
static int hide_host_proc_sys(const char *rootfs)
{
        char *buf;
        if (read_file_at(AT_FDCWD, "/proc/self/mountinfo", &buf, NULL) < 0)
                return -1;
        /* collect first: unmounting /proc would end the reading */
        char *targets[64];
        size_t n = 0;
        for (char *save = NULL, *line = strtok_r(buf, "\n", &save); line && n < 64;
             line = strtok_r(NULL, "\n", &save)) {
                char *f[5] = {0};
                char *s2 = NULL, *tok = strtok_r(line, " ", &s2);
                for (int k = 0; tok && k < 5; k++, tok = strtok_r(NULL, " ", &s2))
                        f[k] = tok;
                while (tok && strcmp(tok, "-") != 0) /* optional fields */
                        tok = strtok_r(NULL, " ", &s2);
                char *fstype = tok ? strtok_r(NULL, " ", &s2) : NULL;
                if (!f[4] || !fstype || strcmp(f[3], "/") != 0)
                        continue;
                if (strcmp(fstype, "proc") != 0 && strcmp(fstype, "sysfs") != 0)
                        continue;
                unescape(f[4]);
                if (!under(f[4], rootfs))
                        targets[n++] = f[4];
        }
        int r = 0;
        for (size_t i = 0; i < n && r == 0; i++) {
                if (mount(NULL, targets[i], NULL, MS_SLAVE | MS_REC, NULL) < 0) {
                        if (errno == ENOENT) /* under one already gone */
                                continue;
                        r = herr(errno, "--no-pivot: make %s rslave", targets[i]);
                        break;
                }
                if (umount2(targets[i], MNT_DETACH) == 0)
                        continue;
                if (errno != EINVAL && errno != EPERM)
                        r = herr(errno, "--no-pivot: unmount %s", targets[i]);
                else if (mount("tmpfs", targets[i], "tmpfs", 0, NULL) < 0)
                        r = herr(errno, "--no-pivot: cover %s", targets[i]);
        }
        free(buf);
        return r;
}

static int move_root(struct rootfs_ctx *ctx)
{
        if (hide_host_proc_sys(ctx->rootfs) < 0)
                return -1;
        if (fchdir(ctx->rootfs_fd) < 0)
                return herr(errno, "--no-pivot: chdir %s", ctx->rootfs);
        if (mount(ctx->rootfs, "/", NULL, MS_MOVE, NULL) < 0)
                return herr(errno, "--no-pivot: move %s to /", ctx->rootfs);
        if (chroot(".") < 0)
                return herr(errno, "--no-pivot: chroot");
        return 0;
}

/* A detached bind of the host's /dev/null, checked to be the null device,
 * taken while "/" is still the host's. */
static int open_null_tree(struct rootfs_ctx *ctx)
{
        int t = sys_open_tree(AT_FDCWD, "/dev/null", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (t < 0)
                return herr(errno, "linux.maskedPaths: bind the host's /dev/null");
        struct stat st;
        if (fstat(t, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3)) {
                close(t);
                return herr(EXDEV,
                            "linux.maskedPaths: the host's /dev/null is not the null device");
        }
        ctx->null_tree = t;
        return 0;
}

int rootfs_pivot(struct rootfs_ctx *ctx)
{
        if (ctx->cfg->linux_.n_masked_paths && ctx->null_tree < 0 && open_null_tree(ctx) < 0)
                return -1;
        if (ctx->no_pivot) {
                if (move_root(ctx) < 0)
                        return -1;
        } else {
                int old = -1;
                if (!isolated(root_propagation(ctx->cfg))) {
                        old = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                        if (old < 0)
                                return herr(errno, "pivot_root: open /");
                }
                int r = -1;
                if (fchdir(ctx->rootfs_fd) < 0)
                        herr(errno, "pivot_root: chdir %s", ctx->rootfs);
                else if (sys_pivot_root(".", ".") < 0)
                        herr(errno, "pivot_root %s", ctx->rootfs);
                /* the old root is stacked on "."; when it may still share
                 * mounts with the host, make it a slave so that the unmount
                 * does not propagate there */
                else if (old >= 0 && fchdir(old) < 0)
                        herr(errno, "pivot_root: chdir to the old root");
                else if (old >= 0 && mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
                        herr(errno, "pivot_root: make the old root rslave");
                else if (umount2(".", MNT_DETACH) < 0)
                        herr(errno, "pivot_root: unmount the old root");
                else
                        r = 0;
                if (old >= 0)
                        close(old);
                if (r < 0)
                        return -1;
        }
        if (chdir("/") < 0)
                return herr(errno, "chdir /");
        if (needs_dev(ctx->cfg) && devices_reopen_null() < 0)
                return -1;
        return 0;
}

/* ---- after pivot_root: paths are the container's ---- */

/* O_PATH fd of a path of the config inside the container's root (root,
 * "/" by now): symlinks stay inside, magic links are refused (paths.h).
 * ENOENT is returned as -2 (missing is fine for these paths), other
 * errors -1. */
static int open_in_root(int root, const char *path)
{
        char rel[PATH_MAX];
        if (path_clean(path, rel, sizeof(rel)) < 0)
                return herr(errno, "resolve");
        int fd = path_open(root, rel, 0);
        int e = errno;
        if (fd < 0)
                return e == ENOENT ? -2 : herr(e, "resolve inside the container");
        return fd;
}

/* Bind the path on itself, read-only (recursively); missing is fine. */
static int readonly_path(int root, const char *path)
{
        int tfd = open_in_root(root, path);
        if (tfd < 0)
                return tfd == -2 ? 0 : -1;
        int tree = sys_open_tree(
            tfd, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
        if (tree < 0) {
                int e = errno;
                close(tfd);
                return herr(e, "bind");
        }
        struct hull_mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
        int r = 0;
        if (sys_mount_setattr(tree, "", AT_EMPTY_PATH | AT_RECURSIVE, &a) < 0)
                r = herr(errno, "make read-only");
        else if (sys_move_mount(tree, "", tfd, "",
                                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                r = herr(errno, "bind");
        close(tree);
        close(tfd);
        return r;
}

/* An empty read-only tmpfs (with the mount label) onto the directory tfd. */
static int mask_dir(int tfd, const char *label)
{
        int fs = sys_fsopen("tmpfs", FSOPEN_CLOEXEC), mnt = -1, r = -1;
        if (fs < 0)
                return herr(errno, "mount a read-only tmpfs: fsopen");
        if (label && label[0] && sys_fsconfig(fs, FSCONFIG_SET_STRING, "context", label, 0) < 0)
                herr(errno, "mount a read-only tmpfs: context=\"%s\"", label);
        else if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0)
                herr(errno, "mount a read-only tmpfs: create");
        else if ((mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, MOUNT_ATTR_RDONLY)) < 0)
                herr(errno, "mount a read-only tmpfs: fsmount");
        else if (sys_move_mount(mnt, "", tfd, "",
                                MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                herr(errno, "mount a read-only tmpfs");
        else
                r = 0;
        if (mnt >= 0)
                close(mnt);
        close(fs);
        return r;
}

/* Files get a bind of the host's /dev/null (ctx->null_tree: attached by
 * the first masked file, then cloned from there), directories an empty
 * read-only tmpfs; missing is fine. */
static int mask_path(struct rootfs_ctx *ctx, int root, const char *path, const char *label,
                     bool *null_attached)
{
        int tfd = open_in_root(root, path);
        if (tfd < 0)
                return tfd == -2 ? 0 : -1;
        struct stat st;
        int r;
        if (fstat(tfd, &st) < 0) {
                r = herr(errno, "stat");
        } else if (S_ISDIR(st.st_mode)) {
                r = mask_dir(tfd, label);
        } else {
                int src = ctx->null_tree;
                if (*null_attached)
                        src = sys_open_tree(ctx->null_tree, "",
                                            OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
                r = 0;
                if (src < 0)
                        r = herr(errno, "bind the host's /dev/null");
                else if (sys_move_mount(src, "", tfd, "",
                                        MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                        r = herr(errno, "bind /dev/null");
                else
                        *null_attached = true;
                if (src >= 0 && src != ctx->null_tree)
                        close(src);
        }
        close(tfd);
        return r;
}

int rootfs_finish(struct rootfs_ctx *ctx)
{
        const struct hull_config *cfg = ctx->cfg;
        const struct hull_linux *lx = &cfg->linux_;
        int r = 0, root = -1;
        if (lx->n_readonly_paths || lx->n_masked_paths) {
                root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                if (root < 0)
                        r = herr(errno, "linux.maskedPaths, linux.readonlyPaths: open /");
        }
        for (size_t i = 0; r == 0 && i < lx->n_readonly_paths; i++)
                if (readonly_path(root, lx->readonly_paths[i]) < 0)
                        r = herr_ctx("linux.readonlyPaths[%zu] (%s)", i, lx->readonly_paths[i]);
        const char *label = lx->n_masked_paths ? lsm_mount_label(cfg) : NULL;
        bool null_attached = false;
        for (size_t i = 0; r == 0 && i < lx->n_masked_paths; i++)
                if (mask_path(ctx, root, lx->masked_paths[i], label, &null_attached) < 0)
                        r = herr_ctx("linux.maskedPaths[%zu] (%s)", i, lx->masked_paths[i]);
        if (root >= 0)
                close(root);
        if (ctx->null_tree >= 0) {
                close(ctx->null_tree);
                ctx->null_tree = -1;
        }
        if (r < 0)
                return -1;
        if (mounts_finish_readonly(cfg) < 0)
                return -1;
        if (cfg->root_readonly) {
                struct hull_mount_attr a = {.attr_set = MOUNT_ATTR_RDONLY};
                if (sys_mount_setattr(AT_FDCWD, "/", 0, &a) < 0)
                        return herr(errno, "root.readonly: make / read-only");
        }
        unsigned long prop = lx->rootfs_propagation;
        if (prop && !(prop & MS_PRIVATE) && mount(NULL, "/", NULL, prop, NULL) < 0)
                return herr(errno, "linux.rootfsPropagation: make / %s",
                            lx->rootfs_propagation_name);
        return 0;
}
