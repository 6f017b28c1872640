/* test_seccomp.c - linux.seccomp (seccomp.c): compile in the parent, load
 * in a forked child and check real syscalls there, SCMP_ACT_NOTIFY with a
 * small agent.  Needs root (CAP_SYS_ADMIN to load without no_new_privs).
 *
 * Usage: test_seccomp           all tests
 *        test_seccomp compile   only the parent side: compile and the
 *                               listener message (no seccomp(2), for valgrind)
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include <seccomp.h> /* before security.h (seccomp_load) */

#include "config.h"
#include "error.h"
#include "security.h"
#include "security_test.h"

#include <jansson.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/personality.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>

/* ---- seccomp ---- */

#define RULE(act, ...)                                                                             \
        {                                                                                          \
                .names = (const char *[]){__VA_ARGS__, NULL},                                      \
                .n_names = sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *),           \
                .action = (act)                                                                    \
        }

static struct hull_seccomp profile(uint32_t def, struct hull_seccomp_rule *rules, size_t n)
{
        return (struct hull_seccomp){.present = true,
                                     .default_action = "SCMP_ACT_X",
                                     .default_action_value = def,
                                     .syscalls = rules,
                                     .n_syscalls = n};
}

static bool compiles(const struct hull_seccomp *s, struct seccomp_prog **p)
{
        if (seccomp_compile(s, p) == 0 && *p)
                return true;
        printf("#   seccomp_compile: %s\n", herr_msg());
        return false;
}

static void compile_fails(const char *name, const struct hull_seccomp *s, const char *want)
{
        struct seccomp_prog *p = NULL;
        if (seccomp_compile(s, &p) == 0) {
                seccomp_free(p);
                ok(false, "seccomp: %s: compile should fail", name);
                return;
        }
        ok(p == NULL && msg_is(want), "seccomp: %s", name);
}

/* syscall() with an errno result: the errno, or 0 on success. */
static int sys_err(long nr, long a, long b)
{
        errno = 0;
        long r = syscall(nr, a, b, 0, 0, 0, 0);
        return r < 0 ? errno : 0;
}

struct load_case {
        struct seccomp_prog *prog;
        int (*checks)(void);
};

static int load_child(void *arg)
{
        struct load_case *c = arg;
        int fd;
        if (seccomp_prog_load(c->prog, &fd) < 0) {
                check(false, "seccomp_load: %s", herr_msg());
                return 1;
        }
        check(fd == -1, "no listener expected, got fd %d", fd);
        return c->checks();
}

static void load_test(const char *name, const struct hull_seccomp *s, int (*checks)(void))
{
        struct load_case c = {.checks = checks};
        if (!compiles(s, &c.prog)) {
                ok(false, "seccomp: %s", name);
                return;
        }
        ok(in_child(load_child, &c), "seccomp: %s", name);
        seccomp_free(c.prog);
}

static int base_filters; /* filters the test itself runs under */

static int basic_checks(void)
{
        struct status st;
        read_status(&st);
        check(st.seccomp == 2, "Seccomp: %d, want 2", st.seccomp);
        check(st.filters == base_filters + 1, "Seccomp_filters: %d, want %d", st.filters,
              base_filters + 1);
        errno = 0;
        check(mkdir("/tmp/hull-test-denied", 0700) < 0 && errno == EPERM, "mkdir: %s",
              strerror(errno));
        struct utsname u;
        errno = 0;
        check(uname(&u) < 0 && errno == 38, "uname: %s", strerror(errno));
        check(getpid() > 0, "getpid");
        return 0;
}

static int arg_checks(void)
{
        /* personality: only the query 0xffffffff is allowed */
        check(sys_err(SYS_personality, 0xffffffffL, 0) == 0, "personality(0xffffffff)");
        check(sys_err(SYS_personality, 0, 0) == EACCES, "personality(0) not denied");
        check(sys_err(SYS_personality, PER_LINUX32, 0) == EACCES, "personality(LINUX32)");
        /* two conditions on argument 0: OR'ed */
        check(sys_err(SYS_getppid, 7, 0) == EIO, "getppid(7)");
        check(sys_err(SYS_getppid, 9, 0) == EIO, "getppid(9)");
        check(sys_err(SYS_getppid, 8, 0) == 0, "getppid(8)");
        /* conditions on arguments 0 and 1: AND'ed */
        check(sys_err(SYS_getuid, 1, 2) == ENXIO, "getuid(1, 2)");
        check(sys_err(SYS_getuid, 1, 3) == 0, "getuid(1, 3)");
        check(sys_err(SYS_getuid, 0, 2) == 0, "getuid(0, 2)");
        /* each operator */
        check(sys_err(SYS_getgid, 9, 0) == E2BIG, "LT: getgid(9)");
        check(sys_err(SYS_getgid, 10, 0) == 0, "LT: getgid(10)");
        check(sys_err(SYS_getegid, 10, 0) == E2BIG, "LE: getegid(10)");
        check(sys_err(SYS_getegid, 11, 0) == 0, "LE: getegid(11)");
        check(sys_err(SYS_geteuid, 10, 0) == E2BIG, "GE: geteuid(10)");
        check(sys_err(SYS_geteuid, 9, 0) == 0, "GE: geteuid(9)");
        check(sys_err(SYS_gettid, 11, 0) == E2BIG, "GT: gettid(11)");
        check(sys_err(SYS_gettid, 10, 0) == 0, "GT: gettid(10)");
        check(sys_err(SYS_getpgrp, 0x35, 0) == E2BIG, "MASKED_EQ: getpgrp(0x35)");
        check(sys_err(SYS_getpgrp, 0x45, 0) == 0, "MASKED_EQ: getpgrp(0x45)");
        check(sys_err(SYS_sched_yield, 0x100000005L, 0) == E2BIG, "EQ 64-bit: sched_yield");
        check(sys_err(SYS_sched_yield, 5, 0) == 0, "EQ 64-bit: sched_yield(5)");
        return 0;
}

static int flags_checks(void)
{
        struct status st;
        read_status(&st);
        check(st.seccomp == 2, "Seccomp: %d", st.seccomp);
        errno = 0;
        check(mkdir("/tmp/hull-test-denied", 0700) < 0 && errno == EPERM, "mkdir: %s",
              strerror(errno));
        return 0;
}

static int trace_checks(void)
{
        /* SCMP_ACT_TRACE without a tracer: the syscall fails with ENOSYS. */
        check(sys_err(SYS_getppid, 0, 0) == ENOSYS, "getppid under TRACE");
        return 0;
}

static void test_seccomp_rules(void)
{
        struct seccomp_prog *p = (struct seccomp_prog *)1;
        struct hull_seccomp none = {0};
        int fd = 5;
        ok(seccomp_compile(&none, &p) == 0 && p == NULL && seccomp_prog_load(NULL, &fd) == 0 &&
               fd == -1,
           "seccomp: no linux.seccomp, no filter");

        struct hull_seccomp_rule basic_rules[] = {
            RULE(SCMP_ACT_ERRNO(0), "mkdir", "mkdirat"), RULE(SCMP_ACT_ERRNO(0), "uname"),
            RULE(SCMP_ACT_ALLOW, "getpid"), /* same as the default: skipped */
        };
        basic_rules[1].has_errno_ret = true;
        basic_rules[1].errno_ret = 38;
        struct hull_seccomp s = profile(SCMP_ACT_ALLOW, basic_rules, 3);
        load_test("ERRNO (EPERM by default, errnoRet 38), Seccomp: 2", &s, basic_checks);

        struct hull_seccomp_rule unknown_rules[] = {
            RULE(SCMP_ACT_ERRNO(0), "hull_no_such_syscall", "mkdir", "mkdirat"),
            RULE(SCMP_ACT_ERRNO(0), "uname"),
        };
        unknown_rules[1].has_errno_ret = true;
        unknown_rules[1].errno_ret = 38;
        s = profile(SCMP_ACT_ALLOW, unknown_rules, 2);
        load_test("unknown syscall name skipped", &s, basic_checks);

        struct hull_seccomp_arg pers[] = {{.index = 0, .value = 0xffffffff, .op = SCMP_CMP_NE}};
        struct hull_seccomp_arg ppid[] = {{.index = 0, .value = 7, .op = SCMP_CMP_EQ},
                                          {.index = 0, .value = 9, .op = SCMP_CMP_EQ}};
        struct hull_seccomp_arg uid[] = {{.index = 0, .value = 1, .op = SCMP_CMP_EQ},
                                         {.index = 1, .value = 2, .op = SCMP_CMP_EQ}};
        struct hull_seccomp_arg lt[] = {{.index = 0, .value = 10, .op = SCMP_CMP_LT}};
        struct hull_seccomp_arg le[] = {{.index = 0, .value = 10, .op = SCMP_CMP_LE}};
        struct hull_seccomp_arg ge[] = {{.index = 0, .value = 10, .op = SCMP_CMP_GE}};
        struct hull_seccomp_arg gt[] = {{.index = 0, .value = 10, .op = SCMP_CMP_GT}};
        struct hull_seccomp_arg meq[] = {
            {.index = 0, .value = 0xf0, .value_two = 0x30, .op = SCMP_CMP_MASKED_EQ}};
        struct hull_seccomp_arg eq64[] = {{.index = 0, .value = 0x100000005, .op = SCMP_CMP_EQ}};
        struct hull_seccomp_rule arg_rules[] = {
            RULE(SCMP_ACT_ERRNO(0), "personality"), RULE(SCMP_ACT_ERRNO(0), "getppid"),
            RULE(SCMP_ACT_ERRNO(0), "getuid"),      RULE(SCMP_ACT_ERRNO(0), "getgid"),
            RULE(SCMP_ACT_ERRNO(0), "getegid"),     RULE(SCMP_ACT_ERRNO(0), "geteuid"),
            RULE(SCMP_ACT_ERRNO(0), "gettid"),      RULE(SCMP_ACT_ERRNO(0), "getpgrp"),
            RULE(SCMP_ACT_ERRNO(0), "sched_yield"),
        };
        struct {
                struct hull_seccomp_arg *args;
                size_t n;
                int err;
        } a[] = {{pers, 1, EACCES}, {ppid, 2, EIO},  {uid, 2, ENXIO},
                 {lt, 1, E2BIG},    {le, 1, E2BIG},  {ge, 1, E2BIG},
                 {gt, 1, E2BIG},    {meq, 1, E2BIG}, {eq64, 1, E2BIG}};
        for (size_t i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
                arg_rules[i].args = a[i].args;
                arg_rules[i].n_args = a[i].n;
                arg_rules[i].has_errno_ret = true;
                arg_rules[i].errno_ret = (uint32_t)a[i].err;
        }
        s = profile(SCMP_ACT_ALLOW, arg_rules, sizeof(arg_rules) / sizeof(arg_rules[0]));
        load_test("argument conditions: every operator, AND, same-index OR", &s, arg_checks);

        const char *arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32",
                                "SCMP_ARCH_AARCH64"};
        const char *flags[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                               "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                               "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
        s = profile(SCMP_ACT_ALLOW, basic_rules, 1);
        s.architectures = arches;
        s.n_architectures = 4;
        s.flags = flags;
        s.n_flags = 4;
        load_test("architectures and every flag", &s, flags_checks);

        struct hull_seccomp_rule trace_rules[] = {RULE(SCMP_ACT_TRACE(0), "getppid")};
        trace_rules[0].has_errno_ret = true;
        trace_rules[0].errno_ret = 1234;
        s = profile(SCMP_ACT_ALLOW, trace_rules, 1);
        load_test("SCMP_ACT_TRACE without a tracer", &s, trace_checks);
}

/* The -ENOSYS stub: default ERRNO(EXDEV), only what the child needs.
 * exit_group directly: a sanitizer's _exit() would run its leak check,
 * whose syscalls the filter refuses. */
#define EXIT(code) return (int)syscall(SYS_exit_group, (code))

static int enosys_checks(void)
{
        int a = sys_err(SYS_getuid, 0, 0);
        int b = sys_err(SYS_getrandom, 0, 0);
        EXIT(a == EXDEV && b == ENOSYS ? 0 : 10 + (a == EXDEV) + 2 * (b == ENOSYS));
}

static int no_stub_checks(void)
{
        int b = sys_err(SYS_getrandom, 0, 0);
        EXIT(b == EXDEV ? 0 : 1);
}

#ifdef __x86_64__
static int x32_checks(void)
{
        int a = sys_err(0x40000000 | SYS_getuid, 0, 0);
        int b = sys_err(0x40000000 | SYS_getrandom, 0, 0);
        int c = sys_err(SYS_getrandom, 0, 0);
        EXIT(a == EXDEV && b == ENOSYS && c == ENOSYS ? 0 : 1);
}
#endif

static void test_seccomp_enosys(void)
{
        struct hull_seccomp_rule rules[] = {
            RULE(SCMP_ACT_ALLOW, "exit", "exit_group", "getppid"),
        };
        struct hull_seccomp s = profile(SCMP_ACT_ERRNO(0), rules, 1);
        s.has_default_errno_ret = true;
        s.default_errno_ret = EXDEV;
        s.default_action = "SCMP_ACT_ERRNO";
#ifdef __x86_64__
        const char *native[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"};
#elif defined(__aarch64__)
        const char *native[] = {"SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"};
#else
        const char *native[] = {"SCMP_ARCH_NATIVE_UNKNOWN", NULL};
#endif
        s.architectures = native;
        s.n_architectures = 2;
        load_test("ENOSYS for syscalls newer than the profile, default errno below", &s,
                  enosys_checks);
        s.architectures = NULL;
        s.n_architectures = 0;
        load_test("no architectures: no ENOSYS stub (as runc)", &s, no_stub_checks);
#ifdef __x86_64__
        const char *x32[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X32"};
        s.architectures = x32;
        s.n_architectures = 2;
        load_test("x86_64 + x32: ENOSYS stub per ABI", &s, x32_checks);
#endif
}

static void test_seccomp_errors(void)
{
        struct hull_seccomp_rule rules[] = {RULE(SCMP_ACT_NOTIFY, "getppid", "write")};
        struct hull_seccomp s = profile(SCMP_ACT_NOTIFY, rules, 0);
        s.default_action = "SCMP_ACT_NOTIFY";
        compile_fails("NOTIFY as default action", &s,
                      "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used as default "
                      "action: invalid argument");
        s = profile(SCMP_ACT_ALLOW, rules, 1);
        s.listener_path = "/run/agent.sock";
        compile_fails("NOTIFY on write", &s,
                      "linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for the "
                      "write syscall: invalid argument");
        rules[0].n_names = 1;
        s.listener_path = NULL;
        compile_fails("NOTIFY without listenerPath", &s,
                      "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY is used: invalid "
                      "argument");

        const char *sh[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_SH"};
        s = profile(SCMP_ACT_ALLOW, NULL, 0);
        s.architectures = sh;
        s.n_architectures = 2;
        compile_fails("architecture libseccomp 2.5.4 lacks", &s,
                      "linux.seccomp.architectures[1]: SCMP_ARCH_SH is not supported by "
                      "libseccomp 2.5.4");

        const char *badflag[] = {"SECCOMP_FILTER_FLAG_NOPE"};
        s = profile(SCMP_ACT_ALLOW, NULL, 0);
        s.flags = badflag;
        s.n_flags = 1;
        compile_fails("unknown flag", &s,
                      "linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NOPE\": invalid "
                      "argument");

        struct hull_seccomp_arg idx[] = {{.index = 6, .value = 1, .op = SCMP_CMP_EQ}};
        struct hull_seccomp_rule r2[] = {RULE(SCMP_ACT_ERRNO(0), "getppid")};
        r2[0].args = idx;
        r2[0].n_args = 1;
        s = profile(SCMP_ACT_ALLOW, r2, 1);
        compile_fails("argument index 6", &s,
                      "linux.seccomp.syscalls[0].args[0].index: 6 is not a syscall argument "
                      "(0..5): invalid argument");

        struct hull_seccomp_rule r3[] = {RULE(SCMP_ACT_ALLOW, "getpid"),
                                         RULE(0x12340000U, "getppid", "mount")};
        s = profile(SCMP_ACT_ERRNO(0), r3, 2);
        compile_fails("rule libseccomp refuses", &s,
                      "linux.seccomp.syscalls[1]: add rule for \"getppid\": invalid argument");

        s = profile(0x12340000U, NULL, 0);
        s.default_action = "SCMP_ACT_BOGUS";
        compile_fails("default action libseccomp refuses", &s,
                      "linux.seccomp.defaultAction: libseccomp refuses SCMP_ACT_BOGUS: invalid "
                      "argument");

        s = profile(SCMP_ACT_ALLOW, NULL, 0);
        s.listener_path = "/nonexistent/hull-agent.sock";
        ok(seccomp_send_notify_fd(&s, 0, "{\"pid\":1}") < 0 &&
               msg_is("linux.seccomp.listenerPath: connect to the seccomp agent at "
                      "/nonexistent/hull-agent.sock: no such file or directory"),
           "seccomp: agent not listening");
}

/* ---- SCMP_ACT_NOTIFY with an agent ---- */

struct notify_case {
        struct seccomp_prog *prog;
        int sock; /* to the test (parent): the listener fd goes there */
};

static int send_fd(int sock, int fd)
{
        char c = 'F';
        struct iovec iov = {.iov_base = &c, .iov_len = 1};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        struct cmsghdr *cm = CMSG_FIRSTHDR(&mh);
        cm->cmsg_level = SOL_SOCKET;
        cm->cmsg_type = SCM_RIGHTS;
        cm->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(cm), &fd, sizeof(int));
        return sendmsg(sock, &mh, 0) == 1 ? 0 : -1;
}

static ssize_t recv_fd(int sock, char *buf, size_t len, int *fd)
{
        struct iovec iov = {.iov_base = buf, .iov_len = len};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        *fd = -1;
        ssize_t n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); n > 0 && c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                        memcpy(fd, CMSG_DATA(c), sizeof(int));
        return n;
}

static int notify_child(void *arg)
{
        struct notify_case *c = arg;
        int fd;
        if (seccomp_prog_load(c->prog, &fd) < 0) {
                check(false, "seccomp_load: %s", herr_msg());
                return 1;
        }
        check(fd >= 0, "no listener fd");
        check((fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0, "listener fd without O_CLOEXEC");
        if (send_fd(c->sock, fd) < 0)
                return 1;
        close(fd);
        /* The agent answers 4242 for getppid. */
        long r = syscall(SYS_getppid);
        check(r == 4242, "getppid returned %ld, want 4242 from the agent", r);
        errno = 0;
        check(mkdir("/tmp/hull-test-denied", 0700) < 0 && errno == EPERM, "mkdir: %s",
              strerror(errno));
        return 0;
}

/* The agent's side: one notification, answered with 4242. */
static bool agent_answer(int listener, pid_t pid)
{
        struct seccomp_notif_sizes sz;
        if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) < 0)
                return false;
        struct seccomp_notif *req = calloc(1, sz.seccomp_notif);
        struct seccomp_notif_resp *resp = calloc(1, sz.seccomp_notif_resp);
        bool good = false;
        if (req && resp && ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) == 0) {
                good = req->data.nr == SYS_getppid && req->pid == (uint32_t)pid;
                if (!good)
                        printf("#   notification: nr %d pid %u\n", req->data.nr, req->pid);
                resp->id = req->id;
                resp->val = 4242;
                resp->error = 0;
                if (ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, resp) < 0)
                        good = false;
        }
        free(req);
        free(resp);
        return good;
}

static const char *jstr(json_t *o, const char *key)
{
        const char *v = json_string_value(json_object_get(o, key));
        return v ? v : "";
}

static bool check_process_state(const char *text, pid_t pid)
{
        json_error_t je;
        json_t *o = json_loads(text, 0, &je);
        json_t *fds = json_object_get(o, "fds");
        json_t *st = json_object_get(o, "state");
        const char *fd0 = json_string_value(json_array_get(fds, 0));
        bool good = json_is_object(o) && strcmp(jstr(o, "ociVersion"), "1.3.0") == 0 &&
                    json_array_size(fds) == 1 && fd0 && strcmp(fd0, "seccompFd") == 0 &&
                    json_integer_value(json_object_get(o, "pid")) == pid &&
                    strcmp(jstr(o, "metadata"), "MKNOD=/dev/null") == 0 &&
                    strcmp(jstr(st, "id"), "c1") == 0 &&
                    strcmp(jstr(st, "status"), "creating") == 0;
        if (!good)
                printf("#   container process state: %s\n", text);
        json_decref(o);
        return good;
}

static void test_seccomp_notify(void)
{
        char dir[] = "/tmp/hull-test-agent-XXXXXX";
        if (!mkdtemp(dir)) {
                ok(false, "seccomp: notify: mkdtemp");
                return;
        }
        char path[64];
        snprintf(path, sizeof(path), "%s/agent.sock", dir);
        int agent = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        int sp[2] = {-1, -1};
        bool setup = agent >= 0 && bind(agent, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                     listen(agent, 1) == 0 &&
                     socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) == 0;

        struct hull_seccomp_rule rules[] = {RULE(SCMP_ACT_NOTIFY, "getppid"),
                                            RULE(SCMP_ACT_ERRNO(0), "mkdir", "mkdirat")};
        const char *flags[] = {"SECCOMP_FILTER_FLAG_TSYNC",
                               "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
        struct hull_seccomp s = profile(SCMP_ACT_ALLOW, rules, 2);
        s.listener_path = path;
        s.listener_metadata = "MKNOD=/dev/null";
        s.flags = flags;
        s.n_flags = 2;
        struct notify_case c = {.sock = sp[1]};
        if (!setup || !compiles(&s, &c.prog)) {
                ok(false, "seccomp: notify: setup");
                goto out;
        }

        fflush(stdout);
        pid_t pid = fork();
        if (pid == 0) {
                close(sp[0]);
                close(agent);
                int r = notify_child(&c);
                fflush(stdout);
                _exit(r || child_fails ? 1 : 0);
        }
        close(sp[1]);
        sp[1] = -1;

        /* what the runtime does: take the fd from the init, pass it on */
        char buf[4096];
        int fd = -1;
        bool got = recv_fd(sp[0], buf, sizeof(buf), &fd) == 1 && fd >= 0;
        char state[256];
        snprintf(state, sizeof(state),
                 "{\"ociVersion\":\"1.3.0\",\"id\":\"c1\",\"status\":\"creating\",\"pid\":%d,"
                 "\"bundle\":\"/b\",\"annotations\":{}}",
                 (int)pid);
        bool sent = got && seccomp_send_notify_fd(&s, fd, state) == 0;
        if (got && !sent)
                printf("#   seccomp_send_notify_fd: %s\n", herr_msg());
        if (fd >= 0)
                close(fd);

        /* what the agent does */
        int conn = sent ? accept4(agent, NULL, NULL, SOCK_CLOEXEC) : -1;
        int lfd = -1;
        ssize_t n = conn >= 0 ? recv_fd(conn, buf, sizeof(buf) - 1, &lfd) : -1;
        buf[n > 0 ? n : 0] = '\0';
        bool eof = conn >= 0 && read(conn, state, 1) == 0; /* the runtime closed it */
        bool state_ok = n > 0 && lfd >= 0 && check_process_state(buf, pid);
        bool answered = lfd >= 0 && agent_answer(lfd, pid);
        if (lfd < 0 || !answered)
                kill(pid, SIGKILL);
        int st = 0;
        waitpid(pid, &st, 0);
        ok(sent, "seccomp: notify: listener fd sent to listenerPath");
        ok(state_ok && eof, "seccomp: notify: container process state and SCM_RIGHTS fd");
        ok(answered && WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "seccomp: notify: agent answers the child's getppid");
        if (conn >= 0)
                close(conn);
        if (lfd >= 0)
                close(lfd);
out:
        seccomp_free(c.prog);
        if (sp[0] >= 0)
                close(sp[0]);
        if (sp[1] >= 0)
                close(sp[1]);
        if (agent >= 0)
                close(agent);
        unlink(path);
        rmdir(dir);
}

/* seccomp_send_notify_fd() to a socket of our own: no kernel seccomp
 * needed, so valgrind sees the parent side too. */
static void test_send_state(void)
{
        char dir[] = "/tmp/hull-test-state-XXXXXX";
        if (!mkdtemp(dir)) {
                ok(false, "seccomp: send state: mkdtemp");
                return;
        }
        char path[64];
        snprintf(path, sizeof(path), "%s/agent.sock", dir);
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
        int agent = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int p[2] = {-1, -1};
        bool setup = agent >= 0 && bind(agent, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
                     listen(agent, 1) == 0 && pipe2(p, O_CLOEXEC) == 0;
        struct hull_seccomp s = profile(SCMP_ACT_ALLOW, NULL, 0);
        s.listener_path = path;
        bool sent = setup && seccomp_send_notify_fd(&s, p[0],
                                                    "{\"ociVersion\":\"1.3.0\","
                                                    "\"id\":\"c2\",\"status\":"
                                                    "\"running\",\"pid\":77}") == 0;
        int conn = sent ? accept4(agent, NULL, NULL, SOCK_CLOEXEC) : -1;
        char buf[1024];
        int fd = -1;
        ssize_t n = conn >= 0 ? recv_fd(conn, buf, sizeof(buf) - 1, &fd) : -1;
        buf[n > 0 ? n : 0] = '\0';
        json_t *o = json_loads(buf, 0, NULL);
        /* the fd is the pipe's read end: what goes in the pipe comes out */
        bool same_fd = fd >= 0 && write(p[1], "x", 1) == 1 && read(fd, buf, 1) == 1;
        ok(sent && json_integer_value(json_object_get(o, "pid")) == 77 &&
               !json_object_get(o, "metadata") &&
               strcmp(jstr(json_object_get(o, "state"), "status"), "running") == 0 && same_fd,
           "seccomp: container process state without metadata, fd passed");
        json_decref(o);
        ok(seccomp_send_notify_fd(&s, p[0], "not json") < 0 &&
               msg_is("seccomp agent: bad container state: *"),
           "seccomp: state that is not JSON");
        for (int i = 0; i < 2; i++)
                if (p[i] >= 0)
                        close(p[i]);
        if (fd >= 0)
                close(fd);
        if (conn >= 0)
                close(conn);
        if (agent >= 0)
                close(agent);
        unlink(path);
        rmdir(dir);
}

/* ---- a long profile, compiled only (valgrind: `test_security compile`) ---- */

static void test_seccomp_compile_only(void)
{
        static const char *const names[] = {
            "accept",        "accept4",        "access",   "bind",
            "brk",           "chdir",          "chmod",    "chown",
            "clock_gettime", "clone",          "close",    "connect",
            "dup",           "dup2",           "dup3",     "epoll_create1",
            "epoll_ctl",     "epoll_wait",     "execve",   "exit",
            "exit_group",    "faccessat",      "fchdir",   "fchmod",
            "fcntl",         "fstat",          "futex",    "getcwd",
            "getdents64",    "getpid",         "getppid",  "getuid",
            "ioctl",         "lseek",          "mmap",     "mprotect",
            "munmap",        "nanosleep",      "openat",   "pipe2",
            "poll",          "read",           "readlink", "recvmsg",
            "rt_sigaction",  "rt_sigprocmask", "sendmsg",  "socket",
            "stat",          "wait4",          "write",    "hull_not_a_syscall",
        };
        size_t n = sizeof(names) / sizeof(names[0]);
        struct hull_seccomp_rule rules[sizeof(names) / sizeof(names[0]) + 1];
        for (size_t i = 0; i < n; i++)
                rules[i] = (struct hull_seccomp_rule){
                    .names = (const char **)&names[i], .n_names = 1, .action = SCMP_ACT_ALLOW};
        struct hull_seccomp_arg pers[] = {{.index = 0, .value = 0, .op = SCMP_CMP_EQ},
                                          {.index = 0, .value = 8, .op = SCMP_CMP_EQ}};
        static const char *pname[] = {"personality"};
        rules[n] = (struct hull_seccomp_rule){
            .names = pname, .n_names = 1, .action = SCMP_ACT_ALLOW, .args = pers, .n_args = 2};
        const char *arches[] = {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"};
        struct hull_seccomp s = profile(SCMP_ACT_ERRNO(0), rules, n + 1);
        s.architectures = arches;
        s.n_architectures = 3;
        struct seccomp_prog *p = NULL;
        ok(compiles(&s, &p), "seccomp: compile a %zu-rule profile for 3 architectures", n + 1);
        seccomp_free(p);
        const char *sh[] = {"SCMP_ARCH_X86", "SCMP_ARCH_SH"};
        s.architectures = sh;
        s.n_architectures = 2;
        compile_fails("architecture error path frees everything", &s,
                      "linux.seccomp.architectures[1]: SCMP_ARCH_SH is not supported by "
                      "libseccomp 2.5.4");
        struct hull_seccomp_rule bad[] = {RULE(0x12340000U, "getppid")};
        s = profile(SCMP_ACT_ALLOW, bad, 1);
        compile_fails("rule error path frees everything", &s,
                      "linux.seccomp.syscalls[0]: add rule for \"getppid\": invalid argument");
}

int main(int argc, char **argv)
{
        setvbuf(stdout, NULL, _IOLBF, 0);
        bool compile_only = argc > 1 && strcmp(argv[1], "compile") == 0;
        if (!compile_only && geteuid() != 0) {
                printf("1..0 # SKIP needs root\n0 passed, 0 failed\n");
                return 0;
        }
        test_seccomp_compile_only();
        test_send_state();
        if (!compile_only) {
                struct status st;
                read_status(&st);
                base_filters = st.filters;
                test_seccomp_rules();
                test_seccomp_enosys();
                test_seccomp_errors();
                test_seccomp_notify();
        }
        rmdir("/tmp/hull-test-denied"); /* only there if a filter failed */
        return tap_end();
}
