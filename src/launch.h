/* launch.h - making a container: the parent side (launch.c) and the
 * container's init (init.c) share this description of the work. */
#ifndef HULL_LAUNCH_H
#define HULL_LAUNCH_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "cli.h"
#include "config.h"

struct cgroup_manager;
struct seccomp_prog;

struct launch {
        /* inputs */
        const struct hull_global *g;
        const char *id;
        const char *bundle; /* absolute */
        char *rootfs;       /* absolute (resolved from root.path) */
        struct hull_config *cfg;
        const char *config_text; /* config.json as read, copied to the state dir */
        size_t config_len;
        const char *pid_file;
        const char *console_socket;
        bool no_pivot;
        bool no_new_keyring;
        int preserve_fds;
        bool foreground_start; /* `run`: start right away, no exec fifo */
        bool notify;           /* NOTIFY_SOCKET: make ROOT/ID/notify (notify.h) */
        bool restore_sigmask;  /* `run` blocks signals to forward them */
        sigset_t sigmask;      /* the mask the init restores */

        /* made by the parent before clone3 */
        int root_fd; /* --root */
        int dir_fd;  /* --root/ID, flock()ed */
        int fifo_fd; /* O_PATH of exec.fifo, -1 for `run` */
        int sync_parent, sync_child;
        struct cgroup_manager *cgroup;
        struct seccomp_prog *seccomp;
        int *mount_fds; /* idmapped mount trees made before clone3 (mounts.h) */

        int console_sock; /* connected --console-socket, or -1 */

        /* results */
        int console_master; /* pty master for `run -t` to relay, or -1 */
        int notify_sock;    /* `run` with notify: ROOT/ID/notify/notify.sock, or -1 */
        pid_t pid;
        uint64_t start_time;
        int pidfd;
};

/* Set every fd to -1: call before filling in the inputs. */
void launch_init(struct launch *l);

/* Parent: create the container up to "created" (create), or until its
 * process is running (run, foreground_start).  On failure nothing is left:
 * no process, state dir, cgroup. */
int container_launch(struct launch *l);

/* Parent, `run`: let a foreground_start container go on (SYNC_START), then
 * run poststart hooks. */
int launch_start(struct launch *l);

/* Free what a finished launch holds in memory (not the container). */
void launch_release(struct launch *l);

/* Parent: undo everything of a failed launch. */
void launch_abort(struct launch *l);

/* The container's init: runs in the clone3 child, never returns. */
_Noreturn void container_init(struct launch *l);

#endif
