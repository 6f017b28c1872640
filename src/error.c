/* error.c - the current error (see error.h).
 *
 * Two views of one error:
 *   herr_msg()       "<context>: <operation> <object>: <errno text>", what code
 *                    compares and what travels from the init to the parent
 *   herr_msg_full()  the same + " (ENAME)" + "; hint: ..." when a likely fix
 *                    is known: what hull prints (log_fail())
 * The errno name and the hint are added when the error is printed, from the
 * errno kept with the message, so herr_ctx() and herr_set_raw() keep them.
 */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char msg[HERR_MAX];
static int msg_errno;

const char *herr_errno_text(int errnum)
{
        static char text[128];
        snprintf(text, sizeof(text), "%s", strerror(errnum));
        /* glibc capitalises ("No such file or directory"), Go and so runc do
         * not; clients match runc's words (dockerd: "no such file or
         * directory" -> exit 127, "permission denied" -> 126). */
        if (text[0] >= 'A' && text[0] <= 'Z' && !(text[1] >= 'A' && text[1] <= 'Z'))
                text[0] = (char)(text[0] - 'A' + 'a');
        return text;
}

int herr(int errnum, const char *fmt, ...)
{
        int saved = errno;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        if ((size_t)n >= sizeof(msg))
                n = sizeof(msg) - 1;
        if (errnum != 0)
                snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", herr_errno_text(errnum));
        msg_errno = errnum;
        errno = saved;
        return -1;
}

int herr_ctx(const char *fmt, ...)
{
        int saved = errno;
        char old[HERR_MAX];
        memcpy(old, msg, sizeof(old));
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        /* append ": old" by hand: the result may be cut, on purpose */
        size_t pos = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
        if (old[0]) {
                const char *parts[2] = {": ", old};
                for (int i = 0; i < 2; i++) {
                        size_t l = strlen(parts[i]);
                        if (l > sizeof(msg) - 1 - pos)
                                l = sizeof(msg) - 1 - pos;
                        memcpy(msg + pos, parts[i], l);
                        pos += l;
                }
        }
        msg[pos] = '\0';
        errno = saved;
        return -1;
}

void herr_set_raw(int errnum, const char *m)
{
        snprintf(msg, sizeof(msg), "%s", m);
        msg_errno = errnum;
}

const char *herr_msg(void)
{
        return msg[0] ? msg : "unknown error";
}

int herr_errno(void)
{
        return msg_errno;
}

void herr_clear(void)
{
        msg[0] = '\0';
        msg_errno = 0;
}

/* ---- errno names ---- */

#define E(x)                                                                                       \
        {                                                                                          \
                x, #x                                                                              \
        }
static const struct {
        int num;
        const char *name;
} errno_names[] = {
    E(EPERM),           E(ENOENT),      E(ESRCH),        E(EINTR),        E(EIO),
    E(ENXIO),           E(E2BIG),       E(ENOEXEC),      E(EBADF),        E(ECHILD),
    E(EAGAIN),          E(ENOMEM),      E(EACCES),       E(EFAULT),       E(ENOTBLK),
    E(EBUSY),           E(EEXIST),      E(EXDEV),        E(ENODEV),       E(ENOTDIR),
    E(EISDIR),          E(EINVAL),      E(ENFILE),       E(EMFILE),       E(ENOTTY),
    E(ETXTBSY),         E(EFBIG),       E(ENOSPC),       E(ESPIPE),       E(EROFS),
    E(EMLINK),          E(EPIPE),       E(EDOM),         E(ERANGE),       E(EDEADLK),
    E(ENAMETOOLONG),    E(ENOLCK),      E(ENOSYS),       E(ENOTEMPTY),    E(ELOOP),
    E(ENOMSG),          E(EIDRM),       E(ENOSTR),       E(ENODATA),      E(ETIME),
    E(ENOLINK),         E(EPROTO),      E(EBADMSG),      E(EOVERFLOW),    E(EILSEQ),
    E(EUSERS),          E(ENOTSOCK),    E(EDESTADDRREQ), E(EMSGSIZE),     E(EPROTOTYPE),
    E(ENOPROTOOPT),     E(EOPNOTSUPP),  E(EAFNOSUPPORT), E(EADDRINUSE),   E(EADDRNOTAVAIL),
    E(ENETDOWN),        E(ENETUNREACH), E(ECONNABORTED), E(ECONNRESET),   E(ENOBUFS),
    E(EISCONN),         E(ENOTCONN),    E(ETIMEDOUT),    E(ECONNREFUSED), E(EHOSTUNREACH),
    E(EALREADY),        E(EINPROGRESS), E(ESTALE),       E(EDQUOT),       E(ECANCELED),
    E(ENOKEY),          E(EKEYEXPIRED), E(EKEYREVOKED),  E(EKEYREJECTED), E(EOWNERDEAD),
    E(ENOTRECOVERABLE), E(ERFKILL),     E(EHWPOISON),    E(ENOMEDIUM),    E(EMEDIUMTYPE),
};
#undef E

const char *herr_errno_name(int errnum)
{
        for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
                if (errno_names[i].num == errnum)
                        return errno_names[i].name;
        return NULL;
}

/* ---- hints ----
 *
 * A likely fix for an errno met while doing an operation: the first row
 * whose errno matches (0: any error, or one without errno) and whose text
 * occurs in the message.  tools/gen-errors copies this table into
 * docs/ERRORS.md: keep one row per line. */
static const struct {
        int num;
        const char *text;
        const char *hint;
} hints[] = {
    {EPERM, "mount proc", "a pid namespace is needed for a new proc mount (linux.namespaces: pid)"},
    {EPERM, "mount sysfs",
     "a network namespace is needed for a new sysfs mount (linux.namespaces: network), or bind "
     "/sys"},
    {EPERM, "mount mqueue",
     "an ipc namespace is needed for a new mqueue mount (linux.namespaces: ipc)"},
    {ENOENT, "exec: \"", "is process.args[0] in the rootfs and on PATH (process.env)?"},
    {0, "executable file not found in $PATH",
     "is process.args[0] in the rootfs and on PATH (process.env)?"},
    {ENOENT, "exec /",
     "is process.args[0] in the rootfs, and its interpreter or dynamic loader too?"},
    {EACCES, "exec: \"", "process.args[0] must be executable and not on a noexec mount"},
    {EACCES, "exec /", "process.args[0] must be executable and not on a noexec mount"},
    {ENOEXEC, "exec /",
     "process.args[0] is not a program for this machine (or a script without #!)"},
    {EBUSY, "rmdir",
     "processes are still in the cgroup: hull kill --all ID KILL, or hull delete --force ID"},
    {EBUSY, "memory.limit", "the new memory limit is below what the container uses now"},
    {ENOSPC, "cpuset", "cpuset.cpus/mems must name CPUs and memory nodes this host has"},
    {ENOSPC, "clone3", "a limit of /proc/sys/user/max_*_namespaces is reached"},
    {ENOSPC, "",
     "a disk, inotify, key or namespace limit is reached (df, /proc/sys/user, /proc/sys/fs)"},
    {EINVAL, "cpuset.", "cpuset.cpus/mems must name CPUs and memory nodes this host has"},
    {ERANGE, "cpuset.", "cpuset.cpus/mems must name CPUs and memory nodes this host has"},
    {ENOENT, "bind source",
     "a bind mount's source must exist on the host (relative: in the bundle)"},
    {ENOENT, "config.json", "the bundle has no config.json: hull spec writes one"},
    {EACCES, "bundle ", "hull must be able to search (x) every directory down to the bundle"},
    {ENOENT, "bundle ",
     "does the bundle directory exist? (--bundle, default the current directory)"},
    {ENOENT, "root.path", "root.path is relative to the bundle and must exist"},
    {EINVAL, "pivot_root",
     "pivot_root does not work on a ramdisk (initramfs) root: use --no-pivot"},
    {EPERM, "clone3", "creating namespaces needs root (CAP_SYS_ADMIN), or a user namespace"},
    {EINVAL, "clone3", "this kernel lacks a namespace the config asks for (see hull check)"},
    {EUSERS, "clone3", "too many nested user or pid namespaces"},
    {EPERM, "setns",
     "joining a namespace needs CAP_SYS_ADMIN in the namespace's owning user namespace"},
    {EINVAL, "setres",
     "process.user must be mapped in the container's user namespace (linux.uidMappings)"},
    {EPERM, "setgroups", "additionalGids need setgroups allowed in the user namespace"},
    {EPERM, "uid_map", "the host ids of linux.uidMappings must be ids hull may map"},
    {EPERM, "gid_map", "the host ids of linux.gidMappings must be ids hull may map"},
    {EROFS, "cgroup", "the cgroup filesystem is read-only here (inside a container?)"},
    {EOPNOTSUPP, "idmap", "the filesystem of this mount does not support idmapped mounts"},
    {EINVAL, "MOUNT_ATTR_IDMAP", "the filesystem of this mount does not support idmapped mounts"},
    {ENOENT, "hooks.", "a hook's path must exist on the host and be executable"},
    {EACCES, "hooks.", "a hook's path must exist on the host and be executable"},
    {EACCES, "open log file", "--log needs a writable directory"},
    {EPERM, "seccomp", "loading a seccomp filter needs noNewPrivileges or CAP_SYS_ADMIN"},
    {EPERM, "sched_setattr",
     "a real-time policy needs CAP_SYS_NICE and a cpu.rt_runtime_us budget"},
    {EPERM, "setrlimit",
     "raising a hard rlimit needs CAP_SYS_RESOURCE; RLIMIT_NOFILE <= fs.nr_open"},
};

const char *herr_hint(int errnum, const char *text)
{
        for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++)
                if ((hints[i].num == 0 || hints[i].num == errnum) && strstr(text, hints[i].text))
                        return hints[i].hint;
        return NULL;
}

const char *herr_msg_full(void)
{
        static char full[HERR_MAX + 256];
        const char *m = herr_msg();
        const char *name = msg_errno ? herr_errno_name(msg_errno) : NULL;
        const char *hint = herr_hint(msg_errno, m);
        int n = snprintf(full, sizeof(full), "%s", m);
        if (n >= 0 && (size_t)n < sizeof(full) && msg_errno) {
                if (name)
                        n += snprintf(full + n, sizeof(full) - (size_t)n, " (%s)", name);
                else
                        n += snprintf(full + n, sizeof(full) - (size_t)n, " (errno %d)", msg_errno);
        }
        if (hint && n >= 0 && (size_t)n < sizeof(full))
                snprintf(full + n, sizeof(full) - (size_t)n, "; hint: %s", hint);
        return full;
}
