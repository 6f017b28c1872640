/* check.h - `hull check`: every problem of a bundle's config.json, against
 * the spec and against this host, each with its JSON path and line:column.
 *
 *   check.c       reading, JSON syntax, the parse (config_parse), repeated
 *                 without each bad field so that every spec problem shows,
 *                 then config_validate_all(), the seccomp compile; locating
 *                 and printing
 *   check_host.c  what config_validate() does not look at because create
 *                 would find it later: rootfs, args[0], hooks, bind sources,
 *                 kernel features, cgroup version and controllers, LSMs,
 *                 id mappings, limits
 *
 * A problem prints as one line, like a compiler's:
 *
 *     ./config.json:12:7: error: process.cwd: must be an absolute path, got "x"
 *
 * Errors make create fail; warnings are what hull ignores or works around.
 */
#ifndef HULL_CHECK_H
#define HULL_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "config.h"

struct check_opts {
        const char *bundle; /* as given; "." by default */
        bool systemd;       /* --systemd-cgroup */
        const char *criu;   /* --criu */
};

struct check_result {
        int errors, warnings;
};

/* Check BUNDLE/config.json; print each problem to out.  -1 with the error
 * set when config.json cannot be read at all. */
int check_bundle(const struct check_opts *o, FILE *out, struct check_result *res);

/* ---- shared by check.c and check_host.c ---- */

enum check_level { CHECK_ERROR, CHECK_WARNING };
struct check_edits;

struct check_ctx {
        const struct check_opts *o;
        FILE *out;
        const char *file; /* config.json as printed */
        const char *text; /* its text, for line:column */
        size_t len;
        char bundle_abs[4096]; /* realpath of the bundle, or "" */
        struct check_result *res;
        struct check_edits *ed; /* check.c: paths of the edited copy -> the file's */
};

/* Print one problem.  msg starts with the JSON path of the field
 * ("process.cwd: ..."), which gives the line:column; a path of the config
 * as parsed, which check.c maps back to the file's. */
void check_report(struct check_ctx *c, enum check_level lvl, const char *msg);
void check_reportf(struct check_ctx *c, enum check_level lvl, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The host checks of a config that parsed (check_host.c). */
void check_host(struct check_ctx *c, const struct hull_config *cfg);
/* One line about this host: kernel, cgroup version, namespaces, LSMs, criu. */
void check_host_summary(struct check_ctx *c);

#endif
