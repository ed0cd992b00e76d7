/*
 * jql-report: shortcomings (open, with causes; resolved in the period) and
 * follow-through on directives (due in the period, by addressee; issued for
 * the next period).
 *
 * SPDX-License-Identifier: MIT
 */
#include "report_doc.h"

#include <stdlib.h>
#include <string.h>

#define T(label) rp_t(w->lang, label)

static const char *shortcoming_units(const jql_dataset *ds, size_t s)
{
    size_t n = jql_shortcoming_unit_count(ds, s);
    size_t *u = malloc((n + 1) * sizeof *u);
    if (!u)
        return rp_scratchf("%s", "");
    for (size_t k = 0; k < n; k++)
        u[k] = jql_shortcoming_unit(ds, s, k);
    const char *text = rp_s_units(ds, u, n);
    free(u);
    return text;
}

static const char *causes_text(rp_writer *w, size_t s)
{
    const jql_dataset *ds = w->m->ds;
    rp_buf b = {0};
    for (size_t k = 0; k < jql_shortcoming_cause_count(ds, s); k++)
        rp_printf(&b, "%s%s: %s", k ? "; " : "",
                  rp_s_name(ds, w->lang, "cause_kind", jql_shortcoming_cause_kind(ds, s, k), NULL),
                  jql_shortcoming_cause_text(ds, s, k));
    const char *text = rp_scratchf("%s", b.data && !b.failed ? b.data : RP_DASH);
    rp_buf_free(&b);
    return text;
}

static void write_shortcomings(rp_writer *w, rp_row *row, const char *number)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *head[] = {T(L_SHORTCOMING), T(L_FIELD), T(L_UNITS),
                          T(L_CAUSES), T(L_FOUND_IN)};
    const bool num[] = {false, false, false, false, false};

    w->heading(w, 2, rp_scratchf("%s %s", number, rp_t(w->lang, L_SEC_SHORTCOMINGS)),
               "shortcomings");
    w->heading(w, 3, T(L_OPEN_SHORTCOMINGS), NULL);
    if (!m->sc_open.len) {
        w->para(w, NULL, T(L_NO_SHORTCOMINGS));
    } else {
        w->table_begin(w, 5, head, num);
        for (size_t i = 0; i < m->sc_open.len; i++) {
            size_t s = m->sc_open.v[i];
            const char *field = jql_shortcoming_field(ds, s);
            rp_row_cell(row, jql_shortcoming_text(ds, s));
            rp_row_cell(row, rp_s_name(ds, w->lang, "field", field, NULL));
            rp_row_cell(row, shortcoming_units(ds, s));
            rp_row_cell(row, causes_text(w, s));
            rp_row_cell(row, rp_s_period(ds, w->lang, jql_shortcoming_period(ds, s)));
            rp_row_emit(w, row, false);
        }
        w->table_end(w);
    }

    const char *head_r[] = {T(L_SHORTCOMING), T(L_UNITS), T(L_FOUND_IN),
                            T(L_RESOLVED_IN)};
    w->heading(w, 3, T(L_RESOLVED_SHORTCOMINGS), NULL);
    if (!m->sc_resolved.len) {
        w->para(w, NULL, T(L_NO_SHORTCOMINGS));
        return;
    }
    w->table_begin(w, 4, head_r, num);
    for (size_t i = 0; i < m->sc_resolved.len; i++) {
        size_t s = m->sc_resolved.v[i];
        rp_row_cell(row, jql_shortcoming_text(ds, s));
        rp_row_cell(row, shortcoming_units(ds, s));
        rp_row_cell(row, rp_s_period(ds, w->lang, jql_shortcoming_period(ds, s)));
        rp_row_cell(row, rp_s_period(ds, w->lang, jql_shortcoming_resolved(ds, s)));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

/* Named addressee units, then "all units of level X". */
static const char *addressees_text(rp_writer *w, size_t d)
{
    const jql_dataset *ds = w->m->ds;
    rp_buf b = {0};
    size_t n = 0;
    for (size_t k = 0; k < jql_directive_unit_count(ds, d); k++, n++)
        rp_printf(&b, "%s%s", n ? ", " : "", jql_unit_name(ds, jql_directive_unit(ds, d, k)));
    for (size_t k = 0; k < jql_directive_level_count(ds, d); k++, n++)
        rp_printf(&b, "%s%s %s", n ? ", " : "", T(L_LEVEL_ALL),
                  rp_s_name(ds, w->lang, "level", jql_directive_level(ds, d, k), NULL));
    const char *text = rp_scratchf("%s", b.data && !b.failed ? b.data : RP_DASH);
    rp_buf_free(&b);
    return text;
}

static const char *directive_status(rp_writer *w, size_t d)
{
    const jql_dataset *ds = w->m->ds;
    if (!rp_directive_done(w->m, d))
        return T(L_OPEN);
    return rp_scratchf("%s %s", T(L_COMPLETED_ON),
                       rp_s_date(w->lang, jql_directive_completed(ds, d)));
}

static void directive_table(rp_writer *w, rp_row *row, const rp_idx *list)
{
    const jql_dataset *ds = w->m->ds;
    const char *head[] = {T(L_DIRECTIVE), T(L_ADDRESSEES), T(L_ISSUED), T(L_DUE), T(L_STATUS)};
    const bool num[] = {false, false, false, false, false};
    if (!list->len) {
        w->para(w, NULL, T(L_NO_DIRECTIVES));
        return;
    }
    w->table_begin(w, 5, head, num);
    for (size_t i = 0; i < list->len; i++) {
        size_t d = list->v[i];
        rp_row_cell(row, jql_directive_text(ds, d));
        rp_row_cell(row, addressees_text(w, d));
        rp_row_cell(row, rp_s_date(w->lang, jql_directive_issued(ds, d)));
        rp_row_cell(row, rp_s_date(w->lang, jql_directive_due(ds, d)));
        rp_row_cell(row, directive_status(w, d));
        rp_row_emit(w, row, false);
    }
    w->table_end(w);
}

void rp_write_directives_due(rp_writer *w, const char *number)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    rp_row r = {0}, *row = &r;

    w->heading(w, 3, rp_scratchf("%s %s", number, T(L_SEC_DIRECTIVES)), "directives");
    directive_table(w, row, &m->dir_due);
    if (m->n_addressees) {
        const char *head[] = {T(L_UNIT), T(L_DUE), T(L_DONE), T(L_OPEN)};
        const bool num[] = {false, true, true, true};
        w->heading(w, 4, T(L_BY_ADDRESSEE), NULL);
        w->table_begin(w, 4, head, num);
        for (size_t i = 0; i < m->n_addressees; i++) {
            const rp_addressee_row *a = &m->addressees[i];
            rp_row_cell(row, jql_unit_name(ds, a->unit));
            rp_row_cellf(row, "%zu", a->due);
            rp_row_cellf(row, "%zu", a->done);
            rp_row_cellf(row, "%zu", a->due - a->done);
            rp_row_emit(w, row, false);
        }
        w->table_end(w);
    }
    if (r.b.failed)
        w->out->failed = true;
    rp_buf_free(&r.b);
}

/* ---- the next period's tasks ----------------------------------------------
 * One row per programme task: the copies of a task (one per owner, same
 * title, period and due date) are grouped once by sorting, not by scanning
 * every other task for each (quadratic: 21 s for 40,000 tasks). */

static const jql_dataset *sort_ds; /* for qsort's comparators */

/* Same programme task: title, period (or none) and due date. */
static int cmp_copy(size_t a, size_t b)
{
    const jql_dataset *ds = sort_ds;
    int c = strcmp(jql_task_title(ds, a), jql_task_title(ds, b));
    if (c)
        return c;
    const char *pa = jql_task_period(ds, a), *pb = jql_task_period(ds, b);
    if (!pa != !pb)
        return pa ? 1 : -1;
    if (pa && (c = strcmp(pa, pb)) != 0)
        return c;
    jql_date da = jql_task_due(ds, a), db = jql_task_due(ds, b);
    return (da > db) - (da < db);
}

/* By task, then dataset order: a group's first copy is its row. */
static int cmp_task_copy(const void *x, const void *y)
{
    size_t a = *(const size_t *)x, b = *(const size_t *)y;
    int c = cmp_copy(a, b);
    return c ? c : (a > b) - (a < b);
}

typedef struct copies {
    size_t first; /* position in the sorted list */
    size_t n;
} copies;

/* Groups in the order of their first copy in the dataset. */
static const size_t *sort_list;
static int cmp_group(const void *x, const void *y)
{
    size_t a = sort_list[((const copies *)x)->first], b = sort_list[((const copies *)y)->first];
    return (a > b) - (a < b);
}

/* The tasks of the next period, or due in it, grouped by task: the sorted
   list of their indices and its runs. false when out of memory. */
static bool next_task_groups(const rp_model *m, size_t **list_out, copies **groups_out,
                             size_t *n_groups)
{
    const jql_dataset *ds = m->ds;
    size_t n = 0, nt = jql_task_count(ds), ng = 0;
    size_t *list = malloc((nt + 1) * sizeof *list);
    copies *groups = malloc((nt + 1) * sizeof *groups);
    if (!list || !groups) {
        free(list);
        free(groups);
        return false;
    }
    for (size_t t = 0; t < nt; t++) {
        const char *p = jql_task_period(ds, t);
        jql_date due = jql_task_due(ds, t);
        bool of_next = p && m->next_id[0] && strcmp(p, m->next_id) == 0;
        bool due_next = !p && due >= m->next_start && due <= m->next_end;
        if (of_next || due_next)
            list[n++] = t;
    }
    sort_ds = ds;
    if (n > 1) /* qsort must not be given a NULL array, even empty */
        qsort(list, n, sizeof *list, cmp_task_copy);
    for (size_t i = 0; i < n; i++) {
        if (ng && cmp_copy(list[groups[ng - 1].first], list[i]) == 0) {
            groups[ng - 1].n++;
            continue;
        }
        groups[ng++] = (copies){i, 1};
    }
    sort_list = list;
    if (ng > 1)
        qsort(groups, ng, sizeof *groups, cmp_group);
    *list_out = list;
    *groups_out = groups;
    *n_groups = ng;
    return true;
}

/* Owners of every copy of a task; when they are all the covered units (and
   maybe the Department), those are named by their level. */
static void owners_text(rp_writer *w, const bool *is_covered, const size_t *copy, size_t n_copies,
                        rp_buf *owners)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    size_t n = 0, of_covered = 0;
    for (size_t i = 0; i < n_copies; i++)
        for (size_t k = 0; k < jql_task_owner_count(ds, copy[i]); k++)
            of_covered += is_covered[jql_task_owner(ds, copy[i], k)];
    bool all = m->covered.len > 1 && of_covered == m->covered.len;
    for (size_t i = 0; i < n_copies; i++)
        for (size_t k = 0; k < jql_task_owner_count(ds, copy[i]); k++) {
            size_t o = jql_task_owner(ds, copy[i], k);
            if (all && is_covered[o])
                continue;
            rp_printf(owners, "%s%s", n++ ? ", " : "", jql_unit_name(ds, o));
        }
    if (all)
        rp_printf(owners, "%s%s %s", n ? ", " : "", T(L_LEVEL_ALL),
                  rp_s_name(ds, w->lang, "level", jql_unit_level(ds, m->covered.v[0]), NULL));
}

/* Tasks of the next period's programme: those of that period, or due in it. */
static void next_tasks(rp_writer *w, rp_row *row)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    const char *head[] = {T(L_TASK), T(L_OWNERS), T(L_FIELD), T(L_DUE)};
    const bool num[] = {false, false, false, false};
    size_t *list = NULL, ng = 0;
    copies *groups = NULL;
    bool *is_covered = calloc(jql_unit_count(ds) + 1, sizeof *is_covered);
    if (!is_covered || !next_task_groups(m, &list, &groups, &ng)) {
        free(is_covered);
        w->out->failed = true;
        return;
    }
    for (size_t c = 0; c < m->covered.len; c++)
        is_covered[m->covered.v[c]] = true;
    for (size_t g = 0; g < ng; g++) {
        const size_t *copy = &list[groups[g].first];
        size_t t = copy[0];
        if (g == 0) {
            w->heading(w, 3, T(L_NEXT_TASKS), NULL);
            w->table_begin(w, 4, head, num);
        }
        rp_buf owners = {0};
        owners_text(w, is_covered, copy, groups[g].n, &owners);
        rp_row_cell(row, jql_task_title(ds, t));
        rp_row_cell(row, owners.data && !owners.failed ? owners.data : RP_DASH);
        rp_row_cell(row, rp_s_name(ds, w->lang, "field", jql_task_field(ds, t), NULL));
        rp_row_cell(row, rp_s_date(w->lang, jql_task_due(ds, t)));
        rp_row_emit(w, row, false);
        rp_buf_free(&owners);
    }
    if (ng)
        w->table_end(w);
    free(list);
    free(groups);
    free(is_covered);
}

void rp_write_next_period(rp_writer *w, const char *number)
{
    const rp_model *m = w->m;
    const jql_dataset *ds = m->ds;
    rp_row r = {0};
    const char *next = m->next_id[0]
                           ? rp_s_period(ds, w->lang, m->next_id)
                           : rp_scratchf("%s – %s", rp_s_date(w->lang, m->next_start),
                                         rp_s_date(w->lang, m->next_end));
    w->heading(w, 2, rp_scratchf("%s %s (%s)", number, T(L_PART_NEXT), next), "next-period");
    const char *programme = rp_doc(w, "programme");
    if (programme) {
        w->heading(w, 3, T(L_PROGRAMME), NULL);
        rp_paragraphs(w, programme);
    }
    w->heading(w, 3, T(L_DIRECTIVES_NEXT), NULL);
    directive_table(w, &r, &m->dir_next);
    next_tasks(w, &r);
    if (r.b.failed)
        w->out->failed = true;
    rp_buf_free(&r.b);
}

void rp_write_shortcomings(rp_writer *w, const char *number)
{
    rp_row row = {0};
    write_shortcomings(w, &row, number);
    if (row.b.failed)
        w->out->failed = true;
    rp_buf_free(&row.b);
}
