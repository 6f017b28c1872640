/* notify.c - NOTIFY_SOCKET passed through to the container (see notify.h). */
#include "notify.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* How long the host gets to acknowledge BARRIER=1 (sd_notify_barrier(3)
 * callers commonly wait 5 s). */
#define BARRIER_TIMEOUT_MS 5000

static const char *const mount_options[] = {"bind", "nosuid", "noexec", "nodev", "ro", NULL};

struct notify_spec {
        struct hull_mount *mounts;
        const char **env;
        char *source;
};

const char *notify_host_socket(void)
{
        const char *s = getenv("NOTIFY_SOCKET");
        return s && *s ? s : NULL;
}

int notify_setup_spec(struct hull_config *cfg, const char *state_dir, void **owned)
{
        struct notify_spec *o = calloc(1, sizeof(*o));
        if (!o)
                return herr(ENOMEM, "NOTIFY_SOCKET");
        size_t n = cfg->n_mounts, ne = cfg->process.n_env;
        o->mounts = calloc(n + 1, sizeof(*o->mounts));
        o->env = calloc(ne + 2, sizeof(*o->env));
        if (o->mounts && o->env && asprintf(&o->source, "%s/%s", state_dir, NOTIFY_DIR) < 0)
                o->source = NULL;
        if (!o->mounts || !o->env || !o->source) {
                free(o->mounts);
                free(o->env);
                free(o);
                return herr(ENOMEM, "NOTIFY_SOCKET");
        }
        if (n)
                memcpy(o->mounts, cfg->mounts, n * sizeof(*o->mounts));
        o->mounts[n] = (struct hull_mount){
            .destination = "/run/notify",
            .type = "bind",
            .source = o->source,
            .options = (const char **)mount_options,
            .n_options = sizeof(mount_options) / sizeof(mount_options[0]) - 1,
        };
        if (ne)
                memcpy(o->env, cfg->process.env, ne * sizeof(*o->env));
        o->env[ne] = "NOTIFY_SOCKET=/run/notify/notify.sock";
        cfg->mounts = o->mounts;
        cfg->n_mounts = n + 1;
        cfg->process.env = o->env;
        cfg->process.n_env = ne + 1;
        *owned = o;
        return 0;
}

void notify_spec_free(void *owned)
{
        struct notify_spec *o = owned;
        if (!o)
                return;
        free(o->mounts);
        free(o->env);
        free(o->source);
        free(o);
}

int notify_bind(int dir_fd)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        int n =
            snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/%s", dir_fd, NOTIFY_SOCK);
        if (n < 0 || (size_t)n >= sizeof(sa.sun_path))
                return herr(ENAMETOOLONG, "NOTIFY_SOCKET: %s", NOTIFY_SOCK);
        int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return herr(errno, "NOTIFY_SOCKET: socket");
        unlinkat(dir_fd, NOTIFY_SOCK, 0); /* a previous start's */
        if (bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
                int e = errno;
                close(s);
                return herr(e, "NOTIFY_SOCKET: bind %s", NOTIFY_SOCK);
        }
        /* any user of the container may report readiness */
        if (fchmodat(dir_fd, NOTIFY_SOCK, 0777, 0) < 0) {
                int e = errno;
                close(s);
                return herr(e, "NOTIFY_SOCKET: chmod %s", NOTIFY_SOCK);
        }
        return s;
}

/* Connect a datagram socket to the host's NOTIFY_SOCKET ("@name": abstract). */
static int host_connect(const char *host)
{
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        size_t len = strlen(host);
        if (len >= sizeof(sa.sun_path))
                return herr(ENAMETOOLONG, "NOTIFY_SOCKET %s", host);
        memcpy(sa.sun_path, host, len);
        if (host[0] == '@')
                sa.sun_path[0] = '\0';
        socklen_t salen =
            (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (host[0] == '@' ? 0 : 1));
        int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (s < 0)
                return herr(errno, "NOTIFY_SOCKET: socket");
        if (connect(s, (struct sockaddr *)&sa, salen) < 0) {
                int e = errno;
                close(s);
                return herr(e, "NOTIFY_SOCKET: connect %s", host);
        }
        return s;
}

/* sd_notify_barrier: BARRIER=1 with the write end of a pipe; the host has
 * handled everything before once it closed that end. */
static int barrier(int s)
{
        int p[2];
        if (pipe2(p, O_CLOEXEC) < 0)
                return herr(errno, "NOTIFY_SOCKET: pipe");
        static const char msg[] = "BARRIER=1";
        ssize_t w = send_with_fd(s, msg, sizeof(msg) - 1, p[1]);
        int e = errno;
        close(p[1]);
        if (w < 0) {
                close(p[0]);
                return herr(e, "NOTIFY_SOCKET: send BARRIER=1");
        }
        struct pollfd pf = {.fd = p[0], .events = POLLIN};
        int r;
        while ((r = poll(&pf, 1, BARRIER_TIMEOUT_MS)) < 0 && errno == EINTR)
                ;
        close(p[0]);
        if (r == 0)
                log_warn("NOTIFY_SOCKET: no answer to BARRIER=1 in %d s; ignored",
                         BARRIER_TIMEOUT_MS / 1000);
        return 0;
}

int notify_forward(int sock, const char *host, pid_t pid)
{
        char buf[4097];
        ssize_t n;
        do
                n = recv(sock, buf, sizeof(buf) - 1, 0);
        while (n < 0 && errno == EINTR);
        if (n < 0)
                return errno == EAGAIN ? 0 : herr(errno, "NOTIFY_SOCKET: receive");
        buf[n] = '\0';
        char *ready = NULL;
        for (char *line = buf, *next; line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                if (!strncmp(line, "READY=", 6)) {
                        ready = line;
                        break;
                }
        }
        if (!ready)
                return 0;
        int s = host_connect(host);
        if (s < 0)
                return -1;
        char msg[4200];
        int len = snprintf(msg, sizeof(msg), "%s\nMAINPID=%d\n", ready, (int)pid);
        if (len >= (int)sizeof(msg))
                len = (int)sizeof(msg) - 1;
        int rc = 0;
        if (send(s, msg, (size_t)len, MSG_NOSIGNAL) < 0)
                rc = herr(errno, "NOTIFY_SOCKET: send to %s", host);
        else
                rc = barrier(s);
        close(s);
        return rc < 0 ? -1 : 1;
}

int notify_wait(int sock, const char *host, pid_t pid, int pidfd)
{
        for (;;) {
                struct pollfd p[2] = {{.fd = sock, .events = POLLIN},
                                      {.fd = pidfd, .events = POLLIN}};
                if (poll(p, 2, -1) < 0) {
                        if (errno == EINTR)
                                continue;
                        return herr(errno, "NOTIFY_SOCKET: poll");
                }
                if (p[0].revents & POLLIN) {
                        int r = notify_forward(sock, host, pid);
                        if (r != 0)
                                return r < 0 ? -1 : 0;
                }
                if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
                        return 0; /* the container ended without saying READY */
        }
}
