/* terminal.c - the container's pty (see terminal.h). */
#include "terminal.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41)
#endif

int terminal_connect(const char *path)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (strlen(path) >= sizeof(sa.sun_path))
                return herr(ENAMETOOLONG, "--console-socket %s", path);
        strcpy(sa.sun_path, path);
        int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return herr(errno, "--console-socket: socket");
        if (connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;
                close(s);
                return herr(e, "--console-socket: connect %s", path);
        }
        return s;
}

int terminal_setup(const struct hull_process *p, bool console, int *master)
{
        int m = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
        if (m < 0)
                return herr(errno, "process.terminal: open /dev/ptmx");
        int unlock = 0;
        if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
                int e = errno;
                close(m);
                return herr(e, "process.terminal: unlock pty");
        }
        int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
        if (s < 0) {
                int e = errno;
                close(m);
                return herr(e, "process.terminal: open the pty's peer");
        }
        if (p->has_console_size) {
                struct winsize ws = {.ws_row = (unsigned short)p->console_height,
                                     .ws_col = (unsigned short)p->console_width};
                ioctl(s, TIOCSWINSZ, &ws);
        }
        /* /dev/console is the pty, as in runc (an empty file to bind on) */
        struct stat st;
        if (console && lstat("/dev/console", &st) < 0 && errno == ENOENT) {
                int fd = open("/dev/console", O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
                if (fd >= 0)
                        close(fd);
        }
        if (console && lstat("/dev/console", &st) == 0 && !S_ISLNK(st.st_mode)) {
                char src[64];
                snprintf(src, sizeof(src), "/proc/self/fd/%d", s);
                if (mount(src, "/dev/console", NULL, MS_BIND, NULL) < 0) {
                        int e = errno;
                        close(s);
                        close(m);
                        return herr(e, "process.terminal: bind the pty on /dev/console");
                }
        }
        if (ioctl(s, TIOCSCTTY, 0) < 0) {
                int e = errno;
                close(s);
                close(m);
                return herr(e, "process.terminal: make the pty the controlling terminal");
        }
        for (int fd = 0; fd < 3; fd++) {
                if (dup2(s, fd) < 0) {
                        int e = errno;
                        close(s);
                        close(m);
                        return herr(e, "process.terminal: dup2 onto fd %d", fd);
                }
        }
        if (s > 2)
                close(s);
        *master = m;
        return 0;
}

int terminal_send(int sock, int master)
{
        static const char name[] = "/dev/ptmx";
        struct iovec iov = {.iov_base = (void *)name, .iov_len = sizeof(name) - 1};
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct msghdr mh = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof(u.buf)};
        struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &master, sizeof(int));
        if (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
                return herr(errno, "--console-socket: send the pty master");
        return 0;
}

int terminal_copy(int from, int to)
{
        char buf[8192];
        ssize_t n;
        do
                n = read(from, buf, sizeof(buf));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
                return -1;
        for (ssize_t off = 0; off < n;) {
                ssize_t w = write(to, buf + off, (size_t)(n - off));
                if (w < 0) {
                        if (errno == EINTR)
                                continue;
                        return -1;
                }
                off += w;
        }
        return 0;
}

bool terminal_raw(struct termios *saved)
{
        if (tcgetattr(STDIN_FILENO, saved) < 0)
                return false;
        struct termios raw = *saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        return true;
}

void terminal_restore(const struct termios *saved)
{
        tcsetattr(STDIN_FILENO, TCSANOW, saved);
}

void terminal_resize(int master)
{
        struct winsize ws;
        if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0)
                ioctl(master, TIOCSWINSZ, &ws);
}
