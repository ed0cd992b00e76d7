/*
 * What jql_score_with() checks around the scoring itself, so that no input
 * gives a silently wrong answer: a period with nothing in it (an error
 * unless allowed), and leaves that no scored unit has data for (warnings on
 * the results, jql_results_diagnostics()).
 */
#include <stdio.h>
#include <string.h>

#include "score_internal.h"

/* Does unit u itself hold a record of any kind that falls in r? Walks only
   the unit's own lists; directives (scanned whole by the query layer) last. */
static bool unit_has_record(const jql_dataset *ds, size_t u, jql_range r)
{
    const jql_unit_index *x = &ds->by_unit[u];
    for (size_t i = 0; i < x->stats.len; i++)
        if (jql_range_within(ds->stats.items[x->stats.items[i]].range, r))
            return true;
    for (size_t i = 0; i < x->reports.len; i++)
        if (jql_range_within(ds->reports.items[x->reports.items[i]].range, r))
            return true;
    for (size_t i = 0; i < x->tasks.len; i++)
        if (jql_date_within(ds->tasks.items[x->tasks.items[i]].due, r))
            return true;
    for (size_t i = 0; i < x->shortcomings.len; i++)
        if (jql_range_within(ds->shortcomings.items[x->shortcomings.items[i]].range, r))
            return true;
    for (size_t i = 0; i < x->assessments.len; i++)
        if (jql_range_within(ds->assessments.items[x->assessments.items[i]].range, r))
            return true;
    for (size_t i = 0; i < x->events.len; i++)
        if (jql_date_within(ds->events.items[x->events.items[i]].date, r))
            return true;
    jql_directive_summary s;
    return jql_q_directives(ds, u, r, false, &s, NULL) == JQL_OK && s.due > 0;
}

/* The scored units and their descendants (a roll-up reads those too). */
static int units_have_record(const jql_dataset *ds, const jql_sizevec *sel, jql_range r,
                             bool *found)
{
    jql_sizevec units = {0};
    int rc = JQL_OK;
    *found = false;
    for (size_t k = 0; k < sel->len && !*found && rc == JQL_OK; k++) {
        units.len = 0;
        if ((rc = jql_q_units(ds, sel->items[k], true, &units)))
            break;
        for (size_t i = 0; i < units.len && !*found; i++)
            *found = unit_has_record(ds, units.items[i], r);
    }
    jql_sizevec_free(&units);
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
}

int jql_score_check_period(const jql_dataset *ds, const char *period, jql_range r,
                           const jql_sizevec *sel, bool allow_empty,
                           const char *allow_empty_name, bool *empty)
{
    bool found;
    int rc = units_have_record(ds, sel, r, &found);
    *empty = !found;
    if (rc || found || allow_empty)
        return rc;
    bool declared = jql_strmap_get(&ds->period_ids, period, NULL) == JQL_OK;
    if (!declared) {
        /* Only on this error path: is there any record at all in it? */
        bool any = false;
        for (size_t u = 0; u < ds->units.len && !any; u++)
            any = unit_has_record(ds, u, r);
        if (!any)
            return jql_fail(JQL_ENOTFOUND,
                            "unknown period %s: the dataset does not declare it and no record "
                            "falls in it (allow empty periods to score it anyway: %s)",
                            period, allow_empty_name);
    }
    return jql_fail(JQL_EINVALID,
                    "no record of the scored units falls in period %s: nothing to score "
                    "(allow empty periods to score it anyway: %s)",
                    period, allow_empty_name);
}

/* JSON Pointer of node n in the criteria document (/criteria/i/children/j...). */
static void node_path(const jql_criteria *c, size_t n, jql_buf *b)
{
    size_t chain[64], depth = 0;
    for (size_t x = n; x != JQL_NONE && depth < 64; x = c->nodes[x].parent)
        chain[depth++] = x;
    jql_buf_puts(b, "/criteria");
    while (depth-- > 0) {
        if (b->len > strlen("/criteria"))
            jql_buf_puts(b, "/children");
        jql_buf_printf(b, "/%zu", c->nodes[chain[depth]].pos);
    }
}

int jql_score_warn(jql_results *r, const jql_criteria *c, bool empty, jql_date as_of)
{
    jql_diagnostics *d = r->diag;
    /* " as of YYYY-MM-DD" after the period when scored as of a date (not
       for manual leaves: assessments count whatever the as-of date) */
    char when[32] = "";
    if (as_of != JQL_NO_DATE) {
        char day[11];
        jql_date_format(as_of, day);
        snprintf(when, sizeof when, " as of %s", day);
    }
    if (empty)
        jql_diag_add(d, JQL_SEVERITY_WARNING, "/period", 0, 0,
                     "no record of the scored units falls in period %s: every measure has "
                     "no data (scored because empty periods are allowed)",
                     r->period);
    for (size_t n = 0; n < c->nnodes && !empty; n++) {
        const jql_node *node = &c->nodes[n];
        if (!node->is_leaf || node->method.kind == JQL_METHOD_CUSTOM)
            continue;
        size_t scored = 0, no_data = 0;
        /* stops at the first unit with data (most often the first unit):
           a warning needs every scored unit without data */
        for (size_t k = 0; k < r->nunits && no_data == scored; k++) {
            const jql_res_node *x = &r->nodes[r->units[k].node_start + n];
            if (x->source == JQL_SRC_NOT_APPLICABLE)
                continue; /* declared not applicable: not expected to have data */
            scored++;
            no_data += x->no_data;
        }
        if (scored == 0 || no_data < scored)
            continue;
        jql_buf p;
        jql_buf_init(&p);
        node_path(c, n, &p);
        if (node->method.kind == JQL_METHOD_MANUAL)
            jql_diag_add(d, JQL_SEVERITY_WARNING, p.data ? p.data : "", 0, 0,
                         "manual leaf \"%s\": no scored unit has an assessment for it in period "
                         "%s (a criterion id typed differently, or a missing assessments file?)",
                         node->id, r->period);
        else
            jql_diag_add(d, JQL_SEVERITY_WARNING, p.data ? p.data : "", 0, 0,
                         "leaf \"%s\": its measure has no data for any scored unit in period %s%s "
                         "(an indicator, kind or field typed differently, or missing records%s?)",
                         node->id, r->period, when,
                         when[0] ? ", or none dated by then" : "");
        bool failed = p.failed;
        jql_buf_free(&p);
        if (failed)
            return jql_fail(JQL_ENOMEM, "out of memory");
    }
    jql_diag_finish(d);
    return jql_diag_oom(d) ? jql_fail(JQL_ENOMEM, "out of memory") : JQL_OK;
}

const jql_diagnostics *jql_results_diagnostics(const jql_results *r)
{
    return r ? r->diag : NULL;
}
