/* File input and atomic file output. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "justice_quarterly/io.h"
#include "util.h"

/* How many bytes are left to read in fp when it is a regular file (its
   size less the stream's position, which a caller may have moved), else
   0: an estimate only, the file may change while it is read. */
static size_t bytes_left(FILE *fp)
{
    struct stat st;
    int fd = fileno(fp);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0)
        return 0;
    off_t at = ftello(fp);
    if (at < 0 || at >= st.st_size)
        return 0;
    return (size_t)(st.st_size - at);
}

static int read_failed(char *buf, const char *source, int e)
{
    jql_free(buf);
    return jql_fail(JQL_EIO, "cannot read %s: %s", source, strerror(e ? e : EIO));
}

/*
 * Read straight into the result buffer, sized from bytes_left when it is
 * known: a regular file then takes one block of its size and one read.
 * Reading 64 KiB chunks into a buffer that grew by copying cost a fifth of
 * a large load (the copies and the page faults of every new block). A
 * pipe, or a file that grows while read, goes on in 64 KiB steps with the
 * buffer doubling.
 */
int jql_read_stream(FILE *fp, const char *source, size_t cap, char **data, size_t *len)
{
    *data = NULL;
    *len = 0;
    if (!fp)
        return jql_fail(JQL_EINVALID, "no stream to read");
    size_t hint = bytes_left(fp), size = hint ? hint : 65536, n = 0;
    if (size > cap)
        size = cap;
    char *buf = jql_malloc(size + 1); /* size bytes and the NUL */
    if (!buf)
        return jql_fail(JQL_ENOMEM, "out of memory reading %s", source);
    /* Not advised huge pages (jql_advise_large), unlike the loader's
       arrays: the text is written once by fread() and read once in order,
       and on a machine where fresh huge pages are slow to come by the
       advice made large loads erratic (10,000 communes: 0.93 to 1.78 s,
       median 1.30 s, against 0.93 to 0.97 s without it; twenty years of
       1,000 communes: median 2.56 against 1.74 s), for 4% at 3,321. */
    while (n < cap) {
        if (n == size) {
            /* full: a small read first, so that a file read whole does not
               double its buffer only to find its end */
            char probe[4096];
            size_t want = cap - n < sizeof probe ? cap - n : sizeof probe;
            size_t got = fread(probe, 1, want, fp);
            if (got == 0) {
                if (ferror(fp))
                    return read_failed(buf, source, errno);
                break; /* end of file */
            }
            size_t grown = size < cap / 2 ? 2 * size : cap;
            if (grown < n + got)
                grown = n + got;
            char *nb = jql_realloc(buf, grown + 1);
            if (!nb) {
                jql_free(buf);
                return jql_fail(JQL_ENOMEM, "out of memory reading %s", source);
            }
            buf = nb;
            size = grown;
            memcpy(buf + n, probe, got);
            n += got;
            continue;
        }
        size_t want = size - n;
        size_t got = fread(buf + n, 1, want, fp);
        n += got;
        if (got < want) {
            if (ferror(fp))
                return read_failed(buf, source, errno);
            break; /* end of file */
        }
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
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

/* Follow symbolic links from path to the file a write should replace (a
   link stays a link; its target is what changes). *target: jql_malloc'd.
   JQL_OK, JQL_EIO (a loop, an unreadable link), JQL_ENOMEM. */
static int follow_links(const char *path, char **target)
{
    char *cur = jql_strdup(path);
    if (!cur)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
            *target = cur;
            return JQL_OK;
        }
        char link[4096];
        ssize_t n = hops < 40 ? readlink(cur, link, sizeof link - 1) : -1;
        if (n < 0 || (size_t)n >= sizeof link - 1) {
            int e = hops >= 40 ? ELOOP : n < 0 ? errno : ENAMETOOLONG;
            jql_free(cur);
            return jql_fail(JQL_EIO, "cannot write %s: %s", path, strerror(e));
        }
        link[n] = '\0';
        const char *slash = strrchr(cur, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - cur) + 1;
        char *next = jql_malloc(dir + (size_t)n + 1);
        if (!next) {
            jql_free(cur);
            return jql_fail(JQL_ENOMEM, "out of memory");
        }
        memcpy(next, cur, dir); /* a relative link is relative to its directory */
        memcpy(next + dir, link, (size_t)n + 1);
        jql_free(cur);
        cur = next;
    }
}

/* Create "<target>.<6 random letters or digits>" exclusively: 0666 less the umask for a new file
   (mkstemp would force 0600), or the replaced file's mode. */
static int create_temp(char *tmp, size_t n, const struct stat *old)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 30) ^ ((uint64_t)getpid() << 42) ^
                 (uint64_t)(uintptr_t)tmp;
    for (int attempt = 0; attempt < 100; attempt++) {
        x += 0x9E3779B97F4A7C15ull;
        uint64_t r = (x ^ (x >> 31)) * 0xBF58476D1CE4E5B9ull;
        r ^= r >> 29;
        for (int k = 0; k < 6; k++, r /= 62)
            tmp[n + 1 + (size_t)k] = alnum[r % 62];
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      old ? (mode_t)0600 : (mode_t)0666);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd >= 0 && old && fchmod(fd, old->st_mode & 07777) != 0) {
            int e = errno;
            close(fd);
            unlink(tmp);
            errno = e;
            return -1;
        }
        return fd;
    }
    errno = EEXIST;
    return -1;
}

int jql_file_write_atomic(const char *path, const char *data, size_t len)
{
    if (!path || !*path || (!data && len))
        return jql_fail(JQL_EINVALID, "jql_file_write_atomic: no path or data");
    char *target = NULL;
    int rc = follow_links(path, &target);
    if (rc)
        return rc;
    /* Only a regular file (or nothing) is replaced: renaming over a FIFO,
       a device or a directory's link would break whatever else uses it. */
    struct stat st;
    bool exists = stat(target, &st) == 0;
    if (exists && !S_ISREG(st.st_mode)) {
        rc = jql_fail(JQL_EIO, "cannot write %s: %s", path,
                      S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
        jql_free(target);
        return rc;
    }
    size_t n = strlen(target);
    char *tmp = jql_malloc(n + 8);
    if (!tmp) {
        jql_free(target);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    memcpy(tmp, target, n);
    memcpy(tmp + n, ".000000", 8); /* the six characters are drawn in create_temp */
    int fd = create_temp(tmp, n, exists ? &st : NULL);
    if (fd < 0) {
        rc = jql_fail(JQL_EIO, "cannot create a temporary file for %s: %s", path,
                      strerror(errno));
        jql_free(tmp);
        jql_free(target);
        return rc;
    }
    const char *step = "write";
    if (write_all(fd, data, len) != 0)
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
    if (!step && rename(tmp, target) != 0) {
        step = "rename the temporary file over";
        err = errno;
    }
    if (step) {
        unlink(tmp);
        jql_free(tmp);
        jql_free(target);
        return jql_fail(JQL_EIO, "cannot %s %s: %s", step, path, strerror(err));
    }
    sync_dir(tmp);
    jql_free(tmp);
    jql_free(target);
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
