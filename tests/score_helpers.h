/* Helpers shared by the scoring suites (test_score, test_rules, test_ranking,
   test_explain): load inline JSON fixtures, score, find units and nodes. */
#ifndef JQL_SCORE_HELPERS_H
#define JQL_SCORE_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#define DS_HEAD "{\"format\": \"justice-quarterly/dataset 1.0\", "
#define CR_HEAD                                                                               \
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"t\", \"period\": \"2014\", " \
    "\"scale\": 10, \"units\": {\"levels\": [\"district\"]}, "
/* Tiers used by most fixtures. */
#define TIERS4                                                                 \
    "\"tiers\": [{\"id\": \"excellent\", \"name\": \"Excellent\", \"min\": 9}, " \
    "{\"id\": \"good\", \"name\": \"Good\", \"min\": 7}, "                       \
    "{\"id\": \"completed\", \"name\": \"Completed\", \"min\": 5}, "             \
    "{\"id\": \"not-completed\", \"name\": \"Not completed\", \"min\": 0}]"

static inline void print_diag(const char *what, const jql_diagnostics *d)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        fprintf(stderr, "%s:%u:%u: %s: %s\n", what, jql_diagnostics_line(d, i),
                jql_diagnostics_column(d, i), jql_diagnostics_path(d, i),
                jql_diagnostics_message(d, i));
}

static inline jql_dataset *ds_json(const char *json)
{
    jql_dataset *ds = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_dataset_load_buffer(json, strlen(json), "<dataset>", &ds, &d);
    if (rc)
        print_diag("dataset", d);
    jql_diagnostics_free(d);
    ck_assert_msg(rc == JQL_OK, "dataset fixture: %s", jql_last_error());
    return ds;
}

static inline jql_criteria *cr_json(const char *json)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_buffer(json, strlen(json), "<criteria>", &c, &d);
    if (rc)
        print_diag("criteria", d);
    jql_diagnostics_free(d);
    ck_assert_msg(rc == JQL_OK, "criteria fixture: %s", jql_last_error());
    return c;
}

static inline jql_results *score_ok(const jql_dataset *ds, const jql_criteria *c,
                                    const char *period)
{
    jql_results *r = NULL;
    int rc = jql_score(ds, c, period, &r);
    ck_assert_msg(rc == JQL_OK, "jql_score: %s (%s)", jql_strerror(rc), jql_last_error());
    return r;
}

/* Position of a unit in the results (fails the test when absent). */
static inline size_t unit_k(const jql_results *r, const char *id)
{
    for (size_t k = 0; k < jql_results_unit_count(r); k++)
        if (strcmp(jql_results_unit_id(r, k), id) == 0)
            return k;
    ck_abort_msg("unit %s not in the results", id);
    return 0;
}

static inline size_t node_n(const jql_results *r, const char *id)
{
    for (size_t n = 0; n < jql_results_node_count(r); n++)
        if (strcmp(jql_results_node_id(r, n), id) == 0)
            return n;
    ck_abort_msg("node %s not in the results", id);
    return 0;
}

static inline jql_milli val(const jql_results *r, const char *unit, jql_result_field f)
{
    return jql_results_unit_value(r, unit_k(r, unit), f);
}

static inline jql_milli pts(const jql_results *r, const char *unit, const char *node)
{
    return jql_results_node_points(r, unit_k(r, unit), node_n(r, node));
}

static inline char *results_json(const jql_results *r)
{
    char *js = NULL;
    size_t len = 0;
    ck_assert_int_eq(jql_results_to_json(r, &js, &len), JQL_OK);
    ck_assert_uint_eq(strlen(js), len);
    return js;
}

/* Score inline fixtures and free the inputs: only the results remain. */
static inline jql_results *score_json(const char *ds_text, const char *cr_text)
{
    jql_dataset *ds = ds_json(ds_text);
    jql_criteria *c = cr_json(cr_text);
    jql_results *r = score_ok(ds, c, NULL);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    return r;
}

#endif
