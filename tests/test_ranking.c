/* Ranking, clusters, leaders, tie-breakers, vetoes, quotas and gaps
   (docs/SCORING.md). Datasets are built with the builder API: each unit gets an
   appraised score on the manual leaf "S" (max 10, scale 10), so its final
   score is that score. */
#include "score_helpers.h"

static jql_date day(const char *s)
{
    jql_date d;
    ck_assert_int_eq(jql_date_parse(s, &d), JQL_OK);
    return d;
}

/* Add a district unit with cluster (may be NULL) and appraised score on S. */
static void add(jql_dataset *ds, const char *id, const char *cluster, jql_milli score)
{
    size_t i;
    ck_assert_int_eq(jql_unit_add(ds, id, id, "district", NULL, &i), JQL_OK);
    if (cluster)
        ck_assert_int_eq(jql_unit_set_cluster(ds, i, cluster), JQL_OK);
    ck_assert_int_eq(jql_assessment_add(ds, id, "2014", "S", JQL_NO_SCORE, score, NULL), JQL_OK);
}

static void event(jql_dataset *ds, const char *unit, const char *kind)
{
    ck_assert_int_eq(jql_event_add(ds, unit, day("2014-05-01"), kind, NULL, NULL), JQL_OK);
}

#define LEAF_S "\"criteria\": [{\"id\": \"S\", \"title\": \"S\", \"max\": 10, \"method\": {\"type\": \"manual\"}}], "

static jql_results *score_with(jql_dataset *ds, const char *criteria_json)
{
    jql_criteria *c = cr_json(criteria_json);
    jql_results *r = score_ok(ds, c, NULL);
    jql_criteria_free(c);
    return r;
}

START_TEST(all_tied)
{
    jql_dataset *ds = jql_dataset_new();
    /* added in reverse order: input order must not matter */
    add(ds, "U4", "c1", 8000);
    add(ds, "U3", "c1", 8000);
    add(ds, "U2", "c1", 8000);
    add(ds, "U1", "c1", 8000);
    jql_results *r = score_with(ds, CR_HEAD LEAF_S TIERS4 "}");
    for (size_t k = 0; k < 4; k++) {
        char id[3] = {'U', (char)('1' + k), 0};
        ck_assert_str_eq(jql_results_unit_id(r, k), id); /* output by id */
        ck_assert_uint_eq(jql_results_unit_rank(r, k), 1);
        ck_assert_uint_eq(jql_results_unit_cluster_rank(r, k), 1);
        ck_assert(jql_results_unit_is_leader(r, k)); /* all share the best rank */
    }
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(competition_and_clusters)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U5", NULL, 7000);
    add(ds, "U4", "c1", 8000);
    add(ds, "U3", "c2", 9000);
    add(ds, "U2", "c1", 9000);
    add(ds, "U1", "c1", 9500);
    jql_results *r = score_with(ds, CR_HEAD LEAF_S TIERS4 "}");
    const char *order[] = {"U1", "U2", "U3", "U4", "U5"};
    const size_t rank[] = {1, 2, 2, 4, 5}, crank[] = {1, 2, 1, 3, 0};
    const bool leader[] = {true, false, true, false, false};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_str_eq(jql_results_unit_id(r, k), order[k]);
        ck_assert_uint_eq(jql_results_unit_rank(r, k), rank[k]);
        ck_assert_uint_eq(jql_results_unit_cluster_rank(r, k), crank[k]);
        ck_assert(jql_results_unit_is_leader(r, k) == leader[k]);
    }
    /* gap: U4 at 8 is good, 1 point below excellent; U5 at 7 needs 2 */
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_GAP), 1000);
    ck_assert_str_eq(jql_results_unit_held_back(r, unit_k(r, "U4")), "");
    ck_assert_int_eq(val(r, "U5", JQL_RESULT_FIELD_GAP), 2000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_GAP), 0); /* top tier: no gap */
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

#define VETOES                                                                               \
    "\"vetoes\": [{\"id\": \"discipline\", \"reason\": \"Discipline\", \"event_kind\": "     \
    "\"discipline\", \"cap\": \"not-completed\"}, {\"id\": \"missing\", \"reason\": "        \
    "\"Reports missing\", \"measure\": {\"kind\": \"report_missing\"}, \"at_least\": 1, "    \
    "\"cap\": \"completed\"}, {\"id\": \"complaints\", \"reason\": \"Complaints\", "         \
    "\"event_kind\": \"complaint\", \"cap\": \"good\"}], "

START_TEST(vetoes_and_leaders)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U1", "c1", 9500);
    add(ds, "U2", "c1", 9200);
    add(ds, "U3", "c2", 9000);
    add(ds, "U4", "c1", 8000);
    event(ds, "U1", "discipline"); /* the would-be leader of c1 */
    event(ds, "U1", "complaint");
    event(ds, "U3", "complaint"); /* every unit of c2 vetoed */
    event(ds, "U4", "discipline-other"); /* another kind: no veto */
    /* U2's report never submitted: the measure veto fires; U1, U3, U4 have no
       report due: no data, so it does not fire for them */
    ck_assert_int_eq(jql_report_add(ds, "U2", "2014-Q1", "statistics", day("2014-04-10"),
                                    JQL_NO_DATE, false, NULL),
                     JQL_OK);
    jql_results *r = score_with(ds, CR_HEAD LEAF_S TIERS4 ", " VETOES
                                "\"quotas\": []}");
    size_t k1 = unit_k(r, "U1"), k2 = unit_k(r, "U2"), k3 = unit_k(r, "U3"),
           k4 = unit_k(r, "U4");
    /* U1 keeps rank 1 but is capped and not nominated; both vetoes listed in
       criteria order, the lowest cap (not completed) applies */
    ck_assert_uint_eq(jql_results_unit_rank(r, k1), 1);
    ck_assert_str_eq(jql_results_unit_tier_before_caps(r, k1), "excellent");
    ck_assert_str_eq(jql_results_unit_tier(r, k1), "not-completed");
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k1), 2);
    ck_assert_str_eq(jql_results_unit_veto_id(r, k1, 0), "discipline");
    ck_assert_str_eq(jql_results_unit_veto_id(r, k1, 1), "complaints");
    ck_assert_str_eq(jql_results_unit_veto_reason(r, k1, 1), "Complaints");
    ck_assert(!jql_results_unit_is_leader(r, k1));
    ck_assert_str_eq(jql_results_unit_held_back(r, k1), "veto");
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_GAP), 0);
    /* U2 is capped at completed by the measure veto: not nominated either */
    ck_assert(!jql_results_unit_is_leader(r, k2));
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k2), 1);
    ck_assert_str_eq(jql_results_unit_veto_id(r, k2, 0), "missing");
    ck_assert_str_eq(jql_results_unit_tier(r, k2), "completed");
    /* c2: its only unit vetoed -> no leader */
    ck_assert(!jql_results_unit_is_leader(r, k3));
    ck_assert_str_eq(jql_results_unit_tier(r, k3), "good");
    /* U4: no veto, so it leads c1 with cluster rank 3; 8 -> good, gap 1 */
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k4), 0);
    ck_assert_uint_eq(jql_results_unit_cluster_rank(r, k4), 3);
    ck_assert(jql_results_unit_is_leader(r, k4));
    ck_assert_str_eq(jql_results_unit_tier(r, k4), "good");
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_GAP), 1000);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

#define QUOTA(share, of, extra)                                                           \
    "\"quotas\": [{\"tier\": \"excellent\", \"share\": " share ", \"of\": [" of "]" extra \
    "}]}"

START_TEST(quota_rounds_to_zero)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U1", NULL, 9500);
    add(ds, "U2", NULL, 9200);
    add(ds, "U3", NULL, 9100);
    add(ds, "U4", NULL, 7500);
    add(ds, "U5", NULL, 7200);
    /* 20% of the 2 good units = 0.4 -> 0: every excellent unit moves down */
    jql_results *r = score_with(ds, CR_HEAD LEAF_S TIERS4 ", " QUOTA("20", "\"good\"", ""));
    for (size_t k = 0; k < 3; k++) {
        ck_assert_str_eq(jql_results_unit_tier(r, k), "good");
        ck_assert(jql_results_unit_quota_demoted(r, k));
        ck_assert(!jql_results_unit_quota_tie(r, k));
        ck_assert_str_eq(jql_results_unit_held_back(r, k), "quota");
    }
    ck_assert(!jql_results_unit_quota_demoted(r, 3));
    jql_results_free(r);
    /* with a minimum of 1: the best unit stays */
    r = score_with(ds, CR_HEAD LEAF_S TIERS4 ", " QUOTA("20", "\"good\"", ", \"minimum\": 1"));
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "excellent");
    ck_assert(!jql_results_unit_quota_demoted(r, 0));
    ck_assert_str_eq(jql_results_unit_tier(r, 1), "good");
    ck_assert_str_eq(jql_results_unit_tier(r, 2), "good");
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(quota_tie_straddles)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U1", NULL, 9500);
    add(ds, "U2", NULL, 9200);
    add(ds, "U3", NULL, 9200);
    add(ds, "U4", NULL, 7000);
    /* 50% of the 4 units rated excellent or good = 2; U2 and U3 tie at rank 2
       across the limit: both move down, the quota is never exceeded */
    jql_results *r =
        score_with(ds, CR_HEAD LEAF_S TIERS4 ", " QUOTA("50", "\"excellent\", \"good\"", ""));
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "excellent");
    ck_assert(!jql_results_unit_quota_tie(r, 0));
    for (size_t k = 1; k < 3; k++) {
        ck_assert_uint_eq(jql_results_unit_rank(r, k), 2);
        ck_assert_str_eq(jql_results_unit_tier(r, k), "good");
        ck_assert(jql_results_unit_quota_demoted(r, k));
        ck_assert(jql_results_unit_quota_tie(r, k));
    }
    ck_assert_str_eq(jql_results_unit_tier(r, 3), "good");
    ck_assert(!jql_results_unit_quota_demoted(r, 3));
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(quotas_cascade)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U1", NULL, 9500);
    add(ds, "U2", NULL, 9200);
    add(ds, "U3", NULL, 7500);
    /* excellent: at most 1; good: at most 0% of good = 0 (counted before any
       quota: 1 good unit). U2 moves excellent -> good -> completed. */
    jql_results *r = score_with(
        ds, CR_HEAD LEAF_S TIERS4 ", \"quotas\": [{\"tier\": \"good\", \"share\": 0, \"of\": "
                                  "[\"good\"]}, {\"tier\": \"excellent\", \"share\": 0, \"of\": "
                                  "[\"excellent\"], \"minimum\": 1}]}");
    ck_assert_str_eq(jql_results_unit_tier(r, 0), "excellent");
    ck_assert_str_eq(jql_results_unit_id(r, 1), "U2");
    ck_assert_str_eq(jql_results_unit_tier_before_caps(r, 1), "excellent");
    ck_assert_str_eq(jql_results_unit_tier(r, 1), "completed");
    ck_assert(jql_results_unit_quota_demoted(r, 1));
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_GAP), 0); /* 9.2 >= good's 7 */
    ck_assert_str_eq(jql_results_unit_held_back(r, 1), "quota");
    ck_assert_str_eq(jql_results_unit_tier(r, 2), "completed");
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

/* 9,000 tiers, each with a quota of 0%: every unit moves down through all
   the tiers below its own to the last. 60,000 units: when each quota
   looked at every unit, 10^9 steps (past the test's time limit); the
   tiers are now taken down once. */
START_TEST(quotas_cascade_many)
{
    enum { UNITS = 60000, TIERS = 9000 };
    jql_dataset *ds = jql_dataset_new();
    char id[32];
    for (size_t i = 0; i < UNITS; i++) {
        snprintf(id, sizeof id, "u%zu", i);
        add(ds, id, NULL, (jql_milli)(i % TIERS)); /* 0.000 .. 8.999: ties of 6 or 7 */
    }
    size_t cap = 400 + TIERS * 120, len = 0;
    char *t = malloc(cap);
    ck_assert_ptr_nonnull(t);
    len += (size_t)snprintf(t + len, cap - len, "%s%s\"tiers\": [", CR_HEAD, LEAF_S);
    for (size_t k = 0; k < TIERS; k++) /* minima 9.000, 8.999 .. 0.001, then 0 */
        len += (size_t)snprintf(t + len, cap - len, "{\"id\": \"t%zu\", \"name\": \"T\", \"min\": %zu.%03zu}, ",
                                k, (TIERS - k) / 1000, (TIERS - k) % 1000);
    len += (size_t)snprintf(t + len, cap - len,
                            "{\"id\": \"z\", \"name\": \"Z\", \"min\": 0}], \"quotas\": [");
    for (size_t k = 0; k < TIERS; k++)
        len += (size_t)snprintf(t + len, cap - len, "%s{\"tier\": \"t%zu\", \"share\": 0, \"of\": [\"t%zu\"]}",
                                k ? ", " : "", k, k);
    len += (size_t)snprintf(t + len, cap - len, "]}");
    ck_assert_uint_lt(len, cap);
    jql_results *r = score_with(ds, t);
    free(t);
    ck_assert_uint_eq(jql_results_unit_count(r), UNITS);
    for (size_t k = 0; k < UNITS; k++) {
        bool zero = jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL) == 0;
        ck_assert_str_eq(jql_results_unit_tier(r, k), "z");
        ck_assert(jql_results_unit_quota_demoted(r, k) == !zero);
        ck_assert(!jql_results_unit_quota_tie(r, k)); /* a limit of 0 splits no tie */
    }
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(tie_breakers)
{
    jql_dataset *ds = jql_dataset_new();
    /* all final 8: U1 = 9 - 1 deduction, the others 8 - 0 */
    add(ds, "U1", NULL, 9000);
    add(ds, "U2", NULL, 8000);
    add(ds, "U3", NULL, 8000);
    add(ds, "U4", NULL, 8000);
    add(ds, "U5", NULL, 8000);
    ck_assert_int_eq(jql_assessment_add(ds, "U1", "2014", "D", JQL_NO_SCORE, 1000, NULL), JQL_OK);
    /* days late: U2 3, U3 0, U4 none due (no data), U5 never submitted */
    ck_assert_int_eq(jql_report_add(ds, "U2", "2014-Q1", "r", day("2014-04-10"),
                                    day("2014-04-13"), true, NULL), JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "U3", "2014-Q1", "r", day("2014-04-10"),
                                    day("2014-04-10"), true, NULL), JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "U5", "2014-Q1", "r", day("2014-04-10"), JQL_NO_DATE,
                                    false, NULL), JQL_OK);
#define TB_HEAD CR_HEAD LEAF_S "\"deductions\": [{\"id\": \"D\", \"title\": \"D\", \"max\": 5, \"source\": \"manual\"}], " TIERS4
#define DAYS "\"measure\": {\"kind\": \"report_days_late_worst\"}"
    /* fewer deductions, then fewer days late (no data last) */
    jql_results *r = score_with(ds, TB_HEAD ", \"tie_breakers\": [{\"by\": \"deductions\"}, "
                                    "{\"by\": \"measure\", " DAYS ", \"order\": \"asc\"}]}");
    const char *asc[] = {"U3", "U2", "U5", "U4", "U1"};
    for (size_t k = 0; k < 5; k++) {
        ck_assert_str_eq(jql_results_unit_id(r, k), asc[k]);
        ck_assert_uint_eq(jql_results_unit_rank(r, k), k + 1);
    }
    jql_results_free(r);
    /* descending: never submitted is the largest value; no data still last */
    r = score_with(ds, TB_HEAD ", \"tie_breakers\": [{\"by\": \"deductions\"}, "
                               "{\"by\": \"measure\", " DAYS ", \"order\": \"desc\"}]}");
    const char *desc[] = {"U5", "U2", "U3", "U4", "U1"};
    for (size_t k = 0; k < 5; k++)
        ck_assert_str_eq(jql_results_unit_id(r, k), desc[k]);
    jql_results_free(r);
    /* node tie-breaker on S: U1 has 9 there, the others 8; no other key: U2..U5 share rank 2 */
    r = score_with(ds, TB_HEAD ", \"tie_breakers\": [{\"by\": \"node\", \"node\": \"S\"}]}");
    ck_assert_str_eq(jql_results_unit_id(r, 0), "U1");
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    for (size_t k = 1; k < 5; k++)
        ck_assert_uint_eq(jql_results_unit_rank(r, k), 2);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(node_tie_breaker_not_applicable)
{
    jql_dataset *ds = jql_dataset_new();
    add(ds, "U1", NULL, 5000);
    add(ds, "U2", NULL, 5000);
    ck_assert_int_eq(jql_assessment_add(ds, "U1", "2014", "T", JQL_NO_SCORE, 0, NULL), JQL_OK);
    size_t a;
    ck_assert_int_eq(jql_assessment_add(ds, "U2", "2014", "T", JQL_NO_SCORE, 5000, &a), JQL_OK);
    ck_assert_int_eq(jql_assessment_set_not_applicable(ds, a, true), JQL_OK);
    /* U1: 5 + 0 over 10 -> 5; U2: 5 over 5 -> 10, minus a 5-point deduction -> 5. */
    ck_assert_int_eq(jql_assessment_add(ds, "U2", "2014", "D", JQL_NO_SCORE, 5000, NULL), JQL_OK);
    jql_results *r = score_with(
        ds, CR_HEAD "\"criteria\": [{\"id\": \"S\", \"title\": \"S\", \"max\": 5, \"method\": "
                    "{\"type\": \"manual\"}}, {\"id\": \"T\", \"title\": \"T\", \"max\": 5, "
                    "\"method\": {\"type\": \"manual\"}}], \"deductions\": [{\"id\": \"D\", "
                    "\"title\": \"D\", \"max\": 5, \"source\": \"manual\"}], " TIERS4
                    ", \"tie_breakers\": [{\"by\": \"node\", \"node\": \"T\"}]}");
    /* both final 5; T: U1 0 points, U2 not applicable = 0 -> still tied */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 5000);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_FINAL), 5000);
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    ck_assert_uint_eq(jql_results_unit_rank(r, 1), 1);
    jql_results_free(r);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ranking");
    TCase *tc = tcase_create("ranking");
    tcase_add_test(tc, all_tied);
    tcase_add_test(tc, competition_and_clusters);
    tcase_add_test(tc, vetoes_and_leaders);
    tcase_add_test(tc, quota_rounds_to_zero);
    tcase_add_test(tc, quota_tie_straddles);
    tcase_add_test(tc, quotas_cascade);
    tcase_add_test(tc, quotas_cascade_many);
    tcase_add_test(tc, tie_breakers);
    tcase_add_test(tc, node_tie_breaker_not_applicable);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
