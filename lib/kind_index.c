/*
 * A unit's reports or events of one kind, or tasks of one field, within a
 * window of dates, without reading the unit's others (model.h,
 * jql_kind_index). A query filtered by kind read every record of the unit
 * in the window: a unit of 12,000 events of 50,000 kinds on a sheet of
 * 40,000 event leaves of distinct kinds read 4.8 x 10^9 records (30 s for
 * a 6.7 MB dataset and a 5.5 MB sheet), and so did report kinds (20 s) and
 * task fields (5 s). The records of each unit whose list is long (more
 * than JQL_DATES_READ_ALL, below which a list is read whole anyway) are
 * sorted here by (kind, date, index), once, when a query first needs them;
 * a query then reads its kind's records in its window, found by halving.
 * Reports and events are only ever appended (records.c), and every append
 * drops the index; so do a task's new owner and new field.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "query.h"

struct jql_kind_index {
    size_t *start; /* units.len + 1 offsets into idx: unit u's are idx[start[u] .. start[u + 1]) */
    size_t *idx;   /* record indices, each long list's by (kind pointer, date, index) */
};

typedef struct {
    uintptr_t kind;
    jql_date date;
    size_t i;
} kind_key;

static int cmp_key(const void *a, const void *b)
{
    const kind_key *x = a, *y = b;
    if (x->kind != y->kind)
        return x->kind < y->kind ? -1 : 1;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

/* The key of record i of the index's kind: its pooled kind or field
   (records.c interns every one; a task without a field: 0) and the date
   its blocks are kept by (an event's date, a report's period start, a
   task's due date). */
static kind_key key_of(const jql_dataset *ds, jql_kind_records which, size_t i)
{
    if (which == JQL_KIND_EVENTS) {
        const jql_event_rec *e = &ds->events.items[i];
        return (kind_key){(uintptr_t)e->kind, e->date, i};
    }
    if (which == JQL_KIND_TASKS) {
        const jql_task_rec *t = &ds->tasks.items[i];
        return (kind_key){(uintptr_t)t->field, t->due, i};
    }
    const jql_report_rec *r = &ds->reports.items[i];
    return (kind_key){(uintptr_t)r->kind, r->range.start, i};
}

static const jql_sizevec *unit_list(const jql_dataset *ds, jql_kind_records which, size_t u)
{
    return which == JQL_KIND_EVENTS  ? &ds->by_unit[u].events
           : which == JQL_KIND_TASKS ? &ds->by_unit[u].tasks
                                     : &ds->by_unit[u].reports;
}

void jql_kind_index_free(jql_kind_index *x)
{
    if (x) {
        jql_free(x->start);
        jql_free(x->idx);
        jql_free(x);
    }
}

/* Built on first use after a record was added. Readers may race here: each
   builds its own, the first to publish it wins and the others free theirs
   (as the units' pre-order, query.c). JQL_OK or JQL_ENOMEM. */
static int index_get(const jql_dataset *ds, jql_kind_records which, const jql_kind_index **out)
{
    jql_dataset *cache = (jql_dataset *)ds; /* the cached field only */
    _Atomic(jql_kind_index *) *slot = &cache->kind_index[which];
    jql_kind_index *x = atomic_load_explicit(slot, memory_order_acquire);
    if ((*out = x))
        return JQL_OK;
    size_t n = ds->units.len, total = 0, longest = 0;
    for (size_t u = 0; u < n; u++) {
        size_t len = unit_list(ds, which, u)->len;
        if (len > JQL_DATES_READ_ALL) {
            total += len;
            longest = len > longest ? len : longest;
        }
    }
    kind_key *keys = NULL;
    if (!(x = jql_calloc(1, sizeof *x)) || !(x->start = jql_calloc(n + 1, sizeof *x->start)) ||
        !(x->idx = jql_calloc(total ? total : 1, sizeof *x->idx)) ||
        (longest && !(keys = jql_calloc(longest, sizeof *keys)))) {
        jql_kind_index_free(x);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    size_t w = 0;
    for (size_t u = 0; u < n; u++) {
        const jql_sizevec *list = unit_list(ds, which, u);
        x->start[u] = w;
        if (list->len <= JQL_DATES_READ_ALL)
            continue;
        for (size_t j = 0; j < list->len; j++)
            keys[j] = key_of(ds, which, list->items[j]);
        qsort(keys, list->len, sizeof *keys, cmp_key);
        for (size_t j = 0; j < list->len; j++)
            x->idx[w++] = keys[j].i;
    }
    x->start[n] = w;
    jql_free(keys);
    jql_kind_index *first = NULL;
    if (!atomic_compare_exchange_strong_explicit(slot, &first, x, memory_order_acq_rel,
                                                 memory_order_acquire)) {
        jql_kind_index_free(x);
        x = first;
    }
    *out = x;
    return JQL_OK;
}

/* The first position in idx[lo, hi) whose key is not below k. */
static size_t lower_bound(const jql_dataset *ds, jql_kind_records which, const size_t *idx,
                          size_t lo, size_t hi, kind_key k)
{
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        kind_key m = key_of(ds, which, idx[mid]);
        if (cmp_key(&m, &k) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int jql_kind_records_in(const jql_dataset *ds, jql_kind_records which, size_t unit,
                        const char *kind, jql_date from, jql_date to, const size_t **out,
                        size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!kind || unit_list(ds, which, unit)->len <= JQL_DATES_READ_ALL)
        return JQL_OK; /* not indexed: the caller reads the list */
    const jql_kind_index *x;
    int rc = index_get(ds, which, &x);
    if (rc)
        return rc;
    /* the dataset's copy of the kind: none, or another text (a kind not
       in NFC never equals a stored one), and no record has it */
    const char *pooled = jql_q_pooled(ds, kind);
    static const size_t none = 0;
    *out = &none;
    if (pooled == jql_q_no_match() || strcmp(pooled, kind) != 0 || from > to)
        return JQL_OK;
    size_t lo = lower_bound(ds, which, x->idx, x->start[unit], x->start[unit + 1],
                            (kind_key){(uintptr_t)pooled, from, 0});
    size_t hi = lower_bound(ds, which, x->idx, lo, x->start[unit + 1],
                            (kind_key){(uintptr_t)pooled, to, SIZE_MAX});
    *out = x->idx + lo;
    *n = hi - lo;
    return JQL_OK;
}
