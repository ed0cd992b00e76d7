/*
 * Roll-up measures bottom-up, once per subtree.
 *
 * A roll-up measure of a unit covers its whole subtree, so walking the
 * subtree for every unit costs n^2/2 unit visits in a chain of n units.
 * For reports, events and tasks the summary of a subtree is the unit's own
 * plus its children's: it is computed for every unit of the dataset in one
 * pass (reverse pre-order: children before parents) per filter (report
 * kind, event kind or task field), with the number, first and last index
 * of the records it cites. A task owned by several units counts once in a
 * subtree, which a sum cannot tell: its duplicates are taken off each
 * subtree's counts (rollup_tasks.c). Directives likewise: those addressed
 * by id are summed less their duplicates, those addressed to a level are
 * added once per subtree that holds units of that level (one such level in
 * a subtree; with more, or a directive addressed to units and levels, the
 * sums are inexact and the subtree's directives are listed from the index
 * below and counted). Statistics are summed the same way
 * (score_rollup_stats.c).
 *
 * Evidence: a unit's records are a run of its parent's evidence slice when
 * that run, found by binary search, starts and ends with the unit's first
 * and last records and is as long as their number (the slice is sorted and
 * holds every record of the parent's subtree, so the run then is exactly
 * the unit's). The unit then points into the parent's slice; otherwise (or
 * when the subtree holds a record of several units) its records are listed
 * from the memo's index of records by unit in pre-order
 * (score_rollup_ev.c), in time about their number: no subtree is walked
 * while the index fits the budget below. A chain listed parent first
 * stores and visits its records once.
 *
 * Roll-up vetoes and tie-breakers are measured for every scored unit before
 * the units are scored (a tie-breaker's keys go straight to the units' key
 * arrays), one filter at a time, so thousands of them on distinct filters
 * keep one filter's summaries in memory. A measurement that fails (a sum
 * beyond 64 bits) stops that veto's or tie-breaker's: the failing unit and
 * those after it are measured while scored, so the scoring fails where it
 * always did. The summaries of leaves and items, and their indexes, stay
 * while scoring, ROLLUP_MEMO_MAX bytes (or twice the results) at most in all,
 * those of task fields, event kinds and report kinds what the results
 * leave of ROLLUP_MEMO_MAX (ROLLUP_OWNED_MIN at least: score_rollup.h);
 * roll-ups past that (thousands of distinct filters) are walked.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "score_rollup.h"

/* ru_agg.lvl: the subtree holds units of several levels with directives */
#define RU_LEVELS ((size_t)-2)

/* A subtree's summary. Reports: n[] = due, on_time, missing, incomplete;
   tasks: due, completed, completed_late, overdue; events: n[0] = count;
   directives: due, completed. */
struct ru_agg {
    size_t n[4];
    size_t latest; /* reports: the latest report, JQL_NONE */
    int32_t worst; /* reports: worst days late */
    bool shared;   /* tasks: one with several owners lies in the subtree;
                      directives: one addressed to several (or by id and level) */
    bool inexact;  /* shared, and n[] not its distinct records: directives
                      addressed to units and levels, or several levels */
    size_t lvl;    /* directives: the level (slot) with directives its units
                      have, JQL_NONE, or RU_LEVELS */
    __int128 points;
    size_t lo, hi; /* first and last record cited (when n[0] > 0) */
    size_t ev_at;  /* the unit's evidence slice in r->evlist, JQL_NONE */
};

static bool filter_ok(const char *filter, const char *value)
{
    /* the first byte first: most records of another kind differ there */
    return filter == NULL ||
           (value != NULL && value[0] == filter[0] && strcmp(filter, value) == 0);
}

static void cite(ru_agg *g, size_t i)
{
    if (g->n[0] == 0 || i < g->lo)
        g->lo = i;
    if (g->n[0] == 0 || i > g->hi)
        g->hi = i;
}

static void own_reports(const jql_dataset *ds, size_t u, jql_range r, const char *kind, ru_agg *g)
{
    const jql_sizevec *list = &ds->by_unit[u].reports;
    const jql_date_spans *dates = &ds->by_unit[u].reports_at;
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            size_t i = list->items[j];
            const jql_report_rec *rep = &ds->reports.items[i];
            if (!jql_range_within(rep->range, r) || !filter_ok(kind, rep->kind) ||
                jql_q_after_as_of(rep->due, r))
                continue; /* as of then, a report due later is not due yet */
            int32_t late = jql_q_days_late_as_of(rep, r);
            if (late < 0)
                g->n[2]++;
            else {
                if (rep->submitted <= rep->due)
                    g->n[1]++;
                if (!rep->complete)
                    g->n[3]++;
            }
            if (g->n[0] == 0 || jql_q_later_than(late, g->worst))
                g->worst = late;
            if (g->latest == JQL_NONE || jql_q_report_after(rep, &ds->reports.items[g->latest], r))
                g->latest = i;
            cite(g, i);
            g->n[0]++;
        }
}

static void own_events(const jql_dataset *ds, size_t u, jql_range r, const char *kind, ru_agg *g)
{
    const jql_sizevec *list = &ds->by_unit[u].events;
    const jql_date_spans *dates = &ds->by_unit[u].events_at;
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            const jql_event_rec *e = &ds->events.items[list->items[j]];
            if (!jql_date_within(e->date, r) || jql_q_after_as_of(e->date, r) ||
                !filter_ok(kind, e->kind))
                continue;
            if (e->points != JQL_NO_SCORE)
                g->points += e->points;
            cite(g, list->items[j]);
            g->n[0]++;
        }
}

static void own_tasks(const jql_dataset *ds, size_t u, jql_range r, const char *field, ru_agg *g)
{
    const jql_sizevec *list = &ds->by_unit[u].tasks;
    const jql_date_spans *dates = &ds->by_unit[u].tasks_at;
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            const jql_task_rec *t = &ds->tasks.items[list->items[j]];
            if (!jql_date_within(t->due, r) || jql_q_after_as_of(t->due, r) ||
                !filter_ok(field, t->field))
                continue;
            if (t->owners.len != 1)
                g->shared = true;
            if (t->status == JQL_TASK_DONE && !jql_q_after_as_of(t->completed, r)) {
                g->n[1]++;
                if (t->completed != JQL_NO_DATE && t->completed > t->due)
                    g->n[2]++;
            } else
                g->n[3]++;
            cite(g, list->items[j]);
            g->n[0]++;
        }
}

static void own_directives(const jql_dataset *ds, size_t u, jql_range r, ru_agg *g)
{
    const jql_sizevec *list = &ds->by_unit[u].directives;
    const jql_date_spans *dates = &ds->by_unit[u].directives_at;
    /* only the blocks due in r: one shared outside it adds nothing to any sum */
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            size_t i = list->items[j];
            const jql_directive_rec *d = &ds->directives.items[i];
            bool done;
            if (d->units.len != 1 || d->nlevels) {
                g->shared = true; /* counted once in a subtree: a sum cannot tell */
                if (d->nlevels || d->units.len == 0) {
                    g->inexact = true;
                    continue;
                }
                /* by id to several: counted at each, the duplicates taken
                   off in build() (rollup_tasks.c); the evidence is walked */
                if (jql_q_directive_due(ds, i, r, &done)) {
                    g->n[1] += done;
                    g->n[0]++;
                }
                continue;
            }
            if (!jql_q_directive_due(ds, i, r, &done))
                continue;
            g->n[1] += done;
            cite(g, i);
            g->n[0]++;
        }
    size_t slot;
    if (jql_strmap_get(&ds->directive_levels, ds->units.items[u].level, &slot) == JQL_OK &&
        ds->level_directives[slot].len)
        g->lvl = slot;
}

/* The directives addressed to level `slot` that are due, as a summary. */
static ru_agg level_directives(const jql_dataset *ds, size_t slot, jql_range r)
{
    ru_agg g = {.latest = JQL_NONE, .ev_at = JQL_NONE, .lvl = JQL_NONE};
    const jql_sizevec *list = &ds->level_directives[slot];
    const jql_date_spans *dates = &ds->level_directives_at[slot];
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            bool done;
            if (!jql_q_directive_due(ds, list->items[j], r, &done))
                continue;
            g.n[1] += done;
            cite(&g, list->items[j]);
            g.n[0]++;
        }
    return g;
}

/* Add child c's subtree summary to its parent's p. */
static void combine(const jql_dataset *ds, jql_range r, ru_kind kind, ru_agg *p, const ru_agg *c)
{
    if (c->lvl != JQL_NONE)
        p->lvl = p->lvl == JQL_NONE || p->lvl == c->lvl ? c->lvl : RU_LEVELS;
    if (c->n[0] == 0) {
        p->shared |= c->shared;
        p->inexact |= c->inexact;
        return;
    }
    if (kind == RU_REPORTS) {
        if (p->n[0] == 0 || jql_q_later_than(c->worst, p->worst))
            p->worst = c->worst;
        if (p->latest == JQL_NONE ||
            jql_q_report_after(&ds->reports.items[c->latest], &ds->reports.items[p->latest], r))
            p->latest = c->latest;
    }
    if (p->n[0] == 0 || c->lo < p->lo)
        p->lo = c->lo;
    if (p->n[0] == 0 || c->hi > p->hi)
        p->hi = c->hi;
    for (int k = 0; k < 4; k++)
        p->n[k] += c->n[k];
    p->points += c->points;
    p->shared |= c->shared;
    p->inexact |= c->inexact;
}

/* Units in pre-order (roots in index order, children in insertion order). */
static int preorder(const jql_dataset *ds, struct jql_rollup *ru)
{
    size_t n = ds->units.len, len = 0;
    ru->pre = jql_malloc((n ? n : 1) * sizeof *ru->pre);
    jql_sizevec stack = {0};
    if (!ru->pre)
        return JQL_ENOMEM;
    for (size_t root = 0; root < n; root++) {
        if (ds->units.items[root].parent != JQL_NONE)
            continue;
        if (jql_sizevec_push(&stack, root)) {
            jql_sizevec_free(&stack);
            return JQL_ENOMEM;
        }
        while (stack.len && len < n) {
            size_t u = stack.items[--stack.len];
            ru->pre[len++] = u;
            const jql_sizevec *ch = &ds->units.items[u].children;
            for (size_t k = ch->len; k-- > 0;)
                if (jql_sizevec_push(&stack, ch->items[k])) {
                    jql_sizevec_free(&stack);
                    return JQL_ENOMEM;
                }
        }
    }
    jql_sizevec_free(&stack);
    ru->off = len != n; /* the dataset's links form no forest */
    return JQL_OK;
}

size_t jql_rollup_budget_forced, jql_rollup_owned_forced;

/* The scoring's roll-up state, made on first use: the summaries' budgets
   (score_rollup.h) and the units' pre-order. 0 or JQL_ENOMEM. */
int jql_rollup_ready(jql_score_ctx *ctx)
{
    if (!ctx->rollup) {
        if (!(ctx->rollup = jql_calloc(1, sizeof *ctx->rollup)))
            return JQL_ENOMEM;
        /* the results' nodes and items: units x criteria (within
           max_results, so this cannot overflow) */
        const jql_criteria *c = ctx->c;
        size_t cells = (ctx->r ? ctx->r->nunits : 0) * (c->nnodes + c->nbonus + c->ndeductions);
        size_t once = cells * sizeof(jql_res_node), twice = 2 * once;
        ctx->rollup->budget = twice > ROLLUP_MEMO_MAX ? twice : ROLLUP_MEMO_MAX;
        /* owned: what the results leave of ROLLUP_MEMO_MAX, ROLLUP_OWNED_MIN at least */
        ctx->rollup->owned_budget = once < ROLLUP_MEMO_MAX - ROLLUP_OWNED_MIN
                                        ? ROLLUP_MEMO_MAX - once
                                        : ROLLUP_OWNED_MIN;
        if (jql_rollup_budget_forced)
            ctx->rollup->budget = ctx->rollup->owned_budget = jql_rollup_budget_forced;
        if (jql_rollup_owned_forced)
            ctx->rollup->owned_budget = jql_rollup_owned_forced;
    }
    struct jql_rollup *ru = ctx->rollup;
    if (!ru->pre && !ru->off && preorder(ctx->ds, ru))
        return JQL_ENOMEM;
    return JQL_OK;
}

/* Each subtree's level directives, once: a subtree with units of one
   level that has directives adds that level's (summed once per level); one
   with several is walked. 0 or JQL_ENOMEM. */
static int add_level_directives(jql_score_ctx *ctx, ru_agg *g)
{
    const jql_dataset *ds = ctx->ds;
    size_t nl = ds->nlevel_directives;
    ru_agg *lv = jql_calloc(nl ? nl : 1, sizeof *lv);
    bool *done = jql_calloc(nl ? nl : 1, sizeof *done);
    if (!lv || !done) {
        jql_free(lv);
        jql_free(done);
        return JQL_ENOMEM;
    }
    for (size_t u = 0; u < ds->units.len; u++) {
        size_t slot = g[u].lvl;
        if (slot == RU_LEVELS) {
            g[u].shared = g[u].inexact = true;
            continue;
        }
        if (slot == JQL_NONE)
            continue;
        if (!done[slot]) {
            lv[slot] = level_directives(ds, slot, ctx->range);
            done[slot] = true;
        }
        combine(ds, ctx->range, RU_DIRECTIVES, &g[u], &lv[slot]);
    }
    jql_free(lv);
    jql_free(done);
    return 0;
}

static ru_agg *build(jql_score_ctx *ctx, ru_kind kind, const char *filter)
{
    const jql_dataset *ds = ctx->ds;
    struct jql_rollup *ru = ctx->rollup;
    size_t n = ds->units.len;
    ru_agg *g = jql_calloc(n ? n : 1, sizeof *g);
    if (!g)
        return NULL;
    for (size_t u = 0; u < n; u++) {
        g[u].latest = JQL_NONE;
        g[u].ev_at = JQL_NONE;
        g[u].lvl = JQL_NONE;
        if (kind == RU_REPORTS)
            own_reports(ds, u, ctx->range, filter, &g[u]);
        else if (kind == RU_EVENTS)
            own_events(ds, u, ctx->range, filter, &g[u]);
        else if (kind == RU_TASKS)
            own_tasks(ds, u, ctx->range, filter, &g[u]);
        else
            own_directives(ds, u, ctx->range, &g[u]);
    }
    for (size_t k = n; k-- > 0;) {
        size_t u = ru->pre[k], p = ds->units.items[u].parent;
        if (p != JQL_NONE)
            combine(ds, ctx->range, kind, &g[p], &g[u]);
    }
    if (kind == RU_DIRECTIVES && add_level_directives(ctx, g)) {
        jql_free(g);
        return NULL;
    }
    if (kind == RU_TASKS || kind == RU_DIRECTIVES) {
        /* a task of several owners, a directive to several units, once per
           subtree (rollup_tasks.c) */
        int64_t(*dup)[4];
        if (kind == RU_TASKS ? jql_rollup_task_dups(ds, ru->pre, ctx->range, filter, &dup)
                             : jql_rollup_directive_dups(ds, ru->pre, ctx->range, &dup)) {
            jql_free(g);
            return NULL;
        }
        for (size_t u = 0; dup && u < n; u++)
            for (int k = 0; k < 4; k++)
                g[u].n[k] += (size_t)dup[u][k];
        jql_free(dup);
    }
    return g;
}

/* The bytes memo (kind, filter) and its index may still take: a roll-up
   of a task field, event kind or report kind is read past the budget from
   the units holding the field or kind (owners_in, below), so its summaries
   take ru->owned_budget at most, the others ru->budget. */
static size_t room_for(const struct jql_rollup *ru, ru_kind kind, const char *filter)
{
    size_t cap = ru->budget;
    if (filter && kind != RU_DIRECTIVES && ru->owned_budget < cap)
        cap = ru->owned_budget;
    return cap > ru->bytes ? cap - ru->bytes : 0;
}

static void remember(struct jql_rollup *ru, ru_kind kind, const char *filter, size_t at)
{
    ru->last.kind = (int)kind;
    ru->last.filter = filter;
    ru->last.at = at;
    ru->last.set = true;
}

/* The memo of (kind, filter) and its index in ru->memo; NULL when roll-ups
   of it are walked. */
static int memo_for(jql_score_ctx *ctx, ru_kind kind, const char *filter, ru_agg **out,
                    size_t *at_out)
{
    *out = NULL;
    if (jql_rollup_ready(ctx))
        return JQL_ENOMEM;
    struct jql_rollup *ru = ctx->rollup;
    if (ru->off)
        return JQL_OK;
    if (ru->last.set && ru->last.kind == (int)kind && ru->last.filter == filter) {
        *out = ru->memo[ru->last.at];
        *at_out = ru->last.at;
        return JQL_OK;
    }
    jql_buf key;
    jql_buf_init(&key);
    jql_buf_printf(&key, "%d\x1f", (int)kind);
    if (filter)
        jql_buf_puts(&key, filter);
    else
        jql_buf_putc(&key, '\x1e'); /* NULL differs from "" */
    int rc = key.failed ? JQL_ENOMEM : JQL_OK;
    size_t at = 0;
    if (!rc && jql_strmap_get(&ru->keys, key.data, &at) == JQL_OK) {
        *out = ru->memo[at];
    } else if (!rc) {
        size_t bytes = ctx->ds->units.len * sizeof(ru_agg);
        ru_agg *g = NULL;
        if (bytes <= room_for(ru, kind, filter)) {
            if (!(g = build(ctx, kind, filter)))
                rc = JQL_ENOMEM;
            else
                ru->bytes += bytes;
        }
        /* past the budget the key maps to NULL: walked from now on */
        if (!rc && (jql_vec_grow((void **)&ru->memo, &ru->memo_cap, ru->nmemo + 1,
                                 sizeof *ru->memo) ||
                    jql_vec_grow((void **)&ru->ix, &ru->ix_cap, ru->nmemo + 1, sizeof *ru->ix)))
            rc = JQL_ENOMEM;
        if (!rc && jql_strmap_put(&ru->keys, key.data, ru->nmemo))
            rc = JQL_ENOMEM;
        if (rc) {
            if (g)
                ru->bytes -= bytes;
            jql_free(g);
        } else {
            at = ru->nmemo;
            ru->ix[at] = NULL;
            ru->memo[ru->nmemo++] = g;
            *out = g;
        }
    }
    if (!rc) {
        remember(ru, kind, filter, at);
        *at_out = at;
    }
    jql_buf_free(&key);
    return rc;
}

size_t jql_rollup_run(const jql_results *r, size_t parent_at, size_t parent_cnt, jql_ev_kind k,
                      size_t cnt, size_t lo_i, size_t hi_i)
{
    if (parent_at == JQL_NONE || cnt == 0)
        return JQL_NONE;
    const uint64_t *s = &r->evlist[parent_at];
    uint64_t lo = jql_evidence_ref(k, lo_i), hi = jql_evidence_ref(k, hi_i);
    size_t a = 0, b = parent_cnt;
    while (a < b) { /* the first entry >= lo */
        size_t mid = a + (b - a) / 2;
        if (s[mid] < lo)
            a = mid + 1;
        else
            b = mid;
    }
    if (a + cnt > parent_cnt || s[a] != lo || s[a + cnt - 1] != hi)
        return JQL_NONE;
    return parent_at + a;
}

/* The unit's records as a run of its parent's slice, or JQL_NONE. */
static size_t run_in_parent(jql_score_ctx *ctx, ru_agg *g, size_t u, jql_ev_kind k)
{
    size_t p = ctx->ds->units.items[u].parent;
    if (p == JQL_NONE)
        return JQL_NONE;
    return jql_rollup_run(ctx->r, g[p].ev_at, g[p].n[0], k, g[u].n[0], g[u].lo, g[u].hi);
}

/* Memo `at`'s index, made on first use; NULL when past the budget (then
   its subtrees are walked, as they were before there was one). */
static int index_for(jql_score_ctx *ctx, ru_kind kind, const char *filter, size_t at,
                     const ru_index **out)
{
    struct jql_rollup *ru = ctx->rollup;
    *out = ru->ix[at] == RU_NO_INDEX ? NULL : ru->ix[at];
    if (ru->ix[at])
        return JQL_OK;
    ru_index *ix;
    if (jql_rollup_index_make(ctx, kind, filter, room_for(ru, kind, filter), &ix))
        return JQL_ENOMEM;
    if (!ix) {
        ru->ix[at] = RU_NO_INDEX;
        return JQL_OK;
    }
    ru->bytes += jql_rollup_index_bytes(ix);
    *out = ru->ix[at] = ix;
    return JQL_OK;
}

static int rollup_query(jql_score_ctx *ctx, size_t u, ru_kind kind, const char *filter,
                        jql_ev_kind evk, jql_sizevec *ev, ru_agg *sum, bool *walk)
{
    ru_agg *g = NULL;
    size_t at = 0;
    *walk = true;
    if (ctx->ds->units.items[u].children.len == 0)
        return JQL_OK; /* its own records: the walk is as short */
    int rc = memo_for(ctx, kind, filter, &g, &at);
    if (rc || !g)
        return rc;
    const ru_index *ix = NULL;
    /* a subtree holding a record of several units: its evidence (and when
       the sums are inexact its counts) listed from the index */
    if (g[u].shared && (ev || g[u].inexact)) {
        if ((rc = index_for(ctx, kind, filter, at, &ix)) || !ix)
            return rc; /* past the budget: walked */
        *sum = g[u];
        jql_sizevec local = {0}, *to = ev ? ev : &local;
        size_t n[2];
        if ((rc = jql_rollup_index_list(ctx, ix, u, to, n)) == JQL_OK && g[u].inexact) {
            sum->n[0] = n[0]; /* directives: due, completed */
            sum->n[1] = n[1];
        }
        jql_sizevec_free(&local);
        *walk = rc != JQL_OK;
        return rc;
    }
    *sum = g[u];
    if (!ev || g[u].n[0] == 0) {
        *walk = false;
        return JQL_OK;
    }
    if (g[u].ev_at == JQL_NONE) {
        size_t run = run_in_parent(ctx, g, u, evk);
        if (run != JQL_NONE) {
            g[u].ev_at = run;
            ctx->ev_at = run;
            ctx->ev_n = g[u].n[0];
            *walk = false;
            return JQL_OK;
        }
        /* listed (or walked): jql_measure_eval() stores the records and
           tells g[u] */
        ctx->ev_memo = &g[u].ev_at;
        if ((rc = index_for(ctx, kind, filter, at, &ix)) || !ix)
            return rc;
        rc = jql_rollup_index_list(ctx, ix, u, ev, NULL);
        *walk = rc != JQL_OK;
        return rc;
    }
    ctx->ev_at = g[u].ev_at; /* measured before, by another leaf */
    ctx->ev_n = g[u].n[0];
    *walk = false;
    return JQL_OK;
}

/* Past the summaries' budget a roll-up of a task field, event kind or
   report kind reads only the units of the subtree that hold such a record, found by
   halving a list of (field or kind, pre-order position) pairs: walking
   every unit of the subtree for every scored unit and leaf took 24 s for
   the 10 top units of a 100,000-unit chain under 1,000 leaves of distinct
   task fields. The answers are the walk's (records of other units do not
   count). */
struct ru_owner {
    uintptr_t key; /* the pooled field or kind */
    size_t pos;    /* the unit's pre-order position */
};

static int cmp_owner(const void *a, const void *b)
{
    const struct ru_owner *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* which 0: every task's field and owners; 1: every event's kind and
   unit; 2: every report's. */
static int owners_make(jql_score_ctx *ctx, int which)
{
    struct jql_rollup *ru = ctx->rollup;
    const jql_dataset *ds = ctx->ds;
    if (ru->owners_made[which])
        return JQL_OK;
    if (jql_rollup_tree_ready(ctx))
        return JQL_ENOMEM;
    size_t n = 0;
    if (which == 0)
        for (size_t i = 0; i < ds->tasks.len; i++)
            n += ds->tasks.items[i].field ? ds->tasks.items[i].owners.len : 0;
    else
        n = which == 1 ? ds->events.len : ds->reports.len;
    struct ru_owner *o = jql_malloc((n ? n : 1) * sizeof *o);
    if (!o)
        return JQL_ENOMEM;
    size_t w = 0;
    if (which == 0) {
        for (size_t i = 0; i < ds->tasks.len; i++) {
            const jql_task_rec *t = &ds->tasks.items[i];
            for (size_t k = 0; t->field && k < t->owners.len; k++)
                o[w++] = (struct ru_owner){(uintptr_t)t->field, ru->pos[t->owners.items[k]]};
        }
    } else if (which == 1) {
        for (size_t i = 0; i < ds->events.len; i++)
            if (ds->events.items[i].kind)
                o[w++] = (struct ru_owner){(uintptr_t)ds->events.items[i].kind,
                                           ru->pos[ds->events.items[i].unit]};
    } else {
        for (size_t i = 0; i < ds->reports.len; i++)
            if (ds->reports.items[i].kind)
                o[w++] = (struct ru_owner){(uintptr_t)ds->reports.items[i].kind,
                                           ru->pos[ds->reports.items[i].unit]};
    }
    qsort(o, w, sizeof *o, cmp_owner);
    size_t d = 0; /* a unit once per key */
    for (size_t i = 0; i < w; i++)
        if (d == 0 || cmp_owner(&o[d - 1], &o[i]) != 0)
            o[d++] = o[i];
    ru->owners[which] = o;
    ru->nowners[which] = d;
    ru->owners_made[which] = true;
    return JQL_OK;
}

/* The units of u's subtree holding a record of `filter` (which: as
   above), in pre-order, into *out. JQL_OK or JQL_ENOMEM. */
static int owners_in(jql_score_ctx *ctx, int which, const char *filter, size_t u,
                     jql_sizevec *out)
{
    int rc = owners_make(ctx, which);
    if (rc)
        return rc;
    struct jql_rollup *ru = ctx->rollup;
    const char *pooled = jql_q_pooled(ctx->ds, filter);
    if (pooled == jql_q_no_match() || strcmp(pooled, filter) != 0)
        return JQL_OK; /* no record has it */
    const struct ru_owner *o = ru->owners[which];
    struct ru_owner k = {(uintptr_t)pooled, ru->pos[u]};
    size_t a = 0, b = ru->nowners[which], end = ru->pos[u] + ru->size[u];
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (cmp_owner(&o[mid], &k) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    for (; a < ru->nowners[which] && o[a].key == k.key && o[a].pos < end; a++)
        if (jql_sizevec_push(out, ru->pre[o[a].pos]))
            return JQL_ENOMEM;
    return JQL_OK;
}

/* A walk of u's subtree (no summary): of the units holding records of the
   field or kind when there is one and u has descendants. */
static bool by_owners(const jql_score_ctx *ctx, size_t u, const char *filter)
{
    return filter && ctx->rollup && !ctx->rollup->off && ctx->ds->units.items[u].children.len;
}

int jql_rollup_reports(jql_score_ctx *ctx, size_t u, const char *kind, jql_report_summary *out,
                       jql_sizevec *ev)
{
    ru_agg g;
    bool walk;
    int rc = rollup_query(ctx, u, RU_REPORTS, kind, JQL_EV_REPORT, ev, &g, &walk);
    if (rc)
        return rc;
    if (walk && by_owners(ctx, u, kind)) {
        jql_sizevec units = {0};
        if ((rc = owners_in(ctx, 2, kind, u, &units)) == JQL_OK)
            rc = jql_q_reports_over(ctx->ds, &units, ctx->range, kind, out, ev);
        jql_sizevec_free(&units);
        return rc;
    }
    if (walk)
        return jql_q_reports(ctx->ds, u, ctx->range, kind, true, out, ev);
    memset(out, 0, sizeof *out);
    out->due = g.n[0];
    out->on_time = g.n[1];
    out->missing = g.n[2];
    out->incomplete = g.n[3];
    if (g.n[0]) {
        out->worst_days_late = g.worst;
        out->latest_days_late = jql_q_days_late_as_of(&ctx->ds->reports.items[g.latest], ctx->range);
    }
    return JQL_OK;
}

int jql_rollup_events(jql_score_ctx *ctx, size_t u, const char *kind, size_t *count,
                      jql_milli *points, jql_sizevec *ev)
{
    ru_agg g;
    bool walk;
    int rc = rollup_query(ctx, u, RU_EVENTS, kind, JQL_EV_EVENT, ev, &g, &walk);
    if (rc)
        return rc;
    if (walk && by_owners(ctx, u, kind)) {
        jql_sizevec units = {0};
        if ((rc = owners_in(ctx, 1, kind, u, &units)) == JQL_OK)
            rc = jql_q_events_over(ctx->ds, &units, ctx->range, kind, count, points, ev);
        jql_sizevec_free(&units);
        return rc;
    }
    if (walk)
        return jql_q_events(ctx->ds, u, ctx->range, kind, true, count, points, ev);
    if (points && (g.points > INT64_MAX || g.points < INT64_MIN))
        return jql_fail(JQL_ELIMIT, "value out of range (exceeds 64-bit thousandths)");
    *count = g.n[0];
    if (points)
        *points = (jql_milli)g.points;
    return JQL_OK;
}

int jql_rollup_directives(jql_score_ctx *ctx, size_t u, jql_directive_summary *out,
                          jql_sizevec *ev)
{
    ru_agg g;
    bool walk;
    int rc = rollup_query(ctx, u, RU_DIRECTIVES, NULL, JQL_EV_DIRECTIVE, ev, &g, &walk);
    if (rc)
        return rc;
    if (walk)
        return jql_q_directives(ctx->ds, u, ctx->range, true, out, ev);
    out->due = g.n[0];
    out->completed = g.n[1];
    return JQL_OK;
}

int jql_rollup_tasks(jql_score_ctx *ctx, size_t u, const char *field, jql_task_summary *out,
                     jql_sizevec *ev)
{
    ru_agg g;
    bool walk;
    int rc = rollup_query(ctx, u, RU_TASKS, field, JQL_EV_TASK, ev, &g, &walk);
    if (rc)
        return rc;
    if (walk && by_owners(ctx, u, field)) {
        jql_sizevec units = {0};
        if ((rc = owners_in(ctx, 0, field, u, &units)) == JQL_OK)
            rc = jql_q_tasks_over(ctx->ds, &units, ctx->range, field, out, ev);
        jql_sizevec_free(&units);
        return rc;
    }
    if (walk)
        return jql_q_tasks(ctx->ds, u, ctx->range, field, true, out, ev);
    out->due = g.n[0];
    out->completed = g.n[1];
    out->completed_late = g.n[2];
    out->overdue = g.n[3];
    return JQL_OK;
}

static void drop_memos(struct jql_rollup *ru)
{
    for (size_t i = 0; i < ru->nmemo; i++) {
        jql_free(ru->memo[i]);
        jql_rollup_index_free(ru->ix[i]);
    }
    ru->nmemo = 0;
    for (size_t i = 0; i < ru->nst; i++) {
        jql_free(ru->st_memo[i]);
        jql_rollup_index_free(ru->st_ix[2 * i]);
        jql_rollup_index_free(ru->st_ix[2 * i + 1]);
    }
    ru->nst = 0;
    jql_strmap_free(&ru->st_keys);
    memset(&ru->st_keys, 0, sizeof ru->st_keys);
    ru->bytes = 0;
    jql_strmap_free(&ru->keys);
    memset(&ru->keys, 0, sizeof ru->keys);
    ru->last.set = ru->st_last.set = false;
}

/* Units measured in scoring order from the first until one fails: how many. */
static size_t measure_units(jql_score_ctx *ctx, const jql_measure *m, jql_mval *mv)
{
    const jql_results *r = ctx->r;
    size_t done = 0;
    while (done < r->nunits &&
           jql_measure_eval(ctx, r->units[done].ds_index, m, &mv[done], false, NULL) == JQL_OK)
        done++;
    return done;
}

/* Each roll-up tie-breaker's keys, written to the units' key arrays. */
static int tiebreaks_before(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    jql_results *r = ctx->r;
    size_t nt = c->ntiebreaks, nu = r->nunits;
    bool any = false;
    for (size_t i = 0; i < nt; i++)
        any |= c->tiebreaks[i].kind == JQL_TB_MEASURE && c->tiebreaks[i].measure.rollup;
    if (!any || nu == 0)
        return 0;
    ctx->tb_pre = jql_calloc(nt, sizeof *ctx->tb_pre);
    jql_mval *mv = jql_malloc(nu * sizeof *mv);
    if (!ctx->tb_pre || !mv) {
        jql_free(mv);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nt; i++) {
        const jql_tiebreak *t = &c->tiebreaks[i];
        if (t->kind != JQL_TB_MEASURE || !t->measure.rollup)
            continue;
        ctx->tb_pre[i] = measure_units(ctx, &t->measure, mv);
        for (size_t k = 0; k < ctx->tb_pre[i]; k++)
            jql_tb_key_of(t, &mv[k], (jql_tb_key *)&r->units[k].tb[i]);
        if (ctx->rollup)
            drop_memos(ctx->rollup); /* one filter's summaries at a time */
    }
    jql_free(mv);
    return 0;
}

static int vetoes_before(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    const jql_results *r = ctx->r;
    size_t nv = c->nvetoes, nu = r->nunits;
    bool any = false;
    for (size_t i = 0; i < nv; i++)
        any |= !c->vetoes[i].on_event && c->vetoes[i].measure.rollup;
    if (!any || nu == 0)
        return 0;
    ctx->veto_pre = jql_calloc(nv, sizeof *ctx->veto_pre);
    ctx->veto_bits = jql_calloc(nu * nv / 64 + 1, sizeof *ctx->veto_bits);
    jql_mval *mv = jql_calloc(nu, sizeof *mv);
    int rc = !ctx->veto_pre || !ctx->veto_bits || !mv ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
    for (size_t i = 0; !rc && i < nv; i++) {
        const jql_veto *v = &c->vetoes[i];
        if (ctx->veto_first[i] != i || v->on_event || !v->measure.rollup)
            continue;
        /* a measurement that fails (a sum beyond 64 bits) stops here: the
           unit is measured again while scored and fails there */
        size_t done = measure_units(ctx, &v->measure, mv);
        for (size_t j = i; j < nv; j++) {
            if (ctx->veto_first[j] != i)
                continue;
            ctx->veto_pre[j] = done;
            for (size_t k = 0; k < done; k++)
                if (!mv[k].no_data && jql_cond_holds(&c->vetoes[j].cond, &mv[k])) {
                    size_t bit = k * nv + j;
                    ctx->veto_bits[bit / 64] |= UINT64_C(1) << (bit % 64);
                }
        }
        if (ctx->rollup)
            drop_memos(ctx->rollup); /* one filter's summaries at a time */
    }
    jql_free(mv);
    return rc;
}

static bool computed_rollup(const jql_node *n)
{
    return n->is_leaf && n->method.kind != JQL_METHOD_MANUAL &&
           n->method.kind != JQL_METHOD_CUSTOM && n->measure.rollup;
}

/* A roll-up leaf that a walk past the budget would read unit by unit:
   not a task field, event kind or report kind, which are read from the
   units holding them (owners_in: cheaper than a summary of every unit),
   nor statistics, read from the index of their records by unit
   (score_rollup_stats.c; measured before scoring, the 10 top units of a
   100,000-unit chain under 1,000 indicators took 6.1 s, from the index
   0.4 s). */
static bool rollup_leaf(const jql_node *n)
{
    const jql_measure *m = &n->measure;
    if (!computed_rollup(n))
        return false;
    switch (m->kind) {
    case JQL_M_TASK_SHARE_COMPLETED:
    case JQL_M_TASK_OVERDUE:
    case JQL_M_TASK_SHARE_LATE: return m->field == NULL;
    case JQL_M_EVENT_COUNT:
    case JQL_M_EVENT_POINTS: return m->event_kind == NULL;
    case JQL_M_DIRECTIVE_SHARE_COMPLETED: return true;
    case JQL_M_INDICATOR_VALUE:
    case JQL_M_INDICATOR_RATIO:
    case JQL_M_INDICATOR_CHANGE: return false;
    default: return m->report_kind == NULL; /* the report measures */
    }
}

/* Roll-up leaves measured before scoring, one filter's summaries at a
   time, when no evidence is kept and their summaries together would pass
   the budget (one per unit of the dataset and filter): past it each
   subtree was walked for every scored unit (a 100,000-unit chain, its 10
   top units scored under 1,000 roll-up leaves of distinct task fields:
   23 s for a 9.6 MB file). With evidence the leaves are measured while
   scored (their records are listed from the summaries' indexes). */
static int leaves_before(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    const jql_results *r = ctx->r;
    size_t nu = r->nunits, nl = 0, all = 0;
    if (ctx->evidence || nu == 0)
        return 0;
    for (size_t n = 0; n < c->nnodes; n++) {
        nl += rollup_leaf(&c->nodes[n]);
        all += computed_rollup(&c->nodes[n]);
    }
    if (nl == 0)
        return 0;
    if (jql_rollup_ready(ctx))
        return jql_fail(JQL_ENOMEM, "out of memory");
    /* the others' summaries take the budget too, first come first kept */
    size_t per = (ctx->ds->units.len ? ctx->ds->units.len : 1) * sizeof(ru_agg);
    if (all <= ctx->rollup->budget / per)
        return 0; /* every summary fits: kept while scoring */
    ctx->leaf_pre = jql_calloc(c->nnodes, sizeof *ctx->leaf_pre);
    ctx->leaf_val = jql_calloc(c->nnodes, sizeof *ctx->leaf_val);
    if (!ctx->leaf_pre || !ctx->leaf_val)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t n = 0; n < c->nnodes; n++) {
        if (!rollup_leaf(&c->nodes[n]))
            continue;
        if (!(ctx->leaf_val[n] = jql_malloc(nu * sizeof *ctx->leaf_val[n])))
            return jql_fail(JQL_ENOMEM, "out of memory");
        /* a measurement that fails stops here: that unit is measured
           again while scored and fails there */
        ctx->leaf_pre[n] = measure_units(ctx, &c->nodes[n].measure, ctx->leaf_val[n]);
        drop_memos(ctx->rollup); /* one filter's summaries at a time */
    }
    return 0;
}

int jql_rollup_before_scoring(jql_score_ctx *ctx)
{
    int rc = vetoes_before(ctx);
    if (!rc)
        rc = tiebreaks_before(ctx);
    return rc ? rc : leaves_before(ctx);
}

void jql_rollup_free(jql_score_ctx *ctx)
{
    struct jql_rollup *ru = ctx->rollup;
    jql_free(ctx->veto_pre);
    jql_free(ctx->veto_bits);
    jql_free(ctx->tb_pre);
    for (size_t n = 0; ctx->leaf_val && n < ctx->c->nnodes; n++)
        jql_free(ctx->leaf_val[n]);
    jql_free(ctx->leaf_val);
    jql_free(ctx->leaf_pre);
    ctx->leaf_val = NULL;
    ctx->leaf_pre = NULL;
    if (!ru)
        return;
    drop_memos(ru);
    jql_free(ru->memo);
    jql_free(ru->ix);
    jql_free(ru->pos);
    jql_free(ru->size);
    for (int i = 0; i < 3; i++)
        jql_free(ru->owners[i]);
    jql_lifting_free(&ru->lift);
    jql_free(ru->st_memo);
    jql_free(ru->st_ix);
    jql_free(ru->pre);
    jql_free(ru);
    ctx->rollup = NULL;
}
