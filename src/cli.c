/* cli.c - runc-style option parsing (see cli.h). */
#include "cli.h"
#include "error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int find_long(const struct cli_opt *opts, const char *name, size_t len)
{
        for (int i = 0; opts[i].name; i++)
                if (strlen(opts[i].name) == len && !strncmp(opts[i].name, name, len))
                        return i;
        return -1;
}

static int find_short(const struct cli_opt *opts, char c)
{
        for (int i = 0; opts[i].name; i++)
                if (opts[i].short_name && opts[i].short_name == c)
                        return i;
        return -1;
}

static int add_value(struct cli_val *v, const char *s)
{
        const char **all = realloc(v->all, sizeof(*all) * (size_t)(v->count + 2));
        if (!all)
                return herr(0, "out of memory");
        all[v->count++] = s;
        all[v->count] = NULL;
        v->all = all;
        v->str = s;
        v->set = true;
        return 0;
}

int cli_parse(const struct cli_opt *opts, struct cli_val *vals, int argc, char **argv, int *idx)
{
        int i = *idx;
        while (i < argc) {
                const char *a = argv[i];
                if (a[0] != '-' || a[1] == '\0')
                        break;
                if (!strcmp(a, "--")) {
                        i++;
                        break;
                }
                const char *name = a + 1 + (a[1] == '-');
                const char *eq = strchr(name, '=');
                size_t len = eq ? (size_t)(eq - name) : strlen(name);
                int o = find_long(opts, name, len);
                if (o < 0 && len == 1)
                        o = find_short(opts, name[0]);
                if (o < 0)
                        return herr(0, "flag provided but not defined: -%.*s", (int)len, name);
                struct cli_val *v = &vals[o];
                if (opts[o].has_arg) {
                        const char *val;
                        if (eq)
                                val = eq + 1;
                        else if (i + 1 < argc)
                                val = argv[++i];
                        else
                                return herr(0, "flag needs an argument: -%s", opts[o].name);
                        if (add_value(v, val) < 0)
                                return -1;
                } else {
                        v->set = true;
                        v->flag = true;
                        if (eq) {
                                if (!strcmp(eq + 1, "true") || !strcmp(eq + 1, "1"))
                                        v->flag = true;
                                else if (!strcmp(eq + 1, "false") || !strcmp(eq + 1, "0"))
                                        v->flag = false;
                                else
                                        return herr(0, "invalid boolean value \"%s\" for -%s",
                                                    eq + 1, opts[o].name);
                        }
                }
                i++;
        }
        *idx = i;
        return 0;
}

void cli_free(const struct cli_opt *opts, struct cli_val *vals)
{
        for (int i = 0; opts[i].name; i++) {
                free(vals[i].all);
                vals[i].all = NULL;
        }
}

void cli_print_help(const char *cmd, const char *usage, const char *desc,
                    const struct cli_opt *opts)
{
        printf("Usage: hull %s %s\n\n%s\n", cmd, usage, desc);
        if (!opts || !opts[0].name)
                return;
        printf("\nOptions:\n");
        for (const struct cli_opt *o = opts; o->name; o++) {
                char left[64];
                snprintf(left, sizeof(left), "--%s%s%s%s%c", o->name, o->metavar ? " " : "",
                         o->metavar ? o->metavar : "", o->short_name ? ", -" : "",
                         o->short_name ? o->short_name : ' ');
                printf("   %-28s %s\n", left, o->help ? o->help : "");
        }
}
