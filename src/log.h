/* log.h - what hull tells the user and its client.
 *
 * Errors go to stderr as "hull: <message>" and, with --log FILE, to that
 * file: as text, or with --log-format json as runc-style records
 * {"level":"error","msg":"...","time":"2026-01-02T03:04:05Z"} that
 * containerd, CRI-O and podman read back.
 */
#ifndef HULL_LOG_H
#define HULL_LOG_H

#include <stdbool.h>

enum log_level { LOG_LVL_DEBUG, LOG_LVL_INFO, LOG_LVL_WARN, LOG_LVL_ERROR };

/* path may be NULL (stderr only); json selects the record format. */
int log_init(const char *path, bool json, bool debug);
void log_close(void);
bool log_debug_enabled(void);

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define log_debug(...) log_msg(LOG_LVL_DEBUG, __VA_ARGS__)
#define log_warn(...)  log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_LVL_ERROR, __VA_ARGS__)

/* Report the current error (error.h) and return exit status 1. */
int log_fail(void);

/* The log file's fd, or -1; the container init keeps it to report errors. */
int log_fd(void);

#endif
