/*
 * justice_quarterly._core — scoring results read through the C accessors
 * (score.h, explain.h) instead of parsing the results JSON.
 *
 * _unit(k) builds one unit's result as the very dict json.loads() would
 * give for it (parse_float=Decimal): the same keys in the same order, the
 * same nulls, points as Decimal with three places, counts as int. The
 * Python Results builds these only when a unit is accessed.
 * DataFrames read whole columns instead (core_frames.c).
 *
 * SPDX-License-Identifier: MIT
 */
#include "core.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* ---- interned keys and shared values --------------------------------------- */

#define KEYS(X)                                                                               \
    X(ID, "id") X(NAME, "name") X(CLUSTER, "cluster") X(TIER, "tier")                           \
    X(TIER_BEFORE_CAPS, "tier_before_caps") X(TIER_AFTER_VETOES, "tier_after_vetoes")           \
    X(RANK, "rank") X(CLUSTER_RANK, "cluster_rank") X(LEADER, "leader") X(VETOES, "vetoes")     \
    X(REASON, "reason") X(CAP, "cap") X(QUOTA_DEMOTED, "quota_demoted")                         \
    X(QUOTA_TIE, "quota_tie") X(NEXT_TIER, "next_tier") X(HELD_BACK, "held_back")               \
    X(UNAPPRAISED, "unappraised") X(SELF_DIFFERS, "self_differs") X(NODES, "nodes")             \
    X(BONUS_ITEMS, "bonus_items") X(DEDUCTION_ITEMS, "deduction_items") X(PARENT, "parent")     \
    X(MAX, "max") X(POINTS, "points") X(APPLICABLE, "applicable") X(VALUE, "value")             \
    X(NO_DATA, "no_data") X(NEVER_SUBMITTED, "never_submitted") X(RULE, "rule")                 \
    X(SOURCE, "source") X(SELF, "self") X(APPRAISED, "appraised") X(EVIDENCE, "evidence")       \
    X(KIND, "kind") X(DATE, "date") X(FORMAT, "format") X(CRITERIA, "criteria")                 \
    X(PERIOD, "period") X(SCALE, "scale") X(ALLOW_ABOVE_SCALE, "allow_above_scale")             \
    X(TIERS, "tiers") X(MIN, "min") X(AS_OF, "as_of")

#define KEY_ENUM(e, s) K_##e,
enum { KEYS(KEY_ENUM) K_COUNT };
#undef KEY_ENUM
#define KEY_TEXT(e, s) s,
static const char *const key_text[K_COUNT] = {KEYS(KEY_TEXT)};
#undef KEY_TEXT

static PyObject *key[K_COUNT];
static PyObject *field_key[JQL_RESULT_FIELD_COUNT];   /* "total", "final"... */
static PyObject *evfield_key[JQL_EVIDENCE_FIELD_COUNT]; /* "unit", "indicator"... */
static PyObject *source_name[JQL_RESULT_SOURCE_COUNT];
static PyObject *kind_name[JQL_EVIDENCE_KIND_COUNT];
static PyObject *empty_str;

/* Points from 0 to 100.000 recur in every unit (maxima, zero, full marks):
   their Decimals are made once and shared (Decimals are immutable). */
#define DEC_CACHE_MAX 100000
static PyObject **dec_cache;

int jqlpy_results_init(void)
{
    for (int i = 0; i < K_COUNT; i++)
        if (!(key[i] = PyUnicode_InternFromString(key_text[i])))
            return -1;
    for (int f = 0; f < JQL_RESULT_FIELD_COUNT; f++)
        if (!(field_key[f] = PyUnicode_InternFromString(
                  jql_result_field_name((jql_result_field)f))))
            return -1;
    for (int f = 0; f < JQL_EVIDENCE_FIELD_COUNT; f++)
        if (!(evfield_key[f] = PyUnicode_InternFromString(
                  jql_evidence_field_name((jql_evidence_field)f))))
            return -1;
    for (int s = 0; s < JQL_RESULT_SOURCE_COUNT; s++)
        if (!(source_name[s] = PyUnicode_InternFromString(
                  jql_result_source_name((jql_result_source)s))))
            return -1;
    for (int s = 0; s < JQL_EVIDENCE_KIND_COUNT; s++)
        if (!(kind_name[s] = PyUnicode_InternFromString(
                  jql_evidence_kind_name((jql_evidence_kind)s))))
            return -1;
    if (!(empty_str = PyUnicode_InternFromString("")))
        return -1;
    if (!jqlpy_decimal_type) { /* imported by the module's init first (_core.c) */
        PyErr_SetString(PyExc_SystemError, "decimal.Decimal is not imported yet");
        return -1;
    }
    dec_cache = PyMem_Calloc(DEC_CACHE_MAX + 1, sizeof *dec_cache);
    return dec_cache ? 0 : (PyErr_NoMemory(), -1);
}

/* Thousandths → Decimal("d.ddd"), the text the results JSON holds. */
PyObject *jqlpy_decimal(jql_milli m)
{
    bool cached = m >= 0 && m <= DEC_CACHE_MAX;
    if (cached && dec_cache[m])
        return Py_NewRef(dec_cache[m]);
    unsigned long long a = m < 0 ? 0ULL - (unsigned long long)m : (unsigned long long)m;
    char buf[32];
    snprintf(buf, sizeof buf, "%s%llu.%03llu", m < 0 ? "-" : "", a / 1000, a % 1000);
    PyObject *text = PyUnicode_FromString(buf);
    if (!text)
        return NULL;
    PyObject *d = PyObject_CallOneArg(jqlpy_decimal_type, text);
    Py_DECREF(text);
    if (d && cached)
        dec_cache[m] = Py_NewRef(d);
    return d;
}

static PyObject *dec(jql_milli m)
{
    return jqlpy_decimal(m);
}

static PyObject *dec_or_none(bool has, jql_milli m)
{
    return has ? dec(m) : Py_NewRef(Py_None);
}

PyObject *jqlpy_res_str(const char *s)
{
    if (!s)
        Py_RETURN_NONE;
    if (!*s)
        return Py_NewRef(empty_str);
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)strlen(s), "replace");
}

/* How the arrays of a unit are built (set by the caller of unit_dict(),
   under the GIL): lists, the plain data of to_dict(), or tuples for the
   read-only objects behind UnitResult. A tuple of untracked values is
   untracked at once, so a unit's dicts stay untracked too: millions of
   result objects add no work to the cyclic garbage collector (which, left
   to walk them, took longer than building them). The collector itself
   keeps a tuple holding a dict tracked, since the dict could later hold a
   cycle; these dicts are never changed (ResultRecord is read-only and
   hands out copies of arrays), so none can. */
static bool build_plain;

static PyObject *str_or_none(const char *s)
{
    return jqlpy_res_str(s);
}

/* Evidence repeats a few strings (the unit's id, periods, kinds, indicator
   ids), each at one address in the results or dataset: while one unit is
   built (the GIL held, nothing freed), its str objects are made once per
   address. Direct-mapped; emptied before each unit. */
#define TEXT_CACHE 256
static struct {
    const char *p;
    PyObject *o;
} text_cache[TEXT_CACHE];

/* Evidence record dicts by record number (a list, None where not built yet),
   set by the caller of unit_dict() or nodes() under the GIL, or NULL: then
   each citation gets its own dict. A record is cited by several criteria and,
   through a roll-up leaf, by every unit above its own: a 20,000-unit chain
   cites 200 million records of 20,000, and a dict each took 27 s to read
   every unit's nodes and 7.7 GB (then MemoryError) for to_dict(). The
   read-only (tuple) form shares them for the life of the Results
   (JqlResultsObject.records); to_dict() within its one document. */
static PyObject *records;

/* Record numbers past this are not cached (a slot each: 8 bytes). */
#define RECORDS_MAX ((size_t)1 << 24)

void jqlpy_text_cache_clear(void)
{
    for (size_t i = 0; i < TEXT_CACHE; i++) {
        text_cache[i].p = NULL;
        Py_CLEAR(text_cache[i].o);
    }
}

PyObject *jqlpy_cached_str(const char *s)
{
    if (!s || !*s)
        return str_or_none(s);
    size_t h = ((uintptr_t)s >> 3) % TEXT_CACHE;
    if (text_cache[h].p == s)
        return Py_NewRef(text_cache[h].o);
    PyObject *o = str_or_none(s);
    if (o) {
        Py_XSETREF(text_cache[h].o, Py_NewRef(o));
        text_cache[h].p = s;
    }
    return o;
}

/* d[key] = v, stealing v; -1 on failure (v NULL included). */
static int put(PyObject *d, PyObject *k, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyDict_SetItem(d, k, v);
    Py_DECREF(v);
    return rc;
}

/* list.append(v), stealing v. */
static int append(PyObject *list, PyObject *v)
{
    if (!v)
        return -1;
    int rc = PyList_Append(list, v);
    Py_DECREF(v);
    return rc;
}

#define RES(o) (((JqlResultsObject *)(o))->r)

/* The finished array: @p list itself, or as a tuple (steals @p list). */
static PyObject *finish(PyObject *list)
{
    if (!list || build_plain)
        return list;
    PyObject *t = PyList_AsTuple(list);
    Py_DECREF(list);
    if (!t)
        return NULL;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++)
        if (PyObject_GC_IsTracked(PyTuple_GET_ITEM(t, i)))
            return t;
    PyObject_GC_UnTrack(t);
    return t;
}

/* ---- one unit as the JSON's dict ------------------------------------------- */

/* One evidence record: its kind, then its fields in the document's order. */
static PyObject *evidence_record_new(const jql_results *r, size_t ev)
{
    jql_evidence_kind kind = jql_results_evidence_kind(r, ev);
    PyObject *d = PyDict_New();
    if (!d || (int)kind < 0 || kind >= JQL_EVIDENCE_KIND_COUNT)
        return d;
    if (PyDict_SetItem(d, key[K_KIND], kind_name[kind]) < 0)
        goto fail;
    /* the document's order of the kind's fields, from the library */
    const jql_evidence_field *fields;
    size_t nf = jql_evidence_kind_fields(kind, &fields);
    for (size_t i = 0; i < nf; i++) {
        jql_evidence_field f = fields[i];
        if (f == JQL_EVIDENCE_FIELD_VALUE) {
            jql_milli v = 0;
            bool has = jql_results_evidence_value(r, ev, &v);
            if (put(d, key[K_VALUE], dec_or_none(has, v)) < 0)
                goto fail;
        } else if (f == JQL_EVIDENCE_FIELD_DATE) {
            jql_date date;
            char text[16];
            PyObject *v = Py_None;
            Py_INCREF(v);
            if (jql_results_evidence_date(r, ev, &date)) {
                Py_DECREF(v);
                jql_date_format(date, text);
                v = PyUnicode_FromString(text);
            }
            if (put(d, key[K_DATE], v) < 0)
                goto fail;
        } else {
            const char *text = jql_results_evidence_text(r, ev, f);
            if (put(d, evfield_key[f], jqlpy_cached_str(text)) < 0)
                goto fail;
        }
    }
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

static PyObject *evidence_record(const jql_results *r, size_t ev)
{
    /* held here: a build nested in this one (a finalizer run by an
       allocation) resets `records` when it ends */
    PyObject *cache = records, *d = NULL;
    if (!cache || ev >= RECORDS_MAX)
        return evidence_record_new(r, ev);
    Py_INCREF(cache);
    while ((size_t)PyList_GET_SIZE(cache) <= ev)
        if (PyList_Append(cache, Py_None) < 0)
            goto done;
    d = PyList_GET_ITEM(cache, (Py_ssize_t)ev);
    if (d != Py_None) {
        Py_INCREF(d);
        goto done;
    }
    d = evidence_record_new(r, ev);
    if (d && PyList_SetItem(cache, (Py_ssize_t)ev, Py_NewRef(d)) < 0) /* the list only grows */
        Py_CLEAR(d);
done:
    Py_DECREF(cache);
    return d;
}

/* The Results' shared records (made on first use), borrowed; NULL on error. */
static PyObject *shared_records(PyObject *self)
{
    JqlResultsObject *o = (JqlResultsObject *)self;
    if (!o->records)
        o->records = PyList_New(0);
    return o->records;
}

/* What a node and an item share, after their id and max. */
typedef struct {
    jql_milli points, value, self, appraised;
    bool applicable, has_value, no_data, never;
    const char *rule;
    jql_result_source source;
    size_t nev;
    size_t (*evidence)(const jql_results *, size_t, size_t, size_t);
} part;

static int put_part(PyObject *d, const jql_results *r, const part *x, size_t k, size_t n)
{
    if (put(d, key[K_POINTS], dec(x->points)) < 0 ||
        PyDict_SetItem(d, key[K_APPLICABLE], x->applicable ? Py_True : Py_False) < 0 ||
        put(d, key[K_VALUE], dec_or_none(x->has_value, x->value)) < 0 ||
        PyDict_SetItem(d, key[K_NO_DATA], x->no_data ? Py_True : Py_False) < 0 ||
        PyDict_SetItem(d, key[K_NEVER_SUBMITTED], x->never ? Py_True : Py_False) < 0 ||
        put(d, key[K_RULE], jqlpy_cached_str(x->rule ? x->rule : "")) < 0)
        return -1;
    PyObject *src = (int)x->source >= 0 && x->source < JQL_RESULT_SOURCE_COUNT
                        ? source_name[x->source]
                        : Py_None;
    if (PyDict_SetItem(d, key[K_SOURCE], src) < 0 ||
        put(d, key[K_SELF], dec_or_none(x->self != JQL_NO_SCORE, x->self)) < 0 ||
        put(d, key[K_APPRAISED], dec_or_none(x->appraised != JQL_NO_SCORE, x->appraised)) < 0)
        return -1;
    PyObject *list = PyList_New((Py_ssize_t)x->nev);
    if (!list)
        return -1;
    for (size_t e = 0; e < x->nev; e++) {
        PyObject *rec = evidence_record(r, x->evidence(r, k, n, e));
        if (!rec) {
            Py_DECREF(list);
            return -1;
        }
        PyList_SET_ITEM(list, (Py_ssize_t)e, rec);
    }
    return put(d, key[K_EVIDENCE], finish(list));
}

/* Node ids as str, one per node, while _plain_units() builds every unit
   (NULL otherwise): 4,400 nodes x 1,000 units made 8.8 million strs of 4,400
   texts. */
static PyObject *node_ids;
static const jql_results *node_ids_of; /* the results they are of */

static PyObject *node_id(const jql_results *r, size_t n)
{
    if (n == JQL_NONE)
        Py_RETURN_NONE;
    if (node_ids && node_ids_of == r)
        return Py_NewRef(PyList_GET_ITEM(node_ids, (Py_ssize_t)n));
    return str_or_none(jql_results_node_id(r, n));
}

static PyObject *node_dict(const jql_results *r, size_t k, size_t n)
{
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    size_t parent = jql_results_node_parent(r, n);
    part x = {jql_results_node_points(r, k, n), 0, jql_results_node_self(r, k, n),
              jql_results_node_appraised(r, k, n), jql_results_node_applicable(r, k, n),
              false, jql_results_node_no_data(r, k, n),
              jql_results_node_never_submitted(r, k, n), jql_results_node_rule(r, k, n),
              jql_results_node_source(r, k, n), jql_results_node_evidence_count(r, k, n),
              jql_results_node_evidence};
    x.has_value = jql_results_node_value(r, k, n, &x.value);
    if (put(d, key[K_ID], node_id(r, n)) < 0 || put(d, key[K_PARENT], node_id(r, parent)) < 0 ||
        put(d, key[K_MAX], dec(jql_results_node_max(r, k, n))) < 0 ||
        put_part(d, r, &x, k, n) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *item_dict(const jql_results *r, size_t k, size_t i)
{
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    /* items always apply (the writer's "applicable" is true) */
    part x = {jql_results_item_points(r, k, i), 0, jql_results_item_self(r, k, i),
              jql_results_item_appraised(r, k, i), true, false,
              jql_results_item_no_data(r, k, i), jql_results_item_never_submitted(r, k, i),
              jql_results_item_rule(r, k, i), jql_results_item_source(r, k, i),
              jql_results_item_evidence_count(r, k, i), jql_results_item_evidence};
    x.has_value = jql_results_item_value(r, k, i, &x.value);
    if (put(d, key[K_ID], str_or_none(jql_results_item_id(r, i))) < 0 ||
        put(d, key[K_MAX], dec(jql_results_item_max(r, i))) < 0 || put_part(d, r, &x, k, i) < 0) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *item_list(const jql_results *r, size_t k, bool deductions)
{
    PyObject *list = PyList_New(0);
    size_t ni = jql_results_item_count(r);
    for (size_t i = 0; list && i < ni; i++)
        if (jql_results_item_is_deduction(r, i) == deductions &&
            append(list, item_dict(r, k, i)) < 0)
            Py_CLEAR(list);
    return finish(list);
}

static PyObject *leaf_list(const jql_results *r, size_t k,
                           bool (*flag)(const jql_results *, size_t, size_t))
{
    PyObject *list = PyList_New(0);
    size_t nn = jql_results_node_count(r);
    for (size_t n = 0; list && n < nn; n++)
        if (flag(r, k, n) && append(list, str_or_none(jql_results_node_id(r, n))) < 0)
            Py_CLEAR(list);
    return finish(list);
}

static PyObject *vetoes(const jql_results *r, size_t k)
{
    size_t nv = jql_results_unit_veto_count(r, k);
    PyObject *list = PyList_New(0);
    for (size_t v = 0; list && v < nv; v++) {
        PyObject *d = PyDict_New();
        if (!d || put(d, key[K_ID], str_or_none(jql_results_unit_veto_id(r, k, v))) < 0 ||
            put(d, key[K_REASON], str_or_none(jql_results_unit_veto_reason(r, k, v))) < 0 ||
            put(d, key[K_CAP], str_or_none(jql_results_unit_veto_cap(r, k, v))) < 0 ||
            append(list, d) < 0)
            Py_CLEAR(list);
    }
    return finish(list);
}

static PyObject *nodes(const jql_results *r, size_t k)
{
    size_t nn = jql_results_node_count(r);
    PyObject *list = PyList_New((Py_ssize_t)nn);
    for (size_t n = 0; list && n < nn; n++) {
        PyObject *d = node_dict(r, k, n);
        if (!d)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)n, d);
    }
    return finish(list);
}

PyObject *jqlpy_held_back(const jql_results *r, size_t k)
{
    const char *held = jql_results_unit_held_back(r, k);
    return str_or_none(held && held[0] ? held : NULL);
}

/* unit_dict() leaves "nodes" None (its place kept, for the key order) when
   false: UnitResult reads them with _unit_nodes() when asked. */
static bool build_nodes = true;

static PyObject *unit_dict(const jql_results *r, size_t k)
{
    static const jql_result_field first[] = {JQL_RESULT_FIELD_TOTAL,     JQL_RESULT_FIELD_APPLICABLE_MAX,
                                             JQL_RESULT_FIELD_NORMALIZED, JQL_RESULT_FIELD_BONUS,
                                             JQL_RESULT_FIELD_BONUS_RAW,  JQL_RESULT_FIELD_DEDUCTIONS,
                                             JQL_RESULT_FIELD_FINAL};
    PyObject *d = PyDict_New();
    if (!d)
        return NULL;
    const char *cluster = jql_results_unit_cluster(r, k);
    if (put(d, key[K_ID], str_or_none(jql_results_unit_id(r, k))) < 0 ||
        put(d, key[K_NAME], str_or_none(jql_results_unit_name(r, k))) < 0 ||
        put(d, key[K_CLUSTER], str_or_none(cluster)) < 0)
        goto fail;
    for (size_t f = 0; f < sizeof first / sizeof first[0]; f++)
        if (put(d, field_key[first[f]], dec(jql_results_unit_value(r, k, first[f]))) < 0)
            goto fail;
    if (put(d, key[K_TIER], str_or_none(jql_results_unit_tier(r, k))) < 0 ||
        put(d, key[K_TIER_BEFORE_CAPS], str_or_none(jql_results_unit_tier_before_caps(r, k))) < 0 ||
        put(d, key[K_TIER_AFTER_VETOES],
            str_or_none(jql_results_unit_tier_after_vetoes(r, k))) < 0 ||
        put(d, key[K_RANK], PyLong_FromSize_t(jql_results_unit_rank(r, k))) < 0 ||
        put(d, key[K_CLUSTER_RANK],
            cluster ? PyLong_FromSize_t(jql_results_unit_cluster_rank(r, k))
                    : Py_NewRef(Py_None)) < 0 ||
        PyDict_SetItem(d, key[K_LEADER], jql_results_unit_is_leader(r, k) ? Py_True : Py_False) < 0 ||
        put(d, key[K_VETOES], vetoes(r, k)) < 0 ||
        PyDict_SetItem(d, key[K_QUOTA_DEMOTED],
                       jql_results_unit_quota_demoted(r, k) ? Py_True : Py_False) < 0 ||
        PyDict_SetItem(d, key[K_QUOTA_TIE],
                       jql_results_unit_quota_tie(r, k) ? Py_True : Py_False) < 0 ||
        put(d, field_key[JQL_RESULT_FIELD_GAP], dec(jql_results_unit_value(r, k, JQL_RESULT_FIELD_GAP))) < 0 ||
        put(d, key[K_NEXT_TIER], str_or_none(jql_results_unit_next_tier(r, k))) < 0 ||
        put(d, key[K_HELD_BACK], jqlpy_held_back(r, k)) < 0 ||
        put(d, field_key[JQL_RESULT_FIELD_SELF_TOTAL],
            dec(jql_results_unit_value(r, k, JQL_RESULT_FIELD_SELF_TOTAL))) < 0 ||
        put(d, key[K_UNAPPRAISED], leaf_list(r, k, jql_results_node_unappraised)) < 0 ||
        put(d, key[K_SELF_DIFFERS], leaf_list(r, k, jql_results_node_self_differs)) < 0 ||
        put(d, key[K_NODES], build_nodes ? nodes(r, k) : Py_NewRef(Py_None)) < 0 ||
        put(d, key[K_BONUS_ITEMS], item_list(r, k, false)) < 0 ||
        put(d, key[K_DEDUCTION_ITEMS], item_list(r, k, true)) < 0)
        goto fail;
    return d;
fail:
    Py_DECREF(d);
    return NULL;
}

/* Whether the C string s is the len bytes at id (which may hold a NUL). */
static bool same_text(const char *s, const char *id, size_t len)
{
    return s && strlen(s) == len && memcmp(s, id, len) == 0;
}

/* Index k of the results, or -1 with IndexError set. */
static Py_ssize_t unit_index(PyObject *self, PyObject *arg)
{
    Py_ssize_t k = PyLong_AsSsize_t(arg);
    if (k == -1 && PyErr_Occurred())
        return -1;
    if (k < 0 || (size_t)k >= jql_results_unit_count(RES(self))) {
        PyErr_SetString(PyExc_IndexError, "unit index out of range");
        return -1;
    }
    return k;
}

static PyObject *res_unit(PyObject *self, PyObject *args)
{
    PyObject *index;
    int plain = 0, with_nodes = 1;
    if (!PyArg_ParseTuple(args, "O|pp:_unit", &index, &plain, &with_nodes))
        return NULL;
    Py_ssize_t k = unit_index(self, index);
    if (k < 0)
        return NULL;
    build_plain = plain;
    build_nodes = with_nodes;
    records = plain ? NULL : shared_records(self);
    if (!plain && !records)
        return NULL;
    jqlpy_text_cache_clear();
    PyObject *d = unit_dict(RES(self), (size_t)k);
    jqlpy_text_cache_clear();
    build_nodes = true;
    records = NULL;
    return d;
}

/* _unit_nodes(k) -> the "nodes" of unit k, as _unit(k) gives them (tuples). */
static PyObject *res_unit_nodes(PyObject *self, PyObject *arg)
{
    Py_ssize_t k = unit_index(self, arg);
    if (k < 0)
        return NULL;
    build_plain = false;
    if (!(records = shared_records(self)))
        return NULL;
    jqlpy_text_cache_clear();
    PyObject *t = nodes(RES(self), (size_t)k);
    jqlpy_text_cache_clear();
    records = NULL;
    return t;
}

/* _unit_node(k, id) -> the node dict of unit k whose id is id, as
   _unit_nodes(k) has it, or None: UnitResult.node() built every node of the
   unit to return one (4,400 criteria: 1.3 ms a call, 5.9 s to ask each). */
static PyObject *res_unit_node(PyObject *self, PyObject *args)
{
    PyObject *index;
    const char *id;
    Py_ssize_t len;
    if (!PyArg_ParseTuple(args, "Os#:_unit_node", &index, &id, &len))
        return NULL;
    Py_ssize_t k = unit_index(self, index);
    if (k < 0)
        return NULL;
    const jql_results *r = RES(self);
    size_t nn = jql_results_node_count(r), n = 0;
    while (n < nn && !same_text(jql_results_node_id(r, n), id, (size_t)len))
        n++;
    if (n == nn)
        Py_RETURN_NONE;
    build_plain = false;
    if (!(records = shared_records(self)))
        return NULL;
    jqlpy_text_cache_clear();
    PyObject *d = node_dict(r, (size_t)k, n);
    jqlpy_text_cache_clear();
    records = NULL;
    return d;
}

/* _unit_find(id) -> k | None: the library's look-up (ids compared in NFC) */
static PyObject *res_unit_find(PyObject *self, PyObject *arg)
{
    const char *id = PyUnicode_Check(arg) ? PyUnicode_AsUTF8(arg) : NULL;
    if (!id) {
        if (!PyErr_Occurred())
            PyErr_SetString(PyExc_TypeError, "a unit id is a str");
        return NULL;
    }
    size_t k;
    if (jql_results_unit_find(RES(self), id, &k) != JQL_OK) {
        jql_clear_error();
        Py_RETURN_NONE;
    }
    return PyLong_FromSize_t(k);
}

static PyObject *node_id_list(const jql_results *r)
{
    size_t nn = jql_results_node_count(r);
    PyObject *list = PyList_New((Py_ssize_t)nn);
    for (size_t n = 0; list && n < nn; n++) {
        PyObject *s = str_or_none(jql_results_node_id(r, n));
        if (!s)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)n, s);
    }
    return list;
}

/* Whether the document cites more evidence records than one document may
   list (JQL_MAX_RESULTS_EVIDENCE, as the library's writer counts them), with
   LimitError set: to_json() refuses such results, and to_dict() would hold
   a list slot per citation. */
static bool too_many_citations(const jql_results *r)
{
    size_t n = jql_results_citation_count(r);
    if (n <= JQL_MAX_RESULTS_EVIDENCE)
        return false;
    char msg[256];
    snprintf(msg, sizeof msg,
             "the results cite %zu evidence records, over the limit of %u one document may list "
             "(docs/CRITERIA.md, \"Limits\"): read units one at a time (iterate the Results) "
             "or use write(file, evidence=\"none\")",
             n, JQL_MAX_RESULTS_EVIDENCE);
    jqlpy_raise_text(JQL_ELIMIT, msg);
    return true;
}

/* _plain_units() -> list of every unit as plain dicts and lists, built in
   one call. The collector is paused meanwhile (the GIL is held throughout,
   so no other thread sees it): it would otherwise walk the growing lists
   again and again, and take longer than building them. */
static PyObject *res_plain_units(PyObject *self, PyObject *unused)
{
    const jql_results *r = RES(self);
    if (too_many_citations(r))
        return NULL;
    size_t n = jql_results_unit_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    PyObject *shared = PyList_New(0); /* this document's records */
    if (!shared)
        Py_CLEAR(list);
    int was_enabled = PyGC_Disable();
    build_plain = true;
    records = shared;
    jqlpy_text_cache_clear();
    node_ids = list ? node_id_list(r) : NULL;
    node_ids_of = r;
    if (!node_ids)
        Py_CLEAR(list);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *d = unit_dict(r, k);
        if (!d)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, d);
    }
    jqlpy_text_cache_clear();
    Py_CLEAR(node_ids);
    records = NULL;
    Py_XDECREF(shared);
    if (was_enabled)
        PyGC_Enable();
    return list;
}

/* The document's members before "units", in the writer's order. */
static PyObject *res_head(PyObject *self, PyObject *unused)
{
    const jql_results *r = RES(self);
    PyObject *d = PyDict_New();
    PyObject *tiers = PyList_New(0);
    if (!d || !tiers || put(d, key[K_FORMAT], PyUnicode_FromString(JQL_RESULTS_FORMAT)) < 0 ||
        put(d, key[K_CRITERIA], str_or_none(jql_results_criteria_id(r))) < 0 ||
        put(d, key[K_PERIOD], str_or_none(jql_results_period(r))) < 0 ||
        /* only when scored as of a date, as the JSON */
        (jql_results_as_of(r) && put(d, key[K_AS_OF], str_or_none(jql_results_as_of(r))) < 0) ||
        put(d, key[K_SCALE], dec(jql_results_scale(r))) < 0 ||
        PyDict_SetItem(d, key[K_ALLOW_ABOVE_SCALE],
                       jql_results_allow_above_scale(r) ? Py_True : Py_False) < 0)
        goto fail;
    for (size_t t = 0; t < jql_results_tier_count(r); t++) {
        PyObject *x = PyDict_New();
        if (!x || put(x, key[K_ID], str_or_none(jql_results_tier_id(r, t))) < 0 ||
            put(x, key[K_NAME], str_or_none(jql_results_tier_name(r, t))) < 0 ||
            put(x, key[K_MIN], dec(jql_results_tier_min(r, t))) < 0 || append(tiers, x) < 0)
            goto fail;
    }
    if (put(d, key[K_TIERS], tiers) < 0) {
        tiers = NULL;
        goto fail;
    }
    return d;
fail:
    Py_XDECREF(tiers);
    Py_XDECREF(d);
    return NULL;
}

PyObject *jqlpy_source_name(jql_result_source s)
{
    return Py_NewRef((int)s >= 0 && s < JQL_RESULT_SOURCE_COUNT ? source_name[s] : Py_None);
}

PyObject *jqlpy_field_key(jql_result_field f)
{
    return Py_NewRef(field_key[f]);
}

/* Added to the Results type's methods (core_criteria.c). */
PyMethodDef jqlpy_results_methods[] = {
    {"_head", res_head, METH_NOARGS,
     "_head() -> dict: format, criteria, period, as_of (when set), scale, allow_above_scale, tiers"},
    {"_unit", res_unit, METH_VARARGS,
     "_unit(k, plain=False, nodes=True) -> dict: unit k as the results JSON gives it, its\n"
     "arrays lists when plain, else tuples (read-only, untracked by the collector);\n"
     "\"nodes\" None unless nodes"},
    {"_unit_nodes", res_unit_nodes, METH_O,
     "_unit_nodes(k) -> tuple of unit k's node dicts, as _unit(k) has them"},
    {"_unit_node", res_unit_node, METH_VARARGS,
     "_unit_node(k, id) -> the node dict of unit k with that id (as _unit_nodes(k) has it), or None"},
    {"_unit_find", res_unit_find, METH_O,
     "_unit_find(id) -> position of the unit in the results, or None (jql_results_unit_find)"},
    {"_plain_units", res_plain_units, METH_NOARGS,
     "_plain_units() -> list of every unit as plain dicts and lists (to_dict())"},
    {NULL, NULL, 0, NULL},
};
