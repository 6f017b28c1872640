/* cgroup_systemd.c - --systemd-cgroup: the container's cgroup is a transient
 * systemd scope, made over D-Bus (sd-bus, dlopen()ed from libsystemd.so.0
 * only when this driver is used: hull does not link libsystemd).
 *
 * cgroupsPath is "slice:prefix:name" (runc's form): the unit is
 * "prefix-name.scope" in "slice" (default system.slice; an empty
 * cgroupsPath means "system.slice:hull:<id>").  As runc, the scope gets
 * Delegate=yes, the accounting properties and the limits systemd knows
 * (MemoryMax, MemoryLow, MemorySwapMax, TasksMax, CPUWeight,
 * CPUQuotaPerSecUSec, CPUQuotaPeriodUSec, AllowedCPUs,
 * AllowedMemoryNodes, IOWeight on v2; MemoryLimit, CPUShares,
 * BlockIOWeight, TasksMax, CPUQuotaPerSecUSec on v1), so that a systemd
 * reload keeps them; then every limit is also written to the cgroup files
 * by the cgroupfs code, which knows them all.  Device rules are not given
 * to systemd: hull's own BPF program (v2) or devices cgroup (v1) applies
 * them.
 *
 * A scope cannot be made empty, and the init does not exist yet when the
 * limits must be in place: a "holder" child (fork, pause) is the scope's
 * first process.  The init then goes straight into the scope's cgroup
 * (clone3 CLONE_INTO_CGROUP on v2; `tasks` on v1) and the holder is killed
 * once the init is in (cgroup_save()).  The container sits directly in the
 * scope, as with runc.
 */
#include "cgroup_internal.h"
#include "error.h"
#include "log.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct sd_bus sd_bus;
typedef struct sd_bus_message sd_bus_message;
typedef struct sd_bus_slot sd_bus_slot;
typedef struct {
        const char *name;
        const char *message;
        int need_free;
} sd_bus_error;
typedef int (*sd_handler)(sd_bus_message *m, void *userdata, sd_bus_error *ret_error);

static struct {
        void *lib;
        int (*open_system)(sd_bus **);
        int (*new_method_call)(sd_bus *, sd_bus_message **, const char *, const char *,
                               const char *, const char *);
        int (*append)(sd_bus_message *, const char *, ...);
        int (*append_array)(sd_bus_message *, char, const void *, size_t);
        int (*open_container)(sd_bus_message *, char, const char *);
        int (*close_container)(sd_bus_message *);
        int (*call)(sd_bus *, sd_bus_message *, uint64_t, sd_bus_error *, sd_bus_message **);
        int (*read)(sd_bus_message *, const char *, ...);
        int (*match_signal)(sd_bus *, sd_bus_slot **, const char *, const char *, const char *,
                            const char *, sd_handler, void *);
        int (*process)(sd_bus *, sd_bus_message **);
        int (*wait)(sd_bus *, uint64_t);
        void (*error_free)(sd_bus_error *);
        sd_bus_message *(*message_unref)(sd_bus_message *);
        sd_bus_slot *(*slot_unref)(sd_bus_slot *);
        sd_bus *(*flush_close_unref)(sd_bus *);
} sd;

#define SD_DEST         "org.freedesktop.systemd1"
#define SD_PATH         "/org/freedesktop/systemd1"
#define SD_IFACE        "org.freedesktop.systemd1.Manager"
#define SD_TIMEOUT_USEC (30ULL * 1000000ULL)

static int sd_load(void)
{
        if (sd.lib)
                return 0;
        void *lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!lib)
                return herr(0, "systemd cgroup driver: dlopen libsystemd.so.0: %s", dlerror());
        struct {
                void **slot;
                const char *name;
        } syms[] = {
            {(void **)&sd.open_system, "sd_bus_open_system"},
            {(void **)&sd.new_method_call, "sd_bus_message_new_method_call"},
            {(void **)&sd.append, "sd_bus_message_append"},
            {(void **)&sd.append_array, "sd_bus_message_append_array"},
            {(void **)&sd.open_container, "sd_bus_message_open_container"},
            {(void **)&sd.close_container, "sd_bus_message_close_container"},
            {(void **)&sd.call, "sd_bus_call"},
            {(void **)&sd.read, "sd_bus_message_read"},
            {(void **)&sd.match_signal, "sd_bus_match_signal"},
            {(void **)&sd.process, "sd_bus_process"},
            {(void **)&sd.wait, "sd_bus_wait"},
            {(void **)&sd.error_free, "sd_bus_error_free"},
            {(void **)&sd.message_unref, "sd_bus_message_unref"},
            {(void **)&sd.slot_unref, "sd_bus_slot_unref"},
            {(void **)&sd.flush_close_unref, "sd_bus_flush_close_unref"},
        };
        for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
                void *p = dlsym(lib, syms[i].name);
                if (!p) {
                        dlclose(lib);
                        return herr(0, "systemd cgroup driver: libsystemd.so.0 has no %s",
                                    syms[i].name);
                }
                memcpy(syms[i].slot, &p, sizeof(p));
        }
        sd.lib = lib;
        return 0;
}

static int sd_connect(sd_bus **bus)
{
        *bus = NULL;
        if (sd_load() < 0)
                return -1;
        int r = sd.open_system(bus);
        if (r < 0)
                return herr(-r, "systemd cgroup driver: connect to the system bus");
        return 0;
}

/* ---- cgroupsPath and slices ---- */

int cg_sd_slice_path(const char *slice, char **out)
{
        *out = NULL;
        size_t n = strlen(slice);
        if (n < 6 || strcmp(slice + n - 6, ".slice") != 0 || strchr(slice, '/'))
                return herr(EINVAL, "invalid systemd slice name \"%s\"", slice);
        if (!strcmp(slice, "-.slice")) {
                *out = strdup("");
                return *out ? 0 : herr(ENOMEM, "slice");
        }
        size_t base = n - 6;
        if (slice[0] == '-' || slice[base - 1] == '-' || strstr(slice, "--"))
                return herr(EINVAL, "invalid systemd slice name \"%s\"", slice);
        /* "a-b-c.slice" -> "/a.slice/a-b.slice/a-b-c.slice" */
        char *p = malloc(n * (n / 2 + 2) + 8);
        if (!p)
                return herr(ENOMEM, "slice");
        size_t o = 0;
        for (size_t i = 0; i <= base; i++) {
                if (i < base && slice[i] != '-')
                        continue;
                o += (size_t)sprintf(p + o, "/%.*s.slice", (int)i, slice);
        }
        *out = p;
        return 0;
}

static int parse_path(struct cgroup_manager *m, const char *cp)
{
        char slice[256], prefix[256], name[256];
        if (!cp || !cp[0]) {
                snprintf(slice, sizeof(slice), "system.slice");
                snprintf(prefix, sizeof(prefix), "hull");
                snprintf(name, sizeof(name), "%s", m->id);
        } else {
                const char *c1 = strchr(cp, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (!c2 || strchr(c2 + 1, ':') || (size_t)(c1 - cp) >= sizeof(slice) ||
                    (size_t)(c2 - c1 - 1) >= sizeof(prefix) || strlen(c2 + 1) >= sizeof(name))
                        return herr(EINVAL,
                                    "linux.cgroupsPath: expected cgroupsPath to be of format "
                                    "\"slice:prefix:name\" for systemd cgroups, got \"%s\" instead",
                                    cp);
                snprintf(slice, sizeof(slice), "%.*s", (int)(c1 - cp), cp);
                snprintf(prefix, sizeof(prefix), "%.*s", (int)(c2 - c1 - 1), c1 + 1);
                snprintf(name, sizeof(name), "%s", c2 + 1);
                if (!slice[0])
                        snprintf(slice, sizeof(slice), "system.slice");
        }
        size_t nl = strlen(name);
        if (!name[0] || strchr(name, '/') || strchr(prefix, '/'))
                return herr(EINVAL, "linux.cgroupsPath: bad unit name in \"%s\"", cp ? cp : "");
        if (nl > 6 && !strcmp(name + nl - 6, ".slice"))
                return herr(ENOTSUP,
                            "linux.cgroupsPath: a container in a slice unit (\"%s\") is "
                            "not supported: use a scope",
                            name);
        char unit[600];
        snprintf(unit, sizeof(unit), "%s%s%s.scope", prefix, prefix[0] ? "-" : "", name);
        m->unit = strdup(unit);
        m->slice = strdup(slice);
        if (!m->unit || !m->slice)
                return herr(ENOMEM, "systemd unit");
        return 0;
}

/* ---- message building ---- */

static int prop_open(sd_bus_message *msg, const char *name, const char *sig)
{
        int r = sd.open_container(msg, 'r', "sv");
        if (r >= 0)
                r = sd.append(msg, "s", name);
        if (r >= 0)
                r = sd.open_container(msg, 'v', sig);
        return r;
}

static int prop_close(sd_bus_message *msg)
{
        int r = sd.close_container(msg);
        return r < 0 ? r : sd.close_container(msg);
}

static int prop_b(sd_bus_message *msg, const char *name, bool v)
{
        int r = prop_open(msg, name, "b");
        if (r >= 0)
                r = sd.append(msg, "b", (int)v);
        return r < 0 ? r : prop_close(msg);
}

static int prop_s(sd_bus_message *msg, const char *name, const char *v)
{
        int r = prop_open(msg, name, "s");
        if (r >= 0)
                r = sd.append(msg, "s", v);
        return r < 0 ? r : prop_close(msg);
}

static int prop_t(sd_bus_message *msg, const char *name, uint64_t v)
{
        int r = prop_open(msg, name, "t");
        if (r >= 0)
                r = sd.append(msg, "t", v);
        return r < 0 ? r : prop_close(msg);
}

/* "0-3,7" -> little-endian bit mask, byte 0 = CPUs 0-7 (systemd's form) */
static int prop_mask(sd_bus_message *msg, const char *name, const char *list)
{
        uint8_t bits[1024] = {0};
        size_t len = 0;
        char *dup = strdup(list);
        if (!dup)
                return -ENOMEM;
        for (char *t = dup, *save; (t = strtok_r(t, ",", &save)); t = NULL) {
                unsigned lo, hi;
                int n = sscanf(t, "%u-%u", &lo, &hi);
                if (n == 1)
                        hi = lo;
                if (n < 1 || hi < lo || hi >= sizeof(bits) * 8) {
                        free(dup);
                        return -EINVAL;
                }
                for (unsigned i = lo; i <= hi; i++) {
                        bits[i / 8] |= (uint8_t)(1u << (i % 8));
                        if (i / 8 + 1 > len)
                                len = i / 8 + 1;
                }
        }
        free(dup);
        int r = prop_open(msg, name, "ay");
        if (r >= 0)
                r = sd.append_array(msg, 'y', bits, len);
        return r < 0 ? r : prop_close(msg);
}

static uint64_t inf_or(int64_t v)
{
        return v < 0 ? UINT64_MAX : (uint64_t)v;
}

/* The limits systemd knows, as properties. */
static int resource_props(struct cgroup_manager *m, sd_bus_message *msg,
                          const struct hull_resources *r)
{
        if (!r)
                return 0;
        int rc = 0;
        bool v2 = m->version == 2;
        const __typeof__(r->memory) *mem = &r->memory;
        if (mem->present) {
                int64_t limit = mem->has_limit ? mem->limit : 0;
                if (limit != 0 && rc >= 0)
                        rc = prop_t(msg, v2 ? "MemoryMax" : "MemoryLimit", inf_or(limit));
                if (v2 && mem->has_reservation && mem->reservation && rc >= 0)
                        rc = prop_t(msg, "MemoryLow", inf_or(mem->reservation));
                int64_t swap;
                bool set;
                if (v2 && cg_swap_v2(limit, mem->has_swap ? mem->swap : 0, &swap, &set) == 0 &&
                    set && rc >= 0)
                        rc = prop_t(msg, "MemorySwapMax", inf_or(swap));
                herr_clear();
        }
        if (r->pids.present && rc >= 0)
                rc = prop_t(msg, "TasksMax", inf_or(r->pids.limit));
        const __typeof__(r->cpu) *c = &r->cpu;
        if (c->present) {
                if (c->has_shares && c->shares && rc >= 0)
                        rc = v2 ? prop_t(msg, "CPUWeight", cg_shares_to_weight(c->shares))
                                : prop_t(msg, "CPUShares", c->shares);
                uint64_t period = c->has_period ? c->period : 0;
                int64_t quota = c->has_quota ? c->quota : 0;
                if (v2 && period && rc >= 0)
                        rc = prop_t(msg, "CPUQuotaPeriodUSec", period);
                if ((quota || period) && rc >= 0) {
                        uint64_t per_sec = UINT64_MAX;
                        if (quota > 0) {
                                /* systemd keeps whole percents: round up to 10 ms */
                                per_sec = (uint64_t)quota * 1000000ULL / (period ? period : 100000);
                                if (per_sec % 10000)
                                        per_sec = (per_sec / 10000 + 1) * 10000;
                        }
                        rc = prop_t(msg, "CPUQuotaPerSecUSec", per_sec);
                }
                if (v2 && c->cpus && c->cpus[0] && rc >= 0)
                        rc = prop_mask(msg, "AllowedCPUs", c->cpus);
                if (v2 && c->mems && c->mems[0] && rc >= 0)
                        rc = prop_mask(msg, "AllowedMemoryNodes", c->mems);
        }
        if (r->block_io.present && r->block_io.has_weight && r->block_io.weight && rc >= 0)
                rc = v2 ? prop_t(msg, "IOWeight", cg_blkio_to_io_weight(r->block_io.weight))
                        : prop_t(msg, "BlockIOWeight", r->block_io.weight);
        return rc;
}

/* ---- calls ---- */

struct job_wait {
        const char *unit;
        bool done;
        char result[32];
};

static int on_job_removed(sd_bus_message *msg, void *userdata, sd_bus_error *err)
{
        (void)err;
        struct job_wait *w = userdata;
        uint32_t id;
        const char *path, *unit, *result;
        if (sd.read(msg, "uoss", &id, &path, &unit, &result) >= 0 && !strcmp(unit, w->unit)) {
                snprintf(w->result, sizeof(w->result), "%s", result);
                w->done = true;
        }
        return 0;
}

static int wait_job(sd_bus *bus, struct job_wait *w, const char *what)
{
        struct timespec t0, now;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        while (!w->done) {
                int r = sd.process(bus, NULL);
                if (r < 0)
                        return herr(-r, "systemd: %s %s: wait for the job", what, w->unit);
                if (r > 0)
                        continue;
                clock_gettime(CLOCK_MONOTONIC, &now);
                uint64_t spent = (uint64_t)(now.tv_sec - t0.tv_sec) * 1000000ULL +
                                 (uint64_t)((now.tv_nsec - t0.tv_nsec) / 1000);
                if (spent >= SD_TIMEOUT_USEC)
                        return herr(ETIMEDOUT, "systemd: %s %s: no answer", what, w->unit);
                r = sd.wait(bus, SD_TIMEOUT_USEC - spent);
                if (r < 0)
                        return herr(-r, "systemd: %s %s: wait for the job", what, w->unit);
        }
        if (strcmp(w->result, "done") != 0)
                return herr(0, "systemd: %s %s: job %s", what, w->unit, w->result);
        return 0;
}

/* Call a Manager method whose reply is a job, then wait for that job. */
static int call_job(sd_bus *bus, sd_bus_message *msg, const char *unit, const char *what,
                    bool *no_unit)
{
        struct job_wait w = {.unit = unit};
        sd_bus_slot *slot = NULL;
        sd_bus_error err = {0};
        sd_bus_message *reply = NULL;
        int r = sd.match_signal(bus, &slot, SD_DEST, SD_PATH, SD_IFACE, "JobRemoved",
                                on_job_removed, &w);
        if (r < 0)
                return herr(-r, "systemd: %s %s: subscribe to JobRemoved", what, unit);
        r = sd.call(bus, msg, SD_TIMEOUT_USEC, &err, &reply);
        int rc = 0;
        if (r < 0) {
                if (no_unit && err.name &&
                    (!strcmp(err.name, "org.freedesktop.systemd1.NoSuchUnit") ||
                     !strcmp(err.name, "org.freedesktop.systemd1.LoadFailed")))
                        *no_unit = true;
                else if (err.name && !strcmp(err.name, "org.freedesktop.systemd1.UnitExists"))
                        rc = herr(EEXIST, "systemd: %s %s: the unit already exists", what, unit);
                else
                        rc = herr(-r, "systemd: %s %s%s%s", what, unit, err.message ? ": " : "",
                                  err.message ? err.message : "");
        } else {
                rc = wait_job(bus, &w, what);
        }
        sd.error_free(&err);
        if (reply)
                sd.message_unref(reply);
        sd.slot_unref(slot);
        return rc;
}

static int start_unit(struct cgroup_manager *m, sd_bus *bus, const struct hull_resources *r)
{
        sd_bus_message *msg = NULL;
        int rc = sd.new_method_call(bus, &msg, SD_DEST, SD_PATH, SD_IFACE, "StartTransientUnit");
        if (rc >= 0)
                rc = sd.append(msg, "ss", m->unit, "fail");
        if (rc >= 0)
                rc = sd.open_container(msg, 'a', "(sv)");
        char desc[300];
        snprintf(desc, sizeof(desc), "hull container %s", m->id);
        bool v2 = m->version == 2;
        if (rc >= 0)
                rc = prop_s(msg, "Description", desc);
        if (rc >= 0)
                rc = prop_s(msg, "Slice", m->slice);
        if (rc >= 0)
                rc = prop_b(msg, "Delegate", true);
        if (rc >= 0)
                rc = prop_b(msg, "DefaultDependencies", false);
        if (rc >= 0)
                rc = prop_b(msg, "MemoryAccounting", true);
        if (rc >= 0)
                rc = prop_b(msg, "CPUAccounting", true);
        if (rc >= 0)
                rc = prop_b(msg, v2 ? "IOAccounting" : "BlockIOAccounting", true);
        if (rc >= 0)
                rc = prop_b(msg, "TasksAccounting", true);
        if (rc >= 0)
                rc = resource_props(m, msg, r);
        if (rc >= 0)
                rc = prop_open(msg, "PIDs", "au");
        if (rc >= 0)
                rc = sd.append(msg, "au", 1, (uint32_t)m->holder);
        if (rc >= 0)
                rc = prop_close(msg);
        if (rc >= 0)
                rc = sd.close_container(msg);
        if (rc >= 0)
                rc = sd.append(msg, "a(sa(sv))", 0);
        if (rc < 0) {
                if (msg)
                        sd.message_unref(msg);
                return herr(-rc, "systemd: start %s: build the request", m->unit);
        }
        rc = call_job(bus, msg, m->unit, "start", NULL);
        sd.message_unref(msg);
        return rc;
}

static int simple_call(sd_bus *bus, const char *method, const char *unit, bool job, bool *no_unit)
{
        sd_bus_message *msg = NULL;
        int r = sd.new_method_call(bus, &msg, SD_DEST, SD_PATH, SD_IFACE, method);
        if (r >= 0)
                r = job ? sd.append(msg, "ss", unit, "replace") : sd.append(msg, "s", unit);
        if (r < 0) {
                if (msg)
                        sd.message_unref(msg);
                return herr(-r, "systemd: %s %s", method, unit);
        }
        int rc;
        if (job) {
                rc = call_job(bus, msg, unit, "stop", no_unit);
        } else {
                sd_bus_error err = {0};
                sd_bus_message *reply = NULL;
                r = sd.call(bus, msg, SD_TIMEOUT_USEC, &err, &reply);
                rc = r < 0 ? herr(-r, "systemd: %s %s", method, unit) : 0;
                sd.error_free(&err);
                if (reply)
                        sd.message_unref(reply);
        }
        sd.message_unref(msg);
        return rc;
}

/* ---- the holder process ---- */

static int holder_start(struct cgroup_manager *m)
{
        pid_t parent = getpid();
        pid_t p = fork();
        if (p < 0)
                return herr(errno, "systemd: fork the scope's first process");
        if (p == 0) {
                prctl(PR_SET_PDEATHSIG, SIGKILL);
                if (getppid() != parent)
                        _exit(0);
                for (;;)
                        pause();
        }
        m->holder = p;
        return 0;
}

void cg_sd_release_holder(struct cgroup_manager *m)
{
        if (m->holder <= 0)
                return;
        kill(m->holder, SIGKILL);
        while (waitpid(m->holder, NULL, 0) < 0 && errno == EINTR)
                ;
        m->holder = 0;
}

/* ---- the driver ---- */

static int set_paths(struct cgroup_manager *m)
{
        char *sp;
        if (cg_sd_slice_path(m->slice, &sp) < 0)
                return herr_ctx("linux.cgroupsPath");
        char *inner = malloc(strlen(sp) + strlen(m->unit) + 2);
        if (!inner) {
                free(sp);
                return herr(ENOMEM, "cgroup");
        }
        sprintf(inner, "%s/%s", sp, m->unit);
        free(sp);
        int rc = 0;
        for (size_t i = 0; i < m->nh && rc == 0; i++)
                if (!(m->h[i].path = cg_join(m->h[i].mnt, inner)))
                        rc = herr(ENOMEM, "cgroup");
        if (rc == 0 && m->unified_mnt && !(m->dir = cg_join(m->unified_mnt, inner)))
                rc = herr(ENOMEM, "cgroup");
        free(inner);
        return rc;
}

int cg_sd_prepare(struct cgroup_manager *m, const struct cgroup_opts *o)
{
        m->systemd = true;
        m->version = cg_host_is_v2() ? 2 : 1;
        if (parse_path(m, o->cgroups_path) < 0 || cg_v1_discover(m) < 0 || set_paths(m) < 0)
                return -1;
        sd_bus *bus;
        if (sd_connect(&bus) < 0)
                return -1;
        int rc = holder_start(m);
        if (rc == 0)
                rc = start_unit(m, bus, o->resources);
        if (rc < 0) {
                cg_sd_release_holder(m);
                sd.flush_close_unref(bus);
                return -1;
        }
        rc = cg_finish_prepare(m, o->resources);
        if (rc < 0) {
                char saved[HERR_MAX];
                snprintf(saved, sizeof(saved), "%s", herr_msg());
                int e = herr_errno();
                cg_sd_release_holder(m);
                simple_call(bus, "StopUnit", m->unit, true, NULL);
                cg_v1_destroy(m);
                herr_set_raw(e, saved);
        }
        sd.flush_close_unref(bus);
        return rc < 0 ? -1 : 0;
}

int cg_sd_update(struct cgroup_manager *m, const struct hull_resources *r)
{
        sd_bus *bus;
        if (sd_connect(&bus) < 0)
                return -1;
        sd_bus_message *msg = NULL;
        int rc = sd.new_method_call(bus, &msg, SD_DEST, SD_PATH, SD_IFACE, "SetUnitProperties");
        if (rc >= 0)
                rc = sd.append(msg, "sb", m->unit, 1);
        if (rc >= 0)
                rc = sd.open_container(msg, 'a', "(sv)");
        if (rc >= 0)
                rc = resource_props(m, msg, r);
        if (rc >= 0)
                rc = sd.close_container(msg);
        int ret = 0;
        if (rc < 0) {
                ret = herr(-rc, "systemd: set properties of %s", m->unit);
        } else {
                sd_bus_error err = {0};
                sd_bus_message *reply = NULL;
                rc = sd.call(bus, msg, SD_TIMEOUT_USEC, &err, &reply);
                if (rc < 0)
                        ret = herr(-rc, "systemd: set properties of %s%s%s", m->unit,
                                   err.message ? ": " : "", err.message ? err.message : "");
                sd.error_free(&err);
                if (reply)
                        sd.message_unref(reply);
        }
        if (msg)
                sd.message_unref(msg);
        sd.flush_close_unref(bus);
        return ret;
}

int cg_sd_stop(struct cgroup_manager *m)
{
        sd_bus *bus;
        if (sd_connect(&bus) < 0)
                return -1;
        bool gone = false;
        int rc = simple_call(bus, "StopUnit", m->unit, true, &gone);
        if (rc == 0 && !gone)
                simple_call(bus, "ResetFailedUnit", m->unit, false, NULL);
        herr_clear();
        sd.flush_close_unref(bus);
        return rc;
}
