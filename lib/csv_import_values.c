/*
 * Cell values of CSV files: exact decimals read digit by digit (never
 * through binary floating point), dates in the ISO and the Vietnamese
 * (day/month/year) way, and yes/no answers in English or Vietnamese.
 */
#include <string.h>

#include "csv_import.h"

char *jql_csv_trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t k = 0;
    while (s[k] == ' ' || s[k] == '\t')
        k++;
    if (k)
        memmove(s, s + k, n - k + 1);
    return s;
}

int jql_csv_parse_decimal(const char *s, char mark, jql_milli *out)
{
    bool neg = false;
    const char *p = s;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    if (!(*p >= '0' && *p <= '9') && !(*p == mark && p[1] >= '0' && p[1] <= '9'))
        return JQL_EINVALID;
    jql_milli whole = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (whole > JQL_MILLI_MAX / 10)
            return JQL_ELIMIT;
        whole = whole * 10 + (*p - '0');
    }
    jql_milli frac = 0;
    if (*p == mark) {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return JQL_EINVALID;
        int place = 0;
        for (; *p >= '0' && *p <= '9'; p++, place++) {
            if (place < 3)
                frac = frac * 10 + (*p - '0');
            else if (*p != '0')
                return JQL_ERROR; /* more than three decimals */
        }
        for (; place < 3; place++) /* "5" after the mark is 500 thousandths */
            frac *= 10;
    }
    if (*p != '\0')
        return JQL_EINVALID;
    if (whole > JQL_MILLI_MAX / 1000 || whole * 1000 + frac > JQL_MILLI_MAX)
        return JQL_ELIMIT;
    jql_milli v = whole * 1000 + frac;
    *out = neg ? -v : v;
    return JQL_OK;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int jql_csv_parse_date(const char *s, jql_date *out)
{
    if (jql_date_parse(s, out) == JQL_OK)
        return JQL_OK;
    /* D/M/YYYY or DD/MM/YYYY */
    const char *a = strchr(s, '/');
    const char *b = a ? strchr(a + 1, '/') : NULL;
    if (!a || !b)
        return JQL_EINVALID;
    size_t nd = (size_t)(a - s), nm = (size_t)(b - a - 1), ny = strlen(b + 1);
    if (nd < 1 || nd > 2 || nm < 1 || nm > 2 || ny != 4 || !digits(s, nd) ||
        !digits(a + 1, nm) || !digits(b + 1, ny))
        return JQL_EINVALID;
    int d = 0, m = 0, y = 0;
    for (size_t i = 0; i < nd; i++)
        d = d * 10 + (s[i] - '0');
    for (size_t i = 0; i < nm; i++)
        m = m * 10 + (a[1 + i] - '0');
    for (size_t i = 0; i < ny; i++)
        y = y * 10 + (b[1 + i] - '0');
    return jql_date_from_ymd(y, m, d, out);
}

int jql_csv_parse_bool(const char *s, bool *out)
{
    static const char *yes[] = {"true", "yes", "1", "x", "co", "dung", "y"};
    static const char *no[] = {"false", "no", "0", "", "khong", "sai", "n"};
    char *f = jql_csv_fold(s);
    if (!f)
        return JQL_EINVALID;
    int rc = JQL_EINVALID;
    for (size_t i = 0; i < sizeof yes / sizeof yes[0] && rc != JQL_OK; i++) {
        if (strcmp(f, yes[i]) == 0) {
            *out = true;
            rc = JQL_OK;
        } else if (strcmp(f, no[i]) == 0) {
            *out = false;
            rc = JQL_OK;
        }
    }
    jql_free(f);
    return rc;
}
