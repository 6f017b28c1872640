/* fsutil.c - small file helpers (see fsutil.h). */
#include "fsutil.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/close_range.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int read_file_at(int dirfd, const char *path, char **buf, size_t *len)
{
        int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return herr(errno, "open %s", path);
        size_t cap = 4096, n = 0;
        char *b = malloc(cap);
        if (!b) {
                close(fd);
                return herr(ENOMEM, "read %s", path);
        }
        for (;;) {
                if (n + 1 >= cap) {
                        char *nb = realloc(b, cap * 2);
                        if (!nb) {
                                free(b);
                                close(fd);
                                return herr(ENOMEM, "read %s", path);
                        }
                        b = nb;
                        cap *= 2;
                }
                ssize_t r = read(fd, b + n, cap - n - 1);
                if (r < 0) {
                        if (errno == EINTR)
                                continue;
                        int e = errno;
                        free(b);
                        close(fd);
                        return herr(e, "read %s", path);
                }
                if (r == 0)
                        break;
                n += (size_t)r;
        }
        close(fd);
        b[n] = '\0';
        *buf = b;
        if (len)
                *len = n;
        return 0;
}

int write_file_at(int dirfd, const char *path, const char *data, size_t len)
{
        int fd = openat(dirfd, path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        if (fd < 0)
                return herr(errno, "open %s", path);
        ssize_t w = write(fd, data, len);
        if (w < 0 || (size_t)w != len) {
                int e = w < 0 ? errno : EIO;
                close(fd);
                return herr(e, "write \"%.*s\" to %s", (int)(len > 64 ? 64 : len), data, path);
        }
        close(fd);
        return 0;
}

int write_file_str(const char *path, const char *s)
{
        return write_file_at(AT_FDCWD, path, s, strlen(s));
}

int atomic_write_at(int dirfd, const char *name, const char *data, size_t len, mode_t mode)
{
        /* the temp file sits beside the target: "dir/.base.PID.tmp" */
        char tmp[PATH_MAX];
        const char *slash = strrchr(name, '/');
        if (slash)
                snprintf(tmp, sizeof(tmp), "%.*s/.%s.%d.tmp", (int)(slash - name), name, slash + 1,
                         (int)getpid());
        else
                snprintf(tmp, sizeof(tmp), ".%s.%d.tmp", name, (int)getpid());
        int fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
        if (fd < 0)
                return herr(errno, "create %s", tmp);
        size_t off = 0;
        while (off < len) {
                ssize_t w = write(fd, data + off, len - off);
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        int e = errno;
                        close(fd);
                        unlinkat(dirfd, tmp, 0);
                        return herr(e, "write %s", tmp);
                }
                off += (size_t)w;
        }
        if (close(fd) < 0) {
                int e = errno;
                unlinkat(dirfd, tmp, 0);
                return herr(e, "close %s", tmp);
        }
        if (renameat(dirfd, tmp, dirfd, name) < 0) {
                int e = errno;
                unlinkat(dirfd, tmp, 0);
                return herr(e, "rename %s to %s", tmp, name);
        }
        return 0;
}

int mkdir_p(const char *path, mode_t mode)
{
        char buf[PATH_MAX];
        size_t n = strlen(path);
        if (n == 0 || n >= sizeof(buf))
                return herr(ENAMETOOLONG, "mkdir %s", path);
        memcpy(buf, path, n + 1);
        for (char *p = buf + 1; *p; p++) {
                if (*p != '/')
                        continue;
                *p = '\0';
                if (mkdir(buf, mode) < 0 && errno != EEXIST)
                        return herr(errno, "mkdir %s", buf);
                *p = '/';
        }
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
                return herr(errno, "mkdir %s", buf);
        return 0;
}

int remove_tree_at(int dirfd, const char *name)
{
        int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
                if (errno == ENOENT)
                        return 0;
                if (errno == ENOTDIR || errno == ELOOP) {
                        if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
                                return herr(errno, "unlink %s", name);
                        return 0;
                }
                return herr(errno, "open %s", name);
        }
        DIR *d = fdopendir(fd);
        if (!d) {
                close(fd);
                return herr(errno, "opendir %s", name);
        }
        struct dirent *e;
        int rc = 0;
        while ((e = readdir(d))) {
                if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                        continue;
                if (e->d_type == DT_DIR) {
                        if (remove_tree_at(fd, e->d_name) < 0)
                                rc = -1;
                } else if (unlinkat(fd, e->d_name, 0) < 0 && errno != ENOENT) {
                        rc = herr(errno, "unlink %s/%s", name, e->d_name);
                }
        }
        closedir(d);
        if (unlinkat(dirfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
                return herr(errno, "rmdir %s", name);
        return rc;
}

int is_dir_at(int dirfd, const char *path)
{
        struct stat st;
        if (fstatat(dirfd, path, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return -1;
        return S_ISDIR(st.st_mode) ? 1 : 0;
}

/* FD_CLOEXEC on fd unless it is closed; 0 or -1 with errno. */
static int set_cloexec(int fd)
{
        int fl = fcntl(fd, F_GETFD);
        if (fl < 0)
                return errno == EBADF ? 0 : -1;
        return (fl & FD_CLOEXEC) || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) == 0 ? 0 : -1;
}

int fd_cloexec_from(unsigned first)
{
        if (syscall(SYS_close_range, first, ~0U, CLOSE_RANGE_CLOEXEC) == 0)
                return 0;
        /* Refused (a seccomp profile that predates it, a kernel before
         * 5.11): each open fd, as listed in /proc/self/fd, or else every
         * number below the fd limit. */
        DIR *d = opendir("/proc/self/fd");
        if (d) {
                struct dirent *e;
                int rc = 0;
                while ((e = readdir(d))) {
                        char *end;
                        unsigned long fd = strtoul(e->d_name, &end, 10);
                        if (e->d_name[0] < '0' || e->d_name[0] > '9' || *end || fd < first ||
                            fd > INT_MAX)
                                continue;
                        if (set_cloexec((int)fd) < 0 && !rc)
                                rc = herr(errno, "fcntl FD_CLOEXEC on fd %lu", fd);
                }
                closedir(d);
                return rc;
        }
        struct rlimit rl;
        rlim_t max = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? rl.rlim_cur : 1024;
        if (max > INT_MAX)
                max = INT_MAX;
        for (rlim_t fd = first; fd < max; fd++)
                if (set_cloexec((int)fd) < 0)
                        return herr(errno, "fcntl FD_CLOEXEC on fd %d", (int)fd);
        return 0;
}

ssize_t send_with_fd(int sock, const void *buf, size_t len, int fd)
{
        struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        memset(&u, 0, sizeof(u));
        struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
        if (fd >= 0) {
                mh.msg_control = u.buf;
                mh.msg_controllen = sizeof(u.buf);
                struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        ssize_t n;
        do
                n = sendmsg(sock, &mh, MSG_NOSIGNAL);
        while (n < 0 && errno == EINTR);
        return n;
}
