/* names.h - the OCI spec's constant names and the kernel's (or libseccomp's)
 * numbers for them.
 *
 * Pure lookups, no state: config.c uses them to turn config.json strings
 * into numbers, and the subsystems (seccomp, process, rootfs) use them to
 * print names back.  Capability and namespace names live in config.h.
 * The *_from_name() functions return -1 for a name they do not know.
 */
#ifndef HULL_NAMES_H
#define HULL_NAMES_H

#include <stdint.h>

#include "config.h"

/* "RLIMIT_NOFILE" -> RLIMIT_NOFILE (7). */
int rlimit_from_name(const char *name);
const char *rlimit_name(int resource);

/* linux.namespaces[].type: "network" -> NS_NET. */
int ns_kind_from_name(const char *name);

/* process.scheduler.policy: "SCHED_FIFO" -> SCHED_FIFO. */
int sched_policy_from_name(const char *name);
/* process.scheduler.flags[]: "SCHED_FLAG_RECLAIM" -> SCHED_FLAG_RECLAIM. */
int sched_flag_from_name(const char *name, uint64_t *flag);

/* process.ioPriority.class: "IOPRIO_CLASS_BE" -> IOPRIO_CLASS_BE (2). */
int ioprio_class_from_name(const char *name);

/* linux.rootfsPropagation: "rslave" -> MS_SLAVE | MS_REC. */
int propagation_from_name(const char *name, unsigned long *flags);

/* linux.personality.domain: "LINUX32" -> PER_LINUX32. */
int personality_from_name(const char *name, unsigned long *domain);

/* Seccomp.  Actions are libseccomp's SCMP_ACT_* values with a zero errno
 * ("SCMP_ACT_ERRNO" -> SCMP_ACT_ERRNO(0)); the caller ORs the errno in. */
int seccomp_action_from_name(const char *name, uint32_t *action);
const char *seccomp_action_name(uint32_t action); /* errno bits ignored */
/* Does the action carry an errno (SCMP_ACT_ERRNO, SCMP_ACT_TRACE)? */
int seccomp_action_takes_errno(uint32_t action);
/* "SCMP_CMP_NE" .. "SCMP_CMP_MASKED_EQ" -> 1 .. 7 (enum scmp_compare). */
int seccomp_op_from_name(const char *name);
const char *seccomp_op_name(int op);
/* "SCMP_ARCH_X86_64" -> AUDIT_ARCH_X86_64 (libseccomp's SCMP_ARCH_*). */
int seccomp_arch_from_name(const char *name, uint32_t *arch);
const char *seccomp_arch_name(uint32_t arch);
/* "SECCOMP_FILTER_FLAG_LOG" -> SECCOMP_FILTER_FLAG_LOG. */
int seccomp_flag_from_name(const char *name, unsigned *flag);

#endif
