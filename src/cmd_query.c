/* cmd_query.c - `state`, `list`, `kill` and `delete`: commands on
 * existing containers. */
#include "cgroup.h"
#include "cli.h"
#include "container.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"
#include "state_scan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct cli_opt help_only[] = {
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

/* Parse options; exactly `nargs_min..nargs_max` positional arguments. */
static int parse(const char *cmd, const char *usage, const char *desc, const struct cli_opt *opts,
                 struct cli_val *v, int argc, char **argv, int *idx, int nmin, int nmax)
{
        *idx = 1;
        if (cli_parse(opts, v, argc, argv, idx) < 0)
                return -1;
        for (int i = 0; opts[i].name; i++) {
                if (!strcmp(opts[i].name, "help") && v[i].flag) {
                        cli_print_help(cmd, usage, desc, opts);
                        return 1;
                }
        }
        int n = argc - *idx; /* runc's wording, which clients may match */
        if (nmin == nmax && n != nmin)
                return herr(0, "\"%s\" requires exactly %d argument(s)", cmd, nmin);
        if (n < nmin)
                return herr(0, "\"%s\" requires a minimum of %d argument(s)", cmd, nmin);
        if (n > nmax)
                return herr(0, "\"%s\" requires a maximum of %d argument(s)", cmd, nmax);
        return 0;
}

int cmd_state(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[2] = {0};
        int idx, rc = parse("state", "<container-id>", "Print the state of a container (JSON).",
                            help_only, v, argc, argv, &idx, 1, 1);
        cli_free(help_only, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_NONE, &c) < 0)
                return log_fail();
        char *s = container_state_json(c);
        printf("%s\n", s);
        free(s);
        container_close(c);
        return 0;
}

static const struct cli_opt list_opts[] = {
    {"format", 'f', true, "table or json", "FORMAT"},
    {"quiet", 'q', false, "print only the container ids", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

struct row {
        char *id, *pid, *status, *bundle, *created, *owner;
};

/* The user name of uid, remembered: every container has the same owner,
 * and each getpwuid() reads /etc/passwd again. */
static const char *owner_name(uid_t uid)
{
        static char name[64];
        static uid_t cached = (uid_t)-1;
        static bool have;
        if (!have || cached != uid) {
                struct passwd *pw = getpwuid(uid);
                if (pw)
                        snprintf(name, sizeof(name), "%s", pw->pw_name);
                else
                        snprintf(name, sizeof(name), "#%u", (unsigned)uid);
                cached = uid;
                have = true;
        }
        return name;
}

int cmd_list(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[4] = {0};
        int idx, rc = parse("list", "[command options]", "List the containers under --root.",
                            list_opts, v, argc, argv, &idx, 0, 0);
        const char *fmt = v[0].str ? v[0].str : "table";
        bool quiet = v[1].flag;
        if (rc == 0 && strcmp(fmt, "table") && strcmp(fmt, "json"))
                rc = herr(0, "invalid format option");
        bool json = !strcmp(fmt, "json");
        if (rc != 0) {
                cli_free(list_opts, v);
                return rc < 0 ? log_fail() : 0;
        }
        json_t *arr = json_array();
        struct row *rows = NULL;
        size_t n = 0, cap = 0;
        int rootfd = open(g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        DIR *d = rootfd >= 0 ? fdopendir(rootfd) : NULL;
        struct dirent *e;
        while (d && (e = readdir(d))) {
                if (e->d_name[0] == '.' || container_id_check(e->d_name) < 0)
                        continue;
                if (quiet) {
                        printf("%s\n", e->d_name);
                        continue;
                }
                struct state_summary c;
                if (state_summary_read(rootfd, e->d_name, &c) < 0)
                        continue; /* being created or deleted */
                const char *owner = owner_name(c.owner_uid);
                if (json) {
                        json_t *o = json_object();
                        json_object_set_new(o, "ociVersion", json_string("1.3.0"));
                        json_object_set_new(o, "id", json_string(e->d_name));
                        json_object_set_new(o, "pid", json_integer(c.pid));
                        json_object_set_new(o, "status",
                                            json_string(container_status_name(c.status)));
                        json_object_set_new(o, "bundle", json_string(c.bundle));
                        json_object_set_new(o, "rootfs", json_string(c.rootfs));
                        json_object_set_new(o, "created", json_string(c.created));
                        json_object_set_new(o, "owner", json_string(owner));
                        json_t *ann = c.annotations && c.annotations_len > 2
                                          ? json_loadb(c.annotations, c.annotations_len, 0, NULL)
                                          : NULL;
                        if (ann && json_object_size(ann))
                                json_object_set(o, "annotations", ann);
                        json_decref(ann);
                        json_array_append_new(arr, o);
                } else {
                        if (n == cap) {
                                cap = cap ? cap * 2 : 16;
                                struct row *nr = realloc(rows, cap * sizeof(*rows));
                                if (!nr) {
                                        state_summary_free(&c);
                                        break;
                                }
                                rows = nr;
                        }
                        struct row *r = &rows[n++];
                        char pidbuf[16];
                        snprintf(pidbuf, sizeof(pidbuf), "%d", (int)c.pid);
                        r->id = strdup(e->d_name);
                        r->pid = strdup(pidbuf);
                        r->status = strdup(container_status_name(c.status));
                        r->bundle = strdup(c.bundle);
                        r->created = strdup(c.created);
                        r->owner = strdup(owner);
                }
                state_summary_free(&c);
        }
        if (d)
                closedir(d);
        else if (rootfd >= 0)
                close(rootfd);
        if (json) {
                /* runc prints null for no containers */
                if (json_array_size(arr) == 0) {
                        printf("null\n");
                } else {
                        char *s = json_dumps(arr, JSON_COMPACT);
                        printf("%s\n", s);
                        free(s);
                }
        } else if (!quiet) {
                /* runc's tabwriter: columns at least 12 wide, 3 spaces of padding */
                const char *hdr[6] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
                size_t w[6];
                for (int k = 0; k < 6; k++)
                        w[k] = strlen(hdr[k]);
                for (size_t i = 0; i < n; i++) {
                        const char *cells[6] = {rows[i].id,     rows[i].pid,     rows[i].status,
                                                rows[i].bundle, rows[i].created, rows[i].owner};
                        for (int k = 0; k < 6; k++)
                                if (strlen(cells[k]) > w[k])
                                        w[k] = strlen(cells[k]);
                }
                for (int k = 0; k < 6; k++)
                        w[k] = w[k] + 3 < 12 ? 12 : w[k] + 3;
                for (size_t i = 0; i <= n; i++) {
                        const char *cells[6];
                        if (i == 0)
                                memcpy(cells, hdr, sizeof(cells));
                        else {
                                struct row *r = &rows[i - 1];
                                const char *c6[6] = {r->id,     r->pid,     r->status,
                                                     r->bundle, r->created, r->owner};
                                memcpy(cells, c6, sizeof(cells));
                        }
                        for (int k = 0; k < 5; k++)
                                printf("%-*s", (int)w[k], cells[k]);
                        printf("%s\n", cells[5]);
                }
        }
        for (size_t i = 0; i < n; i++) {
                free(rows[i].id);
                free(rows[i].pid);
                free(rows[i].status);
                free(rows[i].bundle);
                free(rows[i].created);
                free(rows[i].owner);
        }
        free(rows);
        json_decref(arr);
        cli_free(list_opts, v);
        return 0;
}

/* "KILL", "SIGKILL", "9" -> 9; -1 when unknown. */
static int parse_signal(const char *s)
{
        static const struct {
                const char *name;
                int sig;
        } sigs[] = {
            {"ABRT", SIGABRT}, {"ALRM", SIGALRM},     {"BUS", SIGBUS},       {"CHLD", SIGCHLD},
            {"CONT", SIGCONT}, {"FPE", SIGFPE},       {"HUP", SIGHUP},       {"ILL", SIGILL},
            {"INT", SIGINT},   {"IO", SIGIO},         {"IOT", SIGIOT},       {"KILL", SIGKILL},
            {"PIPE", SIGPIPE}, {"POLL", SIGPOLL},     {"PROF", SIGPROF},     {"PWR", SIGPWR},
            {"QUIT", SIGQUIT}, {"SEGV", SIGSEGV},     {"STKFLT", SIGSTKFLT}, {"STOP", SIGSTOP},
            {"SYS", SIGSYS},   {"TERM", SIGTERM},     {"TRAP", SIGTRAP},     {"TSTP", SIGTSTP},
            {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},       {"USR1", SIGUSR1},
            {"USR2", SIGUSR2}, {"VTALRM", SIGVTALRM}, {"WINCH", SIGWINCH},   {"XCPU", SIGXCPU},
            {"XFSZ", SIGXFSZ},
        };
        char *end;
        long n = strtol(s, &end, 10);
        if (*s && !*end) /* any number goes to kill(2), as in runc (0: a probe) */
                return n >= 0 && n <= INT_MAX ? (int)n : -1;
        if (!strncasecmp(s, "SIG", 3))
                s += 3;
        for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
                if (!strcasecmp(s, sigs[i].name))
                        return sigs[i].sig;
        if (!strncasecmp(s, "RTMIN", 5) || !strncasecmp(s, "RTMAX", 5)) {
                long off = s[5] ? strtol(s + 5, &end, 10) : 0;
                if (*end)
                        return -1;
                int sig = (int)(!strncasecmp(s, "RTMIN", 5) ? SIGRTMIN + off : SIGRTMAX + off);
                return sig >= SIGRTMIN && sig <= SIGRTMAX ? sig : -1;
        }
        return -1;
}

static const struct cli_opt kill_opts[] = {
    {"all", 'a', false, "send the signal to every process of the container", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

int cmd_kill(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[3] = {0};
        int idx, rc = parse("kill", "[command options] <container-id> [signal]",
                            "Send a signal (default SIGTERM) to the container's init process.",
                            kill_opts, v, argc, argv, &idx, 1, 2);
        bool all = v[0].flag;
        cli_free(kill_opts, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        int sig = SIGTERM;
        if (argc - idx == 2 && (sig = parse_signal(argv[idx + 1])) < 0) {
                herr(0, "unknown signal \"%s\"", argv[idx + 1]);
                return log_fail();
        }
        struct container *c;
        if (container_open(g, argv[idx], CT_LOCK_EXCLUSIVE, &c) < 0)
                return log_fail();
        if (all) {
                struct cgroup_manager *cg;
                if (c->status == CT_STOPPED && !json_object_get(c->state, "cgroup"))
                        rc = herr(0, "container not running");
                else if (container_cgroup(c, &cg) < 0 || cgroup_kill_all(cg, sig) < 0)
                        rc = -1;
        } else {
                bool paused = c->status == CT_PAUSED;
                rc = container_signal(c, sig);
                /* a frozen process dies of SIGKILL only once thawed (v1) */
                struct cgroup_manager *cg;
                if (rc == 0 && paused && sig == SIGKILL && container_cgroup(c, &cg) == 0 &&
                    cgroup_freeze(cg, false) == 0) {
                        json_object_set_new(c->state, "status", json_string("running"));
                        if (container_save(c) < 0)
                                log_warn("%s", herr_msg());
                }
        }
        container_close(c);
        return rc < 0 ? log_fail() : 0;
}

static const struct cli_opt delete_opts[] = {
    {"force", 'f', false, "kill the container first if it runs (SIGKILL)", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

int cmd_delete(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[3] = {0};
        int idx, rc = parse("delete", "[command options] <container-id>",
                            "Delete a container and everything it holds.", delete_opts, v, argc,
                            argv, &idx, 1, 1);
        bool force = v[0].flag;
        cli_free(delete_opts, v);
        if (rc != 0)
                return rc < 0 ? log_fail() : 0;
        const char *id = argv[idx];
        struct container *c;
        if (container_open(g, id, CT_LOCK_EXCLUSIVE, &c) < 0) {
                if (strstr(herr_msg(), "does not exist") && container_id_check(id) == 0) {
                        /* A directory without state.json: an aborted create. */
                        int rfd = open(g->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                        if (rfd >= 0) {
                                char keep[HERR_MAX];
                                snprintf(keep, sizeof(keep), "%s", herr_msg());
                                struct stat st;
                                if (fstatat(rfd, id, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
                                    S_ISDIR(st.st_mode) && faccessat(rfd, id, F_OK, 0) == 0) {
                                        char sj[4096];
                                        snprintf(sj, sizeof(sj), "%s/state.json", id);
                                        if (faccessat(rfd, sj, F_OK, 0) < 0)
                                                remove_tree_at(rfd, id);
                                }
                                close(rfd);
                                herr_set_raw(0, keep);
                        }
                        if (force)
                                return 0;
                }
                return log_fail();
        }
        switch (c->status) {
        case CT_STOPPED:
        case CT_CREATED:
                break;
        default:
                if (!force)
                        rc = herr(0, "cannot delete container %s that is not stopped: %s", id,
                                  container_status_name(c->status));
        }
        if (rc == 0)
                rc = container_destroy(c);
        container_close(c);
        return rc < 0 ? log_fail() : 0;
}
