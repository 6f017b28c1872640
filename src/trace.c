/* trace.c - the launch timeline behind --trace (see trace.h). */
#include "trace.h"
#include "error.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

bool trace_on;

static struct {
        int fd;           /* where events go: FILE (json) or a memfd (chrome) */
        bool chrome;      /* rewrite as trace-event JSON at trace_close() */
        bool owner;       /* this process opened the trace (not a child) */
        const char *file; /* FILE */
        const char *cmd;  /* "run", "exec"... */
        const char *role; /* "parent", "init", "exec" */
        const char *root; /* a child's own span: "container_init"... */
        uint64_t role_t0; /* when the child began */
        uint64_t t0;      /* when main() began */
        int depth;        /* steps open in this process */
        long pid;         /* as the host sees it */
} tr = {.fd = -1, .role = "parent"};

uint64_t trace_clock(void)
{
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t trace_begin_(void)
{
        tr.depth++;
        return trace_clock();
}

/* The host's pid: a child in a new pid namespace is 1 to getpid(), but
 * /proc is still the host's when it starts. */
static long host_pid(void)
{
        char buf[32];
        ssize_t n = readlink("/proc/self", buf, sizeof(buf) - 1);
        if (n > 0) {
                buf[n] = '\0';
                long p = strtol(buf, NULL, 10);
                if (p > 0)
                        return p;
        }
        return (long)getpid();
}

/* s as a JSON string (quotes and escapes) at out; returns the length. */
static size_t json_str(char *out, size_t cap, const char *s)
{
        size_t o = 0;
        if (cap < 8)
                return 0;
        out[o++] = '"';
        for (; *s && o + 8 < cap; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\') {
                        out[o++] = '\\';
                        out[o++] = (char)c;
                } else if (c < 0x20 || c >= 0x7f) {
                        o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
                } else {
                        out[o++] = (char)c;
                }
        }
        out[o++] = '"';
        out[o] = '\0';
        return o;
}

/* One event, one line, one write(2): formatted by hand, as it runs inside
 * the steps it measures. */
static void emit_line(const char *step, const char *object, uint64_t t0, uint64_t t1, int depth,
                      int rc, bool write_it)
{
        char line[2048], q[2][1024]; /* longer objects are cut */
        json_str(q[0], sizeof(q[0]), step);
        int n = snprintf(line, sizeof(line),
                         "{\"ts\":%llu,\"dur\":%llu,\"pid\":%ld,\"proc\":\"%s\",\"cmd\":\"%s\","
                         "\"step\":%s,\"depth\":%d",
                         (unsigned long long)t0, (unsigned long long)(t1 - t0), tr.pid, tr.role,
                         tr.cmd ? tr.cmd : "", q[0], depth);
        if (object && n > 0 && (size_t)n < sizeof(line)) {
                json_str(q[1], sizeof(q[1]), object);
                n += snprintf(line + n, sizeof(line) - (size_t)n, ",\"object\":%s", q[1]);
        }
        if (n > 0 && (size_t)n < sizeof(line)) {
                if (rc < 0) {
                        const char *en = herr_errno_name(herr_errno());
                        json_str(q[1], sizeof(q[1]), herr_msg());
                        n += snprintf(line + n, sizeof(line) - (size_t)n,
                                      ",\"result\":\"error\",\"error\":%s%s%s%s}\n", q[1],
                                      en ? ",\"errno\":\"" : "", en ? en : "", en ? "\"" : "");
                } else {
                        n += snprintf(line + n, sizeof(line) - (size_t)n, ",\"result\":\"ok\"}\n");
                }
        }
        if (n <= 0 || (size_t)n >= sizeof(line) || !write_it)
                return;
        ssize_t w;
        do
                w = write(tr.fd, line, (size_t)n);
        while (w < 0 && errno == EINTR);
}

static void emit(const char *step, const char *object, uint64_t t0, uint64_t t1, int depth, int rc)
{
        emit_line(step, object, t0, t1, depth, rc, true);
}

void trace_end_(const char *step, const char *object, uint64_t t0, int rc)
{
        int e = errno;
        uint64_t t1 = trace_clock();
        if (tr.depth > 0)
                tr.depth--;
        emit(step, object, t0, t1, tr.depth + 1, rc);
        errno = e;
}

void trace_endf(const char *step, uint64_t t0, int rc, const char *fmt, ...)
{
        if (!trace_on)
                return;
        char obj[PATH_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(obj, sizeof(obj), fmt, ap);
        va_end(ap);
        trace_end_(step, obj, t0, rc);
}

void trace_mark(const char *step, const char *object)
{
        if (!trace_on)
                return;
        int e = errno;
        uint64_t t = trace_clock();
        emit(step, object, t, t, tr.depth + 1, 0);
        errno = e;
}

int trace_open(const char *file, const char *format, const char *cmd, uint64_t t0)
{
        if (!format || !strcmp(format, "json"))
                tr.chrome = false;
        else if (!strcmp(format, "chrome"))
                tr.chrome = true;
        else
                return herr(0, "--trace-format: unknown format %s (want json or chrome)", format);
        if (tr.chrome) {
                tr.fd = memfd_create("hull-trace", MFD_CLOEXEC);
                if (tr.fd >= 0 && fcntl(tr.fd, F_SETFL, O_APPEND) < 0) {
                        close(tr.fd);
                        tr.fd = -1;
                }
        } else {
                tr.fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        }
        if (tr.fd < 0)
                return herr(errno, "--trace: open %s", file);
        tr.file = file;
        tr.cmd = cmd;
        tr.t0 = t0;
        tr.owner = true;
        tr.pid = (long)getpid();
        trace_on = true;
        return 0;
}

void trace_set_role(const char *role, const char *root_step)
{
        if (!trace_on)
                return;
        tr.role = role;
        tr.root = root_step;
        tr.owner = false;
        tr.depth = 0;
        tr.pid = host_pid();
        /* A fresh child pays copy-on-write faults for the pages it first
         * writes: take those of formatting an event now, outside its span,
         * so they are not counted as the cost of its first step. */
        emit_line("warm-up", "warm-up", 0, 0, 0, 0, false);
        tr.role_t0 = trace_clock();
}

void trace_detach(void)
{
        if (!trace_on)
                return;
        if (tr.root)
                emit(tr.root, NULL, tr.role_t0, trace_clock(), 0, 0);
        trace_on = false;
}

/* ---- --trace-format chrome ---- */

/* The events already in FILE (a chrome trace of an earlier command), so one
 * file can hold create, start and delete; anything else starts afresh. */
static json_t *earlier_events(const char *file)
{
        json_error_t err;
        json_t *doc = json_load_file(file, 0, &err);
        json_t *ev = doc ? json_object_get(doc, "traceEvents") : NULL;
        json_t *out = json_is_array(ev) ? json_incref(ev) : json_array();
        json_decref(doc);
        return out;
}

static void chrome_track(json_t *events, long pid, const char *name, int order)
{
        char label[128];
        snprintf(label, sizeof(label), "%s (pid %ld)", name, pid);
        json_array_append_new(events, json_pack("{ss ss sI sI s{ss}}", "name", "process_name", "ph",
                                                "M", "pid", (json_int_t)pid, "tid", (json_int_t)pid,
                                                "args", "name", label));
        json_array_append_new(events, json_pack("{ss ss sI sI s{si}}", "name", "process_sort_index",
                                                "ph", "M", "pid", (json_int_t)pid, "tid",
                                                (json_int_t)pid, "args", "sort_index", order));
}

/* One JSON line -> one complete ("X") event; ts and dur in microseconds. */
static json_t *chrome_event(json_t *line)
{
        json_int_t ts = json_integer_value(json_object_get(line, "ts"));
        json_int_t dur = json_integer_value(json_object_get(line, "dur"));
        json_int_t pid = json_integer_value(json_object_get(line, "pid"));
        json_t *args = json_object();
        const char *keys[] = {"object", "result", "error", "errno", "depth", "cmd"};
        for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
                json_t *v = json_object_get(line, keys[i]);
                if (v)
                        json_object_set(args, keys[i], v);
        }
        return json_pack("{sO ss ss sf sf sI sI so}", "name", json_object_get(line, "step"), "cat",
                         "hull", "ph", dur ? "X" : "i", "ts", (double)ts / 1000.0, "dur",
                         (double)dur / 1000.0, "pid", pid, "tid", pid, "args", args);
}

static void write_chrome(void)
{
        off_t size = lseek(tr.fd, 0, SEEK_END);
        if (size <= 0)
                return;
        char *buf = malloc((size_t)size + 1);
        if (!buf || pread(tr.fd, buf, (size_t)size, 0) != size) {
                free(buf);
                return;
        }
        buf[size] = '\0';
        json_t *events = earlier_events(tr.file);
        long seen[8];
        size_t n_seen = 0;
        for (char *line = buf, *next; line && *line; line = next) {
                next = strchr(line, '\n');
                if (next)
                        *next++ = '\0';
                json_t *o = json_loads(line, 0, NULL);
                if (!o)
                        continue;
                long pid = (long)json_integer_value(json_object_get(o, "pid"));
                bool known = false;
                for (size_t i = 0; i < n_seen; i++)
                        known = known || seen[i] == pid;
                if (!known && n_seen < sizeof(seen) / sizeof(seen[0])) {
                        const char *role = json_string_value(json_object_get(o, "proc"));
                        char name[64];
                        snprintf(name, sizeof(name), "hull %s: %s", tr.cmd, role ? role : "?");
                        chrome_track(events, pid, name, (int)n_seen);
                        seen[n_seen++] = pid;
                }
                json_array_append_new(events, chrome_event(o));
                json_decref(o);
        }
        free(buf);
        json_t *doc = json_pack("{so ss}", "traceEvents", events, "displayTimeUnit", "ms");
        char *text = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
        json_decref(doc);
        if (!text || atomic_write_at(AT_FDCWD, tr.file, text, strlen(text), 0644) < 0)
                fprintf(stderr, "hull: --trace: write %s: %s\n", tr.file,
                        text ? herr_msg() : "out of memory");
        free(text);
}

void trace_close(int rc)
{
        if (!trace_on || !tr.owner)
                return;
        char step[32], status[32];
        snprintf(step, sizeof(step), "hull %s", tr.cmd);
        snprintf(status, sizeof(status), "exit status %d", rc);
        tr.depth = 0;
        emit(step, status, tr.t0, trace_clock(), 0, 0);
        if (tr.chrome)
                write_chrome();
        close(tr.fd);
        tr.fd = -1;
        trace_on = false;
}
