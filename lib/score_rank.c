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
 */
static int apply_quotas(jql_results *r, const jql_criteria *c)
{
    size_t nq = c->nquotas;
    if (!nq || !r->nunits)
        return 0;
    const jql_quota **order = jql_malloc(nq * sizeof *order);
    size_t *limit = jql_malloc(nq * sizeof *limit);
    size_t *members = jql_malloc(r->nunits * sizeof *members);
    if (!order || !limit || !members) {
        jql_free(order);
        jql_free(limit);
        jql_free(members);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < nq; i++)
        order[i] = &c->quotas[i];
    qsort(order, nq, sizeof *order, cmp_quota);
    for (size_t i = 0; i < nq; i++) {
        size_t count = 0;
        for (size_t k = 0; k < r->nunits; k++)
            for (size_t j = 0; j < order[i]->of.len; j++)
                if (r->units[k].tier_after_vetoes == order[i]->of.items[j]) {
                    count++;
                    break;
                }
        /* floor(share% x count), share in thousandths of a percent */
        size_t lim = (size_t)(((unsigned __int128)(uint64_t)order[i]->share * count) / 100000u);
        if (order[i]->has_minimum && lim < order[i]->minimum)
            lim = order[i]->minimum;
        limit[i] = lim;
    }
    for (size_t i = 0; i < nq; i++) {
        const jql_quota *q = order[i];
        if (q->tier + 1 >= c->ntiers)
            continue; /* refused by the loader: nowhere to move down to */
        size_t m = 0;
        for (size_t k = 0; k < r->nunits; k++) /* units are in rank order */
            if (r->units[k].tier == q->tier)
                members[m++] = k;
        size_t keep = limit[i];
        if (m <= keep)
            continue;
        /* Tied units straddling the limit all move down. */
        bool tie = keep > 0 && r->units[members[keep - 1]].rank == r->units[members[keep]].rank;
        size_t tie_rank = tie ? r->units[members[keep]].rank : 0;
        while (tie && keep > 0 && r->units[members[keep - 1]].rank == tie_rank)
            keep--;
        for (size_t j = keep; j < m; j++) {
            jql_res_unit *u = &r->units[members[j]];
            u->tier = q->tier + 1;
            u->quota_demoted = true;
            if (tie && u->rank == tie_rank)
                u->quota_tie = true;
        }
    }
    jql_free(order);
    jql_free(limit);
    jql_free(members);
    return 0;
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
