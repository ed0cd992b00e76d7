/*
 * jql-report: the sections of the review — heading, statistics, reporting
 * discipline, work programme — written through a rp_writer. Shortcomings
 * and directives are in report_follow.c, emulation in report_emu_sections.c.
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define T(label) rp_t(w->lang, label)

/* ---- heading ----------------------------------------------------------------- */

static void write_heading(rp_writer *w)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *pname = rp_s_period(ds, w->lang, m->period);
    const char *title = rp_scratchf("%s %s", T(L_TITLE), pname);

    w->begin(w, title);
    w->heading(w, 1, title, NULL);
    w->meta(w, T(L_DEPARTMENT), rp_s_units(ds, m->roots.v, m->roots.len));
    w->meta(w, T(L_PERIOD), rp_scratchf("%s (%s)", pname, m->period));
    w->meta(w, T(L_DATES), rp_scratchf("%s – %s", rp_s_date(w->lang, m->start),
                                       rp_s_date(w->lang, m->end)));
    w->meta(w, T(L_UNITS_COVERED),
            rp_scratchf("%zu: %s", m->covered.len, rp_s_units(ds, m->covered.v, m->covered.len)));
}

/* ---- statistics --------------------------------------------------------------- */

static void change_cells(rp_writer *w, rp_row *r, const rp_change *c)
{
    rp_row_cell(r, c->has_cur ? rp_s_num(w->lang, c->cur, -1, false) : RP_DASH);
    rp_row_cell(r, c->has_prev ? rp_s_num(w->lang, c->prev, -1, false) : RP_DASH);
    rp_row_cell(r, c->has_cur && c->has_prev ? rp_s_num(w->lang, c->delta, -1, true) : RP_DASH);
    rp_row_cell(r, c->has_pct ? rp_s_pct(w->lang, c->pct, true) : RP_DASH);
}

static const char *root_label(rp_writer *w, size_t r)
{
    const rp_model *m = w->m;
    if (m->roots.len == 1)
        return T(L_TOTAL);
    return rp_scratchf("%s (%s)", T(L_TOTAL), jql_unit_name(m->ds, m->roots.v[r]));
}

static void write_indicator_detail(rp_writer *w, const rp_indicator *ind, rp_row *row)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *measure = jql_indicator_measure_unit(ds, ind->index);
    const char *head[] = {T(L_UNIT), T(L_THIS_PERIOD), T(L_YEAR_BEFORE), T(L_CHANGE),
                          T(L_CHANGE_PCT)};
    const bool num[] = {false, true, true, true, true};

    w->heading(w, 3,
               measure ? rp_scratchf("%s (%s)", jql_indicator_name(ds, ind->index), measure)
                       : jql_indicator_name(ds, ind->index),
               rp_scratchf("indicator-%s", jql_indicator_id(ds, ind->index)));
    w->table_begin(w, 5, head, num);
    for (size_t u = 0; u < m->covered.len; u++) {
        rp_row_cell(row, jql_unit_name(ds, m->covered.v[u]));
        change_cells(w, row, &ind->units[u]);
        rp_row_emit(w, row, false);
    }
    for (size_t r = 0; r < m->roots.len; r++) {
        rp_row_cell(row, root_label(w, r));
        change_cells(w, row, &ind->totals[r]);
        rp_row_emit(w, row, true);
    }
    w->table_end(w);
    if (ind->rise != SIZE_MAX)
        w->para(w, T(L_LARGEST_RISE),
                rp_scratchf("%s (%s)", jql_unit_name(ds, m->covered.v[ind->rise]),
                            rp_s_pct(w->lang, ind->units[ind->rise].pct, true)));
    if (ind->fall != SIZE_MAX)
        w->para(w, T(L_LARGEST_FALL),
                rp_scratchf("%s (%s)", jql_unit_name(ds, m->covered.v[ind->fall]),
                            rp_s_pct(w->lang, ind->units[ind->fall].pct, true)));
}

static void write_statistics(rp_writer *w, rp_row *row)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *head[] = {T(L_INDICATOR), T(L_MEASURE), T(L_THIS_PERIOD), T(L_YEAR_BEFORE),
                          T(L_CHANGE), T(L_CHANGE_PCT)};
    const bool num[] = {false, false, true, true, true, true};

    w->heading(w, 2, rp_scratchf("1. %s", T(L_SEC_STATS)), "statistics");
    if (!m->n_indicators) {
        w->para(w, NULL, T(L_NO_STATS));
        return;
    }
    w->para(w, NULL,
            rp_scratchf("%s%s%s.", T(L_STATS_INTRO), m->year_before[0] ? ": " : "",
                        m->year_before[0] ? rp_s_period(ds, w->lang, m->year_before) : ""));
    w->chart(w, RP_CHART_INDICATORS);
    w->table_begin(w, 6, head, num);
    for (size_t i = 0; i < m->n_indicators; i++) {
        const rp_indicator *ind = &m->indicators[i];
        for (size_t r = 0; r < m->roots.len; r++) {
            const char *name = jql_indicator_name(ds, ind->index);
            const char *measure = jql_indicator_measure_unit(ds, ind->index);
            rp_row_cell(row, m->roots.len == 1
                                 ? name
                                 : rp_scratchf("%s — %s", name,
                                               jql_unit_name(ds, m->roots.v[r])));
            rp_row_cell(row, measure ? measure : RP_DASH);
            change_cells(w, row, &ind->totals[r]);
            rp_row_emit(w, row, false);
        }
    }
    w->table_end(w);
    w->heading(w, 3, T(L_STATS_DETAIL), NULL);
    for (size_t i = 0; i < m->n_indicators; i++)
        write_indicator_detail(w, &m->indicators[i], row);
}

/* ---- reporting discipline -------------------------------------------------------- */

/* Order of the problem list: never submitted, then most days late first. */
static int32_t lateness(const rp_model *m, size_t rep)
{
    int32_t d = rp_report_days_late(m, rep);
    return d < 0 ? INT32_MAX : d;
}

static void write_kind_problems(rp_writer *w, const rp_report_kind *k, rp_row *row)
{
    const jql_dataset *ds = w->m->ds;
    size_t n = 0;
    const rp_idx *parts[] = {&k->missing, &k->late, &k->incomplete};
    const char *head[] = {T(L_UNIT), T(L_STATUS), T(L_DAYS_LATE), T(L_DUE), T(L_SUBMITTED)};
    const bool num[] = {false, false, true, false, false};

    size_t *list = malloc((k->missing.len + k->late.len + k->incomplete.len) * sizeof *list);
    if (!list) {
        w->out->failed = true;
        return;
    }
    w->table_begin(w, 5, head, num);
    /* insertion sort: these lists are short */
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < parts[p]->len; i++) {
            size_t rep = parts[p]->v[i];
            bool seen = false;
            for (size_t j = 0; j < n && !seen; j++)
                seen = list[j] == rep;
            if (seen)
                continue;
            size_t at = n++;
            while (at > 0 && (lateness(w->m, list[at - 1]) < lateness(w->m, rep) ||
                              (lateness(w->m, list[at - 1]) == lateness(w->m, rep) &&
                               list[at - 1] > rep))) {
                list[at] = list[at - 1];
                at--;
            }
            list[at] = rep;
        }
    for (size_t i = 0; i < n; i++) {
        size_t rep = list[i];
        int32_t late = rp_report_days_late(w->m, rep);
        bool incomplete = late >= 0 && !jql_report_complete(ds, rep);
        rp_row_cell(row, jql_unit_name(ds, jql_report_unit(ds, rep)));
        if (late < 0)
            rp_row_cell(row, T(L_NOT_SUBMITTED));
        else if (late > 0 && incomplete)
            rp_row_cellf(row, "%s, %s", T(L_LATE), T(L_INCOMPLETE));
        else
            rp_row_cell(row, late > 0 ? T(L_LATE) : T(L_INCOMPLETE));
        rp_row_cell(row, late > 0 ? rp_scratchf("%d", (int)late) : RP_DASH);
        rp_row_cell(row, rp_s_date(w->lang, jql_report_due(ds, rep)));
        rp_row_cell(row, rp_s_date(w->lang, rp_report_submitted(w->m, rep)));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
    free(list);
}

static void write_discipline(rp_writer *w, rp_row *row)
{
    const rp_model *m = w->m;
    const char *head[] = {T(L_REPORT_KIND), T(L_REPORTS_DUE), T(L_ON_TIME), T(L_LATE),
                          T(L_INCOMPLETE), T(L_NOT_SUBMITTED)};
    const bool num[] = {false, true, true, true, true, true};

    w->heading(w, 2, rp_scratchf("2. %s", T(L_SEC_DISCIPLINE)), "discipline");
    if (!m->n_kinds) {
        w->para(w, NULL, T(L_NO_REPORTS));
        return;
    }
    w->table_begin(w, 6, head, num);
    for (size_t i = 0; i < m->n_kinds; i++) {
        const rp_report_kind *k = &m->kinds[i];
        rp_row_cell(row, rp_s_name(m->ds, w->lang, "report_kind", k->kind, NULL));
        rp_row_cellf(row, "%zu", k->due);
        rp_row_cellf(row, "%zu", k->on_time);
        rp_row_cellf(row, "%zu", k->late.len);
        rp_row_cellf(row, "%zu", k->incomplete.len);
        rp_row_cellf(row, "%zu", k->missing.len);
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
    for (size_t i = 0; i < m->n_kinds; i++) {
        const rp_report_kind *k = &m->kinds[i];
        w->heading(w, 3, rp_s_name(m->ds, w->lang, "report_kind", k->kind, NULL), NULL);
        if (!k->late.len && !k->incomplete.len && !k->missing.len)
            w->para(w, NULL, T(L_ALL_ON_TIME));
        else
            write_kind_problems(w, k, row);
    }
}

/* ---- work programme ---------------------------------------------------------- */

static void tally_cells(rp_writer *w, rp_row *row, const rp_tally *t)
{
    rp_row_cellf(row, "%zu", t->due);
    rp_row_cellf(row, "%zu", t->done);
    rp_row_cellf(row, "%zu", t->done_late);
    rp_row_cellf(row, "%zu", t->not_done);
    rp_row_cell(row, t->due ? rp_s_pct(w->lang, rp_muldiv((jql_milli)t->done, 100000,
                                                          (jql_milli)t->due),
                                       false)
                            : RP_DASH);
}

static void write_tasks(rp_writer *w, rp_row *row)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *head_u[] = {T(L_UNIT), T(L_TASKS_DUE), T(L_DONE), T(L_DONE_LATE), T(L_NOT_DONE),
                            T(L_COMPLETION)};
    const bool num[] = {false, true, true, true, true, true};

    w->heading(w, 2, rp_scratchf("3. %s", T(L_SEC_TASKS)), "tasks");
    if (!m->tasks.due) {
        w->para(w, NULL, T(L_NO_TASKS));
        return;
    }
    w->para(w, T(L_TASKS_DUE),
            rp_scratchf("%zu. %s: %zu, %s: %zu, %s: %zu, %s: %s.", m->tasks.due, T(L_DONE),
                        m->tasks.done, T(L_DONE_LATE), m->tasks.done_late, T(L_NOT_DONE),
                        m->tasks.not_done, T(L_COMPLETION),
                        rp_s_pct(w->lang, rp_muldiv((jql_milli)m->tasks.done, 100000,
                                                    (jql_milli)m->tasks.due),
                                 false)));
    w->heading(w, 3, T(L_BY_UNIT), NULL);
    w->table_begin(w, 6, head_u, num);
    for (size_t i = 0; i < m->n_task_units; i++) {
        rp_row_cell(row, jql_unit_name(ds, m->task_units[i].unit));
        tally_cells(w, row, &m->task_units[i].t);
        rp_row_emit(w, row, false);
    }
    w->table_end(w);

    const char *head_f[] = {T(L_FIELD), T(L_TASKS_DUE), T(L_DONE), T(L_DONE_LATE),
                            T(L_NOT_DONE), T(L_COMPLETION)};
    w->heading(w, 3, T(L_BY_FIELD), NULL);
    w->table_begin(w, 6, head_f, num);
    for (size_t i = 0; i < m->n_task_fields; i++) {
        rp_row_cell(row, rp_s_name(m->ds, w->lang, "field", m->task_fields[i].field, NULL));
        tally_cells(w, row, &m->task_fields[i].t);
        rp_row_emit(w, row, false);
    }
    rp_row_cell(row, T(L_ALL));
    tally_cells(w, row, &m->tasks);
    rp_row_emit(w, row, true);
    w->table_end(w);

    const char *head_o[] = {T(L_TASK), T(L_OWNERS), T(L_FIELD), T(L_DUE)};
    const bool num_o[] = {false, false, false, false};
    w->heading(w, 3, T(L_OVERDUE_LIST), NULL);
    if (!m->tasks_not_done.len) {
        w->para(w, NULL, T(L_NONE));
        return;
    }
    w->table_begin(w, 4, head_o, num_o);
    for (size_t i = 0; i < m->tasks_not_done.len; i++) {
        size_t t = m->tasks_not_done.v[i], owners[64], n = jql_task_owner_count(ds, t);
        if (n > 64)
            n = 64;
        for (size_t k = 0; k < n; k++)
            owners[k] = jql_task_owner(ds, t, k);
        rp_row_cell(row, jql_task_title(ds, t));
        rp_row_cell(row, rp_s_units(ds, owners, n));
        rp_row_cell(row, rp_s_name(ds, w->lang, "field", jql_task_field(ds, t), NULL));
        rp_row_cell(row, rp_s_date(w->lang, jql_task_due(ds, t)));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

/* ---- the whole report -------------------------------------------------------- */

void rp_write_report(rp_writer *w)
{
    rp_row row = {0};
    write_heading(w);
    write_statistics(w, &row);
    write_discipline(w, &row);
    write_tasks(w, &row);
    rp_write_follow_up(w);
    if (w->m->emu)
        rp_write_emulation(w);
    w->para(w, NULL, T(L_GENERATED_NOTE));
    w->end(w);
    if (row.b.failed || rp_scratch_failed())
        w->out->failed = true;
    rp_buf_free(&row.b);
}
