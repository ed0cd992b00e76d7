/* The clarified edge rules of docs/SCORING.md ("Edge rules") and the checks
   that keep wrong input from giving a silently wrong answer, one test each,
   on the fixtures under tests/data/edge/ (the CLI, Python and Lua tests read
   the same files). Every expected figure is worked out in the comments. */
#include "score_helpers.h"
#include "query.h" /* jql_q_directives: the directive index with an as-of date */
#include "util.h"  /* jql_nfc_check, jql_strdup_nfc */

static jql_criteria *load_criteria(const char *rel, jql_diagnostics **d)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_path(test_data(rel), &c, d);
    if (rc)
        print_diag(rel, *d);
    ck_assert_int_eq(rc, JQL_OK);
    return c;
}

static jql_results *edge(const char *dir)
{
    char rel[256];
    snprintf(rel, sizeof rel, "edge/%s/dataset.json", dir);
    jql_dataset *ds = test_load_dataset(test_data(rel));
    snprintf(rel, sizeof rel, "edge/%s/criteria.json", dir);
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_criteria(rel, &d);
    jql_diagnostics_free(d);
    jql_results *r = score_ok(ds, c, NULL);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return r;
}

static jql_date day(const char *text)
{
    jql_date d = 0;
    ck_assert_int_eq(jql_date_parse(text, &d), JQL_OK);
    return d;
}

static bool node_applicable(const jql_results *r, const char *unit, const char *node)
{
    return jql_results_node_applicable(r, unit_k(r, unit), node_n(r, node));
}

/* The JSON of one node of one unit, for the flags the C accessors lack. */
static bool json_has(const jql_results *r, const char *needle)
{
    char *js = results_json(r);
    bool found = strstr(js, needle) != NULL;
    jql_free(js);
    return found;
}

/* Count the diagnostics whose message contains `what`. */
static size_t count_diag(const jql_diagnostics *d, const char *what)
{
    size_t n = 0;
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        n += strstr(jql_diagnostics_message(d, i), what) != NULL;
    return n;
}

START_TEST(overdue_with_no_task_due_is_no_data)
{
    jql_results *r = edge("overdue-no-task");
    /* U1 has no task at all, U3 only one due in 2015: every task measure,
       the count overdue too, has no data; the leaf's `missing` decides. */
    for (int i = 0; i < 2; i++) {
        const char *u = i ? "U3" : "U1";
        ck_assert_int_eq(pts(r, u, "OV"), 0);    /* missing zero: not 2 for "0 overdue" */
        ck_assert_int_eq(pts(r, u, "OVF"), 2000); /* missing full */
        ck_assert(!node_applicable(r, u, "OVN")); /* missing not applicable */
        ck_assert_int_eq(pts(r, u, "SC"), 0);
        ck_assert_int_eq(val(r, u, JQL_RESULT_FIELD_TOTAL), 2000);
        ck_assert_int_eq(val(r, u, JQL_RESULT_FIELD_APPLICABLE_MAX), 8000);
        ck_assert_int_eq(val(r, u, JQL_RESULT_FIELD_NORMALIZED), 2500); /* 2 x 10 / 8 */
    }
    /* U2: t1 done, t2 pending, both due in 2014: 1 overdue, 50% done */
    ck_assert_int_eq(pts(r, "U2", "OV"), 1000);  /* 2 - 1 x 1 */
    ck_assert_int_eq(pts(r, "U2", "OVF"), 0);    /* band 2: otherwise */
    ck_assert_int_eq(pts(r, "U2", "OVN"), 0);    /* at_most 0 fails */
    ck_assert_int_eq(pts(r, "U2", "SC"), 2000);  /* 4 x 50 / 100 */
    ck_assert(json_has(r, "\"rule\": \"missing: zero\""));
    jql_results_free(r);
}
END_TEST

START_TEST(mean_is_exact)
{
    jql_results *r = edge("mean-exact");
    /* D1: (0.251 + 0.25 + 0.25 + 0.251) / 4 = 0.2505 exactly; linear
       1 x 0.2505 / 2 = 0.12525 -> 0.125 (from a mean rounded to 0.251 first:
       0.1255 -> 0.126). */
    ck_assert_int_eq(pts(r, "D1", "M"), 125);
    ck_assert_int_eq(pts(r, "D1", "MR"), 125);
    /* D2: 0.5 / 3 = 0.1666...; / 2 = 0.08333 -> 0.083 (0.167 first: 0.084) */
    ck_assert_int_eq(pts(r, "D2", "M"), 83);
    /* P rolls up the mean of its units' exact means: (0.2505 + 0.1666...) / 2
       = 0.2085833...; / 2 = 0.1042916 -> 0.104 (0.251 and 0.167 first:
       0.209 / 2 = 0.1045 -> 0.105) */
    ck_assert_int_eq(pts(r, "P", "MR"), 104);
    jql_results_free(r);
    /* jql_indicator_value() shows the exact value rounded once */
    jql_dataset *ds = test_load_dataset(test_data("edge/mean-exact/dataset.json"));
    jql_milli v = 0;
    ck_assert_int_eq(jql_indicator_value(ds, "D1", "m", "2014", 0, &v), JQL_OK);
    ck_assert_int_eq(v, 251); /* 0.2505 half away from zero */
    ck_assert_int_eq(jql_indicator_value(ds, "D2", "m", "2014", 0, &v), JQL_OK);
    ck_assert_int_eq(v, 167);
    ck_assert_int_eq(jql_indicator_value(ds, "P", "m", "2014", JQL_ROLLUP, &v), JQL_OK);
    ck_assert_int_eq(v, 209); /* 0.2085833... rounded once */
    jql_dataset_free(ds);
}
END_TEST

START_TEST(same_dates_statistics_are_invalid)
{
    /* loader: one error at the second record naming the first, both located */
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(test_data("invalid/same_dates.json"), &ds, &d),
                     JQL_EINVALID);
    ck_assert_ptr_null(ds);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/statistics/2");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 10);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 5);
    const char *msg = jql_diagnostics_message(d, 0);
    ck_assert_ptr_nonnull(strstr(msg, "\"q1\""));
    ck_assert_ptr_nonnull(strstr(msg, "\"2014-Q1\""));
    ck_assert_ptr_nonnull(strstr(msg, "/statistics/0 (line 8, column 5)"));
    jql_diagnostics_free(d);
    /* builder: refused too, whichever order; the same id still overwrites */
    ds = jql_dataset_new();
    ck_assert_int_eq(jql_unit_add(ds, "U1", "U1", "district", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "U2", "U2", "district", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_period_add(ds, "q1", "Q1", day("2014-01-01"), day("2014-03-31"), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "x", "x", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    ck_assert_int_eq(jql_stat_set_value(ds, "U1", "x", "q1", 2000), JQL_OK);
    ck_assert_int_eq(jql_stat_set_value(ds, "U1", "x", "2014-Q1", 1000), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "same dates"));
    ck_assert_int_eq(jql_stat_set_value(ds, "U1", "x", "q1", 3000), JQL_OK);    /* same id */
    ck_assert_int_eq(jql_stat_set_value(ds, "U2", "x", "2014-Q1", 1000), JQL_OK); /* other unit */
    jql_milli v = 0;
    ck_assert_int_eq(jql_indicator_value(ds, "U1", "x", "2014-Q1", 0, &v), JQL_OK);
    ck_assert_int_eq(v, 3000);
    ck_assert_uint_eq(jql_stat_count(ds), 2);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(outermost_recorded_periods_only)
{
    jql_results *r = edge("outermost-periods");
    /* Q1 10 + Q2 5 = 15 (February, inside the recorded Q1, is not added:
       18 would give 1.8); linear 10 x 15 / 100 = 1.5 */
    ck_assert_int_eq(pts(r, "U1", "S"), 1500);
    jql_results_free(r);
}
END_TEST

START_TEST(latest_report_is_the_one_ending_last)
{
    jql_results *r = edge("latest-report");
    /* U1: the Q4 report (3 days late), not the Q2 one due later (on time) */
    ck_assert_int_eq(pts(r, "U1", "L"), 500);  /* band 2: at_most 5 */
    ck_assert_int_eq(pts(r, "U1", "LP"), 700); /* 1 - 3 x 0.1 */
    /* U2: two Q4 reports due the same day: the worst (never submitted) */
    ck_assert_int_eq(pts(r, "U2", "L"), 0);
    ck_assert_int_eq(pts(r, "U2", "LP"), 0);
    ck_assert(json_has(r, "\"rule\": \"per occurrence: never submitted \xE2\x86\x92 0\""));
    jql_results_free(r);
}
END_TEST

START_TEST(never_submitted_costs_deductions_their_maximum)
{
    jql_results *r = edge("never-submitted-deductions");
    /* U1 never submitted: bands 3 + boolean 2 + linear 4 + per occurrence 0.5
       (each item's maximum, whatever its method) */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_DEDUCTIONS), 9500);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_FINAL), 0);
    /* U2 on time (0 days): band at_most 5 -> 1, boolean at_most 3 -> 2,
       linear 0 -> 0, per occurrence 0.5 - 0 -> 0.5 */
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_DEDUCTIONS), 3500);
    ck_assert(json_has(r, "\"rule\": \"never submitted \xE2\x86\x92 4\""));
    jql_results_free(r);
}
END_TEST

START_TEST(boolean_without_condition_is_value_above_zero)
{
    jql_results *r = edge("boolean-no-condition");
    ck_assert_int_eq(pts(r, "U1", "E"), 1000); /* 1 initiative */
    ck_assert_int_eq(pts(r, "U2", "E"), 0);    /* none */
    ck_assert_int_eq(pts(r, "U1", "X"), 0);    /* 0 is not > 0 */
    ck_assert_int_eq(pts(r, "U2", "X"), 1000); /* 0.001 > 0 */
    jql_results_free(r);
}
END_TEST

START_TEST(appraisal_overrides_missing_not_declared_na)
{
    jql_results *r = edge("appraisal-vs-not-applicable");
    /* MN: no task, missing not_applicable, appraised 1.5: applicable, 1.5 */
    ck_assert(node_applicable(r, "U1", "MN"));
    ck_assert_int_eq(pts(r, "U1", "MN"), 1500);
    /* DN (assessment not_applicable) and RN (not_applicable_if) stay out
       whatever their appraisal */
    ck_assert(!node_applicable(r, "U1", "DN"));
    ck_assert(!node_applicable(r, "U1", "RN"));
    /* total 1.5 + 4 over an applicable maximum of 2 + 4: 5.5 x 10 / 6 */
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_TOTAL), 5500);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_APPLICABLE_MAX), 6000);
    ck_assert_int_eq(val(r, "U1", JQL_RESULT_FIELD_NORMALIZED), 9167);
    jql_results_free(r);
}
END_TEST

START_TEST(empty_and_unknown_periods)
{
    jql_dataset *ds = test_load_dataset(test_data("edge/overdue-no-task/dataset.json"));
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_criteria("edge/overdue-no-task/criteria.json", &d);
    jql_diagnostics_free(d);
    jql_results *r = (jql_results *)1;
    jql_score_options opt = JQL_SCORE_OPTIONS_INIT;
    /* 2013: a standard id the dataset does not declare, no record: unknown */
    ck_assert_int_eq(jql_score(ds, c, "2013", &r), JQL_ENOTFOUND);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "unknown period 2013"));
    /* 2015: t3 of U3 (a scored unit) is due then: not empty */
    ck_assert_int_eq(jql_score_with(ds, c, "2015", &opt, &r), JQL_OK);
    jql_results_free(r);
    /* 2014-Q1: undeclared and no record at all in it: unknown too, and
       scored (with a warning) when empty periods are allowed */
    ck_assert_int_eq(jql_score_with(ds, c, "2014-Q1", &opt, &r), JQL_ENOTFOUND);
    opt.flags = JQL_SCORE_ALLOW_EMPTY;
    ck_assert_int_eq(jql_score_with(ds, c, "2014-Q1", &opt, &r), JQL_OK);
    const jql_diagnostics *w = jql_results_diagnostics(r);
    ck_assert_uint_eq(jql_diagnostics_count(w), 1); /* only the empty period */
    ck_assert_str_eq(jql_diagnostics_path(w, 0), "/period");
    ck_assert_int_eq(val(r, "U2", JQL_RESULT_FIELD_TOTAL), 2000); /* OVF missing full */
    jql_results_free(r);
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &opt, &r), JQL_OK);
    jql_results_free(r);
    /* a declared period with nothing of the scored units in it */
    ck_assert_int_eq(jql_period_add(ds, "early", "Early", day("2014-01-01"), day("2014-01-10"), NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_score(ds, c, "early", &r), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "no record of the scored units"));
    /* unknown flags and versions are refused, not ignored */
    opt.flags = 0x80;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &opt, &r), JQL_EINVALID);
    opt.flags = 0;
    opt.version = 99;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &opt, &r), JQL_EINVALID);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(warnings_for_leaves_without_data)
{
    jql_results *r = score_json(
        DS_HEAD "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": \"district\"}, "
                "{\"id\": \"U2\", \"name\": \"U2\", \"level\": \"district\"}], "
                "\"indicators\": [{\"id\": \"x\", \"name\": \"x\"}], "
                "\"statistics\": [{\"unit\": \"U2\", \"indicator\": \"x\", \"period\": \"2014\", "
                "\"value\": 1}], "
                "\"assessments\": [{\"unit\": \"U1\", \"period\": \"2014\", \"criterion\": "
                "\"M2\", \"appraised\": 1}]}",
        CR_HEAD "\"criteria\": [{\"id\": \"S\", \"title\": \"S\", \"max\": 5, \"children\": ["
                "{\"id\": \"M1\", \"title\": \"typo\", \"max\": 1, \"method\": {\"type\": "
                "\"manual\"}}, "
                "{\"id\": \"M2\", \"title\": \"ok\", \"max\": 1, \"method\": {\"type\": "
                "\"manual\"}}, "
                "{\"id\": \"T\", \"title\": \"tasks\", \"max\": 1, \"measure\": {\"kind\": "
                "\"task_share_completed\"}, \"method\": {\"type\": \"linear\", \"target\": 100}}, "
                "{\"id\": \"X\", \"title\": \"x\", \"max\": 1, \"measure\": {\"kind\": "
                "\"indicator_value\", \"indicator\": \"x\"}, \"method\": {\"type\": \"boolean\"}}, "
                "{\"id\": \"NA\", \"title\": \"na\", \"max\": 1, \"not_applicable_if\": "
                "{\"levels\": [\"district\"]}, \"method\": {\"type\": \"manual\"}}]}, "
                "{\"id\": \"B\", \"title\": \"B\", \"max\": 5, \"measure\": {\"kind\": "
                "\"event_count\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 1}}], " TIERS4
                "}");
    const jql_diagnostics *w = jql_results_diagnostics(r);
    /* M1 (no assessment for anyone) and T (no task for anyone); not M2 or X
       (one unit has data), not NA (not applicable), not B (counts have data) */
    ck_assert_uint_eq(jql_diagnostics_count(w), 2);
    ck_assert_str_eq(jql_diagnostics_path(w, 0), "/criteria/0/children/0");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(w, 0), "manual leaf \"M1\""));
    ck_assert_str_eq(jql_diagnostics_path(w, 1), "/criteria/0/children/2");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(w, 1), "leaf \"T\""));
    ck_assert_int_eq(jql_diagnostics_severity(w, 1), JQL_SEVERITY_WARNING);
    jql_results_free(r);
}
END_TEST

START_TEST(nfc_matching)
{
    jql_diagnostics *d = NULL;
    jql_dataset *nfc = test_load_dataset(test_data("edge/nfc/dataset-nfc.json"));
    jql_dataset *nfd = NULL;
    ck_assert_int_eq(jql_dataset_load_path(test_data("edge/nfc/dataset-nfd.json"), &nfd, &d),
                     JQL_OK);
    /* one warning for the whole file, at the first text not in NFC */
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_uint_eq(count_diag(d, "not in Unicode NFC"), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/name");
    jql_diagnostics_free(d);
    d = NULL;
    jql_criteria *c = load_criteria("edge/nfc/criteria.json", &d);
    ck_assert_uint_eq(count_diag(d, "NFC"), 0);
    jql_diagnostics_free(d);
    d = NULL;
    jql_criteria *cd = load_criteria("edge/nfc/criteria-nfd.json", &d);
    ck_assert_uint_eq(count_diag(d, "not in Unicode NFC"), 1);
    jql_diagnostics_free(d);
    /* tan-an is a "thành phố" however typed: mediation not applicable; its
       "sáng kiến" event counts (1 of 2 -> 4 of 8): 4 x 10 / 8 = 5 */
    jql_results *a = score_ok(nfc, c, NULL), *b = score_ok(nfd, c, NULL),
                *e = score_ok(nfc, cd, NULL);
    char *ja = results_json(a), *jb = results_json(b), *je = results_json(e);
    ck_assert_int_eq(val(b, "tan-an", JQL_RESULT_FIELD_FINAL), 5000);
    ck_assert(!node_applicable(b, "tan-an", "hoa-giai"));
    ck_assert_int_eq(val(b, "duc-hoa", JQL_RESULT_FIELD_FINAL), 9000); /* 1 + 8 */
    ck_assert_str_eq(ja, je);
    /* free text kept byte for byte: the NFD name is longer than the NFC one */
    ck_assert_uint_gt(strlen(jql_results_unit_name(b, unit_k(b, "tan-an"))),
                      strlen(jql_results_unit_name(a, unit_k(a, "tan-an"))));
    size_t u;
    ck_assert_int_eq(jql_unit_find(nfd, "tan-an", &u), JQL_OK);
    ck_assert_str_eq(jql_unit_attr_lookup(nfd, u, "kind"), "th\xC3\xA0nh ph\xE1\xBB\x91"); /* NFC */
    jql_free(ja);
    jql_free(jb);
    jql_free(je);
    jql_results_free(a);
    jql_results_free(b);
    jql_results_free(e);
    /* queries: a kind or attribute key given in NFD finds the NFC one */
    size_t hits[4], nhits = 0;
    ck_assert_int_eq(jql_events_in_period(nfd, "duc-hoa", "2014", "sa\xCC\x81ng kie\xCC\x82\xCC\x81n",
                                          hits, 4, &nhits),
                     JQL_OK);
    ck_assert_uint_eq(nhits, 2);
    ck_assert_int_eq(jql_unit_set_attr(nfd, u, "ki\xCC\x81nd", "x"), JQL_OK); /* kínd, NFD */
    ck_assert_str_eq(jql_unit_attr_lookup(nfd, u, "k\xC3\xADnd"), "x");
    ck_assert_int_eq(jql_unit_set_attr(nfd, u, "k\xC3\xADnd", "y"), JQL_OK);
    ck_assert_uint_eq(jql_unit_attr_count(nfd, u), 2); /* kind and kínd, not three */
    ck_assert_str_eq(jql_unit_attr_lookup(nfd, u, "ki\xCC\x81nd"), "y");
    /* the builder: an id added in NFD is found in NFC */
    ck_assert_int_eq(jql_unit_add(nfc, "xa\xCC\x83", "x", "commune", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_find(nfc, "x\xC3\xA3", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(nfc, "x\xC3\xA3", "x", "commune", NULL, NULL), JQL_EEXISTS);
    jql_criteria_free(c);
    jql_criteria_free(cd);
    jql_dataset_free(nfc);
    jql_dataset_free(nfd);
}
END_TEST

/* Past the stack buffer of the quick check (256 code points) too. */
START_TEST(nfc_long_strings)
{
    char nfd[2048] = "", nfc[2048] = "";
    for (int i = 0; i < 300; i++) {
        strcat(nfd, "a\xCC\x80"); /* a + combining grave */
        strcat(nfc, "\xC3\xA0");  /* à */
    }
    bool ok = true;
    ck_assert_int_eq(jql_nfc_check(nfd, &ok), JQL_OK);
    ck_assert(!ok);
    ck_assert_int_eq(jql_nfc_check(nfc, &ok), JQL_OK);
    ck_assert(ok);
    char *n = jql_strdup_nfc(nfd);
    ck_assert_str_eq(n, nfc);
    jql_free(n);
    /* a short one, and a singleton (U+212B ANGSTROM SIGN is never NFC) */
    ck_assert_int_eq(jql_nfc_check("\xE2\x84\xAB", &ok), JQL_OK);
    ck_assert(!ok);
    n = jql_strdup_nfc("\xE2\x84\xAB");
    ck_assert_str_eq(n, "\xC3\x85");
    jql_free(n);
}
END_TEST

START_TEST(shares_written_as_fractions)
{
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_criteria("edge/shares-as-fractions.json", &d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 2);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/criteria/0/method/share");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "\"share\": 25"));
    ck_assert_str_eq(jql_diagnostics_path(d, 1), "/quotas/0/share");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 1), "\"share\": 20"));
    ck_assert_int_eq(jql_diagnostics_severity(d, 1), JQL_SEVERITY_WARNING);
    jql_diagnostics_free(d);
    jql_criteria_free(c);
    /* 1 is still a fraction; 1.5 and 0 are not warned about */
    const char *shares[] = {"1", "1.5", "0"};
    size_t want[] = {1, 0, 0};
    for (int i = 0; i < 3; i++) {
        char text[1024];
        snprintf(text, sizeof text,
                 CR_HEAD "\"criteria\": [{\"id\": \"E\", \"title\": \"E\", \"max\": 10, "
                         "\"measure\": {\"kind\": \"event_count\"}, \"method\": {\"type\": "
                         "\"per_occurrence\", \"share\": %s}}], " TIERS4 "}",
                 shares[i]);
        d = NULL;
        ck_assert_int_eq(jql_criteria_load_buffer(text, strlen(text), "t", &c, &d), JQL_OK);
        ck_assert_uint_eq(count_diag(d, "not a fraction"), want[i]);
        jql_diagnostics_free(d);
        jql_criteria_free(c);
    }
}
END_TEST

START_TEST(wrong_file_kind_in_one_line)
{
    jql_dataset *ds = NULL;
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_dataset_load_path(test_data("edge/nfc/criteria.json"), &ds, &d),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/format");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "this is a criteria set"));
    jql_diagnostics_free(d);
    d = NULL;
    ck_assert_int_eq(jql_criteria_load_path(test_data("edge/nfc/dataset-nfc.json"), &c, &d),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "this is a dataset"));
    jql_diagnostics_free(d);
}
END_TEST

/* The directive index (by addressee unit and by level) matches levels in NFC
   like every other id, and respects an as-of date exactly as a scan of all
   directives would: not issued yet, not due yet or completed later, as of
   then, is not counted so. */
START_TEST(directive_index_nfc_and_as_of)
{
    jql_dataset *ds = jql_dataset_new();
    size_t d1, d2, d3, u;
    ck_assert_int_eq(jql_unit_add(ds, "P", "P", "province", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "tp", "TP", "th\xC3\xA0nh ph\xE1\xBB\x91", "P", &u),
                     JQL_OK); /* "thành phố" in NFC */
    /* d1: addressed by level, the level given in NFD; due 10 March, done 20 March */
    ck_assert_int_eq(jql_directive_add(ds, "d1", day("2014-01-05"), "P", "t", &d1), JQL_OK);
    ck_assert_int_eq(jql_directive_set_due(ds, d1, day("2014-03-10")), JQL_OK);
    ck_assert_int_eq(jql_directive_add_level(ds, d1, "tha\xCC\x80nh pho\xCC\x82\xCC\x81"),
                     JQL_OK);
    ck_assert_int_eq(jql_directive_set_status(ds, d1, JQL_DIRECTIVE_DONE, day("2014-03-20")),
                     JQL_OK);
    /* d2: addressed by unit; issued 15 March, due 25 March */
    ck_assert_int_eq(jql_directive_add(ds, "d2", day("2014-03-15"), "P", "t", &d2), JQL_OK);
    ck_assert_int_eq(jql_directive_set_due(ds, d2, day("2014-03-25")), JQL_OK);
    ck_assert_int_eq(jql_directive_add_unit(ds, d2, "tp"), JQL_OK);
    /* d3: addressed by level (NFC) and by unit at once: counted once */
    ck_assert_int_eq(jql_directive_add(ds, "d3", day("2014-01-05"), "P", "t", &d3), JQL_OK);
    ck_assert_int_eq(jql_directive_set_due(ds, d3, day("2014-02-01")), JQL_OK);
    ck_assert_int_eq(jql_directive_add_level(ds, d3, "th\xC3\xA0nh ph\xE1\xBB\x91"), JQL_OK);
    ck_assert_int_eq(jql_directive_add_unit(ds, d3, "tp"), JQL_OK);
    ck_assert(jql_directive_addresses(ds, d1, u));
    ck_assert(jql_directive_addresses(ds, d3, u));

    jql_range r = {.kind = JQL_PERIOD_CUSTOM, .start = day("2014-01-01"), .end = day("2014-03-31")};
    jql_directive_summary s;
    jql_sizevec ev = {0};
    ck_assert_int_eq(jql_q_directives(ds, u, r, false, &s, &ev), JQL_OK);
    ck_assert_uint_eq(s.due, 3);
    ck_assert_uint_eq(s.completed, 1);
    ck_assert_uint_eq(ev.len, 3);
    jql_sizevec_free(&ev);
    /* as of 12 March: d1 due but not completed yet, d2 not issued yet, d3 due */
    r.has_as_of = true;
    r.as_of = day("2014-03-12");
    ck_assert_int_eq(jql_q_directives(ds, u, r, false, &s, &ev), JQL_OK);
    ck_assert_uint_eq(s.due, 2);
    ck_assert_uint_eq(s.completed, 0);
    ck_assert_uint_eq(ev.len, 2);
    jql_sizevec_free(&ev);
    /* as of 20 March: d1 completed; d2 issued but not due yet */
    r.as_of = day("2014-03-20");
    ck_assert_int_eq(jql_q_directives(ds, u, r, false, &s, &ev), JQL_OK);
    ck_assert_uint_eq(s.due, 2);
    ck_assert_uint_eq(s.completed, 1);
    jql_sizevec_free(&ev);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(results_given_as_criteria_in_one_line)
{
    static const char text[] = "{\"format\": \"justice-quarterly/results 1.0\", \"units\": []}";
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(text, strlen(text), "r.json", &c, &d),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/format");
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "this is scoring results"));
    jql_diagnostics_free(d);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("edge");
    TCase *tc = tcase_create("edge");
    tcase_add_test(tc, overdue_with_no_task_due_is_no_data);
    tcase_add_test(tc, mean_is_exact);
    tcase_add_test(tc, same_dates_statistics_are_invalid);
    tcase_add_test(tc, outermost_recorded_periods_only);
    tcase_add_test(tc, latest_report_is_the_one_ending_last);
    tcase_add_test(tc, never_submitted_costs_deductions_their_maximum);
    tcase_add_test(tc, boolean_without_condition_is_value_above_zero);
    tcase_add_test(tc, appraisal_overrides_missing_not_declared_na);
    tcase_add_test(tc, empty_and_unknown_periods);
    tcase_add_test(tc, warnings_for_leaves_without_data);
    tcase_add_test(tc, nfc_matching);
    tcase_add_test(tc, nfc_long_strings);
    tcase_add_test(tc, shares_written_as_fractions);
    tcase_add_test(tc, wrong_file_kind_in_one_line);
    tcase_add_test(tc, directive_index_nfc_and_as_of);
    tcase_add_test(tc, results_given_as_criteria_in_one_line);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
