/* cgroup_res_v1.c - linux.resources written to cgroup v1 controller files.
 *
 * What runc 1.1 does, field by field (0 means "not set" where runc reads
 * it so: memory limit/swap/reservation, cpu shares/period/quota and the
 * realtime pair).  A controller that is not mounted is skipped with a
 * warning (as runc skips it silently), except devices: no devices cgroup
 * means no device isolation, which is an error.
 */
#include "cgroup_internal.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define F(x) "linux.resources." x

static int missing(const char *field, const char *ctl)
{
        log_warn("%s: the %s cgroup controller is not mounted: ignored", field, ctl);
        return 0;
}

static int set_mem_limit(const char *dir, int64_t v)
{
        if (v == 0)
                return 0;
        char val[32];
        snprintf(val, sizeof(val), "%" PRId64, v);
        if (cg_write(F("memory.limit"), dir, "memory.limit_in_bytes", val) == 0)
                return 0;
        if (herr_errno() != EBUSY)
                return -1;
        /* the kernel refuses a limit below the current usage */
        uint64_t usage = 0, peak = 0;
        cg_read_u64(dir, "memory.usage_in_bytes", &usage);
        cg_read_u64(dir, "memory.max_usage_in_bytes", &peak);
        return herr(EBUSY,
                    F("memory.limit") ": write \"%s\" to %s/memory.limit_in_bytes (current usage "
                                      "%" PRIu64 ", peak usage %" PRIu64 ")",
                    val, dir, usage, peak);
}

static int set_swap(const char *dir, int64_t v)
{
        if (v == 0)
                return 0;
        return cg_writef(F("memory.swap"), dir, "memory.memsw.limit_in_bytes", "%" PRId64, v);
}

static int v1_memory(struct cgroup_manager *m, const struct hull_resources *r)
{
        if (!r->memory.present)
                return 0;
        const char *dir = cg_v1_path(m, CTL_MEMORY);
        if (!dir)
                return missing(F("memory"), "memory");
        int64_t limit = r->memory.has_limit ? r->memory.limit : 0;
        int64_t swap = r->memory.has_swap ? r->memory.swap : 0;
        /* unlimited memory and no word on swap: unlimited swap too */
        if (limit == -1 && swap == 0 && cg_exists(dir, "memory.memsw.limit_in_bytes"))
                swap = -1;
        /* memsw must stay >= memory at every step: order the two writes */
        bool swap_first = false;
        if (limit != 0 && swap != 0) {
                uint64_t cur;
                if (cg_read_u64(dir, "memory.limit_in_bytes", &cur) < 0)
                        return herr_ctx(F("memory.limit"));
                swap_first = swap == -1 || cur < (uint64_t)swap;
        }
        if (swap_first ? (set_swap(dir, swap) < 0 || set_mem_limit(dir, limit) < 0)
                       : (set_mem_limit(dir, limit) < 0 || set_swap(dir, swap) < 0))
                return -1;
        if (r->memory.has_kernel && r->memory.kernel != 0 &&
            cg_writef(F("memory.kernel"), dir, "memory.kmem.limit_in_bytes", "%" PRId64,
                      r->memory.kernel) < 0) {
                int e = herr_errno();
                if (e != ENOENT && e != EOPNOTSUPP && e != EINVAL)
                        return -1;
                log_warn("%s (kernel memory limits are not supported by this kernel: ignored)",
                         herr_msg());
        }
        if (r->memory.has_kernel_tcp && r->memory.kernel_tcp != 0 &&
            cg_writef(F("memory.kernelTCP"), dir, "memory.kmem.tcp.limit_in_bytes", "%" PRId64,
                      r->memory.kernel_tcp) < 0)
                return -1;
        if (r->memory.has_reservation && r->memory.reservation != 0 &&
            cg_writef(F("memory.reservation"), dir, "memory.soft_limit_in_bytes", "%" PRId64,
                      r->memory.reservation) < 0)
                return -1;
        if (r->memory.has_disable_oom_killer && r->memory.disable_oom_killer &&
            cg_write(F("memory.disableOOMKiller"), dir, "memory.oom_control", "1") < 0)
                return -1;
        if (r->memory.has_swappiness && r->memory.swappiness != UINT64_MAX) {
                if (r->memory.swappiness > 100)
                        return herr(EINVAL,
                                    F("memory.swappiness") ": invalid value %" PRIu64
                                                           " (valid range is 0-100)",
                                    r->memory.swappiness);
                if (cg_writef(F("memory.swappiness"), dir, "memory.swappiness", "%" PRIu64,
                              r->memory.swappiness) < 0)
                        return -1;
        }
        if (r->memory.has_use_hierarchy &&
            cg_write(F("memory.useHierarchy"), dir, "memory.use_hierarchy",
                     r->memory.use_hierarchy ? "1" : "0") < 0)
                return -1;
        return 0;
}

static int v1_cpu(struct cgroup_manager *m, const struct hull_resources *r)
{
        const __typeof__(r->cpu) *c = &r->cpu;
        if (!c->present)
                return 0;
        bool need_cpu = (c->has_shares && c->shares) || (c->has_period && c->period) ||
                        (c->has_quota && c->quota) || c->has_burst ||
                        (c->has_realtime_period && c->realtime_period) ||
                        (c->has_realtime_runtime && c->realtime_runtime) || c->has_idle;
        const char *dir = cg_v1_path(m, CTL_CPU);
        if (need_cpu && !dir)
                missing(F("cpu"), "cpu");
        if (need_cpu && dir) {
                if (c->has_shares && c->shares) {
                        if (cg_writef(F("cpu.shares"), dir, "cpu.shares", "%" PRIu64, c->shares) <
                            0)
                                return -1;
                        uint64_t got;
                        if (cg_read_u64(dir, "cpu.shares", &got) == 0 && got != c->shares)
                                return herr(EINVAL,
                                            F("cpu.shares") ": the %s allowed cpu-shares is "
                                                            "%" PRIu64,
                                            c->shares > got ? "maximum" : "minimum", got);
                }
                /* A shorter period may be refused until the quota shrinks:
                 * then write it again after the quota. */
                bool period_again = false;
                if (c->has_period && c->period &&
                    cg_writef(F("cpu.period"), dir, "cpu.cfs_period_us", "%" PRIu64, c->period) <
                        0) {
                        if (herr_errno() != EINVAL || !(c->has_quota && c->quota))
                                return -1;
                        period_again = true;
                }
                if (c->has_quota && c->quota &&
                    cg_writef(F("cpu.quota"), dir, "cpu.cfs_quota_us", "%" PRId64, c->quota) < 0)
                        return -1;
                if (period_again &&
                    cg_writef(F("cpu.period"), dir, "cpu.cfs_period_us", "%" PRIu64, c->period) < 0)
                        return -1;
                if (c->has_burst &&
                    cg_writef(F("cpu.burst"), dir, "cpu.cfs_burst_us", "%" PRIu64, c->burst) < 0)
                        return -1;
                if (c->has_realtime_period && c->realtime_period &&
                    cg_writef(F("cpu.realtimePeriod"), dir, "cpu.rt_period_us", "%" PRIu64,
                              c->realtime_period) < 0)
                        return -1;
                if (c->has_realtime_runtime && c->realtime_runtime &&
                    cg_writef(F("cpu.realtimeRuntime"), dir, "cpu.rt_runtime_us", "%" PRId64,
                              c->realtime_runtime) < 0)
                        return -1;
                if (c->has_idle &&
                    cg_writef(F("cpu.idle"), dir, "cpu.idle", "%" PRId64, c->idle) < 0)
                        return -1;
        }
        bool cpus = c->cpus && c->cpus[0], mems = c->mems && c->mems[0];
        if (!cpus && !mems)
                return 0;
        dir = cg_v1_path(m, CTL_CPUSET);
        if (!dir)
                return missing(F("cpu.cpus"), "cpuset");
        if (cpus && cg_write(F("cpu.cpus"), dir, "cpuset.cpus", c->cpus) < 0)
                return -1;
        if (mems && cg_write(F("cpu.mems"), dir, "cpuset.mems", c->mems) < 0)
                return -1;
        return 0;
}

static int v1_pids(struct cgroup_manager *m, const struct hull_resources *r)
{
        if (!r->pids.present)
                return 0;
        const char *dir = cg_v1_path(m, CTL_PIDS);
        if (!dir)
                return missing(F("pids"), "pids");
        if (r->pids.limit < 0)
                return cg_write(F("pids.limit"), dir, "pids.max", "max");
        return cg_writef(F("pids.limit"), dir, "pids.max", "%" PRId64, r->pids.limit);
}

static int throttle(const char *dir, const char *field, const char *file,
                    const struct hull_throttle *t, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char f[96];
                snprintf(f, sizeof(f), "%s[%zu]", field, i);
                if (cg_writef(f, dir, file, "%" PRId64 ":%" PRId64 " %" PRIu64, t[i].major,
                              t[i].minor, t[i].rate) < 0)
                        return -1;
        }
        return 0;
}

static int v1_blkio(struct cgroup_manager *m, const struct hull_resources *r)
{
        const __typeof__(r->block_io) *b = &r->block_io;
        if (!b->present)
                return 0;
        const char *dir = cg_v1_path(m, CTL_BLKIO);
        if (!dir)
                return missing(F("blockIO"), "blkio");
        /* CFQ's files, or BFQ's when CFQ is gone (kernel 5.0+) */
        bool cfq = cg_exists(dir, "blkio.weight");
        const char *wfile = cfq ? "blkio.weight" : "blkio.bfq.weight";
        const char *wdfile = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
        if (b->has_weight && b->weight &&
            cg_writef(F("blockIO.weight"), dir, wfile, "%u", (unsigned)b->weight) < 0)
                return -1;
        if (b->has_leaf_weight && b->leaf_weight &&
            cg_writef(F("blockIO.leafWeight"), dir, "blkio.leaf_weight", "%u",
                      (unsigned)b->leaf_weight) < 0)
                return -1;
        for (size_t i = 0; i < b->n_weight_device; i++) {
                const struct hull_weight_device *w = &b->weight_device[i];
                char f[96];
                snprintf(f, sizeof(f), F("blockIO.weightDevice[%zu]"), i);
                if (w->has_weight && w->weight &&
                    cg_writef(f, dir, wdfile, "%" PRId64 ":%" PRId64 " %u", w->major, w->minor,
                              (unsigned)w->weight) < 0)
                        return -1;
                if (w->has_leaf_weight && w->leaf_weight &&
                    cg_writef(f, dir, "blkio.leaf_weight_device", "%" PRId64 ":%" PRId64 " %u",
                              w->major, w->minor, (unsigned)w->leaf_weight) < 0)
                        return -1;
        }
        if (throttle(dir, F("blockIO.throttleReadBpsDevice"), "blkio.throttle.read_bps_device",
                     b->read_bps, b->n_read_bps) < 0 ||
            throttle(dir, F("blockIO.throttleWriteBpsDevice"), "blkio.throttle.write_bps_device",
                     b->write_bps, b->n_write_bps) < 0 ||
            throttle(dir, F("blockIO.throttleReadIOPSDevice"), "blkio.throttle.read_iops_device",
                     b->read_iops, b->n_read_iops) < 0 ||
            throttle(dir, F("blockIO.throttleWriteIOPSDevice"), "blkio.throttle.write_iops_device",
                     b->write_iops, b->n_write_iops) < 0)
                return -1;
        return 0;
}

static int v1_hugetlb(struct cgroup_manager *m, const struct hull_resources *r)
{
        if (!r->n_hugepage_limits)
                return 0;
        const char *dir = cg_v1_path(m, CTL_HUGETLB);
        if (!dir)
                return missing(F("hugepageLimits"), "hugetlb");
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
                const struct hull_hugepage *h = &r->hugepage_limits[i];
                char f[64], file[96];
                snprintf(f, sizeof(f), F("hugepageLimits[%zu]"), i);
                snprintf(file, sizeof(file), "hugetlb.%s.limit_in_bytes", h->page_size);
                if (cg_writef(f, dir, file, "%" PRIu64, h->limit) < 0)
                        return -1;
                /* reservation accounting, where the kernel has it */
                snprintf(file, sizeof(file), "hugetlb.%s.rsvd.limit_in_bytes", h->page_size);
                if (cg_exists(dir, file) && cg_writef(f, dir, file, "%" PRIu64, h->limit) < 0)
                        return -1;
        }
        return 0;
}

static int v1_network(struct cgroup_manager *m, const struct hull_resources *r)
{
        if (!r->network.present)
                return 0;
        if (r->network.has_class_id) {
                const char *dir = cg_v1_path(m, CTL_NET_CLS);
                if (!dir)
                        missing(F("network.classID"), "net_cls");
                else if (cg_writef(F("network.classID"), dir, "net_cls.classid", "%u",
                                   (unsigned)r->network.class_id) < 0)
                        return -1;
        }
        if (r->network.n_priorities) {
                const char *dir = cg_v1_path(m, CTL_NET_PRIO);
                if (!dir)
                        return missing(F("network.priorities"), "net_prio");
                for (size_t i = 0; i < r->network.n_priorities; i++) {
                        char f[64];
                        snprintf(f, sizeof(f), F("network.priorities[%zu]"), i);
                        if (cg_writef(f, dir, "net_prio.ifpriomap", "%s %u",
                                      r->network.priorities[i].name,
                                      (unsigned)r->network.priorities[i].priority) < 0)
                                return -1;
                }
        }
        return 0;
}

/* "mlx5_1 hca_handle=3 hca_object=10000" (shared with v2: same file format) */
int cg_rdma_write(const char *dir, const struct hull_resources *r)
{
        for (size_t i = 0; i < r->n_rdma; i++) {
                const struct hull_rdma *d = &r->rdma[i];
                char f[160], val[160];
                snprintf(f, sizeof(f), F("rdma.%s"), d->device);
                int n = snprintf(val, sizeof(val), "%s", d->device);
                if (d->has_hca_handles)
                        n += snprintf(val + n, sizeof(val) - (size_t)n, " hca_handle=%u",
                                      (unsigned)d->hca_handles);
                if (d->has_hca_objects)
                        snprintf(val + n, sizeof(val) - (size_t)n, " hca_object=%u",
                                 (unsigned)d->hca_objects);
                if (cg_write(f, dir, "rdma.max", val) < 0)
                        return -1;
        }
        return 0;
}

static int v1_devices(struct cgroup_manager *m, const struct hull_resources *r)
{
        const char *dir = cg_v1_path(m, CTL_DEVICES);
        if (!dir && !m->dir) {
                if (m->rootless)
                        return 0;
                return herr(ENOENT, F("devices") ": the devices cgroup controller is not "
                                                 "mounted: refusing to run without device "
                                                 "isolation");
        }
        struct cg_dev_set s;
        if (cg_dev_compute(r, &s) < 0)
                return -1;
        /* no v1 devices controller on a hybrid host: the eBPF filter on the
         * unified hierarchy's cgroup does the same */
        int rc = dir ? cg_dev_apply_v1(dir, &s) : cg_dev_apply_v2(m->dir, &s);
        cg_dev_free(&s);
        if (rc < 0 && m->rootless) {
                log_debug("rootless: %s", herr_msg());
                rc = 0;
        }
        return rc;
}

int cg_res_v1_apply(struct cgroup_manager *m, const struct hull_resources *r, bool update)
{
        /* runc's subsystem order; devices are not changed by an update (as
         * runc: a running container keeps the devices it was given) */
        if (v1_cpu(m, r) < 0)
                return -1;
        if (!update && v1_devices(m, r) < 0)
                return -1;
        if (v1_memory(m, r) < 0 || v1_pids(m, r) < 0 || v1_blkio(m, r) < 0 ||
            v1_hugetlb(m, r) < 0 || v1_network(m, r) < 0)
                return -1;
        if (r->n_rdma) {
                const char *dir = cg_v1_path(m, CTL_RDMA);
                if (!dir)
                        return missing(F("rdma"), "rdma");
                return cg_rdma_write(dir, r);
        }
        return 0;
}
