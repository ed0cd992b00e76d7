/*
 * The period after a period (jql_period_next), display names of periods
 * (jql_period_display_name) and exact a * b / c (jql_milli_muldiv): what
 * jql-report used to re-derive from period ids and its own division.
 */
#include <stdio.h>
#include <string.h>

#include "testutil.h"

static jql_date D(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

static void next_is(const jql_dataset *ds, const char *id, const char *want)
{
    char buf[JQL_MAX_ID_BYTES + 1];
    ck_assert_msg(jql_period_next(ds, id, buf, sizeof buf) == JQL_OK, "%s: %s", id,
                  jql_last_error());
    ck_assert_str_eq(buf, want);
}

START_TEST(next_of_standard_ids)
{
    next_is(NULL, "2014-Q1", "2014-Q2");
    next_is(NULL, "2014-Q3", "2014-Q4");
    next_is(NULL, "2014-Q4", "2015-Q1");
    next_is(NULL, "2014-H1", "2014-H2");
    next_is(NULL, "2014-H2", "2015-H1");
    next_is(NULL, "2014", "2015");
    next_is(NULL, "2014-9M", "2014-Q4");
    char buf[16];
    ck_assert_int_eq(jql_period_next(NULL, "9999-Q4", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next(NULL, "9999", buf, sizeof buf), JQL_ENOTFOUND);
    next_is(NULL, "9999-Q3", "9999-Q4");
    /* the next period starts the day after: the ranges say so */
    const char *ids[] = {"1999-Q4", "2014-H2", "2020", "2014-9M", "2016-Q1"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        jql_date end, start;
        ck_assert_int_eq(jql_period_next(NULL, ids[i], buf, sizeof buf), JQL_OK);
        ck_assert_int_eq(jql_period_resolve(NULL, ids[i], NULL, NULL, &end), JQL_OK);
        ck_assert_int_eq(jql_period_resolve(NULL, buf, NULL, &start, NULL), JQL_OK);
        ck_assert_int_eq(start, end + 1);
    }
}
END_TEST

/* previous(next(id)) is id for quarters, halves and years. */
START_TEST(next_then_previous)
{
    char id[16], next[16], back[16];
    for (int y = JQL_YEAR_MIN; y < JQL_YEAR_MAX; y += 37) {
        const char *suffix[] = {"-Q1", "-Q2", "-Q3", "-Q4", "-H1", "-H2", ""};
        for (size_t k = 0; k < sizeof suffix / sizeof suffix[0]; k++) {
            snprintf(id, sizeof id, "%04d%s", y, suffix[k]);
            ck_assert_int_eq(jql_period_next(NULL, id, next, sizeof next), JQL_OK);
            ck_assert_int_eq(jql_period_previous(NULL, next, back, sizeof back), JQL_OK);
            ck_assert_str_eq(back, id);
        }
    }
}
END_TEST

START_TEST(next_of_declared_periods)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_period_add(ds, "M1", "Tháng 1", D(2014, 1, 1), D(2014, 1, 31), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "M2", NULL, D(2014, 2, 1), D(2014, 2, 28), NULL), JQL_OK);
    next_is(ds, "M1", "M2");
    char buf[3];
    ck_assert_int_eq(jql_period_next(ds, "M2", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "M2"));
    ck_assert_int_eq(jql_period_next(ds, "M9", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next(NULL, "M1", buf, sizeof buf), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next(ds, NULL, buf, sizeof buf), JQL_ENOTFOUND);
    /* the id does not fit */
    ck_assert_int_eq(jql_period_next(ds, "M1", buf, 2), JQL_ELIMIT);
    ck_assert_int_eq(jql_period_next(ds, "2014-Q1", buf, sizeof buf), JQL_ELIMIT);
    ck_assert_int_eq(jql_period_next(ds, "2014-Q1", NULL, 0), JQL_ELIMIT);
    jql_dataset_free(ds);
}
END_TEST


/* The dates of the next period: a following period's, else as many days
   again (what jql-report's "next period" programme covers). */
static void range_is(const jql_dataset *ds, const char *id, const char *want_id, jql_date s,
                     jql_date e)
{
    char buf[JQL_MAX_ID_BYTES + 1] = "x";
    jql_date start = 0, end = 0;
    ck_assert_msg(jql_period_next_range(ds, id, buf, sizeof buf, &start, &end) == JQL_OK, "%s: %s",
                  id, jql_last_error());
    ck_assert_str_eq(buf, want_id);
    ck_assert_int_eq(start, s);
    ck_assert_int_eq(end, e);
}

START_TEST(next_range)
{
    range_is(NULL, "2014-Q4", "2015-Q1", D(2015, 1, 1), D(2015, 3, 31));
    range_is(NULL, "2014-9M", "2014-Q4", D(2014, 10, 1), D(2014, 12, 31));
    range_is(NULL, "2014-H1", "2014-H2", D(2014, 7, 1), D(2014, 12, 31));
    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_period_add(ds, "M1", NULL, D(2014, 1, 1), D(2014, 1, 31), NULL), JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "M2", NULL, D(2014, 2, 1), D(2014, 2, 28), NULL), JQL_OK);
    /* a declared quarter with a cut-off range: 2014-Q2 does not start the day after */
    ck_assert_int_eq(jql_period_add(ds, "2014-Q1", NULL, D(2013, 12, 15), D(2014, 3, 14), NULL),
                     JQL_OK);
    range_is(ds, "M1", "M2", D(2014, 2, 1), D(2014, 2, 28));
    /* nothing follows M2: 28 days again */
    range_is(ds, "M2", "", D(2014, 3, 1), D(2014, 3, 28));
    range_is(ds, "2014-Q1", "", D(2014, 3, 15), D(2014, 3, 15) + (D(2014, 3, 14) - D(2013, 12, 15)));
    /* the id is optional; the dates are not */
    jql_date s = 0, e = 0;
    ck_assert_int_eq(jql_period_next_range(ds, "M1", NULL, 0, &s, &e), JQL_OK);
    ck_assert_int_eq(s, D(2014, 2, 1));
    ck_assert_int_eq(jql_period_next_range(ds, "M1", NULL, 0, NULL, &e), JQL_EINVALID);
    ck_assert_int_eq(jql_period_next_range(ds, "M1", NULL, 0, &s, NULL), JQL_EINVALID);
    char small[2] = "x";
    s = 7;
    ck_assert_int_eq(jql_period_next_range(ds, "M1", small, sizeof small, &s, &e), JQL_ELIMIT);
    ck_assert_str_eq(small, "");
    ck_assert_int_eq(s, 7);
    ck_assert_int_eq(jql_period_next_range(ds, "M9", NULL, 0, &s, &e), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next_range(ds, NULL, NULL, 0, &s, &e), JQL_ENOTFOUND);
    /* the limit: nothing after the last day of JQL_YEAR_MAX */
    ck_assert_int_eq(jql_period_next_range(NULL, "9999-Q4", NULL, 0, &s, &e), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_period_next_range(NULL, "9999-Q3", NULL, 0, &s, &e), JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "END", NULL, D(9999, 12, 1), D(9999, 12, 15), NULL), JQL_OK);
    range_is(ds, "END", "", D(9999, 12, 16), D(9999, 12, 30));
    ck_assert_int_eq(jql_period_add(ds, "END2", NULL, D(9999, 12, 2), D(9999, 12, 16), NULL), JQL_OK);
    range_is(ds, "END2", "", D(9999, 12, 17), D(9999, 12, 31)); /* ends on the last day */
    ck_assert_int_eq(jql_period_add(ds, "END3", NULL, D(9999, 12, 1), D(9999, 12, 16), NULL), JQL_OK);
    ck_assert_int_eq(jql_period_next_range(ds, "END3", NULL, 0, &s, &e), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

static void name_is(const jql_dataset *ds, const char *id, const char *lang, const char *want)
{
    char buf[128];
    ck_assert_msg(jql_period_display_name(ds, id, lang, buf, sizeof buf) == JQL_OK, "%s: %s", id,
                  jql_last_error());
    ck_assert_str_eq(buf, want);
}

START_TEST(display_names)
{
    name_is(NULL, "2014-Q1", "vi", "Quý I/2014");
    name_is(NULL, "2014-Q4", "vi", "Quý IV/2014");
    name_is(NULL, "2014-H1", "vi", "6 tháng đầu năm 2014");
    name_is(NULL, "2014-H2", "vi", "6 tháng cuối năm 2014");
    name_is(NULL, "2014-9M", "vi", "9 tháng năm 2014");
    name_is(NULL, "2014", "vi", "Năm 2014");
    name_is(NULL, "2014-Q3", "en", "Q3 2014");
    name_is(NULL, "2014-H1", "en", "First half of 2014");
    name_is(NULL, "2014-H2", "en", "Second half of 2014");
    name_is(NULL, "2014-9M", "en", "Nine months of 2014");
    name_is(NULL, "2014", "en", "Year 2014");
    name_is(NULL, "whatever", "vi", "whatever"); /* unknown: the id itself */

    jql_dataset *ds = jql_dataset_new();
    ck_assert_int_eq(jql_period_add(ds, "2014-Q1", "Quý I năm 2014 (15/12 – 14/3)",
                                    D(2013, 12, 15), D(2014, 3, 14), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "M1", "Tháng 1", D(2014, 1, 1), D(2014, 1, 31), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "M2", NULL, D(2014, 2, 1), D(2014, 2, 28), NULL), JQL_OK);
    name_is(ds, "2014-Q1", "vi", "Quý I năm 2014 (15/12 – 14/3)"); /* the declared name */
    name_is(ds, "2014-Q1", "en", "Q1 2014");
    name_is(ds, "M1", "vi", "Tháng 1");
    name_is(ds, "M1", "en", "Tháng 1");
    name_is(ds, "M2", "vi", "M2");
    name_is(ds, "2014-Q2", "vi", "Quý II/2014");

    char buf[8];
    ck_assert_int_eq(jql_period_display_name(ds, NULL, "vi", buf, sizeof buf), JQL_EINVALID);
    ck_assert_int_eq(jql_period_display_name(ds, "M1", "fr", buf, sizeof buf), JQL_EINVALID);
    ck_assert_int_eq(jql_period_display_name(ds, "M1", NULL, buf, sizeof buf), JQL_EINVALID);
    ck_assert_int_eq(jql_period_display_name(ds, "M1", "vi", NULL, 8), JQL_EINVALID);
    ck_assert_int_eq(jql_period_display_name(ds, "M1", "vi", NULL, 0), JQL_ELIMIT);
    ck_assert_int_eq(jql_period_display_name(NULL, "2014-H1", "vi", buf, sizeof buf), JQL_ELIMIT);
    char fit[10]; /* "Năm 2014": 9 bytes ('ă' takes 2) and the NUL */
    ck_assert_int_eq(jql_period_display_name(NULL, "2014", "vi", fit, sizeof fit), JQL_OK);
    ck_assert_str_eq(fit, "Năm 2014");
    ck_assert_int_eq(jql_period_display_name(NULL, "2014", "vi", fit, sizeof fit - 1), JQL_ELIMIT);
    jql_dataset_free(ds);
}
END_TEST

/* On the bundled data the Vietnamese name is the declared one. */
START_TEST(display_names_bundled)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    ck_assert_uint_gt(jql_period_count(ds), 0);
    for (size_t i = 0; i < jql_period_count(ds); i++) {
        ck_assert_ptr_nonnull(jql_period_name(ds, i));
        name_is(ds, jql_period_id(ds, i), "vi", jql_period_name(ds, i));
    }
    jql_dataset_free(ds);
}
END_TEST

/* An independent rounding: |a*b| / |c| rounded half up in magnitude, signed. */
static long long muldiv_ref(long long a, long long b, long long c)
{
    long long n = a * b, an = n < 0 ? -n : n, ac = c < 0 ? -c : c;
    long long q = (2 * an + ac) / (2 * ac);
    return (n < 0) != (c < 0) ? -q : q;
}

START_TEST(muldiv)
{
    jql_milli q = 0;
    ck_assert_int_eq(jql_milli_muldiv(17, 100000, 19, &q), JQL_OK);
    ck_assert_int_eq(q, 89474);
    ck_assert_int_eq(jql_milli_muldiv(-17, 100000, 19, &q), JQL_OK);
    ck_assert_int_eq(q, -89474);
    ck_assert_int_eq(jql_milli_muldiv(5, 1, -2, &q), JQL_OK);
    ck_assert_int_eq(q, -3); /* -2.5: away from zero */
    for (long long a = -60; a <= 60; a++)
        for (long long b = -7; b <= 7; b++)
            for (long long c = -9; c <= 9; c++) {
                if (c == 0)
                    continue;
                ck_assert_int_eq(jql_milli_muldiv(a, b, c, &q), JQL_OK);
                ck_assert_int_eq(q, muldiv_ref(a, b, c));
            }
    /* the product is held in 128 bits */
    ck_assert_int_eq(jql_milli_muldiv(INT64_MAX, INT64_MAX, INT64_MAX, &q), JQL_OK);
    ck_assert_int_eq(q, INT64_MAX);
    ck_assert_int_eq(jql_milli_muldiv(INT64_MAX, 3, 2, &q), JQL_ELIMIT);
    q = 7;
    ck_assert_int_eq(jql_milli_muldiv(1, 1, 0, &q), JQL_EINVALID);
    ck_assert_int_eq(q, 7);
    ck_assert_int_eq(jql_milli_muldiv(1, 1, 1, NULL), JQL_EINVALID);
}
END_TEST

static Suite *period_next_suite(void)
{
    Suite *s = suite_create("period_next");
    TCase *tc = tcase_create("period_next");
    tcase_add_test(tc, next_of_standard_ids);
    tcase_add_test(tc, next_then_previous);
    tcase_add_test(tc, next_of_declared_periods);
    tcase_add_test(tc, next_range);
    tcase_add_test(tc, display_names);
    tcase_add_test(tc, display_names_bundled);
    tcase_add_test(tc, muldiv);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return test_run_suite(period_next_suite());
}
