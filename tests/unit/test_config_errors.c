/* test_config_errors.c - config errors name the field (config_parse) and
 * what hull cannot honour (config_validate).  Harness: test_config.h.
 */
#include "test_config.h"

/* clang-format off */
#define PROC(s)   "{'ociVersion': '1.3.0', 'process': {'cwd': '/', " s "}}"
#define LINUX(s)  "{'ociVersion': '1.3.0', 'linux': {" s "}}"
#define BASE_PROC "'process': {'cwd': '/', 'args': ['sh']}"
#define CFG(s)    "{'ociVersion': '1.3.0', 'root': {'path': 'rootfs'}, " BASE_PROC ", " s "}"
#define NS(s)     CFG("'linux': {'namespaces': [{'type': 'mount'}, " s "]}")
/* clang-format on */

/* ---- errors name the field ---- */

void parse_errors(void)
{
        parse_fails("invalid JSON", "{]", "test.json: invalid JSON at line 1*");
        parse_fails("not an object", "[]", "test.json: expected a JSON object, got an array");
        parse_fails("ociVersion required", "{}", "ociVersion: required field is missing");
        parse_fails("ociVersion type", "{'ociVersion': 1}",
                    "ociVersion: expected a string, got an integer");
        parse_fails("root.path required", "{'ociVersion': '1', 'root': {}}",
                    "root.path: required field is missing");
        parse_fails("process.cwd required", "{'ociVersion': '1', 'process': {}}",
                    "process.cwd: required field is missing");
        parse_fails("args type", PROC("'args': 'sh'"),
                    "process.args: expected an array, got a string");
        parse_fails("env item type", PROC("'env': ['A=1', 2]"),
                    "process.env[1]: expected a string, got an integer");
        {
                struct hull_config c;
                int r = parse(&c, PROC("'capabilities': {'bounding': ['CAP_CHOWN', 'CAP_KILL', "
                                       "'CAP_FOO']}"));
                ok(r == 0 && c.process.caps.bounding == ((1ULL << 0) | (1ULL << 5)),
                   "unknown capability: ignored with a warning");
                if (r == 0)
                        config_free(&c);
        }
        parse_fails("unknown rlimit",
                    PROC("'rlimits': [{'type': 'RLIMIT_FOO', 'soft': 1, 'hard': 1}]"),
                    "process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\"");
        parse_fails("rlimit soft required", PROC("'rlimits': [{'type': 'RLIMIT_CORE', 'hard': 1}]"),
                    "process.rlimits[0].soft: required field is missing");
        parse_fails("duplicate rlimit",
                    PROC("'rlimits': [{'type': 'RLIMIT_NOFILE', 'soft': 1, 'hard': 1},"
                         "            {'type': 'RLIMIT_NOFILE', 'soft': 2, 'hard': 2}]"),
                    "process.rlimits[1]: duplicate rlimit RLIMIT_NOFILE (also rlimits[0])");
        parse_fails("uid negative", PROC("'user': {'uid': -1}"),
                    "process.user.uid: expected an unsigned 32-bit integer, got -1");
        parse_fails("uid above uint32", PROC("'user': {'uid': 18446744073709551615}"),
                    "process.user.uid: expected an unsigned 32-bit integer, got "
                    "18446744073709551615");
        parse_fails("above uint64", PROC("'user': {'uid': 18446744073709551616}"),
                    "test.json: invalid JSON at line 1*");
        parse_fails("additionalGids item", PROC("'user': {'additionalGids': [1, 'x']}"),
                    "process.user.additionalGids[1]: expected an unsigned 32-bit integer, got a "
                    "string");
        parse_fails("real for integer", PROC("'oomScoreAdj': 1.5"),
                    "process.oomScoreAdj: expected a signed 32-bit integer, got a number with a "
                    "fraction or exponent");
        parse_fails("big number for a string",
                    "{'ociVersion': '1', 'hostname': 18446744073709551615}",
                    "hostname: expected a string, got an integer");
        parse_fails("scheduler policy", PROC("'scheduler': {'policy': 'SCHED_FAST'}"),
                    "process.scheduler.policy: unknown scheduler policy \"SCHED_FAST\"");
        parse_fails("scheduler flag", PROC("'scheduler': {'policy': 'SCHED_RR', 'flags': ['X']}"),
                    "process.scheduler.flags[0]: unknown scheduler flag \"X\"");
        parse_fails("ioPriority class", PROC("'ioPriority': {'class': 'IOPRIO_CLASS_NONE'}"),
                    "process.ioPriority.class: unknown I/O priority class \"IOPRIO_CLASS_NONE\"");
        parse_fails("cpu affinity form", PROC("'execCPUAffinity': {'final': 'all'}"),
                    "process.execCPUAffinity.final: expected a CPU list such as \"0-3,7\", got "
                    "\"all\"");
        parse_fails("mount destination required",
                    "{'ociVersion': '1', 'mounts': [{'destination': '/a'}, {'type': 'tmpfs'}]}",
                    "mounts[1].destination: required field is missing");
        parse_fails("mount idmap field",
                    "{'ociVersion': '1', 'mounts': [{'destination': '/a',"
                    " 'uidMappings': [{'containerID': 0, 'hostID': 1}]}]}",
                    "mounts[0].uidMappings[0].size: required field is missing");
        parse_fails("hook path required", "{'ociVersion': '1', 'hooks': {'prestart': [{}]}}",
                    "hooks.prestart[0].path: required field is missing");
        parse_fails("hook timeout > 0",
                    "{'ociVersion': '1', 'hooks': {'poststart': [{'path': '/x', 'timeout': 0}]}}",
                    "hooks.poststart[0].timeout: expected an integer from 1 to 2147483647, got 0");
        parse_fails("annotation value", "{'ociVersion': '1', 'annotations': {'a.b/c': true}}",
                    "annotations[\"a.b/c\"]: expected a string, got a boolean");
        parse_fails("duplicate namespace",
                    LINUX("'namespaces': [{'type': 'pid'}, {'type': 'network'}, {'type': 'pid'}]"),
                    "linux.namespaces[2].type: duplicate namespace \"pid\" (also namespaces[0])");
        parse_fails("unknown namespace", LINUX("'namespaces': [{'type': 'net'}]"),
                    "linux.namespaces[0].type: unknown namespace type \"net\"");
        parse_fails("bad propagation", LINUX("'rootfsPropagation': 'sideways'"),
                    "linux.rootfsPropagation: unknown propagation \"sideways\"*");
        parse_fails("device type", LINUX("'devices': [{'type': 'x', 'path': '/dev/x'}]"),
                    "linux.devices[0].type: expected one of c, b, u, p, got \"x\"");
        parse_fails("device major required", LINUX("'devices': [{'type': 'c', 'path': '/dev/x'}]"),
                    "linux.devices[0].major: required field is missing (type is \"c\")");
        parse_fails(
            "uid mapping type",
            LINUX("'uidMappings': [{'containerID': 0, 'hostID': '1', 'size': 1}]"),
            "linux.uidMappings[0].hostID: expected an unsigned 32-bit integer, got a string");
        parse_fails("rdma type", LINUX("'resources': {'rdma': {'mlx5_1': {'hcaHandles': 'x'}}}"),
                    "linux.resources.rdma.mlx5_1.hcaHandles: expected an unsigned 32-bit integer, "
                    "got a string");
        parse_fails("pids limit required", LINUX("'resources': {'pids': {}}"),
                    "linux.resources.pids.limit: required field is missing");
        parse_fails(
            "blockIO weight range", LINUX("'resources': {'blockIO': {'weight': 70000}}"),
            "linux.resources.blockIO.weight: expected an unsigned 16-bit integer, got 70000");
        parse_fails(
            "device rule access",
            LINUX("'resources': {'devices': [{'allow': true, 'access': 'rwx'}]}"),
            "linux.resources.devices[0].access: expected letters from \"rwm\", got \"rwx\"");
        parse_fails("sysctl value", LINUX("'sysctl': {'net.ipv4.ip_forward': 1}"),
                    "linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got an integer");
        parse_fails("seccomp defaultAction required", LINUX("'seccomp': {}"),
                    "linux.seccomp.defaultAction: required field is missing");
        parse_fails("seccomp action",
                    LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                          " 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_FOO'}]}"),
                    "linux.seccomp.syscalls[0].action: unknown seccomp action \"SCMP_ACT_FOO\"");
        parse_fails("seccomp names not empty",
                    LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                          " 'syscalls': [{'names': [], 'action': 'SCMP_ACT_LOG'}]}"),
                    "linux.seccomp.syscalls[0].names: must not be empty");
        parse_fails(
            "seccomp op",
            LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                  " 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_LOG',"
                  "               'args': [{'index': 1, 'value': 2, 'op': 'SCMP_CMP_XX'}]}]}"),
            "linux.seccomp.syscalls[0].args[0].op: unknown seccomp operator "
            "\"SCMP_CMP_XX\"");
        parse_fails(
            "seccomp errnoRet on ALLOW",
            LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                  " 'syscalls': [{'names': ['read'], 'action': 'SCMP_ACT_ALLOW', 'errnoRet': 1}]}"),
            "linux.seccomp.syscalls[0].errnoRet: SCMP_ACT_ALLOW does not take an errno");
        parse_fails("seccomp arch",
                    LINUX("'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                          " 'architectures': ['SCMP_ARCH_Z80']}"),
                    "linux.seccomp.architectures[0]: unknown seccomp architecture "
                    "\"SCMP_ARCH_Z80\"");
        parse_fails("personality domain", LINUX("'personality': {'domain': 'BSD'}"),
                    "linux.personality.domain: unknown personality domain \"BSD\"*");
        parse_fails("timeOffsets nanosecs",
                    LINUX("'timeOffsets': {'boottime': {'nanosecs': 1000000000}}"),
                    "linux.timeOffsets.boottime.nanosecs: expected an integer from 0 to "
                    "999999999, got 1000000000");
        parse_fails("memoryPolicy mode", LINUX("'memoryPolicy': {'mode': 'MPOL_FOO'}"),
                    "linux.memoryPolicy.mode: invalid value \"MPOL_FOO\"*");
        parse_fails("intelRdt memBwSchema", LINUX("'intelRdt': {'memBwSchema': 'L3:0=ff'}"),
                    "linux.intelRdt.memBwSchema: expected \"MB:...\" on one line, got \"L3:0=ff\"");
        parse_fails("freebsd enum", "{'ociVersion': '1', 'freebsd': {'jail': {'vnet': 'disable'}}}",
                    "freebsd.jail.vnet: invalid value \"disable\" (expected one of: new, inherit)");
}

/* ---- what hull cannot honour ---- */

void validation(void)
{
        valid("minimal runnable config is valid", CFG("'linux': {}"));
        valid("joining a namespace of the right type is valid",
              NS("{'type': 'network', 'path': '/proc/self/ns/net'}"));
        invalid("root.path missing", "{'ociVersion': '1.3.0', " BASE_PROC "}",
                "root.path: required on Linux");
        invalid("process missing", "{'ociVersion': '1.3.0', 'root': {'path': 'r'}}",
                "process: missing (required to start the container)");
        invalid("process.args missing",
                "{'ociVersion': '1.3.0', 'root': {'path': 'r'}, 'process': {'cwd': '/'}}",
                "process.args: must not be empty");
        invalid("process.args empty",
                "{'ociVersion': '1.3.0', 'root': {'path': 'r'},"
                " 'process': {'cwd': '/', 'args': []}}",
                "process.args: must not be empty");
        invalid("process.cwd relative",
                "{'ociVersion': '1.3.0', 'root': {'path': 'r'},"
                " 'process': {'cwd': 'tmp', 'args': ['sh']}}",
                "process.cwd: must be an absolute path, got \"tmp\"");
        invalid("ioPriority range",
                "{'ociVersion': '1.3.0', 'root': {'path': 'r'},"
                " 'process': {'cwd': '/', 'args': ['sh'],"
                "             'ioPriority': {'class': 'IOPRIO_CLASS_BE', 'priority': 9}}}",
                "process.ioPriority.priority: must be from 0 to 7, got 9");
        invalid("namespace path missing", NS("{'type': 'network', 'path': '/nonexistent/ns'}"),
                "linux.namespaces[1].path: open /nonexistent/ns: no such file or directory");
        invalid("namespace path of another type",
                NS("{'type': 'network', 'path': '/proc/self/ns/uts'}"),
                "linux.namespaces[1].path: /proc/self/ns/uts is not a network namespace");
        invalid("namespace path not a namespace", NS("{'type': 'ipc', 'path': '/dev/null'}"),
                "linux.namespaces[1].path: /dev/null is not a namespace");
        invalid("mappings without user namespace",
                CFG("'linux': {'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}"),
                "linux.uidMappings: given without a user namespace in linux.namespaces");
        invalid("user namespace without mappings", NS("{'type': 'user'}"),
                "linux.uidMappings: required to create a user namespace (or give "
                "linux.namespaces[1].path to join one)");
        invalid("hostname without UTS namespace", CFG("'hostname': 'h', 'linux': {}"),
                "hostname: needs a UTS namespace in linux.namespaces");
        invalid("timeOffsets without time namespace",
                CFG("'linux': {'timeOffsets': {'boottime': {'secs': 1}}}"),
                "linux.timeOffsets: needs a time namespace in linux.namespaces");
        invalid("host-wide sysctl", CFG("'linux': {'sysctl': {'kernel.panic': '1'}}"),
                "linux.sysctl[\"kernel.panic\"]: not in a namespace of its own: setting it would "
                "change the host");
        invalid("kernel.hostname sysctl",
                CFG("'linux': {'namespaces': [{'type': 'mount'}, {'type': 'uts'}],"
                    "          'sysctl': {'kernel.hostname': 'h'}}"),
                "linux.sysctl[\"kernel.hostname\"]: conflicts with the hostname field: set "
                "hostname instead");
        invalid("net sysctl in the host's network namespace",
                CFG("'linux': {'namespaces': [{'type': 'mount'},"
                    "                         {'type': 'network', 'path': '/proc/self/ns/net'}],"
                    "          'sysctl': {'net.ipv4.ip_forward': '1'}}"),
                "linux.sysctl[\"net.ipv4.ip_forward\"]: linux.namespaces[1].path is the host's "
                "network namespace: setting it would change the host");
        invalid("net sysctl without network namespace",
                CFG("'linux': {'sysctl': {'net/ipv4/ip_forward': '1'}}"),
                "linux.sysctl[\"net/ipv4/ip_forward\"]: needs a network namespace in "
                "linux.namespaces");
        invalid("idmap mount with uid mappings only",
                CFG("'mounts': [{'destination': '/a', 'options': ['idmap'],"
                    "             'uidMappings': [{'containerID': 0, 'hostID': 1, 'size': 1}]}]"),
                "mounts[0].uidMappings: must be given together with gidMappings");
        invalid("idmap without mappings or user namespace",
                CFG("'mounts': [{'destination': '/a', 'options': ['rbind', 'ridmap']}]"),
                "mounts[0].options: idmap needs uidMappings and gidMappings or a user namespace");
        invalid("seccomp notify without listener",
                CFG("'linux': {'seccomp': {'defaultAction': 'SCMP_ACT_ALLOW',"
                    "  'syscalls': [{'names': ['mkdir'], 'action': 'SCMP_ACT_NOTIFY'}]}}"),
                "linux.seccomp.listenerPath: required by linux.seccomp.syscalls[0] "
                "(SCMP_ACT_NOTIFY)");
        invalid("maskedPaths relative", CFG("'linux': {'maskedPaths': ['proc/kcore']}"),
                "linux.maskedPaths[0]: must be an absolute path, got \"proc/kcore\"");
        invalid("intelRdt", CFG("'linux': {'intelRdt': {'closID': 'x'}}"),
                "linux.intelRdt: not supported*");
        invalid("netDevices", CFG("'linux': {'netDevices': {'eth0': {'name': 'c0'}}}"),
                "linux.netDevices: not supported yet");
        invalid("memoryPolicy", CFG("'linux': {'memoryPolicy': {'mode': 'MPOL_BIND'}}"),
                "linux.memoryPolicy: not supported yet");
        invalid("personality flags",
                CFG("'linux': {'personality': {'domain': 'LINUX',"
                    "                              'flags': ['ADDR_NO_RANDOMIZE']}}"),
                "linux.personality.flags: not supported (\"ADDR_NO_RANDOMIZE\")");
}
