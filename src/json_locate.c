/* json_locate.c - a config path's line:column in a JSON text (see
 * json_locate.h). */
#include "json_locate.h"

#include <stdint.h>
#include <string.h>

/* ---- the path: a.b[2]["c.d"] ---- */

static bool ident_char(char c)
{
        return c == '_' || c == '-' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
               (c >= 'A' && c <= 'Z');
}

int json_path_next(const char **p, const char *end, bool first, struct json_path_comp *c)
{
        const char *s = *p;
        if (s >= end)
                return 0;
        memset(c, 0, sizeof(*c));
        if (*s == '[' && s + 1 < end && s[1] == '"') {
                const char *k = s + 2, *q = k;
                while (q + 1 < end && !(q[0] == '"' && q[1] == ']'))
                        q++;
                if (q + 1 >= end)
                        return -1;
                c->key = k;
                c->key_len = (size_t)(q - k);
                c->quoted = true;
                *p = q + 2;
                return 1;
        }
        if (*s == '[') {
                const char *q = s + 1;
                size_t n = 0;
                if (q >= end || *q < '0' || *q > '9')
                        return -1;
                while (q < end && *q >= '0' && *q <= '9')
                        n = n * 10 + (size_t)(*q++ - '0');
                if (q >= end || *q != ']')
                        return -1;
                c->is_index = true;
                c->index = n;
                *p = q + 1;
                return 1;
        }
        if (!first) {
                if (*s != '.')
                        return -1;
                s++;
        }
        const char *k = s;
        while (s < end && ident_char(*s))
                s++;
        if (s == k)
                return -1;
        c->key = k;
        c->key_len = (size_t)(s - k);
        *p = s;
        return 1;
}

size_t json_path_len(const char *msg)
{
        const char *p = msg, *end = msg + strlen(msg);
        struct json_path_comp c;
        bool first = true;
        for (;;) {
                const char *before = p;
                if (json_path_next(&p, end, first, &c) <= 0)
                        return (size_t)(before - msg);
                first = false;
        }
}

/* ---- the text ---- */

struct scan {
        const char *s, *end;
        unsigned line, col;
};

static void adv(struct scan *sc)
{
        if (sc->s >= sc->end)
                return;
        unsigned char ch = (unsigned char)*sc->s++;
        if (ch == '\n') {
                sc->line++;
                sc->col = 1;
        } else if ((ch & 0xC0) != 0x80) { /* not a UTF-8 continuation byte */
                sc->col++;
        }
}

static void ws(struct scan *sc)
{
        while (sc->s < sc->end &&
               (*sc->s == ' ' || *sc->s == '\t' || *sc->s == '\n' || *sc->s == '\r'))
                adv(sc);
}

static bool at(struct scan *sc, char c)
{
        return sc->s < sc->end && *sc->s == c;
}

static int hexval(char c)
{
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Append code point cp as UTF-8 to out (cut at cap). */
static void put_utf8(char *out, size_t cap, size_t *n, uint32_t cp)
{
        char b[4];
        size_t k;
        if (cp < 0x80) {
                b[0] = (char)cp;
                k = 1;
        } else if (cp < 0x800) {
                b[0] = (char)(0xC0 | (cp >> 6));
                b[1] = (char)(0x80 | (cp & 0x3F));
                k = 2;
        } else {
                b[0] = (char)(0xE0 | (cp >> 12));
                b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                b[2] = (char)(0x80 | (cp & 0x3F));
                k = 3;
        }
        for (size_t i = 0; i < k && *n < cap; i++)
                out[(*n)++] = b[i];
}

/* A string at sc (on its '"'); its decoded text goes to out (cap bytes,
 * cut; NULL to skip).  -1 if it does not end. */
static int scan_string(struct scan *sc, char *out, size_t cap, size_t *out_len)
{
        size_t n = 0;
        adv(sc); /* " */
        while (sc->s < sc->end && *sc->s != '"') {
                char c = *sc->s;
                adv(sc);
                if (c == '\\') {
                        if (sc->s >= sc->end)
                                return -1;
                        char e = *sc->s;
                        adv(sc);
                        uint32_t cp = (unsigned char)e;
                        if (e == 'n')
                                cp = '\n';
                        else if (e == 't')
                                cp = '\t';
                        else if (e == 'r')
                                cp = '\r';
                        else if (e == 'b')
                                cp = '\b';
                        else if (e == 'f')
                                cp = '\f';
                        else if (e == 'u') {
                                cp = 0;
                                for (int i = 0; i < 4; i++) {
                                        int h = sc->s < sc->end ? hexval(*sc->s) : -1;
                                        if (h < 0)
                                                return -1;
                                        cp = cp * 16 + (uint32_t)h;
                                        adv(sc);
                                }
                        }
                        if (out)
                                put_utf8(out, cap, &n, cp);
                } else if (out && n < cap) {
                        out[n++] = c;
                }
        }
        if (sc->s >= sc->end)
                return -1;
        adv(sc); /* " */
        if (out_len)
                *out_len = n;
        return 0;
}

static int skip_value(struct scan *sc, int depth);

/* Skip an object or array body; sc on '{' or '['. */
static int skip_container(struct scan *sc, int depth)
{
        char close = *sc->s == '{' ? '}' : ']';
        bool obj = close == '}';
        adv(sc);
        ws(sc);
        if (at(sc, close)) {
                adv(sc);
                return 0;
        }
        for (;;) {
                if (obj) {
                        if (!at(sc, '"') || scan_string(sc, NULL, 0, NULL) < 0)
                                return -1;
                        ws(sc);
                        if (!at(sc, ':'))
                                return -1;
                        adv(sc);
                }
                if (skip_value(sc, depth + 1) < 0)
                        return -1;
                ws(sc);
                if (at(sc, ',')) {
                        adv(sc);
                        ws(sc);
                        continue;
                }
                if (!at(sc, close))
                        return -1;
                adv(sc);
                return 0;
        }
}

/* Skip one value (leading whitespace included). */
static int skip_value(struct scan *sc, int depth)
{
        ws(sc);
        if (sc->s >= sc->end || depth > 512)
                return -1;
        char c = *sc->s;
        if (c == '{' || c == '[')
                return skip_container(sc, depth);
        if (c == '"')
                return scan_string(sc, NULL, 0, NULL);
        /* number, true, false, null */
        const char *start = sc->s;
        while (sc->s < sc->end && *sc->s != ',' && *sc->s != '}' && *sc->s != ']' &&
               *sc->s != ' ' && *sc->s != '\n' && *sc->s != '\t' && *sc->s != '\r')
                adv(sc);
        return sc->s > start ? 0 : -1;
}

/* sc on a value: find member key (or element index) in it.  On success sc
 * is on the found value and *where on its key (or on the element). */
static int find_comp(struct scan *sc, const struct json_path_comp *c, struct scan *where)
{
        bool found = false;
        struct scan val = {0}, key_at = {0};
        if (!at(sc, c->is_index ? '[' : '{'))
                return 0;
        adv(sc);
        ws(sc);
        if (at(sc, c->is_index ? ']' : '}'))
                return 0;
        for (size_t i = 0;; i++) {
                bool match;
                struct scan here = *sc;
                if (c->is_index) {
                        match = i == c->index;
                } else {
                        char key[512];
                        size_t n;
                        if (!at(sc, '"') || scan_string(sc, key, sizeof(key), &n) < 0)
                                return -1;
                        ws(sc);
                        if (!at(sc, ':'))
                                return -1;
                        adv(sc);
                        ws(sc);
                        match = n == c->key_len && memcmp(key, c->key, n) == 0;
                }
                if (match) { /* the last of duplicate keys counts, as in jansson */
                        found = true;
                        key_at = here;
                        val = *sc;
                        if (c->is_index)
                                break;
                }
                if (skip_value(sc, 1) < 0) {
                        if (!found)
                                return -1;
                        break; /* broken after the field: it was found all the same */
                }
                ws(sc);
                if (at(sc, ',')) {
                        adv(sc);
                        ws(sc);
                        continue;
                }
                break;
        }
        if (!found)
                return 0;
        *sc = val;
        *where = key_at;
        return 1;
}

int json_locate(const char *text, size_t len, const char *path, size_t path_len,
                struct json_pos *pos)
{
        struct scan sc = {.s = text, .end = text + len, .line = 1, .col = 1};
        const char *p = path, *pend = path + path_len;
        struct json_path_comp c;
        bool first = true;
        int r;
        pos->line = pos->col = 1;
        pos->exact = false;
        ws(&sc);
        pos->line = sc.line;
        pos->col = sc.col;
        while ((r = json_path_next(&p, pend, first, &c)) > 0) {
                struct scan where = sc;
                first = false;
                int f = find_comp(&sc, &c, &where);
                if (f < 0)
                        return -1;
                if (f == 0)
                        return 0;
                pos->line = where.line;
                pos->col = where.col;
        }
        pos->exact = r == 0;
        return 0;
}
