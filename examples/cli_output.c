/*
 * Output files of the example programs (-o FILE).
 *
 * What is at FILE decides how it is written:
 *   nothing, or a regular file   a temporary file next to it, then rename():
 *                                a failure or a signal never leaves a half
 *                                written FILE. A new file gets 0666 less the
 *                                umask; a replaced one keeps its mode.
 *   a symbolic link              the same for the file it points to (the link
 *                                stays a link), followed link by link.
 *   a FIFO, a character device   written to directly, like "-o -" (a FIFO
 *   (/dev/null, a terminal),     or /dev/null cannot be "replaced" without
 *   "-", /dev/stdout, /dev/fd/N  breaking whoever else uses it).
 *   anything else (a directory,  refused with a message.
 *   a socket, a block device)
 *
 * The temporary file is removed when SIGINT, SIGTERM or SIGHUP arrive while
 * it exists (unless the signal was ignored when the program started).
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli_common.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_LINKS 40 /* as the kernel's ELOOP limit */

struct cli_output {
    FILE *fp;
    bool temp;          /* writing a temporary file to rename over target */
    bool owns_fp;       /* fclose() it (false for stdout/stderr) */
    char *target;       /* the file finally written (symlinks followed) */
    char *display;      /* the -o argument, for messages */
};

/* ---- the temporary file the signal handler removes -------------------- */

static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSIGNALS (sizeof cleanup_signals / sizeof *cleanup_signals)

static char pending_temp[PATH_MAX + 16];
static volatile sig_atomic_t temp_active;
static struct sigaction saved_actions[NSIGNALS];
static bool handlers_installed;

static void on_signal(int sig)
{
    if (temp_active)
        unlink(pending_temp); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig); /* delivered once this handler returns: the usual exit status */
}

static void block_signals(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaddset(&set, cleanup_signals[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    for (size_t i = 0; i < NSIGNALS; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sigaction(cleanup_signals[i], NULL, &saved_actions[i]);
        if (saved_actions[i].sa_handler == SIG_IGN)
            continue; /* started with it ignored (nohup): keep it so */
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(cleanup_signals[i], &sa, NULL);
    }
    handlers_installed = true;
}

static void restore_handlers(void)
{
    if (!handlers_installed)
        return;
    for (size_t i = 0; i < NSIGNALS; i++)
        sigaction(cleanup_signals[i], &saved_actions[i], NULL);
    handlers_installed = false;
}

/* ---- where FILE leads ---------------------------------------------------- */

static char *dup_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

/* The descriptor named by /dev/stdout, /dev/stderr, /dev/fd/N or
   /proc/self/fd/N, else -1. Those are links to whatever the descriptor is
   open on (a pipe has no path at all): write to the descriptor itself. */
static int named_descriptor(const char *path)
{
    if (strcmp(path, "/dev/stdout") == 0)
        return 1;
    if (strcmp(path, "/dev/stderr") == 0)
        return 2;
    const char *digits = NULL;
    if (strncmp(path, "/dev/fd/", 8) == 0)
        digits = path + 8;
    else if (strncmp(path, "/proc/self/fd/", 14) == 0)
        digits = path + 14;
    if (!digits || !*digits)
        return -1;
    long fd = 0;
    for (const char *d = digits; *d; d++) {
        if (*d < '0' || *d > '9' || fd > INT_MAX / 10)
            return -1;
        fd = fd * 10 + (*d - '0');
    }
    return (int)fd;
}

typedef enum { DEST_NEW, DEST_REGULAR, DEST_STREAM, DEST_DESCRIPTOR } dest_kind;

/* Follow symbolic links from @p path to the file that would be written.
   *target gets it (malloc'd), *kind what it is, *fd the descriptor for
   DEST_DESCRIPTOR, *st its status for DEST_REGULAR. Returns 0, or an errno
   value (EISDIR, ENODEV for other non-regular files, ELOOP...). */
static int resolve(const char *path, char **target, dest_kind *kind, int *fd, struct stat *st)
{
    char *cur = dup_string(path);
    if (!cur)
        return ENOMEM;
    for (int hops = 0;; hops++) {
        if ((*fd = named_descriptor(cur)) >= 0) {
            *target = cur;
            *kind = DEST_DESCRIPTOR;
            return 0;
        }
        if (lstat(cur, st) != 0) {
            int e = errno;
            if (e != ENOENT) {
                free(cur);
                return e;
            }
            *target = cur;
            *kind = DEST_NEW;
            return 0;
        }
        if (S_ISREG(st->st_mode) || S_ISFIFO(st->st_mode) || S_ISCHR(st->st_mode)) {
            *target = cur;
            *kind = S_ISREG(st->st_mode) ? DEST_REGULAR : DEST_STREAM;
            return 0;
        }
        if (!S_ISLNK(st->st_mode)) {
            free(cur);
            return S_ISDIR(st->st_mode) ? EISDIR : ENODEV;
        }
        if (hops == MAX_LINKS) {
            free(cur);
            return ELOOP;
        }
        char link[PATH_MAX];
        ssize_t n = readlink(cur, link, sizeof link - 1);
        if (n < 0 || (size_t)n >= sizeof link - 1) {
            int e = n < 0 ? errno : ENAMETOOLONG;
            free(cur);
            return e;
        }
        link[n] = '\0';
        char *next;
        const char *slash = strrchr(cur, '/');
        if (link[0] == '/' || !slash) {
            next = dup_string(link);
        } else { /* relative to the directory holding the link */
            size_t dir = (size_t)(slash - cur) + 1;
            next = malloc(dir + (size_t)n + 1);
            if (next) {
                memcpy(next, cur, dir);
                memcpy(next + dir, link, (size_t)n + 1);
            }
        }
        free(cur);
        if (!next)
            return ENOMEM;
        cur = next;
    }
}

/* ---- the temporary file ---------------------------------------------------- */

/* Create "<target>.<6 random letters or digits>" exclusively. A new file is created 0666 so that the
   umask applies (mkstemp would force 0600); a replaced one gets its mode. */
static int create_temp(const char *target, const struct stat *old, char *name, size_t size)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    static unsigned long long counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long long x = ((unsigned long long)ts.tv_nsec << 20) ^ (unsigned long long)ts.tv_sec ^
                           ((unsigned long long)getpid() << 40) ^ (uintptr_t)name;
    for (int attempt = 0; attempt < 100; attempt++) {
        x += 0x9E3779B97F4A7C15ull + ++counter;
        unsigned long long r = x;
        r ^= r >> 31;
        r *= 0xBF58476D1CE4E5B9ull;
        r ^= r >> 29;
        char suffix[7];
        for (int k = 0; k < 6; k++, r /= 62)
            suffix[k] = alnum[r % 62];
        suffix[6] = '\0';
        if ((size_t)snprintf(name, size, "%s.%s", target, suffix) >= size) {
            errno = ENAMETOOLONG;
            return -1;
        }
        int fd = open(name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      old ? (mode_t)0600 : (mode_t)0666);
        if (fd < 0) {
            if (errno == EEXIST)
                continue;
            return -1;
        }
        if (old && fchmod(fd, old->st_mode & 07777) != 0) {
            int e = errno;
            close(fd);
            unlink(name);
            errno = e;
            return -1;
        }
        return fd;
    }
    errno = EEXIST;
    return -1;
}

/* Make the rename durable too; best effort (some filesystems refuse). */
static void sync_dir(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *dir = slash ? malloc((size_t)(slash - target) + 2) : dup_string(".");
    if (!dir)
        return;
    if (slash) {
        size_t n = slash == target ? 1 : (size_t)(slash - target);
        memcpy(dir, target, n);
        dir[n] = '\0';
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

/* ---- the public face ---------------------------------------------------------- */

static void output_free(cli_output *o)
{
    if (!o)
        return;
    free(o->target);
    free(o->display);
    free(o);
}

/* Remove the temporary file and forget it (signals blocked meanwhile). */
static void drop_temp(void)
{
    sigset_t old;
    block_signals(&old);
    if (temp_active)
        unlink(pending_temp);
    temp_active = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
    restore_handlers();
}

FILE *cli_output_open(const char *prog, const char *path, cli_output **out, int *code)
{
    *out = NULL;
    *code = CLI_EXIT_NOMEM;
    cli_output *o = calloc(1, sizeof *o);
    if (!o || !(o->display = dup_string(path))) {
        fprintf(stderr, "%s: out of memory\n", prog);
        output_free(o);
        return NULL;
    }
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        *out = o;
        *code = CLI_EXIT_OK;
        return o->fp;
    }
    dest_kind kind;
    int fd = -1, e;
    struct stat st;
    if ((e = resolve(path, &o->target, &kind, &fd, &st)) != 0) {
        if (e == ENOMEM) {
            fprintf(stderr, "%s: out of memory\n", prog);
        } else {
            *code = CLI_EXIT_IO;
            fprintf(stderr, "%s: cannot write %s: %s\n", prog, path,
                    e == EISDIR   ? "it is a directory"
                    : e == ENODEV ? "it is neither a regular file, a FIFO nor a character device"
                                  : strerror(e));
        }
        output_free(o);
        return NULL;
    }
    *code = CLI_EXIT_IO;
    if (kind == DEST_DESCRIPTOR && (fd == 1 || fd == 2)) {
        o->fp = fd == 1 ? stdout : stderr;
    } else if (kind == DEST_DESCRIPTOR || kind == DEST_STREAM) {
        int wfd = kind == DEST_DESCRIPTOR ? dup(fd)
                                          : open(o->target, O_WRONLY | O_NOCTTY | O_CLOEXEC);
        if (wfd < 0 || !(o->fp = fdopen(wfd, "wb"))) {
            fprintf(stderr, "%s: cannot write %s: %s\n", prog, path, strerror(errno));
            if (wfd >= 0)
                close(wfd);
            output_free(o);
            return NULL;
        }
        o->owns_fp = true;
    } else {
        /* Signals stay blocked from creating the file to registering it, so
           the handler never removes a name this process did not create. */
        sigset_t old;
        install_handlers();
        block_signals(&old);
        int tfd = create_temp(o->target, kind == DEST_REGULAR ? &st : NULL, pending_temp,
                              sizeof pending_temp);
        int err = errno;
        if (tfd >= 0)
            temp_active = 1;
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (tfd >= 0 && !(o->fp = fdopen(tfd, "wb"))) {
            err = errno;
            close(tfd);
            drop_temp();
            tfd = -1;
        } else if (tfd < 0) {
            restore_handlers();
        }
        if (tfd < 0) {
            fprintf(stderr, "%s: cannot create a temporary file for %s: %s\n", prog, path,
                    strerror(err));
            output_free(o);
            return NULL;
        }
        o->temp = true;
        o->owns_fp = true;
    }
    *out = o;
    *code = CLI_EXIT_OK;
    return o->fp;
}

void cli_output_discard(cli_output *o)
{
    if (!o)
        return;
    if (o->owns_fp && o->fp)
        fclose(o->fp);
    if (o->temp)
        drop_temp();
    output_free(o);
}

int cli_output_close(const char *prog, cli_output *o)
{
    if (!o)
        return CLI_EXIT_OK;
    const char *step = NULL;
    int err = 0;
    if (fflush(o->fp) != 0 || ferror(o->fp))
        step = "write";
    else if (o->temp && fsync(fileno(o->fp)) != 0)
        step = "flush";
    if (step)
        err = errno;
    if (o->owns_fp) {
        if (fclose(o->fp) != 0 && !step) {
            step = "close";
            err = errno;
        }
        o->fp = NULL;
    }
    if (o->temp && !step) {
        sigset_t old;
        block_signals(&old);
        if (rename(pending_temp, o->target) != 0) {
            step = "rename the temporary file over";
            err = errno;
        } else {
            temp_active = 0; /* it has the target's name now */
        }
        sigprocmask(SIG_SETMASK, &old, NULL);
        if (!step)
            sync_dir(o->target);
    }
    if (o->temp)
        drop_temp(); /* removes it only when something failed */
    int code = CLI_EXIT_OK;
    if (step) {
        fprintf(stderr, "%s: cannot %s %s: %s\n", prog, step, o->display,
                strerror(err ? err : EIO));
        code = CLI_EXIT_IO;
    }
    output_free(o);
    return code;
}

int cli_write_output(const char *prog, const char *path, const char *data, size_t len)
{
    cli_output *o;
    int code;
    FILE *fp = cli_output_open(prog, path, &o, &code);
    if (!fp)
        return code;
    fwrite(data, 1, len, fp); /* a short write sets ferror(): reported on close */
    return cli_output_close(prog, o);
}
