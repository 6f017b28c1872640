/* test_config.h - the little harness of the config unit tests
 * (test_config.c, test_config_errors.c).
 *
 * JSON in the tests is written with single quotes, which parse() turns into
 * double quotes: "{'ociVersion': '1'}".
 */
#ifndef HULL_TEST_CONFIG_H
#define HULL_TEST_CONFIG_H

#include <stdbool.h>

#include "config.h"

/* One TAP line "ok N - name" or "not ok N - name"; returns cond. */
bool ok(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Single-quoted JSON made double-quoted (malloc'd; aborts without memory). */
char *dq(const char *json);
/* config_parse() of single-quoted JSON, as "test.json". */
int parse(struct hull_config *c, const char *json);

/* The parse must fail with the message want ("...*" matches a prefix). */
void parse_fails(const char *name, const char *json, const char *want);
/* The parse must succeed and config_validate() fail with want / succeed. */
void invalid(const char *name, const char *json, const char *want);
void valid(const char *name, const char *json);

/* test_config_errors.c */
void parse_errors(void);
void validation(void);

#endif
