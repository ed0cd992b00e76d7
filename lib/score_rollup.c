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
 * subtree, which a sum cannot tell: a subtree holding such a task is
 * walked as before. Directives likewise: those addressed by id to one unit
 * are summed, those addressed to a level are added once per subtree that
 * holds units of that level (one such level in a subtree; more, or a
 * directive addressed to several units or to units and levels, and the
 * subtree is walked). Statistics are summed the same way (below).
 *
 * Evidence: a unit's records are a run of its parent's evidence slice when
 * that run, found by binary search, starts and ends with the unit's first
 * and last records and is as long as their number (the slice is sorted and
 * holds every record of the parent's subtree, so the run then is exactly
 * the unit's). The unit then points into the parent's slice; otherwise its
 * records are collected by the walk. A chain listed parent first stores
 * and visits its records once.
 *
 * Roll-up vetoes are measured for every scored unit before the units are
 * scored, one filter at a time, so thousands of vetoes on distinct filters
 * keep one filter's summaries in memory. Those of leaves, items and
 * tie-breakers stay while scoring, ROLLUP_MEMO_MAX bytes at most in all;
 * roll-ups past that (thousands of distinct filters) are walked.
 */
#include <stdio.h>
#include <string.h>

#include "score_internal.h"

#define ROLLUP_MEMO_MAX ((size_t)256 << 20)

typedef enum { RU_REPORTS, RU_EVENTS, RU_TASKS, RU_DIRECTIVES } ru_kind;

/* ru_agg.lvl: the subtree holds units of several levels with directives */
#define RU_LEVELS ((size_t)-2)

/* A subtree's summary. Reports: n[] = due, on_time, missing, incomplete;
   tasks: due, completed, completed_late, overdue; events: n[0] = count;
   directives: due, completed. */
typedef struct {
    size_t n[4];
    size_t latest; /* reports: the latest report, JQL_NONE */
    int32_t worst; /* reports: worst days late */
    bool shared;   /* tasks: one with several owners lies in the subtree;
                      directives: one addressed to several (or by id and level) */
    size_t lvl;    /* directives: the level (slot) with directives its units
                      have, JQL_NONE, or RU_LEVELS */
    __int128 points;
    size_t lo, hi; /* first and last record cited (when n[0] > 0) */
    size_t ev_at;  /* the unit's evidence slice in r->evlist, JQL_NONE */
} ru_agg;

typedef struct st_agg st_agg;

typedef struct jql_rollup {
    size_t *pre;         /* units in pre-order */
    jql_strmap keys;     /* kind and filter -> memo index */
    ru_agg **memo;
    size_t nmemo, memo_cap, bytes;
    bool off;            /* no pre-order (never for a valid dataset) */
    jql_strmap st_keys;  /* statistics: measure -> index in st_memo */
    st_agg **st_memo;
    size_t nst, st_cap;
} jql_rollup;

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
    for (size_t j = 0; j < list->len; j++) {
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
    for (size_t j = 0; j < list->len; j++) {
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
    for (size_t j = 0; j < list->len; j++) {
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
    for (size_t j = 0; j < list->len; j++) {
        size_t i = list->items[j];
        const jql_directive_rec *d = &ds->directives.items[i];
        bool done;
        if (d->units.len != 1 || d->nlevels) {
            g->shared = true; /* counted once in a subtree: a sum cannot tell */
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
    for (size_t j = 0; j < list->len; j++) {
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
}

/* Units in pre-order (roots in index order, children in insertion order). */
static int preorder(const jql_dataset *ds, jql_rollup *ru)
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
            g[u].shared = true;
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
    jql_rollup *ru = ctx->rollup;
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
    return g;
}

/* The memo of (kind, filter); NULL when roll-ups of it are walked. */
static int memo_for(jql_score_ctx *ctx, ru_kind kind, const char *filter, ru_agg **out)
{
    *out = NULL;
    if (!ctx->rollup && !(ctx->rollup = jql_calloc(1, sizeof *ctx->rollup)))
        return JQL_ENOMEM;
    jql_rollup *ru = ctx->rollup;
    if (!ru->pre && !ru->off && preorder(ctx->ds, ru))
        return JQL_ENOMEM;
    if (ru->off)
        return JQL_OK;
    jql_buf key;
    jql_buf_init(&key);
    jql_buf_printf(&key, "%d\x1f", (int)kind);
    if (filter)
        jql_buf_puts(&key, filter);
    else
        jql_buf_putc(&key, '\x1e'); /* NULL differs from "" */
    int rc = key.failed ? JQL_ENOMEM : JQL_OK;
    size_t at;
    if (!rc && jql_strmap_get(&ru->keys, key.data, &at) == JQL_OK) {
        *out = ru->memo[at];
    } else if (!rc) {
        size_t bytes = ctx->ds->units.len * sizeof(ru_agg);
        ru_agg *g = NULL;
        if (bytes <= ROLLUP_MEMO_MAX - ru->bytes) {
            if (!(g = build(ctx, kind, filter)))
                rc = JQL_ENOMEM;
            else
                ru->bytes += bytes;
        }
        /* past the budget the key maps to NULL: walked from now on */
        if (!rc && jql_vec_grow((void **)&ru->memo, &ru->memo_cap, ru->nmemo + 1,
                                sizeof *ru->memo))
            rc = JQL_ENOMEM;
        if (!rc && jql_strmap_put(&ru->keys, key.data, ru->nmemo))
            rc = JQL_ENOMEM;
        if (rc) {
            if (g)
                ru->bytes -= bytes;
            jql_free(g);
        } else {
            ru->memo[ru->nmemo++] = g;
            *out = g;
        }
    }
    jql_buf_free(&key);
    return rc;
}

/* The unit's records as a run of its parent's slice, or JQL_NONE. */
static size_t run_in_parent(jql_score_ctx *ctx, ru_agg *g, size_t u, jql_ev_kind k)
{
    const jql_results *r = ctx->r;
    size_t p = ctx->ds->units.items[u].parent, cnt = g[u].n[0];
    if (p == JQL_NONE || g[p].ev_at == JQL_NONE)
        return JQL_NONE;
    const uint64_t *s = &r->evlist[g[p].ev_at];
    uint64_t lo = jql_evidence_ref(k, g[u].lo), hi = jql_evidence_ref(k, g[u].hi);
    size_t a = 0, b = g[p].n[0];
    while (a < b) { /* the first entry >= lo */
        size_t mid = a + (b - a) / 2;
        if (s[mid] < lo)
            a = mid + 1;
        else
            b = mid;
    }
    if (a + cnt > g[p].n[0] || s[a] != lo || s[a + cnt - 1] != hi)
        return JQL_NONE;
    return g[p].ev_at + a;
}

static int rollup_query(jql_score_ctx *ctx, size_t u, ru_kind kind, const char *filter,
                        jql_ev_kind evk, jql_sizevec *ev, ru_agg *sum, bool *walk)
{
    ru_agg *g = NULL;
    *walk = true;
    if (ctx->ds->units.items[u].children.len == 0)
        return JQL_OK; /* its own records: the walk is as short */
    int rc = memo_for(ctx, kind, filter, &g);
    if (rc || !g || g[u].shared)
        return rc;
    *sum = g[u];
    if (!ev || g[u].n[0] == 0) {
        *walk = false;
        return JQL_OK;
    }
    if (g[u].ev_at == JQL_NONE) {
        size_t at = run_in_parent(ctx, g, u, evk);
        if (at != JQL_NONE) {
            g[u].ev_at = at;
            ctx->ev_at = at;
            ctx->ev_n = g[u].n[0];
            *walk = false;
            return JQL_OK;
        }
        /* walked: jql_measure_eval() stores the records and tells g[u] */
        ctx->ev_memo = &g[u].ev_at;
        return JQL_OK;
    }
    ctx->ev_at = g[u].ev_at; /* measured before, by another leaf */
    ctx->ev_n = g[u].n[0];
    *walk = false;
    return JQL_OK;
}

int jql_rollup_reports(jql_score_ctx *ctx, size_t u, const char *kind, jql_report_summary *out,
                       jql_sizevec *ev)
{
    ru_agg g;
    bool walk;
    int rc = rollup_query(ctx, u, RU_REPORTS, kind, JQL_EV_REPORT, ev, &g, &walk);
    if (rc)
        return rc;
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
    if (walk)
        return jql_q_tasks(ctx->ds, u, ctx->range, field, true, out, ev);
    out->due = g.n[0];
    out->completed = g.n[1];
    out->completed_late = g.n[2];
    out->overdue = g.n[3];
    return JQL_OK;
}

/* ---- statistics ----

   A roll-up value is the units' own values combined (docs/SCORING.md):
   min or max of them, else their exact sum (divided by their number for a
   mean). Per subtree the sum is kept as num / den, den the lcm of the
   units' denominators, with abs = the sum of their absolute values times
   den. While den <= 2^32 and abs < 2^60 * den, adding the same values one
   unit at a time in any order (the walk's, jql_q_stat_exact) never leaves
   the exact arithmetic's bounds, so both give the same reduced fraction;
   past those bounds, or when a unit's own value fails, the subtree is
   walked. A change or ratio reads two such parts (this year and the year
   before, or numerator and denominator). */
#define ST_DEN_MAX ((uint64_t)1 << 32)
#define ST_ABS_BITS 60

typedef struct {
    __int128 num, abs;
    uint64_t den;
    size_t n;           /* units with data */
    jql_milli mn, mx;
    size_t cnt, lo, hi; /* records of the part's values (sorted, distinct) */
    bool walk;
} st_part;

struct st_agg {
    st_part part[2];
    size_t ev_at; /* the unit's evidence slice in r->evlist, JQL_NONE */
};

/* What a statistics roll-up reads: its parts' indicators and windows. */
typedef struct {
    jql_q_stat what;
    size_t nparts;
    size_t ind[2];
    jql_range win[2];
    bool same; /* a ratio of an indicator to itself: both parts one set */
} st_shape;

static st_shape shape_of(const jql_score_ctx *ctx, jql_q_stat what, size_t a, size_t b)
{
    st_shape sh = {what, what == JQL_Q_STAT_VALUE ? 1 : 2, {a, a}, {ctx->range, ctx->range},
                   false};
    if (what == JQL_Q_STAT_CHANGE)
        sh.win[1] = jql_range_year_before(ctx->range);
    if (what == JQL_Q_STAT_RATIO)
        sh.ind[1] = b;
    sh.same = what == JQL_Q_STAT_RATIO && a == b;
    return sh;
}

static uint64_t gcd_u64(uint64_t x, uint64_t y)
{
    while (y) {
        uint64_t t = x % y;
        x = y;
        y = t;
    }
    return x;
}

/* Add value num/den (den > 0; n units) to p; past the bounds p is walked. */
static void st_add(st_part *p, jql_aggregation agg, __int128 num, __int128 abs, uint64_t den,
                   size_t n, jql_milli mn, jql_milli mx)
{
    if (p->walk || n == 0)
        return;
    if (agg == JQL_AGG_MIN || agg == JQL_AGG_MAX) { /* whole thousandths, no sum */
        if (!p->n || mn < p->mn)
            p->mn = mn;
        if (!p->n || mx > p->mx)
            p->mx = mx;
        p->n += n;
        return;
    }
    uint64_t lcm = p->den / gcd_u64(p->den, den) * den; /* both <= 2^32: fits */
    const __int128 lim = (__int128)1 << ST_ABS_BITS;
    if (den > ST_DEN_MAX || lcm > ST_DEN_MAX || abs >= lim * den || p->abs >= lim * p->den) {
        p->walk = true;
        return;
    }
    /* every term below 2^60 * 2^32 * 2^32 = 2^124 */
    __int128 fp = lcm / p->den, fv = lcm / den;
    p->num = p->num * fp + num * fv;
    p->abs = p->abs * fp + abs * fv;
    p->den = lcm;
    p->n += n;
    if (p->abs >= lim * lcm)
        p->walk = true;
}

static void st_cite(st_part *p, size_t cnt, size_t lo, size_t hi)
{
    if (!cnt)
        return;
    if (!p->cnt || lo < p->lo)
        p->lo = lo;
    if (!p->cnt || hi > p->hi)
        p->hi = hi;
    p->cnt += cnt;
}

/* Unit u's own value of part k into g->part[k] (`scratch`: its records). */
static int st_own(const jql_dataset *ds, size_t u, const st_shape *sh, int k, st_agg *g,
                  jql_sizevec *scratch)
{
    st_part *p = &g->part[k];
    jql_ratio v;
    scratch->len = 0;
    int rc = jql_q_value_exact(ds, u, sh->ind[k], sh->win[k], false, &v, scratch);
    if (rc == JQL_ENOTFOUND)
        return JQL_OK;
    if (rc == JQL_ENOMEM)
        return rc;
    if (rc || v.den <= 0 || v.den > (__int128)ST_DEN_MAX) {
        p->walk = true; /* its error (or its size) is the walk's to give */
        return JQL_OK;
    }
    jql_aggregation agg = ds->indicators.items[sh->ind[k]].agg;
    __int128 abs = v.num < 0 ? -v.num : v.num;
    st_add(p, agg, v.num, abs, (uint64_t)v.den, 1, (jql_milli)v.num, (jql_milli)v.num);
    /* the records, sorted and distinct (unit_value) */
    if (scratch->len)
        st_cite(p, scratch->len, scratch->items[0], scratch->items[scratch->len - 1]);
    return JQL_OK;
}

static st_agg *build_stats(jql_score_ctx *ctx, const st_shape *sh, int *rc)
{
    const jql_dataset *ds = ctx->ds;
    size_t n = ds->units.len;
    st_agg *g = jql_calloc(n ? n : 1, sizeof *g);
    jql_sizevec scratch = {0};
    *rc = g ? JQL_OK : JQL_ENOMEM;
    for (size_t u = 0; !*rc && u < n; u++) {
        g[u].ev_at = JQL_NONE;
        for (size_t k = 0; k < 2; k++)
            g[u].part[k].den = 1;
        for (size_t k = 0; !*rc && k < sh->nparts; k++)
            *rc = st_own(ds, u, sh, (int)k, &g[u], &scratch);
    }
    for (size_t i = n; !*rc && i-- > 0;) { /* children before parents */
        size_t u = ctx->rollup->pre[i], p = ds->units.items[u].parent;
        if (p == JQL_NONE)
            continue;
        for (size_t k = 0; k < sh->nparts; k++) {
            st_part *to = &g[p].part[k], *from = &g[u].part[k];
            to->walk |= from->walk;
            st_add(to, ds->indicators.items[sh->ind[k]].agg, from->num, from->abs, from->den,
                   from->n, from->mn, from->mx);
            st_cite(to, from->cnt, from->lo, from->hi);
        }
    }
    jql_sizevec_free(&scratch);
    if (*rc) {
        jql_free(g);
        g = NULL;
    }
    return g;
}

/* The memo of a statistics roll-up; NULL (with 0) when it is walked. */
static int st_memo_for(jql_score_ctx *ctx, const st_shape *sh, st_agg **out)
{
    *out = NULL;
    if (!ctx->rollup && !(ctx->rollup = jql_calloc(1, sizeof *ctx->rollup)))
        return JQL_ENOMEM;
    jql_rollup *ru = ctx->rollup;
    if (!ru->pre && !ru->off && preorder(ctx->ds, ru))
        return JQL_ENOMEM;
    if (ru->off)
        return JQL_OK;
    char key[64];
    snprintf(key, sizeof key, "%d/%zu/%zu", (int)sh->what, sh->ind[0], sh->ind[1]);
    size_t at;
    if (jql_strmap_get(&ru->st_keys, key, &at) == JQL_OK) {
        *out = ru->st_memo[at];
        return JQL_OK;
    }
    size_t bytes = ctx->ds->units.len * sizeof(st_agg);
    st_agg *g = NULL;
    int rc = JQL_OK;
    if (bytes <= ROLLUP_MEMO_MAX - ru->bytes && !(g = build_stats(ctx, sh, &rc)) && rc)
        return rc;
    /* past the budget the key maps to NULL: walked from now on */
    if (jql_vec_grow((void **)&ru->st_memo, &ru->st_cap, ru->nst + 1, sizeof *ru->st_memo) ||
        jql_strmap_put(&ru->st_keys, key, ru->nst)) {
        jql_free(g);
        return JQL_ENOMEM;
    }
    if (g)
        ru->bytes += bytes;
    ru->st_memo[ru->nst++] = g;
    *out = g;
    return JQL_OK;
}

/* A part's value for jql_q_stat_combine(): the parts in the order asked. */
typedef struct {
    const jql_dataset *ds;
    const st_agg *g;
    const st_shape *sh;
    int next;
} st_reader;

static int st_value(void *arg, size_t indicator, jql_range r, jql_ratio *out)
{
    st_reader *rd = arg;
    (void)r;
    const st_part *p = &rd->g->part[rd->next++];
    if (p->n == 0)
        return JQL_ENOTFOUND;
    switch (rd->ds->indicators.items[indicator].agg) {
    case JQL_AGG_MIN: *out = (jql_ratio){p->mn, 1}; return JQL_OK;
    case JQL_AGG_MAX: *out = (jql_ratio){p->mx, 1}; return JQL_OK;
    case JQL_AGG_MEAN: return jql_q_ratio_make(p->num, (__int128)p->den * (__int128)p->n, out);
    default: return jql_q_ratio_make(p->num, p->den, out); /* sum, last: units add up */
    }
}

/* The records a unit's answer cites, when they are one sorted set (the
   walk sorts them on success and cites only the first part's when the
   second has no data); false when they are not (then the walk gives them). */
static bool st_cited(const st_agg *g, const st_shape *sh, int rc, size_t *cnt, size_t *lo,
                     size_t *hi)
{
    const st_part *a = &g->part[0], *b = &g->part[1];
    bool both = sh->nparts == 2 && !sh->same;
    if (rc == JQL_ENOTFOUND && a->n && sh->nparts == 2 && b->n)
        return false; /* both parts measured, then no answer: left unsorted */
    *cnt = a->cnt;
    *lo = a->lo;
    *hi = a->hi;
    if (rc == JQL_OK && both && b->cnt) {
        *lo = !a->cnt || b->lo < a->lo ? b->lo : a->lo;
        *hi = !a->cnt || b->hi > a->hi ? b->hi : a->hi;
        *cnt += b->cnt;
    }
    return true;
}

/* The unit's records as a run of its parent's slice (cnt records from lo
   to hi), or JQL_NONE. */
static size_t st_run_in_parent(jql_score_ctx *ctx, const st_agg *g, size_t u, size_t cnt,
                               size_t lo_i, size_t hi_i, size_t parent_cnt)
{
    const jql_results *r = ctx->r;
    size_t p = ctx->ds->units.items[u].parent;
    if (p == JQL_NONE || g[p].ev_at == JQL_NONE || !cnt)
        return JQL_NONE;
    const uint64_t *s = &r->evlist[g[p].ev_at];
    uint64_t lo = jql_evidence_ref(JQL_EV_STAT, lo_i), hi = jql_evidence_ref(JQL_EV_STAT, hi_i);
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
    return g[p].ev_at + a;
}

int jql_rollup_stats(jql_score_ctx *ctx, size_t u, jql_q_stat what, size_t a, size_t b,
                     jql_ratio *out, jql_sizevec *ev)
{
    const jql_dataset *ds = ctx->ds;
    st_shape sh = shape_of(ctx, what, a, b);
    st_agg *g = NULL;
    int rc = JQL_OK;
    /* a change over windows longer than a year reads some records twice */
    bool overlap = what == JQL_Q_STAT_CHANGE && sh.win[1].end >= sh.win[0].start;
    if (ds->units.items[u].children.len && !overlap)
        rc = st_memo_for(ctx, &sh, &g);
    if (rc)
        return rc;
    if (!g || g[u].part[0].walk || (sh.nparts == 2 && g[u].part[1].walk))
        return jql_q_stat_exact(ds, u, what, a, b, ctx->range, true, NULL, out, ev);
    st_reader rd = {ds, &g[u], &sh, 0};
    rc = jql_q_stat_combine(what, a, b, ctx->range, st_value, &rd, out);
    if (!ev || (rc && rc != JQL_ENOTFOUND))
        return rc; /* an error: the walk's own (its records are not shown) */
    size_t cnt = 0, lo = 0, hi = 0;
    if (!st_cited(&g[u], &sh, rc, &cnt, &lo, &hi))
        return jql_q_stat_exact(ds, u, what, a, b, ctx->range, true, NULL, out, ev);
    if (cnt == 0)
        return rc; /* nothing cited */
    if (g[u].ev_at != JQL_NONE) { /* measured before, by another leaf */
        ctx->ev_at = g[u].ev_at;
        ctx->ev_n = cnt;
        return rc;
    }
    size_t p = ds->units.items[u].parent, pcnt = 0, plo, phi;
    if (p != JQL_NONE && g[p].ev_at != JQL_NONE) {
        /* the parent's slice holds its answer's records: the same kind of set */
        st_reader prd = {ds, &g[p], &sh, 0};
        jql_ratio pv;
        int prc = jql_q_stat_combine(what, a, b, ctx->range, st_value, &prd, &pv);
        if (!st_cited(&g[p], &sh, prc, &pcnt, &plo, &phi))
            pcnt = 0;
    }
    size_t at = pcnt ? st_run_in_parent(ctx, g, u, cnt, lo, hi, pcnt) : JQL_NONE;
    if (at != JQL_NONE) {
        g[u].ev_at = at;
        ctx->ev_at = at;
        ctx->ev_n = cnt;
        return rc;
    }
    /* walked: jql_measure_eval() stores the records and tells g[u] */
    rc = jql_q_stat_exact(ds, u, what, a, b, ctx->range, true, NULL, out, ev);
    if (!rc || rc == JQL_ENOTFOUND)
        ctx->ev_memo = &g[u].ev_at;
    return rc;
}

static void drop_memos(jql_rollup *ru)
{
    for (size_t i = 0; i < ru->nmemo; i++)
        jql_free(ru->memo[i]);
    ru->nmemo = 0;
    for (size_t i = 0; i < ru->nst; i++)
        jql_free(ru->st_memo[i]);
    ru->nst = 0;
    jql_strmap_free(&ru->st_keys);
    memset(&ru->st_keys, 0, sizeof ru->st_keys);
    ru->bytes = 0;
    jql_strmap_free(&ru->keys);
    memset(&ru->keys, 0, sizeof ru->keys);
}

/* Measures summed by this file that cannot fail but for memory. */
static bool summed(const jql_measure *m)
{
    switch (m->kind) {
    case JQL_M_REPORT_DAYS_LATE_WORST:
    case JQL_M_REPORT_DAYS_LATE_LATEST:
    case JQL_M_REPORT_SHARE_ON_TIME:
    case JQL_M_REPORT_MISSING:
    case JQL_M_REPORT_INCOMPLETE:
    case JQL_M_TASK_SHARE_COMPLETED:
    case JQL_M_TASK_OVERDUE:
    case JQL_M_TASK_SHARE_LATE:
    case JQL_M_EVENT_COUNT: return m->rollup;
    default: return false;
    }
}

int jql_rollup_vetoes(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    const jql_results *r = ctx->r;
    size_t nv = c->nvetoes, nu = r->nunits;
    bool any = false;
    for (size_t i = 0; i < nv; i++)
        any |= !c->vetoes[i].on_event && summed(&c->vetoes[i].measure);
    if (!any || nu == 0)
        return 0;
    ctx->veto_pre = jql_calloc(nv, sizeof *ctx->veto_pre);
    ctx->veto_bits = jql_calloc(nu * nv / 64 + 1, sizeof *ctx->veto_bits);
    jql_mval *mv = jql_calloc(nu, sizeof *mv);
    int rc = !ctx->veto_pre || !ctx->veto_bits || !mv ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
    for (size_t i = 0; !rc && i < nv; i++) {
        const jql_veto *v = &c->vetoes[i];
        if (ctx->veto_first[i] != i || v->on_event || !summed(&v->measure))
            continue;
        for (size_t k = 0; !rc && k < nu; k++)
            rc = jql_measure_eval(ctx, r->units[k].ds_index, &v->measure, &mv[k], false, NULL);
        for (size_t j = i; !rc && j < nv; j++) {
            if (ctx->veto_first[j] != i)
                continue;
            ctx->veto_pre[j] = true;
            for (size_t k = 0; k < nu; k++)
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

void jql_rollup_free(jql_score_ctx *ctx)
{
    jql_rollup *ru = ctx->rollup;
    jql_free(ctx->veto_pre);
    jql_free(ctx->veto_bits);
    if (!ru)
        return;
    drop_memos(ru);
    jql_free(ru->memo);
    jql_free(ru->st_memo);
    jql_free(ru->pre);
    jql_free(ru);
    ctx->rollup = NULL;
}
