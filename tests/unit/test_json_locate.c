/* test_json_locate.c - config paths -> line:column in a JSON text
 * (src/json_locate.c), and the errno names and hints of src/error.c.
 *
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include "error.h"
#include "json_locate.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"

static const char text[] = "{\n"
                           "  \"ociVersion\": \"1.0.0\",\n"
                           "  \"process\": {\"cwd\": \"x\", \"args\": [\"a\", \"b\"]},\n"
                           "  \"mounts\": [\n"
                           "    {\"destination\": \"/proc\"},\n"
                           "    {\"destination\": \"/d\\u00e9v\", \"options\": [1, {\"k\": []}]}\n"
                           "  ],\n"
                           "  \"linux\": {\"sysctl\": {\"net.ipv4.ip_forward\": \"1\"},\n"
                           "    \"dup\": 1, \"dup\": 2}\n"
                           "}\n";

static void at(const char *path, unsigned line, unsigned col, bool exact)
{
        struct json_pos p;
        int r = json_locate(text, sizeof(text) - 1, path, strlen(path), &p);
        if (!ok(r == 0 && p.line == line && p.col == col && p.exact == exact, "%s at %u:%u%s", path,
                line, col, exact ? "" : " (parent)"))
                printf("#   got r=%d %u:%u exact=%d\n", r, p.line, p.col, p.exact);
}

static void path_len(const char *msg, size_t want)
{
        size_t n = json_path_len(msg);
        ok(n == want, "path of \"%s\" is %zu characters (got %zu)", msg, want, n);
}

static void hint(int e, const char *msg, const char *want)
{
        const char *h = herr_hint(e, msg);
        ok(want ? h && strstr(h, want) != NULL : h == NULL, "hint for %s on \"%s\": %s",
           e ? herr_errno_name(e) : "0", msg, h ? h : "(none)");
}

int main(void)
{
        at("ociVersion", 2, 3, true);
        at("process", 3, 3, true);
        at("process.cwd", 3, 15, true);
        at("process.args[1]", 3, 41, true);
        at("process.user.uid", 3, 3, false); /* missing: its parent */
        at("mounts[1].destination", 6, 6, true);
        at("mounts[1].options[1].k", 6, 50, true);
        at("mounts[2]", 4, 3, false);
        at("linux.sysctl[\"net.ipv4.ip_forward\"]", 8, 24, true);
        at("linux.dup", 9, 15, true); /* the last one counts */

        struct json_pos p;
        ok(json_locate("{\"a\": [1, 2", 11, "b", 1, &p) < 0 && !p.exact && p.col == 1,
           "a broken text before the field: -1 at 1:1");
        ok(json_locate("{\"a\": [1, ", 10, "a[3]", 4, &p) < 0 && !p.exact && p.col == 2,
           "a broken text inside the path: -1 at the deepest part found");

        path_len("process.args: must not be empty", 12);
        path_len("linux.sysctl[\"net.ipv4.ip_forward\"]: needs a net namespace", 35);
        path_len("mounts[3].options: x", 17);
        path_len("linux.resources.rdma.mlx5_1.hcaHandles: x", 38);
        path_len(": nothing", 0);

        ok(!strcmp(herr_errno_name(EPERM), "EPERM") && !strcmp(herr_errno_name(ENOENT), "ENOENT") &&
               herr_errno_name(4095) == NULL,
           "errno names");
        hint(EPERM, "mounts[0] (/proc): mount proc", "pid namespace");
        hint(ENOENT, "exec: \"nosuch\"", "PATH");
        hint(0, "exec: \"nosuch\": executable file not found in $PATH", "PATH");
        hint(EBUSY, "rmdir /sys/fs/cgroup/x", "delete --force");
        hint(ENOENT, "open /tmp/bundle/config.json", "hull spec");
        hint(EACCES, "bundle /tmp/x", "search");
        hint(EPERM, "container not running", NULL);
        hint(0, "container does not exist", NULL);

        herr(EPERM, "mount %s", "proc");
        herr_ctx("mounts[0] (/proc)");
        ok(!strcmp(herr_msg(), "mounts[0] (/proc): mount proc: operation not permitted"),
           "herr_msg() has no errno name: %s", herr_msg());
        ok(!strcmp(herr_msg_full(), "mounts[0] (/proc): mount proc: operation not permitted "
                                    "(EPERM); hint: a pid namespace is needed for a new proc "
                                    "mount (linux.namespaces: pid)"),
           "herr_msg_full(): %s", herr_msg_full());
        herr(0, "container does not exist");
        ok(!strcmp(herr_msg_full(), "container does not exist"), "no errno, no hint: %s",
           herr_msg_full());

        printf("1..%d\n%d passed, %d failed\n", n_run, n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
