/* caps.c - process.capabilities in the container's init (see security.h).
 *
 * Both steps run in the init after clone, before execve:
 *   caps_drop_bounding()  while still privileged (PR_CAPBSET_DROP needs
 *                         CAP_SETPCAP), before the uid changes;
 *   [process_set_user()   setgroups/setresgid/setresuid under
 *                         PR_SET_KEEPCAPS, so the permitted set survives
 *                         the change to a non-root uid]
 *   caps_apply()          capset() of effective, permitted, inheritable from
 *                         what survived, then the ambient set.
 *
 * As in runc, a set missing from process.capabilities is empty (so a
 * missing "bounding" drops every capability from the bounding set), and
 * an absent process.capabilities empties all five sets: root of a
 * container never keeps the runtime's own capabilities by omission.
 * Capabilities the running kernel does not know (above
 * /proc/sys/kernel/cap_last_cap) are skipped with a warning; config.c
 * already drops them from the masks, this is for callers that did not.
 *
 * The raw capget/capset system calls are used: two 32-bit words per set is
 * all libcap would do for us here.
 */
#include "security.h"
#include "error.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef PR_CAP_AMBIENT
#define PR_CAP_AMBIENT           47
#define PR_CAP_AMBIENT_RAISE     2
#define PR_CAP_AMBIENT_CLEAR_ALL 4
#endif

/* Highest capability number the running kernel knows. */
static int kernel_last_cap(void)
{
        static int last = -1;
        if (last >= 0)
                return last;
        char buf[16] = "";
        int fd = open("/proc/sys/kernel/cap_last_cap", O_RDONLY | O_CLOEXEC);
        ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
        if (fd >= 0)
                close(fd);
        if (n > 0) {
                last = atoi(buf);
        } else {
                /* No /proc yet (or not ours): ask the kernel one by one. */
                last = 0;
                while (last < 63 && prctl(PR_CAPBSET_READ, last + 1, 0, 0, 0) >= 0)
                        last++;
        }
        if (last < 0 || last > 63)
                last = 63;
        return last;
}

static uint64_t known_mask(void)
{
        int last = kernel_last_cap();
        return last >= 63 ? UINT64_MAX : (UINT64_C(1) << (last + 1)) - 1;
}

static const char *cap_str(int cap, char *buf, size_t len)
{
        const char *n = cap_name(cap);
        if (n)
                return n;
        snprintf(buf, len, "capability %d", cap);
        return buf;
}

/* Warn once per set about capabilities the kernel does not have. */
static void warn_unknown(const struct hull_caps *c)
{
        static const struct {
                const char *name;
                size_t off;
        } sets[] = {
            {"bounding", offsetof(struct hull_caps, bounding)},
            {"effective", offsetof(struct hull_caps, effective)},
            {"inheritable", offsetof(struct hull_caps, inheritable)},
            {"permitted", offsetof(struct hull_caps, permitted)},
            {"ambient", offsetof(struct hull_caps, ambient)},
        };
        uint64_t known = known_mask();
        for (size_t s = 0; s < sizeof(sets) / sizeof(sets[0]); s++) {
                uint64_t extra = *(const uint64_t *)((const char *)c + sets[s].off) & ~known;
                for (int cap = 0; extra; cap++, extra >>= 1) {
                        char buf[32];
                        if (extra & 1)
                                log_warn("process.capabilities.%s: %s is not known to the running "
                                         "kernel: ignored",
                                         sets[s].name, cap_str(cap, buf, sizeof(buf)));
                }
        }
}

int caps_drop_bounding(const struct hull_caps *c)
{
        warn_unknown(c);
        int last = kernel_last_cap();
        for (int cap = 0; cap <= last; cap++) {
                if (c->bounding & (UINT64_C(1) << cap))
                        continue;
                /* Only drop what is still there: a process without
                 * CAP_SETPCAP can still run with an already smaller set. */
                int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);
                if (r == 0 || (r < 0 && errno == EINVAL))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL) {
                        char buf[32];
                        return herr(errno, "process.capabilities.bounding: drop %s",
                                    cap_str(cap, buf, sizeof(buf)));
                }
        }
        return 0;
}

int caps_apply(const struct hull_caps *c)
{
        uint64_t known = known_mask();
        uint64_t eff = c->effective & known, prm = c->permitted & known;
        uint64_t inh = c->inheritable & known, amb = c->ambient & known;

        struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
        struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {
            {.effective = (uint32_t)eff, .permitted = (uint32_t)prm, .inheritable = (uint32_t)inh},
            {.effective = (uint32_t)(eff >> 32),
             .permitted = (uint32_t)(prm >> 32),
             .inheritable = (uint32_t)(inh >> 32)},
        };
        if (syscall(SYS_capset, &hdr, data) < 0)
                return herr(errno,
                            "process.capabilities: capset (effective %#llx, permitted %#llx, "
                            "inheritable %#llx)",
                            (unsigned long long)eff, (unsigned long long)prm,
                            (unsigned long long)inh);

        /* Ambient: start from nothing.  EINVAL means a kernel without
         * ambient capabilities (< 4.3): then there is nothing to clear. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0) {
                if (errno != EINVAL)
                        return herr(errno, "process.capabilities.ambient: clear");
                if (amb)
                        log_warn("process.capabilities.ambient: not supported by the kernel: "
                                 "ignored");
                return 0;
        }
        /* A capability can only be ambient if it is permitted and
         * inheritable.  Like runc, a failure is not an error (the spec:
         * "SHOULD NOT fail if ... capabilities ... cannot be granted"). */
        for (int cap = 0; amb; cap++, amb >>= 1) {
                if (!(amb & 1))
                        continue;
                if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0) {
                        const char *why = herr_errno_text(errno);
                        char buf[32];
                        /* runc ignores this too: the default spec asks for ambient
                         * caps that are not inheritable, which always fails */
                        log_debug("process.capabilities.ambient: cannot raise %s: %s",
                                  cap_str(cap, buf, sizeof(buf)), why);
                }
        }
        return 0;
}
