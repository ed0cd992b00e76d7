/*
 * Improvement plans (jql_improvement_plans_json): for each unit below the
 * top tier, the leaves with points left, what their measure would need
 * for full points, and the fewest leaves whose full points reach the next
 * tier's minimum.
 */
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "names.h"
#include "score_internal.h"
#include "util.h"

static void measure_text(jql_buf *b, const jql_measure *m)
{
    const char *name = JQL_NAME_OF(jql_measure_names, m->kind);
    jql_buf_puts(b, name ? name : "");
    const char *f = m->report_kind  ? m->report_kind
                    : m->field      ? m->field
                    : m->indicator  ? m->indicator
                    : m->event_kind ? m->event_kind
                                    : NULL;
    if (f)
        jql_buf_printf(b, " (%s)", f);
}

/* What the leaf's measure would need for full points, and where it is now. */
static void need_text(jql_buf *b, const jql_node *n, const jql_res_node *x)
{
    const jql_method *m = &n->method;
    switch (m->kind) {
    case JQL_METHOD_MANUAL:
        jql_buf_puts(b, "an appraised score of ");
        jql_buf_milli(b, n->max);
        return;
    case JQL_METHOD_CUSTOM:
        jql_buf_printf(b, "custom function %s: ", m->custom);
        jql_buf_milli(b, n->max);
        return;
    default:
        break;
    }
    measure_text(b, &n->measure);
    jql_buf_puts(b, ": ");
    if (m->kind == JQL_METHOD_BANDS) {
        size_t best = 0;
        for (size_t i = 1; i < m->nbands; i++)
            if (m->bands[i].points > m->bands[best].points)
                best = i;
        jql_cond_text(b, &m->bands[best].cond);
        jql_buf_printf(b, " (band %zu)", best + 1);
    } else if (m->kind == JQL_METHOD_LINEAR) {
        jql_buf_puts(b, "at_least ");
        jql_buf_milli(b, m->target);
    } else if (m->kind == JQL_METHOD_BOOLEAN) {
        const jql_cond *c = &m->cond;
        if (c->has_at_least || c->has_above || c->has_at_most || c->has_below)
            jql_cond_text(b, c);
        else
            jql_buf_puts(b, "above 0");
    } else {
        jql_buf_puts(b, "0 occurrences");
    }
    if (x->never)
        jql_buf_puts(b, "; now never submitted");
    else if (x->no_data)
        jql_buf_puts(b, "; now no data");
    else if (x->has_value) {
        jql_buf_puts(b, "; now ");
        jql_buf_milli(b, x->value);
    }
}

/* The threshold a computed leaf's measure must reach for full points:
   *lower: the value must be at least (or, when *strict, above) *at;
   otherwise at most (or, when *strict, below) it. False when there is no
   single threshold (boolean without bounds, per occurrence, manual...). */
static bool full_points_at(const jql_node *n, jql_milli *at, bool *lower, bool *strict)
{
    const jql_method *m = &n->method;
    if (m->kind == JQL_METHOD_LINEAR) {
        *at = m->target;
        *lower = true;
        *strict = false;
        return true;
    }
    const jql_cond *c = NULL;
    if (m->kind == JQL_METHOD_BANDS) {
        size_t best = 0;
        for (size_t i = 1; i < m->nbands; i++)
            if (m->bands[i].points > m->bands[best].points)
                best = i;
        c = &m->bands[best].cond;
    } else if (m->kind == JQL_METHOD_BOOLEAN) {
        c = &m->cond;
    }
    if (!c)
        return false;
    int bounds = c->has_at_least + c->has_above + c->has_at_most + c->has_below;
    if (bounds == 0 && m->kind == JQL_METHOD_BOOLEAN) { /* no bounds: value > 0 */
        *at = 0;
        *lower = *strict = true;
        return true;
    }
    if (bounds != 1)
        return false;
    *lower = c->has_at_least || c->has_above;
    *strict = c->has_above || c->has_below;
    *at = c->has_at_least ? c->at_least
          : c->has_above  ? c->above
          : c->has_at_most ? c->at_most
                           : c->below;
    return true;
}

static size_t ceil_div(unsigned __int128 a, unsigned __int128 b) { return (size_t)((a + b - 1) / b); }

/* A concrete action for shares of counted records and for counts and
   values: "complete 2 more of 9 tasks", "+4 dissemination-sessions".
   Shares need the records the measure counted: the leaf's evidence. */
static void action_text(jql_buf *b, const jql_results *r, const jql_node *n,
                        const jql_res_node *x)
{
    jql_milli at;
    bool lower, strict;
    const jql_measure *m = &n->measure;
    bool days = m->kind == JQL_M_REPORT_DAYS_LATE_WORST || m->kind == JQL_M_REPORT_DAYS_LATE_LATEST;
    if (x->no_data || !full_points_at(n, &at, &lower, &strict))
        return;
    if (days && !lower) {
        /* days late: whole days; "never submitted" is later than any */
        jql_milli most = strict ? ((at - 1) / 1000) * 1000 : (at / 1000) * 1000;
        if (at < 0 || (strict && at <= 0))
            return;
        if (x->never) {
            if (most == 0)
                jql_buf_puts(b, "submit the report on time");
            else {
                jql_buf_puts(b, "submit the report at most ");
                jql_buf_milli(b, most);
                jql_buf_puts(b, " days late");
            }
        } else if (x->has_value && x->value > most) {
            jql_buf_puts(b, "submit ");
            jql_buf_milli(b, x->value - most);
            jql_buf_puts(b, x->value - most == 1000 ? " day earlier" : " days earlier");
        }
        return;
    }
    if (!x->has_value || x->never)
        return;
    if (m->kind == JQL_M_TASK_SHARE_COMPLETED || m->kind == JQL_M_REPORT_SHARE_ON_TIME ||
        m->kind == JQL_M_DIRECTIVE_SHARE_COMPLETED || m->kind == JQL_M_TASK_SHARE_LATE) {
        jql_ev_kind want = m->kind == JQL_M_REPORT_SHARE_ON_TIME        ? JQL_EV_REPORT
                           : m->kind == JQL_M_DIRECTIVE_SHARE_COMPLETED ? JQL_EV_DIRECTIVE
                                                                        : JQL_EV_TASK;
        size_t total = 0;
        for (size_t i = 0; i < x->ev_count; i++)
            total += r->ev[r->evlist[x->ev_start + i]].kind == want;
        if (total == 0 || at < 0 || at > 100000)
            return;
        /* the shown value is the exact share rounded to 0.001%: the count is exact */
        size_t now = (size_t)jql_div_round((__int128)x->value * (__int128)total, 100000);
        unsigned __int128 scaled = (unsigned __int128)(uint64_t)at * total; /* count x 100000 */
        if (lower) {
            size_t need = strict ? (size_t)(scaled / 100000) + 1 : ceil_div(scaled, 100000);
            if (need > total || need <= now)
                return;
            size_t k = need - now;
            if (m->kind == JQL_M_TASK_SHARE_COMPLETED)
                jql_buf_printf(b, "complete %zu more of %zu tasks", k, total);
            else if (m->kind == JQL_M_REPORT_SHARE_ON_TIME)
                jql_buf_printf(b, "%zu more of %zu reports on time", k, total);
            else if (m->kind == JQL_M_DIRECTIVE_SHARE_COMPLETED)
                jql_buf_printf(b, "complete %zu more of %zu directives", k, total);
            else
                jql_buf_printf(b, "%zu more of %zu tasks completed late", k, total);
        } else {
            size_t most = strict ? ceil_div(scaled, 100000) - (scaled > 0 ? 1 : 0)
                                 : (size_t)(scaled / 100000);
            if (strict && scaled == 0)
                return; /* below 0%: unreachable */
            if (now <= most)
                return;
            size_t k = now - most;
            if (m->kind == JQL_M_TASK_SHARE_LATE)
                jql_buf_printf(b, "%zu fewer of %zu tasks completed late", k, total);
            else if (m->kind == JQL_M_REPORT_SHARE_ON_TIME)
                jql_buf_printf(b, "%zu fewer of %zu reports on time", k, total);
            else if (m->kind == JQL_M_DIRECTIVE_SHARE_COMPLETED)
                jql_buf_printf(b, "%zu fewer of %zu directives completed", k, total);
            else
                jql_buf_printf(b, "%zu fewer of %zu tasks completed", k, total);
        }
        return;
    }
    if (m->kind != JQL_M_INDICATOR_VALUE && m->kind != JQL_M_EVENT_COUNT)
        return;
    jql_milli d = lower ? at - x->value : x->value - at;
    if (d < 0 || (d == 0 && !strict))
        return;
    /* counts move by whole events; strict bounds need one more (or less) */
    if (m->kind == JQL_M_EVENT_COUNT)
        d = (d / 1000 + (strict || d % 1000 ? 1 : 0)) * 1000;
    jql_buf_puts(b, lower ? "+" : "-");
    if (strict && m->kind != JQL_M_EVENT_COUNT)
        jql_buf_puts(b, "more than ");
    jql_buf_milli(b, d);
    if (m->kind == JQL_M_EVENT_COUNT)
        jql_buf_printf(b, " %s events", m->event_kind ? m->event_kind : "");
    else
        jql_buf_printf(b, " %s", m->indicator);
}

typedef struct {
    size_t node;
    jql_milli left;
} gain;

static int cmp_gain(const void *pa, const void *pb)
{
    const gain *a = pa, *b = pb;
    if (a->left != b->left)
        return a->left > b->left ? -1 : 1;
    return a->node < b->node ? -1 : a->node > b->node;
}

static jql_milli clampm(__int128 v, jql_milli max) { return v < 0 ? 0 : v > max ? max : (jql_milli)v; }

/* The unit's final score with pts[] as the leaves' points (tree re-summed
   with the engine's clamps; applicable maxima, bonus, deductions kept). */
static jql_milli final_with(const jql_results *r, const jql_res_unit *u, jql_milli *pts,
                            __int128 *acc)
{
    const jql_res_node *x = &r->nodes[u->node_start];
    size_t nn = r->nnodes;
    for (size_t n = 0; n < nn; n++)
        acc[n] = 0;
    __int128 total = 0;
    for (size_t n = nn; n-- > 0;) {
        const jql_res_nodeinfo *ni = &r->nodeinfo[n];
        jql_milli p = !x[n].applicable ? 0 : ni->leaf ? pts[n] : clampm(acc[n], ni->max);
        if (!x[n].applicable)
            continue;
        if (ni->parent != JQL_NONE)
            acc[ni->parent] += p;
        else
            total += p;
    }
    jql_milli scale = r->scale, t = clampm(total, scale), amax = u->v[JQL_RESULT_FIELD_APPLICABLE_MAX];
    jql_milli norm = amax ? jql_div_round((__int128)t * scale, amax) : 0;
    jql_milli fin = norm + u->v[JQL_RESULT_FIELD_BONUS] - u->v[JQL_RESULT_FIELD_DEDUCTIONS];
    if (fin < 0)
        fin = 0;
    if (!r->allow_above_scale && fin > scale)
        fin = scale;
    return fin;
}

static void jkey(jql_buf *b, const char *k)
{
    jql_buf_puts(b, ", ");
    jql_buf_json_string(b, k);
    jql_buf_puts(b, ": ");
}

int jql_improvement_plans_json(const jql_results *r, const jql_criteria *c, char **out,
                               size_t *len)
{
    if (out)
        *out = NULL;
    if (!r || !c || !out)
        return jql_fail(JQL_EINVALID, "jql_improvement_plans_json: NULL argument");
    if (c->nnodes != r->nnodes || strcmp(c->id, r->criteria_id) != 0)
        return jql_fail(JQL_EINVALID, "the criteria set is not the one the results were scored with");
    for (size_t n = 0; n < c->nnodes; n++)
        if (strcmp(c->nodes[n].id, r->nodeinfo[n].id) != 0)
            return jql_fail(JQL_EINVALID, "the criteria set is not the one the results were scored with");
    size_t nn = r->nnodes;
    gain *g = jql_malloc((nn + 1) * sizeof *g);
    jql_milli *pts = jql_malloc((nn + 1) * sizeof *pts);
    __int128 *acc = jql_malloc((nn + 1) * sizeof *acc);
    bool *chosen = jql_malloc(nn + 1);
    if (!g || !pts || !acc || !chosen) {
        jql_free(g);
        jql_free(pts);
        jql_free(acc);
        jql_free(chosen);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    jql_buf b;
    jql_buf_init(&b);
    jql_buf_puts(&b, "{\"format\": \"justice-quarterly/plans 1.0\"");
    jkey(&b, "criteria");
    jql_buf_json_string(&b, r->criteria_id);
    jkey(&b, "period");
    jql_buf_json_string(&b, r->period);
    jkey(&b, "units");
    jql_buf_putc(&b, '[');
    bool first = true;
    for (size_t k = 0; k < r->nunits; k++) {
        const jql_res_unit *u = &r->units[k];
        if (u->tier == 0)
            continue;
        const jql_res_node *x = &r->nodes[u->node_start];
        size_t ng = 0;
        for (size_t n = 0; n < nn; n++) {
            pts[n] = x[n].points;
            chosen[n] = false;
            if (r->nodeinfo[n].leaf && x[n].applicable && x[n].points < r->nodeinfo[n].max)
                g[ng++] = (gain){n, r->nodeinfo[n].max - x[n].points};
        }
        qsort(g, ng, sizeof *g, cmp_gain);
        jql_milli target = r->tiers[u->tier - 1].min, fin = u->v[JQL_RESULT_FIELD_FINAL];
        size_t taken = 0;
        if (u->held_back == JQL_HELD_NONE)
            while (fin < target && taken < ng) {
                pts[g[taken].node] = r->nodeinfo[g[taken].node].max;
                chosen[g[taken].node] = true;
                taken++;
                fin = final_with(r, u, pts, acc);
            }
        jql_buf_puts(&b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
        first = false;
        jql_buf_json_string(&b, u->id);
        jkey(&b, "name");
        jql_buf_json_string(&b, u->name);
        jkey(&b, "final");
        jql_buf_milli3(&b, u->v[JQL_RESULT_FIELD_FINAL]);
        jkey(&b, "tier");
        jql_buf_json_string(&b, r->tiers[u->tier].id);
        jkey(&b, "next_tier");
        jql_buf_json_string(&b, r->tiers[u->tier - 1].id);
        jkey(&b, "gap");
        jql_buf_milli3(&b, u->v[JQL_RESULT_FIELD_GAP]);
        jkey(&b, "held_back");
        const char *held = JQL_NAME_OF(jql_held_names, u->held_back);
        if (held)
            jql_buf_json_string(&b, held);
        else
            jql_buf_puts(&b, "null");
        jkey(&b, "closes_gap");
        jql_buf_puts(&b, u->held_back == JQL_HELD_NONE && fin >= target ? "true" : "false");
        jkey(&b, "final_with_plan");
        jql_buf_milli3(&b, fin);
        jkey(&b, "plan");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < taken; i++) {
            if (i)
                jql_buf_puts(&b, ", ");
            jql_buf_json_string(&b, r->nodeinfo[g[i].node].id);
        }
        jql_buf_putc(&b, ']');
        jkey(&b, "leaves");
        jql_buf_putc(&b, '[');
        for (size_t i = 0; i < ng; i++) {
            size_t n = g[i].node;
            jql_buf_puts(&b, i ? ",\n      {\"id\": " : "\n      {\"id\": ");
            jql_buf_json_string(&b, r->nodeinfo[n].id);
            jkey(&b, "title");
            jql_buf_json_string(&b, r->nodeinfo[n].title);
            jkey(&b, "points");
            jql_buf_milli3(&b, x[n].points);
            jkey(&b, "max");
            jql_buf_milli3(&b, r->nodeinfo[n].max);
            jkey(&b, "left");
            jql_buf_milli3(&b, g[i].left);
            jkey(&b, "need");
            jql_buf need;
            jql_buf_init(&need);
            need_text(&need, &c->nodes[n], &x[n]);
            jql_buf_putc(&need, '\0');
            jql_buf_json_string(&b, need.failed ? "" : need.data);
            if (need.failed)
                b.failed = true;
            jql_buf_free(&need);
            jkey(&b, "action");
            jql_buf act;
            jql_buf_init(&act);
            action_text(&act, r, &c->nodes[n], &x[n]);
            jql_buf_putc(&act, '\0');
            if (act.failed)
                b.failed = true;
            else if (act.len > 1)
                jql_buf_json_string(&b, act.data);
            else
                jql_buf_puts(&b, "null");
            jql_buf_free(&act);
            jql_buf_putc(&b, '}');
        }
        jql_buf_puts(&b, ng ? "\n    ]}" : "]}");
    }
    jql_buf_puts(&b, first ? "]}\n" : "\n  ]}\n");
    jql_free(g);
    jql_free(pts);
    jql_free(acc);
    jql_free(chosen);
    char *s = jql_buf_take(&b, len);
    if (!s)
        return jql_fail(JQL_ENOMEM, "out of memory");
    *out = s;
    return JQL_OK;
}
