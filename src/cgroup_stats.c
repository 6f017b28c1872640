/* cgroup_stats.c - the container's resource usage as runc's `events --stats`
 * prints it ("data" of {"type":"stats",...}: runc's types/events.go field
 * names, which containerd decodes), and OOM notifications.
 *
 * v2 numbers are mapped to the v1 layout as runc maps them: cpu.stat usec
 * -> ns, memory.current/max -> memory.usage, swap reported as memory+swap,
 * io.stat rbytes/wbytes/rios/wios -> blkio "Read"/"Write" entries.
 */
#include "cgroup.h"
#include "cgroup_internal.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#define U64_MARK "\001u64:"

json_t *cg_json_u64(uint64_t v)
{
        if (v <= (uint64_t)INT64_MAX)
                return json_integer((json_int_t)v);
        char buf[40];
        snprintf(buf, sizeof(buf), U64_MARK "%" PRIu64, v);
        return json_string(buf);
}

char *cgroup_json_dumps(json_t *j, size_t flags)
{
        char *s = json_dumps(j, flags);
        if (!s)
                return NULL;
        /* "\u0001u64:123" -> 123 */
        static const char mark[] = "\"\\u0001u64:";
        char *o = s;
        for (char *p = s; *p;) {
                if (!strncmp(p, mark, sizeof(mark) - 1)) {
                        p += sizeof(mark) - 1;
                        while (*p && *p != '"')
                                *o++ = *p++;
                        if (*p == '"')
                                p++;
                } else {
                        *o++ = *p++;
                }
        }
        *o = '\0';
        return s;
}

static void set_u64(json_t *o, const char *key, uint64_t v)
{
        json_object_set_new(o, key, cg_json_u64(v));
}

/* runc's omitempty: leave zero out */
static void set_u64_nz(json_t *o, const char *key, uint64_t v)
{
        if (v)
                set_u64(o, key, v);
}

static json_t *obj(json_t *parent, const char *key)
{
        json_t *o = json_object_get(parent, key);
        if (!o) {
                o = json_object();
                json_object_set_new(parent, key, o);
        }
        return o;
}

static uint64_t rd(const char *dir, const char *file)
{
        uint64_t v = 0;
        if (dir && cg_read_u64(dir, file, &v) < 0) {
                herr_clear();
                v = 0;
        }
        return v;
}

/* "key value" lines into a JSON object of numbers. */
static json_t *kv_object(const char *dir, const char *file)
{
        json_t *o = json_object();
        char *s;
        if (!dir || cg_read(dir, file, &s) < 0) {
                herr_clear();
                return o;
        }
        for (char *line = s, *save; (line = strtok_r(line, "\n", &save)); line = NULL) {
                char key[128];
                unsigned long long v;
                if (sscanf(line, "%127s %llu", key, &v) == 2)
                        set_u64(o, key, v);
        }
        free(s);
        return o;
}

static uint64_t kv_get(json_t *o, const char *key)
{
        json_t *v = json_object_get(o, key);
        return json_is_integer(v) ? (uint64_t)json_integer_value(v) : 0;
}

/* "0-3,7" -> [0,1,2,3,7] */
static json_t *cpu_list(const char *dir, const char *file)
{
        json_t *a = json_array();
        char *s;
        if (!dir || cg_read(dir, file, &s) < 0) {
                herr_clear();
                return a;
        }
        for (char *tok = s, *save; (tok = strtok_r(tok, ",", &save)); tok = NULL) {
                unsigned lo, hi;
                int n = sscanf(tok, "%u-%u", &lo, &hi);
                if (n == 1)
                        hi = lo;
                if (n < 1 || hi < lo || hi - lo > 65535)
                        continue;
                for (unsigned i = lo; i <= hi; i++)
                        json_array_append_new(a, json_integer(i));
        }
        free(s);
        return a;
}

static void numbers_array(json_t *o, const char *key, const char *text)
{
        json_t *a = json_array();
        for (const char *p = text; p && *p;) {
                char *end;
                unsigned long long v = strtoull(p, &end, 10);
                if (end == p)
                        break;
                json_array_append_new(a, cg_json_u64(v));
                p = end;
        }
        if (json_array_size(a))
                json_object_set_new(o, key, a);
        else
                json_decref(a);
}

static void stats_cpu_v1(struct cgroup_manager *m, json_t *data)
{
        json_t *cpu = obj(data, "cpu"), *usage = obj(cpu, "usage");
        const char *acct = cg_v1_path(m, CTL_CPUACCT);
        set_u64_nz(usage, "total", rd(acct, "cpuacct.usage"));
        char *s;
        if (acct && cg_read(acct, "cpuacct.usage_percpu", &s) == 0) {
                numbers_array(usage, "percpu", s);
                free(s);
        }
        /* "cpu user system" rows */
        if (acct && cg_read(acct, "cpuacct.usage_all", &s) == 0) {
                json_t *k = json_array(), *u = json_array();
                for (char *line = s, *save; (line = strtok_r(line, "\n", &save)); line = NULL) {
                        unsigned c;
                        unsigned long long user, sys;
                        if (sscanf(line, "%u %llu %llu", &c, &user, &sys) == 3) {
                                json_array_append_new(k, cg_json_u64(sys));
                                json_array_append_new(u, cg_json_u64(user));
                        }
                }
                json_object_set_new(usage, "percpu_kernel", k);
                json_object_set_new(usage, "percpu_user", u);
                free(s);
        }
        herr_clear();
        /* cpuacct.stat is in USER_HZ ticks */
        json_t *st = kv_object(acct, "cpuacct.stat");
        long hz = sysconf(_SC_CLK_TCK);
        uint64_t mul = 1000000000ULL / (uint64_t)(hz > 0 ? hz : 100);
        set_u64(usage, "kernel", kv_get(st, "system") * mul);
        set_u64(usage, "user", kv_get(st, "user") * mul);
        json_decref(st);
        json_t *thr = obj(cpu, "throttling");
        json_t *cs = kv_object(cg_v1_path(m, CTL_CPU), "cpu.stat");
        set_u64_nz(thr, "periods", kv_get(cs, "nr_periods"));
        set_u64_nz(thr, "throttledPeriods", kv_get(cs, "nr_throttled"));
        set_u64_nz(thr, "throttledTime", kv_get(cs, "throttled_time"));
        json_decref(cs);
}

static void stats_cpuset(const char *dir, json_t *data, bool v2)
{
        json_t *c = obj(data, "cpuset");
        json_t *cpus = cpu_list(dir, v2 ? "cpuset.cpus.effective" : "cpuset.cpus");
        json_t *mems = cpu_list(dir, v2 ? "cpuset.mems.effective" : "cpuset.mems");
        if (json_array_size(cpus))
                json_object_set_new(c, "cpus", cpus);
        else
                json_decref(cpus);
        set_u64(c, "cpu_exclusive", v2 ? 0 : rd(dir, "cpuset.cpu_exclusive"));
        if (json_array_size(mems))
                json_object_set_new(c, "mems", mems);
        else
                json_decref(mems);
        static const char *const keys[] = {
            "mem_hardwall",       "mem_exclusive",   "memory_migrate",    "memory_spread_page",
            "memory_spread_slab", "memory_pressure", "sched_load_balance"};
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                char file[64];
                snprintf(file, sizeof(file), "cpuset.%s", keys[i]);
                set_u64(c, keys[i], v2 ? 0 : rd(dir, file));
        }
        char *s;
        long long lvl = -1;
        if (!v2 && dir && cg_read(dir, "cpuset.sched_relax_domain_level", &s) == 0) {
                lvl = strtoll(s, NULL, 10);
                free(s);
        }
        herr_clear();
        json_object_set_new(c, "sched_relax_domain_level", json_integer(v2 ? 0 : lvl));
}

/* {"limit":L,"usage":U,"max":M,"failcnt":F} of memory[.name] (v1) */
static json_t *mem_entry_v1(const char *dir, const char *name)
{
        char f[96];
        json_t *e = json_object();
        snprintf(f, sizeof(f), "%s.limit_in_bytes", name);
        set_u64(e, "limit", rd(dir, f));
        snprintf(f, sizeof(f), "%s.usage_in_bytes", name);
        set_u64_nz(e, "usage", rd(dir, f));
        snprintf(f, sizeof(f), "%s.max_usage_in_bytes", name);
        set_u64_nz(e, "max", rd(dir, f));
        snprintf(f, sizeof(f), "%s.failcnt", name);
        set_u64(e, "failcnt", rd(dir, f));
        return e;
}

static void stats_memory_v1(struct cgroup_manager *m, json_t *data)
{
        const char *dir = cg_v1_path(m, CTL_MEMORY);
        json_t *mem = obj(data, "memory");
        if (!dir)
                return;
        json_t *raw = kv_object(dir, "memory.stat");
        set_u64_nz(mem, "cache", kv_get(raw, "cache"));
        json_object_set_new(mem, "usage", mem_entry_v1(dir, "memory"));
        json_object_set_new(mem, "swap", mem_entry_v1(dir, "memory.memsw"));
        json_object_set_new(mem, "kernel", mem_entry_v1(dir, "memory.kmem"));
        json_object_set_new(mem, "kernelTCP", mem_entry_v1(dir, "memory.kmem.tcp"));
        if (json_object_size(raw))
                json_object_set_new(mem, "raw", raw);
        else
                json_decref(raw);
}

static void stats_pids(const char *dir, json_t *data)
{
        json_t *p = obj(data, "pids");
        set_u64_nz(p, "current", rd(dir, "pids.current"));
        uint64_t lim = rd(dir, "pids.max");
        set_u64_nz(p, "limit", lim == UINT64_MAX ? 0 : lim);
}

/* "8:0 Read 123" lines (v1 blkio) into [{"major","minor","op","value"}] */
static void blkio_list_v1(const char *dir, const char *file, json_t *blkio, const char *key)
{
        char *s;
        if (!dir || cg_read(dir, file, &s) < 0) {
                herr_clear();
                return;
        }
        json_t *a = json_array();
        for (char *line = s, *save; (line = strtok_r(line, "\n", &save)); line = NULL) {
                unsigned long long ma, mi, v;
                char op[32];
                if (sscanf(line, "%llu:%llu %31s %llu", &ma, &mi, op, &v) != 4)
                        continue;
                json_t *e = json_object();
                set_u64_nz(e, "major", ma);
                set_u64_nz(e, "minor", mi);
                json_object_set_new(e, "op", json_string(op));
                set_u64_nz(e, "value", v);
                json_array_append_new(a, e);
        }
        free(s);
        if (json_array_size(a))
                json_object_set_new(blkio, key, a);
        else
                json_decref(a);
}

static void stats_blkio_v1(struct cgroup_manager *m, json_t *data)
{
        const char *dir = cg_v1_path(m, CTL_BLKIO);
        json_t *b = obj(data, "blkio");
        /* CFQ's files, else BFQ's, else the throttle counters (as runc) */
        const char *pre = "blkio.throttle.";
        if (dir && cg_exists(dir, "blkio.io_service_bytes_recursive"))
                pre = "blkio.";
        else if (dir && cg_exists(dir, "blkio.bfq.io_service_bytes_recursive"))
                pre = "blkio.bfq.";
        char f[96];
        snprintf(f, sizeof(f), "%sio_service_bytes_recursive", pre);
        blkio_list_v1(dir, f, b, "ioServiceBytesRecursive");
        snprintf(f, sizeof(f), "%sio_serviced_recursive", pre);
        blkio_list_v1(dir, f, b, "ioServicedRecursive");
        if (!strcmp(pre, "blkio.")) {
                static const char *const more[][2] = {
                    {"io_queued_recursive", "ioQueueRecursive"},
                    {"io_service_time_recursive", "ioServiceTimeRecursive"},
                    {"io_wait_time_recursive", "ioWaitTimeRecursive"},
                    {"io_merged_recursive", "ioMergedRecursive"},
                    {"time_recursive", "ioTimeRecursive"},
                    {"sectors_recursive", "sectorsRecursive"}};
                for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) {
                        snprintf(f, sizeof(f), "blkio.%s", more[i][0]);
                        blkio_list_v1(dir, f, b, more[i][1]);
                }
        }
}

/* Page sizes the kernel knows: /sys/kernel/mm/hugepages/hugepages-2048kB -> "2MB" */
static size_t hugetlb_sizes(char sizes[][32], size_t max)
{
        size_t n = 0;
        DIR *d = opendir("/sys/kernel/mm/hugepages");
        if (!d)
                return 0;
        struct dirent *e;
        while (n < max && (e = readdir(d))) {
                unsigned long long kb;
                if (sscanf(e->d_name, "hugepages-%llukB", &kb) != 1 || kb == 0)
                        continue;
                if (kb % (1024 * 1024) == 0)
                        snprintf(sizes[n++], 32, "%lluGB", kb / (1024 * 1024));
                else if (kb % 1024 == 0)
                        snprintf(sizes[n++], 32, "%lluMB", kb / 1024);
                else
                        snprintf(sizes[n++], 32, "%lluKB", kb);
        }
        closedir(d);
        return n;
}

static void stats_hugetlb(const char *dir, json_t *data, bool v2)
{
        json_t *h = obj(data, "hugetlb");
        if (!dir)
                return;
        char sizes[16][32];
        size_t n = hugetlb_sizes(sizes, 16);
        for (size_t i = 0; i < n; i++) {
                char f[96];
                json_t *e = json_object();
                if (v2) {
                        snprintf(f, sizeof(f), "hugetlb.%s.current", sizes[i]);
                        set_u64_nz(e, "usage", rd(dir, f));
                        uint64_t fail = 0;
                        snprintf(f, sizeof(f), "hugetlb.%s.events", sizes[i]);
                        if (cg_read_key(dir, f, "max", &fail) < 0)
                                herr_clear();
                        set_u64(e, "failcnt", fail);
                } else {
                        snprintf(f, sizeof(f), "hugetlb.%s.usage_in_bytes", sizes[i]);
                        set_u64_nz(e, "usage", rd(dir, f));
                        snprintf(f, sizeof(f), "hugetlb.%s.max_usage_in_bytes", sizes[i]);
                        set_u64_nz(e, "max", rd(dir, f));
                        snprintf(f, sizeof(f), "hugetlb.%s.failcnt", sizes[i]);
                        set_u64(e, "failcnt", rd(dir, f));
                }
                json_object_set_new(h, sizes[i], e);
        }
}

static void common_tail(json_t *data)
{
        obj(data, "intel_rdt");
        json_object_set_new(data, "network_interfaces", json_null());
}

int cg_stats_v1(struct cgroup_manager *m, json_t *data)
{
        stats_cpu_v1(m, data);
        stats_cpuset(cg_v1_path(m, CTL_CPUSET), data, false);
        stats_memory_v1(m, data);
        stats_pids(cg_v1_path(m, CTL_PIDS), data);
        stats_blkio_v1(m, data);
        stats_hugetlb(cg_v1_path(m, CTL_HUGETLB), data, false);
        common_tail(data);
        return 0;
}

static void stats_memory_v2(const char *dir, json_t *data)
{
        json_t *mem = obj(data, "memory");
        json_t *raw = kv_object(dir, "memory.stat");
        set_u64_nz(mem, "cache", kv_get(raw, "file"));
        uint64_t cur = rd(dir, "memory.current"), max = rd(dir, "memory.max");
        uint64_t fail = 0;
        if (cg_read_key(dir, "memory.events", "max", &fail) < 0)
                herr_clear();
        json_t *u = json_object();
        set_u64(u, "limit", max);
        set_u64_nz(u, "usage", cur);
        set_u64_nz(u, "max", rd(dir, "memory.peak"));
        set_u64(u, "failcnt", fail);
        json_object_set_new(mem, "usage", u);
        /* v1 reports memory+swap: so does runc on v2 */
        json_t *sw = json_object();
        uint64_t scur = rd(dir, "memory.swap.current"), smax = rd(dir, "memory.swap.max");
        uint64_t slim = (smax == UINT64_MAX || max == UINT64_MAX) ? UINT64_MAX : smax + max;
        set_u64(sw, "limit", cg_exists(dir, "memory.swap.max") ? slim : 0);
        set_u64_nz(sw, "usage", scur + cur);
        set_u64(sw, "failcnt", 0);
        json_object_set_new(mem, "swap", sw);
        json_t *k = json_object(), *kt = json_object();
        set_u64(k, "limit", 0);
        set_u64(k, "failcnt", 0);
        set_u64(kt, "limit", 0);
        set_u64(kt, "failcnt", 0);
        json_object_set_new(mem, "kernel", k);
        json_object_set_new(mem, "kernelTCP", kt);
        if (json_object_size(raw))
                json_object_set_new(mem, "raw", raw);
        else
                json_decref(raw);
}

static void stats_io_v2(const char *dir, json_t *data)
{
        json_t *b = obj(data, "blkio");
        char *s;
        if (cg_read(dir, "io.stat", &s) < 0) {
                herr_clear();
                return;
        }
        json_t *bytes = json_array(), *ios = json_array();
        for (char *line = s, *save; (line = strtok_r(line, "\n", &save)); line = NULL) {
                unsigned long long ma, mi;
                int off;
                if (sscanf(line, "%llu:%llu%n", &ma, &mi, &off) != 2)
                        continue;
                for (char *t = line + off, *s2; (t = strtok_r(t, " ", &s2)); t = NULL) {
                        char key[32];
                        unsigned long long v;
                        if (sscanf(t, "%31[^=]=%llu", key, &v) != 2)
                                continue;
                        json_t *target = NULL;
                        const char *op = NULL;
                        if (!strcmp(key, "rbytes"))
                                target = bytes, op = "Read";
                        else if (!strcmp(key, "wbytes"))
                                target = bytes, op = "Write";
                        else if (!strcmp(key, "rios"))
                                target = ios, op = "Read";
                        else if (!strcmp(key, "wios"))
                                target = ios, op = "Write";
                        if (!target)
                                continue;
                        json_t *e = json_object();
                        set_u64_nz(e, "major", ma);
                        set_u64_nz(e, "minor", mi);
                        json_object_set_new(e, "op", json_string(op));
                        set_u64_nz(e, "value", v);
                        json_array_append_new(target, e);
                }
        }
        free(s);
        if (json_array_size(bytes))
                json_object_set_new(b, "ioServiceBytesRecursive", bytes);
        else
                json_decref(bytes);
        if (json_array_size(ios))
                json_object_set_new(b, "ioServicedRecursive", ios);
        else
                json_decref(ios);
}

int cg_stats_v2(struct cgroup_manager *m, json_t *data)
{
        const char *dir = m->dir;
        json_t *cpu = obj(data, "cpu"), *usage = obj(cpu, "usage"), *thr = obj(cpu, "throttling");
        json_t *cs = kv_object(dir, "cpu.stat");
        set_u64_nz(usage, "total", kv_get(cs, "usage_usec") * 1000);
        set_u64(usage, "kernel", kv_get(cs, "system_usec") * 1000);
        set_u64(usage, "user", kv_get(cs, "user_usec") * 1000);
        set_u64_nz(thr, "periods", kv_get(cs, "nr_periods"));
        set_u64_nz(thr, "throttledPeriods", kv_get(cs, "nr_throttled"));
        set_u64_nz(thr, "throttledTime", kv_get(cs, "throttled_usec") * 1000);
        json_decref(cs);
        stats_cpuset(dir, data, true);
        stats_memory_v2(dir, data);
        stats_pids(dir, data);
        stats_io_v2(dir, data);
        stats_hugetlb(dir, data, true);
        common_tail(data);
        return 0;
}

int cgroup_stats(struct cgroup_manager *m, json_t **out)
{
        *out = NULL;
        const char *any = m->dir;
        for (size_t i = 0; !any && i < m->nh; i++)
                any = m->h[i].path;
        if (!any || access(any, F_OK) < 0)
                return herr(ENOENT, "container's cgroup %s is gone", any ? any : "");
        json_t *data = json_object();
        if (!data)
                return herr(ENOMEM, "stats");
        int rc = m->version == 2 ? cg_stats_v2(m, data) : cg_stats_v1(m, data);
        if (rc < 0) {
                json_decref(data);
                return -1;
        }
        *out = data;
        return 0;
}

/* ---- OOM notifications ---- */

int cgroup_oom_watch(struct cgroup_manager *m, int *fd)
{
        *fd = -1;
        if (m->version == 2) {
                if (!m->dir)
                        return herr(ENOENT, "OOM events: no cgroup");
                uint64_t n = 0;
                if (cg_read_key(m->dir, "memory.events", "oom_kill", &n) < 0)
                        return herr_ctx("OOM events");
                m->oom_kills = n;
                int in = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
                if (in < 0)
                        return herr(errno, "OOM events: inotify_init1");
                char path[PATH_MAX];
                snprintf(path, sizeof(path), "%s/memory.events", m->dir);
                if (inotify_add_watch(in, path, IN_MODIFY) < 0) {
                        int e = errno;
                        close(in);
                        return herr(e, "OOM events: inotify %s", path);
                }
                *fd = in;
                return 0;
        }
        const char *dir = cg_v1_path(m, CTL_MEMORY);
        if (!dir)
                return herr(ENOENT, "OOM events: no memory cgroup");
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/memory.oom_control", dir);
        int ctl = open(path, O_RDONLY | O_CLOEXEC);
        if (ctl < 0)
                return herr(errno, "OOM events: open %s", path);
        int efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (efd < 0) {
                int e = errno;
                close(ctl);
                return herr(e, "OOM events: eventfd");
        }
        if (cg_writef("OOM events", dir, "cgroup.event_control", "%d %d", efd, ctl) < 0) {
                close(ctl);
                close(efd);
                return -1;
        }
        if (m->oom_ctl_fd >= 0)
                close(m->oom_ctl_fd);
        m->oom_ctl_fd = ctl;
        *fd = efd;
        return 0;
}

int cgroup_oom_check(struct cgroup_manager *m, int fd)
{
        if (m->version == 2) {
                char buf[4096];
                while (read(fd, buf, sizeof(buf)) > 0)
                        ;
                uint64_t n = 0;
                if (cg_read_key(m->dir, "memory.events", "oom_kill", &n) < 0)
                        return -1; /* the cgroup is gone */
                uint64_t new = n > m->oom_kills ? n - m->oom_kills : 0;
                m->oom_kills = n;
                return (int)(new > INT32_MAX ? INT32_MAX : new);
        }
        uint64_t count = 0;
        if (read(fd, &count, sizeof(count)) != (ssize_t)sizeof(count))
                count = 0;
        /* the eventfd also fires when the cgroup is removed */
        const char *dir = cg_v1_path(m, CTL_MEMORY);
        if (!dir || !cg_exists(dir, "cgroup.event_control"))
                return herr(ENOENT, "OOM events: the container's cgroup is gone");
        return (int)(count > INT32_MAX ? INT32_MAX : count);
}
