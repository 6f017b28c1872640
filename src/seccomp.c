/* seccomp.c - linux.seccomp: compile in the parent, load in the init
 * (see security.h).
 *
 * seccomp_compile() runs in the parent before clone3: libseccomp turns the
 * profile into a classic BPF program, which is exported into memory (a
 * memfd) and kept as a plain array of instructions together with the
 * seccomp(2) flags.  The init then only makes one seccomp(2) call: no
 * allocation and no libseccomp after clone.  The compiled program depends
 * only on the profile and the host architecture, so it can be cached.
 *
 * Behaviour follows runc where the spec is silent:
 *  - SCMP_ACT_KILL is SCMP_ACT_KILL_THREAD; SCMP_ACT_ERRNO and
 *    SCMP_ACT_TRACE without errnoRet return EPERM;
 *  - a rule whose action is the default action is skipped;
 *  - a syscall name libseccomp does not know is skipped (debug log);
 *  - conditions on different arguments are AND'ed in one rule; if two
 *    conditions test the same argument, each condition becomes a rule of
 *    its own (OR), as libseccomp cannot AND two tests of one argument;
 *  - SCMP_ACT_NOTIFY can be neither the default action nor the action of
 *    "write"; hull also refuses it for "sendmsg", which its init uses to
 *    hand the listener fd to the parent (sync.c): either would hang the
 *    init before the agent has the fd;
 *  - the -ENOSYS stub: unless the default action lets syscalls through
 *    (ALLOW, LOG, TRACE), a syscall with a number above the highest one
 *    the profile names for a listed architecture gets ENOSYS instead of
 *    the default action, so that a newer libc falls back from syscalls the
 *    profile predates (clone3, openat2, ...) instead of failing with EPERM;
 *  - libseccomp's binary-tree optimisation for profiles of more than 32
 *    rules.
 */

#include <seccomp.h>

#include "security.h"
#include "error.h"
#include "fsutil.h"
#include "hull-version.h"
#include "log.h"
#include "names.h"
#include "seccomp_cache.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_FILTER_FLAG_TSYNC_ESRCH
#define SECCOMP_FILTER_FLAG_TSYNC_ESRCH (1UL << 4)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

#define MAX_ARGS    6
#define X32_SYS_BIT 0x40000000U
#define MAX_ARCHES  32 /* distinct AUDIT_ARCH values, more than libseccomp has */

/* struct seccomp_prog is in seccomp_cache.h, which stores it. */

/* Syscalls a notifying rule must not cover (see the top of the file). */
static const char *const notify_forbidden[] = {"write", "sendmsg"};

/* The full action: SCMP_ACT_ERRNO and SCMP_ACT_TRACE carry an errno. */
static uint32_t full_action(uint32_t action, bool has_errno, uint32_t errno_ret)
{
        if (!seccomp_action_takes_errno(action))
                return action;
        uint32_t base = action & 0xffff0000U;
        uint32_t data = has_errno ? errno_ret : EPERM;
        return base | (data & 0xffffU);
}

static bool is_permissive(uint32_t action)
{
        return action == SCMP_ACT_ALLOW || action == SCMP_ACT_LOG ||
               (action & 0xffff0000U) == SCMP_ACT_TRACE(0);
}

/* "SCMP_ARCH_X86_64" -> libseccomp's token, 0 when it does not know it. */
static uint32_t arch_token(const char *name)
{
        static const char prefix[] = "SCMP_ARCH_";
        char low[32];
        if (strncmp(name, prefix, sizeof(prefix) - 1) != 0)
                return 0;
        name += sizeof(prefix) - 1;
        size_t n = strlen(name);
        if (n == 0 || n >= sizeof(low))
                return 0;
        for (size_t i = 0; i <= n; i++)
                low[i] = (char)tolower((unsigned char)name[i]);
        return seccomp_arch_resolve_name(low);
}

/* ---- the -ENOSYS stub ---- */

/* Per kernel architecture (AUDIT_ARCH_*), the highest syscall number the
 * profile names; x86-64 also has the x32 ABI (syscall numbers with bit 30
 * set) under the same AUDIT_ARCH. */
struct arch_max {
        uint32_t audit;
        bool has_native, has_x32;
        uint32_t max_native, max_x32;
};

static uint32_t highest_syscall(const struct hull_seccomp *s, uint32_t token)
{
        uint32_t max = 0;
        for (size_t i = 0; i < s->n_syscalls; i++)
                for (size_t j = 0; j < s->syscalls[i].n_names; j++) {
                        int nr = seccomp_syscall_resolve_name_arch(token, s->syscalls[i].names[j]);
                        if (nr >= 0 && (uint32_t)nr > max)
                                max = (uint32_t)nr;
                }
        return max;
}

static size_t collect_arches(const struct hull_seccomp *s, struct arch_max *out)
{
        size_t n = 0;
        for (size_t a = 0; a < s->n_architectures; a++) {
                uint32_t token = arch_token(s->architectures[a]);
                if (token == 0)
                        continue;
                bool x32 = token == SCMP_ARCH_X32;
                uint32_t audit = x32 ? AUDIT_ARCH_X86_64 : token;
                size_t k = 0;
                while (k < n && out[k].audit != audit)
                        k++;
                if (k == MAX_ARCHES)
                        continue;
                if (k == n)
                        out[n++] = (struct arch_max){.audit = audit};
                if (x32 ? out[k].has_x32 : out[k].has_native)
                        continue;
                uint32_t max = highest_syscall(s, token);
                if (max == 0) {
                        log_debug("linux.seccomp: no syscall of the profile is known on %s",
                                  s->architectures[a]);
                        continue;
                }
                if (x32) {
                        out[k].has_x32 = true;
                        out[k].max_x32 = max;
                } else {
                        out[k].has_native = true;
                        out[k].max_native = max;
                }
        }
        return n;
}

struct stub {
        struct sock_filter *insn;
        size_t n;
        size_t to_filter[1 + 2 * MAX_ARCHES]; /* "ja filter" to patch */
        size_t n_to_filter;
};

static void emit(struct stub *st, uint16_t code, uint32_t k, uint8_t jt, uint8_t jf)
{
        st->insn[st->n++] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
}

static void emit_ja_filter(struct stub *st)
{
        st->to_filter[st->n_to_filter++] = st->n;
        emit(st, BPF_JMP | BPF_JA, 0, 0, 0);
}

/* nr > max: ENOSYS, else on to the real filter. */
static void emit_check(struct stub *st, uint32_t max)
{
        emit(st, BPF_JMP | BPF_JGT | BPF_K, max, 0, 1);
        emit(st, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
        emit_ja_filter(st);
}

/* Instructions the stub needs at most for n architectures: the arch load
 * and the fall-through jump, then per architecture 2 to dispatch and at
 * most 8 in its section (x86-64 with x32). */
#define STUB_MAX(n) (2 + 10 * (n))

/* Writes the stub into insn (room for STUB_MAX(n_architectures)); returns
 * its length, 0 for none.  Every conditional jump is short (0..3); long
 * distances use BPF_JA, whose offset is 32 bits. */
static size_t enosys_stub(const struct hull_seccomp *s, uint32_t def, struct sock_filter *insn)
{
        if (is_permissive(def) || def == SCMP_ACT_ERRNO(ENOSYS) || s->n_architectures == 0)
                return 0;
        struct arch_max arches[MAX_ARCHES];
        size_t n = collect_arches(s, arches);
        size_t used = 0;
        for (size_t i = 0; i < n; i++)
                if (arches[i].has_native || arches[i].has_x32)
                        arches[used++] = arches[i];
        if (used == 0)
                return 0;

        struct stub st = {.insn = insn};
        size_t to_section[MAX_ARCHES];
        emit(&st, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch), 0, 0);
        for (size_t i = 0; i < used; i++) {
                emit(&st, BPF_JMP | BPF_JEQ | BPF_K, arches[i].audit, 0, 1);
                to_section[i] = st.n;
                emit(&st, BPF_JMP | BPF_JA, 0, 0, 0);
        }
        emit_ja_filter(&st); /* an architecture the stub does not handle */
        for (size_t i = 0; i < used; i++) {
                const struct arch_max *a = &arches[i];
                st.insn[to_section[i]].k = (uint32_t)(st.n - to_section[i] - 1);
                emit(&st, BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr), 0, 0);
                if (a->audit == AUDIT_ARCH_S390 || a->audit == AUDIT_ARCH_S390X) {
                        /* Unknown syscalls reach the filter as setup(2), nr 0. */
                        emit(&st, BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1);
                        emit(&st, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
                }
                if (a->audit != AUDIT_ARCH_X86_64) {
                        emit_check(&st, a->max_native);
                } else if (a->has_native && a->has_x32) {
                        emit(&st, BPF_JMP | BPF_JSET | BPF_K, X32_SYS_BIT, 0, 3);
                        emit_check(&st, a->max_x32);
                        emit_check(&st, a->max_native);
                } else if (a->has_native) {
                        emit(&st, BPF_JMP | BPF_JSET | BPF_K, X32_SYS_BIT, 0, 1);
                        emit_ja_filter(&st);
                        emit_check(&st, a->max_native);
                } else {
                        emit(&st, BPF_JMP | BPF_JSET | BPF_K, X32_SYS_BIT, 1, 0);
                        emit_ja_filter(&st);
                        emit_check(&st, a->max_x32);
                }
        }
        for (size_t i = 0; i < st.n_to_filter; i++)
                st.insn[st.to_filter[i]].k = (uint32_t)(st.n - st.to_filter[i] - 1);
        return st.n;
}

/* ---- compile ---- */

static int check_notify(const struct hull_seccomp *s, uint32_t def, bool *notify)
{
        *notify = false;
        if (def == SCMP_ACT_NOTIFY)
                return herr(EINVAL, "linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be used "
                                    "as default action");
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const struct hull_seccomp_rule *r = &s->syscalls[i];
                if (r->action != SCMP_ACT_NOTIFY)
                        continue;
                *notify = true;
                for (size_t j = 0; j < r->n_names; j++)
                        for (size_t k = 0; k < sizeof(notify_forbidden) / sizeof(*notify_forbidden);
                             k++)
                                if (strcmp(r->names[j], notify_forbidden[k]) == 0)
                                        return herr(EINVAL,
                                                    "linux.seccomp.syscalls[%zu].names[%zu]: "
                                                    "SCMP_ACT_NOTIFY cannot be used for the %s "
                                                    "syscall",
                                                    i, j, r->names[j]);
        }
        if (*notify && (!s->listener_path || !s->listener_path[0]))
                return herr(EINVAL, "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY "
                                    "is used");
        return 0;
}

static int filter_flags(const struct hull_seccomp *s, bool notify, unsigned *out)
{
        unsigned flags = 0;
        for (size_t i = 0; i < s->n_flags; i++) {
                unsigned f;
                if (seccomp_flag_from_name(s->flags[i], &f) < 0)
                        return herr(EINVAL, "linux.seccomp.flags[%zu]: unknown flag \"%s\"", i,
                                    s->flags[i]);
                flags |= f;
        }
        if (notify) {
                flags |= SECCOMP_FILTER_FLAG_NEW_LISTENER;
                /* The kernel refuses TSYNC with a listener unless told to
                 * fail with ESRCH instead of returning a thread id. */
                if (flags & SECCOMP_FILTER_FLAG_TSYNC)
                        flags |= SECCOMP_FILTER_FLAG_TSYNC_ESRCH;
        } else if (flags & SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV) {
                /* Only means something for a listener; the kernel refuses
                 * it without one. */
                log_debug("linux.seccomp.flags: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV without "
                          "SCMP_ACT_NOTIFY rules: ignored");
                flags &= ~(unsigned)SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV;
        }
        *out = flags;
        return 0;
}

static int add_arches(scmp_filter_ctx ctx, const struct hull_seccomp *s)
{
        for (size_t i = 0; i < s->n_architectures; i++) {
                uint32_t token = arch_token(s->architectures[i]);
                if (token == 0)
                        return herr(0,
                                    "linux.seccomp.architectures[%zu]: %s is not supported by "
                                    "libseccomp %u.%u.%u",
                                    i, s->architectures[i], seccomp_version()->major,
                                    seccomp_version()->minor, seccomp_version()->micro);
                int rc = seccomp_arch_add(ctx, token);
                if (rc < 0 && rc != -EEXIST)
                        return herr(-rc, "linux.seccomp.architectures[%zu]: add %s", i,
                                    s->architectures[i]);
        }
        return 0;
}

static int add_rule(scmp_filter_ctx ctx, size_t idx, const struct hull_seccomp_rule *r,
                    uint32_t action, const char *name)
{
        int nr = seccomp_syscall_resolve_name(name);
        if (nr == __NR_SCMP_ERROR) {
                log_debug("linux.seccomp.syscalls[%zu]: unknown syscall \"%s\" ignored", idx, name);
                return 0;
        }
        struct scmp_arg_cmp cmp[MAX_ARGS];
        unsigned per_index[MAX_ARGS] = {0};
        bool split = false;
        if (r->n_args > MAX_ARGS)
                split = true;
        for (size_t a = 0; a < r->n_args; a++) {
                const struct hull_seccomp_arg *arg = &r->args[a];
                if (arg->index >= MAX_ARGS)
                        return herr(EINVAL,
                                    "linux.seccomp.syscalls[%zu].args[%zu].index: %u is "
                                    "not a syscall argument (0..5)",
                                    idx, a, arg->index);
                if (arg->op < SCMP_CMP_NE || arg->op > SCMP_CMP_MASKED_EQ)
                        return herr(EINVAL,
                                    "linux.seccomp.syscalls[%zu].args[%zu].op: invalid "
                                    "operator %d",
                                    idx, a, arg->op);
                if (++per_index[arg->index] > 1)
                        split = true;
        }
        int rc = 0;
        if (r->n_args == 0) {
                rc = seccomp_rule_add(ctx, action, nr, 0);
        } else if (!split) {
                for (size_t a = 0; a < r->n_args; a++)
                        cmp[a] = (struct scmp_arg_cmp){r->args[a].index,
                                                       (enum scmp_compare)r->args[a].op,
                                                       r->args[a].value, r->args[a].value_two};
                rc = seccomp_rule_add_array(ctx, action, nr, (unsigned)r->n_args, cmp);
        } else {
                for (size_t a = 0; a < r->n_args && rc == 0; a++) {
                        cmp[0] = (struct scmp_arg_cmp){r->args[a].index,
                                                       (enum scmp_compare)r->args[a].op,
                                                       r->args[a].value, r->args[a].value_two};
                        rc = seccomp_rule_add_array(ctx, action, nr, 1, cmp);
                }
        }
        if (rc < 0)
                return herr(-rc, "linux.seccomp.syscalls[%zu]: add rule for \"%s\"", idx, name);
        return 0;
}

/* libseccomp's program -> one allocation with the stub in front. */
static int export_prog(scmp_filter_ctx ctx, const struct hull_seccomp *s, uint32_t def,
                       unsigned flags, struct seccomp_prog **out)
{
        int fd = memfd_create("hull-seccomp-bpf", MFD_CLOEXEC);
        if (fd < 0)
                return herr(errno, "linux.seccomp: memfd_create");
        struct seccomp_prog *p = NULL;
        int rc = seccomp_export_bpf(ctx, fd);
        if (rc < 0) {
                herr(-rc, "linux.seccomp: export the filter as BPF");
                goto out;
        }
        struct stat sb;
        if (fstat(fd, &sb) < 0) {
                herr(errno, "linux.seccomp: stat the exported filter");
                goto out;
        }
        size_t n = (size_t)sb.st_size / sizeof(struct sock_filter);
        if (sb.st_size <= 0 || (size_t)sb.st_size % sizeof(struct sock_filter) != 0) {
                herr(EPROTO, "linux.seccomp: libseccomp exported %lld bytes of BPF",
                     (long long)sb.st_size);
                goto out;
        }
        size_t stub_max = STUB_MAX(s->n_architectures);
        p = malloc(sizeof(*p) + (stub_max + n) * sizeof(struct sock_filter));
        if (!p) {
                herr(ENOMEM, "linux.seccomp: compile");
                goto out;
        }
        size_t stub = enosys_stub(s, def, p->insns);
        ssize_t got = pread(fd, p->insns + stub, n * sizeof(struct sock_filter), 0);
        if (got != (ssize_t)(n * sizeof(struct sock_filter))) {
                herr(got < 0 ? errno : EIO, "linux.seccomp: read the exported filter");
                goto out;
        }
        if (stub + n > BPF_MAXINSNS) {
                herr(E2BIG, "linux.seccomp: the filter has %zu instructions, the kernel takes %d",
                     stub + n, BPF_MAXINSNS);
                goto out;
        }
        p->len = (unsigned short)(stub + n);
        p->flags = flags;
        *out = p;
        p = NULL;
out:
        free(p);
        close(fd);
        return *out ? 0 : -1;
}

int seccomp_compile(const struct hull_seccomp *s, struct seccomp_prog **out)
{
        *out = NULL;
        if (!s->present)
                return 0;
        uint32_t def =
            full_action(s->default_action_value, s->has_default_errno_ret, s->default_errno_ret);
        bool notify = false;
        unsigned flags = 0;
        if (check_notify(s, def, &notify) < 0 || filter_flags(s, notify, &flags) < 0)
                return -1;

        scmp_filter_ctx ctx = seccomp_init(def);
        if (!ctx)
                return herr(EINVAL, "linux.seccomp.defaultAction: libseccomp refuses %s",
                            s->default_action ? s->default_action : "the action");
        int rc = -1;
        if (add_arches(ctx, s) < 0)
                goto out;
        /* The binary tree pays off for long profiles only; libseccomp
         * <= 2.5.4 also mishandles it with no rules at all. */
        if (s->n_syscalls > 32 && seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) < 0)
                log_debug("linux.seccomp: libseccomp has no binary tree optimisation");
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const struct hull_seccomp_rule *r = &s->syscalls[i];
                uint32_t action = full_action(r->action, r->has_errno_ret, r->errno_ret);
                if (action == def)
                        continue;
                for (size_t j = 0; j < r->n_names; j++)
                        if (add_rule(ctx, i, r, action, r->names[j]) < 0)
                                goto out;
        }
        rc = export_prog(ctx, s, def, flags, out);
out:
        seccomp_release(ctx);
        return rc;
}

void seccomp_free(struct seccomp_prog *p)
{
        free(p);
}

/* ---- load (in the init) ---- */

int seccomp_prog_load(struct seccomp_prog *p, int *notify_fd)
{
        *notify_fd = -1;
        if (!p)
                return 0;
        struct sock_fprog prog = {.len = p->len, .filter = p->insns};
        long r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog);
        if (r < 0)
                return herr(errno, "linux.seccomp: load the filter (seccomp flags %#x)", p->flags);
        if (p->flags & SECCOMP_FILTER_FLAG_NEW_LISTENER) {
                *notify_fd = (int)r;
        } else if (r > 0) {
                /* TSYNC: the thread that could not follow; nothing loaded */
                return herr(0, "linux.seccomp: load the filter: thread %ld cannot be synchronised",
                            r);
        }
        return 0;
}

/* ---- the listener (in the parent) ---- */

static char *process_state(const struct hull_seccomp *s, const char *state_json)
{
        json_error_t je;
        json_t *state = json_loads(state_json ? state_json : "", 0, &je);
        if (!json_is_object(state)) {
                json_decref(state);
                herr(EINVAL, "seccomp agent: bad container state: %s", je.text);
                return NULL;
        }
        json_t *o = json_object();
        json_t *fds = json_array();
        json_array_append_new(fds, json_string("seccompFd"));
        json_object_set_new(o, "ociVersion", json_string(HULL_SPEC_VERSION));
        json_object_set_new(o, "fds", fds);
        json_t *pid = json_object_get(state, "pid");
        json_object_set_new(o, "pid",
                            json_integer(json_is_integer(pid) ? json_integer_value(pid) : 0));
        if (s->listener_metadata && s->listener_metadata[0])
                json_object_set_new(o, "metadata", json_string(s->listener_metadata));
        json_object_set_new(o, "state", state);
        char *text = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (!text)
                herr(ENOMEM, "seccomp agent: container process state");
        return text;
}

static int send_all(int sock, const char *buf, size_t len, int fd)
{
        while (len > 0) {
                ssize_t n = send_with_fd(sock, buf, len, fd);
                if (n < 0)
                        return -1;
                fd = -1; /* the fd goes with the first part only */
                buf += n;
                len -= (size_t)n;
        }
        return 0;
}

int seccomp_send_notify_fd(const struct hull_seccomp *s, int notify_fd, const char *state_json)
{
        const char *path = s->listener_path;
        if (!path || !path[0])
                return herr(EINVAL, "linux.seccomp.listenerPath: required when SCMP_ACT_NOTIFY "
                                    "is used");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof(sa.sun_path))
                return herr(ENAMETOOLONG, "linux.seccomp.listenerPath: %s", path);
        memcpy(sa.sun_path, path, strlen(path) + 1);

        char *msg = process_state(s, state_json);
        if (!msg)
                return -1;
        int rc = -1;
        int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (sock < 0) {
                herr(errno, "linux.seccomp.listenerPath: socket");
                goto out;
        }
        int r;
        do
                r = connect(sock, (struct sockaddr *)&sa, sizeof(sa));
        while (r < 0 && errno == EINTR);
        if (r < 0) {
                herr(errno, "linux.seccomp.listenerPath: connect to the seccomp agent at %s", path);
                goto out;
        }
        if (send_all(sock, msg, strlen(msg), notify_fd) < 0) {
                herr(errno, "linux.seccomp.listenerPath: send the seccomp fd to %s", path);
                goto out;
        }
        rc = 0;
out:
        if (sock >= 0)
                close(sock);
        free(msg);
        return rc;
}
