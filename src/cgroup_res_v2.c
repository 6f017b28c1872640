/* cgroup_res_v2.c - linux.resources written to cgroup v2 files.
 *
 * The v1-shaped spec fields are converted as runc converts them:
 *   cpu.shares   -> cpu.weight = 1 + (shares - 2) * 9999 / 262142
 *   quota/period -> cpu.max "QUOTA|max PERIOD" (period default 100000)
 *   memory swap  -> memory.swap.max = swap - limit (the spec's swap is
 *                   memory+swap)
 *   blkio weight -> io.bfq.weight as is, or io.weight =
 *                   1 + (weight - 10) * 9999 / 990
 * Fields v2 has no file for (kernel memory, swappiness, disableOOMKiller,
 * useHierarchy, leafWeight, realtime, network) are ignored with a warning
 * when set; `unified` keys are written as given.
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

uint64_t cg_shares_to_weight(uint64_t shares)
{
        if (shares == 0)
                return 0;
        if (shares < 2)
                shares = 2;
        if (shares > 262144)
                shares = 262144;
        return 1 + ((shares - 2) * 9999) / 262142;
}

uint64_t cg_blkio_to_io_weight(uint64_t weight)
{
        if (weight == 0)
                return 0;
        if (weight < 10)
                weight = 10;
        if (weight > 1000)
                weight = 1000;
        return 1 + (weight - 10) * 9999 / 990;
}

int cg_swap_v2(int64_t memory, int64_t swap, int64_t *out, bool *set)
{
        *out = 0;
        *set = false;
        if (memory == -1 && swap == 0) { /* "unlimited memory": swap too */
                *out = -1;
                *set = true;
                return 0;
        }
        if (swap == 0)
                return 0;
        *set = true;
        if (swap == -1 || memory == -1) {
                *out = swap;
                return 0;
        }
        if (memory == 0)
                return herr(EINVAL, F("memory.swap") ": cannot set a swap limit without a memory "
                                                     "limit");
        if (memory > swap)
                return herr(EINVAL,
                            F("memory.swap") ": memory+swap limit (%" PRId64
                                             ") should be >= memory limit (%" PRId64 ")",
                            swap, memory);
        *out = swap - memory;
        return 0;
}

static int write_i64_max(const char *field, const char *dir, const char *file, int64_t v)
{
        if (v < 0)
                return cg_write(field, dir, file, "max");
        return cg_writef(field, dir, file, "%" PRId64, v);
}

static void ignored(const char *field)
{
        log_warn("%s: not supported on cgroup v2: ignored", field);
}

static int v2_memory(struct cgroup_manager *m, const struct hull_resources *r, bool update)
{
        const __typeof__(r->memory) *mem = &r->memory;
        if (!mem->present)
                return 0;
        const char *dir = m->dir;
        int64_t limit = mem->has_limit ? mem->limit : 0;
        int64_t swap = mem->has_swap ? mem->swap : 0;
        int64_t res = mem->has_reservation ? mem->reservation : 0;
        if (limit > 0 && mem->has_check_before_update && mem->check_before_update) {
                uint64_t usage;
                if (cg_read_u64(dir, "memory.current", &usage) == 0 && usage > (uint64_t)limit)
                        return herr(EBUSY,
                                    F("memory.limit") ": rejecting memory limit %" PRId64
                                                      " below the current usage %" PRIu64,
                                    limit, usage);
        }
        int64_t conv_mem = limit;
        if (update && swap > 0 && limit == 0) { /* swap alone: against the current limit */
                uint64_t cur;
                if (cg_read_u64(dir, "memory.max", &cur) == 0)
                        conv_mem = cur == UINT64_MAX ? -1 : (int64_t)cur;
        }
        int64_t swap_max;
        bool swap_set;
        if (cg_swap_v2(conv_mem, swap, &swap_max, &swap_set) < 0)
                return -1;
        /* no swap accounting: nothing to limit when no swap is wanted */
        if (swap_set && !(swap_max == 0 && !cg_exists(dir, "memory.swap.max")) &&
            write_i64_max(F("memory.swap"), dir, "memory.swap.max", swap_max) < 0)
                return -1;
        if (limit != 0 && write_i64_max(F("memory.limit"), dir, "memory.max", limit) < 0)
                return -1;
        if (res != 0 && write_i64_max(F("memory.reservation"), dir, "memory.low", res) < 0)
                return -1;
        if (mem->has_kernel && mem->kernel != 0)
                ignored(F("memory.kernel"));
        if (mem->has_kernel_tcp && mem->kernel_tcp != 0)
                ignored(F("memory.kernelTCP"));
        if (mem->has_swappiness && mem->swappiness != UINT64_MAX)
                ignored(F("memory.swappiness"));
        if (mem->has_disable_oom_killer && mem->disable_oom_killer)
                ignored(F("memory.disableOOMKiller"));
        if (mem->has_use_hierarchy && !mem->use_hierarchy)
                ignored(F("memory.useHierarchy"));
        return 0;
}

static int io_throttle(const char *dir, const char *field, const char *key,
                       const struct hull_throttle *t, size_t n)
{
        for (size_t i = 0; i < n; i++) {
                char f[96];
                snprintf(f, sizeof(f), "%s[%zu]", field, i);
                if (cg_writef(f, dir, "io.max", "%" PRId64 ":%" PRId64 " %s=%" PRIu64, t[i].major,
                              t[i].minor, key, t[i].rate) < 0)
                        return -1;
        }
        return 0;
}

static int v2_io(struct cgroup_manager *m, const struct hull_resources *r)
{
        const __typeof__(r->block_io) *b = &r->block_io;
        if (!b->present)
                return 0;
        const char *dir = m->dir;
        bool bfq = cg_exists(dir, "io.bfq.weight");
        if (b->has_weight && b->weight) {
                if (bfq ? cg_writef(F("blockIO.weight"), dir, "io.bfq.weight", "%u",
                                    (unsigned)b->weight) < 0
                        : cg_writef(F("blockIO.weight"), dir, "io.weight", "%" PRIu64,
                                    cg_blkio_to_io_weight(b->weight)) < 0)
                        return -1;
        }
        if (b->has_leaf_weight && b->leaf_weight)
                ignored(F("blockIO.leafWeight"));
        for (size_t i = 0; i < b->n_weight_device; i++) {
                const struct hull_weight_device *w = &b->weight_device[i];
                char f[96];
                snprintf(f, sizeof(f), F("blockIO.weightDevice[%zu]"), i);
                if (w->has_weight && w->weight &&
                    cg_writef(f, dir, bfq ? "io.bfq.weight" : "io.weight",
                              "%" PRId64 ":%" PRId64 " %" PRIu64, w->major, w->minor,
                              bfq ? w->weight : cg_blkio_to_io_weight(w->weight)) < 0)
                        return -1;
                if (w->has_leaf_weight && w->leaf_weight)
                        ignored(f);
        }
        if (io_throttle(dir, F("blockIO.throttleReadBpsDevice"), "rbps", b->read_bps,
                        b->n_read_bps) < 0 ||
            io_throttle(dir, F("blockIO.throttleWriteBpsDevice"), "wbps", b->write_bps,
                        b->n_write_bps) < 0 ||
            io_throttle(dir, F("blockIO.throttleReadIOPSDevice"), "riops", b->read_iops,
                        b->n_read_iops) < 0 ||
            io_throttle(dir, F("blockIO.throttleWriteIOPSDevice"), "wiops", b->write_iops,
                        b->n_write_iops) < 0)
                return -1;
        return 0;
}

static int v2_cpu(struct cgroup_manager *m, const struct hull_resources *r, bool update)
{
        const __typeof__(r->cpu) *c = &r->cpu;
        if (!c->present)
                return 0;
        const char *dir = m->dir;
        if (c->has_shares && c->shares &&
            cg_writef(F("cpu.shares"), dir, "cpu.weight", "%" PRIu64,
                      cg_shares_to_weight(c->shares)) < 0)
                return -1;
        bool quota = c->has_quota && c->quota != 0, period = c->has_period && c->period != 0;
        if (quota || period) {
                char q[32] = "max";
                uint64_t p = 100000;
                if (update) { /* keep the half that is not changed */
                        char *cur;
                        if (cg_read(dir, "cpu.max", &cur) == 0) {
                                char cq[32];
                                unsigned long long cp;
                                if (sscanf(cur, "%31s %llu", cq, &cp) == 2) {
                                        snprintf(q, sizeof(q), "%s", cq);
                                        p = cp;
                                }
                                free(cur);
                        }
                }
                if (quota) {
                        if (c->quota > 0)
                                snprintf(q, sizeof(q), "%" PRId64, c->quota);
                        else
                                snprintf(q, sizeof(q), "max");
                }
                if (period)
                        p = c->period;
                if (cg_writef(quota ? F("cpu.quota") : F("cpu.period"), dir, "cpu.max",
                              "%s %" PRIu64, q, p) < 0)
                        return -1;
        }
        if (c->has_burst &&
            cg_writef(F("cpu.burst"), dir, "cpu.max.burst", "%" PRIu64, c->burst) < 0)
                return -1;
        if (c->has_idle && cg_writef(F("cpu.idle"), dir, "cpu.idle", "%" PRId64, c->idle) < 0)
                return -1;
        if ((c->has_realtime_period && c->realtime_period) ||
            (c->has_realtime_runtime && c->realtime_runtime))
                ignored(F("cpu.realtimeRuntime/realtimePeriod"));
        if (c->cpus && c->cpus[0] && cg_write(F("cpu.cpus"), dir, "cpuset.cpus", c->cpus) < 0)
                return -1;
        if (c->mems && c->mems[0] && cg_write(F("cpu.mems"), dir, "cpuset.mems", c->mems) < 0)
                return -1;
        return 0;
}

static int v2_hugetlb(struct cgroup_manager *m, const struct hull_resources *r)
{
        for (size_t i = 0; i < r->n_hugepage_limits; i++) {
                const struct hull_hugepage *h = &r->hugepage_limits[i];
                char f[64], file[96];
                snprintf(f, sizeof(f), F("hugepageLimits[%zu]"), i);
                snprintf(file, sizeof(file), "hugetlb.%s.max", h->page_size);
                if (cg_writef(f, m->dir, file, "%" PRIu64, h->limit) < 0)
                        return -1;
                snprintf(file, sizeof(file), "hugetlb.%s.rsvd.max", h->page_size);
                if (cg_exists(m->dir, file) && cg_writef(f, m->dir, file, "%" PRIu64, h->limit) < 0)
                        return -1;
        }
        return 0;
}

static int v2_unified(struct cgroup_manager *m, const struct hull_resources *r)
{
        for (size_t i = 0; i < r->n_unified; i++) {
                const char *k = r->unified[i].key, *v = r->unified[i].value;
                char f[300];
                snprintf(f, sizeof(f), F("unified.%s"), k);
                if (strchr(k, '/') || !k[0] || k[0] == '.')
                        return herr(EINVAL, "%s: must be a file name (no slashes)", f);
                if (cg_write(f, m->dir, k, v) == 0)
                        continue;
                int e = herr_errno();
                if (e != ENOENT && e != EPERM && e != EACCES)
                        return -1;
                const char *dot = strchr(k, '.');
                if (!dot)
                        return herr(EINVAL, "%s: must be in the form CONTROLLER.PARAMETER", f);
                char ctl[64];
                snprintf(ctl, sizeof(ctl), "%.*s", (int)(dot - k), k);
                char *avail = NULL;
                bool have = !strcmp(ctl, "cgroup");
                if (!have && cg_read(m->dir, "cgroup.controllers", &avail) == 0) {
                        for (char *t = avail, *s; !have && (t = strtok_r(t, " ", &s)); t = NULL)
                                have = !strcmp(t, ctl);
                        free(avail);
                }
                if (!have)
                        return herr(e, "%s: can't be set: controller %s not available", f, ctl);
                return -1;
        }
        return 0;
}

static int v2_devices(struct cgroup_manager *m, const struct hull_resources *r)
{
        struct cg_dev_set s;
        if (cg_dev_compute(r, &s) < 0)
                return -1;
        int rc = cg_dev_apply_v2(m->dir, &s);
        cg_dev_free(&s);
        if (rc < 0 && m->rootless) {
                log_debug("rootless: %s", herr_msg());
                rc = 0;
        }
        return rc;
}

int cg_res_v2_apply(struct cgroup_manager *m, const struct hull_resources *r, bool update)
{
        if (!m->dir)
                return 0;
        if (r->pids.present &&
            write_i64_max(F("pids.limit"), m->dir, "pids.max", r->pids.limit) < 0)
                return -1;
        if (v2_memory(m, r, update) < 0 || v2_io(m, r) < 0 || v2_cpu(m, r, update) < 0)
                return -1;
        if (!update && v2_devices(m, r) < 0)
                return -1;
        if (v2_hugetlb(m, r) < 0 || cg_rdma_write(m->dir, r) < 0)
                return -1;
        if (r->network.present && (r->network.has_class_id || r->network.n_priorities))
                ignored(F("network"));
        return v2_unified(m, r);
}
