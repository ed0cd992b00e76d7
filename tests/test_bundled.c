/*
 * The bundled example data (examples/data/): every bundled sheet scores
 * with no host registration; the custom-function example sheet agrees with
 * the built-in leaf it mirrors; the unregistered case has its own message.
 */
#include <string.h>

#include "../examples/custom_functions.h"
#include "testutil.h"

static jql_criteria *load_criteria(const char *rel)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_load_path(example_data(rel), &c, &d), JQL_OK);
    jql_diagnostics_free(d);
    return c;
}

static size_t node_index(const jql_results *r, const char *id)
{
    for (size_t n = 0; n < jql_results_node_count(r); n++)
        if (strcmp(jql_results_node_id(r, n), id) == 0)
            return n;
    ck_abort_msg("no node %s", id);
    return 0;
}

static size_t unit_index(const jql_results *r, const char *id)
{
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        if (strcmp(jql_results_unit_id(r, k), id) == 0)
            return k;
    ck_abort_msg("no unit %s", id);
    return 0;
}

START_TEST(bundled_2014_scores_without_registration)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = load_criteria("long-an-2014/criteria-2014.json");
    jql_results *r = NULL;
    ck_assert_msg(jql_score(ds, c, NULL, &r) == JQL_OK, "%s", jql_last_error());
    ck_assert_uint_eq(jql_results_unit_count(r), 15);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unregistered_custom_has_its_own_message)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = load_criteria("long-an-2014/criteria-2014-custom.json");
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(jql_last_error(),
                     "custom function \"mediation_success_rate\" (criterion mediation-success) is "
                     "not registered: the program must register it before scoring "
                     "(jql_criteria_custom_register)");
    ck_assert_ptr_null(strstr(jql_last_error(), "do not fit"));
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The custom function of the examples and the built-in ratio + linear leaf
   are two computations of one rule: they must agree unit by unit. */
START_TEST(custom_sheet_matches_builtin_leaf)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *builtin = load_criteria("long-an-2014/criteria-2014.json");
    jql_criteria *custom = load_criteria("long-an-2014/criteria-2014-custom.json");
    ck_assert_int_eq(cli_register_custom_functions(custom), JQL_OK);
    jql_results *rb = NULL, *rc = NULL;
    ck_assert_int_eq(jql_score(ds, builtin, NULL, &rb), JQL_OK);
    ck_assert_msg(jql_score(ds, custom, NULL, &rc) == JQL_OK, "%s", jql_last_error());
    size_t nb = node_index(rb, "mediation-success"), nc = node_index(rc, "mediation-success");
    ck_assert_uint_eq(jql_results_unit_count(rb), jql_results_unit_count(rc));
    size_t distinct = 0;
    jql_milli first = -1;
    for (size_t k = 0; k < jql_results_unit_count(rc); k++) {
        const char *id = jql_results_unit_id(rc, k);
        jql_milli pc = jql_results_node_points(rc, k, nc);
        jql_milli pb = jql_results_node_points(rb, unit_index(rb, id), nb);
        ck_assert_msg(pb == pc, "%s: built-in %lld, custom %lld", id, (long long)pb,
                      (long long)pc);
        if (first < 0)
            first = pc;
        else if (pc != first)
            distinct++;
    }
    ck_assert_uint_gt(distinct, 0); /* the data spreads the leaf: a real comparison */
    jql_results_free(rb);
    jql_results_free(rc);
    jql_criteria_free(builtin);
    jql_criteria_free(custom);
    jql_dataset_free(ds);
}
END_TEST

/* The two-tier example: province -> communes after the 2025 reorganisation,
   the 2025 tiers and quota; the hierarchy is just data. */
START_TEST(two_tier_2026_validates_and_scores)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(example_data("tay-ninh-2026/dataset.json"), &ds, &d),
                     JQL_OK);
    ck_assert_uint_eq(jql_diagnostics_count(d), 0);
    jql_diagnostics_free(d);
    size_t communes = 0, root = JQL_NONE;
    for (size_t u = 0; u < jql_unit_count(ds); u++) {
        if (jql_unit_parent(ds, u) == JQL_NONE) {
            ck_assert_uint_eq(root, JQL_NONE); /* one root: the province */
            root = u;
            ck_assert_str_eq(jql_unit_level(ds, u), "province");
        } else {
            ck_assert_str_eq(jql_unit_level(ds, u), "commune");
            ck_assert_uint_eq(jql_unit_depth(ds, u), 1); /* no district level */
            communes++;
        }
    }
    ck_assert_uint_eq(communes, 12);
    jql_criteria *c = load_criteria("tay-ninh-2026/criteria-2026.json");
    jql_results *r = NULL;
    ck_assert_msg(jql_score(ds, c, NULL, &r) == JQL_OK, "%s", jql_last_error());
    ck_assert_uint_eq(jql_results_unit_count(r), communes);
    size_t excellent = 0, good = 0, demoted = 0;
    for (size_t k = 0; k < communes; k++) {
        const char *tier = jql_results_unit_tier(r, k);
        excellent += strcmp(tier, "excellent") == 0;
        good += strcmp(tier, "good") == 0;
        demoted += jql_results_unit_quota_demoted(r, k);
        if (strcmp(jql_results_unit_id(r, k), "xa-d") == 0) { /* disciplined: vetoed */
            ck_assert_str_eq(tier, "not-completed");
            ck_assert_uint_eq(jql_results_unit_veto_count(r, k), 1);
        }
    }
    /* the 20% quota on the top tier, at least one (Decree 335/2025) */
    ck_assert_uint_ge(excellent, 1);
    ck_assert_uint_le(excellent, (good + excellent + demoted) / 5 > 1 ? (good + excellent + demoted) / 5 : 1);
    ck_assert_uint_gt(demoted, 0);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

static Suite *bundled_suite(void)
{
    Suite *s = suite_create("bundled");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, bundled_2014_scores_without_registration);
    tcase_add_test(tc, unregistered_custom_has_its_own_message);
    tcase_add_test(tc, custom_sheet_matches_builtin_leaf);
    tcase_add_test(tc, two_tier_2026_validates_and_scores);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_run_suite(bundled_suite()); }
