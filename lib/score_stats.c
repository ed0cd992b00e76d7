/*
 * A unit's statistics read once for all its statistic leaves.
 *
 * The criteria's statistic measures without roll-up read a few (indicator,
 * window) values per unit, the window being the scored range or the year
 * before it. Asked one by one, each value read its indicator's records
 * again (a third of a scoring's time on the national shape). Here the
 * unit's statistics are read once, in record order, into one slot per
 * value the criteria read, following jql_q_value_exact()'s usual case:
 * the records inside the window follow one another, or the first is the
 * window's own period. Anything else (records that nest or overlap, more
 * than JQL_STAT_SLOT_EV of them, an as-of date, an answer past the exact
 * bounds, a value no slot holds) is asked of jql_q_value_exact() as
 * before, so the values, their records and their errors are the same.
 */
#include <string.h>

#include "score_internal.h"

enum { SLOT_NONE, SLOT_OK, SLOT_EXACT, SLOT_ASK };

/* The slot of (indicator, window) in *slot; false when none. */
static bool slot_of(const jql_score_ctx *ctx, size_t ind, size_t window, size_t *slot)
{
    if (ind >= ctx->ds->indicators.len || window > 1)
        return false;
    *slot = ctx->stat_slot_of[2 * ind + window];
    return *slot != JQL_NONE;
}

static int want(jql_score_ctx *ctx, const char *id, size_t window)
{
    size_t ind;
    if (!id || jql_strmap_get(&ctx->ds->indicator_ids, id, &ind) != JQL_OK)
        return 0; /* the leaf reports it when measured */
    size_t *at = &ctx->stat_slot_of[2 * ind + window];
    if (*at != JQL_NONE)
        return 0;
    if (jql_vec_grow((void **)&ctx->stat_slots, &ctx->stat_slots_cap, ctx->nstat_slots + 1,
                     sizeof *ctx->stat_slots))
        return JQL_ENOMEM;
    jql_range r = window ? ctx->stat_prev : ctx->range;
    ctx->stat_slots[ctx->nstat_slots] = (struct jql_stat_slot){
        .ind = ind, .window = window, .from = r.start, .to = r.end,
        .agg = ctx->ds->indicators.items[ind].agg};
    *at = ctx->nstat_slots++;
    return 0;
}

static int want_measure(jql_score_ctx *ctx, const jql_measure *m)
{
    if (m->rollup)
        return 0;
    switch (m->kind) {
    case JQL_M_INDICATOR_VALUE: return want(ctx, m->indicator, 0);
    case JQL_M_INDICATOR_CHANGE: {
        int rc = want(ctx, m->indicator, 0);
        return rc ? rc : want(ctx, m->indicator, 1);
    }
    case JQL_M_INDICATOR_RATIO: {
        int rc = want(ctx, m->indicator, 0);
        return rc ? rc : want(ctx, m->denominator, 0);
    }
    default: return 0;
    }
}

/* The slots of every statistic measure the criteria name (leaves, bonus
   and deduction items, tie-breakers). */
static int plan_slots(jql_score_ctx *ctx)
{
    const jql_criteria *c = ctx->c;
    size_t n = ctx->ds->indicators.len;
    ctx->stat_slot_of = jql_malloc((2 * n + 1) * sizeof *ctx->stat_slot_of);
    if (!ctx->stat_slot_of)
        return JQL_ENOMEM;
    for (size_t i = 0; i < 2 * n; i++)
        ctx->stat_slot_of[i] = JQL_NONE;
    int rc = 0;
    for (size_t i = 0; !rc && i < c->nnodes; i++)
        if (c->nodes[i].is_leaf)
            rc = want_measure(ctx, &c->nodes[i].measure);
    for (size_t i = 0; !rc && i < c->nbonus; i++)
        rc = want_measure(ctx, &c->bonus[i].measure);
    for (size_t i = 0; !rc && i < c->ndeductions; i++)
        rc = want_measure(ctx, &c->deductions[i].measure);
    for (size_t i = 0; !rc && i < c->ntiebreaks; i++)
        rc = want_measure(ctx, &c->tiebreaks[i].measure);
    return rc;
}

/* One record of the unit into its slot, as jql_q_value_exact() reads a
   pair's records in order (query.c, unit_value_run). */
static inline void slot_read(struct jql_stat_slot *sl, size_t idx, const jql_stat_rec *s)
{
    if (sl->state == SLOT_EXACT || sl->state == SLOT_ASK || s->range.start < sl->from ||
        s->range.end > sl->to)
        return;
    if (sl->used && (s->range.start <= sl->reach || idx < sl->last)) {
        sl->state = SLOT_ASK; /* nested or overlapping: spans to sort */
        return;
    }
    if (!sl->used && s->range.start == sl->from && s->range.end == sl->to) {
        sl->state = SLOT_EXACT; /* the window's own period wins */
        sl->value = (jql_ratio){s->value, 1};
        sl->ev[0] = idx;
        sl->nev = 1;
        return;
    }
    if (!sl->used || s->value < sl->mn)
        sl->mn = s->value;
    if (!sl->used || s->value > sl->mx)
        sl->mx = s->value;
    sl->sum += s->value;
    sl->reach = s->range.end;
    sl->last = idx;
    sl->used++;
    sl->state = SLOT_OK;
    if (sl->agg == JQL_AGG_LAST)
        return; /* its record is the last one, known at the end */
    if (sl->nev == JQL_STAT_SLOT_EV)
        sl->state = SLOT_ASK;
    else
        sl->ev[sl->nev++] = idx;
}

/* The slot's value once every record was read. */
static void slot_finish(jql_score_ctx *ctx, struct jql_stat_slot *sl)
{
    if (sl->state != SLOT_OK)
        return;
    switch (sl->agg) {
    case JQL_AGG_LAST:
        sl->value = (jql_ratio){ctx->ds->stats.items[sl->last].value, 1};
        sl->ev[0] = sl->last;
        sl->nev = 1;
        break;
    case JQL_AGG_MEAN:
        if (jql_q_ratio_make(sl->sum, (__int128)sl->used, &sl->value) != JQL_OK)
            sl->state = SLOT_ASK;
        break;
    case JQL_AGG_MIN: sl->value = (jql_ratio){sl->mn, 1}; break;
    case JQL_AGG_MAX: sl->value = (jql_ratio){sl->mx, 1}; break;
    default:
        if (sl->sum >= INT64_MAX || sl->sum <= INT64_MIN)
            sl->state = SLOT_ASK; /* the query's error, asked of it */
        else
            sl->value = (jql_ratio){sl->sum, 1};
    }
}

/* Read unit u's statistics into the slots (once per unit). */
static int read_unit(jql_score_ctx *ctx, size_t u)
{
    if (!ctx->stat_slots_planned) {
        ctx->stat_prev = jql_range_year_before(ctx->range);
        int rc = plan_slots(ctx);
        if (rc)
            return rc;
        ctx->stat_slots_planned = true;
    }
    for (size_t i = 0; i < ctx->nstat_slots; i++) {
        struct jql_stat_slot *sl = &ctx->stat_slots[i];
        sl->state = SLOT_NONE;
        sl->used = sl->nev = 0;
        sl->sum = 0;
    }
    const jql_dataset *ds = ctx->ds;
    const jql_unit_index *x = &ds->by_unit[u];
    const jql_sizevec *list = &x->stats;
    const size_t *slot_of = ctx->stat_slot_of;
    /* the blocks that reach into either window: from the year before's
       start to the range's end */
    jql_date lo = ctx->stat_prev.start, hi = ctx->range.end;
    for (size_t at = jql_dates_next(&x->stats_at, 0, list->len, lo, hi); at < list->len;
         at = jql_dates_next(&x->stats_at, at + JQL_DATE_BLOCK, list->len, lo, hi))
        for (size_t k = at, end = jql_dates_block_end(at, list->len); k < end; k++) {
            size_t idx = list->items[k];
            const jql_stat_rec *s = &ds->stats.items[idx];
            size_t cur = slot_of[2 * s->indicator], prev = slot_of[2 * s->indicator + 1];
            if (cur != JQL_NONE)
                slot_read(&ctx->stat_slots[cur], idx, s);
            if (prev != JQL_NONE)
                slot_read(&ctx->stat_slots[prev], idx, s);
        }
    for (size_t i = 0; i < ctx->nstat_slots; i++)
        slot_finish(ctx, &ctx->stat_slots[i]);
    ctx->stat_slots_unit = u;
    return 0;
}

/* A value for jql_q_stat_combine_ev(): from its slot, or asked. */
static int slot_value(void *arg, size_t ind, jql_range r, jql_ratio *out, jql_sizevec *ev)
{
    jql_score_ctx *ctx = arg;
    size_t u = ctx->stat_slots_unit, slot;
    size_t window = r.start == ctx->range.start && r.end == ctx->range.end             ? 0
                    : r.start == ctx->stat_prev.start && r.end == ctx->stat_prev.end ? 1
                                                                                       : 2;
    if (!slot_of(ctx, ind, window, &slot) || ctx->stat_slots[slot].state == SLOT_ASK)
        return jql_q_value_exact(ctx->ds, u, ind, r, false, out, ev);
    const struct jql_stat_slot *sl = &ctx->stat_slots[slot];
    if (sl->state == SLOT_NONE)
        return JQL_ENOTFOUND;
    *out = sl->value;
    return ev ? jql_sizevec_append(ev, sl->ev, sl->nev) : JQL_OK;
}

int jql_stat_measure(jql_score_ctx *ctx, size_t u, jql_q_stat what, size_t a, size_t b,
                     jql_ratio *out, jql_sizevec *ev)
{
    if (ctx->range.has_as_of) /* which records count depends on their cut-offs */
        return jql_q_stat_exact(ctx->ds, u, what, a, b, ctx->range, false, out, ev);
    if (ctx->stat_slots_unit != u) {
        ctx->stat_slots_unit = JQL_NONE;
        int rc = read_unit(ctx, u);
        if (rc)
            return rc;
    }
    return jql_q_stat_combine_ev(what, a, b, ctx->range, slot_value, ctx, out, ev);
}

void jql_stat_slots_free(jql_score_ctx *ctx)
{
    jql_free(ctx->stat_slot_of);
    jql_free(ctx->stat_slots);
}
