/* cgroup_devices.c - linux.resources.devices: which device nodes the
 * container may read, write or mknod.
 *
 * The rules (the config's, then the defaults runc appends: mknod of any
 * char/block device, and rwm of null, zero, full, random, urandom, tty,
 * console, ptmx, /dev/pts/N and tun) run through an emulation of the v1
 * devices controller, which gives a default (allow or deny everything)
 * and a list of exceptions.  That one result is then
 *   v1: written to devices.deny/devices.allow ("a" to reset, then each
 *       exception), the kernel keeping the same list;
 *   v2: compiled to a BPF_PROG_TYPE_CGROUP_DEVICE program (bpf(2), no
 *       library) attached to the cgroup with BPF_F_ALLOW_MULTI; any other
 *       device program on that cgroup is detached.
 * The program matches as v1's kernel code does: with a deny-by-default
 * list an access is allowed when one exception covers all of it; with an
 * allow-by-default list it is denied when an exception shares any of it.
 *
 * Punching a hole in a wildcard exception ("c 1:* rw" then deny "c 1:3 w")
 * is refused, as runc refuses it: v1 would silently ignore the deny.
 */
#include "cgroup_internal.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define F "linux.resources.devices"

static const struct cg_dev_rule default_rules[] = {
    {'c', -1, -1, CG_DEV_M},
    {'b', -1, -1, CG_DEV_M},
    {'c', 1, 3, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/null */
    {'c', 1, 8, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/random */
    {'c', 1, 7, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/full */
    {'c', 5, 0, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/tty */
    {'c', 1, 5, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/zero */
    {'c', 1, 9, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/urandom */
    {'c', 136, -1, CG_DEV_R | CG_DEV_W | CG_DEV_M}, /* /dev/pts/N */
    {'c', 5, 2, CG_DEV_R | CG_DEV_W | CG_DEV_M},    /* /dev/ptmx */
    {'c', 10, 200, CG_DEV_R | CG_DEV_W | CG_DEV_M}, /* /dev/net/tun */
};

static unsigned access_bits(const char *s)
{
        unsigned a = 0;
        for (; *s; s++)
                a |= *s == 'r' ? CG_DEV_R : *s == 'w' ? CG_DEV_W : *s == 'm' ? CG_DEV_M : 0;
        return a;
}

static void fmt_rule(char *buf, size_t n, char type, int64_t major, int64_t minor, unsigned a)
{
        char ma[24] = "*", mi[24] = "*", acc[4];
        if (major >= 0)
                snprintf(ma, sizeof(ma), "%" PRId64, major);
        if (minor >= 0)
                snprintf(mi, sizeof(mi), "%" PRId64, minor);
        size_t k = 0;
        if (a & CG_DEV_R)
                acc[k++] = 'r';
        if (a & CG_DEV_W)
                acc[k++] = 'w';
        if (a & CG_DEV_M)
                acc[k++] = 'm';
        acc[k] = '\0';
        snprintf(buf, n, "%c %s:%s %s", type, ma, mi, acc);
}

static struct cg_dev_rule *find(struct cg_dev_set *s, char type, int64_t major, int64_t minor)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->rules[i].type == type && s->rules[i].major == major &&
                    s->rules[i].minor == minor)
                        return &s->rules[i];
        return NULL;
}

/* One rule, as the kernel's devices.allow/devices.deny would take it. */
static int emulate(struct cg_dev_set *s, const char *field, bool allow, char type, int64_t major,
                   int64_t minor, unsigned access, size_t *cap)
{
        if (type == 'a') { /* "a" always means everything: reset */
                s->default_allow = allow;
                s->n = 0;
                return 0;
        }
        if (major < -1 || minor < -1 || major > UINT32_MAX || minor > UINT32_MAX)
                return herr(EINVAL, "%s: bad device number %" PRId64 ":%" PRId64, field, major,
                            minor);
        if (!access)
                return 0;
        if (allow != s->default_allow) { /* a new exception, or more access for one */
                struct cg_dev_rule *r = find(s, type, major, minor);
                if (r) {
                        r->access |= access;
                        return 0;
                }
                if (s->n == *cap) {
                        size_t nc = *cap ? *cap * 2 : 16;
                        struct cg_dev_rule *nr = realloc(s->rules, nc * sizeof(*nr));
                        if (!nr)
                                return herr(ENOMEM, "%s", field);
                        s->rules = nr;
                        *cap = nc;
                }
                s->rules[s->n++] = (struct cg_dev_rule){type, major, minor, access};
                return 0;
        }
        /* taking access away from an exception */
        const int64_t wild[3][2] = {{-1, minor}, {major, -1}, {-1, -1}};
        for (int i = 0; i < 3; i++) {
                if (wild[i][0] == major && wild[i][1] == minor)
                        continue;
                struct cg_dev_rule *w = find(s, type, wild[i][0], wild[i][1]);
                if (w && (w->access & access)) {
                        char a[64], b[64];
                        fmt_rule(a, sizeof(a), type, major, minor, access);
                        fmt_rule(b, sizeof(b), w->type, w->major, w->minor, w->access);
                        return herr(EINVAL,
                                    "%s: the rule \"%s\" would punch a hole in the wildcard rule "
                                    "\"%s\", which the devices cgroup cannot do",
                                    field, a, b);
                }
        }
        struct cg_dev_rule *r = find(s, type, major, minor);
        if (r) {
                r->access &= ~access;
                if (!r->access)
                        *r = s->rules[--s->n];
        }
        return 0;
}

int cg_dev_compute(const struct hull_resources *r, struct cg_dev_set *out)
{
        memset(out, 0, sizeof(*out)); /* the devices cgroup starts as "deny all" here */
        size_t cap = 0;
        char field[64];
        for (size_t i = 0; r && i < r->n_devices; i++) {
                const struct hull_device_rule *d = &r->devices[i];
                snprintf(field, sizeof(field), F "[%zu]", i);
                if (emulate(out, field, d->allow, d->type, d->has_major ? d->major : -1,
                            d->has_minor ? d->minor : -1, access_bits(d->access), &cap) < 0)
                        goto fail;
        }
        for (size_t i = 0; i < sizeof(default_rules) / sizeof(default_rules[0]); i++) {
                const struct cg_dev_rule *d = &default_rules[i];
                if (emulate(out, "default device rules", true, d->type, d->major, d->minor,
                            d->access, &cap) < 0)
                        goto fail;
        }
        return 0;
fail:
        cg_dev_free(out);
        return -1;
}

void cg_dev_free(struct cg_dev_set *s)
{
        free(s->rules);
        s->rules = NULL;
        s->n = 0;
}

/* devices.list as a set ("a *:* rwm" is the allow-all list). */
static int read_list(const char *dir, struct cg_dev_set *cur)
{
        memset(cur, 0, sizeof(*cur));
        char *text;
        if (cg_read(dir, "devices.list", &text) < 0)
                return -1;
        size_t cap = 0;
        int rc = 0;
        for (char *line = text, *save; rc == 0 && (line = strtok_r(line, "\n", &save));
             line = NULL) {
                char type, ma[24], mi[24], acc[8];
                if (sscanf(line, "%c %23[^:]:%23s %7s", &type, ma, mi, acc) != 4)
                        continue;
                if (type == 'a') {
                        cur->default_allow = true;
                        cur->n = 0;
                        break;
                }
                int64_t major = ma[0] == '*' ? -1 : strtoll(ma, NULL, 10);
                int64_t minor = mi[0] == '*' ? -1 : strtoll(mi, NULL, 10);
                rc = emulate(cur, "devices.list", true, type, major, minor, access_bits(acc), &cap);
        }
        free(text);
        return rc;
}

static unsigned access_of(const struct cg_dev_set *s, const struct cg_dev_rule *r)
{
        for (size_t i = 0; i < s->n; i++)
                if (s->rules[i].type == r->type && s->rules[i].major == r->major &&
                    s->rules[i].minor == r->minor)
                        return s->rules[i].access;
        return 0;
}

static int write_rule(const char *dir, const char *file, const struct cg_dev_rule *d,
                      unsigned access)
{
        char line[80];
        fmt_rule(line, sizeof(line), d->type, d->major, d->minor, access);
        return cg_write(F, dir, file, line);
}

/* The kernel refuses to switch the default while a child cgroup is online,
 * which a just-removed one still is for a grace period: retry a little. */
static int write_reset(const char *dir, bool allow)
{
        for (int i = 0;; i++) {
                if (cg_write(F, dir, allow ? "devices.allow" : "devices.deny", "a") == 0)
                        return 0;
                if (herr_errno() != EINVAL || i >= 20)
                        return -1;
                struct timespec ts = {0, 10 * 1000000L};
                nanosleep(&ts, NULL);
        }
}

int cg_dev_apply_v1(const char *dir, const struct cg_dev_set *s)
{
        struct cg_dev_set cur;
        if (read_list(dir, &cur) < 0)
                return -1;
        int rc = 0;
        if (cur.default_allow || s->default_allow) {
                /* from or to allow-all: reset, then every exception */
                rc = write_reset(dir, s->default_allow);
                const char *file = s->default_allow ? "devices.deny" : "devices.allow";
                for (size_t i = 0; rc == 0 && i < s->n; i++)
                        rc = write_rule(dir, file, &s->rules[i], s->rules[i].access);
        } else {
                /* deny-all to deny-all: only what changes, nothing is
                 * refused in between */
                for (size_t i = 0; rc == 0 && i < cur.n; i++) {
                        unsigned drop = cur.rules[i].access & ~access_of(s, &cur.rules[i]);
                        if (drop)
                                rc = write_rule(dir, "devices.deny", &cur.rules[i], drop);
                }
                for (size_t i = 0; rc == 0 && i < s->n; i++) {
                        unsigned gain = s->rules[i].access & ~access_of(&cur, &s->rules[i]);
                        if (gain)
                                rc = write_rule(dir, "devices.allow", &s->rules[i], gain);
                }
        }
        cg_dev_free(&cur);
        return rc;
}

/* ---- the eBPF program ---- */

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
        struct bpf_insn i;
        memset(&i, 0, sizeof(i));
        i.code = code;
        i.dst_reg = dst & 0xf;
        i.src_reg = src & 0xf;
        i.off = off;
        i.imm = imm;
        return i;
}

#define LDX_W(dst, src, off)         insn(BPF_LDX | BPF_MEM | BPF_W, dst, src, off, 0)
#define ALU32_IMM(op, dst, imm)      insn(BPF_ALU | (op) | BPF_K, dst, 0, 0, imm)
#define MOV32_REG(dst, src)          insn(BPF_ALU | BPF_MOV | BPF_X, dst, src, 0, 0)
#define JMP32_IMM(op, dst, imm, off) insn(BPF_JMP32 | (op) | BPF_K, dst, 0, off, imm)
#define EXIT()                       insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0)

/* r2 = type, r3 = access, r4 = major, r5 = minor (struct bpf_cgroup_dev_ctx) */
static size_t block_len(const struct cg_dev_set *s, const struct cg_dev_rule *d)
{
        size_t n = 1 + 2; /* type check; r0 = verdict; exit */
        unsigned all = CG_DEV_R | CG_DEV_W | CG_DEV_M;
        if (!(s->default_allow ? d->access == all : d->access == all))
                n += 3;
        if (d->major >= 0)
                n++;
        if (d->minor >= 0)
                n++;
        return n;
}

int cg_dev_bpf_build(const struct cg_dev_set *s, void **out, size_t *count)
{
        size_t n = 6 + 2;
        for (size_t i = 0; i < s->n; i++)
                n += block_len(s, &s->rules[i]);
        if (n > 4096)
                return herr(E2BIG, F ": %zu device rules make a program too large", s->n);
        struct bpf_insn *p = calloc(n, sizeof(*p));
        if (!p)
                return herr(ENOMEM, F);
        size_t k = 0;
        p[k++] = LDX_W(BPF_REG_2, BPF_REG_1, 0);
        p[k++] = ALU32_IMM(BPF_AND, BPF_REG_2, 0xffff);
        p[k++] = LDX_W(BPF_REG_3, BPF_REG_1, 0);
        p[k++] = ALU32_IMM(BPF_RSH, BPF_REG_3, 16);
        p[k++] = LDX_W(BPF_REG_4, BPF_REG_1, 4);
        p[k++] = LDX_W(BPF_REG_5, BPF_REG_1, 8);
        unsigned all = CG_DEV_R | CG_DEV_W | CG_DEV_M;
        for (size_t i = 0; i < s->n; i++) {
                const struct cg_dev_rule *d = &s->rules[i];
                size_t next = k + block_len(s, d);
#define TO_NEXT() ((int16_t)(next - (k + 1)))
                int32_t type = d->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
                p[k] = JMP32_IMM(BPF_JNE, BPF_REG_2, type, TO_NEXT());
                k++;
                uint32_t acc = (d->access & CG_DEV_R ? BPF_DEVCG_ACC_READ : 0) |
                               (d->access & CG_DEV_W ? BPF_DEVCG_ACC_WRITE : 0) |
                               (d->access & CG_DEV_M ? BPF_DEVCG_ACC_MKNOD : 0);
                if (!s->default_allow && d->access != all) {
                        /* allowed only when the request is within acc */
                        p[k++] = MOV32_REG(BPF_REG_6, BPF_REG_3);
                        p[k++] = ALU32_IMM(BPF_AND, BPF_REG_6, (int32_t)(~acc & 7u));
                        p[k] = JMP32_IMM(BPF_JNE, BPF_REG_6, 0, TO_NEXT());
                        k++;
                } else if (s->default_allow && d->access != all) {
                        /* denied when the request shares anything with acc */
                        p[k++] = MOV32_REG(BPF_REG_6, BPF_REG_3);
                        p[k++] = ALU32_IMM(BPF_AND, BPF_REG_6, (int32_t)acc);
                        p[k] = JMP32_IMM(BPF_JEQ, BPF_REG_6, 0, TO_NEXT());
                        k++;
                }
                if (d->major >= 0) {
                        p[k] =
                            JMP32_IMM(BPF_JNE, BPF_REG_4, (int32_t)(uint32_t)d->major, TO_NEXT());
                        k++;
                }
                if (d->minor >= 0) {
                        p[k] =
                            JMP32_IMM(BPF_JNE, BPF_REG_5, (int32_t)(uint32_t)d->minor, TO_NEXT());
                        k++;
                }
#undef TO_NEXT
                p[k++] = ALU32_IMM(BPF_MOV, BPF_REG_0, s->default_allow ? 0 : 1);
                p[k++] = EXIT();
        }
        p[k++] = ALU32_IMM(BPF_MOV, BPF_REG_0, s->default_allow ? 1 : 0);
        p[k++] = EXIT();
        *out = p;
        *count = k;
        return 0;
}

static long sys_bpf(int cmd, union bpf_attr *a)
{
        return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int prog_load(const struct bpf_insn *p, size_t n)
{
        union bpf_attr a;
        memset(&a, 0, sizeof(a));
        a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        a.insns = (uint64_t)(uintptr_t)p;
        a.insn_cnt = (uint32_t)n;
        a.license = (uint64_t)(uintptr_t) "Apache";
        int fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
        if (fd >= 0)
                return fd;
        int e = errno;
        if (e == EPERM || e == ENOMEM)
                return herr(e, F ": load the device filter (bpf BPF_PROG_LOAD)");
        /* say why the verifier refused it */
        static char log[8192];
        a.log_buf = (uint64_t)(uintptr_t)log;
        a.log_size = sizeof(log);
        a.log_level = 1;
        log[0] = '\0';
        fd = (int)sys_bpf(BPF_PROG_LOAD, &a);
        if (fd >= 0)
                return fd;
        char *nl = strrchr(log, '\n');
        while (nl && nl > log && nl[1] == '\0') {
                *nl = '\0';
                nl = strrchr(log, '\n');
        }
        return herr(e, F ": load the device filter (bpf BPF_PROG_LOAD, %zu instructions%s%s)", n,
                    log[0] ? "; verifier: " : "", nl ? nl + 1 : log);
}

/* Ids of the device programs on the cgroup. */
static int prog_query(int cgfd, uint32_t *ids, uint32_t *n)
{
        union bpf_attr a;
        memset(&a, 0, sizeof(a));
        a.query.target_fd = (uint32_t)cgfd;
        a.query.attach_type = BPF_CGROUP_DEVICE;
        a.query.prog_ids = (uint64_t)(uintptr_t)ids;
        a.query.prog_cnt = *n;
        if (sys_bpf(BPF_PROG_QUERY, &a) < 0)
                return -1;
        *n = a.query.prog_cnt;
        return 0;
}

static void prog_detach(int cgfd, uint32_t id)
{
        union bpf_attr a;
        memset(&a, 0, sizeof(a));
        a.prog_id = id;
        int pfd = (int)sys_bpf(BPF_PROG_GET_FD_BY_ID, &a);
        if (pfd < 0)
                return;
        memset(&a, 0, sizeof(a));
        a.target_fd = (uint32_t)cgfd;
        a.attach_bpf_fd = (uint32_t)pfd;
        a.attach_type = BPF_CGROUP_DEVICE;
        sys_bpf(BPF_PROG_DETACH, &a);
        close(pfd);
}

static int prog_attach(int cgfd, int pfd)
{
        union bpf_attr a;
        memset(&a, 0, sizeof(a));
        a.target_fd = (uint32_t)cgfd;
        a.attach_bpf_fd = (uint32_t)pfd;
        a.attach_type = BPF_CGROUP_DEVICE;
        a.attach_flags = BPF_F_ALLOW_MULTI;
        return (int)sys_bpf(BPF_PROG_ATTACH, &a);
}

int cg_dev_apply_v2(const char *dir, const struct cg_dev_set *s)
{
        void *p;
        size_t n;
        if (cg_dev_bpf_build(s, &p, &n) < 0)
                return -1;
        int pfd = prog_load(p, n);
        free(p);
        if (pfd < 0)
                return -1;
        int cgfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (cgfd < 0) {
                int e = errno;
                close(pfd);
                return herr(e, F ": open %s", dir);
        }
        uint32_t old[64], nold = 64;
        if (prog_query(cgfd, old, &nold) < 0)
                nold = 0;
        int rc = prog_attach(cgfd, pfd);
        if (rc < 0 && nold) { /* an exclusive program is in the way: replace it */
                for (uint32_t i = 0; i < nold && i < 64; i++)
                        prog_detach(cgfd, old[i]);
                nold = 0;
                rc = prog_attach(cgfd, pfd);
        }
        if (rc < 0) {
                int e = errno;
                close(cgfd);
                close(pfd);
                return herr(e, F ": attach the device filter to %s (bpf BPF_PROG_ATTACH)", dir);
        }
        for (uint32_t i = 0; i < nold && i < 64; i++)
                prog_detach(cgfd, old[i]);
        close(cgfd);
        close(pfd); /* the attachment keeps the program alive */
        return 0;
}
