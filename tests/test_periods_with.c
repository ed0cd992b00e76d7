/*
 * jql_score_periods_with() and jql_score_periods_table_with(): the trend's
 * periods scored with the options of jql_score_with() (issue 10 follow-up).
 * NULL options are the old functions byte for byte; as_of, ALLOW_EMPTY and
 * the limits reach every period (each check fails when the options are not
 * passed through: the trend then differs, or scores where it must not);
 * bad options are refused before any period is scored; the table's
 * per-period bound is the smaller of its share and the caller's
 * max_results. Threads: tests/test_score_threads.c
 * (periods_on_several_threads), which has the datasets large enough.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "util.h"

static jql_criteria *load_criteria(const char *path)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_path(path, &c, NULL);
    ck_assert_msg(rc == JQL_OK, "%s: %s", path, jql_last_error());
    return c;
}

static char *trend_json(const jql_trend *t)
{
    char *s = NULL;
    size_t n;
    ck_assert_int_eq(jql_trend_to_json(t, &s, &n), JQL_OK);
    return s;
}

/* The trend of the periods each scored by jql_score_with(opts), as JSON:
   what jql_score_periods_with(opts) and jql_score_periods_table_with(opts)
   must give. */
static char *trend_of_scorings(const jql_dataset *ds, const jql_criteria *c,
                               const char *const *periods, size_t n,
                               const jql_score_options *opts)
{
    jql_results *r[8];
    ck_assert_uint_le(n, 8);
    for (size_t p = 0; p < n; p++) {
        int rc = jql_score_with(ds, c, periods[p], opts, &r[p]);
        ck_assert_msg(rc == JQL_OK, "%s: %s", periods[p], jql_last_error());
    }
    char *s = NULL;
    size_t len;
    ck_assert_int_eq(jql_results_trend_json((const jql_results *const *)r, n, &s, &len), JQL_OK);
    for (size_t p = 0; p < n; p++)
        jql_results_free(r[p]);
    return s;
}

static void worked(jql_dataset **ds, jql_criteria **c)
{
    *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    *c = load_criteria(test_data("scoring/worked-example/criteria.json"));
}

static const char *const quarters[] = {"2014-Q1", "2014-H1", "2014"};

/* NULL options: exactly the old functions (the trend's bytes, each period's
   results); the defaults (JQL_SCORE_OPTIONS_INIT) too. */
START_TEST(null_options_are_the_old_functions)
{
    jql_dataset *ds;
    jql_criteria *c;
    worked(&ds, &c);
    jql_trend *old = NULL, *with = NULL, *init = NULL, *old_t = NULL, *with_t = NULL;
    jql_score_options dflt = JQL_SCORE_OPTIONS_INIT;
    ck_assert_int_eq(jql_score_periods(ds, c, quarters, 3, &old), JQL_OK);
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, NULL, &with), JQL_OK);
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, &dflt, &init), JQL_OK);
    ck_assert_int_eq(jql_score_periods_table(ds, c, quarters, 3, &old_t), JQL_OK);
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, quarters, 3, NULL, &with_t), JQL_OK);
    char *a = trend_json(old), *b = trend_json(with), *d = trend_json(init), *e = trend_json(old_t),
         *f = trend_json(with_t);
    ck_assert_str_eq(a, b);
    ck_assert_str_eq(a, d);
    ck_assert_str_eq(a, e);
    ck_assert_str_eq(a, f);
    for (size_t p = 0; p < 3; p++) {
        char *x, *y;
        size_t nx, ny;
        /* evidence kept, as jql_score_periods() keeps it */
        ck_assert_int_eq(jql_results_to_json(jql_trend_results(old, p), &x, &nx), JQL_OK);
        ck_assert_int_eq(jql_results_to_json(jql_trend_results(with, p), &y, &ny), JQL_OK);
        ck_assert_str_eq(x, y);
        jql_free(x);
        jql_free(y);
    }
    ck_assert_ptr_null(jql_trend_results(with_t, 0));
    jql_free(a);
    jql_free(b);
    jql_free(d);
    jql_free(e);
    jql_free(f);
    jql_trend_free(old);
    jql_trend_free(with);
    jql_trend_free(init);
    jql_trend_free(old_t);
    jql_trend_free(with_t);
    /* the old functions' errors are unchanged */
    const char *bad[] = {"2014-Q1", "1999-Q9"};
    ck_assert_int_ne(jql_score_periods_with(ds, c, bad, 2, NULL, &with), JQL_OK);
    ck_assert_ptr_null(with);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "period 1999-Q9: "));
    ck_assert_int_eq(jql_score_periods_with(ds, c, bad, 0, NULL, &with), JQL_EINVALID);
    ck_assert_str_eq(jql_last_error(), "jql_score_periods_with: no period");
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, bad, JQL_TREND_MAX_PERIODS + 1, NULL,
                                                  &with_t), JQL_ELIMIT);
    ck_assert_int_eq(jql_score_periods(ds, c, bad, 0, &old), JQL_EINVALID);
    ck_assert_str_eq(jql_last_error(), "jql_score_periods: no period");
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* as_of: every period scored as of the date, exactly as jql_score_with()
   with that date scores it; and the date changes this trend (else the
   check would hold with the date dropped). */
START_TEST(as_of_reaches_every_period)
{
    jql_dataset *ds;
    jql_criteria *c;
    worked(&ds, &c);
    static const char *const dates[] = {"2014-03-20", "2014-04-12"};
    char *plain = trend_of_scorings(ds, c, quarters, 3, NULL);
    for (size_t i = 0; i < 2; i++) {
        jql_score_options o = JQL_SCORE_OPTIONS_INIT;
        o.as_of = dates[i];
        char *want = trend_of_scorings(ds, c, quarters, 3, &o);
        ck_assert_msg(strcmp(want, plain) != 0, "as of %s changes nothing here", dates[i]);
        jql_trend *t = NULL, *tt = NULL;
        ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, &o, &t), JQL_OK);
        ck_assert_int_eq(jql_score_periods_table_with(ds, c, quarters, 3, &o, &tt), JQL_OK);
        char *a = trend_json(t), *b = trend_json(tt);
        ck_assert_str_eq(a, want);
        ck_assert_str_eq(b, want);
        /* each kept period is jql_score_with()'s, evidence and all */
        for (size_t p = 0; p < 3; p++) {
            jql_results *r = NULL;
            ck_assert_int_eq(jql_score_with(ds, c, quarters[p], &o, &r), JQL_OK);
            char *x, *y;
            size_t nx, ny;
            ck_assert_int_eq(jql_results_to_json(r, &x, &ny), JQL_OK);
            ck_assert_int_eq(jql_results_to_json(jql_trend_results(t, p), &y, &nx), JQL_OK);
            ck_assert_str_eq(x, y);
            jql_free(x);
            jql_free(y);
            jql_results_free(r);
        }
        jql_free(a);
        jql_free(b);
        jql_free(want);
        jql_trend_free(t);
        jql_trend_free(tt);
    }
    jql_free(plain);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* JQL_SCORE_ALLOW_EMPTY: a period without records is refused without it
   and scored with it (as jql_score_with() scores it, its warning kept);
   JQL_SCORE_NO_EVIDENCE reaches jql_score_periods_with()'s results. */
START_TEST(flags_reach_every_period)
{
    jql_dataset *ds;
    jql_criteria *c;
    worked(&ds, &c);
    const char *periods[] = {"2013-Q1", "2014-Q1"};
    jql_trend *t = NULL;
    ck_assert_int_eq(jql_score_periods_with(ds, c, periods, 2, NULL, &t), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, periods, 2, NULL, &t), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "period 2013-Q1: "));
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_ALLOW_EMPTY;
    char *want = trend_of_scorings(ds, c, periods, 2, &o);
    ck_assert_int_eq(jql_score_periods_with(ds, c, periods, 2, &o, &t), JQL_OK);
    char *a = trend_json(t);
    ck_assert_str_eq(a, want);
    const jql_diagnostics *w = jql_results_diagnostics(jql_trend_results(t, 0));
    ck_assert_uint_gt(jql_diagnostics_count(w), 0);
    ck_assert_str_eq(jql_diagnostics_path(w, 0), "/period");
    jql_free(a);
    jql_trend_free(t);
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, periods, 2, &o, &t), JQL_OK);
    a = trend_json(t);
    ck_assert_str_eq(a, want);
    jql_free(a);
    jql_free(want);
    jql_trend_free(t);

    /* no evidence kept: the kept results refuse level full, as
       jql_score_with()'s do */
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, NULL, &t), JQL_OK);
    ck_assert_uint_gt(jql_results_citation_count(jql_trend_results(t, 1)), 0);
    jql_trend_free(t);
    o.flags = JQL_SCORE_NO_EVIDENCE;
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, &o, &t), JQL_OK);
    char *s = NULL;
    size_t n;
    ck_assert_int_eq(jql_results_to_json_level(jql_trend_results(t, 1), JQL_EVIDENCE_FULL, &s, &n),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_results_citation_count(jql_trend_results(t, 1)), 0);
    jql_trend_free(t);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Counts the custom function's calls: refused options score nothing. */
static int calls;
static int counting(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    calls++;
    return jql_custom_set_points(ctx, 0);
}

/* Unknown version or flag, a malformed as_of: JQL_EINVALID naming the
   function and the option, nothing scored, *out NULL; the same options
   with the bad member fixed score. */
START_TEST(bad_options_refused_before_scoring)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = load_criteria(example_data("long-an-2014/criteria-2014-custom.json"));
    ck_assert_int_eq(jql_criteria_custom_register(c, "mediation_success_rate", counting, NULL,
                                                  NULL), JQL_OK);
    const char *periods[] = {"2014-Q1", "2014-Q2"};
    static const struct {
        unsigned version, flags;
        const char *as_of, *message;
    } bad[] = {
        {0, 0, NULL, "unknown options version 0"},
        {JQL_SCORE_OPTIONS_VERSION + 1, 0, NULL, "unknown options version"},
        {JQL_SCORE_OPTIONS_VERSION, 0x8, NULL, "unknown flags 0x8"},
        {JQL_SCORE_OPTIONS_VERSION, JQL_SCORE_ALLOW_EMPTY | 0x100, NULL, "unknown flags 0x101"},
        {1, 0, "2014-02-30", "as_of \"2014-02-30\" is not an existing date YYYY-MM-DD"},
        {JQL_SCORE_OPTIONS_VERSION, 0, "31/03/2014", "as_of \"31/03/2014\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        for (int table = 0; table < 2; table++) {
            jql_score_options o = JQL_SCORE_OPTIONS_INIT;
            o.version = bad[i].version;
            o.flags = bad[i].flags;
            o.as_of = bad[i].as_of;
            static char sentinel;
            jql_trend *t = (jql_trend *)&sentinel; /* set to NULL on failure */
            calls = 0;
            int rc = table ? jql_score_periods_table_with(ds, c, periods, 2, &o, &t)
                           : jql_score_periods_with(ds, c, periods, 2, &o, &t);
            const char *fn = table ? "jql_score_periods_table_with: " : "jql_score_periods_with: ";
            ck_assert_msg(rc == JQL_EINVALID, "case %zu: %s", i, jql_status_name(rc));
            ck_assert_ptr_null(t);
            ck_assert_int_eq(calls, 0);
            ck_assert_msg(strncmp(jql_last_error(), fn, strlen(fn)) == 0 &&
                              strstr(jql_last_error(), bad[i].message),
                          "case %zu: %s", i, jql_last_error());
            /* fixed, the same call scores (and calls the function) */
            o.version = bad[i].version >= 1 && bad[i].version <= JQL_SCORE_OPTIONS_VERSION
                            ? bad[i].version : JQL_SCORE_OPTIONS_VERSION;
            o.flags &= JQL_SCORE_ALLOW_EMPTY;
            o.as_of = bad[i].as_of ? "2014-03-31" : NULL;
            rc = table ? jql_score_periods_table_with(ds, c, periods, 2, &o, &t)
                       : jql_score_periods_with(ds, c, periods, 2, &o, &t);
            ck_assert_msg(rc == JQL_OK, "case %zu fixed: %s", i, jql_last_error());
            ck_assert_int_gt(calls, 0);
            jql_trend_free(t);
        }
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The limits: every period gets the caller's, whole (jql_score_periods_with)
   or within its share (the table). A version-1 struct's limits are not
   read (it has none). */
START_TEST(limits_reach_every_period)
{
    jql_dataset *ds;
    jql_criteria *c;
    worked(&ds, &c);
    jql_trend *t = NULL;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.max_results = 1;
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, &o, &t), JQL_ELIMIT);
    size_t units = 0, per = 0;
    const char *at = strstr(jql_last_error(), "period 2014-Q1: ");
    ck_assert_ptr_nonnull(at);
    ck_assert_int_eq(sscanf(at, "period 2014-Q1: %zu scored units x %zu criteria", &units, &per),
                     2);
    size_t need = units * per; /* one period's results, the same for each */
    ck_assert_uint_gt(need, 1);
    for (int table = 0; table < 2; table++) {
        o.max_results = need - 1;
        int rc = table ? jql_score_periods_table_with(ds, c, quarters, 3, &o, &t)
                       : jql_score_periods_with(ds, c, quarters, 3, &o, &t);
        ck_assert_int_eq(rc, JQL_ELIMIT);
        ck_assert_ptr_null(t);
        char limit[64];
        snprintf(limit, sizeof limit, "the limit of %zu results", need - 1);
        ck_assert_msg(strstr(jql_last_error(), limit), "%s", jql_last_error());
        /* the caller's own limit is not the periods' share */
        ck_assert_ptr_null(strstr(jql_last_error(), "share"));
        o.max_results = need;
        rc = table ? jql_score_periods_table_with(ds, c, quarters, 3, &o, &t)
                   : jql_score_periods_with(ds, c, quarters, 3, &o, &t);
        ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
        jql_trend_free(t);
        /* the veto checks' limit reaches the periods too */
        o.max_veto_checks = 1;
        rc = table ? jql_score_periods_table_with(ds, c, quarters, 3, &o, &t)
                   : jql_score_periods_with(ds, c, quarters, 3, &o, &t);
        ck_assert_int_eq(rc, JQL_ELIMIT);
        ck_assert_ptr_nonnull(strstr(jql_last_error(), "veto checks"));
        o.max_veto_checks = 0;
    }
    /* version 1 knows no limits: whatever follows is not read */
    jql_score_options v1 = JQL_SCORE_OPTIONS_INIT;
    v1.version = 1;
    v1.max_results = 1;
    v1.max_veto_checks = 1;
    v1.threads = 1000;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, quarters, 3, &v1, &t), JQL_OK);
    jql_trend_free(t);
    ck_assert_int_eq(jql_score_periods_with(ds, c, quarters, 3, &v1, &t), JQL_OK);
    jql_trend_free(t);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The table's share of JQL_TREND_MAX_RESULTS bounds each period whatever
   the caller's max_results (raised past it: still refused, the share
   named); a caller's smaller limit bounds it instead (named as its own),
   and so does any other limit. */
START_TEST(table_share_bounds_the_callers_limit)
{
    /* 1,000 units x 700 leaves: 700,000 results a period */
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    test_load_manual_grid(1000, 700, &ds, &c);
    const char *many[JQL_TREND_MAX_PERIODS];
    for (size_t p = 0; p < JQL_TREND_MAX_PERIODS; p++)
        many[p] = "2014";
    jql_trend *t = NULL;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.max_results = 20000000; /* raised: the share (625,000) still bounds */
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, JQL_TREND_MAX_PERIODS, &o, &t),
                     JQL_ELIMIT);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "64 periods share 40000000 results, 625000 each"));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "the limit of 625000 results"));
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, 2, &o, &t), JQL_OK);
    ck_assert_int_eq(jql_trend_unit_final(t, 0, 1), 1);
    jql_trend_free(t);
    /* the caller's own limit below the share is the bound, named as its own */
    o.max_results = 699999;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, 2, &o, &t), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "the limit of 699999 results"));
    ck_assert_ptr_null(strstr(jql_last_error(), "share"));
    o.max_results = 700000;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, 2, &o, &t), JQL_OK);
    jql_trend_free(t);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    /* another limit of a period scored within its share is that limit's
       alone: the share is named only when it was the bound passed */
    worked(&ds, &c);
    for (size_t p = 0; p < JQL_TREND_MAX_PERIODS; p++)
        many[p] = "2014-Q1";
    o = (jql_score_options)JQL_SCORE_OPTIONS_INIT;
    o.max_veto_checks = 1;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, JQL_TREND_MAX_PERIODS, &o, &t),
                     JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "period 2014-Q1: /vetoes: "));
    ck_assert_msg(!strstr(jql_last_error(), "share"), "%s", jql_last_error());
    o.max_veto_checks = 0;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, many, JQL_TREND_MAX_PERIODS, &o, &t),
                     JQL_OK);
    jql_trend_free(t);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The trend's warnings are every period's scoring warnings in period
   order, the same entries (each names its period): from the table, which
   keeps no results, from jql_score_periods_with() and from
   jql_results_trend(); the empty period's is among them with ALLOW_EMPTY. */
static void check_warnings(const jql_trend *t, jql_results *const *r, size_t n)
{
    const jql_diagnostics *got = jql_trend_diagnostics(t);
    ck_assert_ptr_nonnull(got);
    size_t k = 0;
    for (size_t p = 0; p < n; p++) {
        const jql_diagnostics *w = jql_results_diagnostics(r[p]);
        for (size_t i = 0; i < jql_diagnostics_count(w); i++, k++) {
            ck_assert_uint_lt(k, jql_diagnostics_count(got));
            ck_assert_str_eq(jql_diagnostics_message(got, k), jql_diagnostics_message(w, i));
            ck_assert_str_eq(jql_diagnostics_path(got, k), jql_diagnostics_path(w, i));
            ck_assert_int_eq(jql_diagnostics_severity(got, k), JQL_SEVERITY_WARNING);
        }
    }
    ck_assert_uint_eq(jql_diagnostics_count(got), k);
}

START_TEST(trend_keeps_every_periods_warnings)
{
    jql_dataset *ds;
    jql_criteria *c;
    worked(&ds, &c);
    static const char *const periods[] = {"2014-Q1", "2013-Q1", "2014"};
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_ALLOW_EMPTY;
    jql_results *r[3];
    for (size_t p = 0; p < 3; p++)
        ck_assert_int_eq(jql_score_with(ds, c, periods[p], &o, &r[p]), JQL_OK);
    /* the fixture warns: leaf B has no data in 2014-Q1, 2013-Q1 is empty */
    ck_assert_uint_ge(jql_diagnostics_count(jql_results_diagnostics(r[0])), 1);
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(jql_results_diagnostics(r[1]), 0),
                                 "2013-Q1"));
    jql_trend *t = NULL;
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, periods, 3, &o, &t), JQL_OK);
    check_warnings(t, r, 3);
    jql_trend_free(t);
    ck_assert_int_eq(jql_score_periods_with(ds, c, periods, 3, &o, &t), JQL_OK);
    check_warnings(t, r, 3);
    jql_trend_free(t);
    ck_assert_int_eq(jql_results_trend((const jql_results *const *)r, 3, &t), JQL_OK);
    check_warnings(t, r, 3);
    jql_trend_free(t);
    /* one period: its warnings alone; a NULL trend has none */
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, periods + 1, 1, &o, &t), JQL_OK);
    check_warnings(t, r + 1, 1);
    ck_assert_uint_eq(jql_diagnostics_count(jql_trend_diagnostics(t)),
                      jql_diagnostics_count(jql_results_diagnostics(r[1])));
    jql_trend_free(t);
    ck_assert_ptr_null(jql_trend_diagnostics(NULL));
    for (size_t p = 0; p < 3; p++)
        jql_results_free(r[p]);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("periods_with");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, null_options_are_the_old_functions);
    tcase_add_test(tc, as_of_reaches_every_period);
    tcase_add_test(tc, flags_reach_every_period);
    tcase_add_test(tc, bad_options_refused_before_scoring);
    tcase_add_test(tc, limits_reach_every_period);
    tcase_add_test(tc, table_share_bounds_the_callers_limit);
    tcase_add_test(tc, trend_keeps_every_periods_warnings);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
