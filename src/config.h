/* config.h - the OCI config.json as typed C structures.
 *
 * config_load() parses config.json once (jansson) and fills a struct
 * hull_config. Strings point into the parsed JSON tree, which the config
 * owns: nothing is copied, and config_free() releases everything at once.
 *
 * Optional numbers carry a `has_*` flag (the spec distinguishes "absent"
 * from 0).  Arrays of strings (const char **) are counted and also
 * NULL-terminated; an absent array is NULL with a count of 0 (hook args and
 * env are never NULL).  A JSON null counts as absent.  Every field of
 * config.md and config-linux.md has a place here; fields hull cannot honour
 * are rejected by config_validate() with the field's JSON path.
 */
#ifndef HULL_CONFIG_H
#define HULL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct json_t;

/* A string->string map (annotations, sysctl, unified). */
struct kv {
        const char *key;
        const char *value;
};

struct hull_mount {
        const char *destination;
        const char *type;   /* may be NULL */
        const char *source; /* may be NULL */
        const char **options;
        size_t n_options;
        struct hull_idmap *uid_mappings; /* idmapped mounts */
        size_t n_uid_mappings;
        struct hull_idmap *gid_mappings;
        size_t n_gid_mappings;
};

struct hull_idmap {
        uint32_t container_id;
        uint32_t host_id;
        uint32_t size;
};

struct hull_rlimit {
        int resource; /* RLIMIT_* */
        const char *type;
        uint64_t soft, hard;
};

/* Capability sets as bit masks (bit N = capability N). */
struct hull_caps {
        bool present; /* process.capabilities given at all */
        bool has_bounding, has_effective, has_inheritable, has_permitted, has_ambient;
        uint64_t bounding, effective, inheritable, permitted, ambient;
};

struct hull_user {
        uid_t uid;
        gid_t gid;
        bool has_umask;
        mode_t umask;
        gid_t *additional_gids;
        size_t n_additional_gids;
        const char *username; /* windows only; ignored */
};

struct hull_scheduler {
        bool present;
        int policy; /* SCHED_* */
        int nice;
        int priority;
        uint64_t flags; /* SCHED_FLAG_* */
        uint64_t runtime, deadline, period;
};

struct hull_iopriority {
        bool present;
        int class; /* IOPRIO_CLASS_* */
        int priority;
};

struct hull_process {
        bool present;
        bool terminal;
        bool has_console_size;
        unsigned console_height, console_width;
        const char *cwd;
        const char **env;
        size_t n_env;
        const char **args;
        size_t n_args;
        const char *command_line; /* windows only */
        struct hull_rlimit *rlimits;
        size_t n_rlimits;
        const char *apparmor_profile;
        struct hull_caps caps;
        bool no_new_privileges;
        bool has_oom_score_adj;
        int oom_score_adj;
        struct hull_scheduler scheduler;
        const char *selinux_label;
        struct hull_iopriority io_priority;
        const char *cpu_affinity_initial; /* execCPUAffinity */
        const char *cpu_affinity_final;
        struct hull_user user;
};

struct hull_hook {
        const char *path;
        const char **args; /* NULL-terminated */
        size_t n_args;
        const char **env; /* NULL-terminated */
        size_t n_env;
        bool has_timeout;
        int timeout; /* seconds, > 0 */
};

enum hull_hook_kind {
        HOOK_PRESTART,
        HOOK_CREATE_RUNTIME,
        HOOK_CREATE_CONTAINER,
        HOOK_START_CONTAINER,
        HOOK_POSTSTART,
        HOOK_POSTSTOP,
        HOOK_KINDS
};

struct hull_hooks {
        struct hull_hook *list[HOOK_KINDS];
        size_t n[HOOK_KINDS];
};

enum hull_ns_kind {
        NS_PID,
        NS_NET,
        NS_MNT,
        NS_IPC,
        NS_UTS,
        NS_USER,
        NS_CGROUP,
        NS_TIME,
        NS_KINDS,
};

struct hull_namespace {
        bool present;     /* listed in linux.namespaces */
        const char *path; /* join this one instead of creating */
        unsigned index;   /* position in linux.namespaces (for messages) */
};

struct hull_device {
        char type; /* 'c', 'b', 'u', 'p' */
        const char *path;
        int64_t major, minor;
        bool has_file_mode;
        mode_t file_mode;
        bool has_uid, has_gid;
        uid_t uid;
        gid_t gid;
};

/* linux.resources.devices[] */
struct hull_device_rule {
        bool allow;
        char type; /* 'a', 'c', 'b' */
        bool has_major, has_minor;
        int64_t major, minor; /* -1 = wildcard when absent */
        char access[4];       /* subset of "rwm" */
};

struct hull_throttle {
        int64_t major, minor;
        uint64_t rate;
};

struct hull_weight_device {
        int64_t major, minor;
        bool has_weight, has_leaf_weight;
        uint16_t weight, leaf_weight;
};

struct hull_hugepage {
        const char *page_size;
        uint64_t limit;
};

struct hull_netprio {
        const char *name;
        uint32_t priority;
};

struct hull_rdma {
        const char *device;
        bool has_hca_handles, has_hca_objects;
        uint32_t hca_handles, hca_objects;
};

struct hull_resources {
        bool present;
        struct hull_device_rule *devices;
        size_t n_devices;
        struct {
                bool present;
                bool has_limit, has_reservation, has_swap, has_kernel, has_kernel_tcp,
                    has_swappiness, has_disable_oom_killer, has_use_hierarchy,
                    has_check_before_update;
                int64_t limit, reservation, swap, kernel, kernel_tcp;
                uint64_t swappiness;
                bool disable_oom_killer, use_hierarchy, check_before_update;
        } memory;
        struct {
                bool present;
                bool has_shares, has_quota, has_burst, has_period, has_realtime_runtime,
                    has_realtime_period, has_idle;
                uint64_t shares, period, realtime_period, burst;
                int64_t quota, realtime_runtime, idle;
                const char *cpus, *mems;
        } cpu;
        struct {
                bool present;
                bool has_weight, has_leaf_weight;
                uint16_t weight, leaf_weight;
                struct hull_weight_device *weight_device;
                size_t n_weight_device;
                struct hull_throttle *read_bps, *write_bps, *read_iops, *write_iops;
                size_t n_read_bps, n_write_bps, n_read_iops, n_write_iops;
        } block_io;
        struct hull_hugepage *hugepage_limits;
        size_t n_hugepage_limits;
        struct {
                bool present;
                bool has_class_id;
                uint32_t class_id;
                struct hull_netprio *priorities;
                size_t n_priorities;
        } network;
        struct {
                bool present;
                int64_t limit; /* <= 0: unlimited */
        } pids;
        struct hull_rdma *rdma;
        size_t n_rdma;
        struct kv *unified;
        size_t n_unified;
};

struct hull_seccomp_arg {
        unsigned index;
        uint64_t value, value_two;
        int op; /* SCMP_CMP_* numbering: 1..7 */
};

struct hull_seccomp_rule {
        const char **names;
        size_t n_names;
        uint32_t action; /* SCMP_ACT_* without errno */
        const char *action_name;
        bool has_errno_ret;
        uint32_t errno_ret;
        struct hull_seccomp_arg *args;
        size_t n_args;
};

struct hull_seccomp {
        bool present;
        const char *default_action;
        uint32_t default_action_value; /* SCMP_ACT_* without errno */
        bool has_default_errno_ret;
        uint32_t default_errno_ret;
        const char **architectures;
        size_t n_architectures;
        const char **flags;
        size_t n_flags;
        const char *listener_path;
        const char *listener_metadata;
        struct hull_seccomp_rule *syscalls;
        size_t n_syscalls;
};

struct hull_personality {
        bool present;
        unsigned long domain; /* PER_LINUX or PER_LINUX32 */
        const char **flags;   /* none is supported yet (config_validate) */
        size_t n_flags;
};

struct hull_linux {
        struct hull_namespace ns[NS_KINDS];
        struct hull_idmap *uid_mappings, *gid_mappings;
        size_t n_uid_mappings, n_gid_mappings;
        bool has_time_offsets;
        struct {
                int64_t secs;
                uint32_t nanosecs;
        } time_offset_monotonic, time_offset_boottime;
        struct hull_device *devices;
        size_t n_devices;
        const char *cgroups_path;
        struct hull_resources resources;
        struct kv *sysctl;
        size_t n_sysctl;
        struct hull_seccomp seccomp;
        unsigned long rootfs_propagation; /* MS_* or 0 = default */
        const char *rootfs_propagation_name;
        const char **masked_paths;
        size_t n_masked_paths;
        const char **readonly_paths;
        size_t n_readonly_paths;
        const char *mount_label;
        struct hull_personality personality;
        bool has_intel_rdt, has_memory_policy, has_net_devices;
};

struct hull_config {
        struct json_t *json; /* owns every string below */
        const char *oci_version;
        const char *root_path; /* as written in config.json */
        bool root_readonly;
        struct hull_mount *mounts;
        size_t n_mounts;
        struct hull_process process;
        const char *hostname;
        const char *domainname;
        struct hull_hooks hooks;
        struct kv *annotations;
        size_t n_annotations;
        bool has_linux;
        struct hull_linux linux_;
        void *arena; /* one allocation for all arrays */
};

/* Parse config.json text (already read into memory).  On failure returns -1
 * with the error set (see error.h), naming the JSON path of the bad field. */
int config_parse(struct hull_config *cfg, const char *text, size_t len, const char *filename);

/* Parse a process.json (an object like config.json's "process", as
 * `exec --process` gets it) into cfg->process, checked like
 * config_validate() checks the process (args, cwd).  Without
 * "capabilities" it keeps the container's (as runc).  cfg comes from
 * config_parse() or config_load(), keeps the JSON, and is unchanged on
 * failure. */
int config_parse_process(struct hull_config *cfg, const char *text, size_t len,
                         const char *filename);

/* Read and parse DIR/config.json. */
int config_load(struct hull_config *cfg, const char *bundle_dir);

/* Checks that hull can honour everything the config asks for.
 * Returns -1 with the error set for the first problem found. */
int config_validate(const struct hull_config *cfg);

/* Every problem config_validate() finds, in the same order: fn gets each
 * one's errno (or 0) and message (which starts with the field's JSON path).
 * Returns the number of problems; the error is left set to the last one. */
typedef void (*config_problem_fn)(void *data, int errnum, const char *msg);
int config_validate_all(const struct hull_config *cfg, config_problem_fn fn, void *data);

void config_free(struct hull_config *cfg);

const char *ns_kind_name(enum hull_ns_kind k); /* "pid", "network", ... */
int ns_kind_clone_flag(enum hull_ns_kind k);   /* CLONE_NEWPID, ... */
const char *hook_kind_name(enum hull_hook_kind k);

/* Capability names <-> numbers: "CAP_SYS_ADMIN" -> 21; -1 when unknown. */
int cap_from_name(const char *name);
const char *cap_name(int cap);
int cap_last_known(void);

#endif
