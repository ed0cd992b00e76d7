/*
 * Tallies (tally.h): the counts of reports, tasks and directives. The
 * fixture tests/data/as-of/ is counted by hand in the comments; on the
 * bundled data the counts are checked against the records read through
 * the accessors and against the scores the engine gives.
 */
#include <string.h>

#include "testutil.h"

static jql_tally tally(const jql_dataset *ds, const char *unit, const char *period,
                       const jql_tally_options *o)
{
    jql_tally t = JQL_TALLY_INIT;
    ck_assert_msg(jql_tally_compute(ds, unit, period, o, &t) == JQL_OK, "%s", jql_last_error());
    return t;
}

#define CK_REPORTS(t, due, on_time, late, missing, incomplete) \
    do { \
        ck_assert_uint_eq((t).reports_due, due); \
        ck_assert_uint_eq((t).reports_on_time, on_time); \
        ck_assert_uint_eq((t).reports_late, late); \
        ck_assert_uint_eq((t).reports_missing, missing); \
        ck_assert_uint_eq((t).reports_incomplete, incomplete); \
    } while (0)

#define CK_TASKS(t, due, done, done_late, overdue) \
    do { \
        ck_assert_uint_eq((t).tasks_due, due); \
        ck_assert_uint_eq((t).tasks_done, done); \
        ck_assert_uint_eq((t).tasks_done_late, done_late); \
        ck_assert_uint_eq((t).tasks_overdue, overdue); \
    } while (0)

#define CK_DIRECTIVES(t, due, done) \
    do { \
        ck_assert_uint_eq((t).directives_due, due); \
        ck_assert_uint_eq((t).directives_done, done); \
    } while (0)

START_TEST(unit_over_a_period)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally t = tally(ds, "U", "2014-Q1", NULL);
    /* statistics due 15/3 sent 18/3 (late, complete); quarterly-work due
       15/3 sent 25/3 (late, incomplete); the Q2 report is not of Q1 */
    CK_REPORTS(t, 2, 0, 2, 0, 1);
    /* T1 done early, T2 done after its due date, T3 pending */
    CK_TASKS(t, 3, 2, 1, 1);
    /* D1, D2 (district level) done; D3 (to U) open */
    CK_DIRECTIVES(t, 3, 2);
    /* a standard period the dataset does not declare */
    t = tally(ds, "U", "2014-Q2", NULL);
    CK_REPORTS(t, 1, 1, 0, 0, 0);
    CK_TASKS(t, 0, 0, 0, 0);
    CK_DIRECTIVES(t, 0, 0);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(as_of_date)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.as_of = "2014-03-21";
    jql_tally t = tally(ds, "U", "2014-Q1", &o);
    /* the quarterly-work report sent 25/3 is not sent yet: never submitted */
    CK_REPORTS(t, 2, 0, 1, 1, 0);
    /* T3 due 31/3 not due yet; T2 completed 25/3 not done yet */
    CK_TASKS(t, 2, 1, 0, 1);
    /* D3 issued 25/3 not counted; D2 completed 22/3 not done yet */
    CK_DIRECTIVES(t, 2, 1);
    o.as_of = "2014-03-14"; /* before both reports were due */
    t = tally(ds, "U", "2014-Q1", &o);
    CK_REPORTS(t, 0, 0, 0, 0, 0);
    CK_TASKS(t, 2, 1, 0, 1);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(subtree_and_all_units)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally t = tally(ds, "P", "2014-Q1", NULL); /* the province alone has nothing */
    CK_REPORTS(t, 0, 0, 0, 0, 0);
    CK_TASKS(t, 0, 0, 0, 0);
    CK_DIRECTIVES(t, 0, 0);
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.flags = JQL_ROLLUP;
    t = tally(ds, "P", "2014-Q1", &o);
    CK_REPORTS(t, 2, 0, 2, 0, 1);
    CK_TASKS(t, 3, 2, 1, 1);
    CK_DIRECTIVES(t, 3, 2);
    t = tally(ds, NULL, "2014-Q1", NULL);
    CK_REPORTS(t, 2, 0, 2, 0, 1);
    /* every period: the Q2 report (sent 10/4, due 15/4) too */
    t = tally(ds, NULL, NULL, NULL);
    CK_REPORTS(t, 3, 1, 2, 0, 1);
    CK_TASKS(t, 3, 2, 1, 1);
    CK_DIRECTIVES(t, 3, 2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(filters)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.report_kind = "statistics";
    jql_tally t = tally(ds, NULL, NULL, &o);
    CK_REPORTS(t, 2, 1, 1, 0, 0);
    CK_TASKS(t, 3, 2, 1, 1); /* the kind filters reports only */
    o.report_kind = "no-such-kind";
    t = tally(ds, NULL, NULL, &o);
    CK_REPORTS(t, 0, 0, 0, 0, 0);
    jql_dataset_free(ds);
}
END_TEST

/* A task owned by two units of a subtree counts once; a task without an
   owner only when every unit is counted; fields filter tasks; an
   on-time but incomplete report counts in both. Built with the builder. */
START_TEST(built_dataset)
{
    jql_dataset *ds = jql_dataset_new();
    jql_date d10, d20, d25;
    size_t i;
    ck_assert_int_eq(jql_date_parse("2014-02-10", &d10), JQL_OK);
    ck_assert_int_eq(jql_date_parse("2014-02-20", &d20), JQL_OK);
    ck_assert_int_eq(jql_date_parse("2014-02-25", &d25), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "P", "Tỉnh", "province", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "A", "Huyện A", "district", "P", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "B", "Huyện B", "district", "P", NULL), JQL_OK);
    ck_assert_int_eq(jql_task_add(ds, "shared", "Shared", d20, &i), JQL_OK);
    ck_assert_int_eq(jql_task_add_owner(ds, i, "A"), JQL_OK);
    ck_assert_int_eq(jql_task_add_owner(ds, i, "B"), JQL_OK);
    ck_assert_int_eq(jql_task_set_field(ds, i, "hộ tịch"), JQL_OK);
    ck_assert_int_eq(jql_task_set_status(ds, i, JQL_TASK_DONE, d25), JQL_OK);
    ck_assert_int_eq(jql_task_add(ds, "orphan", "No owner", d20, &i), JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "A", "2014-Q1", "statistics", d20, d10, false, NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "B", "2014-Q1", "statistics", d20, d25, true, NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "B", "2014-Q1", "work", d20, JQL_NO_DATE, false, NULL),
                     JQL_OK);

    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.flags = JQL_ROLLUP;
    jql_tally t = tally(ds, "P", "2014-Q1", &o);
    CK_TASKS(t, 1, 1, 1, 0);
    /* A: on time though incomplete; B: late; B's work report never sent */
    CK_REPORTS(t, 3, 1, 1, 1, 1);
    t = tally(ds, NULL, "2014-Q1", NULL);
    CK_TASKS(t, 2, 1, 1, 1);
    t = tally(ds, "A", "2014", NULL);
    CK_TASKS(t, 1, 1, 1, 0);
    CK_REPORTS(t, 1, 1, 0, 0, 1);
    o.task_field = "hộ tịch";
    t = tally(ds, NULL, "2014-Q1", &o);
    CK_TASKS(t, 1, 1, 1, 0);
    o.task_field = "other";
    t = tally(ds, NULL, "2014-Q1", &o);
    CK_TASKS(t, 0, 0, 0, 0);
    jql_dataset_free(ds);
}
END_TEST

/* On the bundled data: the counts are those of the records (submitted on
   or before the due date, complete or not) and those the scores rest on. */
START_TEST(bundled_matches_records_and_scores)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    const char *kinds[] = {"statistics", "quarterly-work", NULL};
    for (size_t k = 0; k < 3; k++) {
        size_t due = 0, on_time = 0, late = 0, missing = 0, incomplete = 0;
        for (size_t u = 0; u < jql_unit_count(ds); u++) {
            size_t idx[64];
            size_t n = 0;
            ck_assert_int_eq(
                jql_reports_in_period(ds, jql_unit_id(ds, u), "2014-Q1", kinds[k], idx, 64, &n),
                JQL_OK);
            ck_assert_uint_le(n, 64);
            for (size_t j = 0; j < n; j++) {
                jql_date s = jql_report_submitted(ds, idx[j]);
                due++;
                if (s == JQL_NO_DATE)
                    missing++;
                else if (s <= jql_report_due(ds, idx[j]))
                    on_time++;
                else
                    late++;
                if (s != JQL_NO_DATE && !jql_report_complete(ds, idx[j]))
                    incomplete++;
            }
        }
        jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
        o.report_kind = kinds[k];
        jql_tally t = tally(ds, NULL, "2014-Q1", &o);
        CK_REPORTS(t, due, on_time, late, missing, incomplete);
    }
    /* the case: 11 statistics reports on time, Thạnh Hóa's among
       them though incomplete */
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.report_kind = "statistics";
    ck_assert_uint_eq(tally(ds, NULL, "2014-Q1", &o).reports_on_time, 11);
    jql_tally th = tally(ds, "thanh-hoa", "2014-Q1", &o);
    CK_REPORTS(th, 1, 1, 0, 0, 1);

    /* the engine's share on time and missing count per scored unit */
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(
        jql_criteria_load_path(example_data("long-an-2014/criteria-2014.json"), &c, &d), JQL_OK);
    jql_diagnostics_free(d);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, "2014-Q1", &r), JQL_OK);
    size_t share = JQL_NONE, miss = JQL_NONE;
    for (size_t n = 0; n < jql_results_node_count(r); n++) {
        if (strcmp(jql_results_node_id(r, n), "report-share-on-time") == 0)
            share = n;
        if (strcmp(jql_results_node_id(r, n), "report-missing") == 0)
            miss = n;
    }
    ck_assert(share != JQL_NONE && miss != JQL_NONE);
    ck_assert_uint_gt(jql_results_unit_count(r), 10);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        jql_tally t = tally(ds, jql_results_unit_id(r, k), "2014-Q1", NULL);
        jql_milli v;
        ck_assert(jql_results_node_value(r, k, share, &v));
        ck_assert_uint_gt(t.reports_due, 0);
        /* shares on the bundled data have whole thousandths of % */
        ck_assert_int_eq(v * (jql_milli)t.reports_due, (jql_milli)t.reports_on_time * 100000);
        ck_assert(jql_results_node_value(r, k, miss, &v));
        ck_assert_int_eq(v, (jql_milli)t.reports_missing * 1000);
    }
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST


/* One report's standing and one directive's completion, by the rules the
   counts use: the as-of fixture by hand, then on the bundled data every
   report's and directive's verdict summed gives the tally. */
static jql_report_standing standing(const jql_dataset *ds, size_t i, jql_date as_of,
                                    int32_t *days, bool *incomplete)
{
    jql_report_standing st = JQL_REPORT_STANDING_COUNT;
    ck_assert_msg(jql_report_get_standing(ds, i, as_of, &st, days, incomplete) == JQL_OK, "%s",
                  jql_last_error());
    return st;
}

static jql_date day(const char *text)
{
    jql_date d = JQL_NO_DATE;
    ck_assert_int_eq(jql_date_parse(text, &d), JQL_OK);
    return d;
}

START_TEST(per_record_verdicts)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    int32_t days = 99;
    bool inc = true;
    /* statistics Q1: due 15/3, sent 18/3, complete */
    ck_assert_int_eq(standing(ds, 0, JQL_NO_DATE, &days, &inc), JQL_REPORT_STANDING_LATE);
    ck_assert_int_eq(days, 3);
    ck_assert(!inc);
    /* quarterly-work: sent 25/3 incomplete; on 21/3 not sent yet */
    ck_assert_int_eq(standing(ds, 1, JQL_NO_DATE, &days, &inc), JQL_REPORT_STANDING_LATE);
    ck_assert_int_eq(days, 10);
    ck_assert(inc);
    ck_assert_int_eq(standing(ds, 1, day("2014-03-21"), &days, &inc), JQL_REPORT_STANDING_MISSING);
    ck_assert_int_eq(days, -1);
    ck_assert(!inc);
    /* before the due date: not due (whatever was sent) */
    ck_assert_int_eq(standing(ds, 0, day("2014-03-14"), &days, &inc), JQL_REPORT_STANDING_NOT_DUE);
    ck_assert_int_eq(days, -1);
    /* Q2: sent 10/4, due 15/4: on time; the outputs may be NULL */
    ck_assert_int_eq(standing(ds, 2, JQL_NO_DATE, NULL, NULL), JQL_REPORT_STANDING_ON_TIME);
    ck_assert_str_eq(jql_report_standing_name(JQL_REPORT_STANDING_ON_TIME), "on_time");

    bool done = false;
    ck_assert_int_eq(jql_directive_done_by(ds, 0, JQL_NO_DATE, &done), JQL_OK);
    ck_assert(done);
    /* D2 completed 22/3: done by the 22nd, not by the 21st */
    ck_assert_int_eq(jql_directive_done_by(ds, 1, day("2014-03-21"), &done), JQL_OK);
    ck_assert(!done);
    ck_assert_int_eq(jql_directive_done_by(ds, 1, day("2014-03-22"), &done), JQL_OK);
    ck_assert(done);
    ck_assert_int_eq(jql_directive_done_by(ds, 2, JQL_NO_DATE, &done), JQL_OK);
    ck_assert(!done); /* open */

    /* errors: nothing written */
    jql_report_standing st = JQL_REPORT_STANDING_LATE;
    ck_assert_int_eq(jql_report_get_standing(ds, 3, JQL_NO_DATE, &st, NULL, NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_get_standing(NULL, 0, JQL_NO_DATE, &st, NULL, NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(st, JQL_REPORT_STANDING_LATE);
    ck_assert_int_eq(jql_report_get_standing(ds, 0, JQL_NO_DATE, NULL, &days, NULL), JQL_EINVALID);
    done = true;
    ck_assert_int_eq(jql_directive_done_by(ds, 3, JQL_NO_DATE, &done), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_directive_done_by(NULL, 0, JQL_NO_DATE, &done), JQL_ENOTFOUND);
    ck_assert(done);
    ck_assert_int_eq(jql_directive_done_by(ds, 0, JQL_NO_DATE, NULL), JQL_EINVALID);
    jql_dataset_free(ds);

    /* the bundled data: verdicts summed over the period's records, at
       several as-of dates, are the tally */
    ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    const char *dates[] = {"2014-03-31", "2014-04-10", "2014-04-20", "2014-12-31"};
    for (size_t a = 0; a < sizeof dates / sizeof *dates; a++) {
        jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
        o.as_of = dates[a];
        jql_tally t = tally(ds, NULL, "2014-Q1", &o);
        size_t n = 0, idx[256], count[JQL_REPORT_STANDING_COUNT] = {0}, incomplete = 0;
        ck_assert_int_eq(jql_reports_in_period(ds, NULL, "2014-Q1", NULL, idx, 256, &n), JQL_OK);
        ck_assert_uint_le(n, 256);
        for (size_t j = 0; j < n; j++) {
            bool i2 = false;
            count[standing(ds, idx[j], day(dates[a]), NULL, &i2)]++;
            incomplete += i2;
        }
        CK_REPORTS(t, n - count[JQL_REPORT_STANDING_NOT_DUE], count[JQL_REPORT_STANDING_ON_TIME],
                   count[JQL_REPORT_STANDING_LATE], count[JQL_REPORT_STANDING_MISSING], incomplete);
        size_t dn = 0, dd[256], ndone = 0;
        ck_assert_int_eq(jql_directives_due(ds, NULL, "2014-Q1", dd, 256, &dn), JQL_OK);
        ck_assert_uint_le(dn, 256);
        for (size_t j = 0; j < dn; j++) {
            if (jql_directive_issued(ds, dd[j]) > day(dates[a]) ||
                jql_directive_due(ds, dd[j]) > day(dates[a]))
                continue; /* not issued or not due yet as of then */
            ck_assert_int_eq(jql_directive_done_by(ds, dd[j], day(dates[a]), &done), JQL_OK);
            ndone += done;
        }
        ck_assert_uint_eq(t.directives_done, ndone);
    }
    jql_dataset_free(ds);
}
END_TEST

/* The late-reports list: the records behind reports_late + reports_missing. */
START_TEST(late_reports_list)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    size_t out[4] = {9, 9, 9, 9}, n = 7;
    ck_assert_int_eq(jql_reports_late(ds, "U", "2014-Q1", NULL, out, 4, &n), JQL_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 1);
    /* the Q2 report was on time; a short array gets the first ones */
    ck_assert_int_eq(jql_reports_late(ds, NULL, "2014-Q2", NULL, out, 4, &n), JQL_OK);
    ck_assert_uint_eq(n, 0);
    out[0] = out[1] = 9;
    ck_assert_int_eq(jql_reports_late(ds, NULL, "2014-Q1", "quarterly-work", out, 0, &n), JQL_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(out[0], 9);
    ck_assert_int_eq(jql_reports_late(ds, NULL, "2014-Q1", NULL, out, 1, &n), JQL_OK);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 9);
    /* errors: count 0 */
    ck_assert_int_eq(jql_reports_late(ds, "nobody", "2014-Q1", NULL, out, 4, &n), JQL_ENOTFOUND);
    ck_assert_uint_eq(n, 0);
    ck_assert_int_eq(jql_reports_late(ds, NULL, "no-period", NULL, out, 4, &n), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_reports_late(ds, NULL, "2014-Q1", NULL, NULL, 4, &n), JQL_EINVALID);
    ck_assert_int_eq(jql_reports_late(ds, NULL, "2014-Q1", NULL, out, 4, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_reports_late(NULL, NULL, "2014-Q1", NULL, out, 4, &n), JQL_EINVALID);
    jql_dataset_free(ds);

    ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    const char *kinds[] = {"statistics", "quarterly-work", NULL};
    for (size_t k = 0; k < 3; k++)
        for (size_t u = 0; u <= jql_unit_count(ds); u++) {
            const char *unit = u < jql_unit_count(ds) ? jql_unit_id(ds, u) : NULL;
            jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
            o.report_kind = kinds[k];
            jql_tally t = tally(ds, unit, "2014-Q1", &o);
            ck_assert_int_eq(jql_reports_late(ds, unit, "2014-Q1", kinds[k], NULL, 0, &n), JQL_OK);
            ck_assert_uint_eq(n, t.reports_late + t.reports_missing);
        }
    jql_dataset_free(ds);
}
END_TEST

START_TEST(errors)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally t = JQL_TALLY_INIT;
    ck_assert_int_eq(jql_tally_compute(NULL, NULL, NULL, NULL, &t), JQL_EINVALID);
    ck_assert_int_eq(jql_tally_compute(ds, NULL, NULL, NULL, NULL), JQL_EINVALID);
    /* failures leave the counts 0 */
    t.reports_due = t.tasks_due = 99;
    ck_assert_int_eq(jql_tally_compute(ds, "nobody", "2014-Q1", NULL, &t), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "nobody"));
    ck_assert_uint_eq(t.reports_due, 0);
    ck_assert_uint_eq(t.tasks_due, 0);
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q5", NULL, &t), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "2014-Q5"));
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.as_of = "2014-02-30";
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q1", &o, &t), JQL_EINVALID);
    ck_assert_str_eq(jql_last_error(), "as_of \"2014-02-30\" is not an existing date YYYY-MM-DD");
    o.as_of = NULL;
    o.flags = 0x2;
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q1", &o, &t), JQL_EINVALID);
    o.flags = 0;
    o.version = 2;
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q1", &o, &t), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "version"));
    t.version = 0;
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q1", NULL, &t), JQL_EINVALID);
    t.version = JQL_TALLY_VERSION + 1;
    ck_assert_int_eq(jql_tally_compute(ds, "U", "2014-Q1", NULL, &t), JQL_EINVALID);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(fields_by_name)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally t = tally(ds, "U", "2014-Q1", NULL);
    ck_assert_uint_eq(jql_tally_field_count(), 11);
    const size_t expect[] = {t.reports_due,   t.reports_on_time, t.reports_late,
                             t.reports_missing, t.reports_incomplete, t.tasks_due,
                             t.tasks_done,    t.tasks_done_late, t.tasks_overdue,
                             t.directives_due, t.directives_done};
    const char *names[] = {"reports_due",    "reports_on_time", "reports_late",
                           "reports_missing", "reports_incomplete", "tasks_due",
                           "tasks_done",     "tasks_done_late", "tasks_overdue",
                           "directives_due", "directives_done"};
    for (size_t f = 0; f < jql_tally_field_count(); f++) {
        size_t v = 12345;
        ck_assert_str_eq(jql_tally_field_name((jql_tally_field)f), names[f]);
        ck_assert_int_eq(jql_tally_get(&t, (jql_tally_field)f, &v), JQL_OK);
        ck_assert_uint_eq(v, expect[f]);
    }
    ck_assert_ptr_null(jql_tally_field_name((jql_tally_field)11));
    ck_assert_ptr_null(jql_tally_field_name((jql_tally_field)-1));
    size_t v;
    ck_assert_int_eq(jql_tally_get(&t, (jql_tally_field)11, &v), JQL_EINVALID);
    ck_assert_int_eq(jql_tally_get(NULL, JQL_TALLY_TASKS_DUE, &v), JQL_EINVALID);
    ck_assert_int_eq(jql_tally_get(&t, JQL_TALLY_TASKS_DUE, NULL), JQL_EINVALID);
    t.version = 0;
    ck_assert_int_eq(jql_tally_get(&t, JQL_TALLY_TASKS_DUE, &v), JQL_EINVALID);
    jql_dataset_free(ds);
}
END_TEST

/* Every allocation failing in turn gives JQL_ENOMEM, never a crash or a
   wrong count. */
START_TEST(out_of_memory)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.flags = JQL_ROLLUP;
    jql_tally good = tally(ds, "P", "2014-Q1", &o);
    test_install_failing_allocator();
    int rc = JQL_ENOMEM;
    long n;
    bool hit = true; /* on until a call makes no more allocations */
    for (n = 0; n < 1000 && hit; n++) {
        jql_tally t = JQL_TALLY_INIT;
        test_fail_after(n);
        rc = jql_tally_compute(ds, "P", "2014-Q1", &o, &t);
        hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (rc == JQL_OK)
            ck_assert_mem_eq(&t, &good, sizeof t);
        else
            ck_assert_int_eq(rc, JQL_ENOMEM);
    }
    ck_assert_int_eq(rc, JQL_OK);
    ck_assert_int_gt(n, 1); /* at least one allocation was failed */
    jql_dataset_free(ds);
}
END_TEST

static Suite *tally_suite(void)
{
    Suite *s = suite_create("tally");
    TCase *tc = tcase_create("tally");
    tcase_add_test(tc, unit_over_a_period);
    tcase_add_test(tc, as_of_date);
    tcase_add_test(tc, subtree_and_all_units);
    tcase_add_test(tc, filters);
    tcase_add_test(tc, built_dataset);
    tcase_add_test(tc, bundled_matches_records_and_scores);
    tcase_add_test(tc, per_record_verdicts);
    tcase_add_test(tc, late_reports_list);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, fields_by_name);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(tally_suite());
}
