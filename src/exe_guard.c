/* exe_guard.c - hull's binary stays out of the container's reach (see
 * exe_guard.h and docs/SECURITY.md). */
#include "exe_guard.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The kernel follows at most 4 levels of interpreters (BINPRM_MAX_RECURSION)
 * and reads the first 256 bytes (BINPRM_BUF_SIZE) for the "#!" line. */
#define MAX_INTERP 4
#define HEAD_SIZE  256

static struct {
        bool known;
        dev_t dev;
        ino_t ino;
} self_exe;

void exe_guard_init(void)
{
        /* As root only: an unprivileged hull writes its child's uid_map
         * itself, which a non-dumpable child's /proc files (owned by the
         * host's root) would not let it do. */
        if (geteuid() == 0)
                prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        struct stat st;
        if (stat("/proc/self/exe", &st) == 0) {
                self_exe.known = true;
                self_exe.dev = st.st_dev;
                self_exe.ino = st.st_ino;
        }
}

/* The interpreter of a "#!" head (NUL-terminated in place), or NULL. */
static char *interpreter(char *head, ssize_t n)
{
        if (n < 3 || head[0] != '#' || head[1] != '!')
                return NULL;
        head[n < HEAD_SIZE ? n : HEAD_SIZE - 1] = '\0';
        char *s = head + 2;
        while (*s == ' ' || *s == '\t')
                s++;
        char *e = s;
        while (*e && *e != ' ' && *e != '\t' && *e != '\n')
                e++;
        *e = '\0';
        return *s ? s : NULL;
}

/* Open one file of the chain: readable when we may read it (to see a "#!"
 * line), else O_PATH (the kernel runs an unreadable file non-dumpable). */
static int open_exe(const char *path, bool *readable)
{
        int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
        *readable = fd >= 0;
        if (fd < 0 && (errno == EACCES || errno == EPERM))
                fd = open(path, O_PATH | O_CLOEXEC);
        return fd;
}

int exe_guard_open(const char *path, const char *field)
{
        bool readable;
        int first = open_exe(path, &readable);
        if (first < 0)
                return herr(errno, "%s: open %s", field, path);
        int fd = first;
        char head[HEAD_SIZE];
        const char *name = path;
        for (int level = 0;; level++) {
                struct stat st;
                if (fstat(fd, &st) < 0) {
                        herr(errno, "%s: stat %s", field, name);
                        goto fail;
                }
                if (self_exe.known && st.st_dev == self_exe.dev && st.st_ino == self_exe.ino) {
                        herr(EPERM,
                             "%s: refusing to execute the runtime's own binary inside the "
                             "container (%s, CVE-2019-5736)",
                             field, name);
                        goto fail;
                }
                if (!S_ISREG(st.st_mode) || !readable || level == MAX_INTERP)
                        break; /* the kernel refuses it, or runs it non-dumpable */
                ssize_t n = pread(fd, head, sizeof(head), 0);
                char *interp = n > 0 ? interpreter(head, n) : NULL;
                if (!interp)
                        break;
                if (fd != first)
                        close(fd);
                fd = open_exe(interp, &readable);
                if (fd < 0) {
                        fd = first;
                        break; /* execve reports the missing interpreter */
                }
                name = interp;
        }
        if (fd != first)
                close(fd);
        return first;
fail:
        if (fd != first)
                close(fd);
        close(first);
        return -1;
}

bool exe_guard_comm_from_fd(void)
{
        struct utsname u;
        unsigned major = 0, minor = 0;
        if (uname(&u) < 0 || sscanf(u.release, "%u.%u", &major, &minor) != 2)
                return false;
        return major > 6 || (major == 6 && minor >= 14);
}
