/* cgroup.c - the container's cgroup: driver choice, cgroupsPath rules, join,
 * state, and the operations every driver shares (see cgroup.h).
 *
 * cgroupsPath (cgroupfs drivers, as runc 1.1):
 *   "/a/b"   absolute: /a/b below the root of every hierarchy
 *   "a/b"    relative: below the caller's own cgroup in each v1 hierarchy;
 *            on v2 below the parent of the caller's cgroup (which usually
 *            holds processes and so cannot have controllers enabled)
 *   empty    the container id, as a relative path
 * ".." never climbs above the root.  The systemd driver reads
 * "slice:prefix:name" instead (cgroup_systemd.c).
 */
#include "cgroup.h"
#include "cgroup_internal.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- small helpers shared by the cgroup modules ---- */

char *cg_join(const char *a, const char *b)
{
        size_t la = strlen(a);
        while (la > 1 && a[la - 1] == '/')
                la--;
        while (*b == '/')
                b++;
        size_t lb = strlen(b);
        char *s = malloc(la + lb + 2);
        if (!s)
                return NULL;
        memcpy(s, a, la);
        size_t n = la;
        if (lb) {
                if (n == 0 || s[n - 1] != '/')
                        s[n++] = '/';
                memcpy(s + n, b, lb);
                n += lb;
        }
        s[n] = '\0';
        return s;
}

int cg_write(const char *field, const char *dir, const char *file, const char *value)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
        ssize_t w = -1;
        size_t len = strlen(value);
        if (fd >= 0) {
                w = write(fd, value, len);
                int e = errno;
                close(fd);
                errno = e;
        }
        if (fd < 0 || w < 0 || (size_t)w != len) {
                int e = (fd >= 0 && w >= 0) ? EIO : errno;
                if (field)
                        return herr(e, "%s: write \"%s\" to %s", field, value, path);
                return herr(e, "write \"%s\" to %s", value, path);
        }
        return 0;
}

int cg_writef(const char *field, const char *dir, const char *file, const char *fmt, ...)
{
        char buf[512];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(buf, sizeof(buf), fmt, ap);
        va_end(ap);
        return cg_write(field, dir, file, buf);
}

int cg_read(const char *dir, const char *file, char **out)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        size_t len;
        if (read_file_at(AT_FDCWD, path, out, &len) < 0)
                return -1;
        while (len > 0 && ((*out)[len - 1] == '\n' || (*out)[len - 1] == ' '))
                (*out)[--len] = '\0';
        return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
        while (*s == ' ' || *s == '\t')
                s++;
        if (!strncmp(s, "max", 3)) {
                *out = UINT64_MAX;
                return 0;
        }
        char *end;
        errno = 0;
        if (*s == '-') { /* v1 reports some "unlimited" values as -1 */
                long long v = strtoll(s, &end, 10);
                *out = v < 0 ? UINT64_MAX : (uint64_t)v;
        } else {
                *out = strtoull(s, &end, 10);
        }
        return (errno || end == s) ? -1 : 0;
}

int cg_read_u64(const char *dir, const char *file, uint64_t *out)
{
        char *s;
        if (cg_read(dir, file, &s) < 0)
                return -1;
        int rc = parse_u64(s, out);
        free(s);
        if (rc < 0)
                return herr(EINVAL, "parse %s/%s", dir, file);
        return 0;
}

int cg_read_key(const char *dir, const char *file, const char *key, uint64_t *out)
{
        char *s;
        if (cg_read(dir, file, &s) < 0)
                return -1;
        size_t kl = strlen(key);
        int rc = -1;
        for (char *line = s; line && *line;) {
                char *nl = strchr(line, '\n');
                if (nl)
                        *nl = '\0';
                if (!strncmp(line, key, kl) && (line[kl] == ' ' || line[kl] == '\t')) {
                        rc = parse_u64(line + kl, out);
                        break;
                }
                line = nl ? nl + 1 : NULL;
        }
        free(s);
        if (rc < 0)
                return herr(ENOENT, "%s/%s: no key %s", dir, file, key);
        return 0;
}

bool cg_exists(const char *dir, const char *file)
{
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/%s", dir, file);
        return access(path, F_OK) == 0;
}

const char *cg_v1_path(const struct cgroup_manager *m, int ctl)
{
        for (size_t i = 0; i < m->nh; i++)
                if (m->h[i].ctls & (1u << ctl))
                        return m->h[i].path;
        return NULL;
}

/* mkdir of the leaf first: its parent usually exists (1 syscall); on
 * ENOENT the missing parents are made, bottom-up search, top-down mkdir. */
int cg_mkdir(const char *dir, int *created)
{
        *created = 0;
        if (mkdir(dir, 0755) == 0) {
                *created = 1;
                return 0;
        }
        if (errno == EEXIST) {
                struct stat st;
                if (stat(dir, &st) == 0 && !S_ISDIR(st.st_mode))
                        return herr(ENOTDIR, "cgroup %s", dir);
                return 0;
        }
        if (errno != ENOENT)
                return herr(errno, "mkdir %s", dir);
        char buf[PATH_MAX];
        size_t n = strlen(dir);
        if (n >= sizeof(buf))
                return herr(ENAMETOOLONG, "mkdir %s", dir);
        memcpy(buf, dir, n + 1);
        /* cut components off until a mkdir works (or the parent exists) */
        char *cuts[128];
        int ncut = 0;
        for (;;) {
                char *slash = strrchr(buf, '/');
                if (!slash || slash == buf || ncut == 128)
                        return herr(ENOENT, "mkdir %s", dir);
                *slash = '\0';
                cuts[ncut++] = slash;
                if (mkdir(buf, 0755) == 0) {
                        (*created)++;
                        break;
                }
                if (errno == EEXIST)
                        break;
                if (errno != ENOENT)
                        return herr(errno, "mkdir %s", buf);
        }
        while (ncut > 0) {
                *cuts[--ncut] = '/';
                if (mkdir(buf, 0755) == 0)
                        (*created)++;
                else if (errno != EEXIST)
                        return herr(errno, "mkdir %s", buf);
        }
        return 0;
}

static void sleep_ms(long ms)
{
        struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
                ;
}

/* rmdir that waits a little while the last tasks of a killed cgroup exit. */
static int rmdir_retry(const char *dir)
{
        long wait = 1;
        for (long total = 0;; total += wait, wait = wait < 64 ? wait * 2 : 64) {
                if (rmdir(dir) == 0 || errno == ENOENT)
                        return 0;
                if (errno != EBUSY || total > 2000)
                        return herr(errno, "rmdir %s", dir);
                sleep_ms(wait);
        }
}

/* Remove the sub-cgroups a container made inside its own, depth first. */
static int rmdir_children(const char *dir)
{
        DIR *d = opendir(dir);
        if (!d)
                return errno == ENOENT ? 0 : herr(errno, "open %s", dir);
        int rc = 0;
        struct dirent *e;
        while ((e = readdir(d))) {
                if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                        continue;
                char *sub = cg_join(dir, e->d_name);
                if (!sub || rmdir_children(sub) < 0 || rmdir_retry(sub) < 0)
                        rc = -1;
                free(sub);
        }
        closedir(d);
        return rc;
}

int cg_rmdir(const char *dir, int created)
{
        if (created <= 0)
                return 0;
        if (rmdir_children(dir) < 0 || rmdir_retry(dir) < 0)
                return -1;
        char buf[PATH_MAX];
        snprintf(buf, sizeof(buf), "%s", dir);
        for (int i = 1; i < created; i++) {
                char *slash = strrchr(buf, '/');
                if (!slash || slash == buf)
                        break;
                *slash = '\0';
                if (rmdir(buf) < 0) /* still used by another container: keep it */
                        break;
        }
        return 0;
}

/* ---- cgroupsPath ---- */

/* "a//b/./../c" -> "/a/c"; "" for the root. */
static char *clean_path(const char *p)
{
        size_t n = strlen(p);
        char *out = malloc(n + 2);
        if (!out)
                return NULL;
        size_t o = 0;
        const char *s = p;
        while (*s) {
                while (*s == '/')
                        s++;
                const char *e = s;
                while (*e && *e != '/')
                        e++;
                size_t len = (size_t)(e - s);
                if (len == 0 || (len == 1 && s[0] == '.')) {
                        /* skip */
                } else if (len == 2 && s[0] == '.' && s[1] == '.') {
                        while (o > 0 && out[o - 1] != '/')
                                o--;
                        if (o > 0)
                                o--;
                } else {
                        out[o++] = '/';
                        memcpy(out + o, s, len);
                        o += len;
                }
                s = e;
        }
        out[o] = '\0';
        return out;
}

/* dirname of a cgroup path: "/a/b" -> "/a", "/a" -> "". */
static void parent_of(char *p)
{
        char *slash = strrchr(p, '/');
        if (slash)
                *slash = '\0';
}

/* Set every directory of a cgroupfs manager from cgroupsPath. */
int cg_set_paths(struct cgroup_manager *m, const char *cgroups_path)
{
        const char *want = cgroups_path && cgroups_path[0] ? cgroups_path : m->id;
        bool abs = want[0] == '/';
        char *inner = clean_path(want);
        if (!inner)
                return herr(ENOMEM, "linux.cgroupsPath");
        if (!inner[0]) {
                free(inner);
                return herr(0,
                            "linux.cgroupsPath: \"%s\" is the root cgroup; give the container "
                            "a cgroup of its own",
                            want);
        }
        int rc = 0;
        for (size_t i = 0; i < m->nh && rc == 0; i++) {
                struct cg_hier *h = &m->h[i];
                char *base = cg_join(h->mnt, abs || !h->own ? "" : h->own);
                h->path = base ? cg_join(base, inner) : NULL;
                free(base);
                if (!h->path)
                        rc = herr(ENOMEM, "linux.cgroupsPath");
        }
        if (rc == 0 && m->unified_mnt) {
                char own[PATH_MAX] = "";
                if (!abs && m->unified_own) {
                        snprintf(own, sizeof(own), "%s", m->unified_own);
                        if (m->version == 2)
                                parent_of(own);
                }
                char *base = cg_join(m->unified_mnt, own);
                m->dir = base ? cg_join(base, inner) : NULL;
                free(base);
                if (!m->dir)
                        rc = herr(ENOMEM, "linux.cgroupsPath");
        }
        free(inner);
        return rc;
}

/* ---- the manager ---- */

struct cgroup_manager *cg_manager_new(const char *id)
{
        struct cgroup_manager *m = calloc(1, sizeof(*m));
        if (!m)
                return NULL;
        m->dir_fd = m->oom_ctl_fd = -1;
        m->owner = getpid();
        m->id = strdup(id ? id : "");
        return m;
}

void cgroup_free(struct cgroup_manager *m)
{
        if (!m)
                return;
        cg_sd_release_holder(m);
        for (size_t i = 0; i < m->nh; i++) {
                struct cg_hier *h = &m->h[i];
                free(h->name);
                free(h->dir_name);
                free(h->mnt);
                free(h->own);
                free(h->path);
                if (h->join_fd >= 0)
                        close(h->join_fd);
        }
        free(m->h);
        free(m->mps);
        if (m->dir_fd >= 0)
                close(m->dir_fd);
        if (m->oom_ctl_fd >= 0)
                close(m->oom_ctl_fd);
        free(m->dir);
        free(m->unified_mnt);
        free(m->unified_own);
        free(m->unit);
        free(m->slice);
        free(m->id);
        free(m);
}

bool cgroup_is_v2(const struct cgroup_manager *m)
{
        return m->version == 2;
}

static bool has_limits(const struct hull_resources *r)
{
        return r && (r->memory.present || r->cpu.present || r->block_io.present ||
                     r->n_hugepage_limits || r->network.present || r->pids.present || r->n_rdma ||
                     r->n_unified);
}

/* Refuse a frozen cgroup (the init would hang in it); warn about a busy one.
 * Directories hull has just made are neither. */
static int check_existing(struct cgroup_manager *m)
{
        bool fresh = !m->dir || m->dir_created > 0;
        for (size_t i = 0; fresh && i < m->nh; i++)
                fresh = !m->h[i].path || m->h[i].created > 0;
        if (fresh)
                return 0;
        if (cgroup_is_frozen(m) == 1)
                return herr(0, "cgroup %s is frozen: thaw it or choose another linux.cgroupsPath",
                            m->dir  ? m->dir
                            : m->nh ? m->h[0].path
                                    : "");
        pid_t *pids;
        size_t n;
        if (cgroup_pids(m, &pids, &n) == 0) {
                if (n && m->holder > 0) /* systemd: our own placeholder */
                        n--;
                if (n)
                        log_warn("the container's cgroup already holds %zu process(es)", n);
                free(pids);
        }
        herr_clear();
        return 0;
}

/* After the paths are known: make the directories, write the limits. */
int cg_finish_prepare(struct cgroup_manager *m, const struct hull_resources *r)
{
        static const struct hull_resources none;
        if (!r)
                r = &none;
        if (m->version == 1 && r->n_unified)
                return herr(0, "linux.resources.unified: invalid configuration: cannot use "
                               "unified on cgroup v1");
        int rc = 0;
        if (m->version == 1)
                rc = cg_v1_create(m);
        if (rc == 0 && m->dir)
                rc = cg_v2_create(m, m->version == 2 && !m->systemd);
        if (rc < 0) {
                if (m->rootless && !has_limits(r) &&
                    (herr_errno() == EACCES || herr_errno() == EPERM || herr_errno() == EROFS)) {
                        log_debug("rootless: no cgroup: %s", herr_msg());
                        return 1;
                }
                return -1;
        }
        if (check_existing(m) < 0)
                return -1;
        if (m->version == 1)
                return cg_res_v1_apply(m, r, false);
        return cg_res_v2_apply(m, r, false);
}

static int destroy_created(struct cgroup_manager *m)
{
        int rc = 0;
        if (m->version == 1 && cg_v1_destroy(m) < 0)
                rc = -1;
        if (m->dir && cg_v2_destroy(m) < 0)
                rc = -1;
        return rc;
}

int cgroup_prepare(struct cgroup_manager **out, const struct cgroup_opts *o)
{
        *out = NULL;
        struct cgroup_manager *m = cg_manager_new(o->id);
        if (!m || !m->id) {
                cgroup_free(m);
                return herr(ENOMEM, "cgroup");
        }
        m->rootless = o->rootless;
        int rc;
        if (o->systemd) {
                rc = cg_sd_prepare(m, o);
        } else {
                if (cg_host_is_v2()) {
                        m->version = 2;
                        rc = cg_v1_discover(m); /* own cgroup, unified mount */
                } else {
                        m->version = 1;
                        rc = cg_v1_discover(m);
                }
                if (rc == 0)
                        rc = cg_set_paths(m, o->cgroups_path);
                if (rc == 0)
                        rc = cg_finish_prepare(m, o->resources);
                if (rc < 0) {
                        char saved[HERR_MAX];
                        snprintf(saved, sizeof(saved), "%s", herr_msg());
                        int e = herr_errno();
                        destroy_created(m);
                        herr_set_raw(e, saved);
                }
        }
        if (rc < 0) {
                cgroup_free(m);
                return -1;
        }
        if (rc == 1) { /* rootless without a cgroup: an empty manager */
                for (size_t i = 0; i < m->nh; i++) {
                        free(m->h[i].path);
                        m->h[i].path = NULL;
                }
                free(m->dir);
                m->dir = NULL;
        }
        if (cgroup_join_prepare(m) < 0) {
                char saved[HERR_MAX];
                snprintf(saved, sizeof(saved), "%s", herr_msg());
                int e = herr_errno();
                cgroup_destroy(m);
                cgroup_free(m);
                herr_set_raw(e, saved);
                return -1;
        }
        *out = m;
        return 0;
}

/* ---- joining ---- */

int cgroup_join_prepare(struct cgroup_manager *m)
{
        char path[PATH_MAX];
        for (size_t i = 0; i < m->nh; i++) {
                struct cg_hier *h = &m->h[i];
                if (!h->path || h->join_fd >= 0)
                        continue;
                snprintf(path, sizeof(path), "%s/tasks", h->path);
                h->join_fd = open(path, O_WRONLY | O_CLOEXEC);
                if (h->join_fd < 0)
                        return herr(errno, "open %s", path);
        }
        if (m->dir && m->dir_fd < 0) {
                m->dir_fd = open(m->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (m->dir_fd < 0)
                        return herr(errno, "open %s", m->dir);
        }
        return 0;
}

int cgroup_clone_fd(struct cgroup_manager *m)
{
        if (!m)
                return -1;
        if (getpid() != m->owner) {
                /* in the child: did clone3 do it all (nothing left for
                 * cgroup_join_self())? */
                for (size_t i = 0; i < m->nh; i++)
                        if (m->h[i].path)
                                return -1;
                return m->cloned_into ? m->dir_fd : -1;
        }
        if (m->dir && m->dir_fd < 0 && cgroup_join_prepare(m) < 0) {
                herr_clear(); /* the child joins by path instead */
                return -1;
        }
        if (m->dir_fd < 0)
                return -1;
        m->cloned_into = true;
        return m->dir_fd;
}

void cgroup_clone_fallback(struct cgroup_manager *m)
{
        if (m)
                m->cloned_into = false;
}

/* Write "0" to dir/file, or to fd when it is open.  No heap. */
static int join_one(int fd, const char *dir, const char *file)
{
        char path[PATH_MAX];
        int len = snprintf(path, sizeof(path), "%s/%s", dir, file);
        if (len < 0 || (size_t)len >= sizeof(path))
                return herr(ENAMETOOLONG, "join cgroup %s", dir);
        bool mine = fd < 0;
        if (mine)
                fd = open(path, O_WRONLY | O_CLOEXEC);
        ssize_t w = fd >= 0 ? write(fd, "0", 1) : -1;
        int e = errno;
        if (mine && fd >= 0)
                close(fd);
        if (w != 1)
                return herr(e, "join cgroup: write \"0\" to %s", path);
        return 0;
}

/* Runs in the freshly cloned, single-threaded init: no heap, no locks. */
int cgroup_join_self(struct cgroup_manager *m)
{
        if (!m)
                return 0;
        for (size_t i = 0; i < m->nh; i++) {
                struct cg_hier *h = &m->h[i];
                if (!h->path)
                        continue;
                int rc = join_one(h->join_fd, h->path, "tasks");
                if (h->join_fd >= 0) {
                        close(h->join_fd);
                        h->join_fd = -1;
                }
                if (rc < 0)
                        return -1;
        }
        if (m->dir && !m->cloned_into && join_one(-1, m->dir, "cgroup.procs") < 0)
                return -1;
        if (m->dir_fd >= 0) {
                close(m->dir_fd);
                m->dir_fd = -1;
        }
        return 0;
}

/* Parent side, once the init is in: the join fds are not needed any more. */
static void join_done(struct cgroup_manager *m)
{
        for (size_t i = 0; i < m->nh; i++) {
                if (m->h[i].join_fd >= 0) {
                        close(m->h[i].join_fd);
                        m->h[i].join_fd = -1;
                }
        }
        if (m->dir_fd >= 0) {
                close(m->dir_fd);
                m->dir_fd = -1;
        }
        cg_sd_release_holder(m);
}

int cgroup_join_pid(struct cgroup_manager *m, pid_t pid)
{
        char buf[32];
        snprintf(buf, sizeof(buf), "%d", (int)pid);
        for (size_t i = 0; i < m->nh; i++)
                if (m->h[i].path && cg_write("join cgroup", m->h[i].path, "cgroup.procs", buf) < 0)
                        return -1;
        if (m->dir && cg_write("join cgroup", m->dir, "cgroup.procs", buf) < 0)
                return -1;
        return 0;
}

int cgroup_mountpoints(struct cgroup_manager *m, const struct cgroup_mountpoint **list, size_t *n)
{
        *list = NULL;
        *n = 0;
        if (m->version == 2 || m->nh == 0)
                return 0;
        if (!m->mps) {
                m->mps = calloc(m->nh, sizeof(*m->mps));
                if (!m->mps)
                        return herr(ENOMEM, "cgroup mount points");
        }
        size_t k = 0;
        for (size_t i = 0; i < m->nh; i++) {
                if (!m->h[i].path)
                        continue;
                m->mps[k].name = m->h[i].name;
                m->mps[k].dir_name = m->h[i].dir_name;
                m->mps[k].host_path = m->h[i].path;
                k++;
        }
        *list = m->mps;
        *n = k;
        return 0;
}

/* ---- state ---- */

int cgroup_save(struct cgroup_manager *m, struct json_t **out)
{
        *out = NULL;
        if (!m)
                return 0;
        join_done(m);
        json_t *o = json_object();
        json_object_set_new(o, "driver", json_string(m->systemd ? "systemd" : "cgroupfs"));
        json_object_set_new(o, "version", json_integer(m->version));
        if (m->nh) {
                json_t *a = json_array();
                for (size_t i = 0; i < m->nh; i++) {
                        struct cg_hier *h = &m->h[i];
                        if (!h->path)
                                continue;
                        json_t *e = json_object();
                        json_object_set_new(e, "name", json_string(h->name));
                        json_object_set_new(e, "dir", json_string(h->dir_name));
                        json_object_set_new(e, "mnt", json_string(h->mnt));
                        json_object_set_new(e, "path", json_string(h->path));
                        json_object_set_new(e, "created", json_integer(h->created));
                        json_array_append_new(a, e);
                }
                json_object_set_new(o, "hierarchies", a);
        }
        if (m->dir) {
                json_object_set_new(o, "dir", json_string(m->dir));
                json_object_set_new(o, "dirCreated", json_integer(m->dir_created));
        }
        if (m->unit)
                json_object_set_new(o, "unit", json_string(m->unit));
        if (m->slice)
                json_object_set_new(o, "slice", json_string(m->slice));
        *out = o;
        return 0;
}

static char *jdup(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));
        return s ? strdup(s) : NULL;
}

int cgroup_load(struct cgroup_manager **out, struct json_t *saved, bool systemd)
{
        *out = NULL;
        if (!json_is_object(saved))
                return herr(EINVAL, "load cgroup state: not an object");
        struct cgroup_manager *m = cg_manager_new("");
        if (!m)
                return herr(ENOMEM, "load cgroup state");
        const char *drv = json_string_value(json_object_get(saved, "driver"));
        m->systemd = drv ? !strcmp(drv, "systemd") : systemd;
        m->version = (int)json_integer_value(json_object_get(saved, "version"));
        if (m->version != 1 && m->version != 2) {
                cgroup_free(m);
                return herr(EINVAL, "load cgroup state: bad version");
        }
        json_t *a = json_object_get(saved, "hierarchies");
        size_t n = json_array_size(a);
        if (n) {
                m->h = calloc(n, sizeof(*m->h));
                if (!m->h) {
                        cgroup_free(m);
                        return herr(ENOMEM, "load cgroup state");
                }
        }
        for (size_t i = 0; i < n; i++) {
                json_t *e = json_array_get(a, i);
                struct cg_hier *h = &m->h[m->nh++];
                h->join_fd = -1;
                h->name = jdup(e, "name");
                h->dir_name = jdup(e, "dir");
                h->mnt = jdup(e, "mnt");
                h->path = jdup(e, "path");
                h->created = (int)json_integer_value(json_object_get(e, "created"));
                if (!h->name || !h->path || !h->mnt) {
                        cgroup_free(m);
                        return herr(EINVAL, "load cgroup state: bad hierarchy %zu", i);
                }
                h->ctls = cg_ctls_from_list(h->name);
        }
        m->dir = jdup(saved, "dir");
        m->dir_created = (int)json_integer_value(json_object_get(saved, "dirCreated"));
        m->unit = jdup(saved, "unit");
        m->slice = jdup(saved, "slice");
        *out = m;
        return 0;
}

int cgroup_destroy(struct cgroup_manager *m)
{
        if (!m)
                return 0;
        join_done(m);
        int rc = 0;
        if (m->systemd && m->unit && cg_sd_stop(m) < 0)
                rc = -1;
        if (destroy_created(m) < 0)
                rc = -1;
        return rc;
}
