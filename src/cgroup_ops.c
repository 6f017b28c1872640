/* cgroup_ops.c - what is done to a running container's cgroup, whatever
 * the driver: update the limits, freeze and thaw, list and signal the
 * processes (see cgroup.h). */
#include "cgroup.h"
#include "cgroup_internal.h"
#include "error.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

int cgroup_update(struct cgroup_manager *m, const struct hull_resources *r)
{
        if (!r)
                return 0;
        if (m->version == 1 && r->n_unified)
                return herr(0, "invalid configuration: cannot use unified on cgroup v1");
        if (m->systemd && cg_sd_update(m, r) < 0)
                return -1;
        if (m->version == 1)
                return cg_res_v1_apply(m, r, true);
        return cg_res_v2_apply(m, r, true);
}

int cgroup_freeze(struct cgroup_manager *m, bool frozen)
{
        if (m->version == 1 && cg_v1_path(m, CTL_FREEZER))
                return cg_v1_freeze(m, frozen);
        if (m->dir)
                return cg_v2_freeze(m, frozen);
        return herr(ENOTSUP, "%s the container: no freezer cgroup", frozen ? "pause" : "resume");
}

int cgroup_is_frozen(struct cgroup_manager *m)
{
        if (m->version == 1 && cg_v1_path(m, CTL_FREEZER))
                return cg_v1_is_frozen(m);
        if (m->dir)
                return cg_v2_is_frozen(m);
        return 0;
}

/* The directory whose cgroup.procs lists the container's processes. */
static const char *procs_dir(const struct cgroup_manager *m)
{
        if (m->dir)
                return m->dir;
        static const int pref[] = {CTL_FREEZER, CTL_PIDS, CTL_MEMORY, CTL_CPU, CTL_DEVICES};
        for (size_t i = 0; i < sizeof(pref) / sizeof(pref[0]); i++) {
                const char *p = cg_v1_path(m, pref[i]);
                if (p)
                        return p;
        }
        for (size_t i = 0; i < m->nh; i++)
                if (m->h[i].path)
                        return m->h[i].path;
        return NULL;
}

struct pidv {
        pid_t *v;
        size_t n, cap;
};

static int collect_pids(const char *dir, struct pidv *pv, int depth)
{
        char *text;
        if (cg_read(dir, "cgroup.procs", &text) < 0)
                return herr_errno() == ENOENT && depth > 0 ? 0 : -1;
        for (char *p = text; *p;) {
                char *end;
                long v = strtol(p, &end, 10);
                if (end == p)
                        break;
                if (pv->n == pv->cap) {
                        size_t cap = pv->cap ? pv->cap * 2 : 16;
                        pid_t *nv = realloc(pv->v, cap * sizeof(*nv));
                        if (!nv) {
                                free(text);
                                return herr(ENOMEM, "list the container's processes");
                        }
                        pv->v = nv;
                        pv->cap = cap;
                }
                pv->v[pv->n++] = (pid_t)v;
                p = end;
                while (*p == '\n')
                        p++;
        }
        free(text);
        DIR *d = opendir(dir);
        if (!d)
                return 0;
        int rc = 0;
        struct dirent *e;
        while (rc == 0 && (e = readdir(d))) {
                if (e->d_type != DT_DIR || e->d_name[0] == '.')
                        continue;
                char *sub = cg_join(dir, e->d_name);
                rc = sub ? collect_pids(sub, pv, depth + 1) : herr(ENOMEM, "cgroup");
                free(sub);
        }
        closedir(d);
        return rc;
}

int cgroup_pids(struct cgroup_manager *m, pid_t **pids, size_t *n)
{
        *pids = NULL;
        *n = 0;
        const char *dir = procs_dir(m);
        if (!dir)
                return 0;
        struct pidv pv = {0};
        if (collect_pids(dir, &pv, 0) < 0) {
                free(pv.v);
                return -1;
        }
        *pids = pv.v;
        *n = pv.n;
        return 0;
}

int cgroup_kill_all(struct cgroup_manager *m, int sig)
{
        if (sig == SIGKILL && m->dir && cg_exists(m->dir, "cgroup.kill")) {
                int rc = cg_write(NULL, m->dir, "cgroup.kill", "1");
                if (rc == 0 || herr_errno() == ENOENT)
                        return 0;
                return -1;
        }
        /* Frozen, nothing can fork between the listing and the signal. */
        bool froze = cgroup_is_frozen(m) == 0 && cgroup_freeze(m, true) == 0;
        herr_clear();
        pid_t *pids;
        size_t n;
        int rc = cgroup_pids(m, &pids, &n);
        for (size_t i = 0; rc == 0 && i < n; i++)
                if (kill(pids[i], sig) < 0 && errno != ESRCH)
                        rc = herr(errno, "kill %d with signal %d", (int)pids[i], sig);
        free(pids);
        if (froze && cgroup_freeze(m, false) < 0)
                rc = -1;
        return rc;
}
