/* explain.c - the plan of `hull create`, step by step (see explain.h).
 *
 * explain_print() walks the steps in the order of launch.c (parent) and
 * init.c (child), as docs/ARCHITECTURE.md lists them; each step says what
 * it would do with this config, or that it has nothing to do.
 */
#include "explain.h"
#include "names.h"
#include "namespaces.h"

#include <sched.h>
#include <stdint.h>
#include <string.h>

#define NAME_W 22

/* ---- printing ---- */

static void vline(const struct explain *e, const char *name, int level, const char *fmt, va_list ap)
{
        fprintf(e->out, "  %-*s %*s", NAME_W, name, level * 2, "");
        vfprintf(e->out, fmt, ap);
        fputc('\n', e->out);
}

void ex_step(const struct explain *e, const char *name, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vline(e, name, 0, fmt, ap);
        va_end(ap);
}

void ex_more(const struct explain *e, int level, const char *fmt, ...)
{
        va_list ap;
        va_start(ap, fmt);
        vline(e, "", level, fmt, ap);
        va_end(ap);
}

const char *ex_join(const char *const *list, size_t n, const char *sep, char *buf, size_t cap)
{
        size_t o = 0;
        buf[0] = '\0';
        for (size_t i = 0; i < n; i++) {
                int w = snprintf(buf + o, cap - o, "%s%s", i ? sep : "", list[i]);
                if (w < 0 || (size_t)w >= cap - o) {
                        if (cap > 4)
                                memcpy(buf + cap - 4, "...", 4);
                        break;
                }
                o += (size_t)w;
        }
        return buf;
}

static void section(const struct explain *e, const char *title)
{
        fprintf(e->out, "\n%s\n", title);
}

/* ---- names hull has no table for ---- */

static const char *sched_name(int policy)
{
        static const char *const n[] = {"SCHED_OTHER", "SCHED_FIFO", "SCHED_RR",      "SCHED_BATCH",
                                        "SCHED_ISO",   "SCHED_IDLE", "SCHED_DEADLINE"};
        return policy >= 0 && policy < 7 ? n[policy] : "?";
}

static const char *ioprio_name(int cls)
{
        static const char *const n[] = {"IOPRIO_CLASS_NONE", "IOPRIO_CLASS_RT", "IOPRIO_CLASS_BE",
                                        "IOPRIO_CLASS_IDLE"};
        return cls >= 0 && cls < 4 ? n[cls] : "?";
}

static const char *clone_flag_name(int flag)
{
        switch (flag) {
        case CLONE_NEWPID:
                return "CLONE_NEWPID";
        case CLONE_NEWNET:
                return "CLONE_NEWNET";
        case CLONE_NEWNS:
                return "CLONE_NEWNS";
        case CLONE_NEWIPC:
                return "CLONE_NEWIPC";
        case CLONE_NEWUTS:
                return "CLONE_NEWUTS";
        case CLONE_NEWUSER:
                return "CLONE_NEWUSER";
        case CLONE_NEWCGROUP:
                return "CLONE_NEWCGROUP";
        default:
                return "CLONE_NEWTIME";
        }
}

/* ---- hooks ---- */

static const char *const hook_when[HOOK_KINDS] = {
    [HOOK_PRESTART] = "parent, runtime namespaces, after the mounts (deprecated)",
    [HOOK_CREATE_RUNTIME] = "parent, runtime namespaces, after the mounts, before pivot_root",
    [HOOK_CREATE_CONTAINER] = "init, container namespaces, before pivot_root",
    [HOOK_START_CONTAINER] = "init, in the container, after `start`, before execve",
    [HOOK_POSTSTART] = "`start` (or `run`), after the process started",
    [HOOK_POSTSTOP] = "`delete`, after the container stopped; failures are warnings",
};

static void hooks(const struct explain *e, enum hull_hook_kind k, const char *step)
{
        const struct hull_hooks *h = &e->cfg->hooks;
        if (!h->n[k])
                return;
        ex_step(e, step, "hooks.%s: %s; state JSON on stdin", hook_kind_name(k), hook_when[k]);
        for (size_t i = 0; i < h->n[k]; i++) {
                const struct hull_hook *hk = &h->list[k][i];
                char args[512], env[512];
                ex_join(hk->args, hk->n_args, " ", args, sizeof(args));
                ex_join(hk->env, hk->n_env, " ", env, sizeof(env));
                ex_more(e, 1, "[%zu] %s%s%s%s%s", i, hk->path, hk->n_args ? ", args: " : "", args,
                        hk->n_env ? ", env: " : "", env);
                if (hk->has_timeout)
                        ex_more(e, 2, "killed after %d s", hk->timeout);
        }
}

/* ---- parent ---- */

static void parent_steps(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        const struct hull_linux *l = &c->linux_;
        section(e, "== create: the parent (launch.c) ==");
        ex_step(e, "prepare", "read config.json once: config_parse, config_validate");
        ex_step(e, "make_state_dir",
                "mkdir %s/<id> (taken: \"container with id exists\"), flock "
                "it for the whole create",
                e->root);
        ex_step(e, "make_exec_fifo",
                "mkfifo %s/<id>/exec.fifo: the init waits on it until "
                "`hull start` (`run` starts at once)",
                e->root);
        explain_cgroup(e);
        if (l->seccomp.present)
                ex_step(e, "seccomp_compile",
                        "compile linux.seccomp to BPF with libseccomp, in "
                        "memory: the init only loads it (see below)");
        else
                ex_step(e, "seccomp_compile", "nothing: no linux.seccomp");
        for (size_t i = 0; i < c->n_mounts; i++) {
                const struct hull_mount *m = &c->mounts[i];
                bool idmap = m->n_uid_mappings > 0;
                for (size_t k = 0; k < m->n_options && !idmap; k++)
                        idmap = !strcmp(m->options[k], "idmap") || !strcmp(m->options[k], "ridmap");
                if (idmap)
                        ex_step(e, "mounts_open_idmapped",
                                "mounts[%zu] (%s): the idmapped bind is made here, before "
                                "clone3, and moved into place by the init",
                                i, m->destination);
        }

        unsigned long flags = ns_clone_flags(l);
        char fl[256] = "";
        for (int k = 0; k < NS_KINDS; k++) {
                int f = ns_kind_clone_flag((enum hull_ns_kind)k);
                if (flags & (unsigned long)f)
                        snprintf(fl + strlen(fl), sizeof(fl) - strlen(fl), "%s | ",
                                 clone_flag_name(f));
        }
        if (l->ns[NS_PID].present && l->ns[NS_PID].path)
                ex_step(e, "clone_init",
                        "ns_pid_enter: setns into the pid namespace %s, so the "
                        "init is born there",
                        l->ns[NS_PID].path);
        ex_step(e, "clone_init",
                "clone3(%sCLONE_PIDFD), with CLONE_INTO_CGROUP where cgroup v2 "
                "allows; the child runs container_init()",
                fl);
        for (int k = 0; k < NS_KINDS; k++) {
                const struct hull_namespace *ns = &l->ns[k];
                const char *name = ns_kind_name((enum hull_ns_kind)k);
                if (!ns->present)
                        ex_more(e, 1, "%-8s shared with hull (not in linux.namespaces)", name);
                else if (ns->path)
                        ex_more(e, 1, "%-8s joined: %s (linux.namespaces[%u])", name, ns->path,
                                ns->index);
                else if (k == NS_CGROUP || k == NS_TIME)
                        ex_more(e, 1, "%-8s new, unshared by the init (below)", name);
                else
                        ex_more(e, 1, "%-8s new (%s)", name,
                                clone_flag_name(ns_kind_clone_flag((enum hull_ns_kind)k)));
        }

        if (l->ns[NS_USER].present && !l->ns[NS_USER].path) {
                ex_step(e, "supervise_setup",
                        "ns_write_idmaps: the init's /proc/PID/uid_map and "
                        "gid_map (container-id host-id size):");
                for (size_t i = 0; i < l->n_uid_mappings; i++)
                        ex_more(e, 1, "uid %u %u %u: container uids %u-%llu are host uids %u-%llu",
                                l->uid_mappings[i].container_id, l->uid_mappings[i].host_id,
                                l->uid_mappings[i].size, l->uid_mappings[i].container_id,
                                (unsigned long long)l->uid_mappings[i].container_id +
                                    l->uid_mappings[i].size - 1,
                                l->uid_mappings[i].host_id,
                                (unsigned long long)l->uid_mappings[i].host_id +
                                    l->uid_mappings[i].size - 1);
                for (size_t i = 0; i < l->n_gid_mappings; i++)
                        ex_more(e, 1, "gid %u %u %u: container gids %u-%llu are host gids %u-%llu",
                                l->gid_mappings[i].container_id, l->gid_mappings[i].host_id,
                                l->gid_mappings[i].size, l->gid_mappings[i].container_id,
                                (unsigned long long)l->gid_mappings[i].container_id +
                                    l->gid_mappings[i].size - 1,
                                l->gid_mappings[i].host_id,
                                (unsigned long long)l->gid_mappings[i].host_id +
                                    l->gid_mappings[i].size - 1);
        }
        ex_step(e, "supervise_setup",
                "answer the init: run the hooks when it asks (SYNC_HOOKS, "
                "below), until SYNC_READY or its error");
        if (l->seccomp.listener_path)
                ex_more(e, 1, "send the seccomp listener fd to %s", l->seccomp.listener_path);
        ex_step(e, "write_state",
                "%s/<id>/config.json (copy) and state.json, atomic renames; "
                "--pid-file",
                e->root);
        ex_step(e, "launch_abort",
                "on any failure: SIGKILL and reap the init, cgroup_destroy, "
                "remove %s/<id>: nothing is left",
                e->root);
}

/* ---- the init ---- */

static void namespace_steps(const struct explain *e)
{
        const struct hull_linux *l = &e->cfg->linux_;
        if (l->ns[NS_USER].present && !l->ns[NS_USER].path)
                ex_step(e, "step_userns",
                        "wait for the id maps, then setresuid/setresgid(0): "
                        "root of the new user namespace");
        else
                ex_step(e, "step_userns", "nothing: no new user namespace");
        bool joins = false;
        for (int k = 0; k < NS_KINDS; k++)
                joins = joins || (k != NS_PID && l->ns[k].present && l->ns[k].path);
        if (!joins)
                ex_step(e, "ns_join_paths", "nothing: no namespace path to join");
        static const enum hull_ns_kind order[] = {NS_USER, NS_MNT,    NS_NET, NS_IPC,
                                                  NS_UTS,  NS_CGROUP, NS_TIME};
        for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
                const struct hull_namespace *ns = &l->ns[order[i]];
                if (ns->present && ns->path)
                        ex_step(e, "ns_join_paths", "setns %s (%s namespace)", ns->path,
                                ns_kind_name(order[i]));
        }
        if (e->cfg->process.cpu_affinity_initial)
                ex_step(e, "process_apply_affinity",
                        "sched_setaffinity CPUs %s "
                        "(execCPUAffinity.initial)",
                        e->cfg->process.cpu_affinity_initial);
        ex_step(e, "cgroup_join_self",
                "write 0 to each v1 hierarchy's tasks (nothing on v2 "
                "after CLONE_INTO_CGROUP)");
        if (l->ns[NS_CGROUP].present && !l->ns[NS_CGROUP].path)
                ex_step(e, "ns_unshare_cgroup",
                        "unshare(CLONE_NEWCGROUP): the container's cgroup "
                        "is the namespace's root");
        if (l->ns[NS_TIME].present && !l->ns[NS_TIME].path) {
                ex_step(e, "ns_setup_time", "unshare(CLONE_NEWTIME)%s, then enter it",
                        l->has_time_offsets ? ", write /proc/self/timens_offsets" : "");
                if (l->has_time_offsets) {
                        ex_more(e, 1, "monotonic %lld s %u ns",
                                (long long)l->time_offset_monotonic.secs,
                                l->time_offset_monotonic.nanosecs);
                        ex_more(e, 1, "boottime %lld s %u ns",
                                (long long)l->time_offset_boottime.secs,
                                l->time_offset_boottime.nanosecs);
                }
        }
        if (l->ns[NS_NET].present && !l->ns[NS_NET].path)
                ex_step(e, "ns_loopback_up", "bring up \"lo\" in the new network namespace");
}

static void caps_line(const struct explain *e, const char *set, bool has, uint64_t mask)
{
        char buf[1024] = "";
        size_t o = 0;
        int n = 0;
        for (int cap = 0; cap < 64; cap++) {
                const char *name = cap_name(cap);
                if (!(mask & (UINT64_C(1) << cap)) || !name)
                        continue;
                int w = snprintf(buf + o, sizeof(buf) - o, "%s%s", n++ ? " " : "", name);
                if (w > 0 && (size_t)w < sizeof(buf) - o)
                        o += (size_t)w;
        }
        ex_more(e, 1, "%-11s %s", set, !has || !n ? "(empty)" : buf);
}

static void seccomp_summary(const struct explain *e, const char *step)
{
        const struct hull_seccomp *s = &e->cfg->linux_.seccomp;
        char buf[1024];
        ex_step(e, step, "load the seccomp filter (one seccomp(2) call): default %s%s",
                s->default_action,
                s->has_default_errno_ret
                    ? ""
                    : (seccomp_action_takes_errno(s->default_action_value) ? " (EPERM)" : ""));
        if (s->has_default_errno_ret)
                ex_more(e, 1, "default errno %u", s->default_errno_ret);
        ex_more(e, 1, "architectures: %s",
                s->n_architectures
                    ? ex_join(s->architectures, s->n_architectures, " ", buf, sizeof(buf))
                    : "the host's");
        if (s->n_flags)
                ex_more(e, 1, "flags: %s", ex_join(s->flags, s->n_flags, " ", buf, sizeof(buf)));
        /* rules per action, in the order actions first appear */
        for (size_t i = 0; i < s->n_syscalls; i++) {
                const struct hull_seccomp_rule *r = &s->syscalls[i];
                bool first = true;
                for (size_t j = 0; j < i && first; j++)
                        first = strcmp(s->syscalls[j].action_name, r->action_name) != 0;
                if (!first)
                        continue;
                size_t rules = 0, names = 0, args = 0;
                for (size_t j = i; j < s->n_syscalls; j++)
                        if (!strcmp(s->syscalls[j].action_name, r->action_name)) {
                                rules++;
                                names += s->syscalls[j].n_names;
                                args += s->syscalls[j].n_args > 0;
                        }
                char err[32] = "";
                if (seccomp_action_takes_errno(r->action))
                        snprintf(err, sizeof(err), " (errno %s)",
                                 r->has_errno_ret ? "from errnoRet" : "EPERM");
                ex_more(e, 1, "%s%s: %zu rule%s, %zu syscall name%s%s", r->action_name, err, rules,
                        rules == 1 ? "" : "s", names, names == 1 ? "" : "s",
                        args ? " (some with argument conditions)" : "");
                if (rules == 1 && r->n_names <= 8)
                        ex_more(e, 2, "%s", ex_join(r->names, r->n_names, " ", buf, sizeof(buf)));
        }
        if (s->listener_path)
                ex_more(e, 1, "SCMP_ACT_NOTIFY listener fd goes to %s", s->listener_path);
}

static void process_steps(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        const struct hull_process *p = &c->process;
        const struct hull_linux *l = &c->linux_;
        char buf[1024];
        if (!p->n_rlimits)
                ex_step(e, "process_apply_rlimits",
                        "nothing: no process.rlimits (hull's are kept)");
        for (size_t i = 0; i < p->n_rlimits; i++)
                ex_step(e, "process_apply_rlimits", "setrlimit %s soft %llu hard %llu",
                        rlimit_name(p->rlimits[i].resource), (unsigned long long)p->rlimits[i].soft,
                        (unsigned long long)p->rlimits[i].hard);
        if (p->has_oom_score_adj)
                ex_step(e, "process_apply_oom_score_adj", "write %d to /proc/self/oom_score_adj",
                        p->oom_score_adj);
        if (l->personality.present)
                ex_step(e, "process_apply_personality", "personality(0x%lx)",
                        l->personality.domain);
        if (p->scheduler.present)
                ex_step(e, "process_apply_scheduler", "sched_setattr %s nice %d priority %d",
                        sched_name(p->scheduler.policy), p->scheduler.nice, p->scheduler.priority);
        if (p->io_priority.present)
                ex_step(e, "process_apply_ioprio", "ioprio_set %s priority %d",
                        ioprio_name(p->io_priority.class), p->io_priority.priority);
        ex_step(e, "setsid", "a new session: the process leads it");
        if (p->terminal)
                ex_step(e, "step_terminal",
                        "a new pty%s: the master goes to --console-socket "
                        "(create) or to hull (run)",
                        p->has_console_size ? " sized from process.consoleSize" : "");
        ex_step(e, "step_keyring",
                "join a new session keyring \"_ses.<id>\" (not with "
                "--no-new-keyring)");
        ex_step(e, "process_chdir",
                "chdir %s (again after the user change if not allowed "
                "before)",
                p->cwd ? p->cwd : "/");
        if (l->seccomp.present && !p->no_new_privileges)
                seccomp_summary(e, "seccomp_prog_load");
        ex_step(e, "step_user_and_caps", "caps_drop_bounding, then process_set_user:");
        ex_more(e, 1, "uid %u gid %u%s", (unsigned)p->user.uid, (unsigned)p->user.gid,
                p->user.has_umask ? "" : ", umask 0022 at exec");
        if (p->user.has_umask)
                ex_more(e, 1, "umask %04o at exec", (unsigned)p->user.umask);
        if (p->user.n_additional_gids) {
                size_t o = 0;
                buf[0] = '\0';
                for (size_t i = 0; i < p->user.n_additional_gids && o < sizeof(buf) - 16; i++)
                        o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%u", i ? " " : "",
                                              (unsigned)p->user.additional_gids[i]);
                ex_more(e, 1, "setgroups %s", buf);
        } else {
                ex_more(e, 1, "setgroups: none");
        }
        if (!p->caps.present) {
                ex_more(e, 1, "caps_apply: no process.capabilities: every set becomes empty");
        } else {
                ex_more(e, 1, "caps_apply: the capability sets become");
                caps_line(e, "bounding", p->caps.has_bounding, p->caps.bounding);
                caps_line(e, "effective", p->caps.has_effective, p->caps.effective);
                caps_line(e, "permitted", p->caps.has_permitted, p->caps.permitted);
                caps_line(e, "inheritable", p->caps.has_inheritable, p->caps.inheritable);
                caps_line(e, "ambient", p->caps.has_ambient, p->caps.ambient);
        }
        ex_step(e, "process_resolve", "find %s%s now, so that a missing binary fails create",
                p->n_args ? p->args[0] : "(no args)",
                p->n_args && !strchr(p->args[0], '/') ? " on PATH" : "");
        if (p->apparmor_profile && p->apparmor_profile[0])
                ex_step(e, "lsm_apply_exec_label",
                        "AppArmor profile %s on exec (error if AppArmor "
                        "is off)",
                        p->apparmor_profile);
        if (p->selinux_label && p->selinux_label[0])
                ex_step(e, "lsm_apply_exec_label",
                        "SELinux label %s on exec (error if SELinux is "
                        "off)",
                        p->selinux_label);
        if (p->no_new_privileges)
                ex_step(e, "no_new_privs",
                        "prctl(PR_SET_NO_NEW_PRIVS): execve can never gain "
                        "privileges");
        if (l->seccomp.present && p->no_new_privileges)
                seccomp_summary(e, "seccomp_prog_load");
        ex_step(e, "step_wait_for_start",
                "report SYNC_READY; block reading exec.fifo until "
                "`hull start` (run: SYNC_START)");
        hooks(e, HOOK_START_CONTAINER, "step_start_hooks");
        if (p->cpu_affinity_final)
                ex_step(e, "process_apply_affinity",
                        "sched_setaffinity CPUs %s "
                        "(execCPUAffinity.final)",
                        p->cpu_affinity_final);
        ex_step(e, "close_range",
                "fds from 3 (+ --preserve-fds) close on exec: only stdio and "
                "preserved fds go through");
        ex_step(e, "process_exec", "execve %s", p->n_args ? p->args[0] : "(no args)");
        ex_more(e, 1, "args: %s", ex_join(p->args, p->n_args, " ", buf, sizeof(buf)));
        ex_more(e, 1, "env:  %s",
                p->n_env ? ex_join(p->env, p->n_env, " ", buf, sizeof(buf)) : "(none)");
}

static void init_steps(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        section(e, "== create: the container's init, container_init() (init.c) ==");
        ex_step(e, "container_init", "restore the signal mask (run), close the parent's fds");
        namespace_steps(e);
        explain_rootfs(e);
        if (c->hostname)
                ex_step(e, "step_uts", "sethostname \"%s\"", c->hostname);
        if (c->domainname)
                ex_step(e, "step_uts", "setdomainname \"%s\"", c->domainname);
        bool any = false;
        for (int k = HOOK_PRESTART; k <= HOOK_CREATE_CONTAINER; k++)
                any = any || c->hooks.n[k];
        if (any) {
                ex_step(e, "step_runtime_hooks",
                        "ask the parent (SYNC_HOOKS) to run, in the "
                        "runtime namespaces:");
                hooks(e, HOOK_PRESTART, "step_runtime_hooks");
                hooks(e, HOOK_CREATE_RUNTIME, "step_runtime_hooks");
                hooks(e, HOOK_CREATE_CONTAINER, "step_runtime_hooks");
        }
        explain_pivot(e);
        explain_sysctl(e);
        explain_finish(e);
        process_steps(e);
}

static void later_steps(const struct explain *e)
{
        section(e, "== start (cmd_start) ==");
        ex_step(e, "start",
                "write a byte to exec.fifo and unlink it: the init runs on and "
                "execs; wait until it did");
        hooks(e, HOOK_POSTSTART, "poststart");
        section(e, "== delete ==");
        ex_step(e, "container_destroy", "SIGKILL what is left, remove the cgroup, then %s/<id>",
                e->root);
        hooks(e, HOOK_POSTSTOP, "poststop");
}

void explain_print(const struct explain *e)
{
        const struct hull_config *c = e->cfg;
        fprintf(e->out, "The plan of `hull create <id>` for the bundle \"%s\" (ociVersion %s).\n",
                e->bundle, c->oci_version ? c->oci_version : "?");
        fprintf(e->out, "Nothing is run; steps are named after hull's functions "
                        "(docs/ARCHITECTURE.md).\n");
        fprintf(e->out, "rootfs: %s%s%s\n", c->root_path ? c->root_path : "(none)",
                c->root_path && c->root_path[0] != '/' ? " (in the bundle)" : "",
                c->root_readonly ? ", read-only" : "");
        for (size_t i = 0; i < c->n_annotations; i++)
                fprintf(e->out, "annotation %s=%s\n", c->annotations[i].key,
                        c->annotations[i].value);
        parent_steps(e);
        init_steps(e);
        later_steps(e);
}
