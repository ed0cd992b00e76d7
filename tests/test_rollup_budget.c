/* Roll-ups whatever the summaries' budget (score_rollup.h): seeded random
   chains, trees and forests scored under roll-up leaves, vetoes and
   tie-breakers of every measure kind (task fields, event kinds, report
   kinds, directives, statistics, unfiltered kinds) with the budgets
   forced to nothing (every roll-up walked, a task field, event kind or
   report kind read from the units holding it), to a few summaries (some
   kept, the rest walked), to nothing for task fields, event kinds and
   report kinds alone, and left as they are: the results are the same
   bytes, with full evidence, and without evidence (where roll-up leaves
   past the budget are measured before scoring). */
#include <stdarg.h>
#include <stdint.h>

#include "score_helpers.h"
#include "score_rollup.h"

static const char *const report_kinds[] = {"rk0", "rk1", "rk2"};
static const char *const event_kinds[] = {"ek0", "ek1", "ek2", "ek3"};
static const char *const fields[] = {"f0", "f1", "f2"};
static const char *const dates[] = {"2014-01-31", "2014-03-31", "2014-06-30", "2014-09-30",
                                    "2014-12-31", "2013-12-31", "2015-01-05"};

#define PICK(a) (a[test_rnd(sizeof a / sizeof a[0])])

/* A random dataset of n units: shape 0 a chain (each unit the child of the
   one before), 1 a tree, 2 a forest. Units are districts, some communes. */
static char *gen_dataset(unsigned n, unsigned shape)
{
    test_sbuf b = {0};
    test_sbuf_printf(&b, DS_HEAD
                     "\"indicators\": [{\"id\": \"i0\", \"name\": \"i0\"}, "
                     "{\"id\": \"i1\", \"name\": \"i1\", \"aggregation\": \"mean\"}, "
                     "{\"id\": \"i2\", \"name\": \"i2\", \"aggregation\": \"max\"}], \"units\": [");
    for (unsigned u = 0; u < n; u++) {
        test_sbuf_printf(&b, "%s{\"id\": \"u%u\", \"name\": \"u%u\", \"level\": \"%s\"",
                         u ? ", " : "", u, u, u && test_rnd(5) == 0 ? "commune" : "district");
        long parent = -1;
        if (shape == 0 && u)
            parent = u - 1;
        else if (shape == 1 && u)
            parent = test_rnd(u);
        else if (shape == 2 && u && test_rnd(4))
            parent = test_rnd(u);
        if (parent >= 0)
            test_sbuf_printf(&b, ", \"parent\": \"u%ld\"", parent);
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b, "], \"reports\": [");
    bool first = true;
    for (unsigned u = 0; u < n; u++)
        for (unsigned q = 1; q <= 4; q++)
            for (unsigned k = 0; k < 3; k++) {
                if (test_rnd(3))
                    continue;
                static const char *const due[] = {"2014-04-10", "2014-07-10", "2014-10-10",
                                                  "2015-01-10"};
                static const char *const early[] = {"\"2014-04-01\"", "\"2014-07-01\"",
                                                    "\"2014-10-01\"", "\"2015-01-01\""};
                static const char *const late[] = {"\"2014-04-20\"", "\"2014-07-25\"",
                                                   "\"2014-10-11\"", "\"2015-02-10\""};
                unsigned when = test_rnd(4);
                test_sbuf_printf(
                    &b,
                    "%s{\"unit\": \"u%u\", \"period\": \"2014-Q%u\", \"kind\": \"%s\", \"due\": "
                    "\"%s\", \"submitted\": %s, \"complete\": %s}",
                    first ? "" : ", ", u, q, report_kinds[k], due[q - 1],
                    when == 0   ? "null"
                    : when == 1 ? late[q - 1]
                                : early[q - 1],
                    test_rnd(5) ? "true" : "false");
                first = false;
            }
    test_sbuf_printf(&b, "], \"tasks\": [");
    unsigned nt = test_rnd(4 * n + 1);
    for (unsigned t = 0; t < nt; t++) {
        unsigned owners = 1 + (test_rnd(4) == 0) + (test_rnd(8) == 0);
        test_sbuf_printf(&b, "%s{\"id\": \"t%u\", \"title\": \"t\", \"units\": [", t ? ", " : "",
                         t);
        unsigned o0 = test_rnd(n);
        for (unsigned k = 0; k < owners && k < n; k++)
            test_sbuf_printf(&b, "%s\"u%u\"", k ? ", " : "", (o0 + k) % n);
        test_sbuf_printf(&b, "]");
        if (test_rnd(4))
            test_sbuf_printf(&b, ", \"field\": \"%s\"", PICK(fields));
        unsigned st = test_rnd(3);
        test_sbuf_printf(&b, ", \"due\": \"%s\", \"status\": \"%s\"", PICK(dates),
                         st == 0 ? "pending" : "done");
        if (st)
            test_sbuf_printf(&b, ", \"completed\": \"%s\"", PICK(dates));
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b, "], \"directives\": [");
    unsigned nd = test_rnd(6);
    for (unsigned d = 0; d < nd; d++) {
        test_sbuf_printf(&b,
                         "%s{\"id\": \"d%u\", \"issued\": \"2014-01-10\", \"issuer\": \"u0\", "
                         "\"text\": \"d\", \"addressees\": {",
                         d ? ", " : "", d);
        unsigned how = test_rnd(3); /* units, levels, both */
        if (how != 1) {
            unsigned a = test_rnd(n), c = 1 + test_rnd(3);
            test_sbuf_printf(&b, "\"units\": [");
            for (unsigned k = 0; k < c && k < n; k++)
                test_sbuf_printf(&b, "%s\"u%u\"", k ? ", " : "", (a + k) % n);
            test_sbuf_printf(&b, "]%s", how == 2 ? ", " : "");
        }
        if (how != 0)
            test_sbuf_printf(&b, "\"levels\": [\"%s\"]", test_rnd(2) ? "district" : "commune");
        test_sbuf_printf(&b, "}, \"due\": \"%s\"", PICK(dates));
        if (test_rnd(2))
            test_sbuf_printf(&b, ", \"status\": \"done\", \"completed\": \"2014-12-20\"");
        else
            test_sbuf_printf(&b, ", \"status\": \"open\"");
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b, "], \"events\": [");
    unsigned ne = test_rnd(3 * n + 1);
    for (unsigned e = 0; e < ne; e++) {
        test_sbuf_printf(&b, "%s{\"unit\": \"u%u\", \"date\": \"%s\", \"kind\": \"%s\"",
                         e ? ", " : "", test_rnd(n), PICK(dates), PICK(event_kinds));
        if (test_rnd(2))
            test_sbuf_printf(&b, ", \"points\": %u.%u", test_rnd(4), test_rnd(10));
        test_sbuf_printf(&b, "}");
    }
    test_sbuf_printf(&b, "], \"statistics\": [");
    first = true;
    for (unsigned u = 0; u < n; u++)
        for (unsigned i = 0; i < 3; i++)
            for (unsigned y = 2013; y <= 2014; y++)
                for (unsigned q = 1; q <= 4; q++) {
                    if (test_rnd(3) == 0)
                        continue;
                    test_sbuf_printf(
                        &b,
                        "%s{\"unit\": \"u%u\", \"indicator\": \"i%u\", \"period\": \"%u-Q%u\", "
                        "\"value\": %u}",
                        first ? "" : ", ", u, i, y, q, test_rnd(12));
                    first = false;
                }
    test_sbuf_printf(&b, "]}");
    return b.s;
}

/* A random measure, usually a roll-up. */
static void gen_measure(test_sbuf *b)
{
    static const char *const kinds[] = {
        "report_days_late_worst", "report_days_late_latest", "report_share_on_time",
        "report_missing", "report_incomplete", "task_share_completed", "task_overdue",
        "task_share_late", "directive_share_completed", "indicator_value", "indicator_ratio",
        "indicator_change", "event_count", "event_points"};
    const char *k = PICK(kinds);
    test_sbuf_printf(b, "{\"kind\": \"%s\"", k);
    if (!strncmp(k, "report_", 7) && test_rnd(3))
        test_sbuf_printf(b, ", \"report_kind\": \"%s\"", PICK(report_kinds));
    if (!strncmp(k, "task_", 5) && test_rnd(3))
        test_sbuf_printf(b, ", \"field\": \"%s\"", PICK(fields));
    if (!strncmp(k, "event_", 6) && test_rnd(3))
        test_sbuf_printf(b, ", \"event_kind\": \"%s\"", PICK(event_kinds));
    if (!strncmp(k, "indicator_", 10)) {
        test_sbuf_printf(b, ", \"indicator\": \"i%u\"", test_rnd(3));
        if (!strcmp(k, "indicator_ratio"))
            test_sbuf_printf(b, ", \"denominator\": \"i%u\"", test_rnd(3));
    }
    test_sbuf_printf(b, ", \"rollup\": %s}", test_rnd(6) ? "true" : "false");
}

static char *gen_criteria(void)
{
    test_sbuf b = {0};
    test_sbuf_printf(&b, CR_HEAD "\"criteria\": [");
    unsigned nl = 2 + test_rnd(9);
    for (unsigned l = 0; l < nl; l++) {
        test_sbuf_printf(&b, "%s{\"id\": \"l%u\", \"title\": \"l\", \"max\": 1, \"measure\": ",
                         l ? ", " : "", l);
        gen_measure(&b);
        if (test_rnd(2))
            test_sbuf_printf(&b, ", \"method\": {\"type\": \"linear\", \"target\": %u}}",
                             1 + test_rnd(5));
        else
            test_sbuf_printf(&b, ", \"method\": {\"type\": \"boolean\", \"at_least\": %u}}",
                             test_rnd(3));
    }
    test_sbuf_printf(&b, "], \"tiers\": [{\"id\": \"a\", \"name\": \"A\", \"min\": 5}, "
                         "{\"id\": \"b\", \"name\": \"B\", \"min\": 0}]");
    unsigned nv = test_rnd(4);
    if (nv) {
        test_sbuf_printf(&b, ", \"vetoes\": [");
        for (unsigned v = 0; v < nv; v++) {
            test_sbuf_printf(&b, "%s{\"id\": \"v%u\", \"reason\": \"r\", \"cap\": \"b\", ",
                             v ? ", " : "", v);
            if (test_rnd(4) == 0)
                test_sbuf_printf(&b, "\"event_kind\": \"%s\"}", PICK(event_kinds));
            else {
                test_sbuf_printf(&b, "\"measure\": ");
                gen_measure(&b);
                test_sbuf_printf(&b, ", \"at_least\": %u}", test_rnd(3));
            }
        }
        test_sbuf_printf(&b, "]");
    }
    if (test_rnd(2)) {
        test_sbuf_printf(&b, ", \"tie_breakers\": [");
        unsigned nb = 1 + test_rnd(2);
        for (unsigned t = 0; t < nb; t++) {
            test_sbuf_printf(&b, "%s{\"by\": \"measure\", \"measure\": ", t ? ", " : "");
            gen_measure(&b);
            test_sbuf_printf(&b, ", \"order\": \"%s\"}", test_rnd(2) ? "asc" : "desc");
        }
        test_sbuf_printf(&b, "]");
    }
    if (test_rnd(3) == 0) {
        test_sbuf_printf(
            &b,
            ", \"bonus\": {\"cap\": 2, \"items\": [{\"id\": \"bi\", \"title\": \"b\", \"max\": 1, "
            "\"source\": \"computed\", \"measure\": ");
        gen_measure(&b);
        test_sbuf_printf(&b, ", \"method\": {\"type\": \"linear\", \"target\": 3}}]}");
    }
    test_sbuf_printf(&b, "}");
    return b.s;
}

/* The results JSON of a scoring of 2014 with the budgets forced to
   `forced` (0: as they are; SIZE_MAX: the owned kinds' to nothing, the
   others' as they are), with or without evidence (malloc'd). */
static char *budget_json(const jql_dataset *ds, const jql_criteria *c, size_t forced,
                        bool evidence)
{
    jql_rollup_budget_forced = forced == SIZE_MAX ? 0 : forced;
    jql_rollup_owned_forced = forced == SIZE_MAX ? 1 : 0;
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.flags = JQL_SCORE_ALLOW_EMPTY | (evidence ? 0 : JQL_SCORE_NO_EVIDENCE);
    jql_results *r = NULL;
    int rc = jql_score_with(ds, c, "2014", &o, &r);
    jql_rollup_budget_forced = jql_rollup_owned_forced = 0;
    ck_assert_msg(rc == JQL_OK, "jql_score_with: %s (%s)", jql_strerror(rc), jql_last_error());
    char *js = NULL;
    size_t len;
    ck_assert_int_eq(jql_results_to_json_level(r, evidence ? JQL_EVIDENCE_FULL : JQL_EVIDENCE_NONE,
                                               &js, &len),
                     JQL_OK);
    jql_results_free(r);
    return js;
}

/* The first byte where a and b differ, for the failure message. */
static size_t differ_at(const char *a, const char *b)
{
    size_t i = 0;
    while (a[i] && a[i] == b[i])
        i++;
    return i;
}

START_TEST(same_bytes_whatever_the_budget)
{
    test_rnd_seed(0x5eed0b0d9e7ULL + (unsigned long long)_i);
    unsigned cases = 0, walked_something = 0;
    for (unsigned k = 0; k < 100; k++) {
        unsigned n = 2 + test_rnd(k % 10 == 9 ? 60 : 16), shape = k % 3;
        char *dj = gen_dataset(n, shape), *cj = gen_criteria();
        jql_dataset *ds = ds_json(dj);
        jql_criteria *c = cr_json(cj);
        /* nothing, two units' summaries, nothing for task fields, event
           kinds and report kinds (the others' kept), against the defaults */
        size_t budgets[] = {1, 2 * 112 * (size_t)n + test_rnd(4096), SIZE_MAX};
        for (int ev = 1; ev >= 0; ev--) {
            char *want = budget_json(ds, c, 0, ev);
            for (size_t b = 0; b < 3; b++) {
                char *got = budget_json(ds, c, budgets[b], ev);
                if (strcmp(want, got)) {
                    size_t at = differ_at(want, got);
                    fprintf(stderr, "dataset: %s\ncriteria: %s\n", dj, cj);
                    ck_abort_msg("case %u (%u units, shape %u), budget %zu, evidence %d: "
                                 "differs at byte %zu: ...%.80s... vs ...%.80s...",
                                 k, n, shape, budgets[b], ev, at, want + (at > 40 ? at - 40 : 0),
                                 got + (at > 40 ? at - 40 : 0));
                }
                jql_free(got);
            }
            walked_something += strstr(cj, "\"rollup\": true") != NULL;
            jql_free(want);
        }
        cases++;
        jql_criteria_free(c);
        jql_dataset_free(ds);
        free(dj);
        free(cj);
    }
    ck_assert_uint_eq(cases, 100);
    ck_assert_uint_gt(walked_something, 100);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("rollup_budget");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, same_bytes_whatever_the_budget, 0, 3);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
