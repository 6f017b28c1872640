/* supervise.h - a foreground `run` or `exec`: hull waits for the process,
 * forwards every signal it gets to it, and relays the pty for -t. */
#ifndef HULL_SUPERVISE_H
#define HULL_SUPERVISE_H

#include <signal.h>
#include <sys/types.h>

/* The signals hull blocks while it supervises (all but synchronous faults). */
void supervise_sigset(sigset_t *set);

/* Wait for pid; returns its exit status as runc reports it (128+N for a
 * signal).  console_master >= 0: relay it to hull's stdio meanwhile.
 * notify_sock >= 0: pass the container's READY on to notify_host
 * (notify.h) meanwhile. */
int supervise_wait(pid_t pid, int pidfd, int console_master, const sigset_t *set, int notify_sock,
                   const char *notify_host);

#endif
