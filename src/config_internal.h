/* config_internal.h - what config.c and config_linux.c share; no other
 * module includes this.
 *
 * A parse walks the JSON tree keeping the path of the field it is reading
 * ("linux.resources.rdma.mlx5_1.hcaHandles"), so every error names it.
 * The getters read obj.key and return 1 when the field is present (value
 * stored), 0 when it is absent or null (nothing stored; Go clients write
 * null for empty fields), and -1 with the error set when it has the wrong
 * type or range.  cp_v_*() do the same for a value whose path is already
 * pushed (array items, map values).  After an error the path is left as it
 * was when the error was set: the parse stops there.
 */
#ifndef HULL_CONFIG_INTERNAL_H
#define HULL_CONFIG_INTERNAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define CP_PATH_MAX 512

struct cfgp {
        struct hull_config *cfg;
        bool big_ints; /* cp_load() had to rewrite integers above INT64_MAX */
        size_t len;
        char path[CP_PATH_MAX];
};

/* Path building: push returns a mark for pop. */
size_t cp_push(struct cfgp *p, const char *key);
size_t cp_push_index(struct cfgp *p, size_t i);
void cp_pop(struct cfgp *p, size_t mark);

/* Return -1 from the calling parser when a getter fails. */
#define CP_TRY(call)                                                                               \
        do {                                                                                       \
                if ((call) < 0)                                                                    \
                        return -1;                                                                 \
        } while (0)

/* Set the error "<path>: <message>"; returns -1. */
int cp_err(struct cfgp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, for the member key of the current path. */
int cp_err_at(struct cfgp *p, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Zeroed memory for n items from the config's arena; NULL (error set) on
 * overflow or ENOMEM.  n == 0 gives a valid pointer too. */
void *cp_alloc(struct cfgp *p, size_t n, size_t size);

void cp_arena_free(void *arena);

/* Parse JSON text (integers above INT64_MAX too: *big_ints tells, see
 * config_json.c); NULL with the error set ("<file>: invalid JSON at ..."). */
json_t *cp_load(const char *text, size_t len, const char *filename, bool *big_ints);
/* "an object", "a string", ... for messages. */
const char *cp_kind_name(json_t *v);

/* The member, or NULL when absent or null. */
json_t *cp_member(json_t *obj, const char *key);

/* Fails naming the first of the NULL-terminated keys that is absent. */
int cp_require(struct cfgp *p, json_t *obj, const char *const *keys);
#define CP_REQUIRE(p, obj, ...) cp_require(p, obj, (const char *const[]){__VA_ARGS__, NULL})

int cp_v_obj(struct cfgp *p, json_t *v);
int cp_v_str(struct cfgp *p, json_t *v, const char **out);
int cp_v_uint(struct cfgp *p, json_t *v, uint64_t max, uint64_t *out);
int cp_v_int(struct cfgp *p, json_t *v, int64_t min, int64_t max, int64_t *out);

int cp_obj(struct cfgp *p, json_t *obj, const char *key, json_t **out);
int cp_arr(struct cfgp *p, json_t *obj, const char *key, json_t **out);
int cp_str(struct cfgp *p, json_t *obj, const char *key, const char **out);
int cp_bool(struct cfgp *p, json_t *obj, const char *key, bool *out);
int cp_uint(struct cfgp *p, json_t *obj, const char *key, uint64_t max, uint64_t *out);
int cp_int(struct cfgp *p, json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out);
/* Array of strings: NULL-terminated (n + 1 slots) and counted. */
int cp_strv(struct cfgp *p, json_t *obj, const char *key, const char ***out, size_t *n);
/* Object of string values, in file order. */
int cp_kv(struct cfgp *p, json_t *obj, const char *key, struct kv **out, size_t *n);
/* Array of objects: elem_size bytes per item (zeroed), fn fills one.
 * OBJV(p, obj, "mounts", &c->mounts, &c->n_mounts, parse_mount) is the typed form. */
typedef int (*cp_item_fn)(struct cfgp *p, json_t *item, void *elem);
int cp_objv(struct cfgp *p, json_t *obj, const char *key, size_t elem_size, void **out, size_t *n,
            cp_item_fn fn);
#define OBJV(p, obj, key, outp, np, fn)                                                            \
        cp_objv(p, obj, key, sizeof(**(outp)), (void **)(outp), np, fn)
/* Array of {containerID, hostID, size}. */
int cp_idmaps(struct cfgp *p, json_t *obj, const char *key, struct hull_idmap **out, size_t *n);

/* Ranges for cp_uint / cp_int. */
#define CP_U8  UINT8_MAX
#define CP_U16 UINT16_MAX
#define CP_U32 UINT32_MAX
#define CP_U64 UINT64_MAX
#define CP_I32 INT32_MIN, INT32_MAX
#define CP_I64 INT64_MIN, INT64_MAX

/* Light checks of sections hull only type-checks (freebsd, intelRdt,
 * memoryPolicy, netDevices): a table per object, like the JSON schema. */
enum cp_kind {
        CPK_STR,     /* string; .ok (optional) checks its form */
        CPK_BOOL,    /* boolean */
        CPK_STRV,    /* array of strings */
        CPK_UINT,    /* unsigned integer up to .max */
        CPK_ENUM,    /* one of .values */
        CPK_ENUMV,   /* array of .values */
        CPK_OBJ,     /* object with .fields */
        CPK_OBJV,    /* array of objects with .fields */
        CPK_OBJ_MAP, /* object whose every value is an object with .fields */
};

struct cp_field {
        const char *key;
        enum cp_kind kind;
        const char *const *values;     /* CPK_ENUM(V): NULL-terminated */
        const struct cp_field *fields; /* CPK_OBJ*: terminated by a NULL key */
        uint64_t max;                  /* CPK_UINT */
        bool (*ok)(const char *s);     /* CPK_STR */
        const char *form;              /* CPK_STR: what .ok wants, for the message */
};

/* Table rows. */
#define CPF_STR(k)                                                                                 \
        {                                                                                          \
                .key = (k), .kind = CPK_STR                                                        \
        }
#define CPF_FORM(k, okfn, text)                                                                    \
        {                                                                                          \
                .key = (k), .kind = CPK_STR, .ok = (okfn), .form = (text)                          \
        }
#define CPF_BOOL(k)                                                                                \
        {                                                                                          \
                .key = (k), .kind = CPK_BOOL                                                       \
        }
#define CPF_STRV(k)                                                                                \
        {                                                                                          \
                .key = (k), .kind = CPK_STRV                                                       \
        }
#define CPF_UINT(k, m)                                                                             \
        {                                                                                          \
                .key = (k), .kind = CPK_UINT, .max = (m)                                           \
        }
#define CPF_ENUM(k, v)                                                                             \
        {                                                                                          \
                .key = (k), .kind = CPK_ENUM, .values = (v)                                        \
        }
#define CPF_ENUMV(k, v)                                                                            \
        {                                                                                          \
                .key = (k), .kind = CPK_ENUMV, .values = (v)                                       \
        }
#define CPF_OBJ(k, f)                                                                              \
        {                                                                                          \
                .key = (k), .kind = CPK_OBJ, .fields = (f)                                         \
        }
#define CPF_OBJV(k, f)                                                                             \
        {                                                                                          \
                .key = (k), .kind = CPK_OBJV, .fields = (f)                                        \
        }
#define CPF_OBJ_MAP(k, f)                                                                          \
        {                                                                                          \
                .key = (k), .kind = CPK_OBJ_MAP, .fields = (f)                                     \
        }
#define CPF_END                                                                                    \
        {                                                                                          \
                .key = NULL                                                                        \
        }

int cp_check(struct cfgp *p, json_t *obj, const struct cp_field *fields);

/* The sections (config_linux.c). */
int cp_linux(struct cfgp *p, json_t *linux_obj, struct hull_linux *l);

/* The process rules of config_validate() (config_validate.c), also applied
 * to exec's process.json. */
int cp_validate_process(const struct hull_process *pr);

#endif
