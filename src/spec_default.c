/* spec_default.c - the config.json `hull spec` writes (see spec_default.h).
 *
 * Byte for byte what `runc spec` (and `runc spec --rootless`) writes, so
 * that tools and tests written against runc see the same file: tab
 * indentation, the same fields in the same order, no final newline.  One
 * difference on purpose: ociVersion is the runtime-spec version hull
 * implements (HULL_SPEC_VERSION, 1.3.0), not runc's "1.0.2-dev".
 */
#include "spec_default.h"

#include <stdio.h>
#include <unistd.h>

#include "hull-version.h"

/* The rootful file; each %s is where the rootless one differs. */
static const char spec_template[] =
    "{\n"
    "\t\"ociVersion\": \"" HULL_SPEC_VERSION "\",\n"
    "\t\"process\": {\n"
    "\t\t\"terminal\": true,\n"
    "\t\t\"user\": {\n"
    "\t\t\t\"uid\": 0,\n"
    "\t\t\t\"gid\": 0\n"
    "\t\t},\n"
    "\t\t\"args\": [\n"
    "\t\t\t\"sh\"\n"
    "\t\t],\n"
    "\t\t\"env\": [\n"
    "\t\t\t\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\",\n"
    "\t\t\t\"TERM=xterm\"\n"
    "\t\t],\n"
    "\t\t\"cwd\": \"/\",\n"
    "\t\t\"capabilities\": {\n"
    "\t\t\t\"bounding\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"effective\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"permitted\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t],\n"
    "\t\t\t\"ambient\": [\n"
    "\t\t\t\t\"CAP_AUDIT_WRITE\",\n"
    "\t\t\t\t\"CAP_KILL\",\n"
    "\t\t\t\t\"CAP_NET_BIND_SERVICE\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t\"rlimits\": [\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"RLIMIT_NOFILE\",\n"
    "\t\t\t\t\"hard\": 1024,\n"
    "\t\t\t\t\"soft\": 1024\n"
    "\t\t\t}\n"
    "\t\t],\n"
    "\t\t\"noNewPrivileges\": true\n"
    "\t},\n"
    "\t\"root\": {\n"
    "\t\t\"path\": \"rootfs\",\n"
    "\t\t\"readonly\": true\n"
    "\t},\n"
    "\t\"hostname\": \"runc\",\n"
    "\t\"mounts\": [\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/proc\",\n"
    "\t\t\t\"type\": \"proc\",\n"
    "\t\t\t\"source\": \"proc\"\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev\",\n"
    "\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"tmpfs\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"strictatime\",\n"
    "\t\t\t\t\"mode=755\",\n"
    "\t\t\t\t\"size=65536k\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/pts\",\n"
    "\t\t\t\"type\": \"devpts\",\n"
    "\t\t\t\"source\": \"devpts\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"newinstance\",\n"
    "\t\t\t\t\"ptmxmode=0666\",\n"
    "\t\t\t\t\"mode=0620\"%s\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/shm\",\n"
    "\t\t\t\"type\": \"tmpfs\",\n"
    "\t\t\t\"source\": \"shm\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"mode=1777\",\n"
    "\t\t\t\t\"size=65536k\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/dev/mqueue\",\n"
    "\t\t\t\"type\": \"mqueue\",\n"
    "\t\t\t\"source\": \"mqueue\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/sys\",\n"
    "%s\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"ro\"\n"
    "\t\t\t]\n"
    "\t\t},\n"
    "\t\t{\n"
    "\t\t\t\"destination\": \"/sys/fs/cgroup\",\n"
    "\t\t\t\"type\": \"cgroup\",\n"
    "\t\t\t\"source\": \"cgroup\",\n"
    "\t\t\t\"options\": [\n"
    "\t\t\t\t\"nosuid\",\n"
    "\t\t\t\t\"noexec\",\n"
    "\t\t\t\t\"nodev\",\n"
    "\t\t\t\t\"relatime\",\n"
    "\t\t\t\t\"ro\"\n"
    "\t\t\t]\n"
    "\t\t}\n"
    "\t],\n"
    "\t\"linux\": {\n"
    "%s\t\t\"namespaces\": [\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"pid\"\n"
    "\t\t\t},\n"
    "%s\t\t\t{\n"
    "\t\t\t\t\"type\": \"ipc\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"uts\"\n"
    "\t\t\t},\n"
    "\t\t\t{\n"
    "\t\t\t\t\"type\": \"mount\"\n"
    "\t\t\t}%s\n"
    "\t\t],\n"
    "\t\t\"maskedPaths\": [\n"
    "\t\t\t\"/proc/acpi\",\n"
    "\t\t\t\"/proc/asound\",\n"
    "\t\t\t\"/proc/kcore\",\n"
    "\t\t\t\"/proc/keys\",\n"
    "\t\t\t\"/proc/latency_stats\",\n"
    "\t\t\t\"/proc/timer_list\",\n"
    "\t\t\t\"/proc/timer_stats\",\n"
    "\t\t\t\"/proc/sched_debug\",\n"
    "\t\t\t\"/sys/firmware\",\n"
    "\t\t\t\"/proc/scsi\"\n"
    "\t\t],\n"
    "\t\t\"readonlyPaths\": [\n"
    "\t\t\t\"/proc/bus\",\n"
    "\t\t\t\"/proc/fs\",\n"
    "\t\t\t\"/proc/irq\",\n"
    "\t\t\t\"/proc/sys\",\n"
    "\t\t\t\"/proc/sysrq-trigger\"\n"
    "\t\t]\n"
    "\t}\n"
    "}";

/* /dev/pts: rootless containers cannot map the tty group. */
static const char devpts_gid[] = ",\n\t\t\t\t\"gid=5\"";

/* /sys: a new sysfs needs a network namespace owned by the user namespace,
 * so rootless bind-mounts the host's read-only instead. */
static const char sys_rootful[] = "\t\t\t\"type\": \"sysfs\",\n"
                                  "\t\t\t\"source\": \"sysfs\",\n"
                                  "\t\t\t\"options\": [\n";
static const char sys_rootless[] = "\t\t\t\"type\": \"none\",\n"
                                   "\t\t\t\"source\": \"/sys\",\n"
                                   "\t\t\t\"options\": [\n"
                                   "\t\t\t\t\"rbind\",\n";

/* Rootful: deny every device (the default ones are added back). */
static const char resources[] = "\t\t\"resources\": {\n"
                                "\t\t\t\"devices\": [\n"
                                "\t\t\t\t{\n"
                                "\t\t\t\t\t\"allow\": false,\n"
                                "\t\t\t\t\t\"access\": \"rwm\"\n"
                                "\t\t\t\t}\n"
                                "\t\t\t]\n"
                                "\t\t},\n";

/* Rootless: container root is the caller. */
static const char id_mappings[] = "\t\t\"uidMappings\": [\n"
                                  "\t\t\t{\n"
                                  "\t\t\t\t\"containerID\": 0,\n"
                                  "\t\t\t\t\"hostID\": %u,\n"
                                  "\t\t\t\t\"size\": 1\n"
                                  "\t\t\t}\n"
                                  "\t\t],\n"
                                  "\t\t\"gidMappings\": [\n"
                                  "\t\t\t{\n"
                                  "\t\t\t\t\"containerID\": 0,\n"
                                  "\t\t\t\t\"hostID\": %u,\n"
                                  "\t\t\t\t\"size\": 1\n"
                                  "\t\t\t}\n"
                                  "\t\t],\n";

static const char netns[] = "\t\t\t{\n"
                            "\t\t\t\t\"type\": \"network\"\n"
                            "\t\t\t},\n";
static const char userns[] = ",\n"
                             "\t\t\t{\n"
                             "\t\t\t\t\"type\": \"user\"\n"
                             "\t\t\t}";

const char *spec_default_json_ids(bool rootless, uid_t uid, gid_t gid)
{
        static char out[sizeof(spec_template) + sizeof(devpts_gid) + sizeof(sys_rootless) +
                        sizeof(id_mappings) + 32 + sizeof(resources) + sizeof(netns) +
                        sizeof(userns)];
        char linux_head[sizeof(id_mappings) + 32];
        if (rootless)
                snprintf(linux_head, sizeof(linux_head), id_mappings, (unsigned)uid, (unsigned)gid);
        snprintf(out, sizeof(out), spec_template, rootless ? "" : devpts_gid,
                 rootless ? sys_rootless : sys_rootful, rootless ? linux_head : resources,
                 rootless ? "" : netns, rootless ? userns : "");
        return out;
}

const char *spec_default_json(bool rootless)
{
        return spec_default_json_ids(rootless, geteuid(), getegid());
}
