/*
 * Scoring a leaf: measuring a unit over the scored period through the
 * query layer (never scanning all records), mapping the measure to points
 * with the leaf's method, and keeping the evidence and the rule text.
 */
#include <string.h>

#include "score_internal.h"

/* ---- evidence ---- */

static const char *unit_id_of(jql_score_ctx *ctx, size_t u)
{
    if (!ctx->unit_ids[u])
        ctx->unit_ids[u] = jql_results_intern(ctx->r, ctx->ds->units.items[u].id);
    return ctx->unit_ids[u];
}

static size_t ds_count(const jql_dataset *ds, jql_ev_kind k)
{
    switch (k) {
    case JQL_EV_REPORT: return ds->reports.len;
    case JQL_EV_TASK: return ds->tasks.len;
    case JQL_EV_DIRECTIVE: return ds->directives.len;
    case JQL_EV_STAT: return ds->stats.len;
    case JQL_EV_ASSESSMENT: return ds->assessments.len;
    case JQL_EV_EVENT: return ds->events.len;
    default: return 0;
    }
}

/* Copy dataset record i of kind k into the results (strings interned). */
static int copy_record(jql_score_ctx *ctx, jql_ev_kind k, size_t i, jql_ev_rec *e)
{
    const jql_dataset *ds = ctx->ds;
    jql_results *r = ctx->r;
    memset(e, 0, sizeof *e);
    e->kind = k;
    e->date = JQL_NO_DATE;
    switch (k) {
    case JQL_EV_REPORT: {
        const jql_report_rec *x = &ds->reports.items[i];
        e->a = unit_id_of(ctx, x->unit);
        e->b = jql_results_intern(r, x->period);
        e->c = jql_results_intern(r, x->kind);
        return e->a && e->b && e->c ? 0 : JQL_ENOMEM;
    }
    case JQL_EV_TASK:
        e->a = jql_results_intern(r, ds->tasks.items[i].id);
        return e->a ? 0 : JQL_ENOMEM;
    case JQL_EV_DIRECTIVE:
        e->a = jql_results_intern(r, ds->directives.items[i].id);
        return e->a ? 0 : JQL_ENOMEM;
    case JQL_EV_STAT: {
        const jql_stat_rec *x = &ds->stats.items[i];
        e->a = unit_id_of(ctx, x->unit);
        e->b = jql_results_intern(r, ds->indicators.items[x->indicator].id);
        e->c = jql_results_intern(r, x->period);
        e->value = x->value;
        return e->a && e->b && e->c ? 0 : JQL_ENOMEM;
    }
    case JQL_EV_ASSESSMENT: {
        const jql_assessment_rec *x = &ds->assessments.items[i];
        e->a = unit_id_of(ctx, x->unit);
        e->b = jql_results_intern(r, x->period);
        e->c = jql_results_intern(r, x->criterion);
        return e->a && e->b && e->c ? 0 : JQL_ENOMEM;
    }
    case JQL_EV_EVENT: {
        const jql_event_rec *x = &ds->events.items[i];
        e->a = unit_id_of(ctx, x->unit);
        e->c = jql_results_intern(r, x->kind);
        e->date = x->date;
        return e->a && e->c ? 0 : JQL_ENOMEM;
    }
    default:
        return JQL_EINVALID;
    }
}

int jql_evidence_add_one(jql_score_ctx *ctx, jql_ev_kind k, size_t index, size_t *count)
{
    jql_results *r = ctx->r;
    if (!ctx->evmap[k]) {
        size_t n = ds_count(ctx->ds, k);
        if (!(ctx->evmap[k] = jql_malloc((n ? n : 1) * sizeof(size_t))))
            return jql_fail(JQL_ENOMEM, "out of memory");
        for (size_t i = 0; i < n; i++)
            ctx->evmap[k][i] = JQL_NONE;
        ctx->evmap_len[k] = n;
    }
    if (index >= ctx->evmap_len[k])
        return jql_fail(JQL_EINVALID, "evidence record out of range");
    size_t e = ctx->evmap[k][index];
    if (e == JQL_NONE) {
        if (jql_vec_grow((void **)&r->ev, &r->ev_cap, r->nev + 1, sizeof *r->ev))
            return jql_fail(JQL_ENOMEM, "out of memory");
        if (copy_record(ctx, k, index, &r->ev[r->nev]))
            return jql_fail(JQL_ENOMEM, "out of memory");
        e = ctx->evmap[k][index] = r->nev++;
    }
    if (jql_vec_grow((void **)&r->evlist, &r->evlist_cap, r->nevlist + 1, sizeof *r->evlist))
        return jql_fail(JQL_ENOMEM, "out of memory");
    r->evlist[r->nevlist++] = e;
    (*count)++;
    return 0;
}

int jql_evidence_add(jql_score_ctx *ctx, jql_ev_kind k, size_t *count)
{
    for (size_t i = 0; i < ctx->scratch.len; i++) {
        int rc = jql_evidence_add_one(ctx, k, ctx->scratch.items[i], count);
        if (rc)
            return rc;
    }
    return 0;
}

/* ---- measures ---- */

static int find_indicator(const jql_dataset *ds, const char *id, size_t *out)
{
    if (!id || jql_strmap_get(&ds->indicator_ids, id, out) != JQL_OK)
        return jql_fail(JQL_EINVALID, "indicator %s is not in the dataset", id ? id : "(none)");
    return JQL_OK;
}

static void set_count(jql_mval *out, size_t n) { out->value = (jql_milli)n * 1000; }

/* Days late (-1: never submitted) into a measured value. */
static void set_days(jql_mval *out, int32_t days)
{
    if (days < 0)
        out->never = true;
    else
        out->value = (jql_milli)days * 1000;
}

static int measure_reports(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                           jql_sizevec *ev)
{
    jql_report_summary s;
    int rc = jql_q_reports(ctx->ds, u, ctx->range, m->report_kind, m->rollup, &s, ev);
    if (rc)
        return rc;
    if (s.due == 0) {
        out->no_data = true; /* no report was due: the only "no data" case */
        return 0;
    }
    switch (m->kind) {
    case JQL_M_REPORT_DAYS_LATE_WORST: set_days(out, s.worst_days_late); break;
    case JQL_M_REPORT_DAYS_LATE_LATEST: set_days(out, s.latest_days_late); break;
    case JQL_M_REPORT_SHARE_ON_TIME: out->value = jql_share_pct(s.on_time, s.due); break;
    case JQL_M_REPORT_MISSING: set_count(out, s.missing); break;
    default: set_count(out, s.incomplete); break;
    }
    return 0;
}

static int measure_tasks(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                         jql_sizevec *ev)
{
    jql_task_summary s;
    int rc = jql_q_tasks(ctx->ds, u, ctx->range, m->field, m->rollup, &s, ev);
    if (rc)
        return rc;
    if (m->kind == JQL_M_TASK_OVERDUE) {
        set_count(out, s.overdue); /* a count: 0, not no data, when none is due */
        return 0;
    }
    if (s.due == 0) {
        out->no_data = true;
        return 0;
    }
    out->value = jql_share_pct(m->kind == JQL_M_TASK_SHARE_LATE ? s.completed_late : s.completed,
                               s.due);
    return 0;
}

static int measure_stats(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                         jql_sizevec *ev)
{
    size_t a, b;
    int rc = find_indicator(ctx->ds, m->indicator, &a);
    if (rc)
        return rc;
    if (m->kind == JQL_M_INDICATOR_VALUE)
        rc = jql_q_value(ctx->ds, u, a, ctx->range, m->rollup, &out->value, ev);
    else if (m->kind == JQL_M_INDICATOR_CHANGE)
        rc = jql_q_change_pct(ctx->ds, u, a, ctx->range, m->rollup, &out->value, ev);
    else {
        if ((rc = find_indicator(ctx->ds, m->denominator, &b)))
            return rc;
        rc = jql_q_ratio_pct(ctx->ds, u, a, b, ctx->range, m->rollup, &out->value, ev);
    }
    if (rc == JQL_ENOTFOUND) {
        out->no_data = true;
        out->value = 0;
        return 0;
    }
    return rc;
}

int jql_measure_eval(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                     bool evidence, size_t *ev_count)
{
    memset(out, 0, sizeof *out);
    ctx->scratch.len = 0;
    jql_sizevec *ev = evidence ? &ctx->scratch : NULL;
    jql_ev_kind k;
    int rc;
    switch (m->kind) {
    case JQL_M_REPORT_DAYS_LATE_WORST:
    case JQL_M_REPORT_DAYS_LATE_LATEST:
    case JQL_M_REPORT_SHARE_ON_TIME:
    case JQL_M_REPORT_MISSING:
    case JQL_M_REPORT_INCOMPLETE:
        k = JQL_EV_REPORT;
        rc = measure_reports(ctx, u, m, out, ev);
        break;
    case JQL_M_TASK_SHARE_COMPLETED:
    case JQL_M_TASK_OVERDUE:
    case JQL_M_TASK_SHARE_LATE:
        k = JQL_EV_TASK;
        rc = measure_tasks(ctx, u, m, out, ev);
        break;
    case JQL_M_DIRECTIVE_SHARE_COMPLETED: {
        jql_directive_summary s;
        k = JQL_EV_DIRECTIVE;
        rc = jql_q_directives(ctx->ds, u, ctx->range, m->rollup, &s, ev);
        if (!rc && s.due == 0)
            out->no_data = true;
        else if (!rc)
            out->value = jql_share_pct(s.completed, s.due);
        break;
    }
    case JQL_M_INDICATOR_VALUE:
    case JQL_M_INDICATOR_RATIO:
    case JQL_M_INDICATOR_CHANGE:
        k = JQL_EV_STAT;
        rc = measure_stats(ctx, u, m, out, ev);
        break;
    case JQL_M_EVENT_COUNT:
    case JQL_M_EVENT_POINTS: {
        size_t n = 0;
        jql_milli pts = 0;
        k = JQL_EV_EVENT;
        rc = jql_q_events(ctx->ds, u, ctx->range, m->event_kind, m->rollup, &n, &pts, ev);
        out->value = m->kind == JQL_M_EVENT_COUNT ? (jql_milli)n * 1000 : pts;
        break;
    }
    default:
        return jql_fail(JQL_EINVALID, "a criterion has no measure");
    }
    if (rc)
        return rc == JQL_ENOMEM ? jql_fail(JQL_ENOMEM, "out of memory") : rc;
    if (evidence)
        return jql_evidence_add(ctx, k, ev_count);
    return 0;
}

/* ---- conditions and methods ---- */

bool jql_cond_holds(const jql_cond *c, const jql_mval *v)
{
    if (v->never) /* later than any number of days */
        return !c->has_at_most && !c->has_below;
    if (c->has_at_least && !(v->value >= c->at_least))
        return false;
    if (c->has_above && !(v->value > c->above))
        return false;
    if (c->has_at_most && !(v->value <= c->at_most))
        return false;
    if (c->has_below && !(v->value < c->below))
        return false;
    return true;
}

static bool cond_empty(const jql_cond *c)
{
    return !c->has_at_least && !c->has_above && !c->has_at_most && !c->has_below;
}

void jql_cond_text(jql_buf *b, const jql_cond *c)
{
    const char *sep = "";
    if (c->has_at_least) {
        jql_buf_printf(b, "%sat_least ", sep);
        jql_buf_milli(b, c->at_least);
        sep = ", ";
    }
    if (c->has_above) {
        jql_buf_printf(b, "%sabove ", sep);
        jql_buf_milli(b, c->above);
        sep = ", ";
    }
    if (c->has_at_most) {
        jql_buf_printf(b, "%sat_most ", sep);
        jql_buf_milli(b, c->at_most);
        sep = ", ";
    }
    if (c->has_below) {
        jql_buf_printf(b, "%sbelow ", sep);
        jql_buf_milli(b, c->below);
    }
    if (cond_empty(c))
        jql_buf_puts(b, "otherwise");
}

static jql_milli clamp(jql_milli v, jql_milli max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

static void arrow(jql_buf *b, jql_milli points)
{
    jql_buf_puts(b, " \xE2\x86\x92 "); /* " → " */
    jql_buf_milli(b, points);
}

static void value_text(jql_buf *b, const jql_mval *v)
{
    if (v->never)
        jql_buf_puts(b, "never submitted");
    else
        jql_buf_milli(b, v->value);
}

jql_milli jql_method_apply(jql_score_ctx *ctx, const jql_method *m, jql_milli max,
                           const jql_mval *v)
{
    jql_buf *b = &ctx->rule;
    jql_milli pts = 0;
    switch (m->kind) {
    case JQL_METHOD_BANDS:
        for (size_t i = 0; i < m->nbands; i++) {
            if (jql_cond_holds(&m->bands[i].cond, v)) {
                pts = clamp(m->bands[i].points, max);
                jql_buf_printf(b, "band %zu: ", i + 1);
                jql_cond_text(b, &m->bands[i].cond);
                arrow(b, pts);
                return pts;
            }
        }
        jql_buf_puts(b, "no band matched");
        arrow(b, 0);
        return 0;
    case JQL_METHOD_LINEAR:
        jql_buf_puts(b, "linear: ");
        if (v->never) {
            jql_buf_puts(b, "never submitted");
        } else if (m->target > 0) {
            /* one rounding of max * value / target */
            pts = clamp(jql_div_round((__int128)max * v->value, m->target), max);
            jql_buf_milli(b, v->value);
            jql_buf_puts(b, " / ");
            jql_buf_milli(b, m->target);
            jql_buf_puts(b, " \xC3\x97 "); /* × */
            jql_buf_milli(b, max);
        }
        arrow(b, pts);
        return pts;
    case JQL_METHOD_BOOLEAN: {
        bool ok = cond_empty(&m->cond) ? (v->never || v->value > 0) : jql_cond_holds(&m->cond, v);
        pts = ok ? max : 0;
        jql_buf_puts(b, "boolean: ");
        if (cond_empty(&m->cond))
            jql_buf_puts(b, "value > 0");
        else
            jql_cond_text(b, &m->cond);
        jql_buf_puts(b, ok ? " holds" : " fails");
        arrow(b, pts);
        return pts;
    }
    case JQL_METHOD_PER_OCCURRENCE:
        jql_buf_puts(b, "per occurrence: ");
        if (v->never) {
            jql_buf_puts(b, "never submitted");
            arrow(b, 0);
            return 0;
        }
        jql_buf_milli(b, max);
        jql_buf_puts(b, " \xE2\x88\x92 "); /* − */
        jql_buf_milli(b, v->value);
        jql_buf_puts(b, " \xC3\x97 ");
        if (m->per_share) {
            /* max - n * share% * max, exact, rounded once:
               n = value/1000, share = per_amount/1000 %, so the product is
               value * per_amount * max / 10^8 thousandths. */
            __int128 num = (__int128)max * 100000000 - (__int128)v->value * m->per_amount * max;
            pts = clamp(jql_div_round(num, 100000000), max);
            jql_buf_milli(b, m->per_amount);
            jql_buf_puts(b, "% of ");
            jql_buf_milli(b, max);
        } else {
            __int128 num = (__int128)max * 1000 - (__int128)v->value * m->per_amount;
            pts = clamp(jql_div_round(num, 1000), max);
            jql_buf_milli(b, m->per_amount);
        }
        arrow(b, pts);
        return pts;
    default:
        value_text(b, v);
        arrow(b, 0);
        return 0;
    }
}

int jql_rule_take(jql_score_ctx *ctx, const char **out)
{
    if (ctx->rule.failed)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = jql_results_intern(ctx->r, ctx->rule.data ? ctx->rule.data : "");
    ctx->rule.len = 0;
    return *out ? 0 : JQL_ENOMEM;
}
