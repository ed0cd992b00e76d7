/* Scoring without evidence (JQL_SCORE_NO_EVIDENCE): everything but the
   evidence is what a scoring with evidence gives (compared as the results
   JSON at evidence level none, byte for byte), no node or item cites a
   record, and what needs evidence refuses such results. */
#include "score_helpers.h"

static jql_results *score_flags(const jql_dataset *ds, const jql_criteria *c, unsigned flags)
{
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = flags;
    jql_results *r = NULL;
    int rc = jql_score_with(ds, c, NULL, &o, &r);
    ck_assert_msg(rc == JQL_OK, "jql_score_with: %s", jql_last_error());
    return r;
}

static char *json_none(const jql_results *r)
{
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(jql_results_to_json_level(r, JQL_EVIDENCE_NONE, &s, &n), JQL_OK);
    return s;
}

static size_t evidence_total(const jql_results *r)
{
    size_t total = 0;
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        for (size_t n = 0; n < jql_results_node_count(r); n++)
            total += jql_results_node_evidence_count(r, k, n);
        for (size_t i = 0; i < jql_results_item_count(r); i++)
            total += jql_results_item_evidence_count(r, k, i);
    }
    return total;
}

/* Score both ways and compare; returns the evidence the kept scoring cites. */
static size_t check_same(const jql_dataset *ds, const jql_criteria *c, const char *what)
{
    jql_results *with = score_flags(ds, c, 0);
    jql_results *without = score_flags(ds, c, JQL_SCORE_NO_EVIDENCE);
    char *a = json_none(with), *b = json_none(without);
    ck_assert_msg(strcmp(a, b) == 0, "%s: scored without evidence, the results differ", what);
    ck_assert_uint_eq(evidence_total(without), 0);
    size_t cited = evidence_total(with);

    /* what shows evidence refuses results without it, with a reason */
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(jql_results_to_json_level(without, JQL_EVIDENCE_FULL, &s, &n), JQL_EINVALID);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "without evidence"));
    ck_assert_int_eq(jql_results_to_json_level(without, JQL_EVIDENCE_IDS, &s, &n), JQL_EINVALID);
    ck_assert_int_eq(jql_results_to_json(without, &s, &n), JQL_EINVALID);
    ck_assert_int_eq(jql_improvement_plans_json(without, c, &s, &n), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "evidence"));
    ck_assert_int_eq(jql_improvement_plans_json(with, c, &s, &n), JQL_OK);
    jql_free(s);
    jql_free(a);
    jql_free(b);
    jql_results_free(with);
    jql_results_free(without);
    return cited;
}

START_TEST(fixtures_score_the_same)
{
    static const char *const pairs[][2] = {
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
    };
    size_t cited = 0;
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        jql_dataset *ds = test_load_dataset(test_data(pairs[i][0]));
        jql_criteria *c = NULL;
        ck_assert_int_eq(jql_criteria_load_path(test_data(pairs[i][1]), &c, NULL), JQL_OK);
        cited += check_same(ds, c, pairs[i][1]);
        jql_criteria_free(c);
        jql_dataset_free(ds);
    }
    jql_dataset *ds = test_load_dataset(example_data("long-an-2014/dataset.json"));
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(example_data("long-an-2014/criteria-2014.json"), &c,
                                            NULL),
                     JQL_OK);
    cited += check_same(ds, c, "long-an-2014");
    jql_criteria_free(c);
    jql_dataset_free(ds);
    ck_assert_uint_gt(cited, 100); /* the comparison had evidence to leave out */
}
END_TEST

/* ---- a deep chain whose records are in random order ---- */

static unsigned long long lcg(unsigned long long *s)
{
    *s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
    return *s >> 33;
}

static void shuffle(size_t *v, size_t n, unsigned long long *seed)
{
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(lcg(seed) % i), t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* A province over a chain of n communes (c0 the top, c<k+1> under c<k>),
   each commune with a statistic, a report, a task, a directive, an event
   and, for some, assessments; each record kind listed in a random order of
   the communes, and two directives to the level "commune". */
static char *chain_dataset(size_t n, unsigned long long seed)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    size_t *order = malloc(n * sizeof *order);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(order);
    fputs(DS_HEAD "\"units\": [{\"id\": \"p\", \"name\": \"P\", \"level\": \"province\"}", f);
    for (size_t k = 0; k < n; k++) {
        fprintf(f, ", {\"id\": \"c%zu\", \"name\": \"C%zu\", \"level\": \"commune\", ", k, k);
        if (k)
            fprintf(f, "\"parent\": \"c%zu\"}", k - 1);
        else
            fputs("\"parent\": \"p\"}", f);
    }
    fputs("], \"indicators\": [{\"id\": \"i\", \"name\": \"I\"}]", f);
    const char *kinds[] = {"statistics", "reports", "tasks", "directives", "events", "assessments"};
    for (size_t kind = 0; kind < 6; kind++) {
        for (size_t k = 0; k < n; k++)
            order[k] = k;
        shuffle(order, n, &seed);
        fprintf(f, ", \"%s\": [", kinds[kind]);
        const char *sep = "";
        if (kind == 3) {
            fputs("{\"id\": \"lv0\", \"issued\": \"2014-01-02\", \"issuer\": \"p\", \"addressees\": "
                  "{\"levels\": [\"commune\"]}, \"text\": \"t\", \"due\": \"2014-05-01\", "
                  "\"status\": \"open\"}",
                  f);
            sep = ", ";
        }
        for (size_t j = 0; j < n; j++) {
            size_t k = order[j];
            fputs(sep, f);
            sep = ", ";
            switch (kind) {
            case 0:
                fprintf(f, "{\"unit\": \"c%zu\", \"indicator\": \"i\", \"period\": \"2014-Q1\", "
                           "\"value\": %zu}",
                        k, k % 7);
                break;
            case 1:
                fprintf(f, "{\"unit\": \"c%zu\", \"period\": \"2014-Q1\", \"kind\": \"statistics\", "
                           "\"due\": \"2014-04-10\"%s, \"complete\": %s}",
                        k, k % 5 == 4 ? ", \"submitted\": null" : k % 2 ? ", \"submitted\": \"2014-04-15\""
                                                   : ", \"submitted\": \"2014-04-01\"",
                        k % 3 ? "true" : "false");
                break;
            case 2:
                fprintf(f, "{\"id\": \"t%zu\", \"title\": \"T\", \"field\": \"%s\", \"units\": "
                           "[\"c%zu\"], \"due\": \"2014-06-10\", \"status\": \"%s\"%s}",
                        k, k % 2 ? "a" : "b", k, k % 3 ? "done" : "pending",
                        k % 3 ? ", \"completed\": \"2014-06-20\"" : "");
                break;
            case 3:
                fprintf(f, "{\"id\": \"d%zu\", \"issued\": \"2014-01-05\", \"issuer\": \"p\", "
                           "\"addressees\": {\"units\": [\"c%zu\"]}, \"text\": \"t\", "
                           "\"due\": \"2014-05-01\", \"status\": \"%s\"%s}",
                        k, k, k % 4 ? "done" : "open", k % 4 ? ", \"completed\": \"2014-04-01\"" : "");
                break;
            case 4:
                fprintf(f, "{\"unit\": \"c%zu\", \"date\": \"2014-02-0%zu\", \"kind\": \"%s\", "
                           "\"points\": %zu}",
                        k, 1 + k % 9, k % 3 ? "initiative" : "complaint", 1 + k % 2);
                break;
            default:
                if (k % 5 == 0)
                    fprintf(f, "{\"unit\": \"c%zu\", \"period\": \"2014\", \"criterion\": \"m\", "
                               "\"self\": 1.5, \"appraised\": 1}, ",
                            k);
                fprintf(f, "{\"unit\": \"c%zu\", \"period\": \"2014\", \"criterion\": \"%s\"%s}", k,
                        k % 7 == 3 ? "dir" : "stat",
                        k % 7 == 3 ? ", \"not_applicable\": true" : ", \"self\": 2, \"appraised\": 1.5");
            }
        }
        fputc(']', f);
    }
    fputs("}", f);
    fclose(f);
    free(order);
    return buf;
}

/* A roll-up leaf of every record kind, an override, a manual leaf, the
   events bonus and deduction (whose rules count the events). */
static const char chain_criteria[] =
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"t\", \"period\": \"2014\", "
    "\"scale\": 100, \"units\": {\"levels\": [\"commune\"]}, \"criteria\": ["
    "{\"id\": \"stat\", \"title\": \"s\", \"max\": 10, \"measure\": {\"kind\": \"indicator_value\", "
    "\"indicator\": \"i\", \"rollup\": true}, \"method\": {\"type\": \"linear\", \"target\": 300}},"
    "{\"id\": \"rep\", \"title\": \"r\", \"max\": 10, \"measure\": {\"kind\": \"report_share_on_time\", "
    "\"report_kind\": \"statistics\", \"rollup\": true}, \"method\": {\"type\": \"linear\", \"target\": 100}},"
    "{\"id\": \"late\", \"title\": \"l\", \"max\": 10, \"measure\": {\"kind\": \"report_days_late_worst\", "
    "\"rollup\": true}, \"method\": {\"type\": \"bands\", \"bands\": [{\"at_most\": 0, \"points\": 10}, "
    "{\"points\": 2}]}},"
    "{\"id\": \"task\", \"title\": \"t\", \"max\": 10, \"measure\": {\"kind\": \"task_share_completed\", "
    "\"field\": \"a\", \"rollup\": true}, \"method\": {\"type\": \"linear\", \"target\": 100}},"
    "{\"id\": \"dir\", \"title\": \"d\", \"max\": 10, \"measure\": {\"kind\": "
    "\"directive_share_completed\", \"rollup\": true}, \"method\": {\"type\": \"linear\", \"target\": 100}},"
    "{\"id\": \"ev\", \"title\": \"e\", \"max\": 10, \"measure\": {\"kind\": \"event_points\", "
    "\"event_kind\": \"initiative\", \"rollup\": true}, \"method\": {\"type\": \"linear\", "
    "\"target\": 500}},"
    "{\"id\": \"own\", \"title\": \"o\", \"max\": 10, \"measure\": {\"kind\": \"event_count\", "
    "\"event_kind\": \"complaint\"}, \"method\": {\"type\": \"per_occurrence\", \"amount\": 1}},"
    "{\"id\": \"m\", \"title\": \"m\", \"max\": 2, \"method\": {\"type\": \"manual\"}}],"
    "\"bonus\": {\"cap\": 3, \"items\": [{\"id\": \"b\", \"title\": \"b\", \"max\": 2, \"source\": "
    "\"events\", \"event_kind\": \"initiative\"}]},"
    "\"deductions\": [{\"id\": \"x\", \"title\": \"x\", \"max\": 2, \"source\": \"events\", "
    "\"event_kind\": \"complaint\"}],"
    "\"tiers\": [{\"id\": \"a\", \"name\": \"A\", \"min\": 60}, {\"id\": \"z\", \"name\": \"Z\", "
    "\"min\": 0}]}";

START_TEST(shuffled_chain_scores_the_same)
{
    for (unsigned long long seed = 1; seed <= 3; seed++) {
        char *text = chain_dataset(150, seed);
        jql_dataset *ds = ds_json(text);
        jql_criteria *c = cr_json(chain_criteria);
        ck_assert_uint_gt(check_same(ds, c, "chain"), 150 * 150 / 2); /* subtrees cited */
        jql_criteria_free(c);
        jql_dataset_free(ds);
        free(text);
    }
}
END_TEST

/* A custom function's cited records: checked, then kept or not. */
static int cite_first(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    if (jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, 0) != JQL_OK ||
        jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, 1u << 30) != JQL_EINVALID)
        return 1;
    return jql_custom_set_points(ctx, 1000) == JQL_OK ? 0 : 1;
}

START_TEST(custom_evidence_checked_not_kept)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/bands/dataset.json"));
    jql_criteria *c = cr_json(CR_HEAD "\"criteria\": [{\"id\": \"f\", \"title\": \"f\", \"max\": 10, "
                                      "\"method\": {\"type\": \"custom\", \"function\": \"cite\"}}], "
                                      TIERS4 "}");
    ck_assert_int_eq(jql_criteria_custom_register(c, "cite", cite_first, NULL, NULL), JQL_OK);
    jql_results *with = score_flags(ds, c, 0), *without = score_flags(ds, c, JQL_SCORE_NO_EVIDENCE);
    ck_assert_uint_gt(jql_results_unit_count(with), 0);
    for (size_t k = 0; k < jql_results_unit_count(with); k++) {
        ck_assert_uint_eq(jql_results_node_evidence_count(with, k, 0), 1);
        ck_assert_uint_eq(jql_results_node_evidence_count(without, k, 0), 0);
    }
    jql_results_free(with);
    jql_results_free(without);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(unknown_flags_still_refused)
{
    jql_dataset *ds = test_load_dataset(test_data("scoring/bands/dataset.json"));
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_path(test_data("scoring/bands/criteria.json"), &c, NULL),
                     JQL_OK);
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    /* the lowest bit no flag uses (0x4 is JQL_SCORE_CUSTOM_ANY_THREAD) */
    o.flags = JQL_SCORE_NO_EVIDENCE | 0x8u;
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("no_evidence");
    TCase *tc = tcase_create("no_evidence");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, fixtures_score_the_same);
    tcase_add_test(tc, shuffled_chain_scores_the_same);
    tcase_add_test(tc, custom_evidence_checked_not_kept);
    tcase_add_test(tc, unknown_flags_still_refused);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
