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

/* ---- the administrative form ---------------------------------------------------- */

const char *rp_doc(const rp_writer *w, const char *field)
{
    const rp_model *m = w->m;
    if (w->lang == RP_EN) {
        const char *en = jql_document_field_lookup(m->ds, m->period, rp_scratchf("%s_en", field));
        if (en)
            return en;
    }
    return jql_document_field_lookup(m->ds, m->period, field);
}

/* Paragraphs of a text field, split at blank lines. */
void rp_paragraphs(rp_writer *w, const char *text)
{
    while (text && *text) {
        const char *end = strstr(text, "\n\n");
        size_t n = end ? (size_t)(end - text) : strlen(text);
        if (n)
            w->para(w, NULL, rp_scratchf("%.*s", (int)n, text));
        text = end ? end + 2 : NULL;
    }
}

static void write_heading(rp_writer *w)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *pname = rp_s_period(ds, w->lang, m->period);
    const char *kind = rp_doc(w, "kind"), *title_text = rp_doc(w, "title");
    const char *title = title_text ? title_text : rp_scratchf("%s %s", T(L_TITLE), pname);

    w->begin(w, kind ? rp_scratchf("%s %s", kind, title) : title);
    const char *left[3] = {rp_doc(w, "issuer_parent"), rp_doc(w, "issuer"), rp_doc(w, "number")};
    const char *right[3] = {rp_doc(w, "motto"), rp_doc(w, "motto_sub"), rp_doc(w, "place_date")};
    if (left[0] || left[1] || left[2] || right[0] || right[1] || right[2])
        w->form_head(w, left, right);
    if (kind) {
        w->heading(w, 1, kind, NULL);
        w->para(w, NULL, title);
    } else {
        w->heading(w, 1, title, NULL);
    }
    if (!left[1])
        w->meta(w, T(L_DEPARTMENT), rp_s_units(ds, m->roots.v, m->roots.len));
    w->meta(w, T(L_PERIOD), rp_scratchf("%s (%s – %s)", pname, rp_s_date(w->lang, m->start),
                                       rp_s_date(w->lang, m->end)));
    if (m->stats_start != m->start || m->stats_end != m->end)
        w->meta(w, T(L_STATS_RANGE), rp_scratchf("%s – %s", rp_s_date(w->lang, m->stats_start),
                                                rp_s_date(w->lang, m->stats_end)));
    w->meta(w, T(L_AS_OF_META), rp_s_date(w->lang, m->as_of));
    w->meta(w, T(L_UNITS_COVERED), rp_scratchf("%zu", m->covered.len));
}

/* ---- statistics: one unit x indicator matrix --------------------------------------- */

/* "1.103" and, below it, "+24,8%" against the same period a year earlier. */
static const char *matrix_cell(rp_writer *w, const rp_change *c)
{
    if (!c->has_cur)
        return RP_DASH;
    const char *cur = rp_s_num(w->lang, c->cur, -1, false);
    if (c->has_pct)
        return rp_scratchf("%s\n%s", cur, rp_s_pct(w->lang, c->pct, true));
    return cur;
}

static const char *root_label(rp_writer *w, size_t r)
{
    const rp_model *m = w->m;
    if (m->roots.len == 1)
        return T(L_TOTAL);
    return rp_scratchf("%s (%s)", T(L_TOTAL), jql_unit_name(m->ds, m->roots.v[r]));
}

enum { MATRIX_COLS = 11 }; /* indicators per table: A4 portrait, small type */

/* A unit's note on its comparison figures (a boundary change restated
   them): attribute "comparison_note", "comparison_note_en" in English. */
static const char *comparison_note(const rp_writer *w, size_t unit)
{
    const char *en = w->lang == RP_EN ? jql_unit_attr_lookup(w->m->ds, unit, "comparison_note_en") : NULL;
    return en ? en : jql_unit_attr_lookup(w->m->ds, unit, "comparison_note");
}

static void write_matrix(rp_writer *w, rp_row *row)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    size_t cut = rp_common_prefix(m);
    const char *unit_head =
        cut ? rp_scratchf("%s (%.*s…)", T(L_UNIT), (int)(cut - 1), jql_unit_name(ds, m->covered.v[0]))
            : T(L_UNIT);
    for (size_t from = 0; from < m->n_indicators; from += MATRIX_COLS) {
        size_t n = m->n_indicators - from < MATRIX_COLS ? m->n_indicators - from : MATRIX_COLS;
        const char *head[RP_MAX_COLS];
        bool num[RP_MAX_COLS];
        head[0] = unit_head;
        num[0] = false;
        for (size_t i = 0; i < n; i++) {
            size_t ind = m->indicators[from + i].index;
            const char *mu = jql_indicator_measure_unit(ds, ind);
            head[1 + i] = mu ? rp_scratchf("%s (%s)", jql_indicator_name(ds, ind), mu)
                             : jql_indicator_name(ds, ind);
            num[1 + i] = true;
        }
        w->dense = true;
        w->table_begin(w, n + 1, head, num);
        for (size_t u = 0; u < m->covered.len; u++) {
            size_t unit = m->covered.v[u];
            const char *note = comparison_note(w, unit);
            const char *name = jql_unit_name(ds, unit) + cut;
            rp_row_cell(row, note ? rp_scratchf("%s (*)", name) : name);
            for (size_t i = 0; i < n; i++)
                rp_row_cell(row, matrix_cell(w, &m->indicators[from + i].units[u]));
            rp_row_emit(w, row, false);
        }
        for (size_t r = 0; r < m->roots.len; r++) {
            rp_row_cell(row, root_label(w, r));
            for (size_t i = 0; i < n; i++)
                rp_row_cell(row, matrix_cell(w, &m->indicators[from + i].totals[r]));
            rp_row_emit(w, row, true);
        }
        w->table_end(w);
    }
}

static void write_statistics(rp_writer *w, rp_row *row, const char *number)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;

    w->heading(w, 3, rp_scratchf("%s %s", number, T(L_SEC_STATS)), "statistics");
    if (!m->stats_known) {
        w->para(w, NULL, rp_scratchf("%s %s.", T(L_STATS_NOT_YET), rp_s_date(w->lang, m->as_of)));
        return;
    }
    if (!m->n_indicators) {
        w->para(w, NULL, T(L_NO_STATS));
        return;
    }
    w->para(w, NULL,
            rp_scratchf("%s%s%s. %s", T(L_STATS_INTRO), m->year_before[0] ? ": " : "",
                        m->year_before[0] ? rp_s_period(ds, w->lang, m->year_before) : "",
                        T(L_MATRIX_NOTE)));
    write_matrix(w, row);
    for (size_t u = 0; u < m->covered.len; u++) {
        const char *note = comparison_note(w, m->covered.v[u]);
        if (note)
            w->para(w, rp_scratchf("(*) %s", jql_unit_name(ds, m->covered.v[u])), note);
    }
}

/* ---- reporting discipline -------------------------------------------------------- */

/* Order of the problem list: never submitted, then most days late first. */
static int32_t lateness(const rp_model *m, size_t rep)
{
    int32_t d = rp_report_verdict_of(m, rep).days_late;
    return d < 0 ? INT32_MAX : d;
}

typedef struct problem {
    size_t rep;
    int32_t lateness;
} problem;

static int cmp_problem_rep(const void *a, const void *b)
{
    size_t x = ((const problem *)a)->rep, y = ((const problem *)b)->rep;
    return (x > y) - (x < y);
}

/* Most late first, then dataset order. */
static int cmp_problem(const void *a, const void *b)
{
    const problem *x = a, *y = b;
    if (x->lateness != y->lateness)
        return x->lateness < y->lateness ? 1 : -1;
    return (x->rep > y->rep) - (x->rep < y->rep);
}

/* The kind's missing, late and incomplete reports, each once, in the
   problem-list order; NULL when out of memory. Sorted, not inserted one by
   one: a kind may have a report for each of tens of thousands of units. */
static problem *kind_problems(const rp_model *m, const rp_report_kind *k, size_t *count)
{
    const rp_idx *parts[] = {&k->missing, &k->late, &k->incomplete};
    problem *list = malloc((k->missing.len + k->late.len + k->incomplete.len + 1) * sizeof *list);
    size_t n = 0, w = 0;
    if (!list)
        return NULL;
    for (size_t p = 0; p < 3; p++)
        for (size_t i = 0; i < parts[p]->len; i++)
            list[n++] = (problem){parts[p]->v[i], 0};
    if (n > 1) /* qsort must not be given a NULL array, even empty */
        qsort(list, n, sizeof *list, cmp_problem_rep);
    for (size_t i = 0; i < n; i++) /* a late report may be incomplete too */
        if (!w || list[w - 1].rep != list[i].rep)
            list[w++] = (problem){list[i].rep, lateness(m, list[i].rep)};
    if (w > 1)
        qsort(list, w, sizeof *list, cmp_problem);
    *count = w;
    return list;
}

static void write_kind_problems(rp_writer *w, const rp_report_kind *k, rp_row *row)
{
    const jql_dataset *ds = w->m->ds;
    size_t n = 0;
    const char *head[] = {T(L_UNIT), T(L_STATUS), T(L_DAYS_LATE), T(L_DUE), T(L_SUBMITTED)};
    const bool num[] = {false, false, true, false, false};

    problem *list = kind_problems(w->m, k, &n);
    if (!list) {
        w->out->failed = true;
        return;
    }
    w->table_begin(w, 5, head, num);
    for (size_t i = 0; i < n; i++) {
        size_t rep = list[i].rep;
        rp_report_verdict v = rp_report_verdict_of(w->m, rep);
        int32_t late = v.days_late;
        bool incomplete = v.incomplete;
        rp_row_cell(row, jql_unit_name(ds, jql_report_unit(ds, rep)));
        if (v.standing == JQL_REPORT_STANDING_MISSING)
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

static void write_discipline(rp_writer *w, rp_row *row, const char *number)
{
    const rp_model *m = w->m;
    /* on time and incomplete side by side: a report may be both */
    const char *head[] = {T(L_REPORT_KIND), T(L_REPORTS_DUE), T(L_ON_TIME), T(L_INCOMPLETE),
                          T(L_LATE), T(L_NOT_SUBMITTED)};
    const bool num[] = {false, true, true, true, true, true};

    w->heading(w, 3, rp_scratchf("%s %s", number, T(L_SEC_DISCIPLINE)), "discipline");
    if (!m->n_kinds) {
        w->para(w, NULL, T(L_NO_REPORTS));
        return;
    }
    w->table_begin(w, 6, head, num);
    for (size_t i = 0; i < m->n_kinds; i++) {
        const rp_report_kind *k = &m->kinds[i];
        rp_row_cell(row, rp_s_name(m->ds, w->lang, "report_kind", k->kind, NULL));
        rp_row_cellf(row, "%zu", k->counts.reports_due);
        rp_row_cellf(row, "%zu", k->counts.reports_on_time);
        rp_row_cellf(row, "%zu", k->counts.reports_incomplete);
        rp_row_cellf(row, "%zu", k->counts.reports_late);
        rp_row_cellf(row, "%zu", k->counts.reports_missing);
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
    w->para(w, NULL, T(L_ON_TIME_NOTE));
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

static void write_tasks(rp_writer *w, rp_row *row, const char *number)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *head_u[] = {T(L_UNIT), T(L_TASKS_DUE), T(L_DONE), T(L_DONE_LATE), T(L_NOT_DONE),
                            T(L_COMPLETION)};
    const bool num[] = {false, true, true, true, true, true};

    w->heading(w, 3, rp_scratchf("%s %s", number, T(L_SEC_TASKS)), "tasks");
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
    /* by unit: those with a task late or not done; the others in one line */
    size_t clean = 0, shown = 0;
    for (size_t i = 0; i < m->n_task_units; i++) {
        const rp_tally *t = &m->task_units[i].t;
        if (!t->done_late && !t->not_done) {
            clean++;
            continue;
        }
        if (!shown++) {
            w->heading(w, 3, T(L_BY_UNIT), NULL);
            w->table_begin(w, 6, head_u, num);
        }
        rp_row_cell(row, jql_unit_name(ds, m->task_units[i].unit));
        tally_cells(w, row, t);
        rp_row_emit(w, row, false);
    }
    if (shown)
        w->table_end(w);
    if (clean)
        w->para(w, NULL, rp_scratchf("%s: %zu.", T(L_UNITS_ALL_ON_TIME), clean));

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
    const rp_model *m = w->m;
    rp_row row = {0};
    write_heading(w);

    /* I. Results achieved: the narrative, then the figures behind it */
    w->heading(w, 2, rp_scratchf("I. %s", T(L_PART_RESULTS)), "results");
    const char *summary = rp_doc(w, "summary");
    if (summary) {
        w->heading(w, 3, rp_scratchf("1. %s", T(L_GENERAL)), "general");
        rp_paragraphs(w, summary);
    }
    int n = summary ? 2 : 1;
    write_statistics(w, &row, rp_scratchf("%d.", n++));
    write_discipline(w, &row, rp_scratchf("%d.", n++));
    write_tasks(w, &row, rp_scratchf("%d.", n++));
    rp_write_directives_due(w, rp_scratchf("%d.", n++));
    if (m->emu)
        rp_write_emulation(w, rp_scratchf("%d.", n++));

    /* II. Shortcomings and their causes */
    rp_write_shortcomings(w, "II.");

    /* III. The next period's programme of tasks */
    rp_write_next_period(w, "III.");

    const char *sign[3] = {rp_doc(w, "signer_role"), rp_doc(w, "signer_title"),
                           rp_doc(w, "signer_name")};
    const char *recipients = rp_doc(w, "recipients");
    if (recipients || sign[0] || sign[1] || sign[2])
        w->form_foot(w, T(L_RECIPIENTS), recipients, sign);
    w->para(w, NULL, T(L_GENERATED_NOTE));
    w->end(w);
    if (row.b.failed || rp_scratch_failed())
        w->out->failed = true;
    rp_buf_free(&row.b);
}
