/*
 * The as-of rule (docs/CRITERIA.md, "As-of date"): scoring with
 * jql_score_with() and an as_of date counts nothing dated after it. The
 * fixture tests/data/as-of/ holds records either side of 21 March 2014;
 * the expected points are worked out by hand in the comments.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

typedef struct {
    char *data;
    size_t len;
} jql_buf_t;

static bool cut(char *s, const char *what);

static jql_criteria *load_criteria(const char *path)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_load_path(path, &c, &d), JQL_OK);
    jql_diagnostics_free(d);
    return c;
}

static jql_results *score_as_of(const jql_dataset *ds, const jql_criteria *c, const char *as_of)
{
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = as_of;
    jql_results *r = NULL;
    ck_assert_msg(jql_score_with(ds, c, NULL, &o, &r) == JQL_OK, "%s", jql_last_error());
    return r;
}

static jql_milli points(const jql_results *r, const char *node)
{
    for (size_t n = 0; n < jql_results_node_count(r); n++)
        if (strcmp(jql_results_node_id(r, n), node) == 0)
            return jql_results_node_points(r, 0, n);
    ck_abort_msg("no node %s", node);
    return -1;
}

static char *json_of(const jql_results *r)
{
    char *text = NULL;
    ck_assert_int_eq(jql_results_to_json(r, &text, NULL), JQL_OK);
    return text;
}

START_TEST(without_as_of_everything_counts)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *r = score_as_of(ds, c, NULL);
    ck_assert_int_eq(points(r, "missing"), 10000);    /* all three submitted */
    ck_assert_int_eq(points(r, "worst"), 5000);       /* 10 days late: 10 - 10 x 0.5 */
    ck_assert_int_eq(points(r, "reports-due"), 3333); /* 1 of 3 on time */
    ck_assert_int_eq(points(r, "tasks"), 6667);       /* T1, T2 of 3 */
    ck_assert_int_eq(points(r, "directives"), 6667);  /* D1, D2 of 3 */
    ck_assert_int_eq(points(r, "events"), 8000);      /* 2 initiatives */
    ck_assert_int_eq(points(r, "x"), 10000);
    ck_assert_int_eq(points(r, "y"), 7000);
    /* NULL options are jql_score() exactly */
    jql_results *plain = NULL;
    ck_assert_int_eq(jql_score(ds, c, NULL, &plain), JQL_OK);
    char *a = json_of(r), *b = json_of(plain);
    ck_assert_str_eq(a, b);
    jql_free(a);
    jql_free(b);
    jql_results_free(plain);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(as_of_the_conference)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *r = score_as_of(ds, c, "2014-03-21");
    /* R2 submitted 25/3: not yet; R3 due 15/4: not due yet */
    ck_assert_int_eq(points(r, "missing"), 9000);
    ck_assert_int_eq(points(r, "worst"), 0);          /* never submitted, as of then */
    ck_assert_int_eq(points(r, "reports-due"), 0);    /* 0 of 2 */
    ck_assert_int_eq(points(r, "tasks"), 5000);       /* T2 done 25/3: not yet; T3 due 31/3 */
    ck_assert_int_eq(points(r, "directives"), 5000);  /* D2 done 22/3: not yet; D3 issued 25/3 */
    ck_assert_int_eq(points(r, "events"), 9000);      /* the initiative of 22/3 not yet */
    ck_assert_int_eq(points(r, "x"), 10000);          /* cut-off ends 14/3: known */
    ck_assert_int_eq(points(r, "y"), 0);              /* March ends 31/3: not known yet */
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(as_of_boundaries)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    /* a record dated on the as-of day counts; the day before, it does not */
    jql_results *r = score_as_of(ds, c, "2014-03-14");
    ck_assert_int_eq(points(r, "x"), 10000);
    jql_results_free(r);
    r = score_as_of(ds, c, "2014-03-13");
    ck_assert_int_eq(points(r, "x"), 0);
    jql_results_free(r);
    /* long after everything: the same as no as-of date, but for the date
       the results record */
    r = score_as_of(ds, c, "2030-01-01");
    jql_results *plain = score_as_of(ds, c, NULL);
    char *a = json_of(r), *b = json_of(plain);
    ck_assert(cut(a, ",\n  \"as_of\": \"2030-01-01\""));
    ck_assert_str_eq(a, b);
    jql_free(a);
    jql_free(b);
    jql_results_free(plain);
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(bad_options)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *r = (jql_results *)1;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = "2014-02-30";
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    ck_assert_str_eq(jql_last_error(), "as_of \"2014-02-30\" is not an existing date YYYY-MM-DD");
    o.as_of = NULL;
    o.version = 99;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "version"));
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The as-of date with the scoring flags and warnings of the edge rules
   (tests/test_edge.c): emptiness is judged on the whole period, and the
   warnings about leaves without data say "as of". */
START_TEST(as_of_with_allow_empty_and_warnings)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    /* before every record: the year is not empty, every dated leaf lacks data */
    jql_results *r = score_as_of(ds, c, "2013-12-01");
    const jql_diagnostics *w = jql_results_diagnostics(r);
    ck_assert_uint_eq(jql_diagnostics_count(w), 7); /* all but "events" (a count) */
    for (size_t i = 0; i < jql_diagnostics_count(w); i++) {
        ck_assert_str_ne(jql_diagnostics_path(w, i), "/period");
        ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(w, i),
                                     "in period 2014 as of 2013-12-01 ("));
        ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(w, i), "none dated by then"));
    }
    ck_assert_int_eq(points(r, "x"), 0);
    jql_results_free(r);
    /* as of the conference only the figures of March lack data */
    r = score_as_of(ds, c, "2014-03-21");
    w = jql_results_diagnostics(r);
    ck_assert_uint_eq(jql_diagnostics_count(w), 1); /* y: March not known yet */
    ck_assert_str_eq(jql_diagnostics_path(w, 0), "/criteria/7");
    jql_results_free(r);

    /* 2013: undeclared and empty; the as-of date does not make it scorable */
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = "2013-06-30";
    r = (jql_results *)1;
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &o, &r), JQL_ENOTFOUND);
    ck_assert_ptr_null(r);
    o.flags = JQL_SCORE_ALLOW_EMPTY;
    ck_assert_msg(jql_score_with(ds, c, "2013", &o, &r) == JQL_OK, "%s", jql_last_error());
    w = jql_results_diagnostics(r);
    ck_assert_uint_eq(jql_diagnostics_count(w), 1);
    ck_assert_str_eq(jql_diagnostics_path(w, 0), "/period");
    jql_results_free(r);
    /* an unknown flag is refused with an as-of date too */
    o.flags = 0x80;
    ck_assert_int_eq(jql_score_with(ds, c, "2014", &o, &r), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "unknown flags"));
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(cutoff_in_the_format)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_date s = 0, e = 0;
    ck_assert_int_eq(jql_period_cutoff(ds, "2014-Q1", &s, &e), JQL_OK);
    char a[11], b[11];
    jql_date_format(s, a);
    jql_date_format(e, b);
    ck_assert_str_eq(a, "2013-12-15");
    ck_assert_str_eq(b, "2014-03-14");
    ck_assert_int_eq(jql_period_cutoff(ds, "2014-M3", NULL, NULL), JQL_ENOTFOUND);
    /* canonical save keeps it and reads back byte for byte */
    char *one = NULL, *two = NULL;
    size_t n1 = 0, n2 = 0;
    ck_assert_int_eq(jql_dataset_to_json(ds, &one, &n1), JQL_OK);
    ck_assert_ptr_nonnull(strstr(one, "\"end\": \"2014-03-31\", \"cutoff_start\": \"2013-12-15\", "
                                      "\"cutoff_end\": \"2014-03-14\"}"));
    jql_dataset *back = NULL;
    ck_assert_int_eq(jql_dataset_load_buffer(one, n1, "saved", &back, NULL), JQL_OK);
    ck_assert_int_eq(jql_dataset_to_json(back, &two, &n2), JQL_OK);
    ck_assert_str_eq(one, two);
    jql_free(one);
    jql_free(two);
    jql_dataset_free(back);
    /* both dates or neither; not reversed */
    ck_assert_int_eq(jql_period_set_cutoff(ds, 0, JQL_NO_DATE, e), JQL_EINVALID);
    ck_assert_int_eq(jql_period_set_cutoff(ds, 0, e, s), JQL_EINVALID);
    ck_assert_int_eq(jql_period_set_cutoff(ds, 0, JQL_NO_DATE, JQL_NO_DATE), JQL_OK);
    ck_assert_int_eq(jql_period_cutoff(ds, "2014-Q1", NULL, NULL), JQL_ENOTFOUND);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(cutoff_load_errors)
{
    static const char *const docs[][2] = {
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"periods\": [{\"id\": \"p\", "
         "\"start\": \"2014-01-01\", \"end\": \"2014-03-31\", \"cutoff_start\": \"2013-12-15\"}]}",
         "a cut-off needs both \"cutoff_start\" and \"cutoff_end\""},
        {"{\"format\": \"justice-quarterly/dataset 1.0\", \"periods\": [{\"id\": \"p\", "
         "\"start\": \"2014-01-01\", \"end\": \"2014-03-31\", \"cutoff_start\": \"2014-03-14\", "
         "\"cutoff_end\": \"2013-12-15\"}]}",
         "cutoff_end 2013-12-15 is before cutoff_start 2014-03-14"},
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        jql_dataset *ds = NULL;
        jql_diagnostics *d = NULL;
        ck_assert_int_eq(jql_dataset_load_buffer(docs[i][0], strlen(docs[i][0]), "t", &ds, &d),
                         JQL_EINVALID);
        ck_assert_uint_ge(jql_diagnostics_count(d), 1);
        ck_assert_str_eq(jql_diagnostics_message(d, 0), docs[i][1]);
        jql_diagnostics_free(d);
    }
}
END_TEST

/* Roll-up sums (computed once per subtree, bottom-up) follow the as-of rule
   like the per-unit queries: the fixture's records moved one level down
   (P > U > C, all held by C) give P and U, summed over their subtrees,
   every leaf's points of C scored on its own, at every as-of date. */
static jql_milli unit_points(const jql_results *r, const char *unit, const char *node)
{
    for (size_t u = 0; u < jql_results_unit_count(r); u++)
        if (strcmp(jql_results_unit_id(r, u), unit) == 0)
            for (size_t n = 0; n < jql_results_node_count(r); n++)
                if (strcmp(jql_results_node_id(r, n), node) == 0)
                    return jql_results_node_points(r, u, n);
    ck_abort_msg("no unit %s or node %s", unit, node);
    return -1;
}

START_TEST(rollup_sums_follow_as_of)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset-three-levels.json"));
    jql_criteria *up = load_criteria(test_data("as-of/criteria-rollup.json"));
    jql_criteria *own = load_criteria(test_data("as-of/criteria-commune.json"));
    const char *dates[] = {NULL, "2014-03-13", "2014-03-14", "2014-03-21", "2030-01-01"};
    const char *leaves[] = {"missing", "worst", "reports-due", "tasks", "directives", "events",
                            "x", "y"};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        jql_results *a = score_as_of(ds, up, dates[i]), *b = score_as_of(ds, own, dates[i]);
        for (size_t k = 0; k < sizeof leaves / sizeof leaves[0]; k++) {
            jql_milli c = unit_points(b, "C", leaves[k]);
            ck_assert_msg(unit_points(a, "P", leaves[k]) == c && unit_points(a, "U", leaves[k]) == c,
                          "as of %s, leaf %s: P %lld, U %lld, C %lld", dates[i] ? dates[i] : "-",
                          leaves[k], (long long)unit_points(a, "P", leaves[k]),
                          (long long)unit_points(a, "U", leaves[k]), (long long)c);
        }
        jql_results_free(a);
        jql_results_free(b);
    }
    jql_criteria_free(up);
    jql_criteria_free(own);
    jql_dataset_free(ds);
}
END_TEST

/* ---- the results record their as-of date (jql_results_as_of) ---- */

static int buf_sink(void *user, const char *data, size_t len)
{
    jql_buf_t *b = user;
    char *d = realloc(b->data, b->len + len + 1);
    ck_assert_ptr_nonnull(d);
    memcpy(d + b->len, data, len);
    b->len += len;
    d[b->len] = '\0';
    b->data = d;
    return 0;
}

/* The document at @p level, in memory; the streamed writer's bytes must be
   the same. */
static char *json_level(const jql_results *r, jql_evidence_level level)
{
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(jql_results_to_json_level(r, level, &text, &len), JQL_OK);
    jql_buf_t streamed = {0};
    ck_assert_int_eq(jql_results_write_cb(r, buf_sink, &streamed, level), JQL_OK);
    ck_assert_uint_eq(streamed.len, len);
    ck_assert_mem_eq(streamed.data, text, len);
    free(streamed.data);
    FILE *fp = tmpfile();
    ck_assert_ptr_nonnull(fp);
    ck_assert_int_eq(jql_results_write(r, fp, level), JQL_OK);
    ck_assert_int_eq((long)ftell(fp), (long)len);
    rewind(fp);
    char *back = malloc(len + 1);
    ck_assert_uint_eq(fread(back, 1, len, fp), len);
    ck_assert_mem_eq(back, text, len);
    free(back);
    fclose(fp);
    return text;
}

/* Remove the first occurrence of @p what from @p s (in place). */
static bool cut(char *s, const char *what)
{
    char *at = strstr(s, what);
    if (!at)
        return false;
    memmove(at, at + strlen(what), strlen(at + strlen(what)) + 1);
    return true;
}

START_TEST(results_record_their_as_of_date)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *none = score_as_of(ds, c, NULL);
    jql_results *conf = score_as_of(ds, c, "2014-03-21");
    /* after every record: the points of a scoring without one */
    jql_results *late = score_as_of(ds, c, "2030-01-01");
    ck_assert_ptr_null(jql_results_as_of(none));
    ck_assert_ptr_null(jql_results_as_of(NULL));
    ck_assert_str_eq(jql_results_as_of(conf), "2014-03-21");
    ck_assert_str_eq(jql_results_as_of(late), "2030-01-01");
    static const jql_evidence_level levels[] = {JQL_EVIDENCE_FULL, JQL_EVIDENCE_IDS,
                                                JQL_EVIDENCE_NONE};
    for (size_t i = 0; i < 3; i++) {
        char *a = json_level(none, levels[i]), *b = json_level(conf, levels[i]);
        char *l = json_level(late, levels[i]);
        ck_assert_ptr_null(strstr(a, "as_of"));
        ck_assert_ptr_nonnull(
            strstr(b, "\"period\": \"2014\",\n  \"as_of\": \"2014-03-21\",\n  \"scale\": "));
        /* the member is the only difference */
        ck_assert(cut(l, ",\n  \"as_of\": \"2030-01-01\""));
        ck_assert_str_eq(l, a);
        jql_free(a);
        jql_free(b);
        jql_free(l);
    }
    char *full = json_of(conf);
    char *lvl = json_level(conf, JQL_EVIDENCE_FULL);
    ck_assert_str_eq(full, lvl);
    jql_free(full);
    jql_free(lvl);
    jql_results_free(none);
    jql_results_free(conf);
    jql_results_free(late);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(periods_carry_the_as_of_date)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    const char *periods[] = {"2014-Q1", "2014"};
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.as_of = "2014-03-21";
    for (int table = 0; table < 2; table++) {
        jql_trend *t = NULL, *plain = NULL;
        ck_assert_int_eq(table ? jql_score_periods_table_with(ds, c, periods, 2, &o, &t)
                               : jql_score_periods_with(ds, c, periods, 2, &o, &t),
                         JQL_OK);
        ck_assert_int_eq(table ? jql_score_periods_table_with(ds, c, periods, 2, NULL, &plain)
                               : jql_score_periods_with(ds, c, periods, 2, NULL, &plain),
                         JQL_OK);
        for (size_t p = 0; p < 2; p++) {
            ck_assert_str_eq(jql_trend_period_as_of(t, p), "2014-03-21");
            ck_assert_ptr_null(jql_trend_period_as_of(plain, p));
            if (!table) {
                ck_assert_str_eq(jql_results_as_of(jql_trend_results(t, p)), "2014-03-21");
                ck_assert_ptr_null(jql_results_as_of(jql_trend_results(plain, p)));
            }
        }
        ck_assert_ptr_null(jql_trend_period_as_of(t, 2));
        /* one date for all: the trend's own, never varying */
        ck_assert_str_eq(jql_trend_as_of(t), "2014-03-21");
        ck_assert(!jql_trend_as_of_varies(t));
        ck_assert_ptr_null(jql_trend_as_of(plain));
        ck_assert(!jql_trend_as_of_varies(plain));
        char *a = NULL, *b = NULL;
        ck_assert_int_eq(jql_trend_to_json(t, &a, NULL), JQL_OK);
        ck_assert_int_eq(jql_trend_to_json(plain, &b, NULL), JQL_OK);
        ck_assert_ptr_nonnull(strstr(a, "\"periods\": [\"2014-Q1\", \"2014\"], \"as_of\": "
                                        "\"2014-03-21\", \"units\": ["));
        ck_assert_ptr_null(strstr(b, "as_of"));
        jql_free(a);
        jql_free(b);
        jql_trend_free(t);
        jql_trend_free(plain);
    }
    /* results of different dates: one date or null per period, in either
       order, and two different dates; the trend's accessors say the same */
    jql_results *rs[3] = {score_as_of(ds, c, "2014-03-21"), score_as_of(ds, c, NULL),
                          score_as_of(ds, c, "2014-04-01")};
    static const struct {
        size_t a, b;
        const char *json;
    } pairs[] = {
        {0, 1, "\"as_of_by_period\": [\"2014-03-21\", null]"},
        {1, 0, "\"as_of_by_period\": [null, \"2014-03-21\"]"},
        {0, 2, "\"as_of_by_period\": [\"2014-03-21\", \"2014-04-01\"]"},
    };
    for (size_t k = 0; k < sizeof pairs / sizeof pairs[0]; k++) {
        const jql_results *two[2] = {rs[pairs[k].a], rs[pairs[k].b]};
        char *mixed = NULL;
        jql_trend *t = NULL;
        ck_assert_int_eq(jql_results_trend_json(two, 2, &mixed, NULL), JQL_OK);
        ck_assert_ptr_nonnull(strstr(mixed, pairs[k].json));
        ck_assert_ptr_null(strstr(mixed, "\"as_of\""));
        ck_assert_int_eq(jql_results_trend(two, 2, &t), JQL_OK);
        ck_assert_ptr_null(jql_trend_as_of(t));
        ck_assert(jql_trend_as_of_varies(t));
        jql_free(mixed);
        jql_trend_free(t);
    }
    for (size_t k = 0; k < 3; k++)
        jql_results_free(rs[k]);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

START_TEST(analyses_carry_the_as_of_date)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *none = score_as_of(ds, c, NULL), *conf = score_as_of(ds, c, "2014-03-21");
    /* comparison: each side's own, only when it has one */
    const struct {
        jql_results *before, *after;
        const char *want, *absent;
    } cmp[] = {
        {none, none, NULL, "as_of"},
        {conf, conf, "\"period_after\": \"2014\", \"as_of_before\": \"2014-03-21\", "
                     "\"as_of_after\": \"2014-03-21\", \"rank_changes\"", NULL},
        {conf, none, "\"period_after\": \"2014\", \"as_of_before\": \"2014-03-21\", "
                     "\"rank_changes\"", "as_of_after"},
        {none, conf, "\"period_after\": \"2014\", \"as_of_after\": \"2014-03-21\", "
                     "\"rank_changes\"", "as_of_before"},
    };
    for (size_t i = 0; i < sizeof cmp / sizeof *cmp; i++) {
        char *json = NULL, *streamed = NULL;
        ck_assert_int_eq(jql_results_compare_json(cmp[i].before, cmp[i].after, &json, NULL),
                         JQL_OK);
        jql_compare_side *side = NULL;
        ck_assert_int_eq(jql_compare_side_new(cmp[i].before, &side), JQL_OK);
        jql_buf_t b = {0};
        ck_assert_int_eq(jql_compare_side_write_cb(side, cmp[i].after, buf_sink, &b), JQL_OK);
        streamed = b.data;
        ck_assert_str_eq(streamed, json);
        if (cmp[i].want)
            ck_assert_ptr_nonnull(strstr(json, cmp[i].want));
        if (cmp[i].absent)
            ck_assert_ptr_null(strstr(json, cmp[i].absent));
        jql_comparison *o = NULL;
        ck_assert_int_eq(jql_results_compare(cmp[i].before, cmp[i].after, &o), JQL_OK);
        for (int s = 0; s < 2; s++) {
            const char *want = jql_results_as_of(s ? cmp[i].after : cmp[i].before);
            if (want)
                ck_assert_str_eq(jql_comparison_as_of(o, s), want);
            else
                ck_assert_ptr_null(jql_comparison_as_of(o, s));
        }
        ck_assert_ptr_null(jql_comparison_as_of(o, 2));
        jql_comparison_free(o);
        jql_compare_side_free(side);
        free(streamed);
        jql_free(json);
    }
    /* sensitivity and plans: after their period */
    jql_sensitivity_options so = JQL_SENSITIVITY_OPTIONS_INIT;
    so.runs = 10;
    for (int with = 0; with < 2; with++) {
        jql_results *r = with ? conf : none;
        jql_sensitivity *s = NULL;
        ck_assert_int_eq(jql_sensitivity_run(r, c, &so, &s), JQL_OK);
        char *sj = NULL, *pj = NULL;
        ck_assert_int_eq(jql_sensitivity_to_json(s, &sj, NULL), JQL_OK);
        jql_improvement_plans *p = NULL;
        ck_assert_int_eq(jql_improvement_plans_compute(r, c, &p), JQL_OK);
        ck_assert_int_eq(jql_improvement_plans_to_json(p, &pj, NULL), JQL_OK);
        jql_buf_t b = {0};
        ck_assert_int_eq(jql_improvement_plans_write_cb(r, c, buf_sink, &b), JQL_OK);
        ck_assert_str_eq(b.data, pj);
        free(b.data);
        if (with) {
            ck_assert_str_eq(jql_sensitivity_as_of(s), "2014-03-21");
            ck_assert_str_eq(jql_improvement_plans_as_of(p), "2014-03-21");
            ck_assert_ptr_nonnull(
                strstr(sj, "\"period\": \"2014\", \"as_of\": \"2014-03-21\", \"percent\""));
            ck_assert_ptr_nonnull(
                strstr(pj, "\"period\": \"2014\", \"as_of\": \"2014-03-21\", \"units\""));
        } else {
            ck_assert_ptr_null(jql_sensitivity_as_of(s));
            ck_assert_ptr_null(jql_improvement_plans_as_of(p));
            ck_assert_ptr_null(strstr(sj, "as_of"));
            ck_assert_ptr_null(strstr(pj, "as_of"));
        }
        jql_free(sj);
        jql_free(pj);
        jql_improvement_plans_free(p);
        jql_sensitivity_free(s);
    }
    ck_assert_ptr_null(jql_sensitivity_as_of(NULL));
    ck_assert_ptr_null(jql_improvement_plans_as_of(NULL));
    ck_assert_ptr_null(jql_comparison_as_of(NULL, 0));
    ck_assert_ptr_null(jql_trend_period_as_of(NULL, 0));
    ck_assert_ptr_null(jql_trend_as_of(NULL));
    ck_assert(!jql_trend_as_of_varies(NULL));
    jql_results_free(none);
    jql_results_free(conf);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* The refusal of an empty period names the caller's way to allow it
   (jql_score_options.allow_empty_name, version 5), the library's flag by
   default and for callers of older versions. */
START_TEST(empty_period_names_the_callers_option)
{
    jql_dataset *ds = test_load_dataset(test_data("as-of/dataset.json"));
    jql_criteria *c = load_criteria(test_data("as-of/criteria.json"));
    jql_results *r = NULL;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &o, &r), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(),
                                 "(allow empty periods to score it anyway: JQL_SCORE_ALLOW_EMPTY)"));
    ck_assert_int_eq(jql_score(ds, c, "2013", &r), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), ": JQL_SCORE_ALLOW_EMPTY)"));
    o.allow_empty_name = "--allow-empty";
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &o, &r), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(
        strstr(jql_last_error(), "(allow empty periods to score it anyway: --allow-empty)"));
    /* through the trend's constructors too, before any period is kept */
    jql_trend *t = NULL;
    const char *periods[] = {"2014", "2013"};
    ck_assert_int_eq(jql_score_periods_with(ds, c, periods, 2, &o, &t), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "period 2013: "));
    ck_assert_ptr_nonnull(strstr(jql_last_error(), ": --allow-empty)"));
    ck_assert_int_eq(jql_score_periods_table_with(ds, c, periods, 2, &o, &t), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), ": --allow-empty)"));
    o.allow_empty_name = "";
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &o, &r), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), ": JQL_SCORE_ALLOW_EMPTY)"));
    o.version = 4; /* knows no such member: not read */
    o.allow_empty_name = "--allow-empty";
    ck_assert_int_eq(jql_score_with(ds, c, "2013", &o, &r), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), ": JQL_SCORE_ALLOW_EMPTY)"));
    ck_assert_ptr_null(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

static Suite *asof_suite(void)
{
    Suite *s = suite_create("asof");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, without_as_of_everything_counts);
    tcase_add_test(tc, as_of_the_conference);
    tcase_add_test(tc, as_of_boundaries);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, as_of_with_allow_empty_and_warnings);
    tcase_add_test(tc, cutoff_in_the_format);
    tcase_add_test(tc, cutoff_load_errors);
    tcase_add_test(tc, rollup_sums_follow_as_of);
    tcase_add_test(tc, results_record_their_as_of_date);
    tcase_add_test(tc, periods_carry_the_as_of_date);
    tcase_add_test(tc, analyses_carry_the_as_of_date);
    tcase_add_test(tc, empty_period_names_the_callers_option);
    suite_add_tcase(s, tc);
    return s;
}

int main(void) { return test_run_suite(asof_suite()); }
