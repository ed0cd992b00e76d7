/* File input and atomic file output. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "justice_quarterly/io.h"
#include "util.h"

int jql_read_stream(FILE *fp, const char *source, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!fp)
        return jql_fail(JQL_EINVALID, "no stream to read");
    jql_buf b;
    jql_buf_init(&b);
    char chunk[65536];
    while (b.len < cap) {
        size_t want = cap - b.len < sizeof chunk ? cap - b.len : sizeof chunk;
        size_t n = fread(chunk, 1, want, fp);
        jql_buf_add(&b, chunk, n);
        if (b.failed) {
            jql_buf_free(&b);
            return jql_fail(JQL_ENOMEM, "out of memory reading %s", source);
        }
        if (n < want) {
            if (ferror(fp)) {
                int e = errno;
                jql_buf_free(&b);
                return jql_fail(JQL_EIO, "cannot read %s: %s", source,
                                strerror(e ? e : EIO));
            }
            break; /* end of file */
        }
    }
    char *out = jql_buf_take(&b, len);
    if (!out)
        return jql_fail(JQL_ENOMEM, "out of memory reading %s", source);
    *data = out;
    return JQL_OK;
}

int jql_read_path(const char *path, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!path)
        return jql_fail(JQL_EINVALID, "no path to read");
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return jql_fail(JQL_EIO, "cannot open %s: %s", path, strerror(errno));
    int rc = jql_read_stream(fp, path, cap, data, len);
    fclose(fp);
    return rc;
}

/* write() all of data, retrying after interruptions and short writes. */
static int write_all(int fd, const char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* Make the directory entry durable too; best effort (some filesystems refuse). */
static void sync_dir(const char *tmp)
{
    char *copy = jql_strdup(tmp);
    if (!copy)
        return;
    int fd = open(dirname(copy), O_RDONLY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    jql_free(copy);
}

int jql_write_file_atomic(const char *path, const char *data, size_t len)
{
    if (!path || !*path || (!data && len))
        return jql_fail(JQL_EINVALID, "jql_write_file_atomic: no path or data");
    size_t n = strlen(path);
    char *tmp = jql_malloc(n + 8);
    if (!tmp)
        return jql_fail(JQL_ENOMEM, "out of memory");
    memcpy(tmp, path, n);
    tmp[n] = '.';
    memset(tmp + n + 1, 'X', 6); /* the template mkstemp fills in */
    tmp[n + 7] = '\0';
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int rc = jql_fail(JQL_EIO, "cannot create a temporary file for %s: %s", path,
                          strerror(errno));
        jql_free(tmp);
        return rc;
    }
    /* mkstemp makes the file 0600: keep the mode of the file being replaced,
       or give a new file the usual 0644. */
    struct stat st;
    mode_t mode = stat(path, &st) == 0 ? (st.st_mode & 07777) : 0644;
    const char *step = "write";
    if (fchmod(fd, mode) != 0)
        step = "set the mode of";
    else if (write_all(fd, data, len) != 0)
        step = "write";
    else if (fsync(fd) != 0)
        step = "flush";
    else
        step = NULL;
    int err = errno;
    if (close(fd) != 0 && !step) {
        step = "close";
        err = errno;
    }
    if (!step && rename(tmp, path) != 0) {
        step = "rename the temporary file over";
        err = errno;
    }
    if (step) {
        unlink(tmp);
        jql_free(tmp);
        return jql_fail(JQL_EIO, "cannot %s %s: %s", step, path, strerror(err));
    }
    sync_dir(tmp);
    jql_free(tmp);
    return JQL_OK;
}
