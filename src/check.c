/* check.c - `hull check` of config.json: syntax, spec, what hull can honour
 * (see check.h).
 *
 * The parser (config_parse) stops at the first bad field.  To show every
 * one, check parses again without it: the bad field (or, when a required
 * field is missing, the object that lacks it) is deleted from a jansson
 * copy of the config, which is printed back to text and parsed again, up
 * to MAX_ROUNDS times.  Paths in later messages are then those of the
 * edited copy: deleting mounts[1] makes the old mounts[2] mounts[1], so
 * every path is translated back to the file's (struct check_edits), and a
 * problem inside or above something deleted (a consequence of the edit)
 * is not reported.  Line:column come from json_locate() on the original
 * text.
 */
#include "check.h"
#include "error.h"
#include "fsutil.h"
#include "json_locate.h"
#include "log.h"
#include "security.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define MAX_ROUNDS 64
#define PATH_LEN   512

/* ---- edits of the config copy, and paths back to the file's ---- */

struct edit {
        char path[PATH_LEN]; /* what was deleted, in the file's paths */
        bool is_index;
        size_t index;         /* in the file's array */
        char array[PATH_LEN]; /* that array's path, in the file's paths */
};

struct check_edits {
        struct edit e[MAX_ROUNDS];
        size_t n;
        char **seen; /* problems printed, to print each once */
        size_t n_seen;
};

static bool deleted(const struct check_edits *ed, const char *array, size_t i)
{
        for (size_t k = 0; k < ed->n; k++)
                if (ed->e[k].is_index && ed->e[k].index == i && !strcmp(ed->e[k].array, array))
                        return true;
        return false;
}

static void append(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *out, size_t cap, const char *fmt, ...)
{
        size_t n = strlen(out);
        if (n + 1 >= cap)
                return;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(out + n, cap - n, fmt, ap);
        va_end(ap);
}

/* path[0..len) of the edited copy -> the file's path (out). */
static void translate(const struct check_edits *ed, const char *path, size_t len, char *out,
                      size_t cap)
{
        const char *p = path, *end = path + len;
        struct json_path_comp comp;
        bool first = true;
        out[0] = '\0';
        while (json_path_next(&p, end, first, &comp) > 0) {
                if (comp.is_index) {
                        size_t orig = 0, seen = 0;
                        for (;; orig++)
                                if (!deleted(ed, out, orig) && seen++ == comp.index)
                                        break;
                        append(out, cap, "[%zu]", orig);
                } else if (comp.quoted) {
                        append(out, cap, "[\"%.*s\"]", (int)comp.key_len, comp.key);
                } else {
                        append(out, cap, "%s%.*s", first ? "" : ".", (int)comp.key_len, comp.key);
                }
                first = false;
        }
}

/* a is b, or a part of it, or b a part of a. */
static bool related(const char *a, const char *b)
{
        size_t la = strlen(a), lb = strlen(b), l = la < lb ? la : lb;
        if (strncmp(a, b, l) != 0)
                return false;
        char next = la < lb ? b[l] : a[l];
        return next == '\0' || next == '.' || next == '[';
}

static bool after_edit(const struct check_edits *ed, const char *orig_path)
{
        for (size_t k = 0; k < ed->n; k++)
                if (related(ed->e[k].path, orig_path))
                        return true;
        return false;
}

/* A message of the edited copy, its path made the file's.  NULL when it
 * is about something an edit removed. */
static const char *file_message(const struct check_edits *ed, const char *msg, char *out,
                                size_t cap)
{
        size_t plen = json_path_len(msg);
        char path[PATH_LEN];
        translate(ed, msg, plen, path, sizeof(path));
        if (plen && after_edit(ed, path))
                return NULL;
        snprintf(out, cap, "%s%s", path, msg + plen);
        return out;
}

/* A value of the type a parse error wants ("...: expected a string, got
 * an integer"), or NULL. */
static json_t *placeholder(const char *msg_after_path)
{
        static const char tag[] = ": expected ";
        if (strncmp(msg_after_path, tag, sizeof(tag) - 1) != 0)
                return NULL;
        const char *want = msg_after_path + sizeof(tag) - 1;
        if (!strncmp(want, "a string", 8))
                return json_string("");
        if (!strncmp(want, "an object", 9))
                return json_object();
        if (!strncmp(want, "an array", 8))
                return json_array();
        if (!strncmp(want, "a boolean", 9))
                return json_false();
        if (!strncmp(want, "an unsigned", 11) || !strncmp(want, "an integer", 10) ||
            !strncmp(want, "a signed", 8))
                return json_integer(0);
        return NULL;
}

/* Take the bad field of msg out of the copy: a field of the wrong type is
 * replaced by an empty one of the right type (so a required field stays),
 * anything else deleted; a missing required field takes its object (the
 * deepest part of the path that exists) with it.  Recorded in ed.  -1
 * when nothing below the top can be edited. */
static int edit_field(struct check_edits *ed, json_t *top, const char *msg)
{
        size_t len = json_path_len(msg);
        const char *path = msg, *p = path, *end = path + len;
        struct json_path_comp comp, last = {0};
        json_t *node = top, *parent = NULL;
        const char *last_end = path;
        bool first = true, whole = true;
        int r;
        while ((r = json_path_next(&p, end, first, &comp)) > 0) {
                json_t *child = NULL;
                if (comp.is_index && json_is_array(node))
                        child = json_array_get(node, comp.index);
                else if (!comp.is_index && json_is_object(node)) {
                        char key[PATH_LEN];
                        snprintf(key, sizeof(key), "%.*s", (int)comp.key_len, comp.key);
                        child = json_object_get(node, key);
                }
                if (!child) {
                        whole = false;
                        break;
                }
                parent = node;
                node = child;
                last = comp;
                last_end = p;
                first = false;
        }
        if (!parent || ed->n >= MAX_ROUNDS)
                return -1;
        struct edit *e = &ed->e[ed->n];
        translate(ed, path, (size_t)(last_end - path), e->path, sizeof(e->path));
        json_t *value = whole && !after_edit(ed, e->path) ? placeholder(end) : NULL;
        char key[PATH_LEN];
        snprintf(key, sizeof(key), "%.*s", (int)last.key_len, last.key);
        e->is_index = last.is_index && !value;
        if (value && last.is_index) {
                json_array_set_new(parent, last.index, value);
        } else if (value) {
                json_object_set_new(parent, key, value);
        } else if (last.is_index) {
                char *br = strrchr(e->path, '[');
                size_t alen = (size_t)(br - e->path);
                memcpy(e->array, e->path, alen);
                e->array[alen] = '\0';
                e->index = strtoul(br + 1, NULL, 10);
                json_array_remove(parent, last.index);
        } else {
                json_object_del(parent, key);
        }
        ed->n++;
        return 0;
}

/* ---- reporting ---- */

/* Was msg printed already (a parse warning, seen in every round)? */
static bool seen_before(struct check_edits *ed, const char *msg)
{
        for (size_t i = 0; i < ed->n_seen; i++)
                if (!strcmp(ed->seen[i], msg))
                        return true;
        char **more = realloc(ed->seen, (ed->n_seen + 1) * sizeof(*more));
        char *copy = strdup(msg);
        if (more)
                ed->seen = more;
        if (more && copy)
                ed->seen[ed->n_seen++] = copy;
        else
                free(copy);
        return false;
}

/* One problem whose path is the file's. */
static void emit(struct check_ctx *c, enum check_level lvl, const char *msg)
{
        if (seen_before(c->ed, msg))
                return;
        size_t plen = json_path_len(msg);
        const char *level = lvl == CHECK_ERROR ? "error" : "warning";
        if (lvl == CHECK_ERROR)
                c->res->errors++;
        else
                c->res->warnings++;
        if (plen == 0) {
                fprintf(c->out, "%s: %s: %s\n", c->file, level, msg);
                return;
        }
        struct json_pos pos;
        json_locate(c->text, c->len, msg, plen, &pos);
        fprintf(c->out, "%s:%u:%u: %s: %s\n", c->file, pos.line, pos.col, level, msg);
}

void check_report(struct check_ctx *c, enum check_level lvl, const char *msg)
{
        char out[HERR_MAX];
        if ((msg = file_message(c->ed, msg, out, sizeof(out))))
                emit(c, lvl, msg);
}

void check_reportf(struct check_ctx *c, enum check_level lvl, const char *fmt, ...)
{
        char msg[HERR_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        check_report(c, lvl, msg);
}

/* ---- the parser's warnings (log_warn to stderr), caught ---- */

struct catch
{
        int mfd, saved;
};

static void catch_begin(struct catch *k)
{
        fflush(stderr);
        k->mfd = memfd_create("hull-check", MFD_CLOEXEC);
        k->saved = k->mfd >= 0 ? dup(STDERR_FILENO) : -1;
        if (k->saved >= 0 && dup2(k->mfd, STDERR_FILENO) < 0) {
                close(k->saved);
                k->saved = -1;
        }
}

/* Report each "hull: warning: MSG" line caught. */
static void catch_end(struct catch *k, struct check_ctx *c)
{
        if (k->saved < 0) {
                if (k->mfd >= 0)
                        close(k->mfd);
                return;
        }
        dup2(k->saved, STDERR_FILENO);
        close(k->saved);
        off_t size = lseek(k->mfd, 0, SEEK_END);
        char *buf = size > 0 ? malloc((size_t)size + 1) : NULL;
        if (buf && pread(k->mfd, buf, (size_t)size, 0) == size) {
                buf[size] = '\0';
                static const char tag[] = "hull: warning: ";
                for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l;
                     l = strtok_r(NULL, "\n", &save)) {
                        if (strncmp(l, tag, sizeof(tag) - 1) != 0)
                                fprintf(stderr, "%s\n", l); /* not ours: pass it on */
                        else
                                check_report(c, CHECK_WARNING, l + sizeof(tag) - 1);
                }
        }
        free(buf);
        close(k->mfd);
}

/* ---- the parse, again and again ---- */

struct validate_ctx {
        struct check_ctx *c;
        bool seccomp; /* a problem of linux.seccomp was reported */
};

static void on_problem(void *data, int errnum, const char *msg)
{
        struct validate_ctx *v = data;
        (void)errnum;
        v->seccomp = v->seccomp || !strncmp(msg, "linux.seccomp", 13);
        check_report(v->c, CHECK_ERROR, msg);
}

/* Parse (repeatedly, see above) into cfg: 0 when a config came out, -1 when
 * the parse could not get past a problem. */
static int parse_all(struct check_ctx *c, struct check_edits *ed, struct hull_config *cfg)
{
        json_error_t je;
        json_t *copy = json_loadb(c->text, c->len, 0, &je);
        const char *text = c->text;
        size_t len = c->len;
        char *owned = NULL;
        int rc = -1;
        for (int round = 0; round < MAX_ROUNDS; round++) {
                struct catch k;
                catch_begin(&k);
                int r = config_parse(cfg, text, len, c->file);
                char msg[HERR_MAX], out[HERR_MAX];
                snprintf(msg, sizeof(msg), "%s", herr_msg());
                catch_end(&k, c);
                if (r == 0) {
                        rc = 0;
                        break;
                }
                if (!copy && round == 0 && strstr(msg, ": invalid JSON at line ")) {
                        fprintf(c->out, "%s:%d:%d: error: invalid JSON: %s\n", c->file, je.line,
                                je.column, je.text);
                        c->res->errors++;
                        break;
                }
                /* NULL: a consequence of an edit (a required field deleted):
                 * not reported, but its object goes too, to get further */
                const char *m = file_message(ed, msg, out, sizeof(out));
                if (m)
                        emit(c, CHECK_ERROR, m);
                /* no copy: integers above INT64_MAX, which only the parser reads */
                if (!copy || edit_field(ed, copy, msg) < 0)
                        break;
                free(owned);
                owned = json_dumps(copy, JSON_COMPACT);
                if (!owned)
                        break;
                text = owned;
                len = strlen(owned);
        }
        free(owned);
        json_decref(copy);
        return rc;
}

static const char *display_name(const char *bundle, char *buf, size_t cap)
{
        if (!strcmp(bundle, "."))
                return "config.json";
        size_t n = strlen(bundle);
        snprintf(buf, cap, "%s%sconfig.json", bundle, n && bundle[n - 1] == '/' ? "" : "/");
        return buf;
}

int check_bundle(const struct check_opts *o, FILE *out, struct check_result *res)
{
        char name[PATH_MAX + 16], path[PATH_MAX + 16];
        char *text = NULL;
        size_t len = 0;
        const char *bundle = o->bundle && o->bundle[0] ? o->bundle : ".";
        struct check_ctx c = {.o = o, .out = out, .res = res};
        memset(res, 0, sizeof(*res));
        c.file = display_name(bundle, name, sizeof(name));
        snprintf(path, sizeof(path), "%s/config.json", bundle);
        if (!realpath(bundle, c.bundle_abs))
                return herr(errno, "bundle %s", bundle);
        if (read_file_at(AT_FDCWD, path, &text, &len) < 0)
                return -1;
        c.text = text;
        c.len = len;

        struct check_edits *ed = calloc(1, sizeof(*ed));
        if (!ed) {
                free(text);
                return herr(ENOMEM, "check");
        }
        c.ed = ed;
        struct hull_config cfg;
        if (parse_all(&c, ed, &cfg) == 0) {
                struct validate_ctx v = {.c = &c};
                config_validate_all(&cfg, on_problem, &v);
                /* the compile checks more (names, architectures, flags), but
                 * says again what config_validate said in other words */
                struct seccomp_prog *prog = NULL;
                if (cfg.linux_.seccomp.present && !v.seccomp &&
                    seccomp_compile(&cfg.linux_.seccomp, &prog) < 0)
                        check_report(&c, CHECK_ERROR, herr_msg());
                seccomp_free(prog);
                check_host(&c, &cfg);
                config_free(&cfg);
        } else {
                fprintf(out,
                        "%s: the checks against this host need a config that parses: "
                        "skipped\n",
                        c.file);
        }
        check_host_summary(&c);
        fprintf(out, "%s: %d error%s, %d warning%s\n", c.file, res->errors,
                res->errors == 1 ? "" : "s", res->warnings, res->warnings == 1 ? "" : "s");
        for (size_t i = 0; i < ed->n_seen; i++)
                free(ed->seen[i]);
        free(ed->seen);
        free(ed);
        free(text);
        return 0;
}
