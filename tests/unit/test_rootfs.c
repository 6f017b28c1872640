/* test_rootfs.c - rootfs_prepare/pivot/finish for real, as root.
 *
 * Builds busybox rootfses in a temporary directory, then for each case
 * forks a child that unshares a mount and a pid namespace and forks the
 * "init" (pid 1 there), which runs rootfs_prepare(), rootfs_pivot() and
 * rootfs_finish() with a config parsed from the default spec (plus the
 * case's changes), and execs a busybox shell script whose output (first
 * /proc/self/mountinfo) comes back over a pipe.  The namespaces die with
 * the children; the temporary directory is removed at exit.
 *
 * Needs root and a static busybox (/bin/busybox, Debian's busybox-static);
 * without them it skips (exit 77).  Prints TAP and a last line
 * "N passed, M failed"; exits 1 on any failure.
 */
#include "cgroup.h"
#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "mounts.h"
#include "rootfs.h"
#include "spec_default.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tap.h"

static char tmp[PATH_MAX]; /* the temporary directory, removed at exit */

static pid_t main_pid; /* only the test itself cleans up, never a child */

static void cleanup(void)
{
        if (!tmp[0] || getpid() != main_pid)
                return;
        char *slash = strrchr(tmp, '/');
        *slash = '\0';
        int dir = open(tmp[0] ? tmp : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dir >= 0) {
                remove_tree_at(dir, slash + 1);
                close(dir);
        }
        *slash = '/';
        tmp[0] = '\0';
}

static void on_signal(int sig)
{
        cleanup();
        signal(sig, SIG_DFL);
        raise(sig);
}

static void die(const char *what)
{
        printf("Bail out! %s: %s\n", what, strerror(errno));
        exit(1);
}

/* snprintf that bails out on truncation (and keeps gcc quiet about it). */
static void pathf(char *buf, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void pathf(char *buf, size_t size, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(buf, size, fmt, ap);
        va_end(ap);
        if (n < 0 || (size_t)n >= size) {
                printf("Bail out! path too long: %s\n", buf);
                exit(1);
        }
}

static void mkdirs(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void mkdirs(const char *fmt, ...)
{
        char p[PATH_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p, sizeof(p), fmt, ap);
        va_end(ap);
        if (mkdir_p(p, 0755) < 0)
                die(p);
}

static void write_text(const char *path, const char *text)
{
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
                die(path);
        close(fd);
}

static void copy_file(const char *from, const char *to, mode_t mode)
{
        int in = open(from, O_RDONLY | O_CLOEXEC);
        int out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
        struct stat st;
        if (in < 0 || out < 0 || fstat(in, &st) < 0)
                die(to);
        for (off_t off = 0; off < st.st_size;)
                if (sendfile(out, in, &off, (size_t)(st.st_size - off)) <= 0)
                        die(to);
        close(in);
        close(out);
}

/* A busybox rootfs at dir: bin/busybox and applet links (relative, so
 * that they work inside the container). */
static void make_rootfs(const char *busybox, const char *dir)
{
        static const char *const applets[] = {"sh",   "cat",   "ls",   "stat", "readlink",
                                              "echo", "touch", "head", "test", "mkdir"};
        char p[PATH_MAX];
        mkdirs("%s/bin", dir);
        pathf(p, sizeof(p), "%s/bin/busybox", dir);
        copy_file(busybox, p, 0755);
        for (size_t i = 0; i < sizeof(applets) / sizeof(applets[0]); i++) {
                pathf(p, sizeof(p), "%s/bin/%s", dir, applets[i]);
                if (symlink("busybox", p) < 0)
                        die(p);
        }
}

/* ---- running a container ---- */

struct result {
        int status; /* exit code of the init (or 128 + signal) */
        char out[256 * 1024];
};

static const char *bundle_dir;

/* In the init, after rootfs_prepare: are the host directories untouched
 * (nothing mounted on them, nothing created in them)? */
static const char *const *host_checks;

static void check_host_dirs(void)
{
        struct stat top;
        if (!host_checks || stat(tmp, &top) < 0)
                return;
        for (const char *const *d = host_checks; *d; d++) {
                struct stat st;
                bool same = stat(*d, &st) == 0 && st.st_dev == top.st_dev;
                bool empty = true;
                int fd = open(*d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (fd >= 0) {
                        char buf[1024];
                        long n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
                        /* "." and ".." only: two short records */
                        empty = n >= 0 && n <= 48;
                        close(fd);
                }
                printf("HOST %s %s\n", *d, same && empty ? "untouched" : "CHANGED");
        }
        fflush(stdout);
}

static struct cgroup_manager *test_cgroup_mgr; /* joined by the init when set */
static const int *test_mount_fds;              /* rootfs_ctx.mount_fds */

static _Noreturn void container_child(struct hull_config *cfg, const char *rootfs, bool no_pivot,
                                      const char *script)
{
        struct rootfs_ctx ctx = {.cfg = cfg,
                                 .rootfs = rootfs,
                                 .bundle = bundle_dir,
                                 .no_pivot = no_pivot,
                                 .rootfs_fd = -1,
                                 .cgroup = test_cgroup_mgr,
                                 .mount_fds = test_mount_fds};
        if (test_cgroup_mgr && cgroup_join_self(test_cgroup_mgr) < 0) {
                printf("ERROR join cgroup: %s\n", herr_msg());
                fflush(stdout);
                _exit(5);
        }
        if (rootfs_prepare(&ctx) < 0) {
                printf("ERROR prepare: %s\n", herr_msg());
                fflush(stdout);
                _exit(2);
        }
        check_host_dirs();
        if (rootfs_pivot(&ctx) < 0) {
                printf("ERROR pivot: %s\n", herr_msg());
                fflush(stdout);
                _exit(3);
        }
        if (rootfs_finish(&ctx) < 0) {
                printf("ERROR finish: %s\n", herr_msg());
                fflush(stdout);
                _exit(4);
        }
        fflush(stdout);
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        printf("ERROR exec /bin/sh: %s\n", strerror(errno));
        fflush(stdout);
        _exit(127);
}

static bool quiet; /* an error is expected: no diagnostics */

static int run(struct hull_config *cfg, const char *rootfs, bool no_pivot, const char *script,
               struct result *res)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                die("pipe");
        fflush(stdout);
        pid_t a = fork();
        if (a < 0)
                die("fork");
        if (a == 0) {
                close(p[0]);
                if (unshare(CLONE_NEWNS | CLONE_NEWPID) < 0) {
                        dprintf(p[1], "ERROR unshare: %s\n", strerror(errno));
                        _exit(100);
                }
                /* nothing of the test may reach the host's mounts */
                if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
                        _exit(101);
                pid_t b = fork();
                if (b == 0) {
                        dup2(p[1], 1);
                        dup2(p[1], 2);
                        container_child(cfg, rootfs, no_pivot, script);
                }
                close(p[1]);
                int st = 0;
                if (b < 0 || waitpid(b, &st, 0) < 0)
                        _exit(102);
                _exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
        }
        close(p[1]);
        size_t n = 0;
        for (;;) {
                ssize_t r = read(p[0], res->out + n, sizeof(res->out) - 1 - n);
                if (r < 0 && errno == EINTR)
                        continue;
                if (r <= 0)
                        break;
                n += (size_t)r;
                if (n == sizeof(res->out) - 1)
                        break;
        }
        res->out[n] = '\0';
        close(p[0]);
        int st = 0;
        waitpid(a, &st, 0);
        res->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        if (res->status != 0 && !quiet)
                printf("# exit %d, output:\n# %.2000s\n", res->status, res->out);
        char *end = res->out + strlen(res->out);
        while (end > res->out && end[-1] == '\n')
                *--end = '\0';
        return res->status;
}

/* ---- reading the output ---- */

struct mnt {
        char root[256], point[256], opts[256], optional[256], fstype[64], super[256];
};

/* The last (topmost) mountinfo line for mount point `point`. */
static bool find_mount(const char *out, const char *point, struct mnt *m)
{
        bool found = false;
        const char *line = out;
        while (line && *line) {
                const char *nl = strchr(line, '\n');
                size_t len = nl ? (size_t)(nl - line) : strlen(line);
                char buf[1024];
                if (len < sizeof(buf)) {
                        memcpy(buf, line, len);
                        buf[len] = '\0';
                        struct mnt t = {0};
                        int id, parent;
                        char devs[32];
                        int used = 0;
                        if (sscanf(buf, "%d %d %31s %255s %255s %255s %n", &id, &parent, devs,
                                   t.root, t.point, t.opts, &used) == 6) {
                                const char *sep = strstr(buf + used, "- ");
                                if (sep) {
                                        snprintf(t.optional, sizeof(t.optional), "%.*s",
                                                 (int)(sep - (buf + used)), buf + used);
                                        char src[256];
                                        if (sscanf(sep + 2, "%63s %255s %255s", t.fstype, src,
                                                   t.super) >= 2 &&
                                            strcmp(t.point, point) == 0) {
                                                *m = t;
                                                found = true;
                                        }
                                }
                        }
                }
                line = nl ? nl + 1 : NULL;
        }
        return found;
}

/* Is opt one of the comma-separated options? */
static bool has_opt(const char *opts, const char *opt)
{
        size_t n = strlen(opt);
        for (const char *p = opts; p; p = strchr(p, ',')) {
                if (*p == ',')
                        p++;
                if (strncmp(p, opt, n) == 0 && (p[n] == ',' || p[n] == '\0'))
                        return true;
        }
        return false;
}

static bool has_line(const char *out, const char *line)
{
        size_t n = strlen(line);
        for (const char *p = strstr(out, line); p; p = strstr(p + 1, line))
                if ((p == out || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
                        return true;
        return false;
}

static void expect_mount(const char *out, const char *point, const char *fstype, bool ro)
{
        struct mnt m;
        bool f = find_mount(out, point, &m);
        ok(f && (!fstype || strcmp(m.fstype, fstype) == 0) && has_opt(m.opts, "ro") == ro,
           "%s: %s, %s (got %s %s)", point, fstype ? fstype : "a mount", ro ? "ro" : "rw",
           f ? m.fstype : "no mount", f ? m.opts : "");
}

/* ---- the config ---- */

static char *spec_text;

static void load_default(struct hull_config *cfg)
{
        memset(cfg, 0, sizeof(*cfg));
        if (config_parse(cfg, spec_text, strlen(spec_text), "config.json") < 0) {
                printf("Bail out! default spec: %s\n", herr_msg());
                exit(1);
        }
}

/* cfg's mounts followed by extra ones, in `buf`. */
static void add_mounts(struct hull_config *cfg, struct hull_mount *buf,
                       const struct hull_mount *extra, size_t n)
{
        memcpy(buf, cfg->mounts, cfg->n_mounts * sizeof(*buf));
        memcpy(buf + cfg->n_mounts, extra, n * sizeof(*buf));
        cfg->mounts = buf;
        cfg->n_mounts += n;
}

#define OPTS(...)                                                                                  \
        (const char *[]){__VA_ARGS__}, sizeof((const char *[]){__VA_ARGS__}) / sizeof(char *)

static const char *const masked_files[] = {"/proc/kcore",       "/proc/keys",
                                           "/proc/timer_list",  "/proc/latency_stats",
                                           "/proc/sched_debug", "/proc/timer_stats"};

/* ---- the cases ---- */

static struct result res;
static char rootfs_a[PATH_MAX], rootfs_b[PATH_MAX];

static void test_default(void)
{
        struct hull_config cfg;
        load_default(&cfg);
        cfg.root_readonly = true;
        const char *script = "cat /proc/self/mountinfo; echo ==;"
                             "stat -c '%n %F %t %T %a' /dev/null /dev/zero /dev/full /dev/random "
                             "/dev/urandom /dev/tty;"
                             "for l in /dev/ptmx /dev/fd /dev/stdin /dev/stdout /dev/stderr; do "
                             "echo $l '->' $(readlink $l); done;"
                             "touch /probe 2>/dev/null && echo root writable || echo root ro;"
                             "touch /dev/probe && echo dev writable;"
                             "echo keys=$(cat /proc/keys | head -c 20)";
        int st = run(&cfg, rootfs_a, false, script, &res);
        ok(st == 0, "default spec, root.readonly: prepare, pivot, finish, exec (exit %d)", st);
        const char *o = res.out;
        expect_mount(o, "/", NULL, true);
        struct mnt m;
        expect_mount(o, "/proc", "proc", false);
        expect_mount(o, "/dev", "tmpfs", false);
        expect_mount(o, "/dev/pts", "devpts", false);
        expect_mount(o, "/dev/shm", "tmpfs", false);
        expect_mount(o, "/dev/mqueue", "mqueue", false);
        expect_mount(o, "/sys", "sysfs", true);
        expect_mount(o, "/sys/fs/cgroup", "tmpfs", true);
        ok(find_mount(o, "/dev", &m) && has_opt(m.opts, "nosuid") && has_opt(m.super, "mode=755"),
           "/dev: nosuid, mode=755 (%s | %s)", m.opts, m.super);
        ok(find_mount(o, "/dev/shm", &m) && has_opt(m.opts, "nodev") && has_opt(m.opts, "noexec"),
           "/dev/shm: nodev, noexec");
        /* masked files: a bind of the host's /dev/null (root "/null" of
         * the host's devtmpfs or tmpfs; never the container's /dev/null,
         * CVE-2025-31133); only those the host's procfs has */
        int n_masked = 0;
        for (size_t i = 0; i < sizeof(masked_files) / sizeof(masked_files[0]); i++) {
                if (access(masked_files[i], F_OK) < 0)
                        continue;
                n_masked++;
                bool f = find_mount(o, masked_files[i], &m);
                ok(f && strcmp(m.root, "/null") == 0 &&
                       (strcmp(m.fstype, "devtmpfs") == 0 || strcmp(m.fstype, "tmpfs") == 0),
                   "masked %s: /dev/null bound on it (%s %s)", masked_files[i], f ? m.root : "-",
                   f ? m.fstype : "no mount");
        }
        ok(n_masked > 0, "the host has %d of the masked /proc files", n_masked);
        if (access("/proc/acpi", F_OK) == 0)
                expect_mount(o, "/proc/acpi", "tmpfs", true);
        if (access("/sys/firmware", F_OK) == 0)
                expect_mount(o, "/sys/firmware", "tmpfs", true);
        ok(!find_mount(o, "/proc/asound", &m) || access("/proc/asound", F_OK) == 0,
           "missing masked paths are skipped");
        expect_mount(o, "/proc/sys", "proc", true);
        expect_mount(o, "/proc/irq", "proc", true);
        if (access("/proc/sysrq-trigger", F_OK) == 0)
                expect_mount(o, "/proc/sysrq-trigger", "proc", true);
        ok(has_line(o, "/dev/null character special file 1 3 666") &&
               has_line(o, "/dev/zero character special file 1 5 666") &&
               has_line(o, "/dev/full character special file 1 7 666") &&
               has_line(o, "/dev/random character special file 1 8 666") &&
               has_line(o, "/dev/urandom character special file 1 9 666") &&
               has_line(o, "/dev/tty character special file 5 0 666"),
           "default devices: null zero full random urandom tty, 0666");
        ok(has_line(o, "/dev/ptmx -> pts/ptmx"), "/dev/ptmx -> pts/ptmx");
        ok(has_line(o, "/dev/fd -> /proc/self/fd") &&
               has_line(o, "/dev/stdin -> /proc/self/fd/0") &&
               has_line(o, "/dev/stdout -> /proc/self/fd/1") &&
               has_line(o, "/dev/stderr -> /proc/self/fd/2"),
           "/dev/fd, stdin, stdout, stderr symlinks");
        ok(has_line(o, "root ro") && has_line(o, "dev writable"),
           "root.readonly: / refuses writes, /dev (tmpfs) takes them");
        ok(has_line(o, "keys=") || access("/proc/keys", F_OK) < 0, "/proc/keys reads empty");
        config_free(&cfg);
}

/* The image's /dev is a symlink to a host path; mount destinations are
 * symlinks to host paths (absolute, relative with "..", dangling). */
static void test_evil_symlinks(void)
{
        char devt[PATH_MAX], mnt[PATH_MAX], up[PATH_MAX], p[PATH_MAX], q[PATH_MAX];
        pathf(devt, sizeof(devt), "%s/host/devt", tmp);
        pathf(mnt, sizeof(mnt), "%s/host/mnt", tmp);
        pathf(up, sizeof(up), "%s/host/up", tmp);
        mkdirs("%s", devt);
        mkdirs("%s", mnt);
        mkdirs("%s", up);
        mkdirs("%s/mnt", rootfs_b);
        pathf(p, sizeof(p), "%s/dev", rootfs_b);
        if (symlink(devt, p) < 0)
                die(p);
        pathf(p, sizeof(p), "%s/mnt/evil", rootfs_b);
        if (symlink(mnt, p) < 0)
                die(p);
        pathf(p, sizeof(p), "%s/mnt/up", rootfs_b);
        pathf(q, sizeof(q), "../../../../../../../../../..%s", up);
        if (symlink(q, p) < 0)
                die(p);
        pathf(p, sizeof(p), "%s/mnt/dangling", rootfs_b);
        if (symlink("/hull-test-nonexistent/x", p) < 0)
                die(p);

        struct hull_config cfg;
        load_default(&cfg);
        struct hull_mount all[32];
        const struct hull_mount extra[] = {
            {.destination = "/mnt/evil", .type = "tmpfs", .source = "tmpfs"},
            {.destination = "/mnt/evil/sub/deeper", .type = "tmpfs", .source = "tmpfs"},
            {.destination = "/mnt/up/x", .type = "tmpfs", .source = "tmpfs"},
            {.destination = "/mnt/dangling/y", .type = "tmpfs", .source = "tmpfs"},
            {.destination = "/mnt/evil/file",
             .type = "bind",
             .source = "data/file.txt",
             OPTS("bind", "ro")},
        };
        add_mounts(&cfg, all, extra, sizeof(extra) / sizeof(extra[0]));
        const char *checks[] = {devt, mnt, up, NULL};
        host_checks = checks;
        const char *script = "cat /proc/self/mountinfo; echo ==;"
                             "stat -c '%n %F %t %T' /dev/null; cat /mnt/evil/file";
        int st = run(&cfg, rootfs_b, false, script, &res);
        host_checks = NULL;
        ok(st == 0, "rootfs with /dev -> %s and symlinked destinations: container runs (exit %d)",
           devt, st);
        for (const char **d = checks; *d; d++) {
                char line[PATH_MAX + 32];
                pathf(line, sizeof(line), "HOST %s untouched", *d);
                ok(has_line(res.out, line), "inside: nothing mounted on or created in host %s", *d);
                int fd = open(*d, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                char buf[1024];
                long n = fd >= 0 ? syscall(SYS_getdents64, fd, buf, sizeof(buf)) : -1;
                if (fd >= 0)
                        close(fd);
                ok(n >= 0 && n <= 48, "after: host %s is still empty", *d);
        }
        ok(access("/hull-test-nonexistent", F_OK) < 0,
           "dangling /hull-test-nonexistent not made on the host");
        /* inside, the mounts are where the symlinks lead within the root */
        expect_mount(res.out, devt, "tmpfs", false);
        expect_mount(res.out, mnt, "tmpfs", false);
        pathf(p, sizeof(p), "%s/sub/deeper", mnt);
        expect_mount(res.out, p, "tmpfs", false);
        pathf(p, sizeof(p), "%s/x", up);
        expect_mount(res.out, p, "tmpfs", false);
        expect_mount(res.out, "/hull-test-nonexistent/x/y", "tmpfs", false);
        ok(has_line(res.out, "/dev/null character special file 1 3"),
           "/dev/null works through the /dev symlink");
        ok(has_line(res.out, "bound file"), "file bind through a symlinked destination");
        pathf(p, sizeof(p), "%s/%s/hull-test-nonexistent/x/y", rootfs_b, "");
        ok(access(p, F_OK) == 0, "dangling symlink target created inside the rootfs");
        config_free(&cfg);
}

static struct hull_idmap idmap_uid = {.container_id = 0, .host_id = 1000, .size = 1},
                         idmap_gid = {.container_id = 0, .host_id = 2000, .size = 1};

static void test_binds_devices(void)
{
        char hostfile[PATH_MAX], p[PATH_MAX];
        pathf(hostfile, sizeof(hostfile), "%s/hostfile.txt", tmp);
        write_text(hostfile, "host file\n");
        mkdirs("%s/etc/copyme/sub", rootfs_a);
        pathf(p, sizeof(p), "%s/etc/copyme/sub/hello.txt", rootfs_a);
        write_text(p, "copied up\n");
        pathf(p, sizeof(p), "%s/etc/copyme/link", rootfs_a);
        if (symlink("sub/hello.txt", p) < 0)
                die(p);

        struct hull_config cfg;
        load_default(&cfg);
        struct hull_mount all[32];
        const struct hull_mount extra[] = {
            {.destination = "/data", .type = "none", .source = "data", OPTS("rbind", "ro")},
            {.destination = "/etc/hostfile", .type = "none", .source = hostfile, OPTS("bind")},
            {.destination = "/etc/copyme",
             .type = "tmpfs",
             .source = "tmpfs",
             OPTS("tmpcopyup", "mode=700", "nosuid")},
            {.destination = "/shared", .type = "tmpfs", .source = "tmpfs", OPTS("rshared")},
            {.destination = "/rro",
             .type = "bind",
             .source = "data",
             OPTS("rbind", "rro", "rnoexec")},
            {.destination = "/dev/tmpro", .type = "tmpfs", .source = "tmpfs", OPTS("ro")},
            {.destination = "/idmapped",
             .type = "bind",
             .source = "data",
             OPTS("bind", "idmap"),
             .uid_mappings = &idmap_uid,
             .n_uid_mappings = 1,
             .gid_mappings = &idmap_gid,
             .n_gid_mappings = 1},
        };
        add_mounts(&cfg, all, extra, sizeof(extra) / sizeof(extra[0]));
        struct hull_device devs[] = {
            {.type = 'c', .path = "/dev/fuse", .major = 10, .minor = 229},
            {.type = 'c',
             .path = "/dev/net/tun",
             .major = 10,
             .minor = 200,
             .has_file_mode = true,
             .file_mode = 0620,
             .has_uid = true,
             .uid = 1,
             .has_gid = true,
             .gid = 2},
            {.type = 'b', .path = "/dev/loop-hull", .major = 7, .minor = 200},
            {.type = 'p', .path = "/run/fifo", .has_file_mode = true, .file_mode = 0600},
            {.type = 'c', .path = "/dev/null", .major = 1, .minor = 3},
        };
        struct hull_device *saved_devs = cfg.linux_.devices;
        size_t saved_n = cfg.linux_.n_devices;
        cfg.linux_.devices = devs;
        cfg.linux_.n_devices = sizeof(devs) / sizeof(devs[0]);
        unsigned long saved_prop = cfg.linux_.rootfs_propagation;
        const char *saved_name = cfg.linux_.rootfs_propagation_name;
        cfg.linux_.rootfs_propagation = MS_SHARED;
        cfg.linux_.rootfs_propagation_name = "shared";
        const char *script =
            "cat /proc/self/mountinfo; echo ==; cat /data/file.txt /etc/hostfile "
            "/etc/copyme/sub/hello.txt /etc/copyme/link;"
            "stat -c '%n %F %t %T %a %u %g' /dev/fuse /dev/net/tun /dev/loop-hull /run/fifo "
            "/etc/copyme /idmapped/file.txt;"
            "touch /data/x 2>/dev/null || echo data ro; touch /dev/tmpro/x 2>/dev/null || echo "
            "tmpro ro";
        int st = run(&cfg, rootfs_a, false, script, &res);
        ok(st == 0, "binds, tmpcopyup, devices, rootfsPropagation shared (exit %d)", st);
        const char *o = res.out;
        struct mnt m;
        expect_mount(o, "/data", NULL, true);
        ok(has_line(o, "bound file") && has_line(o, "data ro"),
           "relative bind source (bundle/data), read-only");
        ok(has_line(o, "host file"), "absolute file bind");
        expect_mount(o, "/etc/copyme", "tmpfs", false);
        ok(has_line(o, "copied up") && has_line(o, "/etc/copyme directory 0 0 700 0 0"),
           "tmpcopyup: contents and symlink copied, mode=700 kept");
        ok(find_mount(o, "/shared", &m) && strstr(m.optional, "shared:") != NULL,
           "/shared rshared: a peer group (%s)", m.optional);
        ok(find_mount(o, "/", &m) && strstr(m.optional, "shared:") != NULL,
           "rootfsPropagation shared: / is shared (%s)", m.optional);
        ok(find_mount(o, "/rro", &m) && has_opt(m.opts, "ro") && has_opt(m.opts, "noexec"),
           "rro,rnoexec: %s", m.opts);
        expect_mount(o, "/dev/tmpro", "tmpfs", true);
        ok(has_line(o, "tmpro ro"), "ro tmpfs under /dev is read-only after finish");
        ok(has_line(o, "/idmapped/file.txt regular file 0 0 644 1000 2000"),
           "idmap: root's file shows as 1000:2000 through the idmapped bind");
        ok(has_line(o, "/dev/fuse character special file a e5 666 0 0"), "linux.devices /dev/fuse");
        ok(has_line(o, "/dev/net/tun character special file a c8 620 1 2"),
           "/dev/net/tun: parent made, fileMode 0620, uid 1, gid 2");
        ok(has_line(o, "/dev/loop-hull block special file 7 c8 666 0 0"), "block device");
        ok(has_line(o, "/run/fifo fifo 0 0 600 0 0"), "fifo outside /dev");
        cfg.linux_.devices = saved_devs;
        cfg.linux_.n_devices = saved_n;
        cfg.linux_.rootfs_propagation = saved_prop;
        cfg.linux_.rootfs_propagation_name = saved_name;
        config_free(&cfg);
}

static void test_no_pivot(void)
{
        struct hull_config cfg;
        load_default(&cfg);
        int st = run(&cfg, rootfs_a, true, "cat /proc/self/mountinfo; echo ==; ls /", &res);
        ok(st == 0, "--no-pivot: MS_MOVE + chroot (exit %d)", st);
        expect_mount(res.out, "/proc", "proc", false);
        expect_mount(res.out, "/sys", "sysfs", true);
        ok(has_line(res.out, "bin"), "/ is the rootfs");
        config_free(&cfg);
}

/* Idmapped binds made by the parent (mounts_open_idmapped) before the
 * init exists, which only moves them into place. */
static void test_idmap_fds(void)
{
        struct hull_config cfg;
        load_default(&cfg);
        struct hull_mount all[32];
        const struct hull_mount extra[] = {
            {.destination = "/ridmapped",
             .type = "none",
             .source = "data",
             OPTS("rbind", "ridmap", "ro"),
             .uid_mappings = &idmap_uid,
             .n_uid_mappings = 1,
             .gid_mappings = &idmap_gid,
             .n_gid_mappings = 1},
            {.destination = "/plain", .type = "none", .source = "data", OPTS("rbind")},
        };
        add_mounts(&cfg, all, extra, sizeof(extra) / sizeof(extra[0]));
        int fds[32];
        int made = mounts_open_idmapped(&cfg, bundle_dir, fds);
        ok(made == 1 && fds[7] >= 0 && fds[8] == -1 && fds[0] == -1,
           "mounts_open_idmapped: one tree, for mounts[7] (made %d: %s)", made,
           made < 0 ? herr_msg() : "");
        test_mount_fds = fds;
        int st = run(&cfg, rootfs_a, false,
                     "cat /proc/self/mountinfo; echo ==; stat -c '%n %u %g' /ridmapped/file.txt "
                     "/plain/file.txt; touch /ridmapped/x 2>/dev/null || echo ridmapped ro",
                     &res);
        test_mount_fds = NULL;
        ok(st == 0, "the init moves the parent's idmapped tree into place (exit %d)", st);
        ok(has_line(res.out, "/ridmapped/file.txt 1000 2000") &&
               has_line(res.out, "/plain/file.txt 0 0") && has_line(res.out, "ridmapped ro"),
           "ridmap from the parent: 1000:2000, read-only; the plain bind: 0:0");
        struct mnt m;
        ok(find_mount(res.out, "/ridmapped", &m) && has_opt(m.opts, "idmapped"),
           "mountinfo says idmapped (%s)", m.opts);
        mounts_close_fds(fds, cfg.n_mounts);
        config_free(&cfg);
}

/* "cgroup" mounts with the container's real cgroup (cgroup.c): v1, a
 * tmpfs with one bind (or, with a cgroup namespace, one cgroup mount) per
 * hierarchy; v2, cgroup2 or a bind of the container's cgroup. */
static void test_cgroup(bool cgroupns)
{
        char path[64];
        pathf(path, sizeof(path), "/hull-test-rootfs-%d", (int)getpid());
        struct cgroup_opts co = {.id = path + 1, .cgroups_path = path};
        struct cgroup_manager *cg = NULL;
        if (cgroup_prepare(&cg, &co) < 0) {
                ok(false, "cgroup_prepare %s: %s", path, herr_msg());
                return;
        }
        struct hull_config cfg;
        load_default(&cfg);
        bool saved_ns = cfg.linux_.ns[NS_CGROUP].present;
        cfg.linux_.ns[NS_CGROUP].present = cgroupns;
        test_cgroup_mgr = cg;
        int st = run(&cfg, rootfs_a, false, "cat /proc/self/mountinfo; echo ==; ls /sys/fs/cgroup",
                     &res);
        test_cgroup_mgr = NULL;
        cfg.linux_.ns[NS_CGROUP].present = saved_ns;
        bool v2 = cgroup_is_v2(cg);
        ok(st == 0, "cgroup v%d%s: container runs (exit %d)", v2 ? 2 : 1,
           cgroupns ? " with a cgroup namespace" : "", st);
        struct mnt m;
        if (v2) {
                bool f = find_mount(res.out, "/sys/fs/cgroup", &m);
                ok(f && strcmp(m.fstype, "cgroup2") == 0 && has_opt(m.opts, "ro") &&
                       (cgroupns || strcmp(m.root, path) == 0),
                   "v2: /sys/fs/cgroup is %s (%s %s %s)", cgroupns ? "cgroup2" : "our cgroup",
                   f ? m.fstype : "no mount", f ? m.root : "", f ? m.opts : "");
        } else {
                expect_mount(res.out, "/sys/fs/cgroup", "tmpfs", true);
                const struct cgroup_mountpoint *mp;
                size_t n = 0;
                cgroup_mountpoints(cg, &mp, &n);
                ok(n > 0, "v1: %zu hierarchies", n);
                for (size_t i = 0; i < n; i++) {
                        char point[PATH_MAX];
                        pathf(point, sizeof(point), "/sys/fs/cgroup/%s", mp[i].dir_name);
                        bool f = find_mount(res.out, point, &m);
                        /* a bind shows our cgroup as its root */
                        bool root_ok = cgroupns || strstr(m.root, path) != NULL;
                        ok(f && strncmp(m.fstype, "cgroup", 6) == 0 && has_opt(m.opts, "ro") &&
                               root_ok,
                           "v1 %s: %s %s (%s %s %s)", mp[i].name,
                           cgroupns ? "cgroup mount" : "bind of our cgroup", "ro",
                           f ? m.fstype : "no mount", f ? m.root : "", f ? m.opts : "");
                }
        }
        config_free(&cfg);
        if (cgroup_destroy(cg) < 0)
                printf("# cgroup_destroy: %s\n", herr_msg());
        cgroup_free(cg);
}

static void expect_error(const struct hull_mount *bad, const char *want, const char *what)
{
        struct hull_config cfg;
        load_default(&cfg);
        struct hull_mount all[32];
        add_mounts(&cfg, all, bad, 1);
        quiet = true;
        int st = run(&cfg, rootfs_a, false, "true", &res);
        quiet = false;
        /* a whole line when it starts with "ERROR", else a part of it */
        bool match = strncmp(want, "ERROR", 5) == 0 ? has_line(res.out, want)
                                                    : strstr(res.out, want) != NULL;
        ok(st == 2 && match, "%s: %s", what, res.out);
        config_free(&cfg);
}

static void test_errors(void)
{
        const struct hull_mount m1 = {.destination = "/bad", .type = "nosuchfs", .source = "x"};
        expect_error(&m1, "ERROR prepare: mounts[7] (/bad): mount nosuchfs: no such device",
                     "unknown fs type");
        const struct hull_mount m2 = {
            .destination = "/x", .type = "none", .source = "nosuchdir", OPTS("rbind")};
        expect_error(&m2, "mounts[7] (/x): bind source ", "missing bind source");
        const struct hull_mount m3 = {
            .destination = "/proc/self/attr", .type = "tmpfs", .source = "tmpfs"};
        expect_error(&m3,
                     "ERROR prepare: mounts[7] (/proc/self/attr): /proc/self/attr cannot be "
                     "mounted because it is inside /proc",
                     "no mount over procfs files");
        const struct hull_mount m4 = {.destination = "/proc", .type = "tmpfs", .source = "tmpfs"};
        expect_error(&m4,
                     "ERROR prepare: mounts[7] (/proc): /proc cannot be mounted because it is not "
                     "of type proc",
                     "no tmpfs on /proc");
}

int main(void)
{
        const char *busybox = access("/bin/busybox", X_OK) == 0 ? "/bin/busybox" : NULL;
        if (geteuid() != 0 || !busybox) {
                printf("1..0 # SKIP needs root and /bin/busybox (busybox-static)\n");
                printf("0 passed, 0 failed\n");
                return 77;
        }
        main_pid = getpid();
        pathf(tmp, sizeof(tmp), "/tmp/hull-test-rootfs-XXXXXX");
        if (!mkdtemp(tmp))
                die("mkdtemp");
        atexit(cleanup);
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
        static char bundle[PATH_MAX];
        pathf(bundle, sizeof(bundle), "%s/bundle", tmp);
        bundle_dir = bundle;
        pathf(rootfs_a, sizeof(rootfs_a), "%s/rootfs", bundle);
        pathf(rootfs_b, sizeof(rootfs_b), "%s/evil", bundle);
        make_rootfs(busybox, rootfs_a);
        make_rootfs(busybox, rootfs_b);
        mkdirs("%s/data", bundle);
        char p[PATH_MAX];
        pathf(p, sizeof(p), "%s/data/file.txt", bundle);
        write_text(p, "bound file\n");
        spec_text = strdup(spec_default_json(false));

        test_default();
        test_evil_symlinks();
        test_binds_devices();
        test_no_pivot();
        test_idmap_fds();
        test_cgroup(false);
        test_cgroup(true);
        test_errors();

        free(spec_text);
        cleanup();
        printf("1..%d\n", n_run);
        printf("%d passed, %d failed\n", n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
