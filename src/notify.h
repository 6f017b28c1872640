/* notify.h - NOTIFY_SOCKET (sd_notify) passed through to the container.
 *
 * When hull runs with NOTIFY_SOCKET in its environment (systemd's Type=notify
 * units, podman --sdnotify=container), it does what runc does:
 *   create/run  make ROOT/ID/notify/, bind it read-only at /run/notify in the
 *               container, and give the process NOTIFY_SOCKET=/run/notify/notify.sock;
 *   start/run   bind a datagram socket ROOT/ID/notify/notify.sock before the
 *               process starts, wait for its "READY=..." and pass that on to
 *               the host's socket with MAINPID=<init pid> and a BARRIER=1; give
 *               up when the init exits first.  `start` and `run -d` return only
 *               then; a foreground `run` relays while it waits for the process.
 */
#ifndef HULL_NOTIFY_H
#define HULL_NOTIFY_H

#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

#define NOTIFY_DIR  "notify"
#define NOTIFY_SOCK "notify/notify.sock"

/* NOTIFY_SOCKET from the environment; NULL when unset or empty. */
const char *notify_host_socket(void);

/* create/run: append the /run/notify bind mount (source STATE_DIR/notify,
 * STATE_DIR absolute) and the NOTIFY_SOCKET variable to cfg; the new arrays
 * go in *owned (free them after cfg).  Returns -1 with the error set. */
int notify_setup_spec(struct hull_config *cfg, const char *state_dir, void **owned);
void notify_spec_free(void *owned);

/* Bind ROOT/ID/notify/notify.sock (dir_fd: ROOT/ID); returns the socket. */
int notify_bind(int dir_fd);

/* The socket is readable: read one message; when it holds a READY= line,
 * pass it to host with MAINPID=pid and return 1; else 0 (-1: error set). */
int notify_forward(int sock, const char *host, pid_t pid);

/* Wait until the container says READY (forwarded) or pidfd's process exits. */
int notify_wait(int sock, const char *host, pid_t pid, int pidfd);

#endif
