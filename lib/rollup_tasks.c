/*
 * Roll-ups of tasks owned by several units, and of directives addressed by
 * id to several units, counted once per subtree without walking it
 * (score_rollup.c). A subtree's summary is its units' own summed bottom-up,
 * which counts such a record once per owner in it; the subtrees holding
 * one were walked instead, each unit's whole subtree collected and sorted:
 * on a chain of 5,000 units with 50,000 tasks of two owners (a 6 MB
 * dataset) one roll-up leaf took 21 s, and as long with directives.
 *
 * The subtrees of a forest are intervals of its pre-order, so for a record
 * whose units sorted by pre-order position are o1 < ... < om, taking its
 * counts off once at the lowest common ancestor of every consecutive pair
 * (o_i, o_i+1) leaves each subtree holding k >= 1 of them with
 * k - (k - 1) = 1 of it: a pair inside the subtree has its ancestor inside,
 * a pair with one unit outside has it above the subtree, a pair with both
 * outside has it outside too. The ancestors are found by binary lifting.
 * Only the counts: the evidence (the records themselves) is listed from
 * score_rollup_ev.c's index, keyed by the same common ancestors.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "query.h"
#include "score_rollup.h"

/* The counts a task adds (due, completed, completed late, overdue) when it
   is due in r, known as of r's date and of the field; false otherwise. As
   score_rollup.c's own_tasks() counts it. */
static bool task_counts(const jql_task_rec *t, jql_range r, const char *field, int64_t w[4])
{
    if (!jql_date_within(t->due, r) || jql_q_after_as_of(t->due, r))
        return false;
    if (field && (!t->field || t->field[0] != field[0] || strcmp(field, t->field) != 0))
        return false;
    w[0] = 1;
    w[1] = w[2] = w[3] = 0;
    if (t->status == JQL_TASK_DONE && !jql_q_after_as_of(t->completed, r)) {
        w[1] = 1;
        w[2] = t->completed != JQL_NO_DATE && t->completed > t->due;
    } else {
        w[3] = 1;
    }
    return true;
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

size_t jql_lca(const jql_lifting *l, size_t a, size_t b)
{
    if (l->depth[a] < l->depth[b]) {
        size_t t = a;
        a = b;
        b = t;
    }
    for (size_t j = 0, d = l->depth[a] - l->depth[b]; d; j++, d >>= 1)
        if (d & 1)
            a = l->up[j * l->n + a];
    if (a == b)
        return a;
    for (size_t j = l->levels; j-- > 0;)
        if (l->up[j * l->n + a] != l->up[j * l->n + b]) {
            a = l->up[j * l->n + a];
            b = l->up[j * l->n + b];
        }
    /* children of their ancestor, or two roots (two trees: none) */
    return l->ds->units.items[a].parent;
}

int jql_lifting_make(const jql_dataset *ds, const size_t *pre, jql_lifting *l)
{
    size_t n = ds->units.len, deepest = 0;
    *l = (jql_lifting){.ds = ds, .n = n, .levels = 1};
    l->depth = jql_malloc((n ? n : 1) * sizeof *l->depth);
    if (!l->depth)
        return JQL_ENOMEM;
    for (size_t k = 0; k < n; k++) {
        size_t u = pre[k], p = ds->units.items[u].parent;
        l->depth[u] = p == JQL_NONE ? 0 : l->depth[p] + 1; /* parents come first */
        deepest = l->depth[u] > deepest ? l->depth[u] : deepest;
    }
    while (l->levels < 8 * sizeof(size_t) && (deepest >> l->levels))
        l->levels++;
    l->up = n && l->levels <= SIZE_MAX / n / sizeof *l->up
                ? jql_malloc(l->levels * n * sizeof *l->up)
                : NULL;
    if (!l->up) {
        jql_lifting_free(l);
        return n ? JQL_ENOMEM : JQL_OK;
    }
    for (size_t u = 0; u < n; u++) {
        size_t p = ds->units.items[u].parent;
        l->up[u] = p == JQL_NONE ? u : p;
    }
    for (size_t j = 1; j < l->levels; j++)
        for (size_t u = 0; u < n; u++)
            l->up[j * n + u] = l->up[(j - 1) * n + l->up[(j - 1) * n + u]];
    return JQL_OK;
}

void jql_lifting_free(jql_lifting *l)
{
    jql_free(l->depth);
    jql_free(l->up);
    l->depth = l->up = NULL;
}

/* Record i's units (a task's owners; a directive's addressees by id, when
   it is addressed to no level) when there are several and it counts, with
   its counts in w (a directive: due, completed). */
static const jql_sizevec *shared_record(const jql_dataset *ds, bool tasks, size_t i, jql_range r,
                                        const char *field, int64_t w[4])
{
    if (tasks) {
        const jql_task_rec *t = &ds->tasks.items[i];
        return t->owners.len > 1 && task_counts(t, r, field, w) ? &t->owners : NULL;
    }
    const jql_directive_rec *d = &ds->directives.items[i];
    bool done;
    if (d->units.len < 2 || d->nlevels || !jql_q_directive_due(ds, i, r, &done))
        return NULL;
    w[0] = 1;
    w[1] = done;
    w[2] = w[3] = 0;
    return &d->units;
}

static int record_dups(const jql_dataset *ds, bool tasks, const size_t *pre, jql_range r,
                       const char *field, int64_t (**out)[4])
{
    *out = NULL;
    size_t n = ds->units.len, most = 0, nrec = tasks ? ds->tasks.len : ds->directives.len;
    bool any = false;
    for (size_t i = 0; i < nrec; i++) {
        int64_t w[4];
        const jql_sizevec *units = shared_record(ds, tasks, i, r, field, w);
        if (units) {
            any = true;
            most = units->len > most ? units->len : most;
        }
    }
    if (!any)
        return JQL_OK;
    jql_lifting l = {0};
    size_t *pos = jql_malloc(n * sizeof *pos), *owners = jql_malloc(most * sizeof *owners);
    int64_t(*dup)[4] = jql_calloc(n, sizeof *dup);
    int rc = pos && owners && dup ? jql_lifting_make(ds, pre, &l) : JQL_ENOMEM;
    if (rc == JQL_OK) {
        for (size_t k = 0; k < n; k++)
            pos[pre[k]] = k;
        for (size_t i = 0; i < nrec; i++) {
            int64_t w[4];
            const jql_sizevec *units = shared_record(ds, tasks, i, r, field, w);
            if (!units)
                continue;
            for (size_t k = 0; k < units->len; k++)
                owners[k] = pos[units->items[k]];
            qsort(owners, units->len, sizeof *owners, cmp_size);
            for (size_t k = 1; k < units->len; k++) {
                size_t a = jql_lca(&l, pre[owners[k - 1]], pre[owners[k]]);
                if (a != JQL_NONE)
                    for (int c = 0; c < 4; c++)
                        dup[a][c] -= w[c];
            }
        }
        for (size_t k = n; k-- > 0;) { /* children before parents: each subtree's */
            size_t u = pre[k], p = ds->units.items[u].parent;
            if (p != JQL_NONE)
                for (int c = 0; c < 4; c++)
                    dup[p][c] += dup[u][c];
        }
        *out = dup;
        dup = NULL;
    }
    jql_free(pos);
    jql_free(owners);
    jql_free(dup);
    jql_lifting_free(&l);
    return rc == JQL_OK ? JQL_OK : jql_fail(rc, "out of memory");
}

int jql_rollup_task_dups(const jql_dataset *ds, const size_t *pre, jql_range r, const char *field,
                         int64_t (**out)[4])
{
    return record_dups(ds, true, pre, r, field, out);
}

int jql_rollup_directive_dups(const jql_dataset *ds, const size_t *pre, jql_range r,
                              int64_t (**out)[4])
{
    return record_dups(ds, false, pre, r, NULL, out);
}
