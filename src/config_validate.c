/* config_validate.c - can hull honour this (parsed) config on this host?
 *
 * config_parse() has checked types, required fields and names; here are the
 * rules between fields and against the host, one function per rule, run in
 * table order.  Each rule reports every problem it finds (problem()), so
 * that `hull check` can list them all (config_validate_all); create reports
 * the first one (config_validate), named by the config field path.
 */
#include "config.h"
#include "config_internal.h"
#include "error.h"
#include "names.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/nsfs.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE _IO(0xb7, 0x3)
#endif
#define SCHED_ISO_RESERVED 4 /* in the spec's list, never implemented by Linux */
#ifndef RDTGROUP_SUPER_MAGIC
#define RDTGROUP_SUPER_MAGIC 0x7655821
#endif

static bool absolute(const char *path)
{
        return path && path[0] == '/';
}

/* Where the rules report: each problem is set as the current error (herr)
 * and handed to fn; the rules go on after a problem. */
struct vctx {
        config_problem_fn fn;
        void *data;
        int n;
};

/* Report the error just set: problem(v, herr(...)). */
static void problem(struct vctx *v, int rc)
{
        (void)rc; /* always -1: herr()'s result, so a call reads as one line */
        v->n++;
        if (v->fn)
                v->fn(v->data, herr_errno(), herr_msg());
}

static void check_root(const struct hull_config *c, struct vctx *v)
{
        if (!c->root_path || !c->root_path[0])
                problem(v, herr(0, "root.path: required on Linux"));
}

static void process_rules(const struct hull_process *pr, struct vctx *v)
{
        if (pr->n_args == 0)
                problem(v, herr(0, "process.args: must not be empty"));
        if (!absolute(pr->cwd))
                problem(v, herr(0, "process.cwd: must be an absolute path, got \"%s\"", pr->cwd));
        if (pr->has_oom_score_adj && (pr->oom_score_adj < -1000 || pr->oom_score_adj > 1000))
                problem(v, herr(0, "process.oomScoreAdj: must be from -1000 to 1000, got %d",
                                pr->oom_score_adj));
        if (pr->io_priority.present &&
            (pr->io_priority.priority < 0 || pr->io_priority.priority > 7))
                problem(v, herr(0, "process.ioPriority.priority: must be from 0 to 7, got %d",
                                pr->io_priority.priority));
        if (pr->scheduler.present && pr->scheduler.policy == SCHED_ISO_RESERVED)
                problem(v,
                        herr(0, "process.scheduler.policy: SCHED_ISO is not implemented by Linux"));
}

/* The first problem of a run, kept as the current error. */
struct first {
        int errnum;
        char msg[HERR_MAX];
};

static void keep_first(void *data, int errnum, const char *msg)
{
        struct first *f = data;
        if (f->msg[0])
                return;
        f->errnum = errnum;
        snprintf(f->msg, sizeof(f->msg), "%s", msg);
}

int cp_validate_process(const struct hull_process *pr)
{
        struct first f = {0};
        struct vctx v = {.fn = keep_first, .data = &f};
        process_rules(pr, &v);
        if (v.n == 0)
                return 0;
        herr_set_raw(f.errnum, f.msg);
        return -1;
}

/* runc, too, wants the process at create time (runtime.md: REQUIRED
 * when start is called). */
static void check_process(const struct hull_config *c, struct vctx *v)
{
        if (!c->process.present)
                problem(v, herr(0, "process: missing (required to start the container)"));
        else
                process_rules(&c->process, v);
}

static bool has_option(const struct hull_mount *m, const char *opt)
{
        for (size_t i = 0; i < m->n_options; i++)
                if (strcmp(m->options[i], opt) == 0)
                        return true;
        return false;
}

/* Relative destinations were made absolute by the parse (config.md allows
 * them on Linux, like runc). */
static void check_mounts(const struct hull_config *c, struct vctx *v)
{
        for (size_t i = 0; i < c->n_mounts; i++) {
                const struct hull_mount *m = &c->mounts[i];
                bool uid = m->n_uid_mappings > 0, gid = m->n_gid_mappings > 0;
                if (uid != gid)
                        problem(v, herr(0, "mounts[%zu].%s: must be given together with %s", i,
                                        uid ? "uidMappings" : "gidMappings",
                                        uid ? "gidMappings" : "uidMappings"));
                else if (!uid && (has_option(m, "idmap") || has_option(m, "ridmap")) &&
                         !c->linux_.ns[NS_USER].present)
                        problem(v, herr(0,
                                        "mounts[%zu].options: idmap needs uidMappings and "
                                        "gidMappings or a user namespace",
                                        i));
        }
}

/* The name under /proc/self/ns of each kind. */
static const char *const ns_proc_name[NS_KINDS] = {
    [NS_PID] = "pid", [NS_NET] = "net",   [NS_MNT] = "mnt",       [NS_IPC] = "ipc",
    [NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

/* A path to join must be a namespace of the listed type (config-linux.md). */
static int check_ns_path(const struct hull_namespace *ns, int kind)
{
        int fd = open(ns->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "linux.namespaces[%u].path: open %s", ns->index, ns->path);
        int type = ioctl(fd, NS_GET_NSTYPE);
        int err = errno;
        close(fd);
        if (type < 0 && (err == ENOTTY || err == EINVAL))
                return herr(0, "linux.namespaces[%u].path: %s is not a namespace", ns->index,
                            ns->path);
        if (type < 0)
                return herr(err, "linux.namespaces[%u].path: NS_GET_NSTYPE on %s", ns->index,
                            ns->path);
        if (type != ns_kind_clone_flag(kind))
                return herr(0, "linux.namespaces[%u].path: %s is not a %s namespace", ns->index,
                            ns->path, ns_kind_name(kind));
        return 0;
}

static void check_namespaces(const struct hull_config *c, struct vctx *v)
{
        for (int k = 0; k < NS_KINDS; k++) {
                const struct hull_namespace *ns = &c->linux_.ns[k];
                char proc[64];
                if (!ns->present)
                        continue;
                if (ns->path) {
                        if (check_ns_path(ns, k) < 0)
                                problem(v, -1);
                        continue;
                }
                snprintf(proc, sizeof(proc), "/proc/self/ns/%s", ns_proc_name[k]);
                if (access(proc, F_OK) < 0)
                        problem(v, herr(0,
                                        "linux.namespaces[%u]: the kernel does not support %s "
                                        "namespaces",
                                        ns->index, ns_kind_name(k)));
        }
}

static void check_id_mappings(const struct hull_config *c, struct vctx *v)
{
        const struct hull_linux *l = &c->linux_;
        bool mappings = l->n_uid_mappings > 0 || l->n_gid_mappings > 0;
        if (!l->ns[NS_USER].present && mappings)
                problem(v, herr(0, "linux.%s: given without a user namespace in linux.namespaces",
                                l->n_uid_mappings ? "uidMappings" : "gidMappings"));
        if (l->ns[NS_USER].present && !l->ns[NS_USER].path && !mappings)
                problem(v, herr(0,
                                "linux.uidMappings: required to create a user namespace "
                                "(or give linux.namespaces[%u].path to join one)",
                                l->ns[NS_USER].index));
}

static void check_uts_time(const struct hull_config *c, struct vctx *v)
{
        const struct hull_linux *l = &c->linux_;
        if (c->hostname && c->hostname[0] && !l->ns[NS_UTS].present)
                problem(v, herr(0, "hostname: needs a UTS namespace in linux.namespaces"));
        if (c->domainname && c->domainname[0] && !l->ns[NS_UTS].present)
                problem(v, herr(0, "domainname: needs a UTS namespace in linux.namespaces"));
        if (l->has_time_offsets && !l->ns[NS_TIME].present)
                problem(v,
                        herr(0, "linux.timeOffsets: needs a time namespace in linux.namespaces"));
        if (l->has_time_offsets && l->ns[NS_TIME].path)
                problem(v, herr(0,
                                "linux.timeOffsets: cannot be set when joining an existing time "
                                "namespace (linux.namespaces[%u].path)",
                                l->ns[NS_TIME].index));
}

/* Compare sysctl names with '/' and '.' as the same separator. */
static bool sysctl_is(const char *name, const char *want, bool prefix)
{
        for (; *want; name++, want++)
                if (*name != *want && !(*name == '/' && *want == '.'))
                        return false;
        return prefix || !*name;
}

/* Which namespace makes a sysctl the container's own; -1 for host-wide. */
static int sysctl_namespace(const char *name)
{
        static const char *const ipc[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
                                          "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
                                          "kernel.shmmni", "kernel.shm_rmid_forced"};
        for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
                if (sysctl_is(name, ipc[i], false))
                        return NS_IPC;
        if (sysctl_is(name, "fs.mqueue.", true))
                return NS_IPC;
        if (sysctl_is(name, "net.", true))
                return NS_NET;
        if (sysctl_is(name, "kernel.hostname", false) ||
            sysctl_is(name, "kernel.domainname", false))
                return NS_UTS;
        return -1;
}

/* A namespace to join that is hull's own (the host's): a sysctl set in it
 * would change the host (runc refuses this for net.*). */
static bool ns_path_is_ours(const struct hull_namespace *ns, int kind)
{
        char proc[64];
        struct stat a, b;
        if (!ns->path)
                return false;
        snprintf(proc, sizeof(proc), "/proc/self/ns/%s", ns_proc_name[kind]);
        return stat(ns->path, &a) == 0 && stat(proc, &b) == 0 && a.st_dev == b.st_dev &&
               a.st_ino == b.st_ino;
}

static void check_sysctl(const struct hull_config *c, struct vctx *v)
{
        const struct hull_linux *l = &c->linux_;
        for (size_t i = 0; i < l->n_sysctl; i++) {
                const char *name = l->sysctl[i].key;
                int k = sysctl_namespace(name);
                /* as runc: the hostname field sets it, and only that */
                if (sysctl_is(name, "kernel.hostname", false))
                        problem(v, herr(0,
                                        "linux.sysctl[\"%s\"]: conflicts with the hostname field: "
                                        "set hostname instead",
                                        name));
                else if (k < 0)
                        problem(v, herr(0,
                                        "linux.sysctl[\"%s\"]: not in a namespace of its own: "
                                        "setting it would change the host",
                                        name));
                else if (!l->ns[k].present)
                        problem(v, herr(0,
                                        "linux.sysctl[\"%s\"]: needs a %s namespace in "
                                        "linux.namespaces",
                                        name, ns_kind_name(k)));
                else if (ns_path_is_ours(&l->ns[k], k))
                        problem(v, herr(0,
                                        "linux.sysctl[\"%s\"]: linux.namespaces[%u].path is the "
                                        "host's %s namespace: setting it would change the host",
                                        name, l->ns[k].index, ns_kind_name(k)));
        }
}

static void check_seccomp(const struct hull_config *c, struct vctx *v)
{
        const struct hull_seccomp *s = &c->linux_.seccomp;
        uint32_t notify;
        if (!s->present)
                return;
        seccomp_action_from_name("SCMP_ACT_NOTIFY", &notify);
        if (s->default_action_value == notify)
                problem(v, herr(0, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the "
                                   "default action"));
        for (size_t i = 0; i < s->n_syscalls; i++)
                if (s->syscalls[i].action == notify && !(s->listener_path && s->listener_path[0]))
                        problem(v, herr(0,
                                        "linux.seccomp.listenerPath: required by "
                                        "linux.seccomp.syscalls[%zu] (SCMP_ACT_NOTIFY)",
                                        i));
}

static void check_paths(const struct hull_config *c, struct vctx *v)
{
        const struct hull_linux *l = &c->linux_;
        for (size_t i = 0; i < l->n_devices; i++)
                if (!absolute(l->devices[i].path))
                        problem(v, herr(0,
                                        "linux.devices[%zu].path: must be an absolute path, got "
                                        "\"%s\"",
                                        i, l->devices[i].path));
        for (size_t i = 0; i < l->n_masked_paths; i++)
                if (!absolute(l->masked_paths[i]))
                        problem(v, herr(0,
                                        "linux.maskedPaths[%zu]: must be an absolute path, got "
                                        "\"%s\"",
                                        i, l->masked_paths[i]));
        for (size_t i = 0; i < l->n_readonly_paths; i++)
                if (!absolute(l->readonly_paths[i]))
                        problem(v, herr(0,
                                        "linux.readonlyPaths[%zu]: must be an absolute path, got "
                                        "\"%s\"",
                                        i, l->readonly_paths[i]));
}

static bool resctrl_mounted(void)
{
        struct statfs st;
        return statfs("/sys/fs/resctrl", &st) == 0 && st.f_type == RDTGROUP_SUPER_MAGIC;
}

/* config.md: a hook's path is absolute. */
static void check_hooks(const struct hull_config *c, struct vctx *v)
{
        for (int k = 0; k < HOOK_KINDS; k++)
                for (size_t i = 0; i < c->hooks.n[k]; i++)
                        if (c->hooks.list[k][i].path[0] != '/')
                                problem(v,
                                        herr(0, "hooks.%s[%zu].path: must be absolute, got \"%s\"",
                                             hook_kind_name((enum hull_hook_kind)k), i,
                                             c->hooks.list[k][i].path));
}

static void check_unsupported(const struct hull_config *c, struct vctx *v)
{
        const struct hull_linux *l = &c->linux_;
        if (l->has_intel_rdt && !resctrl_mounted())
                problem(v, herr(0, "linux.intelRdt: not supported: resctrl is not mounted"));
        else if (l->has_intel_rdt)
                problem(v, herr(0, "linux.intelRdt: not supported yet"));
        if (l->has_net_devices)
                problem(v, herr(0, "linux.netDevices: not supported yet"));
        if (l->has_memory_policy)
                problem(v, herr(0, "linux.memoryPolicy: not supported yet"));
        if (l->personality.n_flags > 0)
                problem(v, herr(0, "linux.personality.flags: not supported (\"%s\")",
                                l->personality.flags[0]));
}

static void (*const checks[])(const struct hull_config *, struct vctx *) = {
    check_root,   check_process, check_mounts, check_namespaces, check_id_mappings, check_uts_time,
    check_sysctl, check_seccomp, check_paths,  check_hooks,      check_unsupported,
};

int config_validate_all(const struct hull_config *c, config_problem_fn fn, void *data)
{
        struct vctx v = {.fn = fn, .data = data};
        for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
                checks[i](c, &v);
        return v.n;
}

int config_validate(const struct hull_config *c)
{
        struct first f = {0};
        if (config_validate_all(c, keep_first, &f) == 0)
                return 0;
        herr_set_raw(f.errnum, f.msg);
        return -1;
}
