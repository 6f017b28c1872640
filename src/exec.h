/* exec.h - a new process in a running container (see exec.c). */
#ifndef HULL_EXEC_H
#define HULL_EXEC_H

#include <signal.h>
#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

struct container;
struct cgroup_manager;
struct seccomp_prog;

struct exec_launch {
        struct container *c;
        const struct hull_process *proc;        /* what to run, with every flag applied */
        struct cgroup_manager *cgroup;          /* the container's, or NULL */
        struct seccomp_prog *seccomp;           /* the container's filter, compiled */
        const struct hull_seccomp *seccomp_cfg; /* for listenerPath */
        const char *pid_file;
        int preserve_fds;
        int console_sock; /* connected --console-socket, or -1 */
        bool restore_sigmask;
        sigset_t sigmask;

        int nsfd[NS_KINDS];
        int sync_parent, sync_child;
        pid_t pid;
        int pidfd;
        int console_master; /* pty master to relay (exec -t without socket) */
};

void exec_launch_init(struct exec_launch *x);
/* Start the process; returns when it is about to execve (pid file written). */
int exec_launch(struct exec_launch *x);
void exec_launch_release(struct exec_launch *x);

#endif
