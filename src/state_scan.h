/* state_scan.h - what `list` needs of a container's state.json, read
 * without building a JSON tree.
 *
 * `list` reads every ROOT/ID/state.json; jansson's tree of one (~1.4 KB,
 * mostly the cgroup paths) costs ~280,000 instructions, 85% of `list`.
 * state_summary_read() takes only the top-level fields `list` shows with a
 * small scanner, and falls back to jansson for anything it does not handle
 * (escaped strings, unexpected types), so the result is always jansson's.
 */
#ifndef HULL_STATE_SCAN_H
#define HULL_STATE_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "container.h"

struct json_t;

struct state_summary {
        pid_t pid; /* 0 when the status is stopped */
        uint64_t start_time;
        enum container_status status;          /* computed as container_status() does */
        uid_t owner_uid;                       /* owner of ROOT/ID */
        const char *bundle, *rootfs, *created; /* "" when missing */
        const char *annotations;               /* raw JSON text of the object, or NULL */
        size_t annotations_len;
        /* owned */
        char *text;
        struct json_t *json; /* only when the scanner gave up */
};

/* ROOT/ID (root_fd = --root): 0, or -1 when it is no container (yet, or
 * any more), with herr set. */
int state_summary_read(int root_fd, const char *id, struct state_summary *out);
void state_summary_free(struct state_summary *s);

/* The scanner alone (for tests): TEXT (NUL-terminated, modified in place)
 * -> the fields; -1 when it cannot tell (then use jansson). */
int state_scan(char *text, size_t len, struct state_summary *out, const char **saved_status);

#endif
