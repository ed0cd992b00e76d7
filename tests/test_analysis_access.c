/* The analysis accessors (analysis.h) against the analysis documents: for
   every scoring fixture, each comparison, sensitivity, plans and trend
   field read through an accessor equals the one jql_*_to_json() writes,
   read back with cJSON. Nothing here is a hard-coded result. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *fixtures[] = {"bands", "bonus", "clamping", "explain", "missing",
                                 "not-applicable", "rounding", "self-appraised",
                                 "worked-example"};
#define NFIX (sizeof fixtures / sizeof fixtures[0])

typedef struct {
    jql_dataset *ds;
    jql_criteria *c;
    jql_results *r;
} fixture;

static fixture load_fixture(const char *name)
{
    char path[1024];
    fixture f = {0};
    snprintf(path, sizeof path, "scoring/%s/dataset.json", name);
    f.ds = test_load_dataset(test_data(path));
    snprintf(path, sizeof path, "scoring/%s/criteria.json", name);
    ck_assert_int_eq(jql_criteria_load_path(test_data(path), &f.c, NULL), JQL_OK);
    ck_assert_int_eq(jql_score(f.ds, f.c, NULL, &f.r), JQL_OK);
    return f;
}

static void free_fixture(fixture *f)
{
    jql_results_free(f->r);
    jql_criteria_free(f->c);
    jql_dataset_free(f->ds);
}

static cJSON *parse(char *text)
{
    cJSON *doc = cJSON_Parse(text);
    ck_assert_msg(doc != NULL, "the document parses");
    jql_free(text);
    return doc;
}

static const cJSON *get(const cJSON *o, const char *key)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
    ck_assert_msg(v != NULL, "member %s present", key);
    return v;
}

static const cJSON *at(const cJSON *a, size_t i)
{
    const cJSON *v = cJSON_GetArrayItem(a, (int)i);
    ck_assert_msg(v != NULL, "item %zu present", i);
    return v;
}

/* A JSON number written with 3 decimals, as thousandths. */
static jql_milli milli_of(const cJSON *v)
{
    ck_assert(cJSON_IsNumber(v));
    return (jql_milli)llround(v->valuedouble * 1000.0);
}

static void eq_str(const cJSON *o, const char *key, const char *want)
{
    const cJSON *v = get(o, key);
    if (!want) {
        ck_assert_msg(cJSON_IsNull(v), "%s: null", key);
        return;
    }
    ck_assert_msg(cJSON_IsString(v), "%s: a string", key);
    ck_assert_str_eq(v->valuestring, want);
}

static void eq_milli(const cJSON *o, const char *key, jql_milli want)
{
    const cJSON *v = get(o, key);
    if (want == JQL_NO_SCORE) {
        ck_assert_msg(cJSON_IsNull(v), "%s: null", key);
        return;
    }
    ck_assert_msg(milli_of(v) == want, "%s: %lld", key, (long long)want);
}

/* A whole number; 0 (no rank) when the document says null, if @p zero_null. */
static void eq_whole(const cJSON *o, const char *key, long long want, bool zero_null)
{
    const cJSON *v = get(o, key);
    if (zero_null && want == 0) {
        ck_assert_msg(cJSON_IsNull(v), "%s: null", key);
        return;
    }
    ck_assert_msg(cJSON_IsNumber(v) && (long long)v->valuedouble == want, "%s: %lld, not %g", key,
                  want, v->valuedouble);
}

/* A change accessor: JQL_OK with the value, or JQL_ENODATA where the document says null. */
static void eq_change(const cJSON *o, const char *key, int rc, long long v)
{
    const cJSON *x = get(o, key);
    if (cJSON_IsNull(x)) {
        ck_assert_msg(rc == JQL_ENODATA, "%s: null is JQL_ENODATA, not %d", key, rc);
        return;
    }
    ck_assert_msg(rc == JQL_OK, "%s: %s", key, jql_last_error());
    ck_assert_msg(cJSON_IsNumber(x) && llround(x->valuedouble) == v, "%s: %lld", key, v);
}

static void eq_milli_change(const cJSON *o, const char *key, int rc, jql_milli v)
{
    const cJSON *x = get(o, key);
    if (cJSON_IsNull(x)) {
        ck_assert_msg(rc == JQL_ENODATA, "%s: null is JQL_ENODATA, not %d", key, rc);
        return;
    }
    ck_assert_msg(rc == JQL_OK, "%s: %s", key, jql_last_error());
    ck_assert_msg(milli_of(x) == v, "%s: %lld", key, (long long)v);
}

static void eq_bool(const cJSON *o, const char *key, bool has, bool want)
{
    const cJSON *v = get(o, key);
    if (!has)
        ck_assert_msg(cJSON_IsNull(v), "%s: null", key);
    else
        ck_assert_msg(cJSON_IsBool(v) && cJSON_IsTrue(v) == want, "%s", key);
}

/* ---- comparison ---- */

static size_t check_comparison(const jql_results *x, const jql_results *y)
{
    jql_comparison *c = NULL;
    ck_assert_int_eq(jql_results_compare(x, y, &c), JQL_OK);
    char *text = NULL;
    ck_assert_int_eq(jql_comparison_to_json(c, &text, NULL), JQL_OK);
    cJSON *doc = parse(text);
    eq_str(doc, "format", JQL_COMPARISON_FORMAT);
    eq_str(doc, "criteria_before", jql_comparison_criteria(c, 0));
    eq_str(doc, "criteria_after", jql_comparison_criteria(c, 1));
    eq_str(doc, "period_before", jql_comparison_period(c, 0));
    eq_str(doc, "period_after", jql_comparison_period(c, 1));
    eq_whole(doc, "rank_changes", (long long)jql_comparison_rank_changes(c), false);
    eq_whole(doc, "tier_changes", (long long)jql_comparison_tier_changes(c), false);
    const cJSON *units = get(doc, "units");
    size_t nu = jql_comparison_unit_count(c), nodes = 0;
    ck_assert_int_eq(cJSON_GetArraySize(units), (int)nu);
    for (size_t k = 0; k < nu; k++) {
        const cJSON *u = at(units, k);
        long long d = 0;
        jql_milli m = 0;
        int rc;
        eq_str(u, "id", jql_comparison_unit_id(c, k));
        eq_str(u, "name", jql_comparison_unit_name(c, k));
        eq_milli(u, "final_before", jql_comparison_unit_final(c, k, 0));
        eq_milli(u, "final_after", jql_comparison_unit_final(c, k, 1));
        rc = jql_comparison_unit_final_change(c, k, &m);
        eq_milli_change(u, "final_change", rc, m);
        eq_whole(u, "rank_before", (long long)jql_comparison_unit_rank(c, k, 0), true);
        eq_whole(u, "rank_after", (long long)jql_comparison_unit_rank(c, k, 1), true);
        rc = jql_comparison_unit_rank_change(c, k, &d);
        eq_change(u, "rank_change", rc, d);
        eq_whole(u, "cluster_rank_before", (long long)jql_comparison_unit_cluster_rank(c, k, 0),
                 true);
        eq_whole(u, "cluster_rank_after", (long long)jql_comparison_unit_cluster_rank(c, k, 1),
                 true);
        rc = jql_comparison_unit_cluster_rank_change(c, k, &d);
        eq_change(u, "cluster_rank_change", rc, d);
        eq_str(u, "tier_before", jql_comparison_unit_tier(c, k, 0));
        eq_str(u, "tier_after", jql_comparison_unit_tier(c, k, 1));
        rc = jql_comparison_unit_tier_change(c, k, &d);
        eq_change(u, "tier_change", rc, d);
        eq_bool(u, "leader_before", jql_comparison_unit_present(c, k, 0),
                jql_comparison_unit_leader(c, k, 0));
        eq_bool(u, "leader_after", jql_comparison_unit_present(c, k, 1),
                jql_comparison_unit_leader(c, k, 1));
        const cJSON *ns = get(u, "nodes");
        size_t nn = jql_comparison_node_count(c, k);
        ck_assert_int_eq(cJSON_GetArraySize(ns), (int)nn);
        for (size_t i = 0; i < nn; i++) {
            const cJSON *n = at(ns, i);
            eq_str(n, "id", jql_comparison_node_id(c, k, i));
            eq_milli(n, "points_before", jql_comparison_node_points(c, k, i, 0));
            eq_milli(n, "points_after", jql_comparison_node_points(c, k, i, 1));
            rc = jql_comparison_node_points_change(c, k, i, &m);
            eq_milli_change(n, "points_change", rc, m);
        }
        nodes += nn;
        /* out of range */
        ck_assert_int_eq(jql_comparison_node_points_change(c, k, nn, &m), JQL_ENOTFOUND);
    }
    long long d;
    ck_assert_int_eq(jql_comparison_unit_rank_change(c, nu, &d), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_comparison_unit_rank_change(c, 0, NULL), JQL_EINVALID);
    ck_assert_ptr_null(jql_comparison_criteria(c, 2));
    ck_assert_ptr_null(jql_comparison_unit_name(c, nu));
    cJSON_Delete(doc);
    jql_comparison_free(c);
    return nodes;
}

START_TEST(comparison_fields)
{
    fixture prev = {0};
    size_t nodes = 0;
    for (size_t f = 0; f < NFIX; f++) {
        fixture x = load_fixture(fixtures[f]);
        jql_results *h = NULL;
        nodes += check_comparison(x.r, x.r);
        if (jql_score(x.ds, x.c, "2014-H1", &h) == JQL_OK)
            nodes += check_comparison(h, x.r);
        jql_results_free(h);
        if (prev.r) {
            /* other units and nodes: present on one side only, tiers of another set */
            nodes += check_comparison(prev.r, x.r);
            free_fixture(&prev);
        }
        prev = x;
    }
    free_fixture(&prev);
    /* a reweighted criteria set changes nodes (else the node checks prove little) */
    fixture w = load_fixture("worked-example");
    jql_criteria *c2 = NULL;
    jql_results *r2 = NULL;
    ck_assert_int_eq(
        jql_criteria_load_path(test_data("analysis/worked-example-reweighted.json"), &c2, NULL),
        JQL_OK);
    ck_assert_int_eq(jql_score(w.ds, c2, NULL, &r2), JQL_OK);
    nodes += check_comparison(w.r, r2);
    ck_assert_msg(nodes > 0, "changed nodes compared");
    jql_results_free(r2);
    jql_criteria_free(c2);
    free_fixture(&w);
}
END_TEST

/* ---- sensitivity ---- */

static const char *tier_of(const jql_sensitivity *s, size_t t) { return jql_sensitivity_tier_id(s, t); }

static void check_margin(const cJSON *o, const char *key, const jql_sensitivity *s, int rc,
                         size_t sec, jql_milli ch)
{
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(o, key);
    if (!(jql_sensitivity_flags(s) & JQL_SENS_MARGINS)) {
        ck_assert_msg(m == NULL, "%s absent when margins are not run", key);
        ck_assert_int_eq(rc, JQL_ENODATA);
        return;
    }
    ck_assert_msg(m != NULL, "%s present", key);
    if (cJSON_IsNull(m)) {
        ck_assert_int_eq(rc, JQL_ENODATA);
        return;
    }
    ck_assert_int_eq(rc, JQL_OK);
    eq_str(m, "section", jql_sensitivity_section_id(s, sec));
    eq_milli(m, "weight_change", ch);
}

static void check_sensitivity(const jql_sensitivity *s)
{
    char *text = NULL;
    ck_assert_int_eq(jql_sensitivity_to_json(s, &text, NULL), JQL_OK);
    cJSON *doc = parse(text);
    unsigned fl = jql_sensitivity_flags(s);
    size_t ns = jql_sensitivity_section_count(s), nu = jql_sensitivity_unit_count(s);
    eq_str(doc, "format", JQL_SENSITIVITY_FORMAT);
    eq_str(doc, "criteria", jql_sensitivity_criteria(s));
    eq_str(doc, "period", jql_sensitivity_period(s));
    eq_milli(doc, "percent", jql_sensitivity_percent(s));
    eq_str(doc, "distribution", jql_sensitivity_distribution(s));
    eq_whole(doc, "runs", jql_sensitivity_run_count(s), false);
    eq_whole(doc, "seed", (long long)jql_sensitivity_seed(s), false);
    const cJSON *a = get(doc, "sections");
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)ns);
    for (size_t j = 0; j < ns; j++) {
        eq_str(at(a, j), "id", jql_sensitivity_section_id(s, j));
        eq_milli(at(a, j), "max", jql_sensitivity_section_max(s, j));
    }
    a = get(doc, "one_at_a_time");
    size_t nq = jql_sensitivity_oat_case_count(s);
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)nq);
    ck_assert_int_eq(nq, (fl & JQL_SENS_ONE_AT_A_TIME) ? 2 * ns : 0);
    for (size_t q = 0; q < nq; q++) {
        const cJSON *o = at(a, q);
        eq_str(o, "section", jql_sensitivity_section_id(s, jql_sensitivity_oat_case_section(s, q)));
        eq_str(o, "change", jql_sensitivity_oat_case_direction(s, q) < 0 ? "-" : "+");
        const cJSON *w = get(o, "weights");
        ck_assert_int_eq(cJSON_GetArraySize(w), (int)ns);
        for (size_t j = 0; j < ns; j++)
            ck_assert(milli_of(at(w, j)) == jql_sensitivity_oat_case_weight(s, q, j));
    }
    a = cJSON_GetObjectItemCaseSensitive(doc, "leaves_one_at_a_time");
    size_t nl = jql_sensitivity_leaf_case_count(s);
    ck_assert_msg((a != NULL) == ((fl & JQL_SENS_LEAVES) != 0), "leaves present iff run");
    ck_assert_int_eq(a ? cJSON_GetArraySize(a) : 0, (int)nl);
    for (size_t q = 0; q < nl; q++) {
        const cJSON *o = at(a, q);
        size_t ng = jql_sensitivity_leaf_case_sibling_count(s, q);
        eq_str(o, "leaf", jql_sensitivity_leaf_case_leaf(s, q));
        eq_str(o, "change", jql_sensitivity_leaf_case_direction(s, q) < 0 ? "-" : "+");
        const cJSON *sib = get(o, "siblings"), *w = get(o, "weights");
        ck_assert_int_eq(cJSON_GetArraySize(sib), (int)ng);
        ck_assert_int_eq(cJSON_GetArraySize(w), (int)ng);
        for (size_t g = 0; g < ng; g++) {
            ck_assert_str_eq(at(sib, g)->valuestring, jql_sensitivity_leaf_case_sibling_id(s, q, g));
            ck_assert(milli_of(at(w, g)) == jql_sensitivity_leaf_case_weight(s, q, g));
        }
        eq_whole(o, "rank_changes", (long long)jql_sensitivity_leaf_case_rank_changes(s, q), false);
        eq_whole(o, "tier_changes", (long long)jql_sensitivity_leaf_case_tier_changes(s, q), false);
    }
    a = get(doc, "monte_carlo_weights");
    unsigned runs = jql_sensitivity_run_count(s);
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)runs);
    for (size_t i = 0; i < runs; i++)
        for (size_t j = 0; j < ns; j++)
            ck_assert(milli_of(at(at(a, i), j)) == jql_sensitivity_run_weight(s, i, j));
    a = get(doc, "units");
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)nu);
    for (size_t k = 0; k < nu; k++) {
        const cJSON *u = at(a, k);
        eq_str(u, "id", jql_sensitivity_unit_id(s, k));
        eq_milli(u, "final", jql_sensitivity_unit_final(s, k));
        eq_whole(u, "rank", (long long)jql_sensitivity_unit_rank(s, k), false);
        eq_str(u, "tier", tier_of(s, jql_sensitivity_unit_tier(s, k)));
        const cJSON *o = cJSON_GetObjectItemCaseSensitive(u, "one_at_a_time");
        ck_assert((o != NULL) == ((fl & JQL_SENS_ONE_AT_A_TIME) != 0));
        if (o) {
            eq_whole(o, "rank_min", (long long)jql_sensitivity_unit_oat_rank_min(s, k), false);
            eq_whole(o, "rank_max", (long long)jql_sensitivity_unit_oat_rank_max(s, k), false);
            eq_str(o, "tier_best", tier_of(s, jql_sensitivity_unit_oat_tier_best(s, k)));
            eq_str(o, "tier_worst", tier_of(s, jql_sensitivity_unit_oat_tier_worst(s, k)));
            const cJSON *tor = get(o, "tornado");
            ck_assert_int_eq(cJSON_GetArraySize(tor), (int)ns);
            for (size_t j = 0; j < ns; j++) {
                eq_str(at(tor, j), "section", jql_sensitivity_section_id(s, j));
                for (size_t dir = 0; dir < 2; dir++) {
                    const cJSON *x = get(at(tor, j), dir ? "plus" : "minus");
                    size_t q = 2 * j + dir;
                    eq_milli(x, "final", jql_sensitivity_oat_case_final(s, q, k));
                    eq_whole(x, "rank", (long long)jql_sensitivity_oat_case_rank(s, q, k), false);
                    eq_str(x, "tier", tier_of(s, jql_sensitivity_oat_case_tier(s, q, k)));
                }
            }
        } else {
            ck_assert_int_eq(jql_sensitivity_unit_oat_rank_min(s, k), 0);
        }
        o = cJSON_GetObjectItemCaseSensitive(u, "leaves");
        ck_assert((o != NULL) == ((fl & JQL_SENS_LEAVES) != 0));
        if (o) {
            eq_milli(o, "final_min", jql_sensitivity_unit_leaves_final_min(s, k));
            eq_milli(o, "final_max", jql_sensitivity_unit_leaves_final_max(s, k));
            eq_whole(o, "rank_min", (long long)jql_sensitivity_unit_leaves_rank_min(s, k), false);
            eq_whole(o, "rank_max", (long long)jql_sensitivity_unit_leaves_rank_max(s, k), false);
            eq_str(o, "tier_best", tier_of(s, jql_sensitivity_unit_leaves_tier_best(s, k)));
            eq_str(o, "tier_worst", tier_of(s, jql_sensitivity_unit_leaves_tier_worst(s, k)));
        } else {
            ck_assert(jql_sensitivity_unit_leaves_final_min(s, k) == JQL_NO_SCORE);
        }
        o = cJSON_GetObjectItemCaseSensitive(u, "monte_carlo");
        ck_assert((o != NULL) == ((fl & JQL_SENS_MONTE_CARLO) != 0));
        if (o) {
            eq_whole(o, "rank_min", (long long)jql_sensitivity_rank_min(s, k), false);
            eq_whole(o, "rank_median", (long long)jql_sensitivity_rank_median(s, k), false);
            eq_whole(o, "rank_max", (long long)jql_sensitivity_rank_max(s, k), false);
            const cJSON *tr = get(o, "tier_runs");
            ck_assert_int_eq(cJSON_GetArraySize(tr), (int)jql_sensitivity_tier_count(s));
            for (size_t t = 0; t < jql_sensitivity_tier_count(s); t++)
                eq_whole(tr, tier_of(s, t), (long long)jql_sensitivity_tier_runs(s, k, t), false);
        }
        size_t sec = JQL_NONE;
        jql_milli ch = 0;
        int rc = jql_sensitivity_unit_margin_up(s, k, &sec, &ch);
        check_margin(u, "margin_up", s, rc, sec, ch);
        rc = jql_sensitivity_unit_margin_down(s, k, &sec, &ch);
        check_margin(u, "margin_down", s, rc, sec, ch);
    }
    a = get(doc, "pairs");
    size_t np = jql_sensitivity_pair_count(s);
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)np);
    for (size_t k = 0; k < np; k++) {
        const cJSON *p = at(a, k);
        eq_str(p, "above", jql_sensitivity_unit_id(s, k));
        eq_str(p, "below", jql_sensitivity_unit_id(s, k + 1));
        if (fl & JQL_SENS_MONTE_CARLO)
            eq_whole(p, "flip_runs", (long long)jql_sensitivity_flip_runs(s, k), false);
        size_t sec = JQL_NONE;
        jql_milli ch = 0;
        int rc = jql_sensitivity_pair_margin(s, k, &sec, &ch);
        check_margin(p, "margin", s, rc, sec, ch);
    }
    size_t sec;
    jql_milli ch;
    ck_assert_int_eq(jql_sensitivity_pair_margin(s, np, &sec, &ch), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_sensitivity_unit_margin_up(s, nu, &sec, &ch), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_sensitivity_unit_margin_up(s, 0, NULL, &ch), JQL_EINVALID);
    ck_assert(jql_sensitivity_oat_case_weight(s, nq, 0) == JQL_NO_SCORE);
    ck_assert_ptr_null(jql_sensitivity_leaf_case_leaf(s, nl));
    cJSON_Delete(doc);
}

START_TEST(sensitivity_fields)
{
    size_t margins = 0;
    for (size_t f = 0; f < NFIX; f++) {
        fixture x = load_fixture(fixtures[f]);
        for (int variant = 0; variant < 2; variant++) {
            jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
            o.percent = variant ? 5000 : 30000;
            o.runs = variant ? 0 : 25;
            o.seed = 7;
            o.flags = variant ? JQL_SENS_MARGINS : JQL_SENS_ALL | JQL_SENS_LEAVES;
            jql_sensitivity *s = NULL;
            ck_assert_int_eq(jql_sensitivity_run(x.r, x.c, &o, &s), JQL_OK);
            check_sensitivity(s);
            for (size_t k = 0; k < jql_sensitivity_unit_count(s); k++) {
                size_t sec;
                jql_milli ch;
                margins += jql_sensitivity_unit_margin_up(s, k, &sec, &ch) == JQL_OK;
            }
            jql_sensitivity_free(s);
        }
        free_fixture(&x);
    }
    ck_assert_msg(margins > 0, "some margin exists (else the margin checks prove little)");
}
END_TEST

/* ---- improvement plans ---- */

START_TEST(plans_fields)
{
    size_t units = 0, actions = 0;
    for (size_t f = 0; f < NFIX; f++) {
        fixture x = load_fixture(fixtures[f]);
        jql_improvement_plans *p = NULL;
        ck_assert_int_eq(jql_improvement_plans_compute(x.r, x.c, &p), JQL_OK);
        char *text = NULL, *old = NULL;
        size_t len = 0, old_len = 0;
        ck_assert_int_eq(jql_improvement_plans_to_json(p, &text, &len), JQL_OK);
        ck_assert_int_eq(jql_improvement_plans_json(x.r, x.c, &old, &old_len), JQL_OK);
        ck_assert(len == old_len && memcmp(text, old, len) == 0);
        jql_free(old);
        cJSON *doc = parse(text);
        eq_str(doc, "format", JQL_PLANS_FORMAT);
        eq_str(doc, "criteria", jql_improvement_plans_criteria(p));
        eq_str(doc, "period", jql_improvement_plans_period(p));
        const cJSON *a = get(doc, "units");
        size_t nu = jql_improvement_plans_unit_count(p);
        ck_assert_int_eq(cJSON_GetArraySize(a), (int)nu);
        for (size_t k = 0; k < nu; k++) {
            const cJSON *u = at(a, k);
            eq_str(u, "id", jql_improvement_plans_unit_id(p, k));
            eq_str(u, "name", jql_improvement_plans_unit_name(p, k));
            eq_milli(u, "final", jql_improvement_plans_unit_final(p, k));
            eq_str(u, "tier", jql_improvement_plans_unit_tier(p, k));
            eq_str(u, "next_tier", jql_improvement_plans_unit_next_tier(p, k));
            eq_milli(u, "gap", jql_improvement_plans_unit_gap(p, k));
            eq_str(u, "held_back", jql_improvement_plans_unit_held_back(p, k));
            eq_bool(u, "closes_gap", true, jql_improvement_plans_unit_closes_gap(p, k));
            eq_milli(u, "final_with_plan", jql_improvement_plans_unit_final_with_plan(p, k));
            const cJSON *plan = get(u, "plan"), *leaves = get(u, "leaves");
            size_t ns = jql_improvement_plans_step_count(p, k);
            size_t nl = jql_improvement_plans_leaf_count(p, k);
            ck_assert_int_eq(cJSON_GetArraySize(plan), (int)ns);
            ck_assert_int_eq(cJSON_GetArraySize(leaves), (int)nl);
            for (size_t i = 0; i < ns; i++)
                ck_assert_str_eq(at(plan, i)->valuestring, jql_improvement_plans_step_id(p, k, i));
            ck_assert_ptr_null(jql_improvement_plans_step_id(p, k, ns));
            for (size_t i = 0; i < nl; i++) {
                const cJSON *l = at(leaves, i);
                eq_str(l, "id", jql_improvement_plans_leaf_id(p, k, i));
                eq_str(l, "title", jql_improvement_plans_leaf_title(p, k, i));
                eq_milli(l, "points", jql_improvement_plans_leaf_points(p, k, i));
                eq_milli(l, "max", jql_improvement_plans_leaf_max(p, k, i));
                eq_milli(l, "left", jql_improvement_plans_leaf_left(p, k, i));
                eq_str(l, "need", jql_improvement_plans_leaf_need(p, k, i));
                eq_str(l, "action", jql_improvement_plans_leaf_action(p, k, i));
                actions += jql_improvement_plans_leaf_action(p, k, i) != NULL;
            }
            ck_assert_ptr_null(jql_improvement_plans_leaf_id(p, k, nl));
        }
        units += nu;
        ck_assert_ptr_null(jql_improvement_plans_unit_id(p, nu));
        ck_assert(jql_improvement_plans_unit_final(p, nu) == JQL_NO_SCORE);
        cJSON_Delete(doc);
        jql_improvement_plans_free(p);
        free_fixture(&x);
    }
    ck_assert_msg(units > 0 && actions > 0, "plans with actions compared");
    jql_improvement_plans *p = (jql_improvement_plans *)1;
    ck_assert_int_eq(jql_improvement_plans_compute(NULL, NULL, &p), JQL_EINVALID);
    ck_assert_ptr_null(p);
}
END_TEST

/* ---- trend ---- */

static void check_trend(const jql_trend *t)
{
    char *text = NULL;
    ck_assert_int_eq(jql_trend_to_json(t, &text, NULL), JQL_OK);
    cJSON *doc = parse(text);
    size_t np = jql_trend_period_count(t), nu = jql_trend_unit_count(t);
    eq_str(doc, "format", JQL_TREND_FORMAT);
    eq_str(doc, "criteria", jql_trend_criteria(t));
    const cJSON *a = get(doc, "periods");
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)np);
    for (size_t p = 0; p < np; p++)
        ck_assert_str_eq(at(a, p)->valuestring, jql_trend_period_id(t, p));
    a = get(doc, "units");
    ck_assert_int_eq(cJSON_GetArraySize(a), (int)nu);
    for (size_t i = 0; i < nu; i++) {
        const cJSON *u = at(a, i), *ps = get(at(a, i), "periods");
        eq_str(u, "id", jql_trend_unit_id(t, i));
        ck_assert_int_eq(cJSON_GetArraySize(ps), (int)np);
        for (size_t p = 0; p < np; p++) {
            const cJSON *x = at(ps, p);
            eq_str(x, "period", jql_trend_period_id(t, p));
            eq_milli(x, "final", jql_trend_unit_final(t, i, p));
            eq_whole(x, "rank", (long long)jql_trend_unit_rank(t, i, p), true);
            eq_str(x, "tier", jql_trend_unit_tier(t, i, p));
            ck_assert(cJSON_IsNull(get(x, "final")) == !jql_trend_unit_present(t, i, p));
            long long mv = 0;
            int rc = jql_trend_unit_movement(t, i, p, &mv);
            eq_change(x, "movement", rc, mv);
        }
    }
    long long mv;
    ck_assert_int_eq(jql_trend_unit_movement(t, nu, 0, &mv), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_trend_unit_movement(t, 0, np, &mv), JQL_ENOTFOUND);
    ck_assert_ptr_null(jql_trend_period_id(t, np));
    cJSON_Delete(doc);
}

START_TEST(trend_fields)
{
    const char *periods[] = {"2014-Q1", "2014-Q2", "2014-H1", "2014"};
    size_t trends = 0;
    for (size_t f = 0; f < NFIX; f++) {
        fixture x = load_fixture(fixtures[f]);
        jql_trend *t = NULL;
        if (jql_score_periods(x.ds, x.c, periods, 4, &t) == JQL_OK) {
            trends++;
            check_trend(t);
            /* the same table from the results scored separately, keeping none of them */
            const jql_results *rs[4];
            for (size_t p = 0; p < 4; p++)
                rs[p] = jql_trend_results(t, p);
            jql_trend *u = NULL;
            ck_assert_int_eq(jql_results_trend(rs, 4, &u), JQL_OK);
            check_trend(u);
            ck_assert_ptr_null(jql_trend_results(u, 0));
            char *a = NULL, *b = NULL;
            ck_assert_int_eq(jql_trend_to_json(t, &a, NULL), JQL_OK);
            jql_trend_free(t);
            ck_assert_int_eq(jql_trend_to_json(u, &b, NULL), JQL_OK);
            ck_assert_str_eq(a, b);
            jql_free(a);
            jql_free(b);
            jql_trend_free(u);
        }
        free_fixture(&x);
    }
    ck_assert_msg(trends > 0, "some fixture scores over the four periods");
    /* units scored in some periods only: two fixtures with different units */
    fixture x = load_fixture("worked-example"), y = load_fixture("bands");
    const jql_results *rs[3] = {y.r, x.r, y.r};
    jql_trend *t = NULL;
    ck_assert_int_eq(jql_results_trend(rs, 3, &t), JQL_OK);
    check_trend(t);
    jql_trend_free(t);
    t = (jql_trend *)1;
    ck_assert_int_eq(jql_results_trend(rs, 0, &t), JQL_EINVALID);
    ck_assert_ptr_null(t);
    /* the bound jql_score_periods has, here too (the bindings' too) */
    const jql_results *many[JQL_TREND_MAX_PERIODS + 1];
    for (size_t p = 0; p <= JQL_TREND_MAX_PERIODS; p++)
        many[p] = p % 2 ? x.r : y.r;
    ck_assert_int_eq(jql_results_trend(many, JQL_TREND_MAX_PERIODS, &t), JQL_OK);
    ck_assert_uint_eq(jql_trend_period_count(t), JQL_TREND_MAX_PERIODS);
    jql_trend_free(t);
    t = (jql_trend *)1;
    ck_assert_int_eq(jql_results_trend(many, JQL_TREND_MAX_PERIODS + 1, &t), JQL_ELIMIT);
    ck_assert_ptr_null(t);
    char *json = (char *)1;
    size_t len;
    ck_assert_int_eq(jql_results_trend_json(many, JQL_TREND_MAX_PERIODS + 1, &json, &len),
                     JQL_ELIMIT);
    ck_assert_ptr_null(json);
    free_fixture(&x);
    free_fixture(&y);
}
END_TEST

/* Out of memory at every allocation of the new constructors: JQL_ENOMEM,
   nothing leaked (valgrind and ASan runs check), then success. */
START_TEST(allocation_failures)
{
    fixture x = load_fixture("worked-example");
    const jql_results *rs[2] = {x.r, x.r};
    test_install_failing_allocator();
    for (int op = 0; op < 2; op++) {
        for (long k = 0;; k++) {
            jql_improvement_plans *p = NULL;
            jql_trend *t = NULL;
            test_fail_after(k);
            int rc = op == 0 ? jql_improvement_plans_compute(x.r, x.c, &p)
                             : jql_results_trend(rs, 2, &t);
            bool hit = test_alloc_count() > k; /* on past a failure made up for */
            test_fail_after(-1);
            ck_assert_msg(rc == JQL_OK || rc == JQL_ENOMEM, "op %d allocation %ld: rc %d", op,
                          k, rc);
            ck_assert(rc == JQL_OK || (p == NULL && t == NULL));
            jql_improvement_plans_free(p);
            jql_trend_free(t);
            if (!hit) {
                ck_assert_int_eq(rc, JQL_OK);
                break;
            }
        }
    }
    free_fixture(&x);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analysis_access");
    TCase *tc = tcase_create("accessors");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, comparison_fields);
    tcase_add_test(tc, sensitivity_fields);
    tcase_add_test(tc, plans_fields);
    tcase_add_test(tc, trend_fields);
    tcase_add_test(tc, allocation_failures);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
