/* cmd_cgroup.c - `update`, `pause`, `resume`, `events` and `ps`: the
 * commands that work on a container's cgroup, with runc's flags, output
 * and messages. */
#include "cgroup.h"
#include "cli.h"
#include "config.h"
#include "container.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Options, --help, and the count of positional arguments (max < 0: any). */
static int parse(const char *cmd, const char *usage, const char *desc, const struct cli_opt *opts,
                 struct cli_val *v, int argc, char **argv, int *idx, int nmin, int nmax)
{
        *idx = 1;
        if (cli_parse(opts, v, argc, argv, idx) < 0)
                return -1;
        for (int i = 0; opts[i].name; i++) {
                if (!strcmp(opts[i].name, "help") && v[i].flag) {
                        cli_print_help(cmd, usage, desc, opts);
                        return 1;
                }
        }
        int n = argc - *idx;
        if (nmax < 0 && n < nmin)
                return herr(0, "\"%s\" requires a minimum of %d argument(s)", cmd, nmin);
        if (nmax >= 0 && (n < nmin || n > nmax))
                return herr(0, "\"%s\" requires exactly %d argument(s)", cmd, nmin);
        return 0;
}

/* ---- update ---- */

static const struct cli_opt update_opts[] = {
    {"resources", 'r', true,
     "path to a file with the resources to update (linux.resources JSON), or '-' for stdin; "
     "all other options are then ignored",
     "FILE"},
    {"blkio-weight", 0, true, "per cgroup block IO weight, 10 to 1000", "N"},
    {"cpu-period", 0, true, "CPU CFS period (microseconds)", "N"},
    {"cpu-quota", 0, true, "CPU CFS quota (microseconds) per period", "N"},
    {"cpu-burst", 0, true, "CPU CFS burst (microseconds) per period", "N"},
    {"cpu-share", 0, true, "CPU shares (relative weight)", "N"},
    {"cpu-shares", 0, true, "same as --cpu-share", "N"},
    {"cpu-rt-period", 0, true, "CPU realtime period (microseconds)", "N"},
    {"cpu-rt-runtime", 0, true, "CPU realtime runtime (microseconds) per period", "N"},
    {"cpuset-cpus", 0, true, "CPUs to use, e.g. 0-3,7", "LIST"},
    {"cpuset-mems", 0, true, "memory nodes to use", "LIST"},
    {"cpu-idle", 0, true, "1: SCHED_IDLE for the cgroup, 0: default", "N"},
    {"kernel-memory", 0, true, "kernel memory limit (obsolete)", "BYTES"},
    {"kernel-memory-tcp", 0, true, "kernel TCP buffer limit (obsolete)", "BYTES"},
    {"memory", 0, true, "memory limit (bytes, or with k/m/g suffix)", "BYTES"},
    {"memory-reservation", 0, true, "memory soft limit", "BYTES"},
    {"memory-swap", 0, true, "memory+swap limit; -1 for unlimited swap", "BYTES"},
    {"pids-limit", 0, true, "maximum number of processes", "N"},
    {"l3-cache-schema", 0, true, "Intel RDT/CAT L3 cache schema", "SCHEMA"},
    {"mem-bw-schema", 0, true, "Intel RDT/MBA memory bandwidth schema", "SCHEMA"},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum {
        U_RESOURCES,
        U_BLKIO_WEIGHT,
        U_CPU_PERIOD,
        U_CPU_QUOTA,
        U_CPU_BURST,
        U_CPU_SHARE,
        U_CPU_SHARES,
        U_CPU_RT_PERIOD,
        U_CPU_RT_RUNTIME,
        U_CPUSET_CPUS,
        U_CPUSET_MEMS,
        U_CPU_IDLE,
        U_KERNEL_MEMORY,
        U_KERNEL_MEMORY_TCP,
        U_MEMORY,
        U_MEMORY_RESERVATION,
        U_MEMORY_SWAP,
        U_PIDS_LIMIT,
        U_L3,
        U_MBA,
        U_HELP,
        U_COUNT
};

static int parse_u64(const char *opt, const char *s, uint64_t *out)
{
        char *end;
        errno = 0;
        unsigned long long v = strtoull(s, &end, 10);
        if (errno || end == s || *end || s[0] == '-')
                return herr(0, "invalid value for %s: \"%s\"", opt, s);
        *out = v;
        return 0;
}

static int parse_i64(const char *opt, const char *s, int64_t *out)
{
        char *end;
        errno = 0;
        long long v = strtoll(s, &end, 10);
        if (errno || end == s || *end)
                return herr(0, "invalid value for %s: \"%s\"", opt, s);
        *out = v;
        return 0;
}

/* docker's RAMInBytes: "1024", "512k", "1.5g", "64MiB"; "-1" is unlimited. */
static int parse_bytes(const char *opt, const char *s, int64_t *out)
{
        if (!strcmp(s, "-1")) {
                *out = -1;
                return 0;
        }
        char *end;
        errno = 0;
        double v = strtod(s, &end);
        if (errno || end == s || s[0] == '-' || s[0] == '+' || !isfinite(v))
                return herr(0, "invalid value for %s: invalid size: '%s'", opt, s);
        if (*end == ' ')
                end++;
        double mul = 1;
        const char *units = "kmgtp";
        const char *u = *end ? strchr(units, *end | 0x20) : NULL;
        if (u && *end) {
                for (const char *q = units; q <= u; q++)
                        mul *= 1024;
                end++;
        }
        if (*end == 'i' || *end == 'I')
                end++;
        if (*end == 'b' || *end == 'B')
                end++;
        if (*end || v * mul >= 9.2e18)
                return herr(0, "invalid value for %s: invalid size: '%s'", opt, s);
        *out = (int64_t)(v * mul);
        return 0;
}

static bool rdt_enabled(const char *what)
{
        char path[64];
        snprintf(path, sizeof(path), "/sys/fs/resctrl/info/%s", what);
        return access(path, F_OK) == 0;
}

/* linux.resources from a JSON document: parsed by the config parser, inside
 * a minimal config. */
static int resources_from_json(const char *file, struct hull_config *cfg)
{
        char *text;
        size_t len;
        if (!strcmp(file, "-")) {
                size_t cap = 4096;
                len = 0;
                text = malloc(cap);
                for (ssize_t n; text && (n = read(STDIN_FILENO, text + len, cap - len - 1)) != 0;) {
                        if (n < 0) {
                                if (errno == EINTR)
                                        continue;
                                free(text);
                                return herr(errno, "read resources from stdin");
                        }
                        len += (size_t)n;
                        if (len + 1 == cap) {
                                char *nt = realloc(text, cap *= 2);
                                if (!nt)
                                        free(text);
                                text = nt;
                        }
                }
                if (!text)
                        return herr(ENOMEM, "read resources");
                text[len] = '\0';
        } else if (read_file_at(AT_FDCWD, file, &text, &len) < 0) {
                return -1;
        }
        const char *name = strcmp(file, "-") ? file : "stdin";
        json_error_t jerr;
        json_t *j = json_loadb(text, len, 0, &jerr);
        bool obj = json_is_object(j);
        json_decref(j);
        if (!j && !strstr(jerr.text, "too big")) { /* the config parser takes big numbers */
                free(text);
                return herr(0, "--resources %s: invalid JSON at line %d, column %d: %s", name,
                            jerr.line, jerr.column, jerr.text);
        }
        if (j && !obj) {
                free(text);
                return herr(0, "--resources %s: expected a JSON object (linux.resources)", name);
        }
        static const char head[] = "{\"ociVersion\":\"1.0.0\",\"linux\":{\"resources\":";
        size_t hl = sizeof(head) - 1;
        char *doc = malloc(hl + len + 3);
        if (!doc) {
                free(text);
                return herr(ENOMEM, "resources");
        }
        memcpy(doc, head, hl);
        memcpy(doc + hl, text, len);
        memcpy(doc + hl + len, "}}", 3);
        free(text);
        int rc = config_parse(cfg, doc, hl + len + 2, name);
        free(doc);
        return rc;
}

static int update_from_flags(struct cli_val *v, struct hull_resources *r)
{
        uint64_t u = 0;
        int64_t i = 0;
        if (v[U_BLKIO_WEIGHT].set) {
                if (parse_u64("blkio-weight", v[U_BLKIO_WEIGHT].str, &u) < 0)
                        return -1;
                if (u) {
                        if (u > UINT16_MAX)
                                return herr(0, "invalid value for blkio-weight: \"%s\"",
                                            v[U_BLKIO_WEIGHT].str);
                        r->block_io.present = r->block_io.has_weight = true;
                        r->block_io.weight = (uint16_t)u;
                }
        }
        const char *cpus = v[U_CPUSET_CPUS].str, *mems = v[U_CPUSET_MEMS].str;
        if (cpus && *cpus)
                r->cpu.present = true, r->cpu.cpus = cpus;
        if (mems && *mems)
                r->cpu.present = true, r->cpu.mems = mems;
        if (v[U_CPU_IDLE].set) {
                if (parse_i64("cpu-idle", v[U_CPU_IDLE].str, &r->cpu.idle) < 0)
                        return -1;
                r->cpu.present = r->cpu.has_idle = true;
        }
        struct {
                int opt;
                const char *name;
                bool *has;
                uint64_t *dst;
        } uopts[] = {
            {U_CPU_BURST, "cpu-burst", &r->cpu.has_burst, &r->cpu.burst},
            {U_CPU_PERIOD, "cpu-period", &r->cpu.has_period, &r->cpu.period},
            {U_CPU_RT_PERIOD, "cpu-rt-period", &r->cpu.has_realtime_period,
             &r->cpu.realtime_period},
            {U_CPU_SHARE, "cpu-share", &r->cpu.has_shares, &r->cpu.shares},
            {U_CPU_SHARES, "cpu-shares", &r->cpu.has_shares, &r->cpu.shares},
        };
        for (size_t k = 0; k < sizeof(uopts) / sizeof(uopts[0]); k++) {
                if (!v[uopts[k].opt].set || !v[uopts[k].opt].str[0])
                        continue;
                if (parse_u64(uopts[k].name, v[uopts[k].opt].str, uopts[k].dst) < 0)
                        return -1;
                r->cpu.present = *uopts[k].has = true;
        }
        struct {
                int opt;
                const char *name;
                bool *has;
                int64_t *dst;
        } iopts[] = {
            {U_CPU_QUOTA, "cpu-quota", &r->cpu.has_quota, &r->cpu.quota},
            {U_CPU_RT_RUNTIME, "cpu-rt-runtime", &r->cpu.has_realtime_runtime,
             &r->cpu.realtime_runtime},
        };
        for (size_t k = 0; k < sizeof(iopts) / sizeof(iopts[0]); k++) {
                if (!v[iopts[k].opt].set || !v[iopts[k].opt].str[0])
                        continue;
                if (parse_i64(iopts[k].name, v[iopts[k].opt].str, iopts[k].dst) < 0)
                        return -1;
                r->cpu.present = *iopts[k].has = true;
        }
        struct {
                int opt;
                const char *name;
                bool *has;
                int64_t *dst;
        } mopts[] = {
            {U_MEMORY, "memory", &r->memory.has_limit, &r->memory.limit},
            {U_MEMORY_SWAP, "memory-swap", &r->memory.has_swap, &r->memory.swap},
            {U_MEMORY_RESERVATION, "memory-reservation", &r->memory.has_reservation,
             &r->memory.reservation},
            {U_KERNEL_MEMORY, "kernel-memory", &r->memory.has_kernel, &r->memory.kernel},
            {U_KERNEL_MEMORY_TCP, "kernel-memory-tcp", &r->memory.has_kernel_tcp,
             &r->memory.kernel_tcp},
        };
        for (size_t k = 0; k < sizeof(mopts) / sizeof(mopts[0]); k++) {
                if (!v[mopts[k].opt].set || !v[mopts[k].opt].str[0])
                        continue;
                if (parse_bytes(mopts[k].name, v[mopts[k].opt].str, mopts[k].dst) < 0)
                        return -1;
                r->memory.present = *mopts[k].has = true;
        }
        /* as runc: unlimited memory without a word on swap means unlimited swap */
        if (r->memory.has_limit && r->memory.limit == -1 && !r->memory.has_swap) {
                r->memory.has_swap = true;
                r->memory.swap = -1;
        }
        if (v[U_PIDS_LIMIT].set) {
                if (parse_i64("pids-limit", v[U_PIDS_LIMIT].str, &i) < 0)
                        return -1;
                if (i != 0) { /* runc: 0 is "not given" */
                        r->pids.present = true;
                        r->pids.limit = i;
                }
        }
        r->present = true;
        return 0;
}

int cmd_update(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[U_COUNT] = {0};
        struct hull_config cfg = {0};
        struct hull_resources flags = {0};
        struct container *c = NULL;
        int idx, rc = parse("update", "[command options] <container-id>",
                            "Update the resource limits of a container.", update_opts, v, argc,
                            argv, &idx, 1, 1);
        if (rc != 0)
                goto out;
        rc = -1;
        if (v[U_L3].set && v[U_L3].str[0] && !rdt_enabled("L3")) {
                herr(0, "Intel RDT/CAT: l3 cache schema is not enabled");
                goto out;
        }
        if (v[U_MBA].set && v[U_MBA].str[0] && !rdt_enabled("MB")) {
                herr(0, "Intel RDT/MBA: memory bandwidth schema is not enabled");
                goto out;
        }
        if ((v[U_L3].set && v[U_L3].str[0]) || (v[U_MBA].set && v[U_MBA].str[0])) {
                herr(ENOTSUP, "Intel RDT");
                goto out;
        }
        const struct hull_resources *r;
        if (v[U_RESOURCES].set && v[U_RESOURCES].str[0]) {
                if (resources_from_json(v[U_RESOURCES].str, &cfg) < 0)
                        goto out;
                r = &cfg.linux_.resources;
                if (r->n_devices)
                        log_warn("update: linux.resources.devices cannot be changed: ignored");
        } else {
                if (update_from_flags(v, &flags) < 0)
                        goto out;
                r = &flags;
        }
        if (container_open(g, argv[idx], CT_LOCK_EXCLUSIVE, &c) < 0)
                goto out;
        if (c->status == CT_STOPPED) {
                herr(0, "container not running");
                goto out;
        }
        struct cgroup_manager *cg;
        if (container_cgroup(c, &cg) < 0 || cgroup_update(cg, r) < 0)
                goto out;
        rc = 0;
out:
        container_close(c);
        config_free(&cfg);
        cli_free(update_opts, v);
        if (rc < 0)
                return log_fail();
        return 0;
}

/* ---- pause / resume ---- */

static const struct cli_opt help_only[] = {
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

static int freeze_cmd(const struct hull_global *g, int argc, char **argv, bool pause)
{
        const char *name = pause ? "pause" : "resume";
        struct cli_val v[2] = {0};
        int idx, rc = parse(name, "<container-id>",
                            pause ? "Suspend every process of a container (cgroup freezer)."
                                  : "Resume the processes of a paused container.",
                            help_only, v, argc, argv, &idx, 1, 1);
        cli_free(help_only, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_EXCLUSIVE, &c) < 0)
                return log_fail();
        struct cgroup_manager *cg;
        rc = -1;
        if (pause && c->status != CT_RUNNING)
                herr(0, "container not running");
        else if (!pause && c->status != CT_PAUSED)
                herr(0, "container not paused");
        else if (container_cgroup(c, &cg) == 0 && cgroup_freeze(cg, pause) == 0) {
                json_object_set_new(c->state, "status", json_string(pause ? "paused" : "running"));
                if (container_save(c) == 0)
                        rc = 0;
                else if (pause) /* not recorded: do not leave it frozen */
                        cgroup_freeze(cg, false);
        }
        container_close(c);
        return rc < 0 ? log_fail() : 0;
}

int cmd_pause(const struct hull_global *g, int argc, char **argv)
{
        return freeze_cmd(g, argc, argv, true);
}

int cmd_resume(const struct hull_global *g, int argc, char **argv)
{
        return freeze_cmd(g, argc, argv, false);
}

/* ---- events ---- */

static const struct cli_opt events_opts[] = {
    {"interval", 0, true, "stats collection interval (default 5s)", "DURATION"},
    {"stats", 0, false, "print the container's stats once, then exit", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

/* Go's time.ParseDuration subset: "5s", "100ms", "1m30s", "1.5h", "250us". */
static int parse_duration(const char *s, int64_t *ms)
{
        double total = 0;
        const char *p = s;
        if (!*p)
                return -1;
        if (!strcmp(p, "0")) {
                *ms = 0;
                return 0;
        }
        while (*p) {
                char *end;
                double v = strtod(p, &end);
                if (end == p || v < 0)
                        return -1;
                p = end;
                static const struct {
                        const char *u;
                        double ms;
                } units[] = {{"ns", 1e-6}, {"us", 1e-3}, {"µs", 1e-3},  {"ms", 1},
                             {"s", 1000},  {"m", 60000}, {"h", 3600000}};
                size_t best = 0, bl = 0;
                for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
                        size_t l = strlen(units[i].u);
                        if (!strncmp(p, units[i].u, l) && l > bl)
                                best = i, bl = l;
                }
                if (!bl)
                        return -1;
                total += v * units[best].ms;
                p += bl;
        }
        *ms = (int64_t)total;
        return 0;
}

static int print_event(const char *type, const char *id, json_t *data)
{
        json_t *o = json_object();
        json_object_set_new(o, "type", json_string(type));
        json_object_set_new(o, "id", json_string(id));
        if (data)
                json_object_set(o, "data", data);
        char *s = cgroup_json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!s)
                return herr(ENOMEM, "events");
        printf("%s\n", s);
        fflush(stdout);
        free(s);
        return 0;
}

int cmd_events(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[4] = {0};
        int idx, rc = parse("events", "[command options] <container-id>",
                            "Print container events (OOM notifications) and resource statistics "
                            "every interval.",
                            events_opts, v, argc, argv, &idx, 1, 1);
        int64_t interval = 5000;
        if (rc == 0 && v[0].set && parse_duration(v[0].str, &interval) < 0)
                rc = herr(0, "invalid value \"%s\" for flag -interval: parse error", v[0].str);
        if (rc == 0 && interval <= 0)
                rc = herr(0, "duration interval must be greater than 0");
        bool once = v[1].flag;
        cli_free(events_opts, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_NONE, &c) < 0)
                return log_fail();
        struct cgroup_manager *cg;
        rc = -1;
        if (c->status == CT_STOPPED) {
                herr(0, "container with id %s is not running", c->id);
                goto out;
        }
        if (container_cgroup(c, &cg) < 0)
                goto out;
        if (once) {
                json_t *data;
                if (cgroup_stats(cg, &data) < 0)
                        goto out;
                rc = print_event("stats", c->id, data);
                json_decref(data);
                goto out;
        }
        int ofd = -1;
        if (cgroup_oom_watch(cg, &ofd) < 0) {
                log_warn("%s: no OOM events", herr_msg());
                ofd = -1;
        }
        struct timespec next;
        clock_gettime(CLOCK_MONOTONIC, &next);
        for (;;) {
                if (container_status(c) == CT_STOPPED) {
                        /* an OOM kill may be what stopped it: report it */
                        int k = ofd >= 0 ? cgroup_oom_check(cg, ofd) : 0;
                        for (int i = 0; i < k; i++)
                                print_event("oom", c->id, NULL);
                        break;
                }
                struct timespec now;
                clock_gettime(CLOCK_MONOTONIC, &now);
                int64_t left =
                    (next.tv_sec - now.tv_sec) * 1000 + (next.tv_nsec - now.tv_nsec) / 1000000;
                if (left <= 0) {
                        json_t *data;
                        if (cgroup_stats(cg, &data) == 0) {
                                print_event("stats", c->id, data);
                                json_decref(data);
                        } else {
                                log_error("%s", herr_msg());
                        }
                        next.tv_sec += interval / 1000;
                        next.tv_nsec += (interval % 1000) * 1000000;
                        if (next.tv_nsec >= 1000000000) {
                                next.tv_sec++;
                                next.tv_nsec -= 1000000000;
                        }
                        continue;
                }
                /* wake up at least once a second to notice the container's end */
                struct pollfd p = {.fd = ofd, .events = POLLIN};
                int n = poll(&p, ofd >= 0 ? 1 : 0, (int)(left < 1000 ? left : 1000));
                if (n > 0 && (p.revents & POLLIN)) {
                        int k = cgroup_oom_check(cg, ofd);
                        if (k < 0)
                                break;
                        for (int i = 0; i < k; i++)
                                print_event("oom", c->id, NULL);
                }
        }
        if (ofd >= 0)
                close(ofd);
        herr_clear();
        rc = 0;
out:
        container_close(c);
        return rc < 0 ? log_fail() : 0;
}

/* ---- ps ---- */

static const struct cli_opt ps_opts[] = {
    {"format", 'f', true, "table or json", "FORMAT"},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

/* Run ps(1) with args; its stdout and stderr together. */
static int run_ps(char **args, int nargs, char **out)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return herr(errno, "pipe");
        pid_t pid = fork();
        if (pid < 0) {
                close(p[0]);
                close(p[1]);
                return herr(errno, "fork ps");
        }
        if (pid == 0) {
                dup2(p[1], STDOUT_FILENO);
                dup2(p[1], STDERR_FILENO);
                char *argvv[nargs + 2];
                argvv[0] = "ps";
                for (int i = 0; i < nargs; i++)
                        argvv[i + 1] = args[i];
                argvv[nargs + 1] = NULL;
                execvp("ps", argvv);
                dprintf(STDERR_FILENO, "exec ps: %s\n", herr_errno_text(errno));
                _exit(127);
        }
        close(p[1]);
        size_t cap = 8192, len = 0;
        char *buf = malloc(cap);
        for (ssize_t n; buf && (n = read(p[0], buf + len, cap - len - 1)) != 0;) {
                if (n < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                len += (size_t)n;
                if (len + 1 == cap) {
                        char *nb = realloc(buf, cap *= 2);
                        if (!nb)
                                free(buf);
                        buf = nb;
                }
        }
        close(p[0]);
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        if (!buf)
                return herr(ENOMEM, "ps output");
        buf[len] = '\0';
        if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
                herr(0, "ps: exit status %d: %s",
                     WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st), buf);
                free(buf);
                return -1;
        }
        *out = buf;
        return 0;
}

static int ps_table(pid_t *pids, size_t n, char **args, int nargs)
{
        char *def[] = {"-ef"};
        char *out = NULL;
        if (run_ps(nargs ? args : def, nargs ? nargs : 1, &out) < 0)
                return -1;
        char *save, *line = strtok_r(out, "\n", &save);
        if (!line) {
                free(out);
                return herr(0, "couldn't find PID field in ps output");
        }
        /* the column of PID in the header */
        int col = -1, k = 0;
        char hdr[4096];
        snprintf(hdr, sizeof(hdr), "%s", line);
        for (char *s2, *t = strtok_r(hdr, " \t", &s2); t; t = strtok_r(NULL, " \t", &s2), k++)
                if (!strcmp(t, "PID")) {
                        col = k;
                        break;
                }
        if (col < 0) {
                free(out);
                return herr(0, "couldn't find PID field in ps output");
        }
        printf("%s\n", line);
        int rc = 0;
        while ((line = strtok_r(NULL, "\n", &save))) {
                char tmp[4096], *s2, *t;
                snprintf(tmp, sizeof(tmp), "%s", line);
                t = strtok_r(tmp, " \t", &s2);
                for (int i = 0; t && i < col; i++)
                        t = strtok_r(NULL, " \t", &s2);
                char *end;
                long p = t ? strtol(t, &end, 10) : 0;
                if (!t || *end) {
                        rc = herr(0, "unable to parse pid: %s", t ? t : "(missing)");
                        break;
                }
                for (size_t i = 0; i < n; i++) {
                        if (pids[i] == (pid_t)p) {
                                printf("%s\n", line);
                                break;
                        }
                }
        }
        free(out);
        return rc;
}

int cmd_ps(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[3] = {0};
        int idx, rc = parse("ps", "[command options] <container-id> [ps options]",
                            "List the processes running in a container (ps -ef by default).",
                            ps_opts, v, argc, argv, &idx, 1, -1);
        const char *fmt = v[0].str ? v[0].str : "table";
        bool json = !strcmp(fmt, "json");
        if (rc == 0 && !json && strcmp(fmt, "table"))
                rc = herr(0, "invalid format option");
        cli_free(ps_opts, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_NONE, &c) < 0)
                return log_fail();
        struct cgroup_manager *cg;
        pid_t *pids = NULL;
        size_t n = 0;
        rc = -1;
        if (container_cgroup(c, &cg) == 0 && cgroup_pids(cg, &pids, &n) == 0) {
                if (json) {
                        printf("[");
                        for (size_t i = 0; i < n; i++)
                                printf("%s%d", i ? "," : "", (int)pids[i]);
                        printf("]\n");
                        rc = 0;
                } else {
                        rc = ps_table(pids, n, argv + idx + 1, argc - idx - 1);
                }
        }
        free(pids);
        container_close(c);
        return rc < 0 ? log_fail() : 0;
}
