/* config_json.c - reading config.json with its field paths: the arena, the
 * path of the field being read, typed getters, table-driven light checks
 * and the loader (see config_internal.h).
 */
#include "config_internal.h"
#include "error.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arena: a chain of zeroed blocks, freed at once by config_free() ---- */

#define ARENA_BLOCK 4096

struct arena_block {
        struct arena_block *next;
        size_t used, cap; /* bytes of data */
        max_align_t data[];
};

static void *arena_alloc(void **arena, size_t bytes)
{
        const size_t align = sizeof(max_align_t);
        bytes = (bytes + align - 1) / align * align;
        struct arena_block *head = *arena;
        if (head && head->cap - head->used >= bytes) {
                void *ret = (unsigned char *)head->data + head->used;
                head->used += bytes;
                return ret;
        }
        size_t cap = bytes > ARENA_BLOCK / 2 ? bytes : ARENA_BLOCK;
        struct arena_block *b = calloc(1, sizeof(*b) + cap);
        if (!b)
                return NULL;
        b->cap = cap;
        b->used = bytes;
        if (head && cap == bytes) {
                /* A big array gets its own block; keep filling the current one. */
                b->next = head->next;
                head->next = b;
        } else {
                b->next = head;
                *arena = b;
        }
        return b->data;
}

void cp_arena_free(void *arena)
{
        for (struct arena_block *b = arena, *next; b; b = next) {
                next = b->next;
                free(b);
        }
}

void *cp_alloc(struct cfgp *p, size_t n, size_t size)
{
        if (size && n > SIZE_MAX / size / 2)
                return herr(0, "%s: too many items", p->path), NULL;
        size_t bytes = n * size;
        void *ret = arena_alloc(&p->cfg->arena, bytes > 0 ? bytes : 1);
        if (!ret)
                herr(ENOMEM, "%s", p->path);
        return ret;
}

/* ---- the path of the field being read ---- */

static bool plain_key(const char *k)
{
        if (!*k)
                return false;
        for (; *k; k++)
                if (!(*k == '_' || *k == '-' || (*k >= '0' && *k <= '9') ||
                      (*k >= 'a' && *k <= 'z') || (*k >= 'A' && *k <= 'Z')))
                        return false;
        return true;
}

static void path_append(struct cfgp *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void path_append(struct cfgp *p, const char *fmt, ...)
{
        if (p->len >= sizeof(p->path) - 1)
                return;
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(p->path + p->len, sizeof(p->path) - p->len, fmt, ap);
        va_end(ap);
        if (n < 0)
                n = 0;
        p->len += (size_t)n;
        if (p->len >= sizeof(p->path)) {
                p->len = sizeof(p->path) - 1;
                memcpy(p->path + p->len - 3, "...", 3);
        }
}

/* Keys that are not identifiers (sysctl names, annotations) are quoted:
 * linux.sysctl["net.ipv4.ip_forward"]. */
size_t cp_push(struct cfgp *p, const char *key)
{
        size_t mark = p->len;
        if (!plain_key(key))
                path_append(p, "[\"%s\"]", key);
        else
                path_append(p, "%s%s", p->len ? "." : "", key);
        return mark;
}

size_t cp_push_index(struct cfgp *p, size_t i)
{
        size_t mark = p->len;
        path_append(p, "[%zu]", i);
        return mark;
}

void cp_pop(struct cfgp *p, size_t mark)
{
        p->len = mark;
        p->path[mark] = '\0';
}

int cp_err(struct cfgp *p, const char *fmt, ...)
{
        char msg[HERR_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        return herr(0, "%s: %s", p->len ? p->path : "config.json", msg);
}

int cp_err_at(struct cfgp *p, const char *key, const char *fmt, ...)
{
        char msg[HERR_MAX];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof(msg), fmt, ap);
        va_end(ap);
        cp_push(p, key);
        return herr(0, "%s: %s", p->path, msg);
}

/* ---- typed getters ---- */

/* jansson keeps integers in a long long, so a uint64 above INT64_MAX (an
 * rlimit of RLIM_INFINITY is written 18446744073709551615) does not load.
 * Before a second try such numbers are rewritten as strings starting with
 * BIG_MARK (p->big_ints is then set); the unsigned getters read them back,
 * the others call them integers. */
#define BIG_MARK '\x01'

static bool is_big(struct cfgp *p, json_t *v)
{
        return p->big_ints && json_is_string(v) && json_string_value(v)[0] == BIG_MARK;
}

static const char *kind_name(struct cfgp *p, json_t *v)
{
        return is_big(p, v) ? "an integer" : cp_kind_name(v);
}

const char *cp_kind_name(json_t *v)
{
        switch (json_typeof(v)) {
        case JSON_OBJECT:
                return "an object";
        case JSON_ARRAY:
                return "an array";
        case JSON_STRING:
                return "a string";
        case JSON_INTEGER:
                return "an integer";
        case JSON_REAL:
                return "a number with a fraction or exponent";
        case JSON_TRUE:
        case JSON_FALSE:
                return "a boolean";
        default:
                return "null";
        }
}

static int type_err(struct cfgp *p, json_t *v, const char *want)
{
        return cp_err(p, "expected %s, got %s", want, kind_name(p, v));
}

json_t *cp_member(json_t *obj, const char *key)
{
        json_t *v = json_object_get(obj, key);
        return json_is_null(v) ? NULL : v;
}

int cp_require(struct cfgp *p, json_t *obj, const char *const *keys)
{
        for (; *keys; keys++)
                if (!cp_member(obj, *keys))
                        return cp_err_at(p, *keys, "required field is missing");
        return 0;
}

int cp_v_obj(struct cfgp *p, json_t *v)
{
        return json_is_object(v) ? 1 : type_err(p, v, "an object");
}

int cp_v_str(struct cfgp *p, json_t *v, const char **out)
{
        if (!json_is_string(v) || is_big(p, v))
                return type_err(p, v, "a string");
        *out = json_string_value(v);
        return 1;
}

static const char *uint_desc(uint64_t max, char *buf, size_t size)
{
        switch (max) {
        case UINT8_MAX:
                return "an unsigned 8-bit integer";
        case UINT16_MAX:
                return "an unsigned 16-bit integer";
        case UINT32_MAX:
                return "an unsigned 32-bit integer";
        case UINT64_MAX:
                return "an unsigned 64-bit integer";
        }
        snprintf(buf, size, "an integer from 0 to %llu", (unsigned long long)max);
        return buf;
}

static const char *int_desc(int64_t min, int64_t max, char *buf, size_t size)
{
        if (min == INT32_MIN && max == INT32_MAX)
                return "a signed 32-bit integer";
        if (min == INT64_MIN && max == INT64_MAX)
                return "a signed 64-bit integer";
        snprintf(buf, size, "an integer from %lld to %lld", (long long)min, (long long)max);
        return buf;
}

int cp_v_uint(struct cfgp *p, json_t *v, uint64_t max, uint64_t *out)
{
        char buf[64];
        uint64_t x;
        if (json_is_integer(v)) {
                json_int_t i = json_integer_value(v);
                if (i < 0 || (uint64_t)i > max)
                        return cp_err(p, "expected %s, got %lld", uint_desc(max, buf, sizeof(buf)),
                                      (long long)i);
                x = (uint64_t)i;
        } else if (is_big(p, v)) {
                const char *digits = json_string_value(v) + 1;
                x = strtoull(digits, NULL, 10); /* range checked by the rewrite */
                if (x > max)
                        return cp_err(p, "expected %s, got %s", uint_desc(max, buf, sizeof(buf)),
                                      digits);
        } else {
                return type_err(p, v, uint_desc(max, buf, sizeof(buf)));
        }
        *out = x;
        return 1;
}

int cp_v_int(struct cfgp *p, json_t *v, int64_t min, int64_t max, int64_t *out)
{
        char buf[64];
        if (is_big(p, v))
                return cp_err(p, "expected %s, got %s", int_desc(min, max, buf, sizeof(buf)),
                              json_string_value(v) + 1);
        if (!json_is_integer(v))
                return type_err(p, v, int_desc(min, max, buf, sizeof(buf)));
        json_int_t i = json_integer_value(v);
        if (i < min || i > max)
                return cp_err(p, "expected %s, got %lld", int_desc(min, max, buf, sizeof(buf)),
                              (long long)i);
        *out = (int64_t)i;
        return 1;
}

/* Run a value getter on obj.key with the key on the path. */
#define WITH_MEMBER(p, obj, key, call)                                                             \
        do {                                                                                       \
                json_t *v = cp_member(obj, key);                                                   \
                if (!v)                                                                            \
                        return 0;                                                                  \
                size_t mark_ = cp_push(p, key);                                                    \
                if ((call) < 0)                                                                    \
                        return -1;                                                                 \
                cp_pop(p, mark_);                                                                  \
                return 1;                                                                          \
        } while (0)

int cp_obj(struct cfgp *p, json_t *obj, const char *key, json_t **out)
{
        WITH_MEMBER(p, obj, key, (*out = v, cp_v_obj(p, v)));
}

static int v_arr(struct cfgp *p, json_t *v)
{
        return json_is_array(v) ? 1 : type_err(p, v, "an array");
}

int cp_arr(struct cfgp *p, json_t *obj, const char *key, json_t **out)
{
        WITH_MEMBER(p, obj, key, (*out = v, v_arr(p, v)));
}

int cp_str(struct cfgp *p, json_t *obj, const char *key, const char **out)
{
        WITH_MEMBER(p, obj, key, cp_v_str(p, v, out));
}

static int v_bool(struct cfgp *p, json_t *v, bool *out)
{
        if (!json_is_boolean(v))
                return type_err(p, v, "a boolean");
        *out = json_is_true(v);
        return 1;
}

int cp_bool(struct cfgp *p, json_t *obj, const char *key, bool *out)
{
        WITH_MEMBER(p, obj, key, v_bool(p, v, out));
}

int cp_uint(struct cfgp *p, json_t *obj, const char *key, uint64_t max, uint64_t *out)
{
        WITH_MEMBER(p, obj, key, cp_v_uint(p, v, max, out));
}

int cp_int(struct cfgp *p, json_t *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
        WITH_MEMBER(p, obj, key, cp_v_int(p, v, min, max, out));
}

static int v_strv(struct cfgp *p, json_t *v, const char ***out, size_t *n)
{
        if (v_arr(p, v) < 0)
                return -1;
        size_t len = json_array_size(v);
        const char **list = cp_alloc(p, len + 1, sizeof(*list));
        if (!list)
                return -1;
        for (size_t i = 0; i < len; i++) {
                size_t mark = cp_push_index(p, i);
                if (cp_v_str(p, json_array_get(v, i), &list[i]) < 0)
                        return -1;
                cp_pop(p, mark);
        }
        *out = list;
        *n = len;
        return 1;
}

int cp_strv(struct cfgp *p, json_t *obj, const char *key, const char ***out, size_t *n)
{
        WITH_MEMBER(p, obj, key, v_strv(p, v, out, n));
}

static int v_kv(struct cfgp *p, json_t *v, struct kv **out, size_t *n)
{
        if (cp_v_obj(p, v) < 0)
                return -1;
        struct kv *list = cp_alloc(p, json_object_size(v), sizeof(*list));
        if (!list)
                return -1;
        size_t i = 0;
        const char *key;
        json_t *val;
        json_object_foreach(v, key, val)
        {
                size_t mark = cp_push(p, key);
                if (cp_v_str(p, val, &list[i].value) < 0)
                        return -1;
                list[i++].key = key;
                cp_pop(p, mark);
        }
        *out = list;
        *n = i;
        return 1;
}

int cp_kv(struct cfgp *p, json_t *obj, const char *key, struct kv **out, size_t *n)
{
        WITH_MEMBER(p, obj, key, v_kv(p, v, out, n));
}

static int v_objv(struct cfgp *p, json_t *v, size_t elem_size, void **out, size_t *n, cp_item_fn fn)
{
        if (v_arr(p, v) < 0)
                return -1;
        size_t len = json_array_size(v);
        unsigned char *list = cp_alloc(p, len, elem_size);
        if (!list)
                return -1;
        for (size_t i = 0; i < len; i++) {
                size_t mark = cp_push_index(p, i);
                json_t *item = json_array_get(v, i);
                CP_TRY(cp_v_obj(p, item));
                CP_TRY(fn(p, item, list + i * elem_size));
                cp_pop(p, mark);
        }
        *out = list;
        *n = len;
        return 1;
}

int cp_objv(struct cfgp *p, json_t *obj, const char *key, size_t elem_size, void **out, size_t *n,
            cp_item_fn fn)
{
        WITH_MEMBER(p, obj, key, v_objv(p, v, elem_size, out, n, fn));
}

static int parse_idmap(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_idmap *m = elem;
        uint64_t v;
        if (CP_REQUIRE(p, o, "containerID", "hostID", "size") < 0)
                return -1;
        if (cp_uint(p, o, "containerID", CP_U32, &v) < 0)
                return -1;
        m->container_id = (uint32_t)v;
        if (cp_uint(p, o, "hostID", CP_U32, &v) < 0)
                return -1;
        m->host_id = (uint32_t)v;
        if (cp_uint(p, o, "size", CP_U32, &v) < 0)
                return -1;
        m->size = (uint32_t)v;
        return 0;
}

int cp_idmaps(struct cfgp *p, json_t *obj, const char *key, struct hull_idmap **out, size_t *n)
{
        return OBJV(p, obj, key, out, n, parse_idmap);
}

/* ---- light checks driven by a field table ---- */

static int check_value(struct cfgp *p, json_t *v, const struct cp_field *f);

static int check_items(struct cfgp *p, json_t *v, const struct cp_field *f, enum cp_kind kind)
{
        struct cp_field item = *f;
        item.kind = kind;
        if (v_arr(p, v) < 0)
                return -1;
        for (size_t i = 0; i < json_array_size(v); i++) {
                size_t mark = cp_push_index(p, i);
                if (check_value(p, json_array_get(v, i), &item) < 0)
                        return -1;
                cp_pop(p, mark);
        }
        return 0;
}

static int check_enum(struct cfgp *p, json_t *v, const char *const *values)
{
        const char *s;
        if (cp_v_str(p, v, &s) < 0)
                return -1;
        char want[256] = "";
        size_t len = 0;
        for (const char *const *e = values; *e; e++) {
                if (strcmp(*e, s) == 0)
                        return 0;
                int n = snprintf(want + len, sizeof(want) - len, "%s%s", len ? ", " : "", *e);
                if (n > 0 && (size_t)n < sizeof(want) - len)
                        len += (size_t)n;
        }
        return cp_err(p, "invalid value \"%s\" (expected one of: %s)", s, want);
}

static int check_value(struct cfgp *p, json_t *v, const struct cp_field *f)
{
        const char *s;
        uint64_t u;
        bool b;
        switch (f->kind) {
        case CPK_STR:
                if (cp_v_str(p, v, &s) < 0)
                        return -1;
                if (f->ok && !f->ok(s))
                        return cp_err(p, "expected %s, got \"%s\"", f->form, s);
                return 0;
        case CPK_BOOL:
                return v_bool(p, v, &b);
        case CPK_UINT:
                return cp_v_uint(p, v, f->max, &u);
        case CPK_ENUM:
                return check_enum(p, v, f->values);
        case CPK_STRV:
                return check_items(p, v, f, CPK_STR);
        case CPK_ENUMV:
                return check_items(p, v, f, CPK_ENUM);
        case CPK_OBJ:
                return cp_v_obj(p, v) < 0 ? -1 : cp_check(p, v, f->fields);
        case CPK_OBJV:
                return check_items(p, v, f, CPK_OBJ);
        case CPK_OBJ_MAP: {
                const char *key;
                json_t *val;
                if (cp_v_obj(p, v) < 0)
                        return -1;
                json_object_foreach(v, key, val)
                {
                        size_t mark = cp_push(p, key);
                        CP_TRY(cp_v_obj(p, val));
                        CP_TRY(cp_check(p, val, f->fields));
                        cp_pop(p, mark);
                }
                return 0;
        }
        }
        return 0;
}

int cp_check(struct cfgp *p, json_t *obj, const struct cp_field *f)
{
        for (; f->key; f++) {
                json_t *v = cp_member(obj, f->key);
                if (!v)
                        continue;
                size_t mark = cp_push(p, f->key);
                if (check_value(p, v, f) < 0)
                        return -1;
                cp_pop(p, mark);
        }
        return 0;
}

/* Copy of text with every integer above INT64_MAX (and within uint64)
 * turned into a BIG_MARK string; NULL if there is none (or no memory). */
static char *rewrite_big_ints(const char *text, size_t len, size_t *out_len)
{
        char *out = malloc(len * 2 + 16);
        size_t o = 0;
        bool in_str = false, changed = false;
        if (!out)
                return NULL;
        for (size_t i = 0; i < len;) {
                char c = text[i];
                if (in_str) {
                        out[o++] = c;
                        i++;
                        if (c == '\\' && i < len)
                                out[o++] = text[i++];
                        else if (c == '"')
                                in_str = false;
                        continue;
                }
                if (c == '"')
                        in_str = true;
                if (!(c == '-' || (c >= '0' && c <= '9'))) {
                        out[o++] = c;
                        i++;
                        continue;
                }
                size_t end = i, digits = 0;
                while (end < len && text[end] && strchr("0123456789+-.eE", text[end])) {
                        digits += text[end] >= '0' && text[end] <= '9';
                        end++;
                }
                char num[32];
                bool big = false;
                if (digits == end - i && digits < sizeof(num)) {
                        memcpy(num, text + i, digits);
                        num[digits] = '\0';
                        errno = 0;
                        unsigned long long v = strtoull(num, NULL, 10);
                        big = errno == 0 && v > INT64_MAX;
                }
                if (big) {
                        o += (size_t)sprintf(out + o, "\"\\u0001%s\"", num);
                        changed = true;
                } else {
                        memcpy(out + o, text + i, end - i);
                        o += end - i;
                }
                i = end;
        }
        if (!changed) {
                free(out);
                return NULL;
        }
        *out_len = o;
        return out;
}

json_t *cp_load(const char *text, size_t len, const char *filename, bool *big_ints)
{
        json_error_t jerr;
        json_t *j = json_loadb(text, len, 0, &jerr);
        *big_ints = false;
        if (!j && json_error_code(&jerr) == json_error_numeric_overflow) {
                size_t big_len;
                char *big = rewrite_big_ints(text, len, &big_len);
                if (big) {
                        json_error_t again;
                        j = json_loadb(big, big_len, 0, &again);
                        *big_ints = j != NULL;
                        free(big);
                }
        }
        if (!j)
                herr(0, "%s: invalid JSON at line %d, column %d: %s", filename, jerr.line,
                     jerr.column, jerr.text);
        return j;
}
