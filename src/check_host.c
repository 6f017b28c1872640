/* check_host.c - the checks of `hull check` against this host (see
 * check.h): what create would only find out half-way, after clone3, or
 * what it silently ignores.  Read-only: nothing is made or changed.
 */
#include "check.h"
#include "error.h"
#include "mount_opts.h"
#include "names.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/utsname.h>
#include <unistd.h>

#define CG_ROOT "/sys/fs/cgroup"

/* ---- small readers ---- */

/* The first line of a small file, without its newline; false if unreadable. */
static bool read_line(const char *path, char *buf, size_t cap)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return false;
        ssize_t n = read(fd, buf, cap - 1);
        close(fd);
        if (n < 0)
                return false;
        buf[n] = '\0';
        buf[strcspn(buf, "\n")] = '\0';
        return true;
}

static bool has_word(const char *list, const char *word)
{
        size_t n = strlen(word);
        for (const char *p = list; (p = strstr(p, word)); p += n)
                if ((p == list || p[-1] == ' ' || p[-1] == ',' || p[-1] == '\t') &&
                    (p[n] == '\0' || p[n] == ' ' || p[n] == ',' || p[n] == '\n'))
                        return true;
        return false;
}

/* ---- the host ---- */

enum cg_kind { CG_NONE, CG_V1, CG_HYBRID, CG_V2 };

static enum cg_kind cgroup_kind(void)
{
        struct statfs st;
        if (statfs(CG_ROOT, &st) < 0)
                return CG_NONE;
        if (st.f_type == CGROUP2_SUPER_MAGIC)
                return CG_V2;
        if (statfs(CG_ROOT "/unified", &st) == 0 && st.f_type == CGROUP2_SUPER_MAGIC)
                return CG_HYBRID;
        return CG_V1;
}

static bool apparmor_on(void)
{
        char b[8];
        return read_line("/sys/module/apparmor/parameters/enabled", b, sizeof(b)) && b[0] == 'Y';
}

static bool selinux_on(void)
{
        return access("/sys/fs/selinux/enforce", F_OK) == 0;
}

/* criu: --criu, else on PATH. */
static bool find_criu(const struct check_opts *o, char *out, size_t cap)
{
        if (o->criu && o->criu[0]) {
                snprintf(out, cap, "%s", o->criu);
                return access(out, X_OK) == 0;
        }
        const char *path = getenv("PATH");
        if (!path)
                path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (const char *s = path; *s;) {
                size_t l = strcspn(s, ":");
                snprintf(out, cap, "%.*s/criu", (int)l, s);
                if (l && access(out, X_OK) == 0)
                        return true;
                s += l + (s[l] == ':');
        }
        return false;
}

static const char *const ns_files[NS_KINDS] = {
    [NS_PID] = "pid", [NS_NET] = "net",   [NS_MNT] = "mnt",       [NS_IPC] = "ipc",
    [NS_UTS] = "uts", [NS_USER] = "user", [NS_CGROUP] = "cgroup", [NS_TIME] = "time",
};

void check_host_summary(struct check_ctx *c)
{
        struct utsname u;
        char lsm[256] = "", criu[PATH_MAX], ns[128] = "";
        static const char *const cg[] = {"none", "v1", "v1 (hybrid, with a v2 hierarchy)", "v2"};
        for (int k = 0; k < NS_KINDS; k++) {
                char p[64];
                snprintf(p, sizeof(p), "/proc/self/ns/%s", ns_files[k]);
                if (access(p, F_OK) == 0)
                        snprintf(ns + strlen(ns), sizeof(ns) - strlen(ns), "%s%s", ns[0] ? " " : "",
                                 ns_files[k]);
        }
        if (!read_line("/sys/kernel/security/lsm", lsm, sizeof(lsm)) || !lsm[0])
                snprintf(lsm, sizeof(lsm), "%s%s", apparmor_on() ? "apparmor " : "",
                         selinux_on() ? "selinux" : "");
        bool have_criu = find_criu(c->o, criu, sizeof(criu));
        fprintf(c->out, "host: Linux %s, cgroup %s, namespaces: %s; LSMs: %s; criu: %s\n",
                uname(&u) == 0 ? u.release : "?", cg[cgroup_kind()], ns, lsm[0] ? lsm : "none",
                have_criu ? criu : "not found (checkpoint/restore unavailable)");
}

/* ---- files the config names ---- */

static void check_rootfs(struct check_ctx *c, const struct hull_config *cfg, int *root_fd)
{
        char path[PATH_MAX + 8];
        struct stat st;
        *root_fd = -1;
        if (!cfg->root_path || !cfg->root_path[0])
                return; /* config_validate's */
        if (cfg->root_path[0] == '/')
                snprintf(path, sizeof(path), "%s", cfg->root_path);
        else
                snprintf(path, sizeof(path), "%s/%s", c->bundle_abs, cfg->root_path);
        if (stat(path, &st) < 0)
                check_reportf(c, CHECK_ERROR, "root.path: the rootfs %s: %s", path,
                              herr_errno_text(errno));
        else if (!S_ISDIR(st.st_mode))
                check_reportf(c, CHECK_ERROR, "root.path: the rootfs %s is not a directory", path);
        else
                *root_fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

/* An executable regular file at path, resolved inside the rootfs. */
static bool exec_in_root(int root_fd, const char *path)
{
        int fd = sys_openat2(root_fd, path, O_PATH | O_CLOEXEC, 0, RESOLVE_IN_ROOT);
        if (fd < 0)
                return false;
        struct stat st;
        bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
        close(fd);
        return ok;
}

static const char *env_path(const struct hull_process *p)
{
        for (size_t i = 0; i < p->n_env; i++)
                if (!strncmp(p->env[i], "PATH=", 5))
                        return p->env[i] + 5;
        return NULL;
}

/* process.args[0] as process_resolve() finds it, before mounts: a mount
 * may still bring it, so this is a warning. */
static void check_args0(struct check_ctx *c, const struct hull_config *cfg, int root_fd)
{
        const struct hull_process *p = &cfg->process;
        if (root_fd < 0 || !p->present || p->n_args == 0)
                return;
        const char *file = p->args[0];
        char cand[PATH_MAX];
        if (strchr(file, '/')) {
                if (file[0] == '/')
                        snprintf(cand, sizeof(cand), "%s", file);
                else
                        snprintf(cand, sizeof(cand), "%s/%s", p->cwd ? p->cwd : "/", file);
                if (!exec_in_root(root_fd, cand))
                        check_reportf(c, CHECK_WARNING,
                                      "process.args[0]: \"%s\" is not an executable file in the "
                                      "rootfs (create fails unless a mount brings it)",
                                      file);
                return;
        }
        const char *path = env_path(p);
        const char *search =
            path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (const char *s = search;;) {
                size_t l = strcspn(s, ":");
                snprintf(cand, sizeof(cand), "%.*s/%s", (int)l, l ? s : ".", file);
                if (exec_in_root(root_fd, cand))
                        return;
                if (!s[l])
                        break;
                s += l + 1;
        }
        check_reportf(c, CHECK_WARNING,
                      "process.args[0]: \"%s\" is not in the rootfs on PATH %s (create fails "
                      "unless a mount brings it)",
                      file, search);
}

/* Hooks run from the host's filesystem, except startContainer (after
 * pivot_root: the container's). */
static void check_hooks(struct check_ctx *c, const struct hull_config *cfg, int root_fd)
{
        for (int k = 0; k < HOOK_KINDS; k++) {
                const char *kind = hook_kind_name((enum hull_hook_kind)k);
                for (size_t i = 0; i < cfg->hooks.n[k]; i++) {
                        const char *path = cfg->hooks.list[k][i].path;
                        bool ok;
                        if (path[0] != '/')
                                continue; /* config_validate's */
                        if (k == HOOK_START_CONTAINER) {
                                if (root_fd < 0)
                                        continue;
                                ok = exec_in_root(root_fd, path);
                        } else {
                                ok = access(path, X_OK) == 0;
                        }
                        if (ok)
                                continue;
                        /* a failing poststop hook is only a warning (runtime.md) */
                        check_reportf(c, k == HOOK_POSTSTOP ? CHECK_WARNING : CHECK_ERROR,
                                      "hooks.%s[%zu].path: %s is not an executable file %s", kind,
                                      i, path,
                                      k == HOOK_START_CONTAINER ? "in the rootfs" : "on this host");
                }
        }
}

static bool fs_known(const char *type)
{
        static char *list; /* /proc/filesystems, read once */
        static bool read_done;
        if (!read_done) {
                read_done = true;
                int fd = open("/proc/filesystems", O_RDONLY | O_CLOEXEC);
                if (fd >= 0) {
                        list = calloc(1, 16384);
                        ssize_t n = list ? read(fd, list, 16383) : -1;
                        if (n < 0) {
                                free(list);
                                list = NULL;
                        }
                        close(fd);
                }
        }
        if (!list)
                return true;
        for (char *l = list; *l;) {
                size_t n = strcspn(l, "\n");
                char *name = memchr(l, '\t', n);
                name = name ? name + 1 : l;
                if (strlen(type) == (size_t)(l + n - name) && !strncmp(name, type, strlen(type)))
                        return true;
                l += n + (l[n] == '\n');
        }
        return false;
}

static void check_mounts(struct check_ctx *c, const struct hull_config *cfg)
{
        for (size_t i = 0; i < cfg->n_mounts; i++) {
                const struct hull_mount *m = &cfg->mounts[i];
                struct mount_opts o;
                if (mount_opts_parse(m->options, m->n_options, &o) < 0) {
                        check_reportf(c, CHECK_ERROR, "mounts[%zu].%s", i, herr_msg());
                        continue;
                }
                bool bind = mount_opts_is_bind(&o) || (m->type && !strcmp(m->type, "bind"));
                if (bind) {
                        char src[PATH_MAX + 8];
                        if (!m->source || !m->source[0]) {
                                check_reportf(c, CHECK_ERROR,
                                              "mounts[%zu].source: a bind mount "
                                              "needs a source",
                                              i);
                                continue;
                        }
                        if (m->source[0] == '/')
                                snprintf(src, sizeof(src), "%s", m->source);
                        else
                                snprintf(src, sizeof(src), "%s/%s", c->bundle_abs, m->source);
                        if (access(src, F_OK) < 0)
                                check_reportf(c, CHECK_ERROR, "mounts[%zu].source: %s: %s", i, src,
                                              herr_errno_text(errno));
                } else if (m->type && m->type[0] && !fs_known(m->type)) {
                        check_reportf(c, CHECK_WARNING,
                                      "mounts[%zu].type: \"%s\" is not in /proc/filesystems (a "
                                      "module may still load on mount)",
                                      i, m->type);
                }
        }
}

/* ---- namespaces and id mappings ---- */

static void check_ns_limits(struct check_ctx *c, const struct hull_config *cfg)
{
        for (int k = 0; k < NS_KINDS; k++) {
                const struct hull_namespace *ns = &cfg->linux_.ns[k];
                char path[96], v[32];
                if (!ns->present || ns->path)
                        continue;
                snprintf(path, sizeof(path), "/proc/sys/user/max_%s_namespaces", ns_files[k]);
                if (read_line(path, v, sizeof(v)) && atol(v) == 0)
                        check_reportf(c, CHECK_ERROR,
                                      "linux.namespaces[%u]: %s namespaces are disabled on this "
                                      "host (%s is 0)",
                                      ns->index, ns_kind_name((enum hull_ns_kind)k), path);
        }
}

static bool mapped(const struct hull_idmap *m, size_t n, uint32_t id)
{
        for (size_t i = 0; i < n; i++)
                if (id >= m[i].container_id && id - m[i].container_id < m[i].size)
                        return true;
        return false;
}

/* Is [first, first+size) of host ids inside hull's own uid_map/gid_map? */
static bool host_range_ok(const char *map_file, uint32_t first, uint32_t size)
{
        char buf[4096];
        int fd = open(map_file, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return true;
        ssize_t n = read(fd, buf, sizeof(buf) - 1);
        close(fd);
        if (n <= 0)
                return true;
        buf[n] = '\0';
        uint64_t end = (uint64_t)first + size;
        for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
             l = strtok_r(NULL, "\n", &save)) {
                unsigned long inside, outside, len;
                if (sscanf(l, "%lu %lu %lu", &inside, &outside, &len) == 3 && first >= inside &&
                    end <= (uint64_t)inside + len)
                        return true;
        }
        return false;
}

static void check_map(struct check_ctx *c, const char *field, const char *self_map,
                      const struct hull_idmap *m, size_t n)
{
        if (n > 340)
                check_reportf(c, CHECK_ERROR, "linux.%s: %zu ranges, the kernel takes at most 340",
                              field, n);
        for (size_t i = 0; i < n; i++) {
                if (m[i].size == 0)
                        check_reportf(c, CHECK_ERROR, "linux.%s[%zu].size: must not be 0", field,
                                      i);
                for (size_t j = 0; j < i; j++) {
                        uint64_t a = m[i].container_id, b = m[j].container_id;
                        if (a < b + m[j].size && b < a + m[i].size)
                                check_reportf(c, CHECK_ERROR,
                                              "linux.%s[%zu]: container ids overlap %s[%zu]", field,
                                              i, field, j);
                }
                if (!host_range_ok(self_map, m[i].host_id, m[i].size))
                        check_reportf(c, CHECK_ERROR,
                                      "linux.%s[%zu]: host ids %u-%llu are not mapped in hull's "
                                      "own user namespace (%s)",
                                      field, i, m[i].host_id,
                                      (unsigned long long)m[i].host_id + m[i].size - 1, self_map);
        }
}

static void check_idmaps(struct check_ctx *c, const struct hull_config *cfg)
{
        const struct hull_linux *l = &cfg->linux_;
        if (!l->ns[NS_USER].present || l->ns[NS_USER].path)
                return;
        check_map(c, "uidMappings", "/proc/self/uid_map", l->uid_mappings, l->n_uid_mappings);
        check_map(c, "gidMappings", "/proc/self/gid_map", l->gid_mappings, l->n_gid_mappings);
        const struct hull_user *u = &cfg->process.user;
        if (!cfg->process.present)
                return;
        if (l->n_uid_mappings && !mapped(l->uid_mappings, l->n_uid_mappings, u->uid))
                check_reportf(c, CHECK_ERROR,
                              "process.user.uid: %u is not mapped by linux.uidMappings", u->uid);
        if (l->n_gid_mappings && !mapped(l->gid_mappings, l->n_gid_mappings, u->gid))
                check_reportf(c, CHECK_ERROR,
                              "process.user.gid: %u is not mapped by linux.gidMappings", u->gid);
        for (size_t i = 0; i < u->n_additional_gids; i++)
                if (l->n_gid_mappings &&
                    !mapped(l->gid_mappings, l->n_gid_mappings, u->additional_gids[i]))
                        check_reportf(c, CHECK_ERROR,
                                      "process.user.additionalGids[%zu]: %u is not mapped by "
                                      "linux.gidMappings",
                                      i, u->additional_gids[i]);
}

/* ---- cgroups ---- */

/* Fields cgroup v2 has no file for: cgroup_res_v2.c ignores them (warns). */
static void check_v2_ignored(struct check_ctx *c, const struct hull_resources *r)
{
        static const char ign[] = "has no cgroup v2 equivalent: ignored on this host";
        const __typeof__(r->memory) *m = &r->memory;
        if (m->has_kernel && m->kernel != 0)
                check_reportf(c, CHECK_WARNING, "linux.resources.memory.kernel: %s", ign);
        if (m->has_kernel_tcp && m->kernel_tcp != 0)
                check_reportf(c, CHECK_WARNING, "linux.resources.memory.kernelTCP: %s", ign);
        if (m->has_swappiness && m->swappiness != UINT64_MAX)
                check_reportf(c, CHECK_WARNING, "linux.resources.memory.swappiness: %s", ign);
        if (m->has_disable_oom_killer && m->disable_oom_killer)
                check_reportf(c, CHECK_WARNING, "linux.resources.memory.disableOOMKiller: %s", ign);
        if (m->has_use_hierarchy && !m->use_hierarchy)
                check_reportf(c, CHECK_WARNING, "linux.resources.memory.useHierarchy: %s", ign);
        if (r->block_io.has_leaf_weight && r->block_io.leaf_weight)
                check_reportf(c, CHECK_WARNING, "linux.resources.blockIO.leafWeight: %s", ign);
        for (size_t i = 0; i < r->block_io.n_weight_device; i++)
                if (r->block_io.weight_device[i].has_leaf_weight &&
                    r->block_io.weight_device[i].leaf_weight)
                        check_reportf(c, CHECK_WARNING,
                                      "linux.resources.blockIO.weightDevice[%zu].leafWeight: %s", i,
                                      ign);
        if ((r->cpu.has_realtime_period && r->cpu.realtime_period) ||
            (r->cpu.has_realtime_runtime && r->cpu.realtime_runtime))
                check_reportf(c, CHECK_WARNING, "linux.resources.cpu.realtimeRuntime: %s", ign);
        if (r->network.present && (r->network.has_class_id || r->network.n_priorities))
                check_reportf(c, CHECK_WARNING, "linux.resources.network: %s", ign);
}

/* v2: each limit needs its controller in the root's cgroup.controllers. */
static void check_v2_controllers(struct check_ctx *c, const struct hull_resources *r)
{
        char ctl[512];
        if (!read_line(CG_ROOT "/cgroup.controllers", ctl, sizeof(ctl)))
                return;
        const struct {
                bool wanted;
                const char *ctl, *field;
        } need[] = {
            {r->memory.present, "memory", "memory"},
            {r->cpu.present && (r->cpu.has_shares || r->cpu.has_quota || r->cpu.has_period ||
                                r->cpu.has_burst || r->cpu.has_idle),
             "cpu", "cpu"},
            {r->cpu.present && ((r->cpu.cpus && r->cpu.cpus[0]) || (r->cpu.mems && r->cpu.mems[0])),
             "cpuset", "cpu.cpus"},
            {r->block_io.present, "io", "blockIO"},
            {r->pids.present, "pids", "pids"},
            {r->n_hugepage_limits > 0, "hugetlb", "hugepageLimits"},
            {r->n_rdma > 0, "rdma", "rdma"},
        };
        for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++)
                if (need[i].wanted && !has_word(ctl, need[i].ctl))
                        check_reportf(c, CHECK_ERROR,
                                      "linux.resources.%s: the %s controller is not available "
                                      "(%s/cgroup.controllers: %s)",
                                      need[i].field, need[i].ctl, CG_ROOT, ctl);
}

/* "0-3,7" lists: every number of want must be in have. */
static bool cpu_list_within(const char *want, const char *have)
{
        for (const char *s = want; *s;) {
                char *e;
                unsigned long a = strtoul(s, &e, 10), b = a;
                if (e == s)
                        return true; /* the parse checked the form */
                if (*e == '-')
                        b = strtoul(e + 1, &e, 10);
                for (unsigned long x = a; x <= b && x - a < 4096; x++) {
                        bool in = false;
                        for (const char *h = have; *h && !in;) {
                                char *he;
                                unsigned long ha = strtoul(h, &he, 10), hb = ha;
                                if (he == h)
                                        break;
                                if (*he == '-')
                                        hb = strtoul(he + 1, &he, 10);
                                in = x >= ha && x <= hb;
                                h = *he == ',' ? he + 1 : he;
                        }
                        if (!in)
                                return false;
                }
                s = *e == ',' ? e + 1 : e;
                while (*s == ' ')
                        s++;
        }
        return true;
}

static void check_cgroup(struct check_ctx *c, const struct hull_config *cfg)
{
        const struct hull_linux *l = &cfg->linux_;
        const struct hull_resources *r = &l->resources;
        enum cg_kind kind = cgroup_kind();
        const char *cp = l->cgroups_path;
        if (c->o->systemd && cp && cp[0]) {
                const char *c1 = strchr(cp, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (!c2 || strchr(c2 + 1, ':'))
                        check_reportf(c, CHECK_ERROR,
                                      "linux.cgroupsPath: \"%s\": --systemd-cgroup wants "
                                      "\"slice:prefix:name\"",
                                      cp);
        } else if (cp && strchr(cp, ':') && !c->o->systemd) {
                check_reportf(c, CHECK_WARNING,
                              "linux.cgroupsPath: \"%s\" looks like systemd's slice:prefix:name, "
                              "but --systemd-cgroup is not given: it is used as a directory",
                              cp);
        }
        if (kind == CG_NONE) {
                if (r->present)
                        check_reportf(c, CHECK_ERROR,
                                      "linux.resources: no cgroup filesystem is "
                                      "mounted at " CG_ROOT);
                return;
        }
        if (!r->present)
                return;
        if (kind == CG_V2) {
                check_v2_ignored(c, r);
                check_v2_controllers(c, r);
        } else if (r->n_unified) {
                check_reportf(c, CHECK_ERROR,
                              "linux.resources.unified: needs cgroup v2; this "
                              "host has cgroup v1");
        }
        char online[256];
        if (r->cpu.cpus && r->cpu.cpus[0] &&
            read_line("/sys/devices/system/cpu/online", online, sizeof(online)) &&
            !cpu_list_within(r->cpu.cpus, online))
                check_reportf(c, CHECK_ERROR,
                              "linux.resources.cpu.cpus: \"%s\" names CPUs this host does not "
                              "have online (%s)",
                              r->cpu.cpus, online);
        if (r->cpu.mems && r->cpu.mems[0] &&
            read_line("/sys/devices/system/node/online", online, sizeof(online)) &&
            !cpu_list_within(r->cpu.mems, online))
                check_reportf(c, CHECK_ERROR,
                              "linux.resources.cpu.mems: \"%s\" names memory nodes this host does "
                              "not have (%s)",
                              r->cpu.mems, online);
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
                const char *ps = r->hugepage_limits[i].page_size;
                char *end;
                unsigned long long v = strtoull(ps, &end, 10), kb = v;
                if (*end == 'M')
                        kb = v * 1024;
                else if (*end == 'G')
                        kb = v * 1024 * 1024;
                char dir[128];
                snprintf(dir, sizeof(dir), "/sys/kernel/mm/hugepages/hugepages-%llukB", kb);
                if (access(dir, F_OK) < 0)
                        check_reportf(c, CHECK_ERROR,
                                      "linux.resources.hugepageLimits[%zu].pageSize: this host "
                                      "has no %s huge pages (%s)",
                                      i, ps, dir);
        }
}

/* ---- security, limits ---- */

static void check_lsm(struct check_ctx *c, const struct hull_config *cfg)
{
        const struct hull_process *p = &cfg->process;
        if (p->apparmor_profile && p->apparmor_profile[0] && !apparmor_on())
                check_reportf(c, CHECK_ERROR,
                              "process.apparmorProfile: AppArmor is not enabled on this host");
        if (p->selinux_label && p->selinux_label[0] && !selinux_on())
                check_reportf(c, CHECK_ERROR,
                              "process.selinuxLabel: SELinux is not enabled on this host");
        if (cfg->linux_.mount_label && cfg->linux_.mount_label[0] && !selinux_on())
                check_reportf(c, CHECK_WARNING,
                              "linux.mountLabel: SELinux is not enabled on this host: ignored");
        char st[4096];
        if (cfg->linux_.seccomp.present) {
                int fd = open("/proc/self/status", O_RDONLY | O_CLOEXEC);
                ssize_t n = fd >= 0 ? read(fd, st, sizeof(st) - 1) : -1;
                if (fd >= 0)
                        close(fd);
                if (n > 0) {
                        st[n] = '\0';
                        if (!strstr(st, "\nSeccomp:"))
                                check_reportf(c, CHECK_ERROR,
                                              "linux.seccomp: this kernel has no seccomp");
                }
        }
}

static void check_rlimits(struct check_ctx *c, const struct hull_config *cfg)
{
        char v[32];
        long nr_open = read_line("/proc/sys/fs/nr_open", v, sizeof(v)) ? atol(v) : 0;
        const struct hull_process *p = &cfg->process;
        for (size_t i = 0; i < p->n_rlimits; i++) {
                const struct hull_rlimit *r = &p->rlimits[i];
                if (r->soft > r->hard)
                        check_reportf(c, CHECK_ERROR,
                                      "process.rlimits[%zu]: soft limit %llu is above the hard "
                                      "limit %llu",
                                      i, (unsigned long long)r->soft, (unsigned long long)r->hard);
                if (r->resource == RLIMIT_NOFILE && nr_open > 0 && r->hard != UINT64_MAX &&
                    r->hard > (uint64_t)nr_open)
                        check_reportf(c, CHECK_ERROR,
                                      "process.rlimits[%zu]: RLIMIT_NOFILE %llu is above "
                                      "fs.nr_open (%ld)",
                                      i, (unsigned long long)r->hard, nr_open);
        }
}

static void check_sysctls(struct check_ctx *c, const struct hull_config *cfg)
{
        const struct hull_linux *l = &cfg->linux_;
        for (size_t i = 0; i < l->n_sysctl; i++) {
                char path[PATH_MAX];
                int n = snprintf(path, sizeof(path), "/proc/sys/%s", l->sysctl[i].key);
                for (int k = 10; k < n; k++)
                        if (path[k] == '.')
                                path[k] = '/';
                if (access(path, F_OK) < 0)
                        check_reportf(c, CHECK_WARNING,
                                      "linux.sysctl[\"%s\"]: %s does not exist on this host",
                                      l->sysctl[i].key, path);
        }
}

void check_host(struct check_ctx *c, const struct hull_config *cfg)
{
        int root_fd;
        if (geteuid() != 0)
                check_reportf(c, CHECK_WARNING,
                              "hull runs as uid %u: create needs root (or --rootless)",
                              (unsigned)geteuid());
        check_rootfs(c, cfg, &root_fd);
        check_args0(c, cfg, root_fd);
        check_hooks(c, cfg, root_fd);
        if (root_fd >= 0)
                close(root_fd);
        check_mounts(c, cfg);
        check_ns_limits(c, cfg);
        check_idmaps(c, cfg);
        check_cgroup(c, cfg);
        check_lsm(c, cfg);
        check_rlimits(c, cfg);
        check_sysctls(c, cfg);
}
