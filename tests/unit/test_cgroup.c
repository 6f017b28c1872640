/* test_cgroup.c - the cgroup module (cgroup.h) against the real kernel.
 *
 * Needs root.  Works on what the host has: cgroup v1 (or hybrid) or pure
 * v2; with systemd as PID 1 on v2 it also tests the systemd driver.  Every
 * cgroup it makes is named hull-test-<pid>..., and all of them (and any
 * process in them) are removed at exit, also after a failure or a signal.
 * Prints TAP lines and "N passed, M failed"; exit status 1 on a failure.
 */
#if defined(__GNUC__) && !defined(__clang__)
/* paths are built into PATH_MAX buffers; a cut one just fails a check */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif
#include "cgroup.h"
#include "cgroup_internal.h"
#include "config.h"
#include "error.h"
#include "sys.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int ntest, npass, nfail;
static char tag[64];     /* hull-test-<pid> */
static char sd_unit[96]; /* systemd scope to stop at exit */
static bool is_v2;

static void check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool cond, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        printf("%s %d - ", cond ? "ok" : "not ok", ++ntest);
        vprintf(fmt, ap);
        printf("\n");
        va_end(ap);
        fflush(stdout);
        if (cond)
                npass++;
        else
                nfail++;
}

static void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void skip(const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        printf("ok %d - # SKIP ", ++ntest);
        vprintf(fmt, ap);
        printf("\n");
        va_end(ap);
        npass++;
}

/* ---- files ---- */

static char *slurp(const char *dir, const char *file)
{
        static char buf[8][16384];
        static int k;
        char *b = buf[k++ % 8];
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s%s%s", dir, file ? "/" : "", file ? file : "");
        b[0] = '\0';
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return b;
        ssize_t n = read(fd, b, sizeof(buf[0]) - 1);
        close(fd);
        if (n < 0)
                n = 0;
        b[n] = '\0';
        while (n > 0 && (b[n - 1] == '\n' || b[n - 1] == ' '))
                b[--n] = '\0';
        return b;
}

static void expect_file(const char *dir, const char *file, const char *want)
{
        if (!dir) {
                skip("%s: controller not mounted here", file);
                return;
        }
        const char *got = slurp(dir, file);
        check(strcmp(got, want) == 0, "%s/%s = \"%s\" (got \"%s\")", dir, file, want, got);
}

static void expect_contains(const char *dir, const char *file, const char *want)
{
        if (!dir) {
                skip("%s: controller not mounted here", file);
                return;
        }
        const char *got = slurp(dir, file);
        check(strstr(got, want) != NULL, "%s/%s contains \"%s\"", dir, file, want);
}

static bool is_dir(const char *p)
{
        struct stat st;
        return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

/* ---- cleanup: every cgroup named tag*, even after a failure ---- */

static void kill_and_remove(const char *dir)
{
        DIR *d = opendir(dir);
        if (d) {
                struct dirent *e;
                while ((e = readdir(d)))
                        if (e->d_type == DT_DIR && e->d_name[0] != '.') {
                                char sub[PATH_MAX];
                                snprintf(sub, sizeof(sub), "%s/%s", dir, e->d_name);
                                kill_and_remove(sub);
                        }
                closedir(d);
        }
        char *procs = slurp(dir, "cgroup.procs");
        for (char *p = procs; *p;) {
                char *end;
                long pid = strtol(p, &end, 10);
                if (end == p)
                        break;
                if (pid > 1 && pid != getpid())
                        kill((pid_t)pid, SIGKILL);
                p = end;
        }
        for (int i = 0; i < 100 && rmdir(dir) < 0 && errno == EBUSY; i++)
                usleep(10000);
}

static void cleanup_under(const char *mnt)
{
        DIR *d = opendir(mnt);
        if (!d)
                return;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_type == DT_DIR && !strncmp(e->d_name, tag, strlen(tag))) {
                        char p[PATH_MAX];
                        snprintf(p, sizeof(p), "%s/%s", mnt, e->d_name);
                        kill_and_remove(p);
                }
        }
        closedir(d);
}

static void cleanup(void)
{
        if (sd_unit[0]) {
                char cmd[256];
                snprintf(cmd, sizeof(cmd), "systemctl stop %s >/dev/null 2>&1", sd_unit);
                if (system(cmd) != 0) {
                        /* already gone */
                }
        }
        FILE *f = fopen("/proc/self/mountinfo", "r");
        char line[4096];
        while (f && fgets(line, sizeof(line), f)) {
                char mnt[PATH_MAX], type[64];
                const char *sep = strstr(line, " - ");
                if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
                    sscanf(sep + 3, "%63s", type) != 1)
                        continue;
                if (strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
                        continue;
                cleanup_under(mnt);
        }
        if (f)
                fclose(f);
        while (waitpid(-1, NULL, WNOHANG) > 0)
                ;
}

static pid_t main_pid;

static void on_signal(int sig)
{
        if (getpid() != main_pid) {
                signal(sig, SIG_DFL);
                raise(sig);
        }
        exit(2); /* runs cleanup() */
}

/* ---- children in the cgroup ---- */

typedef int (*child_fn)(void *);

static pid_t spawn(struct cgroup_manager *m, child_fn fn, void *arg)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return -1;
        int cfd = cgroup_clone_fd(m);
        struct hull_clone_args ca = {.exit_signal = SIGCHLD};
        if (cfd >= 0) {
                ca.flags = CLONE_INTO_CGROUP;
                ca.cgroup = (uint64_t)cfd;
        }
        pid_t pid = sys_clone3(&ca);
        if (pid < 0 && cfd >= 0) {
                cgroup_clone_fallback(m);
                ca.flags = 0;
                pid = sys_clone3(&ca);
        }
        if (pid == 0) {
                signal(SIGTERM, SIG_DFL);
                signal(SIGINT, SIG_DFL);
                signal(SIGHUP, SIG_DFL);
                close(p[0]);
                if (cgroup_join_self(m) < 0) {
                        dprintf(2, "# child: %s\n", herr_msg());
                        _exit(99);
                }
                if (write(p[1], "x", 1) != 1)
                        _exit(98);
                close(p[1]);
                _exit(fn ? fn(arg) : 0);
        }
        close(p[1]);
        char c;
        if (pid > 0 && read(p[0], &c, 1) != 1) {
                waitpid(pid, NULL, 0);
                pid = -1;
        }
        close(p[0]);
        return pid;
}

static int wait_status(pid_t pid)
{
        int st = 0;
        while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
                ;
        return st;
}

static int child_pause(void *arg)
{
        (void)arg;
        for (;;)
                pause();
        return 0;
}

/* forks until refused: the number of forks that worked */
static int child_forks(void *arg)
{
        (void)arg;
        int ok = 0;
        pid_t kids[16];
        for (int i = 0; i < 10; i++) {
                pid_t p = fork();
                if (p == 0) {
                        pause();
                        _exit(0);
                }
                if (p > 0)
                        kids[ok++] = p;
        }
        for (int i = 0; i < ok; i++) {
                kill(kids[i], SIGKILL);
                waitpid(kids[i], NULL, 0);
        }
        return ok;
}

/* 0: /dev/null opens and /dev/kmsg is refused (EPERM) */
static int child_devices(void *arg)
{
        (void)arg;
        int fd = open("/dev/null", O_RDWR);
        if (fd < 0)
                return 1;
        close(fd);
        fd = open("/dev/kmsg", O_RDONLY);
        if (fd >= 0)
                return 2;
        return errno == EPERM ? 0 : 3;
}

static int child_hog(void *arg)
{
        size_t n = (size_t)(uintptr_t)arg;
        char *p = mmap(NULL, n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (p == MAP_FAILED)
                return 1;
        for (size_t i = 0; i < n; i += 4096)
                p[i] = 1;
        return 0;
}

/* The child's cgroup in each hierarchy is `inner`. */
static void expect_membership(pid_t pid, struct cgroup_manager *m, const char *inner)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
        char *text = slurp(path, NULL);
        int lines = 0, good = 0;
        for (char *l = text, *save; (l = strtok_r(l, "\n", &save)); l = NULL) {
                char *c2 = strchr(strchr(l, ':') + 1, ':');
                lines++;
                if (!strcmp(c2 + 1, inner))
                        good++;
                else
                        printf("# %s\n", l);
        }
        size_t want = m->nh + (m->dir && m->version == 1 ? 1 : 0) + (m->version == 2 ? 1 : 0);
        check(lines >= (int)want && good == lines,
              "child %d is in %s in all %d hierarchies (%d match)", (int)pid, inner, lines, good);
}

/* ---- pure logic ---- */

static void test_logic(void)
{
        check(cg_shares_to_weight(1024) == 39, "shares 1024 -> cpu.weight 39");
        check(cg_shares_to_weight(2) == 1 && cg_shares_to_weight(262144) == 10000,
              "shares 2 / 262144 -> weight 1 / 10000");
        check(cg_blkio_to_io_weight(500) == 4950, "blkio weight 500 -> io.weight 4950");
        int64_t sw;
        bool set;
        check(cg_swap_v2(100, 200, &sw, &set) == 0 && set && sw == 100, "swap 200 - limit 100");
        check(cg_swap_v2(-1, 0, &sw, &set) == 0 && set && sw == -1, "unlimited memory: swap max");
        check(cg_swap_v2(100, 0, &sw, &set) == 0 && !set, "no swap given: nothing written");
        int rc = cg_swap_v2(100, 50, &sw, &set);
        check(rc < 0 && strstr(herr_msg(), "memory.swap"), "swap below limit refused: %s",
              herr_msg());
        char *sp;
        check(cg_sd_slice_path("a-b-c.slice", &sp) == 0 &&
                  !strcmp(sp, "/a.slice/a-b.slice/a-b-c.slice"),
              "slice a-b-c.slice -> /a.slice/a-b.slice/a-b-c.slice");
        free(sp);
        check(cg_sd_slice_path("-.slice", &sp) == 0 && !strcmp(sp, ""), "-.slice is the root");
        free(sp);
        check(cg_sd_slice_path("foo", &sp) < 0, "foo is no slice");

        struct cg_dev_set s;
        struct hull_device_rule deny_all = {.allow = false, .type = 'a', .access = "rwm"};
        struct hull_resources r = {.devices = &deny_all, .n_devices = 1};
        rc = cg_dev_compute(&r, &s);
        check(rc == 0 && !s.default_allow && s.n == 11,
              "deny all + defaults: deny by default, 11 exceptions (%zu)", s.n);
        cg_dev_free(&s);
        struct hull_device_rule allow_all = {.allow = true, .type = 'a', .access = "rwm"};
        r.devices = &allow_all;
        check(cg_dev_compute(&r, &s) == 0 && s.default_allow && s.n == 0,
              "allow all: allow by default, no exception");
        void *prog;
        size_t n;
        check(cg_dev_bpf_build(&s, &prog, &n) == 0 && n == 8, "allow-all program: 8 insns");
        free(prog);
        cg_dev_free(&s);
        struct hull_device_rule hole[] = {
            {.allow = false, .type = 'a', .access = "rwm"},
            {.allow = true,
             .type = 'c',
             .has_major = true,
             .major = 4,
             .minor = -1,
             .access = "rw"},
            {.allow = false,
             .type = 'c',
             .has_major = true,
             .major = 4,
             .has_minor = true,
             .minor = 1,
             .access = "w"},
        };
        r.devices = hole;
        r.n_devices = 3;
        rc = cg_dev_compute(&r, &s);
        check(rc < 0 && strstr(herr_msg(), "devices[2]"),
              "punching a hole in a wildcard is refused: %s", herr_msg());
        struct hull_device_rule merge[] = {
            {.allow = false, .type = 'a', .access = "rwm"},
            {.allow = true,
             .type = 'c',
             .has_major = true,
             .major = 4,
             .has_minor = true,
             .minor = 1,
             .access = "r"},
            {.allow = true,
             .type = 'c',
             .has_major = true,
             .major = 4,
             .has_minor = true,
             .minor = 1,
             .access = "w"},
            {.allow = false,
             .type = 'c',
             .has_major = true,
             .major = 4,
             .has_minor = true,
             .minor = 1,
             .access = "r"},
        };
        r.devices = merge;
        r.n_devices = 4;
        bool found = false;
        if (cg_dev_compute(&r, &s) == 0)
                for (size_t i = 0; i < s.n; i++)
                        found |= s.rules[i].major == 4 && s.rules[i].minor == 1 &&
                                 s.rules[i].access == CG_DEV_W;
        check(found, "allow r, allow w, deny r on c 4:1 leaves w");
        rc = cg_dev_bpf_build(&s, &prog, &n);
        check(rc == 0, "whitelist program builds (%zu insns)", n);
        free(prog);
        cg_dev_free(&s);
}

/* cgroupsPath rules, without making anything */
static void test_paths(void)
{
        struct cgroup_manager *m = cg_manager_new("myid");
        m->version = cg_host_is_v2() ? 2 : 1;
        if (cg_v1_discover(m) < 0) {
                check(false, "discover: %s", herr_msg());
                cgroup_free(m);
                return;
        }
        char want[PATH_MAX];
        check(cg_set_paths(m, "/x/./y//../z/") == 0, "absolute path accepted");
        const char *got = m->version == 2 ? m->dir : m->h[0].path;
        const char *mnt = m->version == 2 ? m->unified_mnt : m->h[0].mnt;
        snprintf(want, sizeof(want), "%s/x/z", mnt);
        check(got && !strcmp(got, want), "/x/./y//../z/ -> %s (got %s)", want, got);
        for (size_t i = 0; i < m->nh; i++) {
                free(m->h[i].path);
                m->h[i].path = NULL;
        }
        free(m->dir);
        m->dir = NULL;
        check(cg_set_paths(m, "../../rel") == 0, "relative path accepted");
        if (m->version == 1) {
                bool all = true;
                for (size_t i = 0; i < m->nh; i++) {
                        struct cg_hier *h = &m->h[i];
                        snprintf(want, sizeof(want), "%s%s/rel", h->mnt,
                                 strcmp(h->own, "/") ? h->own : "");
                        if (strcmp(h->path, want)) {
                                all = false;
                                printf("# %s: %s, want %s\n", h->name, h->path, want);
                        }
                }
                check(all, "relative: below the caller's cgroup of each v1 hierarchy");
        } else {
                char own[PATH_MAX];
                snprintf(own, sizeof(own), "%s", m->unified_own);
                char *sl = strrchr(own, '/');
                if (sl)
                        *sl = '\0';
                snprintf(want, sizeof(want), "%s%s/rel", m->unified_mnt, own);
                check(!strcmp(m->dir, want),
                      "relative on v2: below the parent of the caller's "
                      "cgroup: %s (got %s)",
                      want, m->dir);
        }
        for (size_t i = 0; i < m->nh; i++) {
                free(m->h[i].path);
                m->h[i].path = NULL;
        }
        free(m->dir);
        m->dir = NULL;
        check(cg_set_paths(m, NULL) == 0 &&
                  !strcmp(strrchr(m->version == 2 ? m->dir : m->h[0].path, '/'), "/myid"),
              "no cgroupsPath: the container id, relative");
        for (size_t i = 0; i < m->nh; i++) {
                free(m->h[i].path);
                m->h[i].path = NULL;
        }
        free(m->dir);
        m->dir = NULL;
        int rc = cg_set_paths(m, "/..");
        check(rc < 0 && strstr(herr_msg(), "root cgroup"), "the root cgroup is refused: %s",
              herr_msg());
        cgroup_free(m);
}

/* ---- the cgroupfs driver on this host ---- */

static void pre_create(const char *name)
{
        /* a parent that exists before hull: must survive */
        FILE *f = fopen("/proc/self/mountinfo", "r");
        char line[4096];
        while (f && fgets(line, sizeof(line), f)) {
                char mnt[PATH_MAX], type[64];
                const char *sep = strstr(line, " - ");
                if (!sep || sscanf(line, "%*s %*s %*s %*s %4095s", mnt) != 1 ||
                    sscanf(sep + 3, "%63s", type) != 1)
                        continue;
                if (strcmp(type, "cgroup") && strcmp(type, "cgroup2"))
                        continue;
                char p[PATH_MAX];
                snprintf(p, sizeof(p), "%s/%s", mnt, name);
                mkdir(p, 0755);
                if (!strcmp(type, "cgroup") && strstr(line, "cpuset")) {
                        /* a v1 cpuset parent needs cpus and mems */
                        char v[256];
                        snprintf(v, sizeof(v), "%s", slurp(mnt, "cpuset.cpus"));
                        cg_write(NULL, p, "cpuset.cpus", v);
                        snprintf(v, sizeof(v), "%s", slurp(mnt, "cpuset.mems"));
                        cg_write(NULL, p, "cpuset.mems", v);
                }
        }
        if (f)
                fclose(f);
}

static const char *dir_of(struct cgroup_manager *m, int ctl)
{
        return m->version == 2 ? m->dir : cg_v1_path(m, ctl);
}

static void test_cgroupfs(void)
{
        char parent[128], inner[192], blockdev[32] = "";
        snprintf(parent, sizeof(parent), "%s", tag);
        snprintf(inner, sizeof(inner), "/%s/c1", tag);
        pre_create(parent);

        struct stat st;
        int64_t bmaj = -1, bmin = -1;
        static const char *const disks[] = {"/dev/vda", "/dev/sda", "/dev/nvme0n1", "/dev/loop0"};
        for (size_t i = 0; i < sizeof(disks) / sizeof(disks[0]); i++)
                if (stat(disks[i], &st) == 0 && S_ISBLK(st.st_mode)) {
                        bmaj = major(st.st_rdev);
                        bmin = minor(st.st_rdev);
                        snprintf(blockdev, sizeof(blockdev), "%s", disks[i]);
                        break;
                }

        struct hull_device_rule devs[] = {
            {.allow = false, .type = 'a', .access = "rwm"},
            {.allow = true,
             .type = 'c',
             .has_major = true,
             .major = 1,
             .has_minor = true,
             .minor = 3,
             .access = "rw"},
        };
        struct hull_throttle thr = {bmaj, bmin, 1048576};
        struct kv unified = {"memory.high", "150994944"};
        struct hull_resources r = {.present = true, .devices = devs, .n_devices = 2};
        r.memory.present = true;
        r.memory.has_limit = r.memory.has_reservation = r.memory.has_swap = true;
        r.memory.limit = 104857600;
        r.memory.reservation = 52428800;
        r.memory.swap = 209715200;
        if (!is_v2) {
                r.memory.has_kernel = r.memory.has_kernel_tcp = r.memory.has_swappiness = true;
                r.memory.has_disable_oom_killer = r.memory.has_use_hierarchy = true;
                r.memory.kernel = 67108864;
                r.memory.kernel_tcp = 16777216;
                r.memory.swappiness = 30;
                r.memory.disable_oom_killer = true;
                r.memory.use_hierarchy = true;
        }
        r.cpu.present = true;
        r.cpu.has_shares = r.cpu.has_quota = r.cpu.has_period = r.cpu.has_burst = true;
        r.cpu.shares = 512;
        r.cpu.quota = 50000;
        r.cpu.period = 200000;
        r.cpu.burst = 1000;
        r.cpu.cpus = "0";
        r.cpu.mems = "0";
        r.pids.present = true;
        r.pids.limit = 5;
        r.block_io.present = true;
        r.block_io.has_weight = true;
        r.block_io.weight = 300;
        if (bmaj >= 0) {
                r.block_io.read_bps = &thr;
                r.block_io.n_read_bps = 1;
        }
        if (is_v2) {
                r.unified = &unified;
                r.n_unified = 1;
        }
        struct cgroup_opts o = {.id = "c1", .cgroups_path = inner, .resources = &r};
        struct cgroup_manager *m = NULL;
        int rc = cgroup_prepare(&m, &o);
        check(rc == 0, "prepare %s with resources%s%s", inner, rc ? ": " : "",
              rc ? herr_msg() : "");
        if (rc < 0)
                return;
        check(cgroup_is_v2(m) == is_v2, "driver: cgroup v%d", is_v2 ? 2 : 1);

        /* every limit in its file */
        if (!is_v2) {
                const char *mem = dir_of(m, CTL_MEMORY), *cpu = dir_of(m, CTL_CPU);
                expect_file(mem, "memory.limit_in_bytes", "104857600");
                expect_file(mem, "memory.soft_limit_in_bytes", "52428800");
                expect_file(mem, "memory.memsw.limit_in_bytes", "209715200");
                expect_file(mem, "memory.kmem.tcp.limit_in_bytes", "16777216");
                expect_file(mem, "memory.swappiness", "30");
                expect_contains(mem, "memory.oom_control", "oom_kill_disable 1");
                expect_file(mem, "memory.use_hierarchy", "1");
                expect_file(cpu, "cpu.shares", "512");
                expect_file(cpu, "cpu.cfs_quota_us", "50000");
                expect_file(cpu, "cpu.cfs_period_us", "200000");
                expect_file(cpu, "cpu.cfs_burst_us", "1000");
                expect_file(dir_of(m, CTL_CPUSET), "cpuset.cpus", "0");
                expect_file(dir_of(m, CTL_CPUSET), "cpuset.mems", "0");
                expect_file(dir_of(m, CTL_PIDS), "pids.max", "5");
                const char *blk = dir_of(m, CTL_BLKIO);
                if (blk && cg_exists(blk, "blkio.weight"))
                        expect_file(blk, "blkio.weight", "300");
                else
                        expect_contains(blk, "blkio.bfq.weight", "300");
                if (bmaj >= 0) {
                        char want[64];
                        snprintf(want, sizeof(want), "%lld:%lld 1048576", (long long)bmaj,
                                 (long long)bmin);
                        expect_file(blk, "blkio.throttle.read_bps_device", want);
                }
                const char *dv = dir_of(m, CTL_DEVICES);
                expect_contains(dv, "devices.list", "c 1:3 rwm");
                expect_contains(dv, "devices.list", "c 136:* rwm");
                expect_contains(dv, "devices.list", "b *:* m");
                check(dv && !strstr(slurp(dv, "devices.list"), "a *:*"),
                      "devices.list is a whitelist");
        } else {
                const char *d = m->dir;
                expect_file(d, "memory.max", "104857600");
                expect_file(d, "memory.low", "52428800");
                if (cg_exists(d, "memory.swap.max"))
                        expect_file(d, "memory.swap.max", "104857600");
                else
                        skip("memory.swap.max: no swap accounting");
                expect_file(d, "memory.high", "150994944");
                expect_file(d, "cpu.weight", "20");
                expect_file(d, "cpu.max", "50000 200000");
                expect_file(d, "cpu.max.burst", "1000");
                expect_file(d, "cpuset.cpus", "0");
                expect_file(d, "cpuset.mems", "0");
                expect_file(d, "pids.max", "5");
                if (cg_exists(d, "io.bfq.weight"))
                        expect_contains(d, "io.bfq.weight", "300");
                else if (cg_exists(d, "io.weight")) {
                        char w[64];
                        snprintf(w, sizeof(w), "default %llu",
                                 (unsigned long long)cg_blkio_to_io_weight(300));
                        expect_contains(d, "io.weight", w);
                } else
                        skip("io weight: no io controller");
                if (bmaj >= 0 && cg_exists(d, "io.max")) {
                        char want[64];
                        snprintf(want, sizeof(want), "%lld:%lld rbps=1048576", (long long)bmaj,
                                 (long long)bmin);
                        expect_contains(d, "io.max", want);
                }
        }
        if (m->dir && m->version == 1)
                check(is_dir(m->dir), "hybrid: the unified hierarchy has %s too", m->dir);

        /* the init's join */
        pid_t a = spawn(m, child_pause, NULL);
        check(a > 0, "a child joins (clone3%s + cgroup_join_self)",
              m->dir ? " CLONE_INTO_CGROUP" : "");
        if (a > 0)
                expect_membership(a, m, inner);
        pid_t *pids;
        size_t n;
        check(cgroup_pids(m, &pids, &n) == 0 && n == 1 && pids[0] == a, "cgroup_pids: [%d]",
              (int)a);
        free(pids);

        /* stats */
        json_t *stats;
        rc = cgroup_stats(m, &stats);
        check(rc == 0, "stats%s%s", rc ? ": " : "", rc ? herr_msg() : "");
        if (rc == 0) {
                json_t *lim = json_object_get(
                    json_object_get(json_object_get(stats, "memory"), "usage"), "limit");
                check(json_integer_value(lim) == 104857600, "stats memory.usage.limit");
                check(json_integer_value(
                          json_object_get(json_object_get(stats, "pids"), "current")) == 1 &&
                          json_integer_value(
                              json_object_get(json_object_get(stats, "pids"), "limit")) == 5,
                      "stats pids current 1, limit 5");
                check(json_object_get(json_object_get(stats, "cpu"), "usage") != NULL &&
                          json_is_null(json_object_get(stats, "network_interfaces")),
                      "stats has runc's cpu.usage and network_interfaces");
                char *txt = cgroup_json_dumps(stats, JSON_COMPACT);
                check(txt && !strstr(txt, "u64:"), "stats JSON prints big numbers bare");
                printf("# %.300s...\n", txt ? txt : "");
                free(txt);
                json_decref(stats);
        }

        /* freezer */
        rc = cgroup_freeze(m, true);
        check(rc == 0 && cgroup_is_frozen(m) == 1, "freeze%s%s", rc ? ": " : "",
              rc ? herr_msg() : "");
        rc = cgroup_freeze(m, false);
        check(rc == 0 && cgroup_is_frozen(m) == 0, "thaw");

        /* kill all with a signal other than SIGKILL: freeze, signal, thaw */
        rc = cgroup_kill_all(m, SIGTERM);
        int ws = a > 0 ? wait_status(a) : 0;
        check(rc == 0 && WIFSIGNALED(ws) && WTERMSIG(ws) == SIGTERM, "kill all SIGTERM");
        check(cgroup_is_frozen(m) == 0, "not left frozen after kill all");

        /* pids limit: 5 in all, the forking child is one of them */
        pid_t f = spawn(m, child_forks, NULL);
        ws = f > 0 ? wait_status(f) : 0;
        check(WIFEXITED(ws) && WEXITSTATUS(ws) == 4, "pids.max 5: 4 of 10 forks work (%d)",
              WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);

        /* devices */
        pid_t d = spawn(m, child_devices, NULL);
        ws = d > 0 ? wait_status(d) : 0;
        check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
              "devices: /dev/null usable, /dev/kmsg refused (%d)",
              WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);

        /* SIGKILL to all (cgroup.kill where there is one) */
        pid_t k1 = spawn(m, child_pause, NULL), k2 = spawn(m, child_pause, NULL);
        rc = cgroup_kill_all(m, SIGKILL);
        int w1 = k1 > 0 ? wait_status(k1) : 0, w2 = k2 > 0 ? wait_status(k2) : 0;
        check(rc == 0 && WIFSIGNALED(w1) && WTERMSIG(w1) == SIGKILL && WIFSIGNALED(w2) &&
                  WTERMSIG(w2) == SIGKILL,
              "kill all SIGKILL");

        /* update */
        struct hull_resources u = {.present = true};
        u.memory.present = u.memory.has_limit = true;
        u.memory.limit = 209715200;
        u.memory.has_swap = true;
        u.memory.swap = 314572800;
        rc = cgroup_update(m, &u);
        check(rc == 0, "update memory 200M, swap 300M%s%s", rc ? ": " : "", rc ? herr_msg() : "");
        expect_file(dir_of(m, CTL_MEMORY), is_v2 ? "memory.max" : "memory.limit_in_bytes",
                    "209715200");
        struct hull_resources bad = {.present = true};
        bad.cpu.present = bad.cpu.has_quota = true;
        bad.cpu.quota = 500;
        rc = cgroup_update(m, &bad);
        char want[PATH_MAX];
        snprintf(want, sizeof(want),
                 "linux.resources.cpu.quota: write \"%s\" to %s/%s: invalid argument",
                 is_v2 ? "500 200000" : "500", dir_of(m, CTL_CPU),
                 is_v2 ? "cpu.max" : "cpu.cfs_quota_us");
        check(rc < 0 && !strcmp(herr_msg(), want), "error names field, value, file: %s",
              herr_msg());
        struct hull_resources uni = {.present = true, .unified = &unified, .n_unified = 1};
        struct kv nosuch = {"nosuch.knob", "1"};
        if (!is_v2) {
                rc = cgroup_update(m, &uni);
                check(rc < 0 && strstr(herr_msg(), "cannot use unified on cgroup v1"),
                      "unified refused on v1: %s", herr_msg());
        } else {
                uni.unified = &nosuch;
                rc = cgroup_update(m, &uni);
                check(rc < 0 && strstr(herr_msg(), "controller nosuch not available"),
                      "unknown unified controller: %s", herr_msg());
        }

        /* OOM events */
        struct hull_resources oomr = {.present = true};
        oomr.memory.present = oomr.memory.has_limit = oomr.memory.has_swap = true;
        oomr.memory.limit = oomr.memory.swap = 33554432;
        if (!is_v2) { /* the first prepare disabled the OOM killer: a new cgroup */
                struct cgroup_manager *om = NULL;
                char oinner[192];
                snprintf(oinner, sizeof(oinner), "/%s/oom", tag);
                struct cgroup_opts oo = {.id = "oom", .cgroups_path = oinner, .resources = &oomr};
                rc = cgroup_prepare(&om, &oo);
                check(rc == 0, "prepare %s (32M)%s%s", oinner, rc ? ": " : "",
                      rc ? herr_msg() : "");
                if (rc == 0) {
                        int efd;
                        rc = cgroup_oom_watch(om, &efd);
                        check(rc == 0, "OOM watch%s%s", rc ? ": " : "", rc ? herr_msg() : "");
                        pid_t h = spawn(om, child_hog, (void *)(uintptr_t)(128u << 20));
                        ws = h > 0 ? wait_status(h) : 0;
                        struct pollfd pfd = {.fd = efd, .events = POLLIN};
                        int pr = rc == 0 ? poll(&pfd, 1, 5000) : 0;
                        int k = pr > 0 ? cgroup_oom_check(om, efd) : 0;
                        check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL && k >= 1,
                              "a 128M hog is OOM-killed and reported (%d)", k);
                        if (rc == 0)
                                close(efd);
                        cgroup_destroy(om);
                        cgroup_free(om);
                }
        } else {
                rc = cgroup_update(m, &oomr);
                int efd = -1;
                int wrc = rc == 0 ? cgroup_oom_watch(m, &efd) : -1;
                check(wrc == 0, "OOM watch%s%s", wrc ? ": " : "", wrc ? herr_msg() : "");
                pid_t h = spawn(m, child_hog, (void *)(uintptr_t)(128u << 20));
                ws = h > 0 ? wait_status(h) : 0;
                struct pollfd pfd = {.fd = efd, .events = POLLIN};
                int pr = wrc == 0 ? poll(&pfd, 1, 5000) : 0;
                int k = pr > 0 ? cgroup_oom_check(m, efd) : 0;
                check(WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL && k >= 1,
                      "a 128M hog is OOM-killed and reported (%d)", k);
                if (efd >= 0)
                        close(efd);
        }

        /* state round trip, then destroy through the loaded manager */
        json_t *saved;
        check(cgroup_save(m, &saved) == 0 && saved, "save");
        char *txt = json_dumps(saved, JSON_COMPACT);
        printf("# saved: %.400s\n", txt ? txt : "");
        free(txt);
        struct cgroup_manager *l = NULL;
        rc = cgroup_load(&l, saved, false);
        json_decref(saved);
        check(rc == 0 && l, "load");
        if (rc == 0) {
                const struct cgroup_mountpoint *mp;
                size_t nmp;
                rc = cgroup_mountpoints(l, &mp, &nmp);
                check(rc == 0 && nmp == (is_v2 ? 0 : m->nh), "mount points: %zu v1 hierarchies",
                      nmp);
                rc = cgroup_destroy(l);
                check(rc == 0, "destroy%s%s", rc ? ": " : "", rc ? herr_msg() : "");
                bool gone = true;
                for (size_t i = 0; i < m->nh; i++)
                        gone &= !is_dir(m->h[i].path);
                if (m->dir)
                        gone &= !is_dir(m->dir);
                check(gone, "every directory of %s is gone", inner);
                bool kept = true;
                for (size_t i = 0; i < m->nh; i++) {
                        char p[PATH_MAX];
                        snprintf(p, sizeof(p), "%s/%s", m->h[i].mnt, parent);
                        kept &= is_dir(p);
                }
                if (m->dir) {
                        char p[PATH_MAX];
                        snprintf(p, sizeof(p), "%s/%s", m->unified_mnt ? m->unified_mnt : CG_ROOT,
                                 parent);
                        kept &= is_dir(p);
                }
                check(kept, "the pre-existing parent /%s is still there", parent);
        }
        cgroup_free(l);
        cgroup_free(m);

        /* parents hull made are removed; a leaf that existed is not */
        char deep[192];
        snprintf(deep, sizeof(deep), "/%s-b/x/y", tag);
        struct cgroup_opts o2 = {.id = "y", .cgroups_path = deep};
        rc = cgroup_prepare(&m, &o2);
        check(rc == 0, "prepare %s (no limits)%s%s", deep, rc ? ": " : "", rc ? herr_msg() : "");
        if (rc == 0) {
                char top[PATH_MAX];
                snprintf(top, sizeof(top), "%s/%s-b",
                         m->version == 2 ? m->dir && m->unified_mnt ? m->unified_mnt : CG_ROOT
                                         : m->h[0].mnt,
                         tag);
                check(cgroup_destroy(m) == 0 && !is_dir(top),
                      "destroy removes %s-b/x/y, x and %s-b", tag, tag);
                cgroup_free(m);
        }
        char pre[192];
        snprintf(pre, sizeof(pre), "/%s", parent);
        struct cgroup_opts o3 = {.id = "pre", .cgroups_path = pre};
        rc = cgroup_prepare(&m, &o3);
        check(rc == 0, "prepare the existing %s%s%s", pre, rc ? ": " : "", rc ? herr_msg() : "");

        if (rc == 0) {
                const char *leaf = m->version == 2 ? m->dir : m->h[0].path;
                char keep[PATH_MAX];
                snprintf(keep, sizeof(keep), "%s", leaf);
                check(cgroup_destroy(m) == 0 && is_dir(keep), "destroy leaves the existing %s",
                      keep);
                cgroup_free(m);
        }

        /* realtime and idle (v1): a direct child of the root, which has the rt budget */
        if (!is_v2) {
                char rt[192];
                snprintf(rt, sizeof(rt), "/%s-rt", tag);
                struct hull_resources rr = {.present = true};
                rr.cpu.present = rr.cpu.has_realtime_period = rr.cpu.has_realtime_runtime = true;
                rr.cpu.realtime_period = 500000;
                rr.cpu.realtime_runtime = 10000;
                rr.cpu.has_idle = true;
                rr.cpu.idle = 1;
                struct cgroup_opts o4 = {.id = "rt", .cgroups_path = rt, .resources = &rr};
                rc = cgroup_prepare(&m, &o4);
                check(rc == 0, "prepare %s (realtime, idle)%s%s", rt, rc ? ": " : "",
                      rc ? herr_msg() : "");
                if (rc == 0) {
                        const char *cpu = cg_v1_path(m, CTL_CPU);
                        if (cpu && cg_exists(cpu, "cpu.rt_period_us")) {
                                expect_file(cpu, "cpu.rt_period_us", "500000");
                                expect_file(cpu, "cpu.rt_runtime_us", "10000");
                        } else {
                                skip("no CONFIG_RT_GROUP_SCHED");
                        }
                        if (cpu && cg_exists(cpu, "cpu.idle"))
                                expect_file(cpu, "cpu.idle", "1");
                        cgroup_destroy(m);
                        cgroup_free(m);
                }
        }
}

/* Device filter on the unified hierarchy of a hybrid host (v2 hosts test
 * it through test_cgroupfs). */
static void test_bpf_hybrid(void)
{
        struct cgroup_manager *m = cg_manager_new("bpf");
        m->version = 1;
        if (cg_v1_discover(m) < 0 || !m->unified_mnt) {
                skip("no unified hierarchy: eBPF device filter tested on v2 only");
                cgroup_free(m);
                return;
        }
        char dir[PATH_MAX];
        snprintf(dir, sizeof(dir), "%s/%s-bpf", m->unified_mnt, tag);
        cgroup_free(m);
        mkdir(dir, 0755);
        struct hull_device_rule deny_all = {.allow = false, .type = 'a', .access = "rwm"};
        struct hull_resources r = {.devices = &deny_all, .n_devices = 1};
        struct cg_dev_set s;
        int rc = cg_dev_compute(&r, &s);
        if (rc == 0)
                rc = cg_dev_apply_v2(dir, &s);
        cg_dev_free(&s);
        check(rc == 0, "eBPF device filter attached to %s%s%s", dir, rc ? ": " : "",
              rc ? herr_msg() : "");
        pid_t p = fork();
        if (p == 0) {
                if (cg_write(NULL, dir, "cgroup.procs", "0") < 0)
                        _exit(90);
                _exit(child_devices(NULL));
        }
        int ws = wait_status(p);
        check(WIFEXITED(ws) && WEXITSTATUS(ws) == 0,
              "eBPF: /dev/null usable, /dev/kmsg refused (%d)",
              WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
        rmdir(dir);
}

/* ---- the systemd driver ---- */

static char *run_cmd(const char *cmd)
{
        static char out[4096];
        out[0] = '\0';
        FILE *f = popen(cmd, "r");
        if (!f)
                return out;
        size_t n = fread(out, 1, sizeof(out) - 1, f);
        out[n] = '\0';
        pclose(f);
        while (n > 0 && out[n - 1] == '\n')
                out[--n] = '\0';
        return out;
}

static void test_systemd(void)
{
        if (access("/run/systemd/system", F_OK) < 0) {
                skip("systemd driver: systemd is not PID 1 here");
                return;
        }
        char path[128];
        snprintf(path, sizeof(path), "system.slice:%s:sd", tag);
        snprintf(sd_unit, sizeof(sd_unit), "%s-sd.scope", tag);
        struct hull_resources r = {.present = true};
        r.memory.present = r.memory.has_limit = true;
        r.memory.limit = 104857600;
        r.pids.present = true;
        r.pids.limit = 20;
        r.cpu.present = r.cpu.has_shares = r.cpu.has_quota = r.cpu.has_period = true;
        r.cpu.shares = 1024;
        r.cpu.quota = 50000;
        r.cpu.period = 100000;
        struct cgroup_opts o = {.id = "sd", .cgroups_path = path, .systemd = true, .resources = &r};
        struct cgroup_manager *m = NULL;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = cgroup_prepare(&m, &o);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        check(rc == 0, "systemd: prepare %s (%.0f ms)%s%s", path,
              (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6,
              rc ? ": " : "", rc ? herr_msg() : "");
        if (rc < 0)
                return;
        char want[PATH_MAX], inner[PATH_MAX];
        snprintf(inner, sizeof(inner), "/system.slice/%s", sd_unit);
        if (m->version == 2) {
                snprintf(want, sizeof(want), "%s%s", CG_ROOT, inner);
                check(m->dir && !strcmp(m->dir, want), "systemd: cgroup %s", want);
                expect_file(m->dir, "memory.max", "104857600");
                expect_file(m->dir, "pids.max", "20");
                expect_file(m->dir, "cpu.max", "50000 100000");
                expect_file(m->dir, "cpu.weight", "39");
        } else {
                expect_file(cg_v1_path(m, CTL_MEMORY), "memory.limit_in_bytes", "104857600");
        }
        char cmd[256];
        snprintf(cmd, sizeof(cmd), "systemctl show -p MemoryMax -p Delegate -p Slice %s", sd_unit);
        char *props = run_cmd(cmd);
        check(strstr(props, "Delegate=yes") && strstr(props, "Slice=system.slice") &&
                  (m->version == 1 || strstr(props, "MemoryMax=104857600")),
              "systemd: unit properties (%s)", props);
        pid_t a = spawn(m, child_pause, NULL);
        check(a > 0, "systemd: a child joins the scope");
        if (a > 0)
                expect_membership(a, m, inner);
        json_t *saved;
        check(cgroup_save(m, &saved) == 0, "systemd: save (releases the holder)");
        pid_t *pids;
        size_t n;
        rc = cgroup_pids(m, &pids, &n);
        check(rc == 0 && n == 1 && pids[0] == a,
              "systemd: only the container's process is left in the scope (%zu)", n);
        free(pids);
        struct cgroup_manager *l = NULL;
        rc = cgroup_load(&l, saved, true);
        json_decref(saved);
        check(rc == 0, "systemd: load");
        if (rc < 0) {
                cgroup_free(m);
                return;
        }
        struct hull_resources u = {.present = true};
        u.memory.present = u.memory.has_limit = true;
        u.memory.limit = 209715200;
        rc = cgroup_update(l, &u);
        check(rc == 0, "systemd: update memory%s%s", rc ? ": " : "", rc ? herr_msg() : "");
        if (m->version == 2) {
                expect_file(m->dir, "memory.max", "209715200");
                check(strstr(run_cmd(cmd), "MemoryMax=209715200") != NULL,
                      "systemd: MemoryMax property updated too");
        }
        rc = cgroup_freeze(l, true);
        check(rc == 0 && cgroup_is_frozen(l) == 1, "systemd: freeze");
        check(cgroup_freeze(l, false) == 0, "systemd: thaw");
        rc = cgroup_kill_all(l, SIGKILL);
        int ws = a > 0 ? wait_status(a) : 0;
        check(rc == 0 && WIFSIGNALED(ws), "systemd: kill all");
        rc = cgroup_destroy(l);
        check(rc == 0, "systemd: destroy (StopUnit)%s%s", rc ? ": " : "", rc ? herr_msg() : "");
        snprintf(cmd, sizeof(cmd), "systemctl is-active %s 2>/dev/null", sd_unit);
        char *active = run_cmd(cmd);
        check(strcmp(active, "active") != 0, "systemd: unit no longer active (%s)", active);
        check(!m->dir || !is_dir(m->dir), "systemd: the scope's cgroup is gone");
        cgroup_free(l);
        cgroup_free(m);

        /* bad cgroupsPath */
        struct cgroup_opts bad = {.id = "x", .cgroups_path = "/not/systemd", .systemd = true};
        rc = cgroup_prepare(&m, &bad);
        const char *msg = herr_msg();
        check(rc < 0 && strstr(msg, "slice:prefix:name"), "systemd: bad path: %s", msg);
}

int main(void)
{
        if (geteuid() != 0) {
                printf("1..0 # SKIP needs root\n0 passed, 0 failed\n");
                return 77;
        }
        main_pid = getpid();
        snprintf(tag, sizeof(tag), "hull-test-%d", (int)main_pid);
        atexit(cleanup);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        signal(SIGHUP, on_signal);
        is_v2 = cg_host_is_v2();
        printf("# cgroup v%d host%s\n", is_v2 ? 2 : 1,
               access("/run/systemd/system", F_OK) == 0 ? " with systemd" : "");
        test_logic();
        test_paths();
        test_cgroupfs();
        if (!is_v2)
                test_bpf_hybrid();
        test_systemd();
        printf("1..%d\n%d passed, %d failed\n", ntest, npass, nfail);
        return nfail ? 1 : 0;
}
