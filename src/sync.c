/* sync.c - parent/child messages during create (see sync.h). */
#include "sync.h"
#include "error.h"
#include "fsutil.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

int sync_send(int sock, enum sync_type type, int errnum, const char *text, size_t len, int fd)
{
        struct sync_msg m;
        m.type = type;
        m.errnum = errnum;
        if (len > sizeof(m.text))
                len = sizeof(m.text);
        if (len)
                memcpy(m.text, text, len);
        ssize_t n = send_with_fd(sock, &m, offsetof(struct sync_msg, text) + len, fd);
        if (n < 0)
                return herr(errno, "sync: send message %u", type);
        return 0;
}

int sync_send_fd(int sock, enum sync_type type, int *fd)
{
        if (*fd < 0)
                return 0;
        int rc = sync_send(sock, type, 0, NULL, 0, *fd);
        close(*fd);
        *fd = -1;
        return rc;
}

int sync_recv(int sock, struct sync_msg *m, int *fd)
{
        union {
                char buf[CMSG_SPACE(sizeof(int))];
                struct cmsghdr align;
        } u;
        struct iovec iov = {.iov_base = m, .iov_len = sizeof(*m) - 1};
        struct msghdr mh = {.msg_iov = &iov,
                            .msg_iovlen = 1,
                            .msg_control = u.buf,
                            .msg_controllen = sizeof(u.buf)};
        if (fd)
                *fd = -1;
        ssize_t n;
        do
                n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return herr(errno, "sync: receive");
        if (n == 0)
                return herr(0, "the container's init exited before it was ready");
        if ((size_t)n < offsetof(struct sync_msg, text))
                return herr(EPROTO, "sync: short message");
        ((char *)m)[n] = '\0';
        for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && fd)
                        memcpy(fd, CMSG_DATA(c), sizeof(int));
        return 0;
}

void sync_send_error(int sock)
{
        const char *msg = herr_msg();
        sync_send(sock, SYNC_ERROR, herr_errno(), msg, strlen(msg), -1);
}

int sync_expect(int sock, enum sync_type type, struct sync_msg *m)
{
        if (sync_recv(sock, m, NULL) < 0)
                return -1;
        if (m->type == SYNC_ERROR) {
                herr_set_raw(m->errnum, m->text);
                return -1;
        }
        if (m->type != type)
                return herr(EPROTO, "sync: expected message %u, got %u", type, m->type);
        return 0;
}
