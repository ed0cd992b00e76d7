/*
 * The what-if analyses of results scored with options (jql_score_with():
 * as_of, JQL_SCORE_ALLOW_EMPTY, JQL_SCORE_NO_EVIDENCE), through the public
 * API: a comparison, a sensitivity run and improvement plans are computed
 * from the results they are given, so the options of those scorings are
 * the analyses' options (what jql-score --compare, --weight, --sensitivity
 * and --plans do with --as-of and --allow-empty). On the worked example,
 * as of 2014-04-12 leaf B has no data yet: U1 and U4 score 2 (A's whole
 * points), U2 and U3 0, instead of 9.2, 9, 9 and 8; 2013-Q1 holds no
 * record. Each check fails with the options dropped (the values, or the
 * refusal, are those of the plain scoring). Threads:
 * tests/test_score_threads.c (analyses_on_several_threads).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define AS_OF "2014-04-12"

static jql_criteria *load_criteria(const char *path)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_path(path, &c, NULL);
    ck_assert_msg(rc == JQL_OK, "%s: %s", path, jql_last_error());
    return c;
}

static jql_results *score(const jql_dataset *ds, const jql_criteria *c, const char *period,
                          const jql_score_options *o)
{
    jql_results *r = NULL;
    int rc = jql_score_with(ds, c, period, o, &r);
    ck_assert_msg(rc == JQL_OK, "%s: %s", period ? period : "-", jql_last_error());
    return r;
}

static jql_score_options as_of(unsigned flags)
{
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = AS_OF;
    o.flags = flags;
    return o;
}

/* Index of unit `id` in a comparison; fails the test when absent. */
static size_t cmp_unit(const jql_comparison *cmp, const char *id)
{
    for (size_t k = 0; k < jql_comparison_unit_count(cmp); k++)
        if (strcmp(jql_comparison_unit_id(cmp, k), id) == 0)
            return k;
    ck_abort_msg("no unit %s in the comparison", id);
    return 0;
}

static size_t sens_unit(const jql_sensitivity *s, const char *id)
{
    for (size_t k = 0; k < jql_sensitivity_unit_count(s); k++)
        if (strcmp(jql_sensitivity_unit_id(s, k), id) == 0)
            return k;
    ck_abort_msg("no unit %s in the sensitivity", id);
    return 0;
}

static char *compare_json(const jql_results *a, const jql_results *b)
{
    char *s = NULL;
    size_t n;
    ck_assert_int_eq(jql_results_compare_json(a, b, &s, &n), JQL_OK);
    return s;
}

static int gather(void *user, const char *data, size_t len)
{
    char **s = user;
    size_t have = *s ? strlen(*s) : 0;
    char *t = realloc(*s, have + len + 1);
    ck_assert_ptr_nonnull(t);
    memcpy(t + have, data, len);
    t[have + len] = '\0';
    *s = t;
    return 0;
}

/* The worked example under its sheet and the sheet with A 4 / B 6, both
   scored as of 2014-04-12: the comparison of those scorings (U1 2 -> 4),
   not of the plain ones (9.2 -> 8.2); the side kept without its results,
   from a scoring without evidence (jql-score's path), the same bytes. And
   one sheet as of the date against without it: U3 drops from 3rd to 4th. */
START_TEST(comparison_as_of)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load_criteria(test_data("scoring/worked-example/criteria.json"));
    jql_criteria *c2 = load_criteria(test_data("analysis/worked-example-reweighted.json"));
    jql_score_options o = as_of(0), one = as_of(JQL_SCORE_NO_EVIDENCE);
    jql_results *b = score(ds, c, NULL, &o), *a = score(ds, c2, NULL, &o);
    jql_results *pb = score(ds, c, NULL, NULL), *pa = score(ds, c2, NULL, NULL);

    jql_comparison *cmp = NULL;
    ck_assert_int_eq(jql_results_compare(b, a, &cmp), JQL_OK);
    size_t u1 = cmp_unit(cmp, "U1"), u3 = cmp_unit(cmp, "U3");
    ck_assert_int_eq(jql_comparison_unit_final(cmp, u1, 0), 2000);
    ck_assert_int_eq(jql_comparison_unit_final(cmp, u1, 1), 4000);
    ck_assert_int_eq(jql_comparison_unit_final(cmp, u3, 0), 0);
    ck_assert_str_eq(jql_comparison_unit_tier(cmp, u1, 0), "not-completed");
    jql_milli d;
    ck_assert_int_eq(jql_comparison_unit_final_change(cmp, u1, &d), JQL_OK);
    ck_assert_int_eq(d, 2000);
    ck_assert_uint_eq(jql_comparison_rank_changes(cmp), 0);
    jql_comparison_free(cmp);

    char *with = compare_json(b, a), *plain = compare_json(pb, pa);
    ck_assert_str_ne(with, plain);
    ck_assert_ptr_nonnull(strstr(plain, "\"final_before\": 9.200"));

    /* jql-score's path: no evidence, the before side kept on its own */
    jql_results *nb = score(ds, c, NULL, &one);
    jql_compare_side *side = NULL;
    ck_assert_int_eq(jql_compare_side_new(nb, &side), JQL_OK);
    jql_results_free(nb);
    jql_results *na = score(ds, c2, NULL, &one);
    char *streamed = NULL;
    ck_assert_int_eq(jql_compare_side_write_cb(side, na, gather, &streamed), JQL_OK);
    ck_assert_str_eq(streamed, with);
    free(streamed);
    jql_results_free(na);
    jql_compare_side_free(side);

    /* the same sheet without and with the date */
    ck_assert_int_eq(jql_results_compare(pb, b, &cmp), JQL_OK);
    u1 = cmp_unit(cmp, "U1");
    u3 = cmp_unit(cmp, "U3");
    ck_assert_int_eq(jql_comparison_unit_final_change(cmp, u1, &d), JQL_OK);
    ck_assert_int_eq(d, -7200);
    long long moved;
    ck_assert_int_eq(jql_comparison_unit_rank_change(cmp, u3, &moved), JQL_OK);
    ck_assert_int_eq(moved, 1); /* 4th (veto) -> 3rd, tied with U2 at 0 */
    ck_assert_uint_gt(jql_comparison_tier_changes(cmp), 0);
    jql_comparison_free(cmp);

    jql_free(with);
    jql_free(plain);
    jql_results_free(b);
    jql_results_free(a);
    jql_results_free(pb);
    jql_results_free(pa);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
}
END_TEST

/* A sensitivity run of results scored as of the date: its base and cases
   are those of that scoring (U1 2, A -20% 1.6, +20% 2.4; plain 9.2, 9.16,
   9.24), and a one-at-a-time case is the rescoring, as of the same date,
   of the sheet with that section's weight. */
START_TEST(sensitivity_as_of)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load_criteria(test_data("scoring/worked-example/criteria.json"));
    jql_score_options o = as_of(0);
    jql_results *r = score(ds, c, NULL, &o), *p = score(ds, c, NULL, NULL);
    jql_sensitivity_options so = JQL_SENSITIVITY_OPTIONS_INIT;
    so.percent = 20000;
    so.runs = 50;
    so.seed = 9;
    jql_sensitivity *s = NULL, *sp = NULL;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &so, &s), JQL_OK);
    ck_assert_int_eq(jql_sensitivity_run(p, c, &so, &sp), JQL_OK);
    size_t u1 = sens_unit(s, "U1");
    ck_assert_int_eq(jql_sensitivity_unit_final(s, u1), 2000);
    ck_assert_int_eq(jql_sensitivity_unit_final(sp, sens_unit(sp, "U1")), 9200);
    ck_assert_str_eq(jql_sensitivity_section_id(s, 0), "A");
    ck_assert_int_eq(jql_sensitivity_oat_case_direction(s, 1), 1);
    ck_assert_int_eq(jql_sensitivity_oat_case_final(s, 0, u1), 1600);
    ck_assert_int_eq(jql_sensitivity_oat_case_final(s, 1, u1), 2400);
    ck_assert_uint_eq(jql_sensitivity_rank_max(s, sens_unit(s, "U3")), 3);

    /* case 1 (A +20%) against the sheet with A 2.4 (B 7.6) scored as of the date */
    jql_criteria *c2 = NULL;
    ck_assert_int_eq(jql_criteria_clone(c, &c2), JQL_OK);
    ck_assert_int_eq(jql_sensitivity_oat_case_weight(s, 1, 0), 2400);
    ck_assert_int_eq(jql_criteria_set_max(c2, "A", 2400, JQL_EDIT_KEEP_TOTAL, NULL), JQL_OK);
    jql_results *w = score(ds, c2, NULL, &o);
    for (size_t k = 0; k < jql_results_unit_count(w); k++) {
        size_t i = sens_unit(s, jql_results_unit_id(w, k));
        ck_assert_int_eq(jql_sensitivity_oat_case_final(s, 1, i), jql_results_unit_value(w, k, JQL_RESULT_FIELD_FINAL));
        ck_assert_uint_eq(jql_sensitivity_oat_case_rank(s, 1, i), jql_results_unit_rank(w, k));
    }

    char *a = NULL, *b = NULL;
    size_t n;
    ck_assert_int_eq(jql_sensitivity_to_json(s, &a, &n), JQL_OK);
    ck_assert_int_eq(jql_sensitivity_to_json(sp, &b, &n), JQL_OK);
    ck_assert_str_ne(a, b);
    jql_free(a);
    jql_free(b);
    jql_results_free(w);
    jql_criteria_free(c2);
    jql_sensitivity_free(s);
    jql_sensitivity_free(sp);
    jql_results_free(r);
    jql_results_free(p);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* 2013-Q1 (no record of the worked example): refused without
   JQL_SCORE_ALLOW_EMPTY, the period named; with it scored (every unit 0,
   ranked 1st together), and the analyses take those results: a comparison
   with 2014, a sensitivity run (nobody moves) and the plans of every unit
   (each 5 points from the next tier). */
START_TEST(empty_period_allowed)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load_criteria(test_data("scoring/worked-example/criteria.json"));
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score_with(ds, c, "2013-Q1", NULL, &r), JQL_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "2013-Q1"));

    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_ALLOW_EMPTY;
    r = score(ds, c, "2013-Q1", &o);
    jql_results *y = score(ds, c, "2014", NULL);

    jql_comparison *cmp = NULL;
    ck_assert_int_eq(jql_results_compare(r, y, &cmp), JQL_OK);
    ck_assert_str_eq(jql_comparison_period(cmp, 0), "2013-Q1");
    size_t u1 = cmp_unit(cmp, "U1");
    ck_assert_int_eq(jql_comparison_unit_final(cmp, u1, 0), 0);
    ck_assert_int_eq(jql_comparison_unit_final(cmp, u1, 1), 9200);
    jql_comparison_free(cmp);

    jql_sensitivity_options so = JQL_SENSITIVITY_OPTIONS_INIT;
    so.runs = 20;
    jql_sensitivity *s = NULL;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &so, &s), JQL_OK);
    ck_assert_str_eq(jql_sensitivity_period(s), "2013-Q1");
    ck_assert_uint_eq(jql_sensitivity_unit_count(s), 4);
    for (size_t k = 0; k < 4; k++) {
        ck_assert_int_eq(jql_sensitivity_unit_final(s, k), 0);
        ck_assert_uint_eq(jql_sensitivity_rank_min(s, k), 1);
        ck_assert_uint_eq(jql_sensitivity_rank_max(s, k), 1);
    }
    jql_sensitivity_free(s);

    jql_improvement_plans *p = NULL;
    ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_OK);
    ck_assert_str_eq(jql_improvement_plans_period(p), "2013-Q1");
    ck_assert_uint_eq(jql_improvement_plans_unit_count(p), 4);
    for (size_t k = 0; k < 4; k++)
        ck_assert_int_eq(jql_improvement_plans_unit_gap(p, k), 5000);
    jql_improvement_plans_free(p);

    jql_results_free(r);
    jql_results_free(y);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Plans of results scored as of the date: U1 and U4 at 2 with B's 8 points
   left (no data yet); they refuse results scored without evidence, as of
   a date or not. */
START_TEST(plans_as_of)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load_criteria(test_data("scoring/worked-example/criteria.json"));
    jql_score_options o = as_of(0), none = as_of(JQL_SCORE_NO_EVIDENCE);
    jql_results *r = score(ds, c, NULL, &o), *n = score(ds, c, NULL, &none);
    jql_improvement_plans *p = NULL;
    ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_OK);
    size_t seen = 0;
    for (size_t k = 0; k < jql_improvement_plans_unit_count(p); k++) {
        const char *id = jql_improvement_plans_unit_id(p, k);
        if (strcmp(id, "U1") && strcmp(id, "U4"))
            continue;
        seen++;
        ck_assert_int_eq(jql_improvement_plans_unit_final(p, k), 2000);
        ck_assert_uint_ge(jql_improvement_plans_leaf_count(p, k), 1);
        ck_assert_str_eq(jql_improvement_plans_leaf_id(p, k, 0), "B");
        ck_assert_int_eq(jql_improvement_plans_leaf_left(p, k, 0), 8000);
    }
    ck_assert_uint_eq(seen, 2); /* U1 leads the top tier without the date */
    jql_improvement_plans_free(p);
    char *t = NULL;
    size_t len;
    ck_assert_int_eq(jql_improvement_plans_json(n, c, &t, &len), JQL_EINVALID);
    ck_assert_ptr_null(t);
    jql_results_free(r);
    jql_results_free(n);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analysis_opts");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, comparison_as_of);
    tcase_add_test(tc, sensitivity_as_of);
    tcase_add_test(tc, empty_period_allowed);
    tcase_add_test(tc, plans_as_of);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
