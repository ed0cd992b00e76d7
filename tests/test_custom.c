/* Custom leaf methods through the public API (justice_quarterly/custom.h):
   what the context tells, the exact ratio helper against the engine's own
   rule, the result setters (points, value, rule text, evidence), and the
   failures (no points, bad arguments, long messages). */
#include "score_helpers.h"

/* ---- what the context tells ---- */

#define ACC_DS                                                                                   \
    DS_HEAD "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": \"district\"}, "          \
            "{\"id\": \"U2\", \"name\": \"U2\", \"level\": \"district\"}], "                     \
            "\"events\": [{\"unit\": \"U1\", \"date\": \"2014-05-01\", \"kind\": \"x\"}]}"
#define ACC_CR                                                                                   \
    CR_HEAD "\"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": 4, \"children\": ["       \
            "{\"id\": \"A1\", \"title\": \"A1\", \"max\": 1, \"method\": {\"type\": \"manual\"}}, " \
            "{\"id\": \"A2\", \"title\": \"A2\", \"max\": 3, "                                   \
            "\"method\": {\"type\": \"custom\", \"function\": \"probe\"}}]}, "                   \
            "{\"id\": \"B\", \"title\": \"B\", \"max\": 6, "                                     \
            "\"method\": {\"type\": \"custom\", \"function\": \"probe\"}}], " TIERS4 "}"

typedef struct {
    const jql_dataset *ds;
    const jql_criteria *c;
    jql_date as_of;
    int calls;
} probe_want;

static int probe(void *user, jql_custom_ctx *ctx)
{
    probe_want *w = user;
    w->calls++;
    ck_assert_str_eq(jql_custom_function_name(ctx), "probe");
    ck_assert_ptr_eq(jql_custom_dataset(ctx), w->ds);
    ck_assert_ptr_eq(jql_custom_criteria(ctx), w->c);
    size_t n = jql_custom_node_index(ctx);
    ck_assert_uint_lt(n, jql_criteria_node_count(w->c));
    ck_assert_str_eq(jql_custom_node_id(ctx), jql_criteria_node_id(w->c, n));
    ck_assert_int_eq(jql_custom_node_max(ctx), jql_criteria_node_max(w->c, n));
    ck_assert(jql_criteria_node_is_leaf(w->c, n));
    size_t u = jql_custom_unit_index(ctx);
    ck_assert_uint_lt(u, jql_unit_count(w->ds));
    ck_assert_str_eq(jql_custom_unit_id(ctx), jql_unit_id(w->ds, u));
    ck_assert_str_eq(jql_custom_period(ctx), "2014");
    jql_date start, end;
    ck_assert_int_eq(jql_date_parse("2014-01-01", &start), JQL_OK);
    ck_assert_int_eq(jql_date_parse("2014-12-31", &end), JQL_OK);
    ck_assert_int_eq(jql_custom_period_start(ctx), start);
    ck_assert_int_eq(jql_custom_period_end(ctx), end);
    ck_assert_int_eq(jql_custom_as_of(ctx), w->as_of);
    /* points tell which leaf and unit the call was for: max - unit index */
    ck_assert_int_eq(jql_custom_set_points(ctx, jql_custom_node_max(ctx) - (jql_milli)u * 1000),
                     JQL_OK);
    return 0;
}

START_TEST(context_accessors)
{
    jql_dataset *ds = ds_json(ACC_DS);
    jql_criteria *c = cr_json(ACC_CR);
    probe_want w = {ds, c, JQL_NO_DATE, 0};
    ck_assert_int_eq(jql_criteria_custom_register(c, "probe", probe, &w, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    ck_assert_int_eq(w.calls, 4); /* 2 units x 2 custom leaves */
    ck_assert_int_eq(pts(r, "U1", "A2"), 3000);
    ck_assert_int_eq(pts(r, "U2", "A2"), 2000);
    ck_assert_int_eq(pts(r, "U1", "B"), 6000);
    ck_assert_int_eq(pts(r, "U2", "B"), 5000);
    ck_assert_str_eq(jql_results_node_rule(r, unit_k(r, "U2"), node_n(r, "B")),
                     "custom: probe \xE2\x86\x92 5");
    jql_results_free(r);
    /* the as-of date of the options */
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = "2014-06-30";
    ck_assert_int_eq(jql_date_parse(o.as_of, &w.as_of), JQL_OK);
    r = NULL;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_OK);
    ck_assert_int_eq(w.calls, 8);
    jql_results_free(r);
    /* a NULL context never crashes */
    ck_assert_ptr_null(jql_custom_node_id(NULL));
    ck_assert_ptr_null(jql_custom_function_name(NULL));
    ck_assert_ptr_null(jql_custom_unit_id(NULL));
    ck_assert_ptr_null(jql_custom_period(NULL));
    ck_assert_ptr_null(jql_custom_dataset(NULL));
    ck_assert_ptr_null(jql_custom_criteria(NULL));
    ck_assert_uint_eq(jql_custom_node_index(NULL), JQL_NONE);
    ck_assert_uint_eq(jql_custom_unit_index(NULL), JQL_NONE);
    ck_assert_int_eq(jql_custom_node_max(NULL), 0);
    ck_assert_int_eq(jql_custom_period_start(NULL), JQL_NO_DATE);
    ck_assert_int_eq(jql_custom_period_end(NULL), JQL_NO_DATE);
    ck_assert_int_eq(jql_custom_as_of(NULL), JQL_NO_DATE);
    jql_custom_set_error(NULL, "ignored");
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- the exact ratio helper against the engine's linear rule ---- */

/* The same fraction twice per unit: leaf B through the engine (indicator
   ratio, linear to 100%), leaf C through jql_custom_points_from_ratio(). */
static int ratio_points(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    const jql_dataset *ds = jql_custom_dataset(ctx);
    jql_milli ok = 0, cases = 0, points = -1;
    const char *u = jql_custom_unit_id(ctx), *p = jql_custom_period(ctx);
    if (jql_indicator_value(ds, u, "ok", p, 0, &ok) != JQL_OK ||
        jql_indicator_value(ds, u, "cases", p, 0, &cases) != JQL_OK ||
        jql_custom_points_from_ratio(ctx, ok, cases, &points) != JQL_OK) {
        jql_custom_set_error(ctx, jql_last_error());
        return 1;
    }
    return jql_custom_set_points(ctx, points) == JQL_OK ? 0 : 1;
}

/* What a hand-written division does: the share truncated to 0.001%, then
   the points truncated. */
static jql_milli naive_points(jql_milli max, long ok, long cases)
{
    jql_milli pct = (jql_milli)(ok * 100000 / cases);
    return max * pct / 100000;
}

static const long PAIRS[][2] = {
    {655, 736}, /* 88.9945...: the engine gives 88.995, the hand-written 88.994 */
    {2, 3}, {1, 3}, {1, 8}, {3, 8}, {5, 8}, {7, 8}, {1, 7}, {6, 7}, {17, 19}, {45, 50},
    {999, 1000}, {1, 1000}, {1, 2000}, {1999, 2000}, {123457, 987653}, {0, 5}, {5, 5},
    {7, 5}, {654321, 654322}, {1, 200000}, {199999, 200000},
};
#define NPAIRS (sizeof PAIRS / sizeof PAIRS[0])

static char *ratio_dataset(void)
{
    size_t size = 4096 + NPAIRS * 400, len = 0;
    char *s = malloc(size);
    ck_assert_ptr_nonnull(s);
    len += (size_t)snprintf(s + len, size - len,
                            DS_HEAD "\"indicators\": [{\"id\": \"ok\", \"name\": \"ok\"}, "
                                    "{\"id\": \"cases\", \"name\": \"cases\"}], \"units\": [");
    for (size_t i = 0; i < NPAIRS; i++)
        len += (size_t)snprintf(s + len, size - len,
                                "%s{\"id\": \"U%02zu\", \"name\": \"U%02zu\", \"level\": \"district\"}",
                                i ? ", " : "", i, i);
    len += (size_t)snprintf(s + len, size - len, "], \"statistics\": [");
    for (size_t i = 0; i < NPAIRS; i++)
        len += (size_t)snprintf(s + len, size - len,
                                "%s{\"unit\": \"U%02zu\", \"indicator\": \"ok\", \"period\": \"2014\", "
                                "\"value\": %ld}, {\"unit\": \"U%02zu\", \"indicator\": \"cases\", "
                                "\"period\": \"2014\", \"value\": %ld}",
                                i ? ", " : "", i, PAIRS[i][0], i, PAIRS[i][1]);
    snprintf(s + len, size - len, "]}");
    return s;
}

#define RATIO_CR                                                                                 \
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"t\", \"period\": \"2014\", "     \
    "\"scale\": 200, \"units\": {\"levels\": [\"district\"]}, \"criteria\": ["                    \
    "{\"id\": \"B\", \"title\": \"B\", \"max\": 100, \"measure\": {\"kind\": \"indicator_ratio\", " \
    "\"indicator\": \"ok\", \"denominator\": \"cases\"}, "                                       \
    "\"method\": {\"type\": \"linear\", \"target\": 100}}, "                                    \
    "{\"id\": \"C\", \"title\": \"C\", \"max\": 100, "                                           \
    "\"method\": {\"type\": \"custom\", \"function\": \"ratio\"}}], "                            \
    "\"tiers\": [{\"id\": \"top\", \"name\": \"Top\", \"min\": 100}, "                           \
    "{\"id\": \"rest\", \"name\": \"Rest\", \"min\": 0}]}"

START_TEST(ratio_helper_matches_engine)
{
    char *text = ratio_dataset();
    jql_dataset *ds = ds_json(text);
    free(text);
    jql_criteria *c = cr_json(RATIO_CR);
    ck_assert_int_eq(jql_criteria_custom_register(c, "ratio", ratio_points, NULL, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    for (size_t i = 0; i < NPAIRS; i++) {
        char id[8];
        snprintf(id, sizeof id, "U%02zu", i);
        jql_milli engine = pts(r, id, "B"), helper = pts(r, id, "C");
        ck_assert_msg(engine == helper, "%ld/%ld: engine %lld, helper %lld", PAIRS[i][0],
                      PAIRS[i][1], (long long)engine, (long long)helper);
    }
    /* the case of the issue, figure by figure */
    ck_assert_int_eq(pts(r, "U00", "B"), 88995);
    ck_assert_int_eq(pts(r, "U00", "C"), 88995);
    ck_assert_int_eq(naive_points(100000, 655, 736), 88994);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* Edge values of the helper, read inside a callback (it needs a context). */
static int helper_edges(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    jql_milli p = 123;
    ck_assert_int_eq(jql_custom_node_max(ctx), 10000);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 0, 7, &p), JQL_OK);
    ck_assert_int_eq(p, 0);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, -3, 7, &p), JQL_OK);
    ck_assert_int_eq(p, 0);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 7, 7, &p), JQL_OK);
    ck_assert_int_eq(p, 10000);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 9, 7, &p), JQL_OK);
    ck_assert_int_eq(p, 10000);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 1, 3, &p), JQL_OK);
    ck_assert_int_eq(p, 3333);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 1, 6, &p), JQL_OK);
    ck_assert_int_eq(p, 1667);
    /* large operands: the product is exact */
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, JQL_MILLI_MAX - 1, JQL_MILLI_MAX, &p),
                     JQL_OK);
    ck_assert_int_eq(p, 10000);
    p = 77;
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 1, 0, &p), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 1, -2, &p), JQL_EINVALID);
    ck_assert_int_eq(p, 77);
    ck_assert_int_eq(jql_custom_points_from_ratio(ctx, 1, 2, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_points_from_ratio(NULL, 1, 2, &p), JQL_EINVALID);
    ck_assert_int_eq(p, 77);
    return jql_custom_set_points(ctx, 0) == JQL_OK ? 0 : 1;
}

static const char *one_leaf_cr =
    CR_HEAD "\"criteria\": [{\"id\": \"C\", \"title\": \"Custom\", \"max\": 10, "
            "\"method\": {\"type\": \"custom\", \"function\": \"f\"}}], " TIERS4 "}";
static const char *one_leaf_ds =
    DS_HEAD "\"indicators\": [{\"id\": \"m\", \"name\": \"m\"}], "
            "\"units\": [{\"id\": \"U1\", \"name\": \"U1\", \"level\": \"district\"}], "
            "\"statistics\": [{\"unit\": \"U1\", \"indicator\": \"m\", \"period\": \"2014-Q1\", "
            "\"value\": 3}, {\"unit\": \"U1\", \"indicator\": \"m\", \"period\": \"2014-Q2\", "
            "\"value\": 4}], "
            "\"assessments\": [{\"unit\": \"U1\", \"period\": \"2014\", \"criterion\": \"C\", "
            "\"self\": 9}]}";

START_TEST(ratio_helper_edges)
{
    jql_dataset *ds = ds_json(one_leaf_ds);
    jql_criteria *c = cr_json(one_leaf_cr);
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", helper_edges, NULL, NULL), JQL_OK);
    jql_results_free(score_ok(ds, c, NULL));
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- the result setters ---- */

static int full_result(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    const jql_dataset *ds = jql_custom_dataset(ctx);
    /* cite both statistics, the second twice (kept once), in reverse order */
    for (size_t i = jql_stat_count(ds); i-- > 0;)
        ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, i), JQL_OK);
    ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, 1), JQL_OK);
    ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, 2), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_TASK, 0), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_KIND_COUNT, 0), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_add_evidence(ctx, (jql_evidence_kind)-1, 0), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_add_evidence(NULL, JQL_EVIDENCE_STATISTIC, 0), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_value(ctx, 7000), JQL_OK);
    ck_assert_int_eq(jql_custom_set_value(ctx, JQL_NO_SCORE), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_value(NULL, 1), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_rule(ctx, "first"), JQL_OK);
    ck_assert_int_eq(jql_custom_set_rule(ctx, "7 cases \xC3\x97 1"), JQL_OK); /* the last counts */
    ck_assert_int_eq(jql_custom_set_rule(ctx, "a\nb"), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_rule(ctx, "\xC3"), JQL_EINVALID); /* cut UTF-8 */
    ck_assert_int_eq(jql_custom_set_rule(ctx, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_rule(NULL, "x"), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_points(ctx, 1), JQL_OK);
    ck_assert_int_eq(jql_custom_set_points(ctx, 12500), JQL_OK); /* the last counts */
    ck_assert_int_eq(jql_custom_set_points(ctx, JQL_NO_SCORE), JQL_EINVALID);
    ck_assert_int_eq(jql_custom_set_points(NULL, 1), JQL_EINVALID);
    return 0;
}

START_TEST(result_setters)
{
    jql_dataset *ds = ds_json(one_leaf_ds);
    jql_criteria *c = cr_json(one_leaf_cr);
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", full_result, NULL, NULL), JQL_OK);
    jql_results *r = score_ok(ds, c, NULL);
    size_t k = unit_k(r, "U1"), n = node_n(r, "C");
    ck_assert_int_eq(jql_results_node_points(r, k, n), 10000);
    ck_assert_int_eq(jql_results_node_source(r, k, n), JQL_SOURCE_CUSTOM);
    jql_milli v = 0;
    ck_assert(jql_results_node_value(r, k, n, &v));
    ck_assert_int_eq(v, 7000);
    ck_assert_str_eq(jql_results_node_rule(r, k, n),
                     "custom: f: 7 cases \xC3\x97 1 12.5 clamped \xE2\x86\x92 10");
    /* the statistics as cited, then the self-assessment behind the self score */
    ck_assert_uint_eq(jql_results_node_evidence_count(r, k, n), 3);
    size_t e0 = jql_results_node_evidence(r, k, n, 0), e1 = jql_results_node_evidence(r, k, n, 1);
    size_t e2 = jql_results_node_evidence(r, k, n, 2);
    ck_assert_int_eq(jql_results_evidence_kind(r, e0), JQL_EVIDENCE_STATISTIC);
    ck_assert_uint_eq(jql_results_evidence_index(r, e0), 1);
    ck_assert_str_eq(jql_results_evidence_text(r, e0, JQL_EVIDENCE_FIELD_PERIOD), "2014-Q2");
    jql_milli ev = 0;
    ck_assert(jql_results_evidence_value(r, e0, &ev));
    ck_assert_int_eq(ev, 4000);
    ck_assert_uint_eq(jql_results_evidence_index(r, e1), 0);
    ck_assert_int_eq(jql_results_evidence_kind(r, e2), JQL_EVIDENCE_ASSESSMENT);
    /* and the document says the same */
    char *js = results_json(r);
    ck_assert_ptr_nonnull(strstr(js, "\"value\": 7.000"));
    ck_assert_ptr_nonnull(strstr(js, "custom: f: 7 cases"));
    jql_free(js);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- failures ---- */

static int no_points(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    ck_assert_int_eq(jql_custom_add_evidence(ctx, JQL_EVIDENCE_STATISTIC, 0), JQL_OK);
    ck_assert_int_eq(jql_custom_set_rule(ctx, "dropped"), JQL_OK);
    return 0;
}

static int long_message(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    /* 300 two-byte characters: cut at 511 bytes would split one */
    char msg[601];
    for (int i = 0; i < 300; i++)
        memcpy(msg + 2 * i, "\xC3\xA9", 2);
    msg[600] = '\0';
    jql_custom_set_error(ctx, msg);
    ck_assert_int_eq(jql_custom_set_rule(ctx, "dropped"), JQL_OK);
    return -1;
}

static int cleared_message(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    jql_custom_set_error(ctx, "something");
    jql_custom_set_error(ctx, NULL);
    return 2;
}

START_TEST(failures)
{
    jql_dataset *ds = ds_json(one_leaf_ds);
    jql_criteria *c = cr_json(one_leaf_cr);
    jql_results *r = (jql_results *)1;
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", no_points, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ECALLBACK);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(jql_last_error(), "custom function f failed for unit U1, node C: returned 0 "
                                       "without jql_custom_set_points()");
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", long_message, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ECALLBACK);
    const char *e = strstr(jql_last_error(), "node C: ");
    ck_assert_ptr_nonnull(e);
    e += strlen("node C: ");
    /* jql_last_error() keeps 511 bytes, the message whole characters only */
    ck_assert_uint_eq(strlen(jql_last_error()), 510);
    ck_assert_uint_eq(strlen(e) % 2, 0);
    ck_assert_mem_eq(e + strlen(e) - 2, "\xC3\xA9", 2);
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cleared_message, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ECALLBACK);
    ck_assert_str_eq(jql_last_error(), "custom function f failed for unit U1, node C: no message");
    /* registration */
    ck_assert_int_eq(jql_criteria_custom_register(NULL, "f", no_points, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_custom_register(c, NULL, no_points, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", NULL, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_custom_register(c, "", no_points, NULL, NULL), JQL_EINVALID);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("custom");
    TCase *tc = tcase_create("custom");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, context_accessors);
    tcase_add_test(tc, ratio_helper_matches_engine);
    tcase_add_test(tc, ratio_helper_edges);
    tcase_add_test(tc, result_setters);
    tcase_add_test(tc, failures);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
