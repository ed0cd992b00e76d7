/*
 * jql-report: gathering the figures of the review from the dataset.
 * Everything is counted here once; the writers only lay it out.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_model.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool idx_push(rp_idx *x, size_t v)
{
    if (x->len == x->cap) {
        size_t cap = x->cap ? 2 * x->cap : 16;
        size_t *p = realloc(x->v, cap * sizeof *p);
        if (!p)
            return false;
        x->v = p;
        x->cap = cap;
    }
    x->v[x->len++] = v;
    return true;
}

static void idx_free(rp_idx *x)
{
    free(x->v);
    memset(x, 0, sizeof *x);
}

/* Make x a list of n zeroes, for the second call of a list query (the
   first, with cap 0, gave n). */
static bool idx_sized(rp_idx *x, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (!idx_push(x, 0))
            return false;
    return true;
}

/* ---- grouping records by a string key ---------------------------------------
 * Kinds, fields and levels are grouped by sorting the records' indices by
 * key once (a list of the keys seen so far, searched for each record, is
 * quadratic in the number of distinct keys: hostile input has one a record). */

typedef const char *(*key_of_fn)(const jql_dataset *ds, size_t i);

/* A run of records with one key in the sorted list. */
typedef struct run {
    size_t first, len;
} run;

static const jql_dataset *group_ds; /* for qsort's comparators */
static key_of_fn group_key;
static const size_t *group_list;

static int cmp_key(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL); /* no key first */
    return strcmp(a, b);
}

static int cmp_keyed(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = cmp_key(group_key(group_ds, a), group_key(group_ds, b));
    return c ? c : (a > b) - (a < b);
}

static int cmp_run_first(const void *x, const void *y)
{
    size_t a = group_list[((const run *)x)->first], b = group_list[((const run *)y)->first];
    return (a > b) - (a < b);
}

/* Sort list[0..n) by key, then index, and return its runs of one key in
   the order their keys are first seen (lowest index); *runs is malloc'd.
   false when out of memory. */
static bool group_by_key(const jql_dataset *ds, key_of_fn key, size_t *list, size_t n,
                         run **runs, size_t *n_runs)
{
    run *r = malloc((n + 1) * sizeof *r);
    if (!r)
        return false;
    group_ds = ds;
    group_key = key;
    if (n > 1) /* qsort must not be given a NULL array, even empty */
        qsort(list, n, sizeof *list, cmp_keyed);
    size_t nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (nr && cmp_key(key(ds, list[r[nr - 1].first]), key(ds, list[i])) == 0)
            r[nr - 1].len++;
        else
            r[nr++] = (run){i, 1};
    }
    group_list = list;
    if (nr > 1)
        qsort(r, nr, sizeof *r, cmp_run_first);
    *runs = r;
    *n_runs = nr;
    return true;
}

jql_milli rp_muldiv(jql_milli a, jql_milli b, jql_milli c)
{
    jql_milli q = 0;
    if (jql_milli_muldiv(a, b, c, &q) != JQL_OK)
        return 0; /* not reached: c > 0 and the report's figures stay far from 2^63 */
    return q;
}

/* Dated on or before the as-of date (undated: yes). */
static bool known(const rp_model *m, jql_date d)
{
    return d == JQL_NO_DATE || d <= m->as_of;
}

bool rp_directive_done(const rp_model *m, size_t d)
{
    bool done = false;
    if (jql_directive_done_by(m->ds, d, m->as_of, &done) != JQL_OK)
        done = false; /* not reached: d is an index of the dataset */
    return done;
}

rp_report_verdict rp_report_verdict_of(const rp_model *m, size_t rep)
{
    rp_report_verdict v = {JQL_REPORT_STANDING_NOT_DUE, -1, false};
    if (jql_report_get_standing(m->ds, rep, m->as_of, &v.standing, &v.days_late,
                                &v.incomplete) != JQL_OK)
        v = (rp_report_verdict){JQL_REPORT_STANDING_NOT_DUE, -1, false}; /* not reached */
    return v;
}

jql_date rp_report_submitted(const rp_model *m, size_t rep)
{
    /* a submission after the as-of date is not made yet */
    return rp_report_verdict_of(m, rep).days_late >= 0 ? jql_report_submitted(m->ds, rep)
                                                        : JQL_NO_DATE;
}

const char *rp_default_period(const jql_dataset *ds)
{
    const char *best = NULL, *best_q = NULL;
    jql_date end_best = 0, end_q = 0;
    for (size_t i = 0; i < jql_stat_count(ds); i++) {
        const char *p = jql_stat_period(ds, i);
        jql_period_kind kind;
        jql_date end;
        if (jql_period_resolve(ds, p, &kind, NULL, &end) != JQL_OK)
            continue;
        if (!best || end > end_best) {
            best = p;
            end_best = end;
        }
        if (kind == JQL_PERIOD_QUARTER && (!best_q || end > end_q)) {
            best_q = p;
            end_q = end;
        }
    }
    return best_q ? best_q : best;
}

/* ---- units --------------------------------------------------------------- */

static int gather_units(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    for (size_t u = 0; u < jql_unit_count(ds); u++)
        if (jql_unit_parent(ds, u) == JQL_NONE && !idx_push(&m->roots, u))
            return JQL_ENOMEM;
    for (size_t r = 0; r < m->roots.len; r++)
        for (size_t k = 0; k < jql_unit_child_count(ds, m->roots.v[r]); k++)
            if (!idx_push(&m->covered, jql_unit_child(ds, m->roots.v[r], k)))
                return JQL_ENOMEM;
    if (m->covered.len == 0) /* a dataset of lone units: cover them */
        for (size_t r = 0; r < m->roots.len; r++)
            if (!idx_push(&m->covered, m->roots.v[r]))
                return JQL_ENOMEM;
    return JQL_OK;
}

/* ---- statistics ---------------------------------------------------------- */

static void change_of(const rp_model *m, size_t unit, size_t ind, unsigned flags, rp_change *out)
{
    const jql_milli none = INT64_MIN;
    jql_milli cur = none, prev = none, delta = none, pct = none;
    int rc = jql_indicator_value_change(m->ds, jql_unit_id(m->ds, unit), jql_indicator_id(m->ds, ind),
                              m->period, flags, &cur, &prev, &delta, &pct);
    memset(out, 0, sizeof *out);
    if (!m->stats_known) /* the period's figures were not in yet */
        cur = none;
    out->has_cur = cur != none;
    out->has_prev = prev != none;
    out->cur = out->has_cur ? cur : 0;
    out->prev = out->has_prev ? prev : 0;
    /* the library's change; set only when both values exist */
    if (out->has_cur && delta != none)
        out->delta = delta;
    if (rc == JQL_OK && out->has_cur && pct != none) {
        /* shown to 0.1%: rounded once from the exact ratio by the library's
         * jql_milli_muldiv, not from its 0.001% figure (which would round
         * twice) */
        jql_milli tenths = 0;
        out->has_pct = jql_milli_muldiv(delta, 1000, prev, &tenths) == JQL_OK;
        out->pct = tenths * 100;
    }
}

static bool has_any(const rp_change *c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (c[i].has_cur || c[i].has_prev)
            return true;
    return false;
}

/* A covered unit's (or root's) subtree holding a statistic of an indicator. */
typedef struct stat_place {
    size_t ind, pos;
} stat_place;

static int cmp_place(const void *a, const void *b)
{
    const stat_place *x = a, *y = b;
    if (x->ind != y->ind)
        return x->ind < y->ind ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* For each unit, the position of the covered unit and of the root whose
   subtree holds it (SIZE_MAX: none), each unit's ancestors walked once. */
static bool unit_places(const rp_model *m, size_t *cov, size_t *root)
{
    const jql_dataset *ds = m->ds;
    size_t n = jql_unit_count(ds), *path = malloc((n + 1) * sizeof *path);
    if (!path)
        return false;
    for (size_t u = 0; u < n; u++)
        cov[u] = root[u] = SIZE_MAX - 1; /* not known yet */
    for (size_t r = 0; r < m->roots.len; r++)
        root[m->roots.v[r]] = r, cov[m->roots.v[r]] = SIZE_MAX;
    for (size_t c = 0; c < m->covered.len; c++) /* a root itself when all are lone */
        cov[m->covered.v[c]] = c;
    for (size_t u = 0; u < n; u++) {
        size_t len = 0, x = u;
        while (root[x] == SIZE_MAX - 1) { /* up to a unit already placed */
            path[len++] = x;
            x = jql_unit_parent(ds, x);
        }
        while (len--) {
            size_t y = path[len], p = jql_unit_parent(ds, y);
            root[y] = root[p];
            if (cov[y] == SIZE_MAX - 1)
                cov[y] = cov[p];
        }
    }
    free(path);
    return true;
}

/* The (indicator, covered unit) and (indicator, root) pairs that have a
   statistic in the subtree, sorted: the others have no value either year,
   and asking the library for them costs indicators x units (20,000
   indicators without a statistic and 2,000 units: 24 s). */
static stat_place *stat_places(const rp_model *m, size_t *n_cov, size_t *n_root,
                               stat_place **roots_out)
{
    const jql_dataset *ds = m->ds;
    size_t n = jql_stat_count(ds), units = jql_unit_count(ds), nc = 0, nr = 0;
    size_t *cov = malloc((units + 1) * sizeof *cov), *root = malloc((units + 1) * sizeof *root);
    stat_place *pc = malloc((n + 1) * sizeof *pc), *pr = malloc((n + 1) * sizeof *pr);
    bool ok = cov && root && pc && pr && unit_places(m, cov, root);
    for (size_t s = 0; ok && s < n; s++) {
        size_t u = jql_stat_unit(ds, s), i = jql_stat_indicator(ds, s);
        if (cov[u] != SIZE_MAX)
            pc[nc++] = (stat_place){i, cov[u]};
        if (root[u] != SIZE_MAX)
            pr[nr++] = (stat_place){i, root[u]};
    }
    free(cov);
    free(root);
    if (!ok) {
        free(pc);
        free(pr);
        return NULL;
    }
    if (nc > 1)
        qsort(pc, nc, sizeof *pc, cmp_place);
    if (nr > 1)
        qsort(pr, nr, sizeof *pr, cmp_place);
    *n_cov = nc;
    *n_root = nr;
    *roots_out = pr;
    return pc;
}

/* The changes of indicator i where it has data; the rest stay "no data". */
static void indicator_changes(rp_model *m, rp_indicator *ind, size_t i, const stat_place *pc,
                              size_t nc, size_t *at_c, const stat_place *pr, size_t nr,
                              size_t *at_r)
{
    for (; *at_c < nc && pc[*at_c].ind == i; ++*at_c)
        if (*at_c == 0 || cmp_place(&pc[*at_c - 1], &pc[*at_c]) != 0)
            change_of(m, m->covered.v[pc[*at_c].pos], i, JQL_ROLLUP, &ind->units[pc[*at_c].pos]);
    for (; *at_r < nr && pr[*at_r].ind == i; ++*at_r)
        if (*at_r == 0 || cmp_place(&pr[*at_r - 1], &pr[*at_r]) != 0)
            change_of(m, m->roots.v[pr[*at_r].pos], i, JQL_ROLLUP, &ind->totals[pr[*at_r].pos]);
}

static char model_error[256];

const char *rp_model_error(void) { return model_error[0] ? model_error : NULL; }

/* Indicators with a statistic anywhere in the covered units' or roots'
   subtrees (pc and pr are sorted by indicator). */
static size_t indicators_placed(const stat_place *pc, size_t nc, const stat_place *pr, size_t nr)
{
    size_t n = 0, c = 0, r = 0;
    while (c < nc || r < nr) {
        size_t i = c < nc && (r >= nr || pc[c].ind <= pr[r].ind) ? pc[c].ind : pr[r].ind;
        for (; c < nc && pc[c].ind == i; c++) {}
        for (; r < nr && pr[r].ind == i; r++) {}
        n++;
    }
    return n;
}

static int gather_statistics(rp_model *m)
{
    size_t n = jql_indicator_count(m->ds), nc = 0, nr = 0, at_c = 0, at_r = 0;
    stat_place *pr = NULL, *pc = stat_places(m, &nc, &nr, &pr);
    if (!pc) {
        free(pr);
        return JQL_ENOMEM;
    }
    /* Each indicator with data has a column, each covered unit and root a
       row: cells held and written grow with their product (5,000 units
       and 20,000 indicators of one statistic each, a 2.5 MB file, needed
       4 GB) */
    size_t cols = indicators_placed(pc, nc, pr, nr), rows = m->covered.len + m->roots.len;
    if (cols && rows > RP_MAX_STAT_CELLS / cols) {
        snprintf(model_error, sizeof model_error,
                 "the statistics table would have %zu indicators with data x %zu units and "
                 "totals, more than %d cells",
                 cols, rows, RP_MAX_STAT_CELLS);
        free(pc);
        free(pr);
        return JQL_ELIMIT;
    }
    m->indicators = calloc(n ? n : 1, sizeof *m->indicators);
    if (!m->indicators) {
        free(pc);
        free(pr);
        return JQL_ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        bool data = (at_c < nc && pc[at_c].ind == i) || (at_r < nr && pr[at_r].ind == i);
        if (!data)
            continue; /* no statistic anywhere: left out, as below */
        rp_indicator *ind = &m->indicators[m->n_indicators];
        ind->index = i;
        ind->totals = calloc(m->roots.len + 1, sizeof *ind->totals);
        ind->units = calloc(m->covered.len + 1, sizeof *ind->units);
        m->n_indicators++; /* counted now so a failure frees it */
        if (!ind->totals || !ind->units) {
            free(pc);
            free(pr);
            return JQL_ENOMEM;
        }
        indicator_changes(m, ind, i, pc, nc, &at_c, pr, nr, &at_r);
        if (!has_any(ind->totals, m->roots.len) && !has_any(ind->units, m->covered.len)) {
            free(ind->totals);
            free(ind->units);
            m->n_indicators--; /* no data either year: left out */
            continue;
        }
        ind->rise = ind->fall = SIZE_MAX;
        for (size_t u = 0; u < m->covered.len; u++) {
            const rp_change *c = &ind->units[u];
            if (!c->has_pct)
                continue;
            if (c->pct > 0 && (ind->rise == SIZE_MAX || c->pct > ind->units[ind->rise].pct))
                ind->rise = u;
            if (c->pct < 0 && (ind->fall == SIZE_MAX || c->pct < ind->units[ind->fall].pct))
                ind->fall = u;
        }
    }
    free(pc);
    free(pr);
    return JQL_OK;
}

/* ---- reports ------------------------------------------------------------- */

/* The library's counts over the whole period as of m->as_of, with the
 * kind and field filters given (NULL: all). */
static int tally_of(const rp_model *m, const char *unit, const char *kind, const char *field,
                    jql_tally *t)
{
    jql_tally_options o = JQL_TALLY_OPTIONS_INIT;
    o.as_of = m->as_of_text;
    o.report_kind = kind;
    o.task_field = field;
    t->version = JQL_TALLY_VERSION;
    return jql_tally_compute(m->ds, unit, m->period, &o, t);
}

/* A counted report into its kind's counts and lists: the library's verdict
   of each report (jql_report_get_standing), the rule jql_tally_compute()
   counts by, summed here in one pass rather than one tally per kind. */
static bool count_report(const rp_model *m, rp_report_kind *k, size_t rep)
{
    rp_report_verdict v = rp_report_verdict_of(m, rep);
    jql_tally *t = &k->counts;
    t->reports_due++;
    t->reports_on_time += v.standing == JQL_REPORT_STANDING_ON_TIME;
    t->reports_missing += v.standing == JQL_REPORT_STANDING_MISSING;
    t->reports_late += v.standing == JQL_REPORT_STANDING_LATE;
    t->reports_incomplete += v.incomplete;
    /* the reports behind the counts, for the list of problems */
    bool ok = true;
    if (v.standing == JQL_REPORT_STANDING_MISSING)
        ok = idx_push(&k->missing, rep);
    else if (v.standing == JQL_REPORT_STANDING_LATE)
        ok = idx_push(&k->late, rep);
    if (ok && v.incomplete)
        ok = idx_push(&k->incomplete, rep);
    return ok;
}

/* The period's reports due by the as-of date, by kind in first-seen order. */
static int gather_reports(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0, counted = 0, n_runs = 0;
    rp_idx of_period = {0};
    run *runs = NULL;
    int rc = jql_reports_in_period(ds, NULL, m->period, NULL, NULL, 0, &n);
    if (rc == JQL_OK && !idx_sized(&of_period, n))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = jql_reports_in_period(ds, NULL, m->period, NULL, of_period.v, n, &n);
    for (size_t r = 0; rc == JQL_OK && r < of_period.len; r++) /* not due yet: not counted */
        if (rp_report_verdict_of(m, of_period.v[r]).standing != JQL_REPORT_STANDING_NOT_DUE)
            of_period.v[counted++] = of_period.v[r];
    if (rc == JQL_OK && !group_by_key(ds, jql_report_kind, of_period.v, counted, &runs, &n_runs))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK && !(m->kinds = calloc(n_runs + 1, sizeof *m->kinds)))
        rc = JQL_ENOMEM;
    for (size_t g = 0; rc == JQL_OK && g < n_runs; g++) {
        rp_report_kind *k = &m->kinds[m->n_kinds++];
        const size_t *rep = &of_period.v[runs[g].first];
        k->kind = jql_report_kind(ds, rep[0]);
        k->counts.version = JQL_TALLY_VERSION; /* report counts only */
        for (size_t i = 0; rc == JQL_OK && i < runs[g].len; i++)
            if (!count_report(m, k, rep[i]))
                rc = JQL_ENOMEM;
    }
    free(runs);
    idx_free(&of_period);
    return rc;
}

/* ---- tasks --------------------------------------------------------------- */

static void tally_copy(rp_tally *t, const jql_tally *x)
{
    t->due = x->tasks_due;
    t->done = x->tasks_done;
    t->done_late = x->tasks_done_late;
    t->not_done = x->tasks_overdue;
}

/* A task due by the as-of date into a row: not done as of then is the
   library's verdict (jql_tasks_overdue, the tally's rule); done late, a
   completion after the due date (a done task always has its date). */
static void count_task(const rp_model *m, size_t task, const bool *overdue, rp_tally *t)
{
    t->due++;
    if (overdue[task]) {
        t->not_done++;
        return;
    }
    t->done++;
    jql_date completed = jql_task_completed(m->ds, task);
    t->done_late += completed != JQL_NO_DATE && completed > jql_task_due(m->ds, task);
}

static int cmp_row_unit(const void *a, const void *b)
{
    size_t x = ((const rp_tally_row *)a)->unit, y = ((const rp_tally_row *)b)->unit;
    return (x > y) - (x < y);
}

/* Rows by field, in the order fields are first seen (no field: a row too). */
static int task_fields(rp_model *m, size_t *list, size_t n, const bool *overdue)
{
    run *runs = NULL;
    size_t n_runs = 0;
    if (!group_by_key(m->ds, jql_task_field, list, n, &runs, &n_runs) ||
        !(m->task_fields = calloc(n_runs + 1, sizeof *m->task_fields))) {
        free(runs);
        return JQL_ENOMEM;
    }
    for (size_t g = 0; g < n_runs; g++) {
        rp_tally_row *r = &m->task_fields[m->n_task_fields++];
        const size_t *task = &list[runs[g].first];
        r->field = jql_task_field(m->ds, task[0]);
        for (size_t i = 0; i < runs[g].len; i++)
            count_task(m, task[i], overdue, &r->t);
    }
    free(runs);
    return JQL_OK;
}

/* Rows by owner, in unit order; a unit named twice by a task counts it once. */
static int task_owners(rp_model *m, const size_t *list, size_t n, const bool *overdue)
{
    const jql_dataset *ds = m->ds;
    size_t units = jql_unit_count(ds);
    size_t *row_of = calloc(units + 1, sizeof *row_of);  /* row + 1, 0: none yet */
    size_t *last = malloc((units + 1) * sizeof *last);   /* last task counted */
    m->task_units = calloc(units + 1, sizeof *m->task_units);
    if (!row_of || !last || !m->task_units) {
        free(row_of);
        free(last);
        return JQL_ENOMEM;
    }
    for (size_t u = 0; u < units; u++)
        last[u] = SIZE_MAX;
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < jql_task_owner_count(ds, list[i]); k++) {
            size_t u = jql_task_owner(ds, list[i], k);
            if (last[u] == list[i])
                continue;
            last[u] = list[i];
            if (!row_of[u]) {
                m->task_units[m->n_task_units].unit = u;
                row_of[u] = ++m->n_task_units;
            }
            count_task(m, list[i], overdue, &m->task_units[row_of[u] - 1].t);
        }
    if (m->n_task_units > 1)
        qsort(m->task_units, m->n_task_units, sizeof *m->task_units, cmp_row_unit);
    free(row_of);
    free(last);
    return JQL_OK;
}

static int gather_tasks(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0;
    rp_idx due = {0}, over = {0};
    int rc = jql_tasks_due(ds, NULL, m->period, NULL, 0, &n);
    if (rc == JQL_OK && !idx_sized(&due, n))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = jql_tasks_due(ds, NULL, m->period, due.v, n, &n);
    /* not done as of then: the library's overdue tasks (the tally's rule) */
    bool *overdue = calloc(jql_task_count(ds) + 1, sizeof *overdue);
    if (!overdue)
        rc = JQL_ENOMEM;
    size_t n_over = 0;
    if (rc == JQL_OK)
        rc = jql_tasks_overdue(ds, NULL, m->as_of, NULL, 0, &n_over);
    if (rc == JQL_OK && !idx_sized(&over, n_over))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = jql_tasks_overdue(ds, NULL, m->as_of, over.v, n_over, &n_over);
    for (size_t i = 0; rc == JQL_OK && i < over.len; i++)
        overdue[over.v[i]] = true;
    idx_free(&over);
    /* the tasks counted: due by then (the others are not due yet) */
    size_t counted = 0;
    for (size_t i = 0; rc == JQL_OK && i < due.len; i++) {
        size_t t = due.v[i];
        if (!known(m, jql_task_due(ds, t)))
            continue;
        due.v[counted++] = t;
        if (overdue[t] && !idx_push(&m->tasks_not_done, t))
            rc = JQL_ENOMEM;
    }
    jql_tally x;
    if (rc == JQL_OK && (rc = tally_of(m, NULL, NULL, NULL, &x)) == JQL_OK)
        tally_copy(&m->tasks, &x);
    if (rc == JQL_OK)
        rc = task_owners(m, due.v, counted, overdue);
    if (rc == JQL_OK)
        rc = task_fields(m, due.v, counted, overdue); /* sorts the list: last */
    free(overdue);
    idx_free(&due);
    return rc;
}

/* ---- shortcomings and directives ------------------------------------------ */

/* A period has ended by the as-of date. */
static bool period_over(const rp_model *m, const char *id)
{
    jql_date end;
    return id && jql_period_resolve(m->ds, id, NULL, NULL, &end) == JQL_OK && known(m, end);
}

/* Found in a period that had started by the as-of date. */
static bool found_by(const rp_model *m, size_t s)
{
    jql_date start;
    return jql_period_resolve(m->ds, jql_shortcoming_period(m->ds, s), NULL, &start, NULL) ==
               JQL_OK &&
           known(m, start);
}

static int gather_shortcomings(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0;
    rp_idx open = {0};
    int rc = jql_shortcomings_open(ds, NULL, m->period, NULL, 0, &n);
    if (rc == JQL_OK && !idx_sized(&open, n))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = jql_shortcomings_open(ds, NULL, m->period, open.v, n, &n);
    if (rc != JQL_OK) {
        idx_free(&open);
        return rc;
    }
    for (size_t k = 0; k < open.len; k++)
        if (found_by(m, open.v[k]) && !idx_push(&m->sc_open, open.v[k])) {
            idx_free(&open);
            return JQL_ENOMEM;
        }
    idx_free(&open);
    for (size_t i = 0; i < jql_shortcoming_count(ds); i++) {
        const char *res = jql_shortcoming_resolved(ds, i);
        bool inside = false;
        if (!res || jql_period_contains(ds, m->period, res, &inside) != JQL_OK || !inside)
            continue;
        /* resolved in a period not over by the as-of date: still open then */
        rp_idx *to = period_over(m, res) ? &m->sc_resolved : found_by(m, i) ? &m->sc_open : NULL;
        if (to && !idx_push(to, i))
            return JQL_ENOMEM;
    }
    return JQL_OK;
}

/* The id and range of the period after m->period: the library's
 * (jql_period_next_range), which falls back to the same length again. */
static void next_period(rp_model *m)
{
    if (jql_period_next_range(m->ds, m->period, m->next_id, sizeof m->next_id, &m->next_start,
                              &m->next_end) != JQL_OK) {
        /* past year JQL_YEAR_MAX: no next period to show */
        m->next_id[0] = '\0';
        m->next_start = m->end + 1;
        m->next_end = m->end;
    }
}

/* A directive addressed to a level, for the per-level counts. */
typedef struct level_hit {
    const char *level;
    size_t directive;
    bool done;
} level_hit;

static int cmp_level_hit(const void *a, const void *b)
{
    const level_hit *x = a, *y = b;
    int c = strcmp(x->level, y->level);
    return c ? c : (x->directive > y->directive) - (x->directive < y->directive);
}

static int cmp_level_hit_level(const void *a, const void *b)
{
    return strcmp(((const level_hit *)a)->level, ((const level_hit *)b)->level);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Levels of directive d, sorted, into lv (room for all); their number. */
static size_t directive_levels(const jql_dataset *ds, size_t d, const char **lv)
{
    size_t n = jql_directive_level_count(ds, d);
    for (size_t k = 0; k < n; k++)
        lv[k] = jql_directive_level(ds, d, k);
    if (n > 1)
        qsort(lv, n, sizeof *lv, cmp_str);
    return n;
}

/* The directives counted for a unit, as jql_tally_compute() counts them:
   due in the period by the as-of date, issued by then, addressed to the
   unit by name or by its level (once if both). */
static int gather_counted_directives(const rp_model *m, rp_idx *counted, size_t *max_levels)
{
    *max_levels = 0;
    for (size_t k = 0; k < m->dir_due.len; k++) {
        size_t d = m->dir_due.v[k];
        if (!known(m, jql_directive_due(m->ds, d)))
            continue;
        if (!idx_push(counted, d))
            return JQL_ENOMEM;
        if (jql_directive_level_count(m->ds, d) > *max_levels)
            *max_levels = jql_directive_level_count(m->ds, d);
    }
    return JQL_OK;
}

/* Per-level counts (one entry per distinct level), sorted by level. */
static level_hit *level_counts(const rp_model *m, const rp_idx *counted, size_t *n_levels,
                               size_t **due, size_t **done)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0, w = 0;
    for (size_t k = 0; k < counted->len; k++)
        n += jql_directive_level_count(ds, counted->v[k]);
    level_hit *hits = malloc((n + 1) * sizeof *hits);
    *due = calloc(n + 1, sizeof **due);
    *done = calloc(n + 1, sizeof **done);
    if (!hits || !*due || !*done) {
        free(hits);
        return NULL;
    }
    n = 0;
    for (size_t k = 0; k < counted->len; k++) {
        size_t d = counted->v[k];
        bool ok = rp_directive_done(m, d);
        for (size_t j = 0; j < jql_directive_level_count(ds, d); j++)
            hits[n++] = (level_hit){jql_directive_level(ds, d, j), d, ok};
    }
    if (n > 1)
        qsort(hits, n, sizeof *hits, cmp_level_hit);
    for (size_t i = 0; i < n; i++) {
        bool same_level = w && strcmp(hits[w - 1].level, hits[i].level) == 0;
        if (same_level && hits[i - 1].directive == hits[i].directive)
            continue; /* a level named twice by one directive */
        if (!same_level)
            hits[w++] = hits[i];
        (*due)[w - 1]++;
        (*done)[w - 1] += hits[i].done;
    }
    *n_levels = w;
    return hits;
}

/* The directives counted by name for each unit (not through its level). */
static int named_counts(const rp_model *m, const rp_idx *counted, size_t max_levels, size_t *due,
                        size_t *done)
{
    const jql_dataset *ds = m->ds;
    size_t units = jql_unit_count(ds);
    size_t *last = malloc((units + 1) * sizeof *last);
    const char **lv = malloc((max_levels + 1) * sizeof *lv);
    if (!last || !lv) {
        free(last);
        free(lv);
        return JQL_ENOMEM;
    }
    for (size_t u = 0; u < units; u++)
        last[u] = SIZE_MAX;
    for (size_t k = 0; k < counted->len; k++) {
        size_t d = counted->v[k], n_lv = directive_levels(ds, d, lv);
        bool ok = rp_directive_done(m, d);
        for (size_t j = 0; j < jql_directive_unit_count(ds, d); j++) {
            size_t u = jql_directive_unit(ds, d, j);
            const char *level = jql_unit_level(ds, u);
            if (last[u] == d || bsearch(&level, lv, n_lv, sizeof *lv, cmp_str))
                continue; /* counted once, or through its level */
            last[u] = d;
            due[u]++;
            done[u] += ok;
        }
    }
    free(last);
    free(lv);
    return JQL_OK;
}

/* Rows of the units with a directive due, in unit order: counted in one
   pass over the directives, where one jql_tally_compute() per unit reads
   every directive of the unit's level (units x directives of a level). */
static int addressee_rows(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    size_t units = jql_unit_count(ds), max_levels = 0, n_levels = 0;
    size_t *due = calloc(units + 1, sizeof *due), *done = calloc(units + 1, sizeof *done);
    size_t *lv_due = NULL, *lv_done = NULL;
    rp_idx counted = {0};
    level_hit *levels = NULL;
    int rc = due && done ? gather_counted_directives(m, &counted, &max_levels) : JQL_ENOMEM;
    if (rc == JQL_OK && counted.len &&
        !(levels = level_counts(m, &counted, &n_levels, &lv_due, &lv_done)))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = named_counts(m, &counted, max_levels, due, done);
    if (rc == JQL_OK && counted.len && !(m->addressees = calloc(units + 1, sizeof *m->addressees)))
        rc = JQL_ENOMEM;
    for (size_t u = 0; rc == JQL_OK && counted.len && u < units; u++) {
        level_hit key = {jql_unit_level(ds, u), 0, false};
        const level_hit *l = bsearch(&key, levels, n_levels, sizeof *levels, cmp_level_hit_level);
        rp_addressee_row row = {u, due[u], done[u]};
        if (l) {
            row.due += lv_due[l - levels];
            row.done += lv_done[l - levels];
        }
        if (row.due)
            m->addressees[m->n_addressees++] = row;
    }
    free(due);
    free(done);
    free(lv_due);
    free(lv_done);
    free(levels);
    idx_free(&counted);
    return rc;
}

static int gather_directives(rp_model *m)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0;
    rp_idx all = {0};
    int rc = jql_directives_due(ds, NULL, m->period, NULL, 0, &n);
    if (rc == JQL_OK && !idx_sized(&all, n))
        rc = JQL_ENOMEM;
    if (rc == JQL_OK)
        rc = jql_directives_due(ds, NULL, m->period, all.v, n, &n);
    if (rc != JQL_OK) {
        idx_free(&all);
        return rc;
    }
    for (size_t k = 0; k < all.len; k++)
        if (known(m, jql_directive_issued(ds, all.v[k])) && !idx_push(&m->dir_due, all.v[k])) {
            idx_free(&all);
            return JQL_ENOMEM;
        }
    idx_free(&all);

    rc = addressee_rows(m);
    if (rc != JQL_OK)
        return rc;

    for (size_t d = 0; d < jql_directive_count(ds); d++) {
        jql_date due = jql_directive_due(ds, d), issued = jql_directive_issued(ds, d);
        bool due_next = due != JQL_NO_DATE && due >= m->next_start && due <= m->next_end;
        bool issued_for_later = issued >= m->start && issued <= m->end &&
                                (due == JQL_NO_DATE || due > m->end);
        if ((due_next || issued_for_later) && known(m, issued) && !idx_push(&m->dir_next, d))
            return JQL_ENOMEM;
    }
    return JQL_OK;
}

/* ---- the whole model ------------------------------------------------------- */

int rp_model_build(rp_model *m, const jql_dataset *ds, const char *period,
                   const jql_criteria *criteria, const char *score_period, jql_date as_of)
{
    memset(m, 0, sizeof *m);
    m->ds = ds;
    m->period = period;
    int rc = jql_period_resolve(ds, period, NULL, &m->start, &m->end);
    if (rc != JQL_OK)
        return JQL_ENOTFOUND;
    m->as_of = as_of == JQL_NO_DATE ? m->end : as_of;
    jql_date_format(m->as_of, m->as_of_text);
    if (jql_period_cutoff(ds, period, &m->stats_start, &m->stats_end) != JQL_OK) {
        m->stats_start = m->start;
        m->stats_end = m->end;
    }
    m->stats_known = known(m, m->stats_end);
    if (jql_period_year_before(ds, period, m->year_before, sizeof m->year_before) != JQL_OK)
        m->year_before[0] = '\0';
    next_period(m);

    rc = gather_units(m);
    if (rc == JQL_OK)
        rc = gather_statistics(m);
    if (rc == JQL_OK)
        rc = gather_reports(m);
    if (rc == JQL_OK)
        rc = gather_tasks(m);
    if (rc == JQL_OK)
        rc = gather_shortcomings(m);
    if (rc == JQL_OK)
        rc = gather_directives(m);
    if (rc == JQL_OK && criteria)
        rc = rp_emulation_build(m, criteria, score_period);
    if (rc != JQL_OK)
        rp_model_free(m);
    return rc;
}

void rp_model_free(rp_model *m)
{
    idx_free(&m->roots);
    idx_free(&m->covered);
    for (size_t i = 0; i < m->n_indicators; i++) {
        free(m->indicators[i].totals);
        free(m->indicators[i].units);
    }
    free(m->indicators);
    for (size_t i = 0; i < m->n_kinds; i++) {
        idx_free(&m->kinds[i].late);
        idx_free(&m->kinds[i].incomplete);
        idx_free(&m->kinds[i].missing);
    }
    free(m->kinds);
    free(m->task_units);
    free(m->task_fields);
    idx_free(&m->tasks_not_done);
    idx_free(&m->sc_open);
    idx_free(&m->sc_resolved);
    idx_free(&m->dir_due);
    idx_free(&m->dir_next);
    free(m->addressees);
    if (m->emu)
        rp_emulation_free(m->emu);
    memset(m, 0, sizeof *m);
}
