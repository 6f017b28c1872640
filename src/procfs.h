/* procfs.h - open a file of the real procfs for writing (CVE-2019-19921,
 * CVE-2025-52881).
 *
 * After pivot_root the init writes into /proc of the container
 * (thread-self/attr/exec, self/oom_score_adj, sys/...): a /proc that the
 * container's mounts may have shaped, where a file bind-mounted over the
 * target - even another procfs file such as /proc/sys/kernel/core_pattern -
 * would take the write instead.  So the file is reached from a /proc that
 * is the root of a procfs, with openat2(RESOLVE_NO_XDEV |
 * RESOLVE_NO_MAGICLINKS) so that no mount may cover any part of the path,
 * and the opened file must be on procfs.
 */
#ifndef HULL_PROCFS_H
#define HULL_PROCFS_H

/* fd of /proc/<rel> opened with flags (O_WRONLY...; O_CLOEXEC and
 * O_NOFOLLOW are added), checked as above.  -1 with the error set; errno
 * ENOENT is kept (callers may fall back), EXDEV when a mount is in the way
 * or /proc is not procfs. */
int procfs_open(const char *rel, int flags);

/* procfs_open(rel, O_WRONLY), one write(2) of value, close. */
int procfs_write(const char *rel, const char *value);
/* Write value to fd (from procfs_open(rel, ...)) in one write(2), then
 * close it; -1 with herr naming /proc/REL when not all of it went in. */
int procfs_write_fd(int fd, const char *rel, const char *value);

#endif
