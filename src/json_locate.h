/* json_locate.h - where a config field is in the JSON text: line:column.
 *
 * hull's errors name a field by its config path (config_internal.h):
 *
 *     linux.mounts[3].destination
 *     linux.sysctl["net.ipv4.ip_forward"]
 *
 * jansson keeps no positions, so this is a small scanner over the text: it
 * walks objects and arrays to the path, skipping every other value, and
 * builds nothing.  Pure: no allocation, no system call.
 */
#ifndef HULL_JSON_LOCATE_H
#define HULL_JSON_LOCATE_H

#include <stdbool.h>
#include <stddef.h>

struct json_pos {
        unsigned line, col; /* 1-based; col counts characters (UTF-8) */
        bool exact;         /* the whole path was found */
};

/* One component of a path: a member key or an array index. */
struct json_path_comp {
        bool is_index;
        size_t index;
        const char *key; /* into the path, not NUL-terminated */
        size_t key_len;
        bool quoted; /* written ["key"] */
};

/* The component at *p (first: at the path's start, a bare name); advances
 * *p.  1, 0 at the end, -1 when what follows is not a path component. */
int json_path_next(const char **p, const char *end, bool first, struct json_path_comp *c);

/* How many leading characters of msg are a config path ("a.b[2]" in
 * "a.b[2]: must ..."); 0 when msg does not start with one. */
size_t json_path_len(const char *msg);

/* Position of path[0..path_len) in text: an object member's key, or an
 * array element.  A path that goes on where the text has nothing gives the
 * deepest part found (exact false): a missing field points at its parent.
 * Returns 0, or -1 when the text is not JSON up to that point (pos: the
 * deepest part found, else the first value). */
int json_locate(const char *text, size_t len, const char *path, size_t path_len,
                struct json_pos *pos);

#endif
