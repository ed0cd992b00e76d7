/*
 * The evidence of roll-ups, listed without walking the subtree.
 *
 * A roll-up leaf cites its unit's subtree's records, sorted and distinct.
 * score_rollup.c points a unit's list into its parent's when it is a run of
 * it; otherwise the subtree was walked: every unit of it visited, each
 * record collected once per owner in it, then sorted. On a chain of 5,000
 * units whose 50,000 tasks have two owners each, one task_share_completed
 * leaf at evidence level ids or full walked 14 s (and then was refused by
 * the evidence limit); a chain of 100,000 units with one shared task at its
 * foot walked 5 x 10^9 units for 100,000 references; tasks of 500 owners
 * at the foot of a chain of 20,000, each counted 500 times per subtree,
 * never ended.
 *
 * Here the memo's records are laid out once by unit in pre-order: a
 * subtree is a range of that list (items[off[pos u], off[pos u + size u])).
 * A record of several units appears once per unit; each appearance has a
 * key, the depth of the lowest common ancestor of its unit and the unit of
 * the record's previous appearance in pre-order (plus one; 0 for its
 * first). A subtree is an interval of the pre-order, so the appearances in
 * u's range whose previous one lies before the range are exactly one per
 * distinct record, and those are the ones whose common ancestor is above u
 * (key <= depth u). A tree of minimum keys finds them in time linear in
 * their number (with a logarithm of the range); a list with no record in
 * two places needs no keys: the range is the list. The records are then
 * sorted by a radix sort. So listing every scored unit costs about the
 * references it stores, and a scoring that passes the evidence limit is
 * refused after that many, not after walking.
 *
 * Directives addressed to a level appear as one item per unit of that
 * level (nrec + its slot), the level's due directives taken in once per
 * subtree; with those the list is deduplicated (a directive addressed by
 * id and by level) and counted (due, completed) here, which also serves
 * subtrees whose summaries are inexact (several levels).
 *
 * The records a unit contributes are those the walk takes from it, by the
 * same tests as score_rollup.c's own_*() (and jql_q_reports, jql_q_events,
 * jql_q_tasks, jql_q_directives with rollup).
 */
#include <string.h>

#include "score_rollup.h"

struct ru_index {
    int kind;        /* ru_kind, or ST_PART */
    size_t nrec;     /* records of the kind (directives: slots come after) */
    size_t *off;     /* pre-order position -> first item (units + 1) */
    size_t *item;    /* records (and level slots), by unit in pre-order */
    size_t nitems;
    uint32_t *tree;  /* minimum keys, leaves at [tn, 2 tn); NULL: none repeat */
    size_t tn;
    size_t *lv_off, *lv_rec; /* directives: slot s's due ones at lv_rec[lv_off[s]..] */
    size_t nslots;
    size_t bytes;
};

#define ST_PART (-1) /* an index of statistics (one part of a roll-up) */

static bool filter_ok(const char *filter, const char *value)
{
    return filter == NULL ||
           (value != NULL && value[0] == filter[0] && strcmp(filter, value) == 0);
}

/* Unit u's own records of the kind (as own_reports, own_events, own_tasks,
   own_directives test them), appended to v. */
static int own_records(const jql_dataset *ds, ru_kind kind, size_t u, jql_range r,
                       const char *filter, jql_sizevec *v)
{
    const jql_unit_index *x = &ds->by_unit[u];
    const jql_sizevec *list = kind == RU_REPORTS  ? &x->reports
                              : kind == RU_EVENTS ? &x->events
                              : kind == RU_TASKS  ? &x->tasks
                                                  : &x->directives;
    const jql_date_spans *dates = kind == RU_REPORTS  ? &x->reports_at
                                  : kind == RU_EVENTS ? &x->events_at
                                  : kind == RU_TASKS  ? &x->tasks_at
                                                      : &x->directives_at;
    for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
        for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
            size_t i = list->items[j];
            bool ok, done;
            if (kind == RU_REPORTS) {
                const jql_report_rec *rep = &ds->reports.items[i];
                ok = jql_range_within(rep->range, r) && filter_ok(filter, rep->kind) &&
                     !jql_q_after_as_of(rep->due, r);
            } else if (kind == RU_EVENTS) {
                const jql_event_rec *e = &ds->events.items[i];
                ok = jql_date_within(e->date, r) && !jql_q_after_as_of(e->date, r) &&
                     filter_ok(filter, e->kind);
            } else if (kind == RU_TASKS) {
                const jql_task_rec *t = &ds->tasks.items[i];
                ok = jql_date_within(t->due, r) && !jql_q_after_as_of(t->due, r) &&
                     filter_ok(filter, t->field);
            } else {
                ok = jql_q_directive_due(ds, i, r, &done);
            }
            if (ok && jql_sizevec_push(v, i))
                return JQL_ENOMEM;
        }
    return JQL_OK;
}

/* The directives of each level slot that are due, ascending (the level's
   list is: records.c). */
static int level_lists(const jql_dataset *ds, jql_range r, ru_index *ix)
{
    size_t ns = ds->nlevel_directives;
    jql_sizevec recs = {0};
    ix->nslots = ns;
    ix->lv_off = jql_malloc((ns + 1) * sizeof *ix->lv_off);
    if (!ix->lv_off)
        return JQL_ENOMEM;
    for (size_t s = 0; s < ns; s++) {
        ix->lv_off[s] = recs.len;
        const jql_sizevec *list = &ds->level_directives[s];
        const jql_date_spans *dates = &ds->level_directives_at[s];
        for (JQL_DATED_BLOCKS(at, dates, list->len, r.start, r.end))
            for (size_t j = at, end = jql_dates_block_end(at, list->len); j < end; j++) {
                bool done;
                if (jql_q_directive_due(ds, list->items[j], r, &done) &&
                    jql_sizevec_push(&recs, list->items[j])) {
                    jql_sizevec_free(&recs);
                    return JQL_ENOMEM;
                }
            }
    }
    ix->lv_off[ns] = recs.len;
    ix->lv_rec = recs.items;
    ix->bytes += (ns + 1 + recs.cap) * sizeof(size_t);
    return JQL_OK;
}

/* The forest's positions, sizes and ancestors, once per scoring. */
int jql_rollup_tree_ready(jql_score_ctx *ctx)
{
    struct jql_rollup *ru = ctx->rollup;
    const jql_dataset *ds = ctx->ds;
    size_t n = ds->units.len;
    if (ru->pos)
        return JQL_OK;
    size_t *pos = jql_malloc((n ? n : 1) * sizeof *pos);
    size_t *size = jql_malloc((n ? n : 1) * sizeof *size);
    if (!pos || !size || jql_lifting_make(ds, ru->pre, &ru->lift)) {
        jql_free(pos);
        jql_free(size);
        return JQL_ENOMEM;
    }
    for (size_t k = 0; k < n; k++) {
        pos[ru->pre[k]] = k;
        size[k] = 1;
    }
    for (size_t k = n; k-- > 0;) { /* children before parents */
        size_t u = ru->pre[k], p = ds->units.items[u].parent;
        if (p != JQL_NONE)
            size[p] += size[u];
    }
    ru->pos = pos;
    ru->size = size;
    return JQL_OK;
}

char jql_rollup_no_index;

size_t jql_rollup_index_bytes(const ru_index *ix) { return ix ? ix->bytes : 0; }

void jql_rollup_index_free(ru_index *ix)
{
    if (!ix || ix == RU_NO_INDEX)
        return;
    jql_free(ix->off);
    jql_free(ix->item);
    jql_free(ix->tree);
    jql_free(ix->lv_off);
    jql_free(ix->lv_rec);
    jql_free(ix);
}

/* A statistics part: unit u's records of its own value (st_own). */
static int own_stats(const jql_dataset *ds, size_t u, size_t ind, jql_range win,
                     jql_sizevec *scratch, jql_sizevec *v)
{
    jql_ratio val;
    scratch->len = 0;
    int rc = jql_q_value_exact(ds, u, ind, win, false, &val, scratch);
    if (rc == JQL_ENOMEM)
        return rc;
    /* the unit's value when it has one; otherwise none (or its subtree is
       walked: score_rollup_stats.c never lists it) */
    return rc == JQL_OK ? jql_sizevec_append(v, scratch->items, scratch->len) : JQL_OK;
}

static int index_make(jql_score_ctx *ctx, int kind, const char *filter, size_t ind,
                      jql_range win, size_t room, ru_index **out);

int jql_rollup_index_make(jql_score_ctx *ctx, ru_kind kind, const char *filter, size_t room,
                          ru_index **out)
{
    return index_make(ctx, (int)kind, filter, 0, ctx->range, room, out);
}

int jql_rollup_stat_index_make(jql_score_ctx *ctx, size_t ind, jql_range win, size_t room,
                               ru_index **out)
{
    return index_make(ctx, ST_PART, NULL, ind, win, room, out);
}

static int index_make(jql_score_ctx *ctx, int kind, const char *filter, size_t ind,
                      jql_range win, size_t room, ru_index **out)
{
    *out = NULL;
    const jql_dataset *ds = ctx->ds;
    struct jql_rollup *ru = ctx->rollup;
    size_t n = ds->units.len;
    if (jql_rollup_tree_ready(ctx))
        return JQL_ENOMEM;
    ru_index *ix = jql_calloc(1, sizeof *ix);
    if (!ix)
        return JQL_ENOMEM;
    ix->kind = kind;
    ix->nrec = kind == ST_PART       ? ds->stats.len
               : kind == RU_REPORTS  ? ds->reports.len
               : kind == RU_EVENTS   ? ds->events.len
               : kind == RU_TASKS    ? ds->tasks.len
                                     : ds->directives.len;
    jql_sizevec items = {0}, scratch = {0};
    size_t *last = NULL;
    int rc = (ix->off = jql_malloc((n + 1) * sizeof *ix->off)) ? JQL_OK : JQL_ENOMEM;
    if (!rc && kind == RU_DIRECTIVES)
        rc = level_lists(ds, ctx->range, ix);
    bool over = false;
    for (size_t k = 0; !rc && !over && k < n; k++) {
        size_t u = ru->pre[k], slot;
        ix->off[k] = items.len;
        rc = kind == ST_PART ? own_stats(ds, u, ind, win, &scratch, &items)
                             : own_records(ds, (ru_kind)kind, u, ctx->range, filter, &items);
        if (!rc && kind == RU_DIRECTIVES &&
            jql_strmap_get(&ds->directive_levels, ds->units.items[u].level, &slot) == JQL_OK &&
            slot < ix->nslots && ix->lv_off[slot + 1] > ix->lv_off[slot])
            rc = jql_sizevec_push(&items, ix->nrec + slot);
        over = (n + 1 + items.cap) * sizeof(size_t) + ix->bytes > room;
    }
    jql_sizevec_free(&scratch);
    ix->item = items.items;
    ix->nitems = items.len;
    ix->bytes += (n + 1 + items.cap) * sizeof(size_t);
    if (rc || over) { /* past the budget: walked */
        jql_rollup_index_free(ix);
        return rc;
    }
    ix->off[n] = items.len;
    /* the keys: where each item appeared last (its unit) */
    size_t nids = ix->nrec + ix->nslots, ni = ix->nitems;
    bool repeat = false;
    if (!rc && ni && !(last = jql_malloc(nids * sizeof *last)))
        rc = JQL_ENOMEM;
    if (!rc && ni) {
        for (size_t i = 0; i < nids; i++)
            last[i] = JQL_NONE;
        for (size_t i = 0; i < ni && !repeat; i++) {
            repeat = last[ix->item[i]] != JQL_NONE;
            last[ix->item[i]] = 0;
        }
    }
    if (!rc && repeat) {
        size_t tn = 1;
        while (tn < ni)
            tn *= 2;
        size_t bytes = 2 * tn * sizeof *ix->tree;
        if (ix->bytes + bytes > room) {
            jql_free(last);
            jql_rollup_index_free(ix);
            return JQL_OK;
        }
        ix->tn = tn;
        ix->bytes += bytes;
        if (!(ix->tree = jql_malloc(bytes)))
            rc = JQL_ENOMEM;
        for (size_t i = 0; !rc && i < nids; i++)
            last[i] = JQL_NONE;
        for (size_t k = 0; !rc && k < n; k++) {
            size_t u = ru->pre[k];
            for (size_t i = ix->off[k]; i < ix->off[k + 1]; i++) {
                size_t x = ix->item[i], a = last[x] == JQL_NONE ? JQL_NONE
                                                               : jql_lca(&ru->lift, last[x], u);
                size_t key = a == JQL_NONE ? 0 : ru->lift.depth[a] + 1;
                ix->tree[tn + i] = key > UINT32_MAX ? UINT32_MAX : (uint32_t)key;
                last[x] = u;
            }
        }
        for (size_t i = tn + ni; !rc && i < 2 * tn; i++)
            ix->tree[i] = UINT32_MAX;
        for (size_t i = tn; !rc && i-- > 1;)
            ix->tree[i] = ix->tree[2 * i] < ix->tree[2 * i + 1] ? ix->tree[2 * i]
                                                                : ix->tree[2 * i + 1];
    }
    jql_free(last);
    if (rc) {
        jql_rollup_index_free(ix);
        return rc;
    }
    *out = ix;
    return JQL_OK;
}

/* Ascending, by bytes (a radix sort): the records of a subtree come as
   one ascending run per unit. */
static int sort_sizes(size_t *a, size_t n)
{
    if (n < 2)
        return JQL_OK;
    size_t k = 1;
    while (k < n && a[k - 1] < a[k])
        k++;
    if (k == n)
        return JQL_OK;
    if (n <= 32) {
        for (size_t i = 1; i < n; i++) {
            size_t x = a[i], j = i;
            for (; j > 0 && a[j - 1] > x; j--)
                a[j] = a[j - 1];
            a[j] = x;
        }
        return JQL_OK;
    }
    size_t most = 0;
    for (size_t i = 0; i < n; i++)
        most |= a[i];
    size_t *tmp = jql_malloc(n * sizeof *tmp);
    if (!tmp)
        return JQL_ENOMEM;
    size_t *src = a, *dst = tmp;
    enum { BITS = 11, B = 1 << BITS };
    for (unsigned shift = 0; shift < 8 * sizeof(size_t) && (most >> shift); shift += BITS) {
        size_t count[B + 1] = {0};
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> shift) & (B - 1)) + 1]++;
        for (size_t b = 1; b <= B; b++)
            count[b] += count[b - 1];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> shift) & (B - 1)]++] = src[i];
        size_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
    jql_free(tmp);
    return JQL_OK;
}

/* Append the items of [lo, hi) whose key is at most `depth`, in order:
   down the tree from the root, into the nodes whose minimum allows one. */
typedef struct {
    size_t v, from, width; /* node v covers items [from, from + width) */
} tree_node;

static int report(const ru_index *ix, size_t lo, size_t hi, uint32_t depth, jql_sizevec *out)
{
    /* depth first, left first: at most one right sibling waits per level */
    tree_node st[8 * sizeof(size_t) + 2];
    size_t top = 0;
    st[top++] = (tree_node){1, 0, ix->tn};
    while (top) {
        size_t v = st[top - 1].v, from = st[top - 1].from, width = st[top - 1].width;
        top--;
        if (from >= hi || from + width <= lo || ix->tree[v] > depth)
            continue;
        if (width == 1) {
            if (jql_sizevec_push(out, ix->item[from]))
                return JQL_ENOMEM;
            continue;
        }
        size_t half = width / 2; /* the right child first: the left is taken next */
        st[top++] = (tree_node){2 * v + 1, from + half, half};
        st[top++] = (tree_node){2 * v, from, half};
    }
    return JQL_OK;
}

int jql_rollup_index_list(jql_score_ctx *ctx, const ru_index *ix, size_t u, jql_sizevec *ev,
                          size_t n[2])
{
    const struct jql_rollup *ru = ctx->rollup;
    size_t from = ev->len, k = ru->pos[u];
    size_t lo = ix->off[k], hi = ix->off[k + ru->size[u]];
    int rc = JQL_OK;
    if (ix->tree) {
        size_t d = ru->lift.depth[u];
        rc = report(ix, lo, hi, d > UINT32_MAX ? UINT32_MAX : (uint32_t)d, ev);
    } else {
        rc = jql_sizevec_append(ev, &ix->item[lo], hi - lo);
    }
    if (rc)
        return JQL_ENOMEM;
    bool levels = false;
    if (ix->kind == RU_DIRECTIVES) { /* a level's directives for its slot */
        size_t end = ev->len, w = from;
        for (size_t i = from; i < end; i++) {
            size_t x = ev->items[i];
            if (x < ix->nrec) {
                ev->items[w++] = x;
                continue;
            }
            size_t s = x - ix->nrec;
            levels = true;
            /* appended past `end`, moved down below */
            if (jql_sizevec_append(ev, &ix->lv_rec[ix->lv_off[s]],
                                   ix->lv_off[s + 1] - ix->lv_off[s]))
                return JQL_ENOMEM;
        }
        if (levels) {
            memmove(&ev->items[w], &ev->items[end], (ev->len - end) * sizeof *ev->items);
            ev->len = w + (ev->len - end);
        } else {
            ev->len = w;
        }
    }
    if (sort_sizes(&ev->items[from], ev->len - from))
        return JQL_ENOMEM;
    if (levels) { /* by id and by level: once */
        size_t w = from;
        for (size_t i = from; i < ev->len; i++)
            if (i == from || ev->items[i] != ev->items[w - 1])
                ev->items[w++] = ev->items[i];
        ev->len = w;
    }
    if (n && ix->kind == RU_DIRECTIVES) {
        n[0] = ev->len - from;
        n[1] = 0;
        for (size_t i = from; i < ev->len; i++) {
            bool done = false;
            (void)jql_q_directive_due(ctx->ds, ev->items[i], ctx->range, &done);
            n[1] += done;
        }
    }
    return JQL_OK;
}

int jql_rollup_stat_list(jql_score_ctx *ctx, ru_index *const ix[2], size_t u, jql_sizevec *ev)
{
    const struct jql_rollup *ru = ctx->rollup;
    size_t from = ev->len, k = ru->pos[u];
    for (int p = 0; p < 2 && ix[p]; p++) {
        /* a unit's records are its own: no record in two places, no tree */
        size_t lo = ix[p]->off[k], hi = ix[p]->off[k + ru->size[u]];
        if (jql_sizevec_append(ev, &ix[p]->item[lo], hi - lo))
            return JQL_ENOMEM;
    }
    return sort_sizes(&ev->items[from], ev->len - from);
}
