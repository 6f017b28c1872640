/* namespaces.h - creating and joining the container's namespaces.
 *
 * New namespaces are created by clone3() itself (ns_clone_flags), except:
 *   - cgroup: unshared by the init after it joined its cgroup, so that the
 *     namespace's root is the container's cgroup;
 *   - time: unshared by the init, offsets written, then entered, because
 *     offsets can only be set before any process is inside.
 * Namespaces given by `path` are joined with setns(): pid by the parent
 * around clone3 (setns on a pid namespace only affects children), the
 * others by the init, user namespace first.
 */
#ifndef HULL_NAMESPACES_H
#define HULL_NAMESPACES_H

#include <sys/types.h>

#include "config.h"

/* CLONE_NEW* flags of the namespaces clone3 creates. */
unsigned long ns_clone_flags(const struct hull_linux *l);

/* Parent: enter a pid namespace given by path for the next clone;
 * *restore_fd gets the fd to go back with ns_pid_restore (or -1). */
int ns_pid_enter(const struct hull_linux *l, int *restore_fd);
int ns_pid_restore(int restore_fd);

/* Parent: write /proc/PID/{uid_map,gid_map} from linux.uidMappings/gidMappings. */
int ns_write_idmaps(pid_t pid, const struct hull_linux *l);

/* Child: join every namespace given by path (not pid), user first. */
int ns_join_paths(const struct hull_linux *l);

/* Child: new cgroup / time namespaces (see above). */
int ns_unshare_cgroup(const struct hull_linux *l);
int ns_setup_time(const struct hull_linux *l);

/* Child: bring up "lo" in a new network namespace. */
int ns_loopback_up(void);

#endif
