/*
 * Criteria sets: freeing, accessors, custom callbacks and the check of a
 * set against a dataset. Loading is in criteria_load.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "criteria.h"

/* ---- freeing ---- */

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        jql_free(v[i]);
    jql_free(v);
}

static void measure_free(jql_measure *m)
{
    jql_free(m->report_kind);
    jql_free(m->field);
    jql_free(m->indicator);
    jql_free(m->denominator);
    jql_free(m->event_kind);
}

static void method_free(jql_method *m)
{
    jql_free(m->bands);
    jql_free(m->custom);
}

static void item_free(jql_item *it)
{
    jql_free(it->id);
    jql_free(it->title);
    jql_free(it->event_kind);
    measure_free(&it->measure);
    method_free(&it->method);
}

void jql_criteria_free(jql_criteria *c)
{
    if (!c)
        return;
    jql_free(c->id);
    jql_free(c->name);
    jql_free(c->description);
    jql_free(c->source);
    jql_free(c->period);
    free_strv(c->unit_levels, c->nunit_levels);
    free_strv(c->unit_ids, c->nunit_ids);
    for (size_t i = 0; i < c->nnodes; i++) {
        jql_node *n = &c->nodes[i];
        jql_free(n->id);
        jql_free(n->title);
        jql_free(n->note);
        jql_sizevec_free(&n->children);
        measure_free(&n->measure);
        method_free(&n->method);
        free_strv(n->na_rule.levels, n->na_rule.nlevels);
        jql_free(n->na_rule.attr_key);
        free_strv(n->na_rule.attr_values, n->na_rule.nattr_values);
    }
    jql_free(c->nodes);
    jql_sizevec_free(&c->roots);
    jql_strmap_free(&c->node_ids);
    for (size_t i = 0; i < c->nbonus; i++)
        item_free(&c->bonus[i]);
    jql_free(c->bonus);
    for (size_t i = 0; i < c->ndeductions; i++)
        item_free(&c->deductions[i]);
    jql_free(c->deductions);
    for (size_t i = 0; i < c->ntiers; i++) {
        jql_free(c->tiers[i].id);
        jql_free(c->tiers[i].name);
    }
    jql_free(c->tiers);
    for (size_t i = 0; i < c->nvetoes; i++) {
        jql_free(c->vetoes[i].id);
        jql_free(c->vetoes[i].reason);
        jql_free(c->vetoes[i].event_kind);
        measure_free(&c->vetoes[i].measure);
    }
    jql_free(c->vetoes);
    for (size_t i = 0; i < c->nquotas; i++)
        jql_sizevec_free(&c->quotas[i].of);
    jql_free(c->quotas);
    for (size_t i = 0; i < c->ntiebreaks; i++)
        measure_free(&c->tiebreaks[i].measure);
    jql_free(c->tiebreaks);
    free_strv(c->clusters, c->nclusters);
    for (size_t i = 0; i < c->ncustoms; i++) {
        if (c->customs[i].free_user)
            c->customs[i].free_user(c->customs[i].user);
        jql_free(c->customs[i].name);
    }
    jql_free(c->customs);
    jql_free(c);
}

/* ---- accessors ---- */

const char *jql_criteria_id(const jql_criteria *c) { return c ? c->id : NULL; }
const char *jql_criteria_name(const jql_criteria *c) { return c ? c->name : NULL; }
const char *jql_criteria_period(const jql_criteria *c) { return c ? c->period : NULL; }
jql_milli jql_criteria_scale(const jql_criteria *c) { return c ? c->scale : 0; }
size_t jql_criteria_node_count(const jql_criteria *c) { return c ? c->nnodes : 0; }

#define NODE(c, i) ((c) && (i) < (c)->nnodes ? &(c)->nodes[i] : NULL)

const char *jql_criteria_node_id(const jql_criteria *c, size_t i)
{
    const jql_node *n = NODE(c, i);
    return n ? n->id : NULL;
}

const char *jql_criteria_node_title(const jql_criteria *c, size_t i)
{
    const jql_node *n = NODE(c, i);
    return n ? n->title : NULL;
}

jql_milli jql_criteria_node_max(const jql_criteria *c, size_t i)
{
    const jql_node *n = NODE(c, i);
    return n ? n->max : 0;
}

size_t jql_criteria_node_parent(const jql_criteria *c, size_t i)
{
    const jql_node *n = NODE(c, i);
    return n ? n->parent : JQL_NONE;
}

bool jql_criteria_node_is_leaf(const jql_criteria *c, size_t i)
{
    const jql_node *n = NODE(c, i);
    return n && n->is_leaf;
}

size_t jql_criteria_tier_count(const jql_criteria *c) { return c ? c->ntiers : 0; }

const char *jql_criteria_tier_id(const jql_criteria *c, size_t i)
{
    return c && i < c->ntiers ? c->tiers[i].id : NULL;
}

const char *jql_criteria_tier_name(const jql_criteria *c, size_t i)
{
    return c && i < c->ntiers ? c->tiers[i].name : NULL;
}

jql_milli jql_criteria_tier_min(const jql_criteria *c, size_t i)
{
    return c && i < c->ntiers ? c->tiers[i].min : 0;
}

int jql_criteria_node_index(const jql_criteria *c, const char *id, size_t *index)
{
    if (c && id && jql_strmap_get(&c->node_ids, id, index) == JQL_OK)
        return JQL_OK;
    return jql_fail(JQL_ENOTFOUND, "unknown criterion \"%s\"", id ? id : "");
}

/* ---- look-ups by id (ids compared in NFC, as the loader stores them) ---- */

int jql_criteria_node_find(const jql_criteria *c, const char *id, size_t *index)
{
    if (!c || !id || !index)
        return jql_fail(JQL_EINVALID, "jql_criteria_node_find: NULL argument");
    return jql_criteria_node_index(c, id, index);
}

/* Index of `id` among n records of `size` bytes whose first member is the id. */
static int find_id(const void *items, size_t n, size_t size, const char *what, const char *id,
                   size_t *index)
{
    char buf[256], *heap = NULL;
    const char *key = jql_nfc_key(id, buf, sizeof buf, &heap);
    size_t i = 0;
    while (i < n && strcmp(*(char *const *)((const char *)items + i * size), key) != 0)
        i++;
    jql_free(heap);
    if (i == n)
        return jql_fail(JQL_ENOTFOUND, "unknown %s \"%s\"", what, id);
    *index = i;
    return JQL_OK;
}

int jql_criteria_tier_find(const jql_criteria *c, const char *id, size_t *index)
{
    if (!c || !id || !index)
        return jql_fail(JQL_EINVALID, "jql_criteria_tier_find: NULL argument");
    return find_id(c->tiers, c->ntiers, sizeof *c->tiers, "tier", id, index);
}

size_t jql_criteria_veto_count(const jql_criteria *c)
{
    return c ? c->nvetoes : 0;
}

const char *jql_criteria_veto_id(const jql_criteria *c, size_t i)
{
    return c && i < c->nvetoes ? c->vetoes[i].id : NULL;
}

const char *jql_criteria_veto_reason(const jql_criteria *c, size_t i)
{
    return c && i < c->nvetoes ? c->vetoes[i].reason : NULL;
}

size_t jql_criteria_veto_cap(const jql_criteria *c, size_t i)
{
    return c && i < c->nvetoes ? c->vetoes[i].cap_tier : JQL_NONE;
}

int jql_criteria_veto_find(const jql_criteria *c, const char *id, size_t *index)
{
    if (!c || !id || !index)
        return jql_fail(JQL_EINVALID, "jql_criteria_veto_find: NULL argument");
    return find_id(c->vetoes, c->nvetoes, sizeof *c->vetoes, "veto", id, index);
}

/* ---- custom callbacks ---- */

jql_custom_reg *jql_criteria_custom_find(const jql_criteria *c, const char *name)
{
    for (size_t i = 0; c && name && i < c->ncustoms; i++)
        if (strcmp(c->customs[i].name, name) == 0)
            return &c->customs[i];
    return NULL;
}

int jql_criteria_custom_register(jql_criteria *c, const char *name, jql_custom_fn fn,
                                 void *user, void (*free_user)(void *))
{
    if (!c || !name || !fn)
        return jql_fail(JQL_EINVALID, "jql_criteria_custom_register: NULL argument");
    if (jql_check_id("custom function name", name))
        return JQL_EINVALID;
    jql_custom_reg *r = jql_criteria_custom_find(c, name);
    if (r) {
        /* Re-registering the same user data must not free it under the caller. */
        if (r->free_user && r->user != user)
            r->free_user(r->user);
        r->fn = fn;
        r->user = user;
        r->free_user = free_user;
        return JQL_OK;
    }
    if (jql_vec_grow((void **)&c->customs, &c->customs_cap, c->ncustoms + 1,
                     sizeof *c->customs))
        return jql_fail(JQL_ENOMEM, "out of memory");
    char *copy = jql_strdup(name);
    if (!copy)
        return jql_fail(JQL_ENOMEM, "out of memory");
    c->customs[c->ncustoms++] = (jql_custom_reg){copy, fn, user, free_user};
    return JQL_OK;
}

/* ---- check against a dataset ---- */

typedef struct {
    const jql_criteria *c;
    const jql_dataset *ds;
    jql_diagnostics *d;
    jql_strmap report_kinds, event_kinds; /* kinds seen in the dataset */
    jql_strmap clusters, levels;          /* the set's clusters and scored levels */
    jql_buf path;
    size_t errors;
    bool oom;
} check_ctx;

/* Report at the path built in k->path (the criteria document). */
static void say(check_ctx *k, jql_severity sev, const char *fmt, ...) JQL_PRINTF(3, 4);
static void say(check_ctx *k, jql_severity sev, const char *fmt, ...)
{
    if (k->path.failed) {
        k->oom = true;
        return;
    }
    if (sev == JQL_SEVERITY_ERROR)
        k->errors++;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    jql_diag_add(k->d, sev, k->path.data ? k->path.data : "", 0, 0, "%s", msg);
}

static void path_set(check_ctx *k, size_t len, const char *suffix)
{
    if (k->path.failed)
        return;
    k->path.len = len;
    if (k->path.data)
        k->path.data[len] = '\0';
    jql_buf_puts(&k->path, suffix);
}

/* Append the JSON Pointer of node i ("/criteria/0/children/2"). Recursion
   is bounded by the tree's depth, which JQL_MAX_DEPTH bounds. */
static void node_path(const jql_criteria *c, size_t i, jql_buf *b)
{
    const jql_node *n = &c->nodes[i];
    if (n->parent == JQL_NONE) {
        jql_buf_printf(b, "/criteria/%zu", n->pos);
    } else {
        node_path(c, n->parent, b);
        jql_buf_printf(b, "/children/%zu", n->pos);
    }
}

static void check_event_kind(check_ctx *k, size_t base, const char *suffix, const char *kind)
{
    if (!kind || jql_strmap_get(&k->event_kinds, kind, NULL) == JQL_OK)
        return;
    path_set(k, base, suffix);
    say(k, JQL_SEVERITY_WARNING, "no event of kind \"%s\" in the dataset", kind);
}

/* A measure at path k->path[0..base) + "/measure". */
static void check_measure(check_ctx *k, size_t base, const jql_measure *m)
{
    if (m->kind == JQL_M_NONE)
        return;
    const char *ind[2] = {m->indicator, m->denominator};
    const char *key[2] = {"/measure/indicator", "/measure/denominator"};
    for (int j = 0; j < 2; j++) {
        if (ind[j] && jql_strmap_get(&k->ds->indicator_ids, ind[j], NULL) != JQL_OK) {
            path_set(k, base, key[j]);
            say(k, JQL_SEVERITY_ERROR, "unknown indicator \"%s\"", ind[j]);
        }
    }
    if (m->report_kind && jql_strmap_get(&k->report_kinds, m->report_kind, NULL) != JQL_OK) {
        path_set(k, base, "/measure/report_kind");
        say(k, JQL_SEVERITY_WARNING, "no report of kind \"%s\" in the dataset",
            m->report_kind);
    }
    check_event_kind(k, base, "/measure/event_kind", m->event_kind);
}

static void check_custom(check_ctx *k, size_t base, const char *name)
{
    if (jql_criteria_custom_find(k->c, name))
        return;
    path_set(k, base, "/method/function");
    say(k, JQL_SEVERITY_ERROR, "custom function \"%s\" is not registered", name);
}

static void check_items(check_ctx *k, const jql_item *items, size_t n, const char *prefix)
{
    for (size_t i = 0; i < n; i++) {
        path_set(k, 0, prefix);
        jql_buf_printf(&k->path, "/%zu", i);
        size_t base = k->path.len;
        if (items[i].kind == JQL_ITEM_EVENTS)
            check_event_kind(k, base, "/event_kind", items[i].event_kind);
        else if (items[i].kind == JQL_ITEM_COMPUTED)
            check_measure(k, base, &items[i].measure);
    }
}

static void check_unit_cluster(check_ctx *k, size_t u)
{
    const jql_unit_rec *unit = &k->ds->units.items[u];
    if (!k->c->nclusters || !unit->cluster ||
        jql_strmap_get(&k->clusters, unit->cluster, NULL) == JQL_OK)
        return;
    path_set(k, 0, "/clusters");
    say(k, JQL_SEVERITY_ERROR, "scored unit \"%s\" is in cluster \"%s\", which is not declared",
        unit->id, unit->cluster);
}

static void check_units(check_ctx *k)
{
    const jql_criteria *c = k->c;
    const jql_dataset *ds = k->ds;
    for (size_t i = 0; i < c->nunit_ids; i++) {
        size_t u;
        if (jql_strmap_get(&ds->unit_ids, c->unit_ids[i], &u) == JQL_OK) {
            check_unit_cluster(k, u);
            continue;
        }
        path_set(k, 0, "/units/ids");
        jql_buf_printf(&k->path, "/%zu", i);
        say(k, JQL_SEVERITY_ERROR, "unknown unit \"%s\"", c->unit_ids[i]);
    }
    /* one pass over the units, whatever the number of levels listed */
    bool *seen = NULL;
    if (c->nunit_levels && !(seen = jql_calloc(c->nunit_levels, sizeof *seen))) {
        k->oom = true;
        return;
    }
    const char *last = NULL; /* units of one level follow one another */
    size_t lv = JQL_NONE;
    for (size_t u = 0; c->nunit_levels && u < ds->units.len; u++) {
        const char *level = ds->units.items[u].level;
        if (!last || !level || strcmp(level, last) != 0) {
            last = level;
            if (!level || jql_strmap_get(&k->levels, level, &lv) != JQL_OK)
                lv = JQL_NONE;
        }
        if (lv == JQL_NONE)
            continue;
        seen[lv] = true;
        check_unit_cluster(k, u);
    }
    for (size_t l = 0; l < c->nunit_levels; l++) {
        if (!seen[l]) {
            path_set(k, 0, "/units/levels");
            jql_buf_printf(&k->path, "/%zu", l);
            say(k, JQL_SEVERITY_WARNING, "no unit of level \"%s\" in the dataset",
                c->unit_levels[l]);
        }
    }
    jql_free(seen);
}

/* The kinds of a record type: the dataset pools kinds (one copy per
   distinct kind), so the few copies seen are known by address; a national
   dataset's records would otherwise hash their kind once per scoring. */
#define KINDS_SEEN 16
typedef struct {
    jql_strmap *map;
    const char *seen[KINDS_SEEN];
    size_t nseen;
} kind_set;

static int note_kind(kind_set *set, const char *kind)
{
    for (size_t i = 0; i < set->nseen; i++)
        if (set->seen[i] == kind)
            return 0;
    if (jql_strmap_get(set->map, kind, NULL) != JQL_OK && jql_strmap_put(set->map, kind, 0))
        return JQL_ENOMEM;
    if (set->nseen < KINDS_SEEN)
        set->seen[set->nseen++] = kind;
    return 0;
}

/* Index the report and event kinds that occur in the dataset, and the
   set's own lists (they may be long: look-ups must not be linear). */
static int collect_kinds(check_ctx *k)
{
    const jql_dataset *ds = k->ds;
    for (size_t i = 0; i < k->c->nclusters; i++)
        if (jql_strmap_put(&k->clusters, k->c->clusters[i], i))
            return JQL_ENOMEM;
    for (size_t i = 0; i < k->c->nunit_levels; i++)
        if (jql_strmap_put(&k->levels, k->c->unit_levels[i], i))
            return JQL_ENOMEM;
    kind_set reports = {.map = &k->report_kinds}, events = {.map = &k->event_kinds};
    for (size_t i = 0; i < ds->reports.len; i++)
        if (note_kind(&reports, ds->reports.items[i].kind))
            return JQL_ENOMEM;
    for (size_t i = 0; i < ds->events.len; i++)
        if (note_kind(&events, ds->events.items[i].kind))
            return JQL_ENOMEM;
    return JQL_OK;
}

static void check_all(check_ctx *k)
{
    const jql_criteria *c = k->c;
    if (c->period && jql_period_resolve(k->ds, c->period, NULL, NULL, NULL) != JQL_OK) {
        path_set(k, 0, "/period");
        say(k, JQL_SEVERITY_ERROR,
            "unknown period \"%s\": neither declared in the dataset nor a standard id",
            c->period);
    }
    check_units(k);
    for (size_t i = 0; i < c->nnodes; i++) {
        const jql_node *n = &c->nodes[i];
        if (!n->is_leaf)
            continue;
        path_set(k, 0, "");
        node_path(c, i, &k->path);
        size_t base = k->path.len;
        check_measure(k, base, &n->measure);
        if (n->method.kind == JQL_METHOD_CUSTOM && n->method.custom)
            check_custom(k, base, n->method.custom);
    }
    check_items(k, c->bonus, c->nbonus, "/bonus/items");
    check_items(k, c->deductions, c->ndeductions, "/deductions");
    for (size_t i = 0; i < c->nvetoes; i++) {
        path_set(k, 0, "/vetoes");
        jql_buf_printf(&k->path, "/%zu", i);
        size_t base = k->path.len;
        if (c->vetoes[i].on_event)
            check_event_kind(k, base, "/event_kind", c->vetoes[i].event_kind);
        else
            check_measure(k, base, &c->vetoes[i].measure);
    }
    for (size_t i = 0; i < c->ntiebreaks; i++) {
        path_set(k, 0, "/tie_breakers");
        jql_buf_printf(&k->path, "/%zu", i);
        check_measure(k, k->path.len, &c->tiebreaks[i].measure);
    }
}

int jql_criteria_check(const jql_criteria *c, const jql_dataset *ds, jql_diagnostics **diag)
{
    if (diag)
        *diag = NULL;
    if (!c || !ds)
        return jql_fail(JQL_EINVALID, "jql_criteria_check: NULL argument");
    check_ctx k = {.c = c, .ds = ds};
    jql_buf_init(&k.path);
    k.d = jql_diag_new(c->source);
    if (!k.d || collect_kinds(&k)) {
        k.oom = true;
    } else {
        check_all(&k);
    }
    k.oom = k.oom || k.path.failed || jql_diag_oom(k.d);
    jql_buf_free(&k.path);
    jql_strmap_free(&k.report_kinds);
    jql_strmap_free(&k.event_kinds);
    jql_strmap_free(&k.clusters);
    jql_strmap_free(&k.levels);
    if (k.oom) {
        jql_diagnostics_free(k.d);
        return jql_fail(JQL_ENOMEM, "out of memory");
    }
    jql_diag_finish(k.d);
    int rc = JQL_OK;
    if (k.errors) {
        const char *first = "";
        const char *path = "";
        for (size_t i = 0; i < jql_diagnostics_count(k.d); i++) {
            if (jql_diagnostics_severity(k.d, i) == JQL_SEVERITY_ERROR) {
                first = jql_diagnostics_message(k.d, i);
                path = jql_diagnostics_path(k.d, i);
                break;
            }
        }
        rc = jql_fail(JQL_EINVALID, "criteria set \"%s\" does not fit the dataset: %s: %s%s",
                      c->id ? c->id : "", path, first,
                      k.errors > 1 ? " (and more problems)" : "");
    }
    if (diag)
        *diag = k.d;
    else
        jql_diagnostics_free(k.d);
    return rc;
}
