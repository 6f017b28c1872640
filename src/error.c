/* error.c - the current error (see error.h). */
#include "error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char msg[HERR_MAX];
static int msg_errno;

int herr(int errnum, const char *fmt, ...)
{
        int saved = errno;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        if ((size_t)n >= sizeof(msg))
                n = sizeof(msg) - 1;
        if (errnum != 0)
                snprintf(msg + n, sizeof(msg) - (size_t)n, ": %s", strerror(errnum));
        msg_errno = errnum;
        errno = saved;
        return -1;
}

int herr_ctx(const char *fmt, ...)
{
        int saved = errno;
        char old[HERR_MAX];
        memcpy(old, msg, sizeof(old));
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        /* append ": old" by hand: the result may be cut, on purpose */
        size_t pos = (size_t)n < sizeof(msg) ? (size_t)n : sizeof(msg) - 1;
        if (old[0]) {
                const char *parts[2] = {": ", old};
                for (int i = 0; i < 2; i++) {
                        size_t l = strlen(parts[i]);
                        if (l > sizeof(msg) - 1 - pos)
                                l = sizeof(msg) - 1 - pos;
                        memcpy(msg + pos, parts[i], l);
                        pos += l;
                }
        }
        msg[pos] = '\0';
        errno = saved;
        return -1;
}

void herr_set_raw(int errnum, const char *m)
{
        snprintf(msg, sizeof(msg), "%s", m);
        msg_errno = errnum;
}

const char *herr_msg(void)
{
        return msg[0] ? msg : "unknown error";
}

int herr_errno(void)
{
        return msg_errno;
}

void herr_clear(void)
{
        msg[0] = '\0';
        msg_errno = 0;
}
