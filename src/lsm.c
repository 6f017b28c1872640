/* lsm.c - process.apparmorProfile, process.selinuxLabel and
 * linux.mountLabel (see security.h).
 *
 * Both labels are set "on exec": the init writes them to its own
 * /proc/thread-self/attr files and the kernel applies them at execve.  The
 * init writes into a /proc that the container's mounts may have shaped
 * (CVE-2019-19921, CVE-2025-52881), so the attr file is opened with
 * procfs_open() (procfs.h): the real procfs file or an error.
 *
 * Whether an LSM is active comes from lsm_list_modules(2) (Linux 6.8),
 * which does not depend on what is mounted in the container; older kernels
 * fall back to /sys/module/apparmor/parameters/enabled and
 * /sys/fs/selinux/enforce.
 */
#include "security.h"
#include "error.h"
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461 /* the same on every architecture */
#endif
#define HULL_LSM_ID_SELINUX  101
#define HULL_LSM_ID_APPARMOR 104

enum { LSM_UNKNOWN = -1, LSM_OFF = 0, LSM_ON = 1 };

/* 1: active, 0: not, -1: the kernel cannot tell (no lsm_list_modules). */
static int lsm_listed(uint64_t id)
{
        uint64_t ids[64];
        uint32_t size = sizeof(ids);
        long n = syscall(__NR_lsm_list_modules, ids, &size, 0);
        if (n < 0)
                return -1;
        for (long i = 0; i < n && i < 64; i++)
                if (ids[i] == id)
                        return 1;
        return 0;
}

static bool apparmor_enabled(void)
{
        static int state = LSM_UNKNOWN;
        if (state != LSM_UNKNOWN)
                return state == LSM_ON;
        int r = lsm_listed(HULL_LSM_ID_APPARMOR);
        if (r < 0) {
                char c = 0;
                int fd = open("/sys/module/apparmor/parameters/enabled", O_RDONLY | O_CLOEXEC);
                r = fd >= 0 && read(fd, &c, 1) == 1 && c == 'Y';
                if (fd >= 0)
                        close(fd);
        }
        state = r ? LSM_ON : LSM_OFF;
        return r;
}

static bool selinux_enabled(void)
{
        static int state = LSM_UNKNOWN;
        if (state != LSM_UNKNOWN)
                return state == LSM_ON;
        int r = lsm_listed(HULL_LSM_ID_SELINUX);
        if (r < 0)
                r = access("/sys/fs/selinux/enforce", F_OK) == 0;
        state = r ? LSM_ON : LSM_OFF;
        return r;
}

/* Opens /proc/thread-self/<attr> for writing, only if it is the procfs
 * file itself (procfs.h); errno ENOENT is kept so that callers can fall
 * back. */
static int open_attr(const char *attr)
{
        char path[128];
        if ((size_t)snprintf(path, sizeof(path), "thread-self/%s", attr) >= sizeof(path))
                return herr(ENAMETOOLONG, "/proc/thread-self/%s", attr);
        return procfs_open(path, O_WRONLY);
}

/* Writes value to an attr file from open_attr() and closes it. */
static int write_attr_fd(int fd, const char *attr, const char *value)
{
        char rel[128];
        snprintf(rel, sizeof(rel), "thread-self/%s", attr);
        return procfs_write_fd(fd, rel, value);
}

int lsm_write_attr(const char *attr, const char *value)
{
        int fd = open_attr(attr);
        if (fd < 0)
                return -1;
        return write_attr_fd(fd, attr, value);
}

static int apply_apparmor(const char *profile)
{
        if (!apparmor_enabled())
                return herr(0, "process.apparmorProfile: AppArmor is not enabled on this host");
        char value[4096];
        if ((size_t)snprintf(value, sizeof(value), "exec %s", profile) >= sizeof(value))
                return herr(ENAMETOOLONG, "process.apparmorProfile");
        /* attr/apparmor/exec since Linux 5.8 (LSM stacking); attr/exec before. */
        const char *attr = "attr/apparmor/exec";
        int fd = open_attr(attr);
        if (fd < 0 && herr_errno() == ENOENT) {
                attr = "attr/exec";
                fd = open_attr(attr);
        }
        if (fd < 0 || write_attr_fd(fd, attr, value) < 0)
                return herr_ctx("process.apparmorProfile: apply \"%s\"", profile);
        return 0;
}

static int apply_selinux(const char *label)
{
        if (!selinux_enabled())
                return herr(0, "process.selinuxLabel: SELinux is not enabled on this host");
        if (lsm_write_attr("attr/exec", label) < 0)
                return herr_ctx("process.selinuxLabel: apply \"%s\"", label);
        return 0;
}

int lsm_apply_exec_label(const char *apparmor_profile, const char *selinux_label)
{
        if (apparmor_profile && apparmor_profile[0] && apply_apparmor(apparmor_profile) < 0)
                return -1;
        if (selinux_label && selinux_label[0] && apply_selinux(selinux_label) < 0)
                return -1;
        return 0;
}

const char *lsm_mount_label(const struct hull_config *cfg)
{
        const char *l = cfg->linux_.mount_label;
        if (!l || !l[0] || !selinux_enabled())
                return NULL;
        return l;
}
