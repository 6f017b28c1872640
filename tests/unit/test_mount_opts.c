/* test_mount_opts.c - mount option strings -> flags, propagation, recursive
 * attributes and data (src/mount_opts.c), and lexical path cleaning
 * (path_clean, src/paths.c).
 *
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include <sys/mount.h> /* before sys.h */
#include "error.h"
#include "mount_opts.h"
#include "paths.h"
#include "sys.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

static struct mount_opts o;

/* Parse a NULL-terminated list of options into o. */
static int parse_v(const char *first, ...)
{
        const char *list[64];
        size_t n = 0;
        va_list ap;
        va_start(ap, first);
        for (const char *s = first; s && n < 64; s = va_arg(ap, const char *))
                list[n++] = s;
        va_end(ap);
        return mount_opts_parse(list, n, &o);
}
#define P(...) parse_v(__VA_ARGS__, (const char *)NULL)

/* One option alone: the MS_* flag it sets or clears. */
static const struct {
        const char *name;
        unsigned long set, clear;
} flag_opts[] = {
    {"ro", MS_RDONLY, 0},
    {"rw", 0, MS_RDONLY},
    {"suid", 0, MS_NOSUID},
    {"nosuid", MS_NOSUID, 0},
    {"dev", 0, MS_NODEV},
    {"nodev", MS_NODEV, 0},
    {"exec", 0, MS_NOEXEC},
    {"noexec", MS_NOEXEC, 0},
    {"sync", MS_SYNCHRONOUS, 0},
    {"async", 0, MS_SYNCHRONOUS},
    {"dirsync", MS_DIRSYNC, 0},
    {"remount", MS_REMOUNT, 0},
    {"mand", MS_MANDLOCK, 0},
    {"nomand", 0, MS_MANDLOCK},
    {"atime", 0, MS_NOATIME},
    {"noatime", MS_NOATIME, MS_RELATIME | MS_STRICTATIME},
    {"diratime", 0, MS_NODIRATIME},
    {"nodiratime", MS_NODIRATIME, 0},
    {"relatime", MS_RELATIME, MS_NOATIME | MS_STRICTATIME},
    {"norelatime", 0, MS_RELATIME},
    {"strictatime", MS_STRICTATIME, MS_NOATIME | MS_RELATIME},
    {"nostrictatime", 0, MS_STRICTATIME},
    {"bind", MS_BIND, 0},
    {"rbind", MS_BIND | MS_REC, 0},
    {"iversion", MS_I_VERSION, 0},
    {"noiversion", 0, MS_I_VERSION},
    {"lazytime", MS_LAZYTIME, 0},
    {"nolazytime", 0, MS_LAZYTIME},
    {"silent", MS_SILENT, 0},
    {"loud", 0, MS_SILENT},
    {"acl", MS_POSIXACL, 0},
    {"noacl", 0, MS_POSIXACL},
    {"nosymfollow", MS_NOSYMFOLLOW, 0},
    {"symfollow", 0, MS_NOSYMFOLLOW},
    {"defaults", 0, 0},
};

static const struct {
        const char *name;
        unsigned long flags;
} prop_opts[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

static const struct {
        const char *name;
        uint64_t set, clr;
} rec_opts[] = {
    {"rro", MOUNT_ATTR_RDONLY, 0},
    {"rrw", 0, MOUNT_ATTR_RDONLY},
    {"rnosuid", MOUNT_ATTR_NOSUID, 0},
    {"rsuid", 0, MOUNT_ATTR_NOSUID},
    {"rnodev", MOUNT_ATTR_NODEV, 0},
    {"rdev", 0, MOUNT_ATTR_NODEV},
    {"rnoexec", MOUNT_ATTR_NOEXEC, 0},
    {"rexec", 0, MOUNT_ATTR_NOEXEC},
    {"rnodiratime", MOUNT_ATTR_NODIRATIME, 0},
    {"rdiratime", 0, MOUNT_ATTR_NODIRATIME},
    {"rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0},
    {"rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW},
    {"rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME},
    {"rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME},
    {"rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnorelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
    {"rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME},
};

static void test_single_options(void)
{
        for (size_t i = 0; i < sizeof(flag_opts) / sizeof(flag_opts[0]); i++) {
                int r = P(flag_opts[i].name);
                ok(r == 0 && o.flags == flag_opts[i].set && o.clear == flag_opts[i].clear &&
                       o.data[0] == '\0' && o.n_propagation == 0 && !o.rec_set && !o.rec_clr &&
                       mount_opt_known(flag_opts[i].name),
                   "%s: flags %#lx clear %#lx (got %#lx %#lx, data \"%s\")", flag_opts[i].name,
                   flag_opts[i].set, flag_opts[i].clear, o.flags, o.clear, o.data);
        }
        for (size_t i = 0; i < sizeof(prop_opts) / sizeof(prop_opts[0]); i++) {
                int r = P(prop_opts[i].name);
                ok(r == 0 && o.flags == 0 && o.n_propagation == 1 &&
                       o.propagation[0] == prop_opts[i].flags && o.data[0] == '\0',
                   "%s: propagation %#lx, no mount(2) flag", prop_opts[i].name, prop_opts[i].flags);
        }
        for (size_t i = 0; i < sizeof(rec_opts) / sizeof(rec_opts[0]); i++) {
                int r = P(rec_opts[i].name);
                ok(r == 0 && o.flags == 0 && o.clear == 0 && o.rec_set == rec_opts[i].set &&
                       o.rec_clr == rec_opts[i].clr && o.data[0] == '\0',
                   "%s: recursive attr set %#llx clr %#llx (got %#llx %#llx)", rec_opts[i].name,
                   (unsigned long long)rec_opts[i].set, (unsigned long long)rec_opts[i].clr,
                   (unsigned long long)o.rec_set, (unsigned long long)o.rec_clr);
        }
        ok(P("tmpcopyup") == 0 && o.tmpcopyup && o.flags == 0 && !o.data[0],
           "tmpcopyup: an extension, not data");
        ok(P("idmap") == 0 && o.idmap && !o.ridmap && !o.data[0], "idmap: not passed to mount(2)");
        ok(P("ridmap") == 0 && o.ridmap && !o.idmap && !o.data[0], "ridmap: recursive idmap");
}

static void test_combinations(void)
{
        /* runc's default /dev */
        ok(P("nosuid", "strictatime", "mode=755", "size=65536k") == 0 &&
               o.flags == (MS_NOSUID | MS_STRICTATIME) &&
               strcmp(o.data, "mode=755,size=65536k") == 0,
           "/dev tmpfs: nosuid|strictatime, data \"%s\"", o.data);
        ok(P("nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5") == 0 &&
               o.flags == (MS_NOSUID | MS_NOEXEC) &&
               strcmp(o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5") == 0,
           "devpts: unknown options in order into data \"%s\"", o.data);
        ok(P("nosuid", "noexec", "nodev", "relatime", "ro") == 0 &&
               o.flags == (MS_NOSUID | MS_NOEXEC | MS_NODEV | MS_RELATIME | MS_RDONLY) &&
               !o.data[0],
           "cgroup: nosuid|noexec|nodev|relatime|ro");
        ok(P("ro", "rw") == 0 && !(o.flags & MS_RDONLY) && (o.clear & MS_RDONLY),
           "ro then rw: the last wins (rw)");
        ok(P("rw", "ro") == 0 && (o.flags & MS_RDONLY) && !(o.clear & MS_RDONLY),
           "rw then ro: the last wins (ro)");
        ok(P("noatime", "strictatime") == 0 && o.flags == MS_STRICTATIME,
           "noatime then strictatime: one atime mode");
        ok(P("bind", "rbind") == 0 && o.flags == (MS_BIND | MS_REC) && mount_opts_is_bind(&o),
           "bind + rbind: recursive bind");
        ok(P("rbind", "rprivate", "ro") == 0 && o.flags == (MS_BIND | MS_REC | MS_RDONLY) &&
               o.n_propagation == 1 && o.propagation[0] == (MS_PRIVATE | MS_REC),
           "docker-style rbind,rprivate,ro");
        ok(P("shared", "rslave") == 0 && o.n_propagation == 2 && o.propagation[0] == MS_SHARED &&
               o.propagation[1] == (MS_SLAVE | MS_REC),
           "propagation options kept in order");
        ok(P("rro", "rrw") == 0 && o.rec_set == 0 && o.rec_clr == MOUNT_ATTR_RDONLY,
           "rro then rrw: cleared");
        ok(P("rnoatime", "rrelatime") == 0 && o.rec_set == MOUNT_ATTR_RELATIME &&
               o.rec_clr == MOUNT_ATTR__ATIME,
           "rnoatime then rrelatime: one atime mode");
        ok(P("ro", "rro", "rnosuid") == 0 && o.flags == MS_RDONLY &&
               o.rec_set == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID),
           "ro and rro together");
        ok(P("", "defaults", "") == 0 && o.flags == 0 && !o.data[0], "empty options are ignored");
        ok(P("x-foo=1", "context=\"a,b\"") == 0 && strcmp(o.data, "x-foo=1,context=\"a,b\"") == 0,
           "unknown options verbatim: \"%s\"", o.data);
        ok(mount_opts_parse(NULL, 0, &o) == 0 && o.flags == 0 && !o.data[0], "no options");
        ok(!mount_opt_known("mode=755") && !mount_opt_known("RO") && !mount_opt_known(""),
           "mode=755, RO and \"\" are not options of ours");
}

static void test_limits(void)
{
        static char big[3000];
        memset(big, 'a', sizeof(big) - 1);
        ok(P(big) == 0 && o.data_len == sizeof(big) - 1, "a 2999-byte option fits");
        herr_clear();
        int r = P("ro", big, big);
        ok(r < 0 && strstr(herr_msg(), "options[2]") != NULL &&
               strstr(herr_msg(), "longer than") != NULL,
           "data over a page: error names options[2]: %s", herr_msg());
        r = P("shared", "slave", "private", "rshared", "rslave");
        ok(r < 0 && strstr(herr_msg(), "options[4]") != NULL,
           "a fifth propagation option is refused: %s", herr_msg());
}

static void test_attrs(void)
{
        uint64_t s, c;
        mount_opts_attrs(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, 0, &s, &c);
        ok(s == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC) &&
               c == 0,
           "ro,nosuid,nodev,noexec -> MOUNT_ATTR_*");
        mount_opts_attrs(MS_NOATIME, 0, &s, &c);
        ok(s == MOUNT_ATTR_NOATIME && c == MOUNT_ATTR__ATIME, "noatime clears the atime field");
        mount_opts_attrs(MS_STRICTATIME | MS_NODIRATIME, 0, &s, &c);
        ok(s == (MOUNT_ATTR_STRICTATIME | MOUNT_ATTR_NODIRATIME) && c == MOUNT_ATTR__ATIME,
           "strictatime,nodiratime");
        mount_opts_attrs(0, MS_RDONLY | MS_NOSUID, &s, &c);
        ok(s == 0 && c == (MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID), "rw,suid clear attributes");
        mount_opts_attrs(MS_SYNCHRONOUS | MS_DIRSYNC | MS_NOSYMFOLLOW, 0, &s, &c);
        ok(s == MOUNT_ATTR_NOSYMFOLLOW && c == 0,
           "sync/dirsync have no per-mount attribute; nosymfollow has");
        mount_opts_attrs(MS_RELATIME, 0, &s, &c);
        ok(s == MOUNT_ATTR_RELATIME && c == MOUNT_ATTR__ATIME, "relatime");
}

static void test_path_clean(void)
{
        static const char *const cases[][2] = {
            {"/", ""},
            {"", ""},
            {"/dev", "dev"},
            {"dev", "dev"},
            {"/dev//pts/", "dev/pts"},
            {"/dev/./shm", "dev/shm"},
            {"/dev/../proc", "proc"},
            {"/../../etc/passwd", "etc/passwd"},
            {"/a/b/../../..", ""},
            {"/a/..b/c", "a/..b/c"},
            {"/a/.../c", "a/.../c"},
            {"///x///y", "x/y"},
        };
        char out[64];
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                int r = path_clean(cases[i][0], out, sizeof(out));
                ok(r == 0 && strcmp(out, cases[i][1]) == 0,
                   "path_clean(\"%s\") = \"%s\" (got \"%s\")", cases[i][0], cases[i][1],
                   r == 0 ? out : "error");
        }
        ok(path_clean("/abcdefgh", out, 8) < 0 && errno == ENAMETOOLONG,
           "path_clean: ENAMETOOLONG when it does not fit");
}

int main(void)
{
        test_single_options();
        test_combinations();
        test_limits();
        test_attrs();
        test_path_clean();
        printf("1..%d\n", n_run);
        printf("%d passed, %d failed\n", n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
