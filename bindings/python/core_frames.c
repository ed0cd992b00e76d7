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

static int col_set(points_col *c, size_t i, bool has, jql_milli m)
{
    if (c->as_float) {
        /* both exact in a double, so the division is the correctly rounded
           value of the decimal, as float(Decimal) gives */
        c->f[i] = has ? (double)m / 1000.0 : NAN;
        return 0;
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
