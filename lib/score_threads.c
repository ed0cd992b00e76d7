/*
 * Scoring on several threads (jql_score_options.threads).
 *
 * Each thread scores a block of consecutive units. The calling thread
 * scores the first block into the results themselves; every other thread
 * has a context of its own and a shadow of the results: the units, nodes,
 * items and tie-breaker keys are the results' own arrays (the blocks
 * write disjoint parts of them), while what a scoring appends — evidence
 * references, fired vetoes, interned rule texts — goes to the shadow's
 * own lists. Once every thread is done, the shadows are appended in block
 * order and their units' slices moved by what came before, so the results
 * are those of one thread scoring every unit in order. What ranking reads
 * (fired vetoes, rule texts) is appended at once; each block's evidence
 * is copied and its nodes' slices moved on a thread of its own while the
 * calling thread ranks (jql_score_units_done waits for them).
 *
 * A unit's result depends only on the unit, except with roll-ups (sums
 * and evidence shared between units of one subtree): a criteria set with
 * one is scored on one thread, as is one with a custom leaf unless the
 * caller allows the functions to be called from other threads.
 */
#include <string.h>

#include "score_internal.h"

typedef struct {
    jql_score_ctx ctx;
    jql_results shadow;
    jql_results *r; /* the results its evidence moves into */
    size_t from, to;
    size_t ev_at; /* where its evidence goes in r->evlist */
    int rc;
    bool started; /* its thread runs */
    bool scored;  /* its block is scored (under the lock) */
    struct jql_score_workers *all;
    pthread_t thread;
} score_worker;

/* After scoring, a worker waits to be told to move its evidence or to
   stop (the calling thread's verdict on every block). */
enum { WAIT, MOVE, STOP };

/* The threads' blocks, w[0] the calling thread's (ctx->pending). */
struct jql_score_workers {
    pthread_mutex_t lock;
    pthread_cond_t changed; /* a block scored, or the verdict given */
    int verdict;
    unsigned n;
    score_worker w[];
};

/* Whether a unit's results can depend on another unit's scoring. */
static bool shares_across_units(const jql_criteria *c)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].is_leaf && c->nodes[i].measure.rollup)
            return true;
    for (size_t i = 0; i < c->nbonus; i++)
        if (c->bonus[i].measure.rollup)
            return true;
    for (size_t i = 0; i < c->ndeductions; i++)
        if (c->deductions[i].measure.rollup)
            return true;
    for (size_t i = 0; i < c->nvetoes; i++)
        if (!c->vetoes[i].on_event && c->vetoes[i].measure.rollup)
            return true;
    for (size_t i = 0; i < c->ntiebreaks; i++)
        if (c->tiebreaks[i].kind == JQL_TB_MEASURE && c->tiebreaks[i].measure.rollup)
            return true;
    return false;
}

static bool has_custom_leaf(const jql_criteria *c)
{
    for (size_t i = 0; i < c->nnodes; i++)
        if (c->nodes[i].is_leaf && c->nodes[i].method.kind == JQL_METHOD_CUSTOM)
            return true;
    return false;
}

/* How many threads score: the caller's number, within the most, each
   taking JQL_SCORE_UNITS_PER_THREAD units or more. */
static unsigned threads_for(const jql_score_ctx *ctx, unsigned asked)
{
    size_t by_units = ctx->r->nunits / JQL_SCORE_UNITS_PER_THREAD;
    unsigned n = asked > JQL_SCORE_MAX_THREADS ? JQL_SCORE_MAX_THREADS : asked;
    if (n > by_units)
        n = (unsigned)by_units;
    if (n <= 1 || shares_across_units(ctx->c) ||
        (has_custom_leaf(ctx->c) && !ctx->custom_any_thread))
        return 1;
    return n;
}

/* The results a worker appends to: the real arrays written per unit, its
   own lists for what is appended. */
static void shadow_init(jql_results *shadow, const jql_results *r)
{
    *shadow = *r;
    shadow->evlist = NULL;
    shadow->nevlist = shadow->evlist_cap = 0;
    shadow->fired = NULL;
    shadow->nfired = shadow->fired_cap = 0;
    shadow->pool = NULL;
    shadow->npool = shadow->pool_cap = 0;
    shadow->pool_map = (jql_strmap){0};
    shadow->unit_map = (jql_strmap){0};
    shadow->diag = NULL;
}

/* The shadow's own lists (its strings too, unless moved to the results). */
static void shadow_free(jql_results *shadow)
{
    jql_free(shadow->evlist);
    jql_free(shadow->fired);
    for (size_t i = 0; i < shadow->npool; i++)
        jql_free(shadow->pool[i]);
    jql_free(shadow->pool);
    jql_strmap_free(&shadow->pool_map);
    *shadow = (jql_results){0};
}

static void move_evidence(score_worker *w);

static void *worker_run(void *arg)
{
    score_worker *w = arg;
    struct jql_score_workers *p = w->all;
    w->rc = jql_score_ctx_init(&w->ctx, w->ctx.ds, w->ctx.c);
    if (!w->rc)
        w->rc = jql_score_block(&w->ctx, w->from, w->to, w->to - w->from);
    jql_score_ctx_free(&w->ctx);
    pthread_mutex_lock(&p->lock);
    w->scored = true;
    pthread_cond_broadcast(&p->changed);
    while (p->verdict == WAIT)
        pthread_cond_wait(&p->changed, &p->lock);
    int verdict = p->verdict;
    pthread_mutex_unlock(&p->lock);
    if (verdict == MOVE)
        move_evidence(w);
    return NULL;
}

/* Tell every worker what to do next. */
static void give_verdict(struct jql_score_workers *p, int verdict)
{
    pthread_mutex_lock(&p->lock);
    p->verdict = verdict;
    pthread_cond_broadcast(&p->changed);
    pthread_mutex_unlock(&p->lock);
}

/* Append a worker's fired vetoes and rule texts to the results and
   take the place of its evidence: all that ranking reads. Its evidence
   itself moves later (move_evidence). */
static int merge_lists(jql_results *r, score_worker *w)
{
    jql_results *s = &w->shadow;
    size_t fired_at = r->nfired;
    w->r = r;
    w->ev_at = r->nevlist;
    if (s->nevlist) {
        if (r->evlist_max &&
            (r->nevlist > r->evlist_max || s->nevlist > r->evlist_max - r->nevlist))
            return JQL_SCORE_AGAIN_ALONE; /* one thread would stop at the limit */
        if (jql_evidence_reserve(r, r->nevlist + s->nevlist))
            return JQL_ENOMEM;
        r->nevlist += s->nevlist;
    }
    if (s->nfired) {
        if (jql_vec_grow((void **)&r->fired, &r->fired_cap, r->nfired + s->nfired,
                         sizeof *r->fired))
            return JQL_ENOMEM;
        memcpy(r->fired + r->nfired, s->fired, s->nfired * sizeof *s->fired);
        r->nfired += s->nfired;
    }
    if (s->npool) { /* the strings change hands: the nodes point at them */
        if (jql_vec_grow((void **)&r->pool, &r->pool_cap, r->npool + s->npool, sizeof *r->pool))
            return JQL_ENOMEM;
        memcpy(r->pool + r->npool, s->pool, s->npool * sizeof *s->pool);
        r->npool += s->npool;
        s->npool = 0;
    }
    /* every unit before the worker's last one is scored: what
       jql_results_free() reads */
    r->nodes_ready = s->nodes_ready;
    r->items_ready = s->items_ready;
    for (size_t k = w->from; k < w->to; k++)
        r->units[k].veto_start += fired_at;
    return 0;
}

/* Copy a worker's evidence to its place and move its nodes' and items'
   slices with it. Reads no unit, since ranking may be reordering them:
   unit k's nodes and items are the k-th of their arrays (alloc_units). */
static void move_evidence(score_worker *w)
{
    jql_results *r = w->r, *s = &w->shadow;
    size_t at = w->ev_at, nitems = r->nbonus + r->ndeductions;
    if (s->nevlist)
        memcpy(r->evlist + at, s->evlist, s->nevlist * sizeof *s->evlist);
    for (size_t i = w->from * r->nnodes, end = w->to * r->nnodes; i < end; i++)
        r->nodes[i].ev_start += at;
    for (size_t i = w->from * nitems, end = w->to * nitems; i < end; i++)
        r->items[i].ev_start += at;
}

void jql_score_units_done(jql_score_ctx *ctx)
{
    struct jql_score_workers *p = ctx->pending;
    if (!p)
        return;
    for (unsigned t = 1; t < p->n; t++) {
        if (p->w[t].started)
            pthread_join(p->w[t].thread, NULL);
        shadow_free(&p->w[t].shadow);
    }
    pthread_cond_destroy(&p->changed);
    pthread_mutex_destroy(&p->lock);
    jql_free(p);
    ctx->pending = NULL;
}

int jql_score_units(jql_score_ctx *ctx, unsigned threads)
{
    jql_results *r = ctx->r;
    unsigned n = threads_for(ctx, threads);
    if (n <= 1)
        return jql_score_block(ctx, 0, r->nunits, r->nunits);

    struct jql_score_workers *p = jql_calloc(1, sizeof *p + n * sizeof *p->w);
    if (!p)
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (pthread_mutex_init(&p->lock, NULL)) {
        jql_free(p);
        return JQL_SCORE_AGAIN_ALONE;
    }
    if (pthread_cond_init(&p->changed, NULL)) {
        pthread_mutex_destroy(&p->lock);
        jql_free(p);
        return JQL_SCORE_AGAIN_ALONE;
    }
    p->n = n;
    p->verdict = WAIT;
    ctx->pending = p; /* freed by jql_score_units_done(), on every path */
    score_worker *w = p->w;
    pthread_mutex_t custom_lock = PTHREAD_MUTEX_INITIALIZER;
    ctx->custom_lock = &custom_lock;
    int rc = 0;
    /* blocks of equal size, the first ones a unit longer */
    size_t at = 0;
    for (unsigned t = 0; t < n; t++) {
        w[t].from = at;
        w[t].to = at += r->nunits / n + (t < r->nunits % n);
    }
    for (unsigned t = 1; t < n && !rc; t++) {
        shadow_init(&w[t].shadow, r);
        jql_score_ctx *c = &w[t].ctx;
        c->ds = ctx->ds;
        c->c = ctx->c;
        c->r = &w[t].shadow;
        c->period = ctx->period;
        c->range = ctx->range;
        c->evidence = ctx->evidence;
        c->custom_any_thread = ctx->custom_any_thread;
        c->custom_lock = &custom_lock;
        w[t].all = p;
        if (pthread_create(&w[t].thread, NULL, worker_run, &w[t]) == 0)
            w[t].started = true;
        else
            rc = JQL_SCORE_AGAIN_ALONE; /* no thread to be had: one does it all */
    }
    /* the first block's error is the one a single thread meets first:
       its message is this thread's already */
    if (!rc)
        rc = jql_score_block(ctx, w[0].from, w[0].to, r->nunits);
    pthread_mutex_lock(&p->lock);
    for (unsigned t = 1; t < n; t++)
        while (w[t].started && !w[t].scored)
            pthread_cond_wait(&p->changed, &p->lock);
    pthread_mutex_unlock(&p->lock);
    for (unsigned t = 1; t < n; t++)
        if (!rc && (!w[t].started || w[t].rc))
            rc = JQL_SCORE_AGAIN_ALONE;
    ctx->custom_lock = NULL;
    pthread_mutex_destroy(&custom_lock);
    for (unsigned t = 1; t < n && !rc; t++)
        if ((rc = merge_lists(r, &w[t])) == JQL_ENOMEM)
            jql_fail(JQL_ENOMEM, "out of memory");
    /* each block's evidence moves on its thread while this one ranks */
    give_verdict(p, rc ? STOP : MOVE);
    if (rc) /* nothing moving: every list freed now */
        jql_score_units_done(ctx);
    return rc;
}
