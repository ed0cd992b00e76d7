/* Record-by-record dataset loading (issue 10, peak memory): only the top
   object is built as a tree and each record of a top-level array is built,
   decoded and dropped on its own. Through the public API: an error in
   record N is still located exactly (positions computed here from the text,
   not by the library), arrays in any key order load identically, limits
   hold in the middle of an array, and every truncation of a file is an
   error, never a crash. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "gen_national.h"
#include "testutil.h"
#include "util.h"

/* line:column (1-based, column in bytes) of text[off], counted here. */
static void where(const char *text, size_t off, unsigned *line, unsigned *col)
{
    unsigned l = 1;
    size_t start = 0;
    for (size_t i = 0; i < off; i++)
        if (text[i] == '\n') {
            l++;
            start = i + 1;
        }
    *line = l;
    *col = (unsigned)(off - start + 1);
}

/* Offset of the first occurrence of marker (which must occur). */
static size_t offset_of(const char *text, const char *marker)
{
    const char *p = strstr(text, marker);
    ck_assert_msg(p != NULL, "marker %s not in the text", marker);
    return (size_t)(p - text);
}

/* The diagnostic at path with this message: its index, or fails. */
static size_t find_diag(const jql_diagnostics *d, const char *path, const char *msg_part)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        if (strcmp(jql_diagnostics_path(d, i), path) == 0 &&
            strstr(jql_diagnostics_message(d, i), msg_part))
            return i;
    ck_abort_msg("no diagnostic at %s saying %s", path, msg_part);
    return 0;
}

static void expect_at(const jql_diagnostics *d, const char *path, const char *msg_part,
                      const char *text, size_t off)
{
    size_t i = find_diag(d, path, msg_part);
    unsigned line, col;
    where(text, off, &line, &col);
    ck_assert_msg(jql_diagnostics_line(d, i) == line && jql_diagnostics_column(d, i) == col,
                  "%s: at %u:%u, expected %u:%u", path, jql_diagnostics_line(d, i),
                  jql_diagnostics_column(d, i), line, col);
}

#define NSTATS 3000

/* A dataset with NSTATS statistics, one per line; record `bad` has a string
   value marked BADVALUE, record 1 of the tasks names an unknown unit. */
static char *big_text(size_t bad, size_t *len)
{
    jql_buf b;
    jql_buf_init(&b);
    jql_buf_puts(&b, "{\"format\": \"justice-quarterly/dataset 1.0\",\n \"statistics\": [\n");
    for (size_t i = 0; i < NSTATS; i++) {
        /* 250 units x 3 indicators x 4 quarters: every key distinct */
        jql_buf_printf(&b, "  {\"unit\": \"u%zu\", \"indicator\": \"i%zu\", \"period\": \"2025-Q%zu\", ",
                       i % 250, (i / 250) % 3, i / 750 + 1);
        if (i == bad)
            jql_buf_puts(&b, "\"value\": \"BADVALUE\"}");
        else
            jql_buf_printf(&b, "\"value\": %zu}", i);
        jql_buf_puts(&b, i + 1 < NSTATS ? ",\n" : "\n");
    }
    jql_buf_puts(&b, " ],\n \"tasks\": [\n");
    jql_buf_puts(&b, "  {\"id\": \"t0\", \"title\": \"a\", \"units\": [\"u1\"], \"due\": "
                     "\"2025-03-01\", \"status\": \"pending\"},\n");
    jql_buf_puts(&b, "  {\"id\": \"t1\", \"title\": \"b\", \"units\": [\"u1\", \"NOSUCHUNIT\"], "
                     "\"due\": \"2025-03-01\", \"status\": \"pending\"}\n ],\n");
    /* declared after the records that use them: the order of keys is free */
    jql_buf_puts(&b, " \"indicators\": [{\"id\": \"i0\", \"name\": \"a\"}, {\"id\": \"i1\", "
                     "\"name\": \"b\"}, {\"id\": \"i2\", \"name\": \"c\"}],\n \"units\": [\n");
    for (size_t u = 0; u < 250; u++)
        jql_buf_printf(&b, "  {\"id\": \"u%zu\", \"name\": \"U\", \"level\": \"commune\"}%s\n", u,
                       u + 1 < 250 ? "," : "");
    jql_buf_puts(&b, " ]\n}\n");
    ck_assert(!b.failed);
    return jql_buf_take(&b, len);
}

START_TEST(error_in_record_n_located)
{
    static const size_t bad[] = {0, 1, 1717, NSTATS - 1};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
        size_t len;
        char *text = big_text(bad[k], &len);
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        ck_assert_int_eq(jql_dataset_load_buffer(text, len, "big", &ds, &d), JQL_EINVALID);
        ck_assert_ptr_null(ds);
        char path[64];
        snprintf(path, sizeof path, "/statistics/%zu/value", bad[k]);
        expect_at(d, path, "expected a number, found a string", text,
                  offset_of(text, "\"BADVALUE\""));
        expect_at(d, "/tasks/1/units/1", "unknown unit \"NOSUCHUNIT\"", text,
                  offset_of(text, "\"NOSUCHUNIT\""));
        ck_assert_uint_eq(jql_diagnostics_error_count(d), 2);
        jql_diagnostics_free(d);
        jql_free(text);
    }
}
END_TEST

/* Messages that name another record, and jql_dataset_check()'s paths
   mapped back to the file: both find their record again by offset. */
START_TEST(other_records_located)
{
    const char *text =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"periods\": [{\"id\": \"q1\", \"start\": \"2025-01-01\", \"end\": \"2025-03-31\"}],\n"
        "\"statistics\": [\n"
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2025-Q2\", \"value\": 1},\n"
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 2},\n"
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"q1\", \"value\": 3}\n],\n"
        "\"directives\": [\n"
        "  {\"id\": \"dok\", \"issued\": \"2025-01-02\", \"issuer\": \"u\", \"addressees\": "
        "{\"units\": [\"u\"]}, \"text\": \"x\", \"status\": \"open\"},\n"
        "  {\"id\": \"d0\", \"issued\": \"2025-01-02\", \"issuer\": \"nobody\", \"addressees\": "
        "{\"units\": [\"u\"]}, \"text\": \"x\", \"status\": \"open\"},\n"
        "  {\"id\": \"d1\", \"issued\": \"2025-01-02\", \"issuer\": \"u\", \"addressees\": "
        "{\"units\": [\"u\"]}, \"text\": \"x\", \"status\": \"open\", \"answers\": [\"t0\", "
        "\"NOANSWER\"]}\n],\n"
        "\"tasks\": [{\"id\": \"t0\", \"title\": \"a\", \"units\": [\"u\"], \"due\": "
        "\"2025-03-01\", \"status\": \"pending\"}],\n"
        "\"units\": [{\"id\": \"u\", \"name\": \"U\", \"level\": \"commune\"}],\n"
        "\"indicators\": [{\"id\": \"i\", \"name\": \"I\"}]\n}\n";
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(text, strlen(text), "x", &ds, &d), JQL_EINVALID);
    /* the earlier record is named with its own line and column */
    size_t first = offset_of(text, "{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2025-Q1\"");
    unsigned line, col;
    where(text, first, &line, &col);
    char msg[128];
    snprintf(msg, sizeof msg, "of /statistics/1 (line %u, column %u)", line, col);
    expect_at(d, "/statistics/2", msg, text,
              offset_of(text, "{\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"q1\""));
    /* directive 1 was refused: directive 2 is the dataset's second, yet the
       check's message is at the file's record and its line:column */
    expect_at(d, "/directives/2/answers/1", "unknown shortcoming or task \"NOANSWER\"", text,
              offset_of(text, "\"NOANSWER\""));
    expect_at(d, "/directives/1/issuer", "unknown unit \"nobody\"", text,
              offset_of(text, "\"nobody\""));
    jql_diagnostics_free(d);
}
END_TEST

/* A statistic is found again by its unit, indicator and period id,
   whatever the Unicode form of the id (NFC "qu\u00fd-1" here, NFD below),
   and another id with the same dates is refused. */
START_TEST(statistics_found_by_period_id)
{
    const char *head =
        "{\"format\": \"justice-quarterly/dataset 1.0\",\n"
        "\"units\": [{\"id\": \"u\", \"name\": \"U\", \"level\": \"commune\"}],\n"
        "\"indicators\": [{\"id\": \"i\", \"name\": \"I\"}],\n"
        "\"periods\": [{\"id\": \"qu\xc3\xbd-1\", \"start\": \"2025-01-01\", \"end\": "
        "\"2025-03-31\"}, {\"id\": \"other\", \"start\": \"2025-04-01\", \"end\": "
        "\"2025-06-30\"}],\n"
        "\"statistics\": [\n"
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"qu\xc3\xbd-1\", \"value\": 1},\n"
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"other\", \"value\": 2},\n";
    static const char *const third[] = {
        /* the same id typed decomposed (NFD): the same statistic again */
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"quy\xcc\x81-1\", \"value\": 3}",
        /* a standard id with the dates of "qu\u00fd-1" */
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2025-Q1\", \"value\": 3}",
        /* a new one */
        "  {\"unit\": \"u\", \"indicator\": \"i\", \"period\": \"2025-Q3\", \"value\": 3}",
    };
    static const char *const says[] = {"already has a value", "has the same dates as period",
                                       NULL};
    for (size_t k = 0; k < 3; k++) {
        char text[2048];
        snprintf(text, sizeof text, "%s%s\n]}\n", head, third[k]);
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        int rc = jql_dataset_load_buffer(text, strlen(text), "p", &ds, &d);
        if (!says[k]) {
            ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
            ck_assert_uint_eq(jql_stat_count(ds), 3);
        } else {
            ck_assert_int_eq(rc, JQL_EINVALID);
            expect_at(d, "/statistics/2", says[k], text, offset_of(text, third[k]) + 2);
            ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
        }
        jql_dataset_free(ds);
        jql_diagnostics_free(d);
    }
}
END_TEST

/* The saved form of a text (fails the test when it does not load). */
static char *saved(const char *text, size_t len, size_t *out_len)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_msg(jql_dataset_load_buffer(text, len, "perm", &ds, &d) == JQL_OK, "%s",
                  jql_last_error());
    char *out = NULL;
    ck_assert_int_eq(jql_dataset_to_json(ds, &out, out_len), JQL_OK);
    jql_dataset_free(ds);
    jql_diagnostics_free(d);
    return out;
}

/* Every rotation and the reverse of the top-level keys load to the same
   dataset (its saved form byte for byte). */
static void check_key_orders(const char *text, size_t len)
{
    size_t ref_len;
    char *ref = saved(text, len, &ref_len);
    cJSON *root = cJSON_ParseWithLength(text, len);
    ck_assert_ptr_nonnull(root);
    size_t n = (size_t)cJSON_GetArraySize(root);
    ck_assert_uint_ge(n, 5);
    cJSON **items = malloc(n * sizeof *items);
    size_t k = 0;
    for (cJSON *m = root->child; m; m = m->next)
        items[k++] = m;
    for (size_t variant = 0; variant <= n; variant++) {
        cJSON *perm = cJSON_CreateObject();
        for (size_t j = 0; j < n; j++) {
            /* variant < n: rotated by variant; variant == n: reversed */
            const cJSON *m = variant < n ? items[(j + variant) % n] : items[n - 1 - j];
            cJSON_AddItemToObject(perm, m->string, cJSON_Duplicate(m, 1));
        }
        char *ptext = cJSON_PrintUnformatted(perm);
        ck_assert_ptr_nonnull(ptext);
        size_t plen;
        char *out = saved(ptext, strlen(ptext), &plen);
        ck_assert_uint_eq(plen, ref_len);
        ck_assert_msg(memcmp(out, ref, plen) == 0, "key order variant %zu loads differently",
                      variant);
        jql_free(out);
        cJSON_free(ptext);
        cJSON_Delete(perm);
    }
    free(items);
    cJSON_Delete(root);
    jql_free(ref);
}

START_TEST(any_key_order)
{
    size_t len;
    char *text = test_read_file(test_data("valid/small.json"), &len);
    check_key_orders(text, len);
    free(text);
    text = test_read_file(example_data("long-an-2014/dataset.json"), &len);
    check_key_orders(text, len);
    free(text);
    text = gen_national_dataset_text(12, 5, &len);
    ck_assert_ptr_nonnull(text);
    check_key_orders(text, len);
    free(text);
}
END_TEST

static int load_with(const char *text, size_t len, const jql_load_options *o,
                     jql_diagnostics **d)
{
    jql_dataset *ds = NULL;
    int rc = jql_dataset_load_buffer_ext(text, len, "lim", o, &ds, d);
    jql_dataset_free(ds);
    return rc;
}

START_TEST(limits_mid_stream)
{
    size_t len;
    char *text = big_text(SIZE_MAX, &len);
    jql_load_options o = JQL_LOAD_OPTIONS_INIT;
    jql_diagnostics *d = NULL;
    /* no limit reached: only the unknown unit of task 1 */
    ck_assert_int_eq(load_with(text, len, &o, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    jql_diagnostics_free(d);

    /* records: statistics has NSTATS, the units after it 250 */
    o.max_records = NSTATS - 1;
    ck_assert_int_ne(load_with(text, len, &o, &d), JQL_OK);
    char msg[64];
    snprintf(msg, sizeof msg, "more than %d records", NSTATS - 1);
    expect_at(d, "/statistics", msg, text, offset_of(text, "[\n  {\"unit\""));
    jql_diagnostics_free(d);
    o.max_records = 249;
    ck_assert_int_ne(load_with(text, len, &o, &d), JQL_OK);
    expect_at(d, "/units", "more than 249 records", text, offset_of(text, "[\n  {\"id\": \"u0\""));
    jql_diagnostics_free(d);
    o.max_records = 0;

    /* a string in the middle of the last array, over the limit */
    char *t2 = malloc(len + 64);
    ck_assert_ptr_nonnull(t2);
    size_t at = offset_of(text, "{\"id\": \"u137\", \"name\": \"U\"") + strlen("{\"id\": \"u137\", \"name\": \"");
    memcpy(t2, text, at);
    /* the name "U" becomes 41 bytes; "format" is 29 */
    memcpy(t2 + at, "0123456789012345678901234567890123456789", 40);
    memcpy(t2 + at + 40, text + at, len - at);
    o.max_string_bytes = 40;
    ck_assert_int_ne(load_with(t2, len + 40, &o, &d), JQL_OK);
    expect_at(d, "/units/137/name", "string is 41 bytes long, more than the limit of 40", t2,
              at - 1);
    jql_diagnostics_free(d);
    o.max_string_bytes = 0;

    /* nesting in record 2000 deeper than allowed */
    const char *mark = "\"value\": 2000}";
    at = offset_of(text, mark) + strlen("\"value\": ");
    memcpy(t2, text, at);
    memcpy(t2 + at, "[[[[[[1]]]]]]", 13);
    memcpy(t2 + at + 13, text + at + 4, len - at - 4);
    o.max_depth = 6;
    ck_assert_int_eq(load_with(t2, len + 9, &o, &d), JQL_EINVALID);
    /* root, statistics, record, then [[[ : the fourth [ is the 7th level */
    expect_at(d, "", "nesting deeper than 6 levels", t2, at + 3);
    jql_diagnostics_free(d);
    o.max_depth = 0;

    /* input bytes */
    o.max_input_bytes = len - 1;
    ck_assert_int_eq(load_with(text, len, &o, &d), JQL_ELIMIT);
    jql_diagnostics_free(d);
    free(t2);
    jql_free(text);
}
END_TEST

/* Every prefix of a small file, each in a buffer of its exact size (so
   ASan and valgrind see a read past it): an error with a location, never
   a crash. The whole text minus trailing white space is the only prefix
   that loads. */
static void truncate_everywhere(const char *text, size_t len)
{
    size_t whole = len;
    while (whole > 0 && strchr(" \t\r\n", text[whole - 1]))
        whole--;
    for (size_t cut = 0; cut < len; cut++) {
        char *buf = malloc(cut ? cut : 1);
        memcpy(buf, text, cut);
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        int rc = jql_dataset_load_buffer(buf, cut, "cut", &ds, &d);
        if (cut >= whole) {
            ck_assert_int_eq(rc, JQL_OK);
        } else {
            ck_assert_msg(rc == JQL_EINVALID, "cut at %zu: %s", cut, jql_strerror(rc));
            ck_assert_ptr_null(ds);
            ck_assert_uint_gt(jql_diagnostics_error_count(d), 0);
            if (cut > 0) /* an empty input has no place to point at */
                ck_assert_uint_ge(jql_diagnostics_line(d, 0), 1);
        }
        jql_dataset_free(ds);
        jql_diagnostics_free(d);
        free(buf);
    }
}

START_TEST(truncated_everywhere)
{
    size_t len;
    char *text = test_read_file(test_data("valid/small.json"), &len);
    truncate_everywhere(text, len);
    free(text);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("load_stream");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, error_in_record_n_located);
    tcase_add_test(tc, other_records_located);
    tcase_add_test(tc, statistics_found_by_period_id);
    tcase_add_test(tc, any_key_order);
    tcase_add_test(tc, limits_mid_stream);
    tcase_add_test(tc, truncated_everywhere);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
