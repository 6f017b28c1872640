/* sd-notify.c - send one sd_notify message to $NOTIFY_SOCKET, for tests:
 * sd-notify [MESSAGE] (default "READY=1").  Built static, so it runs in a
 * busybox rootfs: cc -static -o sd-notify sd-notify.c */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int main(int argc, char **argv)
{
        const char *msg = argc > 1 ? argv[1] : "READY=1";
        const char *path = getenv("NOTIFY_SOCKET");
        struct sockaddr_un sa = {.sun_family = AF_UNIX};
        if (!path || !*path || strlen(path) >= sizeof(sa.sun_path)) {
                fprintf(stderr, "sd-notify: NOTIFY_SOCKET is not set\n");
                return 2;
        }
        strcpy(sa.sun_path, path);
        socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1);
        if (path[0] == '@') {
                sa.sun_path[0] = '\0';
                len--;
        }
        int s = socket(AF_UNIX, SOCK_DGRAM, 0);
        if (s < 0 || sendto(s, msg, strlen(msg), 0, (struct sockaddr *)&sa, len) < 0) {
                perror("sd-notify");
                return 1;
        }
        close(s);
        return 0;
}
