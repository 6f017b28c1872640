/* cgroup_v2.c - the unified hierarchy: the container's directory, the
 * controllers its ancestors must delegate, removal, and the v2 freezer.
 *
 * On a pure v2 host every controller listed in an ancestor's
 * cgroup.controllers is enabled in its cgroup.subtree_control, from the
 * root down to the container's parent (a controller that cannot be enabled
 * is left alone: writing one of its limits then fails and names the file).
 * On a hybrid host the unified hierarchy only tracks processes: its
 * subtree_control is never touched (another tool may need to move a
 * controller such as hugetlb to a v1 hierarchy).
 */
#include "cgroup_internal.h"
#include "error.h"

#include <errno.h>
#include <limits.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <time.h>

bool cg_host_is_v2(void)
{
        struct statfs sf;
        return statfs(CG_ROOT, &sf) == 0 && (long)sf.f_type == CGROUP2_SUPER_MAGIC;
}

static bool word_in(const char *list, const char *w, size_t wl)
{
        for (const char *p = list; *p;) {
                while (*p == ' ')
                        p++;
                size_t n = strcspn(p, " \n");
                if (n == wl && !strncmp(p, w, wl))
                        return true;
                p += n;
                while (*p == ' ' || *p == '\n')
                        p++;
        }
        return false;
}

static void enable_controllers(const char *dir)
{
        char *avail = NULL, *on = NULL;
        if (cg_read(dir, "cgroup.controllers", &avail) < 0 ||
            cg_read(dir, "cgroup.subtree_control", &on) < 0) {
                free(avail);
                herr_clear();
                return;
        }
        char want[512];
        size_t o = 0;
        for (const char *p = avail; *p;) {
                while (*p == ' ')
                        p++;
                size_t n = strcspn(p, " \n");
                if (n && !word_in(on, p, n) && o + n + 3 < sizeof(want)) {
                        if (o)
                                want[o++] = ' ';
                        want[o++] = '+';
                        memcpy(want + o, p, n);
                        o += n;
                }
                p += n;
                while (*p == ' ' || *p == '\n')
                        p++;
        }
        want[o] = '\0';
        if (o && cg_write(NULL, dir, "cgroup.subtree_control", want) < 0) {
                /* one by one: enable what can be */
                for (char *tok = want, *next; tok && *tok; tok = next) {
                        next = strchr(tok, ' ');
                        if (next)
                                *next++ = '\0';
                        cg_write(NULL, dir, "cgroup.subtree_control", tok);
                }
        }
        herr_clear();
        free(avail);
        free(on);
}

int cg_v2_create(struct cgroup_manager *m, bool controllers)
{
        if (cg_mkdir(m->dir, &m->dir_created) < 0)
                return -1;
        if (!controllers)
                return 0;
        size_t ml = strlen(m->unified_mnt);
        if (strncmp(m->dir, m->unified_mnt, ml) != 0)
                return 0;
        char buf[PATH_MAX];
        snprintf(buf, sizeof(buf), "%s", m->dir);
        /* every ancestor from the mount point down to the parent */
        char *leaf = strrchr(buf, '/');
        if (!leaf)
                return 0;
        for (char *p = buf + ml;; p++) {
                if (*p != '/' && *p != '\0')
                        continue;
                char c = *p;
                *p = '\0';
                enable_controllers(buf[0] ? buf : "/");
                *p = c;
                if (p >= leaf || c == '\0')
                        break;
        }
        return 0;
}

int cg_v2_destroy(struct cgroup_manager *m)
{
        if (!m->dir || m->dir_created <= 0)
                return 0;
        if (cg_rmdir(m->dir, m->dir_created) < 0)
                return -1;
        m->dir_created = 0;
        return 0;
}

int cg_v2_is_frozen(struct cgroup_manager *m)
{
        uint64_t v;
        if (cg_read_u64(m->dir, "cgroup.freeze", &v) < 0)
                return -1;
        return v == 1 ? 1 : 0;
}

int cg_v2_freeze(struct cgroup_manager *m, bool frozen)
{
        if (!cg_exists(m->dir, "cgroup.freeze"))
                return herr(ENOTSUP,
                            "%s the container: %s/cgroup.freeze does not exist (kernel "
                            "older than 5.2?)",
                            frozen ? "pause" : "resume", m->dir);
        if (cg_write(NULL, m->dir, "cgroup.freeze", frozen ? "1" : "0") < 0)
                return -1;
        /* cgroup.events says when every task is actually (un)frozen */
        long waited = 0;
        for (int i = 0; waited < 2000000; i++) {
                uint64_t state;
                if (cg_read_key(m->dir, "cgroup.events", "frozen", &state) < 0)
                        return -1;
                if ((state == 1) == frozen)
                        return 0;
                long us = i < 10 ? 100 : 1000;
                struct timespec ts = {0, us * 1000L};
                nanosleep(&ts, NULL);
                waited += us;
        }
        if (frozen)
                cg_write(NULL, m->dir, "cgroup.freeze", "0");
        return herr(EBUSY, "%s %s: not done after 2 s", frozen ? "freeze" : "thaw", m->dir);
}
