/*
 * Helpers shared by the example command-line programs. Public API only.
 *
 * SPDX-License-Identifier: MIT
 */
#include "cli_common.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

bool cli_parse_format(const char *text, cli_format *out)
{
    if (strcmp(text, "text") == 0) {
        *out = CLI_FORMAT_TEXT;
        return true;
    }
    if (strcmp(text, "json") == 0) {
        *out = CLI_FORMAT_JSON;
        return true;
    }
    return false;
}

bool cli_is_flag(const char *arg, const char *long_name, char short_name)
{
    if (arg[0] != '-')
        return false;
    if (arg[1] == '-')
        return strcmp(arg + 2, long_name) == 0;
    return short_name != 0 && arg[1] == short_name && arg[2] == '\0';
}

int cli_option_value(int argc, char **argv, int *i, const char *long_name, char short_name,
                     const char **value)
{
    const char *arg = argv[*i];
    size_t n = strlen(long_name);

    if (arg[0] == '-' && arg[1] == '-' && strncmp(arg + 2, long_name, n) == 0) {
        if (arg[2 + n] == '=') {
            *value = arg + 3 + n;
            return 1;
        }
        if (arg[2 + n] != '\0')
            return 0; /* a longer option name that merely starts the same */
    } else if (short_name != 0 && arg[0] == '-' && arg[1] == short_name) {
        if (arg[2] != '\0') {
            *value = arg + 2;
            return 1;
        }
    } else {
        return 0;
    }
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

int cli_exit_for_status(int status)
{
    if (status == JQL_OK)
        return CLI_EXIT_OK;
    if (status == JQL_EIO)
        return CLI_EXIT_IO;
    if (status == JQL_ENOMEM)
        return CLI_EXIT_NOMEM;
    return CLI_EXIT_INVALID;
}

const char *cli_display_name(const char *arg)
{
    return strcmp(arg, "-") == 0 ? "<stdin>" : arg;
}

static char *copy_string(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

int cli_load_dataset(const char *arg, jql_dataset **out, jql_diagnostics **diag, char **errmsg)
{
    int st;

    if (strcmp(arg, "-") == 0)
        st = jql_dataset_load_file_ext(stdin, "<stdin>", cli_load_options(), out, diag);
    else
        st = jql_dataset_load_path_ext(arg, cli_load_options(), out, diag);
    *errmsg = st == JQL_OK ? NULL : copy_string(jql_last_error());
    return st;
}

/* The message for a failure that produced no located error. */
static const char *failure_text(int status, const char *errmsg)
{
    return errmsg && errmsg[0] ? errmsg : jql_strerror(status);
}

void cli_print_diagnostics(FILE *fp, const char *name, const jql_diagnostics *diag, int status,
                           const char *errmsg)
{
    size_t n = jql_diagnostics_count(diag);

    for (size_t i = 0; i < n; i++) {
        unsigned line = jql_diagnostics_line(diag, i);
        const char *path = jql_diagnostics_path(diag, i);

        fputs(name, fp);
        if (line > 0)
            fprintf(fp, ":%u:%u", line, jql_diagnostics_column(diag, i));
        fputs(": ", fp);
        if (jql_diagnostics_severity(diag, i) == JQL_SEVERITY_WARNING)
            fputs("warning: ", fp);
        if (path && path[0])
            fprintf(fp, "%s: ", path);
        fprintf(fp, "%s\n", jql_diagnostics_message(diag, i));
    }
    if (status != JQL_OK && jql_diagnostics_error_count(diag) == 0)
        fprintf(fp, "%s: error: %s\n", name, failure_text(status, errmsg));
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is invalid. */
static size_t utf8_valid_len(const unsigned char *s)
{
    unsigned c = s[0];
    size_t n;
    unsigned long cp;

    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    for (size_t k = 1; k < n; k++) {
        if ((s[k] & 0xC0) != 0x80)
            return 0; /* also stops at the terminating NUL */
        cp = (cp << 6) | (s[k] & 0x3F);
    }
    /* Overlong forms, UTF-16 surrogates and code points past U+10FFFF. */
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

void cli_json_string(FILE *fp, const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    if (!s) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    while (*p) {
        size_t n;

        switch (*p) {
        case '"': fputs("\\\"", fp); p++; continue;
        case '\\': fputs("\\\\", fp); p++; continue;
        case '\n': fputs("\\n", fp); p++; continue;
        case '\r': fputs("\\r", fp); p++; continue;
        case '\t': fputs("\\t", fp); p++; continue;
        case '\b': fputs("\\b", fp); p++; continue;
        case '\f': fputs("\\f", fp); p++; continue;
        default: break;
        }
        if (*p < 0x20) {
            fprintf(fp, "\\u%04x", (unsigned)*p);
            p++;
            continue;
        }
        n = utf8_valid_len(p);
        if (n == 0) {
            fputs("\xEF\xBF\xBD", fp); /* U+FFFD for one invalid byte */
            p++;
            continue;
        }
        fwrite(p, 1, n, fp);
        p += n;
    }
    fputc('"', fp);
}

static void json_entry(FILE *fp, const char *path, unsigned line, unsigned column,
                       const char *message, const char *severity)
{
    fputs("{\"path\": ", fp);
    cli_json_string(fp, path ? path : "");
    fprintf(fp, ", \"line\": %u, \"column\": %u, \"message\": ", line, column);
    cli_json_string(fp, message ? message : "");
    fputs(", \"severity\": ", fp);
    cli_json_string(fp, severity);
    fputc('}', fp);
}

void cli_json_diagnostics(FILE *fp, const jql_diagnostics *diag, int status, const char *errmsg)
{
    size_t n = jql_diagnostics_count(diag);
    bool first = true;

    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        if (!first)
            fputs(", ", fp);
        first = false;
        json_entry(fp, jql_diagnostics_path(diag, i), jql_diagnostics_line(diag, i),
                   jql_diagnostics_column(diag, i), jql_diagnostics_message(diag, i),
                   jql_severity_name(jql_diagnostics_severity(diag, i)));
    }
    if (status != JQL_OK && jql_diagnostics_error_count(diag) == 0) {
        if (!first)
            fputs(", ", fp);
        json_entry(fp, "", 0, 0, failure_text(status, errmsg),
                   jql_severity_name(JQL_SEVERITY_ERROR));
    }
    fputc(']', fp);
}

int cli_finish_stdout(const char *prog)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: error writing standard output\n", prog);
        return CLI_EXIT_IO;
    }
    return CLI_EXIT_OK;
}

/* ---- input limit and streamed results ---- */

static jql_load_options load_opts = JQL_LOAD_OPTIONS_INIT;

const jql_load_options *cli_load_options(void)
{
    return &load_opts;
}

int cli_max_input_option(int argc, char **argv, int *i, const char *prog)
{
    const char *val = NULL;
    int r = cli_option_value(argc, argv, i, "max-input-size", 0, &val);
    if (r == 0)
        return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long n = r > 0 && val && *val >= '0' && *val <= '9' ? strtoull(val, &end, 10) : 0;
    unsigned shift = 0;
    if (end && (*end == 'K' || *end == 'k'))
        shift = 10, end++;
    else if (end && (*end == 'M' || *end == 'm'))
        shift = 20, end++;
    else if (end && (*end == 'G' || *end == 'g'))
        shift = 30, end++;
    if (r < 0 || !end || *end != '\0' || n == 0 || errno || n > (SIZE_MAX >> 1 >> shift)) {
        fprintf(stderr, "%s: --max-input-size needs a positive size in bytes (suffix K, M or G)%s%s\n",
                prog, val ? ", not " : "", val ? val : "");
        return -1;
    }
    load_opts.max_input_bytes = (size_t)n << shift;
    return 1;
}

static unsigned threads_asked = 1;

int cli_threads_option(int argc, char **argv, int *i, const char *prog)
{
    const char *val = NULL;
    int r = cli_option_value(argc, argv, i, "threads", 0, &val);
    if (r == 0)
        return 0;
    if (r > 0 && val && strcmp(val, "auto") == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        threads_asked = cpus < 1 ? 1 : (unsigned long)cpus > UINT_MAX ? UINT_MAX : (unsigned)cpus;
        return 1;
    }
    /* digits only: strtoull() would take "-1", " 2" and "+2" */
    size_t digits = r > 0 && val ? strspn(val, "0123456789") : 0;
    if (digits == 0 || val[digits] != '\0' || strspn(val, "0") == digits) {
        if (val)
            fprintf(stderr, "%s: --threads needs a whole number from 1, or auto, not \"%s\"\n",
                    prog, val);
        else
            fprintf(stderr, "%s: --threads needs a whole number from 1, or auto\n", prog);
        return -1;
    }
    /* the library takes at most JQL_SCORE_MAX_THREADS of any larger number */
    errno = 0;
    unsigned long long n = strtoull(val, NULL, 10);
    threads_asked = errno || n > UINT_MAX ? UINT_MAX : (unsigned)n;
    return 1;
}

void cli_score_threads(jql_score_options *opts)
{
    opts->threads = threads_asked;
    if (threads_asked > 1)
        opts->flags |= JQL_SCORE_CUSTOM_ANY_THREAD;
}

int cli_score_option(int argc, char **argv, int *i, const char *prog, jql_score_options *opts)
{
    if (cli_is_flag(argv[*i], "allow-empty", 0)) {
        opts->flags |= JQL_SCORE_ALLOW_EMPTY;
        return 1;
    }
    const char *val = NULL;
    int r = cli_option_value(argc, argv, i, "as-of", 0, &val);
    if (r == 0)
        return 0;
    jql_date d;
    if (r < 0 || !val || jql_date_parse(val, &d) != JQL_OK) {
        fprintf(stderr, "%s: option --as-of needs an existing date YYYY-MM-DD\n", prog);
        return -1;
    }
    opts->as_of = val;
    return 1;
}

static int write_chunk(void *user, const char *data, size_t len)
{
    return fwrite(data, 1, len, (FILE *)user) == len ? 0 : -1;
}

int cli_write_results_json(const char *prog, const char *output, const jql_results *r,
                           jql_evidence_level level)
{
    /* One safe-output path for every -o FILE (cli_output.c): temporary
       file renamed over FILE, symlinks, FIFOs, devices, signals. */
    cli_output *o = NULL;
    int code = CLI_EXIT_OK;
    FILE *fp = stdout;
    if (output && !(fp = cli_output_open(prog, output, &o, &code)))
        return code;
    int rc = jql_results_write_cb(r, write_chunk, fp, level);
    if (rc != JQL_OK && rc != JQL_EIO) {
        if (rc == JQL_ENOMEM)
            fprintf(stderr, "%s: out of memory\n", prog);
        else
            fprintf(stderr, "%s: %s\n", prog, jql_last_error());
        cli_output_discard(o); /* the temporary file goes; FILE is untouched */
        return rc == JQL_ENOMEM ? CLI_EXIT_NOMEM : CLI_EXIT_INVALID;
    }
    /* JQL_EIO: a short write left ferror() set, which the close reports */
    return output ? cli_output_close(prog, o) : cli_finish_stdout(prog);
}

void cli_buf_add(cli_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cli_buf_puts(cli_buf *b, const char *s)
{
    cli_buf_add(b, s, strlen(s));
}

void cli_buf_printf(cli_buf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = true;
        return;
    }
    if ((size_t)n < sizeof tmp) {
        cli_buf_add(b, tmp, (size_t)n);
        return;
    }
    /* longer than the stack buffer (a veto's reason may take 64 KiB) */
    char *big = malloc((size_t)n + 1);
    if (!big) {
        b->failed = true;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    cli_buf_add(b, big, (size_t)n);
    free(big);
}

/* ---- tiers by id ---------------------------------------------------------- */

static const jql_criteria *tiers_sorting;

static int cmp_tier(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    int c = strcmp(jql_criteria_tier_id(tiers_sorting, x), jql_criteria_tier_id(tiers_sorting, y));
    return c ? c : (x > y) - (x < y);
}

bool cli_tiers_init(cli_tiers *t, const jql_criteria *c)
{
    t->c = c;
    t->n = jql_criteria_tier_count(c);
    t->order = malloc((t->n + 1) * sizeof *t->order);
    if (!t->order)
        return false;
    for (size_t i = 0; i < t->n; i++)
        t->order[i] = i;
    tiers_sorting = c;
    if (t->n > 1) /* qsort must not be given a NULL array, even empty */
        qsort(t->order, t->n, sizeof *t->order, cmp_tier);
    return true;
}

size_t cli_tiers_find(const cli_tiers *t, const char *id)
{
    size_t lo = 0, hi = t->order ? t->n : 0, i;
    if (!id)
        return SIZE_MAX;
    while (lo < hi) { /* the first of the equal ids: the lowest position */
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(jql_criteria_tier_id(t->c, t->order[mid]), id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (t->order && lo < t->n && strcmp(jql_criteria_tier_id(t->c, t->order[lo]), id) == 0)
        return t->order[lo];
    /* not there as written: the library compares in NFC */
    return jql_criteria_tier_find(t->c, id, &i) == JQL_OK ? i : SIZE_MAX;
}

void cli_tiers_free(cli_tiers *t)
{
    free(t->order);
    t->order = NULL;
    t->n = 0;
}

static size_t longest(size_t a, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n > a ? n : a;
}

size_t cli_repeated_text(const jql_criteria *c, size_t tier_names, size_t titles)
{
    size_t tier = 0, title = 0;
    for (size_t t = 0; t < jql_criteria_tier_count(c); t++)
        tier = longest(tier, jql_criteria_tier_name(c, t));
    for (size_t n = 0; n < jql_criteria_node_count(c); n++)
        if (jql_criteria_node_parent(c, n) == JQL_NONE)
            title = longest(title, jql_criteria_node_title(c, n));
    return tier_names * tier + titles * title;
}

bool cli_repeated_text_fits(const char *prog, const char *what, size_t units, size_t per_unit,
                            const char *hint)
{
    if (!per_unit || units <= CLI_MAX_REPEATED_TEXT / per_unit)
        return true;
    fprintf(stderr,
            "%s: %s: %zu units x %zu bytes of tier names and section titles repeated for each "
            "would be more than %u bytes: shorten the names%s\n",
            prog, what, units, per_unit, CLI_MAX_REPEATED_TEXT, hint ? hint : "");
    return false;
}
