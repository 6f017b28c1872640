/* devices.c - device nodes and /dev symlinks of the container (see devices.h). */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "devices.h"
#include "error.h"
#include "paths.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

struct node {
        char type; /* 'c', 'b', 'u', 'p' */
        unsigned major, minor;
        mode_t perm;
        uid_t uid;
        gid_t gid;
};

static const struct {
        const char *name;
        unsigned major, minor;
} default_devices[] = {
    {"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
    {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0},
};

static mode_t node_fmt(char type)
{
        return type == 'b' ? S_IFBLK : type == 'p' ? S_IFIFO : S_IFCHR;
}

static dev_t node_dev(const struct node *n)
{
        return n->type == 'p' ? 0 : makedev(n->major, n->minor);
}

/* Bind the host's node (host_path) on an empty file dir/name. */
static int bind_node(int dir, const char *name, const char *host_path)
{
        int fd = openat(dir, name, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0 && errno != EEXIST)
                return herr(errno, "create a file to bind %s on", host_path);
        if (fd >= 0)
                close(fd);
        int tfd = openat(dir, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (tfd < 0)
                return herr(errno, "open the file to bind %s on", host_path);
        int tree = sys_open_tree(AT_FDCWD, host_path, OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (tree < 0) {
                int e = errno;
                close(tfd);
                return herr(e, "bind %s: open_tree", host_path);
        }
        int r =
            sys_move_mount(tree, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
        int e = errno;
        close(tree);
        close(tfd);
        return r < 0 ? herr(e, "bind %s", host_path) : 0;
}

/* Make dir/name as node n (or bind host_path on it).  An existing entry
 * must be that device when strict; else it is left alone (runc). */
static int make_node(int dir, const char *name, const struct node *n, const char *host_path,
                     bool use_bind, bool strict)
{
        mode_t fmt = node_fmt(n->type);
        if (use_bind && n->type != 'p')
                return bind_node(dir, name, host_path);
        if (mknodat(dir, name, fmt | (n->perm & 07777), node_dev(n)) == 0) {
                if ((n->uid || n->gid) &&
                    fchownat(dir, name, n->uid, n->gid, AT_SYMLINK_NOFOLLOW) < 0)
                        return herr(errno, "chown %u:%u", (unsigned)n->uid, (unsigned)n->gid);
                return 0;
        }
        if (errno == EPERM && n->type != 'p')
                return bind_node(dir, name, host_path);
        if (errno != EEXIST)
                return herr(errno, "mknod");
        if (!strict)
                return 0;
        struct stat st;
        if (fstatat(dir, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return herr(errno, "stat");
        if ((st.st_mode & S_IFMT) != fmt || (n->type != 'p' && st.st_rdev != node_dev(n)))
                return herr(EEXIST, "a different file is already there");
        return 0;
}

static bool listed(const struct hull_linux *lx, const char *rel)
{
        char p[PATH_MAX];
        for (size_t i = 0; i < lx->n_devices; i++)
                if (path_clean(lx->devices[i].path, p, sizeof(p)) == 0 && strcmp(p, rel) == 0)
                        return true;
        return false;
}

static int symlinks(int dev)
{
        static const char *const links[][2] = {
            {"/proc/self/fd", "fd"},       {"/proc/self/fd/0", "stdin"},
            {"/proc/self/fd/1", "stdout"}, {"/proc/self/fd/2", "stderr"},
            {"/proc/kcore", "core"},
        };
        /* kcore depends on CONFIG_PROC_KCORE: link it only when there */
        size_t n = sizeof(links) / sizeof(links[0]) - (access("/proc/kcore", F_OK) == 0 ? 0 : 1);
        for (size_t i = 0; i < n; i++)
                if (symlinkat(links[i][0], dev, links[i][1]) < 0 && errno != EEXIST)
                        return herr(errno, "symlink /dev/%s -> %s", links[i][1], links[i][0]);
        if (unlinkat(dev, "ptmx", 0) < 0 && errno != ENOENT)
                return herr(errno, "remove /dev/ptmx");
        if (symlinkat("pts/ptmx", dev, "ptmx") < 0)
                return herr(errno, "symlink /dev/ptmx -> pts/ptmx");
        return 0;
}

int devices_setup(int root_fd, const struct hull_config *cfg)
{
        const struct hull_linux *lx = &cfg->linux_;
        bool use_bind = lx->ns[NS_USER].present; /* no mknod in a user namespace */
        mode_t old_umask = umask(0);
        int r = 0;
        int dev = path_create(root_fd, "dev", true, 0755, 0);
        if (dev < 0) {
                umask(old_umask);
                return herr_ctx("/dev");
        }
        for (size_t i = 0; r == 0 && i < sizeof(default_devices) / sizeof(default_devices[0]);
             i++) {
                char rel[32], host[40];
                snprintf(rel, sizeof(rel), "dev/%s", default_devices[i].name);
                if (listed(lx, rel))
                        continue;
                snprintf(host, sizeof(host), "/%s", rel);
                struct node n = {'c', default_devices[i].major, default_devices[i].minor, 0666, 0,
                                 0};
                if (make_node(dev, default_devices[i].name, &n, host, use_bind, false) < 0)
                        r = herr_ctx("default device %s", host);
        }
        for (size_t i = 0; r == 0 && i < lx->n_devices; i++) {
                const struct hull_device *d = &lx->devices[i];
                char rel[PATH_MAX];
                const char *base;
                struct node n = {d->type,
                                 (unsigned)d->major,
                                 (unsigned)d->minor,
                                 d->has_file_mode ? d->file_mode : 0666,
                                 d->has_uid ? d->uid : 0,
                                 d->has_gid ? d->gid : 0};
                if (path_clean(d->path, rel, sizeof(rel)) < 0) {
                        r = herr(errno, "linux.devices[%zu] (%s)", i, d->path);
                        break;
                }
                int dir = path_create_parent(root_fd, rel, 0755, &base);
                if (dir < 0) {
                        r = herr_ctx("linux.devices[%zu] (%s)", i, d->path);
                        break;
                }
                if (make_node(dir, base, &n, d->path, use_bind, true) < 0)
                        r = herr_ctx("linux.devices[%zu] (%s)", i, d->path);
                close(dir);
        }
        if (r == 0)
                r = symlinks(dev);
        close(dev);
        umask(old_umask);
        return r;
}

int devices_reopen_null(void)
{
        int null = -1;
        for (int fd = 0; fd < 3; fd++) {
                struct stat st;
                if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode) || st.st_rdev != makedev(1, 3))
                        continue;
                if (null < 0) {
                        /* inside the root (the cwd: rootfs_pivot just
                         * went to "/"), no magic link, and the null device
                         * itself, or the host's one stays: nothing else
                         * becomes the process's stdio */
                        null = sys_openat2(AT_FDCWD, "/dev/null", O_RDWR | O_CLOEXEC, 0,
                                           RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
                        if (null < 0)
                                return herr(errno, "open /dev/null of the container");
                        struct stat nst;
                        if (fstat(null, &nst) < 0 || !S_ISCHR(nst.st_mode) ||
                            nst.st_rdev != makedev(1, 3)) {
                                close(null);
                                return 0;
                        }
                }
                if (dup3(null, fd, 0) < 0) {
                        int e = errno;
                        close(null);
                        return herr(e, "reopen fd %d on /dev/null", fd);
                }
        }
        if (null >= 0)
                close(null);
        return 0;
}
