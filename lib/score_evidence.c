/*
 * Evidence of scored nodes: compact while scoring, copied once at the end.
 *
 * A node's evidence is a slice of r->evlist. While units are scored each
 * entry is only a reference, (kind << 56) | record index: nothing is
 * copied, hashed or interned per citation. jql_evidence_finish() then
 * marks the records cited (a bitmap per kind), copies each once into
 * r->ev in one ordered pass per kind, and rewrites the references as
 * indices of r->ev (rank of the record among the marked ones), so the
 * results still outlive the dataset.
 */
#include <string.h>

#include "score_internal.h"

#define REF_SHIFT 56
#define REF_INDEX ((UINT64_C(1) << REF_SHIFT) - 1)

/* Room for `need` references; a grown list is advised huge pages. */
static int reserve(jql_results *r, size_t need)
{
    if (need <= r->evlist_cap)
        return 0;
    if (jql_vec_grow((void **)&r->evlist, &r->evlist_cap, need, sizeof *r->evlist))
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_advise_large(r->evlist, r->evlist_cap * sizeof *r->evlist);
    return 0;
}

int jql_evidence_reserve(jql_results *r, size_t need)
{
    if (need <= r->evlist_cap)
        return 0;
    /* exactly `need` (jql_vec_grow would round it up to a power of two) */
    uint64_t *p = need > SIZE_MAX / sizeof *p ? NULL : jql_realloc(r->evlist, need * sizeof *p);
    if (!p)
        return jql_fail(JQL_ENOMEM, "out of memory");
    r->evlist = p;
    r->evlist_cap = need;
    jql_advise_large(r->evlist, need * sizeof *r->evlist);
    return 0;
}

static int add_ref(jql_results *r, jql_ev_kind k, size_t index)
{
    if (reserve(r, r->nevlist + 1))
        return JQL_ENOMEM;
    r->evlist[r->nevlist++] = ((uint64_t)k << REF_SHIFT) | (uint64_t)index;
    return 0;
}

int jql_evidence_add_one(jql_score_ctx *ctx, jql_ev_kind k, size_t index, size_t *count)
{
    int rc = add_ref(ctx->r, k, index);
    if (!rc)
        (*count)++;
    return rc;
}

int jql_evidence_add(jql_score_ctx *ctx, jql_ev_kind k, size_t *count)
{
    jql_results *r = ctx->r;
    size_t n = ctx->scratch.len;
    if (n && reserve(r, r->nevlist + n))
        return JQL_ENOMEM;
    for (size_t i = 0; i < n; i++)
        r->evlist[r->nevlist++] = ((uint64_t)k << REF_SHIFT) | (uint64_t)ctx->scratch.items[i];
    *count += n;
    return 0;
}

uint64_t jql_evidence_ref(jql_ev_kind k, size_t index)
{
    return ((uint64_t)k << REF_SHIFT) | (uint64_t)index;
}

int jql_evidence_detach(jql_score_ctx *ctx, size_t *start, size_t count)
{
    jql_results *r = ctx->r;
    if (*start + count == r->nevlist)
        return 0;
    if (reserve(r, r->nevlist + count))
        return JQL_ENOMEM;
    memmove(&r->evlist[r->nevlist], &r->evlist[*start], count * sizeof *r->evlist);
    *start = r->nevlist;
    r->nevlist += count;
    return 0;
}

/* ---- the copy at the end ---- */

static size_t ds_count(const jql_dataset *ds, jql_ev_kind k)
{
    switch (k) {
    case JQL_EV_REPORT: return ds->reports.len;
    case JQL_EV_TASK: return ds->tasks.len;
    case JQL_EV_DIRECTIVE: return ds->directives.len;
    case JQL_EV_STAT: return ds->stats.len;
    case JQL_EV_ASSESSMENT: return ds->assessments.len;
    case JQL_EV_EVENT: return ds->events.len;
    default: return 0;
    }
}

/* Strings repeated across records (periods, kinds, criteria) go through a
   small direct-mapped cache in front of the pool, keyed by the dataset
   string's address (the dataset keeps one pooled copy of each and is not
   edited while it is scored): a hit is one pointer comparison. */
#define CACHE_SLOTS 256

typedef struct {
    jql_score_ctx *ctx;
    const char *cache_key[CACHE_SLOTS]; /* a dataset string */
    const char *cache[CACHE_SLOTS];     /* its copy in the results' pool */
    const char **indicator_ids;
    char *arena; /* unique ids (tasks, directives): one block, no hashing */
    size_t arena_used, arena_size;
    size_t *id_len, nid; /* their lengths, measured once, in copy order */
    bool oom;
} copier;

static const char *shared(copier *cp, const char *s)
{
    if (!s)
        return NULL;
    uintptr_t h = (uintptr_t)s * UINT64_C(0x9E3779B97F4A7C15);
    size_t slot = (size_t)(h >> 56) & (CACHE_SLOTS - 1);
    if (cp->cache_key[slot] == s)
        return cp->cache[slot];
    const char *v = jql_results_intern(cp->ctx->r, s);
    if (!v)
        cp->oom = true;
    cp->cache_key[slot] = v ? s : NULL;
    cp->cache[slot] = v;
    return v;
}

static const char *unit_id(copier *cp, size_t u)
{
    jql_score_ctx *ctx = cp->ctx;
    if (!ctx->unit_ids[u] &&
        !(ctx->unit_ids[u] = jql_results_intern(ctx->r, ctx->ds->units.items[u].id)))
        cp->oom = true;
    return ctx->unit_ids[u];
}

static const char *unique(copier *cp, const char *s)
{
    /* the length measured when the arena was sized (same order): one copy */
    char *d = cp->arena + cp->arena_used;
    size_t n = cp->id_len[cp->nid++] + 1;
    memcpy(d, s, n);
    cp->arena_used += n;
    return d;
}

static void copy_record(copier *cp, jql_ev_kind k, size_t i, jql_ev_rec *e)
{
    const jql_dataset *ds = cp->ctx->ds;
    memset(e, 0, sizeof *e);
    e->kind = k;
    e->index = i;
    e->date = JQL_NO_DATE;
    switch (k) {
    case JQL_EV_REPORT: {
        const jql_report_rec *x = &ds->reports.items[i];
        e->a = unit_id(cp, x->unit);
        e->b = shared(cp, x->period);
        e->c = shared(cp, x->kind);
        break;
    }
    case JQL_EV_TASK:
        e->a = unique(cp, ds->tasks.items[i].id);
        break;
    case JQL_EV_DIRECTIVE:
        e->a = unique(cp, ds->directives.items[i].id);
        break;
    case JQL_EV_STAT: {
        const jql_stat_rec *x = &ds->stats.items[i];
        e->a = unit_id(cp, x->unit);
        if (!cp->indicator_ids[x->indicator] &&
            !(cp->indicator_ids[x->indicator] =
                  jql_results_intern(cp->ctx->r, ds->indicators.items[x->indicator].id)))
            cp->oom = true;
        e->b = cp->indicator_ids[x->indicator];
        e->c = shared(cp, x->period);
        e->value = x->value;
        break;
    }
    case JQL_EV_ASSESSMENT: {
        const jql_assessment_rec *x = &ds->assessments.items[i];
        e->a = unit_id(cp, x->unit);
        e->b = shared(cp, x->period);
        e->c = shared(cp, x->criterion);
        break;
    }
    default: {
        const jql_event_rec *x = &ds->events.items[i];
        e->a = unit_id(cp, x->unit);
        e->c = shared(cp, x->kind);
        e->date = x->date;
        break;
    }
    }
}

/* Bits set, by halves (SWAR): without -mpopcnt __builtin_popcountll is a
   library call, and this runs once per evidence reference. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

int jql_evidence_finish(jql_score_ctx *ctx)
{
    jql_results *r = ctx->r;
    const jql_dataset *ds = ctx->ds;
    uint64_t *bits[JQL_EV_KINDS] = {0};
    size_t *before[JQL_EV_KINDS] = {0}; /* marked records before each 64-record word */
    size_t words[JQL_EV_KINDS], first[JQL_EV_KINDS + 1];
    copier cp;
    memset(&cp, 0, sizeof cp);
    cp.ctx = ctx;
    int rc = JQL_OK;

    for (int k = 0; k < JQL_EV_KINDS && !rc; k++) {
        words[k] = ds_count(ds, (jql_ev_kind)k) / 64 + 1;
        bits[k] = jql_calloc(words[k], sizeof *bits[k]);
        before[k] = jql_malloc(words[k] * sizeof *before[k]);
        if (!bits[k] || !before[k])
            rc = JQL_ENOMEM;
    }
    cp.indicator_ids = jql_calloc(ds->indicators.len + 1, sizeof *cp.indicator_ids);
    if (!cp.indicator_ids)
        rc = JQL_ENOMEM;
    for (size_t i = 0; !rc && i < r->nevlist; i++) {
        uint64_t ref = r->evlist[i];
        size_t idx = (size_t)(ref & REF_INDEX);
        bits[ref >> REF_SHIFT][idx / 64] |= UINT64_C(1) << (idx % 64);
    }
    /* ranks, the table's size and the bytes of the unique ids */
    size_t total = 0, id_bytes = 0, nids = 0;
    for (int k = 0; k < JQL_EV_KINDS && !rc; k++) {
        first[k] = total;
        for (size_t w = 0; w < words[k]; w++) {
            before[k][w] = total - first[k];
            total += popcount64(bits[k][w]);
        }
        if (k == JQL_EV_TASK || k == JQL_EV_DIRECTIVE)
            nids += total - first[k];
    }
    if (!rc && nids && !(cp.id_len = jql_malloc(nids * sizeof *cp.id_len)))
        rc = JQL_ENOMEM;
    for (int k = JQL_EV_TASK; !rc && k <= JQL_EV_DIRECTIVE; k++)
        for (size_t w = 0; w < words[k]; w++)
            for (uint64_t b = bits[k][w]; b; b &= b - 1) {
                size_t i = w * 64 + (size_t)__builtin_ctzll(b);
                const char *id =
                    k == JQL_EV_TASK ? ds->tasks.items[i].id : ds->directives.items[i].id;
                size_t n = strlen(id);
                cp.id_len[cp.nid++] = n;
                id_bytes += n + 1;
            }
    cp.nid = 0;
    first[JQL_EV_KINDS] = total;
    if (!rc && total) {
        r->ev = jql_malloc(total * sizeof *r->ev);
        if (!r->ev)
            rc = JQL_ENOMEM;
        else
            r->ev_cap = total;
        jql_advise_large(r->ev, total * sizeof *r->ev);
    }
    if (!rc && id_bytes) {
        /* the arena is one pool entry, freed with the pool */
        cp.arena = jql_malloc(id_bytes);
        cp.arena_size = id_bytes;
        if (!cp.arena ||
            jql_vec_grow((void **)&r->pool, &r->pool_cap, r->npool + 1, sizeof *r->pool)) {
            jql_free(cp.arena);
            cp.arena = NULL;
            rc = JQL_ENOMEM;
        } else {
            r->pool[r->npool++] = cp.arena;
        }
    }
    for (int k = 0; k < JQL_EV_KINDS && !rc; k++)
        for (size_t w = 0; w < words[k]; w++)
            for (uint64_t b = bits[k][w]; b; b &= b - 1) {
                size_t i = w * 64 + (size_t)__builtin_ctzll(b);
                copy_record(&cp, (jql_ev_kind)k, i, &r->ev[r->nev++]);
            }
    if (!rc && cp.oom)
        rc = JQL_ENOMEM;
    for (size_t i = 0; !rc && i < r->nevlist; i++) {
        uint64_t ref = r->evlist[i];
        size_t k = (size_t)(ref >> REF_SHIFT), idx = (size_t)(ref & REF_INDEX);
        uint64_t below = bits[k][idx / 64] & ((UINT64_C(1) << (idx % 64)) - 1);
        r->evlist[i] = first[k] + before[k][idx / 64] + popcount64(below);
    }
    for (int k = 0; k < JQL_EV_KINDS; k++) {
        jql_free(bits[k]);
        jql_free(before[k]);
    }
    jql_free(cp.indicator_ids);
    jql_free(cp.id_len);
    return rc ? jql_fail(JQL_ENOMEM, "out of memory") : 0;
}
