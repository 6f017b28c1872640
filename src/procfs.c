/* procfs.c - writes into the real procfs only (see procfs.h). */
#include "procfs.h"
#include "error.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#define PROC_ROOT_INO 1

/* /proc, checked to be the root of a procfs. */
static int open_proc_root(void)
{
        int fd = open("/proc", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "open /proc");
        struct statfs sf;
        struct stat sb;
        if (fstatfs(fd, &sf) < 0 || fstat(fd, &sb) < 0) {
                herr(errno, "stat /proc");
                close(fd);
                return -1;
        }
        if (sf.f_type != PROC_SUPER_MAGIC || sb.st_ino != PROC_ROOT_INO) {
                close(fd);
                return herr(EXDEV, "/proc is not the root of a procfs");
        }
        return fd;
}

int procfs_open(const char *rel, int flags)
{
        int proc = open_proc_root();
        if (proc < 0)
                return -1;
        int fl = flags | O_CLOEXEC | O_NOFOLLOW;
        int fd = sys_openat2(proc, rel, (uint64_t)fl, 0, RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS);
        if (fd < 0 && errno == ENOSYS) /* Linux < 5.6: the fstatfs check only */
                fd = openat(proc, rel, fl);
        int err = errno;
        close(proc);
        if (fd < 0) {
                if (err == EXDEV)
                        return herr(EXDEV, "open /proc/%s: a mount hides the procfs file", rel);
                return herr(err, "open /proc/%s", rel);
        }
        struct statfs sf;
        if (fstatfs(fd, &sf) < 0) {
                err = errno;
                close(fd);
                return herr(err, "fstatfs /proc/%s", rel);
        }
        if (sf.f_type != PROC_SUPER_MAGIC) {
                close(fd);
                return herr(EXDEV, "/proc/%s is not a procfs file", rel);
        }
        return fd;
}

int procfs_write_fd(int fd, const char *rel, const char *value)
{
        size_t len = strlen(value);
        ssize_t n;
        do
                n = write(fd, value, len);
        while (n < 0 && errno == EINTR);
        int err = n < 0 ? errno : EIO;
        close(fd);
        if (n != (ssize_t)len)
                return herr(err, "write \"%.*s\" to /proc/%s", (int)(len > 64 ? 64 : len), value,
                            rel);
        return 0;
}

int procfs_write(const char *rel, const char *value)
{
        int fd = procfs_open(rel, O_WRONLY);
        if (fd < 0)
                return -1;
        return procfs_write_fd(fd, rel, value);
}
