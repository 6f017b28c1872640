/* explain_cgroup.c - cgroup_prepare in the plan (see explain.h): where the
 * container's cgroup goes and every value written into it, under its
 * cgroup v1 and v2 file names.
 *
 * The mapping of linux.resources fields to files is the table rows[]
 * (scalar fields) and the loops of explain_arrays() (per device, per page
 * size...), as cgroup_res_v1.c and cgroup_res_v2.c write them.  The v2
 * conversions (shares -> weight, memory+swap -> swap...) are the cgroup
 * code's own pure functions, from cgroup_internal.h, so the numbers shown
 * are the numbers written.
 */
#include "cgroup_internal.h"
#include "error.h"
#include "explain.h"

#include <inttypes.h>
#include <string.h>

#define V 128 /* room for one value */

/* A row's values: *v1 and *v2 are written, or left "" (not written on that
 * version: the row's note says why).  false: the field is not set. */
typedef bool (*res_get)(const struct hull_resources *r, char *v1, char *v2);

#define MEM(f)        (r->memory.present && r->memory.has_##f)
#define CPU(f)        (r->cpu.present && r->cpu.has_##f)
#define PUT(buf, ...) snprintf(buf, V, __VA_ARGS__)

static bool mem_limit(const struct hull_resources *r, char *v1, char *v2)
{
        if (!MEM(limit) || r->memory.limit == 0)
                return false;
        PUT(v1, "%" PRId64, r->memory.limit);
        PUT(v2, "%s", r->memory.limit < 0 ? "max" : v1);
        return true;
}

static bool mem_reservation(const struct hull_resources *r, char *v1, char *v2)
{
        if (!MEM(reservation) || r->memory.reservation == 0)
                return false;
        PUT(v1, "%" PRId64, r->memory.reservation);
        PUT(v2, "%s", r->memory.reservation < 0 ? "max" : v1);
        return true;
}

static bool mem_swap(const struct hull_resources *r, char *v1, char *v2)
{
        int64_t limit = MEM(limit) ? r->memory.limit : 0, swap = MEM(swap) ? r->memory.swap : 0;
        int64_t out;
        bool set;
        if (!r->memory.present || (swap == 0 && limit != -1))
                return false;
        if (swap != 0)
                PUT(v1, "%" PRId64, swap);
        if (cg_swap_v2(limit, swap, &out, &set) < 0)
                PUT(v2, "(fails: %.40s)", herr_msg());
        else if (set && out < 0)
                PUT(v2, "max");
        else if (set)
                PUT(v2, "%" PRId64 " (memory+swap - memory)", out);
        return swap != 0 || set;
}

#define MEM_I64(name, field)                                                                       \
        static bool name(const struct hull_resources *r, char *v1, char *v2)                       \
        {                                                                                          \
                (void)v2;                                                                          \
                if (!MEM(field) || r->memory.field == 0)                                           \
                        return false;                                                              \
                PUT(v1, "%" PRId64, r->memory.field);                                              \
                return true;                                                                       \
        }
MEM_I64(mem_kernel, kernel)
MEM_I64(mem_kernel_tcp, kernel_tcp)

static bool mem_swappiness(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!MEM(swappiness) || r->memory.swappiness == UINT64_MAX)
                return false;
        PUT(v1, "%" PRIu64, r->memory.swappiness);
        return true;
}

static bool mem_oom(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!MEM(disable_oom_killer) || !r->memory.disable_oom_killer)
                return false;
        PUT(v1, "1");
        return true;
}

static bool mem_hierarchy(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!MEM(use_hierarchy))
                return false;
        PUT(v1, "%d", r->memory.use_hierarchy ? 1 : 0);
        return true;
}

static bool cpu_shares(const struct hull_resources *r, char *v1, char *v2)
{
        if (!CPU(shares) || r->cpu.shares == 0)
                return false;
        PUT(v1, "%" PRIu64, r->cpu.shares);
        PUT(v2, "%" PRIu64 " (from shares)", cg_shares_to_weight(r->cpu.shares));
        return true;
}

/* v2 cpu.max holds both: "QUOTA PERIOD" (period 100000 by default). */
static void cpu_max(const struct hull_resources *r, char *v2)
{
        char q[32] = "max";
        if (CPU(quota) && r->cpu.quota > 0)
                snprintf(q, sizeof(q), "%" PRId64, r->cpu.quota);
        PUT(v2, "%s %" PRIu64, q, CPU(period) && r->cpu.period ? r->cpu.period : 100000);
}

static bool cpu_quota(const struct hull_resources *r, char *v1, char *v2)
{
        if (!CPU(quota) || r->cpu.quota == 0)
                return false;
        PUT(v1, "%" PRId64, r->cpu.quota);
        cpu_max(r, v2);
        return true;
}

static bool cpu_period(const struct hull_resources *r, char *v1, char *v2)
{
        if (!CPU(period) || r->cpu.period == 0)
                return false;
        PUT(v1, "%" PRIu64, r->cpu.period);
        if (CPU(quota) && r->cpu.quota != 0)
                PUT(v2, "(with cpu.quota above)");
        else
                cpu_max(r, v2);
        return true;
}

static bool cpu_burst(const struct hull_resources *r, char *v1, char *v2)
{
        if (!CPU(burst))
                return false;
        PUT(v1, "%" PRIu64, r->cpu.burst);
        PUT(v2, "%s", v1);
        return true;
}

static bool cpu_rt_runtime(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!CPU(realtime_runtime) || r->cpu.realtime_runtime == 0)
                return false;
        PUT(v1, "%" PRId64, r->cpu.realtime_runtime);
        return true;
}

static bool cpu_rt_period(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!CPU(realtime_period) || r->cpu.realtime_period == 0)
                return false;
        PUT(v1, "%" PRIu64, r->cpu.realtime_period);
        return true;
}

static bool cpu_idle(const struct hull_resources *r, char *v1, char *v2)
{
        if (!CPU(idle))
                return false;
        PUT(v1, "%" PRId64, r->cpu.idle);
        PUT(v2, "%s", v1);
        return true;
}

static bool cpu_cpus(const struct hull_resources *r, char *v1, char *v2)
{
        if (!r->cpu.present || !r->cpu.cpus || !r->cpu.cpus[0])
                return false;
        PUT(v1, "%s", r->cpu.cpus);
        PUT(v2, "%s", v1);
        return true;
}

static bool cpu_mems(const struct hull_resources *r, char *v1, char *v2)
{
        if (!r->cpu.present || !r->cpu.mems || !r->cpu.mems[0])
                return false;
        PUT(v1, "%s", r->cpu.mems);
        PUT(v2, "%s", v1);
        return true;
}

static bool pids_limit(const struct hull_resources *r, char *v1, char *v2)
{
        if (!r->pids.present)
                return false;
        if (r->pids.limit <= 0)
                PUT(v1, "max");
        else
                PUT(v1, "%" PRId64, r->pids.limit);
        PUT(v2, "%s", v1);
        return true;
}

static bool blkio_weight(const struct hull_resources *r, char *v1, char *v2)
{
        if (!r->block_io.present || !r->block_io.has_weight || !r->block_io.weight)
                return false;
        PUT(v1, "%u", (unsigned)r->block_io.weight);
        PUT(v2, "%u, or io.weight = %" PRIu64 " without BFQ", (unsigned)r->block_io.weight,
            cg_blkio_to_io_weight(r->block_io.weight));
        return true;
}

static bool blkio_leaf(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!r->block_io.present || !r->block_io.has_leaf_weight || !r->block_io.leaf_weight)
                return false;
        PUT(v1, "%u", (unsigned)r->block_io.leaf_weight);
        return true;
}

static bool net_classid(const struct hull_resources *r, char *v1, char *v2)
{
        (void)v2;
        if (!r->network.present || !r->network.has_class_id)
                return false;
        PUT(v1, "%u", (unsigned)r->network.class_id);
        return true;
}

/* linux.resources.<field> -> v1 file (controller/file), v2 file; NULL: the
 * version has no such file (v2: ignored with a warning). */
static const struct res_row {
        const char *field, *v1, *v2;
        res_get get;
} rows[] = {
    {"pids.limit", "pids/pids.max", "pids.max", pids_limit},
    {"memory.limit", "memory/memory.limit_in_bytes", "memory.max", mem_limit},
    {"memory.reservation", "memory/memory.soft_limit_in_bytes", "memory.low", mem_reservation},
    {"memory.swap", "memory/memory.memsw.limit_in_bytes", "memory.swap.max", mem_swap},
    {"memory.kernel", "memory/memory.kmem.limit_in_bytes", NULL, mem_kernel},
    {"memory.kernelTCP", "memory/memory.kmem.tcp.limit_in_bytes", NULL, mem_kernel_tcp},
    {"memory.swappiness", "memory/memory.swappiness", NULL, mem_swappiness},
    {"memory.disableOOMKiller", "memory/memory.oom_control", NULL, mem_oom},
    {"memory.useHierarchy", "memory/memory.use_hierarchy", NULL, mem_hierarchy},
    {"cpu.shares", "cpu/cpu.shares", "cpu.weight", cpu_shares},
    {"cpu.quota", "cpu/cpu.cfs_quota_us", "cpu.max", cpu_quota},
    {"cpu.period", "cpu/cpu.cfs_period_us", "cpu.max", cpu_period},
    {"cpu.burst", "cpu/cpu.cfs_burst_us", "cpu.max.burst", cpu_burst},
    {"cpu.realtimeRuntime", "cpu/cpu.rt_runtime_us", NULL, cpu_rt_runtime},
    {"cpu.realtimePeriod", "cpu/cpu.rt_period_us", NULL, cpu_rt_period},
    {"cpu.idle", "cpu/cpu.idle", "cpu.idle", cpu_idle},
    {"cpu.cpus", "cpuset/cpuset.cpus", "cpuset.cpus", cpu_cpus},
    {"cpu.mems", "cpuset/cpuset.mems", "cpuset.mems", cpu_mems},
    {"blockIO.weight", "blkio/blkio.weight (or blkio.bfq.weight)", "io.bfq.weight", blkio_weight},
    {"blockIO.leafWeight", "blkio/blkio.leaf_weight", NULL, blkio_leaf},
    {"network.classID", "net_cls/net_cls.classid", NULL, net_classid},
};

static void value(const struct explain *e, const char *field, const char *v1file, const char *v1,
                  const char *v2file, const char *v2)
{
        ex_more(e, 1, "%s", field);
        ex_more(e, 2, "v1 %s = %s", v1file ? v1file : "-", v1file && v1[0] ? v1 : "(no file)");
        if (v2file && v2[0])
                ex_more(e, 2, "v2 %s = %s", v2file, v2);
        else
                ex_more(e, 2, "v2 -: no such file, ignored with a warning");
}

static void throttles(const struct explain *e, const char *field, const char *v1file,
                      const char *key, const struct hull_throttle *t, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char f[96], v1[V], v2[V];
                snprintf(f, sizeof(f), "blockIO.%s[%zu]", field, i);
                PUT(v1, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major, t[i].minor, t[i].rate);
                PUT(v2, "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major, t[i].minor, key,
                    t[i].rate);
                value(e, f, v1file, v1, "io.max", v2);
        }
}

static void arrays(const struct explain *e, const struct hull_resources *r)
{
        char f[128], v1[V], v2[V];
        for (size_t i = 0; i < r->block_io.n_weight_device; i++) {
                const struct hull_weight_device *w = &r->block_io.weight_device[i];
                snprintf(f, sizeof(f), "blockIO.weightDevice[%zu]", i);
                if (w->has_weight && w->weight) {
                        PUT(v1, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                            (unsigned)w->weight);
                        PUT(v2,
                            "%" PRId64 ":%" PRId64 " %u, or io.weight %" PRId64 ":%" PRId64
                            " %" PRIu64,
                            w->major, w->minor, (unsigned)w->weight, w->major, w->minor,
                            cg_blkio_to_io_weight(w->weight));
                        value(e, f, "blkio/blkio.weight_device", v1, "io.bfq.weight", v2);
                }
                if (w->has_leaf_weight && w->leaf_weight) {
                        PUT(v1, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                            (unsigned)w->leaf_weight);
                        value(e, f, "blkio/blkio.leaf_weight_device", v1, NULL, "");
                }
        }
        const __typeof__(r->block_io) *b = &r->block_io;
        throttles(e, "throttleReadBpsDevice", "blkio/blkio.throttle.read_bps_device", "rbps",
                  b->read_bps, b->n_read_bps);
        throttles(e, "throttleWriteBpsDevice", "blkio/blkio.throttle.write_bps_device", "wbps",
                  b->write_bps, b->n_write_bps);
        throttles(e, "throttleReadIOPSDevice", "blkio/blkio.throttle.read_iops_device", "riops",
                  b->read_iops, b->n_read_iops);
        throttles(e, "throttleWriteIOPSDevice", "blkio/blkio.throttle.write_iops_device", "wiops",
                  b->write_iops, b->n_write_iops);
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
                const struct hull_hugepage *h = &r->hugepage_limits[i];
                char v1f[96], v2f[96];
                snprintf(f, sizeof(f), "hugepageLimits[%zu]", i);
                snprintf(v1f, sizeof(v1f), "hugetlb/hugetlb.%s.limit_in_bytes", h->page_size);
                snprintf(v2f, sizeof(v2f), "hugetlb.%s.max", h->page_size);
                PUT(v1, "%" PRIu64 " (and .rsvd. where the kernel has it)", h->limit);
                value(e, f, v1f, v1, v2f, v1);
        }
        for (size_t i = 0; r->network.present && i < r->network.n_priorities; i++) {
                snprintf(f, sizeof(f), "network.priorities[%zu]", i);
                PUT(v1, "%s %u", r->network.priorities[i].name,
                    (unsigned)r->network.priorities[i].priority);
                value(e, f, "net_prio/net_prio.ifpriomap", v1, NULL, "");
        }
        for (size_t i = 0; i < r->n_rdma; i++) {
                const struct hull_rdma *d = &r->rdma[i];
                snprintf(f, sizeof(f), "rdma.%s", d->device);
                int n = PUT(v1, "%s", d->device);
                if (d->has_hca_handles)
                        n += snprintf(v1 + n, V - (size_t)n, " hca_handle=%u",
                                      (unsigned)d->hca_handles);
                if (d->has_hca_objects)
                        snprintf(v1 + n, V - (size_t)n, " hca_object=%u", (unsigned)d->hca_objects);
                value(e, f, "rdma/rdma.max", v1, "rdma.max", v1);
        }
        for (size_t i = 0; i < r->n_unified; i++) {
                snprintf(f, sizeof(f), "unified[\"%s\"]", r->unified[i].key);
                ex_more(e, 1, "%s", f);
                ex_more(e, 2, "v1 -: an error (\"cannot use unified on cgroup v1\")");
                ex_more(e, 2, "v2 %s = %s", r->unified[i].key, r->unified[i].value);
        }
}

static void devices(const struct explain *e, const struct hull_resources *r)
{
        struct cg_dev_set s;
        if (cg_dev_compute(r, &s) < 0) {
                ex_more(e, 1, "devices: fails: %s", herr_msg());
                return;
        }
        ex_more(e, 1,
                "devices (linux.resources.devices, then the default rules): %s by "
                "default, except:",
                s.default_allow ? "allow" : "deny");
        for (size_t i = 0; i < s.n; i++) {
                char maj[24] = "*", min[24] = "*";
                const struct cg_dev_rule *d = &s.rules[i];
                if (d->major >= 0)
                        snprintf(maj, sizeof(maj), "%" PRId64, d->major);
                if (d->minor >= 0)
                        snprintf(min, sizeof(min), "%" PRId64, d->minor);
                ex_more(e, 2, "%c %s:%s %s%s%s", d->type, maj, min, d->access & CG_DEV_R ? "r" : "",
                        d->access & CG_DEV_W ? "w" : "", d->access & CG_DEV_M ? "m" : "");
        }
        ex_more(e, 2,
                "v1: devices.deny \"a\", then devices.allow per rule; v2: an eBPF "
                "device program on the cgroup");
        cg_dev_free(&s);
}

/* Where the cgroup goes: the rules of cgroup.c (cgroupsPath) and
 * cgroup_systemd.c, told, since the host decides the mount points. */
static void where(const struct explain *e)
{
        const char *cp = e->cfg->linux_.cgroups_path;
        if (e->systemd) {
                ex_step(e, "cgroup_prepare",
                        "--systemd-cgroup: a transient systemd scope over "
                        "D-Bus, cgroupsPath \"slice:prefix:name\"");
                ex_more(e, 0,
                        "linux.cgroupsPath \"%s\": unit prefix-name.scope in the slice "
                        "(empty: system.slice, hull-<id>.scope)",
                        cp ? cp : "");
                return;
        }
        if (!cp || !cp[0]) {
                ex_step(e, "cgroup_prepare",
                        "no linux.cgroupsPath: the container id, relative "
                        "to hull's own cgroup");
                ex_more(e, 0, "v1 /sys/fs/cgroup/<controller>/<hull's cgroup>/<id>");
                ex_more(e, 0, "v2 /sys/fs/cgroup/<parent of hull's cgroup>/<id>");
        } else if (cp[0] == '/') {
                ex_step(e, "cgroup_prepare",
                        "linux.cgroupsPath \"%s\": absolute, below the root "
                        "of every hierarchy",
                        cp);
                ex_more(e, 0, "v1 /sys/fs/cgroup/<controller>%s", cp);
                ex_more(e, 0, "v2 /sys/fs/cgroup%s", cp);
        } else {
                ex_step(e, "cgroup_prepare",
                        "linux.cgroupsPath \"%s\": relative, below hull's "
                        "own cgroup",
                        cp);
                ex_more(e, 0, "v1 /sys/fs/cgroup/<controller>/<hull's cgroup>/%s", cp);
                ex_more(e, 0, "v2 /sys/fs/cgroup/<parent of hull's cgroup>/%s", cp);
        }
        ex_more(e, 0,
                "made with mkdir -p (v2: controllers enabled on the way), \"..\" never "
                "climbs above the root");
}

void explain_cgroup(const struct explain *e)
{
        const struct hull_resources *r = &e->cfg->linux_.resources;
        where(e);
        if (!r->present) {
                ex_more(e, 0, "no linux.resources: only the default device rules");
                devices(e, r);
                return;
        }
        ex_more(e, 0, "every limit is written before any process is in the cgroup:");
        for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
                char v1[V] = "", v2[V] = "";
                if (rows[i].get(r, v1, v2))
                        value(e, rows[i].field, rows[i].v1, v1, rows[i].v2, v2);
        }
        arrays(e, r);
        devices(e, r);
}
