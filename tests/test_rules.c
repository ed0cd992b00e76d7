/* One test per leaf and tree rule of docs/SCORING.md, on the fixtures under
   tests/data/scoring/; every expected figure is computed by hand in the
   comments. */
#include <cjson/cJSON.h>

#include "score_helpers.h"

static jql_results *fixture(const char *dir, const char *criteria)
{
    char dpath[1024], cpath[1024], base[512];
    snprintf(base, sizeof base, "%s", test_data(dir));
    snprintf(cpath, sizeof cpath, "%s/%s", base, criteria ? criteria : "criteria.json");
    snprintf(dpath, sizeof dpath, "%s/dataset.json", base);
    jql_dataset *ds = test_load_dataset(dpath);
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_path(cpath, &c, &d);
    if (rc)
        print_diag(cpath, d);
    jql_diagnostics_free(d);
    ck_assert_int_eq(rc, JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return r;
}

START_TEST(band_boundaries)
{
    jql_results *r = fixture("scoring/bands", NULL);
    /* timely: at_most 0 -> 2; at_most 2 -> 1.5; at_most 5 -> 1; ... otherwise 0 */
    ck_assert_int_eq(pts(r, "U1", "timely"), 2000); /* exactly 0 days */
    ck_assert_int_eq(pts(r, "U2", "timely"), 1500); /* 1 day */
    ck_assert_int_eq(pts(r, "U3", "timely"), 1500); /* exactly 2 days: at_most 2 holds */
    ck_assert_int_eq(pts(r, "U4", "timely"), 1000); /* 3 days */
    ck_assert_int_eq(pts(r, "U5", "timely"), 0);    /* never: meets no at_most */
    /* signatures: above 95 -> 1.5; at_least 75 -> 1; at_least 50 -> 0.5 */
    ck_assert_int_eq(pts(r, "U1", "signatures"), 1000); /* exactly 95: not above 95 */
    ck_assert_int_eq(pts(r, "U2", "signatures"), 1500); /* 95.001 */
    ck_assert_int_eq(pts(r, "U3", "signatures"), 1000); /* exactly 75 */
    ck_assert_int_eq(pts(r, "U4", "signatures"), 500);  /* 74.999 */
    ck_assert_int_eq(pts(r, "U5", "signatures"), 0);
    /* late-flag: above 30 -> 1; at_least 2 and below 3 -> 0.25; no match -> 0 */
    ck_assert_int_eq(pts(r, "U1", "late-flag"), 0);
    ck_assert_int_eq(pts(r, "U3", "late-flag"), 250);
    ck_assert_int_eq(pts(r, "U4", "late-flag"), 0);     /* 3 is not below 3 */
    ck_assert_int_eq(pts(r, "U5", "late-flag"), 1000);  /* never submitted meets above 30 */
    /* totals: 2+1+0+5.5, 1.5+1.5+0+5.5, 1.5+1+0.25+5.5, 1+0.5+0+5.5, 0+0+1+5.5 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 8500);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_TOTAL), 8500);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_TOTAL), 8250);
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_TOTAL), 7000);
    ck_assert_int_eq(val(r, "U5", JQL_RESULT_FIELD_TOTAL), 6500);
    /* U1 and U2 tie with 8.5: both rank 1, listed by id; then 3, 4, 5 */
    ck_assert_str_eq(jql_results_unit_id(r, 0), "U1");
    ck_assert_str_eq(jql_results_unit_id(r, 1), "U2");
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    ck_assert_uint_eq(jql_results_unit_rank(r, 1), 1);
    ck_assert_uint_eq(jql_results_unit_rank(r, 2), 3);
    ck_assert_uint_eq(jql_results_unit_rank(r, 4), 5);
    jql_results_free(r);
}
END_TEST

START_TEST(rounding_once)
{
    jql_results *r = fixture("scoring/rounding", NULL);
    /* linear 1 x 1 / 16 = 0.0625 -> 0.063; 1 x 3 / 16 = 0.1875 -> 0.188 */
    ck_assert_int_eq(pts(r, "U1", "L"), 63);
    ck_assert_int_eq(pts(r, "U2", "L"), 188);
    /* 1.25 - 1 x 25% x 1.25 = 0.9375 -> 0.938; 5 errors -> floored at 0 */
    ck_assert_int_eq(pts(r, "U1", "P"), 938);
    ck_assert_int_eq(pts(r, "U2", "P"), 0);
    /* 2 - 3 x 0.5 = 0.5; U2's late event is dated 2015, outside the period */
    ck_assert_int_eq(pts(r, "U1", "Q"), 500);
    ck_assert_int_eq(pts(r, "U2", "Q"), 2000);
    /* totals 1.501 and 2.188 over 4.25: normalized 3.53176 -> 3.532, 5.14823 -> 5.148 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 1501);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 4250);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 3532);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_TOTAL), 2188);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_NORMALIZED), 5148);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_FINAL), 5148);
    jql_results_free(r);
}
END_TEST

START_TEST(clamping)
{
    jql_results *r = fixture("scoring/clamping", NULL);
    ck_assert_int_eq(pts(r, "U1", "G1"), 3000);
    ck_assert_int_eq(pts(r, "U1", "G2"), 3000); /* appraised 4 > max 3 */
    ck_assert_int_eq(pts(r, "U1", "G"), 5000);  /* 3 + 3 clamped to the node's 5 */
    ck_assert_int_eq(pts(r, "U1", "H"), 5000);
    ck_assert_int_eq(pts(r, "U1", "L"), 2000);  /* 2 x 150 / 100 = 3 clamped to 2 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 10000);          /* 12 clamped to the scale */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 10000); /* 12 clamped too */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 10000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 10000);
    jql_results_free(r);
}
END_TEST

START_TEST(not_applicable)
{
    jql_results *r = fixture("scoring/not-applicable", NULL);
    size_t a = node_n(r, "A"), g = node_n(r, "G"), g1 = node_n(r, "G1");
    /* U1: A not applicable by assessment (its appraised 2 ignored); B 3 of 4 -> 3; G 4.
       total 7 over 8 -> 8.75 */
    size_t k = unit_k(r, "U1");
    ck_assert(!jql_results_node_applicable(r, k, a));
    ck_assert_int_eq(jql_results_node_points(r, k, a), 0);
    ck_assert_int_eq(pts(r, "U1", "B"), 3000);
    ck_assert_int_eq(pts(r, "U1", "G"), 4000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 7000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 8000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 8750);
    /* U2: G not applicable by attribute, wins over G1's appraised 3; B 1 of 3 ->
       33.333% -> 1.333; total 2.833 over 6 -> 4.72166 -> 4.722 */
    k = unit_k(r, "U2");
    ck_assert(!jql_results_node_applicable(r, k, g));
    ck_assert(!jql_results_node_applicable(r, k, g1));
    ck_assert_int_eq(jql_results_node_points(r, k, g1), 0);
    ck_assert_int_eq(pts(r, "U2", "B"), 1333);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_TOTAL), 2833);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_APPLICABLE_MAX), 6000);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_NORMALIZED), 4722);
    /* U4: an assessment declares the inner node G not applicable: it wins over G1's
       appraised 4. A 2 + B 4 (2 of 2, one late) = 6 over 6 -> 10 */
    k = unit_k(r, "U4");
    ck_assert(!jql_results_node_applicable(r, k, g));
    ck_assert(!jql_results_node_applicable(r, k, g1));
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_TOTAL), 6000);
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_APPLICABLE_MAX), 6000);
    ck_assert_int_eq(val(r, "U4", JQL_RESULT_FIELD_NORMALIZED), 10000);
    ck_assert_str_eq(jql_results_unit_tier(r, k), "good");
    /* U3 (commune): nothing applies -> applicable max 0, normalized 0 */
    k = unit_k(r, "U3");
    for (size_t n = 0; n < jql_results_node_count(r); n++)
        ck_assert(!jql_results_node_applicable(r, k, n));
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_TOTAL), 0);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_APPLICABLE_MAX), 0);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_NORMALIZED), 0);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_FINAL), 0);
    ck_assert_str_eq(jql_results_unit_tier(r, k), "other");
    jql_results_free(r);
}
END_TEST

START_TEST(missing_and_never_submitted)
{
    jql_results *r = fixture("scoring/missing", NULL);
    size_t k = unit_k(r, "U1"), n = node_n(r, "N");
    /* U1, no report due: zero, full, not applicable as chosen per leaf */
    ck_assert_int_eq(pts(r, "U1", "Z"), 0);
    ck_assert_int_eq(pts(r, "U1", "F"), 1000);
    ck_assert(!jql_results_node_applicable(r, k, n));
    ck_assert_int_eq(pts(r, "U1", "M"), 0);
    ck_assert_int_eq(pts(r, "U1", "MISS"), 0);
    /* total 1 over 7 -> 1.42857 -> 1.429; no deduction without data */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 1000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 7000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 1429);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_DEDUCTIONS), 0);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 1429);
    /* U2, report never submitted: never "no data" */
    k = unit_k(r, "U2");
    ck_assert(jql_results_node_applicable(r, k, n)); /* not_applicable rule not taken */
    ck_assert_int_eq(pts(r, "U2", "Z"), 0);   /* meets no at_most */
    ck_assert_int_eq(pts(r, "U2", "F"), 0);   /* "full" is for no data only */
    ck_assert_int_eq(pts(r, "U2", "N"), 0);
    ck_assert_int_eq(pts(r, "U2", "LIN"), 0); /* linear: 0 */
    ck_assert_int_eq(pts(r, "U2", "PO"), 0);  /* per occurrence: 0 */
    ck_assert_int_eq(pts(r, "U2", "MISS"), 500); /* counts as missing: 1 - 0.5 */
    ck_assert_int_eq(pts(r, "U2", "BOOL"), 0);
    /* total 0.5 over 8 -> 0.625; the computed deduction costs its max 3 -> floored at 0 */
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_TOTAL), 500);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_NORMALIZED), 625);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_DEDUCTIONS), 3000);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_FINAL), 0);
    jql_results_free(r);
}
END_TEST

START_TEST(self_and_appraised)
{
    jql_results *r = fixture("scoring/self-appraised", NULL);
    ck_assert_int_eq(pts(r, "U1", "M1"), 3000); /* self only: used, flagged */
    ck_assert_int_eq(pts(r, "U1", "M2"), 2500); /* appraised is final */
    ck_assert_int_eq(pts(r, "U1", "C1"), 1000); /* computed (4 days late); self 2 kept */
    ck_assert_int_eq(pts(r, "U1", "C2"), 1500); /* an explicit appraisal overrides 1 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 8000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_SELF_TOTAL), 10000); /* 3 + 3 + 2 + 2 */
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"self_total\": 10.000, \"unappraised\": [\"M1\"], "
                                     "\"self_differs\": [\"M2\", \"C1\", \"C2\"]"));
    jql_free(js);
    jql_results_free(r);
}
END_TEST

START_TEST(bonus_and_deductions)
{
    jql_results *r = fixture("scoring/bonus", NULL);
    /* U1: 9.5 + min(2 + 3, cap 2) = 11.5, capped at the scale 10 (2015 event ignored) */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_BONUS_RAW), 5000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_BONUS), 2000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 10000);
    /* U2: 7 + 1 (an event without points counts 0) - 1.5 = 6.5 */
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_BONUS), 1000);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_DEDUCTIONS), 1500);
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_FINAL), 6500);
    /* U3: 3 - 4 (self-assessed deduction, unappraised) floored at 0 */
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_DEDUCTIONS), 4000);
    ck_assert_int_eq(val(r, "U3", JQL_RESULT_FIELD_FINAL), 0);
    /* the events item's rule: its count (the 2015 event not counted), kind and points */
    size_t k;
    const char *want[][2] = {{"U1", "events: 2 initiative \xE2\x86\x92 5"},
                             {"U2", "events: 2 initiative \xE2\x86\x92 1"},
                             {"U3", "events: 0 initiative \xE2\x86\x92 0"}};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(jql_results_unit_find(r, want[i][0], &k), JQL_OK);
        ck_assert_str_eq(jql_results_item_rule(r, k, 0), want[i][1]);
    }
    jql_results_free(r);
    /* allowed above the scale: 11.5 */
    r = fixture("scoring/bonus", "criteria-above.json");
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 11500);
    jql_results_free(r);
}
END_TEST

/* An events item's rule names the criteria's event kind, any text: in
   the results JSON it is escaped like every string (a kind with a quote
   was written bare, and the document did not parse), at every evidence
   level, and reads back as the rule accessor gives it. */
START_TEST(events_rule_escaped)
{
    static const char crit[] =
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"q\", \"period\": \"2014\","
        " \"scale\": 10, \"units\": {\"levels\": [\"district\"]},"
        " \"criteria\": [{\"id\": \"S\", \"title\": \"S\", \"max\": 10, \"method\": {\"type\": \"manual\"}}],"
        " \"bonus\": {\"cap\": 2, \"items\": [{\"id\": \"BI\", \"title\": \"I\", \"max\": 10,"
        " \"source\": \"events\", \"event_kind\": \"in\\\"it\\\\iative\"}]},"
        " \"tiers\": [{\"id\": \"all\", \"name\": \"All\", \"min\": 0}]}";
    char dpath[1024];
    snprintf(dpath, sizeof dpath, "%s/dataset.json", test_data("scoring/bonus"));
    jql_dataset *ds = test_load_dataset(dpath);
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(crit, sizeof crit - 1, "<q>", &c, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    const char *want = "events: 0 in\"it\\iative \xE2\x86\x92 0";
    ck_assert_str_eq(jql_results_item_rule(r, 0, 0), want);
    for (int lvl = JQL_EVIDENCE_FULL; lvl <= JQL_EVIDENCE_NONE; lvl++) {
        char *text = NULL;
        size_t len = 0;
        ck_assert_int_eq(jql_results_to_json_level(r, (jql_evidence_level)lvl, &text, &len), JQL_OK);
        cJSON *doc = cJSON_ParseWithLength(text, len);
        ck_assert_msg(doc != NULL, "level %d: the results JSON does not parse", lvl);
        const cJSON *units = cJSON_GetObjectItemCaseSensitive(doc, "units"), *u;
        ck_assert_int_gt(cJSON_GetArraySize(units), 0);
        cJSON_ArrayForEach(u, units)
        {
            const cJSON *item = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(u, "bonus_items"), 0);
            const cJSON *rule = cJSON_GetObjectItemCaseSensitive(item, "rule");
            ck_assert(cJSON_IsString(rule));
            ck_assert_str_eq(rule->valuestring, want);
        }
        cJSON_Delete(doc);
        jql_free(text);
    }
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* A unit's tier is the first whose minimum its final score reaches: with
   37 tiers (minima 90, 87.5, ... down to 0) every final exactly at, just
   under and just over each minimum lands where a walk down the tiers says. */
START_TEST(tier_is_first_minimum_reached)
{
    char crit[8192], *w = crit;
    enum { TIERS = 37 };
    jql_milli mins[TIERS];
    w += sprintf(w, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"t\", \"period\": "
                    "\"2014\", \"units\": {\"levels\": [\"x\"]}, \"criteria\": [{\"id\": \"m\", "
                    "\"title\": \"m\", \"max\": 100, \"method\": {\"type\": \"manual\"}}], \"tiers\": [");
    for (int t = 0; t < TIERS; t++) {
        mins[t] = t + 1 == TIERS ? 0 : (jql_milli)(90000 - t * 2500);
        w += sprintf(w, "%s{\"id\": \"t%d\", \"name\": \"t\", \"min\": %lld.%03lld}", t ? ", " : "",
                     t, (long long)(mins[t] / 1000), (long long)(mins[t] % 1000));
    }
    sprintf(w, "]}");
    jql_criteria *c = NULL;
    ck_assert_msg(jql_criteria_load_buffer(crit, strlen(crit), "crit", &c, NULL) == JQL_OK, "%s",
                  jql_last_error());
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    char id[32];
    int n = 0;
    for (int t = 0; t < TIERS; t++)
        for (int d = -1; d <= 1; d++) {
            jql_milli fin = mins[t] + d;
            if (fin < 0 || fin > 100000)
                continue;
            snprintf(id, sizeof id, "u%lld", (long long)fin);
            size_t a;
            ck_assert_int_eq(jql_unit_add(ds, id, id, "x", NULL, NULL), JQL_OK);
            ck_assert_int_eq(jql_assessment_add(ds, id, "2014", "m", JQL_NO_SCORE, fin, &a),
                             JQL_OK);
            n++;
        }
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), (size_t)n);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        jql_milli fin = jql_results_unit_value(r, k, JQL_RESULT_FIELD_FINAL);
        int t = 0;
        while (t + 1 < TIERS && fin < mins[t])
            t++;
        snprintf(id, sizeof id, "t%d", t);
        ck_assert_msg(strcmp(jql_results_unit_tier_before_caps(r, k), id) == 0,
                      "final %lld: %s, want %s", (long long)fin,
                      jql_results_unit_tier_before_caps(r, k), id);
    }
    jql_results_free(r);
    jql_dataset_free(ds);
    jql_criteria_free(c);
}
END_TEST

/* ---- measured values are exact until the points (docs/SCORING.md: a leaf
   rounds once). Shares, ratios and changes are compared and mapped
   unrounded; only the points and the value shown are rounded. ---- */

#define UNIT(id) "{\"id\": \"" id "\", \"name\": \"" id "\", \"level\": \"district\"}"
/* status "done" (completed on the due date) or "pending", due 30 June 2014 */
#define TASK(id, unit, status)                                                          \
    "{\"id\": \"" id "\", \"title\": \"" id "\", \"units\": [\"" unit "\"], \"due\": " \
    "\"2014-06-30\", \"status\": " status "}"
#define DONE "\"done\", \"completed\": \"2014-06-30\""
#define OPEN "\"pending\""
#define STAT(unit, ind, period, value)                                              \
    "{\"unit\": \"" unit "\", \"indicator\": \"" ind "\", \"period\": \"" period "\", " \
    "\"value\": " value "}"
#define TASK_SHARE "{\"kind\": \"task_share_completed\"}"
#define LEAF(id, max, measure, method)                                                  \
    "{\"id\": \"" id "\", \"title\": \"" id "\", \"max\": " max ", \"measure\": " measure \
    ", \"method\": " method "}"

START_TEST(exact_share_conditions)
{
    /* U1: 2 of 3 tasks done = 66.666...%, shown as 66.667 */
    jql_results *r = score_json(
        DS_HEAD "\"units\": [" UNIT("U1") "], \"tasks\": [" TASK("T1", "U1", DONE) ", "
        TASK("T2", "U1", DONE) ", " TASK("T3", "U1", OPEN) "]}",
        CR_HEAD "\"criteria\": ["
        /* 66.666... does not meet at_least 66.667 (rounded first it would) */
        LEAF("A", "2", TASK_SHARE,
             "{\"type\": \"bands\", \"bands\": [{\"at_least\": 66.667, \"points\": 2}, "
             "{\"points\": 1}]}") ", "
        /* ... and meets at_least 66.666 */
        LEAF("B", "2", TASK_SHARE,
             "{\"type\": \"bands\", \"bands\": [{\"at_least\": 66.666, \"points\": 2}, "
             "{\"points\": 1}]}") ", "
        /* below 66.667 holds, at_most 66.666 does not, above 66.666 holds */
        LEAF("C", "2", TASK_SHARE,
             "{\"type\": \"bands\", \"bands\": [{\"at_most\": 66.666, \"points\": 0.5}, "
             "{\"above\": 66.666, \"below\": 66.667, \"points\": 1.5}]}") ", "
        /* boolean at_least 66.667 fails */
        LEAF("D", "2", TASK_SHARE, "{\"type\": \"boolean\", \"at_least\": 66.667}") "], "
        /* a computed deduction at the same boundary: 66.666... is below 66.667 */
        "\"deductions\": [{\"id\": \"X\", \"title\": \"X\", \"max\": 1, \"source\": "
        "\"computed\", \"measure\": " TASK_SHARE ", \"method\": {\"type\": \"bands\", "
        "\"bands\": [{\"at_least\": 66.667, \"points\": 0}, {\"points\": 1}]}}], " TIERS4 "}");
    ck_assert_int_eq(pts(r, "U1", "A"), 1000);
    ck_assert_int_eq(pts(r, "U1", "B"), 2000);
    ck_assert_int_eq(pts(r, "U1", "C"), 1500);
    ck_assert_int_eq(pts(r, "U1", "D"), 0);
    /* total 1 + 2 + 1.5 + 0 = 4.5 of 8 -> 10 x 4.5 / 8 = 5.625, minus 1 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_DEDUCTIONS), 1000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 4625);
    /* the value shown is rounded once, for display only */
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"value\": 66.667"));
    ck_assert_ptr_nonnull(strstr(js, "band 2: otherwise \xE2\x86\x92 1"));
    jql_free(js);
    jql_results_free(r);
}
END_TEST

START_TEST(exact_linear_rounds_once)
{
    /* 5 of 9 tasks = 55.555...%: linear max 10, target 80 gives
       10 x 55.555... / 80 = 6.9444... -> 6.944. Rounding the share first
       (55.556) would give 6.9445 -> 6.945. Likewise 2 of 7 = 28.571428...%,
       target 75: 3.8095... -> 3.810 (28.571 first: 3.80946 -> 3.809). */
    jql_results *r = score_json(
        DS_HEAD "\"units\": [" UNIT("U1") ", " UNIT("U2") "], \"tasks\": ["
        TASK("a1", "U1", DONE) ", " TASK("a2", "U1", DONE) ", " TASK("a3", "U1", DONE) ", "
        TASK("a4", "U1", DONE) ", " TASK("a5", "U1", DONE) ", " TASK("a6", "U1", OPEN) ", "
        TASK("a7", "U1", OPEN) ", " TASK("a8", "U1", OPEN) ", " TASK("a9", "U1", OPEN) ", "
        TASK("b1", "U2", DONE) ", " TASK("b2", "U2", DONE) ", " TASK("b3", "U2", OPEN) ", "
        TASK("b4", "U2", OPEN) ", " TASK("b5", "U2", OPEN) ", " TASK("b6", "U2", OPEN) ", "
        TASK("b7", "U2", OPEN) "]}",
        CR_HEAD "\"criteria\": [" LEAF("L80", "10", TASK_SHARE,
                                       "{\"type\": \"linear\", \"target\": 80}") "], "
        "\"bonus\": {\"items\": [{\"id\": \"L75\", \"title\": \"L75\", \"max\": 10, \"source\": "
        "\"computed\", \"measure\": " TASK_SHARE ", \"method\": {\"type\": \"linear\", "
        "\"target\": 75}}]}, \"allow_above_scale\": true, " TIERS4 "}");
    ck_assert_int_eq(pts(r, "U1", "L80"), 6944);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_BONUS), 7407); /* 10 x 55.555.../75 = 7.4074 */
    ck_assert_int_eq(pts(r, "U2", "L80"), 3571);        /* 10 x 28.571428.../80 = 3.5714 */
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_BONUS), 3810);
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"value\": 55.556"));
    ck_assert_ptr_nonnull(strstr(js, "linear: 55.556 / 80 \xC3\x97 10 \xE2\x86\x92 6.944"));
    ck_assert_ptr_nonnull(strstr(js, "\"value\": 28.571"));
    jql_free(js);
    jql_results_free(r);
}
END_TEST

START_TEST(exact_ratio_and_change)
{
    /* U1: ratio 1 / 3 = 33.333...% and change (4 - 3) / 3 = +33.333...%;
       U2: ratio 33.333 / 100 = 33.333% exactly and change (133.333 - 100)
       / 100 = +33.333% exactly. Shown alike (33.333), they differ above
       33.333. */
    static const char *ds_text =
        DS_HEAD "\"units\": [" UNIT("U1") ", " UNIT("U2") "], \"indicators\": [{\"id\": "
        "\"a\", \"name\": \"a\"}, {\"id\": \"b\", \"name\": \"b\"}, {\"id\": \"x\", \"name\": "
        "\"x\"}], \"statistics\": ["
        STAT("U1", "a", "2014", "1") ", " STAT("U1", "b", "2014", "3") ", "
        STAT("U1", "x", "2014", "4") ", " STAT("U1", "x", "2013", "3") ", "
        STAT("U2", "a", "2014", "33.333") ", " STAT("U2", "b", "2014", "100") ", "
        STAT("U2", "x", "2014", "133.333") ", " STAT("U2", "x", "2013", "100") "]}";
#define RATIO "{\"kind\": \"indicator_ratio\", \"indicator\": \"a\", \"denominator\": \"b\"}"
#define CHANGE "{\"kind\": \"indicator_change\", \"indicator\": \"x\"}"
    jql_results *r = score_json(
        ds_text,
        CR_HEAD "\"criteria\": ["
        LEAF("R", "5", RATIO, "{\"type\": \"bands\", \"bands\": [{\"above\": 33.333, "
                              "\"points\": 5}, {\"at_most\": 33.333, \"points\": 2}]}") ", "
        LEAF("C", "5", CHANGE, "{\"type\": \"boolean\", \"above\": 33.333}") "], "
        /* a measure veto at the boundary: fires on U1 only */
        "\"vetoes\": [{\"id\": \"v\", \"reason\": \"grew\", \"cap\": \"completed\", "
        "\"measure\": " CHANGE ", \"above\": 33.333}, {\"id\": \"w\", \"reason\": \"small\", "
        "\"cap\": \"not-completed\", \"measure\": " RATIO ", \"at_most\": 33.333}], " TIERS4 "}");
    ck_assert_int_eq(pts(r, "U1", "R"), 5000);
    ck_assert_int_eq(pts(r, "U1", "C"), 5000);
    ck_assert_int_eq(pts(r, "U2", "R"), 2000);
    ck_assert_int_eq(pts(r, "U2", "C"), 0);
    size_t k1 = unit_k(r, "U1"), k2 = unit_k(r, "U2");
    /* U1: 10 -> excellent, capped to completed by v only */
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k1), 1);
    ck_assert_str_eq(jql_results_unit_veto_id(r, k1, 0), "v");
    ck_assert_str_eq(jql_results_unit_tier(r, k1), "completed");
    /* U2: 2 -> not-completed anyway; w fires (33.333 is at most 33.333) */
    ck_assert_uint_eq(jql_results_unit_veto_count(r, k2), 1);
    ck_assert_str_eq(jql_results_unit_veto_id(r, k2, 0), "w");
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"value\": 33.333"));
    jql_free(js);
    jql_results_free(r);

    /* linear, max 5: on the ratio with target 63, U1 5 x 33.333.../63 =
       2.64550... -> 2.646 and U2 5 x 33.333/63 = 2.64547... -> 2.645; on
       the change with target 37, U1 5 x 33.333.../37 = 4.50450... -> 4.505
       and U2 4.50445... -> 4.504. U1 rounded first would score as U2. */
    r = score_json(ds_text, CR_HEAD "\"criteria\": ["
                   LEAF("R", "5", RATIO, "{\"type\": \"linear\", \"target\": 63}") ", "
                   LEAF("C", "5", CHANGE, "{\"type\": \"linear\", \"target\": 37}") "], "
                   TIERS4 "}");
    ck_assert_int_eq(pts(r, "U1", "R"), 2646);
    ck_assert_int_eq(pts(r, "U2", "R"), 2645);
    ck_assert_int_eq(pts(r, "U1", "C"), 4505);
    ck_assert_int_eq(pts(r, "U2", "C"), 4504);
    jql_results_free(r);
#undef RATIO
#undef CHANGE
}
END_TEST

START_TEST(exact_tie_breaker)
{
    /* Equal finals (no event: 10 each). The ratio tie-breaker (desc) sees
       U1's 2 / 3 = 66.666...% below U2's 66.667 / 100 = 66.667% exactly,
       though both show 66.667: U2 ranks 1, U1 2 (no tie). U3 has the same
       exact share as U1 (4 / 6): they tie. U4 has no data: last. */
    jql_results *r = score_json(
        DS_HEAD "\"units\": [" UNIT("U1") ", " UNIT("U2") ", " UNIT("U3") ", " UNIT("U4") "], "
        "\"indicators\": [{\"id\": \"a\", \"name\": \"a\"}, {\"id\": \"b\", \"name\": \"b\"}], "
        "\"statistics\": ["
        STAT("U1", "a", "2014", "2") ", " STAT("U1", "b", "2014", "3") ", "
        STAT("U2", "a", "2014", "66.667") ", " STAT("U2", "b", "2014", "100") ", "
        STAT("U3", "a", "2014", "4") ", " STAT("U3", "b", "2014", "6") "]}",
        CR_HEAD "\"criteria\": [" LEAF("E", "10", "{\"kind\": \"event_count\"}",
                                       "{\"type\": \"per_occurrence\", \"amount\": 1}") "], "
        TIERS4 ", \"tie_breakers\": [{\"by\": \"measure\", \"measure\": {\"kind\": "
        "\"indicator_ratio\", \"indicator\": \"a\", \"denominator\": \"b\"}, \"order\": "
        "\"desc\"}]}");
    ck_assert_str_eq(jql_results_unit_id(r, 0), "U2");
    ck_assert_str_eq(jql_results_unit_id(r, 1), "U1");
    ck_assert_str_eq(jql_results_unit_id(r, 2), "U3");
    ck_assert_str_eq(jql_results_unit_id(r, 3), "U4");
    ck_assert_uint_eq(jql_results_unit_rank(r, 0), 1);
    ck_assert_uint_eq(jql_results_unit_rank(r, 1), 2);
    ck_assert_uint_eq(jql_results_unit_rank(r, 2), 2);
    ck_assert_uint_eq(jql_results_unit_rank(r, 3), 4);
    jql_results_free(r);
}
END_TEST
#undef UNIT
#undef TASK
#undef DONE
#undef OPEN
#undef STAT
#undef TASK_SHARE
#undef LEAF

int main(void)
{
    Suite *s = suite_create("rules");
    TCase *tc = tcase_create("rules");
    tcase_add_test(tc, band_boundaries);
    tcase_add_test(tc, rounding_once);
    tcase_add_test(tc, clamping);
    tcase_add_test(tc, not_applicable);
    tcase_add_test(tc, missing_and_never_submitted);
    tcase_add_test(tc, self_and_appraised);
    tcase_add_test(tc, bonus_and_deductions);
    tcase_add_test(tc, events_rule_escaped);
    tcase_add_test(tc, tier_is_first_minimum_reached);
    tcase_add_test(tc, exact_share_conditions);
    tcase_add_test(tc, exact_linear_rounds_once);
    tcase_add_test(tc, exact_ratio_and_change);
    tcase_add_test(tc, exact_tie_breaker);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
