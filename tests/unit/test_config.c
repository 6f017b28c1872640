/* test_config.c - config.json parsing, validation, name tables and the
 * default spec.
 *
 * Usage: test_config SPEC_DIR   (the OCI runtime-spec checkout: its
 * schema/test/config/{good,bad} examples must parse / be rejected).
 * Prints TAP and a last line "N passed, M failed"; exits 1 on any failure.
 */
#include "test_config.h"

#include "config.h"
#include "error.h"
#include "fsutil.h"
#include "names.h"
#include "spec_default.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/personality.h>
#include <seccomp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

/* libcap, to cross-check the capability numbering.  Its header is not
 * included: its cap_from_name() clashes with config.h's. */
extern char *cap_to_name(int cap);
extern int cap_free(void *obj);

static int n_run, n_failed;

bool ok(bool cond, const char *fmt, ...)
{
        va_list ap;
        printf("%s %d - ", cond ? "ok" : "not ok", ++n_run);
        va_start(ap, fmt);
        vprintf(fmt, ap);
        va_end(ap);
        putchar('\n');
        if (!cond)
                n_failed++;
        return cond;
}

char *dq(const char *json)
{
        char *text = strdup(json);
        if (!text)
                abort();
        for (char *q = text; (q = strchr(q, '\'')); q++)
                *q = '"';
        return text;
}

int parse(struct hull_config *c, const char *json)
{
        char *text = dq(json);
        int r = config_parse(c, text, strlen(text), "test.json");
        free(text);
        return r;
}

/* want ending in '*' is a prefix. */
static bool msg_is(const char *got, const char *want)
{
        size_t n = strlen(want);
        if (n && want[n - 1] == '*')
                return strncmp(got, want, n - 1) == 0;
        return strcmp(got, want) == 0;
}

void parse_fails(const char *name, const char *json, const char *want)
{
        struct hull_config c;
        if (parse(&c, json) == 0) {
                ok(false, "%s: parse should fail", name);
                config_free(&c);
                return;
        }
        if (!ok(msg_is(herr_msg(), want), "%s", name))
                printf("#   got:  %s\n#   want: %s\n", herr_msg(), want);
}

void invalid(const char *name, const char *json, const char *want)
{
        struct hull_config c;
        if (parse(&c, json) < 0) {
                ok(false, "%s: parse failed: %s", name, herr_msg());
                return;
        }
        if (config_validate(&c) == 0)
                ok(false, "%s: validate should fail", name);
        else if (!ok(msg_is(herr_msg(), want), "%s", name))
                printf("#   got:  %s\n#   want: %s\n", herr_msg(), want);
        config_free(&c);
}

void valid(const char *name, const char *json)
{
        struct hull_config c;
        if (parse(&c, json) < 0) {
                ok(false, "%s: parse failed: %s", name, herr_msg());
                return;
        }
        int r = config_validate(&c);
        if (!ok(r == 0, "%s", name))
                printf("#   %s\n", herr_msg());
        config_free(&c);
}

/* ---- the spec's schema examples ---- */

static int json_file(const struct dirent *d)
{
        size_t n = strlen(d->d_name);
        return n > 5 && strcmp(d->d_name + n - 5, ".json") == 0;
}

static void schema_examples(const char *spec_dir, const char *kind, bool good)
{
        char dir[4096];
        struct dirent **list;
        snprintf(dir, sizeof(dir), "%s/schema/test/config/%s", spec_dir, kind);
        int n = scandir(dir, &list, json_file, alphasort);
        if (!ok(n > 0, "schema examples in %s", dir))
                return;
        for (int i = 0; i < n; i++) {
                char path[8192], *text;
                size_t len;
                struct hull_config c;
                snprintf(path, sizeof(path), "%s/%s", dir, list[i]->d_name);
                free(list[i]);
                if (read_file_at(AT_FDCWD, path, &text, &len) < 0) {
                        ok(false, "read %s: %s", path, herr_msg());
                        continue;
                }
                int r = config_parse(&c, text, len, path);
                free(text);
                if (good) {
                        if (!ok(r == 0, "accepts %s", path))
                                printf("#   %s\n", herr_msg());
                        else
                                config_free(&c);
                } else {
                        if (ok(r < 0, "rejects %s", path))
                                printf("#   %s\n", herr_msg());
                        else
                                config_free(&c);
                }
        }
        free(list);
}

/* ---- field values ---- */

static uint64_t caps(int a, int b, int c)
{
        return (UINT64_C(1) << a) | (UINT64_C(1) << b) | (UINT64_C(1) << c);
}

/* config_load() reads BUNDLE/config.json. */
static void load(const char *spec_dir, struct hull_config *c)
{
        char src[4096], bundle[] = "/tmp/test_config.XXXXXX", dst[64], *text;
        size_t len;
        if (!ok(config_load(c, "/nonexistent") < 0 &&
                    strcmp(herr_msg(), "open /nonexistent/config.json: no such file or "
                                       "directory") == 0,
                "config_load of a missing bundle fails"))
                printf("#   %s\n", herr_msg());
        snprintf(src, sizeof(src), "%s/schema/test/config/good/spec-example.json", spec_dir);
        if (read_file_at(AT_FDCWD, src, &text, &len) < 0) {
                ok(false, "read %s: %s", src, herr_msg());
                return;
        }
        if (!mkdtemp(bundle)) {
                ok(false, "mkdtemp %s", bundle);
                free(text);
                return;
        }
        snprintf(dst, sizeof(dst), "%s/config.json", bundle);
        FILE *f = fopen(dst, "w");
        if (f) {
                fwrite(text, 1, len, f);
                fclose(f);
        }
        free(text);
        int r = config_load(c, bundle);
        unlink(dst);
        rmdir(bundle);
        if (!ok(r == 0, "config_load(spec-example.json)"))
                printf("#   %s\n", herr_msg());
}

static void spec_example(const char *spec_dir)
{
        struct hull_config c = {0};
        load(spec_dir, &c);
        if (!c.json)
                return;
        const struct hull_process *p = &c.process;
        const struct hull_linux *l = &c.linux_;
        const struct hull_resources *r = &l->resources;
        ok(strcmp(c.oci_version, "0.5.0-dev") == 0 && strcmp(c.root_path, "rootfs") == 0 &&
               c.root_readonly,
           "spec-example: ociVersion, root");
        ok(p->present && p->terminal && p->user.uid == 1 && p->user.gid == 1 &&
               p->user.n_additional_gids == 2 && p->user.additional_gids[1] == 6,
           "spec-example: process.user");
        ok(p->n_args == 1 && strcmp(p->args[0], "sh") == 0 && p->args[1] == NULL && p->n_env == 2 &&
               p->env[2] == NULL && strcmp(p->cwd, "/") == 0,
           "spec-example: args, env (NULL-terminated), cwd");
        ok(p->caps.present && p->caps.has_bounding &&
               p->caps.bounding == caps(CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE) &&
               p->caps.effective ==
                   ((UINT64_C(1) << CAP_AUDIT_WRITE) | (UINT64_C(1) << CAP_KILL)) &&
               p->caps.ambient == UINT64_C(1) << CAP_NET_BIND_SERVICE,
           "spec-example: capabilities as masks");
        ok(p->n_rlimits == 2 && p->rlimits[0].resource == RLIMIT_CORE &&
               p->rlimits[1].resource == RLIMIT_NOFILE && p->rlimits[1].soft == 1024,
           "spec-example: rlimits");
        ok(strcmp(p->apparmor_profile, "acme_secure_profile") == 0 && p->selinux_label &&
               strcmp(c.hostname, "slartibartfast") == 0 &&
               strcmp(c.domainname, "foobarbaz.test") == 0,
           "spec-example: apparmor, selinux, hostname, domainname");
        ok(c.n_mounts == 7 && strcmp(c.mounts[6].destination, "/sys/fs/cgroup") == 0 &&
               c.mounts[6].n_options == 5 && strcmp(c.mounts[6].options[4], "ro") == 0 &&
               c.mounts[0].options == NULL,
           "spec-example: mounts");
        ok(c.hooks.n[HOOK_PRESTART] == 2 && c.hooks.n[HOOK_CREATE_RUNTIME] == 2 &&
               c.hooks.n[HOOK_CREATE_CONTAINER] == 1 && c.hooks.n[HOOK_START_CONTAINER] == 1 &&
               c.hooks.n[HOOK_POSTSTOP] == 1 && c.hooks.list[HOOK_POSTSTART][0].has_timeout &&
               c.hooks.list[HOOK_POSTSTART][0].timeout == 5 &&
               c.hooks.list[HOOK_PRESTART][0].n_args == 3 &&
               c.hooks.list[HOOK_PRESTART][0].args[3] == NULL &&
               c.hooks.list[HOOK_PRESTART][1].args && !c.hooks.list[HOOK_PRESTART][1].args[0] &&
               c.hooks.list[HOOK_PRESTART][1].env && !c.hooks.list[HOOK_PRESTART][1].env[0],
           "spec-example: hooks");
        ok(l->n_devices == 2 && l->devices[0].type == 'c' && l->devices[0].major == 10 &&
               l->devices[0].minor == 229 && l->devices[0].file_mode == 0666 &&
               l->devices[1].type == 'b' && l->devices[1].has_uid,
           "spec-example: linux.devices");
        ok(l->n_uid_mappings == 1 && l->uid_mappings[0].host_id == 1000 &&
               l->uid_mappings[0].size == 32000 && l->n_gid_mappings == 1,
           "spec-example: id mappings");
        ok(l->n_sysctl == 2 && strcmp(l->sysctl[0].key, "net.ipv4.ip_forward") == 0 &&
               strcmp(l->sysctl[1].value, "256") == 0,
           "spec-example: sysctl in file order");
        ok(strcmp(l->cgroups_path, "/myRuntime/myContainer") == 0 && r->present &&
               r->network.has_class_id && r->network.class_id == 1048577 &&
               r->network.n_priorities == 2 && r->network.priorities[1].priority == 1000 &&
               r->pids.present && r->pids.limit == 32771,
           "spec-example: cgroupsPath, network, pids");
        ok(r->n_hugepage_limits == 2 && strcmp(r->hugepage_limits[1].page_size, "64KB") == 0 &&
               r->hugepage_limits[0].limit == 9223372036854772000ULL,
           "spec-example: hugepageLimits");
        ok(r->memory.present && r->memory.limit == 536870912 && r->memory.kernel == -1 &&
               r->memory.has_swappiness && r->memory.swappiness == 0 &&
               r->memory.has_disable_oom_killer && !r->memory.disable_oom_killer,
           "spec-example: memory");
        ok(r->cpu.present && r->cpu.shares == 1024 && r->cpu.quota == 1000000 && r->cpu.has_burst &&
               r->cpu.realtime_runtime == 950000 && strcmp(r->cpu.cpus, "2-3") == 0 &&
               !r->cpu.has_idle,
           "spec-example: cpu");
        ok(r->n_devices == 3 && !r->devices[0].allow && r->devices[0].type == 'a' &&
               r->devices[0].major == -1 && !r->devices[0].has_minor &&
               strcmp(r->devices[0].access, "rwm") == 0 && r->devices[2].type == 'b' &&
               strcmp(r->devices[2].access, "r") == 0,
           "spec-example: device rules");
        ok(r->block_io.present && r->block_io.weight == 10 && r->block_io.n_weight_device == 2 &&
               r->block_io.weight_device[0].leaf_weight == 300 &&
               !r->block_io.weight_device[1].has_leaf_weight && r->block_io.n_read_bps == 1 &&
               r->block_io.read_bps[0].rate == 600 && r->block_io.n_write_iops == 1 &&
               r->block_io.n_write_bps == 0,
           "spec-example: blockIO");
        ok(l->rootfs_propagation == MS_SLAVE && l->seccomp.present &&
               l->seccomp.default_action_value == SCMP_ACT_ALLOW &&
               l->seccomp.n_architectures == 2 && l->seccomp.n_syscalls == 1 &&
               l->seccomp.syscalls[0].action == SCMP_ACT_ERRNO(0) &&
               !l->seccomp.syscalls[0].has_errno_ret && l->seccomp.syscalls[0].n_names == 2,
           "spec-example: rootfsPropagation, seccomp");
        bool all_ns = true;
        for (int k = 0; k < NS_KINDS; k++)
                all_ns = all_ns && l->ns[k].present && !l->ns[k].path;
        ok(all_ns && l->ns[NS_TIME].index == 7 && l->has_time_offsets &&
               l->time_offset_boottime.secs == 604800,
           "spec-example: namespaces, timeOffsets");
        ok(l->n_masked_paths == 4 && l->n_readonly_paths == 6 && l->mount_label &&
               c.n_annotations == 2 && strcmp(c.annotations[1].key, "com.example.key2") == 0,
           "spec-example: masked/readonly paths, mountLabel, annotations");
        config_free(&c);
}

static const char everything[] =
    "{'ociVersion': '1.3.0',"
    " 'root': {'path': '/rootfs'},"
    " 'process': {"
    "   'cwd': '/', 'args': ['sh'],"
    "   'user': {'uid': 5, 'umask': 18},"
    "   'consoleSize': {'height': 25, 'width': 80},"
    "   'oomScoreAdj': -500,"
    "   'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 10, 'hard': 18446744073709551615}],"
    "   'scheduler': {'policy': 'SCHED_DEADLINE',"
    "                 'flags': ['SCHED_FLAG_RECLAIM', 'SCHED_FLAG_DL_OVERRUN'],"
    "                 'runtime': 1, 'deadline': 2, 'period': 3},"
    "   'ioPriority': {'class': 'IOPRIO_CLASS_IDLE', 'priority': 4},"
    "   'execCPUAffinity': {'initial': '7', 'final': '0-3, 7'},"
    "   'capabilities': {'bounding': ['CAP_CHECKPOINT_RESTORE', 'cap_chown'], 'effective': []}},"
    " 'mounts': [{'destination': 'data', 'source': '/src', 'options': ['bind', 'idmap'],"
    "             'uidMappings': [{'containerID': 0, 'hostID': 1000, 'size': 10}],"
    "             'gidMappings': [{'containerID': 0, 'hostID': 2000, 'size': 10}]}],"
    " 'hostname': null,"
    " 'linux': {"
    "   'namespaces': [{'type': 'mount'}, {'type': 'network', 'path': '/proc/self/ns/net'}],"
    "   'rootfsPropagation': 'rprivate',"
    "   'personality': {'domain': 'LINUX32'},"
    "   'timeOffsets': {'monotonic': {'secs': -5, 'nanosecs': 7}},"
    "   'resources': {"
    "     'rdma': {'mlx5_1': {'hcaHandles': 3}},"
    "     'unified': {'memory.high': 'max'},"
    "     'cpu': {'idle': 1},"
    "     'devices': [{'allow': true, 'type': 'c', 'major': 1, 'access': 'mwr'}]},"
    "   'seccomp': {"
    "     'defaultAction': 'SCMP_ACT_ERRNO', 'defaultErrnoRet': 38,"
    "     'flags': ['SECCOMP_FILTER_FLAG_LOG'],"
    "     'syscalls': [{'names': ['personality'], 'action': 'SCMP_ACT_ALLOW',"
    "                   'args': [{'index': 0, 'value': 8, 'op': 'SCMP_CMP_MASKED_EQ',"
    "                             'valueTwo': 255}]}]},"
    "   'windows': {'ignored': true}},"
    " 'solaris': 42,"
    " 'someFutureField': {'x': 1}}";

static void field_values(void)
{
        struct hull_config c;
        if (parse(&c, everything) < 0) {
                ok(false, "hand-written config parses: %s", herr_msg());
                return;
        }
        const struct hull_process *p = &c.process;
        const struct hull_linux *l = &c.linux_;
        ok(p->user.uid == 5 && p->user.gid == 0 && p->user.has_umask && p->user.umask == 022 &&
               p->has_console_size && p->console_width == 80 && p->has_oom_score_adj &&
               p->oom_score_adj == -500,
           "user, consoleSize, oomScoreAdj");
        ok(p->rlimits[0].hard == UINT64_MAX && p->rlimits[0].soft == 10,
           "uint64 above INT64_MAX (RLIM_INFINITY) is read exactly");
        ok(p->scheduler.present && p->scheduler.policy == 6 && p->scheduler.flags == 0x06 &&
               p->scheduler.period == 3,
           "scheduler policy and flags");
        ok(p->io_priority.present && p->io_priority.class == 3 && p->io_priority.priority == 4,
           "ioPriority");
        ok(strcmp(p->cpu_affinity_initial, "7") == 0 &&
               strcmp(p->cpu_affinity_final, "0-3, 7") == 0,
           "execCPUAffinity");
        ok(p->caps.bounding == ((UINT64_C(1) << 40) | 1) && p->caps.has_effective &&
               p->caps.effective == 0 && !p->caps.has_permitted,
           "capability names (any case), empty set");
        ok(strcmp(c.mounts[0].destination, "/data") == 0,
           "relative mount destination made absolute");
        ok(c.mounts[0].n_uid_mappings == 1 && c.mounts[0].uid_mappings[0].host_id == 1000 &&
               c.mounts[0].gid_mappings[0].host_id == 2000,
           "idmapped mount mappings");
        ok(c.hostname == NULL, "null is absent");
        ok(l->ns[NS_MNT].present && strcmp(l->ns[NS_NET].path, "/proc/self/ns/net") == 0 &&
               l->ns[NS_NET].index == 1 && !l->ns[NS_PID].present,
           "namespaces with a path");
        ok(l->rootfs_propagation == (MS_PRIVATE | MS_REC) &&
               strcmp(l->rootfs_propagation_name, "rprivate") == 0,
           "rootfsPropagation r-variant");
        ok(l->personality.present && l->personality.domain == PER_LINUX32, "personality");
        ok(l->has_time_offsets && l->time_offset_monotonic.secs == -5 &&
               l->time_offset_monotonic.nanosecs == 7 && l->time_offset_boottime.secs == 0,
           "timeOffsets");
        ok(l->resources.n_rdma == 1 && strcmp(l->resources.rdma[0].device, "mlx5_1") == 0 &&
               l->resources.rdma[0].has_hca_handles && !l->resources.rdma[0].has_hca_objects,
           "rdma");
        ok(l->resources.n_unified == 1 && strcmp(l->resources.unified[0].value, "max") == 0 &&
               l->resources.cpu.has_idle && l->resources.cpu.idle == 1,
           "unified, cpu.idle");
        ok(l->resources.devices[0].major == 1 && l->resources.devices[0].minor == -1 &&
               strcmp(l->resources.devices[0].access, "rwm") == 0,
           "device rule: wildcard minor, access normalised");
        const struct hull_seccomp *s = &l->seccomp;
        ok(s->default_action_value == SCMP_ACT_ERRNO(0) && s->has_default_errno_ret &&
               s->default_errno_ret == 38 && s->n_flags == 1 && s->syscalls[0].n_args == 1 &&
               s->syscalls[0].args[0].op == SCMP_CMP_MASKED_EQ &&
               s->syscalls[0].args[0].value_two == 255,
           "seccomp");
        ok(!l->has_intel_rdt && !l->has_net_devices && !l->has_memory_policy,
           "no unsupported sections");
        config_free(&c);
}

static void edge_cases(void)
{
        struct hull_config c;
        const char *text = "{\"ociVersion\": \"1\", \"hostname\": \"\\u0001x\", "
                           "\"annotations\": {\"\": \"empty key\"}}";
        int r = parse(&c, text);
        if (ok(r == 0, "strings starting with \\u0001, empty annotation keys are accepted")) {
                ok(strcmp(c.hostname, "\001x") == 0 && c.n_annotations == 1 &&
                       strcmp(c.annotations[0].key, "") == 0,
                   "... and kept as they are");
                config_free(&c);
        } else {
                printf("#   %s\n", herr_msg());
        }
        r = parse(&c, "{'ociVersion': '1', 'linux': {'maskedPaths': [], 'namespaces': []}}");
        if (ok(r == 0, "empty arrays")) {
                ok(c.has_linux && c.linux_.n_masked_paths == 0 && c.linux_.masked_paths &&
                       c.linux_.masked_paths[0] == NULL && c.process.args == NULL,
                   "empty array is non-NULL and NULL-terminated, absent array is NULL");
                config_free(&c);
        }
        parse_fails("null array item", "{'ociVersion': '1', 'mounts': [null]}",
                    "mounts[0]: expected an object, got null");
        config_free(NULL);
        memset(&c, 0, sizeof(c));
        config_free(&c);
        ok(true, "config_free of NULL and of a zeroed config");
}

/* ---- exec --process FILE ---- */

static void exec_process(void)
{
        struct hull_config c;
        if (parse(&c, spec_default_json(false)) < 0) {
                ok(false, "default spec parses: %s", herr_msg());
                return;
        }
        const char good[] = "{'cwd': '/tmp', 'args': ['ls', '-l'], 'env': ['A=1'],"
                            " 'user': {'uid': 7}, 'capabilities': {'bounding': ['CAP_KILL']},"
                            " 'rlimits': [{'type': 'RLIMIT_CPU', 'soft': 18446744073709551615,"
                            "              'hard': 18446744073709551615}]}";
        const char *bad[][2] = {
            {"{'args': ['ls']}", "process.cwd: required field is missing"},
            {"{'cwd': '/', 'args': []}", "process.args: must not be empty"},
            {"{'cwd': '/', 'args': ['ls'], 'user': {'uid': 'root'}}",
             "process.user.uid: expected an unsigned 32-bit integer, got a string"},
            {"[1]", "process: expected an object, got an array"},
            {"null", "p.json: invalid JSON at line 1*"},
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
                char *text = dq(bad[i][0]);
                int r = config_parse_process(&c, text, strlen(text), "p.json");
                free(text);
                if (!ok(r < 0 && msg_is(herr_msg(), bad[i][1]) && c.process.n_args == 1 &&
                            strcmp(c.process.args[0], "sh") == 0,
                        "config_parse_process rejects %s, config unchanged", bad[i][0]))
                        printf("#   got:  %s\n#   want: %s\n", herr_msg(), bad[i][1]);
        }
        char *text = dq(good);
        int r = config_parse_process(&c, text, strlen(text), "p.json");
        free(text);
        if (!ok(r == 0 && c.process.n_args == 2 && strcmp(c.process.args[1], "-l") == 0 &&
                    !c.process.args[2] && strcmp(c.process.cwd, "/tmp") == 0 &&
                    c.process.user.uid == 7 && !c.process.terminal &&
                    c.process.caps.bounding == UINT64_C(1) << CAP_KILL &&
                    c.process.rlimits[0].soft == UINT64_MAX && strcmp(c.hostname, "runc") == 0,
                "config_parse_process replaces the process"))
                printf("#   %s\n", herr_msg());
        config_free(&c);
}

/* ---- the default spec ---- */

static void default_spec(void)
{
        for (int rootless = 0; rootless < 2; rootless++) {
                const char *text = spec_default_json(rootless);
                size_t len = strlen(text);
                struct hull_config c;
                const char *head = "{\n\t\"ociVersion\": \"1.3.0\",\n\t\"process\": {\n";
                ok(strncmp(text, head, strlen(head)) == 0 && text[len - 1] == '}',
                   "spec_default_json(%d): runc layout, tabs, no final newline", rootless);
                if (parse(&c, text) < 0) {
                        ok(false, "spec_default_json(%d) parses: %s", rootless, herr_msg());
                        continue;
                }
                const struct hull_linux *l = &c.linux_;
                uint64_t three = caps(CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE);
                ok(c.process.n_args == 1 && c.process.terminal && c.process.no_new_privileges &&
                       c.process.caps.bounding == three && c.process.caps.ambient == three &&
                       !c.process.caps.has_inheritable && c.process.n_rlimits == 1 &&
                       c.process.rlimits[0].resource == RLIMIT_NOFILE,
                   "spec_default_json(%d): process", rootless);
                ok(strcmp(c.root_path, "rootfs") == 0 && c.root_readonly &&
                       strcmp(c.hostname, "runc") == 0 && c.n_mounts == 7 &&
                       l->n_masked_paths == 10 && l->n_readonly_paths == 5,
                   "spec_default_json(%d): root, hostname, mounts, masked/readonly", rootless);
                if (!rootless)
                        ok(l->ns[NS_NET].present && !l->ns[NS_USER].present &&
                               l->resources.n_devices == 1 && !l->resources.devices[0].allow &&
                               strcmp(c.mounts[5].type, "sysfs") == 0,
                           "spec_default_json(0): network namespace, deny-all devices, sysfs");
                else
                        ok(!l->ns[NS_NET].present && l->ns[NS_USER].present &&
                               l->ns[NS_USER].index == 4 && l->n_uid_mappings == 1 &&
                               l->uid_mappings[0].host_id == geteuid() &&
                               l->gid_mappings[0].host_id == getegid() && !l->resources.present &&
                               strcmp(c.mounts[5].source, "/sys") == 0 &&
                               strcmp(c.mounts[5].options[0], "rbind") == 0,
                           "spec_default_json(1): user namespace, mappings, /sys bind");
                int v = config_validate(&c);
                if (!ok(v == 0, "spec_default_json(%d) validates", rootless))
                        printf("#   %s\n", herr_msg());
                config_free(&c);
        }
        const char *t = spec_default_json_ids(true, 1234, 5678);
        ok(strstr(t, "\"hostID\": 1234,") && strstr(t, "\"hostID\": 5678,"),
           "spec_default_json_ids puts the ids in the mappings");
}

/* ---- name tables ---- */

static void names(void)
{
        bool round = true, libcap_agrees = true;
        for (int i = 0; i <= cap_last_known(); i++) {
                round = round && cap_name(i) && cap_from_name(cap_name(i)) == i;
                char *lc = cap_to_name(i);
                libcap_agrees = libcap_agrees && lc && strcasecmp(lc, cap_name(i)) == 0;
                cap_free(lc);
        }
        ok(cap_last_known() == 40 && strcmp(cap_name(0), "CAP_CHOWN") == 0 &&
               strcmp(cap_name(40), "CAP_CHECKPOINT_RESTORE") == 0 && cap_name(41) == NULL &&
               cap_from_name("CAP_SYS_ADMIN") == 21 && cap_from_name("CAP_FOO") == -1,
           "capability table");
        ok(round, "capability names round-trip");
        ok(libcap_agrees, "capability numbering agrees with libcap");
        ok(rlimit_from_name("RLIMIT_NOFILE") == RLIMIT_NOFILE &&
               rlimit_from_name("RLIMIT_RTTIME") == RLIMIT_RTTIME &&
               rlimit_from_name("RLIMIT_FOO") == -1 &&
               strcmp(rlimit_name(RLIMIT_MEMLOCK), "RLIMIT_MEMLOCK") == 0,
           "rlimit table");
        ok(ns_kind_from_name("network") == NS_NET && ns_kind_clone_flag(NS_TIME) == 0x80 &&
               strcmp(ns_kind_name(NS_MNT), "mount") == 0 &&
               strcmp(hook_kind_name(HOOK_CREATE_CONTAINER), "createContainer") == 0,
           "namespace and hook names");
        uint32_t a = 0, b = 0, x = 0;
        ok(seccomp_action_from_name("SCMP_ACT_KILL_PROCESS", &a) == 0 &&
               a == SCMP_ACT_KILL_PROCESS && seccomp_action_from_name("SCMP_ACT_TRACE", &b) == 0 &&
               b == SCMP_ACT_TRACE(0) && seccomp_action_takes_errno(b) &&
               !seccomp_action_takes_errno(SCMP_ACT_LOG) &&
               strcmp(seccomp_action_name(SCMP_ACT_ERRNO(13)), "SCMP_ACT_ERRNO") == 0 &&
               seccomp_action_from_name("SCMP_ACT_NOPE", &a) < 0,
           "seccomp actions are libseccomp's values");
        ok(seccomp_op_from_name("SCMP_CMP_NE") == SCMP_CMP_NE &&
               seccomp_op_from_name("SCMP_CMP_MASKED_EQ") == 7 &&
               strcmp(seccomp_op_name(SCMP_CMP_GT), "SCMP_CMP_GT") == 0,
           "seccomp operators 1..7");
        ok(seccomp_arch_from_name("SCMP_ARCH_X86_64", &x) == 0 && x == SCMP_ARCH_X86_64 &&
               seccomp_arch_from_name("SCMP_ARCH_X32", &x) == 0 && x == SCMP_ARCH_X32 &&
               seccomp_arch_from_name("SCMP_ARCH_AARCH64", &x) == 0 && x == SCMP_ARCH_AARCH64 &&
               strcmp(seccomp_arch_name(SCMP_ARCH_RISCV64), "SCMP_ARCH_RISCV64") == 0,
           "seccomp architectures are libseccomp's values");
        unsigned f = 0;
        unsigned long prop = 0, dom = 1;
        ok(seccomp_flag_from_name("SECCOMP_FILTER_FLAG_SPEC_ALLOW", &f) == 0 && f == 4 &&
               propagation_from_name("rshared", &prop) == 0 && prop == (MS_SHARED | MS_REC) &&
               personality_from_name("LINUX", &dom) == 0 && dom == PER_LINUX &&
               sched_policy_from_name("SCHED_IDLE") == 5 &&
               ioprio_class_from_name("IOPRIO_CLASS_RT") == 1,
           "flags, propagation, personality, scheduler and ioprio names");
}

int main(int argc, char **argv)
{
        if (argc < 2) {
                fprintf(stderr, "usage: %s OCI_RUNTIME_SPEC_DIR\n", argv[0]);
                return 2;
        }
        schema_examples(argv[1], "good", true);
        schema_examples(argv[1], "bad", false);
        spec_example(argv[1]);
        field_values();
        edge_cases();
        parse_errors();
        validation();
        default_spec();
        exec_process();
        names();
        printf("1..%d\n", n_run);
        printf("%d passed, %d failed\n", n_run - n_failed, n_failed);
        return n_failed ? 1 : 0;
}
