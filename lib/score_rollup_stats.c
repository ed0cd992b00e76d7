/*
 * Roll-ups of statistics, summed once per subtree (see score_rollup.c for
 * the other kinds and how a unit's evidence becomes a run of its parent's).
 */
#include <stdio.h>
#include <string.h>

#include "score_rollup.h"

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
static void st_remember(struct jql_rollup *ru, const st_shape *sh, size_t at)
{
    ru->st_last.what = (int)sh->what;
    ru->st_last.a = sh->ind[0];
    ru->st_last.b = sh->ind[1];
    ru->st_last.at = at;
    ru->st_last.set = true;
}

static int st_memo_for(jql_score_ctx *ctx, const st_shape *sh, st_agg **out, size_t *at_out)
{
    *out = NULL;
    if (jql_rollup_ready(ctx))
        return JQL_ENOMEM;
    struct jql_rollup *ru = ctx->rollup;
    if (ru->off)
        return JQL_OK;
    if (ru->st_last.set && ru->st_last.what == (int)sh->what && ru->st_last.a == sh->ind[0] &&
        ru->st_last.b == sh->ind[1]) {
        *out = ru->st_memo[ru->st_last.at];
        *at_out = ru->st_last.at;
        return JQL_OK;
    }
    char key[64];
    snprintf(key, sizeof key, "%d/%zu/%zu", (int)sh->what, sh->ind[0], sh->ind[1]);
    size_t at;
    if (jql_strmap_get(&ru->st_keys, key, &at) == JQL_OK) {
        st_remember(ru, sh, at);
        *out = ru->st_memo[at];
        *at_out = at;
        return JQL_OK;
    }
    size_t bytes = ctx->ds->units.len * sizeof(st_agg);
    st_agg *g = NULL;
    int rc = JQL_OK;
    if (bytes <= ru->budget - ru->bytes && !(g = build_stats(ctx, sh, &rc)) && rc)
        return rc;
    /* past the budget the key maps to NULL: walked from now on */
    if (jql_vec_grow((void **)&ru->st_memo, &ru->st_cap, ru->nst + 1, sizeof *ru->st_memo) ||
        jql_vec_grow((void **)&ru->st_ix, &ru->st_ix_cap, 2 * ru->nst + 2, sizeof *ru->st_ix) ||
        jql_strmap_put(&ru->st_keys, key, ru->nst)) {
        jql_free(g);
        return JQL_ENOMEM;
    }
    if (g)
        ru->bytes += bytes;
    st_remember(ru, sh, ru->nst);
    ru->st_ix[2 * ru->nst] = ru->st_ix[2 * ru->nst + 1] = NULL;
    *at_out = ru->nst;
    ru->st_memo[ru->nst++] = g;
    *out = g;
    return JQL_OK;
}

/* The index of part k of st_memo[at], made on first use (score_rollup_ev.c);
   NULL past the budget. */
static int st_index_for(jql_score_ctx *ctx, const st_shape *sh, size_t at, int k, ru_index **out)
{
    struct jql_rollup *ru = ctx->rollup;
    ru_index **slot = &ru->st_ix[2 * at + k];
    if (!*slot) {
        ru_index *ix;
        if (jql_rollup_stat_index_make(ctx, sh->ind[k], sh->win[k], ru->budget - ru->bytes,
                                       &ix))
            return JQL_ENOMEM;
        ru->bytes += jql_rollup_index_bytes(ix);
        *slot = ix ? ix : RU_NO_INDEX;
    }
    *out = *slot == RU_NO_INDEX ? NULL : *slot;
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

int jql_rollup_stats(jql_score_ctx *ctx, size_t u, jql_q_stat what, size_t a, size_t b,
                     jql_ratio *out, jql_sizevec *ev)
{
    const jql_dataset *ds = ctx->ds;
    st_shape sh = shape_of(ctx, what, a, b);
    st_agg *g = NULL;
    size_t memo_at = 0;
    int rc = JQL_OK;
    /* a change over windows longer than a year reads some records twice */
    bool overlap = what == JQL_Q_STAT_CHANGE && sh.win[1].end >= sh.win[0].start;
    if (ds->units.items[u].children.len && !overlap)
        rc = st_memo_for(ctx, &sh, &g, &memo_at);
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
    size_t at = pcnt ? jql_rollup_run(ctx->r, g[p].ev_at, pcnt, JQL_EV_STAT, cnt, lo, hi)
                     : JQL_NONE;
    if (at != JQL_NONE) {
        g[u].ev_at = at;
        ctx->ev_at = at;
        ctx->ev_n = cnt;
        return rc;
    }
    /* listed from the parts' indexes (the records st_cited() counts: the
       first part's, and the second's when both are cited), or walked;
       jql_measure_eval() stores them and tells g[u] */
    ru_index *ix[2] = {NULL, NULL};
    bool second = rc == JQL_OK && sh.nparts == 2 && !sh.same && g[u].part[1].cnt;
    int irc = st_index_for(ctx, &sh, memo_at, 0, &ix[0]);
    if (!irc && ix[0] && second && (irc = st_index_for(ctx, &sh, memo_at, 1, &ix[1])) == JQL_OK &&
        !ix[1])
        ix[0] = NULL; /* past the budget */
    if (irc)
        return irc;
    if (ix[0]) {
        if (jql_rollup_stat_list(ctx, ix, u, ev))
            return JQL_ENOMEM;
    } else {
        rc = jql_q_stat_exact(ds, u, what, a, b, ctx->range, true, NULL, out, ev);
    }
    if (!rc || rc == JQL_ENOTFOUND)
        ctx->ev_memo = &g[u].ev_at;
    return rc;
}
