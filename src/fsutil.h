/* fsutil.h - small file helpers used everywhere. */
#ifndef HULL_FSUTIL_H
#define HULL_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read a whole file into a malloc'd NUL-terminated buffer. */
int read_file_at(int dirfd, const char *path, char **buf, size_t *len);

/* Write data to an existing file (cgroup, /proc knobs): one write(2). */
int write_file_at(int dirfd, const char *path, const char *data, size_t len);
int write_file_str(const char *path, const char *s);

/* Write dirfd/name atomically: a temp file in the same dir, fsync-free
 * (state lives on tmpfs), then rename(2) over name. */
int atomic_write_at(int dirfd, const char *name, const char *data, size_t len, mode_t mode);

/* mkdir -p, each missing component with mode. */
int mkdir_p(const char *path, mode_t mode);

/* rm -rf of a directory tree below dirfd (no symlink following). */
int remove_tree_at(int dirfd, const char *name);

/* Is fd/path a directory?  -1 on error. */
int is_dir_at(int dirfd, const char *path);

/* Every fd from first on closes at execve: close_range(CLOSE_RANGE_CLOEXEC),
 * or FD_CLOEXEC fd by fd where that is refused (a seccomp profile older
 * than close_range, as runc works under; a kernel before 5.11). */
int fd_cloexec_from(unsigned first);

/* sendmsg(2) of buf[len] on a unix socket, with fd (when >= 0) passed as
 * SCM_RIGHTS; retried on EINTR, never raises SIGPIPE.  Returns the bytes
 * sent, or -1 with errno. */
ssize_t send_with_fd(int sock, const void *buf, size_t len, int fd);

#endif
