/* config.c - config.json -> struct hull_config (see config.h).
 *
 * The top level, process, mounts, hooks and the light checks of the freebsd
 * section.  config_json.c has the helpers (typed getters that name the
 * field's path, the arena), config_linux.c reads the linux section and
 * config_validate.c checks what hull can honour.
 */
#include "config.h"
#include "config_internal.h"
#include "error.h"
#include "fsutil.h"
#include "log.h"
#include "names.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* freebsd: hull ignores it on Linux, but a malformed one is still an error. */
static const char *const fb_sharing[] = {"disable", "new", "inherit", NULL};
static const char *const fb_sharing_nodisable[] = {"new", "inherit", NULL};

static const struct cp_field fb_device[] = {
    CPF_STR("path"),
    CPF_UINT("mode", 0777),
    CPF_END,
};

static const struct cp_field fb_allow[] = {
    CPF_BOOL("setHostname"), CPF_BOOL("rawSockets"),
    CPF_BOOL("chflags"),     CPF_STRV("mount"),
    CPF_BOOL("quotas"),      CPF_BOOL("socketAf"),
    CPF_BOOL("mlock"),       CPF_BOOL("reservedPorts"),
    CPF_BOOL("suser"),       CPF_END,
};

static const struct cp_field fb_jail[] = {
    CPF_STR("parent"),
    CPF_ENUM("host", fb_sharing_nodisable),
    CPF_ENUM("ip4", fb_sharing),
    CPF_STRV("ip4Addr"),
    CPF_ENUM("ip6", fb_sharing),
    CPF_STRV("ip6Addr"),
    CPF_ENUM("vnet", fb_sharing_nodisable),
    CPF_STR("interface"),
    CPF_STRV("vnetInterfaces"),
    CPF_ENUM("sysvmsg", fb_sharing),
    CPF_ENUM("sysvsem", fb_sharing),
    CPF_ENUM("sysvshm", fb_sharing),
    CPF_UINT("enforceStatfs", UINT8_MAX),
    CPF_OBJ("allow", fb_allow),
    CPF_END,
};

static const struct cp_field fb_section[] = {
    CPF_OBJV("devices", fb_device),
    CPF_OBJ("jail", fb_jail),
    CPF_END,
};

/* Other platforms' sections (windows, solaris, vm, zos) are not looked at. */
static const struct cp_field other_platforms[] = {
    CPF_OBJ("freebsd", fb_section),
    CPF_END,
};

/* ---- process ---- */

static int parse_rlimit(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_rlimit *r = elem;
        CP_TRY(CP_REQUIRE(p, o, "type", "soft", "hard"));
        CP_TRY(cp_str(p, o, "type", &r->type));
        CP_TRY(cp_uint(p, o, "soft", CP_U64, &r->soft));
        CP_TRY(cp_uint(p, o, "hard", CP_U64, &r->hard));
        r->resource = rlimit_from_name(r->type);
        if (r->resource < 0)
                return cp_err_at(p, "type", "unknown rlimit \"%s\"", r->type);
        return 0;
}

static int parse_rlimits(struct cfgp *p, json_t *o, struct hull_process *pr)
{
        CP_TRY(OBJV(p, o, "rlimits", &pr->rlimits, &pr->n_rlimits, parse_rlimit));
        for (size_t i = 0; i < pr->n_rlimits; i++)
                for (size_t j = 0; j < i; j++)
                        if (pr->rlimits[i].resource == pr->rlimits[j].resource) {
                                cp_push(p, "rlimits");
                                cp_push_index(p, i);
                                return cp_err(p, "duplicate rlimit %s (also rlimits[%zu])",
                                              pr->rlimits[i].type, j);
                        }
        return 0;
}

/* Highest capability the running kernel knows; -1 if it cannot be read. */
static int kernel_last_cap(void)
{
        static int last = -2;
        if (last == -2) {
                char buf[16] = "";
                int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
                ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
                if (fd >= 0)
                        close(fd);
                last = n > 0 ? atoi(buf) : -1;
        }
        return last;
}

/* clang-format off */
#define CAP_SET(key, f) {key, offsetof(struct hull_caps, has_##f), offsetof(struct hull_caps, f)}
/* clang-format on */

static const struct {
        const char *key;
        size_t has, mask;
} cap_sets[] = {
    CAP_SET("bounding", bounding),       CAP_SET("effective", effective),
    CAP_SET("inheritable", inheritable), CAP_SET("permitted", permitted),
    CAP_SET("ambient", ambient),
};

/* Names hull does not know, and names the running kernel does not know (a
 * newer capability on an older kernel), are dropped with a warning, as
 * runc 1.1 does ("ignoring unknown or unavailable capabilities"). */
static int parse_caps(struct cfgp *p, json_t *proc, struct hull_caps *c)
{
        json_t *o;
        int r = cp_obj(p, proc, "capabilities", &o);
        if (r <= 0)
                return r;
        c->present = true;
        size_t mark = cp_push(p, "capabilities");
        for (size_t s = 0; s < sizeof(cap_sets) / sizeof(cap_sets[0]); s++) {
                const char **names;
                size_t n;
                r = cp_strv(p, o, cap_sets[s].key, &names, &n);
                if (r < 0)
                        return -1;
                *(bool *)((char *)c + cap_sets[s].has) = r > 0;
                uint64_t *mask = (uint64_t *)((char *)c + cap_sets[s].mask);
                for (size_t i = 0; r > 0 && i < n; i++) {
                        int cap = cap_from_name(names[i]);
                        if (cap < 0) {
                                log_warn("%s.%s[%zu]: unknown capability \"%s\": ignored", p->path,
                                         cap_sets[s].key, i, names[i]);
                                continue;
                        }
                        int last = kernel_last_cap();
                        if (last >= 0 && cap > last) {
                                log_warn("%s.%s[%zu]: capability %s is not known to the running "
                                         "kernel: ignored",
                                         p->path, cap_sets[s].key, i, names[i]);
                                continue;
                        }
                        *mask |= UINT64_C(1) << cap;
                }
        }
        cp_pop(p, mark);
        return 0;
}

static int parse_scheduler(struct cfgp *p, json_t *proc, struct hull_scheduler *s)
{
        json_t *o;
        const char *policy;
        const char **flags;
        size_t n_flags;
        int64_t i;
        int r = cp_obj(p, proc, "scheduler", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "scheduler");
        s->present = true;
        CP_TRY(CP_REQUIRE(p, o, "policy"));
        CP_TRY(cp_str(p, o, "policy", &policy));
        s->policy = sched_policy_from_name(policy);
        if (s->policy < 0)
                return cp_err_at(p, "policy", "unknown scheduler policy \"%s\"", policy);
        if ((r = cp_int(p, o, "nice", CP_I32, &i)) < 0)
                return -1;
        s->nice = r ? (int)i : 0;
        if ((r = cp_int(p, o, "priority", CP_I32, &i)) < 0)
                return -1;
        s->priority = r ? (int)i : 0;
        if ((r = cp_strv(p, o, "flags", &flags, &n_flags)) < 0)
                return -1;
        for (size_t k = 0; r > 0 && k < n_flags; k++) {
                uint64_t f;
                if (sched_flag_from_name(flags[k], &f) < 0) {
                        cp_push(p, "flags");
                        cp_push_index(p, k);
                        return cp_err(p, "unknown scheduler flag \"%s\"", flags[k]);
                }
                s->flags |= f;
        }
        CP_TRY(cp_uint(p, o, "runtime", CP_U64, &s->runtime));
        CP_TRY(cp_uint(p, o, "deadline", CP_U64, &s->deadline));
        CP_TRY(cp_uint(p, o, "period", CP_U64, &s->period));
        cp_pop(p, mark);
        return 0;
}

static int parse_io_priority(struct cfgp *p, json_t *proc, struct hull_iopriority *io)
{
        json_t *o;
        const char *cls;
        int64_t prio;
        int r = cp_obj(p, proc, "ioPriority", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "ioPriority");
        io->present = true;
        CP_TRY(CP_REQUIRE(p, o, "class"));
        CP_TRY(cp_str(p, o, "class", &cls));
        io->class = ioprio_class_from_name(cls);
        if (io->class < 0)
                return cp_err_at(p, "class", "unknown I/O priority class \"%s\"", cls);
        if ((r = cp_int(p, o, "priority", CP_I32, &prio)) < 0)
                return -1;
        io->priority = r ? (int)prio : 0;
        cp_pop(p, mark);
        return 0;
}

static bool cpu_list_form(const char *s)
{
        return strspn(s, "0123456789, -") == strlen(s);
}

static int parse_cpu_affinity(struct cfgp *p, json_t *proc, struct hull_process *pr)
{
        static const char *const keys[] = {"initial", "final"};
        const char **out[] = {&pr->cpu_affinity_initial, &pr->cpu_affinity_final};
        json_t *o;
        int r = cp_obj(p, proc, "execCPUAffinity", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "execCPUAffinity");
        for (int k = 0; k < 2; k++) {
                if (cp_str(p, o, keys[k], out[k]) < 0)
                        return -1;
                if (*out[k] && !cpu_list_form(*out[k]))
                        return cp_err_at(p, keys[k],
                                         "expected a CPU list such as \"0-3,7\", got \"%s\"",
                                         *out[k]);
        }
        cp_pop(p, mark);
        return 0;
}

static int parse_user(struct cfgp *p, json_t *proc, struct hull_user *u)
{
        json_t *o, *gids;
        uint64_t uid = 0, gid = 0, umask = 0, v;
        int r = cp_obj(p, proc, "user", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "user");
        CP_TRY(cp_uint(p, o, "uid", CP_U32, &uid));
        CP_TRY(cp_uint(p, o, "gid", CP_U32, &gid));
        CP_TRY(r = cp_uint(p, o, "umask", CP_U32, &umask));
        u->uid = (uid_t)uid;
        u->gid = (gid_t)gid;
        u->has_umask = r > 0;
        u->umask = (mode_t)umask;
        if ((r = cp_arr(p, o, "additionalGids", &gids)) < 0)
                return -1;
        if (r > 0) {
                size_t n = json_array_size(gids), gmark = cp_push(p, "additionalGids");
                if (!(u->additional_gids = cp_alloc(p, n, sizeof(gid_t))))
                        return -1;
                for (size_t i = 0; i < n; i++) {
                        size_t imark = cp_push_index(p, i);
                        if (cp_v_uint(p, json_array_get(gids, i), CP_U32, &v) < 0)
                                return -1;
                        u->additional_gids[i] = (gid_t)v;
                        cp_pop(p, imark);
                }
                u->n_additional_gids = n;
                cp_pop(p, gmark);
        }
        CP_TRY(cp_str(p, o, "username", &u->username));
        cp_pop(p, mark);
        return 0;
}

static int parse_process(struct cfgp *p, json_t *top, struct hull_process *pr)
{
        json_t *o, *cs;
        int64_t i;
        int r = cp_obj(p, top, "process", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "process");
        pr->present = true;
        CP_TRY(CP_REQUIRE(p, o, "cwd"));
        CP_TRY(cp_bool(p, o, "terminal", &pr->terminal));
        CP_TRY(cp_str(p, o, "cwd", &pr->cwd));
        CP_TRY(cp_strv(p, o, "env", &pr->env, &pr->n_env));
        CP_TRY(cp_strv(p, o, "args", &pr->args, &pr->n_args));
        CP_TRY(cp_str(p, o, "commandLine", &pr->command_line));
        CP_TRY(parse_rlimits(p, o, pr));
        CP_TRY(cp_str(p, o, "apparmorProfile", &pr->apparmor_profile));
        CP_TRY(parse_caps(p, o, &pr->caps));
        CP_TRY(cp_bool(p, o, "noNewPrivileges", &pr->no_new_privileges));
        CP_TRY(parse_scheduler(p, o, &pr->scheduler));
        CP_TRY(cp_str(p, o, "selinuxLabel", &pr->selinux_label));
        CP_TRY(parse_io_priority(p, o, &pr->io_priority));
        CP_TRY(parse_cpu_affinity(p, o, pr));
        CP_TRY(parse_user(p, o, &pr->user));
        CP_TRY(r = cp_int(p, o, "oomScoreAdj", CP_I32, &i));
        pr->has_oom_score_adj = r > 0;
        pr->oom_score_adj = r > 0 ? (int)i : 0;
        CP_TRY(r = cp_obj(p, o, "consoleSize", &cs));
        if (r > 0) {
                /* uint64 in the schema; a terminal is never that big. */
                uint64_t h, w;
                size_t cmark = cp_push(p, "consoleSize");
                CP_TRY(CP_REQUIRE(p, cs, "height", "width"));
                CP_TRY(cp_uint(p, cs, "height", CP_U64, &h));
                CP_TRY(cp_uint(p, cs, "width", CP_U64, &w));
                pr->has_console_size = true;
                pr->console_height = h > UINT_MAX ? UINT_MAX : (unsigned)h;
                pr->console_width = w > UINT_MAX ? UINT_MAX : (unsigned)w;
                cp_pop(p, cmark);
        }
        cp_pop(p, mark);
        return 0;
}

/* ---- mounts, hooks ---- */

/* A relative destination is taken relative to "/" (config.md); it is
 * rewritten in the JSON tree so the mount code only sees absolute paths. */
static int absolute_destination(struct cfgp *p, json_t *o, const char **dest)
{
        if (!(*dest)[0])
                return cp_err_at(p, "destination", "must not be empty");
        if ((*dest)[0] == '/')
                return 0;
        size_t len = strlen(*dest);
        char *abs = malloc(len + 2);
        if (!abs)
                return herr(ENOMEM, "%s", p->path);
        abs[0] = '/';
        memcpy(abs + 1, *dest, len + 1);
        log_warn("%s.destination: relative path \"%s\" is deprecated: using \"%s\"", p->path, *dest,
                 abs);
        json_t *node = json_object_get(o, "destination");
        int r = json_string_set(node, abs);
        free(abs);
        if (r < 0)
                return herr(ENOMEM, "%s", p->path);
        *dest = json_string_value(node);
        return 0;
}

static int parse_mount(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_mount *m = elem;
        CP_TRY(CP_REQUIRE(p, o, "destination"));
        CP_TRY(cp_str(p, o, "destination", &m->destination));
        CP_TRY(absolute_destination(p, o, &m->destination));
        CP_TRY(cp_str(p, o, "type", &m->type));
        CP_TRY(cp_str(p, o, "source", &m->source));
        CP_TRY(cp_strv(p, o, "options", &m->options, &m->n_options));
        CP_TRY(cp_idmaps(p, o, "uidMappings", &m->uid_mappings, &m->n_uid_mappings));
        CP_TRY(cp_idmaps(p, o, "gidMappings", &m->gid_mappings, &m->n_gid_mappings));
        return 0;
}

static int parse_hook(struct cfgp *p, json_t *o, void *elem)
{
        struct hull_hook *h = elem;
        int64_t t;
        int r;
        CP_TRY(CP_REQUIRE(p, o, "path"));
        CP_TRY(cp_str(p, o, "path", &h->path));
        CP_TRY(cp_strv(p, o, "args", &h->args, &h->n_args));
        CP_TRY(cp_strv(p, o, "env", &h->env, &h->n_env));
        CP_TRY(r = cp_int(p, o, "timeout", 1, INT_MAX, &t));
        h->has_timeout = r > 0;
        h->timeout = r > 0 ? (int)t : 0;
        /* Keep args/env NULL-terminated even when absent. */
        static const char *none[1] = {NULL};
        if (!h->args)
                h->args = none;
        if (!h->env)
                h->env = none;
        return 0;
}

static int parse_hooks(struct cfgp *p, json_t *top, struct hull_hooks *hooks)
{
        json_t *o;
        int r = cp_obj(p, top, "hooks", &o);
        if (r <= 0)
                return r;
        size_t mark = cp_push(p, "hooks");
        for (int k = 0; k < HOOK_KINDS; k++)
                CP_TRY(OBJV(p, o, hook_kind_name(k), &hooks->list[k], &hooks->n[k], parse_hook));
        cp_pop(p, mark);
        return 0;
}

/* ---- top level ---- */

static int parse_top(struct cfgp *p, json_t *top, struct hull_config *c)
{
        json_t *root, *lx;
        int r;
        CP_TRY(CP_REQUIRE(p, top, "ociVersion"));
        CP_TRY(cp_str(p, top, "ociVersion", &c->oci_version));
        CP_TRY(r = cp_obj(p, top, "root", &root));
        if (r > 0) {
                size_t mark = cp_push(p, "root");
                CP_TRY(CP_REQUIRE(p, root, "path"));
                CP_TRY(cp_str(p, root, "path", &c->root_path));
                CP_TRY(cp_bool(p, root, "readonly", &c->root_readonly));
                cp_pop(p, mark);
        }
        CP_TRY(OBJV(p, top, "mounts", &c->mounts, &c->n_mounts, parse_mount));
        CP_TRY(parse_process(p, top, &c->process));
        CP_TRY(cp_str(p, top, "hostname", &c->hostname));
        CP_TRY(cp_str(p, top, "domainname", &c->domainname));
        CP_TRY(parse_hooks(p, top, &c->hooks));
        CP_TRY(cp_kv(p, top, "annotations", &c->annotations, &c->n_annotations));
        CP_TRY(cp_check(p, top, other_platforms));
        CP_TRY(r = cp_obj(p, top, "linux", &lx));
        if (r > 0) {
                size_t mark = cp_push(p, "linux");
                c->has_linux = true;
                CP_TRY(cp_linux(p, lx, &c->linux_));
                cp_pop(p, mark);
        }
        return 0;
}

int config_parse(struct hull_config *cfg, const char *text, size_t len, const char *filename)
{
        memset(cfg, 0, sizeof(*cfg));
        if (!filename)
                filename = "config.json";
        struct cfgp p = {.cfg = cfg};
        json_t *top = cp_load(text, len, filename, &p.big_ints);
        if (!top)
                return -1;
        cfg->json = top;
        if (!json_is_object(top)) {
                herr(0, "%s: expected a JSON object, got %s", filename, cp_kind_name(top));
                config_free(cfg);
                return -1;
        }
        if (parse_top(&p, top, cfg) < 0) {
                config_free(cfg);
                return -1;
        }
        return 0;
}

/* The file holds a bare process object; it is parsed as {"process": ...} so
 * messages read "process.args: ...", and then it replaces the "process"
 * member of cfg->json, which owns its strings from then on. */
int config_parse_process(struct hull_config *cfg, const char *text, size_t len,
                         const char *filename)
{
        struct hull_process pr = {0};
        struct cfgp p = {.cfg = cfg};
        if (!filename)
                filename = "process.json";
        json_t *obj = cp_load(text, len, filename, &p.big_ints);
        if (!obj)
                return -1;
        json_t *wrap = json_object();
        if (!wrap || json_object_set(wrap, "process", obj) < 0) {
                json_decref(wrap);
                json_decref(obj);
                return herr(ENOMEM, "%s", filename);
        }
        int r = parse_process(&p, wrap, &pr);
        if (r == 0 && !pr.present)
                r = herr(0, "%s: expected a JSON object, got null", filename);
        if (r == 0)
                r = cp_validate_process(&pr);
        if (r == 0 && cfg->json && json_object_set(cfg->json, "process", obj) < 0)
                r = herr(ENOMEM, "%s", filename);
        if (r == 0 && !cfg->json) {
                cfg->json = wrap;
                json_incref(wrap);
        }
        /* Arrays from a failed parse stay in the arena until config_free(). */
        json_decref(wrap);
        json_decref(obj);
        if (r < 0)
                return -1;
        /* as runc: a process.json without capabilities gets the container's */
        if (!pr.caps.present)
                pr.caps = cfg->process.caps;
        cfg->process = pr;
        return 0;
}

int config_load(struct hull_config *cfg, const char *bundle_dir)
{
        char path[PATH_MAX];
        char *text;
        size_t len;
        memset(cfg, 0, sizeof(*cfg));
        int n = snprintf(path, sizeof(path), "%s/config.json",
                         bundle_dir && bundle_dir[0] ? bundle_dir : ".");
        if (n < 0 || (size_t)n >= sizeof(path))
                return herr(ENAMETOOLONG, "bundle %s", bundle_dir);
        if (read_file_at(AT_FDCWD, path, &text, &len) < 0)
                return -1;
        int r = config_parse(cfg, text, len, path);
        free(text);
        return r;
}

void config_free(struct hull_config *cfg)
{
        if (!cfg)
                return;
        if (cfg->json)
                json_decref(cfg->json);
        cp_arena_free(cfg->arena);
        memset(cfg, 0, sizeof(*cfg));
}
