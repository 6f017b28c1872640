/* copytree.c - copy a directory tree between two fds (see copytree.h). */
#include "copytree.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_DEPTH 128

static int copy_data(int in, int out, const char *name)
{
        for (;;) {
                ssize_t n = sendfile(out, in, NULL, 1 << 30);
                if (n == 0)
                        return 0;
                if (n > 0)
                        continue;
                if (errno == EINTR)
                        continue;
                if (errno != EINVAL && errno != ENOSYS)
                        return herr(errno, "copy %s", name);
                break; /* no sendfile for this file: read/write */
        }
        char buf[8192];
        for (;;) {
                ssize_t r = read(in, buf, sizeof(buf));
                if (r < 0 && errno == EINTR)
                        continue;
                if (r < 0)
                        return herr(errno, "read %s", name);
                if (r == 0)
                        return 0;
                for (ssize_t off = 0; off < r;) {
                        ssize_t w = write(out, buf + off, (size_t)(r - off));
                        if (w < 0 && errno == EINTR)
                                continue;
                        if (w < 0)
                                return herr(errno, "write %s", name);
                        off += w;
                }
        }
}

static int copy_file(int src, int dst, const char *name, const struct stat *st)
{
        int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (in < 0)
                return herr(errno, "open %s", name);
        int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                         st->st_mode & 0600);
        if (out < 0) {
                int e = errno;
                close(in);
                return herr(e, "create %s", name);
        }
        int r = copy_data(in, out, name);
        close(in);
        close(out);
        return r;
}

static int copy_entries(int src, int dst, int depth);

static int copy_dir(int src, int dst, const char *name, int depth)
{
        if (depth >= MAX_DEPTH)
                return herr(ELOOP, "%s: more than %d levels", name, MAX_DEPTH);
        if (mkdirat(dst, name, 0700) < 0)
                return herr(errno, "mkdir %s", name);
        int s = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (s < 0)
                return herr(errno, "open %s", name);
        int d = openat(dst, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (d < 0) {
                int e = errno;
                close(s);
                return herr(e, "open %s", name);
        }
        int r = copy_entries(s, d, depth + 1);
        close(s);
        close(d);
        if (r < 0)
                return herr_ctx("%s", name);
        return 0;
}

static int copy_one(int src, int dst, const char *name, int depth)
{
        struct stat st;
        if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
                return herr(errno, "stat %s", name);
        int r = 0;
        switch (st.st_mode & S_IFMT) {
        case S_IFDIR:
                r = copy_dir(src, dst, name, depth);
                break;
        case S_IFREG:
                r = copy_file(src, dst, name, &st);
                break;
        case S_IFLNK: {
                char link[PATH_MAX];
                ssize_t n = readlinkat(src, name, link, sizeof(link) - 1);
                if (n < 0)
                        return herr(errno, "readlink %s", name);
                link[n] = '\0';
                if (symlinkat(link, dst, name) < 0)
                        return herr(errno, "symlink %s", name);
                break;
        }
        default:
                if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0)
                        return herr(errno, "mknod %s", name);
        }
        if (r < 0)
                return -1;
        if (fchownat(dst, name, st.st_uid, st.st_gid, AT_SYMLINK_NOFOLLOW) < 0)
                return herr(errno, "chown %s", name);
        if (!S_ISLNK(st.st_mode) && fchmodat(dst, name, st.st_mode & 07777, 0) < 0)
                return herr(errno, "chmod %s", name);
        struct timespec ts[2] = {st.st_atim, st.st_mtim};
        if (utimensat(dst, name, ts, AT_SYMLINK_NOFOLLOW) < 0)
                return herr(errno, "set times of %s", name);
        return 0;
}

static int copy_entries(int src, int dst, int depth)
{
        _Alignas(struct dirent64) char buf[2048];
        for (;;) {
                long n = syscall(SYS_getdents64, src, buf, sizeof(buf));
                if (n < 0)
                        return herr(errno, "read directory");
                if (n == 0)
                        return 0;
                for (long off = 0; off < n;) {
                        struct dirent64 *d = (struct dirent64 *)(void *)(buf + off);
                        off += d->d_reclen;
                        const char *name = d->d_name;
                        if (name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])))
                                continue;
                        if (copy_one(src, dst, name, depth) < 0)
                                return -1;
                }
        }
}

int copy_tree(int src_dir, int dst_dir)
{
        return copy_entries(src_dir, dst_dir, 0);
}
