/* hooks.h - running the config's hooks (config.md "POSIX-platform Hooks").
 *
 * Each hook gets the container's state JSON on stdin, its own args and env,
 * and is killed when its timeout expires.  Where each kind runs:
 *   prestart, createRuntime  parent, runtime namespace, during create
 *   createContainer          container's init, before pivot_root
 *   startContainer           container's init, after start, before execve
 *   poststart                the `start` (or `run`) command, after the process started
 *   poststop                 `delete`, after the container is gone
 * A failing hook stops the operation, except poststop: its failures are
 * logged as warnings and the next hooks still run (runtime.md).
 */
#ifndef HULL_HOOKS_H
#define HULL_HOOKS_H

#include "config.h"

/* Run every hook of a kind in order; the first failure stops and returns -1
 * with an error naming hooks.<kind>[i] and what happened. */
int hooks_run(const struct hull_hooks *h, enum hull_hook_kind kind, const char *state_json);

#endif
