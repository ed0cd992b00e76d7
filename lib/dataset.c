/*
 * The dataset object, its global check, and units with their hierarchy.
 *
 * Every add function does its fallible allocations first and registers the
 * id in the hash index last (jql_strmap has no removal), so a failure
 * leaves the dataset exactly as it was.
 */
#include <string.h>

#include "model.h"

jql_dataset *jql_dataset_new(void)
{
    jql_dataset *ds = jql_calloc(1, sizeof *ds);
    if (!ds) {
        jql_fail(JQL_ENOMEM, "out of memory");
        return NULL;
    }
    /* ids and keys made of ids match in NFC (nfc.c) */
    jql_strmap *maps[] = {&ds->unit_ids,        &ds->period_ids,      &ds->indicator_ids,
                          &ds->task_ids,        &ds->shortcoming_ids, &ds->directive_ids,
                          &ds->assessment_keys, &ds->report_keys,
                          &ds->label_keys,      &ds->document_keys,
                          &ds->directive_levels, &ds->interned};
    for (size_t k = 0; k < sizeof maps / sizeof *maps; k++)
        maps[k]->nfc = true;
    /* not stat_range_keys: record indices and day numbers in hex, ASCII */
    atomic_init(&ds->refs, 1);
    atomic_init(&ds->preorder, NULL);
    for (size_t k = 0; k < JQL_KIND_NINDEX; k++)
        atomic_init(&ds->kind_index[k], NULL);
    return ds;
}

static void free_unit(jql_unit_rec *u)
{
    jql_free(u->id);
    jql_free(u->name);
    jql_free(u->level);
    jql_free(u->cluster);
    jql_sizevec_free(&u->children);
    jql_keymap_free(&u->attrs);
}

static void free_strv(char **v, size_t n)
{
    for (size_t k = 0; k < n; k++)
        jql_free(v[k]);
    jql_free(v);
}

static void free_records(jql_dataset *ds)
{
    for (size_t i = 0; i < ds->units.len; i++)
        free_unit(&ds->units.items[i]);
    for (size_t i = 0; i < ds->periods.len; i++) {
        jql_free(ds->periods.items[i].id);
        jql_free(ds->periods.items[i].name);
    }
    for (size_t i = 0; i < ds->indicators.len; i++) {
        jql_indicator_rec *r = &ds->indicators.items[i];
        jql_free(r->id);
        jql_free(r->name);
        jql_free(r->measure_unit);
        jql_free(r->field);
    }
    /* periods, kinds, task fields and criteria: in ds->interned */
    for (size_t i = 0; i < ds->tasks.len; i++) {
        jql_task_rec *t = &ds->tasks.items[i];
        jql_free(t->id);
        jql_free(t->title);
        jql_sizevec_free(&t->owners);
    }
    for (size_t i = 0; i < ds->shortcomings.len; i++) {
        jql_shortcoming_rec *s = &ds->shortcomings.items[i];
        jql_free(s->id);
        jql_free(s->text);
        jql_free(s->field);
        jql_sizevec_free(&s->units);
        for (size_t k = 0; k < s->ncauses; k++) {
            jql_free(s->causes[k].kind);
            jql_free(s->causes[k].text);
        }
        jql_free(s->causes);
    }
    for (size_t i = 0; i < ds->directives.len; i++) {
        jql_directive_rec *d = &ds->directives.items[i];
        jql_free(d->id);
        jql_free(d->text);
        jql_sizevec_free(&d->units);
        free_strv(d->levels, d->nlevels);
        free_strv(d->answers, d->nanswers);
        if (d->answer_set) {
            jql_strmap_free(d->answer_set);
            jql_free(d->answer_set);
        }
    }
    for (size_t i = 0; i < ds->assessments.len; i++) {
        jql_assessment_rec *a = &ds->assessments.items[i];
        jql_free(a->evidence);
    }
    for (size_t i = 0; i < ds->events.len; i++) {
        jql_event_rec *e = &ds->events.items[i];
        jql_free(e->text);
        jql_free(e->evidence);
    }
}

void jql_ds_retain(const jql_dataset *ds)
{
    /* the count is the holders' state, not the dataset's content */
    atomic_fetch_add_explicit(&((jql_dataset *)ds)->refs, 1, memory_order_relaxed);
}

jql_milli jql_ds_stat_value(const jql_dataset *ds, size_t i, size_t mark)
{
    jql_milli v = ds->stats.items[i].value;
    size_t h = i < ds->stat_last_len ? ds->stat_last_change[i] : 0;
    for (; h && h - 1 >= mark; h = ds->stat_changes[h - 1].prev)
        v = ds->stat_changes[h - 1].old;
    return v;
}

static void destroy(jql_dataset *ds);

void jql_ds_release(jql_dataset *ds)
{
    /* acq_rel: the last holder sees every other holder's reads finished */
    if (atomic_fetch_sub_explicit(&ds->refs, 1, memory_order_acq_rel) == 1)
        destroy(ds);
}

void jql_dataset_free(jql_dataset *ds)
{
    if (ds)
        jql_ds_release(ds);
}

static void destroy(jql_dataset *ds)
{
    free_records(ds);
    jql_free(ds->stat_changes);
    jql_free(ds->stat_last_change);
    jql_free(ds->units.items);
    jql_free(ds->periods.items);
    jql_free(ds->indicators.items);
    jql_free(ds->stats.items);
    jql_free(ds->reports.items);
    jql_free(ds->tasks.items);
    jql_free(ds->shortcomings.items);
    jql_free(ds->directives.items);
    jql_free(ds->assessments.items);
    jql_free(ds->events.items);
    jql_strmap *maps[] = {&ds->unit_ids,        &ds->period_ids,    &ds->indicator_ids,
                          &ds->task_ids,        &ds->shortcoming_ids, &ds->directive_ids,
                          &ds->assessment_keys, &ds->report_keys,
                          &ds->stat_range_keys, &ds->directive_levels, &ds->interned,
                          &ds->period_dates};
    for (size_t k = 0; k < sizeof maps / sizeof *maps; k++)
        jql_strmap_free(maps[k]);
    /* by_unit entries exist for every unit (grown with units.len). */
    for (size_t i = 0; i < ds->units.len; i++) {
        jql_unit_index *x = &ds->by_unit[i];
        jql_sizevec_free(&x->stats);
        jql_sizevec_free(&x->reports);
        jql_sizevec_free(&x->tasks);
        jql_sizevec_free(&x->shortcomings);
        jql_sizevec_free(&x->assessments);
        jql_sizevec_free(&x->events);
        jql_sizevec_free(&x->directives);
        jql_date_spans *spans[] = {&x->stats_at,       &x->reports_at, &x->tasks_at,
                                   &x->assessments_at, &x->events_at,  &x->directives_at};
        for (size_t k = 0; k < sizeof spans / sizeof *spans; k++)
            jql_free(spans[k]->items);
    }
    jql_free(ds->by_unit);
    for (size_t i = 0; i < ds->nstat_pairs; i++) {
        jql_sizevec_free(&ds->stat_pairs[i].more);
        jql_stat_pair_index_drop(&ds->stat_pairs[i]);
    }
    jql_free(ds->stat_pairs);
    jql_free(ds->pair_tab);
    jql_free(ds->ind_pairs);
    jql_ds_preorder_drop(ds);
    jql_ds_kind_index_drop(ds, JQL_KIND_NINDEX);
    jql_ds_csv_names_drop(ds, true);
    for (size_t i = 0; i < ds->nlevel_directives; i++) {
        jql_sizevec_free(&ds->level_directives[i]);
        jql_free(ds->level_directives_at[i].items);
    }
    jql_free(ds->level_directives);
    jql_free(ds->level_directives_at);
    jql_meta_free(ds);
    jql_free(ds->name);
    jql_free(ds->description);
    jql_free(ds);
}

const char *jql_dataset_name(const jql_dataset *ds) { return ds ? ds->name : NULL; }

const char *jql_dataset_description(const jql_dataset *ds) { return ds ? ds->description : NULL; }

int jql_dataset_set_name(jql_dataset *ds, const char *name)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = jql_check_text("dataset name", name);
    return rc ? rc : jql_str_replace(&ds->name, name);
}

int jql_dataset_set_description(jql_dataset *ds, const char *text)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = jql_check_text("dataset description", text);
    return rc ? rc : jql_str_replace(&ds->description, text);
}

/* ------------------------------------------------------------------ */
/* Global check                                                        */
/* ------------------------------------------------------------------ */

static void check_records(const jql_dataset *ds, jql_diagnostics *d)
{
    char path[96];
    for (size_t i = 0; i < ds->reports.len; i++) {
        if (ds->reports.items[i].due == JQL_NO_DATE) {
            snprintf(path, sizeof path, "/reports/%zu/due", i);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0, "report has no due date");
        }
    }
    for (size_t i = 0; i < ds->tasks.len; i++) {
        const jql_task_rec *t = &ds->tasks.items[i];
        if (t->owners.len == 0) {
            snprintf(path, sizeof path, "/tasks/%zu/units", i);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0, "task \"%s\" has no owner unit",
                         t->id);
        }
        if (t->due == JQL_NO_DATE) {
            snprintf(path, sizeof path, "/tasks/%zu/due", i);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0, "task \"%s\" has no due date", t->id);
        }
    }
    for (size_t i = 0; i < ds->shortcomings.len; i++) {
        const jql_shortcoming_rec *s = &ds->shortcomings.items[i];
        if (s->resolved && s->resolved_range.end < s->range.start) {
            snprintf(path, sizeof path, "/shortcomings/%zu/resolved", i);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0,
                         "resolved in period \"%s\", which ends before period \"%s\" in which "
                         "it was found",
                         s->resolved, s->period);
        }
    }
    for (size_t i = 0; i < ds->directives.len; i++) {
        const jql_directive_rec *r = &ds->directives.items[i];
        if (r->units.len == 0 && r->nlevels == 0) {
            snprintf(path, sizeof path, "/directives/%zu/addressees", i);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0,
                         "directive \"%s\" has no addressee (units or levels)", r->id);
        }
        for (size_t k = 0; k < r->nanswers; k++) {
            if (jql_strmap_get(&ds->shortcoming_ids, r->answers[k], NULL) == JQL_OK ||
                jql_strmap_get(&ds->task_ids, r->answers[k], NULL) == JQL_OK)
                continue;
            snprintf(path, sizeof path, "/directives/%zu/answers/%zu", i, k);
            jql_diag_add(d, JQL_SEVERITY_ERROR, path, 0, 0, "unknown shortcoming or task \"%s\"",
                         r->answers[k]);
        }
    }
}

int jql_dataset_check(const jql_dataset *ds, jql_diagnostics **diag)
{
    if (diag)
        *diag = NULL;
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    jql_diagnostics *d = jql_diag_new("<memory>");
    if (!d)
        return jql_fail(JQL_ENOMEM, "out of memory");
    check_records(ds, d);
    jql_diag_finish(d);
    size_t errors = jql_diagnostics_error_count(d);
    if (jql_diag_oom(d)) {
        jql_diagnostics_free(d);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    if (errors == 0) {
        jql_diagnostics_free(d);
        return JQL_OK;
    }
    int rc = jql_fail(JQL_EINVALID, "%s%s", jql_diagnostics_message(d, 0),
                      errors > 1 ? " (and more problems)" : "");
    if (diag)
        *diag = d;
    else
        jql_diagnostics_free(d);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Units                                                               */
/* ------------------------------------------------------------------ */

#define UNIT(ds, i) (&(ds)->units.items[i])
#define HAS_UNIT(ds, i) ((ds) && (i) < (ds)->units.len)

void jql_ds_csv_names_drop(jql_dataset *ds, bool indicators)
{
    jql_strmap **maps[2] = {&ds->csv_unit_names, &ds->csv_indicator_names};
    for (int k = 0; k < (indicators ? 2 : 1); k++)
        if (*maps[k]) {
            jql_strmap_free(*maps[k]);
            jql_free(*maps[k]);
            *maps[k] = NULL;
        }
    ds->csv_units = 0;
    if (indicators)
        ds->csv_indicators = 0;
}

void jql_ds_kind_index_drop(jql_dataset *ds, jql_kind_records which)
{
    /* edits have the dataset to themselves: an add pays one plain load */
    for (size_t k = 0; k < JQL_KIND_NINDEX; k++)
        if ((which == JQL_KIND_NINDEX || which == (jql_kind_records)k) &&
            atomic_load_explicit(&ds->kind_index[k], memory_order_relaxed))
            jql_kind_index_free(atomic_exchange(&ds->kind_index[k], NULL));
}

void jql_ds_preorder_drop(jql_dataset *ds)
{
    jql_unit_preorder *p = atomic_exchange(&ds->preorder, NULL);
    if (p) {
        jql_free(p->order);
        jql_free(p->pos);
        jql_free(p->size);
        jql_free(p);
    }
}

int jql_ds_grow_unit_index(jql_dataset *ds)
{
    size_t n = ds->units.len;
    if (jql_vec_grow((void **)&ds->by_unit, &ds->by_unit_cap, n, sizeof *ds->by_unit))
        return JQL_ENOMEM;
    memset(&ds->by_unit[n - 1], 0, sizeof *ds->by_unit);
    return JQL_OK;
}

size_t jql_unit_count(const jql_dataset *ds) { return ds ? ds->units.len : 0; }

int jql_unit_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds || !id || jql_strmap_get(&ds->unit_ids, id, index) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown unit \"%s\"", id ? id : "");
    return JQL_OK;
}

const char *jql_unit_id(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->id : NULL;
}

const char *jql_unit_name(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->name : NULL;
}

const char *jql_unit_level(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->level : NULL;
}

const char *jql_unit_cluster(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->cluster : NULL;
}

size_t jql_unit_parent(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->parent : JQL_NONE;
}

size_t jql_unit_child_count(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? UNIT(ds, i)->children.len : 0;
}

size_t jql_unit_child(const jql_dataset *ds, size_t i, size_t k)
{
    if (!HAS_UNIT(ds, i) || k >= UNIT(ds, i)->children.len)
        return JQL_NONE;
    return UNIT(ds, i)->children.items[k];
}

size_t jql_unit_depth(const jql_dataset *ds, size_t i)
{
    size_t depth = 0;
    if (!HAS_UNIT(ds, i))
        return 0;
    for (size_t p = UNIT(ds, i)->parent; p != JQL_NONE; p = UNIT(ds, p)->parent)
        depth++;
    return depth;
}

bool jql_unit_is_within(const jql_dataset *ds, size_t i, size_t ancestor)
{
    if (!HAS_UNIT(ds, i) || !HAS_UNIT(ds, ancestor))
        return false;
    for (size_t u = i; u != JQL_NONE; u = UNIT(ds, u)->parent)
        if (u == ancestor)
            return true;
    return false;
}

/* Position of child c in p's children (linear; only used when the
   position stack below could not grow). */
static size_t child_pos(const jql_dataset *ds, size_t p, size_t c)
{
    const jql_sizevec *ch = &UNIT(ds, p)->children;
    for (size_t k = 0; k < ch->len; k++)
        if (ch->items[k] == c)
            return k;
    return ch->len;
}

/*
 * Pre-order walk without recursion: the child position at each level is
 * remembered, on the C stack for the first 64 levels, then in a heap
 * array that doubles as needed. Should that allocation fail, deeper levels
 * look their position up (the answer stays right, only slower): this
 * function cannot report an error. Looking positions up always would be
 * quadratic in the children of a deep unit.
 */
size_t jql_unit_descendants(const jql_dataset *ds, size_t i, size_t *out, size_t cap)
{
    enum { STACK = 64 };
    size_t local[STACK], *pos = local, npos = STACK;
    size_t count = 0, depth = 0, cur = i;
    if (!HAS_UNIT(ds, i))
        return 0;
    for (;;) {
        const jql_sizevec *ch = &UNIT(ds, cur)->children;
        if (ch->len > 0) {
            cur = ch->items[0];
            if (depth == npos && npos <= SIZE_MAX / 2 / sizeof *pos) {
                size_t *grown = jql_malloc(2 * npos * sizeof *pos);
                if (grown) {
                    memcpy(grown, pos, npos * sizeof *pos);
                    if (pos != local)
                        jql_free(pos);
                    pos = grown;
                    npos *= 2;
                }
            }
            if (depth < npos)
                pos[depth] = 0;
            depth++;
        } else {
            /* Climb until a node has a next sibling. */
            for (;;) {
                if (depth == 0) {
                    if (pos != local)
                        jql_free(pos);
                    return count;
                }
                size_t p = UNIT(ds, cur)->parent;
                size_t k = depth - 1 < npos ? pos[depth - 1] : child_pos(ds, p, cur);
                const jql_sizevec *sib = &UNIT(ds, p)->children;
                if (k + 1 < sib->len) {
                    cur = sib->items[k + 1];
                    if (depth - 1 < npos)
                        pos[depth - 1] = k + 1;
                    break;
                }
                cur = p;
                depth--;
            }
        }
        if (out && count < cap)
            out[count] = cur;
        count++;
    }
}

size_t jql_unit_attr_count(const jql_dataset *ds, size_t i)
{
    return HAS_UNIT(ds, i) ? jql_keymap_count(&UNIT(ds, i)->attrs) : 0;
}

const char *jql_unit_attr_key(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = HAS_UNIT(ds, i) ? jql_keymap_at(&UNIT(ds, i)->attrs, k) : NULL;
    return a ? a->key : NULL;
}

const char *jql_unit_attr_value(const jql_dataset *ds, size_t i, size_t k)
{
    const jql_attr *a = HAS_UNIT(ds, i) ? jql_keymap_at(&UNIT(ds, i)->attrs, k) : NULL;
    return a ? a->value : NULL;
}

const char *jql_unit_attr_lookup(const jql_dataset *ds, size_t i, const char *key)
{
    if (!HAS_UNIT(ds, i) || !key)
        return NULL;
    char buf[512], *heap; /* keys are kept in NFC */
    const char *v = jql_keymap_get(&UNIT(ds, i)->attrs, jql_nfc_key(key, buf, sizeof buf, &heap));
    jql_free(heap);
    return v;
}

static int need_text(const char *what, const char *s)
{
    if (!s)
        return jql_fail(JQL_EINVALID, "%s is required", what);
    return jql_check_text(what, s);
}

/* A short free name (level, cluster): non-empty text. */
static int need_name(const char *what, const char *s)
{
    if (!s || !*s)
        return jql_fail(JQL_EINVALID, "%s must be a non-empty string", what);
    return jql_check_text(what, s);
}

static int find_parent(const jql_dataset *ds, const char *parent_id, size_t *parent)
{
    *parent = JQL_NONE;
    if (!parent_id)
        return JQL_OK;
    if (jql_strmap_get(&ds->unit_ids, parent_id, parent) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown unit \"%s\"", parent_id);
    return JQL_OK;
}

int jql_unit_add(jql_dataset *ds, const char *id, const char *name, const char *level,
                 const char *parent_id, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    int rc = jql_check_id("unit", id);
    if (rc || (rc = need_text("unit name", name)) || (rc = need_name("unit level", level)))
        return rc;
    if (jql_strmap_get(&ds->unit_ids, id, NULL) == JQL_OK)
        return jql_fail(JQL_EEXISTS, "id \"%s\" already used by another unit", id);
    size_t parent;
    if ((rc = find_parent(ds, parent_id, &parent)))
        return rc;
    if (ds->units.len >= jql_ds_max_records(ds))
        return jql_fail(JQL_ELIMIT, "more than %zu units", jql_ds_max_records(ds));
    if (JQL_VEC_RESERVE1(ds->units))
        return jql_fail(JQL_ENOMEM, "out of memory");
    size_t n = ds->units.len;
    jql_unit_rec u = {0};
    u.parent = parent;
    u.id = jql_strdup_nfc(id);
    u.name = jql_strdup(name);
    u.level = jql_strdup_nfc(level);
    if (!u.id || !u.name || !u.level)
        goto oom;
    ds->units.items[n] = u;
    ds->units.len++;
    if (jql_ds_grow_unit_index(ds))
        goto oom_pop;
    if (parent != JQL_NONE && jql_sizevec_push(&UNIT(ds, parent)->children, n))
        goto oom_pop;
    if (jql_strmap_put(&ds->unit_ids, id, n)) {
        if (parent != JQL_NONE)
            UNIT(ds, parent)->children.len--;
        goto oom_pop;
    }
    jql_ds_preorder_drop(ds); /* a new unit in the pre-order */
    jql_ds_kind_index_drop(ds, JQL_KIND_NINDEX); /* and in the indexes by kind */
    if (index)
        *index = n;
    return JQL_OK;
oom_pop:
    ds->units.len--;
oom:
    free_unit(&u);
    return jql_fail(JQL_ENOMEM, "out of memory");
}

int jql_unit_set_name(jql_dataset *ds, size_t i, const char *name)
{
    if (!HAS_UNIT(ds, i))
        return jql_fail(JQL_ENOTFOUND, "no unit %zu", i);
    int rc = need_text("unit name", name);
    if (rc == JQL_OK && (rc = jql_str_replace(&UNIT(ds, i)->name, name)) == JQL_OK)
        jql_ds_csv_names_drop(ds, false); /* its folded name changed */
    return rc;
}

int jql_unit_set_level(jql_dataset *ds, size_t i, const char *level)
{
    if (!HAS_UNIT(ds, i))
        return jql_fail(JQL_ENOTFOUND, "no unit %zu", i);
    int rc = need_name("unit level", level);
    return rc ? rc : jql_str_replace_nfc(&UNIT(ds, i)->level, level);
}

int jql_unit_set_cluster(jql_dataset *ds, size_t i, const char *cluster)
{
    if (!HAS_UNIT(ds, i))
        return jql_fail(JQL_ENOTFOUND, "no unit %zu", i);
    int rc = cluster ? need_name("unit cluster", cluster) : JQL_OK;
    return rc ? rc : jql_str_replace_nfc(&UNIT(ds, i)->cluster, cluster);
}

/*
 * Would making `parent` the parent of unit i close a cycle, i.e. is i the
 * parent or one of its ancestors? Walks up from the parent and, in
 * lockstep, through i's subtree (depth first, one child per step),
 * stopping at whichever ends first: O(min(depth of parent, size of i's
 * subtree)). Linking the units of a document one by one then costs
 * O(n log n) in any order, where walking up alone is quadratic for a long
 * chain listed from its root. JQL_OK with *cycle set, or JQL_ENOMEM.
 */
static int would_cycle(const jql_dataset *ds, size_t i, size_t parent, bool *cycle)
{
    *cycle = parent == i;
    if (*cycle || UNIT(ds, i)->children.len == 0)
        return JQL_OK;
    jql_sizevec stack = {0}; /* pairs: unit, position of its next child */
    int rc = jql_sizevec_push(&stack, i) || jql_sizevec_push(&stack, 0) ? JQL_ENOMEM : JQL_OK;
    for (size_t up = parent; rc == JQL_OK; up = UNIT(ds, up)->parent) {
        if (up == JQL_NONE || stack.len == 0)
            break; /* reached a root, or i's subtree has no more units */
        if (up == i) {
            *cycle = true;
            break;
        }
        size_t *top = &stack.items[stack.len - 2];
        const jql_sizevec *ch = &UNIT(ds, top[0])->children;
        if (top[1] == ch->len) {
            stack.len -= 2;
            continue;
        }
        size_t next = ch->items[top[1]++];
        if (next == parent) {
            *cycle = true;
            break;
        }
        if (jql_sizevec_push(&stack, next) || jql_sizevec_push(&stack, 0))
            rc = JQL_ENOMEM;
    }
    jql_sizevec_free(&stack);
    return rc;
}

int jql_unit_set_parent(jql_dataset *ds, size_t i, const char *parent_id)
{
    if (!HAS_UNIT(ds, i))
        return jql_fail(JQL_ENOTFOUND, "no unit %zu", i);
    size_t parent;
    int rc = find_parent(ds, parent_id, &parent);
    if (rc)
        return rc;
    jql_unit_rec *u = UNIT(ds, i);
    if (parent == u->parent)
        return JQL_OK;
    bool cycle = false;
    if (parent != JQL_NONE && would_cycle(ds, i, parent, &cycle))
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (cycle)
        return jql_fail(JQL_EINVALID, "parent \"%s\" would make a cycle through unit \"%s\"",
                        parent_id, u->id);
    if (parent != JQL_NONE && jql_sizevec_push(&UNIT(ds, parent)->children, i))
        return jql_fail(JQL_ENOMEM, "out of memory");
    if (u->parent != JQL_NONE) {
        jql_sizevec *ch = &UNIT(ds, u->parent)->children;
        size_t k = child_pos(ds, u->parent, i);
        memmove(&ch->items[k], &ch->items[k + 1], (ch->len - k - 1) * sizeof *ch->items);
        ch->len--;
    }
    u->parent = parent;
    jql_ds_preorder_drop(ds); /* its subtree moved in the pre-order */
    return JQL_OK;
}

static int unit_set_attr(jql_dataset *ds, size_t i, const char *key, const char *value);

/* The key in NFC first: it is searched and stored in NFC (nfc.c). */
int jql_unit_set_attr(jql_dataset *ds, size_t i, const char *key, const char *value)
{
    char buf[512], *heap = NULL;
    int rc = unit_set_attr(ds, i, key ? jql_nfc_key(key, buf, sizeof buf, &heap) : NULL, value);
    jql_free(heap);
    return rc;
}

static int unit_set_attr(jql_dataset *ds, size_t i, const char *key, const char *value)
{
    if (!HAS_UNIT(ds, i))
        return jql_fail(JQL_ENOTFOUND, "no unit %zu", i);
    int rc = need_name("attribute key", key); /* the JSON form refuses "" */
    if (rc || (rc = jql_check_text("attribute value", value)))
        return rc;
    return jql_keymap_set(&UNIT(ds, i)->attrs, key, value, true);
}
