/*
 * The statistics index by (unit, indicator) and the units' pre-order that
 * value queries read (issue 10): through the public API, a roll-up must
 * give what walking the subtree unit by unit gives, before and after every
 * kind of edit (units added or moved, indicators and statistics added,
 * values changed), and out of memory while building it must leave a
 * dataset whose values are still its records'. One unit with 40,000
 * indicators, asked for each (jql-report's change_of), must stay linear.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define OK(x) ck_assert_int_eq((x), JQL_OK)

static const char *const periods[] = {"2014-Q1", "2014-Q2", "2013-Q1", "2013-Q2"};
static const char *const asked[] = {"2014-Q1", "2014-H1", "2013-H1", "2014"};

/* Indicator i's roll-up over u's subtree the slow way: each unit's own
   value (no roll-up), combined as the library documents (sum and last:
   sum; min; max). JQL_ENODATA when no unit of the subtree has one. */
static int walked(const jql_dataset *ds, size_t u, const char *ind, jql_aggregation agg,
                  const char *period, jql_milli *out)
{
    size_t n = jql_unit_count(ds), *stack = malloc((n + 1) * sizeof *stack), top = 0, found = 0;
    jql_milli acc = 0;
    stack[top++] = u;
    while (top) {
        size_t x = stack[--top];
        for (size_t k = 0; k < jql_unit_child_count(ds, x); k++)
            stack[top++] = jql_unit_child(ds, x, k);
        jql_milli v;
        int rc = jql_indicator_value(ds, jql_unit_id(ds, x), ind, period, 0, &v);
        if (rc == JQL_ENODATA)
            continue;
        ck_assert_int_eq(rc, JQL_OK);
        if (!found)
            acc = v;
        else if (agg == JQL_AGG_MIN)
            acc = v < acc ? v : acc;
        else if (agg == JQL_AGG_MAX)
            acc = v > acc ? v : acc;
        else
            acc += v;
        found++;
    }
    free(stack);
    *out = acc;
    return found ? JQL_OK : JQL_ENODATA;
}

static const char *const ind_ids[] = {"sum", "last", "min", "max", "few", "late"};
static const jql_aggregation ind_aggs[] = {JQL_AGG_SUM, JQL_AGG_LAST, JQL_AGG_MIN,
                                           JQL_AGG_MAX, JQL_AGG_SUM, JQL_AGG_SUM};

/* Every unit, indicator and asked period: roll-up = walk, and the change
   a year earlier reads the same two roll-ups. */
static void check_all(const jql_dataset *ds, size_t n_ind)
{
    for (size_t u = 0; u < jql_unit_count(ds); u++)
        for (size_t i = 0; i < n_ind; i++)
            for (size_t p = 0; p < sizeof asked / sizeof *asked; p++) {
                jql_milli got = -1, want = -1;
                const char *uid = jql_unit_id(ds, u);
                int rc = jql_indicator_value(ds, uid, ind_ids[i], asked[p], JQL_ROLLUP, &got);
                int wrc = walked(ds, u, ind_ids[i], ind_aggs[i], asked[p], &want);
                ck_assert_msg(rc == wrc && (rc || got == want),
                              "%s %s %s: %d %lld, walked %d %lld", uid, ind_ids[i], asked[p], rc,
                              (long long)got, wrc, (long long)want);
                jql_milli cur = -1, prev = -1, before = -1;
                rc = jql_indicator_value_change(ds, uid, ind_ids[i], asked[p], JQL_ROLLUP, &cur,
                                                &prev, NULL, NULL);
                if (wrc == JQL_OK)
                    ck_assert_int_eq(cur, want);
                if (p == 1 && walked(ds, u, ind_ids[i], ind_aggs[i], "2013-H1", &before) == 0)
                    ck_assert_int_eq(prev, before);
                (void)rc;
            }
}

static void add_stats(jql_dataset *ds, size_t from, size_t n_ind, unsigned chance)
{
    for (size_t u = from; u < jql_unit_count(ds); u++)
        for (size_t i = 0; i < n_ind; i++)
            for (size_t p = 0; p < sizeof periods / sizeof *periods; p++)
                if (test_rnd(100) < (i == 4 ? 3 : chance)) /* "few": a sparse indicator */
                    OK(jql_stat_set_value(ds, jql_unit_id(ds, u), ind_ids[i], periods[p],
                                          1000 * (jql_milli)test_rnd(50)));
}

START_TEST(rollup_matches_walk_through_edits)
{
    jql_dataset *ds = jql_dataset_new();
    char id[32], parent[32];
    for (int k = 0; k < 80; k++) { /* a forest: 3 roots, each unit under an earlier one */
        snprintf(id, sizeof id, "u%d", k);
        snprintf(parent, sizeof parent, "u%u", k ? test_rnd((unsigned)k) : 0);
        OK(jql_unit_add(ds, id, "U", "x", k < 3 ? NULL : parent, NULL));
    }
    for (size_t i = 0; i < 5; i++)
        OK(jql_indicator_add(ds, ind_ids[i], ind_ids[i], NULL, ind_aggs[i], NULL));
    add_stats(ds, 0, 5, 40);
    check_all(ds, 5);

    /* an indicator added after the statistics of the others */
    OK(jql_indicator_add(ds, "late", "late", NULL, JQL_AGG_SUM, NULL));
    for (int k = 0; k < 80; k += 7) {
        snprintf(id, sizeof id, "u%d", k);
        OK(jql_stat_set_value(ds, id, "late", "2014-Q2", 1000 * k));
    }
    check_all(ds, 6);

    /* subtrees moved (a move that would close a cycle is refused) */
    for (int m = 0; m < 30; m++) {
        snprintf(parent, sizeof parent, "u%u", test_rnd(80));
        int rc = jql_unit_set_parent(ds, test_rnd(80), m % 10 == 9 ? NULL : parent);
        ck_assert(rc == JQL_OK || rc == JQL_EINVALID);
    }
    check_all(ds, 6);

    /* units added under the deepest ones, with statistics */
    for (int k = 80; k < 100; k++) {
        snprintf(id, sizeof id, "u%d", k);
        snprintf(parent, sizeof parent, "u%u", test_rnd((unsigned)k));
        OK(jql_unit_add(ds, id, "U", "x", parent, NULL));
    }
    add_stats(ds, 80, 6, 50);
    check_all(ds, 6);

    /* values changed in place */
    for (size_t s = 0; s < jql_stat_count(ds); s += 3) {
        size_t u = jql_stat_unit(ds, s), i = jql_stat_indicator(ds, s);
        OK(jql_stat_set_value(ds, jql_unit_id(ds, u), jql_indicator_id(ds, i),
                              jql_stat_period(ds, s), jql_stat_value(ds, s) + 500));
    }
    check_all(ds, 6);
    jql_dataset_free(ds);
}
END_TEST

/* Out of memory at any allocation while statistics are added: each call
   gives JQL_OK or JQL_ENOMEM, and afterwards every record is what its
   (unit, indicator, period) reads, rolled up or not (nothing leaks:
   valgrind). */
START_TEST(out_of_memory_keeps_the_index_whole)
{
    test_install_failing_allocator();
    for (long fail = 0; fail < 120; fail++) {
        test_fail_after(-1);
        jql_dataset *ds = jql_dataset_new();
        OK(jql_unit_add(ds, "r", "R", "x", NULL, NULL));
        OK(jql_unit_add(ds, "a", "A", "x", "r", NULL));
        OK(jql_unit_add(ds, "b", "B", "x", "a", NULL));
        for (int i = 0; i < 6; i++) {
            char ind[8];
            snprintf(ind, sizeof ind, "i%d", i);
            OK(jql_indicator_add(ds, ind, ind, NULL, JQL_AGG_SUM, NULL));
        }
        test_fail_after(fail);
        for (int k = 0; k < 30; k++) {
            char ind[8];
            snprintf(ind, sizeof ind, "i%d", k % 6);
            int rc = jql_stat_set_value(ds, k % 3 ? "b" : "a", ind, periods[k % 4],
                                        1000 * (k + 1));
            ck_assert(rc == JQL_OK || rc == JQL_ENOMEM);
        }
        jql_milli first; /* the first roll-up builds the pre-order */
        int rc = jql_indicator_value(ds, "r", "i1", "2014-Q2", JQL_ROLLUP, &first);
        ck_assert(rc == JQL_OK || rc == JQL_ENOMEM || rc == JQL_ENODATA);
        test_fail_after(-1);
        jql_milli total = 0;
        for (size_t s = 0; s < jql_stat_count(ds); s++) {
            jql_milli v = -1;
            OK(jql_indicator_value(ds, jql_unit_id(ds, jql_stat_unit(ds, s)),
                                   jql_indicator_id(ds, jql_stat_indicator(ds, s)),
                                   jql_stat_period(ds, s), 0, &v));
            ck_assert_int_eq(v, jql_stat_value(ds, s));
            total += v;
        }
        jql_milli sum = 0;
        for (int i = 0; i < 6; i++)
            for (int p = 0; p < 4; p++) {
                char ind[8];
                jql_milli v;
                snprintf(ind, sizeof ind, "i%d", i);
                if (jql_indicator_value(ds, "r", ind, periods[p], JQL_ROLLUP, &v) == JQL_OK)
                    sum += v;
            }
        ck_assert_int_eq(sum, total);
        jql_dataset_free(ds);
    }
}
END_TEST

/* One unit, 40,000 indicators of one statistic each, every one asked for
   its value and change rolled up from the root, as jql-report does: each
   query read all the unit's 40,000 statistics (80,000: 42 s in
   jql-report); now only its indicator's. */
START_TEST(many_indicators_one_unit)
{
    enum { N = 40000 };
    jql_dataset *ds = jql_dataset_new();
    OK(jql_unit_add(ds, "D", "D", "province", NULL, NULL));
    OK(jql_unit_add(ds, "U", "U", "district", "D", NULL));
    char ind[16];
    for (int i = 0; i < N; i++) {
        snprintf(ind, sizeof ind, "i%d", i);
        OK(jql_indicator_add(ds, ind, ind, NULL, JQL_AGG_SUM, NULL));
        OK(jql_stat_set_value(ds, "U", ind, "2014-Q1", 1000 * (i % 9 + 1)));
        OK(jql_stat_set_value(ds, "U", ind, "2013-Q1", 1000));
    }
    for (int i = 0; i < N; i++) {
        jql_milli cur, prev, delta, pct;
        snprintf(ind, sizeof ind, "i%d", i);
        OK(jql_indicator_value_change(ds, "D", ind, "2014-Q1", JQL_ROLLUP, &cur, &prev, &delta,
                                      &pct));
        ck_assert_int_eq(cur, 1000 * (i % 9 + 1));
        ck_assert_int_eq(pct, 100000 * (i % 9)); /* thousandths of a percent */
    }
    jql_dataset_free(ds);
}
END_TEST

/* A 20,000-unit chain with the statistics of 20,000 indicators at its
   deep end, rolled up from the top: each roll-up walked the whole chain
   (minutes in jql-report); now it reads the indicator's few pairs. */
START_TEST(deep_chain_sparse_indicators)
{
    enum { N = 20000 };
    jql_dataset *ds = jql_dataset_new();
    char id[16], parent[16], ind[16];
    for (int k = 0; k < N; k++) {
        snprintf(id, sizeof id, "u%d", k);
        snprintf(parent, sizeof parent, "u%d", k - 1);
        OK(jql_unit_add(ds, id, "U", "x", k ? parent : NULL, NULL));
    }
    for (int i = 0; i < N; i++) {
        snprintf(ind, sizeof ind, "i%d", i);
        snprintf(id, sizeof id, "u%d", N - 1 - i % 3);
        OK(jql_indicator_add(ds, ind, ind, NULL, JQL_AGG_SUM, NULL));
        OK(jql_stat_set_value(ds, id, ind, "2014-Q1", 1000 * (i % 5)));
    }
    for (int i = 0; i < N; i++) {
        jql_milli v;
        snprintf(ind, sizeof ind, "i%d", i);
        OK(jql_indicator_value(ds, "u0", ind, "2014-Q1", JQL_ROLLUP, &v));
        ck_assert_int_eq(v, 1000 * (i % 5));
        /* u(N-2) holds u(N-2) and u(N-1) only */
        int rc = jql_indicator_value(ds, "u19998", ind, "2014-Q1", JQL_ROLLUP, &v);
        ck_assert_int_eq(rc, i % 3 == 2 ? JQL_ENODATA : JQL_OK);
    }
    jql_dataset_free(ds);
}
END_TEST

/* Indicators without a single statistic, declared before and after the
   ones that have some: a roll-up of them has no data (it read past the
   index of indicators with statistics, and crashed). Every aggregation,
   a unit with and without descendants, and with no statistic at all. */
START_TEST(rollup_of_indicator_without_statistics)
{
    for (int with_stats = 0; with_stats < 2; with_stats++) {
        jql_dataset *ds = jql_dataset_new();
        OK(jql_unit_add(ds, "P", "P", "province", NULL, NULL));
        OK(jql_unit_add(ds, "D", "D", "district", "P", NULL));
        const char *names[] = {"first", "held", "later", "last"};
        jql_aggregation aggs[] = {JQL_AGG_SUM, JQL_AGG_MEAN, JQL_AGG_MIN, JQL_AGG_MAX};
        for (int i = 0; i < 4; i++)
            OK(jql_indicator_add(ds, names[i], names[i], NULL, aggs[i], NULL));
        if (with_stats)
            OK(jql_stat_set_value(ds, "D", "held", "2014-Q1", 4000));
        for (int i = 0; i < 4; i++) {
            bool has = with_stats && i == 1;
            const char *units[] = {"P", "D"};
            for (int k = 0; k < 2; k++) {
                jql_milli v = -1;
                int rc = jql_indicator_value(ds, units[k], names[i], "2014-Q1", JQL_ROLLUP, &v);
                ck_assert_int_eq(rc, has ? JQL_OK : JQL_ENODATA);
                if (has)
                    ck_assert_int_eq(v, 4000);
                jql_milli cur, prev, delta, pct;
                rc = jql_indicator_value_change(ds, units[k], names[i], "2014-Q1", JQL_ROLLUP,
                                                &cur, &prev, &delta, &pct);
                ck_assert_int_eq(rc, JQL_ENODATA);
            }
        }
        jql_dataset_free(ds);
    }
}
END_TEST

/* Threads reading one dataset at once: the first roll-ups race to build
   the units' pre-order (one wins, the others free theirs); every thread
   gets the walked values (clean under ThreadSanitizer). */
typedef struct {
    const jql_dataset *ds;
    const jql_milli *want;
    int bad;
} reader_arg;

static void *reader(void *p)
{
    reader_arg *a = p;
    for (size_t u = 0; u < jql_unit_count(a->ds); u++) {
        jql_milli v = -1;
        int rc = jql_indicator_value(a->ds, jql_unit_id(a->ds, u), "sum", "2014-H1", JQL_ROLLUP,
                                     &v);
        if (rc == JQL_ENODATA ? a->want[u] != -1 : rc != JQL_OK || v != a->want[u])
            a->bad++;
    }
    return NULL;
}

START_TEST(threads_share_the_preorder)
{
    enum { T = 8 };
    jql_dataset *ds = jql_dataset_new();
    char id[32], parent[32];
    for (int k = 0; k < 300; k++) {
        snprintf(id, sizeof id, "u%d", k);
        snprintf(parent, sizeof parent, "u%u", k ? test_rnd((unsigned)k) : 0);
        OK(jql_unit_add(ds, id, "U", "x", k ? parent : NULL, NULL));
    }
    OK(jql_indicator_add(ds, "sum", "sum", NULL, JQL_AGG_SUM, NULL));
    add_stats(ds, 0, 1, 30);
    jql_milli *want = malloc(300 * sizeof *want);
    for (size_t u = 0; u < 300; u++) /* by the walk, which reads no roll-up */
        if (walked(ds, u, "sum", JQL_AGG_SUM, "2014-H1", &want[u]) != JQL_OK)
            want[u] = -1;
    /* a unit added drops any pre-order made so far: the threads build it */
    OK(jql_unit_add(ds, "late", "U", "x", "u0", NULL));
    want = realloc(want, 301 * sizeof *want);
    want[300] = -1;
    pthread_t th[T];
    reader_arg args[T];
    for (int t = 0; t < T; t++) {
        args[t] = (reader_arg){ds, want, 0};
        ck_assert_int_eq(pthread_create(&th[t], NULL, reader, &args[t]), 0);
    }
    for (int t = 0; t < T; t++) {
        pthread_join(th[t], NULL);
        ck_assert_int_eq(args[t].bad, 0);
    }
    free(want);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stat_index");
    TCase *tc = tcase_create("stat_index");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, rollup_matches_walk_through_edits);
    tcase_add_test(tc, rollup_of_indicator_without_statistics);
    tcase_add_test(tc, out_of_memory_keeps_the_index_whole);
    tcase_add_test(tc, threads_share_the_preorder);
    suite_add_tcase(s, tc);
    /* quadratic code took 10-25 s each here (release build): a short
       timeout catches it (0.2 s each now, debug build) */
    TCase *lin = tcase_create("linear");
    tcase_set_timeout(lin, 8);
    tcase_add_test(lin, many_indicators_one_unit);
    tcase_add_test(lin, deep_chain_sparse_indicators);
    suite_add_tcase(s, lin);
    return test_run_suite(s);
}
