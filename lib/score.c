/*
 * jql_score(): applies a criteria set to a dataset (docs/SCORING.md).
 *
 * For each scored unit: every leaf (not applicable, manual, custom or
 * computed through the query layer), the tree sums bottom-up, applicable
 * maximum and normalized score, bonus and deductions, the final score, its
 * tier, the vetoes and the tie-breaker keys. Ranking, quotas, clusters and
 * gaps follow in score_rank.c. All arithmetic is in integer thousandths.
 */
#include <stdlib.h>
#include <string.h>

#include "custom_internal.h"
#include "score_internal.h"

static jql_milli clamp(jql_milli v, jql_milli max)
{
    return v < 0 ? 0 : v > max ? max : v;
}

static jql_milli clamp128(__int128 v, jql_milli max)
{
    return v < 0 ? 0 : v > max ? max : (jql_milli)v;
}

static bool in_list(char **list, size_t n, const char *s)
{
    if (!s)
        return false;
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], s) == 0)
            return true;
    return false;
}

static int put_all(jql_strmap *set, char **list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jql_strmap_put(set, list[i], i))
            return JQL_ENOMEM;
    return 0;
}

/* Lists up to this long are searched in order; longer ones through the
   hash sets jql_score_ctx_init() builds (ctx->na_sets). */
#define JQL_NA_LINEAR 8

static bool in_rule_list(char **list, size_t n, const jql_strmap *set, const char *s)
{
    if (!s)
        return false;
    if (n > JQL_NA_LINEAR)
        return jql_strmap_get(set, s, NULL) == JQL_OK;
    return in_list(list, n, s);
}

/* Does node n's not_applicable_if rule exclude unit u? */
static bool na_rule_matches(const jql_score_ctx *ctx, size_t n, size_t u)
{
    const jql_node *node = &ctx->c->nodes[n];
    if (node->disabled) /* "enabled": false excludes every unit */
        return true;
    if (!node->has_na_rule)
        return false;
    const jql_na_rule *rule = &node->na_rule;
    const jql_unit_rec *unit = &ctx->ds->units.items[u];
    const struct jql_na_sets *sets =
        ctx->na_set_of[n] == JQL_NONE ? NULL : &ctx->na_sets[ctx->na_set_of[n]];
    if (in_rule_list(rule->levels, rule->nlevels, sets ? &sets->levels : NULL, unit->level))
        return true;
    if (rule->attr_key) {
        const char *v = jql_unit_attr_lookup(ctx->ds, u, rule->attr_key);
        if (in_rule_list(rule->attr_values, rule->nattr_values, sets ? &sets->values : NULL, v))
            return true;
    }
    return false;
}

/* The node an assessment's criterion names: the dataset pools criterion
   strings, so a direct-mapped cache on the string's address makes the
   look-up one comparison after the first. */
static bool criterion_node(jql_score_ctx *ctx, const char *criterion, size_t *n)
{
    uintptr_t h = (uintptr_t)criterion * UINT64_C(0x9E3779B97F4A7C15);
    size_t slot = (size_t)(h >> 58) % JQL_IND_CACHE;
    if (criterion && ctx->crit_cache[slot].key == criterion) {
        *n = ctx->crit_cache[slot].node;
        return *n != JQL_NONE;
    }
    if (jql_criteria_node_index(ctx->c, criterion, n) != JQL_OK)
        *n = JQL_NONE;
    ctx->crit_cache[slot].key = criterion;
    ctx->crit_cache[slot].node = *n;
    return *n != JQL_NONE;
}

/* Assessment idx of the unit, for its node if it lies in the range: the
   exact period's wins, else the one ending last (ties: the later start). */
static void note_assessment(jql_score_ctx *ctx, size_t idx)
{
    const jql_dataset *ds = ctx->ds;
    size_t n;
    const jql_assessment_rec *a = &ds->assessments.items[idx];
    if (!criterion_node(ctx, a->criterion, &n) || n >= ctx->c->nnodes ||
        !jql_range_within(a->range, ctx->range))
        return;
    bool exact = a->range.start == ctx->range.start && a->range.end == ctx->range.end;
    if (ctx->stamp[n] == ctx->seq) {
        const jql_assessment_rec *b = &ds->assessments.items[ctx->asmt[n]];
        bool b_exact = b->range.start == ctx->range.start && b->range.end == ctx->range.end;
        if (b_exact)
            return;
        if (!exact && !(a->range.end > b->range.end ||
                        (a->range.end == b->range.end && a->range.start > b->range.start)))
            return;
    }
    ctx->stamp[n] = ctx->seq;
    ctx->asmt[n] = idx;
}

/* Find, for unit u, the assessment of every node it names, in one pass over
   the unit's own assessments with jql_q_assessment()'s rule (the period
   equal to the scored range, first inserted; else the one inside it ending
   last, then starting last, then first inserted). A per-node query would
   rescan the list for every node: quadratic with hundreds of manual leaves.
   Only the blocks of the list that reach into the range (model.h). */
static int find_assessments(jql_score_ctx *ctx, size_t u)
{
    const jql_criteria *c = ctx->c;
    const jql_dataset *ds = ctx->ds;
    const jql_unit_index *x = &ds->by_unit[u];
    const jql_sizevec *as = &x->assessments;
    ctx->seq++;
    for (size_t i = 0; i < c->nnodes; i++)
        ctx->asmt[i] = JQL_NONE;
    jql_date lo = ctx->range.start, hi = ctx->range.end;
    for (JQL_DATED_BLOCKS(at, &x->assessments_at, as->len, lo, hi))
        for (size_t i = at, end = jql_dates_block_end(at, as->len); i < end; i++)
            note_assessment(ctx, as->items[i]);
    return 0;
}

/* A rule text that never varies (a string literal): interned once per
   scoring and found again by its address, without copying or hashing it.
   Left for jql_rule_take() in ctx->rule_ready; written out by
   jql_rule_materialize() if something is appended after it. */
static void rule_const(jql_score_ctx *ctx, const char *text)
{
    if (ctx->rule.len || ctx->rule_ready || ctx->rule_deferred) {
        jql_buf_puts(&ctx->rule, text);
        return;
    }
    for (size_t i = 0; i < ctx->nconst_rules; i++)
        if (ctx->const_rules[i].key == text) {
            ctx->rule_ready = ctx->const_rules[i].s;
            return;
        }
    const char *s = jql_results_intern(ctx->r, text);
    if (!s) { /* out of memory: the text goes the usual way, and fails there */
        jql_buf_puts(&ctx->rule, text);
        return;
    }
    if (ctx->nconst_rules < JQL_CONST_RULES) {
        ctx->const_rules[ctx->nconst_rules].key = text;
        ctx->const_rules[ctx->nconst_rules++].s = s;
    }
    ctx->rule_ready = s;
}

static int set_rule(jql_score_ctx *ctx, jql_res_node *x, const char *text)
{
    rule_const(ctx, text);
    return jql_rule_take(ctx, &x->rule);
}

/* The leaf's `missing` rule when there is no data. */
static void apply_missing(jql_score_ctx *ctx, const jql_node *node, jql_res_node *x)
{
    x->source = JQL_SRC_MISSING;
    x->no_data = true;
    switch (node->missing) {
    case JQL_MISSING_FULL:
        x->points = node->max;
        rule_const(ctx, "missing: full");
        break;
    case JQL_MISSING_NOT_APPLICABLE:
        x->points = 0;
        x->applicable = false;
        rule_const(ctx, "missing: not_applicable");
        break;
    default:
        x->points = 0;
        rule_const(ctx, "missing: zero");
        break;
    }
}

/* Leaf n of dataset unit u, the k-th scored unit. */
static int score_leaf(jql_score_ctx *ctx, size_t u, size_t k, size_t n, jql_res_node *x)
{
    const jql_dataset *ds = ctx->ds;
    const jql_node *node = &ctx->c->nodes[n];
    size_t a = ctx->asmt[n];
    const jql_assessment_rec *as = a != JQL_NONE ? &ds->assessments.items[a] : NULL;
    int rc = 0;
    x->applicable = true;
    if (as) {
        x->self = as->self;
        x->appraised = as->appraised;
    }
    if (node->method.kind == JQL_METHOD_MANUAL) {
        if (as && as->appraised != JQL_NO_SCORE) {
            x->source = JQL_SRC_MANUAL;
            x->points = clamp(as->appraised, node->max);
            rule_const(ctx, "appraised");
        } else if (as && as->self != JQL_NO_SCORE) {
            x->source = JQL_SRC_MANUAL;
            x->points = clamp(as->self, node->max);
            x->unappraised = true;
            rule_const(ctx, "self-assessed (unappraised)");
        } else {
            apply_missing(ctx, node, x);
        }
    } else if (node->method.kind == JQL_METHOD_CUSTOM) {
        rc = jql_custom_call(ctx, u, n, x);
    } else {
        jql_mval v;
        x->ev_start = ctx->r->nevlist;
        if (ctx->leaf_val && ctx->leaf_val[n] && k < ctx->leaf_pre[n]) {
            v = ctx->leaf_val[n][k]; /* measured before scoring, no evidence */
            ctx->ev_at = JQL_NONE;
            ctx->ev_pinned = false;
        } else if ((rc = jql_measure_eval_shared(ctx, u, &node->measure, ctx->share[n], &v,
                                                 ctx->evidence, &x->ev_count))) {
            return rc;
        }
        if (ctx->ev_at != JQL_NONE)
            x->ev_start = ctx->ev_at;
        if (v.no_data) {
            apply_missing(ctx, node, x);
        } else {
            x->source = JQL_SRC_COMPUTED;
            x->never = v.never;
            x->has_value = !v.never;
            x->value = v.value;
            /* the text may wait for a reader unless an override follows */
            ctx->rule_defer_ok = !(as && as->appraised != JQL_NO_SCORE);
            x->points = jql_method_apply(ctx, &node->method, node->max, &v);
            x->rule_lazy = ctx->rule_deferred;
        }
    }
    if (rc)
        return rc;
    /* An explicit appraised score overrides a computed (or custom) one. */
    if (node->method.kind != JQL_METHOD_MANUAL && as && as->appraised != JQL_NO_SCORE) {
        jql_rule_materialize(ctx);
        jql_buf_puts(&ctx->rule, "; appraised ");
        jql_buf_milli(&ctx->rule, as->appraised);
        jql_buf_puts(&ctx->rule, " overrides");
        x->points = clamp(as->appraised, node->max);
        x->source = JQL_SRC_MANUAL;
        x->applicable = true;
    }
    if (as && ctx->evidence) {
        if (!x->ev_count)
            x->ev_start = ctx->r->nevlist;
        else if ((rc = jql_evidence_detach(ctx, &x->ev_start, x->ev_count)))
            return rc;
        if ((rc = jql_evidence_add_one(ctx, JQL_EV_ASSESSMENT, a, &x->ev_count)))
            return rc;
    }
    if (x->applicable && as && as->self != JQL_NO_SCORE)
        x->self_differs = clamp(as->self, node->max) != x->points;
    return jql_rule_take(ctx, &x->rule);
}

/* Not applicable: by the criteria's rule or a dataset assessment, on the
   node or an ancestor (pre-order: the parent is decided first). */
/* Whether anything can make a node of unit u not applicable: a rule of
   the criteria that matches u, or an assessment of u declaring a node not
   applicable (any of them: which one counts is decided per node). Most
   units have neither, and then no node needs looking at. */
static bool any_not_applicable(const jql_score_ctx *ctx, size_t u)
{
    for (size_t k = 0; k < ctx->nna_nodes; k++)
        if (na_rule_matches(ctx, ctx->na_nodes[k], u))
            return true;
    /* only those inside the range can count (find_assessments) */
    const jql_unit_index *x = &ctx->ds->by_unit[u];
    const jql_sizevec *as = &x->assessments;
    jql_range r = ctx->range;
    for (JQL_DATED_BLOCKS(at, &x->assessments_at, as->len, r.start, r.end))
        for (size_t i = at, end = jql_dates_block_end(at, as->len); i < end; i++) {
            const jql_assessment_rec *a = &ctx->ds->assessments.items[as->items[i]];
            if (a->not_applicable && jql_range_within(a->range, r))
                return true;
        }
    return false;
}

static int mark_not_applicable(jql_score_ctx *ctx, size_t u, jql_res_node *nodes)
{
    const jql_criteria *c = ctx->c;
    if (!any_not_applicable(ctx, u)) {
        memset(ctx->na, 0, c->nnodes * sizeof *ctx->na);
        return 0;
    }
    for (size_t n = 0; n < c->nnodes; n++) {
        const jql_node *node = &c->nodes[n];
        size_t a = ctx->asmt[n];
        bool by_parent = node->parent != JQL_NONE && ctx->na[node->parent];
        bool by_rule = na_rule_matches(ctx, n, u);
        bool by_asmt = a != JQL_NONE && ctx->ds->assessments.items[a].not_applicable;
        ctx->na[n] = by_parent || by_rule || by_asmt;
        if (!ctx->na[n])
            continue;
        jql_res_node *x = &nodes[n];
        x->source = JQL_SRC_NOT_APPLICABLE;
        x->applicable = false;
        x->ev_start = ctx->r->nevlist;
        if (by_asmt && ctx->evidence) {
            int rc = jql_evidence_add_one(ctx, JQL_EV_ASSESSMENT, a, &x->ev_count);
            if (rc)
                return rc;
        }
        int rc = set_rule(ctx, x,
                          by_parent ? "not applicable: parent not applicable"
                          : by_rule ? "not applicable: not_applicable_if"
                                    : "not applicable: assessment");
        if (rc)
            return rc;
    }
    return 0;
}

/* Sum the tree bottom-up: in reverse pre-order a node comes after all its
   descendants, so its children have added their points, applicable maxima
   and self points to its sums when it is reached; it then adds its own to
   its parent's (the roots' to the unit's). 128 bits: 10,000 children at
   JQL_MILLI_MAX overflow 64; the sums are clamped to the node's max. */
static void sum_tree(jql_score_ctx *ctx, jql_res_node *nodes, jql_res_unit *ru)
{
    const jql_criteria *c = ctx->c;
    struct jql_tree_sum top = {0};
    for (size_t i = c->nnodes; i-- > 0;) {
        const struct jql_tree_node *t = &ctx->tree[i];
        jql_res_node *x = &nodes[i];
        jql_milli amax, self;
        if (t->leaf) {
            amax = x->applicable ? t->max : 0;
            self = !x->applicable ? 0
                   : x->self != JQL_NO_SCORE ? clamp(x->self, t->max)
                                             : x->points;
        } else {
            struct jql_tree_sum *s = &ctx->sums[i];
            x->applicable = s->any && !ctx->na[i];
            x->points = x->applicable ? clamp128(s->points, t->max) : 0;
            amax = x->applicable ? clamp128(s->amax, t->max) : 0;
            self = x->applicable ? clamp128(s->self, t->max) : 0;
            if (!ctx->na[i])
                x->source = x->applicable ? JQL_SRC_SUM : JQL_SRC_NOT_APPLICABLE;
            *s = (struct jql_tree_sum){0}; /* ready for the next unit */
        }
        if (!x->applicable)
            continue;
        struct jql_tree_sum *to = t->parent == JQL_NONE ? &top : &ctx->sums[t->parent];
        to->any = true;
        to->points += x->points;
        to->amax += amax;
        to->self += self;
    }
    ru->v[JQL_RESULT_FIELD_TOTAL] = clamp128(top.points, c->scale);
    ru->v[JQL_RESULT_FIELD_APPLICABLE_MAX] = clamp128(top.amax, c->scale);
    ru->v[JQL_RESULT_FIELD_SELF_TOTAL] = clamp128(top.self, c->scale);
    ru->v[JQL_RESULT_FIELD_NORMALIZED] =
        ru->v[JQL_RESULT_FIELD_APPLICABLE_MAX] == 0
            ? 0
            : jql_div_round((__int128)ru->v[JQL_RESULT_FIELD_TOTAL] * c->scale,
                            ru->v[JQL_RESULT_FIELD_APPLICABLE_MAX]);
}

/* Vetoes and bonus or deduction items on event kinds: from EK_MIN of them,
   a unit's events are counted by kind in one pass, and a kind it has no
   event of is not queried (each query hashes the kind, then halves the
   unit's kind index: 5,000 vetoes and 2,000 items on distinct kinds of
   2,000 units made 14 million queries a scoring, 2.5 s, and --periods
   repeats them for each period). The counts are the queries' own. */
#define EK_MIN 32

static int plan_event_kinds(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    size_t ni = c->nbonus + c->ndeductions, want = 0;
    ctx->ek_unit = JQL_NONE;
    for (size_t i = 0; i < c->nvetoes; i++)
        want += c->vetoes[i].on_event && ctx->veto_first[i] == i;
    for (size_t i = 0; i < ni; i++)
        want += (i < c->nbonus ? &c->bonus[i] : &c->deductions[i - c->nbonus])->kind ==
                JQL_ITEM_EVENTS;
    if (want < EK_MIN)
        return 0;
    size_t cap = 64;
    while (cap < 2 * want)
        cap *= 2;
    ctx->ek.cap = cap;
    ctx->ek.kind = jql_calloc(cap, sizeof *ctx->ek.kind);
    ctx->ek.n = jql_calloc(cap, sizeof *ctx->ek.n);
    ctx->ek.touched = jql_malloc(cap * sizeof *ctx->ek.touched);
    ctx->ek_slot = jql_malloc((c->nvetoes + ni) * sizeof *ctx->ek_slot);
    if (!ctx->ek.kind || !ctx->ek.n || !ctx->ek.touched || !ctx->ek_slot)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->nvetoes; i++)
        ctx->ek_slot[i] = c->vetoes[i].on_event
                              ? jql_event_kinds_add(ctx->ds, &ctx->ek, c->vetoes[i].event_kind)
                              : JQL_NONE;
    for (size_t i = 0; i < ni; i++) {
        const jql_item *it = i < c->nbonus ? &c->bonus[i] : &c->deductions[i - c->nbonus];
        ctx->ek_slot[c->nvetoes + i] = it->kind == JQL_ITEM_EVENTS
                                           ? jql_event_kinds_add(ctx->ds, &ctx->ek, it->event_kind)
                                           : JQL_NONE;
    }
    /* per kind its event vetoes in veto order; the vetoes on measures */
    ctx->ek_vhead = jql_malloc(cap * sizeof *ctx->ek_vhead);
    ctx->ek_vnext = jql_malloc((c->nvetoes ? c->nvetoes : 1) * sizeof *ctx->ek_vnext);
    ctx->ek_other = jql_malloc((c->nvetoes ? c->nvetoes : 1) * sizeof *ctx->ek_other);
    if (!ctx->ek_vhead || !ctx->ek_vnext || !ctx->ek_other)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t k = 0; k < cap; k++)
        ctx->ek_vhead[k] = JQL_NONE;
    for (size_t i = c->nvetoes; i-- > 0;) {
        size_t k = ctx->ek_slot[i];
        if (c->vetoes[i].on_event && k != JQL_NONE) {
            ctx->ek_vnext[i] = ctx->ek_vhead[k];
            ctx->ek_vhead[k] = i;
        }
    }
    for (size_t i = 0; i < c->nvetoes; i++)
        if (!c->vetoes[i].on_event)
            ctx->ek_other[ctx->nek_other++] = i;
    ctx->ek_on = true;
    return 0;
}

/* Unit u's count of the event kind in slot k of ctx->ek (plan_event_kinds). */
static size_t ek_count(jql_score_ctx *ctx, size_t u, size_t k)
{
    if (ctx->ek_unit != u) {
        jql_q_event_kinds_count(ctx->ds, u, ctx->range, &ctx->ek);
        ctx->ek_unit = u;
    }
    return k == JQL_NONE ? 0 : ctx->ek.n[k];
}

/* The item's place among the vetoes' and items' slots of ctx->ek_slot. */
static size_t c_item_index(const jql_criteria *c, const jql_item *it, bool deduction)
{
    return c->nvetoes + (deduction ? c->nbonus + (size_t)(it - c->deductions)
                                   : (size_t)(it - c->bonus));
}

/* A bonus or deduction item. */
static int score_item(jql_score_ctx *ctx, size_t u, const jql_item *it, size_t share,
                      bool deduction, jql_res_node *x)
{
    int rc = 0;
    x->applicable = true;
    x->ev_start = ctx->r->nevlist;
    if (it->kind == JQL_ITEM_EVENTS) {
        size_t n = 0;
        jql_milli pts = 0;
        ctx->scratch.len = 0;
        ctx->ev_src = NULL; /* the records are the ones gathered here */
        size_t k = JQL_NONE;
        if (ctx->ek_on)
            k = ctx->ek_slot[c_item_index(ctx->c, it, deduction)];
        if (!ctx->ek_on || ek_count(ctx, u, k) > 0) /* else none to find */
            rc = jql_q_events(ctx->ds, u, ctx->range, it->event_kind, false, &n, &pts,
                              ctx->evidence ? &ctx->scratch : NULL);
        if (rc) /* JQL_ELIMIT (points beyond 64 bits) keeps its message */
            return rc == JQL_ELIMIT ? rc : jql_fail(JQL_ENOMEM, "out of memory");
        if (ctx->evidence && (rc = jql_evidence_add(ctx, JQL_EV_EVENT, &x->ev_count)))
            return rc;
        x->source = JQL_SRC_EVENTS;
        x->has_value = true;
        x->value = pts;
        x->points = clamp(pts, it->max);
        /* "events: n kind → points", formatted when read (JQL_RULE_EVENTS):
           n is the evidence count, one record per event counted. Without
           evidence there is no count to read it from: the text is made now. */
        if (ctx->evidence) {
            ctx->rule_deferred = true;
            x->rule_lazy = true;
        } else {
            jql_rule_fmt f = {.kind = JQL_RULE_EVENTS, .event_kind = it->event_kind};
            jql_res_node counted = *x;
            counted.ev_count = n;
            jql_rule_format(&f, it->max, &counted, &ctx->rule);
        }
    } else if (it->kind == JQL_ITEM_MANUAL) {
        size_t a;
        x->source = JQL_SRC_MANUAL;
        if (jql_q_assessment(ctx->ds, u, it->id, ctx->range, &a) == JQL_OK) {
            const jql_assessment_rec *as = &ctx->ds->assessments.items[a];
            x->self = as->self;
            x->appraised = as->appraised;
            if (ctx->evidence &&
                (rc = jql_evidence_add_one(ctx, JQL_EV_ASSESSMENT, a, &x->ev_count)))
                return rc;
        }
        if (x->appraised != JQL_NO_SCORE) {
            x->points = clamp(x->appraised, it->max);
            rule_const(ctx, "appraised");
        } else if (x->self != JQL_NO_SCORE) {
            x->points = clamp(x->self, it->max);
            x->unappraised = true;
            rule_const(ctx, "self-assessed (unappraised)");
        } else {
            x->no_data = true;
            rule_const(ctx, "no assessment");
        }
    } else {
        jql_mval v;
        if ((rc = jql_measure_eval_shared(ctx, u, &it->measure, share, &v, ctx->evidence,
                                          &x->ev_count)))
            return rc;
        if (ctx->ev_at != JQL_NONE)
            x->ev_start = ctx->ev_at;
        x->source = JQL_SRC_COMPUTED;
        if (v.no_data) {
            x->source = JQL_SRC_MISSING;
            x->no_data = true;
            bool full = it->missing == JQL_MISSING_FULL;
            x->points = full ? it->max : 0;
            rule_const(ctx, full ? "missing: full" : "missing: zero");
        } else if (v.never && deduction) {
            /* A report never submitted costs a deduction its maximum. */
            x->never = true;
            x->points = it->max;
            jql_buf_puts(&ctx->rule, "never submitted \xE2\x86\x92 ");
            jql_buf_milli(&ctx->rule, it->max);
        } else {
            x->never = v.never;
            x->has_value = !v.never;
            x->value = v.value;
            ctx->rule_defer_ok = true;
            x->points = jql_method_apply(ctx, &it->method, it->max, &v);
            x->rule_lazy = ctx->rule_deferred;
        }
    }
    return jql_rule_take(ctx, &x->rule);
}

/* Whether veto i fires for unit u (ru its results). */
static int veto_fires(jql_score_ctx *ctx, size_t u, jql_res_unit *ru, size_t i, bool *fired)
{
    const jql_criteria *c = ctx->c;
    jql_results *r = ctx->r;
    const jql_veto *v = &c->vetoes[i];
    size_t first = ctx->veto_first[i];
    if (v->on_event) {
        size_t n = 0;
        if (first != i)
            n = ctx->veto_events[first];
        else if (jql_q_events(ctx->ds, u, ctx->range, v->event_kind, false, &n, NULL, NULL))
            return jql_fail(JQL_ENOMEM, "out of memory");
        ctx->veto_events[i] = n;
        *fired = n > 0;
    } else if (ctx->veto_pre && (size_t)(ru - r->units) < ctx->veto_pre[i]) {
        size_t bit = (size_t)(ru - r->units) * c->nvetoes + i;
        *fired = ctx->veto_bits[bit / 64] >> (bit % 64) & 1;
    } else {
        jql_mval *mv = &ctx->veto_val[i];
        if (first != i) {
            *mv = ctx->veto_val[first];
        } else {
            int rc = jql_measure_eval(ctx, u, &v->measure, mv, false, NULL);
            if (rc)
                return rc;
        }
        *fired = !mv->no_data && jql_cond_holds(&v->cond, mv);
    }
    return 0;
}

/* Record veto i fired for ru, *cap the lowest tier it may have. */
static int fire(jql_score_ctx *ctx, jql_res_unit *ru, size_t i, size_t *cap)
{
    jql_results *r = ctx->r;
    const jql_veto *v = &ctx->c->vetoes[i];
    if (jql_vec_grow((void **)&r->fired, &r->fired_cap, r->nfired + 1, sizeof *r->fired))
        return jql_fail(JQL_ENOMEM, "out of memory");
    r->fired[r->nfired++] = i;
    ru->veto_count++;
    if (v->cap_tier > *cap && v->cap_tier < ctx->c->ntiers)
        *cap = v->cap_tier; /* the lowest cap applies */
    return 0;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static int score_vetoes(jql_score_ctx *ctx, size_t u, jql_res_unit *ru)
{
    const jql_criteria *c = ctx->c;
    size_t cap = ru->tier_before_caps;
    ru->veto_start = ctx->r->nfired;
    int rc = 0;
    if (!ctx->ek_on) {
        for (size_t i = 0; !rc && i < c->nvetoes; i++) {
            bool fired;
            if (!(rc = veto_fires(ctx, u, ru, i, &fired)) && fired)
                rc = fire(ctx, ru, i, &cap);
        }
        ru->tier_after_vetoes = cap;
        return rc;
    }
    /* The event vetoes of the kinds the unit has events of (the others
       find none), in veto order among the other vetoes: the same vetoes
       fired in the same order, without a look at each of thousands. */
    ek_count(ctx, u, JQL_NONE);
    jql_sizevec *ev = &ctx->ek_fired;
    ev->len = 0;
    for (size_t t = 0; t < ctx->ek.ntouched; t++)
        for (size_t i = ctx->ek_vhead[ctx->ek.touched[t]]; i != JQL_NONE; i = ctx->ek_vnext[i])
            if (jql_sizevec_push(ev, i))
                return jql_fail(JQL_ENOMEM, "out of memory");
    if (ev->len > 1) /* qsort of NULL, even of none, is undefined */
        qsort(ev->items, ev->len, sizeof *ev->items, cmp_size);
    size_t e = 0;
    for (size_t k = 0; !rc && k < ctx->nek_other; k++) {
        size_t i = ctx->ek_other[k];
        bool fired;
        while (!rc && e < ev->len && ev->items[e] < i)
            rc = fire(ctx, ru, ev->items[e++], &cap);
        if (!rc && !(rc = veto_fires(ctx, u, ru, i, &fired)) && fired)
            rc = fire(ctx, ru, i, &cap);
    }
    while (!rc && e < ev->len)
        rc = fire(ctx, ru, ev->items[e++], &cap);
    ru->tier_after_vetoes = cap;
    return rc;
}

/* What a veto measures, as a map key: vetoes with equal keys share one
   measurement per unit (thousands of vetoes on one roll-up measure cost
   one roll-up, not thousands). */
static void veto_key(jql_buf *b, const jql_veto *v)
{
    const jql_measure *m = &v->measure;
    const char *parts[] = {v->on_event ? v->event_kind : NULL, m->report_kind, m->field,
                           m->indicator, m->denominator, m->event_kind};
    b->len = 0;
    jql_buf_printf(b, "%d\x1f%d\x1f%d", v->on_event, v->on_event ? 0 : (int)m->kind,
                   !v->on_event && m->rollup);
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
        jql_buf_putc(b, '\x1f');
        if (parts[k])
            jql_buf_puts(b, parts[k]);
        else
            jql_buf_putc(b, '\x1e'); /* NULL differs from "" */
    }
}

static int group_vetoes(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    size_t n = c->nvetoes ? c->nvetoes : 1;
    ctx->veto_first = jql_malloc(n * sizeof *ctx->veto_first);
    ctx->veto_val = jql_calloc(n, sizeof *ctx->veto_val);
    ctx->veto_events = jql_calloc(n, sizeof *ctx->veto_events);
    if (!ctx->veto_first || !ctx->veto_val || !ctx->veto_events)
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_strmap seen = {0};
    jql_buf key;
    jql_buf_init(&key);
    int rc = 0;
    for (size_t i = 0; i < c->nvetoes && !rc; i++) {
        veto_key(&key, &c->vetoes[i]);
        size_t first;
        if (key.failed)
            rc = JQL_ENOMEM;
        else if (jql_strmap_get(&seen, key.data, &first) == JQL_OK)
            ctx->veto_first[i] = first;
        else if (jql_strmap_put(&seen, key.data, i))
            rc = JQL_ENOMEM;
        else
            ctx->veto_first[i] = i;
    }
    jql_buf_free(&key);
    jql_strmap_free(&seen);
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
}

void jql_tb_key_of(const jql_tiebreak *t, const jql_mval *mv, jql_tb_key *key)
{
    key->state = 0;
    key->key = (jql_ratio){0, 1};
    /* No data sorts after every value; "never submitted" is the largest
       value, so it comes last ascending and first descending. */
    if (mv->no_data)
        key->state = 2;
    else if (mv->never)
        key->state = t->ascending ? 1 : 0;
    else {
        /* the exact value: equal rounded shares may still differ */
        key->state = t->ascending ? 0 : 1;
        key->key = mv->exact;
        if (!t->ascending)
            key->key.num = -key->key.num;
    }
}

static int tiebreak_keys(jql_score_ctx *ctx, size_t u, jql_res_unit *ru, const jql_res_node *nodes)
{
    const jql_criteria *c = ctx->c;
    jql_tb_key *keys = (jql_tb_key *)ru->tb;
    for (size_t i = 0; i < c->ntiebreaks; i++) {
        const jql_tiebreak *t = &c->tiebreaks[i];
        if (ctx->tb_pre && (size_t)(ru - ctx->r->units) < ctx->tb_pre[i])
            continue; /* measured before scoring (score_rollup.c) */
        keys[i].state = 0;
        keys[i].key = (jql_ratio){0, 1};
        if (t->kind == JQL_TB_FEWER_DEDUCTIONS) {
            keys[i].key.num = ru->v[JQL_RESULT_FIELD_DEDUCTIONS];
        } else if (t->kind == JQL_TB_NODE) {
            keys[i].key.num = t->node < c->nnodes ? -nodes[t->node].points : 0;
        } else {
            jql_mval mv;
            int rc = jql_measure_eval(ctx, u, &t->measure, &mv, false, NULL);
            if (rc)
                return rc;
            jql_tb_key_of(t, &mv, &keys[i]);
        }
    }
    return 0;
}

/* A roll-up leaf's evidence lists its whole subtree's records, so along a
   deep path each unit's list is its parent's minus the parent's own records:
   a tail (or head) of the slice already stored for the node. Point into that
   slice instead of storing the list again, so evidence memory stays linear
   in a chain (a 20,000-unit chain stored 2*10^8 references). Slices may
   overlap. */
static void share_evidence(jql_score_ctx *ctx, size_t n, jql_res_node *x, size_t before)
{
    jql_results *r = ctx->r;
    size_t cnt = x->ev_count;
    if (ctx->ev_pinned)
        return; /* score_rollup.c shares it already */
    if (cnt == 0 || x->ev_start != before || before + cnt != r->nevlist)
        return; /* not one fresh slice */
    size_t ps = ctx->ev_prev_start[n], pc = ctx->ev_prev_count[n];
    const uint64_t *mine = &r->evlist[before];
    if (pc >= cnt && ps + pc <= before) {
        size_t at = JQL_NONE;
        if (memcmp(mine, &r->evlist[ps + pc - cnt], cnt * sizeof *mine) == 0)
            at = ps + pc - cnt;
        else if (memcmp(mine, &r->evlist[ps], cnt * sizeof *mine) == 0)
            at = ps;
        if (at != JQL_NONE) {
            x->ev_start = at;
            r->nevlist = before;
            return;
        }
    }
    ctx->ev_prev_start[n] = before;
    ctx->ev_prev_count[n] = cnt;
}

/* Every field, in the one cache line the node takes: the array is not
   zeroed beforehand (jql_alloc_paged), this is its first write. */
static void init_node(jql_res_node *x)
{
    *x = (jql_res_node){.self = JQL_NO_SCORE, .appraised = JQL_NO_SCORE};
}

/* The tier of a final score: the first whose minimum it reaches, found by
   halving (minima strictly descending, the last 0: every criteria set is
   validated so, edits included), not one tier at a time per unit. */
static size_t tier_of(const jql_criteria *c, jql_milli fin)
{
    size_t lo = 0, hi = c->ntiers ? c->ntiers - 1 : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fin >= c->tiers[mid].min)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static int score_unit(jql_score_ctx *ctx, jql_res_unit *ru)
{
    const jql_criteria *c = ctx->c;
    jql_results *r = ctx->r;
    size_t u = ru->ds_index;
    jql_res_node *nodes = &r->nodes[ru->node_start];
    for (size_t n = 0; n < c->nnodes; n++)
        init_node(&nodes[n]);
    for (size_t i = 0; i < c->nbonus + c->ndeductions; i++)
        init_node(&r->items[ru->item_start + i]);
    /* units are scored in order: what jql_results_free() may read */
    r->nodes_ready = ru->node_start + c->nnodes;
    r->items_ready = ru->item_start + c->nbonus + c->ndeductions;
    int rc = find_assessments(ctx, u);
    if (!rc)
        rc = mark_not_applicable(ctx, u, nodes);
    for (size_t n = 0; !rc && n < c->nnodes; n++) {
        if (!c->nodes[n].is_leaf) {
            if (!ctx->na[n] && !(rc = set_rule(ctx, &nodes[n], "sum of children")))
                nodes[n].ev_start = r->nevlist;
            continue;
        }
        if (!ctx->na[n]) {
            size_t before = r->nevlist;
            rc = score_leaf(ctx, u, (size_t)(ru - r->units), n, &nodes[n]);
            if (!rc && c->nodes[n].measure.rollup)
                share_evidence(ctx, n, &nodes[n], before);
        }
    }
    if (rc)
        return rc;
    sum_tree(ctx, nodes, ru);

    jql_res_node *items = &r->items[ru->item_start];
    jql_milli bonus = 0, ded = 0;
    for (size_t i = 0; i < c->nbonus; i++) {
        if ((rc = score_item(ctx, u, &c->bonus[i], ctx->share[c->nnodes + i], false,
                             &items[i])))
            return rc;
        bonus += items[i].points;
    }
    for (size_t i = 0; i < c->ndeductions; i++) {
        jql_res_node *x = &items[c->nbonus + i];
        if ((rc = score_item(ctx, u, &c->deductions[i],
                             ctx->share[c->nnodes + c->nbonus + i], true, x)))
            return rc;
        ded += x->points;
    }
    ru->v[JQL_RESULT_FIELD_BONUS_RAW] = bonus;
    ru->v[JQL_RESULT_FIELD_BONUS] = c->has_bonus_cap && bonus > c->bonus_cap ? c->bonus_cap : bonus;
    ru->v[JQL_RESULT_FIELD_DEDUCTIONS] = ded;
    jql_milli fin = ru->v[JQL_RESULT_FIELD_NORMALIZED] + ru->v[JQL_RESULT_FIELD_BONUS] - ded;
    if (fin < 0)
        fin = 0;
    if (!c->allow_above_scale && fin > c->scale)
        fin = c->scale;
    ru->v[JQL_RESULT_FIELD_FINAL] = fin;

    ru->tier_before_caps = tier_of(c, fin);
    if ((rc = score_vetoes(ctx, u, ru)))
        return rc;
    ru->tier = ru->tier_after_vetoes;
    return tiebreak_keys(ctx, u, ru, nodes);
}

/* ---- setup ---- */

static int select_units(const jql_dataset *ds, const jql_criteria *c, jql_sizevec *out)
{
    if (c->nunit_ids) {
        bool *seen = jql_calloc(ds->units.len ? ds->units.len : 1, sizeof *seen);
        if (!seen)
            return jql_fail(JQL_ENOMEM, "out of memory");
        for (size_t i = 0; i < c->nunit_ids; i++) {
            size_t u;
            if (jql_strmap_get(&ds->unit_ids, c->unit_ids[i], &u) != JQL_OK) {
                jql_free(seen);
                return jql_fail(JQL_EINVALID, "criteria name unit %s, not in the dataset",
                                c->unit_ids[i]);
            }
            if (seen[u])
                continue;
            seen[u] = true;
            if (jql_sizevec_push(out, u)) {
                jql_free(seen);
                return jql_fail(JQL_ENOMEM, "out of memory");
            }
        }
        jql_free(seen);
        return 0;
    }
    /* the levels as a set: a set may list any number of them */
    jql_strmap levels = {0};
    int rc = put_all(&levels, c->unit_levels, c->nunit_levels);
    const char *last = NULL; /* units of one level follow one another */
    bool take = false;
    for (size_t u = 0; !rc && u < ds->units.len; u++) {
        const char *level = ds->units.items[u].level;
        if (!last || !level || strcmp(level, last) != 0) {
            last = level;
            take = level && jql_strmap_get(&levels, level, NULL) == JQL_OK;
        }
        if (take && jql_sizevec_push(out, u))
            rc = JQL_ENOMEM;
    }
    jql_strmap_free(&levels);
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
}

/* The limits of one scoring (score.h): the results take an entry per
   scored unit and node, item or tie-breaker, and every veto is checked
   for every unit. Refused before anything is allocated. */
/* The limits in force: the options' (version 2, non-zero), else the defaults. */
typedef struct {
    size_t results, veto_checks, veto_text, evidence;
} score_limits;

static score_limits limits_of(const jql_score_options *opts)
{
    score_limits l = {JQL_MAX_SCORE_RESULTS, JQL_MAX_SCORE_VETOES, JQL_MAX_SCORE_VETO_TEXT,
                      JQL_MAX_SCORE_EVIDENCE};
    if (opts && opts->version >= 2) {
        if (opts->max_results)
            l.results = opts->max_results;
        if (opts->max_veto_checks)
            l.veto_checks = opts->max_veto_checks;
        if (opts->max_veto_text)
            l.veto_text = opts->max_veto_text;
    }
    if (opts && opts->version >= 3 && opts->max_evidence)
        l.evidence = opts->max_evidence;
    return l;
}

/* Whether this thread's last jql_score_with() was refused by its results
   limit (check_size()), not another: the trend names its periods' share of
   results only then. */
static _Thread_local bool t_results_limit_hit;

bool jql_score_results_limit_hit(void) { return t_results_limit_hit; }

static int check_size(const jql_criteria *c, size_t nunits, const score_limits *lim)
{
    size_t per = c->nnodes + c->nbonus + c->ndeductions + c->ntiebreaks, cells, checks;
    if ((t_results_limit_hit = __builtin_mul_overflow(nunits, per, &cells) || cells > lim->results))
        return jql_fail(JQL_ELIMIT,
                        "%zu scored units x %zu criteria, bonus and deduction items and "
                        "tie-breakers exceed the limit of %zu results of one scoring "
                        "(docs/CRITERIA.md, \"Limits\"): score fewer units or split the sheet",
                        nunits, per, lim->results);
    if (__builtin_mul_overflow(nunits, c->nvetoes, &checks) || checks > lim->veto_checks)
        return jql_fail(JQL_ELIMIT,
                        "/vetoes: %zu scored units x %zu vetoes exceed the limit of %zu veto "
                        "checks of one scoring (docs/CRITERIA.md, \"Limits\")",
                        nunits, c->nvetoes, lim->veto_checks);
    /* a fired veto's reason (up to 64 KiB) is repeated for every unit */
    size_t text = 0, repeated;
    for (size_t i = 0; i < c->nvetoes; i++)
        text += strlen(c->vetoes[i].reason);
    if (__builtin_mul_overflow(nunits, text, &repeated) || repeated > lim->veto_text)
        return jql_fail(JQL_ELIMIT,
                        "/vetoes: %zu scored units x %zu bytes of veto reasons exceed the limit of "
                        "%zu bytes of reasons one scoring may repeat (docs/CRITERIA.md, \"Limits\")",
                        nunits, text, lim->veto_text);
    return 0;
}

/* Copy what the results show of the criteria set. */
static int copy_criteria(jql_results *r, const jql_criteria *c, const char *period)
{
    int rc = 0;
    r->scale = c->scale;
    r->allow_above_scale = c->allow_above_scale;
    rc |= jql_results_intern_to(r, c->id, &r->criteria_id);
    rc |= jql_results_intern_to(r, period, &r->period);
    r->nnodes = c->nnodes;
    r->ntiers = c->ntiers;
    r->nvetodefs = c->nvetoes;
    r->nbonus = c->nbonus;
    r->ndeductions = c->ndeductions;
    r->nodeinfo = jql_calloc(c->nnodes ? c->nnodes : 1, sizeof *r->nodeinfo);
    r->tiers = jql_calloc(c->ntiers ? c->ntiers : 1, sizeof *r->tiers);
    r->vetodefs = jql_calloc(c->nvetoes ? c->nvetoes : 1, sizeof *r->vetodefs);
    r->iteminfo = jql_calloc(c->nbonus + c->ndeductions + 1, sizeof *r->iteminfo);
    if (rc || !r->nodeinfo || !r->tiers || !r->vetodefs || !r->iteminfo)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t i = 0; i < c->nnodes; i++) {
        jql_res_nodeinfo *ni = &r->nodeinfo[i];
        rc |= jql_results_intern_to(r, c->nodes[i].id, &ni->id);
        rc |= jql_results_intern_to(r, c->nodes[i].title, &ni->title);
        ni->parent = c->nodes[i].parent;
        ni->leaf = c->nodes[i].is_leaf;
        ni->max = c->nodes[i].max;
        ni->fmt = jql_rule_fmt_of(&c->nodes[i].method);
    }
    for (size_t i = 0; i < c->ntiers; i++) {
        rc |= jql_results_intern_to(r, c->tiers[i].id, &r->tiers[i].id);
        rc |= jql_results_intern_to(r, c->tiers[i].name, &r->tiers[i].name);
        r->tiers[i].min = c->tiers[i].min;
    }
    for (size_t i = 0; i < c->nvetoes; i++) {
        rc |= jql_results_intern_to(r, c->vetoes[i].id, &r->vetodefs[i].id);
        rc |= jql_results_intern_to(r, c->vetoes[i].reason, &r->vetodefs[i].reason);
        r->vetodefs[i].cap = c->vetoes[i].cap_tier;
    }
    for (size_t i = 0; i < c->nbonus + c->ndeductions; i++) {
        const jql_item *it = i < c->nbonus ? &c->bonus[i] : &c->deductions[i - c->nbonus];
        rc |= jql_results_intern_to(r, it->id, &r->iteminfo[i].id);
        rc |= jql_results_intern_to(r, it->title, &r->iteminfo[i].title);
        r->iteminfo[i].max = it->max;
        r->iteminfo[i].fmt = jql_rule_fmt_of(&it->method);
        if (it->kind == JQL_ITEM_EVENTS) {
            r->iteminfo[i].fmt.kind = JQL_RULE_EVENTS;
            rc |= jql_results_intern_to(r, it->event_kind, &r->iteminfo[i].fmt.event_kind);
        }
    }
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
}

/* Copy s (NULL stays NULL) to *at and move *at past it. */
static const char *place_text(char **at, const char *s)
{
    if (!s)
        return NULL;
    size_t len = strlen(s) + 1;
    char *dst = memcpy(*at, s, len);
    *at += len;
    return dst;
}

static int alloc_units(jql_results *r, const jql_criteria *c, const jql_dataset *ds,
                       const jql_sizevec *sel, jql_results_spare *spare)
{
    size_t n = sel->len, nitems = c->nbonus + c->ndeductions;
    r->nunits = n;
    if (spare && spare->units && spare->nodes && spare->items && spare->tb &&
        spare->nunits == n && spare->nnodes == c->nnodes && spare->nitems == nitems &&
        spare->ntb == c->ntiebreaks) {
        /* the same sizes: written over as fresh arrays are (below, score_unit) */
        r->units = spare->units;
        r->nodes = spare->nodes;
        r->items = spare->items;
        r->tb = spare->tb; /* zeroed as jql_calloc() gives it */
        memset(r->tb, 0, (n && c->ntiebreaks ? n * c->ntiebreaks : 1) * sizeof *r->tb);
        *spare = (jql_results_spare){0};
    } else if (spare) { /* not held beside this scoring's own */
        jql_results_spare_free(spare);
    }
    /* mapped in one call rather than one fault per 4 KiB page
       (jql_alloc_paged; mapping each thread's block on that thread took
       as long: the faults of one process queue up). The units are zeroed
       here; the nodes are not: each unit's nodes are initialized as it is
       scored (score_unit), one pass over fresh memory, not two */
    if (!r->units) {
        r->units = jql_alloc_paged(n ? n : 1, sizeof *r->units);
        r->nodes = jql_alloc_paged(n && c->nnodes ? n * c->nnodes : 1, sizeof *r->nodes);
        r->items = jql_alloc_paged(n && nitems ? n * nitems : 1, sizeof *r->items);
    }
    if (!r->tb)
        r->tb = jql_calloc(n && c->ntiebreaks ? n * c->ntiebreaks : 1, sizeof *r->tb);
    if (!r->units || !r->nodes || !r->items || !r->tb)
        return jql_fail(JQL_ENOMEM, "out of memory");
    memset(r->units, 0, (n ? n : 1) * sizeof *r->units);
    /* ids and names are distinct per unit: copied into one block, not
       interned one by one (two hash lookups and two allocations per unit) */
    size_t text = 0;
    for (size_t k = 0; k < n; k++) {
        const jql_unit_rec *ur = &ds->units.items[sel->items[k]];
        text += (ur->id ? strlen(ur->id) + 1 : 0) + (ur->name ? strlen(ur->name) + 1 : 0);
    }
    char *at = r->unit_text = jql_malloc(text ? text : 1);
    if (!at)
        return jql_fail(JQL_ENOMEM, "out of memory");
    const char *last_cluster = NULL, *last_interned = NULL;
    for (size_t k = 0; k < n; k++) {
        jql_res_unit *ru = &r->units[k];
        const jql_unit_rec *ur = &ds->units.items[sel->items[k]];
        ru->id = place_text(&at, ur->id);
        ru->name = place_text(&at, ur->name);
        /* neighbours usually share their cluster (the dataset's own string) */
        if (ur->cluster != last_cluster || !last_cluster) {
            if (jql_results_intern_to(r, ur->cluster, &last_interned))
                return jql_fail(JQL_ENOMEM, "out of memory");
            last_cluster = ur->cluster;
        }
        ru->cluster = last_interned;
        ru->ds_index = sel->items[k];
        ru->node_start = k * c->nnodes;
        ru->item_start = k * nitems;
        ru->tb = &r->tb[k * c->ntiebreaks];
        ru->ntb = c->ntiebreaks;
        ru->cluster_idx = JQL_NONE;
    }
    return 0;
}

/* The power of two from 64 up to `most` that covers n * per. */
static size_t pow2_slots(size_t n, size_t per, size_t most)
{
    size_t want = n > most / per ? most : n * per, slots = 64;
    while (slots < want && slots < most)
        slots *= 2;
    return slots;
}

/* The measured leaves' and items' measures alike in content, found once
   (ctx->share: nodes first, then bonus and deduction items). */
static int plan_measures(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    size_t n = c->nnodes + c->nbonus + c->ndeductions;
    const jql_measure **ms = jql_calloc(n + 1, sizeof *ms);
    ctx->share = jql_calloc(n + 1, sizeof *ctx->share);
    if (!ms || !ctx->share) {
        jql_free(ms);
        return JQL_ENOMEM;
    }
    for (size_t i = 0; i < c->nnodes; i++) {
        const jql_node *node = &c->nodes[i];
        if (node->is_leaf && node->method.kind != JQL_METHOD_MANUAL &&
            node->method.kind != JQL_METHOD_CUSTOM)
            ms[i] = &node->measure;
    }
    for (size_t i = 0; i < c->nbonus + c->ndeductions; i++) {
        const jql_item *it = i < c->nbonus ? &c->bonus[i] : &c->deductions[i - c->nbonus];
        if (it->kind != JQL_ITEM_EVENTS && it->kind != JQL_ITEM_MANUAL)
            ms[c->nnodes + i] = &it->measure;
    }
    int rc = jql_measure_share(ctx, ms, n, ctx->share);
    jql_free(ms);
    return rc;
}

static bool same_list(char **a, size_t na, char **b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return false;
    return true;
}

/* Whether two rules list the same levels and values (sheets repeat one
   rule over many nodes: they share one pair of sets). */
static bool same_na_lists(const jql_na_rule *a, const jql_na_rule *b)
{
    return same_list(a->levels, a->nlevels, b->levels, b->nlevels) &&
           same_list(a->attr_values, a->nattr_values, b->attr_values, b->nattr_values);
}

static bool long_na_lists(const jql_node *node)
{
    return node->has_na_rule &&
           (node->na_rule.nlevels > JQL_NA_LINEAR || node->na_rule.nattr_values > JQL_NA_LINEAR);
}

/* Hash sets of the long not_applicable_if lists (in_rule_list): a rule's
   lists are looked up for every unit, so a rule of 100,000 levels on
   thousands of nodes must not be searched in order. A node whose lists
   are those of the previous node with sets shares its sets. 0 or
   JQL_ENOMEM. */
static int build_na_sets(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    size_t nn = c->nnodes ? c->nnodes : 1, nsets = 0, prev = JQL_NONE, most = 1;
    for (size_t n = 0; n < c->nnodes; n++)
        most += long_na_lists(&c->nodes[n]);
    ctx->na_set_of = jql_malloc(nn * sizeof *ctx->na_set_of);
    ctx->na_sets = jql_calloc(most, sizeof *ctx->na_sets);
    if (!ctx->na_set_of || !ctx->na_sets)
        return JQL_ENOMEM;
    for (size_t n = 0; n < c->nnodes; n++) {
        const jql_na_rule *rule = &c->nodes[n].na_rule;
        ctx->na_set_of[n] = JQL_NONE;
        if (!long_na_lists(&c->nodes[n]))
            continue;
        if (prev != JQL_NONE && same_na_lists(rule, &c->nodes[prev].na_rule)) {
            ctx->na_set_of[n] = ctx->na_set_of[prev];
            continue;
        }
        struct jql_na_sets *sets = &ctx->na_sets[nsets];
        ctx->na_set_of[n] = nsets;
        ctx->nna_sets = ++nsets; /* freed by jql_score_ctx_free(), even half built */
        prev = n;
        if ((rule->nlevels > JQL_NA_LINEAR && put_all(&sets->levels, rule->levels, rule->nlevels)) ||
            (rule->nattr_values > JQL_NA_LINEAR &&
             put_all(&sets->values, rule->attr_values, rule->nattr_values)))
            return JQL_ENOMEM;
    }
    return 0;
}

int jql_score_ctx_init(jql_score_ctx *ctx, const jql_dataset *ds, const jql_criteria *c)
{
    size_t nn = c->nnodes ? c->nnodes : 1;
    jql_buf_init(&ctx->rule);
    ctx->tasks_unit = JQL_NONE;
    for (size_t i = 0; i < JQL_REP_MEMO; i++)
        ctx->rep[i].unit = JQL_NONE;
    ctx->dir_unit = JQL_NONE;
    ctx->stats_unit = JQL_NONE;
    ctx->stats_by_ind = jql_calloc(ds->indicators.len + 1, sizeof *ctx->stats_by_ind);
    ctx->unit_ids = jql_calloc(ds->units.len ? ds->units.len : 1, sizeof *ctx->unit_ids);
    ctx->rule_mask = pow2_slots(ctx->r->nunits, nn / 8 + 1, JQL_RULE_CACHE) - 1;
    ctx->fixed_mask = pow2_slots(nn, 8, JQL_FIXED_RULES) - 1;
    ctx->rule_cache = jql_calloc(ctx->rule_mask + 1, sizeof *ctx->rule_cache);
    ctx->fixed_rules = jql_calloc(ctx->fixed_mask + 1, sizeof *ctx->fixed_rules);
    ctx->asmt = jql_calloc(nn, sizeof *ctx->asmt);
    ctx->stamp = jql_calloc(nn, sizeof *ctx->stamp);
    ctx->na = jql_calloc(nn, sizeof *ctx->na);
    /* the nodes with a rule that can make them not applicable */
    ctx->na_nodes = jql_calloc(nn, sizeof *ctx->na_nodes);
    for (size_t n = 0; ctx->na_nodes && n < c->nnodes; n++)
        if (c->nodes[n].disabled || c->nodes[n].has_na_rule)
            ctx->na_nodes[ctx->nna_nodes++] = n;
    if (build_na_sets(ctx))
        return jql_fail(JQL_ENOMEM, "out of memory");
    ctx->tree = jql_calloc(nn, sizeof *ctx->tree);
    ctx->sums = jql_calloc(nn, sizeof *ctx->sums); /* zero: nothing added yet */
    for (size_t n = 0; ctx->tree && n < c->nnodes; n++)
        ctx->tree[n] = (struct jql_tree_node){c->nodes[n].parent, c->nodes[n].max,
                                              c->nodes[n].is_leaf};
    ctx->ev_prev_start = jql_calloc(nn, sizeof *ctx->ev_prev_start);
    ctx->ev_prev_count = jql_calloc(nn, sizeof *ctx->ev_prev_count);
    if (!ctx->unit_ids || !ctx->rule_cache || !ctx->fixed_rules || !ctx->stats_by_ind || !ctx->asmt || !ctx->stamp || !ctx->na || !ctx->na_nodes || !ctx->tree || !ctx->sums ||
        !ctx->ev_prev_start || !ctx->ev_prev_count || plan_measures(ctx))
        return jql_fail(JQL_ENOMEM, "out of memory");
    int rc = group_vetoes(ctx);
    return rc ? rc : plan_event_kinds(ctx);
}

void jql_score_ctx_free(jql_score_ctx *ctx)
{
    jql_sizevec_free(&ctx->scratch);
    jql_sizevec_free(&ctx->tasks_due);
    for (size_t i = 0; i < JQL_TASK_FIELDS; i++)
        jql_sizevec_free(&ctx->task_hits[i]);
    for (size_t i = 0; i < JQL_REP_MEMO; i++)
        jql_sizevec_free(&ctx->rep[i].hits);
    jql_measure_memo_free(ctx);
    jql_sizevec_free(&ctx->dir_hits);
    for (size_t i = 0; ctx->stats_by_ind && i < ctx->ds->indicators.len; i++)
        jql_sizevec_free(&ctx->stats_by_ind[i]);
    jql_free(ctx->stats_by_ind);
    jql_sizevec_free(&ctx->stats_touched);
    jql_buf_free(&ctx->rule);
    jql_free(ctx->unit_ids);
    jql_free(ctx->rule_cache);
    jql_free(ctx->fixed_rules);
    jql_free(ctx->asmt);
    jql_free(ctx->stamp);
    jql_free(ctx->na);
    jql_free(ctx->na_nodes);
    for (size_t i = 0; i < ctx->nna_sets; i++) {
        jql_strmap_free(&ctx->na_sets[i].levels);
        jql_strmap_free(&ctx->na_sets[i].values);
    }
    jql_free(ctx->na_sets);
    jql_free(ctx->na_set_of);
    jql_free(ctx->tree);
    jql_free(ctx->sums);
    jql_free(ctx->ek.kind);
    jql_free(ctx->ek.n);
    jql_free(ctx->ek.touched);
    jql_free(ctx->ek_slot);
    jql_free(ctx->ek_vhead);
    jql_free(ctx->ek_vnext);
    jql_free(ctx->ek_other);
    jql_sizevec_free(&ctx->ek_fired);
    jql_free(ctx->veto_first);
    jql_free(ctx->veto_val);
    jql_free(ctx->veto_events);
    jql_free(ctx->ev_prev_start);
    jql_free(ctx->ev_prev_count);
    jql_free(ctx->share);
    jql_rollup_free(ctx);
}

/* The evidence list grows unit by unit; growing it by doubling copies it
   (or remaps it) about twenty times at national scale and leaves it half
   empty. After the first EV_SAMPLE units, reserve what the rest will take
   at their rate, with a margin; untouched reserve costs address space
   only. Further growth, when the estimate is short, doubles as before. */
#define EV_SAMPLE 32

static int reserve_evidence(jql_results *r, size_t scored, size_t total)
{
    size_t per = r->nevlist / scored + 1;
    if (per > SIZE_MAX / 8 / total)
        return 0; /* an estimate that large is left to the doubling */
    return jql_evidence_reserve(r, r->nevlist + per * (total - scored) * 5 / 4);
}

int jql_score_block(jql_score_ctx *ctx, size_t from, size_t to, size_t room_for)
{
    jql_results *r = ctx->r;
    /* what a unit's leaves read: its range, and the year before for changes */
    jql_date read_from = jql_range_year_before(ctx->range).start;
    int rc = 0;
    for (size_t k = from; !rc && k < to; k++) {
        if (k + 1 < to) /* its records arrive while this one is scored */
            jql_q_prefetch_unit(ctx->ds, r->units[k + 1].ds_index, read_from, ctx->range.end);
        rc = score_unit(ctx, &r->units[k]);
        if (!rc && k + 1 - from == EV_SAMPLE && room_for > 2 * EV_SAMPLE)
            rc = reserve_evidence(r, EV_SAMPLE, room_for);
    }
    return rc;
}

/* Every custom leaf must name a registered function before any unit is
   scored. Checked before the dataset fit: a missing registration is the
   host program's omission, not a mismatch between sheet and data. */
static int check_customs(const jql_criteria *c)
{
    for (size_t i = 0; i < c->nnodes; i++) {
        const jql_node *n = &c->nodes[i];
        if (n->is_leaf && n->method.kind == JQL_METHOD_CUSTOM &&
            !jql_criteria_custom_find(c, n->method.custom))
            return jql_fail(JQL_EINVALID,
                            "custom function \"%s\" (criterion %s) is not registered: the "
                            "program must register it before scoring "
                            "(jql_criteria_custom_register)",
                            n->method.custom ? n->method.custom : "(none)", n->id);
    }
    return 0;
}

int jql_score_options_check(const jql_score_options *opts, const char *fn, bool name_as_of,
                            jql_date *as_of)
{
    *as_of = JQL_NO_DATE;
    if (!opts)
        return JQL_OK;
    if (opts->version < 1 || opts->version > JQL_SCORE_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "%s: unknown options version %u", fn, opts->version);
    if (opts->flags & ~(unsigned)(JQL_SCORE_ALLOW_EMPTY | JQL_SCORE_NO_EVIDENCE |
                                  JQL_SCORE_CUSTOM_ANY_THREAD))
        return jql_fail(JQL_EINVALID, "%s: unknown flags 0x%x", fn, opts->flags);
    if (opts->as_of && jql_date_parse(opts->as_of, as_of) != JQL_OK)
        return jql_fail(JQL_EINVALID, "%s%sas_of \"%s\" is not an existing date YYYY-MM-DD",
                        name_as_of ? fn : "", name_as_of ? ": " : "", opts->as_of);
    return JQL_OK;
}

/* The caller's options in a current-version struct: the members of later
   versions than the caller's are not read (its struct may end before
   them) and keep their defaults. */
jql_score_options jql_score_options_current(const jql_score_options *opts)
{
    jql_score_options o = JQL_SCORE_OPTIONS_INIT;
    if (!opts)
        return o;
    o.flags = opts->flags;
    o.as_of = opts->as_of;
    if (opts->version >= 2) {
        o.max_results = opts->max_results;
        o.max_veto_checks = opts->max_veto_checks;
        o.max_veto_text = opts->max_veto_text;
    }
    if (opts->version >= 3)
        o.max_evidence = opts->max_evidence;
    if (opts->version >= 4)
        o.threads = opts->threads;
    if (opts->version >= 5)
        o.allow_empty_name = opts->allow_empty_name;
    return o;
}

/* How the caller's users allow an empty period, for the refusal's message
   (jql_score_options.allow_empty_name, version 5). */
static const char *allow_empty_name(const jql_score_options *opts)
{
    if (opts && opts->version >= 5 && opts->allow_empty_name && opts->allow_empty_name[0])
        return opts->allow_empty_name;
    return "JQL_SCORE_ALLOW_EMPTY";
}

int jql_score(const jql_dataset *ds, const jql_criteria *c, const char *period, jql_results **out)
{
    return jql_score_with(ds, c, period, NULL, out);
}

int jql_score_with(const jql_dataset *ds, const jql_criteria *c, const char *period,
                   const jql_score_options *opts, jql_results **out)
{
    return jql_score_reusing(ds, c, period, opts, NULL, out);
}

int jql_score_reusing(const jql_dataset *ds, const jql_criteria *c, const char *period,
                      const jql_score_options *opts, jql_results_spare *spare,
                      jql_results **out)
{
    if (out)
        *out = NULL;
    t_results_limit_hit = false;
    if (!ds || !c || !out)
        return jql_fail(JQL_EINVALID, "jql_score: NULL argument");
    jql_date as_of;
    int rc = jql_score_options_check(opts, "jql_score_with", false, &as_of);
    if (rc)
        return rc;
    bool allow_empty = opts && (opts->flags & JQL_SCORE_ALLOW_EMPTY), empty = false;
    unsigned threads = opts && opts->version >= 4 ? opts->threads : 1;
    score_limits limits = limits_of(opts);
    if (!period)
        period = c->period;
    jql_score_ctx ctx;
    memset(&ctx, 0, sizeof ctx);
    ctx.ds = ds;
    ctx.c = c;
    ctx.period = period;
    ctx.evidence = !(opts && (opts->flags & JQL_SCORE_NO_EVIDENCE));
    ctx.custom_any_thread = opts && (opts->flags & JQL_SCORE_CUSTOM_ANY_THREAD);
    if (!period || jql_ds_resolve_period(ds, period, &ctx.range) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period %s", period ? period : "(none)");
    /* Whether the period is empty is decided on the whole period, before
       the as-of date narrows the window (score.h, JQL_SCORE_ALLOW_EMPTY). */
    jql_range whole = ctx.range;
    if (as_of != JQL_NO_DATE) {
        ctx.range.has_as_of = true;
        ctx.range.as_of = as_of;
    }
    if (c->ntiers == 0)
        return jql_fail(JQL_EINVALID, "the criteria set has no tiers");
    rc = check_customs(c);
    if (rc)
        return rc;
    jql_diagnostics *diag = NULL;
    rc = jql_criteria_check(c, ds, &diag);
    if (rc == JQL_OK || rc == JQL_EINVALID) {
        /* keep the first error's text for the caller */
        for (size_t i = 0; rc && i < jql_diagnostics_count(diag); i++)
            if (jql_diagnostics_severity(diag, i) == JQL_SEVERITY_ERROR) {
                jql_fail(JQL_EINVALID, "criteria do not fit the dataset: %s: %s",
                         jql_diagnostics_path(diag, i), jql_diagnostics_message(diag, i));
                break;
            }
    }
    jql_diagnostics_free(diag);
    if (rc)
        return rc == JQL_ENOMEM ? jql_fail(JQL_ENOMEM, "out of memory") : rc;

    jql_sizevec sel = {0};
    jql_results *r = jql_results_alloc();
    if (!r)
        return JQL_ENOMEM;
    ctx.r = r;
    if (as_of != JQL_NO_DATE)
        jql_date_format(as_of, r->as_of);
    r->no_evidence = !ctx.evidence;
    r->evlist_max = limits.evidence;
    rc = select_units(ds, c, &sel);
    if (!rc)
        rc = check_size(c, sel.len, &limits);
    if (!rc)
        rc = jql_score_check_period(ds, period, whole, &sel, allow_empty,
                                    allow_empty_name(opts), &empty);
    if (!rc && !(r->diag = jql_diag_new(c->source ? c->source : "criteria")))
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    if (!rc)
        rc = copy_criteria(r, c, period);
    if (!rc)
        rc = alloc_units(r, c, ds, &sel, spare);
    if (!rc)
        rc = jql_score_ctx_init(&ctx, ds, c);
    if (!rc)
        rc = jql_rollup_before_scoring(&ctx);
    if (!rc)
        rc = jql_score_units(&ctx, threads);
    if (rc == JQL_SCORE_AGAIN_ALONE) {
        /* a thread failed or the blocks' evidence passes the limit: the
           calling thread alone finds the error a one-thread scoring
           reports, from the start */
        jql_score_ctx_free(&ctx);
        jql_sizevec_free(&sel);
        jql_results_free(r);
        jql_score_options alone = jql_score_options_current(opts);
        alone.threads = 1;
        return jql_score_reusing(ds, c, period, &alone, spare, out);
    }
    if (!rc)
        jql_evidence_finish(&ctx);
    if (!rc)
        rc = jql_rank_units(r, c);
    if (!rc)
        rc = jql_results_index_units(r);
    if (!rc)
        rc = jql_score_warn(r, c, empty, as_of);
    jql_score_units_done(&ctx); /* the other blocks' evidence in place */
    jql_score_ctx_free(&ctx);
    jql_sizevec_free(&sel);
    if (rc) {
        jql_results_free(r);
        return rc;
    }
    *out = r;
    return JQL_OK;
}
