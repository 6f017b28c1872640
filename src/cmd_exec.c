/* cmd_exec.c - `exec`: run a new process in a running container. */
#include "cgroup.h"
#include "cli.h"
#include "config.h"
#include "container.h"
#include "error.h"
#include "exec.h"
#include "fsutil.h"
#include "log.h"
#include "security.h"
#include "supervise.h"
#include "terminal.h"
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cli_opt exec_opts[] = {
    {"console-socket", 0, true, "unix socket to receive the pty master", "PATH"},
    {"cwd", 0, true, "working directory in the container", "DIR"},
    {"env", 'e', true, "set an environment variable (repeatable)", "NAME=VALUE"},
    {"tty", 't', false, "allocate a pty", NULL},
    {"user", 'u', true, "uid[:gid] of the process", "UID[:GID]"},
    {"additional-gids", 'g', true, "an additional group (repeatable)", "GID"},
    {"process", 'p', true, "process.json describing the process (other flags ignored)", "FILE"},
    {"detach", 'd', false, "do not wait for the process", NULL},
    {"pid-file", 0, true, "write the process's pid to this file", "FILE"},
    {"process-label", 0, true, "SELinux label of the process", "LABEL"},
    {"apparmor", 0, true, "AppArmor profile of the process", "PROFILE"},
    {"no-new-privs", 0, false, "set no_new_privs", NULL},
    {"cap", 'c', true, "add a capability (repeatable)", "CAP"},
    {"preserve-fds", 0, true, "pass N more file descriptors (from fd 3)", "N"},
    {"cgroup", 0, true, "accepted for runc compatibility (sub-cgroups are not used)", "PATH"},
    {"ignore-paused", 0, false, "exec even if the container is paused", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum {
        X_CONSOLE,
        X_CWD,
        X_ENV,
        X_TTY,
        X_USER,
        X_GIDS,
        X_PROCESS,
        X_DETACH,
        X_PIDFILE,
        X_LABEL,
        X_APPARMOR,
        X_NNP,
        X_CAP,
        X_PRESERVE,
        X_CGROUP,
        X_IGNORE_PAUSED,
        X_HELP,
        X_N
};

/* Apply the command line flags over the container's process. */
static int apply_flags(struct hull_process *p, struct cli_val *v, char **args, int nargs,
                       gid_t *gids, const char ***envbuf)
{
        p->args = (const char **)args;
        p->n_args = (size_t)nargs;
        p->terminal = v[X_TTY].flag;
        if (v[X_CWD].str)
                p->cwd = v[X_CWD].str;
        for (int i = 0; i < v[X_ENV].count; i++) { /* runc refuses these too */
                const char *e = v[X_ENV].all[i], *eq = strchr(e, '=');
                if (!eq)
                        return herr(0, "--env: invalid environment variable: \"%s\"", e);
                if (eq == e)
                        return herr(0, "--env: environment variable name can't be empty: \"%s\"",
                                    e);
        }
        if (v[X_ENV].count) {
                const char **env = calloc(p->n_env + (size_t)v[X_ENV].count + 1, sizeof(char *));
                if (!env)
                        return herr(ENOMEM, "exec --env");
                memcpy(env, p->env, p->n_env * sizeof(char *));
                for (int i = 0; i < v[X_ENV].count; i++)
                        env[p->n_env++] = v[X_ENV].all[i];
                p->env = env;
                *envbuf = env;
        }
        if (v[X_USER].str) {
                char *end;
                unsigned long uid = strtoul(v[X_USER].str, &end, 10);
                unsigned long gid = 0;
                if (*end == ':')
                        gid = strtoul(end + 1, &end, 10);
                if (*end || end == v[X_USER].str)
                        return herr(0, "--user: want uid[:gid], got \"%s\"", v[X_USER].str);
                p->user.uid = (uid_t)uid;
                p->user.gid = (gid_t)gid;
        }
        if (v[X_GIDS].count) {
                for (int i = 0; i < v[X_GIDS].count; i++)
                        gids[i] = (gid_t)strtoul(v[X_GIDS].all[i], NULL, 10);
                p->user.additional_gids = gids;
                p->user.n_additional_gids = (size_t)v[X_GIDS].count;
        }
        /* --cap: bounding, effective and permitted, never inheritable (the
         * lesson of CVE-2022-29162); an unknown name is a warning, as in runc */
        for (int i = 0; i < v[X_CAP].count; i++) {
                int c = cap_from_name(v[X_CAP].all[i]);
                if (c < 0) {
                        log_warn("ignoring unknown or unavailable capabilities: [%s]",
                                 v[X_CAP].all[i]);
                        continue;
                }
                uint64_t bit = 1ULL << c;
                p->caps.present = true;
                p->caps.bounding |= bit;
                p->caps.effective |= bit;
                p->caps.permitted |= bit;
                p->caps.has_bounding = p->caps.has_effective = p->caps.has_permitted = true;
        }
        if (v[X_NNP].flag)
                p->no_new_privileges = true;
        if (v[X_APPARMOR].str)
                p->apparmor_profile = v[X_APPARMOR].str;
        if (v[X_LABEL].str)
                p->selinux_label = v[X_LABEL].str;
        return 0;
}

int cmd_exec(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[X_N + 1] = {0};
        struct exec_launch x;
        struct hull_config cfg = {0};
        bool have_cfg = false;
        char *text = NULL, *ptext = NULL;
        const char **envbuf = NULL;
        gid_t *gids = NULL;
        struct container *c = NULL;
        int rc = 0, idx = 1;
        exec_launch_init(&x);

        if (cli_parse(exec_opts, v, argc, argv, &idx) < 0)
                goto fail;
        if (v[X_HELP].flag) {
                cli_print_help("exec", "[command options] <container-id> <command> [args...]",
                               "Run a new process in a running container.", exec_opts);
                goto out;
        }
        if (argc - idx < 1) {
                herr(0, "\"exec\" requires a minimum of 1 argument(s)");
                goto fail;
        }
        if (!v[X_PROCESS].str && argc - idx < 2) {
                herr(0, "process args cannot be empty");
                goto fail;
        }
        if (TRACE("container_open", argv[idx], container_open(g, argv[idx], CT_LOCK_SHARED, &c)) <
            0)
                goto fail;
        if (c->status == CT_STOPPED || c->status == CT_CREATING) {
                herr(0, "cannot exec in a stopped container");
                goto fail;
        }
        if (c->status == CT_PAUSED && !v[X_IGNORE_PAUSED].flag) {
                herr(0, "cannot exec in a paused container (use --ignore-paused to override)");
                goto fail;
        }
        size_t len;
        uint64_t t0 = trace_begin();
        rc = read_file_at(c->dir_fd, "config.json", &text, &len) < 0 ||
                     config_parse(&cfg, text, len, "config.json") < 0
                 ? -1
                 : 0;
        if (trace_end("prepare", "config.json", t0, rc) < 0)
                goto fail;
        have_cfg = true;
        if (v[X_PROCESS].str) {
                size_t plen;
                if (read_file_at(AT_FDCWD, v[X_PROCESS].str, &ptext, &plen) < 0 ||
                    config_parse_process(&cfg, ptext, plen, v[X_PROCESS].str) < 0)
                        goto fail;
        } else {
                gids = calloc((size_t)v[X_GIDS].count + 1, sizeof(gid_t));
                if (!gids ||
                    apply_flags(&cfg.process, v, argv + idx + 1, argc - idx - 1, gids, &envbuf) < 0)
                        goto fail;
        }
        if (v[X_PRESERVE].str) {
                char *end;
                long n = strtol(v[X_PRESERVE].str, &end, 10);
                if (*end || end == v[X_PRESERVE].str || n < 0 || n > 65536) {
                        herr(0, "--preserve-fds: bad number %s", v[X_PRESERVE].str);
                        goto fail;
                }
                x.preserve_fds = (int)n;
                for (int fd = 3; fd < 3 + x.preserve_fds; fd++) /* runc checks too */
                        if (fcntl(fd, F_GETFD) < 0) {
                                herr(errno, "unable to stat preserved-fd %d (of %d)", fd - 3,
                                     x.preserve_fds);
                                goto fail;
                        }
        }
        bool detach = v[X_DETACH].flag;
        /* runc's rules: a console socket only for a detached process with a tty */
        if (cfg.process.terminal && detach && !v[X_CONSOLE].str) {
                herr(0, "cannot allocate tty if hull will detach without setting console socket");
                goto fail;
        }
        if ((!detach || !cfg.process.terminal) && v[X_CONSOLE].str) {
                herr(0, "cannot use console socket if hull will not detach or allocate tty");
                goto fail;
        }
        if (cfg.process.terminal && v[X_CONSOLE].str &&
            (x.console_sock = terminal_connect(v[X_CONSOLE].str)) < 0)
                goto fail;
        x.c = c;
        x.proc = &cfg.process;
        x.seccomp_cfg = &cfg.linux_.seccomp;
        x.pid_file = v[X_PIDFILE].str;
        if (json_object_get(c->state, "cgroup") && container_cgroup(c, &x.cgroup) < 0)
                goto fail;
        if (cfg.linux_.seccomp.present &&
            TRACE("seccomp_compile", "linux.seccomp",
                  seccomp_compile_cached(g->root, &cfg.linux_.seccomp, &x.seccomp)) < 0)
                goto fail;
        sigset_t all;
        supervise_sigset(&all);
        if (!detach) {
                sigprocmask(SIG_BLOCK, &all, &x.sigmask);
                x.restore_sigmask = true;
        }
        if (TRACE("exec_launch", argv[idx], exec_launch(&x)) < 0)
                goto fail;
        if (!detach) {
                /* don't hold the container's lock while the process runs */
                int id_fd = c->dir_fd;
                c->dir_fd = -1;
                close(id_fd);
                t0 = trace_begin();
                rc = supervise_wait(x.pid, x.pidfd, x.console_master, &all, -1, NULL);
                trace_endf("supervise_wait", t0, rc < 0 ? -1 : 0, "pid %d", (int)x.pid);
        }
        goto out;
fail:
        herr_ctx("exec failed");
        log_fail();
        rc = 255; /* runc: any failure of exec itself is 255 */
out:
        exec_launch_release(&x);
        container_close(c);
        if (have_cfg)
                config_free(&cfg);
        free(text);
        free(ptext);
        free(envbuf);
        free(gids);
        cli_free(exec_opts, v);
        return rc;
}
