/*
 * justice_quarterly._core — scoring results as columns for DataFrames,
 * read through the C accessors (score.h, explain.h) without building a
 * dict per unit: points as packed doubles (NaN for null) that numpy reads
 * in place, or lists of Decimal; flags as packed bytes; text as lists.
 *
 * SPDX-License-Identifier: MIT
 */
#include "core.h"

#include <math.h>
#include <stdbool.h>
#include <string.h>

#define RES(o) (((JqlResultsObject *)(o))->r)

static PyObject *str_or_none(const char *s)
{
    return jqlpy_res_str(s);
}

static PyObject *dec_or_none(bool has, jql_milli m)
{
    return has ? jqlpy_decimal(m) : Py_NewRef(Py_None);
}

static PyObject *res_unit_ids(PyObject *self, PyObject *unused)
{
    const jql_results *r = RES(self);
    size_t n = jql_results_unit_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *s = str_or_none(jql_results_unit_id(r, k));
        if (!s)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, s);
    }
    return list;
}

static PyObject *res_node_ids(PyObject *self, PyObject *unused)
{
    const jql_results *r = RES(self);
    size_t n = jql_results_node_count(r);
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t i = 0; list && i < n; i++) {
        PyObject *s = str_or_none(jql_results_node_id(r, i));
        if (!s)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)i, s);
    }
    return list;
}

/* A column of points: packed doubles (NaN for null) when @p as_float, else a
   list of Decimal/None. */
typedef struct {
    PyObject *obj;
    double *f;
    bool as_float;
} points_col;

static int col_init(points_col *c, size_t n, bool as_float)
{
    c->as_float = as_float;
    c->f = NULL;
    if (as_float) {
        c->obj = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)(n * sizeof(double)));
        if (c->obj)
            c->f = (double *)(void *)PyByteArray_AS_STRING(c->obj);
    } else {
        c->obj = PyList_New((Py_ssize_t)n);
    }
    return c->obj ? 0 : -1;
}

/* 2^53: integers up to this are exact in a double. */
#define EXACT_IN_DOUBLE 9007199254740992LL

/* float(Decimal) of thousandths: correctly rounded. */
static int milli_double(jql_milli m, double *out)
{
    if (m >= -EXACT_IN_DOUBLE && m <= EXACT_IN_DOUBLE) {
        /* both exact in a double, so the division is the correctly rounded
           value of the decimal, as float(Decimal) gives */
        *out = (double)m / 1000.0;
        return 0;
    }
    /* a sum past 2^53 would be rounded twice: let Decimal round it once */
    PyObject *d = jqlpy_decimal(m);
    PyObject *f = d ? PyNumber_Float(d) : NULL;
    Py_XDECREF(d);
    if (!f)
        return -1;
    *out = PyFloat_AS_DOUBLE(f);
    Py_DECREF(f);
    return 0;
}

static int col_set(points_col *c, size_t i, bool has, jql_milli m)
{
    if (c->as_float) {
        if (!has) {
            c->f[i] = NAN;
            return 0;
        }
        return milli_double(m, &c->f[i]);
    }
    PyObject *v = dec_or_none(has, m);
    if (!v)
        return -1;
    PyList_SET_ITEM(c->obj, (Py_ssize_t)i, v);
    return 0;
}

/* Packed bytes 0/1 (numpy bool). */
static PyObject *flags_new(size_t n, char **data)
{
    PyObject *b = PyByteArray_FromStringAndSize(NULL, (Py_ssize_t)n);
    if (b)
        *data = PyByteArray_AS_STRING(b);
    return b;
}

/* Fills columns of objects from a function of the unit. */
static PyObject *unit_objects(const jql_results *r, size_t n,
                              PyObject *(*get)(const jql_results *, size_t))
{
    PyObject *list = PyList_New((Py_ssize_t)n);
    for (size_t k = 0; list && k < n; k++) {
        PyObject *v = get(r, k);
        if (!v)
            Py_CLEAR(list);
        else
            PyList_SET_ITEM(list, (Py_ssize_t)k, v);
    }
    return list;
}

#define STR_GETTER(name, fn)                                                                  \
    static PyObject *name(const jql_results *r, size_t k) { return str_or_none(fn(r, k)); }
STR_GETTER(get_id, jql_results_unit_id)
STR_GETTER(get_name, jql_results_unit_name)
STR_GETTER(get_cluster, jql_results_unit_cluster)
STR_GETTER(get_tier, jql_results_unit_tier)
STR_GETTER(get_tier_before_caps, jql_results_unit_tier_before_caps)
STR_GETTER(get_next_tier, jql_results_unit_next_tier)
#undef STR_GETTER

static PyObject *get_held_back(const jql_results *r, size_t k)
{
    return jqlpy_held_back(r, k);
}

static PyObject *get_rank(const jql_results *r, size_t k)
{
    return PyLong_FromSize_t(jql_results_unit_rank(r, k));
}

static PyObject *get_cluster_rank(const jql_results *r, size_t k)
{
    if (!jql_results_unit_cluster(r, k))
        Py_RETURN_NONE;
    return PyLong_FromSize_t(jql_results_unit_cluster_rank(r, k));
}

static PyObject *get_veto_ids(const jql_results *r, size_t k)
{
    size_t nv = jql_results_unit_veto_count(r, k);
    PyObject *t = PyTuple_New((Py_ssize_t)nv);
    for (size_t v = 0; t && v < nv; v++) {
        PyObject *s = str_or_none(jql_results_unit_veto_id(r, k, v));
        if (!s)
            Py_CLEAR(t);
        else
            PyTuple_SET_ITEM(t, (Py_ssize_t)v, s);
    }
    return t;
}

/* _unit_columns(as_float) -> {column: list | bytearray}: the scalar members
   of every unit in result order. Points are packed doubles when as_float,
   flags (leader, quota_demoted, quota_tie) packed bytes, "vetoes" tuples
   of veto ids. */
static PyObject *res_unit_columns(PyObject *self, PyObject *args)
{
    int as_float;
    if (!PyArg_ParseTuple(args, "p:_unit_columns", &as_float))
        return NULL;
    const jql_results *r = RES(self);
    size_t n = jql_results_unit_count(r);
    PyObject *out = PyDict_New();
    if (!out)
        return NULL;
    static const struct {
        const char *name;
        PyObject *(*get)(const jql_results *, size_t);
    } objs[] = {{"rank", get_rank},           {"id", get_id},
                {"name", get_name},           {"cluster", get_cluster},
                {"cluster_rank", get_cluster_rank}, {"tier", get_tier},
                {"tier_before_caps", get_tier_before_caps}, {"held_back", get_held_back},
                {"next_tier", get_next_tier}, {"vetoes", get_veto_ids}};
    for (size_t c = 0; c < sizeof objs / sizeof objs[0]; c++) {
        PyObject *col = unit_objects(r, n, objs[c].get);
        if (!col || PyDict_SetItemString(out, objs[c].name, col) < 0) {
            Py_XDECREF(col);
            goto fail;
        }
        Py_DECREF(col);
    }
    for (int f = 0; f < JQL_RESULT_FIELD_COUNT; f++) {
        points_col col;
        if (col_init(&col, n, as_float) < 0)
            goto fail;
        for (size_t k = 0; k < n; k++)
            if (col_set(&col, k, true, jql_results_unit_value(r, k, (jql_result_field)f)) < 0) {
                Py_DECREF(col.obj);
                goto fail;
            }
        PyObject *name = jqlpy_field_key((jql_result_field)f);
        int rc = PyDict_SetItem(out, name, col.obj);
        Py_DECREF(name);
        Py_DECREF(col.obj);
        if (rc < 0)
            goto fail;
    }
    static const struct {
        const char *name;
        bool (*flag)(const jql_results *, size_t);
    } flags[] = {{"leader", jql_results_unit_is_leader},
                 {"quota_demoted", jql_results_unit_quota_demoted},
                 {"quota_tie", jql_results_unit_quota_tie}};
    for (size_t c = 0; c < sizeof flags / sizeof flags[0]; c++) {
        char *data = NULL;
        PyObject *col = flags_new(n, &data);
        if (!col)
            goto fail;
        for (size_t k = 0; k < n; k++)
            data[k] = flags[c].flag(r, k) ? 1 : 0;
        if (PyDict_SetItemString(out, flags[c].name, col) < 0) {
            Py_DECREF(col);
            goto fail;
        }
        Py_DECREF(col);
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* _node_columns(as_float) -> {column: list | bytearray} with one row per
   unit × node (units in result order, nodes in criteria order): points,
   max, value, self, appraised (as in _unit_columns), applicable and
   no_data (packed bytes), rule and source (lists of str). */
static PyObject *res_node_columns(PyObject *self, PyObject *args)
{
    int as_float;
    if (!PyArg_ParseTuple(args, "p:_node_columns", &as_float))
        return NULL;
    const jql_results *r = RES(self);
    size_t nu = jql_results_unit_count(r), nn = jql_results_node_count(r);
    if (nn && nu > PY_SSIZE_T_MAX / sizeof(double) / nn)
        return PyErr_NoMemory();
    size_t rows = nu * nn;
    enum { C_POINTS, C_MAX, C_VALUE, C_SELF, C_APPRAISED, C_NUM };
    static const char *const num_names[C_NUM] = {"points", "max", "value", "self", "appraised"};
    points_col num[C_NUM] = {{0}};
    char *applicable = NULL, *no_data = NULL;
    PyObject *app = NULL, *nod = NULL, *rule = NULL, *source = NULL, *out = NULL;
    for (int c = 0; c < C_NUM; c++)
        if (col_init(&num[c], rows, as_float) < 0)
            goto done;
    jqlpy_text_cache_clear();
    app = flags_new(rows, &applicable);
    nod = flags_new(rows, &no_data);
    rule = PyList_New((Py_ssize_t)rows);
    source = PyList_New((Py_ssize_t)rows);
    if (!app || !nod || !rule || !source)
        goto done;
    for (size_t k = 0, i = 0; k < nu; k++)
        for (size_t n = 0; n < nn; n++, i++) {
            jql_milli v = 0, self_pts = jql_results_node_self(r, k, n),
                      appr = jql_results_node_appraised(r, k, n);
            bool has = jql_results_node_value(r, k, n, &v);
            if (col_set(&num[C_POINTS], i, true, jql_results_node_points(r, k, n)) < 0 ||
                col_set(&num[C_MAX], i, true, jql_results_node_max(r, k, n)) < 0 ||
                col_set(&num[C_VALUE], i, has, v) < 0 ||
                col_set(&num[C_SELF], i, self_pts != JQL_NO_SCORE, self_pts) < 0 ||
                col_set(&num[C_APPRAISED], i, appr != JQL_NO_SCORE, appr) < 0)
                goto done;
            applicable[i] = jql_results_node_applicable(r, k, n) ? 1 : 0;
            no_data[i] = jql_results_node_no_data(r, k, n) ? 1 : 0;
            const char *rl = jql_results_node_rule(r, k, n);
            PyObject *s = jqlpy_cached_str(rl ? rl : ""); /* rules recur, one text each */
            if (!s)
                goto done;
            PyList_SET_ITEM(rule, (Py_ssize_t)i, s);
            jql_result_source src = jql_results_node_source(r, k, n);
            PyList_SET_ITEM(source, (Py_ssize_t)i, jqlpy_source_name(src));
        }
    out = PyDict_New();
    if (!out)
        goto done;
    for (int c = 0; c < C_NUM; c++)
        if (PyDict_SetItemString(out, num_names[c], num[c].obj) < 0)
            goto fail;
    if (PyDict_SetItemString(out, "applicable", app) < 0 ||
        PyDict_SetItemString(out, "no_data", nod) < 0 ||
        PyDict_SetItemString(out, "rule", rule) < 0 ||
        PyDict_SetItemString(out, "source", source) < 0)
        goto fail;
    goto done;
fail:
    Py_CLEAR(out);
done:
    jqlpy_text_cache_clear();
    /* a list being filled may hold NULL slots: Py_DECREF handles them */
    for (int c = 0; c < C_NUM; c++)
        Py_XDECREF(num[c].obj);
    Py_XDECREF(app);
    Py_XDECREF(nod);
    Py_XDECREF(rule);
    Py_XDECREF(source);
    return out;
}

/* ---- Dataset.statistics_dataframe ------------------------------------------------------ */

enum { S_UNIT, S_UNIT_NAME, S_CLUSTER, S_PERIOD, S_PERIOD_NAME, S_INDICATOR, S_INDICATOR_NAME,
       S_MEASURE_UNIT, S_YEAR_BEFORE, S_TEXT };
static const char *const stat_text_names[S_TEXT] = {
    "unit", "unit_name", "cluster", "period", "period_name", "indicator", "indicator_name",
    "measure_unit", "year_before"};
enum { S_VALUE, S_PREVIOUS, S_CHANGE, S_PERCENT, S_NUM };
static const char *const stat_num_names[S_NUM] = {"value", "value_year_before", "change",
                                                  "change_percent"};

/* What the rows share, made once: a unit's id, name and cluster and an
   indicator's id, name and measure unit (3 strings per record, NULL until
   first used), and per period id its year before and display name. */
typedef struct {
    const jql_dataset *ds;
    PyObject **unit_text, **ind_text;
    PyObject *before, *names; /* dicts: period str -> str | None */
} stat_shared;

typedef const char *(*text_fn)(const jql_dataset *, size_t);

/* The 3 strings of record i (borrowed from the cache). */
static PyObject **record_text(const jql_dataset *ds, PyObject **cache, size_t i,
                              const text_fn fn[3])
{
    PyObject **t = &cache[3 * i];
    if (t[0])
        return t;
    for (int k = 0; k < 3; k++)
        if (!(t[k] = jqlpy_str_or_none(fn[k](ds, i)))) {
            for (int j = 0; j < k; j++)
                Py_CLEAR(t[j]);
            return NULL;
        }
    return t;
}

/* The period a year before (None when there is none: NotFoundError, as
   PeriodMap.year_before raises it), borrowed from the cache. */
static PyObject *stat_year_before(stat_shared *sh, const char *id, PyObject *key)
{
    PyObject *v = PyDict_GetItemWithError(sh->before, key);
    if (v || PyErr_Occurred())
        return v;
    char buf[JQL_MAX_ID_BYTES + 1]; /* as Dataset._period_year_before */
    int rc = jql_period_year_before(sh->ds, id, buf, sizeof buf);
    if (rc == JQL_ENOTFOUND) {
        jql_clear_error();
        v = Py_NewRef(Py_None);
    } else if (rc != JQL_OK) {
        return jqlpy_raise(rc, NULL, NULL, 0);
    } else {
        v = jqlpy_str_or_none(buf);
    }
    int bad = !v || PyDict_SetItem(sh->before, key, v) < 0;
    Py_XDECREF(v); /* the dict holds it */
    return bad ? NULL : v;
}

/* The "vi" display name, as Dataset._period_display_name gives it (borrowed). */
static PyObject *stat_period_name(stat_shared *sh, const char *id, PyObject *key)
{
    PyObject *v = PyDict_GetItemWithError(sh->names, key);
    if (v || PyErr_Occurred())
        return v;
    char buf[4 * JQL_MAX_ID_BYTES + 64]; /* as Dataset._period_display_name */
    int rc = jql_period_display_name(sh->ds, id, "vi", buf, sizeof buf);
    if (rc != JQL_OK)
        return jqlpy_raise(rc, NULL, NULL, 0);
    v = PyUnicode_FromString(buf);
    int bad = !v || PyDict_SetItem(sh->names, key, v) < 0;
    Py_XDECREF(v);
    return bad ? NULL : v;
}

/* Row i: the strings, then the change through jql_indicator_value_change as
   Dataset.change queries it, in the order the row-by-row build raised its
   errors (year before, change, period name). */
static int stat_row(stat_shared *sh, size_t i, unsigned flags, PyObject *text[S_TEXT],
                    points_col num[S_NUM])
{
    static const text_fn unit_fn[3] = {jql_unit_id, jql_unit_name, jql_unit_cluster};
    static const text_fn ind_fn[3] = {jql_indicator_id, jql_indicator_name,
                                      jql_indicator_measure_unit};
    const jql_dataset *ds = sh->ds;
    PyObject **u = record_text(ds, sh->unit_text, jql_stat_unit(ds, i), unit_fn);
    PyObject **ind = u ? record_text(ds, sh->ind_text, jql_stat_indicator(ds, i), ind_fn) : NULL;
    const char *period = jql_stat_period(ds, i);
    PyObject *pkey = ind ? jqlpy_cached_str(period) : NULL; /* rows share a few periods */
    PyObject *before = pkey ? stat_year_before(sh, period, pkey) : NULL;
    if (!before) {
        Py_XDECREF(pkey);
        return -1;
    }
    jql_milli cur = JQL_NO_SCORE, prev = JQL_NO_SCORE, delta = JQL_NO_SCORE, pct = JQL_NO_SCORE;
    int rc = jql_indicator_value_change(ds, jql_unit_id(ds, jql_stat_unit(ds, i)),
                                        jql_indicator_id(ds, jql_stat_indicator(ds, i)), period,
                                        flags, &cur, &prev, &delta, &pct);
    if (rc != JQL_OK && rc != JQL_ENODATA) {
        Py_DECREF(pkey);
        jqlpy_raise(rc, NULL, NULL, 0);
        return -1;
    }
    jql_clear_error();
    PyObject *pname = stat_period_name(sh, period, pkey);
    if (!pname) {
        Py_DECREF(pkey);
        return -1;
    }
    PyObject *row[S_TEXT] = {u[0], u[1], u[2], pkey, pname, ind[0], ind[1], ind[2], before};
    for (int c = 0; c < S_TEXT; c++)
        PyList_SET_ITEM(text[c], (Py_ssize_t)i, c == S_PERIOD ? row[c] : Py_NewRef(row[c]));
    return col_set(&num[S_VALUE], i, true, jql_stat_value(ds, i)) < 0 ||
                   col_set(&num[S_PREVIOUS], i, prev != JQL_NO_SCORE, prev) < 0 ||
                   col_set(&num[S_CHANGE], i, delta != JQL_NO_SCORE, delta) < 0 ||
                   col_set(&num[S_PERCENT], i, pct != JQL_NO_SCORE, pct) < 0
               ? -1
               : 0;
}

static void stat_shared_free(stat_shared *sh)
{
    size_t nu = jql_unit_count(sh->ds), ni = jql_indicator_count(sh->ds);
    for (size_t k = 0; sh->unit_text && k < 3 * nu; k++)
        Py_XDECREF(sh->unit_text[k]);
    for (size_t k = 0; sh->ind_text && k < 3 * ni; k++)
        Py_XDECREF(sh->ind_text[k]);
    PyMem_Free(sh->unit_text);
    PyMem_Free(sh->ind_text);
    Py_XDECREF(sh->before);
    Py_XDECREF(sh->names);
}

PyObject *jqlpy_stat_columns(const jql_dataset *ds, bool as_float, bool rollup)
{
    size_t n = jql_stat_count(ds);
    stat_shared sh = {.ds = ds};
    PyObject *text[S_TEXT] = {0}, *out = NULL;
    points_col num[S_NUM] = {{0}};
    sh.unit_text = PyMem_Calloc(3 * jql_unit_count(ds) + 1, sizeof(PyObject *));
    sh.ind_text = PyMem_Calloc(3 * jql_indicator_count(ds) + 1, sizeof(PyObject *));
    sh.before = PyDict_New();
    sh.names = PyDict_New();
    if (!sh.unit_text || !sh.ind_text) {
        PyErr_NoMemory();
        goto done;
    }
    if (!sh.before || !sh.names)
        goto done;
    for (int c = 0; c < S_TEXT; c++)
        if (!(text[c] = PyList_New((Py_ssize_t)n)))
            goto done;
    for (int c = 0; c < S_NUM; c++)
        if (col_init(&num[c], n, as_float) < 0)
            goto done;
    jqlpy_text_cache_clear();
    for (size_t i = 0; i < n; i++)
        if (stat_row(&sh, i, rollup ? JQL_ROLLUP : 0, text, num) < 0)
            goto done;
    if (!(out = PyDict_New()))
        goto done;
    for (int c = 0; c < S_TEXT; c++)
        if (PyDict_SetItemString(out, stat_text_names[c], text[c]) < 0)
            Py_CLEAR(out);
    for (int c = 0; out && c < S_NUM; c++)
        if (PyDict_SetItemString(out, stat_num_names[c], num[c].obj) < 0)
            Py_CLEAR(out);
done:
    jqlpy_text_cache_clear();
    /* a list being filled may hold NULL slots: Py_DECREF handles them */
    for (int c = 0; c < S_TEXT; c++)
        Py_XDECREF(text[c]);
    for (int c = 0; c < S_NUM; c++)
        Py_XDECREF(num[c].obj);
    stat_shared_free(&sh);
    return out;
}

/* Added to the Results type's methods (core_criteria.c's type, in _core.c). */
PyMethodDef jqlpy_frame_methods[] = {
    {"_unit_ids", res_unit_ids, METH_NOARGS, "_unit_ids() -> list of unit ids in result order"},
    {"_node_ids", res_node_ids, METH_NOARGS, "_node_ids() -> list of node ids in criteria order"},
    {"_unit_columns", res_unit_columns, METH_VARARGS,
     "_unit_columns(as_float) -> dict of unit columns (see core_frames.c)"},
    {"_node_columns", res_node_columns, METH_VARARGS,
     "_node_columns(as_float) -> dict of unit x node columns (see core_frames.c)"},
    {NULL, NULL, 0, NULL},
};
