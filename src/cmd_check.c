/* cmd_check.c - `hull check [--bundle DIR]`: every problem of a bundle,
 * without making anything (check.h).  Exit 0 when there are none or only
 * warnings, 1 when create would fail. */
#include "check.h"
#include "cli.h"
#include "error.h"
#include "log.h"

#include <stdio.h>

static const struct cli_opt check_opts[] = {
    {"bundle", 'b', true, "path to the bundle directory (default: current directory)", "DIR"},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};
enum { O_BUNDLE, O_HELP, O_N };

int cmd_check(const struct hull_global *g, int argc, char **argv)
{
        struct cli_val v[O_N + 1] = {0};
        int idx = 1, rc;
        if (cli_parse(check_opts, v, argc, argv, &idx) < 0) {
                rc = log_fail();
                goto out;
        }
        if (v[O_HELP].flag) {
                cli_print_help(
                    "check", "[command options]",
                    "Check a bundle's config.json against the OCI runtime spec and "
                    "this host.\nPrints every problem as FILE:LINE:COLUMN: error|warning: "
                    "JSON-PATH: explanation.\nExit status 1 when there are errors, 0 "
                    "with warnings only.",
                    check_opts);
                rc = 0;
                goto out;
        }
        if (idx != argc) {
                herr(0, "\"check\" takes no arguments (use --bundle DIR)");
                rc = log_fail();
                goto out;
        }
        struct check_opts o = {
            .bundle = v[O_BUNDLE].str ? v[O_BUNDLE].str : ".",
            .systemd = g->systemd_cgroup,
            .criu = g->criu,
        };
        struct check_result res;
        /* The parser's warnings are findings here: check catches them from
         * stderr, so they must not go to a --log file meanwhile. */
        log_close();
        int r = check_bundle(&o, stdout, &res);
        fflush(stdout);
        if (log_init(g->log_path, g->log_json, g->debug) < 0 || r < 0) {
                herr_ctx("check");
                rc = log_fail();
                goto out;
        }
        rc = res.errors ? 1 : 0;
out:
        cli_free(check_opts, v);
        return rc;
}
