/* namespaces.c - create and join namespaces (see namespaces.h). */
#include "namespaces.h"
#include "error.h"
#include "fsutil.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

unsigned long ns_clone_flags(const struct hull_linux *l)
{
        unsigned long flags = 0;
        for (int k = 0; k < NS_KINDS; k++) {
                if (k == NS_CGROUP || k == NS_TIME)
                        continue;
                if (l->ns[k].present && !l->ns[k].path)
                        flags |= (unsigned long)ns_kind_clone_flag((enum hull_ns_kind)k);
        }
        return flags;
}

static int open_ns(enum hull_ns_kind k, const char *path)
{
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "linux.namespaces[%s].path: open %s", ns_kind_name(k), path);
        return fd;
}

int ns_pid_enter(const struct hull_linux *l, int *restore_fd)
{
        *restore_fd = -1;
        if (!l->ns[NS_PID].present || !l->ns[NS_PID].path)
                return 0;
        int self = open("/proc/self/ns/pid", O_RDONLY | O_CLOEXEC);
        if (self < 0)
                return herr(errno, "open /proc/self/ns/pid");
        int fd = open_ns(NS_PID, l->ns[NS_PID].path);
        if (fd < 0) {
                close(self);
                return -1;
        }
        if (setns(fd, CLONE_NEWPID) < 0) {
                int e = errno;
                close(fd);
                close(self);
                return herr(e, "linux.namespaces[pid]: setns %s", l->ns[NS_PID].path);
        }
        close(fd);
        *restore_fd = self;
        return 0;
}

int ns_pid_restore(int restore_fd)
{
        if (restore_fd < 0)
                return 0;
        int rc = setns(restore_fd, CLONE_NEWPID);
        int e = errno;
        close(restore_fd);
        if (rc < 0)
                return herr(e, "return to hull's pid namespace");
        return 0;
}

static int write_map(pid_t pid, const char *file, const struct hull_idmap *m, size_t n)
{
        char buf[4096], path[64];
        size_t off = 0;
        for (size_t i = 0; i < n && off < sizeof(buf); i++)
                off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%u %u %u\n",
                                        m[i].container_id, m[i].host_id, m[i].size);
        snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
        return write_file_at(AT_FDCWD, path, buf, off);
}

int ns_write_idmaps(pid_t pid, const struct hull_linux *l)
{
        if (l->n_uid_mappings && write_map(pid, "uid_map", l->uid_mappings, l->n_uid_mappings) < 0)
                return herr_ctx("linux.uidMappings");
        if (l->n_gid_mappings && write_map(pid, "gid_map", l->gid_mappings, l->n_gid_mappings) < 0)
                return herr_ctx("linux.gidMappings");
        return 0;
}

int ns_join_paths(const struct hull_linux *l)
{
        /* Open every path first: joining the mount namespace changes what
         * the later paths resolve to. */
        static const enum hull_ns_kind order[] = {NS_USER,   NS_IPC,  NS_UTS, NS_NET,
                                                  NS_CGROUP, NS_TIME, NS_MNT};
        int fds[sizeof(order) / sizeof(order[0])];
        size_t n = sizeof(order) / sizeof(order[0]);
        int rc = 0;
        for (size_t i = 0; i < n; i++) {
                fds[i] = -1;
                const struct hull_namespace *ns = &l->ns[order[i]];
                if (rc == 0 && ns->present && ns->path &&
                    (fds[i] = open_ns(order[i], ns->path)) < 0)
                        rc = -1;
        }
        for (size_t i = 0; i < n; i++) {
                if (fds[i] < 0)
                        continue;
                if (rc == 0 && setns(fds[i], ns_kind_clone_flag(order[i])) < 0)
                        rc = herr(errno, "linux.namespaces[%s]: setns %s", ns_kind_name(order[i]),
                                  l->ns[order[i]].path);
                close(fds[i]);
        }
        return rc;
}

int ns_unshare_cgroup(const struct hull_linux *l)
{
        if (!l->ns[NS_CGROUP].present || l->ns[NS_CGROUP].path)
                return 0;
        if (unshare(CLONE_NEWCGROUP) < 0)
                return herr(errno, "linux.namespaces[cgroup]: unshare");
        return 0;
}

int ns_setup_time(const struct hull_linux *l)
{
        if (!l->ns[NS_TIME].present || l->ns[NS_TIME].path)
                return 0;
        if (unshare(CLONE_NEWTIME) < 0)
                return herr(errno, "linux.namespaces[time]: unshare");
        if (l->has_time_offsets) {
                char buf[128];
                int n = snprintf(
                    buf, sizeof(buf), "monotonic %lld %u\nboottime %lld %u\n",
                    (long long)l->time_offset_monotonic.secs, l->time_offset_monotonic.nanosecs,
                    (long long)l->time_offset_boottime.secs, l->time_offset_boottime.nanosecs);
                if (write_file_at(AT_FDCWD, "/proc/self/timens_offsets", buf, (size_t)n) < 0)
                        return herr_ctx("linux.timeOffsets");
        }
        int fd = open("/proc/self/ns/time_for_children", O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "linux.namespaces[time]: open time_for_children");
        int rc = setns(fd, CLONE_NEWTIME);
        int e = errno;
        close(fd);
        if (rc < 0)
                return herr(e, "linux.namespaces[time]: enter the new time namespace");
        return 0;
}

int ns_loopback_up(void)
{
        int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return herr(errno, "bring up lo: socket");
        struct ifreq ifr;
        memset(&ifr, 0, sizeof(ifr));
        strcpy(ifr.ifr_name, "lo");
        int rc = 0;
        if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0) {
                rc = herr(errno, "bring up lo: SIOCGIFFLAGS");
        } else if (!(ifr.ifr_flags & IFF_UP)) {
                ifr.ifr_flags |= IFF_UP;
                if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
                        rc = herr(errno, "bring up lo: SIOCSIFFLAGS");
        }
        close(s);
        return rc;
}
