/* How a dataset's text reaches the loader (issue 10, load time): a regular
   file is read in one block of its size, a pipe in steps, a stream from
   where its caller left it; the size limit holds at its exact byte either
   way. And the loader's shortcuts keep their answers: references
   remembered from one record to the next, statistics found by their dates,
   strings remembered as being in NFC. Through the public API; every way of
   loading must give the same dataset, its saved form byte for byte. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "gen_national.h"
#include "testutil.h"
#include "util.h"

static char tmpdir[256];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "%s/jql-read-XXXXXX",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

/* tmpdir/name holding prefix then text; returns the path (static buffer). */
static const char *write_file(const char *name, const char *prefix, const char *text,
                              size_t len)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *fp = fopen(path, "wb");
    ck_assert_ptr_nonnull(fp);
    fputs(prefix, fp);
    ck_assert_uint_eq(fwrite(text, 1, len, fp), len);
    ck_assert_int_eq(fclose(fp), 0);
    return path;
}

/* A pipe whose read end is returned as a stream; a child process writes
   text into it in small pieces and exits. */
static FILE *pipe_of(const char *text, size_t len, pid_t *child)
{
    int fds[2];
    ck_assert_int_eq(pipe(fds), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        close(fds[0]);
        for (size_t off = 0; off < len;) {
            size_t step = len - off < 1000 ? len - off : 1000;
            ssize_t n = write(fds[1], text + off, step);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0)
                _exit(1);
            off += (size_t)n;
        }
        _exit(0);
    }
    close(fds[1]);
    *child = pid;
    FILE *fp = fdopen(fds[0], "rb");
    ck_assert_ptr_nonnull(fp);
    return fp;
}

static void reap(pid_t child)
{
    int status;
    ck_assert_int_eq(waitpid(child, &status, 0), child);
}

/* The saved form of a loaded dataset (the load must have succeeded). */
static char *saved_form(int rc, jql_dataset *ds, jql_diagnostics *d, size_t *len)
{
    ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
    char *out = NULL;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, len), JQL_OK);
    jql_dataset_free(ds);
    jql_diagnostics_free(d);
    return out;
}

static void same_bytes(const char *how, const char *a, size_t alen, const char *b, size_t blen)
{
    ck_assert_msg(alen == blen && memcmp(a, b, alen) == 0, "%s loads differently", how);
}

/* A national-shape dataset (hundreds of KiB: many 64 KiB steps through a
   pipe) gives the same dataset from memory, a path, a stream of a file, a
   stream its caller has already read some of, and a pipe. */
START_TEST(every_way_the_same)
{
    make_tmpdir();
    size_t len;
    char *text = gen_national_dataset_text(30, 7, &len);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_gt(len, 4 * 65536);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    size_t ref_len, n;
    int rc = jql_dataset_load_buffer(text, len, "mem", &ds, &d);
    char *ref = saved_form(rc, ds, d, &ref_len);

    const char *path = write_file("d.json", "", text, len);
    rc = jql_dataset_load_path(path, &ds, &d);
    char *out = saved_form(rc, ds, d, &n);
    same_bytes("a path", ref, ref_len, out, n);
    jql_free(out);

    FILE *fp = fopen(path, "rb");
    rc = jql_dataset_load_file(fp, "f", &ds, &d);
    out = saved_form(rc, ds, d, &n);
    fclose(fp);
    same_bytes("a file stream", ref, ref_len, out, n);
    jql_free(out);

    /* the caller read a prefix first: the stream's buffer is ahead of it */
    path = write_file("p.json", "#ab\n", text, len);
    fp = fopen(path, "rb");
    char prefix[4];
    ck_assert_uint_eq(fread(prefix, 1, 4, fp), 4);
    rc = jql_dataset_load_file(fp, "f", &ds, &d);
    out = saved_form(rc, ds, d, &n);
    fclose(fp);
    same_bytes("a stream read from its middle", ref, ref_len, out, n);
    jql_free(out);

    pid_t child;
    fp = pipe_of(text, len, &child);
    rc = jql_dataset_load_file(fp, "pipe", &ds, &d);
    out = saved_form(rc, ds, d, &n);
    fclose(fp);
    reap(child);
    same_bytes("a pipe", ref, ref_len, out, n);
    jql_free(out);

    jql_free(ref);
    free(text);
}
END_TEST

/* How a load at a given limit ended: JQL_ELIMIT must name the limit. */
static void expect_limit(int rc, jql_dataset *ds, jql_diagnostics *d, size_t limit, bool fits)
{
    if (fits) {
        ck_assert_msg(rc == JQL_OK, "limit %zu: %s", limit, jql_last_error());
    } else {
        char want[96];
        snprintf(want, sizeof want, "input is larger than the limit of %zu bytes", limit);
        ck_assert_int_eq(rc, JQL_ELIMIT);
        ck_assert_ptr_null(ds);
        ck_assert_msg(strstr(jql_last_error(), want), "%s", jql_last_error());
        ck_assert_uint_eq(jql_diagnostics_count(d), 1);
        ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), want));
    }
    jql_dataset_free(ds);
    jql_diagnostics_free(d);
}

/* A file of exactly max_input_bytes loads; one byte less is refused with
   the limit's message, from a path, a file stream and a pipe alike. */
START_TEST(size_limit_exact)
{
    make_tmpdir();
    size_t len;
    char *text = gen_national_dataset_text(3, 11, &len);
    const char *path = write_file("d.json", "", text, len);
    for (size_t limit = len - 1; limit <= len + 1; limit++) {
        bool fits = limit >= len;
        jql_load_options o = JQL_LOAD_OPTIONS_INIT;
        o.max_input_bytes = limit;
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        int rc = jql_dataset_load_path_ext(path, &o, &ds, &d);
        expect_limit(rc, ds, d, limit, fits);

        FILE *fp = fopen(path, "rb");
        rc = jql_dataset_load_file_ext(fp, "f", &o, &ds, &d);
        expect_limit(rc, ds, d, limit, fits);
        fclose(fp);

        pid_t child;
        fp = pipe_of(text, len, &child);
        rc = jql_dataset_load_file_ext(fp, "pipe", &o, &ds, &d);
        expect_limit(rc, ds, d, limit, fits);
        fclose(fp); /* the writer may be blocked on the rest: closing ends it */
        reap(child);
    }
    free(text);
}
END_TEST

/* An empty file is an empty input; a directory cannot be read. */
START_TEST(empty_file_and_directory)
{
    make_tmpdir();
    const char *path = write_file("empty.json", "", "", 0);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(path, &ds, &d), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "empty input"));
    jql_diagnostics_free(d);
    d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(tmpdir, &ds, &d), JQL_EIO);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "cannot read"));
    ck_assert_ptr_null(d);
}
END_TEST

/* Position (line:column) of the first occurrence of marker, counted here. */
static void where(const char *text, const char *marker, unsigned *line, unsigned *col)
{
    const char *p = strstr(text, marker);
    ck_assert_ptr_nonnull(p);
    unsigned l = 1;
    const char *start = text;
    for (const char *q = text; q < p; q++)
        if (*q == '\n') {
            l++;
            start = q + 1;
        }
    *line = l;
    *col = (unsigned)(p - start + 1);
}

static size_t diag_at(const jql_diagnostics *d, const char *path)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        if (strcmp(jql_diagnostics_path(d, i), path) == 0)
            return i;
    ck_abort_msg("no diagnostic at %s", path);
    return 0;
}

static void expect_at(const jql_diagnostics *d, const char *path, const char *msg,
                      const char *text, const char *marker)
{
    size_t i = diag_at(d, path);
    unsigned line, col;
    where(text, marker, &line, &col);
    ck_assert_msg(strstr(jql_diagnostics_message(d, i), msg), "%s: %s", path,
                  jql_diagnostics_message(d, i));
    ck_assert_msg(jql_diagnostics_line(d, i) == line && jql_diagnostics_column(d, i) == col,
                  "%s at %u:%u, expected %u:%u", path, jql_diagnostics_line(d, i),
                  jql_diagnostics_column(d, i), line, col);
}

/* References are remembered from one record to the next: an unknown one
   between two known ones is reported where it is, the known ones after it
   still resolve, a unit refused for its own errors is not reported again,
   and statistics of alternating units and periods are all taken or
   refused as repetitions exactly. */
START_TEST(references_between_records)
{
    const char *text =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"commune\"},\n"
        "  {\"id\": \"b\", \"name\": \"B\", \"level\": \"commune\"},\n"
        "  {\"id\": \"bad\", \"level\": \"commune\"}],\n"
        "\"indicators\": [{\"id\": \"i\", \"name\": \"I\"}, {\"id\": \"j\", \"name\": \"J\"}],\n"
        "\"statistics\": [\n"
        "  {\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"nope\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"a\", \"indicator\": \"j\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"b\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q2\", \"value\": 1},\n"
        "  {\"unit\": \"bad\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 9},\n"
        "  {\"unit\": \"b\", \"indicator\": \"k\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"b\", \"indicator\": \"i\", \"period\": \"2025-13\", \"value\": 1},\n"
        "  {\"unit\": \"b\", \"indicator\": \"i\", \"period\": \"2025-Q2\", \"value\": 1}\n"
        "]}\n";
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, strlen(text), "refs", &ds, &d),
                     JQL_EINVALID);
    expect_at(d, "/statistics/1/unit", "unknown unit \"nope\"", text, "\"nope\"");
    expect_at(d, "/statistics/6", "already has a value", text,
              "{\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 9}");
    expect_at(d, "/statistics/7/indicator", "unknown indicator \"k\"", text, "\"k\"");
    expect_at(d, "/statistics/8/period", "unknown period \"2025-13\"", text, "\"2025-13\"");
    /* "bad" (no name) is reported once, at its declaration */
    diag_at(d, "/units/2");
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        ck_assert_str_ne(jql_diagnostics_path(d, i), "/statistics/5/unit");
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 5);
    jql_diagnostics_free(d);

    /* without the wrong records: the five distinct statistics are taken */
    const char *good =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"commune\"},\n"
        "  {\"id\": \"b\", \"name\": \"B\", \"level\": \"commune\"}],\n"
        "\"indicators\": [{\"id\": \"i\", \"name\": \"I\"}, {\"id\": \"j\", \"name\": \"J\"}],\n"
        "\"statistics\": [\n"
        "  {\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 1},\n"
        "  {\"unit\": \"a\", \"indicator\": \"j\", \"period\": \"2025-Q1\", \"value\": 2},\n"
        "  {\"unit\": \"b\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 3},\n"
        "  {\"unit\": \"a\", \"indicator\": \"i\", \"period\": \"2025-Q2\", \"value\": 4},\n"
        "  {\"unit\": \"b\", \"indicator\": \"i\", \"period\": \"2025-Q2\", \"value\": 5}\n"
        "]}\n";
    ck_assert_int_eq(jql_dataset_load_buffer(good, strlen(good), "refs", &ds, NULL), JQL_OK);
    ck_assert_uint_eq(jql_stat_count(ds), 5);
    size_t units[] = {0, 0, 1, 0, 1}, inds[] = {0, 1, 0, 0, 0};
    const char *periods[] = {"2025-Q1", "2025-Q1", "2025-Q1", "2025-Q2", "2025-Q2"};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_uint_eq(jql_stat_unit(ds, k), units[k]);
        ck_assert_uint_eq(jql_stat_indicator(ds, k), inds[k]);
        ck_assert_str_eq(jql_stat_period(ds, k), periods[k]);
        ck_assert_int_eq(jql_stat_value(ds, k), (jql_milli)(k + 1) * 1000);
    }
    jql_dataset_free(ds);
}
END_TEST

/* Text already seen in NFC is remembered as such: the same words typed
   decomposed (NFD) afterwards still get the file's one warning, there. */
START_TEST(nfc_warning_after_repeats)
{
    char text[8192];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
                                "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": "
                                "\"commune\"}],\n\"tasks\": [\n");
    for (int k = 0; k < 20; k++) /* "Nhi\u1ec7m v\u1ee5" in NFC */
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "  {\"id\": \"t%d\", \"title\": \"Nhi\xe1\xbb\x87m v\xe1\xbb\xa5\", "
                              "\"units\": [\"a\"], \"due\": \"2025-03-01\", \"status\": "
                              "\"pending\"},\n",
                              k);
    /* the same title in NFD: e + U+0323 U+0302, u + U+0323 */
    n += (size_t)snprintf(text + n, sizeof text - n,
                          "  {\"id\": \"t20\", \"title\": \"Nhie\xcc\xa3\xcc\x82m vu\xcc\xa3\", "
                          "\"units\": [\"a\"], \"due\": \"2025-03-01\", \"status\": "
                          "\"pending\"}\n]}\n");
    ck_assert_uint_lt(n, sizeof text);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, n, "nfc", &ds, &d), JQL_OK);
    ck_assert_uint_eq(jql_task_count(ds), 21);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    expect_at(d, "/tasks/20/title", "not in Unicode NFC", text, "\"Nhie\xcc\xa3");
    jql_dataset_free(ds);
    jql_diagnostics_free(d);
}
END_TEST

/* An id's control bytes are found wherever they are (ids are checked 8
   bytes a step): \u0001, \u001f, \u007f and a tab at every position of
   an id of up to 19 bytes are refused at the id; bytes from 0x80 (UTF-8),
   the space and '~' beside them are not control bytes. One load per
   control byte (diagnostics stop at 200). */
START_TEST(id_control_bytes_anywhere)
{
    static const char *const ctl[] = {"\\u0001", "\\u001f", "\\u007f", "\\t"};
    static const char *const fine[] = {"\xc3\xa9", " ", "~", "\xe1\xbb\x87 ~"};
    for (size_t c = 0; c < 4; c++) {
        jql_buf t;
        jql_buf_init(&t);
        jql_buf_puts(&t, "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
                         "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": "
                         "\"commune\"}],\n\"tasks\": [\n");
        size_t n = 0;
        for (size_t len = 1; len <= 19; len++)
            for (size_t at = 0; at < len; at++, n++) {
                jql_buf_printf(&t, "%s{\"id\": \"", n ? ",\n" : "");
                for (size_t k = 0; k < len; k++)
                    jql_buf_puts(&t, k == at ? ctl[c] : "x");
                jql_buf_puts(&t, "\", \"title\": \"T\", \"units\": [\"a\"], \"due\": "
                                 "\"2025-03-01\", \"status\": \"pending\"}");
            }
        size_t bad = n;
        for (size_t at = 0; at < 12; at++, n++) {
            jql_buf_printf(&t, ",\n{\"id\": \"");
            for (size_t k = 0; k < 12; k++)
                jql_buf_puts(&t, k == at ? fine[c] : "y");
            jql_buf_printf(&t, "%zu\", \"title\": \"T\", \"units\": [\"a\"], \"due\": "
                               "\"2025-03-01\", \"status\": \"pending\"}",
                           n);
        }
        jql_buf_puts(&t, "\n]}\n");
        ck_assert(!t.failed);
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        ck_assert_int_eq(jql_dataset_load_buffer(t.data, t.len, "ctl", &ds, &d),
                         JQL_EINVALID);
        ck_assert_uint_eq(jql_diagnostics_error_count(d), bad);
        for (size_t i = 0; i < bad; i++) {
            char path[64];
            snprintf(path, sizeof path, "/tasks/%zu/id", i);
            size_t k = diag_at(d, path);
            ck_assert_str_eq(jql_diagnostics_message(d, k), "id contains a control character");
        }
        jql_diagnostics_free(d);
        jql_buf_free(&t);
    }
}
END_TEST

/* The same tasks loaded and built through the builder: owners, fields and
   periods (more distinct ones than any shortcut remembers, alternating, a
   field typed in NFC and in NFD) give the same dataset, saved byte for
   byte; a field is one shared copy whichever way it was typed; a task
   naming its unit twice is refused where it is, as the builder refuses it. */
START_TEST(tasks_loaded_as_built)
{
    static const char *const nfc = "H\xe1\xbb\x99 t\xe1\xbb\x8b" "ch";   /* "Hộ tịch" */
    static const char *const nfd = "Ho\xcc\xa3\xcc\x82 ti\xcc\xa3" "ch"; /* decomposed */
    const char *head = "{\"format\": \"justice-quarterly/dataset 1.0\",\n\"units\": [";
    jql_buf t;
    jql_buf_init(&t);
    jql_buf_puts(&t, head);
    jql_dataset *b = jql_dataset_new();
    ck_assert_ptr_nonnull(b);
    char id[32], title[32], field[32], period[32];
    for (int u = 0; u < 5; u++) {
        snprintf(id, sizeof id, "u%d", u);
        jql_buf_printf(&t, "%s{\"id\": \"%s\", \"name\": \"U\", \"level\": \"commune\"}",
                       u ? ", " : "", id);
        ck_assert_int_eq(jql_unit_add(b, id, "U", "commune", NULL, NULL), JQL_OK);
    }
    jql_buf_puts(&t, "],\n\"tasks\": [\n");
    for (int k = 0; k < 120; k++) {
        snprintf(id, sizeof id, "t%d", k);
        snprintf(title, sizeof title, "Task %d", k);
        /* 13 fields and 11 periods over 2024 and 2025, with a field in NFC
           and NFD every 7th task */
        if (k % 7 == 0)
            snprintf(field, sizeof field, "%s", k % 14 ? nfd : nfc);
        else
            snprintf(field, sizeof field, "field %d", k % 13);
        static const char *const ps[] = {"2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4",
                                         "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4",
                                         "2025",    "2025-H1", "2024-H2"};
        snprintf(period, sizeof period, "%s", ps[(k * 5) % 11]);
        int u1 = k % 5, u2 = (k * 3 + 1) % 5;
        bool two = k % 4 == 0 && u1 != u2;
        char units[32];
        snprintf(units, sizeof units, two ? "\"u%d\", \"u%d\"" : "\"u%d\"", u1, u2);
        jql_buf_printf(&t,
                       "%s{\"id\": \"%s\", \"title\": \"%s\", \"field\": \"%s\", "
                       "\"units\": [%s], \"period\": \"%s\", "
                       "\"due\": \"2025-03-01\", \"status\": \"pending\"}",
                       k ? ",\n" : "", id, title, field, units, period);
        jql_date due;
        size_t i;
        ck_assert_int_eq(jql_date_parse("2025-03-01", &due), JQL_OK);
        ck_assert_int_eq(jql_task_add(b, id, title, due, &i), JQL_OK);
        snprintf(id, sizeof id, "u%d", u1);
        ck_assert_int_eq(jql_task_add_owner(b, i, id), JQL_OK);
        if (two) {
            snprintf(id, sizeof id, "u%d", u2);
            ck_assert_int_eq(jql_task_add_owner(b, i, id), JQL_OK);
        }
        ck_assert_int_eq(jql_task_set_field(b, i, field), JQL_OK);
        ck_assert_int_eq(jql_task_set_period(b, i, period), JQL_OK);
    }
    jql_buf_puts(&t, "\n]}\n");
    ck_assert(!t.failed);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    size_t n1, n2;
    int rc = jql_dataset_load_buffer(t.data, t.len, "tasks", &ds, &d);
    ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
    ck_assert_str_eq(jql_task_field(ds, 0), nfc);
    ck_assert_ptr_eq(jql_task_field(ds, 0), jql_task_field(ds, 7));
    ck_assert_ptr_eq(jql_task_field(ds, 0), jql_task_field(ds, 14));
    ck_assert_ptr_eq(jql_task_period(ds, 0), jql_task_period(ds, 11));
    char *loaded = saved_form(rc, ds, d, &n1);
    char *built_json = saved_form(JQL_OK, b, NULL, &n2);
    same_bytes("the tasks", built_json, n2, loaded, n1);
    jql_free(loaded);
    jql_free(built_json);
    jql_buf_free(&t);

    /* a unit named twice: the builder's words, at the task */
    const char *twice =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"commune\"}],\n"
        "\"tasks\": [\n"
        "  {\"id\": \"t0\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
        "\"status\": \"pending\"},\n"
        "  {\"id\": \"t1\", \"title\": \"T\", \"units\": [\"a\", \"a\"], \"due\": "
        "\"2025-03-01\", \"status\": \"pending\"}\n]}\n";
    ck_assert_int_eq(jql_dataset_load_buffer(twice, strlen(twice), "twice", &ds, &d),
                     JQL_EINVALID);
    expect_at(d, "/tasks/1", "unit \"a\" already owns task \"t1\"", twice, "{\"id\": \"t1\"");
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    jql_diagnostics_free(d);
}
END_TEST

/* Repeated keys are found whether or not the keys of an object start
   with different bytes (a shortcut skips the pairwise check when they
   do): a repeated key among keys sharing first bytes, a repeated key
   alone, and an empty key twice (never a repeat: both are unknown). */
START_TEST(repeated_keys_found)
{
    const char *text =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"commune\"}],\n"
        "\"tasks\": [\n"
        "  {\"id\": \"t0\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
        "\"status\": \"pending\", \"title\": \"U\"},\n"
        "  {\"id\": \"t1\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
        "\"status\": \"pending\", \"dux\": 1, \"due\": \"2025-03-02\"},\n"
        "  {\"id\": \"t2\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
        "\"status\": \"pending\", \"\": 1, \"\": 2},\n"
        "  {\"id\": \"t3\", \"title\": \"T\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
        "\"status\": \"pending\", \"idx\": 1, \"i\": 2}\n]}\n";
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, strlen(text), "keys", &ds, &d),
                     JQL_EINVALID);
    expect_at(d, "/tasks/0/title", "duplicate key \"title\"", text, "\"title\": \"U\"");
    expect_at(d, "/tasks/1/dux", "unknown key \"dux\"", text, "\"dux\"");
    expect_at(d, "/tasks/1/due", "duplicate key \"due\"", text, "\"due\": \"2025-03-02\"");
    expect_at(d, "/tasks/3/idx", "unknown key \"idx\"", text, "\"idx\"");
    expect_at(d, "/tasks/3/i", "unknown key \"i\"", text, "\"i\": 2");
    size_t empty = 0;
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        if (strcmp(jql_diagnostics_path(d, i), "/tasks/2/") == 0) {
            ck_assert_str_eq(jql_diagnostics_message(d, i), "unknown key \"\"");
            empty++;
        }
    ck_assert_uint_eq(empty, 2);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 7);
    jql_diagnostics_free(d);
}
END_TEST

/* Strings are copied while they are scanned when they have no escape:
   titles of every length up to 40 bytes, plain or with an escape at each
   place, one of the longest length allowed (64 KiB: more than a pool
   block has left) and the file's last string read back as written. */
START_TEST(strings_read_back)
{
    jql_buf t;
    jql_buf_init(&t);
    jql_buf_puts(&t, "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
                     "\"units\": [{\"id\": \"a\", \"name\": \"A\", \"level\": \"commune\"}],\n"
                     "\"tasks\": [\n");
    char want[200][48];
    size_t n = 0;
    for (size_t len = 0; len <= 40; len++)
        for (size_t esc = 0; esc <= len && n < 200; esc += len ? (len + 3) / 4 : 1, n++) {
            /* esc == len: no escape; else "\n" written as \n at esc */
            jql_buf_printf(&t, "%s{\"id\": \"t%zu\", \"title\": \"", n ? ",\n" : "", n);
            for (size_t k = 0; k < len; k++) {
                char ch = (char)('a' + (k + n) % 26);
                if (k == esc) {
                    jql_buf_puts(&t, "\\n");
                    ch = '\n';
                } else {
                    jql_buf_printf(&t, "%c", ch);
                }
                want[n][k] = ch;
            }
            want[n][len] = '\0';
            jql_buf_puts(&t, "\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
                             "\"status\": \"pending\"}");
        }
    size_t big = 65536; /* the longest string allowed, longer than a pool block's room */
    jql_buf_printf(&t, ",\n{\"id\": \"long\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
                       "\"status\": \"pending\", \"title\": \"");
    for (size_t k = 0; k < big; k++)
        jql_buf_printf(&t, "%c", (char)('A' + k % 26));
    jql_buf_puts(&t, "\"},\n{\"id\": \"last\", \"units\": [\"a\"], \"due\": \"2025-03-01\", "
                     "\"status\": \"pending\", \"title\": \"end\"}]}");
    ck_assert(!t.failed);
    jql_load_options o = JQL_LOAD_OPTIONS_INIT;
    o.max_string_bytes = big;
    jql_dataset *ds = NULL;
    int rc = jql_dataset_load_buffer_ext(t.data, t.len, "strings", &o, &ds, NULL);
    ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
    ck_assert_uint_eq(jql_task_count(ds), n + 2);
    for (size_t i = 0; i < n; i++)
        ck_assert_str_eq(jql_task_title(ds, i), want[i]);
    const char *lt = jql_task_title(ds, n);
    ck_assert_uint_eq(strlen(lt), big);
    for (size_t k = 0; k < big; k++)
        ck_assert_int_eq(lt[k], 'A' + k % 26);
    ck_assert_str_eq(jql_task_title(ds, n + 1), "end");
    jql_dataset_free(ds);
    jql_buf_free(&t);
}
END_TEST

/* jql_strmap_prefetch (the loader's hint before a look-up) changes
   nothing: on an empty map, with a NULL key, with keys present or not,
   in NFC maps with a decomposed key. */
START_TEST(prefetch_changes_nothing)
{
    jql_strmap m = {0};
    m.nfc = true;
    jql_strmap_prefetch(&m, "a");
    jql_strmap_prefetch(&m, NULL);
    ck_assert_uint_eq(m.len, 0);
    ck_assert_ptr_null(m.slots);
    char key[32];
    for (int k = 0; k < 1000; k++) {
        snprintf(key, sizeof key, "k%d", k);
        jql_strmap_prefetch(&m, key);
        ck_assert_int_eq(jql_strmap_put(&m, key, (size_t)k), JQL_OK);
    }
    ck_assert_int_eq(jql_strmap_put(&m, "H\xe1\xbb\x99", 7), JQL_OK); /* "Hộ" in NFC */
    jql_strmap_prefetch(&m, "Ho\xcc\xa3\xcc\x82");                  /* the same, NFD */
    jql_strmap_prefetch(&m, "absent");
    ck_assert_uint_eq(m.len, 1001);
    size_t v;
    ck_assert_int_eq(jql_strmap_get(&m, "Ho\xcc\xa3\xcc\x82", &v), JQL_OK);
    ck_assert_uint_eq(v, 7);
    for (int k = 0; k < 1000; k++) {
        snprintf(key, sizeof key, "k%d", k);
        ck_assert_int_eq(jql_strmap_get(&m, key, &v), JQL_OK);
        ck_assert_uint_eq(v, (size_t)k);
    }
    ck_assert_int_eq(jql_strmap_get(&m, "absent", NULL), JQL_ENOTFOUND);
    jql_strmap_free(&m);
}
END_TEST

/* Statistics loaded and the same ones set through the builder, each
   period id passed in a buffer the caller overwrites right after: the
   same saved bytes, and each statistic keeps its own period id (the
   dataset keeps a shared copy, never the caller's buffer). */
START_TEST(stats_loaded_as_built)
{
    jql_dataset *b = jql_dataset_new();
    ck_assert_ptr_nonnull(b);
    jql_buf t;
    jql_buf_init(&t);
    jql_buf_puts(&t, "{\"format\": \"justice-quarterly/dataset 1.0\",\n\"units\": [");
    char id[32], period[32];
    for (int u = 0; u < 3; u++) {
        snprintf(id, sizeof id, "u%d", u);
        jql_buf_printf(&t, "%s{\"id\": \"%s\", \"name\": \"U\", \"level\": \"commune\"}",
                       u ? ", " : "", id);
        ck_assert_int_eq(jql_unit_add(b, id, "U", "commune", NULL, NULL), JQL_OK);
    }
    jql_buf_puts(&t, "],\n\"indicators\": [{\"id\": \"i\", \"name\": \"I\"}],\n"
                     "\"statistics\": [\n");
    ck_assert_int_eq(jql_indicator_add(b, "i", "I", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    static const char *const ps[] = {"2025-Q1", "2025-Q2", "2024-Q3", "2025-H2", "2023"};
    size_t n = 0;
    for (int u = 0; u < 3; u++)
        for (int p = 0; p < 5; p++, n++) {
            snprintf(id, sizeof id, "u%d", u);
            snprintf(period, sizeof period, "%s", ps[(p + u) % 5]);
            jql_buf_printf(&t,
                           "%s{\"unit\": \"%s\", \"indicator\": \"i\", \"period\": \"%s\", "
                           "\"value\": %zu}",
                           n ? ",\n" : "", id, period, n);
            ck_assert_int_eq(jql_stat_set_value(b, id, "i", period, (jql_milli)n * 1000), JQL_OK);
            memset(period, 'X', sizeof period - 1); /* the caller's buffer, reused */
            period[sizeof period - 1] = '\0';
        }
    jql_buf_puts(&t, "\n]}\n");
    ck_assert(!t.failed);
    for (size_t k = 0; k < n; k++)
        ck_assert_str_eq(jql_stat_period(b, k), ps[(k % 5 + k / 5) % 5]);
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    size_t n1, n2;
    int rc = jql_dataset_load_buffer(t.data, t.len, "stats", &ds, &d);
    char *loaded = saved_form(rc, ds, d, &n1);
    char *built_json = saved_form(JQL_OK, b, NULL, &n2);
    same_bytes("the statistics", built_json, n2, loaded, n1);
    jql_free(loaded);
    jql_free(built_json);
    jql_buf_free(&t);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_read");
    TCase *tc = tcase_create("read");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, every_way_the_same);
    tcase_add_test(tc, size_limit_exact);
    tcase_add_test(tc, empty_file_and_directory);
    tcase_add_test(tc, references_between_records);
    tcase_add_test(tc, nfc_warning_after_repeats);
    tcase_add_test(tc, id_control_bytes_anywhere);
    tcase_add_test(tc, tasks_loaded_as_built);
    tcase_add_test(tc, repeated_keys_found);
    tcase_add_test(tc, strings_read_back);
    tcase_add_test(tc, prefetch_changes_nothing);
    tcase_add_test(tc, stats_loaded_as_built);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
