/*
 * Evidence of scored nodes: references to the dataset's records.
 *
 * A node's evidence is a slice of r->evlist; each entry is a reference,
 * (kind << 56) | record index. Nothing is copied, hashed or interned per
 * citation, while scoring or after: the results hold the dataset (a
 * reference count, jql_ds_retain) and read the records when asked. That
 * is sound because a dataset's records are only ever appended (indices
 * stay valid) and the fields evidence shows (ids, units, periods, kinds,
 * dates) never change once added; the one that does, a statistic's value,
 * is read as it was when the results were scored (jql_ds_stat_value).
 * Record numbers, the public handles, are ev_base[kind] + index.
 */
#include <string.h>

#include "score_internal.h"

#define REF_SHIFT JQL_EV_REF_SHIFT

/* Past the scoring's limit: a roll-up over a deep chain cites its whole
   subtree at every level, so the references grow with the chain's square;
   refused while they grow, not after gigabytes were kept. */
static int too_much(const jql_results *r)
{
    return jql_fail(JQL_ELIMIT,
                    "the evidence of this scoring passes %zu references, the limit of one "
                    "scoring (docs/CRITERIA.md, \"Limits\"): roll-up leaves over a deep chain "
                    "of units cite their whole subtree at every level; score without evidence "
                    "(JQL_SCORE_NO_EVIDENCE; jql-score --evidence none, -f csv or -f text)",
                    r->evlist_max);
}

/* Room reserved on an estimate (jql_evidence_reserve) mapped at once up
   to this many bytes past what is kept, the rest as it is written: the
   estimate extrapolates the first units' rate, and where those are a wide
   tree's top units (roll-ups citing their subtrees) it can be the whole
   limit, 400 MB mapped for 15 MB used (a 7.8 MB file of 20,100 units
   peaked at 437 MB). 32 MiB hold the national shape's evidence up to
   10,000 communes. */
#define EV_MAPPED_AHEAD ((size_t)32 << 20)

/* A list of this many bytes grows in place (realloc: glibc moves a block
   this large by remapping its pages), not into a fresh block and a copy,
   which would hold both at once: a scoring refused at the limit's 400 MB
   of references peaked at 650 MB. Its new pages fault as written. */
#define EV_MOVED_FROM ((size_t)8 << 20)

/* Exactly `cap` references, in a fresh block (jql_alloc_paged_part, its
   first `mapped` bytes mapped at once): realloc would keep the 4 KiB pages
   of the first units' list and leave the rest to fault page by page. Not
   zeroed: only the first nevlist entries are ever read. */
static int grow_to(jql_results *r, size_t cap, size_t mapped)
{
    uint64_t *p = jql_alloc_paged_part(cap, sizeof *p, mapped);
    if (!p)
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (r->nevlist)
        memcpy(p, r->evlist, r->nevlist * sizeof *p);
    jql_free(r->evlist);
    r->evlist = p;
    r->evlist_cap = cap;
    return 0;
}

/* Room for `need` references, the list doubled into a fresh block
   (jql_evidence_reserve). The limit is checked before the room: a list
   grown by doubling may have room past it. */
static int reserve(jql_results *r, size_t need)
{
    if (r->evlist_max && need > r->evlist_max)
        return too_much(r);
    if (need <= r->evlist_cap)
        return 0;
    size_t cap = r->evlist_cap ? r->evlist_cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : 2 * cap;
    if (r->evlist_max && cap > r->evlist_max)
        cap = r->evlist_max; /* no room past the limit: need is within it */
    if (r->evlist_cap * sizeof *r->evlist >= EV_MOVED_FROM) {
        uint64_t *p = jql_realloc(r->evlist, cap * sizeof *p);
        if (!p)
            return jql_fail(JQL_ENOMEM, "out of memory");
        r->evlist = p;
        r->evlist_cap = cap;
        return 0;
    }
    return grow_to(r, cap, SIZE_MAX); /* half of it the copy, the rest used next */
}

int jql_evidence_reserve(jql_results *r, size_t need)
{
    if (r->evlist_max && need > r->evlist_max)
        need = r->evlist_max > r->evlist_cap ? r->evlist_max : r->evlist_cap;
    if (need <= r->evlist_cap)
        return 0;
    /* exactly `need`, not rounded to a power of two */
    size_t kept = r->nevlist * sizeof *r->evlist;
    return grow_to(r, need, kept > SIZE_MAX - EV_MAPPED_AHEAD ? SIZE_MAX : kept + EV_MAPPED_AHEAD);
}

static int add_ref(jql_results *r, jql_ev_kind k, size_t index)
{
    int rc = reserve(r, r->nevlist + 1);
    if (rc)
        return rc;
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
    /* the records gathered in scratch, or a remembered query's (ev_src) */
    const jql_sizevec *from = ctx->ev_src ? ctx->ev_src : &ctx->scratch;
    ctx->ev_src = NULL;
    size_t n = from->len;
    if (n == 0)
        return 0; /* the list may not exist yet: no pointer into it */
    int rc = reserve(r, r->nevlist + n);
    if (rc)
        return rc;
    /* through locals: r->nevlist and the list are both 64-bit integers, so
       the compiler would reload and store the length at every element */
    uint64_t *dst = r->evlist + r->nevlist, tag = (uint64_t)k << REF_SHIFT;
    const size_t *src = from->items;
    for (size_t i = 0; i < n; i++)
        dst[i] = tag | (uint64_t)src[i];
    r->nevlist += n;
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
    int rc = reserve(r, r->nevlist + count);
    if (rc)
        return rc;
    memmove(&r->evlist[r->nevlist], &r->evlist[*start], count * sizeof *r->evlist);
    *start = r->nevlist;
    r->nevlist += count;
    return 0;
}

/* ---- reading ---- */

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

void jql_evidence_finish(jql_score_ctx *ctx)
{
    jql_results *r = ctx->r;
    r->ev_base[0] = 0;
    for (int k = 0; k < JQL_EV_KINDS; k++)
        r->ev_base[k + 1] = r->ev_base[k] + ds_count(ctx->ds, (jql_ev_kind)k);
    r->stat_mark = ctx->ds->nstat_changes;
    jql_ds_retain(ctx->ds);
    r->src = (jql_dataset *)ctx->ds; /* released by jql_results_free */
}

size_t jql_evidence_number(const jql_results *r, uint64_t ref)
{
    return r->ev_base[jql_evidence_ref_kind(ref)] + jql_evidence_ref_index(ref);
}

static void read_record(const jql_results *r, jql_ev_kind k, size_t i, jql_ev_rec *e)
{
    const jql_dataset *ds = r->src;
    memset(e, 0, sizeof *e);
    e->kind = k;
    e->index = i;
    e->date = JQL_NO_DATE;
    switch (k) {
    case JQL_EV_REPORT: {
        const jql_report_rec *x = &ds->reports.items[i];
        e->a = ds->units.items[x->unit].id;
        e->b = x->period;
        e->c = x->kind;
        break;
    }
    case JQL_EV_TASK:
        e->a = ds->tasks.items[i].id;
        break;
    case JQL_EV_DIRECTIVE:
        e->a = ds->directives.items[i].id;
        break;
    case JQL_EV_STAT: {
        const jql_stat_rec *x = &ds->stats.items[i];
        e->a = ds->units.items[x->unit].id;
        e->b = ds->indicators.items[x->indicator].id;
        e->c = x->period;
        e->value = jql_ds_stat_value(ds, i, r->stat_mark);
        break;
    }
    case JQL_EV_ASSESSMENT: {
        const jql_assessment_rec *x = &ds->assessments.items[i];
        e->a = ds->units.items[x->unit].id;
        e->b = x->period;
        e->c = x->criterion;
        break;
    }
    default: {
        const jql_event_rec *x = &ds->events.items[i];
        e->a = ds->units.items[x->unit].id;
        e->c = x->kind;
        e->date = x->date;
        break;
    }
    }
}

void jql_evidence_read_ref(const jql_results *r, uint64_t ref, jql_ev_rec *out)
{
    read_record(r, jql_evidence_ref_kind(ref), jql_evidence_ref_index(ref), out);
}

bool jql_evidence_read(const jql_results *r, size_t ev, jql_ev_rec *out)
{
    if (!r || !r->src || ev >= r->ev_base[JQL_EV_KINDS])
        return false;
    int k = 0;
    while (ev >= r->ev_base[k + 1])
        k++;
    read_record(r, (jql_ev_kind)k, ev - r->ev_base[k], out);
    return true;
}
