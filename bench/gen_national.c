/*
 * Generator of the national shape (see gen_national.h). Written straight to
 * a stream, record by record, so a 100,000-commune file never sits in memory
 * as a dataset before it is measured.
 */
#include "gen_national.h"

#include <stdlib.h>
#include <string.h>

#define INDICATORS 8
#define TASKS_PER_QUARTER 10
#define YEAR 2025 /* the scored year; a history adds the years before it */
#define MANUAL_LEAVES 8

static const char *const fields[] = {"ho-tich", "pbgdpl", "hoa-giai", "chung-thuc"};

/* splitmix64: small, seedable, the same everywhere */
typedef struct {
    unsigned long long s;
} rng_t;

static unsigned rnd(rng_t *r, unsigned mod)
{
    unsigned long long z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (unsigned)(z % mod);
}

static void put_date(FILE *f, jql_date d)
{
    char buf[11];
    jql_date_format(d, buf);
    fprintf(f, "\"%s\"", buf);
}

static jql_date day(int y, int m, int d)
{
    jql_date out = 0;
    return jql_date_from_ymd(y, m, d, &out) == JQL_OK ? out : JQL_NO_DATE;
}

/* thousandths as a JSON number */
static void put_milli(FILE *f, long long v)
{
    if (v % 1000 == 0)
        fprintf(f, "%lld", v / 1000);
    else
        fprintf(f, "%lld.%03lld", v / 1000, v % 1000);
}

/* Communes of province p are [first(p), first(p+1)). */
static unsigned first_commune(unsigned n, unsigned p)
{
    return (unsigned)((unsigned long long)n * p / GEN_PROVINCES);
}

static unsigned province_of(unsigned n, unsigned c)
{
    unsigned p = (unsigned)((unsigned long long)c * GEN_PROVINCES / n);
    while (p + 1 < GEN_PROVINCES && first_commune(n, p + 1) <= c)
        p++;
    while (p > 0 && first_commune(n, p) > c)
        p--;
    return p;
}

static void sep(FILE *f, int *first)
{
    fputs(*first ? "\n    " : ",\n    ", f);
    *first = 0;
}

static void gen_units(FILE *f, unsigned n)
{
    int first = 1;
    fputs("  \"units\": [", f);
    for (unsigned p = 0; p < GEN_PROVINCES; p++) {
        sep(f, &first);
        fprintf(f, "{\"id\": \"p%02u\", \"name\": \"Sở Tư pháp tỉnh %u\", \"level\": \"province\"}",
                p, p);
    }
    for (unsigned c = 0; c < n; c++) {
        unsigned p = province_of(n, c);
        sep(f, &first);
        fprintf(f,
                "{\"id\": \"c%06u\", \"name\": \"UBND xã số %u\", \"level\": \"commune\", "
                "\"parent\": \"p%02u\", \"cluster\": \"p%02u\"}",
                c, c, p, p);
    }
    fputs("\n  ],\n", f);
}

static void gen_indicators(FILE *f)
{
    static const char *const agg[INDICATORS] = {"", "", "", "", "", "", "last", "mean"};
    fputs("  \"indicators\": [", f);
    for (int i = 0; i < INDICATORS; i++) {
        fprintf(f, "%s{\"id\": \"ind%d\", \"name\": \"Chỉ tiêu %d\", \"unit\": \"việc\", \"field\": \"%s\"",
                i ? ",\n    " : "\n    ", i, i, fields[i % 4]);
        if (*agg[i])
            fprintf(f, ", \"aggregation\": \"%s\"", agg[i]);
        fputs("}", f);
    }
    fputs("\n  ],\n", f);
}

static void gen_statistics(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    fputs("  \"statistics\": [", f);
    for (unsigned c = 0; c < n; c++)
        for (int y = first_year; y <= YEAR; y++)
            for (int q = 1; q <= 4; q++) {
                for (int i = 0; i < INDICATORS; i++) {
                    sep(f, &first);
                    fprintf(f, "{\"unit\": \"c%06u\", \"indicator\": \"ind%d\", \"period\": \"%d-Q%d\", \"value\": ",
                            c, i, y, q);
                    put_milli(f, (long long)rnd(r, 500) * 1000 + (i == 7 ? rnd(r, 2) * 500 : 0));
                    fputs("}", f);
                }
                if (y > first_year)
                    continue;
                /* the year before's quarters of the three indicators whose change is scored */
                for (int i = 3; i <= 5; i++) {
                    sep(f, &first);
                    fprintf(f, "{\"unit\": \"c%06u\", \"indicator\": \"ind%d\", \"period\": \"%d-Q%d\", \"value\": %u}",
                            c, i, y - 1, q, rnd(r, 40) ? 1 + rnd(r, 499) : 0);
                }
            }
    fputs("\n  ],\n", f);
}

static void gen_reports(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    fputs("  \"reports\": [", f);
    for (unsigned c = 0; c < n; c++)
        for (int y = first_year; y <= YEAR; y++)
            for (int q = 1; q <= 4; q++) {
                jql_date due = q == 4 ? day(y + 1, 1, 15) : day(y, q * 3 + 1, 15);
                unsigned k = rnd(r, 100);
                sep(f, &first);
                fprintf(f, "{\"unit\": \"c%06u\", \"period\": \"%d-Q%d\", \"kind\": \"statistics\", \"due\": ",
                        c, y, q);
                put_date(f, due);
                fputs(", \"submitted\": ", f);
                if (k < 5)
                    fputs("null", f); /* never submitted */
                else
                    put_date(f, k < 75 ? due - (jql_date)rnd(r, 10) : due + 1 + (jql_date)rnd(r, 20));
                fprintf(f, ", \"complete\": %s}", k >= 5 && rnd(r, 20) == 0 ? "false" : "true");
            }
    fputs("\n  ],\n", f);
}

/* An id's suffix for a year of history ("" for the scored year: its ids
   are those of a one-year dataset). */
static const char *year_tag(int y, char *buf)
{
    buf[0] = 0;
    if (y != YEAR)
        sprintf(buf, "-y%d", y);
    return buf;
}

static void gen_tasks(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    char tag[16];
    fputs("  \"tasks\": [", f);
    for (unsigned c = 0; c < n; c++) {
        unsigned p = province_of(n, c);
        for (int y = first_year; y <= YEAR; y++)
            for (int q = 1; q <= 4; q++)
                for (int t = 0; t < TASKS_PER_QUARTER; t++) {
                    sep(f, &first);
                    fprintf(f, "{\"id\": \"t%06u-%d-%d%s\", \"title\": \"Nhiệm vụ %d\", \"field\": \"%s\", \"units\": [\"c%06u\"",
                            c, q, t, year_tag(y, tag), t, fields[rnd(r, 4)], c);
                    /* a few shared with the neighbouring commune of the same province */
                    if (rnd(r, 20) == 0 && c + 1 < n && province_of(n, c + 1) == p)
                        fprintf(f, ", \"c%06u\"", c + 1);
                    fprintf(f, "], \"period\": \"%d-Q%d\", \"due\": ", y, q);
                    /* some Q4 tasks fall due in January of the next year */
                    jql_date due = q == 4 && rnd(r, 10) == 0
                                       ? day(y + 1, 1, 1 + (int)rnd(r, 28))
                                       : day(y, (q - 1) * 3 + 1 + (int)rnd(r, 3), 1 + (int)rnd(r, 28));
                    put_date(f, due);
                    unsigned k = rnd(r, 100);
                    if (k < 75) {
                        fputs(", \"status\": \"done\", \"completed\": ", f);
                        put_date(f, k < 60 ? due - (jql_date)rnd(r, 20) : due + 1 + (jql_date)rnd(r, 15));
                        fputs("}", f);
                    } else {
                        fprintf(f, ", \"status\": \"%s\"}", k < 85 ? "in_progress" : "pending");
                    }
                }
    }
    fputs("\n  ],\n", f);
}

static void gen_directives(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    char tag[16];
    fputs("  \"directives\": [", f);
    for (int y = first_year; y <= YEAR; y++)
    for (int q = 1; q <= 4; q++) {
        for (unsigned p = 0; p < GEN_PROVINCES; p++) {
            unsigned lo = first_commune(n, p), hi = first_commune(n, p + 1);
            if (hi == lo)
                continue;
            /* one directive per commune and quarter, each to 1-5 communes:
               about three per commune and quarter */
            for (unsigned d = 0; d < hi - lo; d++) {
                unsigned k = 1 + rnd(r, 5), start = lo + rnd(r, hi - lo);
                sep(f, &first);
                fprintf(f, "{\"id\": \"d%d-%02u-%u%s\", \"issued\": ", q, p, d, year_tag(y, tag));
                put_date(f, day(y, (q - 1) * 3 + 1, 5));
                fprintf(f, ", \"issuer\": \"p%02u\", \"addressees\": {\"units\": [", p);
                for (unsigned j = 0; j < k && start + j < hi; j++)
                    fprintf(f, "%s\"c%06u\"", j ? ", " : "", start + j);
                fputs("]}, \"text\": \"Chỉ đạo\", \"due\": ", f);
                jql_date due = day(y, q * 3, 1 + (int)rnd(r, 28));
                put_date(f, due);
                if (rnd(r, 10) < 7) {
                    fputs(", \"status\": \"done\", \"completed\": ", f);
                    put_date(f, due - (jql_date)rnd(r, 30));
                    fputs("}", f);
                } else {
                    fputs(", \"status\": \"open\"}", f);
                }
            }
        }
        /* a few addressed to the level "commune" */
        for (int d = 0; d < 2; d++) {
            sep(f, &first);
            fprintf(f, "{\"id\": \"dl%d-%d%s\", \"issued\": ", q, d, year_tag(y, tag));
            put_date(f, day(y, (q - 1) * 3 + 1, 10));
            fprintf(f, ", \"issuer\": \"p%02u\", \"addressees\": {\"levels\": [\"commune\"]}, "
                       "\"text\": \"Chỉ đạo chung\", \"due\": ", rnd(r, GEN_PROVINCES));
            put_date(f, day(y, q * 3, 20));
            fputs(", \"status\": \"open\"}", f);
        }
    }
    fputs("\n  ],\n", f);
}

static void gen_assessments(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    fputs("  \"assessments\": [", f);
    for (unsigned c = 0; c < n; c++)
    for (int y = first_year; y <= YEAR; y++) {
        for (int m = 0; m < MANUAL_LEAVES; m++) {
            sep(f, &first);
            fprintf(f, "{\"unit\": \"c%06u\", \"period\": \"%d\", \"criterion\": \"m%d\", \"self\": ",
                    c, y, m);
            put_milli(f, (long long)rnd(r, 6) * 500);
            if (rnd(r, 10)) {
                fputs(", \"appraised\": ", f);
                put_milli(f, (long long)rnd(r, 6) * 500);
            }
            fputs("}", f);
        }
        if (rnd(r, 100) == 0) { /* a declared N/A section */
            sep(f, &first);
            fprintf(f, "{\"unit\": \"c%06u\", \"period\": \"%d\", \"criterion\": \"s8\", \"not_applicable\": true}",
                    c, y);
        }
    }
    fputs("\n  ],\n", f);
}

static void gen_events(FILE *f, unsigned n, int first_year, rng_t *r)
{
    int first = 1;
    fputs("  \"events\": [", f);
    for (unsigned c = 0; c < n; c++)
    for (int y = first_year; y <= YEAR; y++) {
        unsigned k = rnd(r, 4);
        for (unsigned e = 0; e < k; e++) {
            unsigned kind = rnd(r, 100);
            sep(f, &first);
            fprintf(f, "{\"unit\": \"c%06u\", \"date\": ", c);
            put_date(f, day(y, 1 + (int)rnd(r, 12), 1 + (int)rnd(r, 28)));
            if (kind < 2)
                fputs(", \"kind\": \"discipline\", \"text\": \"Kỷ luật cán bộ\"}", f);
            else if (kind < 40)
                fprintf(f, ", \"kind\": \"initiative\", \"text\": \"Sáng kiến\", \"points\": %u}",
                        1 + rnd(r, 3));
            else if (kind < 55)
                fprintf(f, ", \"kind\": \"complaint\", \"points\": %u}", 1 + rnd(r, 2));
            else
                fputs(", \"kind\": \"award\", \"text\": \"Khen thưởng\"}", f);
        }
    }
    fputs("\n  ]\n", f);
}

int gen_national_dataset_years(FILE *f, unsigned n, unsigned long long seed, unsigned years)
{
    rng_t r = {seed};
    if (n == 0)
        n = 1;
    int first_year = YEAR + 1 - (int)(years ? years : 1);
    fprintf(f, "{\n  \"format\": \"justice-quarterly/dataset 1.0\",\n"
               "  \"name\": \"national shape, %u communes, seed %llu", n, seed);
    if (first_year < YEAR)
        fprintf(f, ", %d-%d", first_year, YEAR);
    fputs("\",\n", f);
    gen_units(f, n);
    gen_indicators(f);
    gen_statistics(f, n, first_year, &r);
    gen_reports(f, n, first_year, &r);
    gen_tasks(f, n, first_year, &r);
    gen_directives(f, n, first_year, &r);
    gen_assessments(f, n, first_year, &r);
    gen_events(f, n, first_year, &r);
    fputs("}\n", f);
    return ferror(f) ? -1 : 0;
}

int gen_national_dataset(FILE *f, unsigned n, unsigned long long seed)
{
    return gen_national_dataset_years(f, n, seed, 1);
}

/* 8 sections of 5 leaves of 2.5 points: every measure kind and every method. */
static const char *const leaves[8][5] = {
    {"\"measure\": {\"kind\": \"report_days_late_worst\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_most\": 0, \"points\": 2.5}, {\"at_most\": 5, \"points\": 1.5}, {\"at_most\": 15, \"points\": 0.5}, {\"points\": 0}]}",
     "\"measure\": {\"kind\": \"report_days_late_latest\", \"report_kind\": \"statistics\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_most\": 0, \"points\": 2.5}, {\"below\": 10, \"points\": 1}]}",
     "\"measure\": {\"kind\": \"report_share_on_time\"}, \"method\": {\"type\": \"linear\", \"target\": 100}",
     "\"measure\": {\"kind\": \"report_missing\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 1.25}",
     "\"measure\": {\"kind\": \"report_incomplete\"}, \"method\": {\"type\": \"per_occurrence\", \"share\": 50}"},
    {"\"measure\": {\"kind\": \"task_share_completed\"}, \"method\": {\"type\": \"linear\", \"target\": 100}",
     "\"measure\": {\"kind\": \"task_overdue\"}, \"method\": {\"type\": \"per_occurrence\", \"share\": 10}",
     "\"measure\": {\"kind\": \"task_share_late\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_most\": 10, \"points\": 2.5}, {\"at_most\": 25, \"points\": 1.5}, {\"points\": 0}]}",
     "\"measure\": {\"kind\": \"task_share_completed\", \"field\": \"ho-tich\"}, \"method\": {\"type\": \"linear\", \"target\": 90}",
     "\"measure\": {\"kind\": \"task_share_completed\", \"field\": \"hoa-giai\"}, \"method\": {\"type\": \"boolean\", \"at_least\": 80}, \"missing\": \"full\""},
    {"\"measure\": {\"kind\": \"directive_share_completed\"}, \"method\": {\"type\": \"linear\", \"target\": 100}",
     "\"measure\": {\"kind\": \"directive_share_completed\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_least\": 90, \"points\": 2.5}, {\"at_least\": 60, \"points\": 1.5}, {\"points\": 0}]}",
     "\"measure\": {\"kind\": \"task_overdue\", \"field\": \"chung-thuc\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 0.5}",
     "M0", "M1"},
    {"\"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"ind0\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_least\": 1200, \"points\": 2.5}, {\"at_least\": 800, \"points\": 1.5}, {\"points\": 0.5}]}",
     "\"measure\": {\"kind\": \"indicator_ratio\", \"indicator\": \"ind1\", \"denominator\": \"ind2\"}, \"method\": {\"type\": \"linear\", \"target\": 100}",
     "\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"ind3\"}, \"method\": {\"type\": \"boolean\", \"at_least\": 0}",
     "\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"ind4\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_least\": 10, \"points\": 2.5}, {\"at_least\": 0, \"points\": 1.5}, {\"points\": 0}]}",
     "\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"ind5\"}, \"method\": {\"type\": \"linear\", \"target\": 20}"},
    {"\"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"ind6\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 0.005}",
     "\"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"ind7\"}, \"method\": {\"type\": \"boolean\", \"at_least\": 200}",
     "\"measure\": {\"kind\": \"indicator_ratio\", \"indicator\": \"ind2\", \"denominator\": \"ind0\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_most\": 100, \"points\": 2.5}, {\"points\": 1}]}",
     "\"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"ind5\"}, \"method\": {\"type\": \"linear\", \"target\": 1500}, \"missing\": \"full\"",
     "\"method\": {\"type\": \"custom\", \"function\": \"" GEN_CUSTOM_NAME "\"}"},
    {"\"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\"}, \"method\": {\"type\": \"boolean\"}",
     "\"measure\": {\"kind\": \"event_points\", \"event_kind\": \"initiative\"}, \"method\": {\"type\": \"linear\", \"target\": 3}",
     "\"measure\": {\"kind\": \"event_count\", \"event_kind\": \"complaint\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 1}",
     "M2", "M3"},
    {"M4", "M5", "M6", "M7",
     "\"not_applicable_if\": {\"levels\": [\"province\"]}, \"measure\": {\"kind\": \"report_share_on_time\", \"report_kind\": \"statistics\"}, "
     "\"method\": {\"type\": \"boolean\", \"at_least\": 75}"},
    {"\"measure\": {\"kind\": \"task_share_completed\", \"field\": \"pbgdpl\"}, \"method\": {\"type\": \"linear\", \"target\": 100}",
     "\"measure\": {\"kind\": \"task_share_late\", \"field\": \"ho-tich\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"below\": 20, \"points\": 2.5}, {\"points\": 0.5}]}",
     "\"measure\": {\"kind\": \"report_days_late_worst\", \"report_kind\": \"statistics\"}, \"method\": {\"type\": \"boolean\", \"at_most\": 0}",
     "\"measure\": {\"kind\": \"directive_share_completed\"}, \"method\": {\"type\": \"boolean\", \"at_least\": 50}",
     "\"measure\": {\"kind\": \"event_count\", \"event_kind\": \"initiative\"}, \"method\": {\"type\": \"bands\", \"bands\": "
     "[{\"at_least\": 2, \"points\": 2.5}, {\"at_least\": 1, \"points\": 1.5}, {\"points\": 0}]}"},
};

int gen_national_criteria(FILE *f)
{
    fputs("{\n  \"format\": \"justice-quarterly/criteria 1.0\",\n  \"id\": \"national\",\n"
          "  \"name\": \"Bảng chấm điểm thi đua cấp xã (national shape)\",\n  \"period\": \"2025\",\n"
          "  \"scale\": 100,\n  \"units\": {\"levels\": [\"commune\"]},\n  \"criteria\": [\n",
          f);
    for (int s = 0; s < 8; s++) {
        fprintf(f, "    {\"id\": \"s%d\", \"title\": \"Mục %d\", \"max\": 12.5, \"children\": [\n", s + 1,
                s + 1);
        for (int l = 0; l < 5; l++) {
            const char *body = leaves[s][l];
            if (body[0] == 'M')
                fprintf(f, "      {\"id\": \"m%c\", \"title\": \"Tự chấm %c\", \"max\": 2.5, "
                           "\"method\": {\"type\": \"manual\"}}",
                        body[1], body[1]);
            else
                fprintf(f, "      {\"id\": \"s%dl%d\", \"title\": \"Tiêu chí %d.%d\", \"max\": 2.5, %s}",
                        s + 1, l + 1, s + 1, l + 1, body);
            fputs(l < 4 ? ",\n" : "\n", f);
        }
        fprintf(f, "    ]}%s\n", s < 7 ? "," : "");
    }
    fputs("  ],\n"
          "  \"bonus\": {\"cap\": 3, \"items\": [\n"
          "    {\"id\": \"b-initiative\", \"title\": \"Sáng kiến\", \"max\": 3, \"source\": \"events\", \"event_kind\": \"initiative\"},\n"
          "    {\"id\": \"b-growth\", \"title\": \"Tăng trưởng\", \"max\": 1, \"source\": \"computed\", "
          "\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"ind3\"}, \"method\": {\"type\": \"boolean\", \"at_least\": 20}}\n"
          "  ]},\n"
          "  \"deductions\": [\n"
          "    {\"id\": \"d-complaint\", \"title\": \"Đơn thư có cơ sở\", \"max\": 2, \"source\": \"events\", \"event_kind\": \"complaint\"}\n"
          "  ],\n"
          "  \"tiers\": [\n"
          "    {\"id\": \"excellent\", \"name\": \"Hoàn thành xuất sắc\", \"min\": 90},\n"
          "    {\"id\": \"good\", \"name\": \"Hoàn thành tốt\", \"min\": 70},\n"
          "    {\"id\": \"completed\", \"name\": \"Hoàn thành\", \"min\": 50},\n"
          "    {\"id\": \"not-completed\", \"name\": \"Không hoàn thành\", \"min\": 0}\n"
          "  ],\n"
          "  \"vetoes\": [{\"id\": \"discipline\", \"reason\": \"Có cán bộ bị kỷ luật\", \"event_kind\": \"discipline\", \"cap\": \"completed\"}],\n"
          "  \"quotas\": [{\"tier\": \"excellent\", \"share\": 20, \"of\": [\"excellent\", \"good\"], \"minimum\": 1}],\n"
          "  \"tie_breakers\": [{\"by\": \"deductions\"}, {\"by\": \"node\", \"node\": \"s1\"}]\n"
          "}\n",
          f);
    return ferror(f) ? -1 : 0;
}

int gen_national_custom(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    const char *id = jql_custom_unit_id(ctx);
    size_t len = id ? strlen(id) : 0;
    int digit = len && id[len - 1] >= '0' && id[len - 1] <= '9' ? id[len - 1] - '0' : 0;
    return jql_custom_set_points(ctx, (jql_milli)(digit % 3) * 500) == JQL_OK ? 0 : 1;
}

static char *to_text(int (*fn)(FILE *, unsigned, unsigned long long), unsigned n,
                     unsigned long long seed, size_t *len)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    if (!f)
        return NULL;
    int rc = fn(f, n, seed);
    if (fclose(f) != 0 || rc != 0) {
        free(buf);
        return NULL;
    }
    if (len)
        *len = size;
    return buf;
}

static int criteria_adapter(FILE *f, unsigned n, unsigned long long seed)
{
    (void)n, (void)seed;
    return gen_national_criteria(f);
}

char *gen_national_dataset_text(unsigned n, unsigned long long seed, size_t *len)
{
    return to_text(gen_national_dataset, n, seed, len);
}

char *gen_national_criteria_text(size_t *len)
{
    return to_text(criteria_adapter, 0, 0, len);
}
