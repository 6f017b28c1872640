/* terminal.c - the container's pty (see terminal.h). */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "terminal.h"
#include "error.h"
#include "fsutil.h"
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

/* O_PATH fd of /dev/console of the container (created as an empty file
 * when missing) to bind the pty on; -2 when it is a symlink (left alone, as
 * runc does).  Looked up inside the container's root ("/" by now) without
 * magic links and without following the last component: a /dev/console
 * that the image made a symlink cannot send the bind elsewhere
 * (CVE-2025-52565). */
static int open_console(int root)
{
        int fd = sys_openat2(root, "dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC, 0,
                             RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (fd < 0 && errno == ENOENT) {
                int dev = sys_openat2(root, "dev", O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                                      RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
                if (dev < 0)
                        return herr(errno, "process.terminal: open /dev");
                int c = openat(dev, "console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                               0600);
                if (c >= 0)
                        close(c);
                fd = openat(dev, "console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
                close(dev);
        }
        if (fd < 0)
                return herr(errno, "process.terminal: open /dev/console");
        struct stat st;
        if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode)) {
                close(fd);
                return -2;
        }
        return fd;
}

/* Bind the pty (peer fd s) on /dev/console. */
static int bind_console(int root, int s)
{
        int tfd = open_console(root);
        if (tfd < 0)
                return tfd == -2 ? 0 : -1;
        int r = 0, tree = sys_open_tree(s, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
        if (tree < 0 || sys_move_mount(tree, "", tfd, "",
                                       MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
                r = herr(errno, "process.terminal: bind the pty on /dev/console");
        if (tree >= 0)
                close(tree);
        close(tfd);
        return r;
}

int terminal_setup(const struct hull_process *p, bool console, int *master)
{
        /* the container's /dev/ptmx, never through a magic link */
        int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return herr(errno, "process.terminal: open /");
        int m = sys_openat2(root, "dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC, 0,
                            RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        if (m < 0) {
                int e = errno;
                close(root);
                return herr(e, "process.terminal: open /dev/ptmx");
        }
        int unlock = 0;
        if (ioctl(m, TIOCSPTLCK, &unlock) < 0) {
                int e = errno;
                close(root);
                close(m);
                return herr(e, "process.terminal: unlock pty");
        }
        int s = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY);
        if (s < 0) {
                int e = errno;
                close(root);
                close(m);
                return herr(e, "process.terminal: open the pty's peer");
        }
        if (p->has_console_size) {
                struct winsize ws = {.ws_row = (unsigned short)p->console_height,
                                     .ws_col = (unsigned short)p->console_width};
                ioctl(s, TIOCSWINSZ, &ws);
        }
        /* /dev/console is the pty, as in runc (an empty file to bind on) */
        int r = console ? bind_console(root, s) : 0;
        close(root);
        if (r < 0) {
                close(s);
                close(m);
                return -1;
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
        if (send_with_fd(sock, name, sizeof(name) - 1, master) < 0)
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
