/* config_names.c - name <-> number tables of the OCI spec (see names.h and
 * config.h).  Every table is a plain array searched linearly: they are
 * short and looked up a few dozen times per container.
 */
#include "config.h"
#include "names.h"

#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/ioprio.h>
#include <linux/personality.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <seccomp.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "sys.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct name_num {
        const char *name;
        uint64_t num;
};

static const struct name_num *lookup(const struct name_num *t, size_t n, const char *name)
{
        for (size_t i = 0; i < n; i++)
                if (strcmp(t[i].name, name) == 0)
                        return &t[i];
        return NULL;
}

static const char *reverse(const struct name_num *t, size_t n, uint64_t num)
{
        for (size_t i = 0; i < n; i++)
                if (t[i].num == num)
                        return t[i].name;
        return NULL;
}

/* ---- capabilities (linux/capability.h numbering) ---- */

#ifndef CAP_PERFMON
#define CAP_PERFMON 38
#endif
#ifndef CAP_BPF
#define CAP_BPF 39
#endif
#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40
#endif

#define CAP_ENTRY(c) [c] = #c
static const char *const cap_names[] = {
    CAP_ENTRY(CAP_CHOWN),
    CAP_ENTRY(CAP_DAC_OVERRIDE),
    CAP_ENTRY(CAP_DAC_READ_SEARCH),
    CAP_ENTRY(CAP_FOWNER),
    CAP_ENTRY(CAP_FSETID),
    CAP_ENTRY(CAP_KILL),
    CAP_ENTRY(CAP_SETGID),
    CAP_ENTRY(CAP_SETUID),
    CAP_ENTRY(CAP_SETPCAP),
    CAP_ENTRY(CAP_LINUX_IMMUTABLE),
    CAP_ENTRY(CAP_NET_BIND_SERVICE),
    CAP_ENTRY(CAP_NET_BROADCAST),
    CAP_ENTRY(CAP_NET_ADMIN),
    CAP_ENTRY(CAP_NET_RAW),
    CAP_ENTRY(CAP_IPC_LOCK),
    CAP_ENTRY(CAP_IPC_OWNER),
    CAP_ENTRY(CAP_SYS_MODULE),
    CAP_ENTRY(CAP_SYS_RAWIO),
    CAP_ENTRY(CAP_SYS_CHROOT),
    CAP_ENTRY(CAP_SYS_PTRACE),
    CAP_ENTRY(CAP_SYS_PACCT),
    CAP_ENTRY(CAP_SYS_ADMIN),
    CAP_ENTRY(CAP_SYS_BOOT),
    CAP_ENTRY(CAP_SYS_NICE),
    CAP_ENTRY(CAP_SYS_RESOURCE),
    CAP_ENTRY(CAP_SYS_TIME),
    CAP_ENTRY(CAP_SYS_TTY_CONFIG),
    CAP_ENTRY(CAP_MKNOD),
    CAP_ENTRY(CAP_LEASE),
    CAP_ENTRY(CAP_AUDIT_WRITE),
    CAP_ENTRY(CAP_AUDIT_CONTROL),
    CAP_ENTRY(CAP_SETFCAP),
    CAP_ENTRY(CAP_MAC_OVERRIDE),
    CAP_ENTRY(CAP_MAC_ADMIN),
    CAP_ENTRY(CAP_SYSLOG),
    CAP_ENTRY(CAP_WAKE_ALARM),
    CAP_ENTRY(CAP_BLOCK_SUSPEND),
    CAP_ENTRY(CAP_AUDIT_READ),
    CAP_ENTRY(CAP_PERFMON),
    CAP_ENTRY(CAP_BPF),
    CAP_ENTRY(CAP_CHECKPOINT_RESTORE),
};

_Static_assert(ARRAY_LEN(cap_names) == 41, "capability table has a hole or extra entry");

/* Names are matched without regard to case, like libcap's cap_from_name(). */
int cap_from_name(const char *name)
{
        for (size_t i = 0; i < ARRAY_LEN(cap_names); i++)
                if (strcasecmp(cap_names[i], name) == 0)
                        return (int)i;
        return -1;
}

const char *cap_name(int cap)
{
        if (cap < 0 || (size_t)cap >= ARRAY_LEN(cap_names))
                return NULL;
        return cap_names[cap];
}

int cap_last_known(void)
{
        return (int)ARRAY_LEN(cap_names) - 1;
}

/* ---- namespaces and hooks ---- */

static const struct {
        const char *name;
        int flag;
} ns_table[NS_KINDS] = {
    [NS_PID] = {"pid", CLONE_NEWPID},          [NS_NET] = {"network", CLONE_NEWNET},
    [NS_MNT] = {"mount", CLONE_NEWNS},         [NS_IPC] = {"ipc", CLONE_NEWIPC},
    [NS_UTS] = {"uts", CLONE_NEWUTS},          [NS_USER] = {"user", CLONE_NEWUSER},
    [NS_CGROUP] = {"cgroup", CLONE_NEWCGROUP}, [NS_TIME] = {"time", CLONE_NEWTIME},
};

const char *ns_kind_name(enum hull_ns_kind k)
{
        return (unsigned)k < NS_KINDS ? ns_table[k].name : "?";
}

int ns_kind_clone_flag(enum hull_ns_kind k)
{
        return (unsigned)k < NS_KINDS ? ns_table[k].flag : 0;
}

int ns_kind_from_name(const char *name)
{
        for (int k = 0; k < NS_KINDS; k++)
                if (strcmp(ns_table[k].name, name) == 0)
                        return k;
        return -1;
}

static const char *const hook_names[HOOK_KINDS] = {
    [HOOK_PRESTART] = "prestart",
    [HOOK_CREATE_RUNTIME] = "createRuntime",
    [HOOK_CREATE_CONTAINER] = "createContainer",
    [HOOK_START_CONTAINER] = "startContainer",
    [HOOK_POSTSTART] = "poststart",
    [HOOK_POSTSTOP] = "poststop",
};

const char *hook_kind_name(enum hull_hook_kind k)
{
        return (unsigned)k < HOOK_KINDS ? hook_names[k] : "?";
}

/* ---- process ---- */

/* clang-format off */
#define NN(c) {#c, (uint64_t)(c)}
/* clang-format on */

static const struct name_num rlimits[] = {
    NN(RLIMIT_CPU),      NN(RLIMIT_FSIZE), NN(RLIMIT_DATA),   NN(RLIMIT_STACK),
    NN(RLIMIT_CORE),     NN(RLIMIT_RSS),   NN(RLIMIT_NPROC),  NN(RLIMIT_NOFILE),
    NN(RLIMIT_MEMLOCK),  NN(RLIMIT_AS),    NN(RLIMIT_LOCKS),  NN(RLIMIT_SIGPENDING),
    NN(RLIMIT_MSGQUEUE), NN(RLIMIT_NICE),  NN(RLIMIT_RTPRIO), NN(RLIMIT_RTTIME),
};

int rlimit_from_name(const char *name)
{
        const struct name_num *e = lookup(rlimits, ARRAY_LEN(rlimits), name);
        return e ? (int)e->num : -1;
}

const char *rlimit_name(int resource)
{
        return resource < 0 ? NULL : reverse(rlimits, ARRAY_LEN(rlimits), (uint64_t)resource);
}

/* SCHED_ISO is reserved by the kernel (value 4) but never implemented;
 * the spec lists it, so it parses, and sched_setattr() will refuse it. */
#ifndef SCHED_ISO
#define SCHED_ISO 4
#endif

static const struct name_num sched_policies[] = {
    NN(SCHED_OTHER), NN(SCHED_FIFO), NN(SCHED_RR),       NN(SCHED_BATCH),
    NN(SCHED_ISO),   NN(SCHED_IDLE), NN(SCHED_DEADLINE),
};

int sched_policy_from_name(const char *name)
{
        const struct name_num *e = lookup(sched_policies, ARRAY_LEN(sched_policies), name);
        return e ? (int)e->num : -1;
}

static const struct name_num sched_flags[] = {
    NN(SCHED_FLAG_RESET_ON_FORK),  NN(SCHED_FLAG_RECLAIM),     NN(SCHED_FLAG_DL_OVERRUN),
    NN(SCHED_FLAG_KEEP_POLICY),    NN(SCHED_FLAG_KEEP_PARAMS), NN(SCHED_FLAG_UTIL_CLAMP_MIN),
    NN(SCHED_FLAG_UTIL_CLAMP_MAX),
};

int sched_flag_from_name(const char *name, uint64_t *flag)
{
        const struct name_num *e = lookup(sched_flags, ARRAY_LEN(sched_flags), name);
        if (!e)
                return -1;
        *flag = e->num;
        return 0;
}

static const struct name_num ioprio_classes[] = {
    NN(IOPRIO_CLASS_RT),
    NN(IOPRIO_CLASS_BE),
    NN(IOPRIO_CLASS_IDLE),
};

int ioprio_class_from_name(const char *name)
{
        const struct name_num *e = lookup(ioprio_classes, ARRAY_LEN(ioprio_classes), name);
        return e ? (int)e->num : -1;
}

/* ---- linux ---- */

/* The spec lists the four plain names; runc also takes the recursive ones. */
static const struct name_num propagations[] = {
    {"private", MS_PRIVATE},       {"rprivate", MS_PRIVATE | MS_REC},
    {"slave", MS_SLAVE},           {"rslave", MS_SLAVE | MS_REC},
    {"shared", MS_SHARED},         {"rshared", MS_SHARED | MS_REC},
    {"unbindable", MS_UNBINDABLE}, {"runbindable", MS_UNBINDABLE | MS_REC},
};

int propagation_from_name(const char *name, unsigned long *flags)
{
        const struct name_num *e = lookup(propagations, ARRAY_LEN(propagations), name);
        if (!e)
                return -1;
        *flags = (unsigned long)e->num;
        return 0;
}

static const struct name_num personalities[] = {
    {"LINUX", PER_LINUX},
    {"LINUX32", PER_LINUX32},
};

int personality_from_name(const char *name, unsigned long *domain)
{
        const struct name_num *e = lookup(personalities, ARRAY_LEN(personalities), name);
        if (!e)
                return -1;
        *domain = (unsigned long)e->num;
        return 0;
}

/* ---- seccomp ---- */

static const struct name_num seccomp_actions[] = {
    {"SCMP_ACT_KILL", SCMP_ACT_KILL},
    {"SCMP_ACT_KILL_PROCESS", SCMP_ACT_KILL_PROCESS},
    {"SCMP_ACT_KILL_THREAD", SCMP_ACT_KILL_THREAD},
    {"SCMP_ACT_TRAP", SCMP_ACT_TRAP},
    {"SCMP_ACT_ERRNO", SCMP_ACT_ERRNO(0)},
    {"SCMP_ACT_TRACE", SCMP_ACT_TRACE(0)},
    {"SCMP_ACT_ALLOW", SCMP_ACT_ALLOW},
    {"SCMP_ACT_LOG", SCMP_ACT_LOG},
    {"SCMP_ACT_NOTIFY", SCMP_ACT_NOTIFY},
};

/* The low 16 bits of ERRNO and TRACE actions are their data. */
static uint32_t action_base(uint32_t action)
{
        uint32_t base = action & 0xffff0000U;
        if (base == SCMP_ACT_ERRNO(0) || base == SCMP_ACT_TRACE(0))
                return base;
        return action;
}

int seccomp_action_from_name(const char *name, uint32_t *action)
{
        const struct name_num *e = lookup(seccomp_actions, ARRAY_LEN(seccomp_actions), name);
        if (!e)
                return -1;
        *action = (uint32_t)e->num;
        return 0;
}

const char *seccomp_action_name(uint32_t action)
{
        /* SCMP_ACT_KILL and SCMP_ACT_KILL_THREAD share a value: the first wins. */
        return reverse(seccomp_actions, ARRAY_LEN(seccomp_actions), action_base(action));
}

int seccomp_action_takes_errno(uint32_t action)
{
        uint32_t base = action_base(action);
        return base == SCMP_ACT_ERRNO(0) || base == SCMP_ACT_TRACE(0);
}

static const struct name_num seccomp_ops[] = {
    NN(SCMP_CMP_NE), NN(SCMP_CMP_LT), NN(SCMP_CMP_LE),        NN(SCMP_CMP_EQ),
    NN(SCMP_CMP_GE), NN(SCMP_CMP_GT), NN(SCMP_CMP_MASKED_EQ),
};

int seccomp_op_from_name(const char *name)
{
        const struct name_num *e = lookup(seccomp_ops, ARRAY_LEN(seccomp_ops), name);
        return e ? (int)e->num : -1;
}

const char *seccomp_op_name(int op)
{
        return op < 0 ? NULL : reverse(seccomp_ops, ARRAY_LEN(seccomp_ops), (uint64_t)op);
}

/* libseccomp's SCMP_ARCH_* are the kernel's AUDIT_ARCH_* values; the ones
 * an older libseccomp lacks come straight from linux/audit.h.  SH follows
 * libseccomp 2.6: SCMP_ARCH_SH is little-endian, SCMP_ARCH_SHEB big. */
#ifndef AUDIT_ARCH_SHEL
#define AUDIT_ARCH_SHEL (EM_SH | __AUDIT_ARCH_LE)
#endif

static const struct name_num seccomp_arches[] = {
    {"SCMP_ARCH_X86", AUDIT_ARCH_I386},
    {"SCMP_ARCH_X86_64", AUDIT_ARCH_X86_64},
    {"SCMP_ARCH_X32", EM_X86_64 | __AUDIT_ARCH_LE},
    {"SCMP_ARCH_ARM", AUDIT_ARCH_ARM},
    {"SCMP_ARCH_AARCH64", AUDIT_ARCH_AARCH64},
    {"SCMP_ARCH_LOONGARCH64", AUDIT_ARCH_LOONGARCH64},
    {"SCMP_ARCH_M68K", AUDIT_ARCH_M68K},
    {"SCMP_ARCH_MIPS", AUDIT_ARCH_MIPS},
    {"SCMP_ARCH_MIPS64", AUDIT_ARCH_MIPS64},
    {"SCMP_ARCH_MIPS64N32", AUDIT_ARCH_MIPS64N32},
    {"SCMP_ARCH_MIPSEL", AUDIT_ARCH_MIPSEL},
    {"SCMP_ARCH_MIPSEL64", AUDIT_ARCH_MIPSEL64},
    {"SCMP_ARCH_MIPSEL64N32", AUDIT_ARCH_MIPSEL64N32},
    {"SCMP_ARCH_PPC", AUDIT_ARCH_PPC},
    {"SCMP_ARCH_PPC64", AUDIT_ARCH_PPC64},
    {"SCMP_ARCH_PPC64LE", AUDIT_ARCH_PPC64LE},
    {"SCMP_ARCH_S390", AUDIT_ARCH_S390},
    {"SCMP_ARCH_S390X", AUDIT_ARCH_S390X},
    {"SCMP_ARCH_SH", AUDIT_ARCH_SHEL},
    {"SCMP_ARCH_SHEB", AUDIT_ARCH_SH},
    {"SCMP_ARCH_PARISC", AUDIT_ARCH_PARISC},
    {"SCMP_ARCH_PARISC64", AUDIT_ARCH_PARISC64},
    {"SCMP_ARCH_RISCV64", AUDIT_ARCH_RISCV64},
};

int seccomp_arch_from_name(const char *name, uint32_t *arch)
{
        const struct name_num *e = lookup(seccomp_arches, ARRAY_LEN(seccomp_arches), name);
        if (!e)
                return -1;
        *arch = (uint32_t)e->num;
        return 0;
}

const char *seccomp_arch_name(uint32_t arch)
{
        return reverse(seccomp_arches, ARRAY_LEN(seccomp_arches), arch);
}

#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif

static const struct name_num seccomp_flags[] = {
    NN(SECCOMP_FILTER_FLAG_TSYNC),
    NN(SECCOMP_FILTER_FLAG_LOG),
    NN(SECCOMP_FILTER_FLAG_SPEC_ALLOW),
    NN(SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
};

int seccomp_flag_from_name(const char *name, unsigned *flag)
{
        const struct name_num *e = lookup(seccomp_flags, ARRAY_LEN(seccomp_flags), name);
        if (!e)
                return -1;
        *flag = (unsigned)e->num;
        return 0;
}
