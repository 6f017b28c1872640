/* explain_fs.c - the filesystem steps of the plan (see explain.h):
 * rootfs_prepare (propagation, mounts[] with their flags, /dev),
 * rootfs_pivot, sysctl_apply, rootfs_finish.
 */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "error.h"
#include "explain.h"
#include "mount_opts.h"
#include "mounts.h"
#include "names.h"
#include "sys.h"
#include "sysctl.h"

#include <string.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static const struct {
        unsigned long flag;
        const char *name;
} ms_names[] = {
    {MS_RDONLY, "MS_RDONLY"},
    {MS_NOSUID, "MS_NOSUID"},
    {MS_NODEV, "MS_NODEV"},
    {MS_NOEXEC, "MS_NOEXEC"},
    {MS_SYNCHRONOUS, "MS_SYNCHRONOUS"},
    {MS_REMOUNT, "MS_REMOUNT"},
    {MS_MANDLOCK, "MS_MANDLOCK"},
    {MS_DIRSYNC, "MS_DIRSYNC"},
    {MS_NOSYMFOLLOW, "MS_NOSYMFOLLOW"},
    {MS_NOATIME, "MS_NOATIME"},
    {MS_NODIRATIME, "MS_NODIRATIME"},
    {MS_BIND, "MS_BIND"},
    {MS_REC, "MS_REC"},
    {MS_SILENT, "MS_SILENT"},
    {MS_UNBINDABLE, "MS_UNBINDABLE"},
    {MS_PRIVATE, "MS_PRIVATE"},
    {MS_SLAVE, "MS_SLAVE"},
    {MS_SHARED, "MS_SHARED"},
    {MS_RELATIME, "MS_RELATIME"},
    {MS_STRICTATIME, "MS_STRICTATIME"},
    {MS_LAZYTIME, "MS_LAZYTIME"},
};

static const struct {
        uint64_t attr;
        const char *name;
} attr_names[] = {
    {MOUNT_ATTR_RDONLY, "MOUNT_ATTR_RDONLY"},
    {MOUNT_ATTR_NOSUID, "MOUNT_ATTR_NOSUID"},
    {MOUNT_ATTR_NODEV, "MOUNT_ATTR_NODEV"},
    {MOUNT_ATTR_NOEXEC, "MOUNT_ATTR_NOEXEC"},
    {MOUNT_ATTR_NOATIME, "MOUNT_ATTR_NOATIME"},
    {MOUNT_ATTR_STRICTATIME, "MOUNT_ATTR_STRICTATIME"},
    {MOUNT_ATTR_NODIRATIME, "MOUNT_ATTR_NODIRATIME"},
    {MOUNT_ATTR_NOSYMFOLLOW, "MOUNT_ATTR_NOSYMFOLLOW"},
    {MOUNT_ATTR_IDMAP, "MOUNT_ATTR_IDMAP"},
};

/* "MS_NOSUID|MS_NOEXEC", or "none". */
static const char *ms_string(unsigned long flags, char *buf, size_t cap)
{
        buf[0] = '\0';
        for (size_t i = 0; i < sizeof(ms_names) / sizeof(ms_names[0]); i++)
                if (flags & ms_names[i].flag)
                        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? "|" : "",
                                 ms_names[i].name);
        return buf[0] ? buf : "none";
}

static const char *attr_string(uint64_t attrs, char *buf, size_t cap)
{
        buf[0] = '\0';
        for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
                if (attrs & attr_names[i].attr)
                        snprintf(buf + strlen(buf), cap - strlen(buf), "%s%s", buf[0] ? "|" : "",
                                 attr_names[i].name);
        return buf;
}

/* "rslave", "private"... of MS_* propagation flags. */
static const char *prop_name(unsigned long p)
{
        static const char *const base[] = {"shared", "slave", "private", "unbindable"};
        static const unsigned long bits[] = {MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE};
        static char buf[16];
        for (int i = 0; i < 4; i++)
                if (p & bits[i]) {
                        snprintf(buf, sizeof(buf), "%s%s", p & MS_REC ? "r" : "", base[i]);
                        return buf;
                }
        return "?";
}

static bool is_type(const struct hull_mount *m, const char *t)
{
        return m->type && !strcmp(m->type, t);
}

static bool delayed_ro(const struct hull_mount *m, const struct mount_opts *o)
{
        return (o->flags & ~o->clear & MS_RDONLY) && !mount_is_dev_bind(m) &&
               (is_type(m, "tmpfs") || !strcmp(m->destination, "/dev"));
}

static void one_mount(const struct explain *e, size_t i, const struct hull_mount *m)
{
        struct mount_opts o;
        char fl[512], at[512];
        ex_step(e, "mount_entry", "mounts[%zu] %s", i, m->destination);
        if (mount_opts_parse(m->options, m->n_options, &o) < 0) {
                ex_more(e, 1, "fails: %s", herr_msg());
                return;
        }
        bool bind = mount_opts_is_bind(&o) || is_type(m, "bind");
        if (bind) {
                const char *src = m->source ? m->source : "(no source)";
                ex_more(e, 1,
                        "%sbind of %s%s: open_tree(OPEN_TREE_CLONE%s), flags set with "
                        "mount_setattr, then move_mount",
                        o.flags & MS_REC ? "recursive " : "", src,
                        src[0] == '/' ? "" : " (in the bundle)",
                        o.flags & MS_REC ? "|AT_RECURSIVE" : "");
                uint64_t set, clr;
                mount_opts_attrs(o.flags, o.clear, &set, &clr);
                if (set)
                        ex_more(e, 2, "set %s", attr_string(set, at, sizeof(at)));
                if (clr)
                        ex_more(e, 2, "clear %s", attr_string(clr, at, sizeof(at)));
        } else if (is_type(m, "cgroup")) {
                ex_more(e, 1,
                        "cgroup: v2: cgroup2 with a cgroup namespace, else a bind of the "
                        "container's cgroup; v1: a tmpfs with one mount per hierarchy");
                ex_more(e, 2, "flags %s", ms_string(o.flags & ~o.clear, fl, sizeof(fl)));
        } else {
                ex_more(e, 1, "mount(2) type %s, source %s, flags %s", m->type ? m->type : "(none)",
                        m->source && m->source[0] ? m->source : (m->type ? m->type : "(none)"),
                        ms_string((o.flags & ~o.clear) &
                                      ~(unsigned long)(delayed_ro(m, &o) ? MS_RDONLY : 0),
                                  fl, sizeof(fl)));
                if (o.data[0])
                        ex_more(e, 2, "data \"%s\"", o.data);
                if (o.tmpcopyup)
                        ex_more(e, 2,
                                "tmpcopyup: the tmpfs is filled with what was there, then "
                                "moved over it");
        }
        if (o.clear & ~(unsigned long)MS_RDONLY)
                ex_more(e, 2, "cleared %s", ms_string(o.clear, fl, sizeof(fl)));
        if (o.rec_set)
                ex_more(e, 2, "recursively set %s", attr_string(o.rec_set, at, sizeof(at)));
        if (o.rec_clr)
                ex_more(e, 2, "recursively cleared %s", attr_string(o.rec_clr, at, sizeof(at)));
        if (o.idmap || o.ridmap || m->n_uid_mappings)
                ex_more(e, 2, "%sidmapped: made by the parent before clone3 (see above)",
                        o.ridmap ? "recursively " : "");
        for (size_t k = 0; k < o.n_propagation; k++)
                ex_more(e, 2, "then propagation %s", prop_name(o.propagation[k]));
        if (delayed_ro(m, &o))
                ex_more(e, 2, "read-only later, once its files are in (rootfs_finish)");
}

void explain_rootfs(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        const struct hull_linux *l = &c->linux_;
        unsigned long prop = l->rootfs_propagation ? l->rootfs_propagation : MS_SLAVE | MS_REC;
        bool isolated = (prop & MS_REC) && (prop & (MS_SLAVE | MS_PRIVATE));
        ex_step(e, "rootfs_prepare", "make / %s (%s)", prop_name(prop),
                l->rootfs_propagation ? "linux.rootfsPropagation" : "the default");
        if (!isolated)
                ex_more(e, 0, "make the mount holding the rootfs %s: it must not be shared",
                        prop & MS_SLAVE ? "a slave" : "private");
        ex_more(e, 0, "bind the rootfs %s on itself (MS_BIND|MS_REC)", c->root_path);
        if (l->mount_label && l->mount_label[0])
                ex_more(e, 0, "mount label context=\"%s\" on new mounts (when SELinux is on)",
                        l->mount_label);
        if (!c->n_mounts)
                ex_more(e, 0, "no mounts[]");
        for (size_t i = 0; i < c->n_mounts; i++)
                one_mount(e, i, &c->mounts[i]);

        bool dev_bind = false;
        for (size_t i = 0; i < c->n_mounts; i++)
                dev_bind = dev_bind || mount_is_dev_bind(&c->mounts[i]);
        if (dev_bind) {
                ex_step(e, "devices_setup", "nothing: /dev is a bind mount");
                return;
        }
        bool userns = l->ns[NS_USER].present;
        ex_step(e, "devices_setup", "in /dev: null zero full random urandom tty, 0666 root:root%s",
                userns ? ", bind-mounted from the host (no mknod in a user namespace)"
                       : " (mknod)");
        for (size_t i = 0; i < l->n_devices; i++) {
                const struct hull_device *d = &l->devices[i];
                char mode[16] = "";
                if (d->has_file_mode)
                        snprintf(mode, sizeof(mode), " mode %04o", (unsigned)d->file_mode & 07777);
                ex_more(e, 0, "linux.devices[%zu] %s: %c %lld:%lld%s uid %u gid %u%s", i, d->path,
                        d->type, (long long)d->major, (long long)d->minor, mode,
                        d->has_uid ? (unsigned)d->uid : 0, d->has_gid ? (unsigned)d->gid : 0,
                        userns ? " (bind of the host's node)" : "");
        }
        ex_more(e, 0,
                "symlinks /dev/ptmx -> pts/ptmx, /dev/fd, stdin, stdout, stderr -> "
                "/proc/self/fd/...");
}

void explain_pivot(const struct explain *e)
{
        if (e->no_pivot) {
                ex_step(e, "rootfs_pivot",
                        "--no-pivot: hide the host's /proc and /sys mounts, "
                        "MS_MOVE the rootfs onto /, chroot");
                return;
        }
        ex_step(e, "rootfs_pivot",
                "pivot_root(\".\", \".\") in the rootfs, then a lazy "
                "unmount of the old root");
}

void explain_sysctl(const struct explain *e)
{
        const struct hull_linux *l = &e->cfg->linux_;
        if (!l->n_sysctl)
                return;
        for (size_t i = 0; i < l->n_sysctl; i++) {
                char path[512];
                int n = snprintf(path, sizeof(path), "/proc/sys/%s", l->sysctl[i].key);
                for (int k = 10; k < n && k < (int)sizeof(path); k++)
                        if (path[k] == '.')
                                path[k] = '/';
                const char *ns = sysctl_namespace_of(l->sysctl[i].key);
                ex_step(e, "sysctl_apply", "write \"%s\" to %s (%s namespace)", l->sysctl[i].value,
                        path, ns ? ns : "no");
        }
}

void explain_finish(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        const struct hull_linux *l = &c->linux_;
        ex_step(e, "rootfs_finish", "%s",
                l->n_readonly_paths || l->n_masked_paths ? "(a path that does not exist is skipped)"
                                                         : "no readonlyPaths, no maskedPaths");
        for (size_t i = 0; i < l->n_readonly_paths; i++)
                ex_more(e, 0,
                        "linux.readonlyPaths[%zu] %s: bound on itself, read-only, "
                        "recursively",
                        i, l->readonly_paths[i]);
        for (size_t i = 0; i < l->n_masked_paths; i++)
                ex_more(e, 0,
                        "linux.maskedPaths[%zu] %s: /dev/null bound over it (a directory: "
                        "an empty read-only tmpfs)",
                        i, l->masked_paths[i]);
        for (size_t i = 0; i < c->n_mounts; i++) {
                struct mount_opts o;
                if (mount_opts_parse(c->mounts[i].options, c->mounts[i].n_options, &o) == 0 &&
                    delayed_ro(&c->mounts[i], &o))
                        ex_more(e, 0, "mounts[%zu] %s: now read-only", i, c->mounts[i].destination);
        }
        if (c->root_readonly)
                ex_more(e, 0, "root.readonly: / read-only (mount_setattr MOUNT_ATTR_RDONLY)");
        if (l->rootfs_propagation && !(l->rootfs_propagation & MS_PRIVATE))
                ex_more(e, 0, "linux.rootfsPropagation: the new / made %s",
                        prop_name(l->rootfs_propagation));
}
