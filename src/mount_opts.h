/* mount_opts.h - the "options" of a mounts[] entry, parsed.
 *
 * Pure: no system call.  Each option of config.md "Linux mount options"
 * lands in one place:
 *
 *   flags/clear   MS_* for mount(2) ("ro" sets MS_RDONLY, "rw" clears it)
 *   propagation   "private", "rshared"... in the order given, applied
 *                 after the mount
 *   rec_set/clr   MOUNT_ATTR_* of the recursive options ("rro", "rnosuid"...)
 *                 for mount_setattr(AT_RECURSIVE)
 *   idmap/ridmap, tmpcopyup
 *   data          everything else, comma-joined for mount(2)'s data
 *                 ("mode=755,size=65536k")
 *
 * Later options win over earlier ones, as in mount(8).
 */
#ifndef HULL_MOUNT_OPTS_H
#define HULL_MOUNT_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mount.h>

/* mount(2) copies at most one page of data. */
#define MOUNT_DATA_MAX        4096
#define MOUNT_PROPAGATION_MAX 4

struct mount_opts {
        unsigned long flags; /* MS_* to set (MS_BIND, MS_REC, MS_RDONLY, ...) */
        unsigned long clear; /* MS_* named by a negative option ("rw", "suid", ...) */
        unsigned long propagation[MOUNT_PROPAGATION_MAX]; /* MS_SHARED|MS_REC, ... */
        size_t n_propagation;
        uint64_t rec_set, rec_clr; /* MOUNT_ATTR_* with AT_RECURSIVE */
        bool idmap, ridmap, tmpcopyup;
        size_t data_len;
        char data[MOUNT_DATA_MAX]; /* NUL-terminated, "" when none */
};

/* Parse opts[0..n).  Returns 0, or -1 with the error set (herr) naming
 * options[i] when the data would not fit in a page or there are more than
 * MOUNT_PROPAGATION_MAX propagation options. */
int mount_opts_parse(const char *const *opts, size_t n, struct mount_opts *o);

/* Is this option one mount_opts_parse knows (not passed as data)? */
bool mount_opt_known(const char *name);

/* MS_* per-mount flags -> MOUNT_ATTR_* for mount_setattr: set gets what
 * `set` asks for, clr what must be cleared to get it (and what `clear`
 * names).  MS_* flags without a per-mount attribute (MS_SYNCHRONOUS...)
 * are ignored, as a bind remount ignores them. */
void mount_opts_attrs(unsigned long set, unsigned long clear, uint64_t *attr_set,
                      uint64_t *attr_clr);

/* Is mount(2) asked for a bind (MS_BIND)? */
static inline bool mount_opts_is_bind(const struct mount_opts *o)
{
        return (o->flags & MS_BIND) != 0;
}

#endif
