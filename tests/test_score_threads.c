/*
 * Scoring on several threads (jql_score_options version 4, `threads`;
 * lib/score_threads.c): every output is the same bytes whatever the
 * number of threads, and an error is the one a scoring on one thread
 * reports. Checked through the public API only, on seeded datasets of a
 * few hundred to two thousand communes built here with every kind of
 * record (statistics monthly and quarterly, reports on time, late, never
 * and incomplete, tasks, directives, events, assessments appraised, self
 * only and not applicable), clones among them for ties, and a sheet with
 * every part of the format: bands, linear, boolean, per-occurrence,
 * manual and custom leaves, missing rules, not_applicable_if, bonus and
 * deduction items of the three sources, event and measure vetoes, a
 * quota, clusters and tie-breakers of the three kinds.
 *
 * Whether the threads are really used is seen through a custom leaf
 * allowed on any thread (JQL_SCORE_CUSTOM_ANY_THREAD): it records the
 * threads that call it, so a scoring that silently stayed on one thread
 * fails here too. tests/run.sh also runs this suite under ThreadSanitizer.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "score_helpers.h"

/* Not ck_assert(): Check records every assertion that holds (a write),
   which the generator's tens of thousands of calls would pay for. */
#define OK(call)                                                                            \
    do {                                                                                    \
        int ok_rc_ = (call);                                                                \
        if (ok_rc_ != JQL_OK)                                                               \
            ck_abort_msg("%s: %s (%s)", #call, jql_status_name(ok_rc_), jql_last_error()); \
    } while (0)
#define PER JQL_SCORE_UNITS_PER_THREAD

/* ------------------------------------------------------------------ */
/* The dataset                                                          */
/* ------------------------------------------------------------------ */

/* What the generator knows of each unit (by dataset index), for the
   custom function. */
typedef struct {
    size_t nunits;       /* every unit of the dataset */
    size_t *first_event; /* an event of the unit in 2014, or JQL_NONE */
    size_t *first_task;  /* a task of the unit, or JQL_NONE */
    unsigned *key;       /* the unit's seed: clones share it */
    size_t first_commune;
} gen_info;

static void gen_info_free(gen_info *g)
{
    free(g->first_event);
    free(g->first_task);
    free(g->key);
    memset(g, 0, sizeof *g);
}

static unsigned long long mix(unsigned long long x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static jql_date day(int y, int m, int d)
{
    jql_date out = JQL_NO_DATE;
    if (jql_date_from_ymd(y, m, d, &out) != JQL_OK)
        ck_abort_msg("no date %d-%d-%d", y, m, d);
    return out;
}

static const int month_len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/* One commune's records, drawn from test_rnd() seeded with its key. */
static void gen_commune(jql_dataset *ds, gen_info *g, size_t u, const char *id, bool heavy)
{
    char buf[64], per[16];
    jql_date y14 = day(2014, 1, 1);
    g->first_event[u] = g->first_task[u] = JQL_NONE;
    OK(jql_unit_set_attr(ds, u, "kind", test_rnd(4) == 0 ? "urban" : "rural"));

    /* indicator a: none, 2014 only, monthly (a long pair) or quarterly */
    unsigned mode = test_rnd(10);
    for (int y = 2013; y <= 2014 && mode != 0; y++) {
        if (y == 2013 && mode == 1)
            continue;
        if (mode <= 3) {
            for (int m = 1; m <= 12; m++) {
                snprintf(per, sizeof per, "%d-M%02d", y, m);
                OK(jql_stat_set_value(ds, id, "a", per, 1000 * (jql_milli)test_rnd(70)));
            }
        } else {
            for (int q = 1; q <= 4; q++) {
                snprintf(per, sizeof per, "%d-Q%d", y, q);
                OK(jql_stat_set_value(ds, id, "a", per, 1000 * (jql_milli)test_rnd(200)));
            }
        }
    }
    /* indicator b: the ratio's denominator, 0 for some (no data) */
    unsigned bmode = test_rnd(8);
    for (int q = 1; q <= 4 && bmode != 1; q++) {
        snprintf(per, sizeof per, "2014-Q%d", q);
        OK(jql_stat_set_value(ds, id, "b", per,
                              bmode == 0 ? 0 : 1000 * (jql_milli)(1 + test_rnd(300))));
    }

    /* quarterly statistics reports: on time, incomplete, late, never */
    for (int q = 1; q <= 4; q++) {
        snprintf(per, sizeof per, "2014-Q%d", q);
        jql_date due = day(2014 + q / 4, q == 4 ? 1 : 3 * q + 1, 10);
        unsigned r = test_rnd(10);
        jql_date sub = r == 0 ? JQL_NO_DATE
                       : r <= 3 ? due + 1 + (jql_date)test_rnd(20)
                                : due - (jql_date)test_rnd(5);
        OK(jql_report_add(ds, id, per, "statistics", due, sub, r != 4, NULL));
    }
    if (test_rnd(3) == 0) /* a second kind, for the measures without one */
        OK(jql_report_add(ds, id, "2014", "plan", day(2014, 2, 15),
                          test_rnd(2) ? day(2014, 2, 10) : JQL_NO_DATE, true, NULL));

    /* tasks: pending, in progress, done on time, done late */
    unsigned ntasks = test_rnd(6);
    for (unsigned t = 0; t < ntasks; t++) {
        size_t ti;
        jql_date due = y14 + (jql_date)test_rnd(365);
        snprintf(buf, sizeof buf, "%s-t%u", id, t);
        OK(jql_task_add(ds, buf, "Việc", due, &ti));
        OK(jql_task_add_owner(ds, ti, id));
        unsigned s = test_rnd(4);
        if (s == 1)
            OK(jql_task_set_status(ds, ti, JQL_TASK_IN_PROGRESS, JQL_NO_DATE));
        else if (s >= 2)
            OK(jql_task_set_status(ds, ti, JQL_TASK_DONE,
                                   s == 2 ? due - (jql_date)test_rnd(10)
                                          : due + 1 + (jql_date)test_rnd(30)));
        if (g->first_task[u] == JQL_NONE)
            g->first_task[u] = ti;
    }

    /* a directive of its own, for some */
    if (test_rnd(3) == 0) {
        size_t d;
        jql_date issued = y14 + 9 + (jql_date)test_rnd(100);
        snprintf(buf, sizeof buf, "%s-cd", id);
        OK(jql_directive_add(ds, buf, issued, "p", "Chỉ đạo", &d));
        OK(jql_directive_set_due(ds, d, issued + 30 + (jql_date)test_rnd(90)));
        OK(jql_directive_add_unit(ds, d, id));
        if (test_rnd(2))
            OK(jql_directive_set_status(ds, d, JQL_DIRECTIVE_DONE, issued + 20));
    }

    /* events: awards with points, complaints, now and then a discipline,
       some in 2013 (outside the period) */
    unsigned nawards = test_rnd(3) + (heavy ? 120 : 0);
    for (unsigned e = 0; e < nawards; e++) {
        size_t ei;
        OK(jql_event_add(ds, id, y14 + (jql_date)test_rnd(365), "award", NULL, &ei));
        OK(jql_event_set_points(ds, ei, 500 * (jql_milli)(1 + test_rnd(3))));
        if (g->first_event[u] == JQL_NONE)
            g->first_event[u] = ei;
    }
    if (test_rnd(2) == 0)
        OK(jql_event_add(ds, id, y14 - 1 - (jql_date)test_rnd(300), "award", NULL, NULL));
    if (test_rnd(5) == 0) {
        size_t ei;
        OK(jql_event_add(ds, id, y14 + (jql_date)test_rnd(365), "complaint", NULL, &ei));
        OK(jql_event_set_points(ds, ei, 1000 * (jql_milli)(1 + test_rnd(2))));
    }
    if (test_rnd(40) == 0)
        OK(jql_event_add(ds, id, y14 + (jql_date)test_rnd(365), "discipline", NULL, NULL));

    /* assessments: the manual leaf appraised, self only, none or not
       applicable; an appraisal over a computed leaf; a manual bonus; an
       inner node not applicable */
    size_t ai;
    unsigned m = test_rnd(10);
    if (m == 1)
        OK(jql_assessment_add(ds, id, "2014", "manual", 1000 * (jql_milli)test_rnd(16),
                              JQL_NO_SCORE, NULL));
    else if (m == 2) {
        OK(jql_assessment_add(ds, id, "2014", "manual", JQL_NO_SCORE, JQL_NO_SCORE, &ai));
        OK(jql_assessment_set_not_applicable(ds, ai, true));
    } else if (m > 2)
        OK(jql_assessment_add(ds, id, "2014", "manual",
                              test_rnd(2) ? 1000 * (jql_milli)test_rnd(16) : JQL_NO_SCORE,
                              1000 * (jql_milli)test_rnd(16), NULL));
    if (test_rnd(3))
        OK(jql_assessment_add(ds, id, "2014", "rural", JQL_NO_SCORE, 1000 * (jql_milli)test_rnd(6),
                              NULL));
    if (test_rnd(15) == 0)
        OK(jql_assessment_add(ds, id, "2014", "value", JQL_NO_SCORE, 5000, NULL));
    if (test_rnd(5) == 0)
        OK(jql_assessment_add(ds, id, "2014", "b-manual", 1500, 500 * (jql_milli)test_rnd(5),
                              NULL));
    if (test_rnd(30) == 0) {
        OK(jql_assessment_add(ds, id, "2014", "tasks", JQL_NO_SCORE, JQL_NO_SCORE, &ai));
        OK(jql_assessment_set_not_applicable(ds, ai, true));
    }
}

/*
 * A province, districts and `ncommunes` communes (level "commune", ids
 * c00000...), then `nspare` more of level "spare" (not scored until their
 * level is changed). One commune in six draws its records from one of
 * three shared seeds (clones: the same records but for ids, so ties).
 * Communes from `heavy_from` on cite 120 awards more each. `seed` draws
 * everything.
 */
static jql_dataset *gen(unsigned long long seed, size_t ncommunes, size_t nspare, size_t heavy_from,
                        gen_info *g)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    size_t total = ncommunes + nspare, ndistricts = total / 64 + 2;
    memset(g, 0, sizeof *g);
    g->nunits = 1 + ndistricts + total;
    g->first_event = calloc(g->nunits, sizeof *g->first_event);
    g->first_task = calloc(g->nunits, sizeof *g->first_task);
    g->key = calloc(g->nunits, sizeof *g->key);
    ck_assert(g->first_event && g->first_task && g->key);
    for (size_t u = 0; u < g->nunits; u++)
        g->first_event[u] = g->first_task[u] = JQL_NONE;

    OK(jql_indicator_add(ds, "a", "A", NULL, JQL_AGG_SUM, NULL));
    OK(jql_indicator_add(ds, "b", "B", NULL, JQL_AGG_SUM, NULL));
    char id[32], name[64];
    for (int y = 2013; y <= 2014; y++)
        for (int m = 1; m <= 12; m++) {
            snprintf(id, sizeof id, "%d-M%02d", y, m);
            int len = month_len[m - 1] + (m == 2 && y % 4 == 0);
            OK(jql_period_add(ds, id, NULL, day(y, m, 1), day(y, m, len), NULL));
        }
    OK(jql_unit_add(ds, "p", "Tỉnh", "province", NULL, NULL));
    for (size_t d = 0; d < ndistricts; d++) {
        snprintf(id, sizeof id, "d%03zu", d);
        snprintf(name, sizeof name, "Huyện %zu", d);
        OK(jql_unit_add(ds, id, name, "district", "p", NULL));
    }
    g->first_commune = 1 + ndistricts;
    unsigned long long clones[3] = {mix(seed ^ 1), mix(seed ^ 2), mix(seed ^ 3)};
    for (size_t i = 0; i < total; i++) {
        size_t u;
        char parent[32];
        snprintf(id, sizeof id, "c%05zu", i);
        snprintf(name, sizeof name, "Xã %zu", i);
        snprintf(parent, sizeof parent, "d%03zu", i * ndistricts / total);
        OK(jql_unit_add(ds, id, name, i < ncommunes ? "commune" : "spare", parent, &u));
        unsigned long long h = mix(seed * 1000003ULL + i);
        unsigned long long useed = h % 6 == 0 ? clones[h / 6 % 3] : h;
        g->key[u] = (unsigned)(useed >> 40);
        test_rnd_seed(useed | 1);
        if (test_rnd(7) != 0) {
            snprintf(name, sizeof name, "k%u", test_rnd(5));
            OK(jql_unit_set_cluster(ds, u, name));
        }
        gen_commune(ds, g, u, id, i >= heavy_from);
    }
    /* directives to every commune, by level */
    for (int k = 0; k < 3; k++) {
        size_t d;
        snprintf(id, sizeof id, "all-%d", k);
        OK(jql_directive_add(ds, id, day(2014, 2 + 3 * k, 1), "p", "Mọi xã", &d));
        OK(jql_directive_set_due(ds, d, day(2014, 3 + 3 * k, 15)));
        OK(jql_directive_add_level(ds, d, "commune"));
        if (k == 0)
            OK(jql_directive_set_status(ds, d, JQL_DIRECTIVE_DONE, day(2014, 3, 1)));
    }
    return ds;
}

/* ------------------------------------------------------------------ */
/* The sheets                                                           */
/* ------------------------------------------------------------------ */

enum {
    SHEET_CUSTOM = 1,       /* a custom leaf ("probe") */
    SHEET_ROLLUP_LEAF = 2,  /* roll-up measures: on a leaf, */
    SHEET_ROLLUP_ITEM = 4,  /* a bonus item, */
    SHEET_ROLLUP_VETO = 8,  /* a veto, */
    SHEET_ROLLUP_TB = 16,   /* a tie-breaker */
    SHEET_ROLLUP_ANY = 2 | 4 | 8 | 16,
    SHEET_CUSTOM_ONLY = 32, /* nothing but the custom leaf */
    SHEET_AWARDS_ONLY = 64, /* nothing but a leaf citing the awards */
    SHEET_LIGHT = 128,      /* the custom leaf and a few parts citing records */
};

static jql_criteria *sheet(unsigned what)
{
    char text[16384];
    bool rollup = what & SHEET_ROLLUP_ANY;
    if (what & SHEET_CUSTOM_ONLY) {
        snprintf(text, sizeof text,
                 "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"c\", \"period\":"
                 " \"2014\","
                 " \"scale\": 10, \"units\": {\"levels\": [\"commune\"]},"
                 " \"criteria\": [{\"id\": \"cust\", \"title\": \"C\", \"max\": 10,"
                 "   \"method\": {\"type\": \"custom\", \"function\": \"probe\"}}],"
                 " \"tiers\": [{\"id\": \"good\", \"name\": \"Good\", \"min\": 5},"
                 "   {\"id\": \"rest\", \"name\": \"Rest\", \"min\": 0}]}");
        return cr_json(text);
    }
    if (what & SHEET_LIGHT) {
        snprintf(text, sizeof text,
                 "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"l\", \"period\":"
                 " \"2014\","
                 " \"scale\": 30, \"units\": {\"levels\": [\"commune\"]},"
                 " \"criteria\": [{\"id\": \"cust\", \"title\": \"C\", \"max\": 10,"
                 "   \"method\": {\"type\": \"custom\", \"function\": \"probe\"}},"
                 "  {\"id\": \"awards\", \"title\": \"A\", \"max\": 10,"
                 "   \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\"},"
                 "   \"method\": {\"type\": \"linear\", \"target\": 3}},"
                 "  {\"id\": \"worst\", \"title\": \"W\", \"max\": 10,"
                 "   \"measure\": {\"kind\": \"report_days_late_worst\"},"
                 "   \"method\": {\"type\": \"bands\", \"bands\": [{\"at_most\": 0, \"points\":"
                 " 10},"
                 "     {\"at_most\": 10, \"points\": 5}, {\"points\": 0}]}}],"
                 " \"bonus\": {\"items\": [{\"id\": \"b-award\", \"title\": \"B\", \"max\": 2,"
                 "   \"source\": \"events\", \"event_kind\": \"award\"}]},"
                 " \"deductions\": [{\"id\": \"d-complaint\", \"title\": \"D\", \"max\": 2,"
                 "   \"source\": \"events\", \"event_kind\": \"complaint\"}],"
                 " \"tiers\": [{\"id\": \"good\", \"name\": \"Good\", \"min\": 20},"
                 "   {\"id\": \"rest\", \"name\": \"Rest\", \"min\": 0}],"
                 " \"vetoes\": [{\"id\": \"discipline\", \"reason\": \"D\", \"event_kind\":"
                 " \"discipline\","
                 "   \"cap\": \"rest\"}, {\"id\": \"silent\", \"reason\": \"S\","
                 "   \"measure\": {\"kind\": \"report_missing\"}, \"at_least\": 1, \"cap\":"
                 " \"rest\"}],"
                 " \"tie_breakers\": [{\"by\": \"node\", \"node\": \"awards\"}]}");
        return cr_json(text);
    }
    if (what & SHEET_AWARDS_ONLY) {
        snprintf(text, sizeof text,
                 "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"a\", \"period\":"
                 " \"2014\","
                 " \"scale\": 10, \"units\": {\"levels\": [\"commune\"]},"
                 " \"criteria\": [{\"id\": \"awards\", \"title\": \"A\", \"max\": 10,"
                 "   \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\"},"
                 "   \"method\": {\"type\": \"linear\", \"target\": 10}}],"
                 " \"tiers\": [{\"id\": \"good\", \"name\": \"Good\", \"min\": 5},"
                 "   {\"id\": \"rest\", \"name\": \"Rest\", \"min\": 0}]}");
        return cr_json(text);
    }
    snprintf(
        text, sizeof text,
        "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"threads\","
        " \"name\": \"Thi đua xã 2014\", \"period\": \"2014\", \"scale\": 100,"
        " \"units\": {\"levels\": [%s]},"
        " \"clusters\": [\"k0\", \"k1\", \"k2\", \"k3\", \"k4\"],"
        " \"criteria\": ["
        "  {\"id\": \"reporting\", \"title\": \"Báo cáo\", \"max\": 20, \"children\": ["
        "    {\"id\": \"rep-worst\", \"title\": \"Worst\", \"max\": 10,"
        "     \"measure\": {\"kind\": \"report_days_late_worst\", \"report_kind\": \"statistics\"},"
        "     \"method\": {\"type\": \"bands\", \"bands\": [{\"at_most\": 0, \"points\": 10},"
        "       {\"at_most\": 5, \"points\": 6}, {\"at_most\": 15, \"points\": 3}, {\"points\":"
        " 0}]}},"
        "    {\"id\": \"rep-missing\", \"title\": \"Missing\", \"max\": 5,"
        "     \"measure\": {\"kind\": \"report_missing\"},"
        "     \"method\": {\"type\": \"per_occurrence\", \"amount\": 2}},"
        "    {\"id\": \"rep-plan\", \"title\": \"Plan\", \"max\": 5, \"missing\": \"full\","
        "     \"measure\": {\"kind\": \"report_share_on_time\", \"report_kind\": \"plan\"},"
        "     \"method\": {\"type\": \"linear\", \"target\": 100}}]},"
        "  {\"id\": \"tasks\", \"title\": \"Nhiệm vụ\", \"max\": 20, \"children\": ["
        "    {\"id\": \"task-done\", \"title\": \"Done\", \"max\": 10, \"missing\":"
        " \"not_applicable\","
        "     \"measure\": {\"kind\": \"task_share_completed\"},"
        "     \"method\": {\"type\": \"linear\", \"target\": 100}},"
        "    {\"id\": \"task-overdue\", \"title\": \"Overdue\", \"max\": 5,"
        "     \"measure\": {\"kind\": \"task_overdue\"},"
        "     \"method\": {\"type\": \"per_occurrence\", \"share\": 25}},"
        "    {\"id\": \"dir-done\", \"title\": \"Directives\", \"max\": 5,"
        "     \"measure\": {\"kind\": \"directive_share_completed\"},"
        "     \"method\": {\"type\": \"boolean\", \"at_least\": 50}}]},"
        "  {\"id\": \"stats\", \"title\": \"Số liệu\", \"max\": 30, \"children\": ["
        "    {\"id\": \"value\", \"title\": \"Value\", \"max\": 10,"
        "     \"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"a\"},"
        "     \"method\": {\"type\": \"linear\", \"target\": 600}},"
        "    {\"id\": \"ratio\", \"title\": \"Ratio\", \"max\": 10,"
        "     \"measure\": {\"kind\": \"indicator_ratio\", \"indicator\": \"a\", \"denominator\":"
        " \"b\"},"
        "     \"method\": {\"type\": \"bands\", \"bands\": [{\"at_least\": 100, \"points\": 10},"
        "       {\"at_least\": 50, \"points\": 5}, {\"points\": 1}]}},"
        "    {\"id\": \"change\", \"title\": \"Change\", \"max\": 10,"
        "     \"not_applicable_if\": {\"attribute\": \"kind\", \"in\": [\"urban\"]},"
        "     \"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"a\"},"
        "     \"method\": {\"type\": \"bands\", \"bands\": [{\"at_least\": 10, \"points\": 10},"
        "       {\"at_least\": 0, \"points\": 5}, {\"points\": 0}]}}]},"
        "  {\"id\": \"manual\", \"title\": \"Đánh giá\", \"max\": 15, \"method\": {\"type\":"
        " \"manual\"}},"
        "  {\"id\": \"rural\", \"title\": \"Nông thôn\", \"max\": 5, \"missing\":"
        " \"not_applicable\","
        "   \"not_applicable_if\": {\"attribute\": \"kind\", \"in\": [\"urban\"]},"
        "   \"method\": {\"type\": \"manual\"}}"
        "  %s%s],"
        " \"bonus\": {\"cap\": 5, \"items\": ["
        "  {\"id\": \"b-award\", \"title\": \"Awards\", \"max\": 4, \"source\": \"events\","
        "   \"event_kind\": \"award\"},"
        "  {\"id\": \"b-manual\", \"title\": \"Model\", \"max\": 2, \"source\": \"manual\"},"
        "  {\"id\": \"b-growth\", \"title\": \"Growth\", \"max\": 2, \"source\": \"computed\","
        "   \"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"a\"},"
        "   \"method\": {\"type\": \"boolean\", \"at_least\": 20}}%s]},"
        " \"deductions\": ["
        "  {\"id\": \"d-complaint\", \"title\": \"Complaints\", \"max\": 3, \"source\": \"events\","
        "   \"event_kind\": \"complaint\"},"
        "  {\"id\": \"d-late\", \"title\": \"Late\", \"max\": 2, \"source\": \"computed\","
        "   \"measure\": {\"kind\": \"task_share_late\"},"
        "   \"method\": {\"type\": \"bands\", \"bands\": [{\"at_most\": 10, \"points\": 0},"
        "     {\"points\": 2}]}}],"
        " \"tiers\": [{\"id\": \"excellent\", \"name\": \"Xuất sắc\", \"min\": 60},"
        "  {\"id\": \"good\", \"name\": \"Tốt\", \"min\": 45},"
        "  {\"id\": \"completed\", \"name\": \"Hoàn thành\", \"min\": 30},"
        "  {\"id\": \"not-completed\", \"name\": \"Không hoàn thành\", \"min\": 0}],"
        " \"vetoes\": ["
        "  {\"id\": \"discipline\", \"reason\": \"Kỷ luật\", \"event_kind\": \"discipline\","
        "   \"cap\": \"completed\"},"
        "  {\"id\": \"backlog\", \"reason\": \"Tồn đọng\", \"measure\": {\"kind\":"
        " \"task_share_completed\"},"
        "   \"below\": 30, \"cap\": \"good\"},"
        "  {\"id\": \"silent\", \"reason\": \"Không báo cáo\", \"measure\": {\"kind\":"
        " \"report_missing\"},"
        "   \"at_least\": 2, \"cap\": \"completed\"}%s],"
        " \"quotas\": [{\"tier\": \"excellent\", \"share\": 20, \"of\": [\"good\"], \"minimum\":"
        " 1}],"
        " \"tie_breakers\": [{\"by\": \"deductions\"}, {\"by\": \"node\", \"node\": \"reporting\"},"
        "  {\"by\": \"measure\", \"measure\": {\"kind\": \"event_count\", \"event_kind\":"
        " \"award\"},"
        "   \"order\": \"desc\"},"
        "  {\"by\": \"measure\", \"measure\": {\"kind\": \"report_days_late_worst\"}, \"order\":"
        " \"asc\"}%s]}",
        rollup ? "\"province\", \"district\", \"commune\"" : "\"commune\"",
        what & SHEET_CUSTOM
            ? ", {\"id\": \"cust\", \"title\": \"Tự tính\", \"max\": 10,"
              "   \"method\": {\"type\": \"custom\", \"function\": \"probe\"}}"
            : "",
        what & SHEET_ROLLUP_LEAF
            ? ", {\"id\": \"ru-overdue\", \"title\": \"Overdue below\", \"max\": 10,"
              "   \"measure\": {\"kind\": \"task_overdue\", \"rollup\": true},"
              "   \"method\": {\"type\": \"per_occurrence\", \"amount\": 0.5}}"
            : "",
        what & SHEET_ROLLUP_ITEM
            ? ", {\"id\": \"b-ru\", \"title\": \"Awards below\", \"max\": 1, \"source\":"
              " \"computed\","
              "   \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\", \"rollup\":"
              " true},"
              "   \"method\": {\"type\": \"linear\", \"target\": 50}}"
            : "",
        what & SHEET_ROLLUP_VETO
            ? ", {\"id\": \"ru-complaints\", \"reason\": \"Khiếu nại\","
              "   \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"complaint\","
              " \"rollup\": true},"
              "   \"at_least\": 3, \"cap\": \"good\"}"
            : "",
        what & SHEET_ROLLUP_TB
            ? ", {\"by\": \"measure\", \"measure\": {\"kind\": \"indicator_value\", \"indicator\":"
              " \"a\","
              "   \"rollup\": true}, \"order\": \"desc\"}"
            : "");
    return cr_json(text);
}

/* ------------------------------------------------------------------ */
/* The custom function: which threads call it, and how many at once     */
/* ------------------------------------------------------------------ */

#define MAX_SEEN 80

typedef struct {
    const gen_info *g;
    pthread_t caller;
    size_t fail_a, fail_b; /* dataset units it fails for (JQL_NONE: none) */
    atomic_int in_flight, most_in_flight;
    atomic_size_t calls, off_caller;
    pthread_mutex_t mu; /* the two below */
    pthread_t seen[MAX_SEEN];
    size_t nseen;
} probe;

static void probe_reset(probe *p)
{
    p->caller = pthread_self();
    p->fail_a = p->fail_b = JQL_NONE;
    atomic_store(&p->in_flight, 0);
    atomic_store(&p->most_in_flight, 0);
    atomic_store(&p->calls, 0);
    atomic_store(&p->off_caller, 0);
    pthread_mutex_lock(&p->mu);
    p->nseen = 0;
    pthread_mutex_unlock(&p->mu);
}

static void probe_init(probe *p, const gen_info *g)
{
    memset(p, 0, sizeof *p);
    p->g = g;
    pthread_mutex_init(&p->mu, NULL);
    probe_reset(p);
}

/* (plain values for the assertions' messages) */
static size_t probe_calls(probe *p) { return atomic_load(&p->calls); }
static size_t probe_off_caller(probe *p) { return atomic_load(&p->off_caller); }
static int probe_most_at_once(probe *p) { return atomic_load(&p->most_in_flight); }

static size_t probe_threads(probe *p)
{
    pthread_mutex_lock(&p->mu);
    size_t n = p->nseen;
    pthread_mutex_unlock(&p->mu);
    return n;
}

static int probe_fn(void *user, jql_custom_ctx *ctx)
{
    probe *p = user;
    int now = atomic_fetch_add(&p->in_flight, 1) + 1;
    int most = atomic_load(&p->most_in_flight);
    while (now > most && !atomic_compare_exchange_weak(&p->most_in_flight, &most, now))
        ;
    pthread_t me = pthread_self();
    if (!pthread_equal(me, p->caller))
        atomic_fetch_add(&p->off_caller, 1);
    pthread_mutex_lock(&p->mu);
    bool known = false;
    for (size_t i = 0; i < p->nseen && !known; i++)
        known = pthread_equal(p->seen[i], me);
    if (!known && p->nseen < MAX_SEEN)
        p->seen[p->nseen++] = me;
    pthread_mutex_unlock(&p->mu);
    atomic_fetch_add(&p->calls, 1);
    sched_yield(); /* a window in which a second call at once would show */

    size_t u = jql_custom_unit_index(ctx);
    int rc = 0;
    if (u >= p->g->nunits) {
        jql_custom_set_error(ctx, "unit index out of range");
        rc = 1;
    } else if (u == p->fail_a || u == p->fail_b) {
        char msg[96];
        snprintf(msg, sizeof msg, "no figures for %s", jql_custom_unit_id(ctx));
        jql_custom_set_error(ctx, msg);
        rc = 1;
    } else {
        /* the points follow the unit's seed, so clones tie; the rule names
           the unit, so every unit interns a text of its own */
        jql_milli num = (jql_milli)(p->g->key[u] % 15), pts = 0;
        char rule[96];
        snprintf(rule, sizeof rule, "%lld of 12 for %s", (long long)num, jql_custom_unit_id(ctx));
        rc = jql_custom_points_from_ratio(ctx, num * 1000, 12000, &pts) ||
             jql_custom_set_points(ctx, pts) || jql_custom_set_value(ctx, num * 1000) ||
             jql_custom_set_rule(ctx, rule);
        if (!rc && p->g->first_event[u] != JQL_NONE)
            rc = jql_custom_add_evidence(ctx, JQL_EVIDENCE_EVENT, p->g->first_event[u]);
        if (!rc && p->g->first_task[u] != JQL_NONE)
            rc = jql_custom_add_evidence(ctx, JQL_EVIDENCE_TASK, p->g->first_task[u]);
        if (rc)
            jql_custom_set_error(ctx, "the context refused a call");
    }
    atomic_fetch_sub(&p->in_flight, 1);
    return rc ? 1 : 0;
}

static void register_probe(jql_criteria *c, probe *p)
{
    OK(jql_criteria_custom_register(c, "probe", probe_fn, p, NULL));
}

/* The threads a scoring of `units` units asked for `asked` uses: the
   documented rule (score.h), each thread at least
   JQL_SCORE_UNITS_PER_THREAD units, at most JQL_SCORE_MAX_THREADS. */
static size_t threads_used(size_t units, unsigned asked)
{
    size_t n = asked > JQL_SCORE_MAX_THREADS ? JQL_SCORE_MAX_THREADS : asked;
    if (n > units / PER)
        n = units / PER;
    return n < 1 ? 1 : n;
}

/* ------------------------------------------------------------------ */
/* Everything a scoring shows                                          */
/* ------------------------------------------------------------------ */

typedef struct {
    char *data;
    size_t len, cap;
} sbuf;

static int sbuf_sink(void *user, const char *data, size_t len)
{
    sbuf *b = user;
    if (b->len + len + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + len + 1)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p)
            return 1;
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static void sbuf_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sbuf_printf(sbuf *b, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof tmp || sbuf_sink(b, tmp, (size_t)n))
        ck_abort_msg("sbuf_printf: %d", n);
}

#define LEVELS 3
#define NOT_WRITTEN INT_MIN /* doc_rc of a level describe() did not write */
/* Which levels to write: a mask. */
#define L_FULL (1 << JQL_EVIDENCE_FULL)
#define L_IDS (1 << JQL_EVIDENCE_IDS)
#define L_NONE (1 << JQL_EVIDENCE_NONE)
#define L_ALL (L_FULL | L_IDS | L_NONE)

/* A scoring's outcome: its status and message, or its documents at the
   three evidence levels (jql_results_write_cb(); the status of each, as
   results scored without evidence refuse two) and what the accessors
   alone tell (warnings, citations, evidence record numbers, rules). */
typedef struct {
    int rc;
    char error[512];
    int doc_rc[LEVELS];
    char *doc[LEVELS];
    size_t doc_len[LEVELS];
    char *more;
} outcome;

static void outcome_free(outcome *o)
{
    for (int l = 0; l < LEVELS; l++)
        free(o->doc[l]);
    free(o->more);
    memset(o, 0, sizeof *o);
}

static char *accessors(const jql_results *r)
{
    sbuf b = {0};
    const jql_diagnostics *d = jql_results_diagnostics(r);
    ck_assert_ptr_nonnull(d);
    for (size_t i = 0; i < jql_diagnostics_count(d); i++)
        sbuf_printf(&b, "warning %s: %s\n", jql_diagnostics_path(d, i),
                    jql_diagnostics_message(d, i));
    sbuf_printf(&b, "citations %zu\n", jql_results_citation_count(r));
    const char *as_of = jql_results_as_of(r);
    sbuf_printf(&b, "as of %s\n", as_of ? as_of : "(none)");
    size_t nn = jql_results_node_count(r), ni = jql_results_item_count(r);
    for (size_t k = 0; k < jql_results_unit_count(r); k++) {
        const char *id = jql_results_unit_id(r, k);
        size_t at = JQL_NONE;
        OK(jql_results_unit_find(r, id, &at));
        if (at != k)
            ck_abort_msg("unit %s found at %zu, not %zu", id, at, k);
        sbuf_printf(&b, "%s rank %zu/%zu vetoes", id, jql_results_unit_rank(r, k),
                    jql_results_unit_cluster_rank(r, k));
        for (size_t v = 0; v < jql_results_unit_veto_count(r, k); v++)
            sbuf_printf(&b, " %s", jql_results_unit_veto_id(r, k, v));
        sbuf_printf(&b, "\n");
        for (size_t n = 0; n < nn; n++) {
            const char *rule = jql_results_node_rule(r, k, n);
            sbuf_printf(&b, " %zu %s:", n, rule ? rule : "(null)");
            for (size_t e = 0; e < jql_results_node_evidence_count(r, k, n); e++)
                sbuf_printf(&b, " %zu", jql_results_node_evidence(r, k, n, e));
            sbuf_printf(&b, "\n");
        }
        for (size_t i = 0; i < ni; i++) {
            const char *rule = jql_results_item_rule(r, k, i);
            sbuf_printf(&b, " i%zu %s:", i, rule ? rule : "(null)");
            for (size_t e = 0; e < jql_results_item_evidence_count(r, k, i); e++)
                sbuf_printf(&b, " %zu", jql_results_item_evidence(r, k, i, e));
            sbuf_printf(&b, "\n");
        }
    }
    return b.data ? b.data : strdup("");
}

/* Everything results show: the documents at the evidence levels of the
   mask `levels`, and the accessors. */
static void describe(const jql_results *r, int levels, outcome *o)
{
    for (int l = 0; l < LEVELS; l++) {
        o->doc_rc[l] = NOT_WRITTEN;
        if (!(levels & 1 << l))
            continue;
        sbuf b = {0};
        o->doc_rc[l] = jql_results_write_cb(r, sbuf_sink, &b, (jql_evidence_level)l);
        o->doc[l] = b.data;
        o->doc_len[l] = b.len;
    }
    o->more = accessors(r);
}

/* Score and describe (`levels` as describe()). */
static void run(const jql_dataset *ds, const jql_criteria *c, const jql_score_options *opts,
                int levels, outcome *o)
{
    memset(o, 0, sizeof *o);
    for (int l = 0; l < LEVELS; l++)
        o->doc_rc[l] = NOT_WRITTEN;
    jql_results *r = NULL;
    jql_clear_error();
    o->rc = opts ? jql_score_with(ds, c, NULL, opts, &r) : jql_score(ds, c, NULL, &r);
    if (o->rc != JQL_OK) {
        ck_assert_ptr_null(r);
        snprintf(o->error, sizeof o->error, "%s", jql_last_error());
        return;
    }
    describe(r, levels, o);
    jql_results_free(r);
}

static void same_text(const char *a, size_t alen, const char *b, size_t blen, const char *what)
{
    if (alen == blen && (alen == 0 || memcmp(a, b, alen) == 0))
        return;
    size_t i = 0;
    while (i < alen && i < blen && a[i] == b[i])
        i++;
    size_t from = i > 120 ? i - 120 : 0;
    ck_abort_msg(
        "%s: differs at byte %zu of %zu / %zu:\n--- one thread:\n%.200s\n--- threads:\n%.200s",
        what, i, alen, blen, a ? a + from : "(none)", b ? b + from : "(none)");
}

/* `got` shows exactly what `want` shows (the levels both were written at). */
static void same(const outcome *want, const outcome *got, const char *what)
{
    char w[256];
    ck_assert_msg(got->rc == want->rc, "%s: status %s (%s), one thread gives %s (%s)", what,
                  jql_status_name(got->rc), got->error, jql_status_name(want->rc), want->error);
    ck_assert_msg(strcmp(got->error, want->error) == 0, "%s: message\n  %s\none thread:\n  %s",
                  what, got->error, want->error);
    for (int l = 0; l < LEVELS; l++) {
        if (want->doc_rc[l] == NOT_WRITTEN || got->doc_rc[l] == NOT_WRITTEN)
            continue;
        snprintf(w, sizeof w, "%s, evidence level %d", what, l);
        ck_assert_msg(got->doc_rc[l] == want->doc_rc[l], "%s: writing gives %d, one thread %d", w,
                      got->doc_rc[l], want->doc_rc[l]);
        same_text(want->doc[l], want->doc_len[l], got->doc[l], got->doc_len[l], w);
    }
    snprintf(w, sizeof w, "%s, accessors", what);
    same_text(want->more, want->more ? strlen(want->more) : 0, got->more,
              got->more ? strlen(got->more) : 0, w);
}

/* A sink comparing what is written with a document already written. */
typedef struct {
    const char *want;
    size_t want_len, at;
    bool differs;
} cmp_sink;

static int cmp_fn(void *user, const char *data, size_t len)
{
    cmp_sink *s = user;
    if (!s->differs && (s->at + len > s->want_len || memcmp(s->want + s->at, data, len) != 0))
        s->differs = true;
    s->at += len;
    return 0;
}

/* Score with `opts` and check that everything shows what `want` shows
   (its status and message, or the levels of the mask `levels` it was
   written at, and the accessors), comparing as the documents stream: nothing is kept but on
   a difference, to show it. */
static void check_same(const outcome *want, const jql_dataset *ds, const jql_criteria *c,
                       const jql_score_options *opts, int levels, const char *what)
{
    jql_results *r = NULL;
    jql_clear_error();
    int rc = jql_score_with(ds, c, NULL, opts, &r);
    if (rc != JQL_OK || want->rc != JQL_OK) {
        outcome got = {.rc = rc};
        for (int l = 0; l < LEVELS; l++)
            got.doc_rc[l] = NOT_WRITTEN;
        snprintf(got.error, sizeof got.error, "%s", rc ? jql_last_error() : "");
        jql_results_free(r);
        same(want, &got, what);
        return;
    }
    bool differs = false;
    for (int l = 0; l < LEVELS && !differs; l++) {
        if (want->doc_rc[l] == NOT_WRITTEN || !(levels & 1 << l))
            continue;
        cmp_sink k = {want->doc[l], want->doc_len[l], 0, false};
        int wrc = jql_results_write_cb(r, cmp_fn, &k, (jql_evidence_level)l);
        differs = wrc != want->doc_rc[l] || k.differs || k.at != want->doc_len[l];
    }
    char *more = differs ? NULL : accessors(r);
    differs = differs || strcmp(more, want->more) != 0;
    free(more);
    if (differs) { /* again, kept, to say where */
        outcome got = {0};
        describe(r, levels, &got);
        jql_results_free(r);
        same(want, &got, what);
        ck_abort_msg("%s: differs, though not where same() looked", what);
    }
    jql_results_free(r);
}

static jql_score_options opts_with(unsigned threads, unsigned flags)
{
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    o.threads = threads;
    o.flags = flags;
    return o;
}

/* ------------------------------------------------------------------ */
/* The same bytes whatever the number of threads                        */
/* ------------------------------------------------------------------ */

/* (0 and 1: options_versions_and_flags; 65 on as many units as 65
   threads could take: at_most_max_threads) */
static const unsigned thread_counts[] = {2, 3, 4, 7, 64, UINT_MAX};
#define NCOUNTS (sizeof thread_counts / sizeof *thread_counts)

/* Units that share their rank with the unit before them, from the
   accessors' text (describe()). */
static size_t tied(const char *more)
{
    size_t n = 0, last = 0, rank;
    for (const char *at = more; (at = strstr(at, " rank ")); at++)
        if (sscanf(at, " rank %zu", &rank) == 1) {
            n += rank == last;
            last = rank;
        }
    return n;
}

/* 1,800 communes (seven blocks of 256 and more): every thread count
   against jql_score() and threads = 1, at evidence level full (all three
   for seven threads, as many as there are blocks). */
START_TEST(same_bytes_every_thread_count)
{
    gen_info g;
    size_t units = 7 * PER + 8;
    jql_dataset *ds = gen(11, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);

    outcome plain;
    run(ds, c, NULL, L_ALL, &plain);
    ck_assert_msg(plain.rc == JQL_OK, "%s", plain.error);
    ck_assert_int_eq(plain.doc_rc[JQL_EVIDENCE_FULL], JQL_OK);
    /* the data and sheet do what they are here for */
    ck_assert_uint_gt(tied(plain.more), units / 20);
    static const char *const seen[] = {
        "\"quota_demoted\": true", "\"id\": \"discipline\"", "\"id\": \"backlog\"",
        "\"id\": \"silent\"", "not applicable: assessment", "not applicable: not_applicable_if",
        "self-assessed (unappraised)", "appraised 5 overrides", "\"never_submitted\": true",
        "missing: not_applicable", "missing: full", "\"source\": \"missing\"", "events: ",
        "\"leader\": true", "\"cluster\": null", "\"held_back\": \"veto\""};
    for (size_t i = 0; i < sizeof seen / sizeof *seen; i++)
        ck_assert_msg(strstr(plain.doc[JQL_EVIDENCE_FULL], seen[i]), "no %s in the results",
                      seen[i]);
    check_same(&plain, ds, c, &(jql_score_options){4, 0, NULL, 0, 0, 0, 0, 1, NULL}, L_ALL,
               "threads = 1 against jql_score()");

    for (size_t i = 0; i < NCOUNTS; i++) {
        unsigned t = thread_counts[i];
        /* without JQL_SCORE_CUSTOM_ANY_THREAD (for seven only) the
           calling thread scores alone */
        for (int any = t == 7 ? 0 : 1; any < 2; any++) {
            char what[96];
            snprintf(what, sizeof what, "threads = %u%s", t, any ? ", custom on any thread" : "");
            jql_score_options o = opts_with(t, any ? JQL_SCORE_CUSTOM_ANY_THREAD : 0);
            probe_reset(&p);
            check_same(&plain, ds, c, &o, any && t == 7 ? L_ALL : L_FULL, what);
            size_t want = any ? threads_used(units, t) : 1;
            ck_assert_msg(probe_threads(&p) == want, "%s: called on %zu threads, not %zu", what,
                          probe_threads(&p), want);
            ck_assert_int_le(probe_most_at_once(&p), 1);
            if (!any)
                ck_assert_uint_eq(probe_off_caller(&p), 0);
        }
    }
    outcome_free(&plain);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* Without evidence, as of a date, and both: the same on 4 threads as on one. */
START_TEST(same_bytes_with_options)
{
    gen_info g;
    jql_dataset *ds = gen(12, 4 * PER + 40, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    static const struct {
        unsigned flags;
        const char *as_of;
    } cases[] = {{JQL_SCORE_NO_EVIDENCE, NULL},
                 {0, "2014-08-15"},
                 {JQL_SCORE_NO_EVIDENCE, "2014-05-31"},
                 {JQL_SCORE_ALLOW_EMPTY, "2014-02-01"}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        jql_score_options o = opts_with(1, cases[i].flags | JQL_SCORE_CUSTOM_ANY_THREAD);
        o.as_of = cases[i].as_of;
        outcome one;
        run(ds, c, &o, L_ALL, &one);
        ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
        if (cases[i].flags & JQL_SCORE_NO_EVIDENCE) {
            ck_assert_int_eq(one.doc_rc[JQL_EVIDENCE_FULL], JQL_EINVALID);
            ck_assert_int_eq(one.doc_rc[JQL_EVIDENCE_IDS], JQL_EINVALID);
            ck_assert_int_eq(one.doc_rc[JQL_EVIDENCE_NONE], JQL_OK);
        }
        for (unsigned t = 2; t <= 5; t += 2) {
            char what[96];
            snprintf(what, sizeof what, "flags 0x%x, as of %s, threads = %u", cases[i].flags,
                     cases[i].as_of ? cases[i].as_of : "-", t);
            o.threads = t;
            probe_reset(&p);
            check_same(&one, ds, c, &o, t == 4 ? L_ALL : L_FULL, what);
            ck_assert_uint_eq(probe_threads(&p), threads_used(4 * PER + 40, t));
        }
        outcome_free(&one);
    }
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* Results scored on several threads record the as-of date as one thread's
   do (jql_results_as_of, the JSON's "as_of" at every level). */
START_TEST(as_of_on_several_threads)
{
    gen_info g;
    jql_dataset *ds = gen(12, 4 * PER + 40, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    for (int with = 0; with < 2; with++) {
        jql_score_options o = opts_with(4, JQL_SCORE_CUSTOM_ANY_THREAD);
        o.as_of = with ? "2014-08-15" : NULL;
        probe_reset(&p);
        jql_results *r = NULL;
        ck_assert_msg(jql_score_with(ds, c, NULL, &o, &r) == JQL_OK, "%s", jql_last_error());
        ck_assert_uint_eq(probe_threads(&p), threads_used(4 * PER + 40, 4));
        if (with)
            ck_assert_str_eq(jql_results_as_of(r), "2014-08-15");
        else
            ck_assert_ptr_null(jql_results_as_of(r));
        for (int level = JQL_EVIDENCE_FULL; level <= JQL_EVIDENCE_NONE; level++) {
            char *text = NULL;
            ck_assert_int_eq(jql_results_to_json_level(r, (jql_evidence_level)level, &text, NULL),
                             JQL_OK);
            if (with)
                ck_assert_ptr_nonnull(strstr(text, ",\n  \"as_of\": \"2014-08-15\",\n"));
            else
                ck_assert_ptr_null(strstr(text, "\"as_of\""));
            jql_free(text);
        }
        jql_results_free(r);
    }
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* The threads a scoring of several periods used, seen by the probe over
   all of them: each period's own (the calling thread and threads_used - 1
   started for it), so at least threads_used and at most one more per
   period for each started thread (a finished thread's id may be reused). */
static void periods_threads_seen(probe *p, size_t units, unsigned asked, size_t nperiods,
                                 const char *what)
{
    size_t want = threads_used(units, asked), seen = probe_threads(p);
    ck_assert_msg(seen >= want && seen <= 1 + nperiods * (want - 1),
                  "%s: called on %zu threads, not %zu to %zu", what, seen, want,
                  1 + nperiods * (want - 1));
    ck_assert_int_le(probe_most_at_once(p), 1);
    if (want == 1)
        ck_assert_uint_eq(probe_off_caller(p), 0);
    else
        ck_assert_uint_gt(probe_off_caller(p), 0);
}

static char *trend_text(const jql_trend *t)
{
    char *s = NULL;
    size_t n;
    OK(jql_trend_to_json(t, &s, &n));
    return s;
}

/* jql_score_periods_with() and jql_score_periods_table_with() on several
   threads (tests/test_periods_with.c checks the other options): each
   period is scored on the threads asked for, which the probe sees, and
   the trend and every period's results are the same bytes as on one
   thread; without JQL_SCORE_CUSTOM_ANY_THREAD the calling thread scores
   alone. Three periods of 4 x 256 + 40 communes. */
START_TEST(periods_on_several_threads)
{
    gen_info g;
    size_t units = 4 * PER + 40;
    jql_dataset *ds = gen(14, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    const char *periods[] = {"2014-Q1", "2014-Q3", "2014"};
    enum { NP = 3 };

    jql_score_options o = opts_with(1, JQL_SCORE_CUSTOM_ANY_THREAD);
    jql_trend *t = NULL;
    probe_reset(&p);
    OK(jql_score_periods_with(ds, c, periods, NP, &o, &t));
    periods_threads_seen(&p, units, 1, NP, "periods, threads = 1");
    char *want = trend_text(t), *want_r[NP];
    size_t want_len[NP];
    for (size_t i = 0; i < NP; i++)
        OK(jql_results_to_json(jql_trend_results(t, i), &want_r[i], &want_len[i]));
    /* the periods differ (else one period's bytes would do for all) */
    ck_assert_str_ne(want_r[0], want_r[1]);
    jql_trend_free(t);

    for (unsigned asked = 2; asked <= 4; asked += 2)
        for (int any = 0; any < 2; any++)
            for (int table = 0; table < 2; table++) {
                char what[96];
                snprintf(what, sizeof what, "periods%s, threads = %u%s", table ? " (table)" : "",
                         asked, any ? ", custom on any thread" : "");
                o = opts_with(asked, any ? JQL_SCORE_CUSTOM_ANY_THREAD : 0);
                probe_reset(&p);
                OK(table ? jql_score_periods_table_with(ds, c, periods, NP, &o, &t)
                         : jql_score_periods_with(ds, c, periods, NP, &o, &t));
                periods_threads_seen(&p, units, any ? asked : 1, NP, what);
                char *got = trend_text(t);
                same_text(want, strlen(want), got, strlen(got), what);
                jql_free(got);
                for (size_t i = 0; !table && i < NP; i++) {
                    char *r = NULL;
                    size_t len;
                    OK(jql_results_to_json(jql_trend_results(t, i), &r, &len));
                    same_text(want_r[i], want_len[i], r, len, what);
                    jql_free(r);
                }
                jql_trend_free(t);
            }
    jql_free(want);
    for (size_t i = 0; i < NP; i++)
        jql_free(want_r[i]);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* The what-if analyses of results scored on several threads as of a date
   (jql-score --compare, --weight, --sensitivity and --plans with --as-of
   and --threads): a comparison with the sheet whose "tasks" is worth 30,
   a sensitivity run and the improvement plans, each the same bytes as
   from the scoring on one thread, and not those without the date. 4 x 256
   + 40 communes. */
static char *analyses_text(const jql_dataset *ds, const jql_criteria *c, const jql_criteria *c2,
                           const jql_score_options *o)
{
    jql_results *r = NULL, *r2 = NULL;
    jql_score_options none = *o;
    none.flags |= JQL_SCORE_NO_EVIDENCE;
    OK(jql_score_with(ds, c, NULL, o, &r));
    OK(jql_score_with(ds, c2, NULL, &none, &r2));
    jql_sensitivity_options so = JQL_SENSITIVITY_OPTIONS_INIT;
    so.runs = 20;
    so.seed = 3;
    jql_sensitivity *s = NULL;
    OK(jql_sensitivity_run(r, c, &so, &s));
    char *parts[3] = {NULL, NULL, NULL};
    size_t lens[3];
    OK(jql_results_compare_json(r, r2, &parts[0], &lens[0]));
    OK(jql_sensitivity_to_json(s, &parts[1], &lens[1]));
    OK(jql_improvement_plans_json(r, c, &parts[2], &lens[2]));
    char *all = malloc(lens[0] + lens[1] + lens[2] + 1);
    ck_assert_ptr_nonnull(all);
    size_t at = 0;
    for (int i = 0; i < 3; i++) {
        memcpy(all + at, parts[i], lens[i]);
        at += lens[i];
        jql_free(parts[i]);
    }
    all[at] = '\0';
    jql_sensitivity_free(s);
    jql_results_free(r);
    jql_results_free(r2);
    return all;
}

START_TEST(analyses_on_several_threads)
{
    gen_info g;
    size_t units = 4 * PER + 40;
    jql_dataset *ds = gen(15, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM), *c2 = NULL;
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    OK(jql_criteria_clone(c, &c2));
    register_probe(c2, &p);
    OK(jql_criteria_set_max(c2, "tasks", 30000, JQL_EDIT_KEEP_TOTAL, NULL));

    jql_score_options o = opts_with(1, JQL_SCORE_CUSTOM_ANY_THREAD);
    char *plain = analyses_text(ds, c, c2, &o);
    o.as_of = "2014-08-15";
    char *want = analyses_text(ds, c, c2, &o);
    ck_assert_msg(strcmp(plain, want) != 0, "the analyses as of %s are those without it", o.as_of);
    for (unsigned t = 2; t <= 4; t += 2) {
        char what[64];
        snprintf(what, sizeof what, "analyses as of %s, threads = %u", o.as_of, t);
        o.threads = t;
        probe_reset(&p);
        char *got = analyses_text(ds, c, c2, &o);
        /* two scorings, each on t threads */
        ck_assert_uint_gt(probe_off_caller(&p), 0);
        same_text(want, strlen(want), got, strlen(got), what);
        free(got);
    }
    free(plain);
    free(want);
    jql_criteria_free(c);
    jql_criteria_free(c2);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* Unit counts around the blocks' edges: JQL_SCORE_UNITS_PER_THREAD x k - 1,
   x k and x k + 1 for k = 2, 3, 4, 7, scored on k threads (and on 64
   past the last edge); the spare communes join the scored level one by
   one. A lighter sheet: custom points and rules, evidence on leaves and
   items, vetoes fired. */
START_TEST(block_boundaries)
{
    static const unsigned ks[] = {2, 3, 4, 7};
    size_t most = 7 * PER + 1;
    gen_info g;
    jql_dataset *ds = gen(13, 0, most, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_LIGHT);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    size_t scored = 0;
    for (size_t i = 0; i < sizeof ks / sizeof *ks; i++) {
        for (size_t units = ks[i] * PER - 1; units <= ks[i] * PER + 1; units++) {
            while (scored < units)
                OK(jql_unit_set_level(ds, g.first_commune + scored++, "commune"));
            jql_score_options o = opts_with(1, JQL_SCORE_CUSTOM_ANY_THREAD);
            outcome one;
            run(ds, c, &o, L_FULL, &one);
            ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
            /* k threads asked; 64 too past the last edge (as many used) */
            unsigned asks[] = {ks[i], 64};
            for (size_t a = 0; a < (units == ks[i] * PER + 1 ? 2u : 1u); a++) {
                char what[96];
                snprintf(what, sizeof what, "%zu units, threads = %u", units, asks[a]);
                o.threads = asks[a];
                probe_reset(&p);
                check_same(&one, ds, c, &o, L_FULL, what);
                ck_assert_uint_eq(probe_calls(&p), units);
                ck_assert_msg(probe_threads(&p) == threads_used(units, asks[a]),
                              "%s: %zu threads, not %zu", what, probe_threads(&p),
                              threads_used(units, asks[a]));
            }
            outcome_free(&one);
        }
    }
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* JQL_SCORE_MAX_THREADS: 65 blocks' worth of units with nothing to score
   but the custom leaf; asked for 65 or UINT_MAX, 64 threads score. */
START_TEST(at_most_max_threads)
{
    size_t units = (JQL_SCORE_MAX_THREADS + 1) * PER;
    jql_dataset *ds = jql_dataset_new();
    gen_info g = {0};
    g.nunits = units + 1;
    g.first_event = calloc(g.nunits, sizeof *g.first_event);
    g.first_task = calloc(g.nunits, sizeof *g.first_task);
    g.key = calloc(g.nunits, sizeof *g.key);
    ck_assert(g.first_event && g.first_task && g.key);
    OK(jql_unit_add(ds, "p", "P", "province", NULL, NULL));
    for (size_t i = 0; i < units; i++) {
        char id[16];
        snprintf(id, sizeof id, "c%05zu", i);
        OK(jql_unit_add(ds, id, id, "commune", "p", NULL));
        g.first_event[i + 1] = g.first_task[i + 1] = JQL_NONE;
        g.key[i + 1] = (unsigned)(i * 7);
    }
    g.first_event[0] = g.first_task[0] = JQL_NONE;
    jql_criteria *c = sheet(SHEET_CUSTOM_ONLY);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    outcome one;
    jql_score_options o = opts_with(1, JQL_SCORE_ALLOW_EMPTY | JQL_SCORE_CUSTOM_ANY_THREAD);
    run(ds, c, &o, L_FULL, &one);
    ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
    unsigned asks[] = {JQL_SCORE_MAX_THREADS, JQL_SCORE_MAX_THREADS + 1, UINT_MAX};
    for (size_t a = 0; a < 3; a++) {
        char what[64];
        snprintf(what, sizeof what, "threads = %u", asks[a]);
        o.threads = asks[a];
        probe_reset(&p);
        check_same(&one, ds, c, &o, L_FULL, what);
        ck_assert_uint_eq(probe_threads(&p), JQL_SCORE_MAX_THREADS);
        ck_assert_int_le(probe_most_at_once(&p), 1);
    }
    outcome_free(&one);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Roll-ups stay on one thread                                         */
/* ------------------------------------------------------------------ */

/* A roll-up measure anywhere (a leaf, an item, a veto, a tie-breaker, or
   all four) shares sums across units: the calling thread scores alone,
   even with the custom functions allowed elsewhere, and the bytes are
   those of threads = 1. Province, districts and communes are scored. */
START_TEST(rollup_stays_on_calling_thread)
{
    static const unsigned kinds[] = {SHEET_ROLLUP_LEAF, SHEET_ROLLUP_ITEM, SHEET_ROLLUP_VETO,
                                     SHEET_ROLLUP_TB, SHEET_ROLLUP_ANY};
    gen_info g;
    jql_dataset *ds = gen(14, 3 * PER + 5, 0, SIZE_MAX, &g);
    probe p;
    probe_init(&p, &g);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        jql_criteria *c = sheet(SHEET_CUSTOM | kinds[i]);
        register_probe(c, &p);
        /* without evidence too, when every part rolls up */
        for (int ev = kinds[i] == SHEET_ROLLUP_ANY ? 0 : 1; ev < 2; ev++) {
            unsigned flags = JQL_SCORE_CUSTOM_ANY_THREAD | (ev ? 0 : JQL_SCORE_NO_EVIDENCE);
            jql_score_options o = opts_with(1, flags);
            outcome one;
            run(ds, c, &o, ev ? L_ALL : L_FULL | L_NONE, &one);
            ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
            for (unsigned t = 3; t <= 3; t++) {
                char what[96];
                snprintf(what, sizeof what, "roll-up sheet 0x%x, %s, threads = %u", kinds[i],
                         ev ? "evidence" : "no evidence", t);
                o.threads = t;
                probe_reset(&p);
                check_same(&one, ds, c, &o, ev ? L_FULL : L_FULL | L_NONE, what);
                ck_assert_uint_eq(probe_off_caller(&p), 0);
                ck_assert_uint_eq(probe_threads(&p), 1);
            }
            outcome_free(&one);
        }
        jql_criteria_free(c);
    }
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Custom functions                                                     */
/* ------------------------------------------------------------------ */

/* Without JQL_SCORE_CUSTOM_ANY_THREAD every call is on the calling thread,
   whatever `threads` says; with it, calls come from the scoring's other
   threads too, never two at once. Both give the bytes of one thread. */
START_TEST(custom_calls_stay_home_unless_allowed)
{
    gen_info g;
    size_t units = 4 * PER + 3;
    jql_dataset *ds = gen(15, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    outcome one;
    jql_score_options o = opts_with(1, 0);
    run(ds, c, &o, L_FULL, &one);
    ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
    for (unsigned t = 2; t <= 8; t *= 4) {
        char what[64];
        snprintf(what, sizeof what, "threads = %u, custom on this thread", t);
        o = opts_with(t, 0);
        probe_reset(&p);
        check_same(&one, ds, c, &o, L_FULL, what);
        ck_assert_uint_eq(probe_calls(&p), units);
        ck_assert_uint_eq(probe_off_caller(&p), 0);
        ck_assert_uint_eq(probe_threads(&p), 1);

        snprintf(what, sizeof what, "threads = %u, custom on any thread", t);
        o = opts_with(t, JQL_SCORE_CUSTOM_ANY_THREAD);
        probe_reset(&p);
        check_same(&one, ds, c, &o, L_FULL, what);
        ck_assert_uint_eq(probe_calls(&p), units);
        ck_assert_uint_gt(probe_off_caller(&p), 0);
        ck_assert_uint_eq(probe_threads(&p), threads_used(units, t));
        ck_assert_msg(probe_most_at_once(&p) == 1, "%d calls at once",
                      probe_most_at_once(&p));
    }
    outcome_free(&one);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* A custom function failing for a unit of a later block (or of the first
   and a later one): the status and message of one thread, whichever
   thread met it. The scoring is then done again on the calling thread, so
   the function may be called more often than on one thread. */
START_TEST(custom_failure_in_later_block)
{
    gen_info g;
    size_t units = 4 * PER + 3;
    jql_dataset *ds = gen(16, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    size_t first = g.first_commune;
    /* (dataset indices of communes) the last block's, the second's, the
       first unit of the last block and the last unit of all, the first
       block's with the third's */
    static const struct {
        size_t a, b;
    } cases[] = {{3 * PER + 100, JQL_NONE}, {PER + 200, JQL_NONE}, {3 * PER + 1, JQL_NONE},
                 {4 * PER + 2, JQL_NONE},   {7, 2 * PER + 9},      {2 * PER + 9, 3 * PER + 50}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        outcome one;
        jql_score_options o = opts_with(1, JQL_SCORE_CUSTOM_ANY_THREAD);
        probe_reset(&p);
        p.fail_a = first + cases[i].a;
        p.fail_b = cases[i].b == JQL_NONE ? JQL_NONE : first + cases[i].b;
        run(ds, c, &o, L_FULL, &one);
        ck_assert_int_eq(one.rc, JQL_ECALLBACK);
        ck_assert_ptr_nonnull(strstr(one.error, "no figures for"));
        size_t calls_one = probe_calls(&p);
        for (unsigned t = 2; t <= 64; t *= 2)
            for (int any = 0; any < 2; any++) {
                char what[96];
                snprintf(what, sizeof what, "failing at %zu and %zu, threads = %u%s", cases[i].a,
                         cases[i].b, t, any ? ", any thread" : "");
                o = opts_with(t, any ? JQL_SCORE_CUSTOM_ANY_THREAD : 0);
                probe_reset(&p);
                p.fail_a = first + cases[i].a;
                p.fail_b = cases[i].b == JQL_NONE ? JQL_NONE : first + cases[i].b;
                check_same(&one, ds, c, &o, L_FULL, what);
                ck_assert_uint_ge(probe_calls(&p), calls_one);
                ck_assert_int_le(probe_most_at_once(&p), 1);
                if (!any)
                    ck_assert_uint_eq(probe_calls(&p), calls_one);
            }
        outcome_free(&one);
    }
    /* and nothing of a failed scoring stays behind: the next one succeeds
       with the bytes of one thread */
    outcome one, got;
    jql_score_options o = opts_with(1, 0);
    probe_reset(&p);
    run(ds, c, &o, L_FULL, &one);
    o = opts_with(4, JQL_SCORE_CUSTOM_ANY_THREAD);
    probe_reset(&p);
    run(ds, c, &o, L_FULL, &got);
    same(&one, &got, "after the failures");
    outcome_free(&one);
    outcome_free(&got);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The evidence limit                                                   */
/* ------------------------------------------------------------------ */

/* The smallest max_evidence with which one thread succeeds (`hi` does). */
static size_t evidence_kept(const jql_dataset *ds, const jql_criteria *c, size_t hi)
{
    jql_score_options o = opts_with(1, 0);
    jql_results *r = NULL;
    o.max_evidence = hi;
    OK(jql_score_with(ds, c, NULL, &o, &r));
    jql_results_free(r);
    size_t lo = 0; /* fails (0 would be the default: never tried) */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        o.max_evidence = mid;
        r = NULL;
        int rc = jql_score_with(ds, c, NULL, &o, &r);
        jql_results_free(r);
        if (rc == JQL_OK)
            hi = mid;
        else if (rc == JQL_ELIMIT)
            lo = mid;
        else
            ck_abort_msg("limit %zu: %s (%s)", mid, jql_status_name(rc), jql_last_error());
    }
    return hi;
}

/* What the scoring keeps for the communes of each of `n` blocks (as
   score.h cuts them: equal, the first ones a unit longer), each block
   scored alone (the others made spare for the while): no roll-up, so a
   unit's evidence is its own. */
static void kept_by_block(jql_dataset *ds, const gen_info *g, const jql_criteria *c, size_t units,
                          size_t n, size_t *out)
{
    for (size_t t = 0, from = 0; t < n; t++) {
        size_t to = from + units / n + (t < units % n);
        for (size_t i = 0; i < units; i++)
            OK(jql_unit_set_level(ds, g->first_commune + i,
                                  i >= from && i < to ? "commune" : "spare"));
        jql_results *r = NULL;
        OK(jql_score(ds, c, NULL, &r));
        size_t cited = jql_results_citation_count(r);
        jql_results_free(r);
        out[t] = evidence_kept(ds, c, cited + 1);
        from = to;
    }
    for (size_t i = 0; i < units; i++)
        OK(jql_unit_set_level(ds, g->first_commune + i, "commune"));
}

#define ANY_RC INT_MIN /* limit_case(): whatever one thread gives */

/* With max_evidence `limit`: `want_rc` on one thread, and exactly that
   (status, message or bytes) on 2 and 4 threads. */
static void limit_case(const jql_dataset *ds, const jql_criteria *c, size_t limit, int want_rc,
                       const char *what)
{
    static const unsigned ts[] = {2, 4};
    jql_score_options o = opts_with(1, 0);
    o.max_evidence = limit;
    outcome one;
    run(ds, c, &o, L_FULL, &one);
    ck_assert_msg(want_rc == ANY_RC || one.rc == want_rc,
                  "%s (limit %zu): one thread gives %s (%s)", what, limit, jql_status_name(one.rc),
                  one.error);
    if (want_rc == JQL_ELIMIT) {
        char msg[64];
        snprintf(msg, sizeof msg, "passes %zu references", limit);
        ck_assert_msg(strstr(one.error, msg), "%s", one.error);
    }
    for (size_t i = 0; i < sizeof ts / sizeof *ts; i++) {
        char w[128];
        snprintf(w, sizeof w, "%s (limit %zu), threads = %u", what, limit, ts[i]);
        o.threads = ts[i];
        check_same(&one, ds, c, &o, L_FULL, w);
    }
    outcome_free(&one);
}

/* Four blocks of about the same evidence. */
START_TEST(evidence_limit_as_one_thread)
{
    gen_info g;
    size_t units = 4 * PER;
    jql_dataset *ds = gen(17, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(0);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    size_t cited = jql_results_citation_count(r);
    jql_results_free(r);
    size_t kept = evidence_kept(ds, c, cited + 1), blocks[4], largest = 0;
    kept_by_block(ds, &g, c, units, 4, blocks);
    ck_assert_uint_eq(blocks[0] + blocks[1] + blocks[2] + blocks[3], kept);
    for (int t = 0; t < 4; t++)
        largest = blocks[t] > largest ? blocks[t] : largest;

    limit_case(ds, c, kept, JQL_OK, "exactly what is kept");
    limit_case(ds, c, kept + 1, JQL_OK, "one more than kept");
    limit_case(ds, c, kept - 1, JQL_ELIMIT, "one less than kept");
    /* every block alone fits, together they do not */
    size_t together = largest + (kept - largest) / 2;
    ck_assert_uint_gt(together, largest);
    limit_case(ds, c, together, JQL_ELIMIT, "passed by the blocks together");
    limit_case(ds, c, blocks[0] + blocks[1] + blocks[2], JQL_ELIMIT,
               "passed by the last block's merge");
    limit_case(ds, c, blocks[0] - 1, JQL_ELIMIT, "passed by the first block");
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* A caller built against version 4 of the options passes a struct that
   ends before allow_empty_name: the retry on the calling thread alone
   (the blocks' evidence together passed the limit) copies only what the
   caller's version has (it copied the whole current struct, reading past
   the caller's: a 16-byte load past it, which ASan tells, and valgrind
   with --partial-loads-ok=no). The same refusal as one thread. */
START_TEST(older_options_retried_alone)
{
    gen_info g;
    size_t units = 4 * PER;
    jql_dataset *ds = gen(17, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(0);
    size_t blocks[4];
    kept_by_block(ds, &g, c, units, 4, blocks);
    size_t largest = 0, kept = blocks[0] + blocks[1] + blocks[2] + blocks[3];
    for (int t = 0; t < 4; t++)
        largest = blocks[t] > largest ? blocks[t] : largest;
    jql_score_options cur = opts_with(4, 0);
    cur.version = 4;
    cur.max_evidence = largest + (kept - largest) / 2; /* each block fits, together not */
    size_t v4 = offsetof(jql_score_options, allow_empty_name);
    jql_score_options *old = malloc(v4); /* exactly a version-4 struct */
    ck_assert_ptr_nonnull(old);
    memcpy(old, &cur, v4);
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, old, &r), JQL_ELIMIT);
    ck_assert_ptr_null(r);
    char msg[64];
    snprintf(msg, sizeof msg, "passes %zu references", cur.max_evidence);
    ck_assert_msg(strstr(jql_last_error(), msg), "%s", jql_last_error());
    free(old);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* The last block's communes cite 120 awards more each: a limit that
   the first three blocks together stay under and the last block alone
   passes. */
START_TEST(evidence_limit_passed_by_a_later_block)
{
    gen_info g;
    size_t units = 4 * PER;
    jql_dataset *ds = gen(18, units, 0, 3 * PER, &g);
    jql_criteria *c = sheet(0);
    size_t blocks[4];
    kept_by_block(ds, &g, c, units, 4, blocks);
    size_t before = blocks[0] + blocks[1] + blocks[2], all = before + blocks[3];
    ck_assert_uint_gt(blocks[3], before + 2);
    limit_case(ds, c, before + 1, JQL_ELIMIT, "passed by the last block alone");
    /* (near the last block's own evidence one thread may stop or not:
       evidence_limit_exact_on_one_thread; the threads must agree with it) */
    limit_case(ds, c, blocks[3] - 1, ANY_RC, "just passed by the last block alone");
    limit_case(ds, c, blocks[3], ANY_RC, "just met by the last block alone");
    limit_case(ds, c, all, JQL_OK, "the total");
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* Communes citing nothing but their awards, `n[i]` each up to unit
   `upto[i]` (exclusive; the last entry covers the rest). */
static jql_dataset *gen_awards(size_t units, const size_t *upto, const unsigned *n)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    OK(jql_unit_add(ds, "p", "P", "province", NULL, NULL));
    jql_date y14 = day(2014, 1, 1);
    for (size_t i = 0, r = 0; i < units; i++) {
        char id[32];
        snprintf(id, sizeof id, "c%05zu", i);
        OK(jql_unit_add(ds, id, id, "commune", "p", NULL));
        while (i >= upto[r])
            r++;
        for (unsigned e = 0; e < n[r]; e++)
            OK(jql_event_add(ds, id, y14 + (jql_date)((i + 7 * e) % 365), "award", NULL, NULL));
    }
    return ds;
}

/* Every limit from 1 to past what is kept, on 2 and 4 threads: what one
   thread gives. The first block's first 32 communes cite one award each,
   its others four, the other blocks' one: a scoring sizes its list from
   its first units, so the first block's list, sized for less than a
   limit, grows past it, and the first block may end above a limit that
   one thread (its list sized for all the units) stops at. The blocks
   merged after it must still be refused, not copied past the list. */
START_TEST(evidence_limit_sweep)
{
    static const size_t upto[] = {32, PER, SIZE_MAX};
    static const unsigned n[] = {1, 4, 1};
    size_t units = 4 * PER, total = 32 + (PER - 32) * 4 + 3 * PER;
    jql_dataset *ds = gen_awards(units, upto, n);
    jql_criteria *c = sheet(SHEET_AWARDS_ONLY);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    ck_assert_uint_eq(jql_results_citation_count(r), total);
    jql_results_free(r);
    for (size_t limit = 1; limit <= total + 1; limit += limit < PER || limit > 2 * PER ? 13 : 3) {
        jql_score_options o = opts_with(1, 0);
        o.max_evidence = limit;
        outcome one;
        run(ds, c, &o, L_FULL, &one);
        for (unsigned t = 2; t <= 4; t += 2) {
            char what[96];
            snprintf(what, sizeof what, "limit %zu of %zu kept, threads = %u", limit, total, t);
            o.threads = t;
            check_same(&one, ds, c, &o, L_FULL, what);
        }
        outcome_free(&one);
    }
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* One thread: a limit one below what the scoring keeps is refused, the
   limit itself is not (docs/CRITERIA.md, "Limits": refused "as soon as
   the references would pass the limit"). The communes after the first 32
   cite three awards, the first ones one (nothing is shared: every
   citation is one reference kept). */
START_TEST(evidence_limit_exact_on_one_thread)
{
    static const size_t upto[] = {32, SIZE_MAX};
    static const unsigned n[] = {1, 3};
    size_t units = 4 * PER, total = 32 + (units - 32) * 3;
    jql_dataset *ds = gen_awards(units, upto, n);
    jql_criteria *c = sheet(SHEET_AWARDS_ONLY);
    jql_results *r = NULL;
    OK(jql_score(ds, c, NULL, &r));
    ck_assert_uint_eq(jql_results_citation_count(r), total);
    jql_results_free(r);
    static const size_t below[] = {1, 100, 1000, 2000, 2600, 2900};
    for (size_t i = 0; i <= sizeof below / sizeof *below; i++) {
        size_t limit = i < sizeof below / sizeof *below ? below[i] : total - 1;
        jql_score_options o = opts_with(1, 0);
        o.max_evidence = limit;
        r = NULL;
        int rc = jql_score_with(ds, c, NULL, &o, &r);
        if (rc == JQL_OK)
            ck_abort_msg("max_evidence %zu: JQL_OK, keeping the %zu references the results cite",
                         limit, jql_results_citation_count(r));
        ck_assert_int_eq(rc, JQL_ELIMIT);
    }
    jql_score_options o = opts_with(1, 0);
    o.max_evidence = total;
    OK(jql_score_with(ds, c, NULL, &o, &r));
    jql_results_free(r);
    jql_criteria_free(c);
    jql_dataset_free(ds);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Options                                                              */
/* ------------------------------------------------------------------ */

/* threads 0 and 1 score on the calling thread; a version 3 structure has
   no `threads` (whatever follows it is not read); unknown flags and
   versions are refused as before. */
START_TEST(options_versions_and_flags)
{
    gen_info g;
    size_t units = 3 * PER;
    jql_dataset *ds = gen(19, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    outcome plain;
    run(ds, c, NULL, L_FULL, &plain);
    ck_assert_msg(plain.rc == JQL_OK, "%s", plain.error);

    for (unsigned t = 0; t <= 1; t++) {
        jql_score_options o = opts_with(t, JQL_SCORE_CUSTOM_ANY_THREAD);
        outcome got;
        probe_reset(&p);
        run(ds, c, &o, L_FULL, &got);
        same(&plain, &got, t ? "threads = 1" : "threads = 0");
        outcome_free(&got);
        ck_assert_uint_eq(probe_threads(&p), 1);
        ck_assert_uint_eq(probe_off_caller(&p), 0);
    }
    for (unsigned v = 1; v <= 3; v++) {
        /* an older caller's structure: `threads` lies beyond it */
        jql_score_options o = opts_with(8, JQL_SCORE_CUSTOM_ANY_THREAD);
        o.version = v;
        char what[64];
        snprintf(what, sizeof what, "options version %u", v);
        probe_reset(&p);
        check_same(&plain, ds, c, &o, L_FULL, what);
        ck_assert_uint_eq(probe_threads(&p), 1);
    }
    /* version 4 with the same: three threads (the control of the above) */
    jql_score_options o4 = opts_with(8, JQL_SCORE_CUSTOM_ANY_THREAD);
    outcome got;
    probe_reset(&p);
    run(ds, c, &o4, L_FULL, &got);
    same(&plain, &got, "options version 4");
    outcome_free(&got);
    ck_assert_uint_eq(probe_threads(&p), 3);

    static const unsigned bad_flags[] = {0x8u, 0x10u, 0x80000000u,
                                         JQL_SCORE_CUSTOM_ANY_THREAD | 0x100u};
    for (size_t i = 0; i < sizeof bad_flags / sizeof *bad_flags; i++)
        for (unsigned t = 1; t <= 4; t += 3) {
            jql_score_options o = opts_with(t, bad_flags[i]);
            jql_results *r = (jql_results *)&o; /* set to NULL on failure */
            ck_assert_int_eq(jql_score_with(ds, c, NULL, &o, &r), JQL_EINVALID);
            ck_assert_ptr_null(r);
            ck_assert_ptr_nonnull(strstr(jql_last_error(), "unknown flags"));
        }
    jql_score_options o5 = opts_with(4, 0);
    o5.version = JQL_SCORE_OPTIONS_VERSION + 1;
    jql_results *r = NULL;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o5, &r), JQL_EINVALID);
    ck_assert_ptr_null(r);
    o5.version = 0;
    ck_assert_int_eq(jql_score_with(ds, c, NULL, &o5, &r), JQL_EINVALID);
    outcome_free(&plain);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Several scorings at once                                             */
/* ------------------------------------------------------------------ */

#define APPS 4

typedef struct {
    const jql_dataset *ds;
    const jql_criteria *c;
    unsigned flags;
    const outcome *want;
    int rc;
    int mismatches;
} app_job;

static void *app_thread(void *arg)
{
    app_job *j = arg;
    for (int round = 0; round < 2; round++) {
        jql_score_options o = opts_with(2, j->flags);
        jql_results *r = NULL;
        int rc = jql_score_with(j->ds, j->c, NULL, &o, &r);
        if (rc != JQL_OK) {
            j->rc = rc;
            return NULL;
        }
        sbuf b = {0};
        if (jql_results_write_cb(r, sbuf_sink, &b, JQL_EVIDENCE_FULL) != JQL_OK ||
            b.len != j->want->doc_len[0] || memcmp(b.data, j->want->doc[0], b.len) != 0)
            j->mismatches++;
        free(b.data);
        jql_results_free(r);
    }
    return NULL;
}

/* Four threads score one fresh dataset at once, each on two threads of
   its own: the dataset's lazily built caches (the units' order, a long
   pair's index) are built while they race. Two sheets (custom functions
   on any thread; roll-ups, on one thread each). */
START_TEST(several_scorings_at_once)
{
    gen_info g, g2;
    size_t units = 2 * PER + 20;
    /* the answers, from a twin dataset: the one raced on has built nothing */
    jql_dataset *twin = gen(20, units, 0, SIZE_MAX, &g2);
    jql_dataset *ds = gen(20, units, 0, SIZE_MAX, &g);
    jql_criteria *plain = sheet(SHEET_CUSTOM), *rollup = sheet(SHEET_ROLLUP_ANY);
    probe p, p2;
    probe_init(&p, &g);
    probe_init(&p2, &g2);
    register_probe(plain, &p2);
    outcome want[2];
    run(twin, plain, NULL, L_FULL, &want[0]);
    run(twin, rollup, NULL, L_FULL, &want[1]);
    ck_assert_msg(want[0].rc == JQL_OK && want[1].rc == JQL_OK, "%s%s", want[0].error,
                  want[1].error);
    register_probe(plain, &p);
    probe_reset(&p);

    pthread_t tid[APPS];
    app_job jobs[APPS];
    for (int t = 0; t < APPS; t++) {
        jobs[t] = (app_job){ds, t % 2 ? rollup : plain, t % 2 ? 0 : JQL_SCORE_CUSTOM_ANY_THREAD,
                            &want[t % 2], 0, 0};
        ck_assert_int_eq(pthread_create(&tid[t], NULL, app_thread, &jobs[t]), 0);
    }
    for (int t = 0; t < APPS; t++)
        pthread_join(tid[t], NULL);
    for (int t = 0; t < APPS; t++) {
        ck_assert_msg(jobs[t].rc == JQL_OK, "scorer %d: %s", t, jql_status_name(jobs[t].rc));
        ck_assert_int_eq(jobs[t].mismatches, 0);
    }
    /* two scorings each at once, each one call at a time: at most two */
    ck_assert_int_le(probe_most_at_once(&p), 2);
    ck_assert_uint_eq(probe_calls(&p), 2 * 2 * units);
    outcome_free(&want[0]);
    outcome_free(&want[1]);
    jql_criteria_free(plain);
    jql_criteria_free(rollup);
    jql_dataset_free(ds);
    jql_dataset_free(twin);
    gen_info_free(&g);
    gen_info_free(&g2);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Memory running out on any thread                                     */
/* ------------------------------------------------------------------ */

static atomic_long alloc_left = -1; /* allocations until one fails; < 0: none fails */
static atomic_long alloc_count;

static bool alloc_fails(void)
{
    atomic_fetch_add(&alloc_count, 1);
    long left = atomic_load(&alloc_left);
    while (left >= 0) {
        if (atomic_compare_exchange_weak(&alloc_left, &left, left - 1))
            return left == 0;
    }
    return false;
}

static void *failing_malloc(size_t n) { return alloc_fails() ? NULL : malloc(n); }
static void *failing_realloc(void *q, size_t n) { return alloc_fails() ? NULL : realloc(q, n); }

/* One allocation fails, on whichever thread makes it: the scoring either
   fails with JQL_ENOMEM or (a thread's failure found again on this one,
   which has memory) gives the bytes of one thread; nothing leaks (the
   ASan and valgrind phases of tests/run.sh). Spread over the scoring's
   allocations. */
START_TEST(out_of_memory_on_any_thread)
{
    gen_info g;
    size_t units = 2 * PER + 1;
    jql_dataset *ds = gen(21, units, 0, SIZE_MAX, &g);
    jql_criteria *c = sheet(SHEET_CUSTOM);
    probe p;
    probe_init(&p, &g);
    register_probe(c, &p);
    outcome one;
    jql_score_options o = opts_with(1, JQL_SCORE_CUSTOM_ANY_THREAD);
    run(ds, c, &o, L_FULL, &one);
    ck_assert_msg(one.rc == JQL_OK, "%s", one.error);
    o.threads = 2;

    ck_assert_int_eq(jql_allocator_set(failing_malloc, failing_realloc, free), JQL_OK);
    jql_results *r = NULL;
    atomic_store(&alloc_count, 0);
    OK(jql_score_with(ds, c, NULL, &o, &r));
    long total = atomic_load(&alloc_count);
    jql_results_free(r);
    ck_assert_int_gt(total, 100);
    int failed = 0;
    for (long n = 0; n < total; n += total / 37 + 1) {
        r = NULL;
        atomic_store(&alloc_left, n);
        int rc = jql_score_with(ds, c, NULL, &o, &r);
        atomic_store(&alloc_left, -1);
        if (rc == JQL_OK) {
            outcome got = {0};
            describe(r, L_FULL, &got);
            jql_results_free(r);
            char what[64];
            snprintf(what, sizeof what, "allocation %ld failed", n);
            same(&one, &got, what);
            outcome_free(&got);
        } else {
            /* (the custom function fails when the context cannot keep its
               rule: the status of one thread too) */
            ck_assert_msg(rc == JQL_ENOMEM ||
                              (rc == JQL_ECALLBACK && strstr(jql_last_error(), "refused")),
                          "allocation %ld: %s (%s)", n, jql_status_name(rc), jql_last_error());
            ck_assert_ptr_null(r);
            failed++;
        }
    }
    ck_assert_int_gt(failed, 0);
    ck_assert_int_eq(jql_allocator_set(NULL, NULL, NULL), JQL_OK);
    outcome_free(&one);
    jql_criteria_free(c);
    jql_dataset_free(ds);
    gen_info_free(&g);
}
END_TEST

int main(void)
{
    /* one case per test, tagged with its name: CK_RUN_CASE=name runs one,
       CK_EXCLUDE_TAGS="name ..." all but those */
    const struct {
        const char *name;
        const TTest *test;
    } tests[] = {
#define TEST(name) {#name, name}
        TEST(same_bytes_every_thread_count),
        TEST(same_bytes_with_options),
        TEST(as_of_on_several_threads),
        TEST(block_boundaries),
        TEST(at_most_max_threads),
        TEST(rollup_stays_on_calling_thread),
        TEST(custom_calls_stay_home_unless_allowed),
        TEST(custom_failure_in_later_block),
        TEST(evidence_limit_as_one_thread),
        TEST(older_options_retried_alone),
        TEST(evidence_limit_passed_by_a_later_block),
        TEST(options_versions_and_flags),
        TEST(several_scorings_at_once),
        TEST(out_of_memory_on_any_thread),
        TEST(evidence_limit_sweep),
        TEST(evidence_limit_exact_on_one_thread),
        TEST(periods_on_several_threads),
        TEST(analyses_on_several_threads),
#undef TEST
    };
    Suite *s = suite_create("score_threads");
    for (size_t i = 0; i < sizeof tests / sizeof *tests; i++) {
        TCase *tc = tcase_create(tests[i].name);
        tcase_set_tags(tc, tests[i].name);
        tcase_set_timeout(tc, 60);
        tcase_add_test(tc, tests[i].test);
        suite_add_tcase(s, tc);
    }
    return test_run_suite(s);
}
