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
    memcpy(tmp + n, ".XXXXXX", 8);
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

int jql_load_options_init(jql_load_options *opts, unsigned int version)
{
    if (!opts)
        return jql_fail(JQL_EINVALID, "jql_load_options_init: NULL options");
    if (version != JQL_LOAD_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "jql_load_options version %u is not supported (this library: %u)",
                        version, JQL_LOAD_OPTIONS_VERSION);
    jql_load_options d = JQL_LOAD_OPTIONS_INIT;
    *opts = d;
    return JQL_OK;
}

int jql_limits_from(const jql_load_options *o, jql_limits *out)
{
    out->max_input = JQL_MAX_INPUT_BYTES;
    out->max_depth = JQL_MAX_DEPTH;
    out->max_records = JQL_MAX_RECORDS;
    out->max_string = JQL_MAX_STRING_BYTES;
    if (!o)
        return JQL_OK;
    if (o->version != JQL_LOAD_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "jql_load_options version %u is not supported (this library: %u)",
                        o->version, JQL_LOAD_OPTIONS_VERSION);
    if (o->max_depth > JQL_MAX_DEPTH)
        return jql_fail(JQL_EINVALID, "max_depth %u is above the supported %d", o->max_depth,
                        JQL_MAX_DEPTH);
    if (o->max_records > JQL_MAX_RECORDS_LIMIT)
        return jql_fail(JQL_EINVALID, "max_records %zu is above the supported %u", o->max_records,
                        JQL_MAX_RECORDS_LIMIT);
    if (o->max_string_bytes > JQL_MAX_STRING_BYTES)
        return jql_fail(JQL_EINVALID, "max_string_bytes %zu is above the supported %u",
                        o->max_string_bytes, JQL_MAX_STRING_BYTES);
    if (o->max_input_bytes) /* kept below SIZE_MAX: readers ask for one byte more */
        out->max_input = o->max_input_bytes < SIZE_MAX / 2 ? o->max_input_bytes : SIZE_MAX / 2;
    if (o->max_depth)
        out->max_depth = o->max_depth;
    if (o->max_records)
        out->max_records = o->max_records;
    if (o->max_string_bytes)
        out->max_string = o->max_string_bytes;
    return JQL_OK;
}
