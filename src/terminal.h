/* terminal.h - process.terminal: a pty made inside the container.
 *
 * The init opens the container's own /dev/ptmx (so the pty belongs to the
 * container's devpts), takes the peer with TIOCGPTPEER (no path lookup),
 * makes it its controlling terminal and stdio, binds it on /dev/console
 * (the init only: an exec'd process leaves the container's console alone),
 * and sends the master over --console-socket with SCM_RIGHTS (containerd's
 * shim and conmon receive it) or, for a foreground `run`, to hull itself,
 * which relays it to its own terminal (terminal_relay).
 */
#ifndef HULL_TERMINAL_H
#define HULL_TERMINAL_H

#include <stdbool.h>
#include <termios.h>

#include "config.h"

/* Parent: connect to --console-socket PATH; returns the socket fd. */
int terminal_connect(const char *path);
/* Child, after setsid(): make the pty; *master gets the master fd.  The
 * container's init (console) also binds it on /dev/console; exec does not. */
int terminal_setup(const struct hull_process *p, bool console, int *master);
/* Send a pty master fd over a unix socket, as runc does. */
int terminal_send(int sock, int master);
/* Parent (run -t without a console socket) relays hull's stdio and the
 * master: raw mode on hull's terminal, copies, window size. */
bool terminal_raw(struct termios *saved); /* false: stdin is not a tty */
void terminal_restore(const struct termios *saved);
int terminal_copy(int from, int to); /* one read+write; -1 on EOF/error */
void terminal_resize(int master);

#endif
