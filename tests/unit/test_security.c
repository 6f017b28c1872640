/* test_security.c - capabilities and LSM labels (caps.c, lsm.c).  Needs
 * root: every test that changes the process runs in a forked child and
 * checks /proc/self/status there.  Seccomp is in test_seccomp.c.
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include "config.h"
#include "error.h"
#include "security.h"
#include "security_test.h"

#include <grp.h>
#include <linux/capability.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/prctl.h>

/* ---- capabilities ---- */

#define BIT(c) (UINT64_C(1) << (c))

static uint64_t host_bnd; /* the bounding set the tests start from */

struct caps_case {
        struct hull_caps caps;
        uid_t uid; /* 0: stay root */
        bool exec; /* check after execve of /bin/cat /proc/self/status */
        struct status want;
        const char *want_err; /* caps_apply fails with this message */
};

static int change_user(uid_t uid)
{
        gid_t g = uid;
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0 || setgroups(0, NULL) < 0 ||
            setresgid(g, g, g) < 0 || setresuid(uid, uid, uid) < 0 ||
            prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return -1;
        return 0;
}

static void check_caps(const struct status *got, const struct status *want)
{
        check(got->inh == want->inh, "CapInh %llx, want %llx", (unsigned long long)got->inh,
              (unsigned long long)want->inh);
        check(got->prm == want->prm, "CapPrm %llx, want %llx", (unsigned long long)got->prm,
              (unsigned long long)want->prm);
        check(got->eff == want->eff, "CapEff %llx, want %llx", (unsigned long long)got->eff,
              (unsigned long long)want->eff);
        check(got->bnd == want->bnd, "CapBnd %llx, want %llx", (unsigned long long)got->bnd,
              (unsigned long long)want->bnd);
        check(got->amb == want->amb, "CapAmb %llx, want %llx", (unsigned long long)got->amb,
              (unsigned long long)want->amb);
}

static int caps_child(void *arg)
{
        const struct caps_case *t = arg;
        if (caps_drop_bounding(&t->caps) < 0) {
                check(false, "caps_drop_bounding: %s", herr_msg());
                return 1;
        }
        if (t->uid && change_user(t->uid) < 0) {
                check(false, "change to uid %u: %s", (unsigned)t->uid, strerror(errno));
                return 1;
        }
        int r = caps_apply(&t->caps);
        if (t->want_err) {
                check(r < 0, "caps_apply should fail");
                return r < 0 && msg_is(t->want_err) ? 0 : 1;
        }
        if (r < 0) {
                check(false, "caps_apply: %s", herr_msg());
                return 1;
        }
        check(getuid() == t->uid, "uid %u", (unsigned)getuid());
        if (!t->exec) {
                struct status s;
                read_status(&s);
                check_caps(&s, &t->want);
                return 0;
        }
        int p[2];
        if (pipe(p) < 0)
                return 1;
        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                dup2(p[1], 1);
                execl("/bin/cat", "cat", "/proc/self/status", (char *)NULL);
                _exit(127);
        }
        close(p[1]);
        char buf[8192];
        size_t len = 0;
        ssize_t n;
        while (len < sizeof(buf) - 1 && (n = read(p[0], buf + len, sizeof(buf) - 1 - len)) > 0)
                len += (size_t)n;
        buf[len] = '\0';
        close(p[0]);
        waitpid(pid, NULL, 0);
        struct status s;
        parse_status(buf, &s);
        check_caps(&s, &t->want);
        return 0;
}

static void caps_test(const char *name, struct caps_case *t)
{
        ok(in_child(caps_child, t), "caps: %s", name);
}

static void test_caps(void)
{
        struct status now;
        read_status(&now);
        host_bnd = now.bnd;
        /* Docker's default set, minus what this host lacks. */
        uint64_t dflt =
            (BIT(CAP_CHOWN) | BIT(CAP_DAC_OVERRIDE) | BIT(CAP_FSETID) | BIT(CAP_FOWNER) |
             BIT(CAP_MKNOD) | BIT(CAP_NET_RAW) | BIT(CAP_SETGID) | BIT(CAP_SETUID) |
             BIT(CAP_SETFCAP) | BIT(CAP_SETPCAP) | BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_SYS_CHROOT) |
             BIT(CAP_KILL) | BIT(CAP_AUDIT_WRITE)) &
            host_bnd;
        uint64_t net = BIT(CAP_NET_BIND_SERVICE) | BIT(CAP_NET_RAW);

        struct caps_case all = {
            .caps = {.present = true,
                     .bounding = host_bnd,
                     .effective = host_bnd,
                     .permitted = host_bnd,
                     .inheritable = host_bnd},
            .want = {.inh = host_bnd, .prm = host_bnd, .eff = host_bnd, .bnd = host_bnd},
        };
        caps_test("root keeps every capability", &all);

        struct caps_case docker = {
            .caps = {.present = true, .bounding = dflt, .effective = dflt, .permitted = dflt},
            .want = {.prm = dflt, .eff = dflt, .bnd = dflt},
        };
        caps_test("root with the default set", &docker);

        struct caps_case user = {
            .caps = {.present = true,
                     .bounding = dflt,
                     .effective = net,
                     .permitted = net,
                     .inheritable = net,
                     .ambient = net},
            .uid = 1000,
            .want = {.inh = net, .prm = net, .eff = net, .bnd = dflt, .amb = net},
        };
        caps_test("uid 1000 keeps permitted/effective/ambient across setuid", &user);

        struct caps_case user_exec = user;
        user_exec.exec = true;
        caps_test("uid 1000: ambient capabilities survive execve", &user_exec);

        struct caps_case user_noamb = {
            .caps = {.present = true, .bounding = dflt, .effective = net, .permitted = net},
            .uid = 1000,
            .exec = true,
            .want = {.bnd = dflt},
        };
        caps_test("uid 1000 without ambient: execve drops everything", &user_noamb);

        struct caps_case amb_bad = {
            .caps = {.present = true,
                     .bounding = dflt,
                     .effective = net,
                     .permitted = net,
                     .ambient = BIT(CAP_NET_RAW)},
            .want = {.prm = net, .eff = net, .bnd = dflt},
        };
        caps_test("ambient not inheritable: not raised, no error", &amb_bad);

        struct caps_case no_bounding = {
            .caps = {.present = true, .effective = net, .permitted = net},
            .want = {.prm = net, .eff = net},
        };
        caps_test("absent bounding list drops the whole bounding set", &no_bounding);

        struct caps_case unknown = {
            .caps = {.present = true,
                     .bounding = dflt | BIT(62),
                     .effective = dflt | BIT(62),
                     .permitted = dflt | BIT(62)},
            .want = {.prm = dflt, .eff = dflt, .bnd = dflt},
        };
        caps_test("capability above cap_last_cap skipped", &unknown);

        struct caps_case absent = {
            .caps = {.present = false}, /* .want: all zero */
        };
        caps_test("no process.capabilities: every set is empty (as runc)", &absent);

        struct caps_case bad = {
            .caps = {.present = true, .bounding = dflt, .effective = BIT(CAP_SYS_ADMIN)},
            .want_err = "process.capabilities: capset (effective 0x200000, permitted 0, "
                        "inheritable 0): operation not permitted",
        };
        caps_test("effective outside permitted: capset error", &bad);
}

/* ---- LSM ---- */

static int overmount_child(void *arg)
{
        const char *what = arg;
        char target[128], comm_before[64] = "", comm_after[64] = "";
        snprintf(target, sizeof(target), "/proc/self/task/%d/attr/exec", (int)gettid());
        if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0) {
                check(false, "unshare/mount: %s", strerror(errno));
                return 1;
        }
        int fd = open("/proc/self/comm", O_RDONLY);
        if (fd < 0 || read(fd, comm_before, sizeof(comm_before) - 1) < 0)
                return 1;
        close(fd);
        if (strcmp(what, "procfs") == 0) {
                /* another procfs file: fstatfs alone would accept it */
                char src[64];
                snprintf(src, sizeof(src), "/proc/self/task/%d/comm", (int)gettid());
                if (mount(src, target, NULL, MS_BIND, NULL) < 0) {
                        check(false, "bind %s: %s", src, strerror(errno));
                        return 1;
                }
        } else if (strcmp(what, "file") == 0) {
                char src[] = "/tmp/hull-test-attr-XXXXXX";
                int t = mkstemp(src);
                if (t < 0 || mount(src, target, NULL, MS_BIND, NULL) < 0) {
                        check(false, "bind %s: %s", src, strerror(errno));
                        return 1;
                }
                close(t);
                unlink(src);
        }
        int r = lsm_write_attr("attr/exec", "hull-test");
        fd = open("/proc/self/comm", O_RDONLY);
        if (fd < 0 || read(fd, comm_after, sizeof(comm_after) - 1) < 0)
                return 1;
        close(fd);
        check(strcmp(comm_before, comm_after) == 0, "comm changed to %s", comm_after);
        if (strcmp(what, "none") == 0) {
                /* the real file: no LSM on this host takes "hull-test" */
                check(r < 0 && herr_errno() != EXDEV, "plain attr/exec: %d %s", r, herr_msg());
        } else {
                check(r < 0 && herr_errno() == EXDEV, "overmounted (%s): %d %s", what, r,
                      herr_msg());
        }
        return 0;
}

static void test_lsm(void)
{
        ok(lsm_apply_exec_label(NULL, NULL) == 0 && lsm_apply_exec_label("", "") == 0,
           "lsm: no profile, no label");

        struct hull_config cfg;
        memset(&cfg, 0, sizeof(cfg));
        cfg.linux_.mount_label = "system_u:object_r:container_file_t:s0";
        bool selinux = access("/sys/fs/selinux/enforce", F_OK) == 0;
        bool apparmor = access("/sys/module/apparmor/parameters/enabled", F_OK) == 0;
        if (!selinux) {
                ok(lsm_mount_label(&cfg) == NULL, "lsm: no mount label without SELinux");
                ok(lsm_apply_exec_label(NULL, "system_u:system_r:container_t:s0") < 0 &&
                       msg_is("process.selinuxLabel: SELinux is not enabled on this host"),
                   "lsm: SELinux label without SELinux");
        } else {
                ok(lsm_mount_label(&cfg) == cfg.linux_.mount_label,
                   "lsm: mount label with SELinux");
        }
        if (!apparmor)
                ok(lsm_apply_exec_label("hull-test", NULL) < 0 &&
                       msg_is("process.apparmorProfile: AppArmor is not enabled on this host"),
                   "lsm: AppArmor profile without AppArmor");

        ok(in_child(overmount_child, "none"), "lsm: attr/exec write reaches the procfs file");
        ok(in_child(overmount_child, "procfs"),
           "lsm: attr/exec hidden by another procfs file: refused (CVE-2025-52881)");
        ok(in_child(overmount_child, "file"), "lsm: attr/exec hidden by a regular file: refused");
}

int main(void)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        if (geteuid() != 0) {
                printf("1..0 # SKIP needs root\n0 passed, 0 failed\n");
                return 0;
        }
        test_caps();
        test_lsm();
        return tap_end();
}
