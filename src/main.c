/* main.c - hull's entry point: global options, then one command.
 *
 * Where does the container's init go?  `hull create`/`hull run` ->
 * cmd_create()/cmd_run() (cmd_lifecycle.c) -> container_launch() (launch.c),
 * which clone3()s the init straight into container_init() (init.c): no
 * re-exec of this binary.  docs/ARCHITECTURE.md lists every step.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exe_guard.h"
#include "cli.h"
#include "error.h"
#include "hull-version.h"
#include "log.h"
#include "trace.h"

static const struct command {
        const char *name;
        cmd_fn fn;
        const char *help;
} commands[] = {
    {"create", cmd_create, "create a container"},
    {"start", cmd_start, "start the process of a created container"},
    {"run", cmd_run, "create and start a container, wait for it"},
    {"exec", cmd_exec, "run a new process in a running container"},
    {"state", cmd_state, "print the state of a container"},
    {"list", cmd_list, "list containers"},
    {"kill", cmd_kill, "send a signal to the container's init process"},
    {"delete", cmd_delete, "delete a container and everything it holds"},
    {"spec", cmd_spec, "write a new config.json"},
    {"features", cmd_features, "print what this runtime supports (JSON)"},
    {"update", cmd_update, "update the resource limits of a container"},
    {"pause", cmd_pause, "freeze every process of a container"},
    {"resume", cmd_resume, "thaw a paused container"},
    {"events", cmd_events, "print container events and resource statistics"},
    {"ps", cmd_ps, "list the processes of a container"},
    {"explain", cmd_explain, "print, without running anything, what create would do"},
    {"check", cmd_check, "check a bundle's config.json against the spec and this host"},
    {"init", cmd_init, "(internal) not a user command"},
};

static const struct cli_opt global_opts[] = {
    {"root", 0, true, "state directory (default /run/hull)", "DIR"},
    {"log", 0, true, "log file for errors and warnings (default stderr)", "FILE"},
    {"log-format", 0, true, "log format: text or json", "FORMAT"},
    {"debug", 0, false, "log debug messages", NULL},
    {"systemd-cgroup", 0, false, "use systemd to manage cgroups (cgroupsPath slice:prefix:name)",
     NULL},
    {"criu", 0, true, "path of the criu binary", "PATH"},
    {"rootless", 0, true, "rootless mode: true, false or auto", "VALUE"},
    {"trace", 0, true, "write a timeline of every launch step to FILE (also HULL_TRACE)", "FILE"},
    {"trace-format", 0, true, "trace format: json (JSON lines) or chrome (trace-event JSON)",
     "FORMAT"},
    {"version", 'v', false, "print the version", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum {
        G_ROOT,
        G_LOG,
        G_LOG_FORMAT,
        G_DEBUG,
        G_SYSTEMD,
        G_CRIU,
        G_ROOTLESS,
        G_TRACE,
        G_TRACE_FORMAT,
        G_VERSION,
        G_HELP
};

static void print_version(void)
{
        printf("hull version %s\ncommit: %s\nspec: %s\n", HULL_VERSION, HULL_COMMIT,
               HULL_SPEC_VERSION);
}

static void print_help(void)
{
        printf("hull - an OCI container runtime\n\n"
               "Usage: hull [global options] COMMAND [command options] [arguments...]\n\n"
               "Commands:\n");
        for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
                if (commands[i].fn != cmd_init)
                        printf("   %-10s %s\n", commands[i].name, commands[i].help);
        printf("\nGlobal options:\n");
        for (const struct cli_opt *o = global_opts; o->name; o++)
                printf("   --%s%s%s%-*s %s\n", o->name, o->metavar ? " " : "",
                       o->metavar ? o->metavar : "",
                       (int)(22 - strlen(o->name) - (o->metavar ? strlen(o->metavar) + 1 : 0)), "",
                       o->help);
        printf("\nRun 'hull COMMAND --help' for the options of a command.\n");
}

/* --trace FILE, else HULL_TRACE; --trace-format, else HULL_TRACE_FORMAT. */
static int start_trace(const struct cli_val *gv, const char *cmd, uint64_t t0)
{
        const char *file = gv[G_TRACE].str ? gv[G_TRACE].str : getenv("HULL_TRACE");
        if (!file || !*file)
                return 0;
        const char *fmt =
            gv[G_TRACE_FORMAT].str ? gv[G_TRACE_FORMAT].str : getenv("HULL_TRACE_FORMAT");
        return trace_open(file, fmt, cmd, t0);
}

int main(int argc, char **argv)
{
        uint64_t t0 = trace_clock(); /* the whole command is one trace event */
        exe_guard_init();            /* non-dumpable, hull's own inode (CVE-2019-5736) */
        struct cli_val gv[sizeof(global_opts) / sizeof(global_opts[0])] = {0};
        int idx = 1;
        if (cli_parse(global_opts, gv, argc, argv, &idx) < 0) {
                fprintf(stderr, "hull: %s\n", herr_msg());
                return 1;
        }
        struct hull_global g = {
            .root = gv[G_ROOT].set ? gv[G_ROOT].str : "/run/hull",
            .log_path = gv[G_LOG].str,
            .debug = gv[G_DEBUG].flag,
            .systemd_cgroup = gv[G_SYSTEMD].flag,
            .criu = gv[G_CRIU].str,
            .rootless = gv[G_ROOTLESS].str,
        };
        const char *fmt = gv[G_LOG_FORMAT].str;
        if (fmt && strcmp(fmt, "json") != 0 && strcmp(fmt, "text") != 0) {
                fprintf(stderr, "hull: --log-format: unknown format %s (want text or json)\n", fmt);
                return 1;
        }
        g.log_json = fmt && !strcmp(fmt, "json");
        int rc;
        if (gv[G_VERSION].flag) {
                print_version();
                rc = 0;
        } else if (gv[G_HELP].flag || idx >= argc) {
                print_help();
                rc = 0;
        } else if (log_init(g.log_path, g.log_json, g.debug) < 0) {
                fprintf(stderr, "hull: %s\n", herr_msg());
                rc = 1;
        } else if (start_trace(gv, argv[idx], t0) < 0) {
                log_error("%s", herr_msg());
                rc = 1;
        } else {
                const char *name = argv[idx];
                rc = -1;
                for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
                        if (!strcmp(commands[i].name, name)) {
                                rc = commands[i].fn(&g, argc - idx, argv + idx);
                                break;
                        }
                }
                if (rc == -1) {
                        log_error("No help topic for '%s'", name);
                        rc = 3;
                }
        }
        trace_close(rc);
        cli_free(global_opts, gv);
        log_close();
        return rc;
}
