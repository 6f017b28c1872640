/* process.c - the container process's attributes (see process.h). */
#include "process.h"
#include "error.h"
#include "exe_guard.h"
#include "procfs.h"
#include "sys.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

int process_apply_rlimits(const struct hull_process *p)
{
        for (size_t i = 0; i < p->n_rlimits; i++) {
                const struct hull_rlimit *r = &p->rlimits[i];
                struct rlimit rl = {.rlim_cur = r->soft, .rlim_max = r->hard};
                if (setrlimit(r->resource, &rl) < 0)
                        return herr(
                            errno, "process.rlimits[%zu] (%s): setrlimit soft %llu hard %llu", i,
                            r->type, (unsigned long long)r->soft, (unsigned long long)r->hard);
        }
        return 0;
}

int process_apply_oom_score_adj(const struct hull_process *p)
{
        if (!p->has_oom_score_adj)
                return 0;
        char buf[16];
        snprintf(buf, sizeof(buf), "%d", p->oom_score_adj);
        if (procfs_write("self/oom_score_adj", buf) < 0) /* the real procfs file only */
                return herr_ctx("process.oomScoreAdj");
        return 0;
}

int process_apply_personality(const struct hull_personality *pers)
{
        if (!pers->present)
                return 0;
        if (personality(pers->domain) < 0)
                return herr(errno, "linux.personality: personality(0x%lx)", pers->domain);
        return 0;
}

struct hull_sched_attr {
        uint32_t size;
        uint32_t sched_policy;
        uint64_t sched_flags;
        int32_t sched_nice;
        uint32_t sched_priority;
        uint64_t sched_runtime;
        uint64_t sched_deadline;
        uint64_t sched_period;
};

int process_apply_scheduler(const struct hull_process *p)
{
        const struct hull_scheduler *s = &p->scheduler;
        if (!s->present)
                return 0;
        struct hull_sched_attr a = {
            .size = sizeof(a),
            .sched_policy = (uint32_t)s->policy,
            .sched_flags = s->flags,
            .sched_nice = s->nice,
            .sched_priority = (uint32_t)s->priority,
            .sched_runtime = s->runtime,
            .sched_deadline = s->deadline,
            .sched_period = s->period,
        };
        if (syscall(SYS_sched_setattr, 0, &a, 0) < 0)
                return herr(errno, "process.scheduler: sched_setattr policy %d", s->policy);
        return 0;
}

int process_apply_ioprio(const struct hull_process *p)
{
        if (!p->io_priority.present)
                return 0;
        int prio = (p->io_priority.class << 13) | p->io_priority.priority;
        if (syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, prio) < 0)
                return herr(errno, "process.ioPriority: ioprio_set class %d priority %d",
                            p->io_priority.class, p->io_priority.priority);
        return 0;
}

int process_apply_affinity(const char *cpus, const char *field)
{
        if (!cpus)
                return 0;
        cpu_set_t set;
        CPU_ZERO(&set);
        const char *s = cpus;
        while (*s) {
                char *end;
                long a = strtol(s, &end, 10), b;
                if (end == s || a < 0)
                        return herr(EINVAL, "%s: bad cpu list \"%s\"", field, cpus);
                b = a;
                s = end;
                if (*s == '-') {
                        b = strtol(s + 1, &end, 10);
                        if (end == s + 1 || b < a)
                                return herr(EINVAL, "%s: bad cpu list \"%s\"", field, cpus);
                        s = end;
                }
                for (long c = a; c <= b && c < CPU_SETSIZE; c++)
                        CPU_SET((int)c, &set);
                if (*s == ',')
                        s++;
                else if (*s)
                        return herr(EINVAL, "%s: bad cpu list \"%s\"", field, cpus);
        }
        if (sched_setaffinity(0, sizeof(set), &set) < 0)
                return herr(errno, "%s: sched_setaffinity %s", field, cpus);
        return 0;
}

int process_set_user(const struct hull_user *u)
{
        if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                return herr(errno, "process.user: prctl(PR_SET_KEEPCAPS)");
        if (setgroups(u->n_additional_gids, u->additional_gids) < 0 && errno != EPERM)
                return herr(errno, "process.user.additionalGids: setgroups");
        if (setresgid(u->gid, u->gid, u->gid) < 0)
                return herr(errno, "process.user.gid: setresgid %u", (unsigned)u->gid);
        if (setresuid(u->uid, u->uid, u->uid) < 0)
                return herr(errno, "process.user.uid: setresuid %u", (unsigned)u->uid);
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                return herr(errno, "process.user: prctl(PR_SET_KEEPCAPS)");
        return 0;
}

/* cwd is resolved inside the container's root, which is "/" by now, and
 * never through a magic link: "/proc/self/fd/N" of a host fd cannot lead
 * the process out (CVE-2024-21626). */
int process_chdir(const struct hull_process *p)
{
        const char *cwd = p->cwd && *p->cwd ? p->cwd : "/";
        int root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
        if (root < 0)
                return herr(errno, "process.cwd: open /");
        int fd = sys_openat2(root, cwd, O_PATH | O_DIRECTORY | O_CLOEXEC, 0,
                             RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        int e = errno;
        close(root);
        if (fd < 0)
                return herr(e, "process.cwd: chdir %s", cwd);
        int r = fchdir(fd);
        e = errno;
        close(fd);
        return r < 0 ? herr(e, "process.cwd: chdir %s", cwd) : 0;
}

static const char *env_get(const struct hull_process *p, const char *name)
{
        size_t n = strlen(name);
        for (size_t i = p->n_env; i-- > 0;) /* the last one wins, as in exec -e */
                if (!strncmp(p->env[i], name, n) && p->env[i][n] == '=')
                        return p->env[i] + n + 1;
        return NULL;
}

/* HOME of uid from the container's /etc/passwd (no NSS: the container's
 * files only), into buf as "HOME=..."; "HOME=/" when there is none. */
static void passwd_home(uid_t uid, char *buf, size_t len)
{
        snprintf(buf, len, "HOME=/");
        FILE *f = fopen("/etc/passwd", "re");
        if (!f)
                return;
        char line[1024];
        while (fgets(line, sizeof(line), f)) {
                /* name:passwd:uid:gid:gecos:home:shell */
                char *field[7] = {0};
                char *s = line;
                int n = 0;
                for (; n < 7 && s; n++) {
                        field[n] = s;
                        s = strchr(s, ':');
                        if (s)
                                *s++ = '\0';
                }
                if (n < 6 || !field[2][0])
                        continue;
                char *end;
                unsigned long u = strtoul(field[2], &end, 10);
                if (*end || u != uid)
                        continue;
                field[5][strcspn(field[5], "\n")] = '\0';
                if (field[5][0])
                        snprintf(buf, len, "HOME=%s", field[5]);
                break;
        }
        fclose(f);
}

/* The env the process gets: process.env plus HOME when it is missing, from
 * the container's /etc/passwd as runc does. */
static char **build_env(const struct hull_process *p)
{
        static char home[PATH_MAX + 8];
        bool has_home = env_get(p, "HOME") != NULL;
        char **env = calloc(p->n_env + 2, sizeof(char *));
        if (!env)
                return NULL;
        size_t n = 0;
        for (size_t i = 0; i < p->n_env; i++)
                env[n++] = (char *)p->env[i];
        if (!has_home) {
                passwd_home(p->user.uid, home, sizeof(home));
                env[n++] = home;
        }
        env[n] = NULL;
        return env;
}

static bool is_executable(const char *path, int *err)
{
        struct stat st;
        if (stat(path, &st) < 0) {
                *err = errno;
                return false;
        }
        if (S_ISDIR(st.st_mode)) {
                *err = EISDIR;
                return false;
        }
        if (access(path, X_OK) < 0) {
                *err = errno;
                return false;
        }
        return true;
}

/* `exec: "FILE": <errno text>`, the errno text in lower case as runc (Go)
 * words it: dockerd turns "no such file or directory" and "permission
 * denied" in a failed start into exit codes 127 and 126, matching case. */
static int exec_error(const char *file, int err)
{
        char text[HERR_MAX];
        snprintf(text, sizeof(text), "exec: \"%s\": %s", file, herr_errno_text(err));
        herr_set_raw(err, text);
        return -1;
}

int process_resolve(const struct hull_process *p, char *out, size_t out_len)
{
        if (!p->args || p->n_args == 0)
                return herr(EINVAL, "process.args: must not be empty");
        const char *file = p->args[0];
        int err = ENOENT;
        if (strchr(file, '/')) {
                if (!is_executable(file, &err))
                        return exec_error(file, err);
                snprintf(out, out_len, "%s", file);
                return exe_guard_open(out, "process.args[0]");
        }
        const char *path = env_get(p, "PATH");
        if (!path)
                path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
        for (const char *s = path;;) {
                const char *e = strchrnul(s, ':');
                size_t dl = (size_t)(e - s);
                if (dl == 0)
                        snprintf(out, out_len, "%s", file);
                else
                        snprintf(out, out_len, "%.*s/%s", (int)dl, s, file);
                int e2;
                if (is_executable(out, &e2))
                        return exe_guard_open(out, "process.args[0]");
                if (!*e)
                        break;
                s = e + 1;
        }
        return herr(0, "exec: \"%s\": executable file not found in $PATH", file);
}

int process_exec(const struct hull_process *p, const char *path, int fd)
{
        if (p->user.has_umask)
                umask(p->user.umask);
        else
                umask(022);
        char **env = build_env(p);
        char **argv = calloc(p->n_args + 1, sizeof(char *));
        if (!env || !argv)
                return herr(ENOMEM, "exec %s", path);
        memcpy(argv, p->args, p->n_args * sizeof(char *));
        /* Run the very file exe_guard_open() checked, unless its name is a
         * symlink (the process's comm must be "sleep", not "busybox"), the
         * kernel names the process after the fd (before 6.14), or it is a
         * script (which cannot run from an O_CLOEXEC fd: ENOENT before
         * anything runs): then by path, checked once more just before.
         * By path too when execveat itself is refused: a seccomp profile
         * that allows execve only (as runc needs) must not stop the start. */
        struct stat st;
        bool by_fd =
            fd >= 0 && exe_guard_comm_from_fd() && !(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
        if (by_fd)
                syscall(SYS_execveat, fd, "", argv, env, AT_EMPTY_PATH);
        if (fd >= 0) {
                int again = exe_guard_open(path, "process.args[0]");
                if (again < 0)
                        return -1;
                close(again);
        }
        execve(path, argv, env);
        return exec_error(p->args[0], errno);
}
