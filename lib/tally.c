/*
 * Tallies (tally.h): the counts of reports, tasks and directives, read
 * from the same internal queries the scoring engine measures with
 * (query.h), so a printed count and a score can never disagree.
 */
#include <string.h>

#include "names.h"
#include "query.h"

/* The names are in names.c, indexed by field. */
#define FIELD_NAMES jql_tally_field_names
#define N_FIELDS ((size_t)JQL_TALLY_FIELD_END)

/* Fields each struct version holds (version 1: all of today's). */
static size_t fields_of_version(unsigned version)
{
    return version == 1 ? N_FIELDS : 0;
}

size_t jql_tally_field_count(void)
{
    return N_FIELDS;
}

const char *jql_tally_field_name(jql_tally_field f)
{
    return (size_t)f < N_FIELDS ? FIELD_NAMES[f] : NULL;
}

int jql_tally_get(const jql_tally *t, jql_tally_field f, size_t *value)
{
    if (!t || !value)
        return jql_fail(JQL_EINVALID, "tally or value pointer is NULL");
    if ((size_t)f >= fields_of_version(t->version))
        return jql_fail(JQL_EINVALID, "tally field %d is not in a version %u tally", (int)f,
                        t->version);
    const size_t v[JQL_TALLY_FIELD_END] = {
        [JQL_TALLY_REPORTS_DUE] = t->reports_due,
        [JQL_TALLY_REPORTS_ON_TIME] = t->reports_on_time,
        [JQL_TALLY_REPORTS_LATE] = t->reports_late,
        [JQL_TALLY_REPORTS_MISSING] = t->reports_missing,
        [JQL_TALLY_REPORTS_INCOMPLETE] = t->reports_incomplete,
        [JQL_TALLY_TASKS_DUE] = t->tasks_due,
        [JQL_TALLY_TASKS_DONE] = t->tasks_done,
        [JQL_TALLY_TASKS_DONE_LATE] = t->tasks_done_late,
        [JQL_TALLY_TASKS_OVERDUE] = t->tasks_overdue,
        [JQL_TALLY_DIRECTIVES_DUE] = t->directives_due,
        [JQL_TALLY_DIRECTIVES_DONE] = t->directives_done,
    };
    *value = v[f];
    return JQL_OK;
}

/* The query window: the period's range (the whole calendar for NULL),
   with the as-of date when one is given. */
static int window(const jql_dataset *ds, const char *period, const jql_tally_options *o,
                  jql_range *r)
{
    memset(r, 0, sizeof *r);
    if (!period) {
        *r = (jql_range){.kind = JQL_PERIOD_CUSTOM, .start = INT32_MIN + 1, .end = INT32_MAX};
    } else if (jql_ds_resolve_period(ds, period, r) != JQL_OK) {
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", period);
    }
    if (o->as_of) {
        if (jql_date_parse(o->as_of, &r->as_of) != JQL_OK)
            return jql_fail(JQL_EINVALID, "as_of \"%s\" is not an existing date YYYY-MM-DD",
                            o->as_of);
        r->has_as_of = true;
    }
    return JQL_OK;
}

static int check_args(const jql_dataset *ds, const jql_tally_options *o, const jql_tally *out)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "dataset is NULL");
    if (!out)
        return jql_fail(JQL_EINVALID, "tally pointer is NULL");
    if (fields_of_version(out->version) == 0)
        return jql_fail(JQL_EINVALID, "unknown tally version %u", out->version);
    if (o->version != JQL_TALLY_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "unknown tally options version %u", o->version);
    if (o->flags & ~JQL_ROLLUP)
        return jql_fail(JQL_EINVALID, "unknown tally flags 0x%x", o->flags & ~JQL_ROLLUP);
    return JQL_OK;
}

static void clear(jql_tally *out)
{
    unsigned version = out->version;
    memset(out, 0, sizeof *out); /* version 1 is the whole struct */
    out->version = version;
}

static int count(const jql_dataset *ds, size_t u, jql_range r, bool rollup, const char *kind,
                 const char *field, jql_tally *out)
{
    jql_report_summary rs;
    jql_task_summary ts;
    jql_directive_summary dsum;
    int rc = jql_q_reports(ds, u, r, kind, rollup, &rs, NULL);
    if (rc == JQL_OK)
        rc = jql_q_tasks(ds, u, r, field, rollup, &ts, NULL);
    if (rc == JQL_OK)
        rc = jql_q_directives(ds, u, r, rollup, &dsum, NULL);
    if (rc != JQL_OK)
        return rc == JQL_ENOMEM ? jql_fail(JQL_ENOMEM, "out of memory") : rc;
    out->reports_due = rs.due;
    out->reports_on_time = rs.on_time;
    out->reports_missing = rs.missing;
    out->reports_late = rs.due - rs.on_time - rs.missing;
    out->reports_incomplete = rs.incomplete;
    out->tasks_due = ts.due;
    out->tasks_done = ts.completed;
    out->tasks_done_late = ts.completed_late;
    out->tasks_overdue = ts.overdue;
    out->directives_due = dsum.due;
    out->directives_done = dsum.completed;
    return JQL_OK;
}

int jql_tally_compute(const jql_dataset *ds, const char *unit, const char *period,
                      const jql_tally_options *opts, jql_tally *out)
{
    const jql_tally_options defaults = JQL_TALLY_OPTIONS_INIT;
    const jql_tally_options *o = opts ? opts : &defaults;
    int rc = check_args(ds, o, out);
    if (rc != JQL_OK)
        return rc;
    clear(out);
    size_t u = JQL_NONE;
    if (unit && jql_strmap_get(&ds->unit_ids, unit, &u) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown unit \"%s\"", unit);
    jql_range r;
    if ((rc = window(ds, period, o, &r)) != JQL_OK)
        return rc;
    /* kinds and fields are kept in NFC: the filters are normalized here */
    char kbuf[256], fbuf[256], *kheap = NULL, *fheap = NULL;
    const char *kind = jql_nfc_key(o->report_kind, kbuf, sizeof kbuf, &kheap);
    const char *field = jql_nfc_key(o->task_field, fbuf, sizeof fbuf, &fheap);
    rc = count(ds, u, r, (o->flags & JQL_ROLLUP) != 0, kind, field, out);
    jql_free(kheap);
    jql_free(fheap);
    if (rc != JQL_OK)
        clear(out);
    return rc;
}

/* ---- per-record verdicts --------------------------------------------------
 * The rules count_report and the directive query apply to one record, for
 * programs that list the records behind a count (jql-report's problem
 * list): they read the same internal helpers, so list and count agree. */

static jql_range as_of_window(jql_date as_of)
{
    jql_range r;
    memset(&r, 0, sizeof r);
    r.has_as_of = as_of != JQL_NO_DATE;
    r.as_of = as_of;
    return r;
}

int jql_report_get_standing(const jql_dataset *ds, size_t i, jql_date as_of,
                            jql_report_standing *standing, int32_t *days_late, bool *incomplete)
{
    if (!ds || i >= ds->reports.len)
        return jql_fail(JQL_ENOTFOUND, "no report %zu", i);
    if (!standing)
        return jql_fail(JQL_EINVALID, "standing pointer is NULL");
    const jql_report_rec *rep = &ds->reports.items[i];
    jql_range r = as_of_window(as_of);
    int32_t late = jql_q_days_late_as_of(rep, r);
    jql_report_standing st = jql_q_after_as_of(rep->due, r) ? JQL_REPORT_STANDING_NOT_DUE
                             : late < 0                     ? JQL_REPORT_STANDING_MISSING
                             : late == 0                    ? JQL_REPORT_STANDING_ON_TIME
                                                            : JQL_REPORT_STANDING_LATE;
    *standing = st;
    bool in = st == JQL_REPORT_STANDING_ON_TIME || st == JQL_REPORT_STANDING_LATE;
    if (days_late)
        *days_late = in ? late : -1;
    if (incomplete) /* as the tally: only a counted, submitted report */
        *incomplete = in && !rep->complete;
    return JQL_OK;
}

int jql_directive_done_by(const jql_dataset *ds, size_t i, jql_date as_of, bool *done)
{
    if (!ds || i >= ds->directives.len)
        return jql_fail(JQL_ENOTFOUND, "no directive %zu", i);
    if (!done)
        return jql_fail(JQL_EINVALID, "done pointer is NULL");
    const jql_directive_rec *d = &ds->directives.items[i];
    *done = d->status == JQL_DIRECTIVE_DONE && !jql_q_after_as_of(d->completed, as_of_window(as_of));
    return JQL_OK;
}

int jql_reports_late(const jql_dataset *ds, const char *unit, const char *period, const char *kind,
                     size_t *out, size_t cap, size_t *count)
{
    if (count)
        *count = 0;
    if (!count || (!out && cap > 0))
        return jql_fail(JQL_EINVALID, "count pointer is NULL, or out is NULL with cap > 0");
    size_t n = 0;
    int rc = jql_reports_in_period(ds, unit, period, kind, NULL, 0, &n);
    if (rc != JQL_OK)
        return rc;
    size_t *all = jql_calloc(n + 1, sizeof *all);
    if (!all)
        return jql_fail(JQL_ENOMEM, "out of memory");
    rc = jql_reports_in_period(ds, unit, period, kind, all, n, &n);
    size_t m = 0;
    for (size_t k = 0; rc == JQL_OK && k < n; k++) {
        jql_report_standing st;
        rc = jql_report_get_standing(ds, all[k], JQL_NO_DATE, &st, NULL, NULL);
        if (rc == JQL_OK && (st == JQL_REPORT_STANDING_LATE || st == JQL_REPORT_STANDING_MISSING)) {
            if (m < cap)
                out[m] = all[k];
            m++;
        }
    }
    jql_free(all);
    if (rc == JQL_OK)
        *count = m;
    return rc;
}
