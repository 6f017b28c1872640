/* ptrace-attach PID: try PTRACE_ATTACH on PID (then detach); print "attached"
 * or "ptrace: <errno name>" and exit 0 / 1.  Built static by cve.bats and
 * run inside a container to show that it cannot trace a hull process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/types.h>
#include <sys/wait.h>

int main(int argc, char **argv)
{
        if (argc != 2) {
                fprintf(stderr, "usage: ptrace-attach PID\n");
                return 2;
        }
        pid_t pid = (pid_t)atoi(argv[1]);
        if (ptrace(PTRACE_ATTACH, pid, NULL, NULL) < 0) {
                printf("ptrace: %s\n", errno == EPERM    ? "EPERM"
                                       : errno == EACCES ? "EACCES"
                                                         : "other");
                return 1;
        }
        waitpid(pid, NULL, __WALL);
        ptrace(PTRACE_DETACH, pid, NULL, NULL);
        printf("attached\n");
        return 0;
}
