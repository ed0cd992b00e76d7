/*
 * Sensitivity of a ranking to the weights of the top-level sections
 * (jql_sensitivity_run, include/justice_quarterly/analysis.h).
 *
 * Leaf points never depend on weights, so every unit's section points and
 * applicable maxima are read once from the base results; a perturbation
 * only rescales them (one rounding per section), recomputes the final
 * score, and re-applies tiers, vetoes' caps, quotas and ranks with the
 * engine's own jql_rank_units(). That is why 1,000 perturbations cost
 * about as much as a few full scorings (bench/bench_sensitivity.c).
 */
#include <stdlib.h>
#include <string.h>

#include "justice_quarterly/analysis.h"
#include "justice_quarterly/edit.h"
#include "analysis_internal.h"
#include "score_internal.h"
#include "util.h"

/* ---- the model ---- */

typedef struct {
    const jql_results *r;
    const jql_criteria *c;
    size_t nu, ns, ntb;
    size_t *sec;        /* section node indices */
    jql_milli *M;       /* section maxima */
    jql_milli total;    /* sum of M: what weights always add up to */
    jql_milli *sp, *sa; /* nu * ns: section points, applicable maxima */
    size_t *cap;        /* veto cap per unit, JQL_NONE: none */
    size_t *tb_sec;     /* per tie-breaker: section of its node, JQL_NONE: not a node key */
    jql_milli *tb_pts;  /* nu * ntb: base points of the tie-breaker's node */
    size_t *secof;      /* node -> section */
    /* per unit and node, only with JQL_SENS_LEAVES: points, applicable
       maximum, sums of the applicable children (before the clamp) */
    jql_milli *np, *na;
    __int128 *accp, *acca;
    jql_res_unit *work;
    jql_tb_key *tbw;
    jql_results shadow;
    /* apportion scratch */
    jql_milli *ow, *nw;
    struct remainder *rem;
    /* work done so far, in steps of one section or one unit (charge()) */
    uint64_t steps;
    /* a ranking's steps for the quotas, whatever the units: jql_rank_units()
       sorts them, counts each one's `of` tiers and goes down the tiers once
       (the units' part, a logarithm each, is counted with their sort) */
    uint64_t quota_steps;
} model;

/* The work a sensitivity may do: one step is a section's term of a unit's
   score, a weight shared out, or a unit ranked. One-at-a-time costs
   2 x sections runs, Monte Carlo `runs` runs, each units x sections; the
   margins' searches about 100 x units x sections^2 at worst. 6 x 10^8
   steps took 5 s at most here (release build); beyond them a run stops
   with JQL_ELIMIT rather than take minutes: before it starts when the runs
   alone would pass the limit, else when the margins' searches do
   (docs/ANALYSIS.md, Limits). */
#define SENS_MAX_STEPS 600000000ull

/* Results a run may hold: the one-at-a-time weights (2 x sections^2), its
   ranks, tiers and finals (6 x sections x units), Monte Carlo's weights
   and ranks (runs x (sections + units)): 8 bytes each at most, so a few
   hundred MB, and as many numbers in the output. */
#define SENS_MAX_CELLS 25000000ull

static int too_much_work(const model *m)
{
    if (m->quota_steps) /* the quotas' part named too */
        return jql_fail(JQL_ELIMIT,
                        "sensitivity: more than %llu steps of work (units x sections x runs, "
                        "the quotas and their tiers x runs, and the margins' searches): "
                        "use fewer runs, or fewer sections, quotas or units",
                        SENS_MAX_STEPS);
    return jql_fail(JQL_ELIMIT,
                    "sensitivity: more than %llu steps of work (units x sections x runs, and "
                    "the margins' searches): use fewer runs, or fewer sections or units",
                    SENS_MAX_STEPS);
}

/* Count n steps of work; JQL_ELIMIT once over the limit. */
static int charge(model *m, uint64_t n)
{
    m->steps += n;
    return m->steps > SENS_MAX_STEPS ? too_much_work(m) : 0;
}

/* A share's remainder, for handing out the units left over. */
struct remainder {
    __int128 rem;
    size_t i;
};

/* Largest remainder first, equal ones in index order (as the insertion of
   jql_milli_apportion() orders them). */
static int cmp_remainder(const void *a, const void *b)
{
    const struct remainder *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem < y->rem ? 1 : -1;
    return (x->i > y->i) - (x->i < y->i);
}

/* jql_milli_apportion() without allocation (the margins call it very often),
   the remainders sorted rather than inserted one by one: an insertion is
   quadratic in the sections when they come in rising order, and this runs
   for each section. */
static void apportion(model *m, const jql_milli *w, size_t n, jql_milli total, jql_milli *out)
{
    __int128 sum = 0, given = 0;
    for (size_t i = 0; i < n; i++)
        sum += w[i];
    if (sum == 0 || total <= 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = 0;
        return;
    }
    for (size_t i = 0; i < n; i++) {
        __int128 p = (__int128)w[i] * total;
        out[i] = (jql_milli)(p / sum);
        m->rem[i] = (struct remainder){p % sum, i};
        given += out[i];
    }
    bool sorted = true; /* equal remainders (equal maxima), the usual case */
    for (size_t i = 1; sorted && i < n; i++)
        sorted = m->rem[i - 1].rem >= m->rem[i].rem;
    if (given < total && !sorted) /* fewer than n units are left over */
        qsort(m->rem, n, sizeof *m->rem, cmp_remainder);
    for (size_t k = 0; given < total; k++, given++)
        out[m->rem[k].i]++;
}

/* Section j at weight wj, the others sharing the rest in proportion. */
static void weights_for(model *m, size_t j, jql_milli wj, jql_milli *W)
{
    if (wj > m->total)
        wj = m->total;
    size_t q = 0;
    for (size_t i = 0; i < m->ns; i++)
        if (i != j)
            m->ow[q++] = m->M[i];
    apportion(m, m->ow, q, m->total - wj, m->nw);
    q = 0;
    for (size_t i = 0; i < m->ns; i++)
        W[i] = i == j ? wj : m->nw[q++];
}

static jql_milli clampm(__int128 v, jql_milli max) { return v < 0 ? 0 : v > max ? max : (jql_milli)v; }

static jql_milli scaled(jql_milli v, jql_milli w, jql_milli M)
{
    return w == M ? v : jql_div_round((__int128)v * w, M);
}

static jql_milli unit_final(const model *m, size_t k, const jql_milli *W)
{
    const jql_res_unit *u = &m->r->units[k];
    jql_milli scale = m->r->scale;
    __int128 t = 0, a = 0;
    for (size_t j = 0; j < m->ns; j++) {
        t += scaled(m->sp[k * m->ns + j], W[j], m->M[j]);
        a += scaled(m->sa[k * m->ns + j], W[j], m->M[j]);
    }
    jql_milli total = clampm(t, scale), amax = clampm(a, scale);
    jql_milli norm = amax ? jql_div_round((__int128)total * scale, amax) : 0;
    jql_milli fin = norm + u->v[JQL_RESULT_FIELD_BONUS] - u->v[JQL_RESULT_FIELD_DEDUCTIONS];
    if (fin < 0)
        fin = 0;
    if (!m->r->allow_above_scale && fin > scale)
        fin = scale;
    return fin;
}

/* The tier of a final score: the first whose minimum it reaches, found by
   halving as the scoring does (minima strictly descending, the last 0), not
   one tier at a time per unit and run (40,001 tiers on 10,000 units: 84 s
   for the default 1,000 runs). */
static size_t tier_for(const jql_results *r, jql_milli fin)
{
    size_t lo = 0, hi = r->ntiers ? r->ntiers - 1 : 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (fin >= r->tiers[mid].min)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

/* 1 + floor(log2(n)): a sort's steps per item. */
static uint64_t log_steps(size_t n)
{
    uint64_t lg = 1;
    for (; n > 1; n >>= 1)
        lg++;
    return lg;
}

/* The steps of one run(): each unit's score, tie-break keys, a sort and
   the quotas (once counted per unit and quota, 40,000 quotas on 10,000
   units took 0.9 s a run: the default 1,000 runs a quarter of an hour).
   Saturated: never near 2^64 within the limit. */
static uint64_t run_steps(const model *m)
{
    uint64_t lg = log_steps(m->nu);
    unsigned __int128 n =
        (unsigned __int128)m->nu * (m->ns + m->ntb + (m->quota_steps ? 2 : 1) * lg) +
        m->quota_steps;
    return n > UINT64_MAX / 4 ? UINT64_MAX / 4 : (uint64_t)n;
}

/* One perturbation: ranks and tiers by base unit index. */

static int run(model *m, const jql_milli *W, uint32_t *rank, uint32_t *tier, jql_milli *fin)
{
    const jql_results *r = m->r;
    if (charge(m, run_steps(m)))
        return JQL_ELIMIT;
    for (size_t k = 0; k < m->nu; k++) {
        jql_res_unit *u = &m->work[k];
        *u = r->units[k];
        u->ds_index = k;
        u->v[JQL_RESULT_FIELD_FINAL] = unit_final(m, k, W);
        u->tier_before_caps = tier_for(r, u->v[JQL_RESULT_FIELD_FINAL]);
        u->tier_after_vetoes = m->cap[k] != JQL_NONE && m->cap[k] > u->tier_before_caps
                                   ? m->cap[k]
                                   : u->tier_before_caps;
        u->tier = u->tier_after_vetoes;
        u->rank = u->cluster_rank = 0;
        u->leader = u->quota_demoted = u->quota_tie = false;
        jql_tb_key *keys = &m->tbw[k * m->ntb];
        for (size_t i = 0; i < m->ntb; i++) {
            keys[i] = r->units[k].tb[i];
            size_t s = m->tb_sec[i];
            if (s != JQL_NONE)
                keys[i].key.num = -scaled(m->tb_pts[k * m->ntb + i], W[s], m->M[s]);
        }
        u->tb = keys;
    }
    m->shadow.units = m->work;
    int rc = jql_rank_units(&m->shadow, m->c);
    if (rc)
        return rc;
    for (size_t p = 0; p < m->nu; p++) {
        const jql_res_unit *u = &m->work[p];
        size_t k = u->ds_index;
        if (rank)
            rank[k] = (uint32_t)u->rank;
        if (tier)
            tier[k] = (uint32_t)u->tier;
        if (fin)
            fin[k] = u->v[JQL_RESULT_FIELD_FINAL];
    }
    return 0;
}

static void model_free(model *m)
{
    jql_free(m->secof);
    jql_free(m->np);
    jql_free(m->na);
    jql_free(m->accp);
    jql_free(m->acca);
    jql_free(m->sec);
    jql_free(m->M);
    jql_free(m->sp);
    jql_free(m->sa);
    jql_free(m->cap);
    jql_free(m->tb_sec);
    jql_free(m->tb_pts);
    jql_free(m->work);
    jql_free(m->tbw);
    jql_free(m->ow);
    jql_free(m->nw);
    jql_free(m->rem);
}

static int same_criteria(const jql_results *r, const jql_criteria *c)
{
    if (c->nnodes != r->nnodes || c->ntiers != r->ntiers || strcmp(c->id, r->criteria_id) != 0)
        return jql_fail(JQL_EINVALID, "the criteria set is not the one the results were scored with");
    return 0;
}

/* The top-level criteria (the sections whose weights move). */
static size_t count_sections(const jql_results *r)
{
    size_t ns = 0;
    for (size_t n = 0; n < r->nnodes; n++)
        ns += r->nodeinfo[n].parent == JQL_NONE;
    return ns;
}

static int model_init(model *m, const jql_results *r, const jql_criteria *c, bool nodes)
{
    memset(m, 0, sizeof *m);
    m->r = r;
    m->c = c;
    m->nu = r->nunits;
    m->ntb = c->ntiebreaks;
    if (c->nquotas) {
        m->quota_steps = c->ntiers + c->nquotas * log_steps(c->nquotas);
        for (size_t q = 0; q < c->nquotas; q++)
            m->quota_steps += c->quotas[q].of.len;
    }
    m->ns = count_sections(r); /* of the criteria the caller checked (same_criteria) */
    size_t nu = m->nu, ns = m->ns, nn = r->nnodes;
    m->sec = jql_calloc(ns, sizeof *m->sec);
    m->M = jql_calloc(ns, sizeof *m->M);
    m->sp = jql_calloc(nu * ns + 1, sizeof *m->sp);
    m->sa = jql_calloc(nu * ns + 1, sizeof *m->sa);
    m->cap = jql_calloc(nu + 1, sizeof *m->cap);
    m->tb_sec = jql_calloc(m->ntb + 1, sizeof *m->tb_sec);
    m->tb_pts = jql_calloc(nu * m->ntb + 1, sizeof *m->tb_pts);
    m->work = jql_calloc(nu + 1, sizeof *m->work);
    m->tbw = jql_calloc(nu * m->ntb + 1, sizeof *m->tbw);
    m->ow = jql_calloc(ns + 1, sizeof *m->ow);
    m->nw = jql_calloc(ns + 1, sizeof *m->nw);
    m->rem = jql_calloc(ns + 1, sizeof *m->rem);
    size_t *secof = m->secof = jql_calloc(nn + 1, sizeof *secof);
    if (nodes) {
        m->np = jql_calloc(nu * nn + 1, sizeof *m->np);
        m->na = jql_calloc(nu * nn + 1, sizeof *m->na);
        m->accp = jql_calloc(nu * nn + 1, sizeof *m->accp);
        m->acca = jql_calloc(nu * nn + 1, sizeof *m->acca);
    }
    jql_milli *amax = jql_calloc(nn + 1, sizeof *amax);
    __int128 *acc = jql_calloc(nn + 1, sizeof *acc);
    int rc = 0;
    if (!m->sec || !m->M || !m->sp || !m->sa || !m->cap || !m->tb_sec || !m->tb_pts ||
        !m->work || !m->tbw || !m->ow || !m->nw || !m->rem || !secof || !amax ||
        !acc || (nodes && (!m->np || !m->na || !m->accp || !m->acca)))
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    if (!rc && ns == 0)
        rc = jql_fail(JQL_EINVALID, "no top-level criteria");
    __int128 total = 0;
    for (size_t n = 0, j = 0; !rc && n < nn; n++) {
        size_t p = r->nodeinfo[n].parent;
        if (p == JQL_NONE) {
            m->sec[j] = n;
            m->M[j] = r->nodeinfo[n].max;
            total += m->M[j];
            secof[n] = j++;
        } else {
            secof[n] = secof[p]; /* pre-order: the parent came first */
        }
    }
    if (!rc && total > JQL_MILLI_MAX)
        rc = jql_fail(JQL_ELIMIT, "the sections' maxima add up to more than the largest number");
    m->total = rc ? 0 : (jql_milli)total;
    for (size_t i = 0; !rc && i < m->ntb; i++) {
        const jql_tiebreak *t = &c->tiebreaks[i];
        m->tb_sec[i] = t->kind == JQL_TB_NODE && t->node < nn ? secof[t->node] : JQL_NONE;
    }
    for (size_t k = 0; !rc && k < nu; k++) {
        const jql_res_unit *u = &r->units[k];
        const jql_res_node *x = &r->nodes[u->node_start];
        /* applicable maxima, tree-clamped, bottom-up (reverse pre-order) */
        for (size_t n = 0; n < nn; n++)
            acc[n] = 0;
        for (size_t n = nn; n-- > 0;) {
            const jql_res_nodeinfo *ni = &r->nodeinfo[n];
            if (ni->leaf)
                amax[n] = x[n].applicable ? ni->max : 0;
            else
                amax[n] = x[n].applicable ? clampm(acc[n], ni->max) : 0;
            if (ni->parent != JQL_NONE && x[n].applicable)
                acc[ni->parent] += amax[n];
        }
        if (nodes) {
            for (size_t n = 0; n < nn; n++) {
                m->np[k * nn + n] = x[n].applicable ? x[n].points : 0;
                m->na[k * nn + n] = amax[n];
                m->acca[k * nn + n] = acc[n];
                m->accp[k * nn + n] = 0;
            }
            for (size_t n = 0; n < nn; n++)
                if (r->nodeinfo[n].parent != JQL_NONE && x[n].applicable)
                    m->accp[k * nn + r->nodeinfo[n].parent] += x[n].points;
        }
        for (size_t j = 0; j < ns; j++) {
            size_t n = m->sec[j];
            m->sp[k * ns + j] = x[n].applicable ? x[n].points : 0;
            m->sa[k * ns + j] = amax[n];
        }
        m->cap[k] = JQL_NONE;
        for (size_t v = 0; v < u->veto_count; v++) {
            size_t cap = r->vetodefs[r->fired[u->veto_start + v]].cap;
            if (m->cap[k] == JQL_NONE || cap > m->cap[k])
                m->cap[k] = cap;
        }
        for (size_t i = 0; i < m->ntb; i++)
            if (m->tb_sec[i] != JQL_NONE)
                m->tb_pts[k * m->ntb + i] = x[c->tiebreaks[i].node].points;
    }
    jql_free(amax);
    jql_free(acc);
    m->shadow = *r;
    if (rc)
        model_free(m);
    return rc;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static int one_at_a_time(model *m, jql_sensitivity *s)
{
    size_t ns = m->ns, nu = m->nu;
    for (size_t j = 0; j < ns; j++) {
        jql_milli d = (jql_milli)(((__int128)m->M[j] * s->percent) / 100000);
        for (size_t dir = 0; dir < 2; dir++) {
            size_t q = 2 * j + dir;
            jql_milli wj = dir ? m->M[j] + d : m->M[j] - d;
            jql_milli *W = &s->oat_w[q * ns];
            if (charge(m, ns))
                return JQL_ELIMIT;
            weights_for(m, j, wj, W);
            int rc = run(m, W, &s->oat_rank[q * nu], &s->oat_tier[q * nu], &s->oat_final[q * nu]);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int monte_carlo(model *m, jql_sensitivity *s)
{
    size_t ns = m->ns, nu = m->nu, runs = s->runs;
    uint32_t *ranks = jql_malloc((runs ? runs : 1) * nu * sizeof *ranks);
    uint32_t *tiers = jql_malloc((nu ? nu : 1) * sizeof *tiers);
    jql_milli *W0 = jql_malloc(ns * sizeof *W0);
    if (!ranks || !tiers || !W0) {
        jql_free(ranks);
        jql_free(tiers);
        jql_free(W0);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    uint64_t sm = s->seed;
    jql_rng g;
    for (int i = 0; i < 4; i++)
        g.s[i] = jql_splitmix64(&sm);
    int rc = 0;
    for (size_t run_i = 0; !rc && run_i < runs; run_i++) {
        jql_milli *W = &s->mc_w[run_i * ns];
        __int128 sum;
        if ((rc = charge(m, 2 * (uint64_t)ns)))
            break;
        do {
            sum = 0;
            for (size_t j = 0; j < ns; j++) {
                jql_milli d = (jql_milli)(((__int128)m->M[j] * s->percent) / 100000);
                W0[j] = m->M[j] - d + (jql_milli)jql_rng_uniform(&g, (uint64_t)(2 * d + 1));
                sum += W0[j];
            }
        } while (sum == 0);
        apportion(m, W0, ns, m->total, W);
        uint32_t *rk = &ranks[run_i * nu];
        rc = run(m, W, rk, tiers, NULL);
        for (size_t k = 0; !rc && k < nu; k++) {
            s->tier_runs[k * s->nt + tiers[k]]++;
            if (k + 1 < nu && rk[k + 1] < rk[k])
                s->flips[k]++;
        }
    }
    /* min / lower median / max per unit */
    uint32_t *col = jql_malloc((runs ? runs : 1) * sizeof *col);
    if (!rc && !col)
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t k = 0; !rc && runs && k < nu; k++) {
        for (size_t i = 0; i < runs; i++)
            col[i] = ranks[i * nu + k];
        qsort(col, runs, sizeof *col, cmp_u32);
        s->rmin[k] = col[0];
        s->rmed[k] = col[(runs - 1) / 2];
        s->rmax[k] = col[runs - 1];
    }
    jql_free(col);
    jql_free(ranks);
    jql_free(tiers);
    jql_free(W0);
    return rc;
}

/* Predicates for the margin search, true once the event happened. */
typedef struct {
    int kind;     /* 0: pair a/b, 1: reach `at`, 2: fall below `at` */
    size_t a, b;
    jql_milli at;
} target;

static bool happened(const model *m, const target *t, const jql_milli *W)
{
    if (t->kind == 0)
        return unit_final(m, t->b, W) >= unit_final(m, t->a, W);
    jql_milli f = unit_final(m, t->a, W);
    return t->kind == 1 ? f >= t->at : f < t->at;
}

/* Smallest weight change of one section that makes t happen, by bisection
   between no change and the furthest weight (0 or the whole total), on the
   reading that the difference moves monotonically with the weight (true up
   to rounding when the units' applicable maxima are full: docs/ANALYSIS.md). */
static int find_margin(model *m, const target *t, jql_milli *W, jql_margin *out)
{
    jql_margin best = {JQL_NONE, 0};
    uint64_t step = 3 * (uint64_t)m->ns; /* weights, then one or two units' scores */
    for (size_t j = 0; j < m->ns; j++) {
        for (int dir = -1; dir <= 1; dir += 2) {
            jql_milli reach = dir > 0 ? m->total - m->M[j] : m->M[j];
            if (reach <= 0)
                continue;
            if (charge(m, step))
                return JQL_ELIMIT;
            weights_for(m, j, m->M[j] + dir * reach, W);
            if (!happened(m, t, W))
                continue;
            jql_milli lo = 0, hi = reach;
            while (hi - lo > 1) {
                jql_milli mid = lo + (hi - lo) / 2;
                if (charge(m, step))
                    return JQL_ELIMIT;
                weights_for(m, j, m->M[j] + dir * mid, W);
                if (happened(m, t, W))
                    hi = mid;
                else
                    lo = mid;
            }
            if (best.sec == JQL_NONE || hi < (best.change < 0 ? -best.change : best.change))
                best = (jql_margin){j, dir * hi};
        }
    }
    *out = best;
    return 0;
}

static int margins(model *m, jql_sensitivity *s)
{
    jql_milli buf[64];
    jql_milli *W = m->ns <= 64 ? buf : NULL;
    jql_milli *heap = W ? NULL : jql_malloc(m->ns * sizeof *heap);
    if (!W)
        W = heap;
    if (!W)
        return jql_fail(JQL_ENOMEM, "out of memory");
    const jql_results *r = m->r;
    int rc = 0;
    for (size_t k = 0; !rc && k < m->nu; k++) {
        const jql_res_unit *u = &r->units[k];
        s->pair_margin[k] = s->up[k] = s->down[k] = (jql_margin){JQL_NONE, 0};
        if (k + 1 < m->nu && u->v[JQL_RESULT_FIELD_FINAL] > r->units[k + 1].v[JQL_RESULT_FIELD_FINAL]) {
            target t = {0, k, k + 1, 0};
            rc = find_margin(m, &t, W, &s->pair_margin[k]);
        }
        size_t tb = u->tier_before_caps;
        if (!rc && tb > 0) {
            target t = {1, k, 0, r->tiers[tb - 1].min};
            rc = find_margin(m, &t, W, &s->up[k]);
        }
        if (!rc && tb + 1 < r->ntiers) {
            target t = {2, k, 0, r->tiers[tb].min};
            rc = find_margin(m, &t, W, &s->down[k]);
        }
    }
    jql_free(heap);
    return rc;
}

static char *dupe(const char *x, bool *oom);

/* Each node's children in node order, kids[first[P] .. first[P + 1]]: a
   scan of every node for each leaf's siblings is nodes^2. 0 or JQL_ENOMEM. */
static int children_index(const jql_results *r, size_t **first_out, size_t **kids_out)
{
    size_t nn = r->nnodes;
    size_t *first = jql_calloc(nn + 2, sizeof *first), *kids = jql_calloc(nn + 1, sizeof *kids);
    size_t *fill = jql_calloc(nn + 1, sizeof *fill);
    if (!first || !kids || !fill) {
        jql_free(first);
        jql_free(kids);
        jql_free(fill);
        return JQL_ENOMEM;
    }
    for (size_t n = 0; n < nn; n++)
        if (r->nodeinfo[n].parent != JQL_NONE)
            first[r->nodeinfo[n].parent + 1]++;
    for (size_t n = 0; n < nn; n++)
        first[n + 1] += first[n];
    for (size_t n = 0; n < nn; n++) {
        size_t p = r->nodeinfo[n].parent;
        if (p != JQL_NONE)
            kids[first[p] + fill[p]++] = n;
    }
    jql_free(fill);
    *first_out = first;
    *kids_out = kids;
    return 0;
}

/* Each leaf below the top level moved by -x% and +x% among its siblings. */
/* Each leaf below the top level lists its siblings and their weights in
   both cases: the sum over those leaves of their sibling count (a group
   of n leaves, n^2: 6,000 under one node took 16 s and 4 GB). */
static int leaf_pool(const jql_results *r, size_t *out)
{
    size_t nn = r->nnodes, pool = 0, *kids = jql_calloc(nn + 1, sizeof *kids);
    if (!kids)
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t n = 0; n < nn; n++)
        if (r->nodeinfo[n].parent != JQL_NONE)
            kids[r->nodeinfo[n].parent]++;
    for (size_t n = 0; n < nn; n++)
        if (r->nodeinfo[n].leaf && r->nodeinfo[n].parent != JQL_NONE)
            pool += kids[r->nodeinfo[n].parent];
    jql_free(kids);
    *out = pool;
    return JQL_OK;
}

static int leaves_one_at_a_time(model *m, jql_sensitivity *s)
{
    const jql_results *r = m->r;
    size_t nn = r->nnodes, nu = m->nu, ns = m->ns;
    size_t nl = 0, pool = 0;
    size_t *first, *kids;
    if (children_index(r, &first, &kids))
        return jql_fail(JQL_ENOMEM, "out of memory");
    for (size_t n = 0; n < nn; n++)
        if (r->nodeinfo[n].leaf && r->nodeinfo[n].parent != JQL_NONE) {
            size_t p = r->nodeinfo[n].parent;
            nl++;
            pool += first[p + 1] - first[p];
        }
    s->nl = nl;
    s->nn = nn;
    s->leaf_ids = jql_calloc(nl + 1, sizeof *s->leaf_ids);
    s->leaf_group = jql_calloc(2 * nl + 1, sizeof *s->leaf_group);
    s->leaf_ngroup = jql_calloc(nl + 1, sizeof *s->leaf_ngroup);
    s->leaf_sib_ids = jql_calloc(nl + 1, sizeof *s->leaf_sib_ids);
    s->sib_pool = jql_calloc(pool + 1, sizeof *s->sib_pool);
    s->leaf_w = jql_calloc(2 * pool + 1, sizeof *s->leaf_w);
    s->leaf_rank = jql_calloc(2 * nl * nu + 1, sizeof *s->leaf_rank);
    s->leaf_tier = jql_calloc(2 * nl * nu + 1, sizeof *s->leaf_tier);
    s->leaf_final = jql_calloc(2 * nl * nu + 1, sizeof *s->leaf_final);
    size_t *grp = jql_calloc(nn + 1, sizeof *grp);
    jql_milli *gw = jql_calloc(nn + 1, sizeof *gw), *gn = jql_calloc(nn + 1, sizeof *gn);
    jql_milli *savep = jql_calloc(nu + 1, sizeof *savep), *savea = jql_calloc(nu + 1, sizeof *savea);
    jql_milli *W = jql_calloc(ns + 1, sizeof *W);
    /* apportion's scratch must hold a sibling group */
    struct remainder *rem = jql_calloc(nn + ns + 1, sizeof *rem);
    int rc = 0;
    if (!s->leaf_ids || !s->leaf_group || !s->leaf_ngroup || !s->leaf_sib_ids || !s->sib_pool ||
        !s->leaf_w || !s->leaf_rank || !s->leaf_tier || !s->leaf_final || !grp || !gw || !gn || !savep ||
        !savea || !W || !rem)
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    struct remainder *old_rem = m->rem;
    if (!rc)
        m->rem = rem;
    for (size_t j = 0; !rc && j < ns; j++)
        W[j] = m->M[j];
    size_t li = 0, used = 0, wpos = 0;
    for (size_t L = 0; !rc && L < nn; L++) {
        const jql_res_nodeinfo *ln = &r->nodeinfo[L];
        if (!ln->leaf || ln->parent == JQL_NONE)
            continue;
        size_t P = ln->parent, ng = 0, self = 0;
        __int128 sum = 0;
        for (size_t i = first[P]; i < first[P + 1]; i++) {
            size_t g = kids[i];
            if (g == L)
                self = ng;
            grp[ng++] = g;
            sum += r->nodeinfo[g].max;
        }
        if (sum > JQL_MILLI_MAX) {
            rc = jql_fail(JQL_ELIMIT, "the maxima under \"%s\" add up to more than the largest "
                          "number", r->nodeinfo[P].id);
            break;
        }
        bool oom = false;
        s->leaf_ids[li] = dupe(ln->id, &oom);
        s->leaf_ngroup[li] = ng;
        s->leaf_sib_ids[li] = &s->sib_pool[used];
        for (size_t g = 0; g < ng; g++)
            s->sib_pool[used++] = dupe(r->nodeinfo[grp[g]].id, &oom);
        s->nsib_pool = used;
        if (oom) {
            rc = jql_fail(JQL_ENOMEM, "out of memory");
            break;
        }
        size_t j = m->secof[L], depth = 0;
        for (size_t node = P; r->nodeinfo[node].parent != JQL_NONE; node = r->nodeinfo[node].parent)
            depth++;
        jql_milli d = (jql_milli)(((__int128)ln->max * s->percent) / 100000);
        for (size_t dir = 0; !rc && dir < 2; dir++) {
            /* the siblings' weights, then each unit's section re-summed */
            if ((rc = charge(m, 3 * (uint64_t)ng + (uint64_t)nu * (2 * ng + depth))))
                break;
            size_t q = 2 * li + dir;
            jql_milli wl = dir ? ln->max + d : ln->max - d;
            if (wl > sum)
                wl = (jql_milli)sum;
            size_t o = 0;
            for (size_t g = 0; g < ng; g++)
                if (g != self)
                    gw[o++] = r->nodeinfo[grp[g]].max;
            apportion(m, gw, o, (jql_milli)(sum - wl), gn);
            jql_milli *cw = &s->leaf_w[wpos];
            s->leaf_group[q] = wpos;
            wpos += ng;
            for (size_t g = 0, t = 0; g < ng; g++)
                cw[g] = g == self ? wl : gn[t++];
            /* each unit's section j after the change */
            for (size_t k = 0; k < nu; k++) {
                const jql_milli *np = &m->np[k * nn], *na = &m->na[k * nn];
                const __int128 *ap = &m->accp[k * nn], *aa = &m->acca[k * nn];
                savep[k] = m->sp[k * ns + j];
                savea[k] = m->sa[k * ns + j];
                if (!r->nodes[r->units[k].node_start + P].applicable)
                    continue;
                __int128 tp = 0, ta = 0;
                for (size_t g = 0; g < ng; g++) {
                    size_t c = grp[g];
                    tp += scaled(np[c], cw[g], r->nodeinfo[c].max);
                    ta += scaled(na[c], cw[g], r->nodeinfo[c].max);
                }
                jql_milli pp = clampm(tp, r->nodeinfo[P].max), pa = clampm(ta, r->nodeinfo[P].max);
                for (size_t node = P; r->nodeinfo[node].parent != JQL_NONE;) {
                    size_t par = r->nodeinfo[node].parent;
                    jql_milli mx = r->nodeinfo[par].max;
                    jql_milli nextp = clampm(ap[par] - np[node] + pp, mx);
                    jql_milli nexta = clampm(aa[par] - na[node] + pa, mx);
                    pp = nextp;
                    pa = nexta;
                    node = par;
                }
                m->sp[k * ns + j] = pp;
                m->sa[k * ns + j] = pa;
            }
            rc = run(m, W, &s->leaf_rank[q * nu], &s->leaf_tier[q * nu], &s->leaf_final[q * nu]);
            for (size_t k = 0; k < nu; k++) {
                m->sp[k * ns + j] = savep[k];
                m->sa[k * ns + j] = savea[k];
            }
        }
        li++;
    }
    if (m->rem == rem)
        m->rem = old_rem;
    jql_free(first);
    jql_free(kids);
    jql_free(grp);
    jql_free(gw);
    jql_free(gn);
    jql_free(savep);
    jql_free(savea);
    jql_free(W);
    jql_free(rem);
    return rc;
}

static char *dupe(const char *x, bool *oom)
{
    char *d = jql_strdup(x);
    if (x && !d)
        *oom = true;
    return d;
}

int jql_sensitivity_run(const jql_results *base, const jql_criteria *c,
                        const jql_sensitivity_options *o, jql_sensitivity **out)
{
    if (out)
        *out = NULL;
    if (!base || !c || !out)
        return jql_fail(JQL_EINVALID, "jql_sensitivity_run: NULL argument");
    jql_sensitivity_options def = JQL_SENSITIVITY_OPTIONS_INIT;
    if (!o)
        o = &def;
    if (o->version != JQL_SENSITIVITY_OPTIONS_VERSION)
        return jql_fail(JQL_EINVALID, "jql_sensitivity_run: options version %u (expected %u)",
                        o->version, JQL_SENSITIVITY_OPTIONS_VERSION);
    if (o->percent < 0 || o->percent > 100000)
        return jql_fail(JQL_EINVALID, "sensitivity: the change must be from 0%% to 100%%");
    if (o->runs > JQL_SENS_MAX_RUNS)
        return jql_fail(JQL_ELIMIT, "sensitivity: at most %u runs", JQL_SENS_MAX_RUNS);
    if (o->flags & ~(JQL_SENS_ALL | JQL_SENS_LEAVES))
        return jql_fail(JQL_EINVALID, "sensitivity: unknown flags");
    int rc = same_criteria(base, c);
    if (rc)
        return rc;
    /* the sizes are known from the results: refuse them before the model,
       itself criteria x units with the leaves, is built */
    size_t nu = base->nunits, ns = count_sections(base), nt = base->ntiers;
    unsigned runs = (o->flags & JQL_SENS_MONTE_CARLO) ? o->runs : 0;
    /* in 128 bits: sections^2 of a huge criteria set overflows 64 */
    unsigned __int128 cells = (unsigned __int128)ns * (2 * ns + 6 * nu) +
                              (unsigned __int128)runs * (ns + nu);
    size_t pool = 0;
    if ((o->flags & JQL_SENS_LEAVES) && (rc = leaf_pool(base, &pool)))
        return rc;
    if (o->flags & JQL_SENS_LEAVES) /* per node and unit: 4 in the model, 6 per leaf run */
        cells += (unsigned __int128)base->nnodes * nu * 10 + 3 * (unsigned __int128)pool;
    if (cells > SENS_MAX_CELLS) {
        return jql_fail(JQL_ELIMIT,
                        "sensitivity: %zu sections and %zu units over %u runs would hold more "
                        "than %llu results (2 x sections^2 + 6 x sections x units + runs x "
                        "(sections + units); with the leaves 10 x criteria x units + 3 x each "
                        "leaf's siblings): use fewer runs, or fewer sections or units",
                        ns, nu, runs, SENS_MAX_CELLS);
    }
    /* with runs, each unit's count of runs in every tier (and the JSON
       lists every one): 40,001 tiers on 10,000 units made 5 GB of JSON,
       20 s and 2.2 GB held, from a 4.8 MB sheet */
    if (runs && cells + (unsigned __int128)nu * nt > SENS_MAX_CELLS)
        return jql_fail(JQL_ELIMIT,
                        "sensitivity: %zu units x %zu tiers, each unit's runs in each tier, "
                        "would hold more than %llu results with the rest: use --runs 0 (no "
                        "Monte Carlo), or fewer tiers or units",
                        nu, nt, SENS_MAX_CELLS);
    model m;
    if ((rc = model_init(&m, base, c, (o->flags & JQL_SENS_LEAVES) != 0)))
        return rc;
    /* the runs' steps are known now: refuse them before any is made */
    unsigned __int128 planned = (unsigned __int128)runs * (2 * ns + run_steps(&m));
    if (o->flags & JQL_SENS_ONE_AT_A_TIME)
        planned += (unsigned __int128)2 * ns * (ns + run_steps(&m));
    if (planned > SENS_MAX_STEPS) {
        rc = too_much_work(&m);
        model_free(&m);
        return rc;
    }
    jql_sensitivity *s = jql_calloc(1, sizeof *s);
    bool oom = !s;
    if (s) {
        s->flags = o->flags;
        s->percent = o->percent;
        s->runs = runs;
        s->seed = o->seed;
        s->nu = nu;
        s->ns = ns;
        s->nt = nt;
        s->criteria_id = dupe(base->criteria_id, &oom);
        s->period = dupe(base->period, &oom);
        memcpy(s->as_of, base->as_of, sizeof s->as_of);
        s->unit_ids = jql_calloc(nu + 1, sizeof(char *));
        s->unit_names = jql_calloc(nu + 1, sizeof(char *));
        s->sec_ids = jql_calloc(ns + 1, sizeof(char *));
        s->tier_ids = jql_calloc(nt + 1, sizeof(char *));
        s->M = jql_calloc(ns + 1, sizeof *s->M);
        s->base_final = jql_calloc(nu + 1, sizeof *s->base_final);
        s->base_rank = jql_calloc(nu + 1, sizeof *s->base_rank);
        s->base_tier = jql_calloc(nu + 1, sizeof *s->base_tier);
        s->oat_w = jql_calloc(2 * ns * ns + 1, sizeof *s->oat_w);
        s->oat_rank = jql_calloc(2 * ns * nu + 1, sizeof *s->oat_rank);
        s->oat_tier = jql_calloc(2 * ns * nu + 1, sizeof *s->oat_tier);
        s->oat_final = jql_calloc(2 * ns * nu + 1, sizeof *s->oat_final);
        s->mc_w = jql_calloc((size_t)runs * ns + 1, sizeof *s->mc_w);
        s->rmin = jql_calloc(nu + 1, sizeof *s->rmin);
        s->rmed = jql_calloc(nu + 1, sizeof *s->rmed);
        s->rmax = jql_calloc(nu + 1, sizeof *s->rmax);
        s->tier_runs = jql_calloc(runs ? nu * nt + 1 : 1, sizeof *s->tier_runs); /* counted */
        s->flips = jql_calloc(nu + 1, sizeof *s->flips);
        s->pair_margin = jql_calloc(nu + 1, sizeof *s->pair_margin);
        s->up = jql_calloc(nu + 1, sizeof *s->up);
        s->down = jql_calloc(nu + 1, sizeof *s->down);
        oom = oom || !s->unit_ids || !s->unit_names || !s->sec_ids || !s->tier_ids || !s->M ||
              !s->base_final || !s->base_rank || !s->base_tier || !s->oat_w || !s->oat_rank ||
              !s->oat_tier || !s->oat_final || !s->mc_w || !s->rmin || !s->rmed || !s->rmax ||
              !s->tier_runs || !s->flips || !s->pair_margin || !s->up || !s->down;
    }
    for (size_t k = 0; !oom && k < nu; k++) {
        s->unit_ids[k] = dupe(base->units[k].id, &oom);
        s->unit_names[k] = dupe(base->units[k].name, &oom);
        s->base_final[k] = base->units[k].v[JQL_RESULT_FIELD_FINAL];
        s->base_rank[k] = (uint32_t)base->units[k].rank;
        s->base_tier[k] = (uint32_t)base->units[k].tier;
    }
    for (size_t j = 0; !oom && j < ns; j++) {
        s->sec_ids[j] = dupe(base->nodeinfo[m.sec[j]].id, &oom);
        s->M[j] = m.M[j];
    }
    for (size_t t = 0; !oom && t < nt; t++)
        s->tier_ids[t] = dupe(base->tiers[t].id, &oom);
    if (oom)
        rc = jql_fail(JQL_ENOMEM, "out of memory");
    if (!rc && (o->flags & JQL_SENS_ONE_AT_A_TIME))
        rc = one_at_a_time(&m, s);
    if (!rc && runs)
        rc = monte_carlo(&m, s);
    if (!rc && (o->flags & JQL_SENS_MARGINS))
        rc = margins(&m, s);
    if (!rc && (o->flags & JQL_SENS_LEAVES))
        rc = leaves_one_at_a_time(&m, s);
    model_free(&m);
    if (rc) {
        jql_sensitivity_free(s);
        return rc;
    }
    *out = s;
    return JQL_OK;
}
