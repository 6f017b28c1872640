/* sysctl.c - linux.sysctl (see sysctl.h). */
#include "sysctl.h"
#include "error.h"
#include "procfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

const char *sysctl_namespace_of(const char *key)
{
        static const char *ipc[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
                                    "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
                                    "kernel.shmmni", "kernel.shm_rmid_forced"};
        for (size_t i = 0; i < sizeof(ipc) / sizeof(ipc[0]); i++)
                if (!strcmp(key, ipc[i]))
                        return "ipc";
        if (!strncmp(key, "fs.mqueue.", 10))
                return "ipc";
        if (!strncmp(key, "net.", 4))
                return "network";
        if (!strcmp(key, "kernel.hostname") || !strcmp(key, "kernel.domainname"))
                return "uts";
        return NULL;
}

/* Each value goes into the container's procfs through procfs_write(): a
 * mount over /proc/sys/... (or a /proc that is not procfs) is an error,
 * never a write somewhere else. */
int sysctl_apply(const struct hull_linux *lx)
{
        for (size_t i = 0; i < lx->n_sysctl; i++) {
                const char *key = lx->sysctl[i].key;
                char rel[PATH_MAX];
                if ((size_t)snprintf(rel, sizeof(rel), "sys/%s", key) >= sizeof(rel))
                        return herr(ENAMETOOLONG, "linux.sysctl.%s", key);
                if (strstr(rel, "..") || key[0] == '/')
                        return herr(EINVAL, "linux.sysctl.%s: bad key", key);
                for (char *c = rel + 4; *c; c++)
                        if (*c == '.')
                                *c = '/';
                if (procfs_write(rel, lx->sysctl[i].value) < 0)
                        return herr_ctx("linux.sysctl.%s", key);
        }
        return 0;
}
