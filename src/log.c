/* log.c - stderr and --log output (see log.h). */
#include "log.h"
#include "error.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int lfd = -1;
static bool ljson;
static bool ldebug;

int log_init(const char *path, bool json, bool debug)
{
        ljson = json;
        ldebug = debug;
        if (path && path[0]) {
                lfd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
                if (lfd < 0)
                        return herr(errno, "open log file %s", path);
        }
        return 0;
}

void log_close(void)
{
        if (lfd >= 0)
                close(lfd);
        lfd = -1;
}

bool log_debug_enabled(void)
{
        return ldebug;
}

int log_fd(void)
{
        return lfd;
}

static const char *level_name(enum log_level l)
{
        switch (l) {
        case LOG_LVL_DEBUG:
                return "debug";
        case LOG_LVL_INFO:
                return "info";
        case LOG_LVL_WARN:
                return "warning";
        default:
                return "error";
        }
}

/* JSON string escaping into out (always NUL-terminated). */
static size_t json_escape(char *out, size_t cap, const char *s)
{
        size_t o = 0;
        for (; *s && o + 7 < cap; s++) {
                unsigned char c = (unsigned char)*s;
                if (c == '"' || c == '\\') {
                        out[o++] = '\\';
                        out[o++] = (char)c;
                } else if (c == '\n') {
                        out[o++] = '\\';
                        out[o++] = 'n';
                } else if (c == '\t') {
                        out[o++] = '\\';
                        out[o++] = 't';
                } else if (c < 0x20) {
                        o += (size_t)snprintf(out + o, cap - o, "\\u%04x", c);
                } else {
                        out[o++] = (char)c;
                }
        }
        out[o] = '\0';
        return o;
}

void log_msg(enum log_level lvl, const char *fmt, ...)
{
        if (lvl == LOG_LVL_DEBUG && !ldebug)
                return;
        int saved = errno;
        char text[HERR_MAX + 256];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(text, sizeof(text), fmt, ap);
        va_end(ap);

        /* Without a log file everything goes to stderr; with one, only
         * errors are also shown on stderr (as runc does). */
        if (lfd < 0 || lvl == LOG_LVL_ERROR) {
                if (lvl == LOG_LVL_ERROR)
                        dprintf(STDERR_FILENO, "hull: %s\n", text);
                else
                        dprintf(STDERR_FILENO, "hull: %s: %s\n", level_name(lvl), text);
        }
        if (lfd >= 0) {
                char ts[64];
                struct timespec now;
                struct tm tm;
                clock_gettime(CLOCK_REALTIME, &now);
                gmtime_r(&now.tv_sec, &tm);
                strftime(ts, sizeof(ts), "%Y-%m-%dT%H:%M:%SZ", &tm);
                char line[sizeof(text) * 2 + 128];
                int n;
                if (ljson) {
                        char esc[sizeof(text) * 2];
                        json_escape(esc, sizeof(esc), text);
                        n = snprintf(line, sizeof(line),
                                     "{\"level\":\"%s\",\"msg\":\"%s\",\"time\":\"%s\"}\n",
                                     level_name(lvl), esc, ts);
                } else {
                        n = snprintf(line, sizeof(line), "time=\"%s\" level=%s msg=\"%s\"\n", ts,
                                     level_name(lvl), text);
                }
                if (n > 0) {
                        if ((size_t)n > sizeof(line) - 1)
                                n = sizeof(line) - 1;
                        ssize_t w = write(lfd, line, (size_t)n);
                        (void)w;
                }
        }
        errno = saved;
}

int log_fail(void)
{
        log_error("%s", herr_msg_full());
        return 1;
}
