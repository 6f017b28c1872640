/* cmd_explain.c - `hull explain [--bundle DIR]`: the plan of a create,
 * printed without running anything (explain.h). */
#include "cli.h"
#include "config.h"
#include "error.h"
#include "explain.h"
#include "fsutil.h"
#include "log.h"

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static const struct cli_opt explain_opts[] = {
    {"bundle", 'b', true, "path to the bundle directory (default: current directory)", "DIR"},
    {"no-pivot", 0, false, "explain a create with --no-pivot", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum { O_BUNDLE, O_NOPIVOT, O_HELP, O_N };

int cmd_explain(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[O_N + 1] = {0};
        struct hull_config cfg = {0};
        char *text = NULL;
        size_t len;
        int idx = 1, rc = 1;
        if (cli_parse(explain_opts, v, argc, argv, &idx) < 0)
                goto out;
        if (v[O_HELP].flag) {
                cli_print_help("explain", "[command options]",
                               "Print the plan of `hull create` for a bundle, step by step, "
                               "without running anything.\nThe config is parsed, not checked "
                               "against this host: see `hull check`.",
                               explain_opts);
                rc = 0;
                goto out;
        }
        if (idx != argc) {
                herr(0, "\"explain\" takes no arguments (use --bundle DIR)");
                goto out;
        }
        const char *bundle = v[O_BUNDLE].str ? v[O_BUNDLE].str : ".";
        char path[PATH_MAX];
        snprintf(path, sizeof(path), "%s/config.json", bundle);
        if (read_file_at(AT_FDCWD, path, &text, &len) < 0 ||
            config_parse(&cfg, text, len, path) < 0)
                goto out;
        struct explain e = {
            .out = stdout,
            .cfg = &cfg,
            .bundle = bundle,
            .root = g->root,
            .systemd = g->systemd_cgroup,
            .no_pivot = v[O_NOPIVOT].flag,
        };
        explain_print(&e);
        config_free(&cfg);
        rc = 0;
out:
        if (rc) {
                herr_ctx("explain");
                rc = log_fail();
        }
        free(text);
        cli_free(explain_opts, v);
        return rc;
}
