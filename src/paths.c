/* paths.c - resolve and create paths inside the rootfs (see paths.h). */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "paths.h"
#include "error.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SYMLINKS 40

int path_clean(const char *in, char *out, size_t size)
{
        size_t n = 0;
        const char *p = in;
        if (size == 0) {
                errno = ENAMETOOLONG;
                return -1;
        }
        while (*p) {
                while (*p == '/')
                        p++;
                if (!*p)
                        break;
                const char *e = p;
                while (*e && *e != '/')
                        e++;
                size_t len = (size_t)(e - p);
                if (len == 1 && p[0] == '.') {
                        /* nothing */
                } else if (len == 2 && p[0] == '.' && p[1] == '.') {
                        while (n > 0 && out[n - 1] != '/')
                                n--;
                        if (n > 0)
                                n--; /* the '/' before the dropped component */
                } else {
                        if (n + (n ? 1 : 0) + len + 1 > size) {
                                errno = ENAMETOOLONG;
                                return -1;
                        }
                        if (n)
                                out[n++] = '/';
                        memcpy(out + n, p, len);
                        n += len;
                }
                p = e;
        }
        out[n] = '\0';
        return 0;
}

int path_open(int root_fd, const char *rel, int extra_flags)
{
        int fd;
        int tries = 0;
        do
                fd = sys_openat2(root_fd, rel[0] ? rel : ".",
                                 (uint64_t)(O_PATH | O_CLOEXEC | extra_flags), 0,
                                 RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        while (fd < 0 && errno == EAGAIN && ++tries < 16); /* a rename raced the walk */
        return fd;
}

/* Replace the component path[pos..end) (a symlink whose target is link)
 * by link, keeping what follows end. */
static int splice_link(char *path, size_t pos, size_t end, const char *link)
{
        char tmp[PATH_MAX];
        const char *rest = path[end] ? path + end + 1 : "";
        int n;
        if (link[0] == '/')
                n = snprintf(tmp, sizeof(tmp), "%s%s%s", link, rest[0] ? "/" : "", rest);
        else
                n = snprintf(tmp, sizeof(tmp), "%.*s%s%s%s", (int)pos, path, link,
                             rest[0] ? "/" : "", rest);
        if (n < 0 || (size_t)n >= sizeof(tmp))
                return -1;
        memcpy(path, tmp, (size_t)n + 1);
        return 0;
}

static bool is_dots(const char *name)
{
        return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2]));
}

/* Make name in the directory pfd: a directory, or an empty file. */
static int make_entry(int pfd, const char *name, bool dir, mode_t mode, mode_t file_mode)
{
        if (dir)
                return mkdirat(pfd, name, mode);
        int fd = openat(pfd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, file_mode);
        if (fd < 0)
                return -1;
        close(fd);
        return 0;
}

int path_create(int root_fd, const char *rel, bool dir, mode_t mode, mode_t file_mode)
{
        int fd = path_open(root_fd, rel, 0);
        if (fd >= 0)
                return fd;
        if (errno != ENOENT)
                return herr(errno, "open /%s", rel);

        char path[PATH_MAX];
        size_t len = strlen(rel);
        if (len >= sizeof(path))
                return herr(ENAMETOOLONG, "/%s", rel);
        memcpy(path, rel, len + 1);
        int links = 0;
        bool known_missing = true; /* the whole path: openat2 just said ENOENT */

restart:;
        int pfd = root_fd;  /* fd of the components resolved so far */
        bool fresh = false; /* pfd was made by us: nothing below it yet */
        size_t pos = 0;
        while (path[pos] == '/')
                pos++;
        while (path[pos]) {
                size_t end = pos;
                while (path[end] && path[end] != '/')
                        end++;
                size_t next = end;
                while (path[next] == '/')
                        next++;
                bool last = path[next] == '\0';
                char saved = path[end];
                path[end] = '\0';
                const char *name = path + pos;
                int cfd = -1;
                if ((!fresh && !(last && known_missing)) || is_dots(name)) {
                        cfd = path_open(root_fd, path, 0);
                        if (cfd < 0 && errno != ENOENT) {
                                herr(errno, "open /%s", path);
                                goto fail;
                        }
                }
                if (cfd < 0) {
                        if (make_entry(pfd, name, !last || dir, mode, file_mode) < 0) {
                                if (errno != EEXIST) {
                                        herr(errno, "create /%s", path);
                                        goto fail;
                                }
                                /* there but unresolvable: a dangling symlink,
                                 * followed inside the root */
                                char link[PATH_MAX];
                                ssize_t n = readlinkat(pfd, name, link, sizeof(link) - 1);
                                if (n < 0 || ++links > MAX_SYMLINKS) {
                                        herr(n < 0 ? EEXIST : ELOOP, "create /%s", path);
                                        goto fail;
                                }
                                link[n] = '\0';
                                path[end] = saved;
                                if (splice_link(path, pos, end, link) < 0) {
                                        herr(ENAMETOOLONG, "follow /%s -> %s", name, link);
                                        goto fail;
                                }
                                if (pfd != root_fd)
                                        close(pfd);
                                known_missing = false;
                                goto restart;
                        }
                        cfd = openat(pfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
                        if (cfd < 0) {
                                herr(errno, "open /%s", path);
                                goto fail;
                        }
                        fresh = true;
                } else {
                        fresh = false;
                }
                path[end] = saved;
                if (pfd != root_fd)
                        close(pfd);
                pfd = cfd;
                pos = next;
        }
        if (pfd == root_fd) /* only slashes and dots */
                return path_open(root_fd, "", 0);
        return pfd;
fail:
        if (pfd != root_fd)
                close(pfd);
        return -1;
}

int path_create_parent(int root_fd, const char *rel, mode_t mode, const char **base)
{
        const char *slash = strrchr(rel, '/');
        const char *b = slash ? slash + 1 : rel;
        if (!b[0] || is_dots(b))
                return herr(EINVAL, "/%s: not a file name", rel);
        *base = b;
        if (!slash) {
                int fd = path_open(root_fd, "", O_DIRECTORY);
                return fd < 0 ? herr(errno, "open /") : fd;
        }
        char dir[PATH_MAX];
        size_t n = (size_t)(slash - rel);
        if (n >= sizeof(dir))
                return herr(ENAMETOOLONG, "/%s", rel);
        memcpy(dir, rel, n);
        dir[n] = '\0';
        return path_create(root_fd, dir, true, mode, 0);
}
