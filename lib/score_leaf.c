/*
 * Scoring a leaf: measuring a unit over the scored period through the
 * query layer (never scanning all records), mapping the measure to points
 * with the leaf's method, and keeping the evidence and the rule text.
 */
#include <string.h>

#include "score_internal.h"

/* Evidence (jql_evidence_add*) lives in score_evidence.c. */

/* ---- measures ---- */

/* The criteria's indicator names are looked up once per scoring: a
   direct-mapped cache keyed by the name's address (the criteria set is
   not edited while it scores), in front of the dataset's map. */
/* Slot of a name's address: multiplied, so that addresses 16 or 32 bytes
   apart (one allocation after another) do not share slots. */
static size_t addr_slot(const void *p)
{
    _Static_assert((JQL_IND_CACHE & (JQL_IND_CACHE - 1)) == 0, "a power of two");
    return (size_t)(((uint64_t)(uintptr_t)p * UINT64_C(0x9E3779B97F4A7C15)) >> 40) &
           (JQL_IND_CACHE - 1);
}

/* Two ways: a dozen names in 64 slots often share one, and a miss costs
   hashing the name. */
static int find_indicator(jql_score_ctx *ctx, const char *id, size_t *out)
{
    size_t h = addr_slot(id);
    for (size_t w = 0; id && w < 2; w++)
        if (ctx->ind_cache[h ^ w].key == id) {
            *out = ctx->ind_cache[h ^ w].index;
            return JQL_OK;
        }
    if (!id || jql_strmap_get(&ctx->ds->indicator_ids, id, out) != JQL_OK)
        return jql_fail(JQL_EINVALID, "indicator %s is not in the dataset", id ? id : "(none)");
    if (ctx->ind_cache[h].key)
        h ^= 1;
    ctx->ind_cache[h].key = id;
    ctx->ind_cache[h].index = *out;
    return JQL_OK;
}

/* A criteria filter as the dataset's pooled copy, looked up once per
   scoring (the same cache as find_indicator's). */
static const char *pooled(jql_score_ctx *ctx, const char *s)
{
    if (!s)
        return NULL;
    size_t h = addr_slot(s);
    if (ctx->pool_cache[h].key != s) {
        ctx->pool_cache[h].key = s;
        ctx->pool_cache[h].pooled = jql_q_pooled(ctx->ds, s);
    }
    return ctx->pool_cache[h].pooled;
}

/* A memoized query's records as the evidence being gathered (ev NULL:
   none): read from where they are (ctx->ev_src), not copied to scratch. */
static int copy_hits(jql_score_ctx *ctx, const jql_sizevec *ev, const jql_sizevec *hits)
{
    if (ev)
        ctx->ev_src = hits;
    return 0;
}

/* Whole thousandths (counts, days, indicator values, event points). */
static void set_milli(jql_mval *out, jql_milli v) { out->exact = (jql_ratio){v, 1}; }

static void set_count(jql_mval *out, size_t n) { set_milli(out, (jql_milli)n * 1000); }

/* Days late (-1: never submitted) into a measured value. */
static void set_days(jql_mval *out, int32_t days)
{
    if (days < 0)
        out->never = true;
    else
        set_milli(out, (jql_milli)days * 1000);
}

/* Two report filters alike: both none, or the same kind (as written in two
   leaves, two copies of one text). */
static bool same_kind(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

static int measure_reports(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                           jql_sizevec *ev)
{
    jql_report_summary s;
    int rc = 0;
    if (m->rollup) {
        rc = jql_rollup_reports(ctx, u, m->report_kind, &s, ev);
    } else {
        /* a unit's several report leaves of one kind query it once */
        struct jql_rep_memo *e = NULL;
        for (size_t i = 0; i < JQL_REP_MEMO && !e; i++)
            if (ctx->rep[i].unit == u && same_kind(ctx->rep[i].kind, m->report_kind))
                e = &ctx->rep[i];
        if (!e) {
            e = &ctx->rep[ctx->rep_next];
            ctx->rep_next = (ctx->rep_next + 1) % JQL_REP_MEMO;
            e->unit = JQL_NONE;
            e->hits.len = 0;
            if ((rc = jql_q_reports(ctx->ds, u, ctx->range, m->report_kind, false, &e->sum,
                                    &e->hits)))
                return rc;
            e->unit = u;
            e->kind = m->report_kind;
        }
        s = e->sum;
        rc = copy_hits(ctx, ev, &e->hits);
    }
    if (rc)
        return rc;
    if (s.due == 0) {
        out->no_data = true; /* no report was due: the only "no data" case */
        return 0;
    }
    switch (m->kind) {
    case JQL_M_REPORT_DAYS_LATE_WORST: set_days(out, s.worst_days_late); break;
    case JQL_M_REPORT_DAYS_LATE_LATEST: set_days(out, s.latest_days_late); break;
    case JQL_M_REPORT_SHARE_ON_TIME: out->exact = jql_share_exact(s.on_time, s.due); break;
    case JQL_M_REPORT_MISSING: set_count(out, s.missing); break;
    default: set_count(out, s.incomplete); break;
    }
    return 0;
}

/* A task measure from its summary (rc: the query's result). */
static int measure_tasks_done(int rc, const jql_measure *m, const jql_task_summary *sp,
                              jql_mval *out);

static int measure_tasks(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                         jql_sizevec *ev)
{
    jql_task_summary s;
    int rc = 0;
    if (m->rollup) {
        rc = jql_rollup_tasks(ctx, u, m->field, &s, ev);
    } else {
        /* the unit's tasks due in the range, filtered by date once per
           unit, and by every field asked so far in the same pass */
        if (ctx->tasks_unit != u) {
            ctx->tasks_unit = JQL_NONE;
            if ((rc = jql_q_tasks_due(ctx->ds, u, ctx->range, &ctx->tasks_due)))
                return rc;
            for (size_t i = 0; i < ctx->ntask_fields; i++)
                ctx->task_hits[i].len = 0;
            if ((rc = jql_q_tasks_of_fields(ctx->ds, &ctx->tasks_due, ctx->range,
                                            ctx->task_field, ctx->ntask_fields,
                                            ctx->task_sum, ctx->task_hits)))
                return rc;
            ctx->tasks_unit = u;
        }
        const char *field = pooled(ctx, m->field);
        size_t i = 0;
        while (i < ctx->ntask_fields && ctx->task_field[i] != field)
            i++;
        if (i == JQL_TASK_FIELDS) /* more fields than remembered: the field's tasks
                                     (kind_index.c), not all the unit's again */
            return measure_tasks_done(
                jql_q_tasks(ctx->ds, u, ctx->range, m->field, false, &s, ev), m, &s, out);
        if (i == ctx->ntask_fields) { /* a field first asked: from now on in the pass */
            ctx->task_hits[i].len = 0;
            if ((rc = jql_q_tasks_of_fields(ctx->ds, &ctx->tasks_due, ctx->range, &field, 1,
                                            &ctx->task_sum[i], &ctx->task_hits[i])))
                return rc;
            ctx->task_field[i] = field;
            ctx->ntask_fields++;
        }
        s = ctx->task_sum[i];
        rc = copy_hits(ctx, ev, &ctx->task_hits[i]);
    }
    return measure_tasks_done(rc, m, &s, out);
}

static int measure_tasks_done(int rc, const jql_measure *m, const jql_task_summary *sp,
                              jql_mval *out)
{
    if (rc)
        return rc;
    jql_task_summary s = *sp;
    if (s.due == 0) {
        /* every task measure, the count overdue too: a unit with no work
           programme has not earned full marks (docs/SCORING.md, Tasks) */
        out->no_data = true;
        return 0;
    }
    if (m->kind == JQL_M_TASK_OVERDUE) {
        set_count(out, s.overdue);
        return 0;
    }
    out->exact = jql_share_exact(
        m->kind == JQL_M_TASK_SHARE_LATE ? s.completed_late : s.completed, s.due);
    return 0;
}

static int measure_stats(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                         jql_sizevec *ev)
{
    size_t a, b;
    int rc = find_indicator(ctx, m->indicator, &a);
    if (rc)
        return rc;
    jql_q_stat what = m->kind == JQL_M_INDICATOR_VALUE    ? JQL_Q_STAT_VALUE
                      : m->kind == JQL_M_INDICATOR_CHANGE ? JQL_Q_STAT_CHANGE
                                                          : JQL_Q_STAT_RATIO;
    b = a;
    if (what == JQL_Q_STAT_RATIO && (rc = find_indicator(ctx, m->denominator, &b)))
        return rc;
    const jql_sizevec *by_ind = NULL;
    if (!m->rollup) {
        /* the unit's statistics split by indicator once for all its leaves:
           those that may lie in the range or the year before it */
        if (ctx->stats_unit != u) {
            ctx->stats_unit = JQL_NONE;
            if ((rc = jql_q_stats_by_indicator(ctx->ds, u, jql_range_year_before(ctx->range).start,
                                               ctx->range.end, ctx->stats_by_ind,
                                               &ctx->stats_touched)))
                return rc;
            ctx->stats_unit = u;
        }
        by_ind = ctx->stats_by_ind;
    }
    /* exact: a `mean` is not rounded before the points */
    rc = m->rollup ? jql_rollup_stats(ctx, u, what, a, b, &out->exact, ev)
                   : jql_q_stat_exact(ctx->ds, u, what, a, b, ctx->range, false, by_ind,
                                      &out->exact, ev);
    if (rc == JQL_ENOTFOUND) {
        out->no_data = true;
        out->exact = (jql_ratio){0, 1};
        return 0;
    }
    return rc;
}

static int measure_fresh(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                         bool evidence, size_t *ev_count)
{
    memset(out, 0, sizeof *out);
    out->exact = (jql_ratio){0, 1};
    ctx->scratch.len = 0;
    ctx->ev_src = NULL;
    ctx->ev_at = JQL_NONE;
    ctx->ev_memo = NULL;
    ctx->ev_pinned = false;
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
        if (m->rollup) {
            rc = jql_rollup_directives(ctx, u, &s, ev);
        } else {
            /* every directive leaf of a unit measures the same records */
            rc = 0;
            if (ctx->dir_unit != u) {
                ctx->dir_unit = JQL_NONE;
                ctx->dir_hits.len = 0;
                rc = jql_q_directives(ctx->ds, u, ctx->range, false, &ctx->dir_sum,
                                      &ctx->dir_hits);
                if (!rc)
                    ctx->dir_unit = u;
            }
            s = ctx->dir_sum;
            if (!rc)
                rc = copy_hits(ctx, ev, &ctx->dir_hits);
        }
        if (!rc && s.due == 0)
            out->no_data = true;
        else if (!rc)
            out->exact = jql_share_exact(s.completed, s.due);
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
        /* a count needs no points: their sum may not fit 64 bits */
        jql_milli *want = m->kind == JQL_M_EVENT_POINTS ? &pts : NULL;
        rc = m->rollup ? jql_rollup_events(ctx, u, m->event_kind, &n, want, ev)
                       : jql_q_events(ctx->ds, u, ctx->range, m->event_kind, false, &n, want, ev);
        set_milli(out, m->kind == JQL_M_EVENT_COUNT ? (jql_milli)n * 1000 : pts);
        break;
    }
    default:
        return jql_fail(JQL_EINVALID, "a criterion has no measure");
    }
    if (rc)
        return rc == JQL_ENOMEM ? jql_fail(JQL_ENOMEM, "out of memory") : rc;
    /* Shown only; fits 64 bits (shares <= 100000, ratios and changes are
       checked by the query layer). */
    out->value = out->exact.den == 1 ? (jql_milli)out->exact.num /* most: no division */
                                     : jql_div_round(out->exact.num, out->exact.den);
    if (!evidence)
        return 0;
    if (ctx->ev_at != JQL_NONE) { /* a run of a slice already stored */
        *ev_count += ctx->ev_n;
        return 0;
    }
    size_t at = ctx->r->nevlist, n = ctx->ev_src ? ctx->ev_src->len : ctx->scratch.len;
    if ((rc = jql_evidence_add(ctx, k, ev_count)))
        return rc;
    if (ctx->ev_memo && n) { /* units below may point into this slice */
        *ctx->ev_memo = at;
        ctx->ev_pinned = true;
    }
    return 0;
}

/* ---- measures alike, measured once per unit ---- */

/* A measure's content as text: equal texts, equal measurements (filters
   and indicators are compared by content; NULL differs from ""). */
static void measure_key(jql_buf *b, const jql_measure *m)
{
    const char *parts[] = {m->report_kind, m->field, m->indicator, m->denominator,
                           m->event_kind};
    b->len = 0;
    jql_buf_size(b, (size_t)m->kind);
    for (size_t k = 0; k < sizeof parts / sizeof *parts; k++) {
        jql_buf_putc(b, '\x1f');
        if (parts[k])
            jql_buf_puts(b, parts[k]);
        else
            jql_buf_putc(b, '\x1e');
    }
}

static size_t slot_of(const jql_score_ctx *ctx, const jql_measure *m)
{
    uint64_t h = (uint64_t)(uintptr_t)m * UINT64_C(0x9E3779B97F4A7C15);
    size_t i = (size_t)(h >> 32) & ctx->mslots_mask;
    while (ctx->mslots[i].m && ctx->mslots[i].m != m)
        i = (i + 1) & ctx->mslots_mask;
    return i;
}

/* Room for one more measure address (the table at most half full). */
static int grow_slots(jql_score_ctx *ctx)
{
    if (ctx->mslots && 2 * (ctx->mslots_used + 1) <= ctx->mslots_mask + 1)
        return 0;
    size_t cap = ctx->mslots ? 2 * (ctx->mslots_mask + 1) : 64;
    struct jql_measure_slot *old = ctx->mslots;
    size_t old_cap = old ? ctx->mslots_mask + 1 : 0;
    ctx->mslots = jql_calloc(cap, sizeof *ctx->mslots);
    if (!ctx->mslots) {
        ctx->mslots = old;
        return JQL_ENOMEM;
    }
    ctx->mslots_mask = cap - 1;
    for (size_t i = 0; i < old_cap; i++)
        if (old[i].m)
            ctx->mslots[slot_of(ctx, old[i].m)] = old[i];
    jql_free(old);
    return 0;
}

/* The memo entry of m's content (found again by address after the first
   time); NULL when out of memory (then m is simply measured). */
static struct jql_measure_memo *measure_memo(jql_score_ctx *ctx, const jql_measure *m)
{
    if (ctx->mslots) {
        size_t i = slot_of(ctx, m);
        if (ctx->mslots[i].m)
            return &ctx->memos[ctx->mslots[i].memo];
    }
    if (grow_slots(ctx))
        return NULL;
    jql_buf key;
    jql_buf_init(&key);
    measure_key(&key, m);
    size_t idx;
    if (key.failed) {
        jql_buf_free(&key);
        return NULL;
    }
    if (jql_strmap_get(&ctx->memo_keys, key.data, &idx) != JQL_OK) {
        idx = ctx->nmemos;
        if (jql_vec_grow((void **)&ctx->memos, &ctx->memos_cap, idx + 1, sizeof *ctx->memos) ||
            jql_strmap_put(&ctx->memo_keys, key.data, idx)) {
            jql_buf_free(&key);
            return NULL;
        }
        ctx->memos[idx] = (struct jql_measure_memo){.unit = JQL_NONE};
        ctx->nmemos++;
    }
    jql_buf_free(&key);
    size_t i = slot_of(ctx, m);
    ctx->mslots[i] = (struct jql_measure_slot){m, idx};
    ctx->mslots_used++;
    return &ctx->memos[idx];
}

void jql_measure_memo_free(jql_score_ctx *ctx)
{
    jql_free(ctx->mslots);
    jql_free(ctx->memos);
    jql_strmap_free(&ctx->memo_keys);
}

/* Measure with memo entry `memo` (NULL: none). */
static int eval_with(jql_score_ctx *ctx, size_t u, const jql_measure *m,
                     struct jql_measure_memo *memo, jql_mval *out, bool evidence,
                     size_t *ev_count)
{
    if (memo && memo->unit == u && (memo->has_ev || !evidence)) {
        *out = memo->v;
        ctx->ev_at = JQL_NONE;
        ctx->ev_memo = NULL;
        ctx->ev_pinned = false;
        if (evidence && memo->n) { /* the records already stored, as one slice */
            ctx->ev_at = memo->at;
            ctx->ev_n = memo->n;
            *ev_count += memo->n;
        }
        return 0;
    }
    size_t before = ctx->r->nevlist, counted = evidence ? *ev_count : 0;
    int rc = measure_fresh(ctx, u, m, out, evidence, ev_count);
    if (rc || !memo)
        return rc;
    memo->unit = u;
    memo->v = *out;
    memo->has_ev = evidence;
    if (evidence) {
        memo->n = *ev_count - counted;
        memo->at = ctx->ev_at != JQL_NONE ? ctx->ev_at : before;
    }
    return 0;
}

int jql_measure_eval(jql_score_ctx *ctx, size_t u, const jql_measure *m, jql_mval *out,
                     bool evidence, size_t *ev_count)
{
    /* roll-ups keep their own sharing (score_rollup.c) */
    return eval_with(ctx, u, m, m->rollup ? NULL : measure_memo(ctx, m), out, evidence,
                     ev_count);
}

int jql_measure_eval_shared(jql_score_ctx *ctx, size_t u, const jql_measure *m, size_t share,
                            jql_mval *out, bool evidence, size_t *ev_count)
{
    return eval_with(ctx, u, m, share == JQL_NONE ? NULL : &ctx->memos[share], out, evidence,
                     ev_count);
}

int jql_measure_share(jql_score_ctx *ctx, const jql_measure *const *ms, size_t n, size_t *share)
{
    for (size_t i = 0; i < n; i++) {
        struct jql_measure_memo *memo =
            ms[i] && !ms[i]->rollup ? measure_memo(ctx, ms[i]) : NULL;
        share[i] = memo ? (size_t)(memo - ctx->memos) : JQL_NONE; /* none: measured alone */
    }
    /* a measure alike to no other is measured afresh: nothing to remember */
    size_t *users = jql_calloc(ctx->nmemos + 1, sizeof *users);
    if (!users)
        return JQL_ENOMEM;
    for (size_t i = 0; i < n; i++)
        if (share[i] != JQL_NONE)
            users[share[i]]++;
    for (size_t i = 0; i < n; i++)
        if (share[i] != JQL_NONE && users[share[i]] < 2)
            share[i] = JQL_NONE;
    jql_free(users);
    return 0;
}

/* ---- exact arithmetic on measured values ---- */

typedef unsigned __int128 u128;

/* a/b against c/d for a, c >= 0 and b, d > 0, by their continued fractions:
   integer parts first, then the reciprocals of the remainders in reverse
   order. Only divisions, so no size overflows; ends like Euclid's gcd. */
static int ucmp(u128 a, u128 b, u128 c, u128 d)
{
    for (;;) {
        u128 qa = a / b, qc = c / d, t;
        if (qa != qc)
            return qa < qc ? -1 : 1;
        a %= b;
        c %= d;
        if (a == 0 || c == 0)
            return (a != 0) - (c != 0);
        /* a/b ? c/d, both in (0, 1), is d/c ? b/a */
        t = a, a = d, d = t;
        t = b, b = c, c = t;
    }
}

static u128 uabs(__int128 x) { return x < 0 ? -(u128)x : (u128)x; }

int jql_ratio_cmp(jql_ratio x, jql_ratio y)
{
    if (x.den == y.den) /* counts, days, points: den 1 */
        return (x.num > y.num) - (x.num < y.num);
    if (x.num >= INT64_MIN && x.num <= INT64_MAX && y.num >= INT64_MIN && y.num <= INT64_MAX &&
        x.den <= INT64_MAX && y.den <= INT64_MAX) {
        /* both within 64 bits (shares, most ratios): the cross products
           fit 127 bits, and dens are positive, so they compare exactly */
        __int128 l = x.num * y.den, r = y.num * x.den;
        return (l > r) - (l < r);
    }
    int sx = (x.num > 0) - (x.num < 0), sy = (y.num > 0) - (y.num < 0);
    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    int c = ucmp(uabs(x.num), (u128)x.den, uabs(y.num), (u128)y.den);
    return sx < 0 ? -c : c;
}

/* a * b = *q * c + *r with 0 <= *r < c, for b < c < 2^126: long
   multiplication one bit of a at a time, so nothing exceeds 3c < 2^128
   (a * b itself may need far more than 128 bits). *q < a. */
static void mul_div(uint64_t a, u128 b, u128 c, u128 *q, u128 *r)
{
    if ((b >> 64) == 0) { /* the usual case: a * b fits 128 bits, often 64 */
        u128 p = (u128)a * (uint64_t)b;
        if ((p >> 64) == 0 && (c >> 64) == 0) {
            uint64_t p64 = (uint64_t)p, c64 = (uint64_t)c;
            *q = p64 / c64;
            *r = p64 % c64;
        } else {
            *q = p / c;
            *r = p % c;
        }
        return;
    }
    u128 qq = 0, rr = 0;
    for (int i = 63; i >= 0; i--) {
        qq <<= 1;
        rr <<= 1;
        if (rr >= c)
            rr -= c, qq++;
        if ((a >> i) & 1) {
            rr += b;
            if (rr >= c)
                rr -= c, qq++;
        }
    }
    *q = qq;
    *r = rr;
}

/* max - (xq + xr/c) for 0 <= xq < max, 0 <= xr < c, rounded once half away
   from zero (the result is positive, so halves go up: xr/c = 1/2 rounds
   the difference up, and only xr/c > 1/2 takes one more thousandth). */
static jql_milli max_minus(jql_milli max, u128 xq, u128 xr, u128 c)
{
    return max - (jql_milli)xq - (xr > c - xr ? 1 : 0);
}

/* The exact value against whole thousandths t (a threshold or target):
   num against t * den, which stays inside __int128 as |t| <= 2^63 and
   den <= 2^64. */
static int cmp_milli(jql_ratio v, jql_milli t)
{
    __int128 rhs = (__int128)t * v.den;
    return (v.num > rhs) - (v.num < rhs);
}

/* Linear: max * v / target for 0 < v < target, rounded once. With
   den <= 2^64 and target <= JQL_MILLI_MAX < 2^54, c = den * target < 2^118
   and v < target gives num < c, as mul_div needs. */
static jql_milli linear_points(jql_milli max, jql_ratio v, jql_milli target)
{
    if (max <= 0 || v.num <= 0)
        return 0;
    if (cmp_milli(v, target) >= 0)
        return max;
    u128 c = (u128)v.den * (u128)target, q, r;
    mul_div((uint64_t)max, (u128)v.num, c, &q, &r);
    return (jql_milli)q + (r >= c - r ? 1 : 0);
}

/* Per occurrence with an amount: max - n * amount, n = v / 1000. X = num *
   amount / c with c = 1000 * den < 2^75; num = k * c + rem splits off the
   whole occurrences k, so mul_div only sees rem < c. */
static jql_milli per_amount_points(jql_milli max, jql_ratio v, jql_milli amount)
{
    if (max <= 0)
        return 0;
    if (v.num <= 0 || amount <= 0)
        return max;
    u128 c = (u128)v.den * 1000, num = (u128)v.num, k = num / c, q, r;
    if (k > (u128)max / (u128)amount) /* k * amount > max */
        return 0;
    mul_div((uint64_t)amount, num % c, c, &q, &r);
    u128 xq = k * (u128)amount + q; /* <= max + amount: no overflow */
    return xq >= (u128)max ? 0 : max_minus(max, xq, r, c);
}

/* Per occurrence with a share: max - n * share% * max = max - y * max /
   10^8 with y = v * share (share in thousandths of %). y >= 10^8 takes
   everything. Otherwise y = Y / den with Y < 10^8 * den < 2^91, and
   X = max * Y / (10^8 * den) by mul_div. */
static jql_milli per_share_points(jql_milli max, jql_ratio v, jql_milli share)
{
    const u128 hundred = 100000000; /* 100% x 1000 (value) x 1000 (share) */
    if (max <= 0)
        return 0;
    if (v.num <= 0 || share <= 0)
        return max;
    u128 den = (u128)v.den, num = (u128)v.num, k = num / den, q, r;
    if (k * (u128)share >= hundred) /* k < 2^81, share <= 10^5: fits */
        return 0;
    mul_div((uint64_t)share, num % den, den, &q, &r);
    u128 yq = k * (u128)share + q;
    if (yq >= hundred)
        return 0;
    u128 c = den * hundred;
    mul_div((uint64_t)max, yq * den + r, c, &q, &r);
    return q >= (u128)max ? 0 : max_minus(max, q, r, c);
}

/* ---- conditions and methods ---- */

/* The exact value against a threshold written in the criteria. */
static int vs(const jql_mval *v, jql_milli t) { return cmp_milli(v->exact, t); }

bool jql_cond_holds(const jql_cond *c, const jql_mval *v)
{
    if (v->never) /* later than any number of days */
        return !c->has_at_most && !c->has_below;
    if (c->has_at_least && !(vs(v, c->at_least) >= 0))
        return false;
    if (c->has_above && !(vs(v, c->above) > 0))
        return false;
    if (c->has_at_most && !(vs(v, c->at_most) <= 0))
        return false;
    if (c->has_below && !(vs(v, c->below) < 0))
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
        jql_buf_puts(b, sep); /* no printf per rule: one per leaf result */
        jql_buf_puts(b, "at_least ");
        jql_buf_milli(b, c->at_least);
        sep = ", ";
    }
    if (c->has_above) {
        jql_buf_puts(b, sep);
        jql_buf_puts(b, "above ");
        jql_buf_milli(b, c->above);
        sep = ", ";
    }
    if (c->has_at_most) {
        jql_buf_puts(b, sep);
        jql_buf_puts(b, "at_most ");
        jql_buf_milli(b, c->at_most);
        sep = ", ";
    }
    if (c->has_below) {
        jql_buf_puts(b, sep);
        jql_buf_puts(b, "below ");
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

/* The value-dependent texts, written here for scoring and for reading a
   lazy rule (jql_rule_format), so both give the same bytes. */
static void linear_text(jql_buf *b, jql_milli value, jql_milli target, jql_milli max,
                        jql_milli pts)
{
    jql_buf_puts(b, "linear: ");
    jql_buf_milli(b, value);
    jql_buf_puts(b, " / ");
    jql_buf_milli(b, target);
    jql_buf_puts(b, " \xC3\x97 "); /* × */
    jql_buf_milli(b, max);
    arrow(b, pts);
}

static void per_occurrence_text(jql_buf *b, jql_milli value, bool share, jql_milli amount,
                                jql_milli max, jql_milli pts)
{
    jql_buf_puts(b, "per occurrence: ");
    jql_buf_milli(b, max);
    jql_buf_puts(b, " \xE2\x88\x92 "); /* − */
    jql_buf_milli(b, value);
    jql_buf_puts(b, " \xC3\x97 ");
    jql_buf_milli(b, amount);
    if (share) {
        jql_buf_puts(b, "% of ");
        jql_buf_milli(b, max);
    }
    arrow(b, pts);
}

static void events_text(jql_buf *b, size_t count, const char *kind, jql_milli pts)
{
    jql_buf_puts(b, "events: ");
    jql_buf_size(b, count);
    if (kind) {
        jql_buf_putc(b, ' ');
        jql_buf_puts(b, kind);
    }
    arrow(b, pts);
}

jql_rule_fmt jql_rule_fmt_of(const jql_method *m)
{
    jql_rule_fmt f = {(int)m->kind, m->per_share, m->target, m->per_amount, NULL};
    return f;
}

void jql_rule_format(const jql_rule_fmt *f, jql_milli max, const jql_res_node *x, jql_buf *b)
{
    if (f->kind == JQL_RULE_EVENTS)
        events_text(b, x->ev_count, f->event_kind, x->points);
    else if (f->kind == JQL_METHOD_LINEAR)
        linear_text(b, x->value, f->target, max, x->points);
    else
        per_occurrence_text(b, x->value, f->per_share, f->amount, max, x->points);
}

const char *jql_rule_text(const jql_rule_fmt *f, jql_milli max, const jql_res_node *x)
{
    const char *s = __atomic_load_n(&x->rule, __ATOMIC_ACQUIRE);
    if (s || !x->rule_lazy)
        return s;
    jql_buf b;
    jql_buf_init(&b);
    jql_rule_format(f, max, x, &b);
    char *mine = jql_buf_take(&b, NULL);
    if (!mine) {
        jql_fail(JQL_ENOMEM, "out of memory");
        return NULL;
    }
    /* the first thread to store its copy wins; the others free theirs */
    const char *expected = NULL;
    const char **slot = (const char **)&x->rule;
    if (__atomic_compare_exchange_n(slot, &expected, (const char *)mine, false,
                                    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
        return mine;
    jql_free(mine);
    return expected;
}

/* A leaf's band or boolean outcome has one text: interned once, found
   again by (method, outcome, max) without formatting or hashing it. */
static jql_fixed_rule *fixed_slot(jql_score_ctx *ctx, const jql_method *m, size_t outcome,
                                  jql_milli max)
{
    /* the outcome is mixed in before the multiplication: added after it,
       it stayed below the bits kept, and a band's outcomes shared one slot */
    uint64_t h = ((uint64_t)((uintptr_t)m >> 3) * 31u + outcome) * UINT64_C(0x9E3779B97F4A7C15);
    return &ctx->fixed_rules[(h >> 32) & ctx->fixed_mask];
}

/* Called with an empty ctx->rule and nothing to be appended after. */
static bool fixed_hit(jql_score_ctx *ctx, const jql_method *m, size_t outcome, jql_milli max)
{
    const jql_fixed_rule *f = fixed_slot(ctx, m, outcome, max);
    if (f->s && f->m == m && f->outcome == outcome && f->max == max) {
        ctx->rule_ready = f->s;
        return true;
    }
    return false;
}

/* After a fixed text was written into an empty ctx->rule: intern it and
   remember it for the next unit. */
static void fixed_keep(jql_score_ctx *ctx, const jql_method *m, size_t outcome, jql_milli max)
{
    const char *s;
    if (jql_rule_take(ctx, &s))
        return; /* out of memory: the text stays in ctx->rule, and fails there */
    jql_fixed_rule *f = fixed_slot(ctx, m, outcome, max);
    f->m = m;
    f->outcome = outcome;
    f->max = max;
    f->s = s;
    ctx->rule_ready = s;
}

jql_milli jql_method_apply(jql_score_ctx *ctx, const jql_method *m, jql_milli max,
                           const jql_mval *v)
{
    jql_buf *b = &ctx->rule;
    jql_milli pts = 0;
    bool defer = ctx->rule_defer_ok && b->len == 0;
    ctx->rule_defer_ok = false; /* one call: the caller sets it each time */
    switch (m->kind) {
    case JQL_METHOD_BANDS: {
        size_t i = 0;
        while (i < m->nbands && !jql_cond_holds(&m->bands[i].cond, v))
            i++;
        pts = i < m->nbands ? clamp(m->bands[i].points, max) : 0;
        if (defer && fixed_hit(ctx, m, i, max))
            return pts;
        if (i < m->nbands) {
            jql_buf_puts(b, "band ");
            jql_buf_size(b, i + 1);
            jql_buf_puts(b, ": ");
            jql_cond_text(b, &m->bands[i].cond);
        } else {
            jql_buf_puts(b, "no band matched");
        }
        arrow(b, pts);
        if (defer)
            fixed_keep(ctx, m, i, max);
        return pts;
    }
    case JQL_METHOD_LINEAR:
        if (v->never) {
            jql_buf_puts(b, "linear: ");
            jql_buf_puts(b, "never submitted");
        } else if (m->target > 0) {
            /* one rounding of max * value / target, from the exact value */
            pts = linear_points(max, v->exact, m->target);
            if (defer)
                ctx->rule_deferred = true;
            else
                linear_text(b, v->value, m->target, max, pts);
            return pts;
        } else {
            jql_buf_puts(b, "linear: ");
        }
        arrow(b, pts);
        return pts;
    case JQL_METHOD_BOOLEAN: {
        bool ok = cond_empty(&m->cond) ? (v->never || v->exact.num > 0)
                                       : jql_cond_holds(&m->cond, v);
        pts = ok ? max : 0;
        if (defer && fixed_hit(ctx, m, ok, max))
            return pts;
        jql_buf_puts(b, "boolean: ");
        if (cond_empty(&m->cond))
            jql_buf_puts(b, "value > 0");
        else
            jql_cond_text(b, &m->cond);
        jql_buf_puts(b, ok ? " holds" : " fails");
        arrow(b, pts);
        if (defer)
            fixed_keep(ctx, m, ok, max);
        return pts;
    }
    case JQL_METHOD_PER_OCCURRENCE:
        if (v->never) {
            jql_buf_puts(b, "per occurrence: ");
            jql_buf_puts(b, "never submitted");
            arrow(b, 0);
            return 0;
        }
        /* max - n * amount or max - n * share% * max, exact, rounded once */
        pts = m->per_share ? per_share_points(max, v->exact, m->per_amount)
                           : per_amount_points(max, v->exact, m->per_amount);
        if (defer)
            ctx->rule_deferred = true;
        else
            per_occurrence_text(b, v->value, m->per_share, m->per_amount, max, pts);
        return pts;
    default:
        value_text(b, v);
        arrow(b, 0);
        return 0;
    }
}

void jql_rule_materialize(jql_score_ctx *ctx)
{
    if (ctx->rule_ready && ctx->rule.len == 0)
        jql_buf_puts(&ctx->rule, ctx->rule_ready);
    ctx->rule_ready = NULL;
}

int jql_rule_take_text(jql_score_ctx *ctx, const char **out)
{
    if (ctx->rule.failed)
        return jql_fail(JQL_ENOMEM, "out of memory");
    const char *s = ctx->rule.data ? ctx->rule.data : "";
    /* Rules repeat from unit to unit (a few thousand distinct texts over
       hundreds of thousands of results): a direct-mapped cache of interned
       rules, on a hash of the whole text, makes a repeat one comparison,
       without the pool's hash map. */
    size_t len = ctx->rule.len;
    /* eight bytes a step (byte by byte was a tenth of the scoring) */
    uint64_t h = UINT64_C(14695981039346656037) ^ len, w;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * UINT64_C(0x9E3779B97F4A7C15);
        h ^= h >> 32;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
    jql_rule_slot *slot = &ctx->rule_cache[(h ^ (h >> 29)) & ctx->rule_mask];
    if (slot->s && slot->hash == h && slot->len == len && memcmp(slot->s, s, len) == 0) {
        *out = slot->s;
    } else if ((*out = jql_results_intern(ctx->r, s))) {
        slot->s = *out;
        slot->len = len;
        slot->hash = h;
    }
    ctx->rule.len = 0;
    return *out ? 0 : JQL_ENOMEM;
}
