/*
 * Queries over a dataset: the internal ones of query.h (used by the scoring
 * engine) and the public query functions of dataset.h, which resolve ids
 * and call them.
 *
 * Per-unit queries walk only the covered units' own record lists
 * (ds->by_unit), directives included (indexed by addressee unit and by
 * addressed level). Exceptions: the public "any unit" forms and
 * jql_shortcomings_open() scan their record kind because they ask about all
 * of it.
 *
 * Decisions beyond the contract:
 * - A missing (never submitted) report is counted as missing, not also as
 *   incomplete: incomplete = submitted but not complete.
 * - Sums that leave the int64 range (or a change % that does) give
 *   JQL_ELIMIT rather than a wrong number.
 * - Two period ids with the same dates never both carry a statistic for
 *   one unit and indicator: the builder refuses the second (docs/SCORING.md).
 */
#include <stdlib.h>
#include <string.h>

#include "query.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

/* Lists up to this long are sorted by insertion (same order as qsort's:
   both comparisons are total orders). */
#define SMALL_SORT 16
/* Two ascending runs up to this long in all are merged on the stack. */
#define MERGE_MAX 256

/* Sort v->items[from..len) ascending and drop duplicates: evidence lists are
   in insertion order, and per-unit lists merged over a subtree are not. */
static void sort_unique_tail(jql_sizevec *v, size_t from)
{
    if (!v || v->len - from < 2)
        return;
    size_t *a = v->items + from, n = v->len - from, w = 1;
    size_t k = 1;
    while (k < n && a[k - 1] < a[k])
        k++;
    if (k == n)
        return; /* already ascending, as a subtree added in order gives it */
    size_t m = k + 1;
    while (m < n && a[m - 1] < a[m])
        m++;
    if (m == n && n <= MERGE_MAX) {
        /* two ascending runs (a unit's own directives, then those of its
           level): merged, not sorted */
        size_t buf[MERGE_MAX], i = 0, j = k, o = 0;
        while (i < k && j < n) {
            if (a[i] < a[j])
                buf[o++] = a[i++];
            else if (a[j] < a[i])
                buf[o++] = a[j++];
            else
                buf[o++] = a[i++], j++;
        }
        while (i < k)
            buf[o++] = a[i++];
        while (j < n)
            buf[o++] = a[j++];
        memcpy(a, buf, o * sizeof *a);
        v->len = from + o;
        return;
    }
    if (n <= SMALL_SORT) { /* a leaf's few records: no qsort call per pair */
        for (; k < n; k++)
            for (size_t j = k; j > 0 && a[j - 1] > a[j]; j--) {
                size_t t = a[j];
                a[j] = a[j - 1];
                a[j - 1] = t;
            }
    } else {
        qsort(a, n, sizeof *a, cmp_size);
    }
    for (size_t i = 1; i < n; i++)
        if (a[i] != a[w - 1])
            a[w++] = a[i];
    v->len = from + w;
}

/* NULL filter matches anything; a record without the value matches only NULL. */
static bool filter_ok(const char *filter, const char *value)
{
    /* the first byte first: most records of another kind differ there */
    return filter == NULL ||
           (value != NULL && value[0] == filter[0] && strcmp(filter, value) == 0);
}

static bool range_eq(jql_range a, jql_range b)
{
    return a.start == b.start && a.end == b.end;
}

static int push(jql_sizevec *v, size_t x)
{
    return v ? jql_sizevec_push(v, x) : JQL_OK;
}

static int too_big(void)
{
    return jql_fail(JQL_ELIMIT, "value out of range (exceeds 64-bit thousandths)");
}

static bool fits64(__int128 x)
{
    return x >= INT64_MIN && x <= INT64_MAX;
}

jql_ratio jql_share_exact(size_t part, size_t whole)
{
    if (whole == 0)
        return (jql_ratio){0, 1};
    return (jql_ratio){(__int128)part * 100000, (__int128)whole};
}

jql_milli jql_share_pct(size_t part, size_t whole)
{
    jql_ratio s = jql_share_exact(part, whole);
    return jql_div_round(s.num, s.den);
}

/* ---- exact fractions (means, ratios, changes) ---- */

static bool fits_u64(__int128 x)
{
    return x >= 0 && x <= (__int128)UINT64_MAX;
}

/* Binary (Stein's) gcd: shifts and subtractions, no division (a 64-bit
   division costs tens of cycles, and Euclid takes one per step). */
static uint64_t gcd64(uint64_t x, uint64_t y)
{
    if (x == 0)
        return y;
    if (y == 0)
        return x;
    int shift = __builtin_ctzll(x | y);
    x >>= __builtin_ctzll(x);
    do {
        y >>= __builtin_ctzll(y);
        /* min and difference without a branch (conditional moves): which
           is larger is a coin toss, and a mispredicted branch per step
           made this as slow as Euclid (35 against 65 ns a pair here) */
        uint64_t lo = x < y ? x : y, hi = x < y ? y : x;
        x = lo;
        y = hi - lo;
    } while (y);
    return x << shift;
}

static __int128 gcd128(__int128 a, __int128 b)
{
    if (a < 0)
        a = -a;
    if (b < 0)
        b = -b; /* the remainders' signs aside, the same gcd */
    if (fits_u64(a) && fits_u64(b)) /* the usual case */
        return (__int128)gcd64((uint64_t)a, (uint64_t)b);
    while (b) {
        __int128 t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* num / den reduced, den made positive. Past the bounds the engine's exact
   arithmetic relies on (score_internal.h: den <= 2^64, |num| < 2^110, the
   value rounded to 0.001 within 64 bits) the answer is JQL_ELIMIT, never a
   rounded fraction. den == 0 is "no data" (JQL_ENOTFOUND). */
static int ratio_make(__int128 num, __int128 den, jql_ratio *out)
{
    if (den == 0)
        return JQL_ENOTFOUND;
    if (den < 0) {
        num = -num;
        den = -den;
    }
    if (den <= INT64_MAX && num > -INT64_MAX && num < INT64_MAX) {
        /* the usual case, in 64-bit divisions; inside every bound below
           (|num| < 2^63 and den >= 1 keep the quotient below INT64_MAX) */
        int64_t n = (int64_t)num, d = (int64_t)den;
        if (d == 1) { /* a whole number (sums): gcd64 would take a step per bit */
            *out = (jql_ratio){n, 1};
            return JQL_OK;
        }
        uint64_t x = gcd64(n < 0 ? (uint64_t)-n : (uint64_t)n, (uint64_t)d);
        if (x > 1) {
            n /= (int64_t)x;
            d /= (int64_t)x;
        }
        *out = (jql_ratio){n, d};
        return JQL_OK;
    }
    __int128 g = gcd128(num, den);
    if (g > 1) {
        num /= g;
        den /= g;
    }
    const __int128 big = (__int128)1 << 110, q = num / den;
    if (den > ((__int128)1 << 64) || num >= big || num <= -big || q >= INT64_MAX ||
        q <= -INT64_MAX)
        return too_big();
    *out = (jql_ratio){num, den};
    return JQL_OK;
}

int jql_q_ratio_make(__int128 num, __int128 den, jql_ratio *out)
{
    return ratio_make(num, den, out);
}

static bool fits63(__int128 x) { return x > -INT64_MAX && x < INT64_MAX; }

/* a + b, exact. */
static int ratio_add(jql_ratio a, jql_ratio b, jql_ratio *out)
{
    if (a.den == 1 && b.den == 1 && fits63(a.num) && fits63(b.num))
        return ratio_make(a.num + b.num, 1, out); /* whole numbers: no gcd, no products */
    __int128 g = gcd128(a.den, b.den), x, y, d;
    if (__builtin_mul_overflow(a.num, b.den / g, &x) ||
        __builtin_mul_overflow(b.num, a.den / g, &y) || __builtin_add_overflow(x, y, &x) ||
        __builtin_mul_overflow(a.den / g, b.den, &d))
        return too_big();
    return ratio_make(x, d, out);
}

/* 100 * a / b in thousandths of %, exact: 100000 * a.num * b.den /
   (a.den * b.num). JQL_ENOTFOUND when b is 0; JQL_ELIMIT past the bounds. */
static int percent_exact(jql_ratio a, jql_ratio b, jql_ratio *out)
{
    if (b.num == 0)
        return JQL_ENOTFOUND;
    if (a.den == 1 && b.den == 1 && fits63(a.num) && fits63(b.num))
        /* whole numbers (sums, counts): 100000 * a < 2^80, one reduction */
        return ratio_make((__int128)a.num * 100000, b.num, out);
    /* cancel common factors first so exact means stay small */
    __int128 g1 = gcd128(a.num, b.num), g2 = gcd128(b.den, a.den);
    if (g1 == 0)
        g1 = 1;
    __int128 an, bn, bd, ad, n, d;
    if (fits63(a.num) && fits63(b.num) && fits63(a.den) && fits63(b.den)) {
        /* 64-bit divisions (the 128-bit ones are library calls) */
        int64_t G1 = (int64_t)g1, G2 = (int64_t)g2;
        an = (int64_t)a.num / G1;
        bn = (int64_t)b.num / G1;
        bd = (int64_t)b.den / G2;
        ad = (int64_t)a.den / G2;
    } else {
        an = a.num / g1, bn = b.num / g1, bd = b.den / g2, ad = a.den / g2;
    }
    if (__builtin_mul_overflow(an, bd, &n) || __builtin_mul_overflow(n, (__int128)100000, &n) ||
        __builtin_mul_overflow(ad, bn, &d))
        return too_big();
    return ratio_make(n, d, out);
}

/* ------------------------------------------------------------------ */
/* Units covered                                                       */
/* ------------------------------------------------------------------ */

int jql_q_units(const jql_dataset *ds, size_t unit, bool rollup, jql_sizevec *out)
{
    if (jql_sizevec_push(out, unit))
        return JQL_ENOMEM;
    if (!rollup)
        return JQL_OK;
    /* Pre-order with an explicit stack of (unit, next child) pairs, so a
       deep hierarchy cannot overflow the C stack. */
    jql_sizevec stack = {0};
    int rc = JQL_OK;
    if (jql_sizevec_push(&stack, unit) || jql_sizevec_push(&stack, 0)) {
        rc = JQL_ENOMEM;
        goto done;
    }
    while (stack.len) {
        size_t n = stack.items[stack.len - 2], k = stack.items[stack.len - 1];
        const jql_sizevec *ch = &ds->units.items[n].children;
        if (k >= ch->len) {
            stack.len -= 2;
            continue;
        }
        stack.items[stack.len - 1] = k + 1;
        size_t c = ch->items[k];
        if (jql_sizevec_push(out, c) || jql_sizevec_push(&stack, c) ||
            jql_sizevec_push(&stack, 0)) {
            rc = JQL_ENOMEM;
            break;
        }
    }
done:
    jql_sizevec_free(&stack);
    return rc;
}

/* The covered units for a query: without roll-up a view of *unit itself,
   no allocation per query; release with units_done(). */
static int units_get(const jql_dataset *ds, size_t *unit, bool rollup, jql_sizevec *out)
{
    if (!rollup) {
        *out = (jql_sizevec){.items = unit, .len = 1, .cap = 1};
        return JQL_OK;
    }
    return jql_q_units(ds, *unit, true, out);
}

static void units_done(jql_sizevec *v, const size_t *unit)
{
    if (v->items != unit)
        jql_sizevec_free(v);
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

typedef struct {
    jql_date start, end;
    size_t idx;
} span;

/* By start, then widest first, then insertion order: after sorting, a span
   lies inside an earlier one exactly when an earlier one reaches as far. */
static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    if (x->start != y->start)
        return x->start < y->start ? -1 : 1;
    if (x->end != y->end)
        return x->end > y->end ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

/* The records a value uses so far, taken in span order (cmp_span). */
typedef struct {
    __int128 sum;
    size_t used;
    jql_milli mn, mx;
    jql_date reach; /* the end of the last record used */
    span last;      /* the latest end, ties latest start */
} span_acc;

/* Take span c into a, unless it nests in a record already used. */
static int acc_take(const jql_dataset *ds, span_acc *a, span c, jql_aggregation agg,
                    jql_sizevec *evidence)
{
    if (a->used && c.end <= a->reach)
        return JQL_OK; /* nested in a record already used */
    a->reach = c.end;
    jql_milli v = ds->stats.items[c.idx].value;
    if (!a->used || v < a->mn)
        a->mn = v;
    if (!a->used || v > a->mx)
        a->mx = v;
    /* distinct used spans never tie on both */
    if (!a->used || c.end > a->last.end || (c.end == a->last.end && c.start > a->last.start))
        a->last = c;
    a->sum += v;
    a->used++;
    return agg != JQL_AGG_LAST ? push(evidence, c.idx) : JQL_OK;
}

/* The exact value of the records taken (at least one): a `mean` is sum /
   count, never rounded here (docs/SCORING.md: nothing is rounded before
   the leaf's single rounding of points). */
static int acc_result(const jql_dataset *ds, const span_acc *a, jql_aggregation agg,
                      jql_ratio *out, jql_sizevec *evidence)
{
    switch (agg) {
    case JQL_AGG_LAST:
        *out = (jql_ratio){ds->stats.items[a->last.idx].value, 1};
        return push(evidence, a->last.idx);
    case JQL_AGG_MEAN: return ratio_make(a->sum, (__int128)a->used, out);
    case JQL_AGG_MIN: *out = (jql_ratio){a->mn, 1}; break;
    case JQL_AGG_MAX: *out = (jql_ratio){a->mx, 1}; break;
    default:
        if (!fits64(a->sum))
            return too_big();
        *out = (jql_ratio){a->sum, 1};
    }
    return JQL_OK;
}

/* Combine the records used (sorted spans, nested ones skipped) into an
   exact value. */
static int combine_spans(const jql_dataset *ds, const span *c, size_t n, jql_aggregation agg,
                         jql_ratio *out, jql_sizevec *evidence)
{
    span_acc a = {0};
    for (size_t i = 0; i < n; i++)
        if (acc_take(ds, &a, c[i], agg, evidence))
            return JQL_ENOMEM;
    return acc_result(ds, &a, agg, out, evidence);
}

/* As-of rule for statistics: the figures of a period are known from its
   end, or from the end of its declared cut-off (15/12-14/3 for Q1). The
   period map is looked up only under an as-of date. */
static bool stat_after_as_of(const jql_dataset *ds, const jql_stat_rec *s, jql_range r)
{
    if (!r.has_as_of)
        return false;
    jql_date known = s->range.end;
    size_t i;
    if (s->period && jql_strmap_get(&ds->period_ids, s->period, &i) == JQL_OK &&
        ds->periods.items[i].cutoff_end != JQL_NO_DATE)
        known = ds->periods.items[i].cutoff_end;
    return known > r.as_of;
}

/* unit_value_run()'s answer when the list is not a run (status codes
   are 0 or negative). */
#define NOT_A_RUN 1

/* unit_value() in one pass, for the usual list: the records used follow
   one another (each starts after the previous one ends, so none nests in
   another and the list order is the span order) and come in record order
   (so the evidence is sorted as pushed). NOT_A_RUN, with nothing pushed,
   when the list is not like that: then unit_value() sorts spans. */
static int unit_value_run(const jql_dataset *ds, const jql_sizevec *list, size_t ind,
                          jql_range r, jql_aggregation agg, jql_ratio *out,
                          jql_sizevec *evidence)
{
    __int128 sum = 0;
    size_t used = 0, last = 0, from = evidence ? evidence->len : 0;
    jql_milli mn = 0, mx = 0;
    jql_date reach = 0;
    for (size_t k = 0; k < list->len; k++) {
        size_t idx = list->items[k];
        const jql_stat_rec *s = &ds->stats.items[idx];
        if (s->indicator != ind || !jql_range_within(s->range, r) || stat_after_as_of(ds, s, r))
            continue;
        if (used && (s->range.start <= reach || idx < last)) {
            if (evidence)
                evidence->len = from;
            return NOT_A_RUN;
        }
        if (!used && range_eq(s->range, r)) { /* the exact period wins (there is one) */
            *out = (jql_ratio){s->value, 1};
            return push(evidence, idx);
        }
        jql_milli v = s->value;
        if (!used || v < mn)
            mn = v;
        if (!used || v > mx)
            mx = v;
        sum += v;
        reach = s->range.end;
        last = idx; /* the latest end so far */
        used++;
        if (agg != JQL_AGG_LAST && push(evidence, idx))
            return JQL_ENOMEM;
    }
    if (used == 0)
        return JQL_ENOTFOUND;
    switch (agg) {
    case JQL_AGG_LAST:
        *out = (jql_ratio){ds->stats.items[last].value, 1};
        return push(evidence, last);
    case JQL_AGG_MEAN: return ratio_make(sum, (__int128)used, out);
    case JQL_AGG_MIN: *out = (jql_ratio){mn, 1}; return JQL_OK;
    case JQL_AGG_MAX: *out = (jql_ratio){mx, 1}; return JQL_OK;
    default:
        if (!fits64(sum))
            return too_big();
        *out = (jql_ratio){sum, 1};
        return JQL_OK;
    }
}

/* Value of one unit, without descendants. */
static int unit_value(const jql_dataset *ds, const jql_sizevec *list, size_t ind, jql_range r,
                      jql_aggregation agg, jql_ratio *out, jql_sizevec *evidence)
{
    int rc = unit_value_run(ds, list, ind, r, agg, out, evidence);
    if (rc != NOT_A_RUN)
        return rc;
    span local[32], *c = local;
    size_t n = 0, cap = sizeof local / sizeof local[0];
    for (size_t k = 0; k < list->len; k++) {
        const jql_stat_rec *s = &ds->stats.items[list->items[k]];
        if (s->indicator != ind || !jql_range_within(s->range, r) ||
            stat_after_as_of(ds, s, r))
            continue;
        if (range_eq(s->range, r)) { /* exact period wins (the builder refuses a second one) */
            *out = (jql_ratio){s->value, 1};
            rc = push(evidence, list->items[k]);
            goto done;
        }
        if (n == cap) { /* spill the local buffer to the heap */
            span *g = jql_calloc(cap * 2, sizeof *g);
            if (!g) {
                rc = jql_fail(JQL_ENOMEM, "out of memory");
                goto done;
            }
            memcpy(g, c, n * sizeof *c);
            if (c != local)
                jql_free(c);
            c = g;
            cap *= 2;
        }
        c[n++] = (span){s->range.start, s->range.end, list->items[k]};
    }
    if (n == 0) {
        rc = JQL_ENOTFOUND;
        goto done;
    }
    if (n <= SMALL_SORT) {
        for (size_t k = 1; k < n; k++)
            for (size_t j = k; j > 0 && cmp_span(&c[j - 1], &c[j]) > 0; j--) {
                span t = c[j];
                c[j] = c[j - 1];
                c[j - 1] = t;
            }
    } else {
        qsort(c, n, sizeof *c, cmp_span);
    }
    size_t from = evidence ? evidence->len : 0;
    rc = combine_spans(ds, c, n, agg, out, evidence);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
done:
    if (c != local)
        jql_free(c);
    return rc;
}

/* The units' pre-order (model.h), built on first use after the hierarchy
   changed. Readers may race here: each builds its own, the first to
   publish it wins and the others free theirs. JQL_OK or JQL_ENOMEM. */
static int preorder_get(const jql_dataset *ds, const jql_unit_preorder **out)
{
    jql_dataset *cache = (jql_dataset *)ds; /* the cached field only */
    jql_unit_preorder *p = atomic_load_explicit(&cache->preorder, memory_order_acquire);
    if ((*out = p))
        return JQL_OK;
    size_t n = ds->units.len;
    jql_sizevec order = {0};
    int rc = (p = jql_calloc(1, sizeof *p)) && (p->pos = jql_calloc(n + 1, sizeof *p->pos)) &&
                     (p->size = jql_calloc(n + 1, sizeof *p->size))
                 ? JQL_OK
                 : JQL_ENOMEM;
    for (size_t u = 0; rc == JQL_OK && u < n; u++)
        if (ds->units.items[u].parent == JQL_NONE)
            rc = jql_q_units(ds, u, true, &order);
    if (rc == JQL_OK && order.len != n)
        rc = JQL_EINVALID; /* a cycle: refused by every edit, never seen */
    if (rc) {
        jql_sizevec_free(&order);
        if (p) {
            jql_free(p->pos);
            jql_free(p->size);
            jql_free(p);
        }
        return jql_fail(rc, rc == JQL_ENOMEM ? "out of memory" : "units in a cycle");
    }
    p->order = order.items;
    for (size_t k = 0; k < n; k++)
        p->pos[order.items[k]] = k, p->size[order.items[k]] = 1;
    for (size_t k = n; k-- > 0;) { /* descendants come after their ancestors */
        size_t parent = ds->units.items[order.items[k]].parent;
        if (parent != JQL_NONE)
            p->size[parent] += p->size[order.items[k]];
    }
    jql_unit_preorder *first = NULL;
    if (!atomic_compare_exchange_strong_explicit(&cache->preorder, &first, p,
                                                 memory_order_acq_rel, memory_order_acquire)) {
        jql_free(p->order);
        jql_free(p->pos);
        jql_free(p->size);
        jql_free(p);
        p = first;
    }
    *out = p;
    return JQL_OK;
}

typedef struct {
    size_t pos, slot;
} placed_pair;

static int cmp_placed(const void *a, const void *b)
{
    const placed_pair *x = a, *y = b;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

/* The pairs (ds->stat_pairs slots) of indicator ind on the units of
   unit's subtree, in the order jql_q_units() lists those units: the
   subtree walked when it is smaller than the indicator's pairs, else
   those pairs that lie in it, sorted by position. Either way a roll-up
   costs the smaller of the two, not the subtree (a 20,000-unit chain and
   80,000 indicators of one statistic each: minutes in jql-report). */
static int rollup_pairs(const jql_dataset *ds, size_t unit, size_t ind, jql_sizevec *out)
{
    const jql_unit_preorder *p;
    int rc = preorder_get(ds, &p);
    if (rc)
        return rc;
    size_t from = p->pos[unit], size = p->size[unit];
    const jql_ind_pairs *chain = ind < ds->nind_pairs ? &ds->ind_pairs[ind] : NULL;
    size_t k = chain ? chain->count : 0;
    if (k == 0)
        return JQL_OK; /* no statistic of the indicator anywhere (no chain at all
                          when none of a later indicator either) */
    if (size <= k) {
        for (size_t j = from; j < from + size; j++) {
            size_t slot = jql_ds_stat_pair(ds, p->order[j], ind);
            if (slot != JQL_NONE && push(out, slot))
                return JQL_ENOMEM;
        }
        return JQL_OK;
    }
    placed_pair *in = jql_calloc(k + 1, sizeof *in);
    if (!in)
        return jql_fail(JQL_ENOMEM, "out of memory");
    size_t n = 0;
    for (size_t s = chain->first; s; s = ds->stat_pairs[s - 1].next) {
        size_t at = p->pos[ds->stat_pairs[s - 1].unit];
        if (at >= from && at - from < size)
            in[n++] = (placed_pair){at, s - 1};
    }
    if (n > 1)
        qsort(in, n, sizeof *in, cmp_placed);
    for (size_t j = 0; rc == JQL_OK && j < n; j++)
        rc = push(out, in[j].slot);
    jql_free(in);
    return rc;
}

/* The statistics of (unit, indicator), from by_ind when given, else in
   *view (valid until the dataset changes). */
static const jql_sizevec *pair_stats(const jql_dataset *ds, size_t unit, size_t indicator,
                                     const jql_sizevec *by_ind, jql_sizevec *view)
{
    if (by_ind)
        return &by_ind[indicator];
    size_t slot = jql_ds_stat_pair(ds, unit, indicator);
    *view = slot == JQL_NONE ? (jql_sizevec){0} : jql_stat_pair_list(&ds->stat_pairs[slot]);
    return view;
}

/* Lists longer than this look for a record of exactly the period first
   (one hash probe): a (unit, indicator) pair with 70,000 periods, asked
   for each of them, was read whole for every answer. Short ones, the
   usual four quarters, are read as they are. */
#define EXACT_FIRST 16

/* A long pair's index (model.h): its records sorted by cmp_span, so a
   range reads only those starting inside it, found by seeking, with no
   sort; and the question most often asked again, a range holding them all
   (the year of a pair's custom periods), answered once. */
struct jql_pair_index {
    uint64_t gen;    /* its build number, from 1 */
    jql_date lo, hi; /* the earliest start and the latest end */
    span_acc all;    /* every record taken (no as-of date) */
    size_t *used;    /* the records `all` uses, ascending */
    size_t len;
    span spans[];
};

/* Indexes built so far (their build numbers). */
static atomic_uint_least64_t pair_index_builds;

void jql_q_pair_index_free(jql_pair_index *x) { jql_free(x); }

/* x->all and x->used: every span taken in order (all fit). */
static void pair_index_combine(const jql_dataset *ds, jql_pair_index *x)
{
    size_t n = 0;
    x->lo = x->spans[0].start;
    x->hi = x->spans[0].end;
    for (size_t k = 0; k < x->len; k++) {
        size_t before = x->all.used;
        (void)acc_take(ds, &x->all, x->spans[k], JQL_AGG_LAST, NULL); /* pushes nothing */
        if (x->all.used > before)
            x->used[n++] = x->spans[k].idx;
        if (x->spans[k].end > x->hi)
            x->hi = x->spans[k].end;
    }
    qsort(x->used, n, sizeof *x->used, cmp_size);
}

/* Values of a long pair read from its list after it changed, before it
   gets an index: building one sorts the pair, reading it is one pass, so
   a pair edited between questions (a statistic added, then a value
   asked) is not sorted again for each. */
#define INDEX_AFTER 2

/* A long pair's index, built once asked more than INDEX_AFTER times since
   the pair changed (at least one record). Readers may race here: each
   builds its own, the first to publish it wins and the others free
   theirs. NULL: not yet, or out of memory (the caller reads the list). */
static const jql_pair_index *pair_index_get(const jql_dataset *ds, const jql_stat_pair *pair)
{
    jql_stat_pair *cache = (jql_stat_pair *)pair; /* the cached fields only */
    jql_pair_index *x = atomic_load_explicit(&cache->index, memory_order_acquire);
    if (x)
        return x;
    if (atomic_fetch_add_explicit(&cache->asked, 1, memory_order_relaxed) < INDEX_AFTER)
        return NULL;
    jql_sizevec list = jql_stat_pair_list(pair);
    size_t each = sizeof x->spans[0] + sizeof *x->used; /* a span, maybe used */
    if (list.len > (SIZE_MAX - sizeof *x) / each || !(x = jql_calloc(1, sizeof *x + list.len * each)))
        return NULL;
    x->gen = atomic_fetch_add_explicit(&pair_index_builds, 1, memory_order_relaxed) + 1;
    x->len = list.len;
    x->used = (size_t *)(x->spans + list.len);
    for (size_t k = 0; k < list.len; k++) {
        const jql_stat_rec *s = &ds->stats.items[list.items[k]];
        x->spans[k] = (span){s->range.start, s->range.end, list.items[k]};
    }
    qsort(x->spans, x->len, sizeof x->spans[0], cmp_span);
    pair_index_combine(ds, x);
    jql_pair_index *first = NULL;
    if (!atomic_compare_exchange_strong_explicit(&cache->index, &first, x, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        jql_free(x);
        x = first;
    }
    return x;
}

/* unit_value() of a range holding all of a pair's records, without an
   as-of date (and no record of exactly it): every record taken. */
static int value_of_all(const jql_dataset *ds, const jql_pair_index *x, jql_aggregation agg,
                        jql_ratio *out, jql_sizevec *evidence)
{
    for (size_t k = 0; agg != JQL_AGG_LAST && k < x->all.used; k++)
        if (push(evidence, x->used[k]))
            return JQL_ENOMEM;
    return acc_result(ds, &x->all, agg, out, evidence);
}

/* Whether span m comes before (start, end) in cmp_span order. */
static bool span_before(const span *m, jql_date start, jql_date end)
{
    return m->start < start || (m->start == start && m->end > end);
}

/* The first span at or after `from` that is not before (start, end): it
   starts later, or starts then and ends by `end`. Galloping from `from`:
   the next day's records are most often a step away. */
static size_t span_seek(const jql_pair_index *x, size_t from, jql_date start, jql_date end)
{
    size_t lo = from, step = 1;
    while (lo < x->len && span_before(&x->spans[lo], start, end)) {
        from = lo + 1;
        lo = step < x->len - lo ? lo + step : x->len;
        step *= 2;
    }
    size_t hi = lo; /* the answer is in [from, hi] */
    lo = from;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (span_before(&x->spans[mid], start, end))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The first span of the day x->spans[*k] starts, from *k on, that counts
   by r's as-of date (*k left on it); false: none does. */
static bool day_first_known(const jql_dataset *ds, const jql_pair_index *x, size_t *k,
                            jql_range r)
{
    jql_date start = x->spans[*k].start;
    for (; *k < x->len && x->spans[*k].start == start; (*k)++)
        if (!stat_after_as_of(ds, &ds->stats.items[x->spans[*k].idx], r))
            return true;
    return false;
}

/* Take into a the records of x that a value over r uses, in combining
   order: of the records starting on one day inside r, the widest that ends
   inside r and counts is the only one combine_spans() could use (the
   others nest in it), so each such day costs two seeks. *exact: the
   record of exactly r when it counts (it wins alone; nothing taken).
   JQL_OK or JQL_ENOMEM (evidence). */
static int take_range(const jql_dataset *ds, const jql_pair_index *x, jql_range r,
                      jql_aggregation agg, span_acc *a, jql_sizevec *evidence, const span **exact)
{
    size_t k = span_seek(x, 0, r.start, r.end);
    *exact = NULL;
    while (k < x->len && x->spans[k].start <= r.end) {
        jql_date start = x->spans[k].start;
        if (x->spans[k].end > r.end) { /* the day's wider records end after r */
            k = span_seek(x, k, start, r.end);
            continue;
        }
        if (day_first_known(ds, x, &k, r)) {
            const span *s = &x->spans[k];
            if (s->start == r.start && s->end == r.end) { /* r's first day, widest: */
                *exact = s;                               /* the first taken */
                return JQL_OK;
            }
            if (acc_take(ds, a, *s, agg, evidence))
                return JQL_ENOMEM;
        }
        k = span_seek(x, k, start + 1, INT32_MAX); /* the next day's records */
    }
    return JQL_OK;
}

/* unit_value() by a pair's index: the spans come in combining order. */
static int unit_value_indexed(const jql_dataset *ds, const jql_pair_index *x, jql_range r,
                              jql_aggregation agg, jql_ratio *out, jql_sizevec *evidence)
{
    span_acc a = {0};
    const span *exact;
    size_t from = evidence ? evidence->len : 0;
    int rc = take_range(ds, x, r, agg, &a, evidence, &exact);
    if (rc)
        return rc;
    if (exact) { /* the exact period wins */
        *out = (jql_ratio){ds->stats.items[exact->idx].value, 1};
        return push(evidence, exact->idx);
    }
    if (a.used == 0)
        return JQL_ENOTFOUND;
    rc = acc_result(ds, &a, agg, out, evidence);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    return rc;
}

/* The last range this thread asked of a long pair without an as-of date
   or its records, and those records combined: a custom function asks
   jql_indicator_value() of the period scored once per leaf, of each unit
   in turn. gen: the index's build number (0: none), so that an index
   freed and another built at its address is not taken for it. */
static _Thread_local struct {
    uint64_t gen;
    jql_date start, end;
    span_acc acc;
} last_asked;

/* unit_value_indexed() without evidence or an as-of date, the records of
   the last range asked taken once. */
static int unit_value_remembered(const jql_dataset *ds, const jql_pair_index *x, jql_range r,
                                 jql_aggregation agg, jql_ratio *out)
{
    if (last_asked.gen != x->gen || last_asked.start != r.start || last_asked.end != r.end) {
        span_acc a = {0};
        const span *exact;
        (void)take_range(ds, x, r, agg, &a, NULL, &exact); /* nothing pushed: cannot fail */
        if (exact) {
            *out = (jql_ratio){ds->stats.items[exact->idx].value, 1};
            return JQL_OK;
        }
        last_asked.gen = x->gen;
        last_asked.start = r.start;
        last_asked.end = r.end;
        last_asked.acc = a;
    }
    if (last_asked.acc.used == 0)
        return JQL_ENOTFOUND;
    return acc_result(ds, &last_asked.acc, agg, out, NULL);
}

/* unit_value() for a long list: the record of exactly r wins when it
   counts (known by r's as-of date), as unit_value() would find it; a range
   outside the pair's dates holds none of its records (a year before the
   first, most often); any other is read from the pair's index. */
static int unit_value_of(const jql_dataset *ds, size_t unit, const jql_sizevec *list, size_t ind,
                         jql_range r, jql_aggregation agg, jql_ratio *out, jql_sizevec *evidence)
{
    size_t i;
    if (list->len > EXACT_FIRST) {
        if (jql_ds_stat_by_dates(ds, unit, ind, r, &i, NULL) == JQL_OK &&
            !stat_after_as_of(ds, &ds->stats.items[i], r)) {
            *out = (jql_ratio){ds->stats.items[i].value, 1};
            return push(evidence, i);
        }
        size_t slot = jql_ds_stat_pair(ds, unit, ind);
        const jql_stat_pair *p = slot != JQL_NONE ? &ds->stat_pairs[slot] : NULL;
        if (p && (r.end < p->lo || r.start > p->hi))
            return JQL_ENOTFOUND;
        const jql_pair_index *x = p ? pair_index_get(ds, p) : NULL;
        if (x && !r.has_as_of && r.start <= x->lo && r.end >= x->hi)
            return value_of_all(ds, x, agg, out, evidence);
        if (x && !evidence && !r.has_as_of)
            return unit_value_remembered(ds, x, r, agg, out);
        if (x)
            return unit_value_indexed(ds, x, r, agg, out, evidence);
    }
    return unit_value(ds, list, ind, r, agg, out, evidence);
}

/* by_ind (not roll-up only; NULL: none): the unit's statistics split by
   indicator, so a value reads only its indicator's records. */
static int value_exact(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                       bool rollup, const jql_sizevec *by_ind, jql_ratio *out,
                       jql_sizevec *evidence)
{
    jql_aggregation agg = ds->indicators.items[indicator].agg;
    jql_sizevec view;
    if (!rollup) {
        const jql_sizevec *list = pair_stats(ds, unit, indicator, by_ind, &view);
        return list->len <= EXACT_FIRST /* the usual few quarters: read as they are */
                   ? unit_value(ds, list, indicator, r, agg, out, evidence)
                   : unit_value_of(ds, unit, list, indicator, r, agg, out, evidence);
    }

    jql_sizevec units = {0}; /* the subtree's pairs of the indicator */
    size_t from = evidence ? evidence->len : 0, n = 0;
    jql_ratio acc = {0, 1}; /* sum of unit values (exact fractions for `mean`) */
    jql_milli mn = 0, mx = 0;
    int rc = rollup_pairs(ds, unit, indicator, &units);
    for (size_t k = 0; rc == JQL_OK && k < units.len; k++) {
        jql_ratio v;
        const jql_stat_pair *pair = &ds->stat_pairs[units.items[k]];
        view = jql_stat_pair_list(pair);
        int vr = unit_value_of(ds, pair->unit, &view, indicator, r, agg, &v, evidence);
        if (vr == JQL_ENOTFOUND)
            continue; /* a unit without data is skipped */
        if (vr) {
            rc = vr;
            break;
        }
        if (agg == JQL_AGG_MIN || agg == JQL_AGG_MAX) { /* whole thousandths */
            if (!n || v.num < mn)
                mn = (jql_milli)v.num;
            if (!n || v.num > mx)
                mx = (jql_milli)v.num;
        } else if ((rc = ratio_add(acc, v, &acc))) {
            break;
        }
        n++;
    }
    if (rc == JQL_OK && n == 0)
        rc = JQL_ENOTFOUND;
    if (rc == JQL_OK) {
        switch (agg) {
        case JQL_AGG_MEAN: rc = ratio_make(acc.num, acc.den * (__int128)n, out); break;
        case JQL_AGG_MIN: *out = (jql_ratio){mn, 1}; break;
        case JQL_AGG_MAX: *out = (jql_ratio){mx, 1}; break;
        default: /* sum and last: units add up */
            if (!fits64(acc.num))
                rc = too_big();
            else
                *out = acc;
        }
    }
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    jql_sizevec_free(&units);
    return rc;
}

int jql_q_value_exact(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                      bool rollup, jql_ratio *out, jql_sizevec *evidence)
{
    return value_exact(ds, unit, indicator, r, rollup, NULL, out, evidence);
}

int jql_q_value(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r, bool rollup,
                jql_milli *out, jql_sizevec *evidence)
{
    jql_ratio x = {0, 1};
    int rc = jql_q_value_exact(ds, unit, indicator, r, rollup, &x, evidence);
    if (rc == JQL_OK)
        *out = jql_div_round(x.num, x.den); /* one rounding, for display */
    return rc;
}

jql_range jql_range_year_before(jql_range r)
{
    /* a scoring asks this for the same window once per unit and leaf:
       the calendar arithmetic is done once per thread and window */
    static _Thread_local struct {
        jql_date start, end, start_before, end_before;
        bool set;
    } memo;
    if (!memo.set || memo.start != r.start || memo.end != r.end) {
        memo.start = r.start;
        memo.end = r.end;
        memo.start_before = jql_date_add_years(r.start, -1);
        memo.end_before = jql_date_add_years(r.end, -1);
        memo.set = true;
    }
    r.start = memo.start_before;
    r.end = memo.end_before;
    return r;
}

/* Where a change or ratio reads its values: value_exact() for a unit,
   or the caller's function (jql_q_stat_combine). */
typedef struct {
    const jql_dataset *ds;
    size_t unit;
    bool rollup;
    const jql_sizevec *by_ind;
    jql_q_value_fn fn;
    void *arg;
} value_source;

static int source_value(const value_source *s, size_t indicator, jql_range r, jql_ratio *out,
                        jql_sizevec *evidence)
{
    if (s->fn)
        return s->fn(s->arg, indicator, r, out);
    return value_exact(s->ds, s->unit, indicator, r, s->rollup, s->by_ind, out, evidence);
}

static int change_exact(const value_source *src, size_t indicator, jql_range r, jql_ratio *pct,
                        jql_sizevec *evidence)
{
    /* initialised: the compiler cannot see that ratio_add() sets diff on success */
    jql_ratio cur, prev, diff = {0, 1};
    size_t from = evidence ? evidence->len : 0;
    int rc = source_value(src, indicator, r, &cur, evidence);
    if (rc == JQL_OK)
        rc = source_value(src, indicator, jql_range_year_before(r), &prev, evidence);
    if (rc == JQL_OK)
        rc = ratio_add(cur, (jql_ratio){-prev.num, prev.den}, &diff);
    if (rc == JQL_OK)
        rc = percent_exact(diff, prev, pct);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    return rc;
}

int jql_q_change_exact(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                       bool rollup, jql_ratio *pct, jql_sizevec *evidence)
{
    const value_source src = {ds, unit, rollup, NULL, NULL, NULL};
    return change_exact(&src, indicator, r, pct, evidence);
}

int jql_q_change_pct(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                     bool rollup, jql_milli *pct, jql_sizevec *evidence)
{
    jql_ratio x = {0, 1};
    int rc = jql_q_change_exact(ds, unit, indicator, r, rollup, &x, evidence);
    if (rc == JQL_OK)
        *pct = jql_div_round(x.num, x.den);
    return rc;
}

static int ratio_exact(const value_source *src, size_t ind_a, size_t ind_b, jql_range r,
                       jql_ratio *pct, jql_sizevec *evidence)
{
    jql_ratio a, b;
    size_t from = evidence ? evidence->len : 0;
    int rc = source_value(src, ind_a, r, &a, evidence);
    if (rc == JQL_OK)
        rc = source_value(src, ind_b, r, &b, evidence);
    if (rc == JQL_OK)
        rc = percent_exact(a, b, pct);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    return rc;
}

int jql_q_ratio_exact(const jql_dataset *ds, size_t unit, size_t ind_a, size_t ind_b,
                      jql_range r, bool rollup, jql_ratio *pct, jql_sizevec *evidence)
{
    const value_source src = {ds, unit, rollup, NULL, NULL, NULL};
    return ratio_exact(&src, ind_a, ind_b, r, pct, evidence);
}

int jql_q_stat_exact(const jql_dataset *ds, size_t unit, jql_q_stat what, size_t ind_a,
                     size_t ind_b, jql_range r, bool rollup, const jql_sizevec *by_ind,
                     jql_ratio *out, jql_sizevec *evidence)
{
    if (rollup)
        by_ind = NULL;
    const value_source src = {ds, unit, rollup, by_ind, NULL, NULL};
    switch (what) {
    case JQL_Q_STAT_VALUE: return value_exact(ds, unit, ind_a, r, rollup, by_ind, out, evidence);
    case JQL_Q_STAT_CHANGE: return change_exact(&src, ind_a, r, out, evidence);
    default: return ratio_exact(&src, ind_a, ind_b, r, out, evidence);
    }
}

int jql_q_stat_combine(jql_q_stat what, size_t ind_a, size_t ind_b, jql_range r,
                       jql_q_value_fn fn, void *arg, jql_ratio *out)
{
    const value_source src = {NULL, JQL_NONE, false, NULL, fn, arg};
    switch (what) {
    case JQL_Q_STAT_VALUE: return fn(arg, ind_a, r, out);
    case JQL_Q_STAT_CHANGE: return change_exact(&src, ind_a, r, out, NULL);
    default: return ratio_exact(&src, ind_a, ind_b, r, out, NULL);
    }
}

int jql_q_stats_by_indicator(const jql_dataset *ds, size_t unit, jql_date lo, jql_date hi,
                             jql_sizevec *by_ind, jql_sizevec *touched)
{
    for (size_t k = 0; k < touched->len; k++)
        by_ind[touched->items[k]].len = 0;
    touched->len = 0;
    const jql_unit_index *x = &ds->by_unit[unit];
    const jql_sizevec *list = &x->stats;
    for (JQL_DATED_BLOCKS(at, &x->stats_at, list->len, lo, hi))
        for (size_t k = at, end = jql_dates_block_end(at, list->len); k < end; k++) {
            size_t ind = ds->stats.items[list->items[k]].indicator;
            if (!by_ind[ind].len && jql_sizevec_push(touched, ind))
                return JQL_ENOMEM;
            if (jql_sizevec_push(&by_ind[ind], list->items[k]))
                return JQL_ENOMEM;
        }
    return JQL_OK;
}

int jql_q_ratio_pct(const jql_dataset *ds, size_t unit, size_t ind_a, size_t ind_b, jql_range r,
                    bool rollup, jql_milli *pct, jql_sizevec *evidence)
{
    jql_ratio x = {0, 1};
    int rc = jql_q_ratio_exact(ds, unit, ind_a, ind_b, r, rollup, &x, evidence);
    if (rc == JQL_OK)
        *pct = jql_div_round(x.num, x.den);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Prefetch                                                            */
/* ------------------------------------------------------------------ */

/* The records of v's blocks that reach into [lo, hi]. */
static void prefetch_list(const jql_sizevec *v, const jql_date_spans *spans, jql_date lo,
                          jql_date hi, const void *base, size_t elem)
{
    for (JQL_DATED_BLOCKS(at, spans, v->len, lo, hi))
        for (size_t k = at, end = jql_dates_block_end(at, v->len); k < end; k++) {
            const char *p = (const char *)base + v->items[k] * elem;
            __builtin_prefetch(p);
            __builtin_prefetch(p + elem - 1); /* a record may straddle two lines */
        }
}

void jql_q_prefetch_unit(const jql_dataset *ds, size_t unit, jql_date lo, jql_date hi)
{
    const jql_unit_index *x = &ds->by_unit[unit];
#define PREFETCH(list, spans, recs) \
    prefetch_list(&x->list, spans, lo, hi, ds->recs.items, sizeof *ds->recs.items)
    PREFETCH(stats, &x->stats_at, stats);
    PREFETCH(reports, &x->reports_at, reports);
    PREFETCH(tasks, &x->tasks_at, tasks);
    PREFETCH(directives, &x->directives_at, directives);
    PREFETCH(assessments, &x->assessments_at, assessments);
    PREFETCH(events, &x->events_at, events);
#undef PREFETCH
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

int32_t jql_q_days_late(const jql_report_rec *rep)
{
    if (rep->submitted == JQL_NO_DATE)
        return -1;
    return rep->submitted > rep->due ? rep->submitted - rep->due : 0;
}

/* As-of rule: a date after the window's as-of date has not happened yet. */
static bool after_as_of(jql_date d, jql_range r)
{
    return r.has_as_of && d != JQL_NO_DATE && d > r.as_of;
}

/* Days late as of the window's as-of date: a submission after it is not
   made yet (never submitted, as of then). */
static int32_t days_late_as_of(const jql_report_rec *rep, jql_range r)
{
    if (after_as_of(rep->submitted, r))
        return -1;
    return jql_q_days_late(rep);
}

/* -1 (never submitted) is later than any number of days. */
static bool later_than(int32_t a, int32_t b)
{
    if (b == -1)
        return false;
    return a == -1 || a > b;
}

/* The report whose period ends last; ties: later due date, then the worse
   (more days late, never submitted worst), so input order never decides. */
static bool report_after(const jql_report_rec *a, const jql_report_rec *b, jql_range r)
{
    if (a->range.end != b->range.end)
        return a->range.end > b->range.end;
    if (a->due != b->due)
        return a->due > b->due;
    return later_than(days_late_as_of(a, r), days_late_as_of(b, r));
}

bool jql_q_after_as_of(jql_date d, jql_range r)
{
    return after_as_of(d, r);
}

int32_t jql_q_days_late_as_of(const jql_report_rec *rep, jql_range r)
{
    return days_late_as_of(rep, r);
}

bool jql_q_later_than(int32_t a, int32_t b)
{
    return later_than(a, b);
}

bool jql_q_report_after(const jql_report_rec *a, const jql_report_rec *b, jql_range r)
{
    return report_after(a, b, r);
}

/* Count report i into *out if it lies in r and matches the kind; *latest
   tracks the report whose period ends last. */
static int count_report(const jql_dataset *ds, size_t i, jql_range r, const char *kind,
                        jql_report_summary *out, size_t *latest, jql_sizevec *evidence)
{
    const jql_report_rec *rep = &ds->reports.items[i];
    if (!jql_range_within(rep->range, r) || !filter_ok(kind, rep->kind) ||
        after_as_of(rep->due, r))
        return JQL_OK; /* as of then, a report due later is not due yet */
    int32_t late = days_late_as_of(rep, r);
    if (late < 0)
        out->missing++;
    else {
        if (rep->submitted <= rep->due)
            out->on_time++;
        if (!rep->complete)
            out->incomplete++;
    }
    if (out->due == 0 || later_than(late, out->worst_days_late))
        out->worst_days_late = late;
    if (*latest == JQL_NONE || report_after(rep, &ds->reports.items[*latest], r))
        *latest = i;
    out->due++;
    return push(evidence, i);
}

static inline __attribute__((always_inline)) int
reports_over(const jql_dataset *ds, const jql_sizevec *units_in, jql_range r, const char *kind,
             jql_report_summary *out, size_t *latest_io, jql_sizevec *evidence);

int jql_q_reports(const jql_dataset *ds, size_t unit, jql_range r, const char *kind, bool rollup,
                  jql_report_summary *out, jql_sizevec *evidence)
{
    memset(out, 0, sizeof *out);
    jql_sizevec units = {0};
    size_t from = evidence ? evidence->len : 0, latest = JQL_NONE;
    int rc = JQL_OK;
    if (unit == JQL_NONE) { /* every unit: every report, in index order */
        for (size_t i = 0; rc == JQL_OK && i < ds->reports.len; i++)
            rc = count_report(ds, i, r, kind, out, &latest, evidence);
    } else {
        rc = units_get(ds, &unit, rollup, &units);
        if (rc == JQL_OK)
            rc = reports_over(ds, &units, r, kind, out, &latest, evidence);
    }
    if (latest != JQL_NONE)
        out->latest_days_late = days_late_as_of(&ds->reports.items[latest], r);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    units_done(&units, &unit);
    return rc;
}

int jql_q_reports_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                       const char *kind, jql_report_summary *out, jql_sizevec *evidence)
{
    memset(out, 0, sizeof *out);
    size_t from = evidence ? evidence->len : 0, latest = JQL_NONE;
    int rc = reports_over(ds, units, r, kind, out, &latest, evidence);
    if (latest != JQL_NONE)
        out->latest_days_late = days_late_as_of(&ds->reports.items[latest], r);
    if (rc == JQL_OK)
        sort_unique_tail(evidence, from);
    return rc;
}

/* The reports of `units` counted (jql_q_reports()'s loop; the latest is
   the same whichever order the units come in: report_after ties only
   reports as late as each other). */
static inline __attribute__((always_inline)) int
reports_over(const jql_dataset *ds, const jql_sizevec *units_in, jql_range r, const char *kind,
             jql_report_summary *out, size_t *latest_io, jql_sizevec *evidence)
{
    const jql_sizevec units = *units_in;
    size_t latest = *latest_io;
    int rc = JQL_OK;
    {
        for (size_t k = 0; rc == JQL_OK && k < units.len; k++) {
            const jql_unit_index *x = &ds->by_unit[units.items[k]];
            const jql_sizevec *list = &x->reports;
            /* a long list's reports of the kind starting in r (kind_index.c);
               else only the blocks that reach into r: a report inside r
               starts in it (the evidence is sorted below either way) */
            const size_t *of_kind;
            size_t nk;
            rc = jql_kind_records_in(ds, JQL_KIND_REPORTS, units.items[k], kind, r.start, r.end,
                                     &of_kind, &nk);
            for (size_t j = 0; rc == JQL_OK && of_kind && j < nk; j++)
                rc = count_report(ds, of_kind[j], r, kind, out, &latest, evidence);
            if (of_kind)
                continue;
            for (JQL_DATED_BLOCKS(at, &x->reports_at, list->len, r.start, r.end))
                for (size_t j = at, end = jql_dates_block_end(at, list->len);
                     rc == JQL_OK && j < end; j++)
                    rc = count_report(ds, list->items[j], r, kind, out, &latest, evidence);
        }
    }
    *latest_io = latest;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tasks                                                               */
/* ------------------------------------------------------------------ */

/* Append the tasks of the covered units due inside r to `hits`, then sort
   and dedupe them (a task owned by several covered units counts once). */
static int collect_tasks(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                         const char *field, jql_sizevec *hits)
{
    bool by_date = false;
    for (size_t k = 0; k < units->len; k++) {
        const jql_unit_index *x = &ds->by_unit[units->items[k]];
        const jql_sizevec *list = &x->tasks;
        /* a long list's tasks of the field due in r (kind_index.c), by date */
        const size_t *of_field;
        size_t nf;
        int rc = jql_kind_records_in(ds, JQL_KIND_TASKS, units->items[k], field, r.start, r.end,
                                     &of_field, &nf);
        if (rc)
            return rc;
        for (size_t j = 0; of_field && j < nf; j++) {
            const jql_task_rec *t = &ds->tasks.items[of_field[j]];
            if (jql_date_within(t->due, r) && !after_as_of(t->due, r) &&
                filter_ok(field, t->field) && jql_sizevec_push(hits, of_field[j]))
                return JQL_ENOMEM;
        }
        if (of_field) {
            by_date = true;
            continue;
        }
        /* else only the blocks that reach into r */
        for (JQL_DATED_BLOCKS(at, &x->tasks_at, list->len, r.start, r.end))
            for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
                const jql_task_rec *t = &ds->tasks.items[list->items[j]];
                if (jql_date_within(t->due, r) && !after_as_of(t->due, r) &&
                    filter_ok(field, t->field) && jql_sizevec_push(hits, list->items[j]))
                    return JQL_ENOMEM;
            }
    }
    if (units->len > 1 || by_date) /* one unit's list is ascending already (records.c) */
        sort_unique_tail(hits, 0);
    return JQL_OK;
}

static bool task_done(const jql_task_rec *t)
{
    return t->status == JQL_TASK_DONE;
}

static void count_task(const jql_task_rec *t, jql_range r, jql_task_summary *out)
{
    out->due++;
    if (task_done(t) && !after_as_of(t->completed, r)) {
        out->completed++;
        if (t->completed != JQL_NO_DATE && t->completed > t->due)
            out->completed_late++;
    } else
        out->overdue++;
}

static void summarize_tasks(const jql_dataset *ds, const jql_sizevec *hits, jql_range r,
                            jql_task_summary *out)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < hits->len; k++)
        count_task(&ds->tasks.items[hits->items[k]], r, out);
}

int jql_q_tasks(const jql_dataset *ds, size_t unit, jql_range r, const char *field, bool rollup,
                jql_task_summary *out, jql_sizevec *evidence)
{
    memset(out, 0, sizeof *out);
    jql_sizevec units = {0}, hits = {0};
    int rc = JQL_OK;
    if (unit == JQL_NONE) { /* every unit: every task, owned or not */
        for (size_t i = 0; rc == JQL_OK && i < ds->tasks.len; i++) {
            const jql_task_rec *t = &ds->tasks.items[i];
            if (jql_date_within(t->due, r) && !after_as_of(t->due, r) &&
                filter_ok(field, t->field))
                rc = jql_sizevec_push(&hits, i);
        }
    } else {
        rc = units_get(ds, &unit, rollup, &units);
        if (rc == JQL_OK)
            rc = collect_tasks(ds, &units, r, field, &hits);
    }
    if (rc == JQL_OK) {
        summarize_tasks(ds, &hits, r, out);
        for (size_t k = 0; k < hits.len && rc == JQL_OK; k++)
            rc = push(evidence, hits.items[k]);
    }
    units_done(&units, &unit);
    jql_sizevec_free(&hits);
    return rc;
}

int jql_q_tasks_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                     const char *field, jql_task_summary *out, jql_sizevec *evidence)
{
    memset(out, 0, sizeof *out);
    jql_sizevec hits = {0};
    int rc = collect_tasks(ds, units, r, field, &hits);
    if (rc == JQL_OK) {
        summarize_tasks(ds, &hits, r, out);
        for (size_t k = 0; k < hits.len && rc == JQL_OK; k++)
            rc = push(evidence, hits.items[k]);
    }
    jql_sizevec_free(&hits);
    return rc;
}

static const char no_match[] = "";

const char *jql_q_no_match(void) { return no_match; }

const char *jql_q_pooled(const jql_dataset *ds, const char *s)
{
    if (!s)
        return NULL;
    const char *p = jql_strmap_find_key(&ds->interned, s);
    return p ? p : no_match;
}

int jql_q_tasks_due(const jql_dataset *ds, size_t unit, jql_range r, jql_sizevec *out)
{
    const jql_sizevec one = {.items = &unit, .len = 1, .cap = 1};
    out->len = 0;
    return collect_tasks(ds, &one, r, NULL, out);
}

int jql_q_tasks_of(const jql_dataset *ds, const jql_sizevec *due, jql_range r, const char *field,
                   jql_task_summary *out, jql_sizevec *evidence)
{
    memset(out, 0, sizeof *out);
    for (size_t k = 0; k < due->len; k++) {
        const jql_task_rec *t = &ds->tasks.items[due->items[k]];
        if (field && t->field != field) /* field: pooled (jql_q_pooled) */
            continue;
        count_task(t, r, out);
        if (push(evidence, due->items[k]))
            return JQL_ENOMEM;
    }
    return JQL_OK;
}

int jql_q_tasks_of_fields(const jql_dataset *ds, const jql_sizevec *due, jql_range r,
                          const char *const *fields, size_t n, jql_task_summary *sums,
                          jql_sizevec *hits)
{
    /* one pass over the unit's tasks, the summaries in a local array
       (through `sums` the compiler would store every count at every
       task); "every field" is counted apart and its list is `due` itself.
       The fields asked are distinct, so a task counts for at most one more. */
    jql_task_summary local[JQL_Q_TASK_FIELDS_MAX];
    if (n > JQL_Q_TASK_FIELDS_MAX) { /* many fields: one at a time */
        for (size_t i = 0; i < n; i++) {
            int rc = jql_q_tasks_of_fields(ds, due, r, &fields[i], 1, &sums[i], &hits[i]);
            if (rc)
                return rc;
        }
        return JQL_OK;
    }
    size_t every = n;
    for (size_t i = 0; i < n; i++) {
        local[i] = (jql_task_summary){0};
        if (!fields[i])
            every = i;
    }
    const jql_task_rec *tasks = ds->tasks.items;
    for (size_t k = 0; k < due->len; k++) {
        const jql_task_rec *t = &tasks[due->items[k]];
        if (every < n)
            count_task(t, r, &local[every]);
        if (!t->field)
            continue;
        for (size_t i = 0; i < n; i++)
            if (fields[i] == t->field) {
                count_task(t, r, &local[i]);
                if (jql_sizevec_push(&hits[i], due->items[k]))
                    return JQL_ENOMEM;
                break;
            }
    }
    if (every < n && jql_sizevec_append(&hits[every], due->items, due->len))
        return JQL_ENOMEM;
    if (n)
        memcpy(sums, local, n * sizeof *sums);
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Directives                                                          */
/* ------------------------------------------------------------------ */

/* Directives due inside r, addressed to `unit` (JQL_NONE: any). Read from
   the indexes: by addressee unit (each covered unit's list) and by
   addressed level (the list of each distinct level of the covered units),
   merged and deduplicated; never a scan of all directives per unit. */
/* Count directive i if it is due inside r (and push it to hits). */
static inline bool directive_due(const jql_dataset *ds, size_t i, jql_range r, bool *completed)
{
    const jql_directive_rec *d = &ds->directives.items[i];
    if (!jql_date_within(d->due, r) || after_as_of(d->due, r) || after_as_of(d->issued, r))
        return false; /* no due date: never due; as of then, not due or not issued yet */
    *completed = d->status == JQL_DIRECTIVE_DONE && !after_as_of(d->completed, r);
    return true;
}

bool jql_q_directive_due(const jql_dataset *ds, size_t i, jql_range r, bool *completed)
{
    return directive_due(ds, i, r, completed);
}

static int count_directive(const jql_dataset *ds, size_t i, jql_range r,
                           jql_directive_summary *out, jql_sizevec *hits)
{
    bool done;
    if (!directive_due(ds, i, r, &done))
        return JQL_OK;
    out->due++;
    out->completed += done;
    return push(hits, i);
}

/* One unit without roll-up, the usual query: its own directives and those
   of its level are two sorted sets (records.c keeps them so), read merged
   in place (no copy, no sort, no allocation). */
static int unit_directives(const jql_dataset *ds, size_t unit, jql_range r,
                           jql_directive_summary *out, jql_sizevec *hits)
{
    static const jql_sizevec none = {0};
    static const jql_date_spans no_dates = {0};
    const jql_unit_index *x = &ds->by_unit[unit];
    const jql_sizevec *own = &x->directives, *lv = &none;
    const jql_date_spans *own_at = &x->directives_at, *lv_at = &no_dates;
    size_t slot;
    if (jql_strmap_get(&ds->directive_levels, ds->units.items[unit].level, &slot) == JQL_OK) {
        lv = &ds->level_directives[slot];
        lv_at = &ds->level_directives_at[slot];
    }
    size_t i = 0, j = 0;
    int rc = JQL_OK;
    /* past the blocks due outside r: their directives count in neither list */
    bool own_dated = own->len > JQL_DATES_READ_ALL, lv_dated = lv->len > JQL_DATES_READ_ALL;
    while (rc == JQL_OK && (i < own->len || j < lv->len)) {
        if (own_dated && i % JQL_DATE_BLOCK == 0)
            i = jql_dates_next(own_at, i, own->len, r.start, r.end);
        if (lv_dated && j % JQL_DATE_BLOCK == 0)
            j = jql_dates_next(lv_at, j, lv->len, r.start, r.end);
        if (i == own->len && j == lv->len)
            break;
        size_t next;
        if (j == lv->len || (i < own->len && own->items[i] < lv->items[j]))
            next = own->items[i++];
        else if (i == own->len || lv->items[j] < own->items[i])
            next = lv->items[j++];
        else
            next = own->items[i++], j++; /* in both lists: once */
        rc = count_directive(ds, next, r, out, hits);
    }
    return rc;
}

/* The directives of `list` in the blocks due within r (model.h), to `cand`. */
static int push_due_blocks(const jql_sizevec *list, const jql_date_spans *at_dates, jql_range r,
                           jql_sizevec *cand)
{
    for (JQL_DATED_BLOCKS(at, at_dates, list->len, r.start, r.end))
        if (jql_sizevec_append(cand, &list->items[at], jql_dates_block_end(at, list->len) - at))
            return JQL_ENOMEM;
    return JQL_OK;
}

static int collect_directives(const jql_dataset *ds, size_t unit, bool rollup, jql_range r,
                              jql_directive_summary *out, jql_sizevec *hits)
{
    memset(out, 0, sizeof *out);
    if (unit != JQL_NONE && !rollup)
        return unit_directives(ds, unit, r, out, hits);
    jql_sizevec units = {0}, cand = {0}, slots = {0};
    int rc = JQL_OK;
    if (unit == JQL_NONE) {
        for (size_t i = 0; rc == JQL_OK && i < ds->directives.len; i++)
            rc = jql_sizevec_push(&cand, i);
    } else {
        rc = units_get(ds, &unit, rollup, &units);
        for (size_t k = 0; rc == JQL_OK && k < units.len; k++) {
            size_t u = units.items[k], slot;
            rc = push_due_blocks(&ds->by_unit[u].directives, &ds->by_unit[u].directives_at, r,
                                 &cand);
            if (rc == JQL_OK &&
                jql_strmap_get(&ds->directive_levels, ds->units.items[u].level, &slot) == JQL_OK)
                rc = jql_sizevec_push(&slots, slot);
        }
        /* each distinct level once: a subtree has few, a hostile one many */
        if (rc == JQL_OK && slots.len > 1) {
            qsort(slots.items, slots.len, sizeof *slots.items, cmp_size);
            size_t w = 1;
            for (size_t k = 1; k < slots.len; k++)
                if (slots.items[k] != slots.items[w - 1])
                    slots.items[w++] = slots.items[k];
            slots.len = w;
        }
        for (size_t k = 0; rc == JQL_OK && k < slots.len; k++) {
            rc = push_due_blocks(&ds->level_directives[slots.items[k]],
                                 &ds->level_directives_at[slots.items[k]], r, &cand);
        }
        if (rc == JQL_OK && (units.len > 1 || slots.len > 0))
            sort_unique_tail(&cand, 0);
    }
    for (size_t k = 0; rc == JQL_OK && k < cand.len; k++)
        rc = count_directive(ds, cand.items[k], r, out, hits);
    jql_sizevec_free(&cand);
    jql_sizevec_free(&slots);
    units_done(&units, &unit);
    return rc;
}

int jql_q_directives(const jql_dataset *ds, size_t unit, jql_range r, bool rollup,
                     jql_directive_summary *out, jql_sizevec *evidence)
{
    return collect_directives(ds, unit, rollup, r, out, evidence);
}

/* ------------------------------------------------------------------ */
/* Events and assessments                                              */
/* ------------------------------------------------------------------ */

static bool event_matches(const jql_event_rec *e, jql_range r, const char *kind)
{
    return jql_date_within(e->date, r) && !after_as_of(e->date, r) && filter_ok(kind, e->kind);
}

/* Count event i into *n, *sum and the evidence if it matches. */
static int take_event(const jql_dataset *ds, size_t i, jql_range r, const char *kind, size_t *n,
                      __int128 *sum, jql_sizevec *evidence)
{
    const jql_event_rec *e = &ds->events.items[i];
    if (!event_matches(e, r, kind))
        return JQL_OK;
    (*n)++;
    if (e->points != JQL_NO_SCORE)
        *sum += e->points;
    return push(evidence, i);
}

/* jql_q_events() over a list of units; inlined into both entry points (a
   call more per leaf cost the national scoring 0.5% of its instructions). */
static inline __attribute__((always_inline)) int
events_over(const jql_dataset *ds, const jql_sizevec *units_in, jql_range r, const char *kind,
            size_t *count, jql_milli *points, jql_sizevec *evidence);

int jql_q_events(const jql_dataset *ds, size_t unit, jql_range r, const char *kind, bool rollup,
                 size_t *count, jql_milli *points, jql_sizevec *evidence)
{
    jql_sizevec units = {0};
    int rc = units_get(ds, &unit, rollup, &units);
    if (rc == JQL_OK)
        rc = events_over(ds, &units, r, kind, count, points, evidence);
    units_done(&units, &unit);
    return rc;
}

int jql_q_events_over(const jql_dataset *ds, const jql_sizevec *units, jql_range r,
                      const char *kind, size_t *count, jql_milli *points, jql_sizevec *evidence)
{
    return events_over(ds, units, r, kind, count, points, evidence);
}

static inline __attribute__((always_inline)) int
events_over(const jql_dataset *ds, const jql_sizevec *units_in, jql_range r, const char *kind,
            size_t *count, jql_milli *points, jql_sizevec *evidence)
{
    const jql_sizevec units = *units_in;
    size_t n = 0, from = evidence ? evidence->len : 0;
    __int128 sum = 0;
    int rc = JQL_OK;
    for (size_t k = 0; rc == JQL_OK && k < units.len; k++) {
        const jql_unit_index *x = &ds->by_unit[units.items[k]];
        const jql_sizevec *list = &x->events;
        /* a long list's events of the kind dated in r (kind_index.c);
           else only the blocks that reach into r (the evidence is sorted
           below either way) */
        const size_t *of_kind;
        size_t nk;
        rc = jql_kind_records_in(ds, JQL_KIND_EVENTS, units.items[k], kind, r.start, r.end,
                                 &of_kind, &nk);
        for (size_t j = 0; rc == JQL_OK && of_kind && j < nk; j++)
            rc = take_event(ds, of_kind[j], r, kind, &n, &sum, evidence);
        if (of_kind)
            continue;
        for (JQL_DATED_BLOCKS(at, &x->events_at, list->len, r.start, r.end))
            for (size_t j = at, end = jql_dates_block_end(at, list->len);
                 rc == JQL_OK && j < end; j++)
                rc = take_event(ds, list->items[j], r, kind, &n, &sum, evidence);
    }
    if (rc == JQL_OK && points && !fits64(sum))
        rc = too_big();
    if (rc == JQL_OK) {
        *count = n;
        if (points)
            *points = (jql_milli)sum;
        sort_unique_tail(evidence, from);
    }
    return rc;
}

static size_t kind_slot(const jql_event_kinds *t, const char *k)
{
    size_t h = (size_t)(((uint64_t)(uintptr_t)k * 0x9E3779B97F4A7C15ull) >> 24);
    for (size_t at = h & (t->cap - 1);; at = (at + 1) & (t->cap - 1))
        if (!t->kind[at] || t->kind[at] == k)
            return at;
}

size_t jql_event_kinds_add(const jql_dataset *ds, jql_event_kinds *t, const char *k)
{
    /* as jql_kind_records_in(): the dataset's copy, or no record has it */
    const char *p = jql_q_pooled(ds, k);
    if (!k || p == no_match || strcmp(p, k) != 0)
        return JQL_NONE;
    size_t at = kind_slot(t, p);
    t->kind[at] = p;
    return at;
}

void jql_q_event_kinds_count(const jql_dataset *ds, size_t unit, jql_range r,
                             jql_event_kinds *t)
{
    for (size_t i = 0; i < t->ntouched; i++)
        t->n[t->touched[i]] = 0;
    t->ntouched = 0;
    const jql_unit_index *x = &ds->by_unit[unit];
    const jql_sizevec *list = &x->events;
    for (JQL_DATED_BLOCKS(at, &x->events_at, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            const jql_event_rec *e = &ds->events.items[list->items[j]];
            if (!e->kind || !event_matches(e, r, NULL))
                continue;
            size_t s = kind_slot(t, e->kind);
            if (t->kind[s] && t->n[s]++ == 0)
                t->touched[t->ntouched++] = s;
        }
}

int jql_q_assessment(const jql_dataset *ds, size_t unit, const char *criterion, jql_range r,
                     size_t *index)
{
    const jql_unit_index *x = &ds->by_unit[unit];
    const jql_sizevec *list = &x->assessments;
    size_t best = JQL_NONE;
    /* only the blocks that reach into r: an assessment inside r starts in it */
    for (JQL_DATED_BLOCKS(at, &x->assessments_at, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            const jql_assessment_rec *a = &ds->assessments.items[list->items[j]];
            if (strcmp(a->criterion, criterion) != 0 || !jql_range_within(a->range, r))
                continue;
            if (range_eq(a->range, r)) {
                *index = list->items[j];
                return JQL_OK;
            }
            /* else the one ending last; ties: the later start, then the first */
            const jql_assessment_rec *b =
                best == JQL_NONE ? NULL : &ds->assessments.items[best];
            if (!b || a->range.end > b->range.end ||
                (a->range.end == b->range.end && a->range.start > b->range.start))
                best = list->items[j];
        }
    if (best == JQL_NONE)
        return JQL_ENOTFOUND;
    *index = best;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Public functions: resolve ids, then query                           */
/* ------------------------------------------------------------------ */

static int get_unit(const jql_dataset *ds, const char *id, size_t *u)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "unit id is NULL");
    if (jql_strmap_get(&ds->unit_ids, id, u) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown unit '%s'", id);
    return JQL_OK;
}

/* NULL id: any unit (JQL_NONE). */
static int get_unit_opt(const jql_dataset *ds, const char *id, size_t *u)
{
    if (!id) {
        *u = JQL_NONE;
        return JQL_OK;
    }
    return get_unit(ds, id, u);
}

static int get_period(const jql_dataset *ds, const char *id, jql_range *r)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "period id is NULL");
    if (jql_ds_resolve_period(ds, id, r) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period '%s'", id);
    return JQL_OK;
}

static int get_indicator(const jql_dataset *ds, const char *id, size_t *i)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "indicator id is NULL");
    if (jql_strmap_get(&ds->indicator_ids, id, i) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown indicator '%s'", id);
    return JQL_OK;
}

static int check_ds(const jql_dataset *ds)
{
    return ds ? JQL_OK : jql_fail(JQL_EINVALID, "dataset is NULL");
}

/* The arguments every list query shares: *count is 0 until it succeeds. */
static int check_list(const jql_dataset *ds, const size_t *out, size_t cap, size_t *count)
{
    if (!count)
        return jql_fail(JQL_EINVALID, "count pointer is NULL");
    *count = 0;
    int rc = check_ds(ds);
    if (rc == JQL_OK && !out && cap > 0)
        rc = jql_fail(JQL_EINVALID, "output buffer is NULL");
    return rc;
}

/* A list query's arguments, checked and resolved: the unit (NULL: any,
   JQL_NONE) and the period's range. */
static int list_args(const jql_dataset *ds, const char *unit, const char *period,
                     const size_t *out, size_t cap, size_t *count, size_t *u, jql_range *r)
{
    int rc = check_list(ds, out, cap, count);
    if (rc == JQL_OK)
        rc = get_unit_opt(ds, unit, u);
    if (rc == JQL_OK)
        rc = get_period(ds, period, r);
    return rc;
}

/* The same for a share query. */
static int share_args(const jql_dataset *ds, const char *unit, const char *period,
                      const jql_milli *share, size_t *u, jql_range *r)
{
    int rc = check_ds(ds);
    if (rc == JQL_OK && !share)
        rc = jql_fail(JQL_EINVALID, "share pointer is NULL");
    if (rc == JQL_OK)
        rc = get_unit_opt(ds, unit, u);
    if (rc == JQL_OK)
        rc = get_period(ds, period, r);
    return rc;
}

/* Copy what fits and give the total count. */
static int emit(int rc, const jql_sizevec *v, size_t *out, size_t cap, size_t *count)
{
    if (rc != JQL_OK)
        return rc;
    for (size_t k = 0; k < v->len && k < cap; k++)
        out[k] = v->items[k];
    *count = v->len;
    return JQL_OK;
}

/* Record one match: written while it fits, always counted. */
static void hit(size_t i, size_t *out, size_t cap, size_t *n)
{
    if (*n < cap)
        out[*n] = i;
    (*n)++;
}

static int value_args(const jql_dataset *ds, const char *unit, const char *indicator,
                      const char *period, unsigned flags, size_t *u, size_t *ind, jql_range *r)
{
    int rc = check_ds(ds);
    if (rc == JQL_OK && (flags & ~JQL_ROLLUP))
        rc = jql_fail(JQL_EINVALID, "unknown flags 0x%x", flags & ~JQL_ROLLUP);
    if (rc == JQL_OK)
        rc = get_unit(ds, unit, u);
    if (rc == JQL_OK)
        rc = get_indicator(ds, indicator, ind);
    if (rc == JQL_OK)
        rc = get_period(ds, period, r);
    return rc;
}

static int no_data(const char *unit, const char *indicator, const char *period)
{
    return jql_fail(JQL_ENODATA, "no data for indicator '%s' of unit '%s' in period '%s'",
                    indicator, unit, period);
}

int jql_indicator_value(const jql_dataset *ds, const char *unit, const char *indicator, const char *period,
              unsigned flags, jql_milli *value)
{
    size_t u, ind;
    jql_range r;
    int rc = value_args(ds, unit, indicator, period, flags, &u, &ind, &r);
    if (rc)
        return rc;
    if (!value)
        return jql_fail(JQL_EINVALID, "value pointer is NULL");
    rc = jql_q_value(ds, u, ind, r, flags & JQL_ROLLUP, value, NULL);
    return rc == JQL_ENOTFOUND ? no_data(unit, indicator, period) : rc;
}

int jql_indicator_value_change(const jql_dataset *ds, const char *unit, const char *indicator,
                     const char *period, unsigned flags, jql_milli *current,
                     jql_milli *previous, jql_milli *delta, jql_milli *percent)
{
    size_t u, ind;
    jql_range r;
    int rc = value_args(ds, unit, indicator, period, flags, &u, &ind, &r);
    if (rc)
        return rc;
    bool rollup = flags & JQL_ROLLUP;
    jql_milli cur = 0, prev = 0, pct = 0;
    int rc_cur = jql_q_value(ds, u, ind, r, rollup, &cur, NULL);
    if (rc_cur != JQL_OK && rc_cur != JQL_ENOTFOUND)
        return rc_cur;
    int rc_prev = jql_q_value(ds, u, ind, jql_range_year_before(r), rollup, &prev, NULL);
    if (rc_prev != JQL_OK && rc_prev != JQL_ENOTFOUND)
        return rc_prev;
    if (rc_cur == JQL_OK && current)
        *current = cur;
    if (rc_prev == JQL_OK && previous)
        *previous = prev;
    if (rc_cur != JQL_OK)
        return no_data(unit, indicator, period);
    if (rc_prev != JQL_OK)
        return jql_fail(JQL_ENODATA,
                        "no data for indicator '%s' of unit '%s' a year before '%s'",
                        indicator, unit, period);
    if (delta)
        *delta = cur - prev; /* values are >= 0, so this cannot overflow */
    /* the % from the exact values (a `mean` is not rounded first) */
    rc = jql_q_change_pct(ds, u, ind, r, rollup, &pct, NULL);
    if (rc == JQL_ENOTFOUND)
        return jql_fail(JQL_ENODATA,
                        "indicator '%s' of unit '%s' is 0 a year before '%s': no change %%",
                        indicator, unit, period);
    if (rc)
        return rc;
    if (percent)
        *percent = pct;
    return JQL_OK;
}

static int reports_in_period(const jql_dataset *ds, const char *unit, const char *period,
                             const char *kind, size_t *out, size_t cap, size_t *count);

/* Kinds are kept in NFC: the filter is normalized once here. */
int jql_reports_in_period(const jql_dataset *ds, const char *unit, const char *period,
                          const char *kind, size_t *out, size_t cap, size_t *count)
{
    char buf[512], *heap;
    int rc = reports_in_period(ds, unit, period, jql_nfc_key(kind, buf, sizeof buf, &heap), out,
                               cap, count);
    jql_free(heap);
    return rc;
}

static int reports_in_period(const jql_dataset *ds, const char *unit, const char *period,
                             const char *kind, size_t *out, size_t cap, size_t *count)
{
    size_t u;
    jql_range r;
    int rc = list_args(ds, unit, period, out, cap, count, &u, &r);
    if (rc)
        return rc;
    size_t n = 0;
    if (u == JQL_NONE) {
        for (size_t i = 0; i < ds->reports.len; i++) { /* any unit: every report */
            const jql_report_rec *rep = &ds->reports.items[i];
            if (jql_range_within(rep->range, r) && filter_ok(kind, rep->kind))
                hit(i, out, cap, &n);
        }
        *count = n;
        return JQL_OK;
    }
    /* a unit's reports are indexed in insertion order: no sort needed */
    const jql_sizevec *list = &ds->by_unit[u].reports;
    for (size_t j = 0; j < list->len; j++) {
        const jql_report_rec *rep = &ds->reports.items[list->items[j]];
        if (jql_range_within(rep->range, r) && filter_ok(kind, rep->kind))
            hit(list->items[j], out, cap, &n);
    }
    *count = n;
    return JQL_OK;
}

int jql_report_days_late(const jql_dataset *ds, size_t i, int32_t *days)
{
    if (!ds || i >= ds->reports.len) /* as the setters: no such record */
        return jql_fail(JQL_ENOTFOUND, "no report %zu", i);
    if (!days)
        return jql_fail(JQL_EINVALID, "days pointer is NULL");
    int32_t d = jql_q_days_late(&ds->reports.items[i]);
    if (d < 0)
        return jql_fail(JQL_ENODATA, "report %zu was never submitted", i);
    *days = d;
    return JQL_OK;
}

/* The tasks due inside r of unit u (JQL_NONE: every task), sorted. */
static int tasks_due_in(const jql_dataset *ds, size_t u, jql_range r, jql_sizevec *hits)
{
    if (u != JQL_NONE) {
        jql_sizevec one = {.items = &u, .len = 1, .cap = 1};
        return collect_tasks(ds, &one, r, NULL, hits);
    }
    for (size_t i = 0; i < ds->tasks.len; i++) /* any unit: every task */
        if (jql_date_within(ds->tasks.items[i].due, r) && jql_sizevec_push(hits, i))
            return JQL_ENOMEM;
    return JQL_OK;
}

int jql_tasks_due(const jql_dataset *ds, const char *unit, const char *period, size_t *out,
                  size_t cap, size_t *count)
{
    size_t u;
    jql_range r;
    int rc = list_args(ds, unit, period, out, cap, count, &u, &r);
    if (rc)
        return rc;
    jql_sizevec hits = {0};
    rc = emit(tasks_due_in(ds, u, r, &hits), &hits, out, cap, count);
    jql_sizevec_free(&hits);
    return rc;
}

/* Due on or before as_of and not completed by then. */
static bool task_overdue(const jql_task_rec *t, jql_date as_of)
{
    if (t->due == JQL_NO_DATE || t->due > as_of)
        return false;
    return !(task_done(t) && t->completed != JQL_NO_DATE && t->completed <= as_of);
}

int jql_tasks_overdue(const jql_dataset *ds, const char *unit, jql_date as_of, size_t *out,
                      size_t cap, size_t *count)
{
    size_t u;
    int rc = check_list(ds, out, cap, count);
    if (rc == JQL_OK && as_of == JQL_NO_DATE)
        rc = jql_fail(JQL_EINVALID, "as_of date is missing");
    if (rc == JQL_OK)
        rc = get_unit_opt(ds, unit, &u);
    if (rc)
        return rc;
    jql_range upto = {.kind = JQL_PERIOD_CUSTOM, .start = INT32_MIN + 1, .end = as_of};
    jql_sizevec hits = {0};
    rc = tasks_due_in(ds, u, upto, &hits);
    size_t w = 0;
    for (size_t k = 0; rc == JQL_OK && k < hits.len; k++)
        if (task_overdue(&ds->tasks.items[hits.items[k]], as_of))
            hits.items[w++] = hits.items[k];
    hits.len = w;
    rc = emit(rc, &hits, out, cap, count);
    jql_sizevec_free(&hits);
    return rc;
}
int jql_tasks_completion_share(const jql_dataset *ds, const char *unit, const char *period,
                               jql_milli *share)
{
    size_t u;
    jql_range r;
    int rc = share_args(ds, unit, period, share, &u, &r);
    if (rc)
        return rc;
    jql_sizevec hits = {0};
    jql_task_summary sum;
    rc = tasks_due_in(ds, u, r, &hits);
    if (rc == JQL_OK) {
        summarize_tasks(ds, &hits, r, &sum);
        if (sum.due == 0)
            rc = jql_fail(JQL_ENODATA, "no task of unit '%s' is due in period '%s'",
                          unit ? unit : "(any)", period);
        else
            *share = jql_share_pct(sum.completed, sum.due);
    }
    jql_sizevec_free(&hits);
    return rc;
}

/* Found by the end of r and not resolved by then. */
static bool shortcoming_open(const jql_shortcoming_rec *s, jql_range r)
{
    return s->range.start <= r.end && !(s->resolved && s->resolved_range.end <= r.end);
}

int jql_shortcomings_open(const jql_dataset *ds, const char *unit, const char *period,
                          size_t *out, size_t cap, size_t *count)
{
    size_t u;
    jql_range r;
    int rc = list_args(ds, unit, period, out, cap, count, &u, &r);
    if (rc)
        return rc;
    size_t n = 0;
    if (u == JQL_NONE) {
        for (size_t i = 0; i < ds->shortcomings.len; i++) /* any unit: every shortcoming */
            if (shortcoming_open(&ds->shortcomings.items[i], r))
                hit(i, out, cap, &n);
        *count = n;
        return JQL_OK;
    }
    /* the unit's own, ascending (the index is kept sorted): a query per
       unit reads that unit's shortcomings, not every one of the dataset */
    const jql_sizevec *list = &ds->by_unit[u].shortcomings;
    for (size_t k = 0; k < list->len; k++)
        if (shortcoming_open(&ds->shortcomings.items[list->items[k]], r))
            hit(list->items[k], out, cap, &n);
    *count = n;
    return JQL_OK;
}

int jql_directives_due(const jql_dataset *ds, const char *unit, const char *period, size_t *out,
                       size_t cap, size_t *count)
{
    size_t u;
    jql_range r;
    int rc = list_args(ds, unit, period, out, cap, count, &u, &r);
    if (rc)
        return rc;
    jql_sizevec hits = {0};
    jql_directive_summary sum;
    rc = emit(collect_directives(ds, u, false, r, &sum, &hits), &hits, out, cap, count);
    jql_sizevec_free(&hits);
    return rc;
}

int jql_directives_completion_share(const jql_dataset *ds, const char *unit, const char *period,
                                    jql_milli *share)
{
    size_t u;
    jql_range r;
    int rc = share_args(ds, unit, period, share, &u, &r);
    if (rc)
        return rc;
    jql_directive_summary sum;
    rc = collect_directives(ds, u, false, r, &sum, NULL);
    if (rc)
        return rc;
    if (sum.due == 0)
        return jql_fail(JQL_ENODATA, "no directive to unit '%s' is due in period '%s'",
                        unit ? unit : "(any)", period);
    *share = jql_share_pct(sum.completed, sum.due);
    return JQL_OK;
}

static int events_in_period(const jql_dataset *ds, const char *unit, const char *period,
                            const char *kind, size_t *out, size_t cap, size_t *count);

int jql_events_in_period(const jql_dataset *ds, const char *unit, const char *period,
                         const char *kind, size_t *out, size_t cap, size_t *count)
{
    char buf[512], *heap;
    int rc = events_in_period(ds, unit, period, jql_nfc_key(kind, buf, sizeof buf, &heap), out,
                              cap, count);
    jql_free(heap);
    return rc;
}

static int events_in_period(const jql_dataset *ds, const char *unit, const char *period,
                            const char *kind, size_t *out, size_t cap, size_t *count)
{
    size_t u;
    jql_range r;
    int rc = list_args(ds, unit, period, out, cap, count, &u, &r);
    if (rc)
        return rc;
    size_t n = 0;
    if (u == JQL_NONE) {
        for (size_t i = 0; i < ds->events.len; i++) /* any unit: every event */
            if (event_matches(&ds->events.items[i], r, kind))
                hit(i, out, cap, &n);
        *count = n;
        return JQL_OK;
    }
    jql_sizevec hits = {0};
    rc = jql_q_events(ds, u, r, kind, false, &n, NULL, &hits);
    rc = emit(rc, &hits, out, cap, count);
    jql_sizevec_free(&hits);
    return rc;
}
