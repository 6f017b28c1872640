/* config_linux.c - the "linux" section of config.json (config-linux.md)
 * into struct hull_linux.  Helpers and conventions: config_internal.h.
 */
#include "config.h"
#include "config_internal.h"
#include "names.h"

#include <string.h>

/* ---- small shapes ---- */

/* Optional int64 into *out with its has_ flag. */
static int opt_i64(struct cfgp *p, json_t *o, const char *key, bool *has, int64_t *out)
{
        int r = cp_int(p, o, key, CP_I64, out);
        if (r >= 0)
                *has = r > 0;
        return r;
}

static int opt_u64(struct cfgp *p, json_t *o, const char *key, bool *has, uint64_t *out)
{
        int r = cp_uint(p, o, key, CP_U64, out);
        if (r >= 0)
                *has = r > 0;
        return r;
}

static int opt_u32(struct cfgp *p, json_t *o, const char *key, bool *has, uint32_t *out)
{
        uint64_t v = 0;
        int r = cp_uint(p, o, key, CP_U32, &v);
        if (r >= 0) {
                *has = r > 0;
                *out = (uint32_t)v;
        }
        return r;
}

static int opt_u16(struct cfgp *p, json_t *o, const char *key, bool *has, uint16_t *out)
{
        uint64_t v = 0;
        int r = cp_uint(p, o, key, CP_U16, &v);
        if (r >= 0) {
                *has = r > 0;
                *out = (uint16_t)v;
        }
        return r;
}

static int opt_bool(struct cfgp *p, json_t *o, const char *key, bool *has, bool *out)
{
        int r = cp_bool(p, o, key, out);
        if (r >= 0)
                *has = r > 0;
        return r;
}

/* ---- linux.devices ---- */

static int parse_device(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_device *d = elem;
        const char *type;
        uint64_t v = 0;
        bool has_major = false, has_minor = false;
        int r;
        CP_TRY(CP_REQUIRE(p, o, "type", "path"));
        CP_TRY(cp_str(p, o, "type", &type));
        CP_TRY(cp_str(p, o, "path", &d->path));
        if (strlen(type) != 1 || !strchr("cbup", type[0]))
                return cp_err_at(p, "type", "expected one of c, b, u, p, got \"%s\"", type);
        d->type = type[0];
        CP_TRY(opt_i64(p, o, "major", &has_major, &d->major));
        CP_TRY(opt_i64(p, o, "minor", &has_minor, &d->minor));
        if (d->type != 'p' && (!has_major || !has_minor))
                return cp_err_at(p, has_major ? "minor" : "major",
                                 "required field is missing (type is \"%c\")", d->type);
        /* The schema says 0..0777; runc takes a uint32 (containerd may pass
         * setuid bits): the permission bits are kept. */
        if ((r = cp_uint(p, o, "fileMode", CP_U32, &v)) < 0)
                return -1;
        d->has_file_mode = r > 0;
        d->file_mode = (mode_t)(v & 07777);
        if ((r = cp_uint(p, o, "uid", CP_U32, &v)) < 0)
                return -1;
        d->has_uid = r > 0;
        d->uid = r > 0 ? (uid_t)v : 0;
        if ((r = cp_uint(p, o, "gid", CP_U32, &v)) < 0)
                return -1;
        d->has_gid = r > 0;
        d->gid = r > 0 ? (gid_t)v : 0;
        return 0;
}

/* ---- linux.namespaces ---- */

static int parse_namespaces(struct cfgp *p, json_t *lx, struct hull_linux *l)
{
        json_t *arr;
        int r = cp_arr(p, lx, "namespaces", &arr);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "namespaces");
        for (size_t i = 0; i < json_array_size(arr); i++) {
                json_t *o = json_array_get(arr, i);
                const char *type, *path = NULL;
                size_t imark = cp_push_index(p, i);
                CP_TRY(cp_v_obj(p, o));
                CP_TRY(CP_REQUIRE(p, o, "type"));
                CP_TRY(cp_str(p, o, "type", &type));
                CP_TRY(cp_str(p, o, "path", &path));
                int k = ns_kind_from_name(type);
                if (k < 0)
                        return cp_err_at(p, "type", "unknown namespace type \"%s\"", type);
                if (l->ns[k].present)
                        return cp_err_at(p, "type",
                                         "duplicate namespace \"%s\" (also namespaces[%u])", type,
                                         l->ns[k].index);
                l->ns[k].present = true;
                l->ns[k].path = path && path[0] ? path : NULL;
                l->ns[k].index = (unsigned)i;
                cp_pop(p, imark);
        }
        cp_pop(p, mark);
        return 0;
}

static int parse_time_offsets(struct cfgp *p, json_t *lx, struct hull_linux *l)
{
        json_t *o, *t;
        int r = cp_obj(p, lx, "timeOffsets", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "timeOffsets");
        l->has_time_offsets = true;
        static const char *const keys[] = {"monotonic", "boottime"};
        for (int k = 0; k < 2; k++) {
                int64_t secs = 0;
                uint64_t ns = 0;
                if ((r = cp_obj(p, o, keys[k], &t)) < 0)
                        return -1;
                if (r == 0)
                        continue;
                size_t kmark = cp_push(p, keys[k]);
                CP_TRY(cp_int(p, t, "secs", CP_I64, &secs));
                CP_TRY(cp_uint(p, t, "nanosecs", 999999999, &ns));
                cp_pop(p, kmark);
                if (k == 0) {
                        l->time_offset_monotonic.secs = secs;
                        l->time_offset_monotonic.nanosecs = (uint32_t)ns;
                } else {
                        l->time_offset_boottime.secs = secs;
                        l->time_offset_boottime.nanosecs = (uint32_t)ns;
                }
        }
        cp_pop(p, mark);
        return 0;
}

/* ---- linux.resources ---- */

static int parse_device_rule(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_device_rule *d = elem;
        const char *type = NULL, *access = NULL;
        CP_TRY(CP_REQUIRE(p, o, "allow"));
        CP_TRY(cp_bool(p, o, "allow", &d->allow));
        CP_TRY(cp_str(p, o, "type", &type));
        CP_TRY(opt_i64(p, o, "major", &d->has_major, &d->major));
        CP_TRY(opt_i64(p, o, "minor", &d->has_minor, &d->minor));
        CP_TRY(cp_str(p, o, "access", &access));
        if (!type || !type[0])
                type = "a";
        if (strlen(type) != 1 || !strchr("acb", type[0]))
                return cp_err_at(p, "type", "expected one of a, c, b, got \"%s\"", type);
        d->type = type[0];
        if (!d->has_major)
                d->major = -1;
        if (!d->has_minor)
                d->minor = -1;
        /* Absent access means all of it; the letters are kept in "rwm" order. */
        if (!access)
                access = "rwm";
        if (strspn(access, "rwm") != strlen(access))
                return cp_err_at(p, "access", "expected letters from \"rwm\", got \"%s\"", access);
        size_t n = 0;
        for (const char *c = "rwm"; *c; c++)
                if (strchr(access, *c))
                        d->access[n++] = *c;
        d->access[n] = '\0';
        return 0;
}

/* The optional field f and its has_f flag. */
#define HAS(obj, f) &(obj).has_##f, &(obj).f

static int parse_memory(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, res, "memory", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "memory");
        r->memory.present = true;
        CP_TRY(opt_i64(p, o, "limit", HAS(r->memory, limit)));
        CP_TRY(opt_i64(p, o, "reservation", HAS(r->memory, reservation)));
        CP_TRY(opt_i64(p, o, "swap", HAS(r->memory, swap)));
        CP_TRY(opt_i64(p, o, "kernel", HAS(r->memory, kernel)));
        CP_TRY(opt_i64(p, o, "kernelTCP", HAS(r->memory, kernel_tcp)));
        CP_TRY(opt_u64(p, o, "swappiness", HAS(r->memory, swappiness)));
        CP_TRY(opt_bool(p, o, "disableOOMKiller", HAS(r->memory, disable_oom_killer)));
        CP_TRY(opt_bool(p, o, "useHierarchy", HAS(r->memory, use_hierarchy)));
        CP_TRY(opt_bool(p, o, "checkBeforeUpdate", HAS(r->memory, check_before_update)));
        cp_pop(p, mark);
        return 0;
}

static int parse_cpu(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, res, "cpu", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "cpu");
        r->cpu.present = true;
        CP_TRY(opt_u64(p, o, "shares", HAS(r->cpu, shares)));
        CP_TRY(opt_i64(p, o, "quota", HAS(r->cpu, quota)));
        CP_TRY(opt_u64(p, o, "burst", HAS(r->cpu, burst)));
        CP_TRY(opt_u64(p, o, "period", HAS(r->cpu, period)));
        CP_TRY(opt_i64(p, o, "realtimeRuntime", HAS(r->cpu, realtime_runtime)));
        CP_TRY(opt_u64(p, o, "realtimePeriod", HAS(r->cpu, realtime_period)));
        CP_TRY(opt_i64(p, o, "idle", HAS(r->cpu, idle)));
        CP_TRY(cp_str(p, o, "cpus", &r->cpu.cpus));
        CP_TRY(cp_str(p, o, "mems", &r->cpu.mems));
        cp_pop(p, mark);
        return 0;
}

static int parse_weight_device(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_weight_device *w = elem;
        CP_TRY(CP_REQUIRE(p, o, "major", "minor"));
        CP_TRY(cp_int(p, o, "major", CP_I64, &w->major));
        CP_TRY(cp_int(p, o, "minor", CP_I64, &w->minor));
        CP_TRY(opt_u16(p, o, "weight", &w->has_weight, &w->weight));
        CP_TRY(opt_u16(p, o, "leafWeight", &w->has_leaf_weight, &w->leaf_weight));
        return 0;
}

static int parse_throttle(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_throttle *t = elem;
        CP_TRY(CP_REQUIRE(p, o, "major", "minor"));
        CP_TRY(cp_int(p, o, "major", CP_I64, &t->major));
        CP_TRY(cp_int(p, o, "minor", CP_I64, &t->minor));
        CP_TRY(cp_uint(p, o, "rate", CP_U64, &t->rate));
        return 0;
}

static int parse_block_io(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, res, "blockIO", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "blockIO");
        r->block_io.present = true;
        CP_TRY(opt_u16(p, o, "weight", HAS(r->block_io, weight)));
        CP_TRY(opt_u16(p, o, "leafWeight", HAS(r->block_io, leaf_weight)));
        CP_TRY(OBJV(p, o, "weightDevice", &r->block_io.weight_device, &r->block_io.n_weight_device,
                    parse_weight_device));
        CP_TRY(OBJV(p, o, "throttleReadBpsDevice", &r->block_io.read_bps, &r->block_io.n_read_bps,
                    parse_throttle));
        CP_TRY(OBJV(p, o, "throttleWriteBpsDevice", &r->block_io.write_bps,
                    &r->block_io.n_write_bps, parse_throttle));
        CP_TRY(OBJV(p, o, "throttleReadIOPSDevice", &r->block_io.read_iops,
                    &r->block_io.n_read_iops, parse_throttle));
        CP_TRY(OBJV(p, o, "throttleWriteIOPSDevice", &r->block_io.write_iops,
                    &r->block_io.n_write_iops, parse_throttle));
        cp_pop(p, mark);
        return 0;
}

/* "<size><K|M|G>B", e.g. 2MB, like the schema's ^[1-9][0-9]*[KMG]B$. */
static bool page_size_form(const char *s)
{
        size_t digits = strspn(s, "0123456789");
        return digits > 0 && s[0] != '0' && s[digits] && strchr("KMG", s[digits]) &&
               strcmp(s + digits + 1, "B") == 0;
}

static int parse_hugepage(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_hugepage *h = elem;
        CP_TRY(CP_REQUIRE(p, o, "pageSize", "limit"));
        CP_TRY(cp_str(p, o, "pageSize", &h->page_size));
        CP_TRY(cp_uint(p, o, "limit", CP_U64, &h->limit));
        if (!page_size_form(h->page_size))
                return cp_err_at(p, "pageSize", "expected a size such as \"2MB\", got \"%s\"",
                                 h->page_size);
        return 0;
}

static int parse_netprio(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_netprio *n = elem;
        uint64_t v;
        CP_TRY(CP_REQUIRE(p, o, "name", "priority"));
        CP_TRY(cp_str(p, o, "name", &n->name));
        CP_TRY(cp_uint(p, o, "priority", CP_U32, &v));
        n->priority = (uint32_t)v;
        return 0;
}

static int parse_network(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, res, "network", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "network");
        r->network.present = true;
        CP_TRY(opt_u32(p, o, "classID", &r->network.has_class_id, &r->network.class_id));
        CP_TRY(OBJV(p, o, "priorities", &r->network.priorities, &r->network.n_priorities,
                    parse_netprio));
        cp_pop(p, mark);
        return 0;
}

static int parse_pids(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, res, "pids", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "pids");
        r->pids.present = true;
        CP_TRY(CP_REQUIRE(p, o, "limit"));
        CP_TRY(cp_int(p, o, "limit", CP_I64, &r->pids.limit));
        cp_pop(p, mark);
        return 0;
}

static int parse_rdma(struct cfgp *p, json_t *res, struct hull_resources *r)
{
        json_t *o, *dev;
        const char *name;
        int rc = cp_obj(p, res, "rdma", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "rdma");
        if (!(r->rdma = cp_alloc(p, json_object_size(o), sizeof(*r->rdma))))
                return -1;
        json_object_foreach(o, name, dev)
        {
                struct hull_rdma *d = &r->rdma[r->n_rdma++];
                size_t dmark = cp_push(p, name);
                d->device = name;
                CP_TRY(cp_v_obj(p, dev));
                CP_TRY(opt_u32(p, dev, "hcaHandles", &d->has_hca_handles, &d->hca_handles));
                CP_TRY(opt_u32(p, dev, "hcaObjects", &d->has_hca_objects, &d->hca_objects));
                cp_pop(p, dmark);
        }
        cp_pop(p, mark);
        return 0;
}

static int parse_resources(struct cfgp *p, json_t *lx, struct hull_resources *r)
{
        json_t *o;
        int rc = cp_obj(p, lx, "resources", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "resources");
        r->present = true;
        CP_TRY(OBJV(p, o, "devices", &r->devices, &r->n_devices, parse_device_rule));
        CP_TRY(parse_memory(p, o, r));
        CP_TRY(parse_cpu(p, o, r));
        CP_TRY(parse_block_io(p, o, r));
        CP_TRY(OBJV(p, o, "hugepageLimits", &r->hugepage_limits, &r->n_hugepage_limits,
                    parse_hugepage));
        CP_TRY(parse_network(p, o, r));
        CP_TRY(parse_pids(p, o, r));
        CP_TRY(parse_rdma(p, o, r));
        CP_TRY(cp_kv(p, o, "unified", &r->unified, &r->n_unified));
        cp_pop(p, mark);
        return 0;
}

/* ---- linux.seccomp ---- */

static int seccomp_action(struct cfgp *p, json_t *o, const char *key, const char **name,
                          uint32_t *action)
{
        if (cp_str(p, o, key, name) < 0)
                return -1;
        if (seccomp_action_from_name(*name, action) < 0)
                return cp_err_at(p, key, "unknown seccomp action \"%s\"", *name);
        return 0;
}

/* An errno only goes with SCMP_ACT_ERRNO and SCMP_ACT_TRACE. */
static int seccomp_errno(struct cfgp *p, json_t *o, const char *key, const char *action_name,
                         uint32_t action, bool *has, uint32_t *out)
{
        if (opt_u32(p, o, key, has, out) < 0)
                return -1;
        if (*has && !seccomp_action_takes_errno(action))
                return cp_err_at(p, key, "%s does not take an errno", action_name);
        return 0;
}

static int parse_syscall_arg(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_seccomp_arg *a = elem;
        uint64_t index;
        const char *op;
        CP_TRY(CP_REQUIRE(p, o, "index", "value", "op"));
        CP_TRY(cp_uint(p, o, "index", 5, &index));
        CP_TRY(cp_uint(p, o, "value", CP_U64, &a->value));
        CP_TRY(cp_uint(p, o, "valueTwo", CP_U64, &a->value_two));
        CP_TRY(cp_str(p, o, "op", &op));
        a->index = (unsigned)index;
        a->op = seccomp_op_from_name(op);
        if (a->op < 0)
                return cp_err_at(p, "op", "unknown seccomp operator \"%s\"", op);
        return 0;
}

static int parse_syscall(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_seccomp_rule *s = elem;
        CP_TRY(CP_REQUIRE(p, o, "names", "action"));
        CP_TRY(cp_strv(p, o, "names", &s->names, &s->n_names));
        if (s->n_names == 0)
                return cp_err_at(p, "names", "must not be empty");
        CP_TRY(seccomp_action(p, o, "action", &s->action_name, &s->action));
        CP_TRY(seccomp_errno(p, o, "errnoRet", s->action_name, s->action, &s->has_errno_ret,
                             &s->errno_ret));
        CP_TRY(OBJV(p, o, "args", &s->args, &s->n_args, parse_syscall_arg));
        return 0;
}

/* Check every string of an array against a names.h lookup. */
static int check_names(struct cfgp *p, const char *key, const char **list, size_t n,
                       const char *what, bool (*known)(const char *))
{
        for (size_t i = 0; i < n; i++)
                if (!known(list[i])) {
                        cp_push(p, key);
                        cp_push_index(p, i);
                        return cp_err(p, "unknown %s \"%s\"", what, list[i]);
                }
        return 0;
}

static bool known_arch(const char *s)
{
        uint32_t v;
        return seccomp_arch_from_name(s, &v) == 0;
}

static bool known_flag(const char *s)
{
        unsigned v;
        return seccomp_flag_from_name(s, &v) == 0;
}

static int parse_seccomp(struct cfgp *p, json_t *lx, struct hull_seccomp *s)
{
        json_t *o;
        int rc = cp_obj(p, lx, "seccomp", &o);
        if (rc <= 0)
                return rc;
        size_t mark = cp_push(p, "seccomp");
        s->present = true;
        CP_TRY(CP_REQUIRE(p, o, "defaultAction"));
        CP_TRY(seccomp_action(p, o, "defaultAction", &s->default_action, &s->default_action_value));
        CP_TRY(seccomp_errno(p, o, "defaultErrnoRet", s->default_action, s->default_action_value,
                             &s->has_default_errno_ret, &s->default_errno_ret));
        CP_TRY(cp_strv(p, o, "architectures", &s->architectures, &s->n_architectures));
        CP_TRY(check_names(p, "architectures", s->architectures, s->n_architectures,
                           "seccomp architecture", known_arch));
        CP_TRY(cp_strv(p, o, "flags", &s->flags, &s->n_flags));
        CP_TRY(check_names(p, "flags", s->flags, s->n_flags, "seccomp flag", known_flag));
        CP_TRY(cp_str(p, o, "listenerPath", &s->listener_path));
        CP_TRY(cp_str(p, o, "listenerMetadata", &s->listener_metadata));
        CP_TRY(OBJV(p, o, "syscalls", &s->syscalls, &s->n_syscalls, parse_syscall));
        if (s->listener_metadata && !s->listener_path)
                return cp_err_at(p, "listenerMetadata", "must not be set without listenerPath");
        cp_pop(p, mark);
        return 0;
}

/* ---- the rest ---- */

static int parse_propagation(struct cfgp *p, json_t *lx, struct hull_linux *l)
{
        int r = cp_str(p, lx, "rootfsPropagation", &l->rootfs_propagation_name);
        if (r <= 0)
                return r;
        if (l->rootfs_propagation_name[0] &&
            propagation_from_name(l->rootfs_propagation_name, &l->rootfs_propagation) < 0)
                return cp_err_at(p, "rootfsPropagation",
                                 "unknown propagation \"%s\" (expected shared, slave, private, "
                                 "unbindable or their r-variants)",
                                 l->rootfs_propagation_name);
        return 0;
}

static int parse_personality(struct cfgp *p, json_t *lx, struct hull_personality *pe)
{
        json_t *o;
        const char *domain;
        int r = cp_obj(p, lx, "personality", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "personality");
        CP_TRY(CP_REQUIRE(p, o, "domain"));
        CP_TRY(cp_str(p, o, "domain", &domain));
        CP_TRY(cp_strv(p, o, "flags", &pe->flags, &pe->n_flags));
        if (personality_from_name(domain, &pe->domain) < 0)
                return cp_err_at(p, "domain",
                                 "unknown personality domain \"%s\" (expected LINUX or "
                                 "LINUX32)",
                                 domain);
        pe->present = true;
        cp_pop(p, mark);
        return 0;
}

/* Sections hull does not implement: type-checked here, refused by
 * config_validate() with a clear message. */
static bool mb_schema_form(const char *s)
{
        return strncmp(s, "MB:", 3) == 0 && !strchr(s, '\n');
}

static const struct cp_field intel_rdt[] = {
    CPF_STR("closID"),
    CPF_STRV("schemata"),
    CPF_STR("l3CacheSchema"),
    CPF_FORM("memBwSchema", mb_schema_form, "\"MB:...\" on one line"),
    CPF_BOOL("enableMonitoring"),
    CPF_END,
};

static const char *const mpol_modes[] = {
    "MPOL_DEFAULT",   "MPOL_BIND",           "MPOL_INTERLEAVE", "MPOL_WEIGHTED_INTERLEAVE",
    "MPOL_PREFERRED", "MPOL_PREFERRED_MANY", "MPOL_LOCAL",      NULL,
};
static const char *const mpol_flags[] = {
    "MPOL_F_NUMA_BALANCING",
    "MPOL_F_RELATIVE_NODES",
    "MPOL_F_STATIC_NODES",
    NULL,
};

static const struct cp_field memory_policy[] = {
    CPF_ENUM("mode", mpol_modes),
    CPF_STR("nodes"),
    CPF_ENUMV("flags", mpol_flags),
    CPF_END,
};

static const struct cp_field net_device[] = {
    CPF_STR("name"),
    CPF_END,
};

static const struct cp_field unimplemented[] = {
    CPF_OBJ("intelRdt", intel_rdt),
    CPF_OBJ("memoryPolicy", memory_policy),
    CPF_OBJ_MAP("netDevices", net_device),
    CPF_END,
};

int cp_linux(struct cfgp *p, json_t *lx, struct hull_linux *l)
{
        CP_TRY(OBJV(p, lx, "devices", &l->devices, &l->n_devices, parse_device));
        CP_TRY(cp_idmaps(p, lx, "uidMappings", &l->uid_mappings, &l->n_uid_mappings));
        CP_TRY(cp_idmaps(p, lx, "gidMappings", &l->gid_mappings, &l->n_gid_mappings));
        CP_TRY(parse_namespaces(p, lx, l));
        CP_TRY(parse_time_offsets(p, lx, l));
        CP_TRY(cp_str(p, lx, "cgroupsPath", &l->cgroups_path));
        CP_TRY(parse_resources(p, lx, &l->resources));
        CP_TRY(cp_kv(p, lx, "sysctl", &l->sysctl, &l->n_sysctl));
        CP_TRY(parse_seccomp(p, lx, &l->seccomp));
        CP_TRY(parse_propagation(p, lx, l));
        CP_TRY(cp_strv(p, lx, "maskedPaths", &l->masked_paths, &l->n_masked_paths));
        CP_TRY(cp_strv(p, lx, "readonlyPaths", &l->readonly_paths, &l->n_readonly_paths));
        CP_TRY(cp_str(p, lx, "mountLabel", &l->mount_label));
        CP_TRY(parse_personality(p, lx, &l->personality));
        CP_TRY(cp_check(p, lx, unimplemented));
        l->has_intel_rdt = cp_member(lx, "intelRdt") != NULL;
        l->has_memory_policy = cp_member(lx, "memoryPolicy") != NULL;
        l->has_net_devices = cp_member(lx, "netDevices") != NULL;
        return 0;
}
