/*
 * Queries: statistics over periods and units, changes, reports, tasks,
 * directives, events, shortcomings, assessments. Every expected number is
 * worked out by hand in the comment next to it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "query.h"
#include "testutil.h"

/* The count of the last list query, and the query as one number: the
   count on success, else the status (after which the count must be 0). */
static size_t n_;
static long counted(int rc)
{
    if (rc != JQL_OK) {
        ck_assert_uint_eq(n_, 0);
        return rc;
    }
    return (long)n_;
}

static jql_date D(int y, int m, int d)
{
    jql_date out;
    ck_assert_int_eq(jql_date_from_ymd(y, m, d, &out), JQL_OK);
    return out;
}

static jql_range R(jql_date a, jql_date b)
{
    return (jql_range){.kind = JQL_PERIOD_CUSTOM, .start = a, .end = b};
}

static jql_range P(const jql_dataset *ds, const char *id)
{
    jql_range r;
    ck_assert_int_eq(jql_ds_resolve_period(ds, id, &r), JQL_OK);
    return r;
}

static size_t U(const jql_dataset *ds, const char *id)
{
    size_t u;
    ck_assert_int_eq(jql_unit_find(ds, id, &u), JQL_OK);
    return u;
}

static size_t IND(const jql_dataset *ds, const char *id)
{
    size_t i;
    ck_assert_int_eq(jql_indicator_find(ds, id, &i), JQL_OK);
    return i;
}

#define OK(x) ck_assert_int_eq((x), JQL_OK)

/* Hierarchy: P (province) > D1 > C1, C2; P > D2 > C3 (communes). */
static jql_dataset *tree(void)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "P", "Province", "province", NULL, NULL));
    OK(jql_unit_add(ds, "D1", "District 1", "district", "P", NULL));
    OK(jql_unit_add(ds, "C1", "Commune 1", "commune", "D1", NULL));
    OK(jql_unit_add(ds, "C2", "Commune 2", "commune", "D1", NULL));
    OK(jql_unit_add(ds, "D2", "District 2", "district", "P", NULL));
    OK(jql_unit_add(ds, "C3", "Commune 3", "commune", "D2", NULL));
    return ds;
}

static jql_milli val(const jql_dataset *ds, const char *u, const char *ind, const char *per,
                     unsigned flags)
{
    jql_milli v = -12345;
    int rc = jql_indicator_value(ds, u, ind, per, flags, &v);
    ck_assert_msg(rc == JQL_OK, "%s/%s/%s: %s", u, ind, per, jql_last_error());
    return v;
}

/* ------------------------------------------------------------------ */

START_TEST(units_preorder)
{
    jql_dataset *ds = tree();
    jql_sizevec v = {0};
    OK(jql_q_units(ds, U(ds, "P"), true, &v));
    const char *want[] = {"P", "D1", "C1", "C2", "D2", "C3"};
    ck_assert_uint_eq(v.len, 6);
    for (size_t k = 0; k < 6; k++)
        ck_assert_str_eq(jql_unit_id(ds, v.items[k]), want[k]);
    v.len = 0;
    OK(jql_q_units(ds, U(ds, "D2"), false, &v));
    ck_assert_uint_eq(v.len, 1);
    ck_assert_uint_eq(v.items[0], U(ds, "D2"));
    jql_sizevec_free(&v);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(exact_period_wins)
{
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "cases", "Cases", NULL, JQL_AGG_SUM, NULL));
    OK(jql_stat_set_value(ds, "C1", "cases", "2014", 100000));
    OK(jql_stat_set_value(ds, "C1", "cases", "2014-Q1", 10000));
    OK(jql_stat_set_value(ds, "C1", "cases", "2014-Q2", 20000));
    OK(jql_stat_set_value(ds, "C1", "cases", "2014-Q3", 30000));
    OK(jql_stat_set_value(ds, "C1", "cases", "2014-Q4", 45000));
    /* the 2014 record wins over Q1..Q4 (which would add to 105) */
    ck_assert_int_eq(val(ds, "C1", "cases", "2014", 0), 100000);
    /* a quarter alone is its record */
    ck_assert_int_eq(val(ds, "C1", "cases", "2014-Q4", 0), 45000);
    /* H1 has no record: Q1 + Q2 */
    ck_assert_int_eq(val(ds, "C1", "cases", "2014-H1", 0), 30000);
    /* 9M: Q1 + Q2 + Q3 */
    ck_assert_int_eq(val(ds, "C1", "cases", "2014-9M", 0), 60000);
    /* evidence of the exact match: just the 2014 record */
    jql_sizevec ev = {0};
    jql_milli v;
    OK(jql_q_value(ds, U(ds, "C1"), IND(ds, "cases"), P(ds, "2014"), false, &v, &ev));
    ck_assert_uint_eq(ev.len, 1);
    ck_assert_str_eq(jql_stat_period(ds, ev.items[0]), "2014");
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

/* Q1..Q4 = 2, 9, 1, 6 (thousandths) for every aggregation. */
START_TEST(year_from_quarters)
{
    jql_dataset *ds = tree();
    const char *ids[] = {"s", "l", "m", "mn", "mx"};
    jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_LAST, JQL_AGG_MEAN, JQL_AGG_MIN, JQL_AGG_MAX};
    const char *qs[] = {"2014-Q1", "2014-Q2", "2014-Q3", "2014-Q4"};
    jql_milli vs[] = {2, 9, 1, 6};
    for (int k = 0; k < 5; k++) {
        OK(jql_indicator_add(ds, ids[k], ids[k], NULL, aggs[k], NULL));
        /* inserted Q4 first so "last" cannot mean "last inserted" */
        for (int q = 3; q >= 0; q--)
            OK(jql_stat_set_value(ds, "C1", ids[k], qs[q], vs[q]));
    }
    ck_assert_int_eq(val(ds, "C1", "s", "2014", 0), 18);  /* 2+9+1+6 */
    ck_assert_int_eq(val(ds, "C1", "l", "2014", 0), 6);   /* Q4 */
    ck_assert_int_eq(val(ds, "C1", "m", "2014", 0), 5);   /* 18/4 = 4.5 -> 5 */
    ck_assert_int_eq(val(ds, "C1", "mn", "2014", 0), 1);
    ck_assert_int_eq(val(ds, "C1", "mx", "2014", 0), 9);
    ck_assert_int_eq(val(ds, "C1", "l", "2014-H1", 0), 9); /* Q2 */
    ck_assert_int_eq(val(ds, "C1", "m", "2014-9M", 0), 4); /* 12/3 */
    /* no data: another unit, another year */
    jql_milli v = 77;
    ck_assert_int_eq(jql_indicator_value(ds, "C2", "s", "2014", 0, &v), JQL_ENODATA);
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "s", "2015", 0, &v), JQL_ENODATA);
    ck_assert_int_eq(v, 77);
    /* evidence of "last": the Q4 record only; of "sum": all four, in insertion order */
    jql_sizevec ev = {0};
    OK(jql_q_value(ds, U(ds, "C1"), IND(ds, "l"), P(ds, "2014"), false, &v, &ev));
    ck_assert_uint_eq(ev.len, 1);
    ck_assert_str_eq(jql_stat_period(ds, ev.items[0]), "2014-Q4");
    ev.len = 0;
    OK(jql_q_value(ds, U(ds, "C1"), IND(ds, "s"), P(ds, "2014"), false, &v, &ev));
    ck_assert_uint_eq(ev.len, 4);
    for (size_t k = 1; k < 4; k++)
        ck_assert_uint_lt(ev.items[k - 1], ev.items[k]);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(mean_rounds_half_away)
{
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "m", "m", NULL, JQL_AGG_MEAN, NULL));
    OK(jql_stat_set_value(ds, "C1", "m", "2014-Q1", 1));
    OK(jql_stat_set_value(ds, "C1", "m", "2014-Q2", 2));
    ck_assert_int_eq(val(ds, "C1", "m", "2014", 0), 2); /* 1.5 -> 2 */
    OK(jql_stat_set_value(ds, "C1", "m", "2014-Q3", 2));
    ck_assert_int_eq(val(ds, "C1", "m", "2014", 0), 2); /* 5/3 = 1.67 -> 2 */
    OK(jql_stat_set_value(ds, "C1", "m", "2014-Q4", 0));
    ck_assert_int_eq(val(ds, "C1", "m", "2014", 0), 1); /* 5/4 = 1.25 -> 1 */
    jql_dataset_free(ds);
}
END_TEST

/* Q1 = 10, Q2 = 20, H1 = 35, Q3 = 5, Q4 = 7: the year uses H1, Q3, Q4. */
START_TEST(nested_not_double_counted)
{
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "s", "s", NULL, JQL_AGG_SUM, NULL));
    OK(jql_indicator_add(ds, "m", "m", NULL, JQL_AGG_MEAN, NULL));
    OK(jql_indicator_add(ds, "l", "l", NULL, JQL_AGG_LAST, NULL));
    const char *ids[] = {"s", "m", "l"};
    for (int k = 0; k < 3; k++) {
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014-Q1", 10000));
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014-H1", 35000));
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014-Q2", 20000));
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014-Q3", 5000));
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014-Q4", 7000));
    }
    ck_assert_int_eq(val(ds, "C2", "s", "2014", 0), 47000); /* 35+5+7, not 77 */
    ck_assert_int_eq(val(ds, "C2", "m", "2014", 0), 15667); /* 47/3 = 15.6667 */
    ck_assert_int_eq(val(ds, "C2", "l", "2014", 0), 7000);
    ck_assert_int_eq(val(ds, "C2", "s", "2014-H1", 0), 35000); /* exact */
    ck_assert_int_eq(val(ds, "C2", "s", "2014-9M", 0), 40000); /* H1 + Q3 */
    /* a 9M record on top: 9M and Q4 */
    OK(jql_stat_set_value(ds, "C2", "s", "2014-9M", 41000));
    ck_assert_int_eq(val(ds, "C2", "s", "2014", 0), 48000);
    jql_sizevec ev = {0};
    jql_milli v;
    OK(jql_q_value(ds, U(ds, "C2"), IND(ds, "s"), P(ds, "2014"), false, &v, &ev));
    ck_assert_int_eq(v, 48000);
    ck_assert_uint_eq(ev.len, 2);
    ck_assert_str_eq(jql_stat_period(ds, ev.items[0]), "2014-Q4");
    ck_assert_str_eq(jql_stat_period(ds, ev.items[1]), "2014-9M");
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

/* The value and its records do not depend on the order the records were
   written in (a unit's records in order are read in one pass, others are
   sorted): every order of Q1, Q2, Q4 (a gap) and, in some, the exact year
   or a nested H1, for every aggregation. */
START_TEST(record_order_does_not_matter)
{
    const char *per[] = {"2014-Q1", "2014-Q2", "2014-Q4", "2014-H1", "2014"};
    const jql_milli vals[] = {10000, 25000, 7000, 30000, 99000};
    const jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_MEAN, JQL_AGG_LAST, JQL_AGG_MIN,
                                    JQL_AGG_MAX};
    /* orders of the first three, then the extra record: first, last or none */
    const int orders[6][3] = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    for (int extra = 2; extra <= 4; extra++) {       /* 2: none, 3: H1, 4: year */
        for (int where = 0; where < (extra == 2 ? 1 : 2); where++) {
            for (int a = 0; a < 5; a++) {
                jql_milli want = 0;
                char want_periods[4][16] = {{0}}; /* copies: each dataset is freed */
                size_t want_n = 0;
                for (int o = 0; o < 6; o++) {
                    jql_dataset *ds = tree();
                    OK(jql_indicator_add(ds, "x", "x", NULL, aggs[a], NULL));
                    if (extra > 2 && where == 0)
                        OK(jql_stat_set_value(ds, "C1", "x", per[extra], vals[extra]));
                    for (int k = 0; k < 3; k++)
                        OK(jql_stat_set_value(ds, "C1", "x", per[orders[o][k]],
                                              vals[orders[o][k]]));
                    if (extra > 2 && where == 1)
                        OK(jql_stat_set_value(ds, "C1", "x", per[extra], vals[extra]));
                    jql_sizevec ev = {0};
                    jql_milli v;
                    OK(jql_q_value(ds, U(ds, "C1"), IND(ds, "x"), P(ds, "2014"), false, &v, &ev));
                    for (size_t k = 1; k < ev.len; k++)
                        ck_assert_uint_lt(ev.items[k - 1], ev.items[k]);
                    if (o == 0) {
                        want = v;
                        want_n = ev.len;
                        for (size_t k = 0; k < ev.len; k++)
                            snprintf(want_periods[k], sizeof want_periods[k], "%s",
                                     jql_stat_period(ds, ev.items[k]));
                    }
                    ck_assert_int_eq(v, want);
                    ck_assert_uint_eq(ev.len, want_n);
                    /* the same records (by period), in record order */
                    bool seen[4] = {false};
                    for (size_t k = 0; k < ev.len; k++) {
                        size_t i = 0;
                        while (i < want_n && strcmp(want_periods[i],
                                                    jql_stat_period(ds, ev.items[k])) != 0)
                            i++;
                        ck_assert_msg(i < want_n, "extra %d where %d agg %d order %d: %s", extra,
                                      where, a, o, jql_stat_period(ds, ev.items[k]));
                        ck_assert(!seen[i]);
                        seen[i] = true;
                    }
                    jql_sizevec_free(&ev);
                    jql_dataset_free(ds);
                }
                /* the expected value itself: the year when written, else H1 + Q4
                   (Q1 and Q2 nest in H1), else Q1, Q2, Q4 */
                const jql_milli used3[] = {10000, 25000, 7000}, usedh[] = {30000, 7000};
                const jql_milli *u = extra == 3 ? usedh : used3;
                size_t n = extra == 3 ? 2 : 3;
                jql_milli sum = 0, mn = u[0], mx = u[0];
                for (size_t k = 0; k < n; k++) {
                    sum += u[k];
                    mn = u[k] < mn ? u[k] : mn;
                    mx = u[k] > mx ? u[k] : mx;
                }
                jql_milli expect = extra == 4             ? 99000
                                   : aggs[a] == JQL_AGG_SUM  ? sum
                                   : aggs[a] == JQL_AGG_MEAN ? (sum + (jql_milli)n / 2) / (jql_milli)n
                                   : aggs[a] == JQL_AGG_LAST ? 7000
                                   : aggs[a] == JQL_AGG_MIN  ? mn
                                                             : mx;
                ck_assert_msg(want == expect, "extra %d where %d agg %d: %lld, want %lld", extra,
                              where, a, (long long)want, (long long)expect);
            }
        }
    }
}
END_TEST

/* ---- roll-ups of statistics in a scoring: summed once per subtree ----
   The scoring sums a subtree's values bottom-up and cites its records as a
   run of its parent's; the query layer walks the subtree. Both must give
   every unit the same value (or no data) and the same records in the same
   order, for every aggregation, value/change/ratio, in a chain listed
   parent first and one listed child first, a bushy tree, units without
   data or without last year's, a last year summing to 0 (the change has no
   answer and cites both years unsorted), nested periods, and sums past
   2^60 (walked). */
static const char *const ROLL_AGGS[] = {"s", "m", "l", "mn", "mx"};

static void roll_stats(jql_dataset *ds, const char *id, int k)
{
    for (int a = 0; a < 5; a++) {
        if (k % 7 == 3)
            continue; /* no data at all */
        jql_milli v = (jql_milli)((k * 37 + a * 11) % 23) * 1000 + (k % 3) * 250 + 1000;
        OK(jql_stat_set_value(ds, id, ROLL_AGGS[a], "2014-Q1", v));
        OK(jql_stat_set_value(ds, id, ROLL_AGGS[a], "2014-Q3", v + 2000));
        if (k % 5 == 1)
            OK(jql_stat_set_value(ds, id, ROLL_AGGS[a], "2014-H1", v * 3)); /* Q1 nests */
        if (k % 4 != 2) /* some units have no 2013 */
            OK(jql_stat_set_value(ds, id, ROLL_AGGS[a], "2013-Q2", k % 6 == 0 ? 0 : v - 1000));
    }
}

static void roll_unit(jql_dataset *ds, const char *id, const char *parent, int k, bool stats)
{
    OK(jql_unit_add(ds, id, id, "x", parent, NULL));
    if (stats)
        roll_stats(ds, id, k);
}

static jql_dataset *roll_dataset(int shape)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    const jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_MEAN, JQL_AGG_LAST, JQL_AGG_MIN,
                                    JQL_AGG_MAX};
    for (int a = 0; a < 5; a++)
        OK(jql_indicator_add(ds, ROLL_AGGS[a], ROLL_AGGS[a], NULL, aggs[a], NULL));
    char id[32], parent[32];
    const int n = 40;
    if (shape == 0) { /* a chain, parent first */
        for (int k = 0; k < n; k++) {
            snprintf(id, sizeof id, "c%d", k);
            snprintf(parent, sizeof parent, "c%d", k - 1);
            roll_unit(ds, id, k ? parent : NULL, k, true);
        }
    } else if (shape == 1) { /* a chain whose records are added child first */
        for (int k = 0; k < n; k++) {
            snprintf(id, sizeof id, "c%d", k);
            snprintf(parent, sizeof parent, "c%d", k - 1);
            OK(jql_unit_add(ds, id, id, "x", k ? parent : NULL, NULL));
        }
        for (int k = n - 1; k >= 0; k--) {
            snprintf(id, sizeof id, "c%d", k);
            for (int a = 0; a < 5; a++)
                OK(jql_stat_set_value(ds, id, ROLL_AGGS[a], "2014-Q2", (jql_milli)(k % 9) * 500));
            if (k % 3)
                OK(jql_stat_set_value(ds, id, "s", "2013-Q2", (jql_milli)k * 1000));
        }
    } else { /* a tree of 1 + 3 + 9 + 27 (shape 3: records added level by level, so
                subtrees' records interleave), shape 2 with 150 more of the largest value */
        bool now = shape == 2;
        roll_unit(ds, "t", NULL, 0, now);
        for (int i = 0; i < 3; i++) {
            char d[16];
            snprintf(d, sizeof d, "t%d", i);
            roll_unit(ds, d, "t", i + 1, now);
            for (int j = 0; j < 3; j++) {
                char e[16];
                snprintf(e, sizeof e, "t%d%d", i, j);
                roll_unit(ds, e, d, 4 + 3 * i + j, now);
                for (int q = 0; q < 3; q++) {
                    snprintf(id, sizeof id, "t%d%d%d", i, j, q);
                    roll_unit(ds, id, e, 13 + 9 * i + 3 * j + q, now);
                }
            }
        }
        if (shape == 3) {
            for (int k = 0; k < 40; k++) { /* k: the unit's number above, level by level */
                if (k == 0)
                    snprintf(id, sizeof id, "t");
                else if (k < 4)
                    snprintf(id, sizeof id, "t%d", k - 1);
                else if (k < 13)
                    snprintf(id, sizeof id, "t%d%d", (k - 4) / 3, (k - 4) % 3);
                else
                    snprintf(id, sizeof id, "t%d%d%d", (k - 13) / 9, (k - 13) / 3 % 3,
                             (k - 13) % 3);
                roll_stats(ds, id, k);
            }
            return ds;
        }
        for (int h = 0; h < 150; h++) { /* the root's sum passes 2^60: walked */
            snprintf(id, sizeof id, "h%d", h);
            OK(jql_unit_add(ds, id, id, "x", "t", NULL));
            for (int i = 0; i < 2; i++) { /* both years: changes and ratios stay small */
                OK(jql_stat_set_value(ds, id, ROLL_AGGS[i], "2014-Q4", JQL_MILLI_MAX));
                OK(jql_stat_set_value(ds, id, ROLL_AGGS[i], "2013-Q4", JQL_MILLI_MAX));
            }
        }
    }
    return ds;
}

/* Unit k's node n shows what the walk found: a value (`has`, shown) and
   the records ev, in the same order. */
static void expect_as_walked(const jql_results *r, size_t k, size_t n, bool has, jql_milli shown,
                             const jql_sizevec *ev, int shape)
{
    jql_milli got;
    ck_assert_msg(jql_results_node_value(r, k, n, &got) == has, "shape %d unit %s node %zu: data",
                  shape, jql_results_unit_id(r, k), n);
    if (has)
        ck_assert_int_eq(got, shown);
    ck_assert_msg(jql_results_node_evidence_count(r, k, n) == ev->len,
                  "shape %d unit %s node %zu: %zu records, walk %zu", shape,
                  jql_results_unit_id(r, k), n, jql_results_node_evidence_count(r, k, n), ev->len);
    for (size_t e = 0; e < ev->len; e++)
        ck_assert_uint_eq(jql_results_evidence_index(r, jql_results_node_evidence(r, k, n, e)),
                          ev->items[e]);
}

START_TEST(rollup_statistics_as_walked)
{
    /* every measure shape on every indicator, rolled up */
    char crit[16384], *w = crit;
    const char *kinds[] = {"indicator_value", "indicator_change", "indicator_ratio"};
    w += sprintf(w, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", \"period\": "
                    "\"2014\", \"units\": {\"levels\": [\"x\"]}, \"tiers\": [{\"id\": \"t\", "
                    "\"name\": \"t\", \"min\": 0}], \"criteria\": [");
    int leaves = 0;
    for (int a = 0; a < 5; a++)
        for (int k = 0; k < 3; k++)
            for (int d = 0; d < (k == 2 ? 2 : 1); d++) {
                w += sprintf(w, "%s{\"id\": \"n%d\", \"title\": \"n\", \"max\": 1, \"measure\": "
                                "{\"kind\": \"%s\", \"indicator\": \"%s\"%s%s%s, \"rollup\": true}, "
                                "\"method\": {\"type\": \"linear\", \"target\": 1000}}",
                             leaves ? ", " : "", leaves, kinds[k], ROLL_AGGS[a],
                             k == 2 ? ", \"denominator\": \"" : "",
                             k == 2 ? (d ? ROLL_AGGS[a] : ROLL_AGGS[(a + 1) % 5]) : "",
                             k == 2 ? "\"" : "");
                leaves++;
            }
    sprintf(w, "]}");
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
    for (int shape = 0; shape < 4; shape++) {
        jql_dataset *ds = roll_dataset(shape);
        jql_results *r = NULL;
        OK(jql_score(ds, c, NULL, &r));
        jql_range y = P(ds, "2014");
        size_t cited = 0;
        for (size_t k = 0; k < jql_results_unit_count(r); k++) {
            size_t u = U(ds, jql_results_unit_id(r, k));
            for (size_t n = 0; n < (size_t)leaves; n++) {
                int a = (int)(n / 4), kind = (int)(n % 4) < 2 ? (int)(n % 4) : 2;
                size_t ia = IND(ds, ROLL_AGGS[a]);
                size_t ib = n % 4 == 3 ? ia : IND(ds, ROLL_AGGS[(a + 1) % 5]);
                jql_q_stat what = kind == 0   ? JQL_Q_STAT_VALUE
                                  : kind == 1 ? JQL_Q_STAT_CHANGE
                                              : JQL_Q_STAT_RATIO;
                jql_sizevec ev = {0};
                jql_ratio x = {0, 1};
                int rc = jql_q_stat_exact(ds, u, what, ia, ib, y, true, NULL, &x, &ev);
                ck_assert(rc == JQL_OK || rc == JQL_ENOTFOUND);
                expect_as_walked(r, k, n, rc == JQL_OK, jql_div_round(x.num, x.den), &ev, shape);
                cited += ev.len;
                jql_sizevec_free(&ev);
            }
        }
        ck_assert_uint_gt(cited, 1000); /* the shapes cite plenty */
        jql_results_free(r);
        jql_dataset_free(ds);
    }
    jql_criteria_free(c);
}
END_TEST

/* Roll-up vetoes are measured for every unit before scoring (one measure
   at a time, score_rollup.c): on statistics of every aggregation, each
   unit's fired vetoes against the query layer's walk (value above 40, as
   an exact fraction; no data never fires). */
START_TEST(rollup_vetoes_as_walked)
{
    char crit[8192], *w = crit;
    w += sprintf(w, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", \"period\": "
                    "\"2014\", \"units\": {\"levels\": [\"x\"]}, \"tiers\": [{\"id\": \"a\", "
                    "\"name\": \"a\", \"min\": 1}, {\"id\": \"b\", \"name\": \"b\", \"min\": 0}], "
                    "\"criteria\": [{\"id\": \"m\", \"title\": \"m\", \"max\": 1, \"method\": "
                    "{\"type\": \"manual\"}}], \"vetoes\": [");
    for (int a = 0; a < 5; a++)
        w += sprintf(w, "%s{\"id\": \"v%d\", \"reason\": \"r\", \"measure\": {\"kind\": "
                        "\"indicator_value\", \"indicator\": \"%s\", \"rollup\": true}, "
                        "\"above\": 40, \"cap\": \"b\"}",
                     a ? ", " : "", a, ROLL_AGGS[a]);
    sprintf(w, "]}");
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
    for (int shape = 0; shape < 4; shape++) {
        jql_dataset *ds = roll_dataset(shape);
        jql_results *r = NULL;
        OK(jql_score(ds, c, NULL, &r));
        jql_range y = P(ds, "2014");
        size_t fired = 0, quiet = 0;
        for (size_t k = 0; k < jql_results_unit_count(r); k++) {
            size_t u = U(ds, jql_results_unit_id(r, k)), v = 0;
            for (int a = 0; a < 5; a++) {
                jql_ratio x = {0, 1};
                int rc = jql_q_stat_exact(ds, u, JQL_Q_STAT_VALUE, IND(ds, ROLL_AGGS[a]), 0, y,
                                          true, NULL, &x, NULL);
                ck_assert(rc == JQL_OK || rc == JQL_ENOTFOUND);
                bool want = rc == JQL_OK && (__int128)x.num > (__int128)40000 * x.den;
                char id[8];
                snprintf(id, sizeof id, "v%d", a);
                bool got = v < jql_results_unit_veto_count(r, k) &&
                           strcmp(jql_results_unit_veto_id(r, k, v), id) == 0;
                ck_assert_msg(got == want, "shape %d unit %s veto %s: fired %d, walk says %d",
                              shape, jql_results_unit_id(r, k), id, got, want);
                v += got;
                fired += want;
                quiet += !want;
            }
            ck_assert_uint_eq(v, jql_results_unit_veto_count(r, k));
        }
        ck_assert_uint_gt(fired, 10); /* both outcomes occur */
        ck_assert_uint_gt(quiet, 10);
        jql_results_free(r);
        jql_dataset_free(ds);
    }
    jql_criteria_free(c);
}
END_TEST

/* Roll-up tie-breakers are measured for every unit before scoring too
   (their keys written to the units' key arrays): with every unit on the
   same points, the ranks follow the query layer's walk of the sum
   (descending) and then the mean (ascending); no data sorts last. */
typedef struct {
    int state[2];
    jql_ratio x[2];
} tb_want;

static int tb_cmp(const tb_want *a, const tb_want *b)
{
    for (int i = 0; i < 2; i++) {
        if (a->state[i] != b->state[i])
            return a->state[i] < b->state[i] ? -1 : 1;
        if (a->state[i] == 2)
            continue;
        __int128 l = (__int128)a->x[i].num * b->x[i].den, r = (__int128)b->x[i].num * a->x[i].den;
        if (l != r)
            return (l < r) == (i == 1) ? -1 : 1; /* the mean ascending, the sum descending */
    }
    return 0;
}

START_TEST(rollup_tiebreaks_as_walked)
{
    const char *crit = "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", "
                       "\"period\": \"2014\", \"units\": {\"levels\": [\"x\"]}, \"tiers\": "
                       "[{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], \"criteria\": [{\"id\": "
                       "\"m\", \"title\": \"m\", \"max\": 1, \"method\": {\"type\": \"manual\"}}], "
                       "\"tie_breakers\": [{\"by\": \"measure\", \"measure\": {\"kind\": "
                       "\"indicator_value\", \"indicator\": \"s\", \"rollup\": true}, \"order\": "
                       "\"desc\"}, {\"by\": \"measure\", \"measure\": {\"kind\": \"indicator_value\", "
                       "\"indicator\": \"m\", \"rollup\": true}, \"order\": \"asc\"}]}";
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
    for (int shape = 0; shape < 4; shape++) {
        jql_dataset *ds = roll_dataset(shape);
        jql_results *r = NULL;
        OK(jql_score(ds, c, NULL, &r));
        jql_range y = P(ds, "2014");
        size_t n = jql_results_unit_count(r), ties = 0;
        tb_want *want = calloc(n, sizeof *want);
        ck_assert_ptr_nonnull(want);
        for (size_t k = 0; k < n; k++) {
            size_t u = U(ds, jql_results_unit_id(r, k));
            const char *ind[2] = {"s", "m"};
            for (int i = 0; i < 2; i++) {
                int rc = jql_q_stat_exact(ds, u, JQL_Q_STAT_VALUE, IND(ds, ind[i]), 0, y, true,
                                          NULL, &want[k].x[i], NULL);
                ck_assert(rc == JQL_OK || rc == JQL_ENOTFOUND);
                want[k].state[i] = rc == JQL_OK ? (i == 0 ? 1 : 0) : 2;
            }
        }
        for (size_t k = 0; k < n; k++) {
            size_t before = 0;
            for (size_t j = 0; j < n; j++) {
                before += tb_cmp(&want[j], &want[k]) < 0;
                ties += j < k && tb_cmp(&want[j], &want[k]) == 0;
            }
            ck_assert_msg(jql_results_unit_rank(r, k) == before + 1,
                          "shape %d unit %s: rank %zu, the walk says %zu", shape,
                          jql_results_unit_id(r, k), jql_results_unit_rank(r, k), before + 1);
        }
        ck_assert_uint_lt(ties, n * (n - 1) / 2); /* the keys order units (shape 2: 150 alike) */
        free(want);
        jql_results_free(r);
        jql_dataset_free(ds);
    }
    jql_criteria_free(c);
}
END_TEST

/* A roll-up veto or tie-breaker whose measurement fails for a unit (event
   points beyond 64 bits) is measured beforehand only for the units scored
   before it: the
   scoring fails where it failed when vetoes were measured unit by unit, so
   an earlier error of that unit (its custom leaf) is the one reported. */
static int fail_on_a(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    if (strcmp(jql_custom_unit_id(ctx), "a") == 0) {
        jql_custom_set_error(ctx, "no points for a");
        return 1;
    }
    return jql_custom_set_points(ctx, 1000) == JQL_OK ? 0 : 1;
}

START_TEST(rollup_veto_error_where_scored)
{
    jql_dataset *ds = jql_dataset_new();
    OK(jql_unit_add(ds, "x", "x", "d", NULL, NULL)); /* scored first: fits */
    OK(jql_unit_add(ds, "a", "a", "d", NULL, NULL)); /* its subtree's sum does not fit */
    OK(jql_unit_add(ds, "b", "b", "d", "a", NULL));
    const char *owner[] = {"x", "a", "b"};
    const int count[] = {1, 600, 600};
    for (int o = 0; o < 3; o++)
        for (int i = 0; i < count[o]; i++) {
            size_t e;
            OK(jql_event_add(ds, owner[o], D(2014, 5, 1), "initiative", "e", &e));
            OK(jql_event_set_points(ds, e, JQL_MILLI_MAX));
        }
    for (int variant = 0; variant < 4; variant++) {
        bool with_custom = variant & 1, tiebreak = variant & 2;
        char crit[2048];
        snprintf(crit, sizeof crit,
                 "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", \"period\": "
                 "\"2014\", \"units\": {\"levels\": [\"d\"]}, \"tiers\": [{\"id\": \"a\", "
                 "\"name\": \"a\", \"min\": 1}, {\"id\": \"b\", \"name\": \"b\", \"min\": 0}], "
                 "\"criteria\": [{\"id\": \"f\", \"title\": \"f\", \"max\": 1, \"method\": %s}], "
                 "%s}",
                 with_custom ? "{\"type\": \"custom\", \"function\": \"f\"}"
                             : "{\"type\": \"manual\"}",
                 tiebreak ? "\"tie_breakers\": [{\"by\": \"measure\", \"measure\": {\"kind\": "
                            "\"event_points\", \"rollup\": true}, \"order\": \"desc\"}]"
                          : "\"vetoes\": [{\"id\": \"v\", \"reason\": \"r\", \"measure\": "
                            "{\"kind\": \"event_points\", \"rollup\": true}, \"above\": 5, "
                            "\"cap\": \"b\"}]");
        jql_criteria *c = NULL;
        OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
        if (with_custom)
            OK(jql_criteria_custom_register(c, "f", fail_on_a, NULL, NULL));
        jql_results *r = NULL;
        int rc = jql_score(ds, c, NULL, &r);
        ck_assert_ptr_null(r);
        if (with_custom) {
            ck_assert_int_eq(rc, JQL_ECALLBACK);
            ck_assert_ptr_nonnull(strstr(jql_last_error(), "no points for a"));
        } else {
            ck_assert_int_eq(rc, JQL_ELIMIT);
            ck_assert_ptr_nonnull(strstr(jql_last_error(), "64-bit"));
        }
        jql_criteria_free(c);
    }
    /* without the overflowing unit the same veto fires by subtree */
    jql_dataset *ok = jql_dataset_new();
    OK(jql_unit_add(ok, "x", "x", "d", NULL, NULL));
    OK(jql_unit_add(ok, "y", "y", "d", "x", NULL));
    size_t e;
    OK(jql_event_add(ok, "y", D(2014, 5, 1), "initiative", "e", &e));
    OK(jql_event_set_points(ok, e, 6000));
    const char *crit = "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", "
                       "\"period\": \"2014\", \"units\": {\"levels\": [\"d\"]}, \"tiers\": "
                       "[{\"id\": \"a\", \"name\": \"a\", \"min\": 1}, {\"id\": \"b\", \"name\": "
                       "\"b\", \"min\": 0}], \"criteria\": [{\"id\": \"f\", \"title\": \"f\", "
                       "\"max\": 1, \"method\": {\"type\": \"manual\"}}], \"vetoes\": [{\"id\": "
                       "\"v\", \"reason\": \"r\", \"measure\": {\"kind\": \"event_points\", "
                       "\"rollup\": true}, \"above\": 5, \"cap\": \"b\"}]}";
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
    jql_results *r = NULL;
    OK(jql_score(ok, c, NULL, &r));
    for (size_t k = 0; k < 2; k++)
        ck_assert_uint_eq(jql_results_unit_veto_count(r, k), 1); /* x through y, y itself */
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ok);
    jql_dataset_free(ds);
}
END_TEST

/* Roll-ups of directives in a scoring, against the query layer's walk: a
   chain listed parent first (directives by id: summed; then also one to
   the chain's level: added once per subtree), the same listed child first,
   a chain of two alternating levels (directives to both: walked), one to
   two units (walked), one to a unit and a level (walked), some without due
   date, some open, some due next year. */
static void dir_add(jql_dataset *ds, int k, const char *unit, const char *level, int due_month)
{
    char id[16];
    size_t d;
    snprintf(id, sizeof id, "d%d", k);
    OK(jql_directive_add(ds, id, D(2014, 1, 5), "c0", id, &d));
    if (unit)
        OK(jql_directive_add_unit(ds, d, unit));
    if (level)
        OK(jql_directive_add_level(ds, d, level));
    if (due_month)
        OK(jql_directive_set_due(ds, d, D(due_month > 12 ? 2015 : 2014, (due_month - 1) % 12 + 1, 20)));
    if (k % 3)
        OK(jql_directive_set_status(ds, d, JQL_DIRECTIVE_DONE, D(2014, 1, 10)));
}

static jql_dataset *dir_dataset(int shape)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    char id[16], parent[16];
    const int n = 30;
    int k = 0;
    for (int u = 0; u < n; u++) {
        snprintf(id, sizeof id, "c%d", u);
        snprintf(parent, sizeof parent, "c%d", u - 1);
        OK(jql_unit_add(ds, id, id, shape == 2 && u % 2 ? "y" : "x", u ? parent : NULL, NULL));
    }
    for (int i = 0; i < 2 * n; i++) {
        int u = shape == 1 ? n - 1 - i / 2 : i / 2; /* shape 1: child first */
        snprintf(id, sizeof id, "c%d", u);
        dir_add(ds, k++, id, NULL, i % 7 == 0 ? 0 : i % 11 == 0 ? 13 : 2 + i % 9);
    }
    if (shape >= 1)
        for (int i = 0; i < 5; i++)
            dir_add(ds, k++, NULL, "x", 3 + i);
    size_t d;
    if (shape != 1) { /* to two units: counted once where both are */
        OK(jql_directive_add(ds, "two", D(2014, 1, 5), "c0", "two", &d));
        OK(jql_directive_add_unit(ds, d, "c20"));
        OK(jql_directive_add_unit(ds, d, "c25"));
        OK(jql_directive_set_due(ds, d, D(2014, 5, 5)));
    }
    if (shape == 2) {
        dir_add(ds, k++, NULL, "y", 4);
        /* to a unit and a level */
        OK(jql_directive_add(ds, "mixed", D(2014, 1, 5), "c0", "mixed", &d));
        OK(jql_directive_add_unit(ds, d, "c10"));
        OK(jql_directive_add_level(ds, d, "x"));
        OK(jql_directive_set_due(ds, d, D(2014, 5, 5)));
    }
    return ds;
}

START_TEST(rollup_directives_as_walked)
{
    const char *crit =
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"r\", \"period\": \"2014\", "
        "\"units\": {\"levels\": [\"x\", \"y\"]}, \"tiers\": [{\"id\": \"t\", \"name\": \"t\", "
        "\"min\": 0}], \"criteria\": [{\"id\": \"n\", \"title\": \"n\", \"max\": 10, \"measure\": "
        "{\"kind\": \"directive_share_completed\", \"rollup\": true}, \"method\": {\"type\": "
        "\"linear\", \"target\": 100}}, {\"id\": \"m\", \"title\": \"m\", \"max\": 10, "
        "\"measure\": {\"kind\": \"directive_share_completed\", \"rollup\": true}, \"method\": "
        "{\"type\": \"boolean\", \"at_least\": 50}}]}";
    jql_criteria *c = NULL;
    OK(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL));
    for (int shape = 0; shape < 3; shape++) {
        jql_dataset *ds = dir_dataset(shape);
        jql_results *r = NULL;
        OK(jql_score(ds, c, NULL, &r));
        jql_range y = P(ds, "2014");
        size_t cited = 0;
        for (size_t k = 0; k < jql_results_unit_count(r); k++) {
            size_t u = U(ds, jql_results_unit_id(r, k));
            jql_sizevec ev = {0};
            jql_directive_summary sum;
            OK(jql_q_directives(ds, u, y, true, &sum, &ev));
            for (size_t n = 0; n < 2; n++) {
                expect_as_walked(r, k, n, sum.due > 0, jql_share_pct(sum.completed, sum.due), &ev,
                                 shape);
            }
            cited += ev.len;
            jql_sizevec_free(&ev);
        }
        ck_assert_uint_gt(cited, 300);
        jql_results_free(r);
        jql_dataset_free(ds);
    }
    jql_criteria_free(c);
}
END_TEST

/* 2014 values: D1 = 100, C1 = 10, C2 = 30, C3 = 20; P and D2 have none. */
START_TEST(rollup_three_levels)
{
    jql_dataset *ds = tree();
    const char *ids[] = {"s", "l", "m", "mn", "mx"};
    jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_LAST, JQL_AGG_MEAN, JQL_AGG_MIN, JQL_AGG_MAX};
    for (int k = 0; k < 5; k++) {
        OK(jql_indicator_add(ds, ids[k], ids[k], NULL, aggs[k], NULL));
        OK(jql_stat_set_value(ds, "D1", ids[k], "2014", 100000));
        OK(jql_stat_set_value(ds, "C1", ids[k], "2014", 10000));
        OK(jql_stat_set_value(ds, "C2", ids[k], "2014", 30000));
        OK(jql_stat_set_value(ds, "C3", ids[k], "2014", 20000));
    }
    ck_assert_int_eq(val(ds, "P", "s", "2014", JQL_ROLLUP), 160000);
    ck_assert_int_eq(val(ds, "P", "l", "2014", JQL_ROLLUP), 160000); /* units add up */
    ck_assert_int_eq(val(ds, "P", "m", "2014", JQL_ROLLUP), 40000);  /* 160/4 units */
    ck_assert_int_eq(val(ds, "P", "mn", "2014", JQL_ROLLUP), 10000);
    ck_assert_int_eq(val(ds, "P", "mx", "2014", JQL_ROLLUP), 100000);
    ck_assert_int_eq(val(ds, "D1", "s", "2014", JQL_ROLLUP), 140000);
    ck_assert_int_eq(val(ds, "D1", "m", "2014", JQL_ROLLUP), 46667); /* 140/3 */
    ck_assert_int_eq(val(ds, "D2", "s", "2014", JQL_ROLLUP), 20000);
    ck_assert_int_eq(val(ds, "C1", "mx", "2014", JQL_ROLLUP), 10000);
    /* without roll-up P and D2 have nothing */
    jql_milli v;
    ck_assert_int_eq(jql_indicator_value(ds, "P", "s", "2014", 0, &v), JQL_ENODATA);
    ck_assert_int_eq(jql_indicator_value(ds, "D2", "s", "2014", 0, &v), JQL_ENODATA);
    ck_assert_int_eq(jql_indicator_value(ds, "P", "s", "2013", JQL_ROLLUP, &v), JQL_ENODATA);
    /* each unit valued first: C3 quarters make C3's year, then units add */
    OK(jql_stat_set_value(ds, "C3", "m", "2015-Q1", 1000));
    OK(jql_stat_set_value(ds, "C3", "m", "2015-Q2", 2000));
    OK(jql_stat_set_value(ds, "C2", "m", "2015", 4000));
    /* C3 = mean(1, 2) = 1.5; C2 = 4; mean of units = 2.75 */
    ck_assert_int_eq(val(ds, "P", "m", "2015", JQL_ROLLUP), 2750);
    jql_sizevec ev = {0};
    OK(jql_q_value(ds, U(ds, "P"), IND(ds, "s"), P(ds, "2014"), true, &v, &ev));
    ck_assert_uint_eq(ev.len, 4);
    for (size_t k = 1; k < ev.len; k++)
        ck_assert_uint_lt(ev.items[k - 1], ev.items[k]);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(change_percent)
{
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "s", "s", NULL, JQL_AGG_SUM, NULL));
    OK(jql_stat_set_value(ds, "C1", "s", "2013", 1000000));
    OK(jql_stat_set_value(ds, "C1", "s", "2014", 1250000));
    jql_milli cur = 0, prev = 0, delta = 0, pct = 0;
    OK(jql_indicator_value_change(ds, "C1", "s", "2014", 0, &cur, &prev, &delta, &pct));
    ck_assert_int_eq(cur, 1250000);
    ck_assert_int_eq(prev, 1000000);
    ck_assert_int_eq(delta, 250000);
    ck_assert_int_eq(pct, 25000); /* +25% */
    OK(jql_indicator_value_change(ds, "C1", "s", "2014", 0, NULL, NULL, NULL, NULL));

    /* rounding once: 1/3 and 2/3 */
    OK(jql_stat_set_value(ds, "C2", "s", "2013", 3000));
    OK(jql_stat_set_value(ds, "C2", "s", "2014", 4000));
    OK(jql_indicator_value_change(ds, "C2", "s", "2014", 0, NULL, NULL, NULL, &pct));
    ck_assert_int_eq(pct, 33333); /* 33.3333% */
    OK(jql_stat_set_value(ds, "C2", "s", "2014", 1000));
    OK(jql_indicator_value_change(ds, "C2", "s", "2014", 0, NULL, NULL, &delta, &pct));
    ck_assert_int_eq(delta, -2000);
    ck_assert_int_eq(pct, -66667); /* -66.6667% */
    /* exactly half a thousandth: away from zero both ways */
    OK(jql_stat_set_value(ds, "C2", "s", "2013", 200000));
    OK(jql_stat_set_value(ds, "C2", "s", "2014", 200001));
    OK(jql_indicator_value_change(ds, "C2", "s", "2014", 0, NULL, NULL, NULL, &pct));
    ck_assert_int_eq(pct, 1); /* 0.0005% -> 0.001% */
    OK(jql_stat_set_value(ds, "C2", "s", "2014", 199999));
    OK(jql_indicator_value_change(ds, "C2", "s", "2014", 0, NULL, NULL, NULL, &pct));
    ck_assert_int_eq(pct, -1);

    /* previous missing: current set, the rest untouched */
    OK(jql_stat_set_value(ds, "C3", "s", "2014", 5000));
    cur = prev = delta = pct = 99;
    ck_assert_int_eq(jql_indicator_value_change(ds, "C3", "s", "2014", 0, &cur, &prev, &delta, &pct),
                     JQL_ENODATA);
    ck_assert_int_eq(cur, 5000);
    ck_assert_int_eq(prev, 99);
    ck_assert_int_eq(delta, 99);
    ck_assert_int_eq(pct, 99);
    /* current missing, previous there */
    cur = prev = 99;
    ck_assert_int_eq(jql_indicator_value_change(ds, "C3", "s", "2015", 0, &cur, &prev, &delta, &pct),
                     JQL_ENODATA);
    ck_assert_int_eq(cur, 99);
    ck_assert_int_eq(prev, 5000);
    /* previous zero: values and delta set, percent untouched */
    OK(jql_stat_set_value(ds, "C3", "s", "2013", 0));
    ck_assert_int_eq(jql_indicator_value_change(ds, "C3", "s", "2014", 0, &cur, &prev, &delta, &pct),
                     JQL_ENODATA);
    ck_assert_int_eq(cur, 5000);
    ck_assert_int_eq(prev, 0);
    ck_assert_int_eq(delta, 5000);
    ck_assert_int_eq(pct, 99);

    /* internal form, roll-up over D1 */
    jql_sizevec ev = {0};
    OK(jql_q_change_pct(ds, U(ds, "D1"), IND(ds, "s"), P(ds, "2014"), true, &pct, &ev));
    /* 2014: 1250 + 199.999 = 1449.999; 2013: 1000 + 200 = 1200; +20.8333% */
    ck_assert_int_eq(pct, 20833);
    ck_assert_uint_eq(ev.len, 4);
    ck_assert_int_eq(jql_q_change_pct(ds, U(ds, "C3"), IND(ds, "s"), P(ds, "2014"), false, &pct,
                                      NULL),
                     JQL_ENOTFOUND);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(ratio_percent)
{
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "done", "done", NULL, JQL_AGG_SUM, NULL));
    OK(jql_indicator_add(ds, "all", "all", NULL, JQL_AGG_SUM, NULL));
    OK(jql_stat_set_value(ds, "C1", "done", "2014", 2000));
    OK(jql_stat_set_value(ds, "C1", "all", "2014", 3000));
    jql_milli pct;
    OK(jql_q_ratio_pct(ds, U(ds, "C1"), IND(ds, "done"), IND(ds, "all"), P(ds, "2014"), false,
                       &pct, NULL));
    ck_assert_int_eq(pct, 66667);
    OK(jql_stat_set_value(ds, "C2", "done", "2014", 1000));
    OK(jql_stat_set_value(ds, "C2", "all", "2014", 0));
    ck_assert_int_eq(jql_q_ratio_pct(ds, U(ds, "C2"), IND(ds, "done"), IND(ds, "all"),
                                     P(ds, "2014"), false, &pct, NULL),
                     JQL_ENOTFOUND);
    /* roll-up D1: 3 / 3 = 100% */
    OK(jql_q_ratio_pct(ds, U(ds, "D1"), IND(ds, "done"), IND(ds, "all"), P(ds, "2014"), true,
                       &pct, NULL));
    ck_assert_int_eq(pct, 100000);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(leap_day_year_before)
{
    jql_range r = jql_range_year_before(R(D(2016, 2, 1), D(2016, 2, 29)));
    ck_assert_int_eq(r.start, D(2015, 2, 1));
    ck_assert_int_eq(r.end, D(2015, 2, 28));
    r = jql_range_year_before(R(D(2016, 2, 29), D(2016, 2, 29)));
    ck_assert_int_eq(r.start, D(2015, 2, 28));
    ck_assert_int_eq(r.end, D(2015, 2, 28));
    r = jql_range_year_before(R(D(2014, 1, 1), D(2014, 12, 31)));
    ck_assert_int_eq(r.start, D(2013, 1, 1));
    ck_assert_int_eq(r.end, D(2013, 12, 31));

    jql_dataset *ds = tree();
    OK(jql_period_add(ds, "feb16", NULL, D(2016, 2, 1), D(2016, 2, 29), NULL));
    OK(jql_period_add(ds, "feb15", NULL, D(2015, 2, 1), D(2015, 2, 28), NULL));
    OK(jql_indicator_add(ds, "s", "s", NULL, JQL_AGG_SUM, NULL));
    OK(jql_stat_set_value(ds, "C1", "s", "feb16", 1100));
    OK(jql_stat_set_value(ds, "C1", "s", "feb15", 1000));
    jql_milli pct;
    OK(jql_indicator_value_change(ds, "C1", "s", "feb16", 0, NULL, NULL, NULL, &pct));
    ck_assert_int_eq(pct, 10000); /* +10% */
    jql_dataset_free(ds);
}
END_TEST

/* C1 "stat" reports for 2014: Q1 on time, Q2 5 days late, Q3 never,
   Q4 2 days late and incomplete; one early "work" report; a 2015 one. */
static jql_dataset *with_reports(void)
{
    jql_dataset *ds = tree();
    OK(jql_report_add(ds, "C1", "2014-Q1", "stat", D(2014, 4, 10), D(2014, 4, 10), true, NULL));
    OK(jql_report_add(ds, "C1", "2014-Q2", "stat", D(2014, 7, 10), D(2014, 7, 15), true, NULL));
    OK(jql_report_add(ds, "C1", "2014-Q3", "stat", D(2014, 10, 10), JQL_NO_DATE, false, NULL));
    OK(jql_report_add(ds, "C1", "2014-Q4", "stat", D(2015, 1, 10), D(2015, 1, 12), false, NULL));
    OK(jql_report_add(ds, "C1", "2014-Q1", "work", D(2014, 4, 5), D(2014, 4, 1), true, NULL));
    OK(jql_report_add(ds, "C1", "2015-Q1", "stat", D(2015, 4, 10), D(2015, 4, 30), true, NULL));
    return ds;
}

START_TEST(reports_days_late)
{
    jql_dataset *ds = with_reports();
    int32_t d = -7;
    OK(jql_report_days_late(ds, 0, &d));
    ck_assert_int_eq(d, 0);
    OK(jql_report_days_late(ds, 1, &d));
    ck_assert_int_eq(d, 5);
    d = -7; /* never submitted: no data, the output left alone */
    ck_assert_int_eq(jql_report_days_late(ds, 2, &d), JQL_ENODATA);
    ck_assert_int_eq(d, -7);
    OK(jql_report_days_late(ds, 3, &d));
    ck_assert_int_eq(d, 2);
    OK(jql_report_days_late(ds, 4, &d));
    ck_assert_int_eq(d, 0); /* early */
    OK(jql_report_days_late(ds, 5, &d));
    ck_assert_int_eq(d, 20);
    d = -7; /* out of range: an error, not "on time" */
    ck_assert_int_eq(jql_report_days_late(ds, 99, &d), JQL_ENOTFOUND);
    ck_assert_int_eq(d, -7);
    ck_assert_int_eq(jql_report_days_late(ds, 0, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_report_days_late(NULL, 0, &d), JQL_ENOTFOUND);

    jql_report_summary s;
    jql_sizevec ev = {0};
    OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014"), "stat", false, &s, &ev));
    ck_assert_uint_eq(s.due, 4);
    ck_assert_uint_eq(s.on_time, 1);
    ck_assert_uint_eq(s.missing, 1);
    ck_assert_uint_eq(s.incomplete, 1); /* the missing one is not also incomplete */
    ck_assert_int_eq(s.worst_days_late, -1);  /* never submitted is the worst */
    ck_assert_int_eq(s.latest_days_late, 2);  /* Q4 ends last */
    ck_assert_uint_eq(ev.len, 4);
    for (size_t k = 0; k < 4; k++)
        ck_assert_uint_eq(ev.items[k], k);

    OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014"), NULL, false, &s, NULL));
    ck_assert_uint_eq(s.due, 5);
    ck_assert_uint_eq(s.on_time, 2);

    OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014-H1"), "stat", false, &s, NULL));
    ck_assert_uint_eq(s.due, 2);
    ck_assert_int_eq(s.worst_days_late, 5);
    ck_assert_int_eq(s.latest_days_late, 5);

    OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014-Q1"), NULL, false, &s, NULL));
    ck_assert_uint_eq(s.due, 2);
    ck_assert_int_eq(s.worst_days_late, 0);
    /* Q1 stat and work end together: the later due date (stat, 04-10) is "latest" */
    ck_assert_int_eq(s.latest_days_late, 0);

    /* a quarter report does not belong to a smaller custom period */
    OK(jql_period_add(ds, "jan14", NULL, D(2014, 1, 1), D(2014, 1, 31), NULL));
    OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "jan14"), NULL, false, &s, NULL));
    ck_assert_uint_eq(s.due, 0);
    ck_assert_int_eq(s.worst_days_late, 0);
    ck_assert_int_eq(s.latest_days_late, 0);

    /* roll-up: C2's Q4 report, 10 days late, ends with C1's Q4 (2 days) on
       the same due date: the worse of the two is the latest */
    OK(jql_report_add(ds, "C2", "2014-Q4", "stat", D(2015, 1, 10), D(2015, 1, 20), true, NULL));
    OK(jql_q_reports(ds, U(ds, "D1"), P(ds, "2014"), "stat", true, &s, NULL));
    ck_assert_uint_eq(s.due, 5);
    ck_assert_int_eq(s.worst_days_late, -1);
    ck_assert_int_eq(s.latest_days_late, 10);
    OK(jql_q_reports(ds, U(ds, "D1"), P(ds, "2014"), "stat", false, &s, NULL));
    ck_assert_uint_eq(s.due, 0);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

/* Reports tied on period end and due date: the latest is the worse one,
   whatever the order they were added in (found by tests/reference). */
START_TEST(reports_latest_tie_not_input_order)
{
    for (int order = 0; order < 2; order++) {
        jql_dataset *ds = tree();
        /* 2014-Q4 and 2014 both end 31 Dec, both due 10 Jan */
        const char *pid[2] = {"2014-Q4", "2014"};
        jql_date sub[2] = {D(2015, 1, 12), D(2015, 1, 10)}; /* 2 days late, on time */
        for (int k = 0; k < 2; k++) {
            int i = order ? 1 - k : k;
            OK(jql_report_add(ds, "C1", pid[i], "stat", D(2015, 1, 10), sub[i], true, NULL));
        }
        jql_report_summary s;
        OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014"), NULL, false, &s, NULL));
        ck_assert_int_eq(s.latest_days_late, 2);
        /* a never-submitted one tied with them is the latest */
        OK(jql_report_add(ds, "C1", "2014", "work", D(2015, 1, 10), JQL_NO_DATE, true, NULL));
        OK(jql_q_reports(ds, U(ds, "C1"), P(ds, "2014"), NULL, false, &s, NULL));
        ck_assert_int_eq(s.latest_days_late, -1);
        jql_dataset_free(ds);
    }
}
END_TEST

START_TEST(reports_in_period)
{
    jql_dataset *ds = with_reports();
    size_t out[8];
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014", "stat", out, 8, &n_)), 4);
    for (size_t k = 0; k < 4; k++)
        ck_assert_uint_eq(out[k], k);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014", NULL, out, 8, &n_)), 5);
    ck_assert_uint_eq(out[4], 4);
    /* cap smaller than the count: total returned, cap written */
    out[2] = 777;
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014", NULL, out, 2, &n_)), 5);
    ck_assert_uint_eq(out[2], 777);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014", "stat", NULL, 0, &n_)), 4);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014-Q1", "work", out, 8, &n_)), 1);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014-Q1", "nope", out, 8, &n_)), 0);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C2", "2014", NULL, out, 8, &n_)), 0);
    /* NULL unit: every unit's reports, in insertion order */
    OK(jql_report_add(ds, "C2", "2014-Q2", "stat", D(2014, 7, 10), JQL_NO_DATE, false, NULL));
    ck_assert_int_eq(counted(jql_reports_in_period(ds, NULL, "2014", "stat", out, 8, &n_)), 5);
    ck_assert_uint_eq(out[3], 3);
    ck_assert_uint_eq(out[4], 6);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, NULL, "2014-Q2", NULL, out, 8, &n_)), 2);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[1], 6);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, NULL, "2015", NULL, out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 5);
    jql_dataset_free(ds);
}
END_TEST

/* jql_report_find: by unit, period id and kind, as jql_report_add() took them. */
START_TEST(report_find)
{
    jql_dataset *ds = with_reports();
    size_t i = 99;
    OK(jql_report_find(ds, "C1", "2014-Q2", "stat", &i));
    ck_assert_uint_eq(i, 1);
    OK(jql_report_find(ds, "C1", "2014-Q1", "work", &i));
    ck_assert_uint_eq(i, 4);
    OK(jql_report_find(ds, "C1", "2015-Q1", "stat", NULL));
    i = 99;
    ck_assert_int_eq(jql_report_find(ds, "C1", "2014-Q2", "work", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_find(ds, "C2", "2014-Q2", "stat", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_find(ds, "C1", "2014", "stat", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_find(ds, "zz", "2014-Q2", "stat", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_find(ds, "C1", NULL, "stat", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_report_find(NULL, "C1", "2014-Q2", "stat", &i), JQL_ENOTFOUND);
    ck_assert_uint_eq(i, 99);
    /* agrees with the list query on every report */
    for (size_t r = 0; r < jql_report_count(ds); r++) {
        OK(jql_report_find(ds, jql_unit_id(ds, jql_report_unit(ds, r)), jql_report_period(ds, r),
                           jql_report_kind(ds, r), &i));
        ck_assert_uint_eq(i, r);
    }
    jql_dataset_free(ds);
}
END_TEST

/* C1: ten tasks due in 2014 (T1-T5 "legal", T6-T10 "admin"), nine done, T3
   done late, T10 pending; one due in 2015. C2: three, two done.
   S1 owned by D2 and C3 (done), S2 owned by C3 (pending). */
static jql_dataset *with_tasks(void)
{
    jql_dataset *ds = tree();
    char id[16];
    for (int k = 1; k <= 10; k++) {
        size_t t;
        snprintf(id, sizeof id, "T%d", k);
        jql_date due = D(2014, k, 28);
        OK(jql_task_add(ds, id, id, due, &t));
        OK(jql_task_add_owner(ds, t, "C1"));
        OK(jql_task_set_field(ds, t, k <= 5 ? "legal" : "admin"));
        if (k == 3)
            OK(jql_task_set_status(ds, t, JQL_TASK_DONE, D(2014, 4, 5)));
        else if (k != 10)
            OK(jql_task_set_status(ds, t, JQL_TASK_DONE, due));
    }
    size_t t;
    OK(jql_task_add(ds, "T2015", "next year", D(2015, 1, 31), &t));
    OK(jql_task_add_owner(ds, t, "C1"));
    for (int k = 1; k <= 3; k++) {
        snprintf(id, sizeof id, "U%d", k);
        OK(jql_task_add(ds, id, id, D(2014, 6, k), &t));
        OK(jql_task_add_owner(ds, t, "C2"));
        if (k != 2)
            OK(jql_task_set_status(ds, t, JQL_TASK_IN_PROGRESS, JQL_NO_DATE));
        if (k == 2 || k == 3)
            OK(jql_task_set_status(ds, t, JQL_TASK_DONE, D(2014, 6, 1)));
    }
    OK(jql_task_add(ds, "S1", "shared", D(2014, 5, 1), &t));
    OK(jql_task_add_owner(ds, t, "C3"));
    OK(jql_task_add_owner(ds, t, "D2"));
    OK(jql_task_set_status(ds, t, JQL_TASK_DONE, D(2014, 4, 1)));
    OK(jql_task_add(ds, "S2", "pending", D(2014, 5, 2), &t));
    OK(jql_task_add_owner(ds, t, "C3"));
    return ds;
}

START_TEST(tasks_summary)
{
    jql_dataset *ds = with_tasks();
    jql_task_summary s;
    jql_sizevec ev = {0};
    OK(jql_q_tasks(ds, U(ds, "C1"), P(ds, "2014"), NULL, false, &s, &ev));
    ck_assert_uint_eq(s.due, 10);
    ck_assert_uint_eq(s.completed, 9);
    ck_assert_uint_eq(s.completed_late, 1);
    ck_assert_uint_eq(s.overdue, 1);
    ck_assert_int_eq(jql_share_pct(s.completed, s.due), 90000); /* 90.000% */
    ck_assert_uint_eq(ev.len, 10);
    for (size_t k = 0; k < 10; k++)
        ck_assert_uint_eq(ev.items[k], k);

    OK(jql_q_tasks(ds, U(ds, "C1"), P(ds, "2014"), "legal", false, &s, NULL));
    ck_assert_uint_eq(s.due, 5);
    ck_assert_uint_eq(s.completed, 5);
    ck_assert_uint_eq(s.completed_late, 1);
    ck_assert_uint_eq(s.overdue, 0);
    OK(jql_q_tasks(ds, U(ds, "C1"), P(ds, "2014-H2"), "admin", false, &s, NULL));
    ck_assert_uint_eq(s.due, 4); /* T7..T10 (T6 is due 06-28) */
    ck_assert_uint_eq(s.overdue, 1);

    OK(jql_q_tasks(ds, U(ds, "C2"), P(ds, "2014"), NULL, false, &s, NULL));
    ck_assert_uint_eq(s.due, 3);
    ck_assert_uint_eq(s.completed, 2);
    ck_assert_int_eq(jql_share_pct(s.completed, s.due), 66667); /* 66.667% */
    ck_assert_uint_eq(s.completed_late, 0); /* U3 done 06-01, due 06-03 */

    /* S1 is owned by D2 and C3: counted once */
    ev.len = 0;
    OK(jql_q_tasks(ds, U(ds, "D2"), P(ds, "2014"), NULL, true, &s, &ev));
    ck_assert_uint_eq(s.due, 2);
    ck_assert_uint_eq(s.completed, 1);
    ck_assert_uint_eq(s.overdue, 1);
    ck_assert_uint_eq(ev.len, 2);
    OK(jql_q_tasks(ds, U(ds, "P"), P(ds, "2014"), NULL, true, &s, NULL));
    ck_assert_uint_eq(s.due, 15); /* 10 + 3 + 2 */
    ck_assert_uint_eq(s.completed, 12);
    OK(jql_q_tasks(ds, U(ds, "P"), P(ds, "2014"), NULL, false, &s, NULL));
    ck_assert_uint_eq(s.due, 0);
    ck_assert_int_eq(jql_share_pct(0, 0), 0);
    ck_assert_int_eq(jql_share_pct(1, 3), 33333);
    ck_assert_int_eq(jql_share_pct(3, 3), 100000);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

/* Several fields in one pass (the scoring's way): each field's summary and
   tasks as jql_q_tasks() gives them one field at a time. C1 in 2014: T1..T5
   "legal" (T3 done 04-05, due 03-28: late), T6..T10 "admin" (T10 open). */
START_TEST(tasks_fields_one_pass)
{
    jql_dataset *ds = with_tasks();
    jql_range y = P(ds, "2014");
    jql_sizevec due = {0}, hits[4] = {{0}};
    jql_task_summary sums[4];
    OK(jql_q_tasks_due(ds, U(ds, "C1"), y, &due));
    ck_assert_uint_eq(due.len, 10); /* T2015 is due in 2015 */
    const char *fields[4] = {jql_q_pooled(ds, "admin"), NULL, jql_q_pooled(ds, "legal"),
                             jql_q_pooled(ds, "no such field")};
    ck_assert_ptr_eq(fields[3], jql_q_no_match());
    OK(jql_q_tasks_of_fields(ds, &due, y, fields, 4, sums, hits));
    /* admin: T6..T10, T10 open */
    ck_assert_uint_eq(sums[0].due, 5);
    ck_assert_uint_eq(sums[0].completed, 4);
    ck_assert_uint_eq(sums[0].completed_late, 0);
    ck_assert_uint_eq(sums[0].overdue, 1);
    /* all: 10 due, 9 done, T3 late, T10 overdue */
    ck_assert_uint_eq(sums[1].due, 10);
    ck_assert_uint_eq(sums[1].completed, 9);
    ck_assert_uint_eq(sums[1].completed_late, 1);
    ck_assert_uint_eq(sums[1].overdue, 1);
    /* legal: T1..T5, all done, T3 late */
    ck_assert_uint_eq(sums[2].due, 5);
    ck_assert_uint_eq(sums[2].completed, 5);
    ck_assert_uint_eq(sums[2].completed_late, 1);
    ck_assert_uint_eq(sums[2].overdue, 0);
    ck_assert_uint_eq(sums[3].due, 0);
    ck_assert_uint_eq(hits[3].len, 0);
    /* the tasks: indices in due order, T1..T10 being tasks 0..9 */
    ck_assert_uint_eq(hits[0].len, 5);
    ck_assert_uint_eq(hits[1].len, 10);
    ck_assert_uint_eq(hits[2].len, 5);
    for (size_t k = 0; k < 5; k++) {
        ck_assert_uint_eq(hits[0].items[k], 5 + k);
        ck_assert_uint_eq(hits[2].items[k], k);
    }
    for (size_t k = 0; k < 10; k++)
        ck_assert_uint_eq(hits[1].items[k], k);
    /* the same as one field at a time */
    for (size_t i = 0; i < 4; i++) {
        jql_task_summary one;
        jql_sizevec ev = {0};
        OK(jql_q_tasks_of(ds, &due, y, fields[i], &one, &ev));
        ck_assert_mem_eq(&one, &sums[i], sizeof one);
        ck_assert_uint_eq(ev.len, hits[i].len);
        for (size_t k = 0; k < ev.len; k++)
            ck_assert_uint_eq(ev.items[k], hits[i].items[k]);
        jql_sizevec_free(&ev);
        jql_sizevec_free(&hits[i]);
    }
    /* more fields than one pass takes: the same, field by field */
    enum { MANY = JQL_Q_TASK_FIELDS_MAX + 2 };
    const char *many[MANY];
    jql_task_summary msums[MANY];
    jql_sizevec mhits[MANY] = {{0}};
    for (size_t i = 0; i < MANY; i++)
        many[i] = i < 4 ? fields[i] : jql_q_no_match();
    OK(jql_q_tasks_of_fields(ds, &due, y, many, MANY, msums, mhits));
    for (size_t i = 0; i < MANY; i++) {
        ck_assert_mem_eq(&msums[i], &sums[i < 4 ? i : 3], sizeof msums[i]);
        ck_assert_uint_eq(mhits[i].len, i == 0 || i == 2 ? 5 : i == 1 ? 10 : 0);
        jql_sizevec_free(&mhits[i]);
    }
    jql_sizevec_free(&due);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(tasks_public)
{
    jql_dataset *ds = with_tasks();
    size_t out[32];
    ck_assert_int_eq(counted(jql_tasks_due(ds, "C1", "2014", out, 32, &n_)), 10);
    ck_assert_int_eq(counted(jql_tasks_due(ds, "C1", "2014-Q1", out, 32, &n_)), 3);
    ck_assert_uint_eq(out[2], 2);
    ck_assert_int_eq(counted(jql_tasks_due(ds, NULL, "2014", out, 32, &n_)), 15);
    ck_assert_int_eq(counted(jql_tasks_due(ds, NULL, "2014", out, 3, &n_)), 15);
    ck_assert_int_eq(counted(jql_tasks_due(ds, "D2", "2014", out, 32, &n_)), 1); /* S1 */
    ck_assert_int_eq(counted(jql_tasks_due(ds, "P", "2014", out, 32, &n_)), 0);

    /* as of 2014-04-01: T1 (due 01-28), T2 (02-28) done in time; T3 (03-28)
       done only on 04-05 -> overdue then */
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, "C1", D(2014, 4, 1), out, 32, &n_)), 1);
    ck_assert_uint_eq(out[0], 2);
    /* as of 2014-12-31: only T10 */
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, "C1", D(2014, 12, 31), out, 32, &n_)), 1);
    ck_assert_uint_eq(out[0], 9);
    /* as of 2015-02-01: T10 and T2015 */
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, "C1", D(2015, 2, 1), out, 32, &n_)), 2);
    /* any unit, end of 2014: T10, U1, S2 */
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, NULL, D(2014, 12, 31), out, 32, &n_)), 3);
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, NULL, JQL_NO_DATE, out, 32, &n_)), JQL_EINVALID);

    jql_milli share = -1;
    OK(jql_tasks_completion_share(ds, "C1", "2014", &share));
    ck_assert_int_eq(share, 90000);
    OK(jql_tasks_completion_share(ds, "C2", "2014", &share));
    ck_assert_int_eq(share, 66667);
    OK(jql_tasks_completion_share(ds, NULL, "2014", &share));
    ck_assert_int_eq(share, 80000); /* 12 of 15 */
    share = -1;
    ck_assert_int_eq(jql_tasks_completion_share(ds, "P", "2014", &share), JQL_ENODATA);
    ck_assert_int_eq(share, -1);
    jql_dataset_free(ds);
}
END_TEST

/* DV1 to communes (done), DV2 to C1 by id (open), DV3 to districts (done),
   DV4 to communes without due date, DV5 to C3 due in 2015. */
static jql_dataset *with_directives(void)
{
    jql_dataset *ds = tree();
    size_t d;
    OK(jql_directive_add(ds, "DV1", D(2014, 1, 5), "P", "communes", &d));
    OK(jql_directive_add_level(ds, d, "commune"));
    OK(jql_directive_set_due(ds, d, D(2014, 6, 30)));
    OK(jql_directive_set_status(ds, d, JQL_DIRECTIVE_DONE, D(2014, 6, 1)));
    OK(jql_directive_add(ds, "DV2", D(2014, 1, 5), "P", "C1", &d));
    OK(jql_directive_add_unit(ds, d, "C1"));
    OK(jql_directive_set_due(ds, d, D(2014, 9, 30)));
    OK(jql_directive_add(ds, "DV3", D(2014, 1, 5), "P", "districts", &d));
    OK(jql_directive_add_level(ds, d, "district"));
    OK(jql_directive_set_due(ds, d, D(2014, 3, 31)));
    OK(jql_directive_set_status(ds, d, JQL_DIRECTIVE_DONE, D(2014, 3, 1)));
    OK(jql_directive_add(ds, "DV4", D(2014, 1, 5), "P", "no due date", &d));
    OK(jql_directive_add_level(ds, d, "commune"));
    OK(jql_directive_add(ds, "DV5", D(2014, 1, 5), "P", "C3 next year", &d));
    OK(jql_directive_add_unit(ds, d, "C3"));
    OK(jql_directive_set_due(ds, d, D(2015, 1, 15)));
    return ds;
}

START_TEST(directives)
{
    jql_dataset *ds = with_directives();
    size_t out[8];
    ck_assert_int_eq(counted(jql_directives_due(ds, "C1", "2014", out, 8, &n_)), 2);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 1);
    ck_assert_int_eq(counted(jql_directives_due(ds, "C3", "2014", out, 8, &n_)), 1);
    ck_assert_int_eq(counted(jql_directives_due(ds, "C3", "2015", out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 4);
    ck_assert_int_eq(counted(jql_directives_due(ds, "D1", "2014", out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 2);
    ck_assert_int_eq(counted(jql_directives_due(ds, "P", "2014", out, 8, &n_)), 0);
    ck_assert_int_eq(counted(jql_directives_due(ds, NULL, "2014", out, 8, &n_)), 3);
    ck_assert_int_eq(counted(jql_directives_due(ds, NULL, "2014", out, 1, &n_)), 3);

    jql_milli share = -1;
    OK(jql_directives_completion_share(ds, "C1", "2014", &share));
    ck_assert_int_eq(share, 50000);
    OK(jql_directives_completion_share(ds, "C3", "2014", &share));
    ck_assert_int_eq(share, 100000);
    OK(jql_directives_completion_share(ds, "C3", "2015", &share));
    ck_assert_int_eq(share, 0);
    share = -1;
    ck_assert_int_eq(jql_directives_completion_share(ds, "P", "2014", &share), JQL_ENODATA);
    ck_assert_int_eq(share, -1);

    /* roll-up D1: DV1 (commune level), DV2 (C1), DV3 (district) -> 2 of 3 */
    jql_directive_summary s;
    jql_sizevec ev = {0};
    OK(jql_q_directives(ds, U(ds, "D1"), P(ds, "2014"), true, &s, &ev));
    ck_assert_uint_eq(s.due, 3);
    ck_assert_uint_eq(s.completed, 2);
    ck_assert_int_eq(jql_share_pct(s.completed, s.due), 66667);
    ck_assert_uint_eq(ev.len, 3);
    OK(jql_q_directives(ds, U(ds, "P"), P(ds, "2015"), true, &s, NULL));
    ck_assert_uint_eq(s.due, 1); /* DV5 via C3 */
    OK(jql_q_directives(ds, U(ds, "P"), P(ds, "2015"), false, &s, NULL));
    ck_assert_uint_eq(s.due, 0);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(events)
{
    jql_dataset *ds = tree();
    size_t e;
    OK(jql_event_add(ds, "C1", D(2014, 3, 1), "discipline", NULL, NULL));
    OK(jql_event_add(ds, "C1", D(2014, 5, 1), "initiative", "a", &e));
    OK(jql_event_set_points(ds, e, 1500));
    OK(jql_event_add(ds, "C1", D(2014, 6, 1), "initiative", "b", &e));
    OK(jql_event_set_points(ds, e, 500));
    OK(jql_event_add(ds, "C1", D(2015, 1, 1), "initiative", "c", &e));
    OK(jql_event_set_points(ds, e, 1000));
    OK(jql_event_add(ds, "C2", D(2014, 7, 1), "initiative", "d", &e));
    OK(jql_event_set_points(ds, e, 2000));

    size_t out[8];
    ck_assert_int_eq(counted(jql_events_in_period(ds, "C1", "2014", "initiative", out, 8, &n_)), 2);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[1], 2);
    ck_assert_int_eq(counted(jql_events_in_period(ds, "C1", "2014", NULL, out, 8, &n_)), 3);
    ck_assert_int_eq(counted(jql_events_in_period(ds, "C1", "2014-Q2", "discipline", out, 8, &n_)), 0);
    ck_assert_int_eq(counted(jql_events_in_period(ds, NULL, "2014", "initiative", out, 8, &n_)), 3);
    ck_assert_int_eq(counted(jql_events_in_period(ds, NULL, "2014", NULL, out, 1, &n_)), 4);
    ck_assert_int_eq(counted(jql_events_in_period(ds, "D1", "2014", NULL, out, 8, &n_)), 0);

    size_t n = 99;
    jql_milli pts = -1;
    OK(jql_q_events(ds, U(ds, "C1"), P(ds, "2014"), "initiative", false, &n, &pts, NULL));
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(pts, 2000);
    OK(jql_q_events(ds, U(ds, "C1"), P(ds, "2014"), "discipline", false, &n, &pts, NULL));
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(pts, 0); /* no points */
    jql_sizevec ev = {0};
    OK(jql_q_events(ds, U(ds, "D1"), P(ds, "2014"), "initiative", true, &n, &pts, &ev));
    ck_assert_uint_eq(n, 3);
    ck_assert_int_eq(pts, 4000);
    ck_assert_uint_eq(ev.len, 3);
    ck_assert_uint_eq(ev.items[2], 4);
    OK(jql_q_events(ds, U(ds, "P"), P(ds, "2013"), NULL, true, &n, NULL, NULL));
    ck_assert_uint_eq(n, 0);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

/* A (unit, indicator) pair with 60,000 one-day periods, each with its
   value, asked for each of them: the record of exactly the period is
   found by its dates, not by reading all 60,000 for every answer
   (3.6 * 10^9 steps, past the test's time limit). A year still combines
   its days; periods outside the pair's dates are answered without reading. */
START_TEST(value_of_a_long_pair)
{
    enum { N = 60000 };
    jql_dataset *ds = tree();
    OK(jql_indicator_add(ds, "cases", "Cases", NULL, JQL_AGG_SUM, NULL));
    jql_date first = D(2001, 1, 1);
    char id[32];
    for (size_t k = 0; k < N; k++) {
        snprintf(id, sizeof id, "d%zu", k);
        OK(jql_period_add(ds, id, NULL, first + (jql_date)k, first + (jql_date)k, NULL));
        OK(jql_stat_set_value(ds, "C1", "cases", id, (jql_milli)(k % 7) * 1000));
    }
    for (size_t k = 0; k < N; k++) {
        snprintf(id, sizeof id, "d%zu", k);
        ck_assert_int_eq(val(ds, "C1", "cases", id, 0), (jql_milli)(k % 7) * 1000);
    }
    /* 2001: 365 days from Monday's 0, 52 weeks of 21 and a 0 */
    ck_assert_int_eq(val(ds, "C1", "cases", "2001", 0), 52 * 21000);
    /* 60,000 periods after the pair's last date: none holds a record, known
       from the pair's dates without reading it (3.6 * 10^9 steps again) */
    jql_date after = D(2201, 1, 1);
    for (size_t k = 0; k < N; k++) {
        snprintf(id, sizeof id, "e%zu", k);
        OK(jql_period_add(ds, id, NULL, after + (jql_date)k, after + (jql_date)k, NULL));
        jql_milli v;
        ck_assert_int_eq(jql_indicator_value(ds, "C1", "cases", id, 0, &v), JQL_ENODATA);
    }
    /* one day of data added there: found, the bounds widened */
    OK(jql_stat_set_value(ds, "C1", "cases", "e7", 5000));
    ck_assert_int_eq(val(ds, "C1", "cases", "e7", 0), 5000);
    ck_assert_int_eq(val(ds, "C1", "cases", "2201", 0), 5000);
    jql_dataset_free(ds);
}
END_TEST

/* One unit's open shortcomings read that unit's own (the dataset's index),
   not every shortcoming: asked for each of 60,000 units, each with one,
   the scan of all of them took 3.6 * 10^9 steps (past the test's time limit). */
START_TEST(shortcomings_open_per_unit)
{
    enum { N = 60000 };
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    char id[32];
    for (size_t i = 0; i < N; i++) {
        size_t s;
        snprintf(id, sizeof id, "U%zu", i);
        OK(jql_unit_add(ds, id, id, "commune", NULL, NULL));
        OK(jql_shortcoming_add(ds, id, i % 2 ? "2014-Q2" : "2014-Q4", "text", &s));
        OK(jql_shortcoming_add_unit(ds, s, id));
    }
    size_t out[2], n = 0;
    for (size_t i = 0; i < N; i++) {
        snprintf(id, sizeof id, "U%zu", i);
        OK(jql_shortcomings_open(ds, id, "2014-Q3", out, 2, &n));
        ck_assert_uint_eq(n, i % 2); /* found in Q4: not yet open in Q3 */
        if (n)
            ck_assert_uint_eq(out[0], i);
    }
    jql_dataset_free(ds);
}
END_TEST

/* SC1 found Q1 resolved Q3; SC2 found Q2, open; SC3 found Q4, resolved 2015-Q1. */
START_TEST(shortcomings_open)
{
    jql_dataset *ds = tree();
    size_t s;
    OK(jql_shortcoming_add(ds, "SC1", "2014-Q1", "one", &s));
    OK(jql_shortcoming_add_unit(ds, s, "C1"));
    OK(jql_shortcoming_set_resolved(ds, s, "2014-Q3"));
    OK(jql_shortcoming_add(ds, "SC2", "2014-Q2", "two", &s));
    OK(jql_shortcoming_add_unit(ds, s, "C2"));
    OK(jql_shortcoming_add(ds, "SC3", "2014-Q4", "three", &s));
    OK(jql_shortcoming_add_unit(ds, s, "C3"));
    OK(jql_shortcoming_set_resolved(ds, s, "2015-Q1"));

    size_t out[8];
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2014-Q1", out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2014-Q2", out, 8, &n_)), 2);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_uint_eq(out[1], 1);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2014-Q3", out, 8, &n_)), 1); /* SC1 resolved */
    ck_assert_uint_eq(out[0], 1);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2014", out, 8, &n_)), 2);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_uint_eq(out[1], 2);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2015", out, 8, &n_)), 1); /* SC2 */
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2013", out, 8, &n_)), 0);
    /* one unit: the shortcomings naming it */
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, "C2", "2014", out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 1);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, "C1", "2014", out, 8, &n_)), 0);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, "C1", "2014-Q2", out, 8, &n_)), 1);
    ck_assert_uint_eq(out[0], 0);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, "D1", "2014-Q2", out, 8, &n_)), 0);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "2014", NULL, 0, &n_)), 2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(assessments)
{
    jql_dataset *ds = tree();
    size_t a2, a4, ay, h2, q4;
    OK(jql_assessment_add(ds, "C1", "2014-Q2", "crit", 1000, 900, &a2));
    OK(jql_assessment_add(ds, "C1", "2014-Q4", "crit", 2000, JQL_NO_SCORE, &a4));
    OK(jql_assessment_add(ds, "C1", "2014", "crit", 3000, 2500, &ay));
    OK(jql_assessment_add(ds, "C1", "2014-Q4", "c2", 1, 1, &q4));
    OK(jql_assessment_add(ds, "C1", "2014-H2", "c2", 2, 2, &h2));
    size_t i = 999;
    OK(jql_q_assessment(ds, U(ds, "C1"), "crit", P(ds, "2014"), &i));
    ck_assert_uint_eq(i, ay); /* exact period */
    OK(jql_q_assessment(ds, U(ds, "C1"), "crit", P(ds, "2014-H2"), &i));
    ck_assert_uint_eq(i, a4);
    OK(jql_q_assessment(ds, U(ds, "C1"), "crit", P(ds, "2014-9M"), &i));
    ck_assert_uint_eq(i, a2); /* Q2 is the latest ending inside 9M */
    /* Q4 and H2 both end on 31 Dec: the later start (Q4) */
    OK(jql_q_assessment(ds, U(ds, "C1"), "c2", P(ds, "2014"), &i));
    ck_assert_uint_eq(i, q4);
    ck_assert_int_eq(jql_q_assessment(ds, U(ds, "C1"), "crit", P(ds, "2014-Q1"), &i),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(jql_q_assessment(ds, U(ds, "C2"), "crit", P(ds, "2014"), &i),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(jql_q_assessment(ds, U(ds, "C1"), "other", P(ds, "2014"), &i),
                     JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(errors)
{
    jql_dataset *ds = with_reports();
    OK(jql_indicator_add(ds, "s", "s", NULL, JQL_AGG_SUM, NULL));
    jql_milli v = 5;
    size_t out[4];
    ck_assert_int_eq(jql_indicator_value(ds, "nope", "s", "2014", 0, &v), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "nope"));
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "ind-x", "2014", 0, &v), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "ind-x"));
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "s", "2014-Q9", 0, &v), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "2014-Q9"));
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "s", "2014", 0x10, &v), JQL_EINVALID);
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "s", "2014", 0, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_indicator_value(NULL, "C1", "s", "2014", 0, &v), JQL_EINVALID);
    ck_assert_int_eq(jql_indicator_value(ds, NULL, "s", "2014", 0, &v), JQL_EINVALID);
    ck_assert_int_eq(jql_indicator_value(ds, "C1", "s", "2014", 0, &v), JQL_ENODATA);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "no data"));
    ck_assert_int_eq(v, 5);
    ck_assert_int_eq(jql_indicator_value_change(ds, "C1", "s", "x", 0, &v, NULL, NULL, NULL),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(jql_indicator_value_change(ds, "zz", "s", "2014", 0, &v, NULL, NULL, NULL),
                     JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "zz", "2014", NULL, out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "zz"));
    ck_assert_int_eq(counted(jql_reports_in_period(ds, NULL, "2014", NULL, out, 4, &n_)), 5);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014-X", NULL, out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_reports_in_period(ds, "C1", "2014", NULL, NULL, 4, &n_)), JQL_EINVALID);
    ck_assert_int_eq(counted(jql_tasks_due(ds, "zz", "2014", out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_tasks_due(ds, "C1", "q", out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_tasks_overdue(ds, "zz", D(2014, 1, 1), out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_tasks_completion_share(ds, "zz", "2014", &v), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_tasks_completion_share(ds, "C1", "q", &v), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_tasks_completion_share(ds, "C1", "2014", NULL), JQL_EINVALID);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, NULL, "q", out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_shortcomings_open(NULL, NULL, "2014", out, 4, &n_)), JQL_EINVALID);
    ck_assert_int_eq(counted(jql_directives_due(ds, "zz", "2014", out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_directives_due(ds, "C1", NULL, out, 4, &n_)), JQL_EINVALID);
    ck_assert_int_eq(jql_directives_completion_share(ds, "zz", "2014", &v), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_events_in_period(ds, "zz", "2014", NULL, out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_events_in_period(ds, "C1", "q", NULL, out, 4, &n_)), JQL_ENOTFOUND);
    ck_assert_int_eq(counted(jql_tasks_due(NULL, NULL, "2014", out, 4, &n_)), JQL_EINVALID);
    /* the count is required, and is 0 after any failure */
    ck_assert_int_eq(jql_tasks_due(ds, "C1", "2014", out, 4, NULL), JQL_EINVALID);
    n_ = 42;
    ck_assert_int_eq(jql_events_in_period(ds, "zz", "2014", NULL, out, 4, &n_), JQL_ENOTFOUND);
    ck_assert_uint_eq(n_, 0);
    ck_assert_int_eq(counted(jql_shortcomings_open(ds, "zz", "2014", out, 4, &n_)), JQL_ENOTFOUND);
    /* "no data" is not "not found" */
    ck_assert_int_ne(JQL_ENODATA, JQL_ENOTFOUND);
    ck_assert_str_eq(jql_status_name(JQL_ENODATA), "JQL_ENODATA");
    jql_dataset_free(ds);
}
END_TEST

/* Every allocation of a roll-up query with evidence may fail: the query
   then returns JQL_ENOMEM and leaks nothing (checked under valgrind). */
START_TEST(out_of_memory)
{
    test_install_failing_allocator();
    test_fail_after(-1);
    jql_dataset *ds = with_tasks();
    OK(jql_indicator_add(ds, "s", "s", NULL, JQL_AGG_SUM, NULL));
    /* 40 quarter-records in one unit spill the value query's local buffer */
    char per[16];
    for (int y = 2000; y < 2010; y++)
        for (int q = 1; q <= 4; q++) {
            snprintf(per, sizeof per, "%d-Q%d", y, q);
            OK(jql_stat_set_value(ds, "C1", "s", per, 1000));
        }
    OK(jql_stat_set_value(ds, "C3", "s", "2005", 7000));
    OK(jql_period_add(ds, "decade", NULL, D(2000, 1, 1), D(2009, 12, 31), NULL));
    jql_range dec = P(ds, "decade"), y2014 = P(ds, "2014");
    size_t up = U(ds, "P"), s_ind = IND(ds, "s");
    bool done = false;
    for (long n = 0; n < 200 && !done; n++) {
        jql_sizevec ev = {0};
        jql_milli v = 0;
        test_fail_after(n);
        int rc = jql_q_value(ds, up, s_ind, dec, true, &v, &ev);
        /* done when a call makes no more allocations (past a first success
           whose failure was made up for) */
        done = test_alloc_count() <= n;
        test_fail_after(-1);
        ck_assert(!done || rc == JQL_OK);
        if (rc == JQL_OK) {
            ck_assert_int_eq(v, 47000);
            ck_assert_uint_eq(ev.len, 41);
        } else
            ck_assert_int_eq(rc, JQL_ENOMEM);
        jql_sizevec_free(&ev);
    }
    ck_assert(done);
    done = false;
    for (long n = 0; n < 200 && !done; n++) {
        jql_sizevec ev = {0};
        jql_task_summary s;
        test_fail_after(n);
        int rc = jql_q_tasks(ds, up, y2014, NULL, true, &s, &ev);
        done = test_alloc_count() <= n;
        test_fail_after(-1);
        ck_assert(!done || rc == JQL_OK);
        if (rc == JQL_OK)
            ck_assert_uint_eq(s.due, 15);
        else
            ck_assert_int_eq(rc, JQL_ENOMEM);
        jql_sizevec_free(&ev);
    }
    ck_assert(done);
    done = false;
    for (long n = 0; n < 200 && !done; n++) {
        size_t out[4];
        test_fail_after(n);
        long rc = counted(jql_tasks_due(ds, "C1", "2014", out, 4, &n_));
        done = test_alloc_count() <= n;
        test_fail_after(-1);
        ck_assert(!done || rc >= 0);
        if (rc >= 0)
            ck_assert_int_eq(rc, 10);
        else
            ck_assert_int_eq(rc, JQL_ENOMEM);
    }
    ck_assert(done);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("query");
    TCase *tc = tcase_create("query");
    tcase_add_test(tc, units_preorder);
    tcase_add_test(tc, exact_period_wins);
    tcase_add_test(tc, year_from_quarters);
    tcase_add_test(tc, mean_rounds_half_away);
    tcase_add_test(tc, nested_not_double_counted);
    tcase_add_test(tc, record_order_does_not_matter);
    tcase_add_test(tc, rollup_statistics_as_walked);
    tcase_add_test(tc, rollup_directives_as_walked);
    tcase_add_test(tc, rollup_vetoes_as_walked);
    tcase_add_test(tc, rollup_tiebreaks_as_walked);
    tcase_add_test(tc, rollup_veto_error_where_scored);
    tcase_add_test(tc, rollup_three_levels);
    tcase_add_test(tc, change_percent);
    tcase_add_test(tc, ratio_percent);
    tcase_add_test(tc, leap_day_year_before);
    tcase_add_test(tc, reports_days_late);
    tcase_add_test(tc, reports_latest_tie_not_input_order);
    tcase_add_test(tc, reports_in_period);
    tcase_add_test(tc, report_find);
    tcase_add_test(tc, tasks_summary);
    tcase_add_test(tc, tasks_fields_one_pass);
    tcase_add_test(tc, tasks_public);
    tcase_add_test(tc, directives);
    tcase_add_test(tc, events);
    tcase_add_test(tc, shortcomings_open);
    tcase_add_test(tc, shortcomings_open_per_unit);
    tcase_add_test(tc, value_of_a_long_pair);
    tcase_add_test(tc, assessments);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
