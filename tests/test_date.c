/* Calendar dates. */
#include "testutil.h"

static jql_date D(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

START_TEST(epoch_and_known_days)
{
    ck_assert_int_eq(D(1970, 1, 1), 0);
    ck_assert_int_eq(D(1970, 1, 2), 1);
    ck_assert_int_eq(D(1969, 12, 31), -1);
    ck_assert_int_eq(D(2000, 3, 1), 11017);
    ck_assert_int_eq(D(2014, 1, 1), 16071);
    ck_assert_int_eq(D(1900, 1, 1), -25567);
}
END_TEST

START_TEST(leap_years)
{
    jql_date d;
    ck_assert_int_eq(jql_date_from_ymd(2012, 2, 29, &d), JQL_OK);
    ck_assert_int_eq(jql_date_from_ymd(2000, 2, 29, &d), JQL_OK); /* divisible by 400 */
    ck_assert_int_eq(jql_date_from_ymd(1900, 2, 29, &d), JQL_EINVALID); /* by 100 only */
    ck_assert_int_eq(jql_date_from_ymd(2014, 2, 29, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(2014, 2, 30, &d), JQL_EINVALID);
    ck_assert_int_eq(D(2012, 3, 1) - D(2012, 2, 28), 2);
    ck_assert_int_eq(D(2014, 3, 1) - D(2014, 2, 28), 1);
    ck_assert_int_eq(D(2013, 1, 1) - D(2012, 1, 1), 366);
}
END_TEST

START_TEST(invalid_fields)
{
    jql_date d = 42;
    ck_assert_int_eq(jql_date_from_ymd(2014, 0, 1, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(2014, 13, 1, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(2014, 4, 31, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(2014, 1, 0, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(1899, 12, 31, &d), JQL_EINVALID);
    ck_assert_int_eq(jql_date_from_ymd(10000, 1, 1, &d), JQL_EINVALID);
    ck_assert_int_eq(d, 42);
    ck_assert_int_eq(jql_date_from_ymd(9999, 12, 31, &d), JQL_OK);
}
END_TEST

START_TEST(to_ymd_roundtrip)
{
    int y, m, dd;
    jql_date_to_ymd(D(2012, 2, 29), &y, &m, &dd);
    ck_assert_int_eq(y, 2012);
    ck_assert_int_eq(m, 2);
    ck_assert_int_eq(dd, 29);
    jql_date_to_ymd(D(1900, 1, 1), &y, NULL, NULL);
    ck_assert_int_eq(y, 1900);
    /* every day of a few years round-trips */
    for (jql_date d = D(1999, 12, 1); d <= D(2001, 3, 1); d++) {
        jql_date back;
        jql_date_to_ymd(d, &y, &m, &dd);
        ck_assert_int_eq(jql_date_from_ymd(y, m, dd, &back), JQL_OK);
        ck_assert_int_eq(back, d);
    }
}
END_TEST

START_TEST(parse_shapes)
{
    jql_date d;
    ck_assert_int_eq(jql_date_parse("2014-03-15", &d), JQL_OK);
    ck_assert_int_eq(d, D(2014, 3, 15));
    const char *bad[] = {"2014-3-15", "2014/03/15", "14-03-15", "2014-03-15 ", " 2014-03-15",
                         "2014-03-1x", "20140315", "", "2014-02-30", "1899-12-31",
                         "2014-13-01", "2014-00-10", "+014-03-15"};
    for (size_t k = 0; k < sizeof bad / sizeof *bad; k++)
        ck_assert_msg(jql_date_parse(bad[k], &d) == JQL_EINVALID, "accepted \"%s\"", bad[k]);
    ck_assert_int_eq(jql_date_parse(NULL, &d), JQL_EINVALID);
}
END_TEST

START_TEST(format_dates)
{
    char buf[11];
    jql_date_format(D(2014, 3, 5), buf);
    ck_assert_str_eq(buf, "2014-03-05");
    jql_date_format(D(1900, 1, 1), buf);
    ck_assert_str_eq(buf, "1900-01-01");
    jql_date_format(D(9999, 12, 31), buf);
    ck_assert_str_eq(buf, "9999-12-31");
}
END_TEST

START_TEST(add_years)
{
    ck_assert_int_eq(jql_date_add_years(D(2012, 2, 29), 1), D(2013, 2, 28));
    ck_assert_int_eq(jql_date_add_years(D(2012, 2, 29), -1), D(2011, 2, 28));
    ck_assert_int_eq(jql_date_add_years(D(2012, 2, 29), 4), D(2016, 2, 29));
    ck_assert_int_eq(jql_date_add_years(D(2014, 3, 31), -1), D(2013, 3, 31));
    ck_assert_int_eq(jql_date_add_years(D(2013, 12, 15), 1), D(2014, 12, 15));
}
END_TEST

START_TEST(range_years)
{
    jql_date a = D(1900, 1, 1), b = D(9999, 12, 31);
    int y;
    jql_date_to_ymd(b, &y, NULL, NULL);
    ck_assert_int_eq(y, 9999);
    ck_assert_int_gt(b, a);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("date");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, epoch_and_known_days);
    tcase_add_test(tc, leap_years);
    tcase_add_test(tc, invalid_fields);
    tcase_add_test(tc, to_ymd_roundtrip);
    tcase_add_test(tc, parse_shapes);
    tcase_add_test(tc, format_dates);
    tcase_add_test(tc, add_years);
    tcase_add_test(tc, range_years);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
