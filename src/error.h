/* error.h - one error at a time, one line, with its context.
 *
 * A failing function records what it was doing, on which object, and the
 * errno, then returns -1.  Callers that add context wrap the message:
 *
 *     if (mount(...) < 0)
 *             return herr(errno, "mount %s on %s", type, dest);
 *     ...
 *     if (mount_one(m) < 0)
 *             return herr_ctx("linux.mounts[%zu] (%s)", i, m->destination);
 *
 * gives "linux.mounts[3] (/proc): mount proc on /proc: permission denied",
 * printed (herr_msg_full) as "...: permission denied (EPERM); hint: a pid
 * namespace is needed for a new proc mount (linux.namespaces: pid)".
 * The message travels from the container's init to the parent over the
 * sync socket (see sync.h), so both sides report errors the same way.
 */
#ifndef HULL_ERROR_H
#define HULL_ERROR_H

#include <stddef.h>

#define HERR_MAX 1024

/* Set the error: the formatted text, then ": strerror(errnum)" if errnum != 0.
 * Returns -1.  errno is preserved. */
int herr(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prefix context to the current error: "<ctx>: <old message>".  Returns -1. */
int herr_ctx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Set the error from a finished message (e.g. received from the child). */
void herr_set_raw(int errnum, const char *msg);

const char *herr_msg(void);
int herr_errno(void);
void herr_clear(void);

/* What hull prints: herr_msg() + " (ENAME)" when there is an errno +
 * "; hint: ..." when error.c's hint table knows a likely fix. */
const char *herr_msg_full(void);
/* strerror() as runc (Go) words it: lower case ("no such file or directory"). */
const char *herr_errno_text(int errnum);
/* "EPERM" for EPERM; NULL when unknown. */
const char *herr_errno_name(int errnum);
/* The hint for an errno (0: none) met in a message, or NULL. */
const char *herr_hint(int errnum, const char *text);

#endif
