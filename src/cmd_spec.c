/* cmd_spec.c - `spec`: write the default config.json, as runc does. */
#include "cli.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"
#include "spec_default.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const struct cli_opt spec_opts[] = {
    {"bundle", 'b', true, "directory to write config.json into", "DIR"},
    {"rootless", 0, false, "a config for a container run by an unprivileged user", NULL},
    {"help", 'h', false, "show help", NULL},
    {NULL, 0, false, NULL, NULL},
};

int cmd_spec(const struct hull_global *g, int argc, char **argv)
{
        (void)g;
        struct cli_val v[4] = {0};
        int idx = 1, rc = 0;
        if (cli_parse(spec_opts, v, argc, argv, &idx) < 0) {
                rc = log_fail();
                goto out;
        }
        if (v[2].flag) {
                cli_print_help("spec", "[command options]",
                               "Write a config.json for a new bundle (the same one runc writes).",
                               spec_opts);
                goto out;
        }
        if (idx != argc) {
                herr(0, "\"spec\" requires exactly 0 argument(s)");
                rc = log_fail();
                goto out;
        }
        int dfd = AT_FDCWD;
        if (v[0].str) {
                dfd = open(v[0].str, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                if (dfd < 0) {
                        herr(errno, "spec: bundle %s", v[0].str);
                        rc = log_fail();
                        goto out;
                }
        }
        const char *text = spec_default_json(v[1].flag);
        int fd = openat(dfd, "config.json", O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
                if (errno == EEXIST)
                        herr(0, "File config.json exists. Remove it first");
                else
                        herr(errno, "spec: create config.json");
                rc = log_fail();
        } else {
                size_t len = strlen(text);
                if (write(fd, text, len) != (ssize_t)len) {
                        herr(errno, "spec: write config.json");
                        rc = log_fail();
                }
                close(fd);
        }
        if (dfd >= 0)
                close(dfd);
out:
        cli_free(spec_opts, v);
        return rc;
}
