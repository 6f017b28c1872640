/* explain.h - `hull explain`: the plan of a create, in words, without
 * running anything.
 *
 * The plan follows the launch of docs/ARCHITECTURE.md step by step, each
 * line headed by the name of the function that does the step (the names
 * --trace uses too).  It reads only the parsed config: nothing on the host
 * is looked at, so the same bundle gives the same text everywhere (where
 * the host decides, e.g. cgroup v1 or v2, both cases are given).
 *
 *   explain.c         the order of the steps, namespaces, the process,
 *                     capabilities, seccomp, hooks
 *   explain_fs.c      rootfs_prepare / rootfs_pivot / rootfs_finish: mounts
 *                     with their flags, devices, pivot_root, paths, sysctl
 *   explain_cgroup.c  cgroup_prepare: the cgroup path and every value
 *                     written, as v1 and v2 file names (a table)
 */
#ifndef HULL_EXPLAIN_H
#define HULL_EXPLAIN_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

#include "config.h"

struct explain {
        FILE *out;
        const struct hull_config *cfg;
        const char *bundle; /* as given */
        const char *root;   /* --root */
        bool systemd;       /* --systemd-cgroup */
        bool no_pivot;      /* --no-pivot */
};

/* Print the whole plan. */
void explain_print(const struct explain *e);

/* ---- shared by the explain_*.c files ---- */

/* A step: its function name, then what it does ("  name  text"). */
void ex_step(const struct explain *e, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* More about the step, indented below its text (level 0, 1, 2). */
void ex_more(const struct explain *e, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "a, b, c" of a string list into buf (cut with "..." when long). */
const char *ex_join(const char *const *list, size_t n, const char *sep, char *buf, size_t cap);

void explain_cgroup(const struct explain *e); /* cgroup_prepare */
void explain_rootfs(const struct explain *e); /* rootfs_prepare */
void explain_pivot(const struct explain *e);  /* rootfs_pivot */
void explain_sysctl(const struct explain *e); /* sysctl_apply */
void explain_finish(const struct explain *e); /* rootfs_finish */

#endif
