/*
 * Years of history: a unit's records of twenty years, partly in time order and
 * partly not, with tasks given a second owner after the fact (inserted in
 * the middle of that unit's list) and directives whose due date moves years
 * back after they were listed. The queries read a unit's lists by blocks of
 * dates (model.h), the province's roll-ups too; every quarter's and year's
 * tallies and scores are checked here against counts made from the records
 * as they were added.
 */
#include <stdlib.h>
#include <string.h>

#include "score_helpers.h"

#define YEARS 20
#define FIRST_YEAR 2006
#define QUARTERS (YEARS * 4)
#define TASKS_PER_Q 6
#define EVENTS_PER_Q 3
#define NTASKS (QUARTERS * TASKS_PER_Q)
#define NEVENTS (QUARTERS * EVENTS_PER_Q)

typedef struct {
    jql_date due;
    bool u, v;    /* owners */
    size_t index; /* in the dataset */
} task_t;

typedef struct {
    jql_date date;
    bool award;
} event_t;

/* What was added, to count from. */
typedef struct {
    task_t tasks[NTASKS];
    event_t events[NEVENTS];
    jql_date dir_due[QUARTERS];
    bool report_sent[QUARTERS];
    jql_milli stat[QUARTERS], appraised[QUARTERS];
} history;

static jql_date q_start(int q) { return test_date(FIRST_YEAR + q / 4, 3 * (q % 4) + 1, 1); }

static jql_date q_end(int q) { return q_start(q + 1) - 1; }

static void q_id(int q, char *buf) { sprintf(buf, "%d-Q%d", FIRST_YEAR + q / 4, q % 4 + 1); }

/* The order quarters are added in: the first half in time order, the rest
   shuffled, as data typed in late or merged from several files comes. */
static void quarter_order(int *order)
{
    for (int q = 0; q < QUARTERS; q++)
        order[q] = q;
    for (int q = QUARTERS - 1; q > QUARTERS / 2; q--) {
        int j = QUARTERS / 2 + (int)test_rnd((unsigned)(q - QUARTERS / 2 + 1)), t = order[q];
        order[q] = order[j];
        order[j] = t;
    }
}

static jql_dataset *build(history *h)
{
    jql_dataset *ds = jql_dataset_new();
    ck_assert_ptr_nonnull(ds);
    ck_assert_int_eq(jql_unit_add(ds, "p", "P", "province", NULL, NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "u", "U", "commune", "p", NULL), JQL_OK);
    ck_assert_int_eq(jql_unit_add(ds, "v", "V", "commune", "p", NULL), JQL_OK);
    ck_assert_int_eq(jql_indicator_add(ds, "a", "A", NULL, JQL_AGG_SUM, NULL), JQL_OK);
    int order[QUARTERS];
    quarter_order(order);
    char id[32], qid[16];
    for (int k = 0; k < QUARTERS; k++) {
        int q = order[k];
        jql_date s = q_start(q), len = q_end(q) - s + 1;
        q_id(q, qid);
        for (int t = 0; t < TASKS_PER_Q; t++) {
            task_t *x = &h->tasks[q * TASKS_PER_Q + t];
            x->due = s + (jql_date)test_rnd((unsigned)len);
            x->u = t % 3 != 2;
            x->v = !x->u; /* v's own tasks, in its list in the order added */
            sprintf(id, "t%d-%d", q, t);
            ck_assert_int_eq(jql_task_add(ds, id, "T", x->due, &x->index), JQL_OK);
            ck_assert_int_eq(jql_task_add_owner(ds, x->index, x->u ? "u" : "v"), JQL_OK);
        }
        for (int e = 0; e < EVENTS_PER_Q; e++) {
            event_t *x = &h->events[q * EVENTS_PER_Q + e];
            x->date = s + (jql_date)test_rnd((unsigned)len);
            x->award = test_rnd(2);
            ck_assert_int_eq(jql_event_add(ds, "u", x->date, x->award ? "award" : "complaint",
                                           NULL, NULL),
                             JQL_OK);
        }
        h->report_sent[q] = test_rnd(3) != 0;
        jql_date due = q_end(q) + 10;
        ck_assert_int_eq(jql_report_add(ds, "u", qid, "statistics", due,
                                        h->report_sent[q] ? due - 2 : JQL_NO_DATE, true, NULL),
                         JQL_OK);
        h->stat[q] = 1000 * (jql_milli)(1 + test_rnd(500));
        ck_assert_int_eq(jql_stat_set_value(ds, "u", "a", qid, h->stat[q]), JQL_OK);
        h->appraised[q] = 1000 * (jql_milli)test_rnd(11);
        ck_assert_int_eq(jql_assessment_add(ds, "u", qid, "manual", JQL_NO_SCORE, h->appraised[q],
                                            NULL),
                         JQL_OK);
        size_t d;
        sprintf(id, "d%d", q);
        h->dir_due[q] = s + (jql_date)test_rnd((unsigned)len);
        ck_assert_int_eq(jql_directive_add(ds, id, s, "p", "x", &d), JQL_OK);
        ck_assert_int_eq(jql_directive_set_due(ds, d, h->dir_due[q]), JQL_OK);
        ck_assert_int_eq(jql_directive_add_unit(ds, d, "u"), JQL_OK);
    }
    /* second owners after the fact: each enters v's list before later tasks */
    for (int i = 0; i < NTASKS; i += 4)
        if (!h->tasks[i].v) {
            h->tasks[i].v = true;
            ck_assert_int_eq(jql_task_add_owner(ds, h->tasks[i].index, "v"), JQL_OK);
        }
    /* due dates moved three years back, out of their block's dates */
    for (int q = 12; q < QUARTERS; q += 5) {
        h->dir_due[q] -= 3 * 365;
        for (size_t d = 0; d < jql_directive_count(ds); d++) {
            char want[16];
            sprintf(want, "d%d", q);
            if (strcmp(jql_directive_id(ds, d), want) == 0)
                ck_assert_int_eq(jql_directive_set_due(ds, d, h->dir_due[q]), JQL_OK);
        }
    }
    return ds;
}

static bool in(jql_date d, jql_date s, jql_date e) { return d >= s && d <= e; }

/* Quarters first..last (inclusive) as one window. */
static void check_window(const jql_dataset *ds, const jql_criteria *c, const jql_criteria *cp,
                         const history *h, int first, int last, const char *period)
{
    jql_date s = q_start(first), e = q_end(last);
    size_t tasks_u = 0, tasks_v = 0, dirs = 0, missing = 0, awards = 0;
    jql_milli sum = 0;
    for (int i = 0; i < NTASKS; i++)
        if (in(h->tasks[i].due, s, e)) {
            tasks_u += h->tasks[i].u;
            tasks_v += h->tasks[i].v;
        }
    for (int q = 0; q < QUARTERS; q++) {
        dirs += in(h->dir_due[q], s, e);
        if (q >= first && q <= last) {
            missing += !h->report_sent[q];
            sum += h->stat[q];
        }
    }
    for (int i = 0; i < NEVENTS; i++)
        awards += h->events[i].award && in(h->events[i].date, s, e);

    jql_tally t = JQL_TALLY_INIT;
    ck_assert_int_eq(jql_tally_compute(ds, "u", period, NULL, &t), JQL_OK);
    ck_assert_msg(t.tasks_due == tasks_u, "%s: u has %zu tasks due, counted %zu", period,
                  t.tasks_due, tasks_u);
    ck_assert_uint_eq(t.reports_due, (size_t)(last - first + 1));
    ck_assert_uint_eq(t.reports_missing, missing);
    ck_assert_msg(t.directives_due == dirs, "%s: %zu directives due, counted %zu", period,
                  t.directives_due, dirs);
    t = (jql_tally)JQL_TALLY_INIT;
    ck_assert_int_eq(jql_tally_compute(ds, "v", period, NULL, &t), JQL_OK);
    ck_assert_msg(t.tasks_due == tasks_v, "%s: v has %zu tasks due, counted %zu", period,
                  t.tasks_due, tasks_v);

    jql_results *r = score_ok(ds, c, period);
    size_t k = unit_k(r, "u");
    jql_milli v = -1;
    ck_assert(jql_results_node_value(r, k, node_n(r, "awards"), &v));
    ck_assert_int_eq(v, (jql_milli)awards * 1000);
    ck_assert_uint_eq(jql_results_node_evidence_count(r, k, node_n(r, "awards")), awards);
    ck_assert(jql_results_node_value(r, k, node_n(r, "missing"), &v));
    ck_assert_int_eq(v, (jql_milli)missing * 1000);
    ck_assert(jql_results_node_value(r, k, node_n(r, "value"), &v));
    ck_assert_int_eq(v, sum);
    /* the manual leaf: the window's own assessment, else the one ending last */
    ck_assert_int_eq(pts(r, "u", "manual"), h->appraised[last]);
    if (first >= 4 && last - first == 3) { /* a year after the first: its change */
        jql_milli before = 0;
        for (int q = first - 4; q < first; q++)
            before += h->stat[q];
        ck_assert(jql_results_node_value(r, k, node_n(r, "change"), &v));
        __int128 num = (__int128)(sum - before) * 100000, half = before / 2;
        jql_milli want = (jql_milli)((num >= 0 ? num + half : num - half) / before);
        ck_assert_int_eq(v, want);
    }
    jql_results_free(r);

    /* the province, through roll-ups over both communes */
    size_t tasks_uv = 0;
    for (int i = 0; i < NTASKS; i++)
        tasks_uv += (h->tasks[i].u || h->tasks[i].v) && in(h->tasks[i].due, s, e);
    for (int evidence = 0; evidence < 2; evidence++) {
        /* without evidence, sums per subtree; with it, the records walked */
        jql_score_options o = JQL_SCORE_OPTIONS_INIT;
        o.flags = evidence ? 0 : JQL_SCORE_NO_EVIDENCE;
        r = NULL;
        ck_assert_int_eq(jql_score_with(ds, cp, period, &o, &r), JQL_OK);
        k = unit_k(r, "p");
        ck_assert(jql_results_node_value(r, k, node_n(r, "overdue"), &v));
        ck_assert_int_eq(v, (jql_milli)tasks_uv * 1000); /* none is done */
        ck_assert(jql_results_node_value(r, k, node_n(r, "awards"), &v));
        ck_assert_int_eq(v, (jql_milli)awards * 1000);
        ck_assert(jql_results_node_value(r, k, node_n(r, "missing"), &v));
        ck_assert_int_eq(v, (jql_milli)missing * 1000);
        /* no directive is done: 0%, or no data when none is due */
        ck_assert(jql_results_node_value(r, k, node_n(r, "directives"), &v) == (dirs > 0));
        jql_results_free(r);
    }
}

static const char *province_json =
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"hp\", \"period\": \"2006\","
    " \"scale\": 40, \"units\": {\"levels\": [\"province\"]},"
    " \"tiers\": [{\"id\": \"t\", \"name\": \"T\", \"min\": 0}],"
    " \"criteria\": ["
    "  {\"id\": \"overdue\", \"title\": \"o\", \"max\": 10, \"method\": {\"type\": "
    "\"per_occurrence\", \"amount\": 1}, \"measure\": {\"kind\": \"task_overdue\", \"rollup\": true}},"
    "  {\"id\": \"awards\", \"title\": \"a\", \"max\": 10, \"method\": {\"type\": \"linear\","
    "   \"target\": 100}, \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\","
    "   \"rollup\": true}},"
    "  {\"id\": \"missing\", \"title\": \"m\", \"max\": 10, \"method\": {\"type\": "
    "\"per_occurrence\", \"amount\": 1}, \"measure\": {\"kind\": \"report_missing\", \"rollup\": true}},"
    "  {\"id\": \"directives\", \"title\": \"d\", \"max\": 10, \"method\": {\"type\": "
    "\"linear\", \"target\": 100}, \"measure\": {\"kind\": \"directive_share_completed\","
    "   \"rollup\": true}}]}";

static const char *criteria_json =
    "{\"format\": \"justice-quarterly/criteria 1.0\", \"id\": \"h\", \"period\": \"2006\","
    " \"scale\": 50, \"units\": {\"levels\": [\"commune\"]},"
    " \"tiers\": [{\"id\": \"t\", \"name\": \"T\", \"min\": 0}],"
    " \"criteria\": ["
    "  {\"id\": \"awards\", \"title\": \"a\", \"max\": 10, \"method\": {\"type\": \"linear\","
    "   \"target\": 100}, \"measure\": {\"kind\": \"event_count\", \"event_kind\": \"award\"}},"
    "  {\"id\": \"missing\", \"title\": \"m\", \"max\": 10, \"method\": {\"type\": "
    "\"per_occurrence\", \"amount\": 1}, \"measure\": {\"kind\": \"report_missing\"}},"
    "  {\"id\": \"value\", \"title\": \"v\", \"max\": 10, \"method\": {\"type\": \"linear\","
    "   \"target\": 1000000}, \"measure\": {\"kind\": \"indicator_value\", \"indicator\": \"a\"}},"
    "  {\"id\": \"change\", \"title\": \"c\", \"max\": 10, \"method\": {\"type\": \"linear\","
    "   \"target\": 100}, \"measure\": {\"kind\": \"indicator_change\", \"indicator\": \"a\"}},"
    "  {\"id\": \"manual\", \"title\": \"x\", \"max\": 10, \"method\": {\"type\": \"manual\"}}]}";

START_TEST(every_quarter_and_year)
{
    history *h = calloc(1, sizeof *h);
    ck_assert_ptr_nonnull(h);
    jql_dataset *ds = build(h);
    jql_criteria *c = cr_json(criteria_json), *cp = cr_json(province_json);
    char period[16];
    for (int q = 0; q < QUARTERS; q++) {
        q_id(q, period);
        check_window(ds, c, cp, h, q, q, period);
    }
    for (int y = 0; y < YEARS; y++) {
        sprintf(period, "%d", FIRST_YEAR + y);
        check_window(ds, c, cp, h, 4 * y, 4 * y + 3, period);
    }
    jql_criteria_free(c);
    jql_criteria_free(cp);
    jql_dataset_free(ds);
    free(h);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("history");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, every_quarter_and_year);
    suite_add_tcase(s, tc);
    return test_run_suite(s);
}
