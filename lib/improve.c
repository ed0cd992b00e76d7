/*
 * Improvement plans (jql_improvement_plans_compute): for each unit below
 * the top tier, the leaves with points left, what their measure would need
 * for full points, and the fewest leaves whose full points reach the next
 * tier's minimum. The object copies what it shows; its JSON
 * (jql_improvement_plans_to_json) and accessors read the same fields.
 */
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "names.h"
#include "score_internal.h"
#include "sink.h"
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
    if (f) { /* puts, not printf: this runs for every leaf of every plan */
        jql_buf_puts(b, " (");
        jql_buf_puts(b, f);
        jql_buf_putc(b, ')');
    }
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
        jql_buf_puts(b, " (band ");
        jql_buf_size(b, best + 1);
        jql_buf_putc(b, ')');
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
            total += jql_evidence_ref_kind(r->evlist[x->ev_start + i]) == want;
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
    else {
        jql_buf_putc(b, ' ');
        jql_buf_puts(b, m->indicator);
    }
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

/* The unit's tree with pts[] as the leaves' points, re-summed with the
   engine's clamps (applicable maxima, bonus, deductions kept): acc[n] the
   sum of n's applicable children, val[n] what an applicable n gives its
   parent, total the top level's sum. A plan raises one leaf after another:
   each raise is carried up the leaf's ancestors (tree_raise), where summing
   the whole tree again per leaf is leaves x nodes for each unit. */
typedef struct tree_sum {
    __int128 *acc, total;
    jql_milli *val;
} tree_sum;

static void tree_init(const jql_results *r, const jql_res_unit *u, const jql_milli *pts,
                      tree_sum *t)
{
    const jql_res_node *x = &r->nodes[u->node_start];
    size_t nn = r->nnodes;
    for (size_t n = 0; n < nn; n++)
        t->acc[n] = 0;
    t->total = 0;
    for (size_t n = nn; n-- > 0;) { /* children come after their parent */
        const jql_res_nodeinfo *ni = &r->nodeinfo[n];
        if (!x[n].applicable)
            continue;
        t->val[n] = ni->leaf ? pts[n] : clampm(t->acc[n], ni->max);
        if (ni->parent != JQL_NONE)
            t->acc[ni->parent] += t->val[n];
        else
            t->total += t->val[n];
    }
}

/* Applicable leaf n now gives v: the change carried up while it lasts. */
static void tree_raise(const jql_results *r, const jql_res_unit *u, size_t n, jql_milli v,
                       tree_sum *t)
{
    const jql_res_node *x = &r->nodes[u->node_start];
    __int128 delta = (__int128)v - t->val[n];
    t->val[n] = v;
    while (delta) {
        size_t p = r->nodeinfo[n].parent;
        if (p == JQL_NONE) {
            t->total += delta;
            return;
        }
        t->acc[p] += delta;
        if (!x[p].applicable)
            return; /* gives nothing to its own parent */
        jql_milli now = clampm(t->acc[p], r->nodeinfo[p].max);
        delta = (__int128)now - t->val[p];
        t->val[p] = now;
        n = p;
    }
}

static jql_milli final_of(const jql_results *r, const jql_res_unit *u, const tree_sum *t)
{
    jql_milli scale = r->scale, total = clampm(t->total, scale);
    jql_milli amax = u->v[JQL_RESULT_FIELD_APPLICABLE_MAX];
    jql_milli norm = amax ? jql_div_round((__int128)total * scale, amax) : 0;
    jql_milli fin = norm + u->v[JQL_RESULT_FIELD_BONUS] - u->v[JQL_RESULT_FIELD_DEDUCTIONS];
    if (fin < 0)
        fin = 0;
    if (!r->allow_above_scale && fin > scale)
        fin = scale;
    return fin;
}

/* One leaf of a plan and one unit's plan, as the object keeps them (its
   own copies) and as the streaming writer sees one unit at a time
   (strings borrowed from the results and from the unit's scratch). */
typedef struct {
    const char *id, *title, *need, *action; /* action: NULL when there is none */
    jql_milli points, max, left;
} plan_leaf;

typedef struct {
    const char *id, *name, *tier, *next_tier;
    const char *held; /* static name, NULL: not held back */
    jql_milli final, gap, final_with_plan;
    bool closes_gap;
    size_t leaf_start, nleaves, nsteps; /* the steps are the first nsteps leaves */
} plan_unit;

struct jql_improvement_plans {
    char *criteria, *period;
    char as_of[11]; /* the results' as-of date, "" for none */
    plan_unit *units;
    size_t nunits;
    plan_leaf *leaves;
    size_t nleaves, leaves_cap;
};

/* ---- one unit's plan ---- */

/* What one unit's plan needs, allocated once for the criteria's nodes and
   reused unit after unit, so that plans cost O(one unit) whatever the
   number of units. */
typedef struct {
    gain *g;
    jql_milli *pts;
    tree_sum tree;
    plan_leaf *leaves; /* the unit's leaves (leaf_start 0) */
    size_t *text_at;   /* need and action of leaf i: offsets in text, SIZE_MAX none */
    jql_buf text;      /* the unit's need and action texts, NUL-separated */
    plan_unit unit;
} plan_scratch;

static void scratch_free(plan_scratch *s)
{
    jql_free(s->g);
    jql_free(s->pts);
    jql_free(s->tree.acc);
    jql_free(s->tree.val);
    jql_free(s->leaves);
    jql_free(s->text_at);
    jql_buf_free(&s->text);
}

static bool scratch_init(plan_scratch *s, size_t nn)
{
    memset(s, 0, sizeof *s);
    jql_buf_init(&s->text);
    s->g = jql_malloc((nn + 1) * sizeof *s->g);
    s->pts = jql_malloc((nn + 1) * sizeof *s->pts);
    s->tree.acc = jql_malloc((nn + 1) * sizeof *s->tree.acc);
    s->tree.val = jql_malloc((nn + 1) * sizeof *s->tree.val);
    s->leaves = jql_malloc((nn + 1) * sizeof *s->leaves);
    s->text_at = jql_malloc((2 * nn + 1) * sizeof *s->text_at);
    if (s->g && s->pts && s->tree.acc && s->tree.val && s->leaves && s->text_at)
        return true;
    scratch_free(s);
    return false;
}

/* Leaf i's need and action texts into the unit's text buffer; their
   offsets are turned into pointers once the unit is done (the buffer may
   move while it grows). */
static void leaf_texts(const jql_results *r, const jql_criteria *c, const jql_res_node *x,
                       size_t n, plan_scratch *s, size_t i)
{
    jql_buf *b = &s->text;
    s->text_at[2 * i] = b->len;
    need_text(b, &c->nodes[n], &x[n]);
    jql_buf_putc(b, '\0');
    size_t action = b->len;
    action_text(b, r, &c->nodes[n], &x[n]);
    if (b->len == action) /* nothing to say */
        s->text_at[2 * i + 1] = SIZE_MAX;
    else {
        s->text_at[2 * i + 1] = action;
        jql_buf_putc(b, '\0');
    }
}

/* The plan of result unit @p u (below the top tier) into s->unit and
   s->leaves; false when out of memory. */
static bool plan_one(const jql_results *r, const jql_criteria *c, const jql_res_unit *u,
                     plan_scratch *s)
{
    const jql_res_node *x = &r->nodes[u->node_start];
    size_t nn = r->nnodes, ng = 0;
    for (size_t n = 0; n < nn; n++) {
        s->pts[n] = x[n].points;
        if (r->nodeinfo[n].leaf && x[n].applicable && x[n].points < r->nodeinfo[n].max)
            s->g[ng++] = (gain){n, r->nodeinfo[n].max - x[n].points};
    }
    qsort(s->g, ng, sizeof *s->g, cmp_gain);
    jql_milli target = r->tiers[u->tier - 1].min, fin = u->v[JQL_RESULT_FIELD_FINAL];
    size_t taken = 0;
    if (u->held_back == JQL_HELD_NONE && fin < target && ng)
        tree_init(r, u, s->pts, &s->tree);
    if (u->held_back == JQL_HELD_NONE)
        while (fin < target && taken < ng) {
            size_t leaf = s->g[taken++].node;
            tree_raise(r, u, leaf, r->nodeinfo[leaf].max, &s->tree);
            fin = final_of(r, u, &s->tree);
        }
    s->unit = (plan_unit){
        .id = u->id,
        .name = u->name,
        .tier = r->tiers[u->tier].id,
        .next_tier = r->tiers[u->tier - 1].id,
        .held = JQL_NAME_OF(jql_held_names, u->held_back),
        .final = u->v[JQL_RESULT_FIELD_FINAL],
        .gap = u->v[JQL_RESULT_FIELD_GAP],
        .closes_gap = u->held_back == JQL_HELD_NONE && fin >= target,
        .final_with_plan = fin,
        .nleaves = ng,
        .nsteps = taken,
    };
    s->text.len = 0;
    for (size_t i = 0; i < ng; i++) {
        size_t n = s->g[i].node;
        s->leaves[i] = (plan_leaf){.id = r->nodeinfo[n].id, .title = r->nodeinfo[n].title,
                                   .points = x[n].points, .max = r->nodeinfo[n].max,
                                   .left = s->g[i].left};
        leaf_texts(r, c, x, n, s, i);
    }
    if (s->text.failed)
        return false;
    for (size_t i = 0; i < ng; i++) {
        size_t need = s->text_at[2 * i], action = s->text_at[2 * i + 1];
        s->leaves[i].need = s->text.data + need;
        s->leaves[i].action = action == SIZE_MAX ? NULL : s->text.data + action;
    }
    return true;
}

static int same_set(const jql_results *r, const jql_criteria *c)
{
    if (c->nnodes != r->nnodes || strcmp(c->id, r->criteria_id) != 0)
        return 0;
    for (size_t n = 0; n < c->nnodes; n++)
        if (strcmp(c->nodes[n].id, r->nodeinfo[n].id) != 0)
            return 0;
    return 1;
}

/* Every planned unit lists its leaves with their titles: 300 units on 150
   leaves titled 54 KB each (an 8 MB sheet) made 2.5 GB of plans. Refused
   when the titles alone would pass JQL_MAX_PLANS_TEXT (an estimate from
   above: every leaf of every unit below the top tier). */
static int check_title_text(const jql_results *r, const jql_criteria *c)
{
    size_t planned = 0, text = 0;
    for (size_t k = 0; k < r->nunits; k++)
        planned += r->units[k].tier != 0;
    for (size_t n = 0; n < r->nnodes; n++)
        if (jql_criteria_node_is_leaf(c, n))
            text += strlen(r->nodeinfo[n].title);
    if (text && planned > JQL_MAX_PLANS_TEXT / text)
        return jql_fail(JQL_ELIMIT,
                        "improvement plans: %zu units to plan x %zu bytes of leaf titles would be "
                        "more than %u bytes of plans (docs/ANALYSIS.md, \"Limits\"): plan fewer "
                        "units or shorten the titles", planned, text, JQL_MAX_PLANS_TEXT);
    return JQL_OK;
}

/* The checks every entry point makes before anything is computed or
   written (@p fn names it in the message for a NULL argument). */
static int check_inputs(const jql_results *r, const jql_criteria *c, bool others_ok,
                        const char *fn)
{
    if (!r || !c || !others_ok)
        return jql_fail(JQL_EINVALID, "%s: NULL argument", fn);
    if (!same_set(r, c))
        return jql_fail(JQL_EINVALID, "the criteria set is not the one the results were scored with");
    if (r->no_evidence) /* "complete 2 more of 5 tasks" counts the evidence */
        return jql_fail(JQL_EINVALID, "improvement plans need results scored with evidence "
                                      "(not JQL_SCORE_NO_EVIDENCE)");
    return check_title_text(r, c);
}

/* ---- the plans as an object ---- */

static void free_str(const char *s) { jql_free((char *)s); } /* the object's own copies */

void jql_improvement_plans_free(jql_improvement_plans *p)
{
    if (!p)
        return;
    for (size_t k = 0; p->units && k < p->nunits; k++) {
        plan_unit *u = &p->units[k];
        free_str(u->id);
        free_str(u->name);
        free_str(u->tier);
        free_str(u->next_tier);
    }
    for (size_t i = 0; i < p->nleaves; i++) {
        plan_leaf *l = &p->leaves[i];
        free_str(l->id);
        free_str(l->title);
        free_str(l->need);
        free_str(l->action);
    }
    jql_free(p->units);
    jql_free(p->leaves);
    jql_free(p->criteria);
    jql_free(p->period);
    jql_free(p);
}

static char *dup_or(const char *s, bool *oom)
{
    char *d = s ? jql_strdup(s) : NULL;
    if (s && !d)
        *oom = true;
    return d;
}

/* Copy the unit the scratch holds into the object; false when out of memory. */
static bool keep_unit(jql_improvement_plans *p, const plan_scratch *s)
{
    const plan_unit *su = &s->unit;
    if (jql_vec_grow((void **)&p->leaves, &p->leaves_cap, p->nleaves + su->nleaves + 1,
                     sizeof *p->leaves))
        return false;
    bool oom = false;
    plan_unit *pu = &p->units[p->nunits++];
    *pu = *su;
    pu->id = dup_or(su->id, &oom);
    pu->name = dup_or(su->name, &oom);
    pu->tier = dup_or(su->tier, &oom);
    pu->next_tier = dup_or(su->next_tier, &oom);
    pu->leaf_start = p->nleaves;
    for (size_t i = 0; i < su->nleaves; i++) {
        const plan_leaf *sl = &s->leaves[i];
        plan_leaf *l = &p->leaves[p->nleaves++];
        *l = *sl;
        l->id = dup_or(sl->id, &oom);
        l->title = dup_or(sl->title, &oom);
        l->need = dup_or(sl->need, &oom);
        l->action = dup_or(sl->action, &oom);
    }
    return !oom;
}

int jql_improvement_plans_compute(const jql_results *r, const jql_criteria *c,
                                  jql_improvement_plans **out)
{
    if (out)
        *out = NULL;
    int rc = check_inputs(r, c, out != NULL, "jql_improvement_plans_compute");
    if (rc)
        return rc;
    plan_scratch s;
    bool have_scratch = scratch_init(&s, r->nnodes);
    jql_improvement_plans *p = jql_calloc(1, sizeof *p);
    bool oom = !have_scratch || !p;
    if (p) {
        p->criteria = dup_or(r->criteria_id, &oom);
        p->period = dup_or(r->period, &oom);
        memcpy(p->as_of, r->as_of, sizeof p->as_of);
        p->units = jql_calloc(r->nunits + 1, sizeof *p->units);
        oom = oom || !p->units;
    }
    for (size_t k = 0; !oom && k < r->nunits; k++)
        if (r->units[k].tier != 0)
            oom = !plan_one(r, c, &r->units[k], &s) || !keep_unit(p, &s);
    if (have_scratch)
        scratch_free(&s);
    if (oom) {
        jql_improvement_plans_free(p);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    *out = p;
    return JQL_OK;
}

/* ---- accessors ---- */

static const plan_unit *pu_at(const jql_improvement_plans *p, size_t k)
{
    return p && k < p->nunits ? &p->units[k] : NULL;
}

static const plan_leaf *pl_at(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_unit *u = pu_at(p, k);
    return u && i < u->nleaves ? &p->leaves[u->leaf_start + i] : NULL;
}

const char *jql_improvement_plans_criteria(const jql_improvement_plans *p)
{
    return p ? p->criteria : NULL;
}
const char *jql_improvement_plans_period(const jql_improvement_plans *p)
{
    return p ? p->period : NULL;
}
const char *jql_improvement_plans_as_of(const jql_improvement_plans *p)
{
    return p && p->as_of[0] ? p->as_of : NULL;
}
size_t jql_improvement_plans_unit_count(const jql_improvement_plans *p)
{
    return p ? p->nunits : 0;
}
const char *jql_improvement_plans_unit_id(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->id : NULL;
}
const char *jql_improvement_plans_unit_name(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->name : NULL;
}
jql_milli jql_improvement_plans_unit_final(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->final : JQL_NO_SCORE;
}
const char *jql_improvement_plans_unit_tier(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->tier : NULL;
}
const char *jql_improvement_plans_unit_next_tier(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->next_tier : NULL;
}
jql_milli jql_improvement_plans_unit_gap(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->gap : JQL_NO_SCORE;
}
const char *jql_improvement_plans_unit_held_back(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->held : NULL;
}
bool jql_improvement_plans_unit_closes_gap(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u && u->closes_gap;
}
jql_milli jql_improvement_plans_unit_final_with_plan(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->final_with_plan : JQL_NO_SCORE;
}
size_t jql_improvement_plans_step_count(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->nsteps : 0;
}
const char *jql_improvement_plans_step_id(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_unit *u = pu_at(p, k);
    return u && i < u->nsteps ? p->leaves[u->leaf_start + i].id : NULL;
}
size_t jql_improvement_plans_leaf_count(const jql_improvement_plans *p, size_t k)
{
    const plan_unit *u = pu_at(p, k);
    return u ? u->nleaves : 0;
}
const char *jql_improvement_plans_leaf_id(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->id : NULL;
}
const char *jql_improvement_plans_leaf_title(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->title : NULL;
}
jql_milli jql_improvement_plans_leaf_points(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->points : JQL_NO_SCORE;
}
jql_milli jql_improvement_plans_leaf_max(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->max : JQL_NO_SCORE;
}
jql_milli jql_improvement_plans_leaf_left(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->left : JQL_NO_SCORE;
}
const char *jql_improvement_plans_leaf_need(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->need : NULL;
}
const char *jql_improvement_plans_leaf_action(const jql_improvement_plans *p, size_t k, size_t i)
{
    const plan_leaf *l = pl_at(p, k, i);
    return l ? l->action : NULL;
}

/* ---- JSON: one writer for the object and for the stream ---- */

/* ", KEY: " for a key written as a literal (plain ASCII: nothing to
   escape), in one append: the keys are most of a leaf's calls. */
#define jkey(b, k) jql_buf_puts((b), ", \"" k "\": ")

static void str_or_null(jql_buf *b, const char *s)
{
    if (s)
        jql_buf_json_string(b, s);
    else
        jql_buf_puts(b, "null");
}

/* as_of: "" when the results were scored without one (no member) */
static void doc_head(jql_buf *b, const char *criteria, const char *period, const char *as_of)
{
    jql_buf_puts(b, "{\"format\": \"" JQL_PLANS_FORMAT "\"");
    jkey(b, "criteria");
    jql_buf_json_string(b, criteria);
    jkey(b, "period");
    jql_buf_json_string(b, period);
    if (as_of[0]) {
        jkey(b, "as_of");
        jql_buf_json_string(b, as_of);
    }
    jkey(b, "units");
    jql_buf_putc(b, '[');
}

static void doc_tail(jql_buf *b, size_t nunits)
{
    jql_buf_puts(b, nunits ? "\n  ]}\n" : "]}\n");
}

static void leaf_json(jql_buf *b, const plan_leaf *l, bool first)
{
    jql_buf_puts(b, first ? "\n      {\"id\": " : ",\n      {\"id\": ");
    jql_buf_json_string(b, l->id);
    jkey(b, "title");
    jql_buf_json_string(b, l->title);
    jkey(b, "points");
    jql_buf_milli3(b, l->points);
    jkey(b, "max");
    jql_buf_milli3(b, l->max);
    jkey(b, "left");
    jql_buf_milli3(b, l->left);
    jkey(b, "need");
    jql_buf_json_string(b, l->need);
    jkey(b, "action");
    str_or_null(b, l->action);
    jql_buf_putc(b, '}');
}

/* Unit @p u with its leaves (leaves[0] is its first). */
static void unit_json(jql_sink *w, const plan_unit *u, const plan_leaf *leaves, bool first)
{
    jql_buf *b = &w->b;
    jql_buf_puts(b, first ? "\n    {\"id\": " : ",\n    {\"id\": ");
    jql_buf_json_string(b, u->id);
    jkey(b, "name");
    jql_buf_json_string(b, u->name);
    jkey(b, "final");
    jql_buf_milli3(b, u->final);
    jkey(b, "tier");
    jql_buf_json_string(b, u->tier);
    jkey(b, "next_tier");
    jql_buf_json_string(b, u->next_tier);
    jkey(b, "gap");
    jql_buf_milli3(b, u->gap);
    jkey(b, "held_back");
    str_or_null(b, u->held);
    jkey(b, "closes_gap");
    jql_buf_puts(b, u->closes_gap ? "true" : "false");
    jkey(b, "final_with_plan");
    jql_buf_milli3(b, u->final_with_plan);
    jkey(b, "plan");
    jql_buf_putc(b, '[');
    for (size_t i = 0; i < u->nsteps && !w->sink_failed; i++) {
        if (i)
            jql_buf_puts(b, ", ");
        jql_buf_json_string(b, leaves[i].id);
        jql_sink_flush_full(w);
    }
    jql_buf_putc(b, ']');
    jkey(b, "leaves");
    jql_buf_putc(b, '[');
    for (size_t i = 0; i < u->nleaves && !w->sink_failed; i++) {
        leaf_json(b, &leaves[i], i == 0);
        jql_sink_flush_full(w);
    }
    jql_buf_puts(b, u->nleaves ? "\n    ]}" : "]}");
}

static int object_write(const jql_improvement_plans *p, jql_write_fn fn, void *user)
{
    jql_sink w;
    jql_sink_init(&w, fn, user);
    doc_head(&w.b, p->criteria, p->period, p->as_of);
    for (size_t k = 0; k < p->nunits && jql_sink_ok(&w); k++)
        unit_json(&w, &p->units[k], &p->leaves[p->units[k].leaf_start], k == 0);
    doc_tail(&w.b, p->nunits);
    return jql_sink_end(&w, "the improvement plans");
}

int jql_improvement_plans_to_json(const jql_improvement_plans *p, char **out, size_t *len)
{
    if (out)
        *out = NULL;
    if (!p || !out)
        return jql_fail(JQL_EINVALID, "jql_improvement_plans_to_json: NULL argument");
    jql_buf all;
    jql_buf_init(&all);
    return jql_sink_take_text(object_write(p, jql_sink_to_buf, &all), &all, out, len);
}

/* The stream once the inputs are checked: a unit's plan is computed,
   written and forgotten before the next. */
static int stream_write(const jql_results *r, const jql_criteria *c, jql_write_fn fn,
                        void *user)
{
    plan_scratch s;
    if (!scratch_init(&s, r->nnodes))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_sink w;
    jql_sink_init(&w, fn, user);
    doc_head(&w.b, r->criteria_id, r->period, r->as_of);
    size_t written = 0;
    for (size_t k = 0; k < r->nunits && jql_sink_ok(&w); k++) {
        if (r->units[k].tier == 0)
            continue;
        if (!plan_one(r, c, &r->units[k], &s)) {
            w.b.failed = true; /* out of memory, as the buffer's own failures */
            break;
        }
        unit_json(&w, &s.unit, s.leaves, written++ == 0);
        jql_sink_flush_full(&w);
    }
    doc_tail(&w.b, written);
    scratch_free(&s);
    return jql_sink_end(&w, "the improvement plans");
}

int jql_improvement_plans_write_cb(const jql_results *r, const jql_criteria *c,
                                   jql_write_fn fn, void *user)
{
    int rc = check_inputs(r, c, fn != NULL, "jql_improvement_plans_write");
    return rc ? rc : stream_write(r, c, fn, user);
}

int jql_improvement_plans_write(const jql_results *r, const jql_criteria *c, FILE *fp)
{
    int rc = check_inputs(r, c, fp != NULL, "jql_improvement_plans_write");
    return rc ? rc : stream_write(r, c, jql_sink_to_file, fp);
}

int jql_improvement_plans_json(const jql_results *r, const jql_criteria *c, char **out,
                               size_t *len)
{
    if (out)
        *out = NULL;
    int rc = check_inputs(r, c, out != NULL, "jql_improvement_plans_json");
    if (rc)
        return rc;
    jql_buf all;
    jql_buf_init(&all);
    return jql_sink_take_text(stream_write(r, c, jql_sink_to_buf, &all), &all, out, len);
}
