/* paths.h - paths inside the container's rootfs, resolved inside it.
 *
 * Every lookup starts at an O_PATH fd of the rootfs and goes through
 * openat2(RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS): "..", absolute and
 * relative symlinks all stay below the rootfs, whatever the image holds.
 * Missing components are created one at a time, each relative to the fd of
 * its (already resolved) parent; a dangling symlink is followed inside the
 * root, never out of it.  The results are O_PATH fds, used as mount targets
 * (move_mount, /proc/self/fd/N) or as dirfds for mknodat/symlinkat.
 */
#ifndef HULL_PATHS_H
#define HULL_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Clean a container path lexically, as runc's filepath.Join does: drop
 * empty and "." components, fold ".." (never above "/"), drop the leading
 * "/".  "/dev//pts/../shm/" -> "dev/shm", "/" -> "".  Returns 0, or -1
 * with errno ENAMETOOLONG. */
int path_clean(const char *in, char *out, size_t size);

/* O_PATH|O_CLOEXEC fd of rel (a cleaned path) inside root_fd; extra_flags
 * may add O_DIRECTORY or O_NOFOLLOW.  -1 with errno (ENOENT...), no herr. */
int path_open(int root_fd, const char *rel, int extra_flags);

/* Like path_open, creating what is missing: directories (mode) for every
 * component but the last, and the last as a directory (dir) or an empty
 * regular file (file_mode).  -1 with the error set. */
int path_create(int root_fd, const char *rel, bool dir, mode_t mode, mode_t file_mode);

/* O_PATH fd of the directory that holds rel's last component, created
 * like path_create; *base points to that component inside rel.  For
 * mknodat/symlinkat(fd, *base).  -1 with the error set. */
int path_create_parent(int root_fd, const char *rel, mode_t mode, const char **base);

#endif
