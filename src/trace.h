/* trace.h - `--trace FILE` / HULL_TRACE=FILE: one event per launch step.
 *
 * Each traced step writes one JSON line when it ends: monotonic start
 * time and duration (ns), pid, which process ("parent", "init", "exec"),
 * the step name (the function's name, as in `hull explain` and
 * docs/ARCHITECTURE.md), its object (mount target, cgroup path, hook...)
 * and the result.  The parent and the container's init write to the same
 * file descriptor, one write(2) per event, so lines never interleave.
 * With --trace-format chrome the lines go to a memfd and the command that
 * opened the trace rewrites them at exit as Chrome/Perfetto trace-event
 * JSON, parent and init as two tracks.
 *
 * Off (the default), a traced step costs one test of `trace_on`:
 *
 *     if (TRACE("cgroup_prepare", path, cgroup_prepare(&cg, &opts)) < 0)
 *             goto fail;
 */
#ifndef HULL_TRACE_H
#define HULL_TRACE_H

#include <stdbool.h>
#include <stdint.h>

extern bool trace_on;

/* CLOCK_MONOTONIC in ns. */
uint64_t trace_clock(void);

/* main(): open FILE (format "json" or "chrome") for command CMD; t0 is when
 * main() began.  Returns -1 with herr set. */
int trace_open(const char *file, const char *format, const char *cmd, uint64_t t0);
/* main(), last: the command's own event, then (chrome) the file. */
void trace_close(int rc);
/* In a child: which process this is from now on ("init", "exec"), and the
 * name of its own span, from now until trace_detach(). */
void trace_set_role(const char *role, const char *root_step);
/* In a child about to execve or _exit: its span, then no more events. */
void trace_detach(void);

/* Start of a step: the time, or 0 when off. */
static inline uint64_t trace_begin(void)
{
        extern uint64_t trace_begin_(void);
        return trace_on ? trace_begin_() : 0;
}

/* End of a step begun at t0 with result rc (< 0: failed, herr holds why).
 * Returns rc. */
void trace_end_(const char *step, const char *object, uint64_t t0, int rc);
static inline int trace_end(const char *step, const char *object, uint64_t t0, int rc)
{
        if (trace_on)
                trace_end_(step, object, t0, rc);
        return rc;
}
/* The same with a formatted object (formatted only when on). */
void trace_endf(const char *step, uint64_t t0, int rc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* An instant event (duration 0), e.g. just before execve. */
void trace_mark(const char *step, const char *object);

/* TRACE(step, object, call): run the int-returning call as one step. */
#define TRACE(step, object, call)                                                                  \
        __extension__({                                                                            \
                uint64_t trace_t0_ = trace_begin();                                                \
                int trace_rc_ = (call);                                                            \
                trace_end((step), (object), trace_t0_, trace_rc_);                                 \
        })

#endif
