/* spec_default.h - the example config.json of `hull spec`. */
#ifndef HULL_SPEC_DEFAULT_H
#define HULL_SPEC_DEFAULT_H

#include <stdbool.h>
#include <sys/types.h>

/* The text `runc spec` writes, byte for byte (tabs, no final newline),
 * except that ociVersion is HULL_SPEC_VERSION.  With rootless, the text of
 * `runc spec --rootless`: container root is mapped to the caller's euid and
 * egid.  The text lives in a static buffer, valid until the next call. */
const char *spec_default_json(bool rootless);

/* The same with the ids of the rootless mappings given. */
const char *spec_default_json_ids(bool rootless, uid_t uid, gid_t gid);

#endif
