/* Periods: standard ids, declared periods, containment, previous, year before. */
#include <string.h>

#include "testutil.h"

static jql_date D(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

/* jql_period_contains() as 1 (inside), 0 (not) or its status, and a
   failure leaves the answer alone. */
static int inside(const jql_dataset *ds, const char *outer, const char *inner)
{
    bool yes = true, no = false;
    int rc = jql_period_contains(ds, outer, inner, &yes);
    int rc2 = jql_period_contains(ds, outer, inner, &no);
    ck_assert_int_eq(rc, rc2);
    if (rc != JQL_OK) {
        ck_assert(yes && !no);
        return rc;
    }
    ck_assert_int_eq(yes, no);
    return yes ? 1 : 0;
}

static void assert_range(const jql_dataset *ds, const char *id, jql_period_kind kind,
                         jql_date start, jql_date end)
{
    jql_period_kind k;
    jql_date s, e;
    ck_assert_msg(jql_period_resolve(ds, id, &k, &s, &e) == JQL_OK, "%s not resolved", id);
    ck_assert_int_eq(k, kind);
    ck_assert_int_eq(s, start);
    ck_assert_int_eq(e, end);
}

START_TEST(standard_ids)
{
    jql_dataset *ds = jql_dataset_new();
    assert_range(ds, "2014", JQL_PERIOD_YEAR, D(2014, 1, 1), D(2014, 12, 31));
    assert_range(ds, "2014-H1", JQL_PERIOD_HALF, D(2014, 1, 1), D(2014, 6, 30));
    assert_range(ds, "2014-H2", JQL_PERIOD_HALF, D(2014, 7, 1), D(2014, 12, 31));
    assert_range(ds, "2014-Q1", JQL_PERIOD_QUARTER, D(2014, 1, 1), D(2014, 3, 31));
    assert_range(ds, "2014-Q2", JQL_PERIOD_QUARTER, D(2014, 4, 1), D(2014, 6, 30));
    assert_range(ds, "2014-Q3", JQL_PERIOD_QUARTER, D(2014, 7, 1), D(2014, 9, 30));
    assert_range(ds, "2014-Q4", JQL_PERIOD_QUARTER, D(2014, 10, 1), D(2014, 12, 31));
    assert_range(ds, "2014-9M", JQL_PERIOD_NINE_MONTHS, D(2014, 1, 1), D(2014, 9, 30));
    assert_range(ds, "1900", JQL_PERIOD_YEAR, D(1900, 1, 1), D(1900, 12, 31));
    assert_range(ds, "9999-Q4", JQL_PERIOD_QUARTER, D(9999, 10, 1), D(9999, 12, 31));
    /* NULL dataset still understands standard ids; NULL outputs are fine */
    ck_assert_int_eq(jql_period_resolve(NULL, "2012-H1", NULL, NULL, NULL), JQL_OK);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(invalid_ids)
{
    jql_dataset *ds = jql_dataset_new();
    const char *bad[] = {"2014-Q5", "2014-Q0", "2014-H3", "2014-H0", "2014-8M", "14",
                         "1899",    "2014-q1", "2014Q1",  "2014-Q1 ", "",        "20145",
                         "2014-Q",  "2014-",   "abcd",    "2014-9m"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(jql_period_resolve(ds, bad[k], NULL, NULL, NULL) == JQL_ENOTFOUND,
                      "resolved \"%s\"", bad[k]);
    ck_assert_int_eq(jql_period_resolve(ds, NULL, NULL, NULL, NULL), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(declared_custom)
{
    jql_dataset *ds = jql_dataset_new();
    size_t idx = 99;
    ck_assert_int_eq(jql_period_add(ds, "dot-1", "Đợt 1", D(2014, 2, 1), D(2014, 5, 15), &idx),
                     JQL_OK);
    ck_assert_uint_eq(idx, 0);
    ck_assert_uint_eq(jql_period_count(ds), 1);
    ck_assert_str_eq(jql_period_id(ds, 0), "dot-1");
    ck_assert_str_eq(jql_period_name(ds, 0), "Đợt 1");
    ck_assert_ptr_null(jql_period_id(ds, 1));
    ck_assert_ptr_null(jql_period_name(ds, 1));
    assert_range(ds, "dot-1", JQL_PERIOD_CUSTOM, D(2014, 2, 1), D(2014, 5, 15));
    ck_assert_int_eq(jql_period_add(ds, "one-day", NULL, D(2014, 1, 1), D(2014, 1, 1), NULL),
                     JQL_OK);
    ck_assert_ptr_null(jql_period_name(ds, 1));
    /* errors */
    ck_assert_int_eq(jql_period_add(ds, "dot-1", NULL, D(2014, 1, 1), D(2014, 2, 1), NULL),
                     JQL_EEXISTS);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "dot-1"));
    ck_assert_int_eq(jql_period_add(ds, "bad", NULL, D(2014, 2, 2), D(2014, 2, 1), NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_period_add(ds, "", NULL, D(2014, 2, 1), D(2014, 2, 1), NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_period_add(ds, "x", NULL, JQL_NO_DATE, D(2014, 2, 1), NULL),
                     JQL_EINVALID);
    ck_assert_int_eq(jql_period_add(ds, "x", "\xff", D(2014, 1, 1), D(2014, 2, 1), NULL),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_period_count(ds), 2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(declared_standard_override)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_period_add(ds, "2014-Q1", "Quý I/2014", D(2013, 12, 15),
                                    D(2014, 3, 14), NULL),
                     JQL_OK);
    /* keeps its standard kind, takes the cut-off range */
    assert_range(ds, "2014-Q1", JQL_PERIOD_QUARTER, D(2013, 12, 15), D(2014, 3, 14));
    /* other standard ids are unaffected */
    assert_range(ds, "2014-Q2", JQL_PERIOD_QUARTER, D(2014, 4, 1), D(2014, 6, 30));
    ck_assert_int_eq(inside(ds, "2014", "2014-Q1"), 0); /* starts in 2013 */
    ck_assert_int_eq(inside(ds, "2014-H1", "2014-Q2"), 1);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(declare_after_use_refused)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "u", "U", "province", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "i", "I", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    ck_assert_int_eq(jql_stat_set_value(ds, "u", "i", "2014-Q2", 5000), JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "2014-Q2", NULL, D(2014, 3, 15), D(2014, 6, 14), NULL),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_period_count(ds), 0);
    /* an unused standard id may still be declared */
    ck_assert_int_eq(jql_period_add(ds, "2014-Q3", NULL, D(2014, 6, 15), D(2014, 9, 14), NULL),
                     JQL_OK);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(contains)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_period_add(ds, "spring", NULL, D(2014, 3, 1), D(2014, 5, 31), NULL),
                     JQL_OK);
    ck_assert_int_eq(inside(ds, "2014", "2014-Q3"), 1);
    ck_assert_int_eq(inside(ds, "2014-Q3", "2014"), 0);
    ck_assert_int_eq(inside(ds, "2014-Q1", "2014-Q1"), 1);
    ck_assert_int_eq(inside(ds, "2014-9M", "2014-Q3"), 1);
    ck_assert_int_eq(inside(ds, "2014-9M", "2014-Q4"), 0);
    ck_assert_int_eq(inside(ds, "2014-H1", "2014-9M"), 0);
    ck_assert_int_eq(inside(ds, "2014-H1", "spring"), 1);
    ck_assert_int_eq(inside(ds, "2014-Q1", "spring"), 0);
    ck_assert_int_eq(inside(ds, "2015", "2014-Q1"), 0);
    ck_assert_int_eq(inside(ds, "nope", "2014"), JQL_ENOTFOUND);
    ck_assert_int_eq(inside(ds, "2014", "nope"), JQL_ENOTFOUND);
    ck_assert_int_eq(inside(ds, NULL, "2014"), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_contains(ds, "2014", "2014-Q1", NULL), JQL_EINVALID);
    jql_dataset_free(ds);
}
END_TEST

/* jql_period_find: declared periods only, by id, in constant time. */
START_TEST(find_declared)
{
    jql_dataset *ds = jql_dataset_new();
    size_t i = 99;
    ck_assert_int_eq(jql_period_find(ds, "spring", &i), JQL_ENOTFOUND);
    ck_assert_uint_eq(i, 99);
    ck_assert_int_eq(jql_period_add(ds, "spring", "Xuân", D(2014, 3, 1), D(2014, 5, 31), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "2014-Q1", NULL, D(2013, 12, 15), D(2014, 3, 14), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_find(ds, "2014-Q1", &i), JQL_OK);
    ck_assert_uint_eq(i, 1);
    ck_assert_int_eq(jql_period_find(ds, "spring", &i), JQL_OK);
    ck_assert_uint_eq(i, 0);
    ck_assert_str_eq(jql_period_name(ds, i), "Xuân");
    ck_assert_int_eq(jql_period_find(ds, "spring", NULL), JQL_OK);
    /* a standard id resolves but is not declared */
    ck_assert_int_eq(jql_period_resolve(ds, "2014-Q2", NULL, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_period_find(ds, "2014-Q2", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_find(ds, "Spring", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_find(ds, NULL, &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_find(NULL, "spring", &i), JQL_ENOTFOUND);
    ck_assert_uint_eq(i, 0);
    jql_dataset_free(ds);
}
END_TEST

static void assert_prev(const jql_dataset *ds, const char *id, const char *want)
{
    char buf[32];
    ck_assert_msg(jql_period_previous(ds, id, buf, sizeof buf) == JQL_OK, "%s: %s", id,
                  jql_last_error());
    ck_assert_str_eq(buf, want);
}

static void assert_year_before(const jql_dataset *ds, const char *id, const char *want)
{
    char buf[32];
    ck_assert_msg(jql_period_year_before(ds, id, buf, sizeof buf) == JQL_OK, "%s: %s", id,
                  jql_last_error());
    ck_assert_str_eq(buf, want);
}

START_TEST(previous)
{
    jql_dataset *ds = jql_dataset_new();
    assert_prev(ds, "2014-Q1", "2013-Q4");
    assert_prev(ds, "2014-Q2", "2014-Q1");
    assert_prev(ds, "2014-Q4", "2014-Q3");
    assert_prev(ds, "2014-H1", "2013-H2");
    assert_prev(ds, "2014-H2", "2014-H1");
    assert_prev(ds, "2014", "2013");
    assert_prev(ds, "2014-9M", "2013-9M");
    char buf[32];
    ck_assert_int_eq(jql_period_previous(ds, "1900-Q1", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_previous(ds, "1900", buf, sizeof buf), JQL_ENOTFOUND);
    assert_prev(ds, "1900-Q2", "1900-Q1");
    ck_assert_int_eq(jql_period_previous(ds, "what", buf, sizeof buf), JQL_ENOTFOUND);
    /* buffer too small: "2013-Q4" needs 8 bytes */
    ck_assert_int_eq(jql_period_previous(ds, "2014-Q1", buf, 7), JQL_ELIMIT);
    ck_assert_int_eq(jql_period_previous(ds, "2014-Q1", buf, 8), JQL_OK);
    ck_assert_str_eq(buf, "2013-Q4");
    /* custom: the declared period ending the day before */
    ck_assert_int_eq(jql_period_add(ds, "dot-1", NULL, D(2014, 1, 1), D(2014, 4, 30), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "dot-2", NULL, D(2014, 5, 1), D(2014, 8, 31), NULL),
                     JQL_OK);
    assert_prev(ds, "dot-2", "dot-1");
    ck_assert_int_eq(jql_period_previous(ds, "dot-1", buf, sizeof buf), JQL_ENOTFOUND);
    /* a declared standard id still steps by the calendar */
    ck_assert_int_eq(jql_period_add(ds, "2015-Q1", NULL, D(2014, 12, 15), D(2015, 3, 14), NULL),
                     JQL_OK);
    assert_prev(ds, "2015-Q1", "2014-Q4");
    jql_dataset_free(ds);
}
END_TEST

START_TEST(year_before)
{
    jql_dataset *ds = jql_dataset_new();
    assert_year_before(ds, "2014-Q1", "2013-Q1");
    assert_year_before(ds, "2014-H2", "2013-H2");
    assert_year_before(ds, "2014", "2013");
    assert_year_before(ds, "2014-9M", "2013-9M");
    char buf[32];
    ck_assert_int_eq(jql_period_year_before(ds, "1900-Q3", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_year_before(ds, "2014", buf, 4), JQL_ELIMIT);
    /* custom: a declared period with both dates one year earlier (29 Feb -> 28 Feb) */
    ck_assert_int_eq(jql_period_add(ds, "dot-2012", NULL, D(2012, 2, 29), D(2012, 6, 1), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "dot-2011", NULL, D(2011, 2, 28), D(2011, 6, 1), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "dot-2011b", NULL, D(2011, 3, 1), D(2011, 6, 1), NULL),
                     JQL_OK);
    assert_year_before(ds, "dot-2012", "dot-2011");
    ck_assert_int_eq(jql_period_year_before(ds, "dot-2011", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_year_before(ds, "unknown", buf, sizeof buf), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

/* 100,000 one-day periods: each one's previous, next and year-before
   period is found by its dates (each call read every declared period:
   3 * 10^10 steps, past the test's time limit); the first declared with
   the dates wins, as before. */
START_TEST(neighbours_of_many_periods)
{
    enum { N = 100000 };
    jql_dataset *ds = jql_dataset_new();
    jql_date first = D(2001, 1, 1);
    char id[32], want[32], buf[32];
    for (size_t k = 0; k < N; k++) {
        snprintf(id, sizeof id, "d%zu", k);
        ck_assert_int_eq(jql_period_add(ds, id, NULL, first + (jql_date)k, first + (jql_date)k, NULL),
                         JQL_OK);
    }
    /* declared later with d5's dates: d5 stays the answer */
    ck_assert_int_eq(jql_period_add(ds, "later5", NULL, first + 5, first + 5, NULL), JQL_OK);
    for (size_t k = 0; k < N; k++) {
        snprintf(id, sizeof id, "d%zu", k);
        if (k > 0) {
            snprintf(want, sizeof want, "d%zu", k - 1);
            ck_assert_int_eq(jql_period_previous(ds, id, buf, sizeof buf), JQL_OK);
            ck_assert_str_eq(buf, want);
        }
        if (k + 1 < N) {
            snprintf(want, sizeof want, "d%zu", k + 1);
            ck_assert_int_eq(jql_period_next(ds, id, buf, sizeof buf), JQL_OK);
            ck_assert_str_eq(buf, want);
        }
        int rc = jql_period_year_before(ds, id, buf, sizeof buf);
        if (k < 365) {
            ck_assert_int_eq(rc, JQL_ENOTFOUND);
        } else if (k < 3 * 365) { /* 2002 and 2003: no 29 February in between */
            snprintf(want, sizeof want, "d%zu", k - 365);
            ck_assert_int_eq(rc, JQL_OK);
            ck_assert_str_eq(buf, want);
        } else {
            ck_assert_int_eq(rc, JQL_OK);
        }
    }
    ck_assert_int_eq(jql_period_previous(ds, "d0", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next(ds, "later5", buf, sizeof buf), JQL_OK);
    ck_assert_str_eq(buf, "d6");
    ck_assert_int_eq(jql_period_previous(ds, "later5", buf, sizeof buf), JQL_OK);
    ck_assert_str_eq(buf, "d4");
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("period");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, standard_ids);
    tcase_add_test(tc, invalid_ids);
    tcase_add_test(tc, declared_custom);
    tcase_add_test(tc, declared_standard_override);
    tcase_add_test(tc, declare_after_use_refused);
    tcase_add_test(tc, contains);
    tcase_add_test(tc, find_declared);
    tcase_add_test(tc, previous);
    tcase_add_test(tc, neighbours_of_many_periods);
    tcase_add_test(tc, year_before);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
