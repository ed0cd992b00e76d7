/*
 * Loading a dataset from JSON (format: docs/FORMAT.md).
 *
 * The shared reader (json_reader.h) parses (size limit, UTF-8, strict
 * syntax, a cJSON tree with positions, never cJSON's parser) and provides
 * paths, diagnostics, key checks and typed fields; this file is the
 * dataset's schema on top of it: a decoding walk that collects every
 * problem with its JSON Pointer and line:column and builds the dataset
 * through the public builder API, except statistics: the loader does the
 * builder's checks itself (it must tell a repetition from a conflict and
 * name the other record), then appends them with jql_ds_stat_append().
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "fileio.h"
#include "json_reader.h"
#include "justice_quarterly/io.h"
#include "model.h"
#include "names.h"

/* Record kinds, in the order of the top-level arrays. */
enum {
    K_UNITS, K_PERIODS, K_INDICATORS, K_STATISTICS, K_REPORTS, K_TASKS,
    K_SHORTCOMINGS, K_DIRECTIVES, K_ASSESSMENTS, K_EVENTS, K_LABELS, K_DOCUMENTS, K_COUNT
};
static const char *const kind_keys[K_COUNT] = {
    "units", "periods", "indicators", "statistics", "reports", "tasks",
    "shortcomings", "directives", "assessments", "events", "labels", "documents"};

/* A string records repeat (a period, a task's field) and the dataset's
   shared copy of it (jql_ds_intern), remembered by content for the last
   few: most records then skip the intern map's NFC check, hash and probe.
   A shared copy never moves; a period's range never changes once found. */
#define SHARED_SLOTS 8
#define SHARED_BYTES 40
struct shared_memo {
    char s[SHARED_BYTES];
    char *copy; /* NULL: empty slot */
    jql_range range; /* a period's */
};

typedef struct {
    jql_reader r; /* text, tree, positions, path, diagnostics (json_reader.h) */
    jql_dataset *ds;
    /* ids of records skipped for their own errors: references to them are
       not reported again */
    jql_strmap bad_units, bad_periods, bad_indicators;
    /* unit/indicator/period of statistics that passed decoding but that
       the builder refused (the ones it took: jql_ds_stat_find) */
    jql_strmap stat_refused;
    /* dataset index -> index in the JSON array; empty while they are the
       same (no record of the kind refused so far): see json_at() */
    jql_sizevec json_index[K_COUNT];
    /* dataset index -> its record's source offset: records are built one
       at a time (jql_reader_parse_shallow), so later passes (parents,
       messages naming another record, jql_dataset_check's paths) find a
       record again by offset, never by keeping its tree */
    jql_sizevec json_offset[K_COUNT];
    size_t cur_off; /* source offset of the record being read */
    /* per reference kind, the last id resolved (see resolve_ref) */
    struct ref_memo {
        char id[64]; /* "" none */
        size_t index;
        jql_range range;
    } memo[3];
    /* the dataset's shared copies of the last periods and task fields (shared_slot) */
    struct shared_memo periods[SHARED_SLOTS], fields[SHARED_SLOTS];
} ld;

/* ---- paths, errors, fields: the shared reader's, under short names ---- */

static size_t push_key(ld *c, const char *key) { return jql_reader_push_key(&c->r, key); }
static size_t push_index(ld *c, size_t i) { return jql_reader_push_index(&c->r, i); }
static void pop(ld *c, size_t old) { jql_reader_pop(&c->r, old); }

static void line_col(const ld *c, size_t off, unsigned *line, unsigned *col)
{
    if (c->r.pos)
        jql_json_pos_line_col(c->r.pos, off, line, col);
    else
        jql_line_col(c->r.text, c->r.len, off, line, col);
}

/* Error about `node`, at the current path. */
static void err(ld *c, const cJSON *node, const char *fmt, ...) JQL_PRINTF(3, 4);
static void err(ld *c, const cJSON *node, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    jql_reader_verror(&c->r, JQL_SEVERITY_ERROR, jql_json_pos_offset(c->r.pos, node), fmt, ap);
    va_end(ap);
}

/* Error about member `key` of the current object `obj` (located at its value,
   or at its key when at_key). */
static void err_member(ld *c, const cJSON *member, bool at_key, const char *fmt, ...)
    JQL_PRINTF(4, 5);
static void err_member(ld *c, const cJSON *member, bool at_key, const char *fmt, ...)
{
    size_t old = push_key(c, member->string ? member->string : "");
    va_list ap;
    va_start(ap, fmt);
    jql_reader_verror(&c->r, JQL_SEVERITY_ERROR,
                      at_key ? jql_json_pos_key_offset(c->r.pos, member)
                             : jql_json_pos_offset(c->r.pos, member),
                      fmt, ap);
    va_end(ap);
    pop(c, old);
}

static const char *type_name(const cJSON *n) { return jql_reader_type_name(n); }

static bool key_ok(ld *c, const cJSON *m)
{
    return !(c->r.pos && (jql_json_node_flags(m) & (JQL_POS_KEY_NUL | JQL_POS_DUP_KEY)));
}

static void check_keys(ld *c, const cJSON *obj, const char *const *allowed)
{
    jql_reader_check_keys(&c->r, obj, allowed);
}

static const cJSON *member(ld *c, const cJSON *obj, const char *key)
{
    return jql_reader_member(&c->r, obj, key);
}

static const cJSON *field(ld *c, const cJSON *obj, const char *key, bool required)
{
    return jql_reader_field(&c->r, obj, key, required);
}

static bool check_string(ld *c, const cJSON *n, bool is_id, const char **out)
{
    return jql_reader_string(&c->r, n, is_id, out);
}

static bool get_string(ld *c, const cJSON *obj, const char *key, bool required, bool is_id,
                       const char **out)
{
    return jql_reader_get_string(&c->r, obj, key, required, is_id, out);
}

static bool get_bool(ld *c, const cJSON *obj, const char *key, bool required, bool *out)
{
    return jql_reader_get_bool(&c->r, obj, key, required, out);
}

static bool get_date(ld *c, const cJSON *obj, const char *key, bool required, bool null_ok,
                     jql_date *out)
{
    return jql_reader_get_date(&c->r, obj, key, required, null_ok, out);
}

/* A number field >= 0, read exactly from its source text. `what` names the
   quantity in messages ("count", "score"). *out is JQL_NO_SCORE when absent. */
static bool get_number(ld *c, const cJSON *obj, const char *key, bool required,
                       const char *what, jql_milli *out)
{
    if (!jql_reader_get_number(&c->r, obj, key, required, out, NULL))
        return false;
    if (*out != JQL_NO_SCORE && *out < 0) {
        char lit[32];
        jql_milli_format(*out, -1, lit, sizeof lit);
        err_member(c, member(c, obj, key), false, "negative value %s for a %s", lit, what);
        *out = JQL_NO_SCORE;
        return false;
    }
    return true;
}

static bool get_enum(ld *c, const cJSON *obj, const char *key, bool required,
                     const char *const *names, int dflt, int *out)
{
    return jql_reader_get_enum(&c->r, obj, key, required, names, dflt, out);
}

/* ---- references ---- */

typedef enum { REF_UNIT, REF_PERIOD, REF_INDICATOR } ref_kind;

/* Resolve a reference: the unit or indicator index, or the period's
   range. Statistics and reports come grouped by unit and period, so the
   last id of each kind is remembered (a hash look-up with its NFC check
   per reference was a tenth of a large load). Only successes are kept:
   units, periods and indicators are all added before the records that
   refer to them, and an id once found never changes meaning. */
static int resolve_ref(ld *c, ref_kind kind, const char *id, size_t *index, jql_range *range)
{
    struct ref_memo *m = &c->memo[kind];
    if (m->id[0] && strcmp(m->id, id) == 0) {
        *index = m->index;
        *range = m->range;
        return JQL_OK;
    }
    size_t i = 0;
    jql_range rg = {0};
    int rc = kind == REF_UNIT        ? jql_strmap_get(&c->ds->unit_ids, id, &i)
             : kind == REF_INDICATOR ? jql_strmap_get(&c->ds->indicator_ids, id, &i)
                                     : jql_ds_resolve_period(c->ds, id, &rg);
    if (rc != JQL_OK)
        return JQL_ENOTFOUND;
    size_t n = strlen(id);
    if (n < sizeof m->id) {
        memcpy(m->id, id, n + 1);
        m->index = i;
        m->range = rg;
    }
    *index = i;
    *range = rg;
    return JQL_OK;
}

/* Is id (at node n, current path) a known unit / period / indicator?
   *index (unit, indicator) or *range (period) when it is; both may be NULL. */
static bool check_ref(ld *c, const cJSON *n, ref_kind kind, const char *id, size_t *index,
                      jql_range *range)
{
    const jql_strmap *bad;
    const char *what;
    switch (kind) {
    case REF_UNIT:
        bad = &c->bad_units;
        what = "unit";
        break;
    case REF_PERIOD:
        bad = &c->bad_periods;
        what = "period";
        break;
    default:
        bad = &c->bad_indicators;
        what = "indicator";
        break;
    }
    size_t i;
    jql_range rg;
    if (resolve_ref(c, kind, id, &i, &rg) == JQL_OK) {
        if (index)
            *index = i;
        if (range)
            *range = rg;
        return true;
    }
    if (jql_strmap_get(bad, id, NULL) == JQL_OK)
        return false; /* its own declaration was already reported */
    if (kind == REF_PERIOD)
        err(c, n, "unknown period \"%s\" (neither a standard id like 2014, 2014-H1, "
                  "2014-Q1, 2014-9M nor declared in \"periods\")", id);
    else
        err(c, n, "unknown %s \"%s\"", what, id);
    return false;
}

/* The reference obj[key]; *index / *range (may be NULL) as check_ref's. */
static bool get_ref_at(ld *c, const cJSON *obj, const char *key, bool required, ref_kind kind,
                       const char **out, size_t *index, jql_range *range)
{
    if (!get_string(c, obj, key, required, true, out))
        return false;
    if (!*out)
        return true;
    size_t old = push_key(c, key);
    bool ok = check_ref(c, member(c, obj, key), kind, *out, index, range);
    pop(c, old);
    return ok;
}

static bool get_ref(ld *c, const cJSON *obj, const char *key, bool required, ref_kind kind,
                    const char **out)
{
    return get_ref_at(c, obj, key, required, kind, out, NULL, NULL);
}

/* The slot of memo that holds s when *hit, else the one to keep it in
   (NULL: too long to keep). */
static struct shared_memo *shared_slot(struct shared_memo *memo, const char *s, bool *hit)
{
    size_t n = strlen(s);
    *hit = false;
    if (n >= SHARED_BYTES)
        return NULL;
    /* ids like 2025-Q1 ... 2025-Q4 differ in their last byte */
    size_t h = n * 31 + (unsigned char)s[0] + 7u * (unsigned char)s[n ? n - 1 : 0];
    struct shared_memo *e = &memo[h % SHARED_SLOTS];
    *hit = e->copy && strcmp(e->s, s) == 0;
    return e;
}

static void shared_keep(struct shared_memo *e, const char *s, char *copy, jql_range range)
{
    if (!e || !copy)
        return;
    strcpy(e->s, s); /* shorter than e->s: shared_slot */
    e->copy = copy;
    e->range = range;
}

/* The dataset's shared copy of period id p (resolved to range); NULL
   when out of memory (noted). */
static char *shared_period(ld *c, const char *p, jql_range range)
{
    bool hit;
    struct shared_memo *e = shared_slot(c->periods, p, &hit);
    if (hit)
        return e->copy;
    char *copy = jql_ds_intern(c->ds, p);
    if (!copy)
        c->r.oom = true;
    shared_keep(e, p, copy, range);
    return copy;
}

/* An array of strings (ids when is_id; references when ref >= 0).
   *out is the array, NULL when absent. */
static bool get_str_array(ld *c, const cJSON *obj, const char *key, bool required,
                          bool nonempty, bool is_id, int ref, const cJSON **out)
{
    *out = NULL;
    const cJSON *m = field(c, obj, key, required);
    if (!m)
        return !required;
    size_t old = push_key(c, key);
    bool ok = true;
    if (!cJSON_IsArray(m)) {
        err(c, m, "expected an array, found %s", type_name(m));
        ok = false;
    } else if (nonempty && !m->child) {
        err(c, m, "must list at least one %s", ref == REF_UNIT ? "unit" : "item");
        ok = false;
    } else {
        size_t i = 0;
        for (const cJSON *e = m->child; e; e = e->next, i++) {
            size_t o2 = push_index(c, i);
            const char *s;
            if (!check_string(c, e, is_id, &s))
                ok = false;
            else if (ref >= 0 && !check_ref(c, e, (ref_kind)ref, s, NULL, NULL))
                ok = false;
            pop(c, o2);
        }
    }
    pop(c, old);
    *out = ok ? m : NULL;
    return ok;
}

/* Note a builder failure: true when rc is JQL_OK. */
static bool built(ld *c, int rc, const cJSON *rec, const char *kind, const char *id)
{
    if (rc == JQL_OK)
        return true;
    if (rc == JQL_ENOMEM) {
        c->r.oom = true;
        return false;
    }
    const cJSON *idm = id ? member(c, rec, "id") : NULL;
    if (rc == JQL_EEXISTS && idm)
        err_member(c, idm, false, "duplicate %s id \"%s\"", kind, id);
    else if (rc == JQL_EEXISTS)
        err(c, rec, "duplicate %s: %s", kind, jql_last_error());
    else
        err(c, rec, "%s", jql_last_error());
    return false;
}

static void mark_bad(ld *c, jql_strmap *bad, const char *id)
{
    if (id && jql_strmap_put(bad, id, 0) != JQL_OK)
        c->r.oom = true;
}

static void note_index(ld *c, int kind, size_t json_index)
{
    jql_sizevec *ix = &c->json_index[kind];
    size_t n = c->json_offset[kind].len; /* records of the kind taken so far */
    if (ix->len || json_index != n) { /* the first refusal spells the map out */
        for (size_t k = ix->len; k < n && !c->r.oom; k++)
            if (jql_sizevec_push(ix, k) != JQL_OK)
                c->r.oom = true;
        if (jql_sizevec_push(ix, json_index) != JQL_OK)
            c->r.oom = true;
    }
    if (jql_sizevec_push(&c->json_offset[kind], c->cur_off) != JQL_OK)
        c->r.oom = true;
}

/* The JSON array index of dataset record i (i < json_offset[kind].len). */
static size_t json_at(const ld *c, int kind, size_t i)
{
    const jql_sizevec *ix = &c->json_index[kind];
    return ix->len ? ix->items[i] : i;
}

/* ---- records ---- */

static const char *const unit_keys[] = {"id", "name", "level", "parent", "cluster",
                                        "attributes", NULL};

/* ---- objects of many keys ---- */

/* The members of an object, in the order of their keys (of their NFC when
   nfc: attribute keys are kept in NFC), equal keys in their file order. A
   record keeps such a map sorted by key (dataset.c, metadata.c) and took
   each key at its place, moving the ones after it: 400,000 attributes of
   one unit in file order took 7.5 s, a document's fields and a label's
   names as long; taken in key order each goes at the end. NULL when the
   object has few members (file order costs nothing then) or out of memory
   (then file order too: the same result, slower); *n their number. */
typedef struct {
    const char *key;
    const cJSON *member;
    size_t pos;
    char *heap; /* the NFC copy, when not the key itself */
} keyed_member;

static int cmp_keyed(const void *a, const void *b)
{
    const keyed_member *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

static keyed_member *sorted_members(const cJSON *obj, bool nfc, size_t *n)
{
    enum { FEW = 32 };
    size_t count = 0;
    for (const cJSON *a = obj->child; a; a = a->next)
        count++;
    *n = count;
    if (count <= FEW)
        return NULL;
    keyed_member *v = jql_calloc(count, sizeof *v);
    if (!v)
        return NULL;
    size_t k = 0;
    for (const cJSON *a = obj->child; a; a = a->next, k++) {
        v[k] = (keyed_member){a->string, a, k, NULL};
        if (nfc && (v[k].heap = jql_strdup_nfc(a->string)) == NULL) {
            while (k-- > 0)
                jql_free(v[k].heap);
            jql_free(v);
            return NULL;
        }
        if (v[k].heap)
            v[k].key = v[k].heap;
    }
    qsort(v, count, sizeof *v, cmp_keyed);
    return v;
}

static void keyed_free(keyed_member *v, size_t n)
{
    for (size_t k = 0; v && k < n; k++)
        jql_free(v[k].heap);
    jql_free(v);
}

/* The member at step k of a walk over obj: the k-th in key order when
   sorted, else the next in file order after prev. */
static const cJSON *member_at(const keyed_member *sorted, size_t k, const cJSON *prev,
                              const cJSON *obj)
{
    return sorted ? sorted[k].member : k == 0 ? obj->child : prev->next;
}

/* Pass 1: the unit without its parent (parents are set in pass 2). */
static void load_unit(ld *c, const cJSON *r, size_t i)
{
    const char *id, *name, *level, *parent, *cluster;
    check_keys(c, r, unit_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    ok = get_string(c, r, "name", true, false, &name) && ok;
    ok = get_string(c, r, "level", true, false, &level) && ok;
    ok = get_string(c, r, "parent", false, true, &parent) && ok;
    ok = get_string(c, r, "cluster", false, false, &cluster) && ok;
    const cJSON *attrs = field(c, r, "attributes", false);
    if (attrs) {
        size_t old = push_key(c, "attributes");
        if (!cJSON_IsObject(attrs)) {
            err(c, attrs, "expected an object of strings, found %s", type_name(attrs));
            ok = false;
        } else {
            check_keys(c, attrs, NULL);
            for (const cJSON *a = attrs->child; a; a = a->next) {
                const char *v;
                size_t o2 = push_key(c, a->string);
                if (!key_ok(c, a))
                    ok = false;
                else if (!*a->string) {
                    err(c, a, "attribute name must not be empty");
                    ok = false;
                } else if (!check_string(c, a, false, &v))
                    ok = false;
                pop(c, o2);
            }
        }
        pop(c, old);
    }
    size_t idx;
    if (!ok || c->r.oom || !built(c, jql_unit_add(c->ds, id, name, level, NULL, &idx), r, "unit", id)) {
        if (id && jql_unit_find(c->ds, id, NULL) != JQL_OK)
            mark_bad(c, &c->bad_units, id);
        return;
    }
    note_index(c, K_UNITS, i);
    if (cluster && !built(c, jql_unit_set_cluster(c->ds, idx, cluster), r, "unit", NULL))
        return;
    if (attrs) {
        size_t n;
        keyed_member *sorted = sorted_members(attrs, true, &n);
        const cJSON *a = NULL;
        for (size_t k = 0; k < n; k++) {
            a = member_at(sorted, k, a, attrs);
            if (!built(c, jql_unit_set_attr(c->ds, idx, a->string, a->valuestring), r, "unit",
                       NULL))
                break;
        }
        keyed_free(sorted, n);
    }
}

/* Pass 2: parents, so that forward references work and cycles show. */
static void link_unit(ld *c, const cJSON *r, size_t idx)
{
    const cJSON *p = member(c, r, "parent");
    if (!p)
        return;
    size_t old = push_key(c, "parent");
    const char *pid = p->valuestring;
    if (check_ref(c, p, REF_UNIT, pid, NULL, NULL)) {
        int rc = jql_unit_set_parent(c->ds, idx, pid);
        if (rc == JQL_ENOMEM)
            c->r.oom = true;
        else if (rc == JQL_EINVALID)
            err(c, p, "parent \"%s\" makes a cycle in the unit hierarchy", pid);
        else if (rc != JQL_OK)
            err(c, p, "%s", jql_last_error());
    }
    pop(c, old);
}

static const char *const period_keys[] = {"id", "name", "start", "end", "cutoff_start",
                                          "cutoff_end", NULL};

static void load_period(ld *c, const cJSON *r, size_t i)
{
    const char *id, *name;
    jql_date start, end;
    check_keys(c, r, period_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    ok = get_string(c, r, "name", false, false, &name) && ok;
    ok = get_date(c, r, "start", true, false, &start) && ok;
    ok = get_date(c, r, "end", true, false, &end) && ok;
    if (ok && end < start) {
        char a[11], b[11];
        jql_date_format(start, a);
        jql_date_format(end, b);
        err_member(c, member(c, r, "end"), false, "end %s is before start %s", b, a);
        ok = false;
    }
    jql_date cs = JQL_NO_DATE, ce = JQL_NO_DATE;
    bool cut_ok = get_date(c, r, "cutoff_start", false, false, &cs);
    cut_ok = get_date(c, r, "cutoff_end", false, false, &ce) && cut_ok;
    if (cut_ok && (cs == JQL_NO_DATE) != (ce == JQL_NO_DATE)) {
        err(c, r, "a cut-off needs both \"cutoff_start\" and \"cutoff_end\"");
        cut_ok = false;
    } else if (cut_ok && cs != JQL_NO_DATE && ce < cs) {
        char a[11], b[11];
        jql_date_format(cs, a);
        jql_date_format(ce, b);
        err_member(c, member(c, r, "cutoff_end"), false, "cutoff_end %s is before cutoff_start %s",
                   b, a);
        cut_ok = false;
    }
    size_t pi = 0;
    if (ok && !c->r.oom &&
        built(c, jql_period_add(c->ds, id, name, start, end, &pi), r, "period", id)) {
        if (cut_ok && cs != JQL_NO_DATE)
            built(c, jql_period_set_cutoff(c->ds, pi, cs, ce), r, "period", id);
        note_index(c, K_PERIODS, i);
        return;
    }
    if (id && jql_period_resolve(c->ds, id, NULL, NULL, NULL) != JQL_OK)
        mark_bad(c, &c->bad_periods, id);
}

static const char *const indicator_keys[] = {"id", "name", "unit", "field", "aggregation",
                                             NULL};

static void load_indicator(ld *c, const cJSON *r, size_t i)
{
    const char *id, *name, *unit, *fld;
    int agg;
    check_keys(c, r, indicator_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    ok = get_string(c, r, "name", true, false, &name) && ok;
    ok = get_string(c, r, "unit", false, false, &unit) && ok;
    ok = get_string(c, r, "field", false, false, &fld) && ok;
    ok = get_enum(c, r, "aggregation", false, jql_aggregation_names, JQL_AGG_SUM, &agg) && ok;
    size_t idx;
    if (ok && !c->r.oom &&
        built(c, jql_indicator_add(c->ds, id, name, unit, (jql_aggregation)agg, &idx), r,
              "indicator", id)) {
        note_index(c, K_INDICATORS, i);
        if (fld)
            built(c, jql_indicator_set_field(c->ds, idx, fld), r, "indicator", NULL);
        return;
    }
    if (id && jql_indicator_find(c->ds, id, NULL) != JQL_OK)
        mark_bad(c, &c->bad_indicators, id);
}

static const char *const stat_keys[] = {"unit", "indicator", "period", "value", NULL};

/* Statistic `other` of the same unit and indicator has the dates of this
   one's period under another period id: one error naming both records
   (path and line:column), as the score would otherwise depend on record
   order. */
static void same_dates(ld *c, const cJSON *r, size_t i, const char *unit, const char *ind,
                       const char *period, size_t other)
{
    size_t j = json_at(c, K_STATISTICS, other);
    unsigned line = 0, col = 0;
    if (j < i)
        line_col(c, c->json_offset[K_STATISTICS].items[other], &line, &col);
    err(c, r,
        "duplicate statistic: unit \"%s\", indicator \"%s\": period \"%s\" has the same "
        "dates as period \"%s\" of /statistics/%zu (line %u, column %u); keep one of them",
        unit, ind, period, c->ds->stats.items[other].period, j, line, col);
}

/* Is "unit\x1findicator\x1fperiod" among the statistics the builder refused? */
static bool was_refused(ld *c, const char *unit, const char *ind, const char *period)
{
    if (!c->stat_refused.len)
        return false;
    char kbuf[256];
    bool heap;
    char *key = jql_key3(kbuf, sizeof kbuf, unit, ind, period, &heap);
    if (!key) {
        c->r.oom = true;
        return false;
    }
    bool found = jql_strmap_get(&c->stat_refused, key, NULL) == JQL_OK;
    if (heap)
        jql_free(key);
    return found;
}

static void refuse(ld *c, const char *unit, const char *ind, const char *period, size_t i)
{
    char kbuf[256];
    bool heap;
    char *key = jql_key3(kbuf, sizeof kbuf, unit, ind, period, &heap);
    if (!key || jql_strmap_put(&c->stat_refused, key, i) != JQL_OK)
        c->r.oom = true;
    if (key && heap)
        jql_free(key);
}

static void load_stat(ld *c, const cJSON *r, size_t i)
{
    const char *unit, *ind, *period;
    size_t u = 0, k = 0;
    jql_range range = {0};
    jql_milli value;
    check_keys(c, r, stat_keys);
    bool ok = get_ref_at(c, r, "unit", true, REF_UNIT, &unit, &u, NULL);
    ok = get_ref_at(c, r, "indicator", true, REF_INDICATOR, &ind, &k, NULL) && ok;
    ok = get_ref_at(c, r, "period", true, REF_PERIOD, &period, NULL, &range) && ok;
    if (ok) /* the look-up below misses the cache in a large dataset: start it now */
        jql_ds_stat_prefetch(c->ds, u, k, range);
    ok = get_number(c, r, "value", true, "count", &value) && ok;
    if (!ok || c->r.oom)
        return;
    /* jql_stat_set_value() would overwrite a repeated statistic: catch it
       here, in the builder's own index of the statistics by dates. The
       same period id (compared in NFC, as periods are kept) is a
       repetition; another one with the same dates, a conflict. */
    size_t other;
    jql_strmap_spot spot;
    bool taken = false, conflict = false, other_unmapped = false;
    if (jql_ds_stat_by_dates(c->ds, u, k, range, &other, &spot) == JQL_OK) {
        char buf[256], *heap = NULL;
        taken = strcmp(c->ds->stats.items[other].period,
                       jql_nfc_key(period, buf, sizeof buf, &heap)) == 0;
        jql_free(heap);
        conflict = !taken && other < c->json_offset[K_STATISTICS].len;
        other_unmapped = !taken && !conflict;
    }
    bool refused = !taken && was_refused(c, unit, ind, period);
    if (c->r.oom)
        return;
    if (taken || refused) {
        err(c, r, "duplicate statistic: unit \"%s\", indicator \"%s\", period \"%s\" already "
                  "has a value",
            unit, ind, period);
        return;
    }
    if (conflict) {
        same_dates(c, r, i, unit, ind, period, other);
        return;
    }
    /* a conflict with a statistic this load did not note (none while
       every one taken is noted) is left to the builder and its words */
    const char *shared = other_unmapped ? period : shared_period(c, period, range);
    if (!shared)
        return;
    int rc = other_unmapped ? jql_stat_set_value(c->ds, unit, ind, period, value)
                            : jql_ds_stat_append(c->ds, u, k, range, shared, value, &spot);
    if (built(c, rc, r, "statistic", NULL))
        note_index(c, K_STATISTICS, i);
    else if (rc != JQL_ENOMEM)
        refuse(c, unit, ind, period, i);
}

static const char *const report_keys[] = {"unit", "period", "kind", "due", "submitted",
                                          "complete", NULL};

static void load_report(ld *c, const cJSON *r, size_t i)
{
    const char *unit, *period, *kind;
    jql_date due, submitted;
    bool complete;
    check_keys(c, r, report_keys);
    bool ok = get_ref(c, r, "unit", true, REF_UNIT, &unit);
    ok = get_ref(c, r, "period", true, REF_PERIOD, &period) && ok;
    ok = get_string(c, r, "kind", true, false, &kind) && ok;
    ok = get_date(c, r, "due", true, false, &due) && ok;
    ok = get_date(c, r, "submitted", true, true, &submitted) && ok;
    ok = get_bool(c, r, "complete", true, &complete) && ok;
    if (ok && !c->r.oom &&
        built(c, jql_report_add(c->ds, unit, period, kind, due, submitted, complete, NULL), r,
              "report", NULL))
        note_index(c, K_REPORTS, i);
}

/* "status" and "completed" together: completed is required exactly when done. */
static bool get_status(ld *c, const cJSON *r, const char *const *names, int done, int *status,
                       jql_date *completed)
{
    bool ok = get_enum(c, r, "status", true, names, 0, status);
    ok = get_date(c, r, "completed", false, false, completed) && ok;
    if (!ok)
        return false;
    if (*status == done && *completed == JQL_NO_DATE) {
        err(c, r, "status \"%s\" requires a \"completed\" date", names[done]);
        return false;
    }
    if (*status != done && *completed != JQL_NO_DATE) {
        err_member(c, member(c, r, "completed"), false,
                   "\"completed\" is only allowed when status is \"%s\"", names[done]);
        return false;
    }
    return true;
}

/* The task's owners, as jql_task_add_owner() would add them, by the unit
   indices the references were checked with (remembered: resolve_ref). */
static bool add_owners(ld *c, const cJSON *r, size_t idx, const cJSON *units)
{
    for (const cJSON *u = units->child; u; u = u->next) {
        size_t ui;
        jql_range rg;
        int rc = resolve_ref(c, REF_UNIT, u->valuestring, &ui, &rg) == JQL_OK
                     ? jql_ds_task_add_owner_at(c->ds, idx, ui, u->valuestring)
                     : jql_task_add_owner(c->ds, idx, u->valuestring);
        if (!built(c, rc, r, "task", NULL))
            return false;
    }
    return true;
}

/* jql_task_set_field(), or the copy it gave for the same field before. */
static bool set_task_field(ld *c, const cJSON *r, size_t idx, const char *fld)
{
    bool hit;
    struct shared_memo *e = shared_slot(c->fields, fld, &hit);
    jql_task_rec *t = &c->ds->tasks.items[idx];
    if (hit) {
        t->field = e->copy;
        return true;
    }
    if (!built(c, jql_task_set_field(c->ds, idx, fld), r, "task", NULL))
        return false;
    shared_keep(e, fld, t->field, (jql_range){0});
    return true;
}

/* jql_task_set_period(), or the copy and range it gave for the same period before. */
static bool set_task_period(ld *c, const cJSON *r, size_t idx, const char *period)
{
    bool hit;
    struct shared_memo *e = shared_slot(c->periods, period, &hit);
    jql_task_rec *t = &c->ds->tasks.items[idx];
    if (hit) {
        t->period = e->copy;
        t->range = e->range;
        return true;
    }
    if (!built(c, jql_task_set_period(c->ds, idx, period), r, "task", NULL))
        return false;
    shared_keep(e, period, t->period, t->range);
    return true;
}

static const char *const task_keys[] = {"id", "title", "field", "units", "period", "due",
                                        "status", "completed", NULL};

static void load_task(ld *c, const cJSON *r, size_t i)
{
    const char *id, *title, *fld, *period;
    const cJSON *units;
    jql_date due, completed;
    int status;
    check_keys(c, r, task_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    if (ok && id) /* jql_task_add's look-up misses the cache in a large dataset: start it now */
        jql_strmap_prefetch(&c->ds->task_ids, id);
    ok = get_string(c, r, "title", true, false, &title) && ok;
    ok = get_string(c, r, "field", false, false, &fld) && ok;
    ok = get_str_array(c, r, "units", true, true, true, REF_UNIT, &units) && ok;
    ok = get_ref(c, r, "period", false, REF_PERIOD, &period) && ok;
    ok = get_date(c, r, "due", true, false, &due) && ok;
    ok = get_status(c, r, jql_task_status_names, JQL_TASK_DONE, &status, &completed) && ok;
    size_t idx;
    if (!ok || c->r.oom || !built(c, jql_task_add(c->ds, id, title, due, &idx), r, "task", id))
        return;
    note_index(c, K_TASKS, i);
    if (!add_owners(c, r, idx, units) || (fld && !set_task_field(c, r, idx, fld)) ||
        (period && !set_task_period(c, r, idx, period)))
        return;
    built(c, jql_task_set_status(c->ds, idx, (jql_task_status)status, completed), r, "task",
          NULL);
}

static const char *const cause_keys[] = {"kind", "text", NULL};

static bool get_causes(ld *c, const cJSON *r, const cJSON **out)
{
    *out = NULL;
    const cJSON *m = field(c, r, "causes", false);
    if (!m)
        return true;
    size_t old = push_key(c, "causes");
    bool ok = true;
    if (!cJSON_IsArray(m)) {
        err(c, m, "expected an array, found %s", type_name(m));
        ok = false;
    } else {
        size_t k = 0;
        for (const cJSON *e = m->child; e; e = e->next, k++) {
            size_t o2 = push_index(c, k);
            const char *kind, *text;
            if (!cJSON_IsObject(e)) {
                err(c, e, "expected an object {\"kind\", \"text\"}, found %s", type_name(e));
                ok = false;
            } else {
                check_keys(c, e, cause_keys);
                ok = get_string(c, e, "kind", true, false, &kind) && ok;
                ok = get_string(c, e, "text", true, false, &text) && ok;
            }
            pop(c, o2);
        }
    }
    pop(c, old);
    *out = m;
    return ok;
}

static const char *const shortcoming_keys[] = {"id", "period", "units", "field", "text",
                                               "causes", "resolved", NULL};

static void load_shortcoming(ld *c, const cJSON *r, size_t i)
{
    const char *id, *period, *fld, *text, *resolved;
    const cJSON *units, *causes;
    check_keys(c, r, shortcoming_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    ok = get_ref(c, r, "period", true, REF_PERIOD, &period) && ok;
    ok = get_str_array(c, r, "units", false, false, true, REF_UNIT, &units) && ok;
    ok = get_string(c, r, "field", false, false, &fld) && ok;
    ok = get_string(c, r, "text", true, false, &text) && ok;
    ok = get_causes(c, r, &causes) && ok;
    ok = get_ref(c, r, "resolved", false, REF_PERIOD, &resolved) && ok;
    size_t idx;
    if (!ok || c->r.oom ||
        !built(c, jql_shortcoming_add(c->ds, id, period, text, &idx), r, "shortcoming", id))
        return;
    note_index(c, K_SHORTCOMINGS, i);
    if (units)
        for (const cJSON *u = units->child; u; u = u->next)
            if (!built(c, jql_shortcoming_add_unit(c->ds, idx, u->valuestring), r,
                       "shortcoming", NULL))
                return;
    if (causes)
        for (const cJSON *e = causes->child; e; e = e->next)
            if (!built(c,
                       jql_shortcoming_add_cause(c->ds, idx, member(c, e, "kind")->valuestring,
                                                 member(c, e, "text")->valuestring),
                       r, "shortcoming", NULL))
                return;
    if ((fld && !built(c, jql_shortcoming_set_field(c->ds, idx, fld), r, "shortcoming", NULL)))
        return;
    if (resolved)
        built(c, jql_shortcoming_set_resolved(c->ds, idx, resolved), r, "shortcoming", NULL);
}

static const char *const addressee_keys[] = {"units", "levels", NULL};

static bool get_addressees(ld *c, const cJSON *r, const cJSON **units, const cJSON **levels)
{
    *units = *levels = NULL;
    const cJSON *m = field(c, r, "addressees", true);
    if (!m)
        return false;
    size_t old = push_key(c, "addressees");
    bool ok = true;
    if (!cJSON_IsObject(m)) {
        err(c, m, "expected an object {\"units\", \"levels\"}, found %s", type_name(m));
        ok = false;
    } else {
        check_keys(c, m, addressee_keys);
        ok = get_str_array(c, m, "units", false, false, true, REF_UNIT, units);
        ok = get_str_array(c, m, "levels", false, false, false, -1, levels) && ok;
        if (ok && !(*units && (*units)->child) && !(*levels && (*levels)->child)) {
            err(c, m, "a directive needs at least one addressee unit or level");
            ok = false;
        }
    }
    pop(c, old);
    return ok;
}

static const char *const directive_keys[] = {"id", "issued", "issuer", "addressees", "text",
                                             "due", "answers", "status", "completed", NULL};

static void load_directive(ld *c, const cJSON *r, size_t i)
{
    const char *id, *issuer, *text;
    const cJSON *units, *levels, *answers;
    jql_date issued, due, completed;
    int status;
    check_keys(c, r, directive_keys);
    bool ok = get_string(c, r, "id", true, true, &id);
    ok = get_date(c, r, "issued", true, false, &issued) && ok;
    ok = get_ref(c, r, "issuer", true, REF_UNIT, &issuer) && ok;
    ok = get_addressees(c, r, &units, &levels) && ok;
    ok = get_string(c, r, "text", true, false, &text) && ok;
    ok = get_date(c, r, "due", false, false, &due) && ok;
    ok = get_str_array(c, r, "answers", false, false, true, -1, &answers) && ok;
    ok = get_status(c, r, jql_directive_status_names, JQL_DIRECTIVE_DONE, &status, &completed) && ok;
    size_t idx;
    if (!ok || c->r.oom ||
        !built(c, jql_directive_add(c->ds, id, issued, issuer, text, &idx), r, "directive", id))
        return;
    note_index(c, K_DIRECTIVES, i);
    if (due != JQL_NO_DATE &&
        !built(c, jql_directive_set_due(c->ds, idx, due), r, "directive", NULL))
        return;
    for (const cJSON *u = units ? units->child : NULL; u; u = u->next)
        if (!built(c, jql_directive_add_unit(c->ds, idx, u->valuestring), r, "directive", NULL))
            return;
    for (const cJSON *l = levels ? levels->child : NULL; l; l = l->next)
        if (!built(c, jql_directive_add_level(c->ds, idx, l->valuestring), r, "directive",
                   NULL))
            return;
    for (const cJSON *a = answers ? answers->child : NULL; a; a = a->next)
        if (!built(c, jql_directive_add_answer(c->ds, idx, a->valuestring), r, "directive",
                   NULL))
            return;
    built(c, jql_directive_set_status(c->ds, idx, (jql_directive_status)status, completed), r,
          "directive", NULL);
}

static const char *const assessment_keys[] = {"unit", "period", "criterion", "self",
                                              "appraised", "not_applicable", "evidence", NULL};

static void load_assessment(ld *c, const cJSON *r, size_t i)
{
    const char *unit, *period, *criterion, *evidence;
    jql_milli self, appraised;
    bool na;
    check_keys(c, r, assessment_keys);
    bool ok = get_ref(c, r, "unit", true, REF_UNIT, &unit);
    ok = get_ref(c, r, "period", true, REF_PERIOD, &period) && ok;
    ok = get_string(c, r, "criterion", true, true, &criterion) && ok;
    ok = get_number(c, r, "self", false, "score", &self) && ok;
    ok = get_number(c, r, "appraised", false, "score", &appraised) && ok;
    ok = get_bool(c, r, "not_applicable", false, &na) && ok;
    ok = get_string(c, r, "evidence", false, false, &evidence) && ok;
    size_t idx;
    if (!ok || c->r.oom ||
        !built(c, jql_assessment_add(c->ds, unit, period, criterion, self, appraised, &idx), r,
               "assessment", NULL))
        return;
    note_index(c, K_ASSESSMENTS, i);
    if (na && !built(c, jql_assessment_set_not_applicable(c->ds, idx, true), r, "assessment",
                     NULL))
        return;
    if (evidence)
        built(c, jql_assessment_set_evidence(c->ds, idx, evidence), r, "assessment", NULL);
}

static const char *const event_keys[] = {"unit", "date", "kind", "text", "points", "evidence",
                                         NULL};

static void load_event(ld *c, const cJSON *r, size_t i)
{
    const char *unit, *kind, *text, *evidence;
    jql_date date;
    jql_milli points;
    check_keys(c, r, event_keys);
    bool ok = get_ref(c, r, "unit", true, REF_UNIT, &unit);
    ok = get_date(c, r, "date", true, false, &date) && ok;
    ok = get_string(c, r, "kind", true, false, &kind) && ok;
    ok = get_string(c, r, "text", false, false, &text) && ok;
    ok = get_number(c, r, "points", false, "points value", &points) && ok;
    ok = get_string(c, r, "evidence", false, false, &evidence) && ok;
    size_t idx;
    if (!ok || c->r.oom ||
        !built(c, jql_event_add(c->ds, unit, date, kind, text, &idx), r, "event", NULL))
        return;
    note_index(c, K_EVENTS, i);
    if (points != JQL_NO_SCORE &&
        !built(c, jql_event_set_points(c->ds, idx, points), r, "event", NULL))
        return;
    if (evidence)
        built(c, jql_event_set_evidence(c->ds, idx, evidence), r, "event", NULL);
}

/* ---- top level ---- */

typedef void (*record_fn)(ld *c, const cJSON *rec, size_t i);

/* A required non-empty object of non-empty keys to strings (`what` names a
   key in messages). NULL when absent or wrong (reported). */
static const cJSON *get_string_map(ld *c, const cJSON *r, const char *key, const char *what)
{
    const cJSON *obj = field(c, r, key, true);
    if (!obj)
        return NULL;
    bool ok = true;
    size_t old = push_key(c, key);
    if (!cJSON_IsObject(obj) || !obj->child) {
        err(c, obj, "expected a non-empty object of strings, found %s",
            cJSON_IsObject(obj) ? "an empty object" : type_name(obj));
        ok = false;
    } else {
        check_keys(c, obj, NULL);
        for (const cJSON *a = obj->child; a; a = a->next) {
            const char *v;
            size_t o2 = push_key(c, a->string);
            if (!key_ok(c, a))
                ok = false;
            else if (!*a->string) {
                err(c, a, "%s must not be empty", what);
                ok = false;
            } else if (!check_string(c, a, false, &v))
                ok = false;
            else if (!*v) {
                err(c, a, "expected a non-empty string");
                ok = false;
            }
            pop(c, o2);
        }
    }
    pop(c, old);
    return ok ? obj : NULL;
}

static const char *const label_keys[] = {"kind", "id", "names", NULL};

static void load_label(ld *c, const cJSON *r, size_t i)
{
    const char *kind, *id;
    check_keys(c, r, label_keys);
    bool ok = get_string(c, r, "kind", true, true, &kind);
    ok = get_string(c, r, "id", true, true, &id) && ok;
    const cJSON *names = get_string_map(c, r, "names", "a language");
    if (!ok || !names || c->r.oom)
        return;
    for (const cJSON *a = names->child; a; a = a->next)
        if (jql_label_lookup(c->ds, kind, id, a->string)) {
            err(c, r, "duplicate label: kind \"%s\", id \"%s\" already named", kind, id);
            return;
        }
    size_t n;
    keyed_member *sorted = sorted_members(names, false, &n);
    const cJSON *a = NULL;
    bool done = true;
    for (size_t k = 0; done && k < n; k++) {
        a = member_at(sorted, k, a, names);
        done = built(c, jql_label_set(c->ds, kind, id, a->string, a->valuestring), r, "label",
                     NULL);
    }
    keyed_free(sorted, n);
    if (done)
        note_index(c, K_LABELS, i);
}

static const char *const document_keys[] = {"period", "fields", NULL};

static void load_document(ld *c, const cJSON *r, size_t i)
{
    const char *period;
    check_keys(c, r, document_keys);
    bool ok = get_ref(c, r, "period", true, REF_PERIOD, &period);
    const cJSON *fields = get_string_map(c, r, "fields", "a field name");
    if (!ok || !fields || c->r.oom)
        return;
    if (jql_strmap_get(&c->ds->document_keys, period, NULL) == JQL_OK) {
        err(c, r, "duplicate document for period \"%s\"", period);
        return;
    }
    size_t n;
    keyed_member *sorted = sorted_members(fields, false, &n);
    const cJSON *a = NULL;
    bool done = true;
    for (size_t k = 0; done && k < n; k++) {
        a = member_at(sorted, k, a, fields);
        done = built(c, jql_document_set(c->ds, period, a->string, a->valuestring), r,
                     "document", NULL);
    }
    keyed_free(sorted, n);
    if (done)
        note_index(c, K_DOCUMENTS, i);
}

/* A reserved map's slots are read at random, one look-up per record:
   over a national dataset's 10-30 MB of slots on 4 KiB pages each
   look-up also missed the TLB and the first one of each page faulted.
   Huge pages where the kernel gives them (calloc'd, so not written yet). */
static bool reserve_map(jql_strmap *m, size_t n)
{
    if (jql_strmap_reserve(m, n) != JQL_OK)
        return true;
    if (!m->len)
        jql_advise_large(m->slots, m->cap * sizeof *m->slots);
    return false;
}

/* Records of a kind whose array lists n: their arrays and id maps sized
   once, instead of doubled record by record (every doubling copied the
   array into fresh memory, whose first writes are page faults: a tenth of
   a large load). At most one record per 16 bytes of text, so a hostile
   array of empty elements reserves no more than its text (and reserved
   memory is only mapped when written). */
static void reserve(ld *c, int kind, size_t n)
{
    jql_dataset *ds = c->ds;
    size_t most = c->r.len / 16;
    if (n > most)
        n = most;
    if (n > jql_ds_max_records(ds))
        n = jql_ds_max_records(ds);
    if (n < 64)
        return;
    bool failed = false;
#define RESERVE(vec) \
    (failed |= jql_vec_grow((void **)&(vec).items, &(vec).cap, n, sizeof *(vec).items) != 0)
    RESERVE(c->json_offset[kind]); /* each record taken notes its offset (note_index) */
    switch (kind) {
    case K_UNITS:
        RESERVE(ds->units);
        failed |=
            jql_vec_grow((void **)&ds->by_unit, &ds->by_unit_cap, n, sizeof *ds->by_unit) != 0;
        failed |= reserve_map(&ds->unit_ids, n);
        break;
    case K_STATISTICS:
        RESERVE(ds->stats);
        failed |= reserve_map(&ds->stat_range_keys, n);
        break;
    case K_REPORTS:
        RESERVE(ds->reports);
        failed |= reserve_map(&ds->report_keys, n);
        break;
    case K_TASKS:
        RESERVE(ds->tasks);
        failed |= reserve_map(&ds->task_ids, n);
        break;
    case K_SHORTCOMINGS:
        RESERVE(ds->shortcomings);
        failed |= reserve_map(&ds->shortcoming_ids, n);
        break;
    case K_DIRECTIVES:
        RESERVE(ds->directives);
        failed |= reserve_map(&ds->directive_ids, n);
        break;
    case K_ASSESSMENTS:
        RESERVE(ds->assessments);
        failed |= reserve_map(&ds->assessment_keys, n);
        break;
    case K_EVENTS:
        RESERVE(ds->events);
        break;
    default:
        break;
    }
#undef RESERVE
    if (failed)
        c->r.oom = true;
}

/* Decode every record of top-level array `kind` with fn: each record is
   built on its own from the text, decoded, then dropped (the array itself
   was only stepped over: jql_reader_parse_shallow). */
static void load_array(ld *c, const cJSON *root, int kind, record_fn fn)
{
    const cJSON *arr = field(c, root, kind_keys[kind], false);
    if (!arr)
        return;
    size_t old = push_key(c, kind_keys[kind]);
    if (!cJSON_IsArray(arr)) {
        err(c, arr, "expected an array, found %s", type_name(arr));
    } else if (jql_json_shallow_count(arr) > c->r.max_records) {
        err(c, arr, "more than %zu records", c->r.max_records);
    } else {
        size_t i = 0, pos = 0;
        const cJSON *r;
        reserve(c, kind, jql_json_shallow_count(arr));
        while (!c->r.oom && (r = jql_reader_next(&c->r, arr, &pos))) {
            size_t o2 = push_index(c, i);
            c->cur_off = jql_json_pos_offset(c->r.pos, r);
            if (cJSON_IsObject(r))
                fn(c, r, i);
            else
                err(c, r, "expected an object, found %s", type_name(r));
            pop(c, o2);
            i++;
        }
    }
    pop(c, old);
}

/* Pass 2 over the units pass 1 took, found again by their offsets. */
static void link_units(ld *c)
{
    const jql_sizevec *off = &c->json_offset[K_UNITS];
    size_t old = push_key(c, "units");
    for (size_t k = 0; k < off->len && !c->r.oom && !c->r.broken; k++) {
        const cJSON *r = jql_reader_build_at(&c->r, off->items[k]);
        if (!r)
            break;
        size_t o2 = push_index(c, json_at(c, K_UNITS, k));
        link_unit(c, r, k);
        pop(c, o2);
    }
    pop(c, old);
}

/* Parse "MAJOR.MINOR" exactly. */
/* Check "format": false when the rest should not be read (another format). */
static bool check_format(ld *c, const cJSON *root)
{
    return jql_reader_check_format(&c->r, root, JQL_DATASET_FORMAT, "dataset",
                                   JQL_DATASET_FORMAT_MAJOR, JQL_DATASET_FORMAT_MINOR);
}

static const char *const top_keys[] = {
    "format", "name", "description", "labels", "documents", "units", "periods", "indicators",
    "statistics", "reports", "tasks", "shortcomings", "directives", "assessments", "events",
    NULL};

static void load_root(ld *c, const cJSON *root)
{
    if (!jql_reader_is_object(&c->r, root, "a dataset"))
        return;
    if (jql_reader_other_kind(&c->r, root, JQL_DATASET_FORMAT, "dataset"))
        return; /* another kind of file: one line, not a flood of unknown keys */
    check_keys(c, root, top_keys);
    if (!check_format(c, root))
        return;
    const char *name, *desc;
    if (get_string(c, root, "name", false, false, &name) && name)
        built(c, jql_dataset_set_name(c->ds, name), root, "dataset", NULL);
    if (get_string(c, root, "description", false, false, &desc) && desc)
        built(c, jql_dataset_set_description(c->ds, desc), root, "dataset", NULL);
    load_array(c, root, K_PERIODS, load_period);
    load_array(c, root, K_UNITS, load_unit);
    link_units(c);
    load_array(c, root, K_INDICATORS, load_indicator);
    load_array(c, root, K_STATISTICS, load_stat);
    load_array(c, root, K_REPORTS, load_report);
    load_array(c, root, K_TASKS, load_task);
    load_array(c, root, K_SHORTCOMINGS, load_shortcoming);
    load_array(c, root, K_DIRECTIVES, load_directive);
    load_array(c, root, K_ASSESSMENTS, load_assessment);
    load_array(c, root, K_EVENTS, load_event);
    load_array(c, root, K_LABELS, load_label);
    load_array(c, root, K_DOCUMENTS, load_document);
}

/* Resolve a JSON Pointer against the tree (NULL when it names nothing). */
static const cJSON *resolve_pointer(const cJSON *node, const char *p)
{
    while (node && *p == '/') {
        p++;
        size_t n = strcspn(p, "/");
        char tok[160];
        size_t k = 0;
        for (size_t j = 0; j < n && k < sizeof tok - 1; j++) {
            if (p[j] == '~' && j + 1 < n) {
                tok[k++] = p[j + 1] == '1' ? '/' : '~';
                j++;
            } else {
                tok[k++] = p[j];
            }
        }
        tok[k] = '\0';
        if (cJSON_IsArray(node)) {
            char *end;
            unsigned long idx = strtoul(tok, &end, 10);
            node = *end || !*tok ? NULL : cJSON_GetArrayItem(node, (int)idx);
        } else if (cJSON_IsObject(node)) {
            node = cJSON_GetObjectItemCaseSensitive(node, tok);
        } else {
            node = NULL;
        }
        p += n;
    }
    return node;
}

/* Merge jql_dataset_check()'s problems: its record indices count records
   in the dataset, which skips records we refused, so map them back. */
static void merge_check(ld *c, const cJSON *root)
{
    jql_diagnostics *d = NULL;
    int rc = jql_dataset_check(c->ds, &d);
    if (rc == JQL_ENOMEM) {
        c->r.oom = true;
        return;
    }
    for (size_t e = 0; e < jql_diagnostics_count(d); e++) {
        const char *path = jql_diagnostics_path(d, e);
        jql_buf p;
        jql_buf_init(&p);
        int kind = -1;
        for (int k = 0; k < K_COUNT && kind < 0; k++) {
            size_t n = strlen(kind_keys[k]);
            if (path[0] == '/' && strncmp(path + 1, kind_keys[k], n) == 0 && path[n + 1] == '/')
                kind = k;
        }
        const char *rest = path;
        size_t rec_off = SIZE_MAX; /* the record the path is in, if any */
        if (kind >= 0) {
            char *end;
            const char *num = path + strlen(kind_keys[kind]) + 2;
            unsigned long i = strtoul(num, &end, 10);
            if (end != num && i < c->json_offset[kind].len) {
                jql_buf_printf(&p, "/%s/%zu", kind_keys[kind], json_at(c, kind, i));
                rest = end;
                rec_off = c->json_offset[kind].items[i];
            }
        }
        jql_buf_puts(&p, rest);
        if (p.failed) {
            c->r.oom = true;
            jql_buf_free(&p);
            break;
        }
        /* A value the decoder already complained about needs no second message. */
        bool dup = false;
        for (size_t k = 0; k < jql_diagnostics_count(c->r.diag) && !dup; k++)
            dup = strcmp(jql_diagnostics_path(c->r.diag, k), p.data) == 0;
        if (!dup) {
            /* within a record: that record built again from its offset */
            const cJSON *n = rec_off == SIZE_MAX ? resolve_pointer(root, p.data)
                                                 : jql_reader_build_at(&c->r, rec_off);
            if (n && rec_off != SIZE_MAX)
                n = resolve_pointer(n, rest);
            unsigned line = 0, col = 0;
            if (n)
                line_col(c, jql_json_pos_offset(c->r.pos, n), &line, &col);
            jql_diag_add(c->r.diag, jql_diagnostics_severity(d, e), p.data, line, col, "%s",
                         jql_diagnostics_message(d, e));
            if (jql_diagnostics_severity(d, e) == JQL_SEVERITY_ERROR)
                c->r.errors++;
        }
        jql_buf_free(&p);
    }
    jql_diagnostics_free(d);
}

static void ld_free(ld *c)
{
    jql_reader_free(&c->r);
    jql_strmap_free(&c->bad_units);
    jql_strmap_free(&c->bad_periods);
    jql_strmap_free(&c->bad_indicators);
    jql_strmap_free(&c->stat_refused);
    for (int k = 0; k < K_COUNT; k++)
        jql_sizevec_free(&c->json_index[k]);
    for (int k = 0; k < K_COUNT; k++)
        jql_sizevec_free(&c->json_offset[k]);
}

int jql_dataset_load_buffer(const char *data, size_t len, const char *source,
                            jql_dataset **out, jql_diagnostics **diag)
{
    return jql_dataset_load_buffer_ext(data, len, source, NULL, out, diag);
}

int jql_dataset_load_buffer_ext(const char *data, size_t len, const char *source,
                                const jql_load_options *opts, jql_dataset **out,
                                jql_diagnostics **diag)
{
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    if (!out)
        return jql_fail(JQL_EINVALID, "jql_dataset_load_buffer: no output pointer");
    jql_limits lim;
    int lrc = jql_limits_from(opts, &lim);
    if (lrc)
        return lrc;
    if (!data && len)
        return jql_fail(JQL_EINVALID, "jql_dataset_load_buffer: no data");
    if (!source)
        source = "<memory>";

    ld c;
    memset(&c, 0, sizeof c);
    if (jql_reader_init(&c.r, source) != JQL_OK)
        return jql_fail(JQL_ENOMEM, "out of memory");
    jql_reader_set_limits(&c.r, &lim);
    int status = jql_reader_parse_shallow(&c.r, data, len);
    if (status == JQL_OK) {
        if (!(c.ds = jql_dataset_new())) {
            c.r.oom = true;
        } else {
            c.ds->max_records = lim.max_records;
            load_root(&c, c.r.root);
        }
        if (!c.r.oom && c.ds)
            merge_check(&c, c.r.root);
    }
    status = jql_reader_finish(&c.r, status, source);
    jql_diagnostics *d = c.r.diag;
    ld_free(&c);
    if (status == JQL_OK) {
        *out = c.ds;
    } else {
        jql_dataset_free(c.ds);
    }
    if (status == JQL_ENOMEM || !diag) {
        jql_diagnostics_free(d);
    } else {
        *diag = d;
    }
    return status;
}

int jql_dataset_load_path(const char *path, jql_dataset **out, jql_diagnostics **diag)
{
    return jql_dataset_load_path_ext(path, NULL, out, diag);
}

int jql_dataset_load_path_ext(const char *path, const jql_load_options *opts, jql_dataset **out,
                              jql_diagnostics **diag)
{
    char *data;
    size_t len;
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    jql_limits lim;
    int rc = jql_limits_from(opts, &lim);
    if (rc)
        return rc;
    rc = jql_read_path(path, lim.max_input + 1, &data, &len);
    if (rc)
        return rc;
    rc = jql_dataset_load_buffer_ext(data, len, path, opts, out, diag);
    jql_free(data);
    return rc;
}

int jql_dataset_load_file(FILE *fp, const char *source, jql_dataset **out,
                          jql_diagnostics **diag)
{
    return jql_dataset_load_file_ext(fp, source, NULL, out, diag);
}

int jql_dataset_load_file_ext(FILE *fp, const char *source, const jql_load_options *opts,
                              jql_dataset **out, jql_diagnostics **diag)
{
    char *data;
    size_t len;
    if (out)
        *out = NULL;
    if (diag)
        *diag = NULL;
    if (!source)
        source = "<stream>";
    jql_limits lim;
    int rc = jql_limits_from(opts, &lim);
    if (rc)
        return rc;
    rc = jql_read_stream(fp, source, lim.max_input + 1, &data, &len);
    if (rc)
        return rc;
    rc = jql_dataset_load_buffer_ext(data, len, source, opts, out, diag);
    jql_free(data);
    return rc;
}
