/* The scoring engine through the public API: the worked example of
   docs/SCORING.md with every figure, the results' JSON, determinism across runs
   and locales, lifetimes, re-scoring, callbacks, errors and out of memory. */
#include <locale.h>

#include "score_helpers.h"

static jql_dataset *we_dataset(void)
{
    return test_load_dataset(test_data("scoring/worked-example/dataset.json"));
}

static jql_criteria *we_criteria(void)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_path(test_data("scoring/worked-example/criteria.json"), &c, &d);
    if (rc)
        print_diag("criteria", d);
    jql_diagnostics_free(d);
    ck_assert_int_eq(rc, JQL_OK);
    return c;
}

START_TEST(worked_example_figures)
{
    jql_dataset *ds = we_dataset();
    jql_criteria *c = we_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    /* results stay valid once the inputs are gone */
    jql_criteria_free(c);
    jql_dataset_free(ds);

    ck_assert_str_eq(jql_results_period(r), "2014");
    ck_assert_str_eq(jql_results_criteria_id(r), "worked-example");
    ck_assert_uint_eq(jql_results_unit_count(r), 4);
    ck_assert_uint_eq(jql_results_node_count(r), 2);
    /* result order: by rank */
    const char *order[] = {"U1", "U4", "U2", "U3"};
    for (size_t k = 0; k < 4; k++)
        ck_assert_str_eq(jql_results_unit_id(r, k), order[k]);

    /* U1: A 2 (0 days late), B 7.2 (9 of 10), total 9.2, excellent, rank 1, leader */
    ck_assert_int_eq(pts(r, "U1", "A"), 2000);
    ck_assert_int_eq(pts(r, "U1", "B"), 7200);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 9200);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 10000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 9200);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 9200);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_SELF_TOTAL), 9200);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_BONUS), 0);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_DEDUCTIONS), 0);
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "excellent");
    ck_assert_str_eq(jql_results_unit_tier_before_caps(r, 0), "excellent");
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    ck_assert_uint_eq(jql_results_unit_cluster_rank(r, 0), 1);
    ck_assert(jql_results_unit_is_leader(r, 0));
    ck_assert(!jql_results_unit_quota_demoted(r, 0));
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_GAP), 0);
    ck_assert_str_eq(jql_results_unit_held_back(r, 0), "");
    ck_assert_uint_eq(jql_results_unit_veto_count(r, 0), 0);

    /* U4: A 2, B 7.0 (7 of 8), 9.0, rank 2 by the tie-breaker, demoted to good by the quota */
    size_t k = unit_k(r, "U4");
    ck_assert_uint_eq(k, 1);
    ck_assert_int_eq(pts(r, "U4", "A"), 2000);
    ck_assert_int_eq(pts(r, "U4", "B"), 7000);
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_FINAL), 9000);
    ck_assert_str_eq(jql_results_unit_tier_before_caps(r, k), "excellent");
    ck_assert_str_eq(jql_results_unit_tier(r, k), "good");
    ck_assert_uint_eq(jql_results_unit_rank(r, k), 2);
    ck_assert_uint_eq(jql_results_unit_cluster_rank(r, k), 2);
    ck_assert(!jql_results_unit_is_leader(r, k));
    ck_assert(jql_results_unit_quota_demoted(r, k));
    ck_assert(!jql_results_unit_quota_tie(r, k));
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_GAP), 0);
    ck_assert_str_eq(jql_results_unit_held_back(r, k), "quota");

    /* U2: A 1 (4 days late), B 8, 9.0, rank 3, demoted to good */
    k = unit_k(r, "U2");
    ck_assert_int_eq(pts(r, "U2", "A"), 1000);
    ck_assert_int_eq(pts(r, "U2", "B"), 8000);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_FINAL), 9000);
    ck_assert_str_eq(jql_results_unit_tier(r, k), "good");
    ck_assert_uint_eq(jql_results_unit_rank(r, k), 3);
    ck_assert(jql_results_unit_quota_demoted(r, k));
    ck_assert_str_eq(jql_results_unit_held_back(r, k), "quota");

    /* U3: A 0 (12 days late), B 8, 8.0 = good before caps, veto caps at not completed */
    k = unit_k(r, "U3");
    ck_assert_int_eq(pts(r, "U3", "A"), 0);
    ck_assert_int_eq(pts(r, "U3", "B"), 8000);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_FINAL), 8000);
    ck_assert_str_eq(jql_results_unit_tier_before_caps(r, k), "good");
    ck_assert_str_eq(jql_results_unit_tier(r, k), "not-completed");
    ck_assert_uint_eq(jql_results_unit_rank(r, k), 4);
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k), 1);
    ck_assert_str_eq(jql_results_unit_veto_id(r, k, 0), "discipline");
    ck_assert_str_eq(jql_results_unit_veto_reason(r, k, 0), "A disciplinary measure in the period");
    ck_assert(!jql_results_unit_is_leader(r, k));
    ck_assert(!jql_results_unit_quota_demoted(r, k));
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_GAP), 0);
    ck_assert_str_eq(jql_results_unit_held_back(r, k), "veto");

    /* out-of-range accessors are harmless */
    ck_assert_ptr_null(jql_results_unit_id(r, 4));
    ck_assert_ptr_null(jql_results_unit_veto_id(r, k, 1));
    ck_assert_int_eq(jql_results_node_points(r, 0, 2), 0);
    jql_results_free(r);
}
END_TEST

START_TEST(worked_example_json)
{
    jql_dataset *ds = we_dataset();
    jql_criteria *c = we_criteria();
    jql_results *r = score_ok(ds, c, NULL);
    char *js = results_json(r);
    char *expected = test_read_file(test_data("scoring/worked-example/expected.json"), NULL);
    ck_assert_str_eq(js, expected);
    free(expected);

    /* Scoring again, and under a decimal-comma locale, gives the same bytes. */
    jql_results *r2 = score_ok(ds, c, "2014");
    char *js2 = results_json(r2);
    ck_assert_str_eq(js, js2);
    jql_free(js2);
    jql_results_free(r2);
    if (setlocale(LC_NUMERIC, "de_DE.UTF-8") || setlocale(LC_NUMERIC, "fr_FR.UTF-8")) {
        r2 = score_ok(ds, c, NULL);
        js2 = results_json(r2);
        ck_assert_str_eq(js, js2);
        jql_free(js2);
        jql_results_free(r2);
        setlocale(LC_NUMERIC, "C");
    }
    jql_free(js);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(rescoring_after_edit)
{
    /* A manual leaf: the appraisal changes and scoring again sees it. */
    jql_dataset *ds = ds_json(DS_HEAD "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": "
                                      "\"district\"}], \"assessments\": [{\"unit\": \"U1\", "
                                      "\"period\": \"2014\", \"criterion\": \"M\", \"self\": 8, "
                                      "\"appraised\": 6}]}");
    jql_criteria *c = cr_json(CR_HEAD "\"criteria\": [{\"id\": \"M\", \"title\": \"Manual\", "
                                      "\"max\": 10, \"method\": {\"type\": \"manual\"}}], " TIERS4
                                      "}");
    jql_results *r = score_ok(ds, c, NULL);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 6000);
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "completed");
    jql_results_free(r);
    size_t a;
    ck_assert_int_eq(jql_assessment_find(ds, "U1", "2014", "M", &a), JQL_OK);
    ck_assert_int_eq(jql_assessment_set_scores(ds, a, 8000, 9500), JQL_OK);
    r = score_ok(ds, c, NULL);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 9500);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_SELF_TOTAL), 8000);
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "excellent");
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* One event in the period: a period with no record at all is refused. */
static const char *one_unit_ds =
    DS_HEAD "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": \"district\"}, "
            "{\"id\": \"U2\", \"name\": \"U2\", \"level\": \"district\"}], "
            "\"events\": [{\"unit\": \"U1\", \"date\": \"2014-05-01\", \"kind\": \"x\"}]}";
static const char *custom_cr =
    CR_HEAD "\"criteria\": [{\"id\": \"C\", \"title\": \"Custom\", \"max\": 10, "
            "\"method\": {\"type\": \"custom\", \"function\": \"f\"}}], " TIERS4 "}";

static int cb_fail(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    char msg[64];
    snprintf(msg, sizeof msg, "no data for %s", jql_custom_unit_id(ctx));
    jql_custom_set_error(ctx, msg);
    return 7;
}

/* 12.5 for U1 (clamped to the max 10), -1 for U2 (clamped to 0); counts calls. */
static int cb_ok(void *user, jql_custom_ctx *ctx)
{
    ck_assert_str_eq(jql_custom_period(ctx), "2014");
    ck_assert_str_eq(jql_custom_node_id(ctx), "C");
    (*(int *)user)++;
    const char *unit = jql_unit_id(jql_custom_dataset(ctx), jql_custom_unit_index(ctx));
    ck_assert_int_eq(jql_custom_set_points(ctx, strcmp(unit, "U1") == 0 ? 12500 : -1000), JQL_OK);
    return 0;
}

START_TEST(custom_callbacks)
{
    jql_dataset *ds = ds_json(one_unit_ds);
    jql_criteria *c = cr_json(custom_cr);
    jql_results *r = (jql_results *)1;
    /* not registered */
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "f"));
    /* failing */
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cb_fail, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ECALLBACK);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(jql_last_error(), "custom function f failed for unit U1, node C: no data for U1");
    /* succeeding, clamped to [0, max] */
    int calls = 0;
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cb_ok, &calls, NULL), JQL_OK);
    r = score_ok(ds, c, NULL);
    ck_assert_int_eq(calls, 2);
    ck_assert_int_eq(pts(r, "U1", "C"), 10000);
    ck_assert_int_eq(pts(r, "U2", "C"), 0);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 10000);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(zero_and_one_unit)
{
    /* Nothing in the period is refused (an undeclared period with no record
       at all is unknown) unless JQL_SCORE_ALLOW_EMPTY. */
    jql_score_options allow = JQL_SCORE_OPTIONS_INIT;
    allow.flags = JQL_SCORE_ALLOW_EMPTY;
    jql_dataset *ds = ds_json(DS_HEAD "\"units\": [{\"id\": \"P\", \"name\": \"P\", "
                                      "\"level\": \"province\"}]}");
    jql_criteria *c = cr_json(CR_HEAD "\"criteria\": [{\"id\": \"A\", \"title\": \"A\", "
                                      "\"max\": 10, \"measure\": {\"kind\": \"event_count\"}, "
                                      "\"method\": {\"type\": \"per_occurrence\", \"amount\": "
                                      "1}}], " TIERS4 "}");
    jql_results *r = (jql_results *)1;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "unknown period 2014"));
    /* no unit of the scored level */
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &allow, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), 0);
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"units\": []\n}\n"));
    jql_free(js);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    /* one unit: rank 1, no cluster so no cluster rank and no leader */
    ds = ds_json(DS_HEAD "\"units\": [{\"id\": \"U\", \"name\": \"U\", \"level\": "
                         "\"district\"}]}");
    c = cr_json(CR_HEAD "\"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": 10, "
                        "\"measure\": {\"kind\": \"event_count\"}, \"method\": {\"type\": "
                        "\"per_occurrence\", \"amount\": 1}}], " TIERS4 "}");
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &allow, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), 1);
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    ck_assert_uint_eq(jql_results_unit_cluster_rank(r, 0), 0);
    ck_assert_ptr_null(jql_results_unit_cluster(r, 0));
    ck_assert(!jql_results_unit_is_leader(r, 0));
    ck_assert_int_eq(val(r, "U", JQL_RESULT_FIELD_FINAL), 10000);
    js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"cluster_rank\": null"));
    jql_free(js);
    /* the results say the period was empty */
    const jql_diagnostics *d = jql_results_diagnostics(r);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/period");
    ck_assert_int_eq(jql_diagnostics_severity(d, 0), JQL_SEVERITY_WARNING);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(errors)
{
    jql_dataset *ds = we_dataset();
    jql_criteria *c = we_criteria();
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(NULL, c, NULL, &r), JQL_EINVALID);
    ck_assert_int_eq(jql_score(ds, NULL, NULL, &r), JQL_EINVALID);
    ck_assert_int_eq(jql_score(ds, c, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_score(ds, c, "no-such-period", &r), JQL_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(jql_results_to_json(NULL, NULL, NULL), JQL_EINVALID);
    jql_results_free(NULL);
    ck_assert_uint_eq(jql_results_unit_count(NULL), 0);
    /* criteria naming an indicator the dataset lacks */
    jql_criteria *bad = cr_json(CR_HEAD "\"criteria\": [{\"id\": \"S\", \"title\": \"S\", \"max\": "
                                        "10, \"measure\": {\"kind\": \"indicator_value\", "
                                        "\"indicator\": \"nope\"}, \"method\": {\"type\": "
                                        "\"linear\", \"target\": 5}}], " TIERS4 "}");
    ck_assert_int_eq(jql_score(ds, bad, NULL, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    jql_criteria_free(bad);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(out_of_memory)
{
    test_install_failing_allocator();
    test_fail_after(-1);
    jql_dataset *ds = we_dataset();
    jql_criteria *c = we_criteria();
    char *expected = test_read_file(test_data("scoring/worked-example/expected.json"), NULL);
    /* every allocation of the scoring and its JSON in turn, until one run
       makes no more: not only until the first success, since a failure the
       scoring makes up for (a cache, a memo) comes before allocations a
       loop stopping there never reaches */
    long n = 0, failed = 0;
    bool hit = true;
    for (; hit && n < 100000; n++) {
        jql_results *r = NULL;
        test_fail_after(n);
        int rc = jql_score(ds, c, NULL, &r);
        if (rc != JQL_OK) {
            hit = test_alloc_count() > n;
            test_fail_after(-1);
            ck_assert_int_eq(rc, JQL_ENOMEM);
            ck_assert_ptr_null(r);
            failed++;
            continue;
        }
        char *js = NULL;
        size_t len;
        int jrc = jql_results_to_json(r, &js, &len);
        hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (jrc == JQL_OK) {
            ck_assert_str_eq(js, expected);
            jql_free(js);
        } else {
            ck_assert_int_eq(jrc, JQL_ENOMEM);
            ck_assert_ptr_null(js);
        }
        jql_results_free(r);
    }
    ck_assert_msg(!hit, "still failing after %ld allocations", n);
    ck_assert_msg(failed > 50, "only %ld allocation failures refused", failed);
    test_fail_after(-1);
    free(expected);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

/* From 32 event vetoes or event items on, a unit's events in the period are
   counted by kind once (score.c, plan_event_kinds: EK_MIN) and only the
   vetoes of kinds it has are fired: that path with the k-th allocation
   failing, for every k until the scoring succeeds (JQL_ENOMEM, nothing
   leaked, then the results of a scoring without failures). 40 kinds k0..k39;
   D1 has events of k0..k9 (k3 twice, one of k4 in 2013), D2 of k5 and k20,
   P none. */
static const char *ek_dataset =
    DS_HEAD "\"units\": [{\"id\": \"P\", \"name\": \"P\", \"level\": \"province\"}, "
    "{\"id\": \"D1\", \"name\": \"D1\", \"level\": \"district\", \"parent\": \"P\"}, "
    "{\"id\": \"D2\", \"name\": \"D2\", \"level\": \"district\", \"parent\": \"P\"}, "
    "{\"id\": \"D3\", \"name\": \"D3\", \"level\": \"district\", \"parent\": \"P\"}], "
    "\"events\": [{\"unit\": \"D1\", \"date\": \"2014-02-01\", \"kind\": \"k0\", \"points\": 1}, "
    "{\"unit\": \"D1\", \"date\": \"2014-02-02\", \"kind\": \"k1\"}, "
    "{\"unit\": \"D1\", \"date\": \"2014-03-01\", \"kind\": \"k2\", \"points\": 2}, "
    "{\"unit\": \"D1\", \"date\": \"2014-04-01\", \"kind\": \"k3\", \"points\": 0.5}, "
    "{\"unit\": \"D1\", \"date\": \"2014-05-01\", \"kind\": \"k3\", \"points\": 0.25}, "
    "{\"unit\": \"D1\", \"date\": \"2013-05-01\", \"kind\": \"k4\", \"points\": 3}, "
    "{\"unit\": \"D1\", \"date\": \"2014-06-01\", \"kind\": \"k5\"}, "
    "{\"unit\": \"D1\", \"date\": \"2014-07-01\", \"kind\": \"k6\", \"points\": 1}, "
    "{\"unit\": \"D1\", \"date\": \"2014-08-01\", \"kind\": \"k7\"}, "
    "{\"unit\": \"D1\", \"date\": \"2014-09-01\", \"kind\": \"k8\", \"points\": 1}, "
    "{\"unit\": \"D1\", \"date\": \"2014-10-01\", \"kind\": \"k9\", \"points\": 1}, "
    "{\"unit\": \"D2\", \"date\": \"2014-11-01\", \"kind\": \"k5\", \"points\": 2}, "
    "{\"unit\": \"D2\", \"date\": \"2014-12-01\", \"kind\": \"k20\", \"points\": 1}, "
    "{\"unit\": \"D3\", \"date\": \"2014-12-31\", \"kind\": \"k39\", \"points\": 1}]}";

/* A criteria set of one event leaf and either 40 event vetoes (k0..k39,
   caps alternating) or 40 event items (bonus k0..k19, deductions
   k20..k39), malloc'd. */
static char *ek_criteria(bool vetoes)
{
    size_t cap = 16384, len = 0;
    char *s = malloc(cap);
    ck_assert_ptr_nonnull(s);
    len += (size_t)snprintf(s + len, cap - len,
                            CR_HEAD "\"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": 10, "
                                    "\"measure\": {\"kind\": \"event_count\"}, \"method\": "
                                    "{\"type\": \"linear\", \"target\": 10}}], " TIERS4);
    if (vetoes) {
        len += (size_t)snprintf(s + len, cap - len, ", \"vetoes\": [");
        for (int k = 0; k < 40; k++)
            len += (size_t)snprintf(s + len, cap - len,
                                    "%s{\"id\": \"v%d\", \"reason\": \"r%d\", \"event_kind\": "
                                    "\"k%d\", \"cap\": \"%s\"}",
                                    k ? ", " : "", k, k, k, k % 2 ? "good" : "completed");
        len += (size_t)snprintf(s + len, cap - len, "]");
    } else {
        len += (size_t)snprintf(s + len, cap - len, ", \"bonus\": {\"cap\": 5, \"items\": [");
        for (int k = 0; k < 20; k++)
            len += (size_t)snprintf(s + len, cap - len,
                                    "%s{\"id\": \"b%d\", \"title\": \"b\", \"max\": 2, \"source\": "
                                    "\"events\", \"event_kind\": \"k%d\"}",
                                    k ? ", " : "", k, k);
        len += (size_t)snprintf(s + len, cap - len, "]}, \"deductions\": [");
        for (int k = 20; k < 40; k++)
            len += (size_t)snprintf(s + len, cap - len,
                                    "%s{\"id\": \"d%d\", \"title\": \"d\", \"max\": 2, \"source\": "
                                    "\"events\", \"event_kind\": \"k%d\"}",
                                    k > 20 ? ", " : "", k, k);
        len += (size_t)snprintf(s + len, cap - len, "]");
    }
    len += (size_t)snprintf(s + len, cap - len, "}");
    ck_assert_uint_lt(len, cap - 1);
    return s;
}

START_TEST(event_kinds_out_of_memory)
{
    bool vetoes = _i == 0;
    test_install_failing_allocator();
    test_fail_after(-1);
    jql_dataset *ds = ds_json(ek_dataset);
    char *cj = ek_criteria(vetoes);
    jql_criteria *c = cr_json(cj);
    free(cj);
    /* the results of a scoring without failures, and what they say */
    jql_results *r0 = score_ok(ds, c, "2014");
    char *expected = NULL;
    size_t len;
    ck_assert_int_eq(jql_results_to_json(r0, &expected, &len), JQL_OK);
    if (vetoes) {
        size_t k = unit_k(r0, "D1");
        ck_assert_uint_eq(jql_results_unit_veto_count(r0, k), 9); /* k0..k9 but k4 (2013) */
        ck_assert_str_eq(jql_results_unit_veto_id(r0, k, 0), "v0");
        ck_assert_str_eq(jql_results_unit_tier(r0, k), "completed");
        k = unit_k(r0, "D2");
        ck_assert_uint_eq(jql_results_unit_veto_count(r0, k), 2);
        ck_assert_str_eq(jql_results_unit_veto_id(r0, k, 0), "v5");
        ck_assert_str_eq(jql_results_unit_veto_id(r0, k, 1), "v20");
        k = unit_k(r0, "D3");
        ck_assert_uint_eq(jql_results_unit_veto_count(r0, k), 1);
        ck_assert_str_eq(jql_results_unit_veto_id(r0, k, 0), "v39");
    } else {
        /* D1: bonus 1 + 0 + 2 + 0.75 + 0 + 0 + 1 + 0 + 1 + 1, capped at 5;
           D2: bonus 2 (k5), deduction 1 (k20) */
        ck_assert_int_eq(val(r0, "D1", JQL_RESULT_FIELD_BONUS), 5000);
        ck_assert_int_eq(val(r0, "D1", JQL_RESULT_FIELD_DEDUCTIONS), 0);
        ck_assert_int_eq(val(r0, "D2", JQL_RESULT_FIELD_BONUS), 2000);
        ck_assert_int_eq(val(r0, "D2", JQL_RESULT_FIELD_DEDUCTIONS), 1000);
        ck_assert_int_eq(val(r0, "D3", JQL_RESULT_FIELD_DEDUCTIONS), 1000);
    }
    jql_results_free(r0);
    /* every allocation of the scoring in turn, until one scoring makes no
       more (a failure some make up for, e.g. a cache, scores the same) */
    long n = 0, failed = 0;
    bool hit = true;
    for (; hit && n < 100000; n++) {
        jql_results *r = NULL;
        test_fail_after(n);
        int rc = jql_score(ds, c, "2014", &r);
        hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (rc != JQL_OK) {
            ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld failing: %s (%s)", n,
                          jql_strerror(rc), jql_last_error());
            ck_assert_ptr_null(r);
            failed++;
            continue;
        }
        char *js = NULL;
        ck_assert_int_eq(jql_results_to_json(r, &js, &len), JQL_OK);
        ck_assert_str_eq(js, expected);
        jql_free(js);
        jql_results_free(r);
    }
    ck_assert(!hit);
    ck_assert_msg(failed > 20, "only %ld allocation failures made the scoring fail", failed);
    jql_free(expected);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("score");
    TCase *tc = tcase_create("score");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, worked_example_figures);
    tcase_add_test(tc, worked_example_json);
    tcase_add_test(tc, rescoring_after_edit);
    tcase_add_test(tc, custom_callbacks);
    tcase_add_test(tc, zero_and_one_unit);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, out_of_memory);
    tcase_add_loop_test(tc, event_kinds_out_of_memory, 0, 2);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
