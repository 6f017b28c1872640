/* mount_opts.c - mount option strings -> flags (see mount_opts.h). */
#include <sys/mount.h> /* before sys.h: glibc declares the new mount API */
#include "mount_opts.h"
#include "error.h"
#include "sys.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef MS_NOSYMFOLLOW
#define MS_NOSYMFOLLOW 256
#endif

enum opt_kind {
        OPT_NOP,       /* "defaults" */
        OPT_SET,       /* set an MS_* flag */
        OPT_CLR,       /* clear an MS_* flag */
        OPT_ATIME,     /* set one atime mode, dropping the others */
        OPT_ATIME_CLR, /* leave an atime mode: back to the default */
        OPT_PROP,      /* propagation, applied after the mount */
        OPT_RSET,      /* recursive attribute on */
        OPT_RCLR,      /* recursive attribute off */
        OPT_RATIME,    /* recursive atime mode */
        OPT_IDMAP,
        OPT_RIDMAP,
        OPT_TMPCOPYUP,
};

struct opt {
        const char *name;
        enum opt_kind kind;
        unsigned long value;
};

#define MS_ATIME_MODES (MS_NOATIME | MS_RELATIME | MS_STRICTATIME)

/* Sorted by name (strcmp) for bsearch; the unit test looks up every name. */
static const struct opt opts[] = {
    {"acl", OPT_SET, MS_POSIXACL},
    {"async", OPT_CLR, MS_SYNCHRONOUS},
    {"atime", OPT_ATIME_CLR, MS_NOATIME},
    {"bind", OPT_SET, MS_BIND},
    {"defaults", OPT_NOP, 0},
    {"dev", OPT_CLR, MS_NODEV},
    {"diratime", OPT_CLR, MS_NODIRATIME},
    {"dirsync", OPT_SET, MS_DIRSYNC},
    {"exec", OPT_CLR, MS_NOEXEC},
    {"idmap", OPT_IDMAP, 0},
    {"iversion", OPT_SET, MS_I_VERSION},
    {"lazytime", OPT_SET, MS_LAZYTIME},
    {"loud", OPT_CLR, MS_SILENT},
    {"mand", OPT_SET, MS_MANDLOCK},
    {"noacl", OPT_CLR, MS_POSIXACL},
    {"noatime", OPT_ATIME, MS_NOATIME},
    {"nodev", OPT_SET, MS_NODEV},
    {"nodiratime", OPT_SET, MS_NODIRATIME},
    {"noexec", OPT_SET, MS_NOEXEC},
    {"noiversion", OPT_CLR, MS_I_VERSION},
    {"nolazytime", OPT_CLR, MS_LAZYTIME},
    {"nomand", OPT_CLR, MS_MANDLOCK},
    {"norelatime", OPT_ATIME_CLR, MS_RELATIME},
    {"nostrictatime", OPT_ATIME_CLR, MS_STRICTATIME},
    {"nosuid", OPT_SET, MS_NOSUID},
    {"nosymfollow", OPT_SET, MS_NOSYMFOLLOW},
    {"private", OPT_PROP, MS_PRIVATE},
    {"ratime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rbind", OPT_SET, MS_BIND | MS_REC},
    {"rdev", OPT_RCLR, MOUNT_ATTR_NODEV},
    {"rdiratime", OPT_RCLR, MOUNT_ATTR_NODIRATIME},
    {"relatime", OPT_ATIME, MS_RELATIME},
    {"remount", OPT_SET, MS_REMOUNT},
    {"rexec", OPT_RCLR, MOUNT_ATTR_NOEXEC},
    {"ridmap", OPT_RIDMAP, 0},
    {"rnoatime", OPT_RATIME, MOUNT_ATTR_NOATIME},
    {"rnodev", OPT_RSET, MOUNT_ATTR_NODEV},
    {"rnodiratime", OPT_RSET, MOUNT_ATTR_NODIRATIME},
    {"rnoexec", OPT_RSET, MOUNT_ATTR_NOEXEC},
    {"rnorelatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rnostrictatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rnosuid", OPT_RSET, MOUNT_ATTR_NOSUID},
    {"rnosymfollow", OPT_RSET, MOUNT_ATTR_NOSYMFOLLOW},
    {"ro", OPT_SET, MS_RDONLY},
    {"rprivate", OPT_PROP, MS_PRIVATE | MS_REC},
    {"rrelatime", OPT_RATIME, MOUNT_ATTR_RELATIME},
    {"rro", OPT_RSET, MOUNT_ATTR_RDONLY},
    {"rrw", OPT_RCLR, MOUNT_ATTR_RDONLY},
    {"rshared", OPT_PROP, MS_SHARED | MS_REC},
    {"rslave", OPT_PROP, MS_SLAVE | MS_REC},
    {"rstrictatime", OPT_RATIME, MOUNT_ATTR_STRICTATIME},
    {"rsuid", OPT_RCLR, MOUNT_ATTR_NOSUID},
    {"rsymfollow", OPT_RCLR, MOUNT_ATTR_NOSYMFOLLOW},
    {"runbindable", OPT_PROP, MS_UNBINDABLE | MS_REC},
    {"rw", OPT_CLR, MS_RDONLY},
    {"shared", OPT_PROP, MS_SHARED},
    {"silent", OPT_SET, MS_SILENT},
    {"slave", OPT_PROP, MS_SLAVE},
    {"strictatime", OPT_ATIME, MS_STRICTATIME},
    {"suid", OPT_CLR, MS_NOSUID},
    {"symfollow", OPT_CLR, MS_NOSYMFOLLOW},
    {"sync", OPT_SET, MS_SYNCHRONOUS},
    {"tmpcopyup", OPT_TMPCOPYUP, 0},
    {"unbindable", OPT_PROP, MS_UNBINDABLE},
};

static int cmp_opt(const void *key, const void *elem)
{
        return strcmp(key, ((const struct opt *)elem)->name);
}

static const struct opt *find_opt(const char *name)
{
        return bsearch(name, opts, sizeof(opts) / sizeof(opts[0]), sizeof(opts[0]), cmp_opt);
}

bool mount_opt_known(const char *name)
{
        return find_opt(name) != NULL;
}

static void set_flag(struct mount_opts *o, unsigned long f)
{
        o->flags |= f;
        o->clear &= ~f;
}

static void clear_flag(struct mount_opts *o, unsigned long f)
{
        o->flags &= ~f;
        o->clear |= f;
}

static void rec_attr(struct mount_opts *o, bool on, uint64_t a)
{
        if (on) {
                o->rec_set |= a;
                o->rec_clr &= ~a;
        } else {
                o->rec_clr |= a;
                o->rec_set &= ~a;
        }
}

static int add_data(struct mount_opts *o, const char *s, size_t i)
{
        size_t len = strlen(s);
        size_t need = o->data_len + (o->data_len ? 1 : 0) + len;
        if (need >= sizeof(o->data))
                return herr(E2BIG, "options[%zu] (%.40s%s): mount data longer than %d bytes", i, s,
                            len > 40 ? "..." : "", MOUNT_DATA_MAX - 1);
        if (o->data_len)
                o->data[o->data_len++] = ',';
        memcpy(o->data + o->data_len, s, len + 1);
        o->data_len += len;
        return 0;
}

int mount_opts_parse(const char *const *list, size_t n, struct mount_opts *o)
{
        o->flags = o->clear = 0;
        o->n_propagation = 0;
        o->rec_set = o->rec_clr = 0;
        o->idmap = o->ridmap = o->tmpcopyup = false;
        o->data_len = 0;
        o->data[0] = '\0';

        for (size_t i = 0; i < n; i++) {
                const char *name = list[i];
                if (!name || !name[0])
                        continue;
                const struct opt *e = find_opt(name);
                if (!e) {
                        if (add_data(o, name, i) < 0)
                                return -1;
                        continue;
                }
                switch (e->kind) {
                case OPT_NOP:
                        break;
                case OPT_SET:
                        set_flag(o, e->value);
                        break;
                case OPT_CLR:
                        clear_flag(o, e->value);
                        break;
                case OPT_ATIME:
                        clear_flag(o, MS_ATIME_MODES & ~e->value);
                        set_flag(o, e->value);
                        break;
                case OPT_ATIME_CLR:
                        clear_flag(o, e->value);
                        break;
                case OPT_PROP:
                        if (o->n_propagation == MOUNT_PROPAGATION_MAX)
                                return herr(E2BIG,
                                            "options[%zu] (%s): more than %d propagation "
                                            "options",
                                            i, name, MOUNT_PROPAGATION_MAX);
                        o->propagation[o->n_propagation++] = e->value;
                        break;
                case OPT_RSET:
                        rec_attr(o, true, e->value);
                        break;
                case OPT_RCLR:
                        rec_attr(o, false, e->value);
                        break;
                case OPT_RATIME:
                        /* one atime mode: clear the field, then set the mode */
                        o->rec_set = (o->rec_set & ~(uint64_t)MOUNT_ATTR__ATIME) | e->value;
                        o->rec_clr |= MOUNT_ATTR__ATIME;
                        break;
                case OPT_IDMAP:
                        o->idmap = true;
                        break;
                case OPT_RIDMAP:
                        o->ridmap = true;
                        break;
                case OPT_TMPCOPYUP:
                        o->tmpcopyup = true;
                        break;
                }
        }
        return 0;
}

void mount_opts_attrs(unsigned long set, unsigned long clear, uint64_t *attr_set,
                      uint64_t *attr_clr)
{
        static const struct {
                unsigned long ms;
                uint64_t attr;
        } map[] = {
            {MS_RDONLY, MOUNT_ATTR_RDONLY},         {MS_NOSUID, MOUNT_ATTR_NOSUID},
            {MS_NODEV, MOUNT_ATTR_NODEV},           {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
            {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}, {MS_NOSYMFOLLOW, MOUNT_ATTR_NOSYMFOLLOW},
        };
        uint64_t s = 0, c = 0;
        for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
                if (set & map[i].ms)
                        s |= map[i].attr;
                else if (clear & map[i].ms)
                        c |= map[i].attr;
        }
        /* atime is a field, not a bit: clear it whole, then pick one mode */
        if (set & MS_STRICTATIME) {
                s |= MOUNT_ATTR_STRICTATIME;
                c |= MOUNT_ATTR__ATIME;
        } else if (set & MS_NOATIME) {
                s |= MOUNT_ATTR_NOATIME;
                c |= MOUNT_ATTR__ATIME;
        } else if ((set & MS_RELATIME) || (clear & MS_ATIME_MODES)) {
                s |= MOUNT_ATTR_RELATIME;
                c |= MOUNT_ATTR__ATIME;
        }
        *attr_set = s;
        *attr_clr = c;
}
