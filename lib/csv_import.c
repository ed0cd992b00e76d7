/*
 * CSV import: rows of a parsed table become records of a dataset.
 *
 * All or nothing: the rows are applied to a working copy of the dataset
 * (a canonical JSON round trip), every problem is collected, and only when
 * there is none does the copy take the place of the caller's dataset
 * (JQL_CSV_IN_PLACE: to the caller's dataset, which a failure leaves for
 * the caller to discard).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "csv_import.h"
#include "fileio.h"
#include "model.h"
#include "names.h"

#define NO_COL ((size_t)-1)
#define AMBIGUOUS_UNIT ((size_t)-2)

typedef struct {
    unsigned line, column; /* where a decimal mark was first seen (0: never) */
    char text[48];
} mark_seen;

typedef struct {
    jql_dataset *ds; /* the working copy, or the caller's (in_place) */
    bool in_place;   /* JQL_CSV_IN_PLACE */
    jql_csv_table *t;
    jql_diagnostics *diag;
    jql_csv_kind kind;
    const char *period_opt;
    char mark;         /* decimal mark in use ('.' when no value has one) */
    bool mark_stated;
    mark_seen mark_first; /* the value that decided the mark */
    size_t col[R_COUNT];  /* column of each role, NO_COL when absent */
    size_t *indicator_of; /* wide statistics: indicator per column, or JQL_NONE */
    jql_strmap keys;      /* duplicate detection: record key -> row */
    bool unit_names_built;      /* ds->csv_unit_names extended for this file */
    bool indicator_names_built; /* and ds->csv_indicator_names */
    bool oom;
} importer;

/* ---- reporting ---------------------------------------------------------- */

static const char *header(const importer *im, size_t col)
{
    return col == NO_COL ? "" : jql_csv_cell(im->t, 0, col);
}

static void report(importer *im, jql_severity sev, size_t row, size_t col, const char *fmt, ...)
    JQL_PRINTF(5, 6);

static void report(importer *im, jql_severity sev, size_t row, size_t col, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jql_diag_add(im->diag, sev, header(im, col), im->t->rows[row].line,
                 col == NO_COL ? 0 : (unsigned)col + 1, "%s", msg);
}

#define ERR(im, row, col, ...) report(im, JQL_SEVERITY_ERROR, row, col, __VA_ARGS__)

/* ---- cells ---------------------------------------------------------------- */

static const char *cell(const importer *im, size_t row, jql_csv_role r)
{
    return im->col[r] == NO_COL ? "" : jql_csv_cell(im->t, row, im->col[r]);
}

/* A required text cell: NULL (and an error) when empty. */
static const char *need(importer *im, size_t row, jql_csv_role r)
{
    const char *s = cell(im, row, r);
    if (*s)
        return s;
    ERR(im, row, im->col[r], "empty: a %s is required", jql_csv_role_name(r));
    return NULL;
}

static const char *opt(const importer *im, size_t row, jql_csv_role r)
{
    const char *s = cell(im, row, r);
    return *s ? s : NULL;
}

/* The folded names of the dataset's units as a file first needs them:
   kept in the dataset from one file to the next (model.h), extended by the
   units added since. */
static int build_unit_names(importer *im)
{
    jql_dataset *ds = im->ds;
    if (!ds->csv_unit_names) {
        if (!(ds->csv_unit_names = jql_calloc(1, sizeof *ds->csv_unit_names)))
            return JQL_ENOMEM;
        ds->csv_units = 0;
    }
    for (size_t u = ds->csv_units; u < jql_unit_count(ds); u++) {
        char *f = jql_csv_fold(jql_unit_name(ds, u));
        size_t prev;
        if (!f)
            return JQL_ENOMEM;
        bool dup = jql_strmap_get(ds->csv_unit_names, f, &prev) == JQL_OK;
        int rc = jql_strmap_put(ds->csv_unit_names, f, dup ? AMBIGUOUS_UNIT : u);
        jql_free(f);
        if (rc)
            return rc;
        ds->csv_units = u + 1;
    }
    im->unit_names_built = true;
    return JQL_OK;
}

/* A unit named by id, or else by its name (ignoring case and accents). */
static bool unit_at(importer *im, size_t row, size_t col, const char *s, size_t *out)
{
    if (jql_unit_find(im->ds, s, out) == JQL_OK)
        return true;
    if (!im->unit_names_built && build_unit_names(im) != JQL_OK) {
        im->oom = true;
        return false;
    }
    char *f = jql_csv_fold(s); /* UTF-8 (checked): NULL is no memory */
    if (!f) {
        im->oom = true;
        return false;
    }
    bool found = jql_strmap_get(im->ds->csv_unit_names, f, out) == JQL_OK;
    jql_free(f);
    if (found && *out == AMBIGUOUS_UNIT) {
        ERR(im, row, col, "several units are named \"%s\": use the unit id", s);
        return false;
    }
    if (!found)
        ERR(im, row, col, "unknown unit \"%s\"", s);
    return found;
}

static bool unit_cell(importer *im, size_t row, jql_csv_role r, size_t *out)
{
    const char *s = need(im, row, r);
    return s && unit_at(im, row, im->col[r], s, out);
}

static const char *period_cell(importer *im, size_t row, jql_csv_role r)
{
    const char *s = cell(im, row, r);
    size_t col = im->col[r];
    if (!*s && r == R_PERIOD && im->period_opt)
        s = im->period_opt;
    if (!*s) {
        ERR(im, row, col, "empty: a period is required");
        return NULL;
    }
    if (jql_period_resolve(im->ds, s, NULL, NULL, NULL) != JQL_OK) {
        ERR(im, row, col, "unknown period \"%s\" (use 2014, 2014-H1, 2014-Q3, 2014-9M or a "
                          "declared period)", s);
        return NULL;
    }
    return s;
}

/* A number cell: *present false when empty (not an error here). */
static bool number_at(importer *im, size_t row, size_t col, const char *s, jql_milli *v,
                      bool *present)
{
    *present = *s != '\0';
    if (!*present)
        return true;
    char other = im->mark == ',' ? '.' : ',';
    if (strchr(s, other)) {
        if (im->mark_stated)
            ERR(im, row, col, "\"%s\" uses '%c' but the decimal mark is '%c' as stated", s,
                other, im->mark);
        else
            ERR(im, row, col,
                "mixed decimal marks: \"%s\" uses '%c' but \"%s\" at line %u column %u uses "
                "'%c'", s, other, im->mark_first.text, im->mark_first.line,
                im->mark_first.column, im->mark);
        return false;
    }
    int rc = jql_csv_parse_decimal(s, im->mark, v);
    if (rc == JQL_ERROR)
        ERR(im, row, col, "\"%s\" has more than 3 decimals", s);
    else if (rc == JQL_ELIMIT)
        ERR(im, row, col, "\"%s\" is too large", s);
    else if (rc != JQL_OK)
        ERR(im, row, col, "\"%s\" is not a number", s);
    return rc == JQL_OK;
}

static bool number_cell(importer *im, size_t row, jql_csv_role r, jql_milli *v, bool *present)
{
    return number_at(im, row, im->col[r], cell(im, row, r), v, present);
}

/* An optional date: JQL_NO_DATE when empty. */
static bool date_cell(importer *im, size_t row, jql_csv_role r, bool required, jql_date *d)
{
    const char *s = cell(im, row, r);
    *d = JQL_NO_DATE;
    if (!*s) {
        if (required)
            ERR(im, row, im->col[r], "empty: a date is required");
        return !required;
    }
    if (jql_csv_parse_date(s, d) != JQL_OK) {
        ERR(im, row, im->col[r], "\"%s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)", s);
        return false;
    }
    return true;
}

static bool bool_cell(importer *im, size_t row, jql_csv_role r, bool *b)
{
    const char *s = cell(im, row, r);
    *b = false;
    if (jql_csv_parse_bool(s, b) == JQL_OK)
        return true;
    ERR(im, row, im->col[r], "\"%s\" is not yes or no (true/false, có/không, x or empty)", s);
    return false;
}

#define LIST_MAX 64

/* Split a list cell at '|' or line breaks into trimmed NUL-terminated items
   in place; returns the number of items, or LIST_MAX + 1 when there are
   more than LIST_MAX. */
static size_t split_list(char *s, char **items, size_t cap)
{
    size_t n = 0;
    char *p = s;
    while (*p) {
        if (n == cap)
            return cap + 1;
        char *end = p + strcspn(p, "|\n\r");
        char save = *end;
        *end = '\0';
        char *item = jql_csv_trim(p);
        if (*item)
            items[n++] = item;
        if (!save)
            break;
        p = end + 1;
    }
    return n;
}

/* A list cell of role r split into items: false (and an error) when too long. */
static bool list_cell(importer *im, size_t row, jql_csv_role r, char **items, size_t *n)
{
    *n = split_list((char *)cell(im, row, r), items, LIST_MAX);
    if (*n <= LIST_MAX)
        return true;
    ERR(im, row, im->col[r], "more than %d items in one cell", LIST_MAX);
    *n = 0;
    return false;
}

/* Keep `key` for duplicate detection: false (and an error) when an earlier
   row had it. */
static bool first_time(importer *im, size_t row, const char *what, const char *a,
                       const char *b, const char *c)
{
    char buf[256];
    bool heap = false;
    char *key = jql_key3(buf, sizeof buf, a, b ? b : "", c ? c : "", &heap);
    size_t prev;
    bool ok = true;
    if (!key) {
        im->oom = true;
        return false;
    }
    jql_strmap_spot spot; /* one probe for the look-up and the insertion */
    if (jql_strmap_get_spot(&im->keys, key, &prev, &spot) == JQL_OK) {
        ERR(im, row, NO_COL, "duplicated row: line %u already gives this %s",
            im->t->rows[prev].line, what);
        ok = false;
    } else if (jql_strmap_put_spot(&im->keys, key, row, &spot)) {
        im->oom = true;
    }
    if (heap)
        jql_free(key);
    return ok;
}

/* A builder call failed: its message, located on the row. */
static void builder_error(importer *im, size_t row, int rc)
{
    if (rc == JQL_ENOMEM)
        im->oom = true;
    else
        ERR(im, row, NO_COL, "%s", jql_last_error());
}

/* ---- decimal mark ---------------------------------------------------------- */

static bool is_number_column(const importer *im, size_t col)
{
    if (col >= im->t->rows[0].n)
        return false; /* past the header: a ragged row, reported as such */
    if (im->kind == JQL_CSV_STATS_WIDE)
        return im->indicator_of && im->indicator_of[col] != JQL_NONE;
    for (int r = 1; r < R_COUNT; r++)
        if (im->col[r] == col && jql_csv_role_type((jql_csv_role)r) == T_NUMBER)
            return true;
    return false;
}

/*
 * Decide the decimal mark from the numbers of the file: a mark followed by
 * other than three digits is surely decimal; "93.550" alone could be a
 * thousands grouping, so a file with only such values is refused.
 */
static void decide_mark(importer *im, char stated)
{
    mark_seen sure[2] = {{0}}, maybe[2] = {{0}};
    for (size_t row = 1; row < im->t->nrows; row++)
        for (size_t col = 0; col < im->t->rows[row].n; col++) {
            if (!is_number_column(im, col))
                continue;
            const char *s = jql_csv_cell(im->t, row, col);
            const char *dot = strchr(s, '.'), *comma = strchr(s, ',');
            if ((dot && comma) || (dot && strchr(dot + 1, '.')) ||
                (comma && strchr(comma + 1, ','))) {
                ERR(im, row, col, "\"%s\": thousands separators are not accepted, write the "
                                  "number without them", s);
                continue;
            }
            const char *m = dot ? dot : comma;
            if (!m || stated)
                continue;
            size_t after = strspn(m + 1, "0123456789");
            /* a thousands grouping has 1-3 digits, not starting with 0, before the mark */
            const char *lead = s + (*s == '-' || *s == '+');
            size_t before = (size_t)(m - lead);
            bool grouping = after == 3 && before >= 1 && before <= 3 && *lead != '0';
            mark_seen *slot = grouping ? &maybe[m == comma] : &sure[m == comma];
            if (!slot->line) {
                slot->line = im->t->rows[row].line;
                slot->column = (unsigned)col + 1;
                snprintf(slot->text, sizeof slot->text, "%s", s);
            }
        }
    im->mark = '.';
    if (stated) {
        im->mark = stated;
        im->mark_stated = true;
        return;
    }
    const mark_seen *pick = NULL;
    if (sure[0].line || sure[1].line) {
        /* the first surely-decimal value decides; others are "mixed" */
        bool comma_first = sure[1].line && (!sure[0].line || sure[1].line < sure[0].line ||
                                            (sure[1].line == sure[0].line &&
                                             sure[1].column < sure[0].column));
        pick = &sure[comma_first];
        im->mark = comma_first ? ',' : '.';
    } else if (maybe[0].line && maybe[1].line) {
        bool comma_first = maybe[1].line < maybe[0].line;
        pick = &maybe[comma_first];
        im->mark = comma_first ? ',' : '.';
    } else if (maybe[0].line || maybe[1].line) {
        const mark_seen *m = maybe[0].line ? &maybe[0] : &maybe[1];
        jql_diag_add(im->diag, JQL_SEVERITY_ERROR, header(im, m->column - 1), m->line, m->column,
                     "the decimal mark is ambiguous: \"%s\" could be a decimal or a thousands "
                     "grouping; state the decimal mark ('.' or ',')", m->text);
        im->mark = maybe[0].line ? '.' : ',';
        return;
    }
    if (pick)
        im->mark_first = *pick;
}

/* ---- kinds ------------------------------------------------------------------ */

static void stat_row(importer *im, size_t row, size_t unit, const char *period,
                     size_t indicator, size_t col, const char *text)
{
    jql_milli v;
    bool present;
    if (!number_at(im, row, col, text, &v, &present) || !present)
        return;
    const char *uid = jql_unit_id(im->ds, unit), *iid = jql_indicator_id(im->ds, indicator);
    if (v < 0) {
        ERR(im, row, col, "\"%s\": statistics are never negative", text);
        return;
    }
    if (!first_time(im, row, "statistic", uid, iid, period))
        return;
    jql_range range;
    jql_milli old = JQL_NO_SCORE; /* the value replaced, if any */
    int rc = jql_ds_resolve_period(im->ds, period, &range) == JQL_OK
                 ? jql_ds_stat_set_resolved(im->ds, unit, indicator,
                                            (jql_stat_names){uid, iid, period}, range, v, &old)
                 : jql_stat_set_value(im->ds, uid, iid, period, v); /* its message */
    if (old != JQL_NO_SCORE) {
        char num[40];
        jql_milli_format(old, -1, num, sizeof num);
        report(im, JQL_SEVERITY_WARNING, row, col, "replaces the value %s already in the dataset",
               num);
    }
    if (rc)
        builder_error(im, row, rc);
}

static void do_stats(importer *im, size_t row)
{
    size_t unit, ind;
    bool u = unit_cell(im, row, R_UNIT, &unit);
    const char *period = period_cell(im, row, R_PERIOD);
    const char *iname = need(im, row, R_INDICATOR);
    bool i = iname && jql_indicator_find(im->ds, iname, &ind) == JQL_OK;
    if (iname && !i)
        ERR(im, row, im->col[R_INDICATOR], "unknown indicator \"%s\"", iname);
    if (!cell(im, row, R_VALUE)[0]) {
        ERR(im, row, im->col[R_VALUE], "empty: a value is required");
        return;
    }
    if (u && period && i)
        stat_row(im, row, unit, period, ind, im->col[R_VALUE], cell(im, row, R_VALUE));
    else { /* still check the number */
        jql_milli v;
        bool present;
        number_cell(im, row, R_VALUE, &v, &present);
    }
}

static void do_stats_wide(importer *im, size_t row)
{
    size_t unit;
    bool u = unit_cell(im, row, R_UNIT, &unit);
    const char *period = period_cell(im, row, R_PERIOD);
    for (size_t col = 0; col < im->t->rows[row].n; col++) {
        if (im->indicator_of[col] == JQL_NONE)
            continue;
        const char *s = jql_csv_cell(im->t, row, col);
        if (u && period) {
            stat_row(im, row, unit, period, im->indicator_of[col], col, s);
        } else {
            jql_milli v;
            bool present;
            number_at(im, row, col, s, &v, &present);
        }
    }
}

static void do_reports(importer *im, size_t row)
{
    size_t unit;
    jql_date due, sub;
    bool complete = false;
    bool ok = unit_cell(im, row, R_UNIT, &unit);
    const char *period = period_cell(im, row, R_PERIOD);
    const char *kind = need(im, row, R_KIND);
    ok &= date_cell(im, row, R_DUE, true, &due);
    ok &= date_cell(im, row, R_SUBMITTED, false, &sub);
    if (im->col[R_COMPLETE] != NO_COL)
        ok &= bool_cell(im, row, R_COMPLETE, &complete);
    if (sub != JQL_NO_DATE && !cell(im, row, R_COMPLETE)[0]) {
        ERR(im, row, im->col[R_COMPLETE], "a submitted report needs \"complete\" (yes or no)");
        ok = false;
    }
    if (!ok || !period || !kind)
        return;
    const char *uid = jql_unit_id(im->ds, unit);
    if (!first_time(im, row, "report", uid, period, kind))
        return;
    int rc = jql_report_add(im->ds, uid, period, kind, due, sub, complete, NULL);
    if (rc)
        builder_error(im, row, rc);
}

static bool status_cell(importer *im, size_t row, int *status)
{
    const char *s = cell(im, row, R_STATUS);
    *status = 0;
    if (!*s)
        return true; /* pending / open */
    bool is_task = im->kind == JQL_CSV_TASKS;
    jql_task_status ts;
    jql_directive_status dst;
    /* the accepted spellings are one list, in names.c */
    int rc = is_task ? jql_task_status_parse_text(s, &ts)
                     : jql_directive_status_parse_text(s, &dst);
    if (rc == JQL_OK) {
        *status = is_task ? (int)ts : (int)dst;
        return true;
    }
    if (is_task)
        ERR(im, row, im->col[R_STATUS], "\"%s\" is not %s, %s or %s", s,
            jql_task_status_name(JQL_TASK_PENDING), jql_task_status_name(JQL_TASK_IN_PROGRESS),
            jql_task_status_name(JQL_TASK_DONE));
    else
        ERR(im, row, im->col[R_STATUS], "\"%s\" is not %s or %s", s,
            jql_directive_status_name(JQL_DIRECTIVE_OPEN),
            jql_directive_status_name(JQL_DIRECTIVE_DONE));
    return false;
}

static void do_tasks(importer *im, size_t row)
{
    jql_date due, completed;
    int status;
    const char *id = need(im, row, R_ID), *title = need(im, row, R_TITLE);
    bool ok = date_cell(im, row, R_DUE, true, &due);
    ok &= status_cell(im, row, &status);
    ok &= date_cell(im, row, R_COMPLETED, false, &completed);
    const char *period = opt(im, row, R_PERIOD) ? period_cell(im, row, R_PERIOD) : NULL;
    ok &= !opt(im, row, R_PERIOD) || period;
    char *owners[LIST_MAX];
    size_t n, units[LIST_MAX];
    if (!list_cell(im, row, R_OWNERS, owners, &n))
        ok = false;
    else if (n == 0) {
        ERR(im, row, im->col[R_OWNERS], "empty: at least one owner unit is required");
        ok = false;
    }
    for (size_t k = 0; k < n; k++)
        ok &= unit_at(im, row, im->col[R_OWNERS], owners[k], &units[k]);
    if (!ok || !id || !title || !first_time(im, row, "task", id, NULL, NULL))
        return;
    size_t idx;
    int rc = jql_task_add(im->ds, id, title, due, &idx);
    for (size_t k = 0; rc == JQL_OK && k < n; k++)
        rc = jql_task_add_owner(im->ds, idx, jql_unit_id(im->ds, units[k]));
    if (rc == JQL_OK && opt(im, row, R_FIELD))
        rc = jql_task_set_field(im->ds, idx, cell(im, row, R_FIELD));
    if (rc == JQL_OK && period)
        rc = jql_task_set_period(im->ds, idx, period);
    if (rc == JQL_OK && (status || completed != JQL_NO_DATE))
        rc = jql_task_set_status(im->ds, idx, (jql_task_status)status, completed);
    if (rc)
        builder_error(im, row, rc);
}

static void do_directives(importer *im, size_t row)
{
    jql_date issued, due, completed;
    int status;
    size_t issuer;
    const char *id = need(im, row, R_ID), *text = need(im, row, R_TEXT);
    bool ok = date_cell(im, row, R_ISSUED, true, &issued);
    ok &= unit_cell(im, row, R_ISSUER, &issuer);
    ok &= date_cell(im, row, R_DUE, false, &due);
    ok &= status_cell(im, row, &status);
    ok &= date_cell(im, row, R_COMPLETED, false, &completed);
    char *units[LIST_MAX], *levels[LIST_MAX], *answers[LIST_MAX];
    size_t nu, nl, na, uidx[LIST_MAX];
    ok &= list_cell(im, row, R_UNITS, units, &nu);
    ok &= list_cell(im, row, R_LEVELS, levels, &nl);
    ok &= list_cell(im, row, R_ANSWERS, answers, &na);
    for (size_t k = 0; k < nu; k++)
        ok &= unit_at(im, row, im->col[R_UNITS], units[k], &uidx[k]);
    /* answers must exist now: a dataset naming unknown ones would not load again */
    for (size_t k = 0; k < na; k++)
        if (jql_task_find(im->ds, answers[k], NULL) != JQL_OK &&
            jql_shortcoming_find(im->ds, answers[k], NULL) != JQL_OK) {
            ERR(im, row, im->col[R_ANSWERS], "unknown shortcoming or task \"%s\" (import "
                                             "tasks before the directives answering them)",
                answers[k]);
            ok = false;
        }
    if (ok && nu == 0 && nl == 0) {
        ERR(im, row, im->col[R_UNITS] != NO_COL ? im->col[R_UNITS] : im->col[R_LEVELS],
            "a directive needs addressees: units or levels");
        ok = false;
    }
    if (!ok || !id || !text || !first_time(im, row, "directive", id, NULL, NULL))
        return;
    size_t idx;
    int rc = jql_directive_add(im->ds, id, issued, jql_unit_id(im->ds, issuer), text, &idx);
    if (rc == JQL_OK && due != JQL_NO_DATE)
        rc = jql_directive_set_due(im->ds, idx, due);
    for (size_t k = 0; rc == JQL_OK && k < nu; k++)
        rc = jql_directive_add_unit(im->ds, idx, jql_unit_id(im->ds, uidx[k]));
    for (size_t k = 0; rc == JQL_OK && k < nl; k++)
        rc = jql_directive_add_level(im->ds, idx, levels[k]);
    for (size_t k = 0; rc == JQL_OK && k < na; k++)
        rc = jql_directive_add_answer(im->ds, idx, answers[k]);
    if (rc == JQL_OK && (status || completed != JQL_NO_DATE))
        rc = jql_directive_set_status(im->ds, idx, (jql_directive_status)status, completed);
    if (rc)
        builder_error(im, row, rc);
}

static bool score_cell(importer *im, size_t row, jql_csv_role r, jql_milli *v)
{
    bool present;
    if (!number_cell(im, row, r, v, &present))
        return false;
    if (!present)
        *v = JQL_NO_SCORE;
    else if (*v < 0) {
        ERR(im, row, im->col[r], "\"%s\": scores are never negative", cell(im, row, r));
        return false;
    }
    return true;
}

static void do_assessments(importer *im, size_t row)
{
    size_t unit;
    jql_milli self, appraised;
    bool na = false;
    bool ok = unit_cell(im, row, R_UNIT, &unit);
    const char *period = period_cell(im, row, R_PERIOD);
    const char *crit = need(im, row, R_CRITERION);
    ok &= score_cell(im, row, R_SELF, &self);
    ok &= score_cell(im, row, R_APPRAISED, &appraised);
    if (im->col[R_NOT_APPLICABLE] != NO_COL)
        ok &= bool_cell(im, row, R_NOT_APPLICABLE, &na);
    if (!ok || !period || !crit)
        return;
    const char *uid = jql_unit_id(im->ds, unit);
    if (!first_time(im, row, "assessment", uid, period, crit))
        return;
    size_t idx;
    int rc = jql_assessment_add(im->ds, uid, period, crit, self, appraised, &idx);
    if (rc == JQL_OK && na)
        rc = jql_assessment_set_not_applicable(im->ds, idx, true);
    if (rc == JQL_OK && opt(im, row, R_EVIDENCE))
        rc = jql_assessment_set_evidence(im->ds, idx, cell(im, row, R_EVIDENCE));
    if (rc)
        builder_error(im, row, rc);
}

static void do_events(importer *im, size_t row)
{
    size_t unit;
    jql_date date;
    jql_milli points;
    bool ok = unit_cell(im, row, R_UNIT, &unit);
    ok &= date_cell(im, row, R_DATE, true, &date);
    const char *kind = need(im, row, R_KIND);
    ok &= score_cell(im, row, R_POINTS, &points);
    if (!ok || !kind)
        return;
    /* events have no key: a row repeating another one entirely is a duplicate */
    jql_buf whole;
    jql_buf_init(&whole);
    for (size_t k = 0; k < im->t->rows[row].n; k++) {
        jql_buf_puts(&whole, jql_csv_cell(im->t, row, k));
        jql_buf_putc(&whole, '\x1f');
    }
    bool first = !whole.failed && first_time(im, row, "event", whole.data, NULL, NULL);
    im->oom = im->oom || whole.failed;
    jql_buf_free(&whole);
    if (!first)
        return;
    size_t idx;
    int rc = jql_event_add(im->ds, jql_unit_id(im->ds, unit), date, kind,
                           opt(im, row, R_TEXT), &idx);
    if (rc == JQL_OK && points != JQL_NO_SCORE)
        rc = jql_event_set_points(im->ds, idx, points);
    if (rc == JQL_OK && opt(im, row, R_EVIDENCE))
        rc = jql_event_set_evidence(im->ds, idx, cell(im, row, R_EVIDENCE));
    if (rc)
        builder_error(im, row, rc);
}

static void do_units(importer *im, size_t row)
{
    const char *id = need(im, row, R_ID), *name = need(im, row, R_NAME);
    const char *level = need(im, row, R_LEVEL);
    if (!id || !name || !level || !first_time(im, row, "unit", id, NULL, NULL))
        return;
    size_t idx;
    int rc = jql_unit_add(im->ds, id, name, level, NULL, &idx);
    if (rc == JQL_OK && opt(im, row, R_CLUSTER))
        rc = jql_unit_set_cluster(im->ds, idx, cell(im, row, R_CLUSTER));
    if (rc)
        builder_error(im, row, rc);
}

/* Parents after every unit of the file exists, so their order is free. */
static void unit_parent(importer *im, size_t row)
{
    const char *id = cell(im, row, R_ID), *parent = opt(im, row, R_PARENT);
    size_t idx, p;
    if (!parent || jql_unit_find(im->ds, id, &idx) != JQL_OK)
        return;
    if (!unit_at(im, row, im->col[R_PARENT], parent, &p))
        return;
    int rc = jql_unit_set_parent(im->ds, idx, jql_unit_id(im->ds, p));
    if (rc)
        builder_error(im, row, rc);
}

static void do_indicators(importer *im, size_t row)
{
    const char *id = need(im, row, R_ID), *name = need(im, row, R_NAME);
    const char *agg = cell(im, row, R_AGGREGATION);
    jql_aggregation a = JQL_AGG_SUM;
    if (*agg) {
        if (jql_aggregation_from_name(agg, &a) != JQL_OK) {
            ERR(im, row, im->col[R_AGGREGATION], "\"%s\" is not sum, last, mean, min or max",
                agg);
            return;
        }
    }
    if (!id || !name || !first_time(im, row, "indicator", id, NULL, NULL))
        return;
    size_t idx;
    int rc = jql_indicator_add(im->ds, id, name, opt(im, row, R_MEASURE_UNIT),
                               a, &idx);
    if (rc == JQL_OK && opt(im, row, R_FIELD))
        rc = jql_indicator_set_field(im->ds, idx, cell(im, row, R_FIELD));
    if (rc)
        builder_error(im, row, rc);
}

/* ---- header ----------------------------------------------------------------- */

/* The folded names of the dataset's indicators, built once: a header per
   indicator name folded was columns x indicators folds (200 columns on
   150,000 indicators: 17 s), and then every file built them again (model.h).
   The first indicator so named wins. */
static int build_indicator_names(importer *im)
{
    jql_dataset *ds = im->ds; /* kept from one file to the next, as unit names */
    if (!ds->csv_indicator_names) {
        if (!(ds->csv_indicator_names = jql_calloc(1, sizeof *ds->csv_indicator_names)))
            return JQL_ENOMEM;
        ds->csv_indicators = 0;
    }
    for (size_t k = ds->csv_indicators; k < jql_indicator_count(ds); k++) {
        char *g = jql_csv_fold(jql_indicator_name(ds, k));
        size_t prev;
        int rc = JQL_OK;
        const char *name = jql_indicator_name(ds, k);
        if (!g && jql_utf8_check(name, strlen(name)) == strlen(name))
            return JQL_ENOMEM; /* a valid name that could not be folded */
        if (g && jql_strmap_get(ds->csv_indicator_names, g, &prev) != JQL_OK)
            rc = jql_strmap_put(ds->csv_indicator_names, g, k);
        jql_free(g);
        if (rc)
            return rc;
        ds->csv_indicators = k + 1;
    }
    im->indicator_names_built = true;
    return JQL_OK;
}

/* Indicator named by a wide header: its id, or else its name folded. */
static size_t indicator_named(importer *im, const char *h)
{
    size_t i;
    if (jql_indicator_find(im->ds, h, &i) == JQL_OK)
        return i;
    if (!im->indicator_names_built && build_indicator_names(im) != JQL_OK) {
        im->oom = true;
        return JQL_NONE;
    }
    char *f = jql_csv_fold(h); /* UTF-8 (checked): NULL is no memory */
    size_t found = JQL_NONE;
    if (!f)
        im->oom = true;
    else if (jql_strmap_get(im->ds->csv_indicator_names, f, &found) != JQL_OK)
        found = JQL_NONE;
    jql_free(f);
    return found;
}

/* A column with neither header nor data (spreadsheets often save a few). */
static bool column_is_blank(const jql_csv_table *t, size_t col)
{
    for (size_t row = 0; row < t->nrows; row++)
        if (*jql_csv_cell(t, row, col))
            return false;
    return true;
}

/* A wide file holds rows x indicator columns values, each a statistic: as
   many as a long file's rows at most (JQL_CSV_MAX_ROWS, or max_records).
   10 MB of 5,000 rows x 1,022 columns of "1" are 5.1 million statistics:
   24 s and 1.7 GB, 392 MB of dataset. */
static bool wide_fits(importer *im)
{
    const jql_csv_table *t = im->t;
    size_t cols = 0, limit = t->max_rows ? t->max_rows : JQL_CSV_MAX_ROWS;
    for (size_t c = 0; c < t->rows[0].n; c++)
        cols += im->indicator_of[c] != JQL_NONE;
    size_t rows = t->nrows - 1;
    if (!cols || rows <= limit / cols)
        return true;
    ERR(im, 0, NO_COL, "%zu rows x %zu indicator columns are more than %zu values, the most one "
                       "file may hold (as rows of a long file): split the file", rows, cols, limit);
    return false;
}

static bool read_header(importer *im)
{
    const jql_csv_table *t = im->t;
    size_t ncols = t->rows[0].n;
    bool ok = true;
    for (int r = 0; r < R_COUNT; r++)
        im->col[r] = NO_COL;
    if (im->kind == JQL_CSV_STATS_WIDE) {
        im->indicator_of = jql_calloc(ncols, sizeof *im->indicator_of);
        if (!im->indicator_of) {
            im->oom = true;
            return false;
        }
    }
    for (size_t c = 0; c < ncols; c++) {
        const char *h = jql_csv_cell(t, 0, c);
        jql_csv_role r = jql_csv_header_role(im->kind, h, &im->oom);
        if (im->oom)
            return false;
        if (im->indicator_of)
            im->indicator_of[c] = JQL_NONE;
        if (r == R_IGNORE || (!*h && column_is_blank(t, c)))
            continue;
        if (r != R_NONE && im->col[r] != NO_COL) {
            ERR(im, 0, c, "column \"%s\" appears twice (also column %zu)", h, im->col[r] + 1);
            ok = false;
        } else if (r != R_NONE) {
            im->col[r] = c;
        } else if (im->kind == JQL_CSV_STATS_WIDE) {
            if (!*h) {
                ERR(im, 0, c, "empty header: name the indicator of this column");
                ok = false;
            } else if ((im->indicator_of[c] = indicator_named(im, h)) == JQL_NONE) {
                if (im->oom)
                    return false;
                ERR(im, 0, c, "\"%s\" is neither a column of %s files nor the id or name of an "
                              "indicator of the dataset", h, jql_csv_kind_name(im->kind));
                ok = false;
            }
        } else if (!*h) {
            ERR(im, 0, c, "empty header above data: name this column");
            ok = false;
        } else {
            ERR(im, 0, c, "unknown column \"%s\" in %s files (see docs/CSV.md)", h,
                jql_csv_kind_name(im->kind));
            ok = false;
        }
    }
    for (int r = 1; r < R_COUNT; r++)
        if (jql_csv_role_required(im->kind, (jql_csv_role)r) && im->col[r] == NO_COL) {
            ERR(im, 0, NO_COL, "missing column \"%s\" (required in %s files)",
                jql_csv_role_name((jql_csv_role)r), jql_csv_kind_name(im->kind));
            ok = false;
        }
    if (im->kind == JQL_CSV_STATS_WIDE && im->col[R_PERIOD] == NO_COL && !im->period_opt) {
        ERR(im, 0, NO_COL, "no period: add a \"period\" column or state the period of the file");
        ok = false;
    }
    if (ok && im->kind == JQL_CSV_STATS_WIDE && !wide_fits(im))
        ok = false;
    if (im->kind == JQL_CSV_STATS_WIDE && im->indicator_of) {
        for (size_t c = 0; c < ncols; c++)
            for (size_t d = 0; d < c; d++)
                if (im->indicator_of[c] != JQL_NONE && im->indicator_of[c] == im->indicator_of[d]) {
                    ERR(im, 0, c, "indicator \"%s\" has two columns (also column %zu)",
                        jql_indicator_id(im->ds, im->indicator_of[c]), d + 1);
                    ok = false;
                }
    }
    return ok;
}

/* ---- the import ----------------------------------------------------------- */

static bool row_is_blank(const jql_csv_table *t, size_t row)
{
    for (size_t k = 0; k < t->rows[row].n; k++)
        if (*jql_csv_cell(t, row, k))
            return false;
    return true;
}

static void import_rows(importer *im)
{
    static void (*const handlers[])(importer *, size_t) = {
        [JQL_CSV_STATS] = do_stats,           [JQL_CSV_STATS_WIDE] = do_stats_wide,
        [JQL_CSV_REPORTS] = do_reports,       [JQL_CSV_TASKS] = do_tasks,
        [JQL_CSV_DIRECTIVES] = do_directives, [JQL_CSV_ASSESSMENTS] = do_assessments,
        [JQL_CSV_EVENTS] = do_events,         [JQL_CSV_UNITS] = do_units,
        [JQL_CSV_INDICATORS] = do_indicators,
    };
    const jql_csv_table *t = im->t;
    for (size_t row = 1; row < t->nrows && !im->oom; row++) {
        if (t->rows[row].n != t->rows[0].n) {
            ERR(im, row, NO_COL, "ragged row: %zu cells where the header has %zu", t->rows[row].n,
                t->rows[0].n);
            continue;
        }
        if (!row_is_blank(t, row))
            handlers[im->kind](im, row);
    }
    if (im->kind == JQL_CSV_UNITS && im->col[R_PARENT] != NO_COL)
        for (size_t row = 1; row < t->nrows && !im->oom; row++)
            if (t->rows[row].n == t->rows[0].n && !row_is_blank(t, row))
                unit_parent(im, row);
}

/* The working copy: a canonical JSON round trip of the caller's dataset. */
static int copy_dataset(const jql_dataset *ds, jql_dataset **out)
{
    char *json = NULL;
    size_t len = 0;
    jql_diagnostics *d = NULL;
    int rc = jql_dataset_to_json(ds, &json, &len);
    if (rc == JQL_OK)
        rc = jql_dataset_load_buffer(json, len, "<dataset>", out, &d);
    if (rc == JQL_EINVALID)
        rc = jql_fail(JQL_EINVALID, "the dataset to import into is not valid (%s): check it "
                                    "first", jql_diagnostics_count(d) ?
                                                jql_diagnostics_message(d, 0) : "invalid");
    jql_diagnostics_free(d);
    jql_free(json);
    return rc;
}

static void swap_datasets(jql_dataset *a, jql_dataset *b)
{
    jql_dataset tmp = *a;
    *a = *b;
    *b = tmp;
}

static int run(importer *im, jql_dataset *ds, const char *data, size_t len,
               const jql_csv_options *o)
{
    /* text: UTF-8, an optional BOM */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    size_t bad = jql_utf8_check(data, len);
    if (bad < len) {
        unsigned line, col;
        jql_line_col(data, len, bad, &line, &col);
        jql_diag_add(im->diag, JQL_SEVERITY_ERROR, "", line, col,
                     "invalid UTF-8 (save the file as \"CSV UTF-8\")");
        return JQL_EINVALID;
    }
    char sep = o->separator;
    if (sep && sep != ',' && sep != ';')
        return jql_fail(JQL_EINVALID, "separator must be ',' or ';'");
    if (o->decimal_mark && o->decimal_mark != '.' && o->decimal_mark != ',')
        return jql_fail(JQL_EINVALID, "decimal mark must be '.' or ','");
    if (!sep && !(sep = jql_csv_detect_separator(data, len))) {
        jql_diag_add(im->diag, JQL_SEVERITY_ERROR, "", 1, 0,
                     "the header row has both ',' and ';': state the separator");
        return JQL_EINVALID;
    }
    int rc = jql_csv_read(data, len, sep, im->t, im->diag);
    if (rc)
        return rc;
    for (size_t k = 0; k < im->t->ncells; k++)
        jql_csv_trim(im->t->text.data + im->t->cells[k]);
    if (im->t->nrows == 0) {
        if (jql_diagnostics_error_count(im->diag))
            return JQL_EINVALID; /* the header row itself was broken */
        jql_diag_add(im->diag, JQL_SEVERITY_ERROR, "", 1, 0, "no header row: the file is empty");
        return JQL_EINVALID;
    }
    if (im->in_place)
        im->ds = ds;
    else if ((rc = copy_dataset(ds, &im->ds)) != JQL_OK)
        return rc;
    im->kind = o->kind;
    bool oom = false;
    if (im->kind == JQL_CSV_AUTO && (im->kind = jql_csv_guess_kind(im->t, &oom)) == JQL_CSV_AUTO) {
        if (oom)
            return JQL_ENOMEM;
        jql_diag_add(im->diag, JQL_SEVERITY_ERROR, "", im->t->rows[0].line, 0,
                     "cannot tell what this file holds from its header row: state its kind "
                     "(stats, stats-wide, reports, tasks, directives, assessments, events, "
                     "units, indicators)");
        return JQL_EINVALID;
    }
    if ((unsigned)im->kind > JQL_CSV_INDICATORS)
        return jql_fail(JQL_EINVALID, "unknown CSV kind %d", (int)im->kind);
    if (!read_header(im))
        return im->oom ? JQL_ENOMEM : JQL_EINVALID;
    decide_mark(im, o->decimal_mark);
    import_rows(im);
    if (im->oom || jql_diag_oom(im->diag))
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (jql_diagnostics_error_count(im->diag))
        return JQL_EINVALID;
    if (!im->in_place)
        swap_datasets(ds, im->ds);
    return JQL_OK;
}

int jql_csv_import_buffer(jql_dataset *ds, const char *data, size_t len, const char *source,
                          const jql_csv_options *opts, jql_diagnostics **diag)
{
    return jql_csv_import_buffer_ext(ds, data, len, source, opts, NULL, diag);
}

int jql_csv_import_buffer_ext(jql_dataset *ds, const char *data, size_t len, const char *source,
                              const jql_csv_options *opts, const jql_load_options *limits,
                              jql_diagnostics **diag)
{
    static const jql_csv_options defaults = JQL_CSV_OPTIONS_INIT;
    const jql_csv_options *o = opts ? opts : &defaults;
    if (diag)
        *diag = NULL;
    if (!ds || (!data && len))
        return jql_fail(JQL_EINVALID, "jql_csv_import_buffer: NULL argument");
    if (o->version != 1 && o->version != JQL_CSV_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "jql_csv_options version %u is not %d", o->version,
                        JQL_CSV_OPTIONS_VERSION);
    unsigned flags = o->version >= 2 ? o->flags : 0;
    if (flags & ~JQL_CSV_IN_PLACE)
        return jql_fail(JQL_EINVALID, "jql_csv_options: unknown flags 0x%x", flags);
    jql_limits lim;
    int lrc = jql_limits_from(limits, &lim);
    if (lrc)
        return lrc;
    if (len > lim.max_input)
        return jql_fail(JQL_ELIMIT,
                        "%s: input is larger than the limit of %zu bytes (raise it with "
                        "jql_load_options.max_input_bytes or --max-input-size)",
                        source ? source : "<memory>", lim.max_input);
    jql_csv_table t = {.max_cell = lim.max_string,
                       .max_rows = limits && limits->max_records ? limits->max_records : 0};
    importer im = {.t = &t, .period_opt = o->period, .in_place = (flags & JQL_CSV_IN_PLACE) != 0};
    jql_buf_init(&t.text);
    if (!(im.diag = jql_diag_new(source)))
        return jql_fail(JQL_ENOMEM, "out of memory");
    int rc = run(&im, ds, data ? data : "", len, o);
    if (rc == JQL_EINVALID && jql_diagnostics_error_count(im.diag))
        jql_fail(JQL_EINVALID, "%s: %zu error%s in the CSV file", source ? source : "<memory>",
                 jql_diagnostics_error_count(im.diag),
                 jql_diagnostics_error_count(im.diag) == 1 ? "" : "s");
    jql_diag_sort(im.diag);
    jql_diag_finish(im.diag);
    if (!im.in_place)
        jql_dataset_free(im.ds); /* the working copy (the caller's, when swapped) */
    jql_free(im.indicator_of);
    jql_strmap_free(&im.keys);
    jql_csv_table_free(&t);
    if (diag)
        *diag = im.diag;
    else
        jql_diagnostics_free(im.diag);
    return rc;
}

int jql_csv_import_path(jql_dataset *ds, const char *path, const jql_csv_options *opts,
                        jql_diagnostics **diag)
{
    return jql_csv_import_path_ext(ds, path, opts, NULL, diag);
}

int jql_csv_import_path_ext(jql_dataset *ds, const char *path, const jql_csv_options *opts,
                            const jql_load_options *limits, jql_diagnostics **diag)
{
    char *data = NULL;
    size_t len = 0;
    if (diag)
        *diag = NULL;
    if (!path)
        return jql_fail(JQL_EINVALID, "jql_csv_import_path: NULL path");
    jql_limits lim;
    int rc = jql_limits_from(limits, &lim);
    if (rc == JQL_OK)
        rc = jql_read_path(path, lim.max_input + 1, &data, &len);
    if (rc == JQL_OK)
        rc = jql_csv_import_buffer_ext(ds, data, len, path, opts, limits, diag);
    jql_free(data);
    return rc;
}

int jql_csv_import_file_ext(jql_dataset *ds, FILE *fp, const char *source,
                            const jql_csv_options *opts, const jql_load_options *limits,
                            jql_diagnostics **diag)
{
    char *data = NULL;
    size_t len = 0;
    if (diag)
        *diag = NULL;
    if (!fp)
        return jql_fail(JQL_EINVALID, "jql_csv_import_file_ext: NULL stream");
    if (!source)
        source = "<stream>";
    jql_limits lim;
    int rc = jql_limits_from(limits, &lim);
    if (rc == JQL_OK)
        rc = jql_read_stream(fp, source, lim.max_input + 1, &data, &len);
    if (rc == JQL_OK)
        rc = jql_csv_import_buffer_ext(ds, data, len, source, opts, limits, diag);
    jql_free(data);
    return rc;
}
