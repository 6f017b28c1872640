/* sysctl.h - linux.sysctl, written into the container's own /proc/sys
 * (after pivot_root, so the writes land in the container's namespaces). */
#ifndef HULL_SYSCTL_H
#define HULL_SYSCTL_H

#include "config.h"

/* Is this key namespaced (safe for a container to set)?  Returns the name
 * of the namespace it needs ("ipc", "net", "uts") or NULL. */
const char *sysctl_namespace_of(const char *key);
int sysctl_apply(const struct hull_linux *lx);

#endif
