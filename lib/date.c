/* Calendar dates as day numbers (days since 1970-01-01, proleptic Gregorian). */
#include <string.h>

#include "util.h"

static bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Howard Hinnant's days_from_civil. */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int jql_date_from_ymd(int year, int month, int day, jql_date *out)
{
    if (year < JQL_YEAR_MIN || year > JQL_YEAR_MAX)
        return jql_fail(JQL_EINVALID, "year %d outside %d..%d", year, JQL_YEAR_MIN, JQL_YEAR_MAX);
    if (month < 1 || month > 12)
        return jql_fail(JQL_EINVALID, "month %d is not 1..12", month);
    if (day < 1 || day > days_in_month(year, month))
        return jql_fail(JQL_EINVALID, "%04d-%02d has no day %d", year, month, day);
    *out = days_from_civil(year, month, day);
    return JQL_OK;
}

void jql_date_to_ymd(jql_date date, int *year, int *month, int *day)
{
    /* 64 bits: any int32 day number, JQL_NO_DATE included, without overflow */
    int64_t z = (int64_t)date + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = (int)(z - era * 146097);
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)(yoe + era * 400);
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    int d = doy - (153 * mp + 2) / 5 + 1;
    int m = mp + (mp < 10 ? 3 : -9);
    if (year)
        *year = y + (m <= 2);
    if (month)
        *month = m;
    if (day)
        *day = d;
}

int jql_date_parse(const char *t, jql_date *out)
{
    if (!t || strlen(t) != 10 || t[4] != '-' || t[7] != '-')
        return jql_fail(JQL_EINVALID, "date \"%s\" is not of the form YYYY-MM-DD", t ? t : "");
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (t[i] < '0' || t[i] > '9'))
            return jql_fail(JQL_EINVALID, "date \"%s\" is not of the form YYYY-MM-DD", t);
    int y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    int m = (t[5] - '0') * 10 + (t[6] - '0');
    int d = (t[8] - '0') * 10 + (t[9] - '0');
    int rc = jql_date_from_ymd(y, m, d, out);
    if (rc)
        return jql_fail(rc, "date \"%s\" does not exist", t);
    return JQL_OK;
}

void jql_date_format(jql_date date, char buf[11])
{
    int y, m, d;
    jql_date_to_ymd(date, &y, &m, &d);
    unsigned uy = (unsigned)y % 10000u, um = (unsigned)m, ud = (unsigned)d;
    buf[0] = (char)('0' + uy / 1000);
    buf[1] = (char)('0' + uy / 100 % 10);
    buf[2] = (char)('0' + uy / 10 % 10);
    buf[3] = (char)('0' + uy % 10);
    buf[4] = '-';
    buf[5] = (char)('0' + um / 10);
    buf[6] = (char)('0' + um % 10);
    buf[7] = '-';
    buf[8] = (char)('0' + ud / 10);
    buf[9] = (char)('0' + ud % 10);
    buf[10] = '\0';
}

bool jql_date_in_range(jql_date d)
{
    /* 1900-01-01 and 9999-12-31 as day numbers */
    return d >= -25567 && d <= 2932896;
}

jql_date jql_date_add_years(jql_date date, int years)
{
    int y, m, d;
    jql_date_to_ymd(date, &y, &m, &d);
    y += years;
    if (m == 2 && d == 29 && !is_leap(y))
        d = 28;
    return days_from_civil(y, m, d);
}
