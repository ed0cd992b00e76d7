/* Explanations: every measure kind with its value, the rule that matched,
   the source and the evidence records, as written in the results' JSON
   (docs/CRITERIA.md "Results"). Figures are checked by hand in comments. */
#include <cjson/cJSON.h>

#include "score_helpers.h"
#include "../examples/custom_functions.h"

/* The results JSON of scoring ds with c, both freed. */
static char *scored_json(jql_dataset *ds, jql_criteria *c)
{
    jql_results *r = score_ok(ds, c, NULL);
    char *js = results_json(r);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return js;
}

static char *score_fixture_json(const char *dir)
{
    char dpath[1024], cpath[1024], base[512];
    snprintf(base, sizeof base, "%s", test_data(dir));
    snprintf(dpath, sizeof dpath, "%s/dataset.json", base);
    snprintf(cpath, sizeof cpath, "%s/criteria.json", base);
    jql_dataset *ds = test_load_dataset(dpath);
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(cpath, &c, NULL), JQL_OK);
    return scored_json(ds, c);
}

/* The results line of node or item `id` in unit `unit` (a copy), or NULL. */
static char *node_line(const char *js, const char *unit, const char *id)
{
    char head[256];
    snprintf(head, sizeof head, "      \"id\": \"%s\",", unit);
    const char *u = strstr(js, head);
    if (!u)
        return NULL;
    snprintf(head, sizeof head, "{\"id\": \"%s\", ", id);
    const char *p = strstr(u, head);
    if (!p)
        return NULL;
    const char *end = strchr(p, '\n');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    if (len && p[len - 1] == ',') /* not the last of its list */
        len--;
    char *out = malloc(len + 1);
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

/* The line of node or item `id` within the block of unit `unit`. */
static void expect_line(const char *js, const char *unit, const char *id, const char *rest)
{
    char want[4096];
    char *got = node_line(js, unit, id);
    ck_assert_msg(got != NULL, "node %s of %s", id, unit);
    snprintf(want, sizeof want, "{\"id\": \"%s\", %s}", id, rest);
    ck_assert_msg(strcmp(got, want) == 0, "node %s of %s:\n got: %s\nwant: %s", id, unit, got,
                  want);
    free(got);
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

/* ---- measures alike, measured once per unit ---- */

static char *score_text(const char *ds_json_text, const char *cr_json_text)
{
    jql_dataset *ds = ds_json(ds_json_text);
    return scored_json(ds, cr_json(cr_json_text));
}

#define ALIKE_DS                                                                                  \
    DS_HEAD "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": \"district\"}, "            \
    "{\"id\": \"U2\", \"name\": \"U2\", \"level\": \"district\"}], \"reports\": ["                 \
    "{\"unit\": \"U1\", \"period\": \"2014-Q1\", \"kind\": \"statistics\", \"due\": \"2014-04-10\", " \
    "\"submitted\": \"2014-04-14\", \"complete\": true}, "                                         \
    "{\"unit\": \"U1\", \"period\": \"2014-Q2\", \"kind\": \"statistics\", \"due\": \"2014-07-10\", " \
    "\"submitted\": \"2014-07-09\", \"complete\": true}, "                                         \
    "{\"unit\": \"U2\", \"period\": \"2014-Q1\", \"kind\": \"statistics\", \"due\": \"2014-04-10\", " \
    "\"submitted\": \"2014-04-10\", \"complete\": true}, "                                         \
    "{\"unit\": \"U1\", \"period\": \"2014-Q3\", \"kind\": \"finance\", \"due\": \"2014-10-10\", "    \
    "\"submitted\": \"2014-10-30\", \"complete\": true}], \"events\": ["                            \
    "{\"unit\": \"U1\", \"date\": \"2014-03-01\", \"kind\": \"award\"}, "                          \
    "{\"unit\": \"U1\", \"date\": \"2014-05-01\", \"kind\": \"award\"}, "                          \
    "{\"unit\": \"U2\", \"date\": \"2014-06-01\", \"kind\": \"award\"}], \"assessments\": ["        \
    "{\"unit\": \"U1\", \"period\": \"2014\", \"criterion\": \"B\", \"self\": 1, \"appraised\": 0.5}, " \
    "{\"unit\": \"U2\", \"period\": \"2014\", \"criterion\": \"C\", \"self\": 2}]}"

#define ALIKE_MEASURE "\"measure\": {\"kind\": \"report_share_on_time\"}"
#define ALIKE_EVENTS "\"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\"}"
/* leaves measuring the same thing with different methods, the second one
   appraised for U1 (its evidence then gets the assessment), a third after
   it; a leaf on the same measure with a filter written apart; a bonus and
   a deduction measuring what leaves measure */
static const char *alike_leaf[] = {
    "{\"id\": \"A\", \"title\": \"A\", \"max\": 2, " ALIKE_MEASURE ", "
    "\"method\": {\"type\": \"linear\", \"target\": 100}}",
    "{\"id\": \"B\", \"title\": \"B\", \"max\": 2, " ALIKE_MEASURE ", "
    "\"method\": {\"type\": \"bands\", \"bands\": [{\"at_least\": 50, \"points\": 2}, {\"points\": 1}]}}",
    "{\"id\": \"C\", \"title\": \"C\", \"max\": 2, " ALIKE_MEASURE ", "
    "\"method\": {\"type\": \"boolean\", \"at_least\": 100}}",
    "{\"id\": \"D\", \"title\": \"D\", \"max\": 2, \"measure\": {\"kind\": \"report_share_on_time\", "
    "\"report_kind\": \"statistics\"}, \"method\": {\"type\": \"linear\", \"target\": 100}}",
    "{\"id\": \"E\", \"title\": \"E\", \"max\": 2, " ALIKE_EVENTS ", "
    "\"method\": {\"type\": \"per_occurrence\", \"amount\": 0.5}}",
};
#define ALIKE_ITEMS                                                                            \
    "\"bonus\": {\"items\": [{\"id\": \"BX\", \"title\": \"BX\", \"max\": 1, \"source\": "       \
    "\"computed\", " ALIKE_MEASURE ", \"method\": {\"type\": \"boolean\", \"at_least\": 50}}]}, " \
    "\"deductions\": [{\"id\": \"DX\", \"title\": \"DX\", \"max\": 1, \"source\": \"computed\", " \
    ALIKE_EVENTS ", \"method\": {\"type\": \"boolean\", \"at_least\": 2}}], "

/* Each leaf, bonus and deduction of a set whose measures repeat shows what
   it shows in a set where it measures alone: value, rule, source and the
   same evidence records in the same order, for every unit. */
START_TEST(measures_alike_show_what_they_show_alone)
{
    const size_t n = sizeof alike_leaf / sizeof *alike_leaf;
    char crit[8192];
    int w = snprintf(crit, sizeof crit, CR_HEAD ALIKE_ITEMS "\"criteria\": [");
    for (size_t i = 0; i < n; i++)
        w += snprintf(crit + w, sizeof crit - (size_t)w, "%s%s", i ? ", " : "", alike_leaf[i]);
    snprintf(crit + w, sizeof crit - (size_t)w, "], \"tiers\": [{\"id\": \"all\", \"name\": "
             "\"All\", \"min\": 0}]}");
    char *all = score_text(ALIKE_DS, crit);
    const char *units[] = {"U1", "U2"};
    for (size_t i = 0; i <= n; i++) {
        /* i == n: the items, beside a leaf measuring something else */
        const char *leaf = i < n ? alike_leaf[i]
                                 : "{\"id\": \"Z\", \"title\": \"Z\", \"max\": 1, \"method\": "
                                   "{\"type\": \"manual\"}}";
        snprintf(crit, sizeof crit, CR_HEAD "%s\"criteria\": [%s], \"tiers\": [{\"id\": \"all\", "
                 "\"name\": \"All\", \"min\": 0}]}", i < n ? "" : ALIKE_ITEMS, leaf);
        char *alone = score_text(ALIKE_DS, crit);
        const char *ids[] = {i < n ? (const char[]){(char)('A' + i), 0} : "BX", "DX"};
        for (size_t u = 0; u < 2; u++)
            for (size_t k = 0; k < (i < n ? 1u : 2u); k++) {
                char *a = node_line(all, units[u], ids[k]), *b = node_line(alone, units[u], ids[k]);
                ck_assert_msg(a && b, "%s of %s", ids[k], units[u]);
                ck_assert_msg(strcmp(a, b) == 0, "%s of %s\n with others: %s\n alone:       %s",
                              ids[k], units[u], a, b);
                ck_assert_msg(strstr(a, "\"evidence\": [{") != NULL, "%s of %s has evidence",
                              ids[k], units[u]);
                free(a);
                free(b);
            }
        jql_free(alone);
    }
    jql_free(all);
}
END_TEST

/* ---- the accessors of explain.h against the results document ---- */

/* A point value as the document writes it, read back as cJSON reads it. */
static double milli_as_json(jql_milli m)
{
    char text[48];
    unsigned long long a = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    snprintf(text, sizeof text, "%s%llu.%03llu", m < 0 ? "-" : "", a / 1000, a % 1000);
    return strtod(text, NULL);
}

static void expect_milli(const cJSON *j, jql_milli m, const char *what)
{
    ck_assert_msg(cJSON_IsNumber(j), "%s: not a number", what);
    ck_assert_msg(j->valuedouble == milli_as_json(m), "%s: JSON %.3f, accessor %lld", what,
                  j->valuedouble, (long long)m);
}

static void expect_opt_milli(const cJSON *j, bool has, jql_milli m, const char *what)
{
    if (!has)
        ck_assert_msg(cJSON_IsNull(j), "%s: JSON has a value, the accessor none", what);
    else
        expect_milli(j, m, what);
}

static void expect_str(const cJSON *j, const char *s, const char *what)
{
    if (!s) {
        ck_assert_msg(cJSON_IsNull(j), "%s: JSON \"%s\", accessor NULL", what,
                      cJSON_IsString(j) ? j->valuestring : "?");
        return;
    }
    ck_assert_msg(cJSON_IsString(j), "%s: JSON has no string, accessor \"%s\"", what, s);
    ck_assert_msg(strcmp(j->valuestring, s) == 0, "%s: JSON \"%s\", accessor \"%s\"", what,
                  j->valuestring, s);
}

static void expect_bool(const cJSON *j, bool b, const char *what)
{
    ck_assert_msg(cJSON_IsBool(j), "%s: not a boolean", what);
    ck_assert_msg(cJSON_IsTrue(j) == b, "%s: JSON %d, accessor %d", what, cJSON_IsTrue(j), b);
}

static const cJSON *get(const cJSON *o, const char *k)
{
    const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);
    ck_assert_msg(j != NULL, "no \"%s\" in the results document", k);
    return j;
}

/* How many records of each kind and points of each source were compared:
   the fixtures together must reach every one. */
static size_t seen_kind[JQL_EVIDENCE_KIND_COUNT], seen_source[JQL_RESULT_SOURCE_COUNT];

/* One evidence object (level "full") and its pointer (level "ids"). */
static void expect_evidence(const jql_results *r, size_t ev, const cJSON *full, const cJSON *ptr,
                            const char *what)
{
    jql_evidence_kind kind = jql_results_evidence_kind(r, ev);
    ck_assert_msg((int)kind >= 0 && kind < JQL_EVIDENCE_KIND_COUNT, "%s: kind %d", what, kind);
    seen_kind[kind]++;
    expect_str(get(full, "kind"), jql_evidence_kind_name(kind), what);
    /* the document's keys in order: "kind", then the kind's fields */
    const jql_evidence_field *order;
    size_t nf = jql_evidence_kind_fields(kind, &order);
    ck_assert_int_eq(cJSON_GetArraySize(full), (int)nf + 1);
    const cJSON *item = full->child;
    ck_assert_str_eq(item->string, "kind");
    for (size_t i = 0; i < nf; i++) {
        item = item->next;
        ck_assert_msg(strcmp(item->string, jql_evidence_field_name(order[i])) == 0,
                      "%s: key %zu is \"%s\", the order says \"%s\"", what, i + 1, item->string,
                      jql_evidence_field_name(order[i]));
    }
    ck_assert_ptr_null(jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_VALUE));
    ck_assert_ptr_null(jql_results_evidence_text(r, ev, JQL_EVIDENCE_FIELD_DATE));
    int keys = 1;
    for (int f = 0; f < JQL_EVIDENCE_FIELD_VALUE; f++) {
        const char *key = jql_evidence_field_name((jql_evidence_field)f);
        const char *v = jql_results_evidence_text(r, ev, (jql_evidence_field)f);
        const cJSON *j = cJSON_GetObjectItemCaseSensitive(full, key);
        ck_assert_msg((j != NULL) == (v != NULL), "%s: \"%s\" in JSON %d, accessor %s", what,
                      key, j != NULL, v ? v : "NULL");
        if (v) {
            expect_str(j, v, what);
            keys++;
        }
    }
    jql_milli value = 0;
    bool has_value = jql_results_evidence_value(r, ev, &value);
    ck_assert_int_eq(has_value, kind == JQL_EVIDENCE_STATISTIC);
    if (has_value) {
        expect_milli(get(full, "value"), value, what);
        keys++;
    }
    jql_date date = 0;
    bool has_date = jql_results_evidence_date(r, ev, &date);
    ck_assert_int_eq(has_date, kind == JQL_EVIDENCE_EVENT);
    if (has_date) {
        char d[11];
        jql_date_format(date, d);
        expect_str(get(full, "date"), d, what);
        keys++;
    }
    ck_assert_int_eq(cJSON_GetArraySize(full), keys);
    static const char *const arrays[JQL_EVIDENCE_KIND_COUNT] = {
        "reports", "tasks", "directives", "statistics", "assessments", "events"};
    char want[64];
    snprintf(want, sizeof want, "/%s/%zu", arrays[kind], jql_results_evidence_index(r, ev));
    expect_str(ptr, want, what);
}

/* The fields a node and an item share. */
typedef struct {
    jql_milli points, self, appraised;
    bool applicable, has_value, no_data, never;
    jql_milli value;
    const char *rule;
    jql_result_source source;
    size_t nev;
} part;

static void expect_part(const jql_results *r, const part *x, const cJSON *j, const cJSON *ids,
                        size_t (*evidence)(const jql_results *, size_t, size_t, size_t),
                        size_t k, size_t n, const char *what)
{
    expect_milli(get(j, "points"), x->points, what);
    expect_bool(get(j, "applicable"), x->applicable, what);
    expect_opt_milli(get(j, "value"), x->has_value, x->value, what);
    expect_bool(get(j, "no_data"), x->no_data, what);
    expect_bool(get(j, "never_submitted"), x->never, what);
    expect_str(get(j, "rule"), x->rule, what);
    ck_assert_msg((int)x->source >= 0 && x->source < JQL_RESULT_SOURCE_COUNT, "%s: source", what);
    seen_source[x->source]++;
    expect_str(get(j, "source"), jql_result_source_name(x->source), what);
    expect_opt_milli(get(j, "self"), x->self != JQL_NO_SCORE, x->self, what);
    expect_opt_milli(get(j, "appraised"), x->appraised != JQL_NO_SCORE, x->appraised, what);
    const cJSON *ev = get(j, "evidence"), *evids = get(ids, "evidence");
    ck_assert_int_eq((size_t)cJSON_GetArraySize(ev), x->nev);
    ck_assert_int_eq((size_t)cJSON_GetArraySize(evids), x->nev);
    for (size_t e = 0; e < x->nev; e++)
        expect_evidence(r, evidence(r, k, n, e), cJSON_GetArrayItem(ev, (int)e),
                        cJSON_GetArrayItem(evids, (int)e), what);
    ck_assert_uint_eq(evidence(r, k, n, x->nev), JQL_NONE);
}

/* Every accessor of every unit, node and item against both documents. */
static void compare_with_json(const jql_results *r, const char *label)
{
    char *text = NULL, *idtext = NULL;
    ck_assert_int_eq(jql_results_to_json(r, &text, NULL), JQL_OK);
    ck_assert_int_eq(jql_results_to_json_level(r, JQL_EVIDENCE_IDS, &idtext, NULL), JQL_OK);
    cJSON *doc = cJSON_Parse(text), *idoc = cJSON_Parse(idtext);
    ck_assert_ptr_nonnull(doc);
    ck_assert_ptr_nonnull(idoc);
    expect_milli(get(doc, "scale"), jql_results_scale(r), label);
    expect_bool(get(doc, "allow_above_scale"), jql_results_allow_above_scale(r), label);
    const cJSON *tiers = get(doc, "tiers");
    ck_assert_int_eq((size_t)cJSON_GetArraySize(tiers), jql_results_tier_count(r));
    for (size_t t = 0; t < jql_results_tier_count(r); t++) {
        const cJSON *tj = cJSON_GetArrayItem(tiers, (int)t);
        expect_str(get(tj, "id"), jql_results_tier_id(r, t), label);
        expect_str(get(tj, "name"), jql_results_tier_name(r, t), label);
        expect_milli(get(tj, "min"), jql_results_tier_min(r, t), label);
    }
    ck_assert_ptr_null(jql_results_tier_id(r, jql_results_tier_count(r)));
    const cJSON *units = get(doc, "units"), *iunits = get(idoc, "units");
    size_t nu = jql_results_unit_count(r), nn = jql_results_node_count(r);
    size_t ni = jql_results_item_count(r);
    ck_assert_int_eq((size_t)cJSON_GetArraySize(units), nu);
    for (size_t k = 0; k < nu; k++) {
        const cJSON *u = cJSON_GetArrayItem(units, (int)k), *iu = cJSON_GetArrayItem(iunits, (int)k);
        char what[1200];
        snprintf(what, sizeof what, "%s unit %s", label, jql_results_unit_id(r, k));
        /* the tier's display name is the one the document's tier list gives */
        const char *tier = jql_results_unit_tier(r, k);
        const char *tname = NULL;
        for (int t = 0; t < cJSON_GetArraySize(tiers); t++) {
            const cJSON *tj = cJSON_GetArrayItem(tiers, t);
            if (tier && strcmp(get(tj, "id")->valuestring, tier) == 0)
                tname = get(tj, "name")->valuestring;
        }
        expect_str(get(u, "tier"), tier, what);
        if (tname)
            ck_assert_str_eq(jql_results_unit_tier_name(r, k), tname);
        else
            ck_assert_ptr_null(jql_results_unit_tier_name(r, k));
        expect_str(get(u, "next_tier"), jql_results_unit_next_tier(r, k), what);
        const cJSON *nodes = get(u, "nodes"), *inodes = get(iu, "nodes");
        ck_assert_int_eq((size_t)cJSON_GetArraySize(nodes), nn);
        size_t unappraised = 0, differs = 0;
        for (size_t n = 0; n < nn; n++) {
            const cJSON *nj = cJSON_GetArrayItem(nodes, (int)n);
            char nwhat[1400];
            snprintf(nwhat, sizeof nwhat, "%s node %s", what, jql_results_node_id(r, n));
            expect_str(get(nj, "id"), jql_results_node_id(r, n), nwhat);
            size_t parent = jql_results_node_parent(r, n);
            expect_str(get(nj, "parent"), parent == JQL_NONE ? NULL : jql_results_node_id(r, parent),
                       nwhat);
            expect_milli(get(nj, "max"), jql_results_node_max(r, k, n), nwhat);
            part x = {jql_results_node_points(r, k, n), jql_results_node_self(r, k, n),
                      jql_results_node_appraised(r, k, n), jql_results_node_applicable(r, k, n),
                      false, jql_results_node_no_data(r, k, n),
                      jql_results_node_never_submitted(r, k, n), 0,
                      jql_results_node_rule(r, k, n), jql_results_node_source(r, k, n),
                      jql_results_node_evidence_count(r, k, n)};
            x.has_value = jql_results_node_value(r, k, n, &x.value);
            expect_part(r, &x, nj, cJSON_GetArrayItem(inodes, (int)n), jql_results_node_evidence,
                        k, n, nwhat);
            /* the two leaf lists hold exactly the flagged nodes, in node order */
            const cJSON *ua = get(u, "unappraised"), *da = get(u, "self_differs");
            if (jql_results_node_unappraised(r, k, n))
                expect_str(cJSON_GetArrayItem(ua, (int)unappraised++), jql_results_node_id(r, n),
                           nwhat);
            if (jql_results_node_self_differs(r, k, n))
                expect_str(cJSON_GetArrayItem(da, (int)differs++), jql_results_node_id(r, n),
                           nwhat);
        }
        ck_assert_int_eq((size_t)cJSON_GetArraySize(get(u, "unappraised")), unappraised);
        ck_assert_int_eq((size_t)cJSON_GetArraySize(get(u, "self_differs")), differs);
        for (size_t i = 0; i < ni; i++) {
            bool ded = jql_results_item_is_deduction(r, i);
            const char *arr = ded ? "deduction_items" : "bonus_items";
            int pos = 0;
            for (size_t j = 0; j < i; j++)
                pos += jql_results_item_is_deduction(r, j) == ded;
            const cJSON *ij = cJSON_GetArrayItem(get(u, arr), pos);
            char iwhat[1400];
            snprintf(iwhat, sizeof iwhat, "%s item %s", what, jql_results_item_id(r, i));
            ck_assert_ptr_nonnull(ij);
            expect_str(get(ij, "id"), jql_results_item_id(r, i), iwhat);
            expect_milli(get(ij, "max"), jql_results_item_max(r, i), iwhat);
            part x = {jql_results_item_points(r, k, i), jql_results_item_self(r, k, i),
                      jql_results_item_appraised(r, k, i), true, false,
                      jql_results_item_no_data(r, k, i), jql_results_item_never_submitted(r, k, i),
                      0, jql_results_item_rule(r, k, i), jql_results_item_source(r, k, i),
                      jql_results_item_evidence_count(r, k, i)};
            x.has_value = jql_results_item_value(r, k, i, &x.value);
            x.applicable = cJSON_IsTrue(get(ij, "applicable")); /* items have no accessor: always true */
            ck_assert_msg(x.applicable, "%s: an item not applicable", iwhat);
            expect_part(r, &x, ij, cJSON_GetArrayItem(get(iu, arr), pos),
                        jql_results_item_evidence, k, i, iwhat);
        }
        ck_assert_int_eq(cJSON_GetArraySize(get(u, "bonus_items")) +
                             cJSON_GetArraySize(get(u, "deduction_items")),
                         (int)ni);
    }
    cJSON_Delete(doc);
    cJSON_Delete(idoc);
    jql_free(text);
    jql_free(idtext);
}

static void compare_pair(const char *dpath, const char *cpath, bool custom)
{
    jql_dataset *ds = test_load_dataset(dpath);
    jql_criteria *c = NULL;
    ck_assert_msg(jql_criteria_load_path(cpath, &c, NULL) == JQL_OK, "%s: %s", cpath,
                  jql_last_error());
    if (custom)
        ck_assert_int_eq(cli_register_custom_functions(c), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    compare_with_json(r, cpath);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}

/* Fixtures as dataset, criteria relative to tests/data. */
static const char *const fixtures[][2] = {
    {"scoring/bands/dataset.json", "scoring/bands/criteria.json"},
    {"scoring/bonus/dataset.json", "scoring/bonus/criteria.json"},
    {"scoring/bonus/dataset.json", "scoring/bonus/criteria-above.json"},
    {"scoring/clamping/dataset.json", "scoring/clamping/criteria.json"},
    {"scoring/explain/dataset.json", "scoring/explain/criteria.json"},
    {"scoring/missing/dataset.json", "scoring/missing/criteria.json"},
    {"scoring/not-applicable/dataset.json", "scoring/not-applicable/criteria.json"},
    {"scoring/rounding/dataset.json", "scoring/rounding/criteria.json"},
    {"scoring/self-appraised/dataset.json", "scoring/self-appraised/criteria.json"},
    {"scoring/worked-example/dataset.json", "scoring/worked-example/criteria.json"},
    {"edge/appraisal-vs-not-applicable/dataset.json", "edge/appraisal-vs-not-applicable/criteria.json"},
    {"edge/boolean-no-condition/dataset.json", "edge/boolean-no-condition/criteria.json"},
    {"edge/latest-report/dataset.json", "edge/latest-report/criteria.json"},
    {"edge/mean-exact/dataset.json", "edge/mean-exact/criteria.json"},
    {"edge/never-submitted-deductions/dataset.json", "edge/never-submitted-deductions/criteria.json"},
    {"edge/nfc/dataset-nfc.json", "edge/nfc/criteria.json"},
    {"edge/outermost-periods/dataset.json", "edge/outermost-periods/criteria.json"},
    {"edge/overdue-no-task/dataset.json", "edge/overdue-no-task/criteria.json"},
    {"as-of/dataset.json", "as-of/criteria.json"},
};

START_TEST(accessors_match_the_fixture_documents)
{
    char dpath[2048], cpath[2048];
    snprintf(dpath, sizeof dpath, "%s", test_data(fixtures[_i][0]));
    snprintf(cpath, sizeof cpath, "%s", test_data(fixtures[_i][1]));
    compare_pair(dpath, cpath, false);
}
END_TEST

/* The bundled Long An sheets, then every kind and source must have been met. */
START_TEST(accessors_match_the_bundled_documents)
{
    char dpath[2048], cpath[2048];
    memset(seen_kind, 0, sizeof seen_kind);
    memset(seen_source, 0, sizeof seen_source);
    for (size_t f = 0; f < sizeof fixtures / sizeof fixtures[0]; f++) {
        snprintf(dpath, sizeof dpath, "%s", test_data(fixtures[f][0]));
        snprintf(cpath, sizeof cpath, "%s", test_data(fixtures[f][1]));
        compare_pair(dpath, cpath, false);
    }
    snprintf(dpath, sizeof dpath, "%s", example_data("long-an-2014/dataset.json"));
    snprintf(cpath, sizeof cpath, "%s", example_data("long-an-2014/criteria-2014.json"));
    compare_pair(dpath, cpath, false);
    snprintf(cpath, sizeof cpath, "%s", example_data("long-an-2014/criteria-2014-custom.json"));
    compare_pair(dpath, cpath, true);
    for (int v = 0; v < JQL_EVIDENCE_KIND_COUNT; v++)
        ck_assert_msg(seen_kind[v] > 0, "no %s evidence compared", jql_evidence_kind_name(v));
    for (int v = 0; v < JQL_RESULT_SOURCE_COUNT; v++)
        ck_assert_msg(seen_source[v] > 0, "no \"%s\" source compared",
                      jql_result_source_name(v));
}
END_TEST

/* Every scored unit is found at its own position; a unit of the dataset
   that was not scored (the province), an unknown id and NULLs are not. */
START_TEST(results_unit_find)
{
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = NULL;
    ck_assert_int_eq(
        jql_criteria_load_path(example_data("long-an-2014/criteria-2014.json"), &c, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    size_t nu = jql_results_unit_count(r);
    ck_assert_uint_gt(nu, 1);
    for (size_t k = 0; k < nu; k++) {
        size_t at = (size_t)-1;
        ck_assert_int_eq(jql_results_unit_find(r, jql_results_unit_id(r, k), &at), JQL_OK);
        ck_assert_uint_eq(at, k);
    }
    size_t u, at = 99;
    ck_assert_int_eq(jql_unit_find(ds, "long-an", &u), JQL_OK);
    ck_assert_int_eq(jql_results_unit_find(r, "long-an", &at), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_results_unit_find(r, "no-such-unit", &at), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_results_unit_find(r, "", &at), JQL_ENOTFOUND);
    ck_assert_uint_eq(at, 99);
    ck_assert_int_eq(jql_results_unit_find(NULL, "thanh-hoa", &at), JQL_EINVALID);
    ck_assert_int_eq(jql_results_unit_find(r, NULL, &at), JQL_EINVALID);
    ck_assert_int_eq(jql_results_unit_find(r, "thanh-hoa", NULL), JQL_EINVALID);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Out of range: the neutral values the header states, never a crash. */
START_TEST(out_of_range_is_neutral)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/explain/dataset.json"));
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(test_data("scoring/explain/criteria.json"), &c, NULL),
                     JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    size_t nu = jql_results_unit_count(r), nn = jql_results_node_count(r);
    size_t ni = jql_results_item_count(r);
    jql_milli m = 77;
    jql_date d = 77;
    ck_assert_int_eq(jql_results_node_source(r, nu, 0), JQL_RESULT_SOURCE_COUNT);
    ck_assert_int_eq(jql_results_node_source(r, 0, nn), JQL_RESULT_SOURCE_COUNT);
    ck_assert_int_eq(jql_results_item_source(r, 0, ni), JQL_RESULT_SOURCE_COUNT);
    ck_assert(!jql_results_node_no_data(r, nu, 0));
    ck_assert(!jql_results_item_value(r, 0, ni, &m));
    ck_assert_uint_eq(jql_results_node_evidence_count(r, 0, nn), 0);
    ck_assert_uint_eq(jql_results_node_evidence(r, nu, 0, 0), JQL_NONE);
    ck_assert_uint_eq(jql_results_node_parent(r, nn), JQL_NONE);
    ck_assert_int_eq(jql_results_evidence_kind(r, (size_t)-2), JQL_EVIDENCE_KIND_COUNT);
    ck_assert_uint_eq(jql_results_evidence_index(r, (size_t)-2), JQL_NONE);
    ck_assert_ptr_null(jql_results_evidence_text(r, (size_t)-2, JQL_EVIDENCE_FIELD_UNIT));
    ck_assert_ptr_null(jql_results_evidence_text(r, 0, JQL_EVIDENCE_FIELD_COUNT));
    ck_assert(!jql_results_evidence_value(r, (size_t)-2, &m));
    ck_assert(!jql_results_evidence_date(r, (size_t)-2, &d));
    ck_assert_int_eq(m, 77);
    ck_assert_int_eq(d, 77);
    ck_assert_ptr_null(jql_results_unit_tier_name(r, nu));
    ck_assert_ptr_null(jql_results_tier_name(r, jql_results_tier_count(r)));
    ck_assert_int_eq(jql_results_scale(NULL), 0);
    ck_assert_uint_eq(jql_results_tier_count(NULL), 0);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("explain");
    TCase *tc = tcase_create("explain");
    tcase_add_test(tc, every_measure);
    tcase_add_test(tc, missing_and_never_rules);
    tcase_add_test(tc, not_applicable_and_overrides);
    tcase_add_test(tc, measures_alike_show_what_they_show_alone);
    tcase_add_loop_test(tc, accessors_match_the_fixture_documents, 0,
                        (int)(sizeof fixtures / sizeof fixtures[0]));
    tcase_add_test(tc, accessors_match_the_bundled_documents);
    tcase_add_test(tc, out_of_range_is_neutral);
    tcase_add_test(tc, results_unit_find);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
