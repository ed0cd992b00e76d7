/*
 * A long (unit, indicator) pair's index (issue 10): a value over a range
 * reads only the pair's records starting inside it, already in the order
 * they combine, and a range holding all of them is answered once. Values
 * and their records must stay those of the documented rule (docs/SCORING.md,
 * Statistics: exact period first, nested records skipped, as-of), which
 * plain_value() below applies to every record of the dataset; through the
 * public API, a year-before range and a range holding a whole long pair,
 * asked for many periods, must not read the pair whole each time.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "query.h"
#include "testutil.h"

#define OK(x) ck_assert_int_eq((x), JQL_OK)

/* ------------------------------------------------------------------ */
/* The rule, applied to every record                                   */
/* ------------------------------------------------------------------ */

typedef struct {
    jql_date start, end;
    size_t idx;
} rec;

static int by_start_widest(const void *a, const void *b)
{
    const rec *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Known after r's as-of date: the end of the period's cut-off, else its own. */
static bool unknown(const jql_dataset *ds, size_t i, jql_range r)
{
    jql_date cs, ce, known = ds->stats.items[i].range.end;
    if (jql_period_cutoff(ds, jql_stat_period(ds, i), &cs, &ce) == JQL_OK)
        known = ce;
    return r.has_as_of && known > r.as_of;
}

/* Statistic values of (u, ind) over r by the documented rule, every record
   of the dataset read: JQL_OK (*num / *den, the records used ascending in
   ev), JQL_ENOTFOUND. Sums here stay far below 64 bits. */
static int plain_value(const jql_dataset *ds, size_t u, size_t ind, jql_range r,
                       jql_aggregation agg, __int128 *num, __int128 *den, size_t *ev, size_t *nev)
{
    size_t n = 0;
    rec *c = malloc((ds->stats.len + 1) * sizeof *c);
    for (size_t i = 0; i < ds->stats.len; i++) {
        const jql_stat_rec *s = &ds->stats.items[i];
        if (s->unit != u || s->indicator != ind || s->range.start < r.start ||
            s->range.end > r.end || unknown(ds, i, r))
            continue;
        if (s->range.start == r.start && s->range.end == r.end) { /* exact period */
            free(c);
            *num = s->value, *den = 1, ev[0] = i, *nev = 1;
            return JQL_OK;
        }
        c[n++] = (rec){s->range.start, s->range.end, i};
    }
    qsort(c, n, sizeof *c, by_start_widest);
    __int128 sum = 0;
    size_t used = 0, last = 0;
    jql_milli mn = 0, mx = 0;
    jql_date reach = 0;
    for (size_t k = 0; k < n; k++) {
        if (used && c[k].end <= reach)
            continue; /* nested */
        reach = c[k].end;
        jql_milli v = ds->stats.items[c[k].idx].value;
        mn = !used || v < mn ? v : mn;
        mx = !used || v > mx ? v : mx;
        if (!used || c[k].end > c[last].end ||
            (c[k].end == c[last].end && c[k].start > c[last].start))
            last = k;
        sum += v;
        ev[used++] = c[k].idx;
    }
    if (used == 0) {
        free(c);
        return JQL_ENOTFOUND;
    }
    *nev = used;
    *den = 1;
    switch (agg) {
    case JQL_AGG_LAST: *num = ds->stats.items[c[last].idx].value, ev[0] = c[last].idx, *nev = 1; break;
    case JQL_AGG_MEAN: *num = sum, *den = (__int128)used; break;
    case JQL_AGG_MIN: *num = mn; break;
    case JQL_AGG_MAX: *num = mx; break;
    default: *num = sum;
    }
    free(c);
    qsort(ev, *nev, sizeof *ev, by_index);
    return JQL_OK;
}

/* jql_q_value_exact() of (u, ind) over r is plain_value()'s. */
static void check_value(const jql_dataset *ds, size_t u, size_t ind, jql_range r)
{
    jql_aggregation agg = ds->indicators.items[ind].agg;
    size_t *want = malloc((ds->stats.len + 1) * sizeof *want), nwant = 0;
    __int128 num = 0, den = 1;
    int want_rc = plain_value(ds, u, ind, r, agg, &num, &den, want, &nwant);
    jql_ratio got = {0, 1};
    jql_sizevec ev = {0};
    int rc = jql_q_value_exact(ds, u, ind, r, false, &got, &ev);
    ck_assert_msg(rc == want_rc, "range %d..%d as of %d: %d, not %d", r.start, r.end,
                  r.has_as_of ? r.as_of : 0, rc, want_rc);
    if (rc == JQL_OK) {
        ck_assert_msg(got.num * den == num * got.den, "range %d..%d: another value", r.start,
                      r.end);
        ck_assert_uint_eq(ev.len, nwant);
        for (size_t k = 0; k < nwant; k++)
            ck_assert_uint_eq(ev.items[k], want[k]);
    }
    for (int t = 0; t < 2; t++) { /* without evidence, asked again: the same */
        jql_ratio again = {0, 1};
        ck_assert_int_eq(jql_q_value_exact(ds, u, ind, r, false, &again, NULL), want_rc);
        if (want_rc == JQL_OK)
            ck_assert(again.num * den == num * again.den);
    }
    jql_sizevec_free(&ev);
    free(want);
}

/* One unit, one indicator of each aggregation, each with a pair of n
   records of random dates in 120 days from `base` (0 to 20 days long, so
   many overlap and nest) and random values; some periods have a cut-off
   ending up to 10 days either side of their end. Periods are named by
   their dates (one id per dates, as the dataset requires). */
static const jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_MEAN, JQL_AGG_MIN, JQL_AGG_MAX,
                                       JQL_AGG_LAST};
enum { NAGG = sizeof aggs / sizeof aggs[0] };

static void add_record(jql_dataset *ds, const char *ind, jql_date a, jql_date b, jql_milli v)
{
    char id[48];
    size_t p;
    snprintf(id, sizeof id, "p%d-%d", a, b);
    if (jql_period_find(ds, id, &p) != JQL_OK) {
        OK(jql_period_add(ds, id, NULL, a, b, &p));
        if (test_rnd(4) == 0)
            OK(jql_period_set_cutoff(ds, p, a - 20, b - 10 + (jql_date)test_rnd(21)));
    }
    OK(jql_stat_set_value(ds, "U", ind, id, v));
}

static jql_dataset *random_pairs(jql_date base, size_t n)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "U", "U", "district", NULL, NULL));
    for (size_t a = 0; a < NAGG; a++) {
        char ind[8];
        snprintf(ind, sizeof ind, "i%zu", a);
        OK(jql_indicator_add(ds, ind, ind, NULL, aggs[a], NULL));
        for (size_t k = 0; k < n; k++) {
            jql_date s = base + (jql_date)test_rnd(120);
            add_record(ds, ind, s, s + (jql_date)test_rnd(21), (jql_milli)test_rnd(50) * 1000);
        }
    }
    return ds;
}

/* A random range around the records: often holding them all, often one
   record's own dates, sometimes with an as-of date. */
static jql_range random_range(const jql_dataset *ds, jql_date base)
{
    jql_range r = {.kind = JQL_PERIOD_CUSTOM};
    switch (test_rnd(4)) {
    case 0: /* all of them, or nearly */
        r.start = base - (jql_date)test_rnd(3);
        r.end = base + 140 - (jql_date)test_rnd(3);
        break;
    case 1: { /* a record's own dates */
        const jql_stat_rec *s = &ds->stats.items[test_rnd((unsigned)ds->stats.len)];
        r.start = s->range.start;
        r.end = s->range.end;
        break;
    }
    default:
        r.start = base - 5 + (jql_date)test_rnd(130);
        r.end = r.start + (jql_date)test_rnd(60);
    }
    if (test_rnd(3) == 0) {
        r.has_as_of = true;
        r.as_of = base + (jql_date)test_rnd(150);
    }
    return r;
}

static void check_random_ranges(const jql_dataset *ds, jql_date base, size_t count)
{
    for (size_t q = 0; q < count; q++) {
        jql_range r = random_range(ds, base);
        for (size_t a = 0; a < NAGG; a++)
            check_value(ds, 0, a, r);
    }
}

/* Pairs of 17 (just over the short-list path) to 300 records, asked
   random ranges; then grown by a record and a changed value (the index
   and its whole-pair answer rebuilt) and asked again. */
START_TEST(values_as_the_rule_says)
{
    static const size_t sizes[] = {17, 18, 40, 120, 300};
    jql_date base = test_date(2014, 1, 1);
    for (size_t t = 0; t < sizeof sizes / sizeof sizes[0]; t++) {
        jql_dataset *ds = random_pairs(base, sizes[t]);
        check_random_ranges(ds, base, 300);
        for (size_t a = 0; a < NAGG; a++) {
            char ind[8];
            snprintf(ind, sizeof ind, "i%zu", a);
            add_record(ds, ind, base - 1, base + 150, 7000); /* holds every other one */
            check_value(ds, 0, a, (jql_range){.start = base - 1, .end = base + 150});
            check_value(ds, 0, a, (jql_range){.start = base - 2, .end = base + 151});
        }
        check_random_ranges(ds, base, 100);
        for (size_t k = 0; k < ds->stats.len; k += 3) /* every third value changed */
            OK(jql_stat_set_value(ds, "U", jql_indicator_id(ds, ds->stats.items[k].indicator),
                                  jql_stat_period(ds, k), (jql_milli)test_rnd(50) * 1000 + 1));
        check_random_ranges(ds, base, 100);
        jql_dataset_free(ds);
    }
}
END_TEST

/* The same range asked again after the pair changed (a value, then a new
   record inside it): the answer is the new one, not the last remembered. */
START_TEST(asked_again_after_a_change)
{
    jql_date base = test_date(2014, 1, 1);
    jql_dataset *ds = random_pairs(base, 60);
    jql_range r = {.start = base + 10, .end = base + 80};
    OK(jql_period_add(ds, "asked", NULL, r.start, r.end, NULL));
    for (size_t a = 0; a < NAGG; a++) {
        char ind[8];
        snprintf(ind, sizeof ind, "i%zu", a);
        for (int round = 0; round < 3; round++) {
            for (int t = 0; t < 4; t++) /* past the index's threshold, then remembered */
                check_value(ds, 0, a, r);
            jql_milli v;
            int rc = jql_indicator_value(ds, "U", ind, "asked", 0, &v);
            ck_assert(rc == JQL_OK || rc == JQL_ENODATA);
            if (round == 0) { /* every value inside r changed */
                for (size_t k = 0; k < ds->stats.len; k++)
                    if (ds->stats.items[k].indicator == a &&
                        jql_range_within(ds->stats.items[k].range, r))
                        OK(jql_stat_set_value(ds, "U", ind, jql_stat_period(ds, k),
                                              ds->stats.items[k].value + 3000));
            } else if (round == 1) {
                add_record(ds, ind, r.start + 1, r.end - 1, 9000); /* holds most of r */
            }
        }
    }
    jql_dataset_free(ds);
}
END_TEST

/* Threads reading one dataset race to build a pair's index: each gets the
   values a single reader gets (the TSan phase of tests/run.sh runs this). */
typedef struct {
    const jql_dataset *ds;
    jql_range ranges[64];
    jql_ratio got[64][NAGG];
    int rc[64][NAGG];
} race;

static void *read_all(void *arg)
{
    race *x = arg;
    for (size_t q = 0; q < 64; q++)
        for (size_t a = 0; a < NAGG; a++)
            x->rc[q][a] = jql_q_value_exact(x->ds, 0, a, x->ranges[q], false, &x->got[q][a], NULL);
    return NULL;
}

START_TEST(threads_build_one_index)
{
    jql_date base = test_date(2014, 1, 1);
    jql_dataset *ds = random_pairs(base, 200);
    static race runs[4];
    pthread_t th[4];
    for (size_t t = 0; t < 4; t++) {
        runs[t].ds = ds;
        test_rnd_seed(12345); /* the same ranges in each */
        for (size_t q = 0; q < 64; q++)
            runs[t].ranges[q] = random_range(ds, base);
        ck_assert_int_eq(pthread_create(&th[t], NULL, read_all, &runs[t]), 0);
    }
    for (size_t t = 0; t < 4; t++)
        ck_assert_int_eq(pthread_join(th[t], NULL), 0);
    for (size_t q = 0; q < 64; q++) {
        for (size_t a = 0; a < NAGG; a++) {
            check_value(ds, 0, a, runs[0].ranges[q]);
            for (size_t t = 1; t < 4; t++) {
                ck_assert_int_eq(runs[t].rc[q][a], runs[0].rc[q][a]);
                ck_assert(runs[t].got[q][a].num == runs[0].got[q][a].num &&
                          runs[t].got[q][a].den == runs[0].got[q][a].den);
            }
        }
    }
    jql_dataset_free(ds);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Through the public API: long pairs asked many times                 */
/* ------------------------------------------------------------------ */

enum { DAYS = 80000 };

static jql_milli v3(jql_date d) { return (jql_milli)(d % 11) * 1000; }

static void add_days(jql_dataset *ds, const char *prefix, jql_date d, jql_date len, jql_milli v)
{
    char id[32];
    snprintf(id, sizeof id, "%s%d", prefix, d);
    OK(jql_period_add(ds, id, NULL, d, d + len, NULL));
    OK(jql_stat_set_value(ds, "U", "cases", id, v));
}

/* One pair, from each of DAYS days a one-day and a three-day record, and
   a fortnight every 14 days, each fortnight asked its change against the
   year before (what statistics_dataframe asks for each statistic). A year
   before a fortnight is never a fortnight (365 and 366 are not multiples
   of 14): it holds three-day records end to end, and one-day records
   nested in them. The pair read whole for each year-before range: 5,700 x
   166,000 records, past the test's time limit. */
START_TEST(year_before_of_a_long_pair)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "U", "U", "district", NULL, NULL));
    OK(jql_indicator_add(ds, "cases", "Cases", NULL, JQL_AGG_SUM, NULL));
    jql_date first = test_date(2001, 1, 1);
    for (jql_date d = first; d < first + DAYS; d++) {
        add_days(ds, "o", d, 0, 100000);
        add_days(ds, "t", d, 2, v3(d));
        if ((d - first) % 14 == 0)
            add_days(ds, "f", d, 13, 500);
    }
    size_t asked = 0;
    for (jql_date d = first + 28 * 14; d + 13 < first + DAYS; d += 14, asked++) {
        char id[32];
        snprintf(id, sizeof id, "f%d", d);
        jql_milli cur, prev, delta, pct, want = 0;
        jql_date a = jql_date_add_years(d, -1), b = jql_date_add_years(d + 13, -1);
        for (jql_date s = a; s + 2 <= b; s++)
            want += v3(s); /* the three-day records inside */
        OK(jql_indicator_value_change(ds, "U", "cases", id, 0, &cur, &prev, &delta, &pct));
        ck_assert_int_eq(cur, 500);
        ck_assert_int_eq(prev, want);
        ck_assert_int_eq(delta, 500 - want);
    }
    ck_assert_uint_gt(asked, 5600);
    jql_dataset_free(ds);
}
END_TEST

/* One pair of 5,000 overlapping records in 2014 (from each day, 1 to 14
   days long, within the year), asked for 2014 50,000 times, as a custom
   function asks jql_indicator_value for the period scored, per unit and
   leaf. The records used: each day's fortnight up to 18 December, whose
   fortnight ends on the 31st; the rest nest. Collected and sorted for each
   question: 50,000 sorts of 5,000, past the test's time limit. */
START_TEST(a_year_holding_a_long_pair)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "U", "U", "district", NULL, NULL));
    OK(jql_indicator_add(ds, "cases", "Cases", NULL, JQL_AGG_SUM, NULL));
    OK(jql_indicator_add(ds, "latest", "Latest", NULL, JQL_AGG_LAST, NULL));
    jql_date jan1 = test_date(2014, 1, 1), dec31 = test_date(2014, 12, 31);
    char id[32];
    jql_milli want = 0;
    for (jql_date s = jan1; s <= dec31; s++)
        for (jql_date len = 0; len < 14 && s + len <= dec31; len++) {
            snprintf(id, sizeof id, "p%d-%d", s, len);
            OK(jql_period_add(ds, id, NULL, s, s + len, NULL));
            jql_milli v = (jql_milli)((s * 14 + len) % 1000) * 1000;
            OK(jql_stat_set_value(ds, "U", "cases", id, v));
            OK(jql_stat_set_value(ds, "U", "latest", id, v));
            if (len == 13)
                want += v;
        }
    jql_milli last = (jql_milli)(((dec31 - 13) * 14 + 13) % 1000) * 1000;
    for (size_t q = 0; q < 50000; q++) {
        jql_milli v;
        OK(jql_indicator_value(ds, "U", "cases", "2014", 0, &v));
        ck_assert_int_eq(v, want);
        OK(jql_indicator_value(ds, "U", "latest", "2014", 0, &v));
        ck_assert_int_eq(v, last);
    }
    /* one more record, the whole of December: the index is rebuilt */
    OK(jql_period_add(ds, "dec", NULL, test_date(2014, 12, 1), dec31, NULL));
    OK(jql_stat_set_value(ds, "U", "cases", "dec", 1000));
    jql_milli v;
    OK(jql_indicator_value(ds, "U", "cases", "2014", 0, &v));
    jql_milli dec = 0; /* December's fortnights, from the 1st to the 18th */
    for (jql_date s = test_date(2014, 12, 1); s + 13 <= dec31; s++)
        dec += (jql_milli)((s * 14 + 13) % 1000) * 1000;
    ck_assert_int_eq(v, want - dec + 1000);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pair_index");
    TCase *tc = tcase_create("pair_index");
    tcase_add_test(tc, values_as_the_rule_says);
    tcase_add_test(tc, asked_again_after_a_change);
    tcase_add_test(tc, threads_build_one_index);
    tcase_add_test(tc, year_before_of_a_long_pair);
    tcase_add_test(tc, a_year_holding_a_long_pair);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
