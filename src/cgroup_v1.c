/* cgroup_v1.c - cgroup v1 hierarchies: which are mounted where, the
 * caller's own cgroups, making and removing the container's directories,
 * and the v1 freezer.
 *
 * The hierarchies come from /proc/self/mountinfo; a mount point covered by
 * a later mount (a tmpfs over /sys/fs/cgroup/unified, say) is checked with
 * statfs() and skipped.  On a hybrid host the cgroup2 mount (usually
 * /sys/fs/cgroup/unified) is recorded too: hull puts the container there
 * as well, as runc does, for process tracking only.
 */
#include "cgroup_internal.h"
#include "error.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

static const char *const ctl_names[CTL_COUNT] = {
    [CTL_CPU] = "cpu",           [CTL_CPUACCT] = "cpuacct", [CTL_CPUSET] = "cpuset",
    [CTL_MEMORY] = "memory",     [CTL_DEVICES] = "devices", [CTL_FREEZER] = "freezer",
    [CTL_BLKIO] = "blkio",       [CTL_PIDS] = "pids",       [CTL_NET_CLS] = "net_cls",
    [CTL_NET_PRIO] = "net_prio", [CTL_HUGETLB] = "hugetlb", [CTL_PERF_EVENT] = "perf_event",
    [CTL_RDMA] = "rdma",         [CTL_MISC] = "misc",
};

int cg_ctl_from_name(const char *name)
{
        for (int i = 0; i < CTL_COUNT; i++)
                if (!strcmp(ctl_names[i], name))
                        return i;
        return -1;
}

unsigned cg_ctls_from_list(const char *list)
{
        unsigned bits = 0;
        char tok[64];
        for (const char *p = list; *p;) {
                size_t n = strcspn(p, ",");
                if (n < sizeof(tok)) {
                        memcpy(tok, p, n);
                        tok[n] = '\0';
                        int c = cg_ctl_from_name(tok);
                        if (c >= 0)
                                bits |= 1u << c;
                }
                p += n;
                if (*p == ',')
                        p++;
        }
        return bits;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
        char *o = s;
        for (; *s; s++) {
                if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
                    s[3] >= '0' && s[3] <= '7') {
                        *o++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
                        s += 3;
                } else {
                        *o++ = *s;
                }
        }
        *o = '\0';
}

static bool fs_is(const char *path, long magic)
{
        struct statfs sf;
        return statfs(path, &sf) == 0 && (long)sf.f_type == magic;
}

/* The hierarchy's name from the mount's super options: the known
 * controllers and name=X, comma-separated, in the options' order. */
static char *hier_name(const char *superopts, unsigned *ctls)
{
        char *out = malloc(strlen(superopts) + 1);
        if (!out)
                return NULL;
        size_t o = 0;
        *ctls = 0;
        for (const char *p = superopts; *p;) {
                size_t n = strcspn(p, ",");
                char tok[128];
                if (n < sizeof(tok)) {
                        memcpy(tok, p, n);
                        tok[n] = '\0';
                        int c = cg_ctl_from_name(tok);
                        if (c >= 0 || !strncmp(tok, "name=", 5)) {
                                if (c >= 0)
                                        *ctls |= 1u << c;
                                if (o)
                                        out[o++] = ',';
                                memcpy(out + o, tok, n);
                                o += n;
                        }
                }
                p += n;
                if (*p == ',')
                        p++;
        }
        out[o] = '\0';
        return out;
}

/* The name's "name=X" part, or "". */
static const char *named_part(const char *list, size_t *len)
{
        const char *p = strstr(list, "name=");
        if (!p) {
                *len = 0;
                return "";
        }
        *len = strcspn(p, ",");
        return p;
}

static bool same_hierarchy(const char *a, unsigned a_ctls, const char *b)
{
        size_t la, lb;
        const char *na = named_part(a, &la), *nb = named_part(b, &lb);
        return a_ctls == cg_ctls_from_list(b) && la == lb && !strncmp(na, nb, la);
}

static char *dup_or_fail(const char *s, int *rc)
{
        char *d = strdup(s);
        if (!d)
                *rc = herr(ENOMEM, "cgroup hierarchies");
        return d;
}

/* "N:ctls:path" lines of /proc/self/cgroup: own cgroup of each hierarchy. */
static int read_own(struct cgroup_manager *m)
{
        char *text;
        if (read_file_at(AT_FDCWD, "/proc/self/cgroup", &text, NULL) < 0)
                return -1;
        int rc = 0;
        for (char *line = text; rc == 0 && line && *line;) {
                char *nl = strchr(line, '\n');
                if (nl)
                        *nl = '\0';
                char *c1 = strchr(line, ':');
                char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
                if (c2) {
                        *c2 = '\0';
                        const char *list = c1 + 1, *path = c2 + 1;
                        if (!list[0]) {
                                free(m->unified_own);
                                m->unified_own = dup_or_fail(path, &rc);
                        }
                        for (size_t i = 0; list[0] && i < m->nh; i++) {
                                struct cg_hier *h = &m->h[i];
                                if (!h->own && same_hierarchy(h->name, h->ctls, list))
                                        h->own = dup_or_fail(path, &rc);
                        }
                }
                line = nl ? nl + 1 : NULL;
        }
        free(text);
        return rc;
}

static int add_hier(struct cgroup_manager *m, const char *mnt, const char *superopts)
{
        unsigned ctls;
        char *name = hier_name(superopts, &ctls);
        if (!name)
                return herr(ENOMEM, "cgroup hierarchies");
        if (!name[0] || !fs_is(mnt, CGROUP_SUPER_MAGIC)) {
                free(name);
                return 0;
        }
        for (size_t i = 0; i < m->nh; i++) {
                if (strcmp(m->h[i].name, name) != 0)
                        continue;
                /* Mounted twice: prefer the one under /sys/fs/cgroup. */
                bool old_std = !strncmp(m->h[i].mnt, CG_ROOT "/", sizeof(CG_ROOT));
                bool new_std = !strncmp(mnt, CG_ROOT "/", sizeof(CG_ROOT));
                if (!old_std && new_std) {
                        char *d = strdup(mnt);
                        if (!d) {
                                free(name);
                                return herr(ENOMEM, "cgroup hierarchies");
                        }
                        free(m->h[i].mnt);
                        m->h[i].mnt = d;
                }
                free(name);
                return 0;
        }
        struct cg_hier *nh = realloc(m->h, (m->nh + 1) * sizeof(*nh));
        if (!nh) {
                free(name);
                return herr(ENOMEM, "cgroup hierarchies");
        }
        m->h = nh;
        struct cg_hier *h = &m->h[m->nh];
        memset(h, 0, sizeof(*h));
        h->join_fd = -1;
        h->name = name;
        h->ctls = ctls;
        h->mnt = strdup(mnt);
        if (!h->mnt)
                return herr(ENOMEM, "cgroup hierarchies");
        m->nh++;
        return 0;
}

int cg_v1_discover(struct cgroup_manager *m)
{
        if (m->version == 2) {
                m->unified_mnt = strdup(CG_ROOT);
                if (!m->unified_mnt)
                        return herr(ENOMEM, "cgroup");
                return read_own(m);
        }
        char *text;
        if (read_file_at(AT_FDCWD, "/proc/self/mountinfo", &text, NULL) < 0)
                return -1;
        int rc = 0;
        char *unified = NULL;
        for (char *line = text; rc == 0 && line && *line;) {
                char *nl = strchr(line, '\n');
                if (nl)
                        *nl = '\0';
                /* id parent maj:min root mountpoint opts [optional...] - type source superopts */
                char *f[5] = {0};
                char *p = line;
                for (int i = 0; i < 5 && p; i++) {
                        f[i] = p;
                        p = strchr(p, ' ');
                        if (p)
                                *p++ = '\0';
                }
                char *sep = p ? strstr(p, " - ") : NULL;
                if (f[4] && sep) {
                        char *type = sep + 3;
                        char *src = strchr(type, ' ');
                        char *super = src ? strchr(src + 1, ' ') : NULL;
                        if (src)
                                *src = '\0';
                        unescape(f[4]);
                        if (!strcmp(type, "cgroup") && super && !strcmp(f[3], "/")) {
                                rc = add_hier(m, f[4], super + 1);
                        } else if (!strcmp(type, "cgroup2") && !strcmp(f[3], "/") &&
                                   fs_is(f[4], CGROUP2_SUPER_MAGIC) &&
                                   (!unified || strcmp(f[4], CG_ROOT "/unified") == 0)) {
                                free(unified);
                                unified = strdup(f[4]);
                        }
                }
                line = nl ? nl + 1 : NULL;
        }
        free(text);
        if (rc < 0) {
                free(unified);
                return -1;
        }
        m->unified_mnt = unified;
        if (m->nh == 0)
                return herr(ENOENT, "no cgroup v1 hierarchy is mounted and %s is not cgroup2",
                            CG_ROOT);
        for (size_t i = 0; i < m->nh; i++) {
                const char *slash = strrchr(m->h[i].mnt, '/');
                m->h[i].dir_name = strdup(slash ? slash + 1 : m->h[i].mnt);
                if (!m->h[i].dir_name)
                        return herr(ENOMEM, "cgroup");
        }
        return read_own(m);
}

/* A new cpuset cgroup starts with empty cpus and mems, where no task may
 * enter: copy the parent's, from the top of the created part down. */
static int cpuset_fill(const char *path, int created)
{
        char buf[PATH_MAX];
        snprintf(buf, sizeof(buf), "%s", path);
        char *cut[64];
        int n = 0;
        for (int i = 0; i < created && n < 64; i++) {
                char *s = strrchr(buf, '/');
                if (!s)
                        break;
                cut[n++] = s;
                *s = '\0';
        }
        /* buf is now the deepest pre-existing ancestor; walk down: a
         * directory just made has nothing of its own yet. */
        for (int i = n - 1; i >= 0; i--) {
                char parent[PATH_MAX];
                snprintf(parent, sizeof(parent), "%s", buf);
                *cut[i] = '/';
                static const char *const files[] = {"cpuset.cpus", "cpuset.mems"};
                for (int k = 0; k < 2; k++) {
                        char *theirs;
                        if (cg_read(parent, files[k], &theirs) < 0)
                                return -1;
                        int rc = theirs[0] ? cg_write(NULL, buf, files[k], theirs) : 0;
                        free(theirs);
                        if (rc < 0)
                                return -1;
                }
        }
        return 0;
}

int cg_v1_create(struct cgroup_manager *m)
{
        for (size_t i = 0; i < m->nh; i++) {
                struct cg_hier *h = &m->h[i];
                if (!h->path)
                        continue;
                if (cg_mkdir(h->path, &h->created) < 0)
                        return -1;
                if ((h->ctls & (1u << CTL_CPUSET)) && h->created &&
                    cpuset_fill(h->path, h->created) < 0)
                        return herr_ctx("prepare cpuset cgroup %s", h->path);
        }
        return 0;
}

int cg_v1_destroy(struct cgroup_manager *m)
{
        int rc = 0;
        char first[HERR_MAX] = "";
        for (size_t i = 0; i < m->nh; i++) {
                struct cg_hier *h = &m->h[i];
                if (!h->path || h->created <= 0)
                        continue;
                if (cg_rmdir(h->path, h->created) < 0) {
                        if (rc == 0)
                                snprintf(first, sizeof(first), "%s", herr_msg());
                        rc = -1;
                        continue;
                }
                h->created = 0;
        }
        if (rc < 0)
                herr_set_raw(0, first);
        return rc;
}

static void pause_us(long us)
{
        struct timespec ts = {0, us * 1000L};
        nanosleep(&ts, NULL);
}

int cg_v1_is_frozen(struct cgroup_manager *m)
{
        const char *dir = cg_v1_path(m, CTL_FREEZER);
        char *s;
        if (!dir || cg_read(dir, "freezer.state", &s) < 0)
                return -1;
        int r = !strcmp(s, "FROZEN") ? 1 : 0;
        free(s);
        return r;
}

int cg_v1_freeze(struct cgroup_manager *m, bool frozen)
{
        const char *dir = cg_v1_path(m, CTL_FREEZER);
        if (!frozen)
                return cg_write(NULL, dir, "freezer.state", "THAWED");
        /* FREEZING can hang on a task that is busy in the kernel: write
         * FROZEN again now and then; give up after about a second. */
        long waited = 0;
        for (int i = 0; waited < 1000000; i++) {
                if (i % 64 == 0 && cg_write(NULL, dir, "freezer.state", "FROZEN") < 0)
                        return -1;
                int r = cg_v1_is_frozen(m);
                if (r < 0)
                        return -1;
                if (r == 1)
                        return 0;
                long us = i < 10 ? 100 : 1000;
                pause_us(us);
                waited += us;
        }
        cg_write(NULL, dir, "freezer.state", "THAWED");
        return herr(EBUSY, "freeze %s: still FREEZING after 1 s", dir);
}
