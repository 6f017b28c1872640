/* state_scan.c - `list`'s view of state.json without a JSON tree (see
 * state_scan.h). */
#include "state_scan.h"
#include "error.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *ws(const char *p, const char *end)
{
        while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
                p++;
        return p;
}

/* p at '"': the end of the string (after the quote), NULL when it has an
 * escape (the caller gives up) or no end.  *s, *n: its contents. */
static const char *plain_string(const char *p, const char *end, const char **s, size_t *n)
{
        const char *q = ++p;
        while (q < end && *q != '"') {
                if (*q == '\\' || (unsigned char)*q < 0x20)
                        return NULL;
                q++;
        }
        if (q >= end)
                return NULL;
        *s = p;
        *n = (size_t)(q - p);
        return q + 1;
}

/* The end of any value at p (strings may have escapes here). */
static const char *skip_value(const char *p, const char *end)
{
        int depth = 0;
        bool in_str = false;
        for (; p < end; p++) {
                char ch = *p;
                if (in_str) {
                        if (ch == '\\')
                                p++;
                        else if (ch == '"') {
                                in_str = false;
                                if (depth == 0)
                                        return p + 1;
                        }
                        continue;
                }
                if (ch == '"') {
                        in_str = true;
                } else if (ch == '{' || ch == '[') {
                        depth++;
                } else if (ch == '}' || ch == ']') {
                        if (depth == 0)
                                return p; /* the end of a scalar in a container */
                        if (--depth == 0)
                                return p + 1;
                } else if (depth == 0 &&
                           (ch == ',' || ch == ' ' || ch == '\n' || ch == '\t' || ch == '\r')) {
                        return p;
                }
        }
        return depth == 0 && !in_str ? p : NULL;
}

static bool key_is(const char *k, size_t n, const char *want)
{
        return strlen(want) == n && memcmp(k, want, n) == 0;
}

int state_scan(char *text, size_t len, struct state_summary *out, const char **saved_status)
{
        const char *end = text + len;
        const char *p = ws(text, end);
        char *terminate[4];
        size_t n_term = 0;
        const char **field[4] = {saved_status, &out->bundle, &out->rootfs, &out->created};
        static const char *const names[4] = {"status", "bundle", "rootfs", "created"};
        *saved_status = NULL;
        out->bundle = out->rootfs = out->created = "";
        out->annotations = NULL;
        out->annotations_len = 0;
        out->pid = 0;
        out->start_time = 0;
        if (p >= end || *p != '{')
                return -1;
        p = ws(p + 1, end);
        if (p < end && *p == '}')
                return 0;
        while (p < end) {
                const char *k;
                size_t kn;
                if (*p != '"' || !(p = plain_string(p, end, &k, &kn)))
                        return -1;
                p = ws(p, end);
                if (p >= end || *p != ':')
                        return -1;
                p = ws(p + 1, end);
                if (p >= end)
                        return -1;
                int which = -1;
                for (int i = 0; i < 4; i++)
                        if (key_is(k, kn, names[i]))
                                which = i;
                if (which >= 0) {
                        const char *s;
                        size_t sn;
                        if (*p != '"' || !(p = plain_string(p, end, &s, &sn)) || n_term == 4)
                                return -1;
                        *field[which] = s;
                        terminate[n_term++] = (char *)s + sn;
                } else if (key_is(k, kn, "pid") || key_is(k, kn, "startTime")) {
                        char *e;
                        errno = 0;
                        unsigned long long v = *p == '-' ? 0 : strtoull(p, &e, 10);
                        if (*p == '-' || e == p || errno)
                                return -1;
                        if (key_is(k, kn, "pid")) {
                                if (v > INT32_MAX)
                                        return -1;
                                out->pid = (pid_t)v;
                        } else {
                                out->start_time = v;
                        }
                        p = e;
                } else {
                        const char *v = p;
                        if (!(p = skip_value(p, end)))
                                return -1;
                        if (key_is(k, kn, "annotations")) {
                                if (*v != '{')
                                        return -1;
                                out->annotations = v;
                                out->annotations_len = (size_t)(p - v);
                        }
                }
                p = ws(p, end);
                if (p < end && *p == ',') {
                        p = ws(p + 1, end);
                        continue;
                }
                if (p < end && *p == '}')
                        break;
                return -1;
        }
        if (p >= end)
                return -1;
        for (size_t i = 0; i < n_term; i++)
                *terminate[i] = '\0'; /* the closing quotes, none inside annotations */
        return 0;
}

static const char *jstr(json_t *o, const char *key)
{
        const char *s = json_string_value(json_object_get(o, key));
        return s ? s : "";
}

int state_summary_read(int root_fd, const char *id, struct state_summary *out)
{
        memset(out, 0, sizeof(*out));
        int dir = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
        if (dir < 0)
                return herr(errno == ENOENT ? 0 : errno, "container does not exist");
        struct stat st;
        size_t len;
        if (fstat(dir, &st) < 0 || read_file_at(dir, "state.json", &out->text, &len) < 0) {
                close(dir);
                return herr(0, "container does not exist");
        }
        out->owner_uid = st.st_uid;
        const char *saved = NULL;
        if (state_scan(out->text, len, out, &saved) < 0) {
                json_error_t je;
                out->json = json_loadb(out->text, len, 0, &je);
                if (!out->json) {
                        close(dir);
                        return herr(0, "load state of container %s: %s", id, je.text);
                }
                out->pid = (pid_t)json_integer_value(json_object_get(out->json, "pid"));
                out->start_time =
                    (uint64_t)json_integer_value(json_object_get(out->json, "startTime"));
                out->bundle = jstr(out->json, "bundle");
                out->rootfs = jstr(out->json, "rootfs");
                out->created = jstr(out->json, "created");
                saved = json_string_value(json_object_get(out->json, "status"));
                json_t *ann = json_object_get(out->json, "annotations");
                out->annotations = NULL;
                if (json_is_object(ann) && json_object_size(ann)) {
                        /* re-serialised for the caller's one code path */
                        char *a = json_dumps(ann, JSON_COMPACT);
                        if (a) {
                                free(out->text);
                                out->text = a;
                                out->annotations = a;
                                out->annotations_len = strlen(a);
                        }
                }
        }
        out->status = container_status_of(dir, out->pid, out->start_time, saved);
        if (out->status == CT_STOPPED)
                out->pid = 0;
        close(dir);
        return 0;
}

void state_summary_free(struct state_summary *s)
{
        free(s->text);
        if (s->json)
                json_decref(s->json);
        memset(s, 0, sizeof(*s));
}
