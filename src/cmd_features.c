/* cmd_features.c - `features` (features.md): what this build of hull
 * really supports, from the same tables the code uses. */
#include "cli.h"
#include "config.h"
#include "error.h"
#include "hull-version.h"
#include "log.h"
#include "mount_opts.h"

#include <jansson.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static json_t *strings(const char *const *list, size_t n)
{
        json_t *a = json_array();
        for (size_t i = 0; i < n; i++)
                json_array_append_new(a, json_string(list[i]));
        return a;
}

int cmd_features(const struct hull_global *g, int argc, char **argv)
{
        (void)g;
        (void)argv;
        if (argc > 1) {
                printf(
                    "Usage: hull features\n\nPrint what hull supports, as JSON (features.md).\n");
                return 0;
        }
        static const char *const hooks[] = {"prestart",       "createRuntime", "createContainer",
                                            "startContainer", "poststart",     "poststop"};
        static const char *const ns[] = {"cgroup", "ipc",  "mount", "network",
                                         "pid",    "time", "user",  "uts"};
        static const char *const actions[] = {
            "SCMP_ACT_ALLOW",        "SCMP_ACT_ERRNO",       "SCMP_ACT_KILL",
            "SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG",
            "SCMP_ACT_NOTIFY",       "SCMP_ACT_TRACE",       "SCMP_ACT_TRAP"};
        static const char *const ops[] = {"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
                                          "SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ",
                                          "SCMP_CMP_NE"};
        static const char *const archs[] = {
            "SCMP_ARCH_AARCH64",  "SCMP_ARCH_ARM",         "SCMP_ARCH_MIPS",
            "SCMP_ARCH_MIPS64",   "SCMP_ARCH_MIPS64N32",   "SCMP_ARCH_MIPSEL",
            "SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC",
            "SCMP_ARCH_PPC64",    "SCMP_ARCH_PPC64LE",     "SCMP_ARCH_RISCV64",
            "SCMP_ARCH_S390",     "SCMP_ARCH_S390X",       "SCMP_ARCH_X32",
            "SCMP_ARCH_X86",      "SCMP_ARCH_X86_64"};
        static const char *const sflags[] = {"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
                                             "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                             "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"};
        json_t *o = json_object();
        json_object_set_new(o, "ociVersionMin", json_string("1.0.0"));
        json_object_set_new(o, "ociVersionMax", json_string(HULL_SPEC_VERSION));
        json_object_set_new(o, "hooks", strings(hooks, sizeof(hooks) / sizeof(hooks[0])));
        /* every option name runc knows, listed if hull's parser knows it */
        static const char *const mopts[] = {"async",         "atime",        "bind",
                                            "defaults",      "dev",          "diratime",
                                            "dirsync",       "exec",         "idmap",
                                            "iversion",      "lazytime",     "loud",
                                            "mand",          "noatime",      "nodev",
                                            "nodiratime",    "noexec",       "noiversion",
                                            "nolazytime",    "nomand",       "norelatime",
                                            "nostrictatime", "nosuid",       "nosymfollow",
                                            "private",       "ratime",       "rbind",
                                            "rdev",          "rdiratime",    "relatime",
                                            "remount",       "rexec",        "ridmap",
                                            "rnoatime",      "rnodev",       "rnodiratime",
                                            "rnoexec",       "rnorelatime",  "rnostrictatime",
                                            "rnosuid",       "rnosymfollow", "ro",
                                            "rprivate",      "rrelatime",    "rro",
                                            "rrw",           "rshared",      "rslave",
                                            "rstrictatime",  "rsuid",        "rsymfollow",
                                            "runbindable",   "rw",           "shared",
                                            "silent",        "slave",        "strictatime",
                                            "suid",          "symfollow",    "sync",
                                            "tmpcopyup",     "unbindable"};
        json_t *mo = json_array();
        for (size_t i = 0; i < sizeof(mopts) / sizeof(mopts[0]); i++)
                if (mount_opt_known(mopts[i]))
                        json_array_append_new(mo, json_string(mopts[i]));
        json_object_set_new(o, "mountOptions", mo);

        json_t *lx = json_object();
        json_object_set_new(lx, "namespaces", strings(ns, sizeof(ns) / sizeof(ns[0])));
        json_t *caps = json_array();
        for (int c = 0; c <= cap_last_known(); c++)
                if (cap_name(c))
                        json_array_append_new(caps, json_string(cap_name(c)));
        json_object_set_new(lx, "capabilities", caps);
        json_t *cg = json_object();
        json_object_set_new(cg, "v1", json_true());
        json_object_set_new(cg, "v2", json_true());
        json_object_set_new(cg, "systemd", json_true());
        json_object_set_new(cg, "systemdUser", json_false());
        json_object_set_new(cg, "rdma", json_true());
        json_object_set_new(lx, "cgroup", cg);
        json_t *sc = json_object();
        json_object_set_new(sc, "enabled", json_true());
        json_object_set_new(sc, "actions", strings(actions, sizeof(actions) / sizeof(actions[0])));
        json_object_set_new(sc, "operators", strings(ops, sizeof(ops) / sizeof(ops[0])));
        json_object_set_new(sc, "archs", strings(archs, sizeof(archs) / sizeof(archs[0])));
        json_object_set_new(sc, "knownFlags", strings(sflags, 4));
        json_object_set_new(sc, "supportedFlags", strings(sflags, 4));
        json_object_set_new(lx, "seccomp", sc);
        json_t *aa = json_object();
        json_object_set_new(aa, "enabled", json_true());
        json_object_set_new(lx, "apparmor", aa);
        json_t *se = json_object();
        json_object_set_new(se, "enabled", json_true());
        json_object_set_new(lx, "selinux", se);
        json_t *rdt = json_object();
        json_object_set_new(rdt, "enabled", json_false());
        json_object_set_new(lx, "intelRdt", rdt);
        json_t *me = json_object(), *idm = json_object();
        json_object_set_new(idm, "enabled", json_true());
        json_object_set_new(me, "idmap", idm);
        json_object_set_new(lx, "mountExtensions", me);
        json_object_set_new(o, "linux", lx);
        json_t *ann = json_object();
        json_object_set_new(ann, "io.github.hull.version", json_string(HULL_VERSION));
        json_object_set_new(ann, "io.github.seccomp.libseccomp.version", json_string("2.5.4"));
        json_object_set_new(o, "annotations", ann);
        char *s = json_dumps(o, JSON_INDENT(4));
        printf("%s\n", s);
        free(s);
        json_decref(o);
        return 0;
}

int cmd_init(const struct hull_global *g, int argc, char **argv)
{
        (void)g;
        (void)argc;
        (void)argv;
        herr(0, "init is internal to runc; hull starts containers without it: use create or run");
        return log_fail();
}
