/* seccomp-agent.c - a seccomp notify agent for tests/integration/security.bats.
 *
 *   seccomp-agent SOCKET LOG MODE
 *
 * Listens on the unix socket SOCKET (linux.seccomp.listenerPath).  For each
 * connection it receives one message: the "container process state" JSON
 * of config-linux.md with the listener fd as SCM_RIGHTS, and appends to LOG
 *   state <the JSON, one line>
 *   fds <number of fds received>
 * Then it answers every notification on that fd and appends
 *   notif <syscall nr> <pid> <first argument read as a string from the
 *         process's memory>
 * MODE is the answer: "errno:N" (the syscall fails with errno N),
 * "fake" (it returns 0 without being made) or "continue" (the kernel
 * makes it).  It runs until killed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MAX_FDS 32

static int log_fd = -1;

static void logf_(const char *fmt, ...)
{
        char buf[70000];
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(buf, sizeof(buf) - 1, fmt, ap);
        va_end(ap);
        if (n < 0)
                return;
        if (n > (int)sizeof(buf) - 2)
                n = (int)sizeof(buf) - 2;
        buf[n++] = '\n';
        if (write(log_fd, buf, (size_t)n) != n)
                exit(3);
}

static void die(const char *what)
{
        logf_("error %s: %s", what, strerror(errno));
        exit(2);
}

/* One connection: the state and the fds. Returns the first fd or -1. */
static int receive(int conn)
{
        static char data[65536];
        char cbuf[CMSG_SPACE(sizeof(int) * 4)];
        struct iovec iov = {.iov_base = data, .iov_len = sizeof(data) - 1};
        struct msghdr msg = {
            .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof(cbuf)};
        ssize_t n = recvmsg(conn, &msg, MSG_CMSG_CLOEXEC);
        if (n < 0) {
                logf_("error recvmsg: %s", strerror(errno));
                return -1;
        }
        data[n] = '\0';
        for (char *c = data; *c; c++)
                if (*c == '\n')
                        *c = ' ';
        int nfds = 0, fd = -1;
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
                if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
                        continue;
                int k = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
                for (int i = 0; i < k; i++) {
                        int f;
                        memcpy(&f, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
                        if (fd < 0)
                                fd = f;
                        else
                                close(f);
                        nfds++;
                }
        }
        logf_("state %s", data);
        logf_("fds %d", nfds);
        return fd;
}

/* The string at addr in pid's memory, if the notification is still valid. */
static void read_arg(int nfd, const struct seccomp_notif *req, char *out, size_t len)
{
        char path[64];
        snprintf(path, sizeof(path), "/proc/%u/mem", req->pid);
        snprintf(out, len, "?");
        int mem = open(path, O_RDONLY | O_CLOEXEC);
        if (mem < 0)
                return;
        ssize_t n = pread(mem, out, len - 1, (off_t)req->data.args[0]);
        close(mem);
        __u64 id = req->id;
        if (n <= 0 || ioctl(nfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) < 0) {
                snprintf(out, len, "?");
                return;
        }
        out[n] = '\0';
        out[strcspn(out, "\n")] = '\0';
}

/* Answer one notification; 0 when the fd is still useful. */
static int answer(int nfd, const char *mode)
{
        struct seccomp_notif req;
        struct seccomp_notif_resp resp;
        memset(&req, 0, sizeof(req));
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0)
                return errno == EINTR || errno == ENOENT ? 0 : -1;
        char arg[256];
        read_arg(nfd, &req, arg, sizeof(arg));
        logf_("notif %d %u %s", req.data.nr, req.pid, arg);
        memset(&resp, 0, sizeof(resp));
        resp.id = req.id;
        if (!strncmp(mode, "errno:", 6))
                resp.error = -atoi(mode + 6);
        else if (!strcmp(mode, "continue"))
                resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
        /* "fake": val 0, error 0 */
        if (ioctl(nfd, SECCOMP_IOCTL_NOTIF_SEND, &resp) < 0 && errno != ENOENT)
                logf_("error NOTIF_SEND: %s", strerror(errno));
        return 0;
}

int main(int argc, char **argv)
{
        if (argc != 4) {
                fprintf(stderr, "usage: seccomp-agent SOCKET LOG errno:N|fake|continue\n");
                return 1;
        }
        log_fd = open(argv[2], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (log_fd < 0) {
                perror(argv[2]);
                return 1;
        }
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (strlen(argv[1]) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "socket path too long\n");
                return 1;
        }
        strcpy(sa.sun_path, argv[1]);
        int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(ls, 8) < 0)
                die("listen");
        logf_("listening");

        struct pollfd p[MAX_FDS + 1] = {{.fd = ls, .events = POLLIN}};
        int n = 1;
        for (;;) {
                if (poll(p, (nfds_t)n, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        die("poll");
                }
                if (p[0].revents & POLLIN) {
                        int conn = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
                        if (conn >= 0) {
                                int nfd = receive(conn);
                                close(conn);
                                if (nfd >= 0 && n <= MAX_FDS)
                                        p[n++] = (struct pollfd){.fd = nfd, .events = POLLIN};
                                else if (nfd >= 0)
                                        close(nfd);
                        }
                }
                for (int i = 1; i < n; i++) {
                        if (p[i].revents & POLLIN) {
                                if (answer(p[i].fd, argv[3]) == 0)
                                        continue;
                        } else if (!(p[i].revents & (POLLHUP | POLLERR | POLLNVAL))) {
                                continue;
                        }
                        /* every process of the filter is gone */
                        logf_("closed");
                        close(p[i].fd);
                        p[i--] = p[--n];
                }
        }
}
