/* Editing criteria sets and the what-if analysis (docs/ANALYSIS.md):
   exact rescaling in thousandths, validated edits, canonical save,
   comparison, sensitivity (model, PRNG, determinism), plans, trends.
   Expected numbers are worked out by hand in the comments. */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "analysis_internal.h"
#include "criteria.h"
#include "testutil.h"

static jql_criteria *load(const char *path)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_path(path, &c, NULL);
    ck_assert_msg(rc == JQL_OK, "%s: %s", path, jql_last_error());
    return c;
}

static char *crit_json(const jql_criteria *c)
{
    char *s = NULL;
    size_t n;
    ck_assert_int_eq(jql_criteria_to_json(c, &s, &n), JQL_OK);
    ck_assert_uint_eq(strlen(s), n);
    return s;
}

static char *res_json(const jql_results *r);

static jql_milli max_of(const jql_criteria *c, const char *id)
{
    size_t i;
    ck_assert_int_eq(jql_criteria_node_index(c, id, &i), JQL_OK);
    return jql_criteria_node_max(c, i);
}

static const jql_node *node(const jql_criteria *c, const char *id)
{
    size_t i;
    ck_assert_int_eq(jql_criteria_node_index(c, id, &i), JQL_OK);
    return &c->nodes[i];
}

START_TEST(apportion_largest_remainder)
{
    jql_milli out[4];
    /* 1000 in thirds: 333 each, the 1 left goes to the first (equal remainders) */
    const jql_milli w3[] = {1, 1, 1};
    ck_assert_int_eq(jql_milli_apportion(w3, 3, 1000, out), JQL_OK);
    ck_assert_int_eq(out[0], 334);
    ck_assert_int_eq(out[1], 333);
    ck_assert_int_eq(out[2], 333);
    /* 10 by 1:2:4 = 1.428.., 2.857.., 5.714..: floors 1, 2, 5; remainders
       3/7, 6/7, 5/7 -> the 2 left go to the second and third */
    const jql_milli w[] = {1, 2, 4};
    ck_assert_int_eq(jql_milli_apportion(w, 3, 10, out), JQL_OK);
    ck_assert_int_eq(out[0], 1);
    ck_assert_int_eq(out[1], 3);
    ck_assert_int_eq(out[2], 6);
    const jql_milli z[] = {0, 0};
    ck_assert_int_eq(jql_milli_apportion(z, 2, 5, out), JQL_EINVALID);
    ck_assert_int_eq(jql_milli_apportion(z, 2, 0, out), JQL_OK);
    const jql_milli neg[] = {1, -1};
    ck_assert_int_eq(jql_milli_apportion(neg, 2, 5, out), JQL_EINVALID);
}
END_TEST

START_TEST(save_is_canonical)
{
    const char *paths[] = {"criteria/valid/everything.json", "scoring/worked-example/criteria.json",
                           "analysis/tree.json"};
    for (size_t i = 0; i < 3; i++) {
        jql_criteria *c = load(test_data(paths[i]));
        char *a = crit_json(c);
        jql_criteria *c2 = NULL;
        ck_assert_int_eq(jql_criteria_load_buffer(a, strlen(a), "saved", &c2, NULL), JQL_OK);
        char *b = crit_json(c2);
        ck_assert_str_eq(a, b);
        jql_free(a);
        jql_free(b);
        jql_criteria_free(c);
        jql_criteria_free(c2);
    }
    jql_criteria *c = load(example_data("long-an-2014/criteria-2014.json"));
    char *a = crit_json(c);
    jql_criteria *cl = NULL;
    ck_assert_int_eq(jql_criteria_clone(c, &cl), JQL_OK);
    char *b = crit_json(cl);
    ck_assert_str_eq(a, b);
    jql_free(a);
    jql_free(b);
    jql_criteria_free(cl);
    jql_criteria_free(c);
}
END_TEST

/* Every scoring fixture: the clone (loaded from the canonical text) scores
   byte for byte like the original, and its text is a fixed point. */
START_TEST(clone_scores_like_the_original)
{
    DIR *d = opendir(test_data("scoring"));
    ck_assert_ptr_nonnull(d);
    size_t cases = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char dpath[512], cpath[512], rel[300];
        snprintf(rel, sizeof rel, "scoring/%s/dataset.json", e->d_name);
        snprintf(dpath, sizeof dpath, "%s", test_data(rel));
        snprintf(rel, sizeof rel, "scoring/%s/criteria.json", e->d_name);
        snprintf(cpath, sizeof cpath, "%s", test_data(rel));
        jql_dataset *ds = test_load_dataset(dpath);
        jql_criteria *c = load(cpath), *cl = NULL;
        ck_assert_int_eq(jql_criteria_clone(c, &cl), JQL_OK);
        jql_results *a = NULL, *b = NULL;
        int ra = jql_score(ds, c, NULL, &a), rb = jql_score(ds, cl, NULL, &b);
        ck_assert_int_eq(ra, rb);
        if (ra == JQL_OK) {
            char *ja = res_json(a), *jb = res_json(b);
            ck_assert_msg(strcmp(ja, jb) == 0, "%s: the clone scores differently", e->d_name);
            jql_free(ja);
            jql_free(jb);
        }
        char *t1 = crit_json(c), *t2 = crit_json(cl);
        ck_assert_str_eq(t1, t2);
        jql_free(t1);
        jql_free(t2);
        jql_results_free(a);
        jql_results_free(b);
        jql_criteria_free(c);
        jql_criteria_free(cl);
        jql_dataset_free(ds);
        cases++;
    }
    closedir(d);
    ck_assert_uint_ge(cases, 5);
}
END_TEST

START_TEST(set_max_scales_subtree_exactly)
{
    jql_criteria *c = load(test_data("analysis/tree.json"));
    jql_diagnostics *d = NULL;
    /* S1: 3 -> 10 without touching the siblings: children 1,1,1 share 10 by
       largest remainder: 3.334, 3.333, 3.333 (the earliest gets the extra
       thousandth). a's bands 1, 0.5, 0 scale by 3.334/1: 3.334, 1.667, 0;
       b's amount 0.25 by 3.333: 0.83325 -> 0.833 (half away from zero). */
    ck_assert_int_eq(jql_criteria_set_max(c, "S1", 10000, 0, &d), JQL_OK);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 0);
    ck_assert_uint_ge(jql_diagnostics_count(d), 1); /* top level no longer adds up to the scale */
    jql_diagnostics_free(d);
    ck_assert_int_eq(max_of(c, "S1"), 10000);
    ck_assert_int_eq(max_of(c, "a"), 3334);
    ck_assert_int_eq(max_of(c, "b"), 3333);
    ck_assert_int_eq(max_of(c, "c"), 3333);
    const jql_node *a = node(c, "a");
    ck_assert_int_eq(a->method.bands[0].points, 3334);
    ck_assert_int_eq(a->method.bands[1].points, 1667);
    ck_assert_int_eq(a->method.bands[2].points, 0);
    ck_assert_int_eq(node(c, "b")->method.per_amount, 833);
    ck_assert_int_eq(node(c, "c")->method.target, 80000); /* relative: unchanged */
    jql_criteria_free(c);

    /* Keeping the scale: S3 2 -> 3 leaves 7 for S1 (3) and S2 (5):
       7 x 3/8 = 2.625 and 7 x 5/8 = 4.375 exactly; S1's children 2.625/3 =
       0.875 each; S3's bands 2, 1.5, 0.5 x 1.5 = 3, 2.25, 0.75. */
    c = load(test_data("analysis/tree.json"));
    ck_assert_int_eq(jql_criteria_set_max(c, "S3", 3000, JQL_EDIT_KEEP_TOTAL, &d), JQL_OK);
    ck_assert_uint_eq(jql_diagnostics_count(d), 0); /* everything still adds up */
    jql_diagnostics_free(d);
    ck_assert_int_eq(max_of(c, "S1"), 2625);
    ck_assert_int_eq(max_of(c, "S2"), 4375);
    ck_assert_int_eq(max_of(c, "S3"), 3000);
    ck_assert_int_eq(max_of(c, "a") + max_of(c, "b") + max_of(c, "c"), 2625);
    ck_assert_int_eq(max_of(c, "a"), 875);
    ck_assert_int_eq(node(c, "S3")->method.bands[1].points, 2250);
    ck_assert_int_eq(node(c, "S3")->method.bands[2].points, 750);
    /* b's amount 0.25 x 0.875 = 0.21875 -> 0.219 */
    ck_assert_int_eq(node(c, "b")->method.per_amount, 219);
    jql_criteria_free(c);
}
END_TEST

START_TEST(edits_are_validated_like_a_load)
{
    jql_criteria *c = load(test_data("analysis/tree.json"));
    char *before = crit_json(c);
    jql_diagnostics *d = NULL;
    /* good's minimum above excellent's: the loader's error, nothing changed */
    ck_assert_int_eq(jql_criteria_set_tier_min(c, "good", 9500, &d), JQL_EINVALID);
    ck_assert_uint_ge(jql_diagnostics_error_count(d), 1);
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_path(d, 0), "/tiers/"));
    ck_assert_uint_gt(jql_diagnostics_line(d, 0), 0);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_set_band_points(c, "S3", 0, 2500, &d), JQL_EINVALID);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_set_target(c, "S2", 0, &d), JQL_EINVALID);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_set_quota_share(c, "excellent", 100001, &d), JQL_EINVALID);
    jql_diagnostics_free(d);
    /* shrinking S1 to 0.002 would give a child 0 */
    ck_assert_int_eq(jql_criteria_set_max(c, "S1", 2, 0, &d), JQL_EINVALID);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_set_max(c, "nope", 2, 0, NULL), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_criteria_set_target(c, "S3", 5, NULL), JQL_EINVALID); /* not linear */
    ck_assert_int_eq(jql_criteria_set_tier_min(c, "nope", 5, NULL), JQL_ENOTFOUND);
    char *after = crit_json(c);
    ck_assert_str_eq(before, after);
    jql_free(after);
    /* accepted edits */
    ck_assert_int_eq(jql_criteria_set_tier_min(c, "excellent", 9500, NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_tier_min(c, 0), 9500);
    ck_assert_int_eq(jql_criteria_set_condition(c, "S3", 1, JQL_BOUND_AT_MOST, true, 3000, NULL),
                     JQL_OK);
    ck_assert_int_eq(node(c, "S3")->method.bands[1].cond.at_most, 3000);
    ck_assert_int_eq(jql_criteria_set_quota_share(c, "excellent", 25000, NULL), JQL_OK);
    ck_assert_int_eq(c->quotas[0].share, 25000);
    ck_assert_int_eq(jql_criteria_set_enabled(c, "b", false, NULL), JQL_OK);
    after = crit_json(c);
    ck_assert_ptr_nonnull(strstr(after, "\"enabled\": false"));
    ck_assert_ptr_nonnull(strstr(after, "criteria 1.1"));
    jql_free(after);
    ck_assert_int_eq(jql_criteria_set_enabled(c, "b", true, NULL), JQL_OK);
    after = crit_json(c);
    ck_assert_ptr_null(strstr(after, "enabled"));
    jql_free(after);
    jql_free(before);
    jql_criteria_free(c);
}
END_TEST

static jql_results *score(const jql_dataset *ds, const jql_criteria *c, const char *period)
{
    jql_results *r = NULL;
    int rc = jql_score(ds, c, period, &r);
    ck_assert_msg(rc == JQL_OK, "%s", jql_last_error());
    return r;
}

static char *res_json(const jql_results *r)
{
    char *s;
    size_t n;
    ck_assert_int_eq(jql_results_to_json(r, &s, &n), JQL_OK);
    return s;
}

START_TEST(disabled_node_is_not_applicable)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    ck_assert_int_eq(jql_criteria_set_enabled(c, "A", false, NULL), JQL_OK);
    jql_results *r = score(ds, c, NULL);
    /* only B applies: normalized = B x 10 / 8 */
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        ck_assert(!jql_results_node_applicable(r, k, 0));
        ck_assert_int_eq(jql_results_unit_value(r, k, JQL_RESULT_FIELD_APPLICABLE_MAX), 8000);
        jql_milli b = jql_results_node_points(r, k, 1);
        ck_assert_int_eq(jql_results_unit_value(r, k, JQL_RESULT_FIELD_NORMALIZED), b * 10 / 8);
    }
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(compare_two_scorings)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_criteria *c2 = NULL;
    ck_assert_int_eq(jql_criteria_clone(c, &c2), JQL_OK);
    /* A 2 -> 4, B 8 -> 6 (scale kept): A's bands double, B linear */
    ck_assert_int_eq(jql_criteria_set_max(c2, "A", 4000, JQL_EDIT_KEEP_TOTAL, NULL), JQL_OK);
    ck_assert_int_eq(max_of(c2, "B"), 6000);
    jql_results *x = score(ds, c, NULL), *y = score(ds, c2, NULL);
    char *s;
    size_t n;
    ck_assert_int_eq(jql_results_compare_json(x, y, &s, &n), JQL_OK);
    cJSON *doc = cJSON_Parse(s);
    ck_assert_ptr_nonnull(doc);
    cJSON *units = cJSON_GetObjectItem(doc, "units");
    ck_assert_int_eq(cJSON_GetArraySize(units), 4);
    size_t k = 0;
    for (cJSON *u = units->child; u; u = u->next, k++) {
        const char *id = cJSON_GetObjectItem(u, "id")->valuestring;
        ck_assert_str_eq(id, jql_results_unit_id(y, k)); /* after's order */
        size_t i = 0;
        while (strcmp(jql_results_unit_id(x, i), id) != 0)
            i++;
        jql_milli fa = jql_results_unit_value(y, k, JQL_RESULT_FIELD_FINAL);
        jql_milli fb = jql_results_unit_value(x, i, JQL_RESULT_FIELD_FINAL);
        ck_assert_int_eq((long long)(cJSON_GetObjectItem(u, "final_change")->valuedouble * 1000 +
                                     (fa >= fb ? 0.5 : -0.5)),
                         fa - fb);
        ck_assert_int_eq(cJSON_GetObjectItem(u, "rank_change")->valueint,
                         (int)jql_results_unit_rank(x, i) - (int)jql_results_unit_rank(y, k));
        /* U2 (A 1 of 2, B 8 of 8) -> A 2 of 4, B 6 of 6: both nodes change */
        if (strcmp(id, "U2") == 0)
            ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(u, "nodes")), 2);
    }
    cJSON_Delete(doc);
    jql_free(s);
    /* the object: every field from the two results, changed nodes only */
    jql_comparison *cmp = NULL;
    ck_assert_int_eq(jql_results_compare(x, y, &cmp), JQL_OK);
    ck_assert_uint_eq(jql_comparison_unit_count(cmp), 4);
    for (size_t u = 0; u < 4; u++) {
        const char *id = jql_comparison_unit_id(cmp, u);
        size_t i = 0;
        while (strcmp(jql_results_unit_id(x, i), id) != 0)
            i++;
        ck_assert_str_eq(jql_results_unit_id(y, u), id);
        ck_assert(jql_comparison_unit_present(cmp, u, 0) && jql_comparison_unit_present(cmp, u, 1));
        ck_assert_int_eq(jql_comparison_unit_final(cmp, u, 0), jql_results_unit_value(x, i, JQL_RESULT_FIELD_FINAL));
        ck_assert_int_eq(jql_comparison_unit_final(cmp, u, 1), jql_results_unit_value(y, u, JQL_RESULT_FIELD_FINAL));
        ck_assert_uint_eq(jql_comparison_unit_rank(cmp, u, 0), jql_results_unit_rank(x, i));
        ck_assert_uint_eq(jql_comparison_unit_cluster_rank(cmp, u, 1), jql_results_unit_cluster_rank(y, u));
        ck_assert_str_eq(jql_comparison_unit_tier(cmp, u, 1), jql_results_unit_tier(y, u));
        ck_assert(jql_comparison_unit_leader(cmp, u, 0) == jql_results_unit_is_leader(x, i));
        size_t changed = 0;
        for (size_t nd = 0; nd < 2; nd++)
            changed += jql_results_node_points(x, i, nd) != jql_results_node_points(y, u, nd);
        ck_assert_uint_eq(jql_comparison_node_count(cmp, u), changed);
        for (size_t j = 0; j < changed; j++) {
            size_t nd = strcmp(jql_comparison_node_id(cmp, u, j), "A") == 0 ? 0 : 1;
            ck_assert_int_eq(jql_comparison_node_points(cmp, u, j, 0), jql_results_node_points(x, i, nd));
            ck_assert_int_eq(jql_comparison_node_points(cmp, u, j, 1), jql_results_node_points(y, u, nd));
        }
    }
    ck_assert_int_eq(jql_comparison_unit_final(cmp, 9, 0), JQL_NO_SCORE);
    ck_assert_ptr_null(jql_comparison_unit_tier(cmp, 0, 2));
    jql_comparison_free(cmp);
    /* a scoring against itself: nothing moves, no node listed */
    ck_assert_int_eq(jql_results_compare_json(x, x, &s, &n), JQL_OK);
    ck_assert_ptr_nonnull(strstr(s, "\"rank_changes\": 0, \"tier_changes\": 0"));
    ck_assert_ptr_null(strstr(s, "points_change"));
    jql_free(s);
    jql_results_free(x);
    jql_results_free(y);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(prng_reference_vectors)
{
    /* splitmix64 from 0 (Vigna's reference code) */
    uint64_t x = 0;
    ck_assert(jql_splitmix64(&x) == 0xe220a8397b1dcdafu);
    ck_assert(jql_splitmix64(&x) == 0x6e789e6aa1b965f4u);
    ck_assert(jql_splitmix64(&x) == 0x06c45d188009454fu);
    /* xoshiro256** from state {1, 2, 3, 4} (reference code) */
    uint64_t s[4] = {1, 2, 3, 4};
    const uint64_t want[] = {11520u, 0u, 1509978240u, 1215971899390074240u};
    for (size_t i = 0; i < 4; i++)
        ck_assert(jql_xoshiro256ss(s) == want[i]);
}
END_TEST

static char *sens_json(const jql_results *r, const jql_criteria *c, jql_milli pct, unsigned runs,
                       uint64_t seed, jql_sensitivity **keep)
{
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.percent = pct;
    o.runs = runs;
    o.seed = seed;
    jql_sensitivity *s = NULL;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_OK);
    char *t;
    size_t n;
    ck_assert_int_eq(jql_sensitivity_to_json(s, &t, &n), JQL_OK);
    if (keep)
        *keep = s;
    else
        jql_sensitivity_free(s);
    return t;
}

START_TEST(sensitivity_model_and_determinism)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_results *r = score(ds, c, NULL);
    /* 0%: every one-at-a-time case and run is the base scoring itself */
    jql_sensitivity *s;
    char *j0 = sens_json(r, c, 0, 10, 1, &s);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        ck_assert_uint_eq(jql_sensitivity_rank_min(s, k), jql_results_unit_rank(r, k));
        ck_assert_uint_eq(jql_sensitivity_rank_max(s, k), jql_results_unit_rank(r, k));
        size_t t = 0;
        while (strcmp(jql_criteria_tier_id(c, t), jql_results_unit_tier(r, k)) != 0)
            t++;
        ck_assert_uint_eq(jql_sensitivity_tier_runs(s, k, t), 10);
    }
    jql_sensitivity_free(s);
    jql_free(j0);
    /* and the model's finals are the engine's, here and with an inner section */
    for (int f = 0; f < 2; f++) {
        jql_criteria *cc = f ? load(test_data("analysis/tree.json")) : NULL;
        jql_results *rr = f ? score(ds, cc, NULL) : r;
        char *zero = sens_json(rr, f ? cc : c, 0, 0, 0, NULL);
        cJSON *zd = cJSON_Parse(zero);
        size_t k = 0;
        for (cJSON *u = cJSON_GetObjectItem(zd, "units")->child; u; u = u->next, k++) {
            double base = cJSON_GetObjectItem(u, "final")->valuedouble;
            ck_assert_int_eq((long long)(base * 1000 + 0.5),
                             jql_results_unit_value(rr, k, JQL_RESULT_FIELD_FINAL));
            cJSON *tor = cJSON_GetObjectItem(cJSON_GetObjectItem(u, "one_at_a_time"), "tornado");
            for (cJSON *e = tor->child; e; e = e->next) {
                ck_assert_double_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "minus"), "final")->valuedouble, base);
                ck_assert_double_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(e, "plus"), "final")->valuedouble, base);
            }
        }
        cJSON_Delete(zd);
        jql_free(zero);
        if (f) {
            jql_results_free(rr);
            jql_criteria_free(cc);
        }
    }
    /* 50% on A (2) and B (8): A 1..3, B 4..12 drawn, then rescaled to 10 */
    char *a = sens_json(r, c, 50000, 200, 42, NULL), *b = sens_json(r, c, 50000, 200, 42, NULL);
    ck_assert_str_eq(a, b);
    char *other = sens_json(r, c, 50000, 200, 43, NULL);
    ck_assert_str_ne(a, other);
    cJSON *doc = cJSON_Parse(a);
    cJSON *runs = cJSON_GetObjectItem(doc, "monte_carlo_weights");
    ck_assert_int_eq(cJSON_GetArraySize(runs), 200);
    for (cJSON *w = runs->child; w; w = w->next) {
        long long sum = 0;
        for (cJSON *e = w->child; e; e = e->next)
            sum += (long long)(e->valuedouble * 1000 + 0.5);
        ck_assert_int_eq(sum, 10000);
    }
    /* one at a time: A -50% = 1, B gets 9; A +50% = 3, B 7 */
    cJSON *oat = cJSON_GetObjectItem(doc, "one_at_a_time");
    ck_assert_int_eq(cJSON_GetArraySize(oat), 4);
    cJSON *w0 = cJSON_GetObjectItem(cJSON_GetArrayItem(oat, 0), "weights");
    ck_assert_int_eq((int)(cJSON_GetArrayItem(w0, 0)->valuedouble * 1000 + 0.5), 1000);
    ck_assert_int_eq((int)(cJSON_GetArrayItem(w0, 1)->valuedouble * 1000 + 0.5), 9000);
    cJSON_Delete(doc);
    jql_free(a);
    jql_free(b);
    jql_free(other);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The model equals a full rescoring when sections are bands leaves: the
   engine's scaled band points round(p x W / M) are what the model computes. */
START_TEST(sensitivity_matches_rescoring_for_bands)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_results *r = score(ds, c, NULL);
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = JQL_SENS_ONE_AT_A_TIME;
    o.percent = 50000;
    jql_sensitivity *s;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_OK);
    char *t;
    size_t n;
    ck_assert_int_eq(jql_sensitivity_to_json(s, &t, &n), JQL_OK);
    /* case "A +": A = 3 (bands x1.5), B = 7: rescoring gives B's linear
       points 7 x share / 100, which the model gets as round(B x 7/8): the
       same whenever B's points x 7 / 8 is exact, as in this dataset
       (B = 7.2, 7, 8, 8 -> 6.3, 6.125, 7, 7). */
    jql_criteria *c2 = NULL;
    ck_assert_int_eq(jql_criteria_clone(c, &c2), JQL_OK);
    ck_assert_int_eq(jql_criteria_set_max(c2, "A", 3000, JQL_EDIT_KEEP_TOTAL, NULL), JQL_OK);
    jql_results *r2 = score(ds, c2, NULL);
    cJSON *doc = cJSON_Parse(t);
    cJSON *units = cJSON_GetObjectItem(doc, "units");
    for (cJSON *u = units->child; u; u = u->next) {
        const char *id = cJSON_GetObjectItem(u, "id")->valuestring;
        cJSON *plus = cJSON_GetObjectItem(
            cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(u, "one_at_a_time"), "tornado"), 0),
            "plus");
        size_t k = 0;
        while (strcmp(jql_results_unit_id(r2, k), id) != 0)
            k++;
        ck_assert_int_eq((long long)(cJSON_GetObjectItem(plus, "final")->valuedouble * 1000 + 0.5),
                         jql_results_unit_value(r2, k, JQL_RESULT_FIELD_FINAL));
        ck_assert_int_eq(cJSON_GetObjectItem(plus, "rank")->valueint, (int)jql_results_unit_rank(r2, k));
        ck_assert_str_eq(cJSON_GetObjectItem(plus, "tier")->valuestring, jql_results_unit_tier(r2, k));
    }
    cJSON_Delete(doc);
    jql_free(t);
    jql_sensitivity_free(s);
    jql_results_free(r);
    jql_results_free(r2);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
}
END_TEST

/* Leaves one at a time on tree.json (S1 = a, b, c): the siblings share
   what the leaf leaves, and ranks and tiers are those of a full rescoring
   of the sheet edited with jql_criteria_set_max(leaf, W, KEEP_TOTAL). */
START_TEST(sensitivity_of_leaves)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("analysis/tree.json"));
    jql_results *r = score(ds, c, NULL);
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = JQL_SENS_LEAVES;
    o.percent = 50000;
    jql_sensitivity *s;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_OK);
    char *t;
    size_t n;
    ck_assert_int_eq(jql_sensitivity_to_json(s, &t, &n), JQL_OK);
    cJSON *doc = cJSON_Parse(t);
    cJSON *cases = cJSON_GetObjectItem(doc, "leaves_one_at_a_time");
    ck_assert_int_eq(cJSON_GetArraySize(cases), 6); /* a, b, c x (-, +) */
    /* "a +": a = 1.5, b and c share 1.5: 0.75 each */
    cJSON *ap = cJSON_GetArrayItem(cases, 1);
    ck_assert_str_eq(cJSON_GetObjectItem(ap, "leaf")->valuestring, "a");
    cJSON *w = cJSON_GetObjectItem(ap, "weights");
    ck_assert_double_eq(cJSON_GetArrayItem(w, 0)->valuedouble, 1.5);
    ck_assert_double_eq(cJSON_GetArrayItem(w, 1)->valuedouble, 0.75);
    ck_assert_double_eq(cJSON_GetArrayItem(w, 2)->valuedouble, 0.75);
    const char *leaves[] = {"a", "b", "c"};
    jql_milli fmin[4], fmax[4];
    for (size_t k = 0; k < 4; k++)
        fmin[k] = fmax[k] = jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL);
    for (size_t i = 0; i < 3; i++)
        for (int dir = 0; dir < 2; dir++) {
            cJSON *cs = cJSON_GetArrayItem(cases, (int)(2 * i) + dir);
            cJSON *ws = cJSON_GetObjectItem(cs, "weights");
            jql_milli wl = (jql_milli)(cJSON_GetArrayItem(ws, (int)i)->valuedouble * 1000 + 0.5);
            jql_criteria *c2 = NULL;
            ck_assert_int_eq(jql_criteria_clone(c, &c2), JQL_OK);
            ck_assert_int_eq(jql_criteria_set_max(c2, leaves[i], wl, JQL_EDIT_KEEP_TOTAL, NULL),
                             JQL_OK);
            jql_results *r2 = score(ds, c2, NULL);
            /* rank changes against the base: the same units as the model's */
            size_t moved = 0;
            for (size_t k = 0; k < jql_results_unit_count(r2); k++) {
                size_t b = 0;
                while (strcmp(jql_results_unit_id(r, b), jql_results_unit_id(r2, k)) != 0)
                    b++;
                moved += jql_results_unit_rank(r, b) != jql_results_unit_rank(r2, k);
                jql_milli f = jql_results_unit_value(r2, k, JQL_RESULT_FIELD_FINAL);
                fmin[b] = f < fmin[b] ? f : fmin[b];
                fmax[b] = f > fmax[b] ? f : fmax[b];
            }
            ck_assert_int_eq(cJSON_GetObjectItem(cs, "rank_changes")->valueint, (int)moved);
            jql_results_free(r2);
            jql_criteria_free(c2);
        }
    /* score ranges: within one thousandth per sibling of the rescoring (the
       model rounds each sibling's points once, the engine each leaf's
       amounts; bands leaves agree exactly) */
    size_t k = 0;
    for (cJSON *u = cJSON_GetObjectItem(doc, "units")->child; u; u = u->next, k++) {
        cJSON *lv = cJSON_GetObjectItem(u, "leaves");
        long long lo = (long long)(cJSON_GetObjectItem(lv, "final_min")->valuedouble * 1000 + 0.5);
        long long hi = (long long)(cJSON_GetObjectItem(lv, "final_max")->valuedouble * 1000 + 0.5);
        ck_assert_int_le(llabs(lo - fmin[k]), 3);
        ck_assert_int_le(llabs(hi - fmax[k]), 3);
    }
    /* U2 (a 0.5 of 1: band 2): "a +" makes a 0.75 of 1.5 and b, c 0.75 of
       0.75 (full): S1 = 2.25, final 2.25 + 5 + 0.5 = 7.75; "a -": a 0.25 of
       0.5, b and c 1.25: S1 2.75 -> 8.25 */
    cJSON *u2 = cJSON_GetArrayItem(cJSON_GetObjectItem(doc, "units"), 2);
    ck_assert_str_eq(cJSON_GetObjectItem(u2, "id")->valuestring, "U2");
    cJSON *lv2 = cJSON_GetObjectItem(u2, "leaves");
    ck_assert_double_eq(cJSON_GetObjectItem(lv2, "final_min")->valuedouble, 7.75);
    ck_assert_double_eq(cJSON_GetObjectItem(lv2, "final_max")->valuedouble, 8.25);
    cJSON_Delete(doc);
    jql_free(t);
    jql_sensitivity_free(s);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(improvement_plans)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    /* excellent from 9.5: U1 9.2, U4 9, U2 9 are good, U3 vetoed.
       U1: B 7.2 of 8 -> full B gives 10 >= 9.5: plan [B]; U4 likewise [B];
       U2: A 1 of 2 (B full) -> [A]; U3 held back by its veto: no plan. */
    ck_assert_int_eq(jql_criteria_set_tier_min(c, "excellent", 9500, NULL), JQL_OK);
    jql_results *r = score(ds, c, NULL);
    char *s;
    size_t n;
    ck_assert_int_eq(jql_improvement_plans_json(r, c, &s, &n), JQL_OK);
    cJSON *doc = cJSON_Parse(s);
    cJSON *units = cJSON_GetObjectItem(doc, "units");
    ck_assert_int_eq(cJSON_GetArraySize(units), 4);
    for (cJSON *u = units->child; u; u = u->next) {
        const char *id = cJSON_GetObjectItem(u, "id")->valuestring;
        cJSON *plan = cJSON_GetObjectItem(u, "plan");
        if (strcmp(id, "U3") == 0) {
            ck_assert_str_eq(cJSON_GetObjectItem(u, "held_back")->valuestring, "veto");
            ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(u, "closes_gap")));
            ck_assert_int_eq(cJSON_GetArraySize(plan), 0);
            continue;
        }
        ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(u, "closes_gap")));
        ck_assert_int_eq(cJSON_GetArraySize(plan), 1);
        ck_assert_str_eq(cJSON_GetArrayItem(plan, 0)->valuestring, strcmp(id, "U2") == 0 ? "A" : "B");
        ck_assert_double_eq(cJSON_GetObjectItem(u, "final_with_plan")->valuedouble, 10.0);
    }
    ck_assert_ptr_nonnull(strstr(s, "report_days_late_worst: at_most 0 (band 1); now "));
    /* actions, from the dataset: U1 completed 9 of its 10 tasks, U4 7 of 8;
       U2's statistics report was due 2014-04-10 and came 2014-04-14 */
    ck_assert_ptr_nonnull(strstr(s, "\"action\": \"complete 1 more of 10 tasks\""));
    ck_assert_ptr_nonnull(strstr(s, "\"action\": \"complete 1 more of 8 tasks\""));
    ck_assert_ptr_nonnull(strstr(s, "\"action\": \"submit 4 days earlier\""));
    cJSON_Delete(doc);
    jql_free(s);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(trends_over_periods)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    const char *periods[] = {"2014-Q1", "2014-H1", "2014"};
    jql_trend *t = NULL;
    ck_assert_int_eq(jql_score_periods(ds, c, periods, 3, &t), JQL_EINVALID); /* units not in ds */
    jql_dataset_free(ds);
    ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    ck_assert_int_eq(jql_score_periods(ds, c, periods, 3, &t), JQL_OK);
    ck_assert_uint_eq(jql_trend_period_count(t), 3);
    /* each period's results are jql_score()'s, byte for byte */
    for (size_t p = 0; p < 3; p++) {
        jql_results *r = score(ds, c, periods[p]);
        char *a = res_json(r), *b = res_json(jql_trend_results(t, p));
        ck_assert_str_eq(a, b);
        jql_free(a);
        jql_free(b);
        jql_results_free(r);
    }
    char *s;
    size_t n;
    ck_assert_int_eq(jql_trend_to_json(t, &s, &n), JQL_OK);
    cJSON *doc = cJSON_Parse(s);
    for (cJSON *u = cJSON_GetObjectItem(doc, "units")->child; u; u = u->next) {
        cJSON *ps = cJSON_GetObjectItem(u, "periods");
        ck_assert(cJSON_IsNull(cJSON_GetObjectItem(ps->child, "movement")));
        for (cJSON *p = ps->child->next; p; p = p->next)
            ck_assert_int_eq(cJSON_GetObjectItem(p, "movement")->valueint,
                             cJSON_GetObjectItem(p->prev, "rank")->valueint -
                                 cJSON_GetObjectItem(p, "rank")->valueint);
    }
    cJSON_Delete(doc);
    jql_free(s);
    jql_trend_free(t);
    const char *bad[] = {"2014-Q1", "1999-Q9"};
    ck_assert_int_ne(jql_score_periods(ds, c, bad, 2, &t), JQL_OK);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "1999-Q9"));
    ck_assert_int_eq(jql_score_periods(ds, c, bad, 0, &t), JQL_EINVALID);
    ck_assert_int_eq(jql_score_periods(ds, c, bad, JQL_TREND_MAX_PERIODS + 1, &t), JQL_ELIMIT);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* jql_score_periods_table: the table of jql_score_periods without the
   results (each period scored without evidence and freed), and the budget
   the periods share (64 periods of 1,000 units x 4,400 criteria held 18 GB
   and took 12 s in jql-score --periods). */
START_TEST(periods_table_keeps_no_results)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    const char *periods[] = {"2014-Q1", "2014-H1", "2014", "2014-Q1"};
    jql_trend *full = NULL, *table = NULL;
    ck_assert_int_eq(jql_score_periods(ds, c, periods, 4, &full), JQL_OK);
    ck_assert_int_eq(jql_score_periods_table(ds, c, periods, 4, &table), JQL_OK);
    ck_assert_ptr_null(jql_trend_results(table, 0));
    char *a, *b;
    size_t na, nb;
    ck_assert_int_eq(jql_trend_to_json(full, &a, &na), JQL_OK);
    ck_assert_int_eq(jql_trend_to_json(table, &b, &nb), JQL_OK);
    ck_assert_str_eq(a, b);
    ck_assert_uint_gt(jql_trend_unit_count(table), 0);
    for (size_t i = 0; i < jql_trend_unit_count(table); i++)
        for (size_t p = 0; p < 4; p++) {
            ck_assert_str_eq(jql_trend_unit_id(table, i), jql_trend_unit_id(full, i));
            ck_assert_int_eq(jql_trend_unit_final(table, i, p), jql_trend_unit_final(full, i, p));
            ck_assert_uint_eq(jql_trend_unit_rank(table, i, p), jql_trend_unit_rank(full, i, p));
        }
    jql_free(a);
    jql_free(b);
    jql_trend_free(full);
    jql_trend_free(table);
    const char *bad[] = {"2014-Q1", "1999-Q9"};
    ck_assert_int_ne(jql_score_periods_table(ds, c, bad, 2, &table), JQL_OK);
    ck_assert_ptr_null(table);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "1999-Q9"));
    ck_assert_int_eq(jql_score_periods_table(ds, c, bad, 0, &table), JQL_EINVALID);
    ck_assert_int_eq(jql_score_periods_table(ds, c, bad, JQL_TREND_MAX_PERIODS + 1, &table),
                     JQL_ELIMIT);
    jql_criteria_free(c);
    jql_dataset_free(ds);

    /* 1,000 units x 700 leaves: 700,000 results a period. One period scores;
       64 (625,000 each) are refused before any is scored, the counts named. */
    test_load_manual_grid(1000, 700, &ds, &c);
    const char *many[JQL_TREND_MAX_PERIODS];
    for (size_t p = 0; p < JQL_TREND_MAX_PERIODS; p++)
        many[p] = "2014";
    ck_assert_int_eq(jql_score_periods_table(ds, c, many, 1, &table), JQL_OK);
    ck_assert_int_eq(jql_trend_unit_final(table, 0, 0), 1);
    jql_trend_free(table);
    ck_assert_int_eq(jql_score_periods_table(ds, c, many, JQL_TREND_MAX_PERIODS, &table),
                     JQL_ELIMIT);
    ck_assert_ptr_null(table);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "64 periods share 40000000 results, 625000 each"));
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Plans repeat every leaf's title for every planned unit: past
   JQL_MAX_PLANS_TEXT the plans functions refuse before writing anything.
   4,500 units below the top tier x 2 leaves titled 60,000 bytes = 540 MB. */
START_TEST(plans_title_text_is_bounded)
{
    jql_buf d, k;
    jql_buf_init(&d);
    jql_buf_init(&k);
    jql_buf_puts(&d, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": ["
                     "{\"id\": \"R\", \"name\": \"R\", \"level\": \"province\"}");
    for (int u = 0; u < 4500; u++)
        jql_buf_printf(&d, ", {\"id\": \"u%d\", \"name\": \"u\", \"level\": \"district\", "
                           "\"parent\": \"R\"}", u);
    jql_buf_puts(&d, "], \"assessments\": [");
    for (int u = 0; u < 4500; u++)
        jql_buf_printf(&d, "%s{\"unit\": \"u%d\", \"period\": \"2014\", \"criterion\": \"a\", "
                           "\"appraised\": 1}", u ? ", " : "", u);
    jql_buf_puts(&d, "]}");
    char *title = jql_malloc(60001);
    memset(title, 'T', 60000);
    title[60000] = '\0';
    jql_buf_puts(&k, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"k\", "
                     "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                     "\"tiers\": [{\"id\": \"top\", \"name\": \"top\", \"min\": 90}, "
                     "{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], \"criteria\": [");
    jql_buf_printf(&k, "{\"id\": \"a\", \"title\": \"%s\", \"max\": 50, \"method\": "
                       "{\"type\": \"manual\"}}, {\"id\": \"b\", \"title\": \"%s\", \"max\": 50, "
                       "\"method\": {\"type\": \"manual\"}}]}", title, title);
    jql_free(title);
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(d.data, d.len, "plans", &ds, NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_load_buffer(k.data, k.len, "plans", &c, NULL), JQL_OK);
    jql_results *r = score(ds, c, NULL);
    char *text = NULL;
    size_t len = 0;
    jql_improvement_plans *p = NULL;
    ck_assert_int_eq(jql_improvement_plans_json(r, c, &text, &len), JQL_ELIMIT);
    ck_assert_ptr_null(text);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "4500 units to plan x 120000 bytes"));
    ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_ELIMIT);
    ck_assert_ptr_null(p);
    FILE *devnull = fopen("/dev/null", "w");
    ck_assert_int_eq(jql_improvement_plans_write(r, c, devnull), JQL_ELIMIT);
    fclose(devnull);
    jql_results_free(r);
    jql_buf_free(&d);
    jql_buf_free(&k);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(sensitivity_options_and_limits)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_criteria *other = load(test_data("analysis/tree.json"));
    jql_results *r = score(ds, c, NULL);
    jql_sensitivity *s = NULL;
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.version = 2;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_EINVALID);
    o = (jql_sensitivity_options)JQL_SENSITIVITY_OPTIONS_INIT;
    o.percent = 100001;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_EINVALID);
    o.percent = -1;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_EINVALID);
    o = (jql_sensitivity_options)JQL_SENSITIVITY_OPTIONS_INIT;
    o.runs = JQL_SENS_MAX_RUNS + 1;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_ELIMIT);
    o = (jql_sensitivity_options)JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags = 16;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_EINVALID);
    ck_assert_ptr_null(s);
    /* results of another criteria set */
    ck_assert_int_eq(jql_sensitivity_run(r, other, NULL, &s), JQL_EINVALID);
    char *t;
    size_t n;
    ck_assert_int_eq(jql_improvement_plans_json(r, other, &t, &n), JQL_EINVALID);
    /* 100%: weights may reach 0 but never all; the draw stays within [0, 2M] */
    o = (jql_sensitivity_options)JQL_SENSITIVITY_OPTIONS_INIT;
    o.percent = 100000;
    o.runs = 50;
    ck_assert_int_eq(jql_sensitivity_run(r, c, &o, &s), JQL_OK);
    ck_assert_uint_le(jql_sensitivity_rank_max(s, 0), 4);
    jql_sensitivity_free(s);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_criteria_free(other);
    jql_dataset_free(ds);
}
END_TEST

/* The largest single request while `watching`: plain malloc underneath. */
static size_t largest_request;
static bool watching;

static void *watch_malloc(size_t n)
{
    if (watching && n > largest_request)
        largest_request = n;
    return malloc(n);
}

static void *watch_realloc(void *p, size_t n)
{
    if (watching && n > largest_request)
        largest_request = n;
    return realloc(p, n);
}

/* A sensitivity over the leaves too large to run is refused from the
   results' sizes, before its model (4 arrays of units x criteria) is
   built: 100 units x 4,201 criteria would have asked 3.4 MB a block. */
START_TEST(sensitivity_refused_before_its_model)
{
    ck_assert_int_eq(jql_allocator_set(watch_malloc, watch_realloc, free), JQL_OK);
    jql_buf d, k;
    jql_buf_init(&d);
    jql_buf_init(&k);
    jql_buf_puts(&d, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [");
    for (int u = 0; u < 100; u++)
        jql_buf_printf(&d, "%s{\"id\": \"u%d\", \"name\": \"u\", \"level\": \"district\"}",
                       u ? ", " : "", u);
    jql_buf_puts(&d, "], \"assessments\": [{\"unit\": \"u0\", \"period\": \"2014\", "
                     "\"criterion\": \"l0\", \"appraised\": 1}]}");
    jql_buf_puts(&k, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"k\", "
                     "\"period\": \"2014\", \"units\": {\"levels\": [\"district\"]}, "
                     "\"tiers\": [{\"id\": \"t\", \"name\": \"t\", \"min\": 0}], \"criteria\": "
                     "[{\"id\": \"S\", \"title\": \"S\", \"max\": 4200, \"children\": [");
    for (int l = 0; l < 4200; l++)
        jql_buf_printf(&k, "%s{\"id\": \"l%d\", \"title\": \"l\", \"max\": 1, \"method\": "
                           "{\"type\": \"manual\"}}", l ? ", " : "", l);
    jql_buf_puts(&k, "]}]}");
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(d.data, d.len, "d", &ds, NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_load_buffer(k.data, k.len, "k", &c, NULL), JQL_OK);
    jql_results *r = score(ds, c, NULL);
    jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
    o.flags |= JQL_SENS_LEAVES;
    jql_sensitivity *s = NULL;
    largest_request = 0;
    watching = true;
    int rc = jql_sensitivity_run(r, c, &o, &s);
    watching = false;
    ck_assert_int_eq(rc, JQL_ELIMIT);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "1 sections and 100 units"));
    ck_assert_uint_lt(largest_request, 256 * 1024);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    jql_buf_free(&d);
    jql_buf_free(&k);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

/* Maxima at the largest number: sums that would not fit are refused. */
START_TEST(huge_maxima)
{
    static const char *text =
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"huge\", \"period\": \"2014\","
        " \"units\": {\"ids\": [\"U1\", \"U2\"]}, \"criteria\": ["
        " {\"id\": \"A\", \"title\": \"A\", \"max\": 9000000000000, \"children\": ["
        "  {\"id\": \"a1\", \"title\": \"a1\", \"max\": 9000000000000, \"method\": {\"type\": \"manual\"}},"
        "  {\"id\": \"a2\", \"title\": \"a2\", \"max\": 9000000000000, \"method\": {\"type\": \"manual\"}}]},"
        " {\"id\": \"B\", \"title\": \"B\", \"max\": 9000000000000, \"method\": {\"type\": \"manual\"}},"
        " {\"id\": \"C\", \"title\": \"C\", \"max\": 9000000000000, \"method\": {\"type\": \"manual\"}}],"
        " \"tiers\": [{\"id\": \"t\", \"name\": \"T\", \"min\": 0}]}";
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(text, strlen(text), "huge", &c, NULL), JQL_OK);
    /* B to 1 would leave 1.8e13 - 0.001 for A and C: more than the largest number */
    ck_assert_int_eq(jql_criteria_set_max(c, "B", 1, JQL_EDIT_KEEP_TOTAL, NULL), JQL_ELIMIT);
    /* a1 down to 1: a2 would get 1.8e13 - 0.001 */
    ck_assert_int_eq(jql_criteria_set_max(c, "a1", 1, JQL_EDIT_KEEP_TOTAL, NULL), JQL_ELIMIT);
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_results *r = score(ds, c, NULL);
    jql_sensitivity *s = NULL;
    ck_assert_int_eq(jql_sensitivity_run(r, c, NULL, &s), JQL_ELIMIT);
    ck_assert_ptr_null(s);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* A jql_write_fn gathering the text. */
typedef struct {
    char *data;
    size_t len;
} jql_buf_sink_t;

static int gather(void *user, const char *data, size_t len)
{
    jql_buf_sink_t *b = user;
    char *d = realloc(b->data, b->len + len + 1);
    if (!d)
        return 1;
    memcpy(d + b->len, data, len);
    b->len += len;
    d[b->len] = '\0';
    b->data = d;
    return 0;
}

/* jql_compare_side_new() of r, then compared with r: streamed (how 0) into
   *sink or as a units-only object (how 1) into *cmp. */
static int compare_side_op(const jql_results *r, int how, jql_buf_sink_t *sink,
                           jql_comparison **cmp)
{
    jql_compare_side *side = NULL;
    int rc = jql_compare_side_new(r, &side);
    if (rc == JQL_OK)
        rc = how == 0 ? jql_compare_side_write_cb(side, r, gather, sink)
                      : jql_compare_side_compare(side, r, JQL_COMPARE_UNITS_ONLY, cmp);
    jql_compare_side_free(side);
    return rc;
}

/* The comparison of x and y through a kept side of x, x freed before the
   side is read: streamed, it is jql_results_compare_json(x, y) byte for
   byte; as a units-only object, the full object's units without nodes. */
static void check_side_matches(const jql_dataset *ds, const jql_criteria *cx,
                               const jql_criteria *cy, const char *period)
{
    jql_results *x = score(ds, cx, period), *y = score(ds, cy, period);
    char *want;
    size_t wlen;
    jql_comparison *full = NULL, *units = NULL;
    ck_assert_int_eq(jql_results_compare_json(x, y, &want, &wlen), JQL_OK);
    ck_assert_int_eq(jql_results_compare(x, y, &full), JQL_OK);
    jql_compare_side *side = NULL;
    ck_assert_int_eq(jql_compare_side_new(x, &side), JQL_OK);
    jql_results_free(x); /* the side keeps what it needs */
    jql_buf_sink_t got = {0};
    ck_assert_int_eq(jql_compare_side_write_cb(side, y, gather, &got), JQL_OK);
    ck_assert_uint_eq(got.len, wlen);
    ck_assert_str_eq(got.data, want);
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(jql_compare_side_write(side, y, fp), JQL_OK);
    ck_assert_int_eq((long)ftell(fp), (long)wlen);
    fclose(fp);
    ck_assert_int_eq(jql_compare_side_compare(side, y, JQL_COMPARE_UNITS_ONLY, &units), JQL_OK);
    ck_assert_uint_eq(jql_comparison_unit_count(units), jql_comparison_unit_count(full));
    ck_assert_uint_eq(jql_comparison_rank_changes(units), jql_comparison_rank_changes(full));
    ck_assert_uint_eq(jql_comparison_tier_changes(units), jql_comparison_tier_changes(full));
    for (size_t k = 0; k < jql_comparison_unit_count(full); k++) {
        ck_assert_str_eq(jql_comparison_unit_id(units, k), jql_comparison_unit_id(full, k));
        ck_assert_uint_eq(jql_comparison_node_count(units, k), 0);
        for (int sd = 0; sd < 2; sd++) {
            ck_assert(jql_comparison_unit_present(units, k, sd) ==
                      jql_comparison_unit_present(full, k, sd));
            ck_assert_int_eq(jql_comparison_unit_final(units, k, sd),
                             jql_comparison_unit_final(full, k, sd));
            ck_assert_uint_eq(jql_comparison_unit_rank(units, k, sd),
                              jql_comparison_unit_rank(full, k, sd));
            const char *tu = jql_comparison_unit_tier(units, k, sd),
                       *tf = jql_comparison_unit_tier(full, k, sd);
            ck_assert(tu == tf || (tu && tf && strcmp(tu, tf) == 0));
        }
    }
    /* the full object from the side is the one from both results */
    jql_comparison *again = NULL;
    ck_assert_int_eq(jql_compare_side_compare(side, y, 0, &again), JQL_OK);
    char *a, *b;
    size_t al, bl;
    ck_assert_int_eq(jql_comparison_to_json(again, &a, &al), JQL_OK);
    ck_assert_int_eq(jql_comparison_to_json(full, &b, &bl), JQL_OK);
    ck_assert_str_eq(a, b);
    jql_free(a);
    jql_free(b);
    jql_comparison_free(again);
    jql_comparison_free(units);
    jql_comparison_free(full);
    free(got.data);
    jql_free(want);
    jql_compare_side_free(side);
    jql_results_free(y);
}

START_TEST(compare_side_outlives_its_results)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_criteria *c2 = NULL;
    ck_assert_int_eq(jql_criteria_clone(c, &c2), JQL_OK);
    ck_assert_int_eq(jql_criteria_set_max(c2, "A", 4000, JQL_EDIT_KEEP_TOTAL, NULL), JQL_OK);
    check_side_matches(ds, c, c2, NULL);
    check_side_matches(ds, c2, c, NULL);
    check_side_matches(ds, c, c, NULL);
    /* different periods: units and nodes on one side only are listed too */
    check_side_matches(ds, c, c2, "2014");
    jql_dataset *la = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *lc = load(example_data("long-an-2014/criteria-2014.json"));
    jql_criteria *lc2 = NULL;
    ck_assert_int_eq(jql_criteria_clone(lc, &lc2), JQL_OK);
    ck_assert_int_eq(jql_criteria_set_max(lc2, "reporting", 30000, JQL_EDIT_KEEP_TOTAL, NULL),
                     JQL_OK);
    check_side_matches(la, lc, lc2, NULL); /* ranks and tiers move */
    check_side_matches(la, lc2, lc, NULL);
    check_side_matches(la, lc, lc, NULL);
    jql_criteria_free(lc2);
    /* arguments */
    jql_compare_side *side = (jql_compare_side *)1;
    ck_assert_int_eq(jql_compare_side_new(NULL, &side), JQL_EINVALID);
    ck_assert_ptr_null(side);
    jql_results *r = score(ds, c, NULL);
    ck_assert_int_eq(jql_compare_side_new(r, &side), JQL_OK);
    jql_comparison *cmp = (jql_comparison *)1;
    ck_assert_int_eq(jql_compare_side_compare(side, r, 0x2, &cmp), JQL_EINVALID);
    ck_assert_ptr_null(cmp);
    ck_assert_int_eq(jql_compare_side_compare(NULL, r, 0, &cmp), JQL_EINVALID);
    ck_assert_int_eq(jql_compare_side_write_cb(side, r, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_compare_side_write(side, NULL, stdout), JQL_EINVALID);
    ck_assert_int_eq(jql_compare_side_write(side, r, NULL), JQL_EINVALID);
    jql_compare_side_free(side);
    jql_compare_side_free(NULL);
    jql_results_free(r);
    jql_criteria_free(lc);
    jql_dataset_free(la);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(out_of_memory)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/worked-example/dataset.json"));
    jql_criteria *c = load(test_data("scoring/worked-example/criteria.json"));
    jql_results *r = score(ds, c, NULL);
    char *before = crit_json(c);
    test_install_failing_allocator();
    for (int op = 0; op < 12; op++) {
        for (long k = 0;; k++) {
            char *t = NULL;
            size_t n;
            jql_criteria *cl = NULL;
            jql_compare_side *side = NULL;
            jql_buf_sink_t sink = {0};
            jql_sensitivity *s = NULL;
            jql_trend *tr = NULL;
            jql_comparison *cmp = NULL;
            jql_diagnostics *d = NULL;
            const char *periods[] = {"2014-Q1", "2014"};
            jql_sensitivity_options o = JQL_SENSITIVITY_OPTIONS_INIT;
            o.runs = 20;
            o.flags |= JQL_SENS_LEAVES;
            test_fail_after(k);
            int rc = op == 0   ? jql_criteria_clone(c, &cl)
                     : op == 1 ? jql_criteria_set_max(c, "A", 2000, JQL_EDIT_KEEP_TOTAL, &d)
                     : op == 2 ? jql_results_compare_json(r, r, &t, &n)
                     : op == 3 ? jql_sensitivity_run(r, c, &o, &s)
                     : op == 4 ? jql_improvement_plans_json(r, c, &t, &n)
                     : op == 5 ? jql_score_periods(ds, c, periods, 2, &tr)
                     : op == 6 ? jql_results_compare(r, r, &cmp)
                     : op == 7 ? jql_compare_side_new(r, &side)
                     : op == 8 ? compare_side_op(r, 0, &sink, &cmp)
                     : op == 9 ? compare_side_op(r, 1, &sink, &cmp)
                     /* the second period written into the first's arrays */
                     : op == 10 ? jql_score_periods_table(ds, c, periods, 2, &tr)
                               : jql_criteria_to_json(c, &t, &n);
            /* on until a call makes no more allocations: past the first
               success too, when a failure was made up for */
            bool hit = test_alloc_count() > k;
            test_fail_after(-1);
            jql_compare_side_free(side);
            free(sink.data);
            jql_criteria_free(cl);
            jql_sensitivity_free(s);
            jql_trend_free(tr);
            jql_comparison_free(cmp);
            jql_diagnostics_free(d);
            jql_free(t);
            ck_assert_msg(rc == JQL_OK || rc == JQL_ENOMEM, "op %d allocation %ld: rc %d", op,
                          k, rc);
            if (!hit) {
                ck_assert_int_eq(rc, JQL_OK);
                break;
            }
        }
        char *now = crit_json(c);
        ck_assert_str_eq(before, now); /* set_max to the same value: same set */
        jql_free(now);
    }
    jql_free(before);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("analysis");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, apportion_largest_remainder);
    tcase_add_test(tc, periods_table_keeps_no_results);
    tcase_add_test(tc, plans_title_text_is_bounded);
    tcase_add_test(tc, save_is_canonical);
    tcase_add_test(tc, clone_scores_like_the_original);
    tcase_add_test(tc, set_max_scales_subtree_exactly);
    tcase_add_test(tc, edits_are_validated_like_a_load);
    tcase_add_test(tc, disabled_node_is_not_applicable);
    tcase_add_test(tc, compare_two_scorings);
    tcase_add_test(tc, compare_side_outlives_its_results);
    tcase_add_test(tc, prng_reference_vectors);
    tcase_add_test(tc, sensitivity_model_and_determinism);
    tcase_add_test(tc, sensitivity_matches_rescoring_for_bands);
    tcase_add_test(tc, sensitivity_of_leaves);
    tcase_add_test(tc, improvement_plans);
    tcase_add_test(tc, trends_over_periods);
    tcase_add_test(tc, sensitivity_options_and_limits);
    tcase_add_test(tc, sensitivity_refused_before_its_model);
    tcase_add_test(tc, huge_maxima);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
