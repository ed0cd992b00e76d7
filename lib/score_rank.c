/*
 * Ranking (overall and per cluster), leaders, quotas and gaps.
 *
 * Units are sorted once with a total order: final score descending, the
 * tie-breakers, then the unit id. The id only fixes the output order of
 * units that share a rank; ranks compare the keys without it, so input
 * order never breaks a tie (1, 2, 2, 4).
 */
#include <stdlib.h>
#include <string.h>

#include "score_internal.h"

/* Ranking keys only: < 0 when a ranks before b, 0 when they tie. */
static int cmp_keys(const jql_res_unit *a, const jql_res_unit *b)
{
    if (a->v[JQL_RESULT_FIELD_FINAL] != b->v[JQL_RESULT_FIELD_FINAL])
        return a->v[JQL_RESULT_FIELD_FINAL] > b->v[JQL_RESULT_FIELD_FINAL] ? -1 : 1;
    for (size_t i = 0; i < a->ntb; i++) {
        if (a->tb[i].state != b->tb[i].state)
            return a->tb[i].state < b->tb[i].state ? -1 : 1;
        int c = jql_ratio_cmp(a->tb[i].key, b->tb[i].key);
        if (c)
            return c;
    }
    return 0;
}

static int cmp_full(const void *pa, const void *pb)
{
    const jql_res_unit *a = pa, *b = pb;
    int c = cmp_keys(a, b);
    return c ? c : strcmp(a->id, b->id);
}

/* Overall and cluster ranks, and leaders. Units are in sorted order. */
typedef struct {
    size_t last;  /* last member seen (index in r->units) */
    size_t count; /* members seen so far */
    size_t best;  /* best cluster rank among non-vetoed members, 0: none yet */
} cluster_state;

static int rank_and_clusters(jql_results *r)
{
    jql_strmap ids = {0};
    cluster_state *cl = NULL;
    size_t ncl = 0, cap = 0;
    int rc = 0;
    for (size_t k = 0; k < r->nunits; k++) {
        jql_res_unit *u = &r->units[k];
        u->rank = (k > 0 && cmp_keys(&r->units[k - 1], u) == 0) ? r->units[k - 1].rank : k + 1;
        if (!u->cluster)
            continue;
        size_t ci;
        if (jql_strmap_get(&ids, u->cluster, &ci) != JQL_OK) {
            ci = ncl;
            if (jql_vec_grow((void **)&cl, &cap, ncl + 1, sizeof *cl) ||
                jql_strmap_put(&ids, u->cluster, ci)) {
                rc = jql_fail(JQL_ENOMEM, "out of memory");
                break;
            }
            cl[ncl++] = (cluster_state){JQL_NONE, 0, 0};
        }
        cluster_state *s = &cl[ci];
        u->cluster_idx = ci;
        if (s->last != JQL_NONE && cmp_keys(&r->units[s->last], u) == 0)
            u->cluster_rank = r->units[s->last].cluster_rank;
        else
            u->cluster_rank = s->count + 1;
        s->count++;
        s->last = k;
        /* Leaders: the best cluster rank among units no veto fired on. */
        if (!u->veto_count) {
            if (!s->best)
                s->best = u->cluster_rank;
            u->leader = u->cluster_rank == s->best;
        }
    }
    jql_free(cl);
    jql_strmap_free(&ids);
    return rc;
}

static int cmp_quota(const void *pa, const void *pb)
{
    const jql_quota *a = *(const jql_quota *const *)pa, *b = *(const jql_quota *const *)pb;
    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    return a < b ? -1 : a > b; /* same tier: criteria order */
}

/*
 * Quotas. Reading of docs/SCORING.md ("counted before any quota is applied"):
 * each quota's base is the number of units in its `of` tiers after vetoes
 * and before any quota moves anyone (worked example: U1, U2, U4 excellent,
 * U3 vetoed to "not completed", so "good" counts 0 and the quota is its
 * minimum, 1). Limits are fixed first; quotas then run from the top tier
 * down, each acting on the tier's members at that point.
 *
 * In linear time and a logarithm, whatever the quotas and tiers: the units
 * in a tier are a set of rank positions (a Fenwick tree over positions,
 * since a tier's members are taken in rank order). Going down the tiers,
 * a tier's own units join the set; each of its quotas keeps the first
 * members and moves the rest, always the positions from a cut on, so the
 * members left are those before the cut. They stay in the tier and leave
 * the set; the others are the next tier's arrivals. A unit joins and leaves
 * once, however many quotas move it.
 */
typedef struct {
    size_t *t; /* Fenwick tree of counts over positions 1..n */
    size_t n, top; /* top: the largest power of two <= n */
} posset;

static void posset_add(posset *s, size_t pos, int d)
{
    for (size_t i = pos + 1; i <= s->n; i += i & (~i + 1))
        s->t[i] += (size_t)d; /* -1 wraps as size_t: still exact */
}

/* Members at positions < pos. */
static size_t posset_below(const posset *s, size_t pos)
{
    size_t c = 0;
    for (size_t i = pos; i > 0; i -= i & (~i + 1))
        c += s->t[i];
    return c;
}

/* Position of the member with k members before it (k < the count). */
static size_t posset_select(const posset *s, size_t k)
{
    size_t pos = 0;
    for (size_t step = s->top; step; step >>= 1)
        if (pos + step <= s->n && s->t[pos + step] <= k) {
            pos += step;
            k -= s->t[pos];
        }
    return pos; /* 1-based tree: the answer's 0-based position */
}

/* A tie that straddled a quota's limit: its units (a rank, one run of
   positions) moved down from `tier` together. */
typedef struct {
    size_t rank, tier;
} quota_tie_at;

static int cmp_tie(const void *pa, const void *pb)
{
    const quota_tie_at *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->tier > b->tier) - (a->tier < b->tier);
}

/* Each quota's limit: floor(share% x base), at least its minimum. */
static void quota_limits(const jql_results *r, const jql_criteria *c, const jql_quota **order,
                         size_t *limit, size_t *in_tier, size_t *stamp)
{
    for (size_t t = 0; t < c->ntiers; t++)
        in_tier[t] = 0, stamp[t] = 0;
    for (size_t k = 0; k < r->nunits; k++)
        in_tier[r->units[k].tier_after_vetoes]++;
    for (size_t i = 0; i < c->nquotas; i++) {
        size_t count = 0;
        for (size_t j = 0; j < order[i]->of.len; j++) {
            size_t t = order[i]->of.items[j];
            if (t < c->ntiers && stamp[t] != i + 1) { /* a tier named twice counts once */
                stamp[t] = i + 1;
                count += in_tier[t];
            }
        }
        /* share in thousandths of a percent */
        size_t lim = (size_t)(((unsigned __int128)(uint64_t)order[i]->share * count) / 100000u);
        if (order[i]->has_minimum && lim < order[i]->minimum)
            lim = order[i]->minimum;
        limit[i] = lim;
    }
}

/* The cut after quota i of tier t on the members before `cut`: where its
   moved units begin (cut itself when it moves none). A tie straddling the
   limit moves down whole and is recorded. */
static size_t quota_cut(const jql_results *r, const posset *set, size_t cut, size_t keep,
                        size_t t, quota_tie_at *ties, size_t *nties)
{
    size_t m = posset_below(set, cut);
    if (m <= keep)
        return cut;
    size_t first_moved = posset_select(set, keep);
    if (keep > 0 && r->units[posset_select(set, keep - 1)].rank == r->units[first_moved].rank) {
        size_t rank = r->units[first_moved].rank; /* its run starts at position rank - 1 */
        ties[(*nties)++] = (quota_tie_at){rank, t};
        keep = posset_below(set, rank - 1);
        first_moved = posset_select(set, keep);
    }
    return first_moved;
}

/* Whether unit u (rank, tier before and after the quotas) moved with a
   tie: one recorded for its rank at a tier it passed through. */
static bool moved_with_tie(const quota_tie_at *ties, size_t nties, const jql_res_unit *u)
{
    size_t lo = 0, hi = nties;
    quota_tie_at key = {u->rank, u->tier_after_vetoes};
    while (lo < hi) { /* the first tie of its rank at or below its first tier */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_tie(&ties[mid], &key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < nties && ties[lo].rank == u->rank && ties[lo].tier < u->tier;
}

static int apply_quotas(jql_results *r, const jql_criteria *c)
{
    size_t nq = c->nquotas, n = r->nunits, nt = c->ntiers;
    if (!nq || !n)
        return 0;
    const jql_quota **order = jql_malloc(nq * sizeof *order);
    size_t *limit = jql_malloc(nq * sizeof *limit);
    size_t *in_tier = jql_malloc(nt * sizeof *in_tier), *stamp = jql_malloc(nt * sizeof *stamp);
    size_t *start = jql_calloc(nt + 1, sizeof *start), *by_tier = jql_malloc(n * sizeof *by_tier);
    quota_tie_at *ties = jql_malloc(nq * sizeof *ties);
    posset set = {jql_calloc(n + 1, sizeof *set.t), n, 1};
    int rc = 0;
    if (!order || !limit || !in_tier || !stamp || !start || !by_tier || !ties || !set.t) {
        rc = jql_fail(JQL_ENOMEM, "out of memory");
        goto done;
    }
    while (set.top * 2 <= n)
        set.top *= 2;
    for (size_t i = 0; i < nq; i++)
        order[i] = &c->quotas[i];
    qsort(order, nq, sizeof *order, cmp_quota);
    quota_limits(r, c, order, limit, in_tier, stamp);
    /* each tier's own units in rank order (units are in rank order) */
    for (size_t t = 0; t < nt; t++)
        start[t + 1] = start[t] + in_tier[t];
    for (size_t k = 0; k < n; k++)
        by_tier[start[r->units[k].tier_after_vetoes]++] = k;
    for (size_t t = nt; t > 0; t--) /* back to each tier's first */
        start[t] = start[t - 1];
    start[0] = 0;
    size_t qi = 0, nties = 0;
    for (size_t t = 0; t < nt; t++) {
        for (size_t j = start[t]; j < start[t + 1]; j++)
            posset_add(&set, by_tier[j], 1);
        size_t cut = n;
        for (; qi < nq && order[qi]->tier == t; qi++)
            if (t + 1 < nt) /* the loader refuses a quota on the lowest tier */
                cut = quota_cut(r, &set, cut, limit[qi], t, ties, &nties);
        /* the members before the cut stay in this tier */
        for (size_t left = posset_below(&set, cut); left > 0; left--) {
            size_t pos = posset_select(&set, 0);
            posset_add(&set, pos, -1);
            r->units[pos].tier = t;
        }
    }
    qsort(ties, nties, sizeof *ties, cmp_tie);
    for (size_t k = 0; k < n; k++) {
        jql_res_unit *u = &r->units[k];
        u->quota_demoted = u->tier != u->tier_after_vetoes;
        u->quota_tie = u->quota_demoted && moved_with_tie(ties, nties, u);
    }
done:
    jql_free(order);
    jql_free(limit);
    jql_free(in_tier);
    jql_free(stamp);
    jql_free(start);
    jql_free(by_tier);
    jql_free(ties);
    jql_free(set.t);
    return rc;
}

/* Gap to the tier just above the final one, and what holds the unit back. */
static void gaps(jql_results *r)
{
    for (size_t k = 0; k < r->nunits; k++) {
        jql_res_unit *u = &r->units[k];
        u->v[JQL_RESULT_FIELD_GAP] = 0;
        u->held_back = JQL_HELD_NONE;
        if (u->tier == 0)
            continue;
        size_t next = u->tier - 1;
        jql_milli gap = r->tiers[next].min - u->v[JQL_RESULT_FIELD_FINAL];
        u->v[JQL_RESULT_FIELD_GAP] = gap > 0 ? gap : 0;
        for (size_t v = 0; v < u->veto_count; v++)
            if (r->vetodefs[r->fired[u->veto_start + v]].cap > next)
                u->held_back = JQL_HELD_VETO;
        if (u->held_back == JQL_HELD_NONE && u->v[JQL_RESULT_FIELD_GAP] == 0)
            u->held_back = JQL_HELD_QUOTA;
    }
}

int jql_rank_units(jql_results *r, const jql_criteria *c)
{
    if (r->nunits > 1)
        qsort(r->units, r->nunits, sizeof *r->units, cmp_full);
    int rc = rank_and_clusters(r);
    if (!rc)
        rc = apply_quotas(r, c);
    if (!rc)
        gaps(r);
    return rc;
}
