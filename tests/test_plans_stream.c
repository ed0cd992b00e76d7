/* Improvement plans streamed (jql_improvement_plans_write_cb/_write,
   issue 10): the same bytes as jql_improvement_plans_json() and as the
   object's JSON on every scoring fixture, handed over in bounded chunks
   (a unit with many leaves too), a failing sink stopping the stream, and
   no byte written for the errors checked beforehand. Public API only. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../examples/custom_functions.h"
#include "testutil.h"

/* The writer hands text over once it holds 64 KiB, after a leaf; a chunk
   is that plus one leaf and one unit's opening (its plan's ids), which in
   the generated sheet below stay under 8 KiB. */
#define CHUNK_BOUND (65536 + 8192)

/* A sink collecting into memory; fails (returns -1) at the call that
   brings the total to fail_at bytes or more, when fail_at is non-zero. */
typedef struct {
    char *data;
    size_t len, cap, calls, calls_after_failure, max_chunk, fail_at;
    int failed;
} sink;

static int collect(void *user, const char *data, size_t len)
{
    sink *s = user;
    if (s->failed) {
        s->calls_after_failure++;
        return -1;
    }
    s->calls++;
    if (len > s->max_chunk)
        s->max_chunk = len;
    if (s->len + len + 1 > s->cap) {
        s->cap = (s->len + len + 1) * 2;
        s->data = realloc(s->data, s->cap);
        ck_assert_ptr_nonnull(s->data);
    }
    memcpy(s->data + s->len, data, len);
    s->len += len;
    s->data[s->len] = '\0';
    if (s->fail_at && s->len >= s->fail_at) {
        s->failed = 1;
        return -1;
    }
    return 0;
}

static char *plans_json(const jql_results *r, const jql_criteria *c, size_t *len)
{
    char *s = NULL;
    ck_assert_msg(jql_improvement_plans_json(r, c, &s, len) == JQL_OK, "%s", jql_last_error());
    ck_assert_uint_eq(strlen(s), *len);
    return s;
}

static void assert_same(const char *what, const char *how, const char *a, size_t alen,
                        const char *b, size_t blen)
{
    size_t i = 0;
    while (i < alen && i < blen && a[i] == b[i])
        i++;
    ck_assert_msg(alen == blen && i == alen,
                  "%s: %s: %zu bytes against %zu of jql_improvement_plans_json, first "
                  "difference at byte %zu",
                  what, how, alen, blen, i);
}

/* Every way of writing the plans of @p r gives the bytes of
   jql_improvement_plans_json(); returns the number of units planned. */
static size_t check_all_ways(const jql_results *r, const jql_criteria *c, const char *what)
{
    size_t len;
    char *want = plans_json(r, c, &len);

    sink s = {0};
    ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, collect, &s), JQL_OK);
    assert_same(what, "write_cb", s.data, s.len, want, len);
    ck_assert_uint_le(s.max_chunk, CHUNK_BOUND);

    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(jql_improvement_plans_write(r, c, fp), JQL_OK);
    size_t flen = (size_t)ftell(fp);
    rewind(fp);
    char *fdata = malloc(flen + 1);
    ck_assert_ptr_nonnull(fdata);
    ck_assert_uint_eq(fread(fdata, 1, flen, fp), flen);
    fclose(fp);
    assert_same(what, "write to a FILE", fdata, flen, want, len);

    /* the object, computed on its own path, writes the same document */
    jql_improvement_plans *p = NULL;
    ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_OK);
    char *obj = NULL;
    size_t olen;
    ck_assert_int_eq(jql_improvement_plans_to_json(p, &obj, &olen), JQL_OK);
    assert_same(what, "compute + to_json", obj, olen, want, len);
    size_t units = jql_improvement_plans_unit_count(p);

    jql_free(obj);
    jql_improvement_plans_free(p);
    free(fdata);
    free(s.data);
    jql_free(want);
    return units;
}

/* ---- the fixtures: each dataset*.json with each criteria*.json beside it ---- */

enum { MAX_FILES = 512 };
static char *found[MAX_FILES];
static size_t nfound;

static int collect_json(const char *path, const struct stat *st, int type, struct FTW *f)
{
    (void)st;
    const char *base = path + f->base;
    size_t n = strlen(base);
    if (type == FTW_F && n > 5 && strcmp(base + n - 5, ".json") == 0 &&
        (strncmp(base, "dataset", 7) == 0 || strncmp(base, "criteria", 8) == 0)) {
        ck_assert_uint_lt(nfound, MAX_FILES);
        found[nfound++] = strdup(path);
    }
    return 0;
}

static size_t dir_len(const char *path) { return (size_t)(strrchr(path, '/') - path); }

static int is_dataset(const char *path) { return strncmp(path + dir_len(path) + 1, "dataset", 7) == 0; }

/* Score the pair; false (skipped) when it does not load or score, as the
   fixtures of as-of dates and unregistered functions may not. */
static bool try_pair(const char *dpath, const char *cpath, size_t *pairs, size_t *units)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *r = NULL;
    bool ok = jql_dataset_load_path(dpath, &ds, NULL) == JQL_OK &&
              jql_criteria_load_path(cpath, &c, NULL) == JQL_OK &&
              cli_register_custom_functions(c) == JQL_OK && jql_score(ds, c, NULL, &r) == JQL_OK;
    if (ok) {
        char what[8192];
        snprintf(what, sizeof what, "%s with %s", dpath, cpath);
        *units += check_all_ways(r, c, what);
        (*pairs)++;
    }
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return ok;
}

START_TEST(fixtures_stream_the_same_bytes)
{
    char roots[2][4096];
    snprintf(roots[0], sizeof roots[0], "%s", test_data(""));
    snprintf(roots[1], sizeof roots[1], "%s", example_data(""));
    nfound = 0;
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(nftw(roots[i], collect_json, 16, FTW_PHYS), 0);
    size_t pairs = 0, units = 0;
    for (size_t d = 0; d < nfound; d++) {
        if (!is_dataset(found[d]))
            continue;
        for (size_t k = 0; k < nfound; k++)
            if (!is_dataset(found[k]) && dir_len(found[k]) == dir_len(found[d]) &&
                strncmp(found[k], found[d], dir_len(found[d])) == 0)
                try_pair(found[d], found[k], &pairs, &units);
    }
    /* the analysis fixtures are criteria for the worked example's dataset */
    const char *extra[] = {"analysis/tree.json", "analysis/worked-example-reweighted.json"};
    for (size_t i = 0; i < 2; i++) {
        char cpath[4096];
        snprintf(cpath, sizeof cpath, "%s", test_data(extra[i]));
        ck_assert(try_pair(test_data("scoring/worked-example/dataset.json"), cpath, &pairs,
                           &units));
    }
    for (size_t i = 0; i < nfound; i++)
        free(found[i]);
    /* 31 pairs today (two skipped), most of whose units reach the top
       tier; the Long An and Tay Ninh sheets give most of the plans */
    ck_assert_uint_ge(pairs, 25);
    ck_assert_uint_ge(units, 25);
}
END_TEST

/* ---- a generated sheet: many units, each with more than a chunk of leaves ---- */

/* Append printf-style text to the malloc'd @p s of *len bytes. */
static char *append(char *s, size_t *len, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    s = realloc(s, *len + (size_t)n + 1);
    ck_assert_ptr_nonnull(s);
    vsnprintf(s + *len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    *len += (size_t)n;
    return s;
}

#define GEN_UNITS 24
#define GEN_LEAVES 450

/* GEN_UNITS districts with 3 tasks (1 done), a report 4 days late and an
   indicator at 50; GEN_LEAVES leaves in 3 sections, each short of points
   with a need and an action: every unit's plan has every leaf (~80 KB). */
static void generated(jql_dataset **ds, jql_criteria **c)
{
    char *d = NULL;
    size_t dl = 0;
    d = append(d, &dl, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": "
                       "[{\"id\": \"D\", \"name\": \"D\", \"level\": \"province\"}");
    for (int k = 0; k < GEN_UNITS; k++)
        d = append(d, &dl, ", {\"id\": \"u%d\", \"name\": \"Ph\\u00f2ng %d\", "
                           "\"level\": \"district\", \"parent\": \"D\"}", k, k);
    d = append(d, &dl, "], \"indicators\": [{\"id\": \"i\", \"name\": \"i\"}], "
                       "\"statistics\": [");
    for (int k = 0; k < GEN_UNITS; k++)
        d = append(d, &dl, "%s{\"unit\": \"u%d\", \"indicator\": \"i\", \"period\": "
                           "\"2014-Q1\", \"value\": 50}", k ? ", " : "", k);
    d = append(d, &dl, "], \"reports\": [");
    for (int k = 0; k < GEN_UNITS; k++)
        d = append(d, &dl, "%s{\"unit\": \"u%d\", \"period\": \"2014-Q1\", \"kind\": "
                           "\"statistics\", \"due\": \"2014-04-10\", \"submitted\": "
                           "\"2014-04-14\", \"complete\": true}", k ? ", " : "", k);
    d = append(d, &dl, "], \"tasks\": [");
    for (int k = 0; k < GEN_UNITS; k++)
        for (int j = 0; j < 3; j++)
            d = append(d, &dl, "%s{\"id\": \"t%d-%d\", \"title\": \"T\", \"units\": "
                               "[\"u%d\"], \"due\": \"2014-03-15\", \"status\": %s}",
                       k || j ? ", " : "", k, j, k,
                       j ? "\"pending\"" : "\"done\", \"completed\": \"2014-03-01\"");
    d = append(d, &dl, "]}");
    ck_assert_msg(jql_dataset_load_buffer(d, dl, "generated", ds, NULL) == JQL_OK, "%s",
                  jql_last_error());
    free(d);

    static const char *const kinds[3] = {
        "\"measure\": {\"kind\": \"task_share_completed\"}, \"method\": {\"type\": "
        "\"linear\", \"target\": 100}",
        "\"measure\": {\"kind\": \"report_days_late_worst\"}, \"method\": {\"type\": "
        "\"bands\", \"bands\": [{\"at_most\": 0, \"points\": 1}, {\"at_most\": 5, "
        "\"points\": 0.5}, {\"points\": 0}]}",
        "\"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"i\"}, "
        "\"method\": {\"type\": \"linear\", \"target\": 100}"};
    char *s = NULL;
    size_t sl = 0;
    s = append(s, &sl, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"gen\", "
                       "\"period\": \"2014-Q1\", \"scale\": %d, \"units\": {\"levels\": "
                       "[\"district\"]}, \"tiers\": [{\"id\": \"a\", \"name\": \"a\", "
                       "\"min\": %d}, {\"id\": \"b\", \"name\": \"b\", \"min\": 0}], "
                       "\"criteria\": [", GEN_LEAVES, GEN_LEAVES - 50);
    for (int sec = 0; sec < 3; sec++) {
        s = append(s, &sl, "%s{\"id\": \"s%d\", \"title\": \"S\", \"max\": %d, "
                           "\"children\": [", sec ? ", " : "", sec, GEN_LEAVES / 3);
        for (int k = 0; k < GEN_LEAVES / 3; k++)
            s = append(s, &sl, "%s{\"id\": \"m%d\", \"title\": \"Ti\\u00eau ch\\u00ed %d\", "
                               "\"max\": 1, %s}", k ? ", " : "", sec * 1000 + k, k, kinds[sec]);
        s = append(s, &sl, "]}");
    }
    s = append(s, &sl, "]}");
    ck_assert_msg(jql_criteria_load_buffer(s, sl, "generated", c, NULL) == JQL_OK, "%s",
                  jql_last_error());
    free(s);
}

START_TEST(many_units_in_bounded_chunks)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *r = NULL;
    generated(&ds, &c);
    ck_assert_msg(jql_score(ds, c, NULL, &r) == JQL_OK, "%s", jql_last_error());
    ck_assert_uint_eq(check_all_ways(r, c, "generated"), GEN_UNITS);

    jql_improvement_plans *p = NULL;
    ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_OK);
    ck_assert_uint_eq(jql_improvement_plans_leaf_count(p, 0), GEN_LEAVES);
    ck_assert_str_eq(jql_improvement_plans_leaf_action(p, 0, 0), "complete 2 more of 3 tasks");
    jql_improvement_plans_free(p);

    /* each unit's part is more than a chunk: handed over within units too */
    sink s = {0};
    ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, collect, &s), JQL_OK);
    ck_assert_uint_gt(s.len / GEN_UNITS, 65536);
    ck_assert_uint_ge(s.calls, s.len / CHUNK_BOUND);
    ck_assert_uint_gt(s.calls, GEN_UNITS);
    ck_assert_uint_le(s.max_chunk, CHUNK_BOUND);
    free(s.data);

    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- a failing sink ---- */

START_TEST(failing_sink_stops_with_eio)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_results *r = NULL;
    generated(&ds, &c);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    size_t len;
    char *want = plans_json(r, c, &len);
    const size_t at[] = {1, 65536, 65537, 300000, len - 1, len};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++) {
        sink s = {.fail_at = at[i]};
        ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, collect, &s), JQL_EIO);
        ck_assert_ptr_nonnull(strstr(jql_last_error(), "writing the improvement plans failed"));
        ck_assert_uint_eq(s.calls_after_failure, 0); /* stopped at once */
        ck_assert_uint_ge(s.len, at[i]);
        ck_assert_uint_le(s.len, at[i] + CHUNK_BOUND);
        ck_assert(memcmp(s.data, want, s.len) == 0); /* what came was the document's start */
        free(s.data);
    }
    /* a stream that refuses every byte */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        ck_assert_int_eq(jql_improvement_plans_write(r, c, full), JQL_EIO);
        fclose(full);
    }
    jql_free(want);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- errors found before the first byte ---- */

/* Both entry points refuse (r, c) with @p message, writing nothing. */
static void refused(const jql_results *r, const jql_criteria *c, const char *message)
{
    sink s = {0};
    ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, collect, &s), JQL_EINVALID);
    ck_assert_msg(strstr(jql_last_error(), message), "%s", jql_last_error());
    ck_assert_uint_eq(s.calls, 0);
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(jql_improvement_plans_write(r, c, fp), JQL_EINVALID);
    ck_assert_msg(strstr(jql_last_error(), message), "%s", jql_last_error());
    fflush(fp);
    ck_assert_int_eq(ftell(fp), 0);
    fclose(fp);
    /* the same message as the in-memory form */
    if (r && c) {
        char *t = NULL;
        size_t n;
        ck_assert_int_eq(jql_improvement_plans_json(r, c, &t, &n), JQL_EINVALID);
        ck_assert_ptr_null(t);
        ck_assert_msg(strstr(jql_last_error(), message), "%s", jql_last_error());
    }
}

START_TEST(errors_write_nothing)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = NULL, *other = NULL;
    ck_assert_int_eq(jql_criteria_load_path(test_data("scoring/worked-example/criteria.json"), &c,
                                            NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_load_path(test_data("analysis/tree.json"), &other, NULL),
                     JQL_OK);
    jql_results *r = NULL, *bare = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_NO_EVIDENCE;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &bare), JQL_OK);

    refused(NULL, c, "jql_improvement_plans_write: NULL argument");
    refused(r, NULL, "jql_improvement_plans_write: NULL argument");
    refused(r, other, "the criteria set is not the one the results were scored with");
    refused(bare, c, "improvement plans need results scored with evidence");
    ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_improvement_plans_write(r, c, NULL), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "NULL argument"));
    /* and the same results stream once the right set is given */
    sink s = {0};
    ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, collect, &s), JQL_OK);
    ck_assert_uint_gt(s.len, 0);
    free(s.data);

    jql_results_free(r);
    jql_results_free(bare);
    jql_criteria_free(c);
    jql_criteria_free(other);
    jql_dataset_free(ds);
}
END_TEST

/* Every allocation failing in turn: JQL_ENOMEM (nothing leaks: valgrind
   and ASan runs), until the stream completes with the same bytes. */
START_TEST(out_of_memory)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(test_data("scoring/worked-example/criteria.json"), &c,
                                            NULL), JQL_OK);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    size_t len;
    char *want = plans_json(r, c, &len);
    test_install_failing_allocator();
    for (long k = 0;; k++) {
        sink s = {0};
        test_fail_after(k);
        int rc = jql_improvement_plans_write_cb(r, c, collect, &s);
        bool hit = test_alloc_count() > k; /* on past a failure made up for */
        test_fail_after(-1);
        if (rc == JQL_OK)
            assert_same("worked example", "write_cb after allocation failures", s.data, s.len,
                        want, len);
        else
            ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: rc %d", k, rc);
        free(s.data);
        if (!hit) {
            ck_assert_int_eq(rc, JQL_OK);
            break;
        }
    }
    jql_free(want);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plans_stream");
    TCase *tc = tcase_create("plans_stream");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fixtures_stream_the_same_bytes);
    tcase_add_test(tc, many_units_in_bounded_chunks);
    tcase_add_test(tc, failing_sink_stops_with_eio);
    tcase_add_test(tc, errors_write_nothing);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
