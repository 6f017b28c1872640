/* security.h - capabilities, no_new_privs, seccomp and LSM labels of the
 * container's process.
 *
 * The filter is compiled in the parent (seccomp_compile, before clone3) so
 * that the child only has to load it.  Order in the child (see init.c):
 *   caps_drop_bounding()  before changing uid (needs CAP_SETPCAP)
 *   [setgroups/setgid/setuid with PR_SET_KEEPCAPS]
 *   caps_apply()          inheritable, permitted, effective, ambient
 *   lsm_apply_exec_label()
 *   prctl(PR_SET_NO_NEW_PRIVS) when asked
 *   seccomp_prog_load()   before SYNC_READY (while `create` can still pass a
 *                         listener fd on), as runc
 * Without noNewPrivileges the filter has to be loaded while the init still
 * has CAP_SYS_ADMIN, i.e. before the uid changes.
 */
#ifndef HULL_SECURITY_H
#define HULL_SECURITY_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

/* ---- capabilities (caps.c) ----
 * A set process.capabilities does not list is empty, and so is every set
 * when process.capabilities is absent (as in runc).  Capabilities above
 * the kernel's cap_last_cap are skipped with a warning. */

/* Drops from the bounding set every capability not in c->bounding. */
int caps_drop_bounding(const struct hull_caps *c);
/* capset() of effective/permitted/inheritable, then the ambient set
 * (cleared, then raised one by one; a capability that cannot be raised is
 * skipped with a debug log, not an error, like runc).  After a change to a non-root uid
 * this needs the permitted set kept with PR_SET_KEEPCAPS. */
int caps_apply(const struct hull_caps *c);

/* ---- seccomp (seccomp.c) ---- */

/* A compiled filter: the seccomp(2) flags and a classic BPF program, one
 * allocation of plain data (no pointers), a function of the profile and
 * the host architecture only - so it can be cached. */
struct seccomp_prog;

/* Compile linux.seccomp with libseccomp; *out = NULL when no filter is
 * configured.  Checks everything that can be checked before clone
 * (actions, architectures, flags, SCMP_ACT_NOTIFY restrictions, listenerPath
 * present when needed).  Parent side: allocates, uses libseccomp. */
int seccomp_compile(const struct hull_seccomp *s, struct seccomp_prog **out);
/* The same, through the cache of compiled filters under STATE_ROOT (--root;
 * NULL: no cache): seccomp_cache.c. */
int seccomp_compile_cached(const char *state_root, const struct hull_seccomp *s,
                           struct seccomp_prog **out);
/* Load it with one seccomp(2) call (async-signal-safe, no allocation);
 * with SCMP_ACT_NOTIFY rules *notify_fd gets the listener fd (O_CLOEXEC),
 * else -1.  p == NULL loads nothing. */
int seccomp_prog_load(struct seccomp_prog *p, int *notify_fd);
/* Send the listener fd to s->listener_path (AF_UNIX, SOCK_STREAM, one
 * connection per fd) as SCM_RIGHTS with the "container process state" of
 * config-linux.md.  state_json is the container's state (runtime.md:
 * ociVersion, id, status, pid, bundle, annotations); this function wraps
 * it: {"ociVersion", "fds":["seccompFd"], "pid": <state.pid>,
 * "metadata": <listenerMetadata, omitted when unset>, "state": <state_json>}.
 * The caller keeps notify_fd (and closes it). */
int seccomp_send_notify_fd(const struct hull_seccomp *s, int notify_fd, const char *state_json);
void seccomp_free(struct seccomp_prog *p);

/* ---- LSM labels (lsm.c) ---- */

/* AppArmor profile / SELinux label for the next execve; error when the
 * host cannot apply a configured one.  NULL or "" means none. */
int lsm_apply_exec_label(const char *apparmor_profile, const char *selinux_label);
/* Mount label option for mounts (SELinux context=...), or NULL when there
 * is none or SELinux is not enabled. */
const char *lsm_mount_label(const struct hull_config *cfg);
/* Write value to this thread's /proc/thread-self/<attr> (e.g. "attr/exec")
 * only if that is the real procfs file: no mount may hide any part of the
 * path (EXDEV otherwise).  Used for the labels; exported for tests. */
int lsm_write_attr(const char *attr, const char *value);

#endif
