/* sync.h - the messages between hull (parent) and the container's init
 * (child) during create, over a SOCK_SEQPACKET socketpair.
 *
 *   child -> parent  SYNC_HOOKS       mounts done: run prestart/createRuntime
 *   parent -> child  SYNC_CONTINUE    (carries the state JSON for hooks)
 *   parent -> child  SYNC_IDMAPPED    uid_map/gid_map written
 *   child -> parent  SYNC_READY       set up; waiting for start
 *   parent -> child  SYNC_START       `run` only: go (no exec fifo needed)
 *   child -> parent  SYNC_ERROR       text = the one-line error
 *   child -> parent  SYNC_SECCOMP_FD  listener fd attached (SCM_RIGHTS)
 */
#ifndef HULL_SYNC_H
#define HULL_SYNC_H

#include <stddef.h>
#include <stdint.h>

enum sync_type {
        SYNC_HOOKS = 1,
        SYNC_CONTINUE,
        SYNC_IDMAPPED,
        SYNC_READY,
        SYNC_START,
        SYNC_ERROR,
        SYNC_SECCOMP_FD,
        SYNC_CONSOLE, /* child -> parent: pty master (run -t), SCM_RIGHTS */
};

struct sync_msg {
        uint32_t type;
        int32_t errnum;
        char text[4096 - 8];
};

/* Send a message with len bytes of text (may be 0); fd >= 0 is attached. */
int sync_send(int sock, enum sync_type type, int errnum, const char *text, size_t len, int fd);
/* Send *fd (if >= 0) with an empty message of type, then close it; *fd = -1.
 * Used for the seccomp listener fd, which must go out at once. */
int sync_send_fd(int sock, enum sync_type type, int *fd);
/* Receive one message; returns 0, or -1 (error set; EOF gives errnum 0 and
 * the text "the container's init exited"). *fd gets an attached fd or -1. */
int sync_recv(int sock, struct sync_msg *m, int *fd);
/* Child: report the current error (error.h) to the parent. */
void sync_send_error(int sock);
/* Receive and require a given type; a SYNC_ERROR becomes the current error. */
int sync_expect(int sock, enum sync_type type, struct sync_msg *m);

#endif
