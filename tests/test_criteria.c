/* Criteria sets: loading (structure, every validation error with its
   location, warnings), the check against a dataset, custom callbacks and
   out-of-memory behaviour. */
#include <stdlib.h>
#include <string.h>

#include "criteria.h"
#include "testutil.h"

#define M(x) ((jql_milli)((x) * 1000))

static jql_criteria *load_ok(const char *path, jql_diagnostics **diag)
{
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_path(path, &c, &d);
    for (size_t i = 0; rc != JQL_OK && i < jql_diagnostics_count(d); i++)
        fprintf(stderr, "%s:%u:%u: %s: %s\n", path, jql_diagnostics_line(d, i),
                jql_diagnostics_column(d, i), jql_diagnostics_path(d, i),
                jql_diagnostics_message(d, i));
    ck_assert_msg(rc == JQL_OK, "%s: %s", path, jql_last_error());
    ck_assert_ptr_nonnull(c);
    if (diag)
        *diag = d;
    else
        jql_diagnostics_free(d);
    return c;
}

static const jql_node *node(const jql_criteria *c, const char *id)
{
    size_t i;
    ck_assert_int_eq(jql_criteria_node_index(c, id, &i), JQL_OK);
    ck_assert_str_eq(jql_criteria_node_id(c, i), id);
    return &c->nodes[i];
}

static size_t node_ix(const jql_criteria *c, const char *id)
{
    size_t i = JQL_NONE;
    ck_assert_int_eq(jql_criteria_node_index(c, id, &i), JQL_OK);
    return i;
}

/* ---- the worked example of docs/SCORING.md ---- */

START_TEST(worked_example)
{
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_ok(test_data("scoring/worked-example/criteria.json"), &d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 0);
    jql_diagnostics_free(d);
    ck_assert_str_eq(jql_criteria_id(c), "worked-example");
    ck_assert_str_eq(jql_criteria_period(c), "2014");
    ck_assert_int_eq(jql_criteria_scale(c), 10000);
    ck_assert(!c->allow_above_scale);
    ck_assert_uint_eq(c->nunit_ids, 4);
    ck_assert_str_eq(c->unit_ids[3], "U4");
    ck_assert_uint_eq(c->nclusters, 0);

    ck_assert_uint_eq(jql_criteria_node_count(c), 2);
    ck_assert_uint_eq(c->roots.len, 2);
    const jql_node *a = node(c, "A");
    ck_assert_uint_eq(node_ix(c, "A"), 0);
    ck_assert_str_eq(jql_criteria_node_title(c, 0), "Timely reporting");
    ck_assert_int_eq(jql_criteria_node_max(c, 0), 2000);
    ck_assert_uint_eq(jql_criteria_node_parent(c, 0), JQL_NONE);
    ck_assert(jql_criteria_node_is_leaf(c, 0));
    ck_assert_int_eq(a->measure.kind, JQL_M_REPORT_DAYS_LATE_WORST);
    ck_assert_ptr_null(a->measure.report_kind);
    ck_assert_int_eq(a->method.kind, JQL_METHOD_BANDS);
    ck_assert_uint_eq(a->method.nbands, 5);
    const jql_milli at_most[] = {0, 2000, 5000, 10000};
    const jql_milli points[] = {2000, 1500, 1000, 500, 0};
    for (size_t i = 0; i < 5; i++) {
        const jql_band *b = &a->method.bands[i];
        ck_assert_int_eq(b->points, points[i]);
        ck_assert(!b->cond.has_at_least && !b->cond.has_above && !b->cond.has_below);
        ck_assert_int_eq(b->cond.has_at_most, i < 4);
        if (i < 4)
            ck_assert_int_eq(b->cond.at_most, at_most[i]);
    }
    ck_assert_int_eq(a->missing, JQL_MISSING_ZERO);

    const jql_node *b = node(c, "B");
    ck_assert_int_eq(b->max, 8000);
    ck_assert_int_eq(b->measure.kind, JQL_M_TASK_SHARE_COMPLETED);
    ck_assert_int_eq(b->method.kind, JQL_METHOD_LINEAR);
    ck_assert_int_eq(b->method.target, 100000);

    ck_assert_uint_eq(jql_criteria_tier_count(c), 4);
    const char *ids[] = {"excellent", "good", "completed", "not-completed"};
    const jql_milli mins[] = {9000, 7000, 5000, 0};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_str_eq(jql_criteria_tier_id(c, i), ids[i]);
        ck_assert_int_eq(jql_criteria_tier_min(c, i), mins[i]);
    }
    ck_assert_str_eq(jql_criteria_tier_name(c, 3), "Not completed");
    ck_assert_ptr_null(jql_criteria_tier_id(c, 4));

    ck_assert_uint_eq(c->nvetoes, 1);
    ck_assert(c->vetoes[0].on_event);
    ck_assert_str_eq(c->vetoes[0].event_kind, "discipline");
    ck_assert_uint_eq(c->vetoes[0].cap_tier, 3);
    ck_assert_uint_eq(c->nquotas, 1);
    ck_assert_uint_eq(c->quotas[0].tier, 0);
    ck_assert_int_eq(c->quotas[0].share, 20000);
    ck_assert_uint_eq(c->quotas[0].of.len, 1);
    ck_assert_uint_eq(c->quotas[0].of.items[0], 1);
    ck_assert(c->quotas[0].has_minimum);
    ck_assert_uint_eq(c->quotas[0].minimum, 1);
    ck_assert_uint_eq(c->ntiebreaks, 1);
    ck_assert_int_eq(c->tiebreaks[0].kind, JQL_TB_NODE);
    ck_assert_uint_eq(c->tiebreaks[0].node, 0);
    ck_assert_uint_eq(c->nbonus + c->ndeductions, 0);
    ck_assert(!c->has_bonus_cap);
    jql_criteria_free(c);
}
END_TEST

/* ---- the bundled Long An sheet ---- */

START_TEST(example_sheet)
{
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_ok(example_data("long-an-2014/criteria-2014.json"), &d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 0); /* maxima add up everywhere */
    jql_diagnostics_free(d);
    ck_assert_str_eq(jql_criteria_id(c), "long-an-district-2014");
    ck_assert_str_eq(jql_criteria_period(c), "2014");
    ck_assert_int_eq(jql_criteria_scale(c), 100000);
    ck_assert_uint_eq(c->nunit_levels, 1);
    ck_assert_str_eq(c->unit_levels[0], "district");
    ck_assert_uint_eq(c->nclusters, 3);
    ck_assert_str_eq(c->clusters[2], "cum-3");

    /* 8 sections, 2 sub-sections, 35 leaves; top-level maxima add up to 100 */
    size_t leaves = 0, methods[6] = {0};
    jql_milli top = 0;
    for (size_t i = 0; i < jql_criteria_node_count(c); i++) {
        if (jql_criteria_node_is_leaf(c, i)) {
            leaves++;
            methods[c->nodes[i].method.kind]++;
        }
        if (jql_criteria_node_parent(c, i) == JQL_NONE)
            top += jql_criteria_node_max(c, i);
    }
    ck_assert_uint_eq(jql_criteria_node_count(c), 45);
    ck_assert_uint_eq(leaves, 35);
    ck_assert_uint_eq(c->roots.len, 8);
    ck_assert_int_eq(top, 100000);
    for (size_t k = 0; k < 6; k++) /* every built-in method is used, no custom one */
        if (k != JQL_METHOD_CUSTOM)
            ck_assert_uint_gt(methods[k], 0);
    ck_assert_uint_eq(methods[JQL_METHOD_MANUAL], 10);
    ck_assert_uint_eq(methods[JQL_METHOD_CUSTOM], 0);

    ck_assert_str_eq(jql_criteria_node_id(c, 0), "leadership");
    ck_assert_uint_eq(jql_criteria_node_parent(c, 1), 0);
    size_t rep = node_ix(c, "reporting"), tim = node_ix(c, "reporting-timeliness");
    ck_assert_uint_eq(jql_criteria_node_parent(c, tim), rep);
    ck_assert(!jql_criteria_node_is_leaf(c, tim));
    ck_assert_uint_eq(c->nodes[tim].depth, 1);
    ck_assert_uint_eq(c->nodes[node_ix(c, "report-statistics-timely")].depth, 2);

    const jql_node *n = node(c, "report-statistics-timely");
    ck_assert_int_eq(n->measure.kind, JQL_M_REPORT_DAYS_LATE_WORST);
    ck_assert_str_eq(n->measure.report_kind, "statistics");
    ck_assert_uint_eq(n->method.nbands, 5);
    ck_assert_int_eq(n->method.bands[1].cond.at_most, 2000);
    ck_assert_int_eq(n->method.bands[1].points, 1500);

    n = node(c, "report-share-on-time");
    ck_assert(n->method.bands[0].cond.has_above);
    ck_assert_int_eq(n->method.bands[0].cond.above, 95000);
    ck_assert_int_eq(n->method.bands[0].points, 3000);

    n = node(c, "report-incomplete");
    ck_assert_int_eq(n->method.kind, JQL_METHOD_PER_OCCURRENCE);
    ck_assert(n->method.per_share);
    ck_assert_int_eq(n->method.per_amount, 25000);
    n = node(c, "lead-overdue");
    ck_assert(!n->method.per_share);
    ck_assert_int_eq(n->method.per_amount, 500);

    n = node(c, "mediation-success");
    ck_assert_int_eq(n->method.kind, JQL_METHOD_LINEAR);
    ck_assert_int_eq(n->measure.kind, JQL_M_INDICATOR_RATIO);
    ck_assert_str_eq(n->measure.indicator, "mediation-success");
    ck_assert_str_eq(n->measure.denominator, "mediation-cases");

    n = node(c, "mediation-rural");
    ck_assert(n->has_na_rule);
    ck_assert_str_eq(n->na_rule.attr_key, "kind");
    ck_assert_uint_eq(n->na_rule.nattr_values, 1);
    ck_assert_str_eq(n->na_rule.attr_values[0], "thành phố");
    ck_assert_uint_eq(n->na_rule.nlevels, 0);

    ck_assert_int_eq(node(c, "docs-review-change")->missing, JQL_MISSING_NOT_APPLICABLE);
    ck_assert_int_eq(node(c, "lead-directives")->missing, JQL_MISSING_FULL);
    n = node(c, "digital-signature");
    ck_assert_int_eq(n->measure.kind, JQL_M_INDICATOR_RATIO);
    ck_assert_str_eq(n->measure.denominator, "documents-sent");
    ck_assert_int_eq(n->max, 1500);

    ck_assert(c->has_bonus_cap);
    ck_assert_int_eq(c->bonus_cap, 5000);
    ck_assert_uint_eq(c->nbonus, 3);
    ck_assert_int_eq(c->bonus[0].kind, JQL_ITEM_EVENTS);
    ck_assert_str_eq(c->bonus[0].event_kind, "initiative");
    ck_assert_int_eq(c->bonus[1].kind, JQL_ITEM_MANUAL);
    ck_assert_int_eq(c->bonus[2].kind, JQL_ITEM_COMPUTED);
    ck_assert_uint_eq(c->ndeductions, 2);
    ck_assert_str_eq(c->deductions[0].id, "ded-backlog");
    /* Decision 3962/QĐ-BTP (2011): backlog 1-10% and 11-20% cost 10 and 20
       of 200 points, i.e. 5 and 10 of this sheet's 100 */
    ck_assert_int_eq(c->deductions[0].method.bands[1].cond.at_least, 90000);
    ck_assert_int_eq(c->deductions[0].method.bands[1].points, 5000);
    ck_assert_int_eq(c->deductions[0].method.bands[2].points, 10000);
    ck_assert_int_eq(c->deductions[0].max, 10000);
    ck_assert_str_eq(c->deductions[1].event_kind, "complaint");

    /* 2014's classes, no 2023+ rules: five tiers, no quota */
    ck_assert_uint_eq(jql_criteria_tier_count(c), 5);
    ck_assert_str_eq(jql_criteria_tier_name(c, 0), "Xuất sắc");
    ck_assert_str_eq(jql_criteria_tier_id(c, 4), "yeu");
    ck_assert_int_eq(jql_criteria_tier_min(c, 1), 80000);
    ck_assert_uint_eq(c->nvetoes, 2);
    ck_assert_uint_eq(c->vetoes[0].cap_tier, 3);
    ck_assert(!c->vetoes[1].on_event);
    ck_assert(c->vetoes[1].cond.has_below);
    ck_assert_int_eq(c->vetoes[1].cond.below, 80000); /* backlog of 21% or more */
    ck_assert_uint_eq(c->vetoes[1].cap_tier, 4);
    ck_assert_uint_eq(c->nquotas, 0);
    ck_assert_ptr_null(strstr(c->vetoes[0].reason, "48/2023"));
    ck_assert_uint_eq(c->ntiebreaks, 3);
    ck_assert_int_eq(c->tiebreaks[0].kind, JQL_TB_FEWER_DEDUCTIONS);
    ck_assert_uint_eq(c->tiebreaks[1].node, node_ix(c, "civil-status-certification"));
    ck_assert_int_eq(c->tiebreaks[2].measure.kind, JQL_M_REPORT_DAYS_LATE_WORST);
    ck_assert(c->tiebreaks[2].ascending);
    jql_criteria_free(c);
}
END_TEST

/* ---- a sheet that uses every key ---- */

START_TEST(every_key)
{
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_ok(test_data("criteria/valid/everything.json"), &d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 0);
    jql_diagnostics_free(d);
    ck_assert_str_eq(jql_criteria_name(c), "Every key of the format");
    ck_assert_str_eq(c->description,
                     "A small sheet that uses every key once (tests and docs/CRITERIA.md).");
    ck_assert_str_eq(jql_criteria_period(c), "2014-H1");
    ck_assert(c->allow_above_scale);
    ck_assert_uint_eq(c->nunit_ids, 2);

    const jql_node *w = node(c, "work");
    ck_assert_str_eq(w->note, "Core section");
    ck_assert(!w->is_leaf && w->has_na_rule);
    ck_assert_uint_eq(w->na_rule.nlevels, 1);
    ck_assert_uint_eq(w->na_rule.nattr_values, 2);
    ck_assert_uint_eq(w->children.len, 6);

    const jql_node *n = node(c, "late"); /* "1.5000" is exact: judged by value */
    ck_assert_int_eq(n->max, 1500);
    ck_assert(n->measure.rollup);
    ck_assert_int_eq(n->missing, JQL_MISSING_FULL);
    const jql_cond *b2 = &n->method.bands[1].cond;
    ck_assert(b2->has_above && b2->has_below && !b2->has_at_least && !b2->has_at_most);
    ck_assert_int_eq(b2->below, 3000);
    ck_assert_int_eq(n->method.bands[2].points, 250);
    ck_assert_str_eq(node(c, "tasks")->measure.field, "reporting");
    n = node(c, "plan");
    ck_assert_int_eq(n->method.kind, JQL_METHOD_BOOLEAN);
    ck_assert(!n->method.cond.has_at_least && !n->method.cond.has_above);
    ck_assert_int_eq(node(c, "errors")->missing, JQL_MISSING_NOT_APPLICABLE);
    n = node(c, "ratio");
    ck_assert(n->method.cond.has_at_least && n->method.cond.has_below);
    ck_assert_int_eq(n->method.cond.below, 100500);
    ck_assert_int_eq(node(c, "found")->method.per_amount, 125);
    ck_assert_int_eq(node(c, "growth")->measure.kind, JQL_M_INDICATOR_CHANGE);

    ck_assert_int_eq(c->bonus_cap, 1000);
    ck_assert_int_eq(c->bonus[2].missing, JQL_MISSING_FULL);
    ck_assert_int_eq(c->bonus[2].method.cond.at_least, 100000);
    ck_assert_uint_eq(c->deductions[0].method.nbands, 2);
    ck_assert_uint_eq(c->nvetoes, 3);
    ck_assert_int_eq(c->vetoes[1].measure.kind, JQL_M_REPORT_MISSING);
    ck_assert_int_eq(c->vetoes[1].cond.at_least, 2000);
    /* quotas are kept sorted by tier, top first */
    ck_assert_uint_eq(c->nquotas, 2);
    ck_assert_uint_eq(c->quotas[0].tier, 0);
    ck_assert_uint_eq(c->quotas[1].tier, 1);
    ck_assert(!c->quotas[1].has_minimum);
    ck_assert_uint_eq(c->quotas[1].of.len, 2);
    ck_assert_uint_eq(c->quotas[1].of.items[1], 2);
    ck_assert_uint_eq(c->ntiebreaks, 5);
    ck_assert(!c->tiebreaks[2].ascending);
    ck_assert_int_eq(c->tiebreaks[2].measure.kind, JQL_M_EVENT_POINTS);
    jql_criteria_free(c);
}
END_TEST

START_TEST(warnings)
{
    jql_diagnostics *d = NULL;
    jql_criteria *c = load_ok(test_data("criteria/valid/warnings.json"), &d);
    ck_assert_uint_eq(jql_diagnostics_count(d), 2);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 0);
    /* sorted by position */
    ck_assert_int_eq(jql_diagnostics_severity(d, 0), JQL_SEVERITY_WARNING);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/scale");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 5);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 12);
    ck_assert_str_eq(jql_diagnostics_message(d, 0),
                     "the maxima of the top-level criteria add up to 9, not 10");
    ck_assert_int_eq(jql_diagnostics_severity(d, 1), JQL_SEVERITY_WARNING);
    ck_assert_str_eq(jql_diagnostics_path(d, 1), "/criteria/0/max");
    ck_assert_uint_eq(jql_diagnostics_line(d, 1), 8);
    ck_assert_uint_eq(jql_diagnostics_column(d, 1), 44);
    ck_assert_str_eq(jql_diagnostics_message(d, 1),
                     "the maxima of its children add up to 4, not 5");
    jql_diagnostics_free(d);
    jql_criteria_free(c);
}
END_TEST

/* ---- every validation error: path, line:column, message ---- */

static const struct {
    const char *file, *path;
    unsigned line, col;
    const char *msg; /* a part of the message */
} INVALID[] = {
    {"format-major", "/format", 2, 13, "unsupported format version 2.0"},
    {"format-other", "/format", 2, 13, "not a criteria set"},
    {"unknown-key", "/colour", 4, 21, "unknown key \"colour\""},
    {"duplicate-key", "/id", 3, 20, "duplicate key \"id\""},
    {"decimals", "/criteria/1/max", 10, 45, "more than 3 decimal places: 40.0005"},
    {"too-large", "/criteria/1/max", 10, 45, "number too large: 1e400"},
    {"max-zero", "/criteria/1/max", 10, 45, "max must be greater than 0"},
    {"wrong-type", "/criteria/1/max", 10, 45, "expected a number"},
    {"missing-title", "/criteria/1", 10, 5, "missing required key \"title\""},
    {"band-points", "/criteria/0/method/bands/0/points", 9, 69, "band points 61 outside [0, 60]"},
    {"band-negative", "/criteria/0/method/bands/1/points", 9, 85, "band points -1 outside"},
    {"linear-target", "/criteria/0/method/target", 9, 45, "target must be greater than 0"},
    {"per-occurrence-share", "/criteria/0/method/share", 9, 52, "from 0 to 100, not 150"},
    {"per-occurrence-amount", "/criteria/0/method/amount", 9, 53, "must not be negative: -0.5"},
    {"per-occurrence-both", "/criteria/0/method", 9, 16, "not both"},
    {"per-occurrence-kind", "/criteria/0/measure/kind", 8, 26,
     "\"task_share_completed\" cannot be used with per_occurrence"},
    {"tiers-order", "/tiers/1/min", 14, 41, "strictly descending: 50 is not below 50"},
    {"tiers-last", "/tiers/1/min", 14, 41, "the lowest tier must have min 0, not 10"},
    {"tiers-duplicate", "/tiers/1/id", 14, 12, "duplicate tier id \"top\""},
    {"duplicate-id", "/criteria/1/id", 10, 12, "duplicate id \"A\""},
    {"item-id", "/deductions/0/id", 12, 25, "duplicate id \"B\""},
    {"veto-cap", "/vetoes/0/cap", 16, 76, "unknown tier \"bottom\""},
    {"veto-no-condition", "/vetoes/0", 16, 14, "a measure veto needs a condition"},
    {"quota-lowest", "/quotas/0/tier", 16, 23, "a quota on the lowest tier"},
    {"quota-of", "/quotas/0/of/0", 16, 50, "unknown tier \"good\""},
    {"quota-share", "/quotas/0/share", 16, 39, "from 0 to 100, not 120"},
    {"quota-minimum", "/quotas/0/minimum", 16, 69, "whole number of units, not 1.5"},
    {"tiebreak-node", "/tie_breakers/0/node", 16, 43, "unknown criterion \"Z\""},
    {"measure-kind", "/criteria/0/measure/kind", 8, 26, "unknown measure kind"},
    {"measure-indicator", "/criteria/0/measure", 8, 17, "missing required key \"indicator\""},
    {"measure-filter", "/criteria/0/measure/field", 8, 52,
     "\"field\" does not apply to measure kind \"report_days_late_worst\""},
    {"measure-denominator", "/criteria/0/measure", 8, 17, "missing required key \"denominator\""},
    {"custom-function", "/criteria/1/method", 10, 59, "missing required key \"function\""},
    {"method-type", "/criteria/1/method/type", 10, 68, "unknown method type \"vote\""},
    {"measure-on-manual", "/criteria/1/measure", 10, 49, "not allowed with a manual"},
    {"children-and-method", "/criteria/1", 10, 5, "either \"children\" or \"method\""},
    {"units-both", "/units", 5, 12, "not both"},
    {"units-empty", "/units/levels", 5, 23, "must not be empty"},
    {"units-repeat", "/units/ids/1", 5, 31, "\"tan-an\" is listed twice"},
    {"period-id", "/period", 4, 13, "id must not be empty"},
    {"missing-item-na", "/bonus/items/0/missing", 12, 170, "must be \"zero\" or \"full\""},
    {"na-rule", "/criteria/1/not_applicable_if", 10, 70, "\"attribute\" and \"in\" go together"},
    {"string-nul", "/criteria/1/title", 10, 26, "\\u0000"},
    {"bad-syntax", "", 3, 19, "unexpected ','"},
};

START_TEST(invalid_file)
{
    char rel[128];
    snprintf(rel, sizeof rel, "criteria/invalid/%s.json", INVALID[_i].file);
    jql_criteria *c = (jql_criteria *)1;
    jql_diagnostics *d = NULL;
    int rc = jql_criteria_load_path(test_data(rel), &c, &d);
    ck_assert_msg(rc == JQL_EINVALID, "%s: rc %d", rel, rc);
    ck_assert_ptr_null(c);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    ck_assert_int_eq(jql_diagnostics_severity(d, 0), JQL_SEVERITY_ERROR);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), INVALID[_i].path);
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), INVALID[_i].line);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), INVALID[_i].col);
    ck_assert_msg(strstr(jql_diagnostics_message(d, 0), INVALID[_i].msg) != NULL,
                  "%s: message \"%s\"", rel, jql_diagnostics_message(d, 0));
    ck_assert_str_eq(jql_diagnostics_source(d), test_data(rel));
    /* the error message names the first problem with its location */
    ck_assert_ptr_nonnull(strstr(jql_last_error(), INVALID[_i].msg));
    jql_diagnostics_free(d);
}
END_TEST

static int load_str(const char *text, jql_diagnostics **d)
{
    jql_criteria *c = NULL;
    int rc = jql_criteria_load_buffer(text, strlen(text), "mem.json", &c, d);
    jql_criteria_free(c);
    return rc;
}

START_TEST(invalid_input)
{
    jql_diagnostics *d = NULL;
    /* invalid UTF-8 at line 2, column 10 */
    ck_assert_int_eq(load_str("{\n  \"id\": \"\xc3\x28\"}", &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 1);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 2);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 10);
    ck_assert_ptr_nonnull(strstr(jql_diagnostics_message(d, 0), "invalid UTF-8 (byte 0x"));
    jql_diagnostics_free(d);

    /* nesting deeper than JQL_MAX_DEPTH */
    char deep[2 * JQL_MAX_DEPTH + 8];
    size_t n = 0;
    for (int i = 0; i < JQL_MAX_DEPTH + 1; i++)
        deep[n++] = '[';
    for (int i = 0; i < JQL_MAX_DEPTH + 1; i++)
        deep[n++] = ']';
    deep[n] = '\0';
    ck_assert_int_eq(load_str(deep, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 1);
    jql_diagnostics_free(d);

    /* larger than JQL_MAX_INPUT_BYTES: refused before reading */
    jql_criteria *c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer("{}", (size_t)JQL_MAX_INPUT_BYTES + 1, NULL, &c, &d),
                     JQL_ELIMIT);
    ck_assert_ptr_null(c);
    ck_assert_str_eq(jql_diagnostics_source(d), "<memory>");
    jql_diagnostics_free(d);

    /* not an object; an empty object misses every required key */
    ck_assert_int_eq(load_str("[]", &d), JQL_EINVALID);
    ck_assert_str_eq(jql_diagnostics_message(d, 0), "expected an object (a criteria set), found an array");
    jql_diagnostics_free(d);
    ck_assert_int_eq(load_str("{}", &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 6); /* format id period units criteria tiers */
    jql_diagnostics_free(d);

    /* every problem is collected, in file order */
    const char *many = "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"m\",\n"
                       " \"period\": \"2014\", \"units\": {\"levels\": [\"d\"]},\n"
                       " \"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": -1,"
                       " \"method\": {\"type\": \"manual\"}, \"x\": 1}],\n"
                       " \"tiers\": [{\"id\": \"t\", \"name\": \"T\", \"min\": 0.0001}]}";
    ck_assert_int_eq(load_str(many, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 3);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/criteria/0/max");
    ck_assert_uint_eq(jql_diagnostics_line(d, 0), 3);
    ck_assert_uint_eq(jql_diagnostics_column(d, 0), 48);
    ck_assert_str_eq(jql_diagnostics_path(d, 1), "/criteria/0/x");
    ck_assert_uint_eq(jql_diagnostics_column(d, 1), 82);
    ck_assert_str_eq(jql_diagnostics_path(d, 2), "/tiers/0/min");
    jql_diagnostics_free(d);

    /* a key carrying \u0000 (cJSON would truncate it to "id") */
    ck_assert_int_eq(load_str("{\"format\": \"justice-quarterly/criteria 1.0\", \"i\\u0000d\": 1}",
                              &d),
                     JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 6); /* and 5 missing keys, at 1:1 */
    ck_assert_str_eq(jql_diagnostics_message(d, 5), "key contains a NUL character (\\u0000)");
    ck_assert_str_eq(jql_diagnostics_path(d, 5), "/i");
    ck_assert_uint_eq(jql_diagnostics_column(d, 5), 46);
    jql_diagnostics_free(d);

    /* a higher minor version is accepted; diag may be NULL */
    const char *minor = "{\"format\": \"justice-quarterly/criteria 1.7\", \"id\": \"m\","
                        " \"period\": \"P\", \"units\": {\"ids\": [\"u\"]},"
                        " \"criteria\": [{\"id\": \"A\", \"title\": \"A\", \"max\": 100,"
                        " \"method\": {\"type\": \"manual\"}}],"
                        " \"tiers\": [{\"id\": \"t\", \"name\": \"T\", \"min\": 0}]}";
    ck_assert_int_eq(load_str(minor, NULL), JQL_OK);

    ck_assert_int_eq(jql_criteria_load_buffer(NULL, 3, NULL, &c, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_load_path(test_data("criteria/no-such-file.json"), &c, &d),
                     JQL_EIO);
    ck_assert_ptr_null(c);
    ck_assert_ptr_null(d);
}
END_TEST

START_TEST(load_file_stream)
{
    FILE *fp = fopen(test_data("criteria/valid/minimal.json"), "rb");
    ck_assert_ptr_nonnull(fp);
    jql_criteria *c = NULL;
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_load_file(fp, "<stdin>", &c, &d), JQL_OK);
    fclose(fp);
    ck_assert_str_eq(jql_diagnostics_source(d), "<stdin>");
    ck_assert_str_eq(jql_criteria_id(c), "minimal");
    ck_assert_int_eq(jql_criteria_scale(c), 100000); /* the default */
    ck_assert_ptr_null(jql_criteria_name(c));
    size_t i;
    ck_assert_int_eq(jql_criteria_node_index(c, "nope", &i), JQL_ENOTFOUND);
    ck_assert_ptr_null(jql_criteria_node_id(c, 2));
    ck_assert_uint_eq(jql_criteria_node_parent(c, 99), JQL_NONE);
    jql_diagnostics_free(d);
    jql_criteria_free(c);
    jql_criteria_free(NULL);
    ck_assert_ptr_null(jql_criteria_id(NULL));
    ck_assert_uint_eq(jql_criteria_node_count(NULL), 0);
}
END_TEST

/* ---- custom callbacks ---- */

static int freed[3];

static void free_counter(void *user) { (*(int *)user)++; }

static int cb(void *user, jql_custom_ctx *ctx)
{
    (void)user;
    return jql_custom_set_points(ctx, 0) == JQL_OK ? 0 : 1;
}

START_TEST(register_custom)
{
    memset(freed, 0, sizeof freed);
    jql_criteria *c = load_ok(test_data("criteria/valid/minimal.json"), NULL);
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cb, &freed[0], free_counter), JQL_OK);
    ck_assert_int_eq(jql_criteria_custom_register(c, "g", cb, &freed[1], free_counter), JQL_OK);
    ck_assert_uint_eq(c->ncustoms, 2);
    /* replacing "f" frees the old user data, once */
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cb, &freed[2], free_counter), JQL_OK);
    ck_assert_uint_eq(c->ncustoms, 2);
    ck_assert_int_eq(freed[0], 1);
    ck_assert_int_eq(freed[2], 0);
    ck_assert_ptr_eq(c->customs[0].user, &freed[2]);
    /* re-registering the same user data does not free it */
    ck_assert_int_eq(jql_criteria_custom_register(c, "f", cb, &freed[2], free_counter), JQL_OK);
    ck_assert_int_eq(freed[2], 0);
    ck_assert_int_eq(jql_criteria_custom_register(c, "h", cb, NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_criteria_custom_register(c, "", cb, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_custom_register(c, "x", NULL, NULL, NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_custom_register(NULL, "x", cb, NULL, NULL), JQL_EINVALID);
    jql_criteria_free(c);
    ck_assert_int_eq(freed[0], 1);
    ck_assert_int_eq(freed[1], 1);
    ck_assert_int_eq(freed[2], 1);
}
END_TEST

/* ---- the check against a dataset ---- */

static jql_dataset *check_dataset(void)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    size_t u;
    ck_assert_int_eq(jql_unit_add(ds, "tan-an", "Tân An", "district", NULL, &u), JQL_OK);
    ck_assert_int_eq(jql_unit_set_cluster(ds, u, "cum-2"), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "ben-luc", "Bến Lức", "district", NULL, &u), JQL_OK);
    ck_assert_int_eq(jql_unit_set_cluster(ds, u, "cum-9"), JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "signed", "Signed", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "civil-status", "CS", NULL, JQL_AGG_SUM, NULL),
                     JQL_OK);
    jql_date due;
    ck_assert_int_eq(jql_date_parse("2014-03-15", &due), JQL_OK);
    ck_assert_int_eq(jql_report_add(ds, "tan-an", "2014-Q1", "work", due, due, true, NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_event_add(ds, "tan-an", due, "initiative", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_event_add(ds, "tan-an", due, "discipline", NULL, NULL), JQL_OK);
    return ds;
}

/* Find the diagnostic at `path`; its index or -1. */
static long find_diag(const jql_diagnostics *d, const char *path, jql_severity sev)
{
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        if (strcmp(jql_diagnostics_path(d, i), path) == 0 && jql_diagnostics_severity(d, i) == sev)
            return (long)i;
    return -1;
}

START_TEST(check_against_dataset)
{
    jql_dataset *ds = check_dataset();
    jql_criteria *c = load_ok(test_data("criteria/valid/everything.json"), NULL);
    jql_diagnostics *d = NULL;
    ck_assert_int_eq(jql_criteria_check(c, ds, &d), JQL_EINVALID);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "does not fit the dataset"));
    ck_assert_str_eq(jql_diagnostics_source(d), test_data("criteria/valid/everything.json"));
    /* errors: unknown indicators, a cluster not declared, an unregistered callback */
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 4);
    long i = find_diag(d, "/criteria/1/children/0/measure/denominator", JQL_SEVERITY_ERROR);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(jql_diagnostics_message(d, (size_t)i), "unknown indicator \"sent\"");
    ck_assert_uint_eq(jql_diagnostics_line(d, (size_t)i), 0);
    i = find_diag(d, "/criteria/1/children/1/measure/indicator", JQL_SEVERITY_ERROR);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(jql_diagnostics_message(d, (size_t)i), "unknown indicator \"errors-found\"");
    i = find_diag(d, "/clusters", JQL_SEVERITY_ERROR);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(jql_diagnostics_message(d, (size_t)i),
                     "scored unit \"ben-luc\" is in cluster \"cum-9\", which is not declared");
    i = find_diag(d, "/criteria/0/children/5/method/function", JQL_SEVERITY_ERROR);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(jql_diagnostics_message(d, (size_t)i),
                     "custom function \"mediation_success_rate\" is not registered");
    /* warnings: kinds the dataset never uses */
    i = find_diag(d, "/criteria/0/children/0/measure/report_kind", JQL_SEVERITY_WARNING);
    ck_assert_int_ge(i, 0);
    ck_assert_str_eq(jql_diagnostics_message(d, (size_t)i),
                     "no report of kind \"statistics\" in the dataset");
    ck_assert_int_ge(find_diag(d, "/criteria/0/children/2/measure/event_kind",
                               JQL_SEVERITY_WARNING), 0);
    ck_assert_int_ge(find_diag(d, "/deductions/1/event_kind", JQL_SEVERITY_WARNING), 0);
    ck_assert_int_lt(find_diag(d, "/bonus/items/0/event_kind", JQL_SEVERITY_WARNING), 0);
    ck_assert_int_lt(find_diag(d, "/vetoes/0/event_kind", JQL_SEVERITY_WARNING), 0);
    ck_assert_int_lt(find_diag(d, "/tie_breakers/2/measure/event_kind", JQL_SEVERITY_WARNING),
                     0);
    ck_assert_uint_eq(jql_diagnostics_count(d), 7);
    jql_diagnostics_free(d);

    /* fix what the dataset can't: register the callback, add the indicators
       and declare the cluster by scoring tan-an only */
    ck_assert_int_eq(jql_criteria_custom_register(c, "mediation_success_rate", cb, NULL, NULL),
                     JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "sent", "Sent", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "errors-found", "E", NULL, JQL_AGG_SUM, NULL),
                     JQL_OK);
    jql_free(c->unit_ids[1]);
    c->unit_ids[1] = NULL;
    c->nunit_ids = 1;
    ck_assert_int_eq(jql_criteria_check(c, ds, &d), JQL_OK);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 0);
    ck_assert_uint_eq(jql_diagnostics_count(d), 3); /* the warnings stay */
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_check(c, ds, NULL), JQL_OK);
    jql_criteria_free(c);

    /* unknown scored units and period, an absent level */
    c = load_ok(test_data("criteria/valid/minimal.json"), NULL);
    ck_assert_int_eq(jql_criteria_check(c, ds, &d), JQL_OK); /* 2014 is a standard id */
    ck_assert_uint_eq(jql_diagnostics_count(d), 0);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_str_replace(&c->period, "2014-Q9"), JQL_OK);
    ck_assert_int_eq(jql_str_replace(&c->unit_levels[0], "commune"), JQL_OK);
    ck_assert_int_eq(jql_criteria_check(c, ds, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_count(d), 2);
    ck_assert_str_eq(jql_diagnostics_path(d, 0), "/period");
    ck_assert_str_eq(jql_diagnostics_path(d, 1), "/units/levels/0");
    ck_assert_int_eq(jql_diagnostics_severity(d, 1), JQL_SEVERITY_WARNING);
    jql_diagnostics_free(d);
    jql_criteria_free(c);

    c = load_ok(test_data("scoring/worked-example/criteria.json"), NULL);
    ck_assert_int_eq(jql_criteria_check(c, ds, &d), JQL_EINVALID);
    ck_assert_uint_eq(jql_diagnostics_error_count(d), 4); /* U1..U4 */
    ck_assert_str_eq(jql_diagnostics_path(d, 3), "/units/ids/3");
    ck_assert_str_eq(jql_diagnostics_message(d, 3), "unknown unit \"U4\"");
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_check(NULL, ds, &d), JQL_EINVALID);
    ck_assert_ptr_null(d);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- out of memory ---- */

START_TEST(out_of_memory)
{
    test_install_failing_allocator();
    size_t len = 0;
    char *text = test_read_file(example_data("long-an-2014/criteria-2014.json"), &len);
    long n = 0;
    for (;; n++) {
        jql_criteria *c = NULL;
        jql_diagnostics *d = NULL;
        test_fail_after(n);
        int rc = jql_criteria_load_buffer(text, len, "sheet", &c, &d);
        /* on until a load makes no more allocations: past a first success
           whose failure was made up for, too */
        bool hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (rc == JQL_OK) {
            ck_assert_ptr_nonnull(c);
            jql_diagnostics_free(d);
            jql_criteria_free(c);
            if (!hit)
                break;
            continue;
        }
        ck_assert_msg(rc == JQL_ENOMEM, "allocation %ld: rc %d", n, rc);
        ck_assert_ptr_null(c);
        jql_diagnostics_free(d);
    }
    ck_assert_int_gt(n, 100);
    free(text);

    /* an invalid file under failing allocations: ENOMEM or the full report */
    text = test_read_file(test_data("criteria/invalid/quota-of.json"), &len);
    for (n = 0;; n++) {
        jql_criteria *c = NULL;
        jql_diagnostics *d = NULL;
        test_fail_after(n);
        int rc = jql_criteria_load_buffer(text, len, "q", &c, &d);
        bool hit = test_alloc_count() > n;
        test_fail_after(-1);
        ck_assert_ptr_null(c);
        jql_diagnostics_free(d);
        if (rc == JQL_EINVALID && !hit)
            break;
        if (rc == JQL_EINVALID)
            continue;
        ck_assert_int_eq(rc, JQL_ENOMEM);
    }
    free(text);

    /* check and register_custom */
    jql_dataset *ds = check_dataset();
    jql_criteria *c = load_ok(test_data("criteria/valid/everything.json"), NULL);
    for (n = 0;; n++) {
        jql_diagnostics *d = NULL;
        test_fail_after(n);
        int rc = jql_criteria_check(c, ds, &d);
        bool hit = test_alloc_count() > n;
        test_fail_after(-1);
        if (rc == JQL_EINVALID) {
            ck_assert_uint_eq(jql_diagnostics_count(d), 7);
            jql_diagnostics_free(d);
            if (!hit)
                break;
            continue;
        }
        ck_assert_int_eq(rc, JQL_ENOMEM);
        ck_assert_ptr_null(d);
    }
    for (n = 0;; n++) {
        test_fail_after(n);
        int rc = jql_criteria_custom_register(c, "fn", cb, NULL, NULL);
        test_fail_after(-1);
        if (rc == JQL_OK)
            break;
        ck_assert_int_eq(rc, JQL_ENOMEM);
    }
    ck_assert_uint_eq(c->ncustoms, 1);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ---- look-ups by id ---- */

START_TEST(lookups)
{
    jql_criteria *c = load_ok(example_data("long-an-2014/criteria-2014.json"), NULL);
    size_t i = 12345;
    for (size_t n = 0; n < jql_criteria_node_count(c); n++) {
        ck_assert_int_eq(jql_criteria_node_find(c, jql_criteria_node_id(c, n), &i), JQL_OK);
        ck_assert_uint_eq(i, n);
    }
    ck_assert_uint_eq(jql_criteria_tier_count(c), 5);
    for (size_t t = 0; t < jql_criteria_tier_count(c); t++) {
        ck_assert_int_eq(jql_criteria_tier_find(c, jql_criteria_tier_id(c, t), &i), JQL_OK);
        ck_assert_uint_eq(i, t);
    }
    /* vetoes: the accessors show what the loader read */
    ck_assert_uint_eq(jql_criteria_veto_count(c), c->nvetoes);
    ck_assert_uint_eq(jql_criteria_veto_count(c), 2);
    for (size_t v = 0; v < c->nvetoes; v++) {
        ck_assert_str_eq(jql_criteria_veto_id(c, v), c->vetoes[v].id);
        ck_assert_str_eq(jql_criteria_veto_reason(c, v), c->vetoes[v].reason);
        ck_assert_uint_eq(jql_criteria_veto_cap(c, v), c->vetoes[v].cap_tier);
        ck_assert_int_eq(jql_criteria_veto_find(c, c->vetoes[v].id, &i), JQL_OK);
        ck_assert_uint_eq(i, v);
    }
    ck_assert_uint_eq(jql_criteria_veto_cap(c, 0), 3);
    ck_assert_ptr_null(jql_criteria_veto_id(c, 2));
    ck_assert_ptr_null(jql_criteria_veto_reason(c, 2));
    ck_assert_uint_eq(jql_criteria_veto_cap(c, 2), JQL_NONE);
    ck_assert_uint_eq(jql_criteria_veto_count(NULL), 0);
    /* unknown ids leave the index alone; NULL arguments are refused */
    i = 777;
    ck_assert_int_eq(jql_criteria_node_find(c, "no-such-node", &i), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "no-such-node"));
    ck_assert_int_eq(jql_criteria_tier_find(c, "no-such-tier", &i), JQL_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(jql_last_error(), "no-such-tier"));
    ck_assert_int_eq(jql_criteria_veto_find(c, "no-such-veto", &i), JQL_ENOTFOUND);
    ck_assert_int_eq(jql_criteria_tier_find(c, "", &i), JQL_ENOTFOUND);
    ck_assert_uint_eq(i, 777);
    ck_assert_int_eq(jql_criteria_node_find(NULL, "x", &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_node_find(c, NULL, &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_node_find(c, jql_criteria_node_id(c, 0), NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_tier_find(NULL, "x", &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_tier_find(c, NULL, &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_tier_find(c, jql_criteria_tier_id(c, 0), NULL), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_veto_find(NULL, "x", &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_veto_find(c, NULL, &i), JQL_EINVALID);
    ck_assert_int_eq(jql_criteria_veto_find(c, c->vetoes[0].id, NULL), JQL_EINVALID);
    ck_assert_uint_eq(i, 777);
    jql_criteria_free(c);

    /* ids are compared in NFC: "hòa" composed in the file, decomposed asked */
    static const char doc[] =
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"t\", \"period\": \"2014\", "
        "\"scale\": 10, \"units\": {\"levels\": [\"district\"]}, \"criteria\": ["
        "{\"id\": \"h\xC3\xB2" "a\", \"title\": \"N\", \"max\": 10, \"method\": {\"type\": \"manual\"}}], "
        "\"tiers\": [{\"id\": \"h\xC3\xB2" "a-top\", \"name\": \"T\", \"min\": 5}, "
        "{\"id\": \"low\", \"name\": \"L\", \"min\": 0}], "
        "\"vetoes\": [{\"id\": \"h\xC3\xB2" "a-veto\", \"reason\": \"R\", \"cap\": \"low\", "
        "\"event_kind\": \"discipline\"}]}";
    jql_diagnostics *d = NULL;
    c = NULL;
    ck_assert_int_eq(jql_criteria_load_buffer(doc, sizeof doc - 1, "nfc", &c, &d), JQL_OK);
    jql_diagnostics_free(d);
    ck_assert_int_eq(jql_criteria_node_find(c, "ho\xCC\x80" "a", &i), JQL_OK);
    ck_assert_uint_eq(i, 0);
    ck_assert_int_eq(jql_criteria_tier_find(c, "ho\xCC\x80" "a-top", &i), JQL_OK);
    ck_assert_uint_eq(i, 0);
    ck_assert_int_eq(jql_criteria_veto_find(c, "ho\xCC\x80" "a-veto", &i), JQL_OK);
    ck_assert_uint_eq(i, 0);
    ck_assert_uint_eq(jql_criteria_veto_cap(c, 0), 1);
    jql_criteria_free(c);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("criteria");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, worked_example);
    tcase_add_test(tc, example_sheet);
    tcase_add_test(tc, every_key);
    tcase_add_test(tc, warnings);
    tcase_add_loop_test(tc, invalid_file, 0, (int)(sizeof INVALID / sizeof INVALID[0]));
    tcase_add_test(tc, invalid_input);
    tcase_add_test(tc, load_file_stream);
    suite_add_tcase(s, tc);
    tc = tcase_create("use");
    tcase_add_test(tc, register_custom);
    tcase_add_test(tc, lookups);
    tcase_add_test(tc, check_against_dataset);
    tcase_add_test(tc, out_of_memory);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
