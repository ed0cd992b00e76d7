/*
 * Records other than units and periods: indicators, statistics, reports,
 * tasks, shortcomings, directives, assessments and events. Accessors and
 * the builder functions that keep the id maps and per-unit indexes current.
 *
 * Pattern of every add: validate, resolve references, do the fallible
 * allocations, register keys in a map last (maps have no removal), and on
 * failure undo so the dataset is left as it was.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

/* ---- shared helpers ---- */

/* Accessor returning `field` of record i of `vec`, or `none` out of range. */
#define GETTER(type, fn, vec, field, none)                                      \
    type fn(const jql_dataset *ds, size_t i)                                    \
    {                                                                           \
        return ds && i < ds->vec.len ? (type)ds->vec.items[i].field : (none); \
    }

/* Builder preamble: refuse an index out of range. */
#define NEED(vec, what)                                              \
    do {                                                             \
        if (!ds || i >= ds->vec.len)                                 \
            return jql_fail(JQL_ENOTFOUND, "no %s %zu", what, i); \
    } while (0)

#define LIMIT(vec, what)                                                           \
    do {                                                                           \
        if (ds->vec.len >= jql_ds_max_records(ds))                                 \
            return jql_fail(JQL_ELIMIT, "more than %zu %s", jql_ds_max_records(ds), what); \
    } while (0)

static int oom(void) { return jql_fail(JQL_ENOMEM, "out of memory"); }

static int need_text(const char *what, const char *s)
{
    if (!s)
        return jql_fail(JQL_EINVALID, "%s is required", what);
    return jql_check_text(what, s);
}

/* A short free name (kind, level): non-empty text. */
static int need_name(const char *what, const char *s)
{
    if (!s || !*s)
        return jql_fail(JQL_EINVALID, "%s must be a non-empty string", what);
    return jql_check_text(what, s);
}

static int need_date(const char *what, jql_date d)
{
    if (d == JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "%s date is required", what);
    if (!jql_date_in_range(d)) /* it could not be saved and read back */
        return jql_fail(JQL_EINVALID, "%s date %ld is outside the years %d..%d", what, (long)d,
                        JQL_YEAR_MIN, JQL_YEAR_MAX);
    return JQL_OK;
}

/* An optional date: JQL_NO_DATE, or one need_date() accepts. */
static int opt_date(const char *what, jql_date d)
{
    return d == JQL_NO_DATE ? JQL_OK : need_date(what, d);
}

/* A score or points: >= 0 and within JQL_MILLI_MAX, or JQL_NO_SCORE. */
static int check_score(const char *what, jql_milli v)
{
    if (v == JQL_NO_SCORE)
        return JQL_OK;
    if (v < 0)
        return jql_fail(JQL_EINVALID, "negative %s", what);
    if (v > JQL_MILLI_MAX)
        return jql_fail(JQL_EINVALID, "%s too large", what);
    return JQL_OK;
}

static int unit_ref(const jql_dataset *ds, const char *id, size_t *out)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "unit id is required");
    if (jql_strmap_get(&ds->unit_ids, id, out) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown unit \"%s\"", id);
    return JQL_OK;
}

static int period_ref(const jql_dataset *ds, const char *id, jql_range *out)
{
    if (!id)
        return jql_fail(JQL_EINVALID, "period id is required");
    if (jql_ds_resolve_period(ds, id, out) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown period \"%s\"", id);
    return JQL_OK;
}

static int id_find(const jql_strmap *m, const char *what, const char *id, size_t *index)
{
    if (!id || jql_strmap_get(m, id, index) != JQL_OK)
        return jql_fail(JQL_ENOTFOUND, "unknown %s \"%s\"", what, id ? id : "");
    return JQL_OK;
}

/* Check a new record id: valid and not yet used among its kind. *spot:
   where it goes in m (jql_strmap_put_spot, when m took no key since). */
static int new_id(const jql_strmap *m, const char *what, const char *id, jql_strmap_spot *spot)
{
    int rc = jql_check_id(what, id);
    if (rc)
        return rc;
    if (jql_strmap_get_spot(m, id, NULL, spot) == JQL_OK)
        return jql_fail(JQL_EEXISTS, "id \"%s\" already used by another %s", id, what);
    return JQL_OK;
}

/* The dataset's shared copy of a repeated short string (model.h,
   ds->interned), in NFC; NULL in, NULL out. Not to be freed. */
static char *intern(jql_dataset *ds, const char *s)
{
    return s ? (char *)jql_strmap_intern(&ds->interned, s) : NULL;
}

char *jql_ds_intern(jql_dataset *ds, const char *s) { return intern(ds, s); }

/* Replace an optional text field (NULL clears). */
static int set_opt_text(char **slot, const char *what, const char *s)
{
    int rc = jql_check_text(what, s);
    return rc ? rc : jql_str_replace(slot, s);
}

/* The same for a field matched by criteria filters: kept in NFC. */
static int set_opt_key(char **slot, const char *what, const char *s)
{
    int rc = jql_check_text(what, s);
    return rc ? rc : jql_str_replace_nfc(slot, s);
}

/* Append a copy of s to a string array that grows one slot at a time. */
static int strv_push(char ***v, size_t *n, const char *s)
{
    char *copy = jql_strdup_nfc(s); /* levels and answer ids */
    char **nv = copy ? jql_grow_pow2(*v, *n, sizeof *nv) : NULL;
    if (!nv) {
        jql_free(copy);
        return oom();
    }
    nv[(*n)++] = copy;
    *v = nv;
    return JQL_OK;
}

/* The date a unit's list is read by (model.h): a statistic's, report's or
   assessment's start, a task's or directive's due date, an event's date. */
typedef enum { BY_STAT, BY_REPORT, BY_TASK, BY_ASSESSMENT, BY_EVENT, BY_DIRECTIVE } date_of;

static jql_date record_date(const jql_dataset *ds, date_of k, size_t i)
{
    switch (k) {
    case BY_STAT: return ds->stats.items[i].range.start;
    case BY_REPORT: return ds->reports.items[i].range.start;
    case BY_TASK: return ds->tasks.items[i].due;
    case BY_ASSESSMENT: return ds->assessments.items[i].range.start;
    case BY_EVENT: return ds->events.items[i].date;
    default: return ds->directives.items[i].due;
    }
}

/* A record dated d is about to enter `list` at pos: the list's dates by
   block, kept once it is longer than a list read whole (a unit's year of
   records keeps none: they would be a small allocation per list and unit,
   never read). */
static int note_date(const jql_dataset *ds, date_of k, jql_date_spans *spans,
                     const jql_sizevec *list, size_t pos, jql_date d)
{
    if (spans->len == 0) {
        if (list->len + 1 <= JQL_DATES_READ_ALL)
            return 0;
        for (size_t j = 0; j < list->len; j++) /* the list so far */
            if (jql_dates_insert(spans, j, j + 1, record_date(ds, k, list->items[j]))) {
                spans->len = 0; /* none rather than some: read whole */
                return JQL_ENOMEM;
            }
    }
    return jql_dates_insert(spans, pos, list->len + 1, d);
}

/* Where x goes in the ascending list v (its index if there). */
static size_t sorted_pos(const jql_sizevec *v, size_t x)
{
    size_t lo = 0, hi = v->len;
    if (hi && v->items[hi - 1] < x)
        return hi; /* the usual case: records are added in order */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v->items[mid] < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Insert x into the ascending list v: JQL_OK, JQL_EEXISTS (already there:
   v unchanged) or JQL_ENOMEM. Per-unit lists answer "already listed" in
   O(log n) this way, so a record naming 100,000s of units stays linear. */
static int sorted_insert(jql_sizevec *v, size_t x)
{
    size_t lo = sorted_pos(v, x);
    if (lo < v->len && v->items[lo] == x)
        return JQL_EEXISTS;
    if (jql_sizevec_push(v, x))
        return JQL_ENOMEM;
    memmove(v->items + lo + 1, v->items + lo, (v->len - 1 - lo) * sizeof *v->items);
    v->items[lo] = x;
    return JQL_OK;
}

static bool sorted_has(const jql_sizevec *v, size_t x)
{
    size_t i = sorted_pos(v, x);
    return i < v->len && v->items[i] == x;
}

/* Undo a sorted_insert of x. */
static void sorted_remove(jql_sizevec *v, size_t x)
{
    for (size_t k = v->len; k-- > 0;)
        if (v->items[k] == x) {
            memmove(v->items + k, v->items + k + 1, (v->len - k - 1) * sizeof *v->items);
            v->len--;
            return;
        }
}

/* Register key -> value in m; key built from up to three parts. */
static int key_put(jql_strmap *m, const char *a, const char *b, const char *c, size_t value)
{
    char buf[512];
    bool heap;
    char *key = jql_key3(buf, sizeof buf, a, b, c, &heap);
    if (!key)
        return oom();
    int rc = jql_strmap_put(m, key, value) ? oom() : JQL_OK;
    if (heap)
        jql_free(key);
    return rc;
}

/* JQL_OK with *value, JQL_ENOTFOUND, or JQL_ENOMEM. */
static int key_get(const jql_strmap *m, const char *a, const char *b, const char *c, size_t *value)
{
    char buf[512];
    bool heap;
    char *key = jql_key3(buf, sizeof buf, a, b, c, &heap);
    if (!key)
        return oom();
    int rc = jql_strmap_get(m, key, value);
    if (heap)
        jql_free(key);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Indicators                                                          */
/* ------------------------------------------------------------------ */

size_t jql_indicator_count(const jql_dataset *ds) { return ds ? ds->indicators.len : 0; }

int jql_indicator_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_ENOTFOUND, "no dataset");
    return id_find(&ds->indicator_ids, "indicator", id, index);
}

GETTER(const char *, jql_indicator_id, indicators, id, NULL)
GETTER(const char *, jql_indicator_name, indicators, name, NULL)
GETTER(const char *, jql_indicator_measure_unit, indicators, measure_unit, NULL)
GETTER(const char *, jql_indicator_field, indicators, field, NULL)
GETTER(jql_aggregation, jql_indicator_aggregation, indicators, agg, JQL_AGG_SUM)

int jql_indicator_add(jql_dataset *ds, const char *id, const char *name,
                      const char *measure_unit, jql_aggregation agg, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    jql_strmap_spot spot;
    int rc = new_id(&ds->indicator_ids, "indicator", id, &spot);
    if (rc || (rc = need_text("indicator name", name)) ||
        (rc = jql_check_text("measurement unit", measure_unit)))
        return rc;
    if ((int)agg < JQL_AGG_SUM || agg > JQL_AGG_MAX)
        return jql_fail(JQL_EINVALID, "unknown aggregation %d", (int)agg);
    LIMIT(indicators, "indicators");
    if (JQL_VEC_RESERVE1(ds->indicators))
        return oom();
    jql_indicator_rec r = {0};
    r.agg = agg;
    r.id = jql_strdup_nfc(id);
    r.name = jql_strdup(name);
    r.measure_unit = jql_strdup(measure_unit);
    if (!r.id || !r.name || (measure_unit && !r.measure_unit) ||
        jql_strmap_put_spot(&ds->indicator_ids, id, ds->indicators.len, &spot)) {
        jql_free(r.id);
        jql_free(r.name);
        jql_free(r.measure_unit);
        return oom();
    }
    if (index)
        *index = ds->indicators.len;
    ds->indicators.items[ds->indicators.len++] = r;
    return JQL_OK;
}

int jql_indicator_set_field(jql_dataset *ds, size_t i, const char *field)
{
    NEED(indicators, "indicator");
    return set_opt_key(&ds->indicators.items[i].field, "indicator field", field);
}

/* ------------------------------------------------------------------ */
/* Statistics                                                          */
/* ------------------------------------------------------------------ */

size_t jql_stat_count(const jql_dataset *ds) { return ds ? ds->stats.len : 0; }
GETTER(size_t, jql_stat_unit, stats, unit, JQL_NONE)
GETTER(size_t, jql_stat_indicator, stats, indicator, JQL_NONE)
GETTER(const char *, jql_stat_period, stats, period, NULL)
GETTER(jql_milli, jql_stat_value, stats, value, 0)

/* Lower-case hex digits of v at o; returns the end. */
static char *put_hex(char *o, uint64_t v)
{
    char tmp[16];
    size_t n = 0;
    do {
        tmp[n++] = "0123456789abcdef"[v & 15];
        v >>= 4;
    } while (v);
    while (n)
        *o++ = tmp[--n];
    return o;
}

/* "unit\x1findicator\x1fSTART\x1fEND" in hex: the key of a statistic's
   dates, by record index (ids are never changed), so short: a national
   dataset has one per statistic. By hand: snprintf here, five times per
   statistic loaded, was a tenth of a large load. */
static const char *range_key(char buf[RANGE_KEY_BYTES], size_t unit, size_t indicator,
                             jql_range r)
{
    char *o = put_hex(buf, unit);
    *o++ = '\x1f';
    o = put_hex(o, indicator);
    *o++ = '\x1f';
    o = put_hex(o, (uint64_t)(int64_t)r.start);
    *o++ = '\x1f';
    o = put_hex(o, (uint64_t)(int64_t)r.end);
    *o = '\0';
    return buf;
}

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                      \
    do {                                                                              \
        v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);                      \
        v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                                          \
        v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                                          \
        v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);                      \
    } while (0)

/* SipHash-1-3 of the two indices under the maps' per-process key (util.c):
   which pairs carry a statistic is the file's choice, and an unkeyed hash
   would let it pile them into one cluster of the table. */
static uint64_t pair_hash(uint64_t a, uint64_t b)
{
    uint64_t k[2];
    jql_strmap_hash_key(k);
    uint64_t v0 = k[0] ^ 0x736f6d6570736575ULL, v1 = k[1] ^ 0x646f72616e646f6dULL;
    uint64_t v2 = k[0] ^ 0x6c7967656e657261ULL, v3 = k[1] ^ 0x7465646279746573ULL;
    const uint64_t m[3] = {a, b, (uint64_t)16 << 56};
    for (int i = 0; i < 3; i++) {
        v3 ^= m[i];
        SIPROUND;
        v0 ^= m[i];
    }
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return v0 ^ v1 ^ v2 ^ v3;
}

/* Where (unit, indicator) is or goes in ds->pair_tab: the indices hashed,
   not a formatted key (a second string map per statistic cost a third
   more load time). */
static size_t pair_pos(const jql_dataset *ds, size_t unit, size_t indicator)
{
    uint64_t h = pair_hash(unit, indicator);
    size_t mask = ds->pair_tab_cap - 1, at = (size_t)h & mask;
    for (;; at = (at + 1) & mask) {
        size_t s = ds->pair_tab[at];
        if (!s || (ds->stat_pairs[s - 1].unit == unit && ds->stat_pairs[s - 1].indicator == indicator))
            return at;
    }
}

size_t jql_ds_stat_pair(const jql_dataset *ds, size_t unit, size_t indicator)
{
    if (!ds->pair_tab_cap)
        return JQL_NONE;
    size_t s = ds->pair_tab[pair_pos(ds, unit, indicator)];
    return s ? s - 1 : JQL_NONE;
}

/* Room in pair_tab for one more pair (kept at most half full). */
static int pair_tab_reserve(jql_dataset *ds)
{
    if (2 * (ds->nstat_pairs + 1) <= ds->pair_tab_cap)
        return JQL_OK;
    size_t cap = ds->pair_tab_cap ? 2 * ds->pair_tab_cap : 64;
    size_t *tab = jql_calloc(cap, sizeof *tab);
    if (!tab)
        return JQL_ENOMEM;
    jql_free(ds->pair_tab);
    ds->pair_tab = tab;
    ds->pair_tab_cap = cap;
    for (size_t i = 0; i < ds->nstat_pairs; i++)
        tab[pair_pos(ds, ds->stat_pairs[i].unit, ds->stat_pairs[i].indicator)] = i + 1;
    return JQL_OK;
}

/* The pair of (u, ind), made (and chained to its indicator's) when it is
   new; NULL: out of memory. */
static jql_stat_pair *stat_pair_get(jql_dataset *ds, size_t u, size_t ind)
{
    size_t slot, n = ds->nstat_pairs;
    if (ds->last_pair) {
        jql_stat_pair *last = &ds->stat_pairs[ds->last_pair - 1];
        if (last->unit == u && last->indicator == ind)
            return last;
    }
    if ((slot = jql_ds_stat_pair(ds, u, ind)) != JQL_NONE) {
        ds->last_pair = slot + 1;
        return &ds->stat_pairs[slot];
    }
    if (ind >= ds->nind_pairs) {
        size_t cap = ds->nind_pairs;
        if (jql_vec_grow((void **)&ds->ind_pairs, &cap, ind + 1, sizeof *ds->ind_pairs))
            return NULL;
        memset(ds->ind_pairs + ds->nind_pairs, 0, (cap - ds->nind_pairs) * sizeof *ds->ind_pairs);
        ds->nind_pairs = cap;
    }
    if (jql_vec_grow((void **)&ds->stat_pairs, &ds->stat_pairs_cap, n + 1,
                     sizeof *ds->stat_pairs) ||
        pair_tab_reserve(ds))
        return NULL;
    jql_ind_pairs *chain = &ds->ind_pairs[ind];
    if (chain->last)
        ds->stat_pairs[chain->last - 1].next = n + 1;
    else
        chain->first = n + 1;
    chain->last = n + 1;
    chain->count++;
    ds->stat_pairs[n] = (jql_stat_pair){.unit = u, .indicator = ind, .one = JQL_NONE};
    ds->pair_tab[pair_pos(ds, u, ind)] = n + 1;
    ds->nstat_pairs++;
    ds->last_pair = n + 1;
    return &ds->stat_pairs[n];
}

/* Statistic i (of range r) into pair p's list, in record order. 0 or
   JQL_ENOMEM. The pair's bounds only widen (a statistic's dates never
   change), also when the push is undone: bounds that are too wide cost a
   reading, never an answer. */
static int stat_pair_push(jql_stat_pair *p, size_t i, jql_range r)
{
    jql_stat_pair_index_drop(p);
    if (!p->more.items && p->one == JQL_NONE) {
        p->one = i;
        p->lo = r.start;
        p->hi = r.end;
        return JQL_OK;
    }
    if (r.start < p->lo)
        p->lo = r.start;
    if (r.end > p->hi)
        p->hi = r.end;
    if (!p->more.items && jql_sizevec_push(&p->more, p->one))
        return JQL_ENOMEM;
    return jql_sizevec_push(&p->more, i);
}

/* Undo the last stat_pair_push() (a later step failed). */
static void stat_pair_pop(jql_stat_pair *p)
{
    jql_stat_pair_index_drop(p);
    if (p->more.items)
        p->more.len--;
    else
        p->one = JQL_NONE;
}

int jql_ds_stat_by_dates(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                         size_t *index, jql_strmap_spot *spot)
{
    char buf[RANGE_KEY_BYTES];
    size_t i;
    jql_strmap_spot none;
    if (jql_strmap_get_spot(&ds->stat_range_keys, range_key(buf, unit, indicator, r), &i,
                            spot ? spot : &none) != JQL_OK)
        return JQL_ENOTFOUND;
    if (spot)
        spot->slots = NULL; /* found: the key is there (for a stale entry, see below) */
    if (i >= ds->stats.len)
        return JQL_ENOTFOUND;
    /* checked in full: an entry left by a failed insertion is harmless */
    const jql_stat_rec *s = &ds->stats.items[i];
    if (s->unit != unit || s->indicator != indicator || s->range.start != r.start ||
        s->range.end != r.end)
        return JQL_ENOTFOUND;
    *index = i;
    return JQL_OK;
}

void jql_ds_stat_prefetch(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r)
{
    char buf[RANGE_KEY_BYTES];
    jql_strmap_prefetch(&ds->stat_range_keys, range_key(buf, unit, indicator, r));
}

int jql_ds_stat_find(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                     const char *period, size_t *index)
{
    size_t i;
    if (jql_ds_stat_by_dates(ds, unit, indicator, r, &i, NULL) != JQL_OK)
        return JQL_ENOTFOUND;
    char buf[256], *heap = NULL;
    const char *nfc = jql_nfc_key(period, buf, sizeof buf, &heap); /* periods are kept in NFC */
    bool same = strcmp(ds->stats.items[i].period, nfc) == 0;
    jql_free(heap);
    if (!same)
        return JQL_ENOTFOUND;
    *index = i;
    return JQL_OK;
}

int jql_ds_stat_same_dates(const jql_dataset *ds, size_t unit, size_t indicator, jql_range r,
                           const char *period, size_t *other)
{
    size_t i;
    if (jql_ds_stat_by_dates(ds, unit, indicator, r, &i, NULL) != JQL_OK ||
        strcmp(ds->stats.items[i].period, period) == 0)
        return JQL_ENOTFOUND;
    *other = i;
    return JQL_OK;
}

/* Results scored from ds are alive (they hold it): keep statistic i's
   current value for them before it changes (jql_ds_stat_value). */
static int remember_value(jql_dataset *ds, size_t i)
{
    if (i >= ds->stat_last_len) {
        size_t n = ds->stats.len, cap = ds->stat_last_len;
        if (jql_vec_grow((void **)&ds->stat_last_change, &cap, n, sizeof *ds->stat_last_change))
            return JQL_ENOMEM;
        memset(ds->stat_last_change + ds->stat_last_len, 0,
               (cap - ds->stat_last_len) * sizeof *ds->stat_last_change);
        ds->stat_last_len = cap;
    }
    if (jql_vec_grow((void **)&ds->stat_changes, &ds->stat_changes_cap, ds->nstat_changes + 1,
                     sizeof *ds->stat_changes))
        return JQL_ENOMEM;
    ds->stat_changes[ds->nstat_changes] =
        (jql_stat_change){.old = ds->stats.items[i].value, .prev = ds->stat_last_change[i]};
    ds->stat_last_change[i] = ++ds->nstat_changes;
    return JQL_OK;
}

int jql_stat_set_value(jql_dataset *ds, const char *unit, const char *indicator, const char *period,
                 jql_milli value)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    if (value < 0)
        return jql_fail(JQL_EINVALID, "negative value for a statistic");
    if (value > JQL_MILLI_MAX)
        return jql_fail(JQL_EINVALID, "statistic value too large");
    size_t u, ind;
    jql_range r;
    int rc = unit_ref(ds, unit, &u);
    if (rc || (rc = id_find(&ds->indicator_ids, "indicator", indicator, &ind)) ||
        (rc = period_ref(ds, period, &r)))
        return rc;
    return jql_ds_stat_set_resolved(ds, u, ind, (jql_stat_names){unit, indicator, period}, r,
                                    value, NULL);
}

int jql_ds_stat_set_resolved(jql_dataset *ds, size_t u, size_t ind, jql_stat_names names,
                             jql_range r, jql_milli value, jql_milli *replaced)
{
    if (value < 0)
        return jql_fail(JQL_EINVALID, "negative value for a statistic");
    if (value > JQL_MILLI_MAX)
        return jql_fail(JQL_EINVALID, "statistic value too large");
    /* one look-up of the dates: the statistic to replace, one of the same
       dates under another period id, or where the new one's key goes */
    size_t existing;
    jql_strmap_spot spot;
    if (jql_ds_stat_by_dates(ds, u, ind, r, &existing, &spot) == JQL_OK) {
        char buf[256], *heap = NULL;
        const char *nfc = jql_nfc_key(names.period, buf, sizeof buf, &heap); /* kept in NFC */
        bool same = strcmp(ds->stats.items[existing].period, nfc) == 0;
        jql_free(heap);
        /* Two period ids with the same dates would make the score depend on
           record order (docs/SCORING.md, Statistics over a period). */
        if (!same)
            return jql_fail(JQL_EINVALID,
                            "duplicate statistic: unit \"%s\", indicator \"%s\": period \"%s\" "
                            "has the same dates as period \"%s\", which already has a value",
                            names.unit, names.indicator, names.period,
                            ds->stats.items[existing].period);
        jql_milli old = ds->stats.items[existing].value;
        if (old != value && atomic_load_explicit(&ds->refs, memory_order_relaxed) > 1 &&
            remember_value(ds, existing))
            return oom();
        ds->stats.items[existing].value = value;
        if (old != value) /* the pair's values combined are no longer so */
            jql_stat_pair_index_drop(&ds->stat_pairs[jql_ds_stat_pair(ds, u, ind)]);
        if (replaced)
            *replaced = old;
        return JQL_OK;
    }
    LIMIT(stats, "statistics"); /* before the period is shared, as always */
    char *shared = intern(ds, names.period);
    if (!shared)
        return oom();
    return jql_ds_stat_append(ds, u, ind, r, shared, value, &spot);
}

int jql_ds_stat_append(jql_dataset *ds, size_t u, size_t ind, jql_range r, const char *period,
                       jql_milli value, const jql_strmap_spot *spot)
{
    jql_strmap_spot none = {0};
    if (value < 0)
        return jql_fail(JQL_EINVALID, "negative value for a statistic");
    if (value > JQL_MILLI_MAX)
        return jql_fail(JQL_EINVALID, "statistic value too large");
    LIMIT(stats, "statistics");
    if (JQL_VEC_RESERVE1(ds->stats))
        return oom();
    jql_stat_rec s = {.unit = u, .indicator = ind, .range = r, .value = value};
    if (!(s.period = (char *)period))
        return jql_fail(JQL_EINVALID, "period id is required");
    jql_sizevec *idx = &ds->by_unit[u].stats;
    if (note_date(ds, BY_STAT, &ds->by_unit[u].stats_at, idx, idx->len, r.start))
        return oom();
    jql_stat_pair *pair = stat_pair_get(ds, u, ind);
    if (!pair || stat_pair_push(pair, ds->stats.len, r))
        return oom(); /* a pair left empty holds no value: harmless */
    if (jql_sizevec_push(idx, ds->stats.len)) {
        stat_pair_pop(pair);
        return oom();
    }
    char buf[RANGE_KEY_BYTES];
    if (jql_strmap_put_spot(&ds->stat_range_keys, range_key(buf, u, ind, r), ds->stats.len,
                            spot ? spot : &none)) {
        idx->len--; /* stale map entries are checked in full before use */
        stat_pair_pop(pair);
        return oom();
    }
    ds->stats.items[ds->stats.len++] = s;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Reports                                                             */
/* ------------------------------------------------------------------ */

size_t jql_report_count(const jql_dataset *ds) { return ds ? ds->reports.len : 0; }
GETTER(size_t, jql_report_unit, reports, unit, JQL_NONE)
GETTER(const char *, jql_report_period, reports, period, NULL)
GETTER(const char *, jql_report_kind, reports, kind, NULL)
GETTER(jql_date, jql_report_due, reports, due, JQL_NO_DATE)
GETTER(jql_date, jql_report_submitted, reports, submitted, JQL_NO_DATE)
GETTER(bool, jql_report_complete, reports, complete, false)

int jql_report_add(jql_dataset *ds, const char *unit, const char *period, const char *kind,
                   jql_date due, jql_date submitted, bool complete, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    size_t u;
    jql_range r;
    int rc = unit_ref(ds, unit, &u);
    if (rc || (rc = period_ref(ds, period, &r)) || (rc = need_name("report kind", kind)) ||
        (rc = need_date("report due", due)) || (rc = opt_date("report submission", submitted)))
        return rc;
    rc = key_get(&ds->report_keys, unit, period, kind, NULL);
    if (rc == JQL_OK)
        return jql_fail(JQL_EEXISTS, "unit \"%s\" already has a \"%s\" report for period \"%s\"",
                        unit, kind, period);
    if (rc != JQL_ENOTFOUND)
        return rc;
    LIMIT(reports, "reports");
    if (JQL_VEC_RESERVE1(ds->reports))
        return oom();
    jql_report_rec p = {.unit = u, .range = r, .due = due, .submitted = submitted,
                        .complete = complete};
    p.period = intern(ds, period);
    p.kind = intern(ds, kind);
    jql_sizevec *idx = &ds->by_unit[u].reports;
    if (!p.period || !p.kind ||
        note_date(ds, BY_REPORT, &ds->by_unit[u].reports_at, idx, idx->len, r.start) ||
        jql_sizevec_push(idx, ds->reports.len))
        return oom();
    if (key_put(&ds->report_keys, unit, period, kind, ds->reports.len)) {
        idx->len--;
        return oom();
    }
    if (index)
        *index = ds->reports.len;
    ds->reports.items[ds->reports.len++] = p;
    jql_ds_kind_index_drop(ds, JQL_KIND_REPORTS);
    return JQL_OK;
}

int jql_report_find(const jql_dataset *ds, const char *unit, const char *period, const char *kind,
                    size_t *index)
{
    if (!ds || !unit || !period || !kind)
        return jql_fail(JQL_ENOTFOUND, "no such report");
    int rc = key_get(&ds->report_keys, unit, period, kind, index);
    if (rc == JQL_ENOTFOUND)
        return jql_fail(JQL_ENOTFOUND, "unit \"%s\" has no \"%s\" report for period \"%s\"",
                        unit, kind, period);
    return rc;
}

int jql_report_set_submitted(jql_dataset *ds, size_t i, jql_date submitted, bool complete)
{
    NEED(reports, "report");
    int rc = opt_date("report submission", submitted);
    if (rc)
        return rc;
    ds->reports.items[i].submitted = submitted;
    ds->reports.items[i].complete = complete;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Tasks                                                               */
/* ------------------------------------------------------------------ */

size_t jql_task_count(const jql_dataset *ds) { return ds ? ds->tasks.len : 0; }

int jql_task_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_ENOTFOUND, "no dataset");
    return id_find(&ds->task_ids, "task", id, index);
}

GETTER(const char *, jql_task_id, tasks, id, NULL)
GETTER(const char *, jql_task_title, tasks, title, NULL)
GETTER(const char *, jql_task_field, tasks, field, NULL)
GETTER(const char *, jql_task_period, tasks, period, NULL)
GETTER(size_t, jql_task_owner_count, tasks, owners.len, 0)
GETTER(jql_date, jql_task_due, tasks, due, JQL_NO_DATE)
GETTER(jql_task_status, jql_task_get_status, tasks, status, JQL_TASK_PENDING)
GETTER(jql_date, jql_task_completed, tasks, completed, JQL_NO_DATE)

size_t jql_task_owner(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->tasks.len || k >= ds->tasks.items[i].owners.len)
        return JQL_NONE;
    return ds->tasks.items[i].owners.items[k];
}

int jql_task_add(jql_dataset *ds, const char *id, const char *title, jql_date due, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    jql_strmap_spot spot;
    int rc = new_id(&ds->task_ids, "task", id, &spot);
    if (rc || (rc = need_text("task title", title)) || (rc = need_date("task due", due)))
        return rc;
    LIMIT(tasks, "tasks");
    if (JQL_VEC_RESERVE1(ds->tasks))
        return oom();
    jql_task_rec t = {.due = due, .status = JQL_TASK_PENDING, .completed = JQL_NO_DATE};
    t.id = jql_strdup_nfc(id);
    t.title = jql_strdup(title);
    if (!t.id || !t.title || jql_strmap_put_spot(&ds->task_ids, id, ds->tasks.len, &spot)) {
        jql_free(t.id);
        jql_free(t.title);
        return oom();
    }
    if (index)
        *index = ds->tasks.len;
    ds->tasks.items[ds->tasks.len++] = t;
    return JQL_OK;
}

int jql_task_add_owner(jql_dataset *ds, size_t i, const char *unit)
{
    NEED(tasks, "task");
    size_t u;
    int rc = unit_ref(ds, unit, &u);
    return rc ? rc : jql_ds_task_add_owner_at(ds, i, u, unit);
}

int jql_ds_task_add_owner_at(jql_dataset *ds, size_t i, size_t u, const char *unit)
{
    NEED(tasks, "task");
    if (u >= ds->units.len)
        return jql_fail(JQL_ENOTFOUND, "unknown unit \"%s\"", unit);
    jql_task_rec *t = &ds->tasks.items[i];
    jql_sizevec *list = &ds->by_unit[u].tasks;
    if (note_date(ds, BY_TASK, &ds->by_unit[u].tasks_at, list, sorted_pos(list, i), t->due))
        return oom();
    int rc = sorted_insert(list, i);
    if (rc == JQL_EEXISTS)
        return jql_fail(JQL_EEXISTS, "unit \"%s\" already owns task \"%s\"", unit, t->id);
    if (rc)
        return oom();
    if (jql_sizevec_push(&t->owners, u)) {
        sorted_remove(&ds->by_unit[u].tasks, i);
        return oom();
    }
    jql_ds_kind_index_drop(ds, JQL_KIND_TASKS);
    return JQL_OK;
}

int jql_task_set_field(jql_dataset *ds, size_t i, const char *field)
{
    NEED(tasks, "task");
    int rc = jql_check_text("task field", field);
    if (rc)
        return rc;
    char *f = intern(ds, field);
    if (field && !f)
        return oom();
    ds->tasks.items[i].field = f;
    jql_ds_kind_index_drop(ds, JQL_KIND_TASKS);
    return JQL_OK;
}

int jql_task_set_period(jql_dataset *ds, size_t i, const char *period)
{
    NEED(tasks, "task");
    jql_range r = {0};
    int rc = period ? period_ref(ds, period, &r) : JQL_OK;
    if (rc)
        return rc;
    char *p = intern(ds, period);
    if (period && !p)
        return oom();
    ds->tasks.items[i].period = p;
    ds->tasks.items[i].range = r;
    return JQL_OK;
}

int jql_task_set_status(jql_dataset *ds, size_t i, jql_task_status status, jql_date completed)
{
    NEED(tasks, "task");
    if ((int)status < JQL_TASK_PENDING || status > JQL_TASK_DONE)
        return jql_fail(JQL_EINVALID, "unknown task status %d", (int)status);
    if (status == JQL_TASK_DONE && completed == JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "a done task needs a completion date");
    if (status != JQL_TASK_DONE && completed != JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "only a done task has a completion date");
    int rc = opt_date("task completion", completed);
    if (rc)
        return rc;
    ds->tasks.items[i].status = status;
    ds->tasks.items[i].completed = completed;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Shortcomings                                                        */
/* ------------------------------------------------------------------ */

size_t jql_shortcoming_count(const jql_dataset *ds) { return ds ? ds->shortcomings.len : 0; }

int jql_shortcoming_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_ENOTFOUND, "no dataset");
    return id_find(&ds->shortcoming_ids, "shortcoming", id, index);
}

GETTER(const char *, jql_shortcoming_id, shortcomings, id, NULL)
GETTER(const char *, jql_shortcoming_text, shortcomings, text, NULL)
GETTER(const char *, jql_shortcoming_field, shortcomings, field, NULL)
GETTER(const char *, jql_shortcoming_period, shortcomings, period, NULL)
GETTER(const char *, jql_shortcoming_resolved, shortcomings, resolved, NULL)
GETTER(size_t, jql_shortcoming_unit_count, shortcomings, units.len, 0)
GETTER(size_t, jql_shortcoming_cause_count, shortcomings, ncauses, 0)

size_t jql_shortcoming_unit(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->shortcomings.len || k >= ds->shortcomings.items[i].units.len)
        return JQL_NONE;
    return ds->shortcomings.items[i].units.items[k];
}

const char *jql_shortcoming_cause_kind(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->shortcomings.len || k >= ds->shortcomings.items[i].ncauses)
        return NULL;
    return ds->shortcomings.items[i].causes[k].kind;
}

const char *jql_shortcoming_cause_text(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->shortcomings.len || k >= ds->shortcomings.items[i].ncauses)
        return NULL;
    return ds->shortcomings.items[i].causes[k].text;
}

int jql_shortcoming_add(jql_dataset *ds, const char *id, const char *period, const char *text,
                        size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    jql_range r;
    jql_strmap_spot spot;
    int rc = new_id(&ds->shortcoming_ids, "shortcoming", id, &spot);
    if (rc || (rc = period_ref(ds, period, &r)) || (rc = need_text("shortcoming text", text)))
        return rc;
    LIMIT(shortcomings, "shortcomings");
    if (JQL_VEC_RESERVE1(ds->shortcomings))
        return oom();
    jql_shortcoming_rec s = {.range = r};
    s.id = jql_strdup_nfc(id);
    s.text = jql_strdup(text);
    s.period = intern(ds, period);
    if (!s.id || !s.text || !s.period ||
        jql_strmap_put_spot(&ds->shortcoming_ids, id, ds->shortcomings.len, &spot)) {
        jql_free(s.id);
        jql_free(s.text);
        return oom();
    }
    if (index)
        *index = ds->shortcomings.len;
    ds->shortcomings.items[ds->shortcomings.len++] = s;
    return JQL_OK;
}

int jql_shortcoming_add_unit(jql_dataset *ds, size_t i, const char *unit)
{
    NEED(shortcomings, "shortcoming");
    size_t u;
    int rc = unit_ref(ds, unit, &u);
    if (rc)
        return rc;
    jql_shortcoming_rec *s = &ds->shortcomings.items[i];
    rc = sorted_insert(&ds->by_unit[u].shortcomings, i);
    if (rc == JQL_EEXISTS)
        return jql_fail(JQL_EEXISTS, "unit \"%s\" already listed for shortcoming \"%s\"", unit,
                        s->id);
    if (rc)
        return oom();
    if (jql_sizevec_push(&s->units, u)) {
        sorted_remove(&ds->by_unit[u].shortcomings, i);
        return oom();
    }
    return JQL_OK;
}

int jql_shortcoming_add_cause(jql_dataset *ds, size_t i, const char *kind, const char *text)
{
    NEED(shortcomings, "shortcoming");
    int rc = need_name("cause kind", kind);
    if (rc || (rc = need_text("cause text", text)))
        return rc;
    jql_shortcoming_rec *s = &ds->shortcomings.items[i];
    jql_cause c = {jql_strdup_nfc(kind), jql_strdup(text)};
    jql_cause *nc = c.kind && c.text ? jql_grow_pow2(s->causes, s->ncauses, sizeof *nc) : NULL;
    if (!nc) {
        jql_free(c.kind);
        jql_free(c.text);
        return oom();
    }
    nc[s->ncauses++] = c;
    s->causes = nc;
    return JQL_OK;
}

int jql_shortcoming_set_field(jql_dataset *ds, size_t i, const char *field)
{
    NEED(shortcomings, "shortcoming");
    return set_opt_key(&ds->shortcomings.items[i].field, "shortcoming field", field);
}

int jql_shortcoming_set_resolved(jql_dataset *ds, size_t i, const char *period)
{
    NEED(shortcomings, "shortcoming");
    jql_range r = {0};
    int rc = period ? period_ref(ds, period, &r) : JQL_OK;
    if (rc)
        return rc;
    char *p = intern(ds, period);
    if (period && !p)
        return oom();
    ds->shortcomings.items[i].resolved = p;
    ds->shortcomings.items[i].resolved_range = r;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Directives                                                          */
/* ------------------------------------------------------------------ */

size_t jql_directive_count(const jql_dataset *ds) { return ds ? ds->directives.len : 0; }

int jql_directive_find(const jql_dataset *ds, const char *id, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_ENOTFOUND, "no dataset");
    return id_find(&ds->directive_ids, "directive", id, index);
}

GETTER(const char *, jql_directive_id, directives, id, NULL)
GETTER(const char *, jql_directive_text, directives, text, NULL)
GETTER(jql_date, jql_directive_issued, directives, issued, JQL_NO_DATE)
GETTER(size_t, jql_directive_issuer, directives, issuer, JQL_NONE)
GETTER(jql_date, jql_directive_due, directives, due, JQL_NO_DATE)
GETTER(jql_directive_status, jql_directive_get_status, directives, status, JQL_DIRECTIVE_OPEN)
GETTER(jql_date, jql_directive_completed, directives, completed, JQL_NO_DATE)
GETTER(size_t, jql_directive_unit_count, directives, units.len, 0)
GETTER(size_t, jql_directive_level_count, directives, nlevels, 0)
GETTER(size_t, jql_directive_answer_count, directives, nanswers, 0)

size_t jql_directive_unit(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->directives.len || k >= ds->directives.items[i].units.len)
        return JQL_NONE;
    return ds->directives.items[i].units.items[k];
}

const char *jql_directive_level(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->directives.len || k >= ds->directives.items[i].nlevels)
        return NULL;
    return ds->directives.items[i].levels[k];
}

const char *jql_directive_answer(const jql_dataset *ds, size_t i, size_t k)
{
    if (!ds || i >= ds->directives.len || k >= ds->directives.items[i].nanswers)
        return NULL;
    return ds->directives.items[i].answers[k];
}

bool jql_directive_addresses(const jql_dataset *ds, size_t i, size_t unit)
{
    if (!ds || i >= ds->directives.len || unit >= ds->units.len)
        return false;
    const jql_sizevec *v = &ds->by_unit[unit].directives;
    if (sorted_has(v, i))
        return true;
    size_t slot;
    return jql_strmap_get(&ds->directive_levels, ds->units.items[unit].level, &slot) == JQL_OK &&
           sorted_has(&ds->level_directives[slot], i);
}

int jql_directive_add(jql_dataset *ds, const char *id, jql_date issued, const char *issuer,
                      const char *text, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    size_t u;
    jql_strmap_spot spot;
    int rc = new_id(&ds->directive_ids, "directive", id, &spot);
    if (rc || (rc = need_date("directive issue", issued)) || (rc = unit_ref(ds, issuer, &u)) ||
        (rc = need_text("directive text", text)))
        return rc;
    LIMIT(directives, "directives");
    if (JQL_VEC_RESERVE1(ds->directives))
        return oom();
    jql_directive_rec d = {.issued = issued, .issuer = u, .due = JQL_NO_DATE,
                           .status = JQL_DIRECTIVE_OPEN, .completed = JQL_NO_DATE};
    d.id = jql_strdup_nfc(id);
    d.text = jql_strdup(text);
    if (!d.id || !d.text ||
        jql_strmap_put_spot(&ds->directive_ids, id, ds->directives.len, &spot)) {
        jql_free(d.id);
        jql_free(d.text);
        return oom();
    }
    if (index)
        *index = ds->directives.len;
    ds->directives.items[ds->directives.len++] = d;
    return JQL_OK;
}

int jql_directive_set_due(jql_dataset *ds, size_t i, jql_date due)
{
    NEED(directives, "directive");
    int rc = opt_date("directive due", due);
    if (rc)
        return rc;
    jql_directive_rec *d = &ds->directives.items[i];
    d->due = due;
    /* the blocks that list it reach its new date too */
    for (size_t k = 0; k < d->units.len; k++) {
        jql_unit_index *x = &ds->by_unit[d->units.items[k]];
        jql_dates_widen(&x->directives_at, sorted_pos(&x->directives, i), due);
    }
    for (size_t k = 0; k < d->nlevels; k++) {
        size_t slot;
        if (jql_strmap_get(&ds->directive_levels, d->levels[k], &slot) == JQL_OK)
            jql_dates_widen(&ds->level_directives_at[slot],
                            sorted_pos(&ds->level_directives[slot], i), due);
    }
    return JQL_OK;
}

int jql_directive_add_unit(jql_dataset *ds, size_t i, const char *unit)
{
    NEED(directives, "directive");
    size_t u;
    int rc = unit_ref(ds, unit, &u);
    if (rc)
        return rc;
    jql_directive_rec *d = &ds->directives.items[i];
    /* the unit's own list, kept ascending, is the index collect_directives reads */
    jql_unit_index *x = &ds->by_unit[u];
    if (note_date(ds, BY_DIRECTIVE, &x->directives_at, &x->directives,
                  sorted_pos(&x->directives, i), d->due))
        return oom();
    rc = sorted_insert(&x->directives, i);
    if (rc == JQL_EEXISTS)
        return jql_fail(JQL_EEXISTS, "unit \"%s\" already addressed by directive \"%s\"", unit,
                        d->id);
    if (rc)
        return oom();
    if (jql_sizevec_push(&d->units, u)) {
        sorted_remove(&ds->by_unit[u].directives, i);
        return oom();
    }
    return JQL_OK;
}

int jql_directive_add_level(jql_dataset *ds, size_t i, const char *level)
{
    NEED(directives, "directive");
    int rc = need_name("addressee level", level);
    if (rc)
        return rc;
    jql_directive_rec *d = &ds->directives.items[i];
    /* level -> its directives, ascending like the per-unit lists */
    size_t slot;
    if (jql_strmap_get(&ds->directive_levels, level, &slot) != JQL_OK) {
        slot = ds->nlevel_directives;
        jql_sizevec *grown = jql_grow_pow2(ds->level_directives, slot, sizeof *grown);
        if (!grown)
            return oom();
        ds->level_directives = grown;
        memset(&grown[slot], 0, sizeof *grown);
        jql_date_spans *spans = jql_grow_pow2(ds->level_directives_at, slot, sizeof *spans);
        if (!spans)
            return oom();
        ds->level_directives_at = spans;
        memset(&spans[slot], 0, sizeof *spans);
        if (jql_strmap_put(&ds->directive_levels, level, slot))
            return oom();
        ds->nlevel_directives++;
    }
    jql_sizevec *idx = &ds->level_directives[slot];
    if (note_date(ds, BY_DIRECTIVE, &ds->level_directives_at[slot], idx, sorted_pos(idx, i),
                  d->due))
        return oom();
    rc = sorted_insert(idx, i);
    if (rc == JQL_EEXISTS)
        return jql_fail(JQL_EEXISTS, "level \"%s\" already addressed by directive \"%s\"",
                        level, d->id);
    if (rc)
        return oom();
    if ((rc = strv_push(&d->levels, &d->nlevels, level))) {
        sorted_remove(idx, i);
        return rc;
    }
    return JQL_OK;
}

/* The answered id need not exist yet: jql_dataset_check() verifies it. */
int jql_directive_add_answer(jql_dataset *ds, size_t i, const char *id)
{
    NEED(directives, "directive");
    int rc = jql_check_id("answered shortcoming or task", id);
    if (rc)
        return rc;
    jql_directive_rec *d = &ds->directives.items[i];
    /* a repeated answer: the few first compared one by one, past them looked
       up in a set of the copies kept (compared byte for byte, as strcmp:
       one directive of 100,000 answers compared 5 x 10^9 pairs, 10 s) */
    enum { FEW = 16 };
    size_t k = 0;
    if (d->nanswers >= FEW && !d->answer_set) {
        if (!(d->answer_set = jql_calloc(1, sizeof *d->answer_set)))
            return oom();
        for (; k < d->nanswers; k++)
            if (jql_strmap_put(d->answer_set, d->answers[k], k)) {
                jql_strmap_free(d->answer_set);
                jql_free(d->answer_set);
                d->answer_set = NULL;
                return oom();
            }
    }
    bool repeated = d->answer_set ? jql_strmap_get(d->answer_set, id, &k) == JQL_OK : false;
    for (k = 0; !d->answer_set && !repeated && k < d->nanswers; k++)
        repeated = strcmp(d->answers[k], id) == 0;
    if (repeated)
        return jql_fail(JQL_EEXISTS, "\"%s\" already answered by directive \"%s\"", id, d->id);
    rc = strv_push(&d->answers, &d->nanswers, id);
    if (rc == JQL_OK && d->answer_set &&
        jql_strmap_put(d->answer_set, d->answers[d->nanswers - 1], d->nanswers - 1)) {
        jql_free(d->answers[--d->nanswers]);
        return oom();
    }
    return rc;
}

int jql_directive_set_status(jql_dataset *ds, size_t i, jql_directive_status status,
                             jql_date completed)
{
    NEED(directives, "directive");
    if ((int)status < JQL_DIRECTIVE_OPEN || status > JQL_DIRECTIVE_DONE)
        return jql_fail(JQL_EINVALID, "unknown directive status %d", (int)status);
    if (status == JQL_DIRECTIVE_DONE && completed == JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "a done directive needs a completion date");
    if (status != JQL_DIRECTIVE_DONE && completed != JQL_NO_DATE)
        return jql_fail(JQL_EINVALID, "only a done directive has a completion date");
    int rc = opt_date("directive completion", completed);
    if (rc)
        return rc;
    ds->directives.items[i].status = status;
    ds->directives.items[i].completed = completed;
    return JQL_OK;
}

/* ------------------------------------------------------------------ */
/* Assessments                                                         */
/* ------------------------------------------------------------------ */

size_t jql_assessment_count(const jql_dataset *ds) { return ds ? ds->assessments.len : 0; }
GETTER(size_t, jql_assessment_unit, assessments, unit, JQL_NONE)
GETTER(const char *, jql_assessment_period, assessments, period, NULL)
GETTER(const char *, jql_assessment_criterion, assessments, criterion, NULL)
GETTER(jql_milli, jql_assessment_self, assessments, self, JQL_NO_SCORE)
GETTER(jql_milli, jql_assessment_appraised, assessments, appraised, JQL_NO_SCORE)
GETTER(bool, jql_assessment_not_applicable, assessments, not_applicable, false)
GETTER(const char *, jql_assessment_evidence, assessments, evidence, NULL)

int jql_assessment_add(jql_dataset *ds, const char *unit, const char *period,
                       const char *criterion, jql_milli self, jql_milli appraised, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    size_t u;
    jql_range r;
    int rc = unit_ref(ds, unit, &u);
    if (rc || (rc = period_ref(ds, period, &r)) || (rc = jql_check_id("criterion", criterion)) ||
        (rc = check_score("self-assessed score", self)) ||
        (rc = check_score("appraised score", appraised)))
        return rc;
    rc = key_get(&ds->assessment_keys, unit, period, criterion, NULL);
    if (rc == JQL_OK)
        return jql_fail(JQL_EEXISTS,
                        "unit \"%s\" already has an assessment of \"%s\" for period \"%s\"", unit,
                        criterion, period);
    if (rc != JQL_ENOTFOUND)
        return rc;
    LIMIT(assessments, "assessments");
    if (JQL_VEC_RESERVE1(ds->assessments))
        return oom();
    jql_assessment_rec a = {.unit = u, .range = r, .self = self, .appraised = appraised};
    a.period = intern(ds, period);
    a.criterion = intern(ds, criterion);
    jql_sizevec *idx = &ds->by_unit[u].assessments;
    if (!a.period || !a.criterion ||
        note_date(ds, BY_ASSESSMENT, &ds->by_unit[u].assessments_at, idx, idx->len, r.start) ||
        jql_sizevec_push(idx, ds->assessments.len))
        return oom();
    if (key_put(&ds->assessment_keys, unit, period, criterion, ds->assessments.len)) {
        idx->len--;
        return oom();
    }
    if (index)
        *index = ds->assessments.len;
    ds->assessments.items[ds->assessments.len++] = a;
    return JQL_OK;
}

int jql_assessment_set_scores(jql_dataset *ds, size_t i, jql_milli self, jql_milli appraised)
{
    NEED(assessments, "assessment");
    int rc = check_score("self-assessed score", self);
    if (rc || (rc = check_score("appraised score", appraised)))
        return rc;
    ds->assessments.items[i].self = self;
    ds->assessments.items[i].appraised = appraised;
    return JQL_OK;
}

int jql_assessment_set_not_applicable(jql_dataset *ds, size_t i, bool not_applicable)
{
    NEED(assessments, "assessment");
    ds->assessments.items[i].not_applicable = not_applicable;
    return JQL_OK;
}

int jql_assessment_set_evidence(jql_dataset *ds, size_t i, const char *evidence)
{
    NEED(assessments, "assessment");
    return set_opt_text(&ds->assessments.items[i].evidence, "evidence", evidence);
}

int jql_assessment_find(const jql_dataset *ds, const char *unit, const char *period,
                        const char *criterion, size_t *index)
{
    if (!ds || !unit || !period || !criterion)
        return jql_fail(JQL_ENOTFOUND, "no such assessment");
    int rc = key_get(&ds->assessment_keys, unit, period, criterion, index);
    if (rc == JQL_ENOTFOUND)
        return jql_fail(JQL_ENOTFOUND, "no assessment of \"%s\" for unit \"%s\" in period \"%s\"",
                        criterion, unit, period);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Events                                                              */
/* ------------------------------------------------------------------ */

size_t jql_event_count(const jql_dataset *ds) { return ds ? ds->events.len : 0; }
GETTER(size_t, jql_event_unit, events, unit, JQL_NONE)
GETTER(jql_date, jql_event_date, events, date, JQL_NO_DATE)
GETTER(const char *, jql_event_kind, events, kind, NULL)
GETTER(const char *, jql_event_text, events, text, NULL)
GETTER(jql_milli, jql_event_points, events, points, JQL_NO_SCORE)
GETTER(const char *, jql_event_evidence, events, evidence, NULL)

int jql_event_add(jql_dataset *ds, const char *unit, jql_date date, const char *kind,
                  const char *text, size_t *index)
{
    if (!ds)
        return jql_fail(JQL_EINVALID, "no dataset");
    size_t u;
    int rc = unit_ref(ds, unit, &u);
    if (rc || (rc = need_date("event", date)) || (rc = need_name("event kind", kind)) ||
        (rc = jql_check_text("event text", text)))
        return rc;
    LIMIT(events, "events");
    if (JQL_VEC_RESERVE1(ds->events))
        return oom();
    jql_event_rec e = {.unit = u, .date = date, .points = JQL_NO_SCORE};
    e.kind = intern(ds, kind);
    e.text = jql_strdup(text);
    jql_sizevec *idx = &ds->by_unit[u].events;
    if (!e.kind || (text && !e.text) ||
        note_date(ds, BY_EVENT, &ds->by_unit[u].events_at, idx, idx->len, date) ||
        jql_sizevec_push(idx, ds->events.len)) {
        jql_free(e.text);
        return oom();
    }
    if (index)
        *index = ds->events.len;
    ds->events.items[ds->events.len++] = e;
    jql_ds_kind_index_drop(ds, JQL_KIND_EVENTS);
    return JQL_OK;
}

int jql_event_set_points(jql_dataset *ds, size_t i, jql_milli points)
{
    NEED(events, "event");
    int rc = check_score("event points", points);
    if (rc)
        return rc;
    ds->events.items[i].points = points;
    return JQL_OK;
}

int jql_event_set_evidence(jql_dataset *ds, size_t i, const char *evidence)
{
    NEED(events, "event");
    return set_opt_text(&ds->events.items[i].evidence, "evidence", evidence);
}
