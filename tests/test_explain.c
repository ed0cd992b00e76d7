/* Explanations: every measure kind with its value, the rule that matched,
   the source and the evidence records, as written in the results' JSON
   (docs/CRITERIA.md "Results"). Figures are checked by hand in comments. */
#include "score_helpers.h"

static char *score_fixture_json(const char *dir)
{
    char dpath[1024], cpath[1024], base[512];
    snprintf(base, sizeof base, "%s", test_data(dir));
    snprintf(dpath, sizeof dpath, "%s/dataset.json", base);
    snprintf(cpath, sizeof cpath, "%s/criteria.json", base);
    jql_dataset *ds = test_load_dataset(dpath);
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(cpath, &c, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    char *js = results_json(r);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return js;
}

/* The line of node or item `id` within the block of unit `unit`. */
static void expect_line(const char *js, const char *unit, const char *id, const char *rest)
{
    char head[256], want[4096];
    snprintf(head, sizeof head, "      \"id\": \"%s\",", unit);
    const char *u = strstr(js, head);
    ck_assert_msg(u != NULL, "unit %s", unit);
    snprintf(head, sizeof head, "{\"id\": \"%s\", ", id);
    const char *p = strstr(u, head);
    ck_assert_msg(p != NULL, "node %s of %s", id, unit);
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len && p[len - 1] == ',')
        len--;
    snprintf(want, sizeof want, "%s%s}", head, rest);
    ck_assert_msg(strlen(want) == len && strncmp(p, want, len) == 0,
                  "node %s of %s:\n got: %.*s\nwant: %s", id, unit, (int)len, p, want);
}

#define NONE_SELF "\"self\": null, \"appraised\": null, "
#define REP(period, kind) \
    "{\"kind\": \"report\", \"unit\": \"U1\", \"period\": \"" period "\", \"report_kind\": \"" kind "\"}"
#define TASK(id) "{\"kind\": \"task\", \"id\": \"" id "\"}"
#define STAT(unit, ind, period, v)                                                          \
    "{\"kind\": \"statistic\", \"unit\": \"" unit "\", \"indicator\": \"" ind "\", "        \
    "\"period\": \"" period "\", \"value\": " v "}"

START_TEST(every_measure)
{
    char *js = score_fixture_json("scoring/explain");
    /* reports: Q1 2 days late and complete, Q2 on time but incomplete, Q3 "work" never */
    expect_line(js, "U1", "reports",
                "\"parent\": null, \"max\": 40.000, \"points\": 26.000, \"applicable\": true, "
                "\"value\": null, \"no_data\": false, \"never_submitted\": false, \"rule\": \"sum "
                "of children\", \"source\": \"sum\", " NONE_SELF "\"evidence\": []");
    expect_line(js, "U1", "on-time",
                "\"parent\": \"reports\", \"max\": 10.000, \"points\": 5.000, \"applicable\": "
                "true, \"value\": 50.000, \"no_data\": false, \"never_submitted\": false, "
                "\"rule\": \"linear: 50 / 100 × 10 → 5\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" REP("2014-Q1", "statistics") ", " REP("2014-Q2", "statistics") "]");
    expect_line(js, "U1", "incomplete",
                "\"parent\": \"reports\", \"max\": 10.000, \"points\": 8.000, \"applicable\": "
                "true, \"value\": 1.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"per occurrence: 10 − 1 × 2 → 8\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" REP("2014-Q1", "statistics") ", " REP("2014-Q2", "statistics") "]");
    expect_line(js, "U1", "latest",
                "\"parent\": \"reports\", \"max\": 10.000, \"points\": 10.000, \"applicable\": "
                "true, \"value\": 0.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"band 1: at_most 0 → 10\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" REP("2014-Q1", "statistics") ", " REP("2014-Q2", "statistics") "]");
    expect_line(js, "U1", "worst",
                "\"parent\": \"reports\", \"max\": 10.000, \"points\": 3.000, \"applicable\": "
                "true, \"value\": null, \"no_data\": false, \"never_submitted\": true, \"rule\": "
                "\"band 2: otherwise → 3\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" REP("2014-Q1", "statistics") ", " REP("2014-Q2", "statistics")
                ", " REP("2014-Q3", "work") "]");
    /* tasks: T1 done late, T2 done, T3 overdue; T4 due in 2015 is not evidence */
    expect_line(js, "U1", "overdue",
                "\"parent\": null, \"max\": 10.000, \"points\": 9.000, \"applicable\": true, "
                "\"value\": 1.000, \"no_data\": false, \"never_submitted\": false, \"rule\": \"per "
                "occurrence: 10 − 1 × 10% of 10 → 9\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" TASK("T1") ", " TASK("T2") ", " TASK("T3") "]");
    expect_line(js, "U1", "late",
                "\"parent\": null, \"max\": 10.000, \"points\": 10.000, \"applicable\": true, "
                "\"value\": 33.333, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"band 1: below 50 → 10\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" TASK("T1") ", " TASK("T2") ", " TASK("T3") "]");
    expect_line(js, "U1", "field",
                "\"parent\": null, \"max\": 10.000, \"points\": 10.000, \"applicable\": true, "
                "\"value\": 100.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"linear: 100 / 100 × 10 → 10\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" TASK("T1") ", " TASK("T2") "]");
    /* directives: D1 (by level) done, D2 (by id) open */
    expect_line(js, "U1", "dirs",
                "\"parent\": null, \"max\": 10.000, \"points\": 5.000, \"applicable\": true, "
                "\"value\": 50.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"linear: 50 / 100 × 10 → 5\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [{\"kind\": \"directive\", \"id\": \"D1\"}, {\"kind\": "
                "\"directive\", \"id\": \"D2\"}]");
    /* statistics: success 30 (the 2014 record wins over 2014-Q1's 7) / cases 10 + 30 */
    ck_assert_ptr_nonnull(strstr(js, "\"id\": \"ratio\", \"parent\": null, \"max\": 10.000, "
                                     "\"points\": 7.500, \"applicable\": true, \"value\": 75.000"));
    ck_assert_ptr_nonnull(strstr(js, STAT("U1", "success", "2014", "30.000")));
    ck_assert_ptr_null(strstr(js, STAT("U1", "success", "2014-Q1", "7.000")));
    /* change: 40 against 2013's 32 = +25% */
    expect_line(js, "U1", "change",
                "\"parent\": null, \"max\": 10.000, \"points\": 10.000, \"applicable\": true, "
                "\"value\": 25.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"boolean: at_least 20 holds → 10\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" STAT("U1", "cases", "2013", "32.000") ", "
                STAT("U1", "cases", "2014-Q1", "10.000") ", " STAT("U1", "cases", "2014-Q2", "30.000") "]");
    /* roll-up: 40 + the commune's 5 */
    expect_line(js, "U1", "rollup",
                "\"parent\": null, \"max\": 10.000, \"points\": 5.000, \"applicable\": true, "
                "\"value\": 45.000, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"linear: 45 / 90 × 10 → 5\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [" STAT("U1", "cases", "2014-Q1", "10.000") ", "
                STAT("U1", "cases", "2014-Q2", "30.000") ", " STAT("C1", "cases", "2014", "5.000") "]");
    /* events */
    expect_line(js, "U1", "evpts",
                "\"parent\": null, \"max\": 10.000, \"points\": 5.000, \"applicable\": true, "
                "\"value\": 3.500, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"linear: 3.5 / 7 × 10 → 5\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [{\"kind\": \"event\", \"unit\": \"U1\", \"date\": \"2014-03-03\", "
                "\"event_kind\": \"initiative\"}, {\"kind\": \"event\", \"unit\": \"U1\", "
                "\"date\": \"2014-04-04\", \"event_kind\": \"initiative\"}]");
    expect_line(js, "U1", "evcnt",
                "\"parent\": null, \"max\": 10.000, \"points\": 6.000, \"applicable\": true, "
                "\"value\": 1.000, \"no_data\": false, \"never_submitted\": false, \"rule\": \"per "
                "occurrence: 10 − 1 × 4 → 6\", \"source\": \"computed\", " NONE_SELF
                "\"evidence\": [{\"kind\": \"event\", \"unit\": \"U1\", \"date\": \"2014-05-05\", "
                "\"event_kind\": \"complaint\"}]");
    expect_line(js, "U1", "MAN",
                "\"parent\": null, \"max\": 10.000, \"points\": 1.500, \"applicable\": true, "
                "\"value\": null, \"no_data\": false, \"never_submitted\": false, \"rule\": "
                "\"appraised\", \"source\": \"manual\", \"self\": 2.000, \"appraised\": 1.500, "
                "\"evidence\": [{\"kind\": \"assessment\", \"unit\": \"U1\", \"period\": \"2014\", "
                "\"criterion\": \"MAN\"}]");
    /* 26 + 9 + 10 + 10 + 5 + 7.5 + 10 + 5 + 5 + 6 + 1.5 = 95 over 140 (scale 150):
       95 x 150 / 140 = 101.7857 -> 101.786; self total uses MAN's self 2: 95.5 */
    ck_assert_ptr_nonnull(strstr(js, "\"name\": \"Phòng Tư pháp huyện Đức Hòa\", \"cluster\": null"));
    ck_assert_ptr_nonnull(strstr(js, "\"total\": 95.000, \"applicable_max\": 140.000, "
                                     "\"normalized\": 101.786"));
    ck_assert_ptr_nonnull(strstr(js, "\"final\": 101.786"));
    ck_assert_ptr_nonnull(strstr(js, "\"self_total\": 95.500, \"unappraised\": [], "
                                     "\"self_differs\": [\"MAN\"]"));
    jql_free(js);
}
END_TEST

#define FLAGS(v, nd, ns) "\"value\": " v ", \"no_data\": " nd ", \"never_submitted\": " ns ", "

START_TEST(missing_and_never_rules)
{
    char *js = score_fixture_json("scoring/missing");
    expect_line(js, "U1", "Z",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "true", "false") "\"rule\": \"missing: zero\", \"source\": "
                "\"missing\", " NONE_SELF "\"evidence\": []");
    expect_line(js, "U1", "F",
                "\"parent\": null, \"max\": 1.000, \"points\": 1.000, \"applicable\": true, "
                FLAGS("null", "true", "false") "\"rule\": \"missing: full\", \"source\": "
                "\"missing\", " NONE_SELF "\"evidence\": []");
    expect_line(js, "U1", "N",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": false, "
                FLAGS("null", "true", "false") "\"rule\": \"missing: not_applicable\", \"source\": "
                "\"missing\", " NONE_SELF "\"evidence\": []");
#define U2REP "\"evidence\": [{\"kind\": \"report\", \"unit\": \"U2\", \"period\": \"2014-Q2\", \"report_kind\": \"statistics\"}]"
    expect_line(js, "U2", "Z",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "false", "true") "\"rule\": \"no band matched → 0\", \"source\": "
                "\"computed\", " NONE_SELF U2REP);
    expect_line(js, "U2", "LIN",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "false", "true") "\"rule\": \"linear: never submitted → 0\", "
                "\"source\": \"computed\", " NONE_SELF U2REP);
    expect_line(js, "U2", "PO",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "false", "true") "\"rule\": \"per occurrence: never submitted → 0\", "
                "\"source\": \"computed\", " NONE_SELF U2REP);
    expect_line(js, "U2", "MISS",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.500, \"applicable\": true, "
                FLAGS("1.000", "false", "false") "\"rule\": \"per occurrence: 1 − 1 × 0.5 → 0.5\", "
                "\"source\": \"computed\", " NONE_SELF U2REP);
    expect_line(js, "U2", "BOOL",
                "\"parent\": null, \"max\": 1.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "false", "true") "\"rule\": \"boolean: at_most 0 fails → 0\", "
                "\"source\": \"computed\", " NONE_SELF U2REP);
    /* the computed deduction: no data for U1, its maximum for U2 */
    expect_line(js, "U1", "D",
                "\"max\": 3.000, \"points\": 0.000, \"applicable\": true, "
                FLAGS("null", "true", "false") "\"rule\": \"missing: zero\", \"source\": "
                "\"missing\", " NONE_SELF "\"evidence\": []");
    expect_line(js, "U2", "D",
                "\"max\": 3.000, \"points\": 3.000, \"applicable\": true, "
                FLAGS("null", "false", "true") "\"rule\": \"never submitted → 3\", \"source\": "
                "\"computed\", " NONE_SELF U2REP);
    jql_free(js);
}
END_TEST

START_TEST(not_applicable_and_overrides)
{
    char *js = score_fixture_json("scoring/not-applicable");
    expect_line(js, "U1", "A",
                "\"parent\": null, \"max\": 2.000, \"points\": 0.000, \"applicable\": false, "
                FLAGS("null", "false", "false") "\"rule\": \"not applicable: assessment\", "
                "\"source\": \"not_applicable\", " NONE_SELF "\"evidence\": [{\"kind\": "
                "\"assessment\", \"unit\": \"U1\", \"period\": \"2014\", \"criterion\": \"A\"}]");
    expect_line(js, "U2", "G",
                "\"parent\": null, \"max\": 4.000, \"points\": 0.000, \"applicable\": false, "
                FLAGS("null", "false", "false") "\"rule\": \"not applicable: not_applicable_if\", "
                "\"source\": \"not_applicable\", " NONE_SELF "\"evidence\": []");
    expect_line(js, "U2", "G1",
                "\"parent\": \"G\", \"max\": 4.000, \"points\": 0.000, \"applicable\": false, "
                FLAGS("null", "false", "false") "\"rule\": \"not applicable: parent not "
                "applicable\", \"source\": \"not_applicable\", " NONE_SELF "\"evidence\": []");
    jql_free(js);
    js = score_fixture_json("scoring/self-appraised");
    expect_line(js, "U1", "M1",
                "\"parent\": null, \"max\": 3.000, \"points\": 3.000, \"applicable\": true, "
                FLAGS("null", "false", "false") "\"rule\": \"self-assessed (unappraised)\", "
                "\"source\": \"manual\", \"self\": 3.000, \"appraised\": null, \"evidence\": "
                "[{\"kind\": \"assessment\", \"unit\": \"U1\", \"period\": \"2014\", "
                "\"criterion\": \"M1\"}]");
    expect_line(js, "U1", "C2",
                "\"parent\": null, \"max\": 2.000, \"points\": 1.500, \"applicable\": true, "
                FLAGS("4.000", "false", "false") "\"rule\": \"band 2: at_most 5 → 1; appraised "
                "1.5 overrides\", \"source\": \"manual\", \"self\": 2.000, \"appraised\": 1.500, "
                "\"evidence\": [{\"kind\": \"report\", \"unit\": \"U1\", \"period\": \"2014-Q1\", "
                "\"report_kind\": \"statistics\"}, {\"kind\": \"assessment\", \"unit\": \"U1\", "
                "\"period\": \"2014\", \"criterion\": \"C2\"}]");
    jql_free(js);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_add_test(tc, every_measure);
    tcase_add_test(tc, missing_and_never_rules);
    tcase_add_test(tc, not_applicable_and_overrides);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
