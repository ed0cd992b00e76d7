/* Hostile criteria sets (issue 10, criteria side), through the public API:
   the limits of one scoring (JQL_MAX_SCORE_RESULTS, _VETOES, _VETO_TEXT)
   refuse before allocating, naming the counts, and only beyond them; a
   results document citing more than JQL_MAX_RESULTS_EVIDENCE records is
   refused before a byte is written; long
   units.levels and not_applicable_if lists (hash sets) select and exclude
   exactly what short lists do. tests/cli/test_scale_criteria.sh runs the
   same shapes through the command-line programs. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* n district units u0.. under a root, u<i> of kind k<i % 4>, one event
   of kind e0 each. */
static jql_dataset *units_dataset(size_t n)
{
    test_sbuf b = {0};
    test_sbuf_printf(&b, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": ["
                         "{\"id\": \"root\", \"name\": \"r\", \"level\": \"province\"}");
    for (size_t i = 0; i < n; i++)
        test_sbuf_printf(
            &b,
            ", {\"id\": \"u%zu\", \"name\": \"x\", \"level\": \"district\", \"parent\": \"root\", "
            "\"attributes\": {\"kind\": \"k%zu\"}}",
            i, i % 4);
    test_sbuf_printf(&b, "], \"events\": [");
    for (size_t i = 0; i < n; i++)
        test_sbuf_printf(&b, "%s{\"unit\": \"u%zu\", \"date\": \"2014-02-01\", \"kind\": \"e0\"}",
                         i ? ", " : "", i);
    test_sbuf_printf(&b, "]}");
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(b.s, b.len, "units.json", &ds, NULL), JQL_OK);
    free(b.s);
    return ds;
}

/* A sheet of one section of `leaves` event-count leaves, then `extra`
   (JSON members after "criteria", may be ""). */
static jql_criteria *sheet(size_t leaves, const char *units, const char *extra)
{
    test_sbuf b = {0};
    test_sbuf_printf(
        &b,
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", \"period\": \"2014\", "
        "\"units\": %s, \"tiers\": [{\"id\": \"a\", \"name\": \"A\", \"min\": 50}, "
        "{\"id\": \"b\", \"name\": \"B\", \"min\": 0}], "
        "\"criteria\": [{\"id\": \"s\", \"title\": \"s\", \"max\": 100, \"children\": [",
        units);
    for (size_t i = 0; i < leaves; i++)
        test_sbuf_printf(
            &b,
            "%s{\"id\": \"l%zu\", \"title\": \"t\", \"max\": 1, \"measure\": {\"kind\": "
            "\"event_count\"}, \"method\": {\"type\": \"boolean\"}}",
            i ? ", " : "", i);
    test_sbuf_printf(&b, "]}]%s}", extra);
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(b.s, b.len, "sheet.json", &c, NULL), JQL_OK);
    free(b.s);
    return c;
}

static const char *district = "{\"levels\": [\"district\"]}";

/* Score and expect JQL_ELIMIT with every fragment in the message. */
static void expect_limit(const jql_dataset *ds, const jql_criteria *c, const char *a, const char *b)
{
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(jql_last_error(), a) && strstr(jql_last_error(), b), "%s",
                  jql_last_error());
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "docs/CRITERIA.md"));
}

static void expect_scored(const jql_dataset *ds, const jql_criteria *c, size_t units)
{
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), units);
    jql_results_free(r);
}

START_TEST(results_limit)
{
    /* 1,000 units x (1 section + 4,999 leaves) is the limit exactly; one
       leaf more, or one tie-breaker, or one bonus item, is beyond it. */
    ck_assert_uint_eq(JQL_MAX_SCORE_RESULTS, 5000000u);
    jql_dataset *ds = units_dataset(1000);
    jql_criteria *c = sheet(5000, district, "");
    expect_limit(ds, c, "1000 scored units x 5001 criteria", "limit of 5000000 results");
    jql_criteria_free(c);
    c = sheet(4998, district,
              ", \"tie_breakers\": [{\"by\": \"deductions\"}, {\"by\": \"deductions\"}]");
    expect_limit(ds, c, "1000 scored units x 5001 ", "tie-breakers");
    jql_criteria_free(c);
    c = sheet(4998, district,
              ", \"bonus\": {\"items\": [{\"id\": \"b\", \"title\": \"b\", \"max\": 1, "
              "\"source\": \"manual\"}]}, \"deductions\": [{\"id\": \"d\", \"title\": "
              "\"d\", \"max\": 1, \"source\": \"manual\"}]");
    expect_limit(ds, c, "1000 scored units x 5001 ", "bonus and deduction items");
    jql_criteria_free(c);
    /* only the scored units count: the same sheet on 999 of them scores */
    test_sbuf ids = {0};
    test_sbuf_printf(&ids, "{\"ids\": [");
    for (size_t i = 0; i < 999; i++)
        test_sbuf_printf(&ids, "%s\"u%zu\"", i ? ", " : "", i);
    test_sbuf_printf(&ids, "]}");
    c = sheet(5000, ids.s, "");
    expect_scored(ds, c, 999);
    jql_criteria_free(c);
    free(ids.s);
    c = sheet(4999, district, "");
    expect_scored(ds, c, 1000);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* n vetoes on event kind `kind`, each reason `reason_len` bytes of "r". */
static char *vetoes(size_t n, const char *kind, size_t reason_len)
{
    test_sbuf b = {0};
    char *reason = malloc(reason_len + 1);
    ck_assert_ptr_nonnull(reason);
    memset(reason, 'r', reason_len);
    reason[reason_len] = '\0';
    test_sbuf_printf(&b, ", \"vetoes\": [");
    for (size_t i = 0; i < n; i++)
        test_sbuf_printf(
            &b, "%s{\"id\": \"v%zu\", \"reason\": \"%s\", \"event_kind\": \"%s\", \"cap\": \"b\"}",
            i ? ", " : "", i, reason, kind);
    test_sbuf_printf(&b, "]");
    free(reason);
    return b.s;
}

START_TEST(veto_limits)
{
    ck_assert_uint_eq(JQL_MAX_SCORE_VETOES, 20000000u);
    jql_dataset *ds = units_dataset(1000);
    /* 1,000 units x 20,001 vetoes: beyond; 20,000: the limit, scored */
    char *v = vetoes(20001, "none", 1);
    jql_criteria *c = sheet(1, district, v);
    expect_limit(ds, c, "/vetoes: 1000 scored units x 20001 vetoes", "limit of 20000000");
    jql_criteria_free(c);
    free(v);
    v = vetoes(20000, "none", 1);
    c = sheet(1, district, v);
    expect_scored(ds, c, 1000);
    jql_criteria_free(c);
    free(v);
    /* reasons: 5 x 60,000 bytes x 1,000 units = 3 * 10^8 > 256 MiB; 4 fit,
       and every one of them fires on every unit (each has an e0 event) */
    v = vetoes(5, "e0", 60000);
    c = sheet(1, district, v);
    expect_limit(ds, c, "1000 scored units x 300000 bytes of veto reasons", "268435456");
    jql_criteria_free(c);
    free(v);
    v = vetoes(4, "e0", 60000);
    c = sheet(1, district, v);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        ck_assert_uint_eq(jql_results_unit_veto_count(r, k), 4);
    jql_results_free(r);
    jql_criteria_free(c);
    free(v);
    jql_dataset_free(ds);
}
END_TEST

/* The limits are defaults: options of version 2 raise or lower them for one
   scoring; version 1 options (made before they existed) keep them. */
START_TEST(limits_from_options)
{
    jql_dataset *ds = units_dataset(1000);
    jql_criteria *c = sheet(5000, district, "");
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    jql_results *r = NULL;
    o.max_results = 5001000; /* 1,000 x 5,001 exactly */
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), 1000);
    jql_results_free(r);
    r = NULL;
    o.max_results = 5000999;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "limit of 5000999 results"));
    jql_score_options v1 = {1, 0, NULL, 99999999, 0, 0, 0, 0, NULL}; /* version 1 knows no limits */
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &v1, &r), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "limit of 5000000 results"));
    jql_criteria_free(c);
    /* lowered: 1,000 x 2 results, 1,000 x 3 veto checks, 1,000 x 3 bytes of reasons */
    char *v = vetoes(3, "e0", 1);
    c = sheet(1, district, v);
    free(v);
    jql_score_options low = JQL_SCORE_OPTIONS_INIT;
    low.max_results = 1999;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &low, &r), JQL_ELIMIT);
    low.max_results = 2000;
    low.max_veto_checks = 2999;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &low, &r), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "limit of 2999 veto checks"));
    low.max_veto_checks = 3000;
    low.max_veto_text = 2999;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &low, &r), JQL_ELIMIT);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "limit of 2999 bytes"));
    low.max_veto_text = 3000;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &low, &r), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The results document of `c` on ds. */
static char *scored_json(const jql_dataset *ds, const jql_criteria *c)
{
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    char *json = NULL;
    size_t len = 0;
    ck_assert_int_eq(jql_results_to_json(r, &json, &len), JQL_OK);
    jql_results_free(r);
    return json;
}

/* A two-leaf sheet: leaf "a" not applicable by `na_a`, leaf "z" by `na_z`. */
static jql_criteria *na_sheet(const char *units, const char *na_a, const char *na_z)
{
    test_sbuf b = {0};
    test_sbuf_printf(
        &b,
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", \"period\": \"2014\", "
        "\"units\": %s, \"tiers\": [{\"id\": \"a\", \"name\": \"A\", \"min\": 0}], "
        "\"criteria\": [{\"id\": \"a\", \"title\": \"t\", \"max\": 50, \"measure\": {\"kind\": "
        "\"event_count\"}, \"method\": {\"type\": \"boolean\"}, \"not_applicable_if\": %s}, "
        "{\"id\": \"z\", \"title\": \"t\", \"max\": 50, \"method\": {\"type\": \"manual\"}, "
        "\"not_applicable_if\": %s}]}",
        units, na_a, na_z);
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(b.s, b.len, "na.json", &c, NULL), JQL_OK);
    free(b.s);
    return c;
}

/* A JSON list of n padding strings "<prefix><i>", with `also` inserted at
   position at (NULL: none). */
static char *long_list(size_t n, const char *prefix, const char *also, size_t at)
{
    test_sbuf b = {0};
    test_sbuf_printf(&b, "[");
    for (size_t i = 0; i <= n; i++) {
        if (i == at && also)
            test_sbuf_printf(&b, "%s\"%s\"", b.len > 1 ? ", " : "", also);
        if (i < n)
            test_sbuf_printf(&b, "%s\"%s%zu\"", b.len > 1 ? ", " : "", prefix, i);
    }
    test_sbuf_printf(&b, "]");
    return b.s;
}

START_TEST(long_lists_as_short)
{
    /* The same exclusions written with 20,000-entry lists (hash sets) and
       with one-entry lists (searched in order) give the same document. */
    jql_dataset *ds = units_dataset(40);
    char *levels = long_list(20000, "L", "district", 12345);
    char *kinds = long_list(20000, "k1x", "k1", 19999);
    char *kinds_end = long_list(20000, "k", NULL, 0); /* k0.. k19999: every unit's kind */
    char *few = long_list(9, "p", NULL, 0); /* 9: just over JQL_NA_LINEAR */
    test_sbuf units = {0}, na_a = {0}, na_z = {0};
    test_sbuf_printf(&units, "{\"levels\": %s}", levels);
    test_sbuf_printf(&na_a, "{\"attribute\": \"kind\", \"in\": %s}", kinds);
    test_sbuf_printf(&na_z, "{\"levels\": %s, \"attribute\": \"none\", \"in\": %s}", few,
                     kinds_end);
    jql_criteria *big = na_sheet(units.s, na_a.s, na_z.s);
    jql_criteria *small =
        na_sheet(district, "{\"attribute\": \"kind\", \"in\": [\"k1\"]}",
                 "{\"levels\": [\"p0\"], \"attribute\": \"none\", \"in\": [\"k0\"]}");
    char *a = scored_json(ds, big), *b = scored_json(ds, small);
    ck_assert_str_eq(a, b);
    /* and it says what was asked: "a" out for the units of kind k1 only */
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, big, NULL, &r), JQL_OK);
    ck_assert_uint_eq(jql_results_unit_count(r), 40);
    size_t out = 0;
    for (size_t k = 0; k < 40; k++) {
        int i = atoi(jql_results_unit_id(r, k) + 1);
        ck_assert_int_eq(jql_results_node_applicable(r, k, 0), i % 4 != 1);
        ck_assert(jql_results_node_applicable(r, k, 1));
        out += !jql_results_node_applicable(r, k, 0);
    }
    ck_assert_uint_eq(out, 10);
    jql_results_free(r);
    jql_free(a);
    jql_free(b);
    jql_criteria_free(big);
    jql_criteria_free(small);
    free(levels);
    free(kinds);
    free(kinds_end);
    free(few);
    free(units.s);
    free(na_a.s);
    free(na_z.s);
    jql_dataset_free(ds);
}
END_TEST

/* A sink that counts what it is given. */
static int count_bytes(void *user, const char *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return 0;
}

START_TEST(evidence_limit)
{
    /* A chain of 2,000 units, one event each, and 26 roll-up leaves
       counting them: unit k cites the 2,000 - k events of its subtree per
       leaf, 26 x 2,001,000 = 52,026,000 records, over
       JQL_MAX_RESULTS_EVIDENCE (the results hold each list once). */
    ck_assert_uint_eq(JQL_MAX_RESULTS_EVIDENCE, 50000000u);
    test_sbuf b = {0};
    test_sbuf_printf(&b, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [");
    for (size_t i = 0; i < 2000; i++) {
        test_sbuf_printf(&b, "%s{\"id\": \"u%zu\", \"name\": \"x\", \"level\": \"district\"",
                         i ? ", " : "", i);
        if (i)
            test_sbuf_printf(&b, ", \"parent\": \"u%zu\"", i - 1);
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b, "], \"events\": [");
    for (size_t i = 0; i < 2000; i++)
        test_sbuf_printf(&b, "%s{\"unit\": \"u%zu\", \"date\": \"2014-02-01\", \"kind\": \"e\"}",
                         i ? ", " : "", i);
    test_sbuf_printf(&b, "]}");
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(b.s, b.len, "chain.json", &ds, NULL), JQL_OK);
    b.len = 0;
    test_sbuf_printf(
        &b, "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", \"period\": \"2014\", "
            "\"units\": {\"levels\": [\"district\"]}, \"tiers\": [{\"id\": \"a\", \"name\": \"A\", "
            "\"min\": 0}], \"criteria\": [");
    for (size_t i = 0; i < 26; i++)
        test_sbuf_printf(
            &b,
            "%s{\"id\": \"l%zu\", \"title\": \"t\", \"max\": 1, \"measure\": {\"kind\": "
            "\"event_count\", \"rollup\": true}, \"method\": {\"type\": \"linear\", \"target\": "
            "2000}}",
            i ? ", " : "", i);
    test_sbuf_printf(&b, "]}");
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(b.s, b.len, "rollup.json", &c, NULL), JQL_OK);
    free(b.s);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    /* u0 cites every event once per leaf: its lists are whole */
    size_t k;
    ck_assert_int_eq(jql_results_unit_find(r, "u0", &k), JQL_OK);
    ck_assert_uint_eq(jql_results_node_evidence_count(r, k, 25), 2000);
    /* what the writers refuse on, also for a binding to ask (Python's to_dict, Lua's to_table) */
    ck_assert_uint_eq(jql_results_citation_count(r), 52026000u);
    ck_assert_uint_eq(jql_results_citation_count(NULL), 0);
    size_t bytes = 0;
    for (int level = JQL_EVIDENCE_FULL; level <= JQL_EVIDENCE_IDS; level++) {
        ck_assert_int_eq(jql_results_write_cb(r, count_bytes, &bytes, (jql_evidence_level)level),
                         JQL_ELIMIT);
        ck_assert_msg(strstr(jql_last_error(), "cite 52026000 evidence records"), "%s",
                      jql_last_error());
        ck_assert_uint_eq(bytes, 0); /* refused before writing anything */
    }
    char *json = NULL;
    size_t len = 0;
    ck_assert_int_eq(jql_results_to_json(r, &json, &len), JQL_ELIMIT);
    ck_assert_ptr_null(json);
    ck_assert_int_eq(jql_results_write_cb(r, count_bytes, &bytes, JQL_EVIDENCE_NONE), JQL_OK);
    ck_assert_uint_gt(bytes, 0);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* A chain of 300 units, each with a statistic this year and one a year
   before (every current one listed first), and one roll-up change leaf:
   unit k cites the 2 x (300 - k) statistics of its subtree, 90,300
   references in all, kept (not shared: the two years' records are not one
   slice of the parent's). The scoring refuses once it would keep more than
   its limit of references (JQL_MAX_SCORE_EVIDENCE; jql_score_options
   version 3), not after: a 20,000-unit chain kept 400 million (3 GB). */
START_TEST(evidence_kept_limit)
{
    ck_assert_uint_eq(JQL_MAX_SCORE_EVIDENCE, 50000000u);
    enum { N = 300 };
    test_sbuf b = {0};
    test_sbuf_printf(&b, "{\"format\": \"justice-quarterly/dataset 1.0\", \"units\": [");
    for (size_t i = 0; i < N; i++) {
        test_sbuf_printf(&b, "%s{\"id\": \"u%zu\", \"name\": \"x\", \"level\": \"district\"",
                         i ? ", " : "", i);
        if (i)
            test_sbuf_printf(&b, ", \"parent\": \"u%zu\"", i - 1);
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b,
                     "], \"indicators\": [{\"id\": \"i\", \"name\": \"i\"}], \"statistics\": [");
    for (size_t y = 0; y < 2; y++)
        for (size_t i = 0; i < N; i++)
            test_sbuf_printf(&b,
                             "%s{\"unit\": \"u%zu\", \"indicator\": \"i\", \"period\": \"%s\", "
                             "\"value\": %zu}",
                             y || i ? ", " : "", i, y ? "2013-Q1" : "2014-Q1", 2 - y);
    test_sbuf_printf(&b, "]}");
    jql_dataset *ds = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(b.s, b.len, "chain.json", &ds, NULL), JQL_OK);
    free(b.s);
    const char *crit =
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", \"period\": \"2014-Q1\", "
        "\"units\": {\"levels\": [\"district\"]}, \"tiers\": [{\"id\": \"t\", \"name\": \"t\", "
        "\"min\": 0}], \"criteria\": [{\"id\": \"v\", \"title\": \"v\", \"max\": 100, "
        "\"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"i\", \"rollup\": true}, "
        "\"method\": {\"type\": \"linear\", \"target\": 100}}]}";
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(crit, strlen(crit), "c.json", &c, NULL), JQL_OK);

    jql_results *r = NULL;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.max_evidence = 50000;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_ELIMIT);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(jql_last_error(), "passes 50000 references"), "%s", jql_last_error());
    /* without evidence nothing is kept: the same limit refuses nothing */
    o.flags = JQL_SCORE_NO_EVIDENCE;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_OK);
    jql_results_free(r);
    /* just enough, and the default */
    o.flags = 0;
    o.max_evidence = N * (N + 1);
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_OK);
    size_t k;
    ck_assert_int_eq(jql_results_unit_find(r, "u0", &k), JQL_OK);
    ck_assert_uint_eq(jql_results_node_evidence_count(r, k, 0), 2 * N);
    jql_results_free(r);
    o.max_evidence = N * (N + 1) - 1;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_ELIMIT);
    ck_assert_int_eq(jql_score(ds, c, NULL, &r), JQL_OK);
    jql_results_free(r);
    /* version 2 options know no such member: the default */
    jql_score_options v2 = {2, 0, NULL, 0, 0, 0, 1, 0, NULL};
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &v2, &r), JQL_OK);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("scale_criteria");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, results_limit);
    tcase_add_test(tc, limits_from_options);
    tcase_add_test(tc, veto_limits);
    tcase_add_test(tc, long_lists_as_short);
    tcase_add_test(tc, evidence_limit);
    tcase_add_test(tc, evidence_kept_limit);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
