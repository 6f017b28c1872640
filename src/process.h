/* process.h - attributes of the container's process, applied by its init
 * (or by an exec'd process) before execve: rlimits, oom_score_adj,
 * personality, scheduler, I/O priority, CPU affinity, user and groups,
 * then the execve itself with cwd and env. */
#ifndef HULL_PROCESS_H
#define HULL_PROCESS_H

#include "config.h"

int process_apply_rlimits(const struct hull_process *p);
int process_apply_oom_score_adj(const struct hull_process *p);
int process_apply_personality(const struct hull_personality *pers);
int process_apply_scheduler(const struct hull_process *p);
int process_apply_ioprio(const struct hull_process *p);
/* cpus: a cpu list like "0-3,7" (execCPUAffinity.initial or .final) */
int process_apply_affinity(const char *cpus, const char *field);
/* setgroups, setresgid, setresuid (keeping capabilities for caps_apply). */
int process_set_user(const struct hull_user *u);
/* chdir(process.cwd), resolved inside the current root without magic links */
int process_chdir(const struct hull_process *p);
/* Find process.args[0] (PATH lookup in process.env) as runc does before
 * the process is started, so a missing binary fails create, not start.
 * Returns an O_CLOEXEC fd of it checked by exe_guard_open() (not hull's
 * own binary) for process_exec, or -1. */
int process_resolve(const struct hull_process *p, char *out, size_t out_len);
/* umask, then execveat(fd) with process.args and process.env; by path
 * (after exe_guard_open() once more) when fd < 0, for a script, or when
 * path's last component is a symlink (the comm comes from the name).
 * Returns only on error. */
int process_exec(const struct hull_process *p, const char *path, int fd);

#endif
