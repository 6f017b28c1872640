/* mounts.c - mount one mounts[] entry into the rootfs (see mounts.h). */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "mounts.h"
#include "cgroup.h"
#include "copytree.h"
#include "error.h"
#include "mount_opts.h"
#include "paths.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

#define DIR_MODE  0755
#define FILE_MODE 0644

/* What mount_setattr can change of a per-mount flag set. */
static int setattr_fd(int fd, bool recursive, uint64_t set, uint64_t clr, uint64_t propagation)
{
        struct hull_mount_attr a = {
            .attr_set = set, .attr_clr = clr, .propagation = propagation, .userns_fd = 0};
        return sys_mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a);
}

static void fd_path(char *buf, size_t size, int fd)
{
        snprintf(buf, size, "/proc/self/fd/%d", fd);
}

static bool is_type(const char *type, const char *name)
{
        return type && strcmp(type, name) == 0;
}

bool mount_is_dev_bind(const struct hull_mount *m)
{
        char dest[PATH_MAX];
        if (path_clean(m->destination, dest, sizeof(dest)) < 0 || strcmp(dest, "dev") != 0)
                return false;
        if (is_type(m->type, "bind"))
                return true;
        for (size_t i = 0; i < m->n_options; i++)
                if (strcmp(m->options[i], "bind") == 0 || strcmp(m->options[i], "rbind") == 0)
                        return true;
        return false;
}

/* Propagation options, in order, on the mount at fd. */
static int apply_propagation(int fd, const struct mount_opts *o)
{
        for (size_t k = 0; k < o->n_propagation; k++) {
                unsigned long p = o->propagation[k];
                if (setattr_fd(fd, (p & MS_REC) != 0, 0, 0, p & ~(unsigned long)MS_REC) < 0)
                        return herr(errno, "set propagation %#lx", p);
        }
        return 0;
}

/* Recursive attributes ("rro", "rnosuid"...) on the mount at fd. */
static int apply_rec_attrs(int fd, const struct mount_opts *o)
{
        if (!o->rec_set && !o->rec_clr)
                return 0;
        if (setattr_fd(fd, true, o->rec_set, o->rec_clr, 0) < 0)
                return herr(errno, "set recursive mount attributes");
        return 0;
}

/* After mount(2) on a target fd, the new mount is on top of it: look the
 * destination up again to reach it, then apply what comes after. */
static int after_mount(int root_fd, const char *dest, const struct mount_opts *o, bool ro_now)
{
        if (!o->n_propagation && !o->rec_set && !o->rec_clr && !ro_now)
                return 0;
        int fd = path_open(root_fd, dest, 0);
        if (fd < 0)
                return herr(errno, "open /%s after mounting", dest);
        int r = 0;
        if (ro_now && setattr_fd(fd, false, MOUNT_ATTR_RDONLY, 0, 0) < 0)
                r = herr(errno, "make read-only");
        if (r == 0)
                r = apply_rec_attrs(fd, o);
        if (r == 0)
                r = apply_propagation(fd, o);
        close(fd);
        return r;
}

/* ---- idmapped mounts ---- */

static int write_map(pid_t pid, const char *file, const struct hull_idmap *map, size_t n)
{
        char path[64], buf[1024];
        size_t len = 0;
        for (size_t i = 0; i < n; i++) {
                int w = snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n", map[i].container_id,
                                 map[i].host_id, map[i].size);
                if (w < 0 || (size_t)w >= sizeof(buf) - len)
                        return herr(E2BIG, "%s: too many mappings", file);
                len += (size_t)w;
        }
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "open %s", path);
        ssize_t r = write(fd, buf, len);
        int e = errno;
        close(fd);
        if (r != (ssize_t)len)
                return herr(r < 0 ? e : EIO, "write %s", path);
        return 0;
}

/* A user namespace holding the mount's mappings (or the container's): a
 * child unshares one and waits; we map it and keep an fd of it.  The
 * child reports its pid as the host's /proc sees it. */
static int idmap_userns(const struct hull_mount *m, const struct hull_linux *lx)
{
        const struct hull_idmap *um = m->uid_mappings, *gm = m->gid_mappings;
        size_t nu = m->n_uid_mappings, ng = m->n_gid_mappings;
        if (!nu) {
                um = lx->uid_mappings, nu = lx->n_uid_mappings;
                gm = lx->gid_mappings, ng = lx->n_gid_mappings;
        }
        if (!nu || !ng)
                return herr(EINVAL, "idmap: no uidMappings/gidMappings");
        int to_child[2], from_child[2];
        if (pipe2(to_child, O_CLOEXEC) < 0)
                return herr(errno, "idmap: pipe");
        if (pipe2(from_child, O_CLOEXEC) < 0) {
                close(to_child[0]);
                close(to_child[1]);
                return herr(errno, "idmap: pipe");
        }
        pid_t pid = fork();
        if (pid == 0) {
                close(to_child[1]); /* else the read below never sees EOF */
                close(from_child[0]);
                char self[32] = "";
                ssize_t n = -1;
                if (unshare(CLONE_NEWUSER) == 0)
                        n = readlink("/proc/self", self, sizeof(self) - 1);
                if (n > 0 && write(from_child[1], self, (size_t)n) == n) {
                        char c;
                        (void)!read(to_child[0], &c, 1);
                }
                _exit(0);
        }
        int e = errno, fd = -1;
        close(to_child[0]);
        close(from_child[1]);
        if (pid < 0) {
                herr(e, "idmap: fork");
        } else {
                char buf[32];
                ssize_t n = read(from_child[0], buf, sizeof(buf) - 1);
                if (n <= 0) {
                        herr(n < 0 ? errno : EPERM, "idmap: make a user namespace");
                } else {
                        buf[n] = '\0';
                        pid_t host = (pid_t)atoi(buf);
                        char path[64];
                        snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)host);
                        if (write_map(host, "uid_map", um, nu) == 0 &&
                            write_map(host, "gid_map", gm, ng) == 0) {
                                fd = open(path, O_RDONLY | O_CLOEXEC);
                                if (fd < 0)
                                        herr(errno, "idmap: open %s", path);
                        }
                }
        }
        close(to_child[1]);
        close(from_child[0]);
        if (pid > 0)
                while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
                        ;
        return fd;
}

static int apply_idmap(int tree, const struct hull_mount *m, const struct hull_linux *lx,
                       bool recursive)
{
        int ns = idmap_userns(m, lx);
        if (ns < 0)
                return -1;
        struct hull_mount_attr a = {.attr_set = MOUNT_ATTR_IDMAP, .userns_fd = (uint64_t)ns};
        int r = sys_mount_setattr(tree, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &a);
        int e = errno;
        close(ns);
        return r < 0 ? herr(e, "idmap: mount_setattr(MOUNT_ATTR_IDMAP)") : 0;
}

/* Files under /proc that may be mounted over (lxcfs emulates them). */
static const char *const proc_allowed[] = {
    "proc/cpuinfo",      "proc/diskstats",
    "proc/meminfo",      "proc/stat",
    "proc/swaps",        "proc/uptime",
    "proc/loadavg",      "proc/slabinfo",
    "proc/net/dev",      "proc/pressure/cpu",
    "proc/pressure/io",  "proc/pressure/memory",
    "proc/pressure/irq", "proc/sys/kernel/ns_last_pid",
};

/* No mount over or inside /proc, except a fresh proc on /proc and the
 * files above (checked on the destination as written)... */
static int check_proc_dest(const char *dest, const char *type)
{
        if (strcmp(dest, "proc") == 0) {
                if (is_type(type, "proc"))
                        return 0;
                return herr(0, "/proc cannot be mounted because it is not of type proc");
        }
        if (strncmp(dest, "proc/", 5) != 0)
                return 0;
        for (size_t i = 0; i < sizeof(proc_allowed) / sizeof(proc_allowed[0]); i++)
                if (strcmp(dest, proc_allowed[i]) == 0)
                        return 0;
        return herr(0, "/%s cannot be mounted because it is inside /proc", dest);
}

/* ... and on where it resolved to: a symlink may lead into a procfs. */
static int check_proc_target(const char *dest, int tfd)
{
        struct statfs sf;
        if (strncmp(dest, "proc/", 5) == 0 || strcmp(dest, "proc") == 0)
                return 0; /* checked by name */
        if (fstatfs(tfd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC)
                return herr(0, "/%s cannot be mounted because it resolves into a procfs", dest);
        return 0;
}

/* ---- bind ---- */

/* A detached bind of src (a host path) with the per-mount flags (the
 * remount runc does), recursive attributes and idmapping of o set: its fd,
 * or -1 with the error set. */
static int bind_tree(const struct hull_config *cfg, const struct hull_mount *m, const char *src,
                     const struct mount_opts *o)
{
        bool rec = (o->flags & MS_REC) != 0;
        int tree = sys_open_tree(AT_FDCWD, src,
                                 OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0));
        if (tree < 0)
                return herr(errno, "bind source %s", src);
        unsigned long f = o->flags & ~(unsigned long)(MS_BIND | MS_REC | MS_REMOUNT);
        if (f) {
                uint64_t set, clr;
                mount_opts_attrs(f, o->clear, &set, &clr);
                if ((set || clr) && setattr_fd(tree, false, set, clr, 0) < 0) {
                        herr(errno, "set mount flags on the bind of %s", src);
                        goto fail;
                }
        }
        if (apply_rec_attrs(tree, o) < 0)
                goto fail;
        if ((o->idmap || o->ridmap) && apply_idmap(tree, m, &cfg->linux_, o->ridmap) < 0)
                goto fail;
        return tree;
fail:
        close(tree);
        return -1;
}

/* Move the detached tree onto dest inside the root (made like the tree's
 * root: a directory or a file), then set its propagation. */
static int attach_tree(const struct mount_env *env, int tree, const char *src, const char *dest,
                       const struct mount_opts *o)
{
        struct stat st;
        if (fstat(tree, &st) < 0)
                return herr(errno, "stat bind source %s", src);
        struct statfs sf;
        bool proc_src = fstatfs(tree, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
        if (check_proc_dest(dest, proc_src ? "proc" : "bind") < 0)
                return -1;
        int tfd = path_create(env->root_fd, dest, S_ISDIR(st.st_mode), DIR_MODE, FILE_MODE);
        if (tfd < 0)
                return -1;
        int r = check_proc_target(dest, tfd);
        if (r == 0 && sys_move_mount(tree, "", tfd, "",
                                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                r = herr(errno, "bind %s", src);
        close(tfd);
        return r < 0 ? -1 : apply_propagation(tree, o);
}

static int bind_at(const struct mount_env *env, const struct hull_mount *m, const char *src,
                   const char *dest, const struct mount_opts *o)
{
        int tree = bind_tree(env->cfg, m, src, o);
        if (tree < 0)
                return -1;
        int r = attach_tree(env, tree, src, dest, o);
        close(tree);
        return r;
}

/* The host path of a bind source: absolute, or relative to the bundle. */
static int bind_source(const char *bundle, const struct hull_mount *m, char *src, size_t size)
{
        const char *s = m->source ? m->source : "";
        int n =
            s[0] == '/' ? snprintf(src, size, "%s", s) : snprintf(src, size, "%s/%s", bundle, s);
        if (n < 0 || (size_t)n >= size)
                return herr(ENAMETOOLONG, "bind source %s", s);
        return 0;
}

static int mount_bind(const struct mount_env *env, size_t i, const char *dest,
                      const struct mount_opts *o)
{
        const struct hull_mount *m = &env->cfg->mounts[i];
        char src[PATH_MAX];
        if (bind_source(env->bundle, m, src, sizeof(src)) < 0)
                return -1;
        if (env->mount_fds && env->mount_fds[i] >= 0) /* made by the parent */
                return attach_tree(env, env->mount_fds[i], src, dest, o);
        if ((o->idmap || o->ridmap) && env->cfg->linux_.ns[NS_USER].present)
                return herr(EPERM, "idmap in a user namespace: the runtime must make the mount "
                                   "before clone3 (mounts_open_idmapped)");
        return bind_at(env, m, src, dest, o);
}

static bool wants_bind(const struct hull_mount *m, const struct mount_opts *o)
{
        return mount_opts_is_bind(o) || is_type(m->type, "bind");
}

void mounts_close_fds(int *fds, size_t n)
{
        for (size_t i = 0; fds && i < n; i++)
                if (fds[i] >= 0) {
                        close(fds[i]);
                        fds[i] = -1;
                }
}

int mounts_open_idmapped(const struct hull_config *cfg, const char *bundle, int *fds)
{
        int made = 0;
        for (size_t i = 0; i < cfg->n_mounts; i++)
                fds[i] = -1;
        struct mount_opts *o = malloc(sizeof(*o));
        if (!o)
                return herr(ENOMEM, "idmapped mounts");
        for (size_t i = 0; i < cfg->n_mounts; i++) {
                const struct hull_mount *m = &cfg->mounts[i];
                char src[PATH_MAX];
                if (mount_opts_parse(m->options, m->n_options, o) < 0)
                        goto fail;
                if (!wants_bind(m, o) || !(o->idmap || o->ridmap))
                        continue;
                o->flags |= MS_BIND;
                if (bind_source(bundle, m, src, sizeof(src)) < 0)
                        goto fail;
                fds[i] = bind_tree(cfg, m, src, o);
                if (fds[i] < 0)
                        goto fail;
                made++;
                continue;
        fail:
                herr_ctx("mounts[%zu] (%s)", i, m->destination);
                mounts_close_fds(fds, cfg->n_mounts);
                free(o);
                return -1;
        }
        free(o);
        return made;
}

/* ---- filesystems ---- */

/* data plus context="label" (runc's FormatMountLabel). */
static int with_label(char *out, size_t size, const char *data, const char *label)
{
        int n;
        if (!label || !label[0])
                n = snprintf(out, size, "%s", data);
        else
                n = snprintf(out, size, "%s%scontext=\"%s\"", data, data[0] ? "," : "", label);
        if (n < 0 || (size_t)n >= size)
                return herr(E2BIG, "mount data with the label is too long");
        return 0;
}

/* A tmpfs made with fsopen/fsmount, filled with the old contents of the
 * destination, then moved over it. */
static int tmpfs_copyup(const struct mount_env *env, const char *source, const char *dest, int tfd,
                        const struct mount_opts *o, const char *data)
{
        int fs = sys_fsopen("tmpfs", FSOPEN_CLOEXEC), mnt = -1, src = -1, r = -1;
        if (fs < 0)
                return herr(errno, "tmpcopyup: fsopen tmpfs");
        /* the source shown in /proc/mounts, as with mount(2) */
        if (sys_fsconfig(fs, FSCONFIG_SET_STRING, "source", source, 0) < 0) {
                herr(errno, "tmpcopyup: tmpfs source %s", source);
                goto out;
        }
        char buf[MOUNT_DATA_MAX + 512];
        snprintf(buf, sizeof(buf), "%s", data);
        for (char *save = NULL, *opt = strtok_r(buf, ",", &save); opt;
             opt = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(opt, '=');
                int c;
                if (eq) {
                        *eq = '\0';
                        char *v = eq + 1;
                        size_t vl = strlen(v);
                        if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') { /* context="..." */
                                v[vl - 1] = '\0';
                                v++;
                        }
                        c = sys_fsconfig(fs, FSCONFIG_SET_STRING, opt, v, 0);
                } else {
                        c = sys_fsconfig(fs, FSCONFIG_SET_FLAG, opt, NULL, 0);
                }
                if (c < 0) {
                        herr(errno, "tmpcopyup: tmpfs option %s", opt);
                        goto out;
                }
        }
        if (sys_fsconfig(fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0) {
                herr(errno, "tmpcopyup: create tmpfs");
                goto out;
        }
        uint64_t set, clr;
        mount_opts_attrs(o->flags & ~(unsigned long)MS_RDONLY, 0, &set, &clr);
        mnt = sys_fsmount(fs, FSMOUNT_CLOEXEC, (unsigned)set);
        if (mnt < 0) {
                herr(errno, "tmpcopyup: fsmount tmpfs");
                goto out;
        }
        src = openat(tfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (src < 0) {
                herr(errno, "tmpcopyup: open /%s", dest);
                goto out;
        }
        if (copy_tree(src, mnt) < 0) {
                herr_ctx("tmpcopyup: copy /%s", dest);
                goto out;
        }
        if (sys_move_mount(mnt, "", tfd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) <
            0) {
                herr(errno, "tmpcopyup: move the tmpfs onto /%s", dest);
                goto out;
        }
        r = after_mount(env->root_fd, dest, o, false);
out:
        if (src >= 0)
                close(src);
        if (mnt >= 0)
                close(mnt);
        close(fs);
        return r;
}

static int mount_fs(const struct mount_env *env, const struct hull_mount *m, const char *dest,
                    const struct mount_opts *o)
{
        const char *type = m->type ? m->type : "none";
        unsigned long flags = o->flags;
        /* files go into tmpfs and /dev first: ro comes in rootfs_finish */
        if (is_type(type, "tmpfs") || strcmp(dest, "dev") == 0)
                flags &= ~(unsigned long)MS_RDONLY;
        bool labeled = env->label && !is_type(type, "proc") && !is_type(type, "sysfs") &&
                       !is_type(type, "cgroup2") && !is_type(type, "cgroup");
        char data[MOUNT_DATA_MAX + 512];
        if (with_label(data, sizeof(data), o->data, labeled ? env->label : NULL) < 0)
                return -1;
        if (check_proc_dest(dest, type) < 0)
                return -1;
        int tfd = path_create(env->root_fd, dest, true, DIR_MODE, FILE_MODE);
        if (tfd < 0)
                return -1;
        int r = check_proc_target(dest, tfd);
        const char *source = m->source && m->source[0] ? m->source : type;
        if (r == 0 && o->tmpcopyup && is_type(type, "tmpfs")) {
                r = tmpfs_copyup(env, source, dest, tfd, o, data);
                close(tfd);
                return r;
        }
        char target[64];
        fd_path(target, sizeof(target), tfd);
        if (r == 0) {
                r = mount(source, target, type, flags, data[0] ? data : NULL);
                if (r < 0 && labeled && is_type(type, "mqueue")) /* no labels on old kernels */
                        r = mount(source, target, type, flags, o->data[0] ? o->data : NULL);
                if (r < 0)
                        r = herr(errno, "mount %s", type);
        }
        close(tfd);
        if (r < 0)
                return -1;
        return after_mount(env->root_fd, dest, o, false);
}

/* ---- cgroup ---- */

static bool host_cgroup_v2(void)
{
        struct statfs sf;
        return statfs("/sys/fs/cgroup", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* "/sys/fs/cgroup" + our v2 cgroup from /proc/self/cgroup ("0::/path"). */
static int own_cgroup2_dir(char *out, size_t size)
{
        char buf[4096];
        int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "open /proc/self/cgroup");
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        int e = errno;
        close(fd);
        if (n < 0)
                return herr(e, "read /proc/self/cgroup");
        buf[n] = '\0';
        for (char *line = buf; line && *line;) {
                char *nl = strchr(line, '\n');
                if (nl)
                        *nl = '\0';
                if (strncmp(line, "0::", 3) == 0) {
                        int w = snprintf(out, size, "/sys/fs/cgroup%s", line + 3);
                        if (w < 0 || (size_t)w >= size)
                                return herr(ENAMETOOLONG, "cgroup path %s", line + 3);
                        return 0;
                }
                line = nl ? nl + 1 : NULL;
        }
        return herr(ENOENT, "no cgroup v2 entry in /proc/self/cgroup");
}

static int mount_cgroup2(const struct mount_env *env, const struct hull_mount *m, const char *dest,
                         const struct mount_opts *o, bool cgroupns)
{
        if (cgroupns) {
                int tfd = path_create(env->root_fd, dest, true, DIR_MODE, FILE_MODE);
                if (tfd < 0)
                        return -1;
                char target[64];
                fd_path(target, sizeof(target), tfd);
                int r = mount("cgroup2", target, "cgroup2", o->flags, o->data[0] ? o->data : NULL);
                int e = errno;
                close(tfd);
                if (r == 0)
                        return after_mount(env->root_fd, dest, o, false);
                if (e != EPERM && e != EBUSY)
                        return herr(e, "mount cgroup2");
                /* a user namespace without its own cgroup namespace: bind */
        }
        char src[PATH_MAX];
        if (own_cgroup2_dir(src, sizeof(src)) < 0)
                return -1;
        struct mount_opts b = *o;
        b.flags |= MS_BIND;
        return bind_at(env, m, src, dest, &b);
}

/* v1: a tmpfs with one directory per hierarchy. */
static int mount_cgroup1(const struct mount_env *env, const struct hull_mount *m, const char *dest,
                         const struct mount_opts *o, bool cgroupns)
{
        static const char *const tmpfs_opts[] = {"nosuid", "nodev", "noexec", "mode=755"};
        struct hull_mount tm = {.destination = m->destination, .type = "tmpfs", .source = "tmpfs"};
        struct mount_opts *t = malloc(sizeof(*t));
        if (!t)
                return herr(ENOMEM, "cgroup tmpfs");
        int r = mount_opts_parse(tmpfs_opts, 4, t);
        if (r == 0) {
                memcpy(t->propagation, o->propagation, sizeof(o->propagation));
                t->n_propagation = o->n_propagation;
                r = mount_fs(env, &tm, dest, t);
        }
        free(t);
        if (r < 0)
                return -1;

        const struct cgroup_mountpoint *mp = NULL;
        size_t n = 0;
        if (env->cgroup && cgroup_mountpoints(env->cgroup, &mp, &n) < 0)
                return -1;
        int dir = n ? path_open(env->root_fd, dest, O_DIRECTORY) : -1;
        if (n && dir < 0)
                return herr(errno, "open /%s", dest);
        r = 0;
        for (size_t i = 0; i < n && r == 0; i++) {
                char sub[PATH_MAX];
                int w = snprintf(sub, sizeof(sub), "%s/%s", dest, mp[i].dir_name);
                if (w < 0 || (size_t)w >= sizeof(sub)) {
                        r = herr(ENAMETOOLONG, "/%s/%s", dest, mp[i].dir_name);
                        break;
                }
                if (cgroupns) {
                        int tfd = path_create(env->root_fd, sub, true, DIR_MODE, FILE_MODE);
                        if (tfd < 0) {
                                r = -1;
                                break;
                        }
                        char target[64], data[256];
                        fd_path(target, sizeof(target), tfd);
                        bool named = strncmp(mp[i].name, "name=", 5) == 0;
                        snprintf(data, sizeof(data), "%s%s", named ? "none," : "", mp[i].name);
                        unsigned long fl =
                            MS_NOSUID | MS_NODEV | MS_NOEXEC | (o->flags & MS_RDONLY);
                        if (mount("cgroup", target, "cgroup", fl, data) < 0)
                                r = herr(errno, "mount cgroup %s", mp[i].name);
                        close(tfd);
                } else {
                        struct mount_opts b = *o;
                        b.flags |= MS_BIND | MS_REC;
                        r = bind_at(env, m, mp[i].host_path, sub, &b);
                }
                /* "cpu" and "cpuacct" lead to "cpu,cpuacct" */
                if (r == 0 && strchr(mp[i].dir_name, ',')) {
                        char names[256];
                        snprintf(names, sizeof(names), "%s", mp[i].dir_name);
                        for (char *save = NULL, *s = strtok_r(names, ",", &save); s;
                             s = strtok_r(NULL, ",", &save))
                                if (symlinkat(mp[i].dir_name, dir, s) < 0 && errno != EEXIST)
                                        r = herr(errno, "symlink /%s/%s", dest, s);
                }
        }
        if (dir >= 0)
                close(dir);
        if (r < 0)
                return -1;
        if (o->flags & MS_RDONLY) { /* the tmpfs too, as runc does */
                int fd = path_open(env->root_fd, dest, 0);
                if (fd < 0)
                        return herr(errno, "open /%s", dest);
                r = setattr_fd(fd, false, MOUNT_ATTR_RDONLY, 0, 0);
                int e = errno;
                close(fd);
                if (r < 0)
                        return herr(e, "make /%s read-only", dest);
        }
        return 0;
}

static int mount_cgroup(const struct mount_env *env, const struct hull_mount *m, const char *dest,
                        const struct mount_opts *o)
{
        bool v2 = env->cgroup ? cgroup_is_v2(env->cgroup) : host_cgroup_v2();
        bool cgroupns = env->cfg->linux_.ns[NS_CGROUP].present;
        return v2 ? mount_cgroup2(env, m, dest, o, cgroupns)
                  : mount_cgroup1(env, m, dest, o, cgroupns);
}

/* ---- entry points ---- */

int mount_entry(const struct mount_env *env, size_t i)
{
        const struct hull_mount *m = &env->cfg->mounts[i];
        char dest[PATH_MAX];
        struct mount_opts *o = malloc(sizeof(*o));
        int r = -1;
        if (!o)
                return herr(ENOMEM, "mounts[%zu] (%s)", i, m->destination);
        if (path_clean(m->destination, dest, sizeof(dest)) < 0)
                herr(errno, "destination");
        else if (mount_opts_parse(m->options, m->n_options, o) < 0)
                ;
        else if (wants_bind(m, o)) {
                o->flags |= MS_BIND;
                r = mount_bind(env, i, dest, o);
        } else if (is_type(m->type, "cgroup"))
                r = mount_cgroup(env, m, dest, o);
        else
                r = mount_fs(env, m, dest, o);
        free(o);
        if (r < 0)
                return herr_ctx("mounts[%zu] (%s)", i, m->destination);
        return 0;
}

int mounts_finish_readonly(const struct hull_config *cfg)
{
        for (size_t i = 0; i < cfg->n_mounts; i++) {
                const struct hull_mount *m = &cfg->mounts[i];
                char dest[PATH_MAX];
                bool ro = false;
                for (size_t k = 0; k < m->n_options; k++) {
                        if (strcmp(m->options[k], "ro") == 0)
                                ro = true;
                        else if (strcmp(m->options[k], "rw") == 0)
                                ro = false;
                }
                if (!ro || path_clean(m->destination, dest + 1, sizeof(dest) - 1) < 0)
                        continue;
                if (!is_type(m->type, "tmpfs") && strcmp(dest + 1, "dev") != 0)
                        continue;
                if (mount_is_dev_bind(m))
                        continue; /* a bind is read-only already */
                /* the mount hull made there, looked up inside the root
                 * ("/" by now) without magic links */
                int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
                int fd = root < 0 ? -1 : path_open(root, dest + 1, 0);
                int e = errno;
                if (root >= 0)
                        close(root);
                if (fd < 0)
                        return herr(e, "mounts[%zu] (%s): open to make read-only", i,
                                    m->destination);
                int r = setattr_fd(fd, false, MOUNT_ATTR_RDONLY, 0, 0);
                e = errno;
                close(fd);
                if (r < 0)
                        return herr(e, "mounts[%zu] (%s): make read-only", i, m->destination);
        }
        return 0;
}
