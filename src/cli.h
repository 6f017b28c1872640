/* cli.h - global options and runc-style option parsing for commands. */
#ifndef HULL_CLI_H
#define HULL_CLI_H

#include <stdbool.h>

struct hull_global {
        const char *root;     /* --root, default /run/hull */
        const char *log_path; /* --log */
        bool log_json;        /* --log-format json */
        bool debug;           /* --debug */
        bool systemd_cgroup;  /* --systemd-cgroup */
        const char *criu;     /* --criu */
        const char *rootless; /* --rootless true|false|auto */
};

/* An option of a command, runc (urfave/cli) style: "--name value",
 * "--name=value", "-name value", "-n value"; booleans take no value but
 * accept "--name=true|false".  Parsing stops at the first argument that is
 * not an option, or after "--". */
struct cli_opt {
        const char *name; /* long name, without dashes */
        char short_name;  /* 0 if none */
        bool has_arg;
        const char *help;
        const char *metavar;
};

struct cli_val {
        bool set;
        const char *str;  /* for has_arg options (last one given) */
        bool flag;        /* for booleans */
        const char **all; /* every value, for repeatable options (NULL-terminated) */
        int count;
};

/* Parse argv[*idx..]; vals[i] corresponds to opts[i] (terminated by a
 * {NULL} entry).  On success *idx points at the first positional arg.
 * Returns -1 with an error set (unknown option, missing value). */
int cli_parse(const struct cli_opt *opts, struct cli_val *vals, int argc, char **argv, int *idx);
void cli_free(const struct cli_opt *opts, struct cli_val *vals);

/* Print "Usage: hull CMD ..." and the option list. */
void cli_print_help(const char *cmd, const char *usage, const char *desc,
                    const struct cli_opt *opts);

/* A command: argv[0] is the command name. Returns the exit status. */
typedef int (*cmd_fn)(const struct hull_global *g, int argc, char **argv);

/* Each cmd_*.c defines its commands; main.c lists them. */
int cmd_spec(const struct hull_global *g, int argc, char **argv);
int cmd_create(const struct hull_global *g, int argc, char **argv);
int cmd_start(const struct hull_global *g, int argc, char **argv);
int cmd_run(const struct hull_global *g, int argc, char **argv);
int cmd_state(const struct hull_global *g, int argc, char **argv);
int cmd_list(const struct hull_global *g, int argc, char **argv);
int cmd_kill(const struct hull_global *g, int argc, char **argv);
int cmd_delete(const struct hull_global *g, int argc, char **argv);
int cmd_features(const struct hull_global *g, int argc, char **argv);
int cmd_exec(const struct hull_global *g, int argc, char **argv);
int cmd_init(const struct hull_global *g, int argc, char **argv);
/* cgroup commands (cmd_cgroup.c) */
int cmd_update(const struct hull_global *g, int argc, char **argv);
int cmd_pause(const struct hull_global *g, int argc, char **argv);
int cmd_resume(const struct hull_global *g, int argc, char **argv);
int cmd_events(const struct hull_global *g, int argc, char **argv);
int cmd_ps(const struct hull_global *g, int argc, char **argv);
int cmd_explain(const struct hull_global *g, int argc, char **argv);
int cmd_check(const struct hull_global *g, int argc, char **argv);

#endif
