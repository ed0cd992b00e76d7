/* Test helper, preloaded into a CLI by tests/cli/test_output.sh: fsync()
   first creates the file named by $JQL_SLOW_FSYNC_FLAG and then sleeps, so
   the test can send a signal while the CLI's temporary output file exists. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int fsync(int fd)
{
    const char *flag = getenv("JQL_SLOW_FSYNC_FLAG");
    if (flag && *flag) {
        int f = open(flag, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
        if (f >= 0)
            close(f);
        sleep(60);
    }
    return (int)syscall(SYS_fsync, fd);
}
