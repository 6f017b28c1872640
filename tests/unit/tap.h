/* tap.h - the TAP output every unit test program prints: "ok N - name" or
 * "not ok N - name" per check, and the caller ends with
 * printf("%d passed, %d failed\n", n_run - n_failed, n_failed). */
#ifndef HULL_TAP_H
#define HULL_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int n_run, n_failed;

static inline bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline bool ok(bool cond, const char *fmt, ...)
{
        va_list ap;
        printf("%s %d - ", cond ? "ok" : "not ok", ++n_run);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        if (!cond)
                n_failed++;
        fflush(stdout); /* before a fork, so a child does not print it again */
        return cond;
}

#endif
