/* devices.h - the container's /dev: default devices, linux.devices and the
 * usual symlinks, made inside the rootfs before pivot_root.
 *
 *   default devices   null zero full random urandom tty (config-linux.md
 *                     "Default Devices"), 0666 root:root
 *   linux.devices     mknod with fileMode/uid/gid anywhere in the rootfs
 *   /dev/ptmx         -> pts/ptmx
 *   /dev/fd, stdin, stdout, stderr -> /proc/self/fd/...; /dev/core ->
 *                     /proc/kcore when the host has it
 *
 * With a user namespace (or when mknod gets EPERM) the host's node is
 * bind-mounted on an empty file instead, as runc does.  Every path is
 * resolved inside the rootfs (paths.h).  /dev/console is terminal.c's.
 */
#ifndef HULL_DEVICES_H
#define HULL_DEVICES_H

#include "config.h"

/* -1 with the error set ("linux.devices[2] (/dev/fuse): mknod: ..."). */
int devices_setup(int root_fd, const struct hull_config *cfg);

/* After pivot_root: stdio fds open on the host's /dev/null are moved to
 * the container's, as runc does.  -1 with the error set. */
int devices_reopen_null(void);

#endif
