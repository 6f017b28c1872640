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

/* How many leading characters of msg are a config path ("a.b[2]" in
 * "a.b[2]: must ..."); 0 when msg does not start with one. */
size_t json_path_len(const char *msg);

/* Position of path[0..path_len) in text: an object member's key, or an
 * array element.  A path that goes on where the text has nothing gives the
 * deepest part found (exact false): a missing field points at its parent.
 * Returns 0, or -1 when the text is not JSON up to that point (pos 1:1). */
int json_locate(const char *text, size_t len, const char *path, size_t path_len,
                struct json_pos *pos);

#endif
