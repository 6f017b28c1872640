/* exe_guard.h - keep the container away from hull's own binary
 * (CVE-2019-5736).
 *
 * hull never re-executes itself: the container's init and an exec'd
 * process are clone3() children running hull's image until their execve.
 * Two things could let a process of the container reach the host's hull
 * binary through /proc/PID/exe and overwrite it once it is no longer busy:
 *
 *  - a hull process that joined the container (an init before execve, an
 *    exec child, the `run`/`exec` parent seen through a shared pid
 *    namespace): exe_guard_init() makes every hull process non-dumpable, so
 *    only CAP_SYS_PTRACE in hull's (the host's) user namespace opens it;
 *  - process.args[0] that resolves to hull's binary again, e.g.
 *    "/proc/self/exe" or a script whose "#!" line names it: the kernel
 *    would run the host's hull as the container's process, dumpable after
 *    execve.  exe_guard_open() refuses it, following "#!" interpreters as
 *    the kernel does, and the process is then executed from the checked fd.
 */
#ifndef HULL_EXE_GUARD_H
#define HULL_EXE_GUARD_H

#include <stdbool.h>

/* Early in main(): PR_SET_DUMPABLE 0 (when running as root) and the
 * identity (st_dev, st_ino) of hull's own executable, from the host's
 * /proc before any namespace or root change. */
void exe_guard_init(void);

/* O_PATH|O_CLOEXEC fd of path (resolved as execve would, in the current
 * root and cwd) after checking that neither it nor any "#!" interpreter
 * (up to the kernel's 4 levels) is hull's own executable.  field names the
 * config field for the error ("process.args[0]").  -1 with the error set
 * (errno EPERM when refused). */
int exe_guard_open(const char *path, const char *field);

/* Does execveat(fd, "", AT_EMPTY_PATH) name the process (comm) after the
 * file, as execve does?  Linux 6.14 and later; before, the comm is the fd's
 * number ("3"), which ps, pkill and `docker top` would show. */
bool exe_guard_comm_from_fd(void);

#endif
