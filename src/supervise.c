/* supervise.c - wait for a foreground process (see supervise.h). */
#include "supervise.h"
#include "log.h"
#include "error.h"
#include "notify.h"
#include "sys.h"
#include "terminal.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

void supervise_sigset(sigset_t *set)
{
        sigfillset(set);
        sigdelset(set, SIGSEGV);
        sigdelset(set, SIGBUS);
        sigdelset(set, SIGILL);
        sigdelset(set, SIGFPE);
}

/* Reap children; the init's exit status as runc reports it, or -1. */
static int reap(pid_t pid)
{
        int status, rc = -1;
        pid_t p;
        while ((p = waitpid(-1, &status, WNOHANG)) > 0)
                if (p == pid)
                        rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        return rc;
}

/* Wait for the init, forwarding every signal hull receives to it, and
 * relaying the terminal for `run -t` (console_master >= 0). */
int supervise_wait(pid_t pid, int pidfd, int console_master, const sigset_t *set, int notify_sock,
                   const char *notify_host)
{
        int sfd = signalfd(-1, set, SFD_CLOEXEC);
        int m = console_master;
        struct termios saved;
        bool raw = m >= 0 && terminal_raw(&saved);
        if (m >= 0 && raw)
                terminal_resize(m);
        bool in_open = m >= 0;
        int rc = -1;
        while (rc < 0) {
                struct pollfd p[4] = {{.fd = sfd, .events = POLLIN},
                                      {.fd = m, .events = POLLIN},
                                      {.fd = in_open ? STDIN_FILENO : -1, .events = POLLIN},
                                      {.fd = notify_sock, .events = POLLIN}};
                if (poll(p, 4, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        break;
                }
                if (p[3].revents & POLLIN) {
                        int r = notify_forward(notify_sock, notify_host, pid);
                        if (r < 0)
                                log_warn("%s", herr_msg());
                        if (r != 0) /* READY passed on (or failed): done with it */
                                notify_sock = -1;
                }
                if (p[1].revents & POLLIN)
                        terminal_copy(m, STDOUT_FILENO);
                if (p[2].revents & (POLLIN | POLLHUP) && terminal_copy(STDIN_FILENO, m) < 0)
                        in_open = false;
                if (!(p[0].revents & POLLIN))
                        continue;
                struct signalfd_siginfo si;
                if (read(sfd, &si, sizeof(si)) != sizeof(si))
                        continue;
                if (si.ssi_signo == SIGCHLD)
                        rc = reap(pid);
                else if (si.ssi_signo == SIGWINCH && m >= 0)
                        terminal_resize(m);
                else
                        sys_pidfd_send_signal(pidfd, (int)si.ssi_signo, NULL, 0);
        }
        /* what the process wrote just before it exited */
        while (m >= 0) {
                struct pollfd p = {.fd = m, .events = POLLIN};
                if (poll(&p, 1, 0) <= 0 || !(p.revents & POLLIN) ||
                    terminal_copy(m, STDOUT_FILENO) < 0)
                        break;
        }
        if (raw)
                terminal_restore(&saved);
        if (sfd >= 0)
                close(sfd);
        return rc < 0 ? 255 : rc;
}
