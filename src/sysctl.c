/* sysctl.c - linux.sysctl (see sysctl.h). */
#include "sysctl.h"
#include "error.h"
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <unistd.h>

#ifndef PROC_SUPER_MAGIC
#define PROC_SUPER_MAGIC 0x9fa0
#endif

const char *sysctl_namespace_of(const char *key)
{
        static const char *ipc[] = {"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni",
                                    "kernel.sem", "kernel.shmall", "kernel.shmmax",
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

int sysctl_apply(const struct hull_linux *lx)
{
        if (lx->n_sysctl == 0)
                return 0;
        int proc = open("/proc/sys", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (proc < 0)
                return herr(errno, "linux.sysctl: open /proc/sys");
        struct statfs sfs;
        if (fstatfs(proc, &sfs) < 0 || sfs.f_type != PROC_SUPER_MAGIC) {
                close(proc);
                return herr(EXDEV, "linux.sysctl: /proc/sys is not procfs");
        }
        int rc = 0;
        for (size_t i = 0; i < lx->n_sysctl && rc == 0; i++) {
                const char *key = lx->sysctl[i].key;
                char rel[PATH_MAX];
                snprintf(rel, sizeof(rel), "%s", key);
                if (strstr(rel, "..") || rel[0] == '/') {
                        rc = herr(EINVAL, "linux.sysctl.%s: bad key", key);
                        break;
                }
                for (char *c = rel; *c; c++)
                        if (*c == '.')
                                *c = '/';
                const char *v = lx->sysctl[i].value;
                if (write_file_at(proc, rel, v, strlen(v)) < 0)
                        rc = herr_ctx("linux.sysctl.%s", key);
        }
        close(proc);
        return rc;
}
